"""The values the conversation returns: what to show now and what the user may press.

A ``View`` is platform-neutral: plain, unescaped text in structured fields, plus ``offers``
(label + packed button state). Telegram, Discord and the console render views; none of them
decides what comes next. Every field except ``kind`` may be empty: render what is there, in
the order the fields are declared.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal

from bot.core.answer import DataRisk, Severity
from bot.core.callbacks import Verb
from bot.core.render import Section

ViewKind = Literal[
    "answer",  # the first reply: model line, what it probably is, the one step to do now
    "step",  # a later rung of the same ladder
    "erase_gate",  # before any step that erases: three lines and three choices
    "no_backup_options",  # "I can't back up: what are my options?"
    "repair",  # "Take it to repair": the repair step and what to tell them
    "all_steps",  # the full manual (details), on demand
    "details",  # more about the current step, on demand
    "procedure",  # one button procedure (e.g. /steps dfu_mode), after the gate when it leads to an erase
    "solved",  # "It worked" was saved: the public message shows it is solved
    "handoff",  # a summary for helpers (the last software step failed, or "Ask a helper")
    "ask_family",  # which button layout the phone has (Apple's way of asking)
    "ask_model",  # which exact model, among candidates (e.g. the SE generations)
    "ask_symptom",  # which problem, when the core is unsure (clarify)
    "dismissed",  # "Not my issue" was saved: the adapter removes the answer
    "info",  # any other answer status (off topic, thanks, other device, ...) and short notices
    "not_allowed",  # someone other than the asker or the chat's helpers pressed: send privately
    "not_saved",  # the outcome could not be written: nothing was confirmed
]
Delivery = Literal["reply", "edit", "private"]
OfferStyle = Literal["primary", "success", "secondary", "danger"]
BackupState = Literal["yes", "no", "unknown"]


@dataclass(frozen=True, slots=True)
class Offer:
    """One choice the user may press now. ``token`` is the packed button state (<= 64 bytes)."""

    label: str
    token: str
    verb: Verb  # what pressing it does, for styling and tests; adapters never branch on it for rules
    style: OfferStyle = "secondary"


@dataclass(frozen=True, slots=True)
class StepCard:
    """The one step to do now: at most five short lines and what the person should see."""

    number: int  # 1-based rung in its ladder
    total: int  # rungs in the ladder
    title: str
    data_risk: DataRisk
    lines: tuple[str, ...]  # at most five
    expect: str  # "You should see: ..."
    warnings: tuple[str, ...] = ()  # family warnings (e.g. Emergency SOS), shown BEFORE the lines
    # What the step does to the data, in the words to show next to the title ("tries to keep your data",
    # "ERASES everything on the phone", "may erase or replace the phone"): knowledge/actions.yaml's risk_label.
    # Empty on cards that are not a ladder rung (a single procedure such as /steps dfu_mode).
    risk_label: str = ""

    @property
    def erases(self) -> bool:
        return self.data_risk == "erases"


@dataclass(frozen=True, slots=True)
class TriedStep:
    """A rung the person went through, for the helper summary."""

    title: str
    outcome: Literal["didn't work", "current"]


@dataclass(frozen=True, slots=True)
class Handoff:
    """A compact summary for a human helper. Adapters decide whom to mention (never everyone)."""

    model: str  # the model, the button layout, or "model not known"
    probably: str  # what it probably is, one line
    tried: tuple[TriedStep, ...]
    error_codes: tuple[int, ...]
    damage: bool
    backup: BackupState

    def lines(self) -> tuple[str, ...]:
        """The summary as plain lines, the same on every platform."""
        tried = "; ".join(f"{t.title}: {t.outcome}" for t in self.tried) or "nothing yet"
        backup = {"yes": "yes", "no": "no, they can't back up", "unknown": "not known"}[self.backup]
        return (
            f"Model: {self.model}",
            f"Probably: {self.probably or 'not diagnosed (they asked for button steps)'}",
            f"Tried: {tried}",
            f"Error codes: {', '.join(map(str, self.error_codes)) or 'none mentioned'}",
            f"Damage: {'yes, possible damage or a broken part' if self.damage else 'none mentioned'}",
            f"Backup: {backup}",
        )


@dataclass(frozen=True, slots=True)
class View:
    """What to show now. Render the non-empty fields in this order, then the offers.

    - ``headline``: the model line ("iPhone 12: Stuck on the Apple logo").
    - ``safety``: danger lines that must come first (swollen battery, liquid); rare.
    - ``diagnosis``: what it probably is, one line.
    - ``notice``: a short message (gate lead-in, "Saved", "not allowed", ...).
    - ``lines``: the body of non-step views (gate's three lines, options, a question).
    - ``step``: the one step to do now (warnings first, then at most five lines, then what to see).
    - ``risk``: the one risk that matters now, one line.
    - ``backup``: a one-line backup reminder, when this or a later step can lose data.
    - ``extras``: a short remark after them (e.g. "I couldn't save that this step didn't work").
    - ``handoff``: the helper summary (``handoff.lines()``), on handoff views.
    - ``details``: the rest, on demand (Telegram: expandable quote; Discord: "More"; console: ``more``);
      on "all_steps", "details" and "procedure" views the details are the point: show them in full.
    - ``offers``: what the user may press now, in order.
    - ``delivery``: "reply" (a follow-up replying to the question), "edit" (replace the message the
      button is on: solved, a model pick), "private" (only the presser: ephemeral, or a DM/alert).
    - ``context``: a token for typed replies to this view (``Conversation.reply_text``).
    - ``details_token``: a token whose press returns this step's details (for a "More" button).
    - ``severity``: info, warning (an erase is near) or danger (damage); ``status``: the answer's status;
      ``saved``: False when this press's outcome could not be written (``kind="not_saved"`` says so).
    """

    kind: ViewKind
    headline: str = ""
    safety: tuple[str, ...] = ()
    diagnosis: str = ""
    notice: str = ""
    lines: tuple[str, ...] = ()
    step: StepCard | None = None
    risk: str = ""
    backup: str = ""
    details: tuple[Section, ...] = ()
    handoff: Handoff | None = None
    offers: tuple[Offer, ...] = ()
    delivery: Delivery = "reply"
    severity: Severity = "info"
    answer_id: str = ""
    status: str = ""  # the TriageAnswer status it came from, when it came from one
    context: str = ""
    saved: bool = True  # False when the outcome of this press could not be written
    extras: tuple[str, ...] = field(default=())  # a short remark shown after the risk and backup lines
    details_token: str = ""  # press it for this step's details on demand (Discord's "More"); "" when none

    @property
    def offer_verbs(self) -> tuple[Verb, ...]:
        return tuple(offer.verb for offer in self.offers)

    def offer(self, verb: Verb) -> Offer | None:
        """The first offer with this verb, if any."""
        return next((o for o in self.offers if o.verb == verb), None)

    def summary_lines(self) -> tuple[str, ...]:
        """Every visible line before the offers, without details: what a short reply shows."""
        lines: list[str] = []
        lines += [self.headline] if self.headline else []
        lines += self.safety
        lines += [self.diagnosis] if self.diagnosis else []
        lines += [self.notice] if self.notice else []
        lines += self.lines
        if self.step is not None:
            lines += self.step.warnings
            lines.append(self.step.title)
            lines += self.step.lines
            lines += [self.step.expect] if self.step.expect else []
        lines += [self.risk] if self.risk else []
        lines += [self.backup] if self.backup else []
        lines += self.extras
        if self.handoff is not None:
            lines += self.handoff.lines()
        return tuple(lines)

"""The conversation: every rule about what comes next, once, for every platform.

``Conversation`` turns a triage answer, or a button's packed state plus the person who
pressed it, into the next ``View`` (bot/core/views.py). Adapters map platform events to
these calls and render the views; they never decide what comes next.

Rules that live here and nowhere else:

- the ladder a conversation follows (symptom, how-to or damage-only) travels in the button
  state, so "Didn't work" resumes the same ladder and never steps past its last rung;
- a how-to "leave recovery / DFU mode" whose force restart failed goes on to recovery-mode Update;
- an erase gate comes before every step that erases, however it is reached; without a backup, an untried
  Update is offered first;
- damaged and danger answers never offer DFU or Restore;
- only the asker, or that chat's admins and helpers, advance or close an answer;
- an outcome is written before anything confirms it (``not_saved`` when the write fails);
- after the last software step fails, or on "Ask a helper", a summary for helpers.

No chat library is imported here.
"""

from __future__ import annotations

import logging
import re
from collections import OrderedDict
from collections.abc import Iterable
from dataclasses import dataclass, replace

from bot.core import phrases
from bot.core.answer import Action, Family, LadderStep, ModelRef, ProcedureId, Severity, TriageAnswer, TriageRequest
from bot.core.callbacks import ButtonState, Verb, pack, unpack
from bot.core.render import RISK_BADGES, Section, step_heading, step_lines
from bot.core.triage import ERASE_RISKS, GENERAL_LADDER, HOWTO_LADDERS, Triage
from bot.core.views import BackupState, Handoff, Offer, OfferStyle, StepCard, TriedStep, View
from bot.store.base import Outcome, OutcomeKind, Platform, Store

log = logging.getLogger(__name__)

MAX_CARD_LINES = 5
MAX_DIAGNOSIS = 100  # characters; a longer first sentence is cut at its first colon, semicolon or bracket
ERASING: frozenset[Action] = frozenset({"recovery_restore", "dfu_restore", "passcode_reset"})
RESTORES: frozenset[Action] = frozenset({"recovery_restore", "dfu_restore"})  # they install the newest signed iOS
# Symptoms whose fact-sheet "first thing to try" (iphone-facts.md §4) comes before the ladder's first rung: charge a
# phone that won't turn on (p32 p44); swap cable, port and computer on restore errors (p17). The first reply shows
# the symptom's first before_you_start line.
TRY_FIRST: frozenset[str] = frozenset({"unresponsive", "restore_error", "firmware_corrupt"})
# Symptoms where the phone is already in recovery mode: no backup can be made now (a3 p36); the how-to questions
# about leaving recovery or DFU mode too (EXIT_PROCEDURES).
# A how-to "leave recovery / DFU mode" whose force restart failed goes on as a phone stuck in recovery (§2.4, §2.5).
EXIT_PROCEDURES: frozenset[ProcedureId | None] = frozenset({"exit_recovery", "exit_dfu"})
EXIT_CONTINUES_AS = "stuck_recovery"
IN_RECOVERY: frozenset[str] = frozenset({"stuck_recovery"})
SOFTWARE_END: Action = "repair"  # reaching this rung means the software steps are used up: hand off
# Re-exported: adapters' tests compare their notices with these.
NOT_ALLOWED = phrases.NOT_ALLOWED
NOT_SAVED = phrases.NOT_SAVED
UNKNOWN_FAMILY = "unknown"  # the outcome family when neither model nor button layout is known (every platform)

_HOWTO_SYMPTOM = "howto"
_OS_REMARK = re.compile(r"\s*\((?=[^()]*\b(?:macOS|Windows|iOS|iTunes|Mac)\b)(?![^()]*\b(?:button|Button)\b)[^()]*\)")
_CUE = "If instead:"  # triage's prefix for a procedure's failure cues inside a rung's instructions
_CHECK = "Before you go on, check: "  # triage's prefix for the check that the phone is in the mode
_NUMBERED = re.compile(r"^\s*\d+[.)] ")  # "1. Looks like a hardware fault": a text renderer's list, shown as offers
QUESTION_VERBS: frozenset[Verb] = frozenset({"family", "model", "symptom"})  # offers of a question view
_BYSTANDER_VERBS: frozenset[Verb] = frozenset({"all", "more", "procedure", "step", "no_backup", "repair"})
# A typed layout that settles the family on its own. "Home button" or "Touch ID" do not: the iPhone 7, 8 and the
# SE 2nd/3rd gen have them too (iphone-facts.md §1), so those get the layout question again.
_FAMILY_WORDS: tuple[tuple[Family, re.Pattern[str]], ...] = (
    ("modern", re.compile(r"\b(face\s*id|no home button|without a home button)\b")),
)


@dataclass(frozen=True, slots=True)
class Actor:
    """Who pressed or wrote. ``user_id`` is opaque (the store hashes it); nothing else about the person."""

    user_id: str
    platform: Platform = "console"
    is_asker: bool = True  # wrote the question the answer belongs to (always True in private chats)
    is_helper: bool = False  # an admin or helper of that chat

    @property
    def may_act(self) -> bool:
        return self.is_asker or self.is_helper


@dataclass(frozen=True, slots=True)
class _Case:
    """What one conversation is about: rebuilt from the button state, enriched by the first answer if cached."""

    answer_id: str
    symptom_id: str
    symptom_name: str
    diagnosis: str
    model: ModelRef | None
    family: Family | None
    ladder: tuple[Action, ...]
    damage: bool
    error_codes: tuple[int, ...] = ()
    safety: tuple[str, ...] = ()
    damage_names: str = ""
    damage_backup: str = ""  # the damage kind's own backup advice (a wet phone must not be plugged in)
    damage_advice: tuple[str, ...] = ()  # what to do now with this damage ("power it off and keep it off")
    severity: Severity = "info"

    @property
    def family_key(self) -> str:
        return self.family or UNKNOWN_FAMILY

    def headline(self) -> str:
        subject = self.symptom_name or "iPhone trouble"
        if self.damage:
            subject = f"{subject} with possible {self.damage_names or 'damage'}"
        if self.model is not None:
            return f"{self.model.name}: {subject}"
        if self.family is not None:
            return f"{phrases.FAMILY_NAMES[self.family]}: {subject}"
        return subject


class Conversation:
    """The platform-neutral conversation. Stateless apart from a small cache of first answers.

    ``store`` is optional so the CLI works without one; with no store nothing is recorded or remembered.
    """

    CACHE_SIZE = 2048

    def __init__(self, triage: Triage, store: Store | None = None) -> None:
        self.triage = triage
        self.store = store
        self._cache: OrderedDict[str, _Case] = OrderedDict()
        self._symptoms = {s.id: s for s in triage.knowledge.symptoms.symptoms}
        self._model_defs = {m.id: m for m in triage.knowledge.models.models}
        self._errors = {code: e for e in triage.knowledge.errors.errors for code in e.codes}

    # --- entry points -------------------------------------------------------------------------------------------

    async def start(self, request: TriageRequest, actor: Actor, *, auto: bool = False) -> View:
        """Answer a new message. Uses the asker's remembered model when the text names none.

        ``auto``: an unprompted answer in a help channel; it gets a "Not my issue" offer.
        """
        answer = await self.triage.answer(request)
        same_steps = self._same_ladder_symptom(answer)
        if same_steps is not None:  # the candidates share their steps: asking which one changes nothing
            answer = await self.triage.answer(replace(request, symptom_id=same_steps))
        if answer.model is None and request.model_id is None and answer.status == "needs_model":
            remembered = await self._remembered(actor)
            candidates = {m.id for m in answer.model_candidates}
            if remembered and (not candidates or remembered in candidates):
                answer = await self.triage.answer(replace(request, model_id=remembered))
        return self.first_view(answer, auto=auto)

    async def press(self, token: str, actor: Actor, *, value: str = "") -> View:
        """A button was pressed. ``value`` is a select menu's choice (a model id), if any."""
        state = unpack(token)
        if state is None:
            return View("info", notice="This button is from an older version of the bot. Please ask again.")
        if value:  # a select menu: its choice is the model (to answer with, or to remember)
            state = state.but("remember" if state.verb == "remember" else "model", model_id=value)
        if not actor.may_act and state.verb not in _BYSTANDER_VERBS:
            return View("not_allowed", notice=phrases.NOT_ALLOWED, delivery="private", answer_id=state.answer_id)
        view = await self._handle(state, actor)
        if not actor.may_act:
            view = replace(view, delivery="private")
        return view

    async def reply_text(self, token: str, text: str, actor: Actor) -> View:
        """A typed reply to a question view ("it's a 7"); ``token`` is any offer's token or ``view.context``."""
        state = unpack(token)
        if state is None:
            return View("info", notice="Please ask your question again.")
        if not actor.may_act:
            return View("not_allowed", notice=phrases.NOT_ALLOWED, delivery="private", answer_id=state.answer_id)
        if state.verb == "symptom":  # a clarifying question answered in words: ask again with them
            return await self.start(TriageRequest(text, model_id=state.model_id or None), actor)
        model_id, candidates = await self._read_model(text)
        if model_id:
            return await self._handle(state.but("model", model_id=model_id, family=None), actor)
        case = self._case(state)
        if len(candidates) > 1:
            return self._ask_model(state, case, candidates, "")
        family = _family_from_words(text)
        if family is not None:
            return await self._handle(state.but("family", family=family, model_id=""), actor)
        return replace(self._ask_family(state, case), notice=phrases.DIDNT_CATCH)

    async def procedure(
        self, procedure_id: ProcedureId, actor: Actor, *, model_id: str = "", family: Family | None = None
    ) -> View:
        """One button procedure (``/steps``, inline mode); DFU comes behind the erase gate."""
        state = ButtonState("procedure", model_id=model_id, family=family, procedure=procedure_id)
        return await self._handle(state, actor)

    def first_view(self, answer: TriageAnswer, *, auto: bool = False) -> View:
        """The first reply to an answer (pure: no store). Inline mode can use it directly."""
        procedure = answer.procedures[0].id if answer.procedures else self._howto_procedure(answer)
        case = self._case_from_answer(answer, procedure)
        if answer.status in ("answered", "needs_model"):  # a clarifying answer's wording must not follow the choice
            self._remember_case(case)
        state = ButtonState(
            "step",
            answer_id=case.answer_id,
            symptom_id=case.symptom_id,
            model_id=case.model.id if case.model else "",
            ladder=case.ladder,
            family=case.family,
            damage=case.damage,
            error_code=case.error_codes[0] if case.error_codes else 0,
            procedure=procedure,
        )
        if answer.status == "needs_model" and self._needs_buttons(case):
            if answer.model_candidates:
                return self._ask_model(state, case, answer.model_candidates, answer.model_question or "")
            return self._ask_family(state, case)
        if answer.status in ("answered", "needs_model"):
            view = self._first_rung(state, case)
        elif answer.status == "clarify" and self._same_ladder_symptom(answer):
            view = self._begin(state.but("step", symptom_id=self._same_ladder_symptom(answer) or "", ladder=()))
        elif answer.status == "clarify" and _clarify_choices(answer):
            view = self._ask_symptom(state, case, answer)
        else:
            view = self._info(answer)
        if auto:
            view = replace(view, offers=(*view.offers, self._offer("Not my issue", state.but("dismiss"), "danger")))
        return replace(view, status=answer.status)

    def _same_ladder_symptom(self, answer: TriageAnswer) -> str | None:
        """For a clarifying answer whose candidate problems all have the same ladder, the most likely one."""
        if answer.status != "clarify":
            return None
        candidates = [self._symptoms.get(symptom_id) for symptom_id, _ in _clarify_choices(answer)]
        if len(candidates) < 2 or any(c is None for c in candidates):
            return None
        ladders = {tuple(c.ladder) for c in candidates if c is not None}
        first = candidates[0]
        return first.id if len(ladders) == 1 and first is not None and first.ladder else None

    def remember_picker(self) -> View:
        """ "Which iPhone do you have?" for /model and /start: pressing a model remembers it for the presser."""
        offers = tuple(self._offer(m.name, ButtonState("remember", model_id=m.id)) for m in self.triage.picker_models())
        return View("ask_model", lines=("Which iPhone do you have? I'll remember it for next time.",), offers=offers)

    def summary(self, token: str) -> Handoff | None:
        """The helper summary for a conversation, from any of its tokens."""
        state = unpack(token)
        return self._handoff(state, self._case(state)) if state else None

    # --- dispatch -----------------------------------------------------------------------------------------------

    async def _handle(self, state: ButtonState, actor: Actor) -> View:
        case = self._case(state)
        if case.ladder and state.step >= len(case.ladder):  # a legacy token may point past a rebuilt ladder
            state = state.but(state.verb, step=len(case.ladder) - 1)
        verb = state.verb
        if verb == "worked":
            return await self._worked(state, case, actor)
        if verb == "next":
            return await self._next(state, case, actor)
        if verb == "step":
            return self._rung_view(state, case, state.step, first=False)
        if verb in ("all", "dfu"):
            return self._all_steps(state, case)
        if verb == "more":
            return self._details(state, case)
        if verb == "not_model":
            return replace(self._ask_family(state, case), delivery="reply")
        if verb in ("model", "family"):
            return self._picked(state, case)
        if verb == "symptom":
            return self._begin(state.but("step", step=0, ladder=(), tried=0))
        if verb == "helper":
            return self._handoff_view(state, case, phrases.HANDOFF_NOTICE)
        if verb == "no_backup":
            return self._no_backup(state, case)
        if verb == "repair":
            return self._repair(state, case)
        if verb == "procedure":
            return self._procedure(state, case)
        if verb == "remember":
            return await self._remember(state, case, actor)
        return await self._dismiss(state, case, actor)

    # --- the ladder ---------------------------------------------------------------------------------------------

    def _begin(self, state: ButtonState) -> View:
        """The first rung of a conversation, or the button-layout question when the steps need the model."""
        case = self._case(state)
        if case.model is None and case.family is None and self._needs_buttons(case):
            return self._ask_family(state, case)
        return self._first_rung(state.but("step", ladder=case.ladder), case)

    def _first_rung(self, state: ButtonState, case: _Case) -> View:
        if not case.ladder:
            return self._no_ladder(state, case)
        index = self._start_index(case, state.procedure)
        return self._rung_view(state.but("step", step=index, ladder=case.ladder), case, index, first=True)

    def _start_index(self, case: _Case, procedure: ProcedureId | None) -> int:
        """How-to questions start at the rung that uses the asked procedure ("iphone 7 dfu" -> DFU restore)."""
        if case.symptom_id != _HOWTO_SYMPTOM or procedure is None:
            return 0
        actions = self.triage.knowledge.actions.actions
        for index, action in enumerate(case.ladder):
            if actions[action].uses_procedure == procedure:
                return index
        return 0

    async def _next(self, state: ButtonState, case: _Case, actor: Actor) -> View:
        saved = await self._record(state, case, actor, "failed")
        index = state.step + 1
        moved = state.but("step", tried=state.tried | 1 << state.step)
        continued = self._continuation(moved, case) if index >= len(case.ladder) else None
        if continued is not None:  # "get it out of recovery mode": the force restart failed, so iOS needs Update
            view = self._rung_view(continued, self._case(continued), index, first=False)
        elif index >= len(case.ladder) or case.ladder[index] == SOFTWARE_END:
            view = self._handoff_view(moved, case, phrases.LAST_STEP_NOTICE)
        else:
            view = self._rung_view(moved.but("step", step=index), case, index, first=False)
        if not saved:
            view = replace(view, saved=False, extras=(*view.extras, "(I couldn't save that this step didn't work.)"))
        return view

    def _rung_view(self, state: ButtonState, case: _Case, index: int, *, first: bool) -> View:
        action = case.ladder[index]
        if action in ERASING and not state.gate_passed and not case.damage:
            return self._gate(state.but("step", step=index), case, action, first=first)
        if action in ERASING and case.damage:  # never reached through the ladder (damage is repair-only)
            return self._repair(state, case)
        step = self.triage.ladder_step(action, self._steps_model(case))
        card = self._card(step, index, len(case.ladder), compact=first, layout_known=case.family is not None)
        if self._unconfirmed_buttons(case, index):
            card = replace(card, expect="")  # nothing to do, so nothing to see
        risk = self._risk_line(case, index)
        advice = self._advice(case)
        if action == SOFTWARE_END and advice:
            # Before a repair, what to do now is the advice (a wet phone: power it off; too hot: let it cool);
            # what to tell the repairer is in the details.
            card = replace(card, lines=_merge_lines(list(advice), MAX_CARD_LINES))
        if first and case.family == "modern" and card.warnings:
            # On these phones the danger of the buttons is Emergency SOS, said in one line; the family's warnings
            # stay in the details. For a force restart it is the one risk that matters now.
            if action == "force_restart":
                card, risk = replace(card, warnings=()), phrases.RISK_SOS
            else:
                card = replace(card, warnings=(phrases.RISK_SOS,))
        if first and self._home_button_unused(case, index):
            card = replace(card, warnings=(*card.warnings, phrases.HOME_NOT_USED))
        return View(
            "answer" if first else "step",
            headline=case.headline(),
            safety=case.safety if first else (),
            diagnosis=(self._error_line(case) or case.diagnosis) if first else "",
            notice=self._notice(case, index, first=first),
            step=card,
            risk=risk,
            backup=self._backup_line(state, case, index),
            details=self._step_details(step, index),
            offers=self._ladder_offers(state, case, index, first=first),
            severity=case.severity,
            answer_id=case.answer_id,
            context=pack(state.but("model", model_id="")),
            details_token=pack(state.but("more", step=index)),
        )

    def _ladder_offers(self, state: ButtonState, case: _Case, index: int, *, first: bool) -> tuple[Offer, ...]:
        at = state.but("step", step=index)
        if self._unconfirmed_buttons(case, index):  # no steps to try: only a person or another model can help
            return (self._offer("Not my model", at.but("not_model")), self._offer("Ask a helper", at.but("helper")))
        offers = [self._offer("It worked", at.but("worked"), "success")]
        last = index + 1 >= len(case.ladder) or case.ladder[index + 1] == SOFTWARE_END
        last = last and self._continuation(at, case) is None
        if case.ladder[index] != SOFTWARE_END:
            offers.append(self._offer("Didn't work" if last else "Didn't work → next step", at.but("next"), "primary"))
        offers.append(self._offer("All steps", at.but("all")))
        if first and self._needs_buttons(case):
            offers.append(self._offer("Not my model", at.but("not_model")))
        offers.append(self._offer("Ask a helper", at.but("helper")))
        return tuple(offers)

    def _continuation(self, state: ButtonState, case: _Case) -> ButtonState | None:
        """After a how-to "leave recovery / DFU mode" whose force restart failed: the stuck-in-recovery ladder.

        A force restart leaves the mode only when iOS is intact (p52 p45); when it comes back, the next step is
        recovery mode's Update (iphone-facts.md §2.5), not a repair shop. Both ladders start with the force
        restart, so the rung index and the tried mask carry over.
        """
        symptom = self._symptoms.get(EXIT_CONTINUES_AS)
        if case.symptom_id != _HOWTO_SYMPTOM or state.procedure not in EXIT_PROCEDURES or symptom is None:
            return None
        ladder = tuple(symptom.ladder)
        if ladder[: len(case.ladder)] != case.ladder or len(ladder) <= len(case.ladder):
            return None
        # Still the how-to conversation ("Leave DFU mode"), on the longer ladder: the state carries it.
        return state.but("step", ladder=ladder, step=len(case.ladder))

    def _no_ladder(self, state: ButtonState, case: _Case) -> View:
        """An answer with nothing to press through (e.g. Activation Lock): what to do, then a helper."""
        symptom = self._symptoms.get(case.symptom_id)
        lines = tuple(symptom.before_you_start[:3]) if symptom else ()
        return View(
            "answer",
            headline=case.headline(),
            safety=case.safety,
            diagnosis=case.diagnosis,
            lines=lines,
            details=(Section("notes", "Good to know", tuple(symptom.notes)),) if symptom and symptom.notes else (),
            offers=(
                self._offer("It worked", state.but("worked"), "success"),
                self._offer("Ask a helper", state.but("helper")),
            ),
            severity=case.severity,
            answer_id=case.answer_id,
        )

    # --- the erase gate -----------------------------------------------------------------------------------------

    def _gate(self, target: ButtonState, case: _Case, action: Action, *, first: bool = False) -> View:
        """Three lines and three choices before anything that erases. ``target`` is where "continue" goes.

        As a first reply (a forgotten passcode, "how do I DFU") it also says what it probably is.
        """
        title = self.triage.knowledge.actions.actions[action].title if action != "none" else "DFU mode"
        go = target.but(target.verb, gate_passed=True, has_backup=True, no_backup=False)
        return View(
            "erase_gate",
            headline=case.headline(),
            safety=case.safety if first else (),
            diagnosis=case.diagnosis if first else "",
            notice=f"{phrases.GATE_NOTICE} {title}.",
            lines=phrases.GATE_LINES,
            extras=self._gate_extras(target, case, action),
            offers=(
                self._offer("I have a backup: continue", go, "danger"),
                self._offer("I can't back up: what are my options?", target.but("no_backup", then=target.verb)),
                self._offer("Take it to repair", target.but("repair")),
            ),
            severity="warning",
            answer_id=case.answer_id,
        )

    def _gate_extras(self, target: ButtonState, case: _Case, action: Action) -> tuple[str, ...]:
        """After the three lines: the iOS a restore installs; before DFU, that Update comes first if untried."""
        extras = [phrases.GATE_NEWEST_IOS] if action in RESTORES else []
        if action == "dfu_restore" and _update_rung_left(target, case) is not None:
            extras.append(phrases.GATE_DFU_LAST)
        return tuple(extras)

    def _no_backup(self, state: ButtonState, case: _Case) -> View:
        target = state.but(state.then or "step", then=None, gate_passed=True, has_backup=False, no_backup=True)
        return View(
            "no_backup_options",
            headline=case.headline(),
            notice=phrases.NO_BACKUP_NOTICE,
            lines=self._no_backup_lines(state, case),
            offers=(
                *self._try_update_offer(state, case),
                self._offer("Erase anyway: I accept losing the data", target, "danger"),
                self._offer("Take it to repair", state.but("repair", then=None, no_backup=True)),
                self._offer("Ask a helper", state.but("helper", then=None, no_backup=True)),
            ),
            severity="warning",
            answer_id=case.answer_id,
        )

    def _no_backup_lines(self, state: ButtonState, case: _Case) -> tuple[str, ...]:
        """What someone without a backup can still do, for the step the gate stopped."""
        if "passcode_reset" in case.ladder:
            return phrases.NO_BACKUP_LOCKED
        if _in_a_mode(state, case):  # it can't start up to be backed up: say so instead of "back it up now"
            if_it_starts = phrases.BACKUP_IN_RECOVERY
        elif self._icloud_backup(case):
            if_it_starts = phrases.NO_BACKUP_IF_IT_STARTS
        else:
            if_it_starts = phrases.NO_BACKUP_IF_IT_STARTS_NO_ICLOUD
        update_left = _update_rung_left(state, case) is not None
        return (if_it_starts, *((phrases.NO_BACKUP_TRY_UPDATE,) if update_left else ()), phrases.NO_BACKUP_REPAIR)

    def _try_update_offer(self, state: ButtonState, case: _Case) -> tuple[Offer, ...]:
        """Back to the Update rung when it was skipped (All steps, a how-to DFU): it tries to keep the data (a5)."""
        update = _update_rung_left(state, case)
        if update is None:
            return ()
        target = state.but("step", step=update, then=None, gate_passed=False, has_backup=False, no_backup=True)
        return (self._offer(phrases.TRY_UPDATE, target, "primary"),)

    def _repair_card(self, case: _Case) -> StepCard:
        """The repair step: its own rung when the ladder has one, else one past the end."""
        step = self.triage.ladder_step("repair", None)
        index = case.ladder.index("repair") if "repair" in case.ladder else len(case.ladder)
        return self._card(step, index, max(len(case.ladder), index + 1), compact=False)

    def _repair(self, state: ButtonState, case: _Case) -> View:
        return View(
            "repair",
            headline=case.headline(),
            step=self._repair_card(case),
            offers=(self._offer("Ask a helper", state.but("helper")),),
            answer_id=case.answer_id,
        )

    # --- outcomes (write first, then confirm) -------------------------------------------------------------------

    async def _record(self, state: ButtonState, case: _Case, actor: Actor, kind: OutcomeKind) -> bool:
        """Write the outcome; False when the store failed. Nothing is written without a store."""
        if self.store is None:
            return True
        action = case.ladder[state.step] if state.step < len(case.ladder) else "none"
        outcome = Outcome(
            answer_id=state.answer_id,
            platform=actor.platform,
            user_id=actor.user_id,
            kind=kind,
            symptom_id=case.symptom_id,
            family=case.family_key,
            step=state.step,
            action=action,
        )
        try:
            await self.store.record_outcome(outcome)
        except Exception:  # a full disk, a locked database: say so instead of confirming
            log.warning("could not record a %s outcome for answer %s", kind, state.answer_id, exc_info=True)
            return False
        return True

    async def _worked(self, state: ButtonState, case: _Case, actor: Actor) -> View:
        if not await self._record(state, case, actor, "worked"):
            return self._not_saved(state)
        title = self.triage.ladder_step(case.ladder[state.step], None).title if case.ladder else "the steps above"
        return View(
            "solved",
            headline=f"Solved · {case.headline()}",
            notice=phrases.SOLVED_NOTICE.format(step=title),
            delivery="edit",
            answer_id=case.answer_id,
        )

    async def _dismiss(self, state: ButtonState, case: _Case, actor: Actor) -> View:
        if not await self._record(state, case, actor, "not_helpful"):
            return self._not_saved(state)
        return View("dismissed", notice="Thanks: I removed my answer.", delivery="edit", answer_id=case.answer_id)

    async def _remember(self, state: ButtonState, case: _Case, actor: Actor) -> View:
        if case.model is None:
            return View("info", notice="I don't know which model to remember yet.", delivery="private")
        if self.store is None:
            return View("info", notice="I can't remember models here: there is no storage.", delivery="private")
        try:
            await self.store.remember_model(actor.platform, actor.user_id, case.model.id)
        except Exception:
            log.warning("could not remember a model for answer %s", state.answer_id, exc_info=True)
            return self._not_saved(state)
        return View(
            "info",
            notice=f"I'll assume your iPhone is an {case.model.name} from now on. /forget deletes this.",
            delivery="private",
            answer_id=case.answer_id,
        )

    def _not_saved(self, state: ButtonState) -> View:
        return View(
            "not_saved",
            notice=phrases.NOT_SAVED,
            offers=(self._offer("Try again", state),),
            delivery="private",
            answer_id=state.answer_id,
            saved=False,
        )

    async def _remembered(self, actor: Actor) -> str | None:
        if self.store is None:
            return None
        try:
            remembered = await self.store.remembered_model(actor.platform, actor.user_id)
        except Exception:  # answering matters more than the remembered model
            log.warning("could not read a remembered model", exc_info=True)
            return None
        return remembered if remembered and self.triage.model(remembered) else None

    # --- asking for the model -----------------------------------------------------------------------------------

    def _needs_buttons(self, case: _Case) -> bool:
        """Whether the steps depend on the model: not for repair-only (damage) ladders."""
        return any(action != "repair" for action in case.ladder)

    def _ask_family(self, state: ButtonState, case: _Case) -> View:
        base = state.but("family", model_id="", step=0)
        offers = tuple(
            self._offer(label, base.but("family", family=family)) for family, label in phrases.FAMILY_LABELS.items()
        )
        return View(
            "ask_family",
            headline=_question_headline(case),
            safety=case.safety,
            diagnosis=case.diagnosis,
            lines=phrases.ASK_FAMILY_LINES,
            offers=offers,
            severity=case.severity,
            answer_id=case.answer_id,
            context=pack(base.but("model")),
        )

    def _ask_model(self, state: ButtonState, case: _Case, candidates: tuple[ModelRef, ...], question: str) -> View:
        base = state.but("model", model_id="", family=None, step=0)
        offers = tuple(self._offer(m.name, base.but("model", model_id=m.id)) for m in candidates)
        return View(
            "ask_model",
            headline=_question_headline(case),
            safety=case.safety,
            diagnosis=case.diagnosis,
            lines=(question,) if question else ("Which one is it?",),
            offers=offers,
            severity=case.severity,
            answer_id=case.answer_id,
            context=pack(base),
        )

    def _picked(self, state: ButtonState, case: _Case) -> View:
        if state.verb == "model" and self.triage.model(state.model_id) is None:
            return replace(self._ask_family(state, case), notice=phrases.DIDNT_CATCH)
        if state.then == "procedure":  # /steps asked for the buttons first
            return replace(self._procedure(state.but("procedure", then=None), case), delivery="edit")
        fresh = state.but("step", step=0, tried=0, gate_passed=False, has_backup=False, no_backup=False)
        view = self._first_rung(fresh, case)
        if state.verb == "model" and view.kind == "answer":  # offered once, right after the person named the model
            view = replace(view, offers=(*view.offers, self._offer("Remember my model", fresh.but("remember"))))
        return replace(view, delivery="edit")

    async def _read_model(self, text: str) -> tuple[str, tuple[ModelRef, ...]]:
        """A model named in a short typed reply ("it's a 7", "se 2", "12 pro max"), or SE-like candidates."""
        text = text.strip()[:200]
        for candidate in (text, f"iphone {text}", f"iphone {_last_token(text)}"):
            mention = self.triage.matcher.analyse(candidate).model
            if mention.model_id and self.triage.model(mention.model_id):
                return mention.model_id, ()
            refs = tuple(ref for ref in map(self.triage.model, mention.candidates) if ref is not None)
            if refs:
                return "", refs
        return "", ()

    # --- on demand ----------------------------------------------------------------------------------------------

    def _all_steps(self, state: ButtonState, case: _Case) -> View:
        erasing = next((a for a in case.ladder if a in ERASING), None)
        if erasing is not None and not state.gate_passed and not case.damage:
            return self._gate(state.but("all"), case, erasing)
        model_id = self._steps_model(case)
        sections: list[Section] = []
        if case.safety:
            sections.append(Section("safety", "Safety first", case.safety))
        if self._advice(case):
            sections.append(Section("before", "Before you start", self._advice(case)))
        if erasing is not None:
            risks = self.triage.knowledge.risks.risks
            sections.append(Section("risks", "Risks", tuple(risks[k].text for k in ERASE_RISKS if k in risks)))
        for number, action in enumerate(case.ladder, start=1):
            step = self.triage.ladder_step(action, model_id)
            sections.append(Section(f"step{number}", step_heading(step, number), step_lines(step)))
        return View(
            "all_steps",
            headline=case.headline(),
            details=tuple(sections),
            offers=self._ladder_offers(state, case, min(state.step, max(len(case.ladder) - 1, 0)), first=False)
            if case.ladder
            else (),
            severity=case.severity,
            answer_id=case.answer_id,
        )

    def _details(self, state: ButtonState, case: _Case) -> View:
        if not case.ladder:
            return View("details", headline=case.headline(), answer_id=case.answer_id)
        step = self.triage.ladder_step(case.ladder[state.step], self._steps_model(case))
        return View(
            "details",
            headline=case.headline(),
            details=self._step_details(step, state.step),
            answer_id=case.answer_id,
        )

    def _procedure(self, state: ButtonState, case: _Case) -> View:
        procedure_id = state.procedure or "force_restart"
        if procedure_id == "dfu_mode" and not state.gate_passed:  # DFU mode is only ever used to restore (erase)
            return self._gate(state, case, "dfu_restore")
        model_id = self._steps_model(case)
        procedure = self.triage.procedure(model_id, procedure_id) if model_id else None
        if procedure is None:
            if model_id:
                return View("info", headline=case.headline(), notice=phrases.UNCONFIRMED)
            return self._ask_family(state.but("procedure", then="procedure"), case)
        risk = {"recovery_mode": phrases.RISK_UPDATE_NOT_RESTORE, "dfu_mode": phrases.RISK_DFU}.get(procedure_id, "")
        subject = case.model.name if case.model else phrases.FAMILY_NAMES[case.family] if case.family else "iPhone"
        details = (
            Section("cues", "If something else happens", procedure.failure_cues),
            Section("notes", "Good to know", procedure.notes),
        )
        return View(
            "procedure",
            headline=f"{subject}: {procedure.title}",
            step=StepCard(1, 1, procedure.title, "none", procedure.steps, procedure.success, procedure.warnings),
            risk=risk,
            details=tuple(section for section in details if section.lines),
            answer_id=case.answer_id,
        )

    # --- handoff ------------------------------------------------------------------------------------------------

    def _handoff(self, state: ButtonState, case: _Case) -> Handoff:
        tried = [
            TriedStep(self.triage.ladder_step(case.ladder[i], None).title, "didn't work")
            for i in state.tried_steps()
            if i < len(case.ladder)
        ]
        if case.ladder and not state.tried >> state.step & 1:
            tried.append(TriedStep(self.triage.ladder_step(case.ladder[state.step], None).title, "current"))
        backup: BackupState = "yes" if state.has_backup else ("no" if state.no_backup else "unknown")
        if case.model is not None:
            model = case.model.name
        elif case.family is not None:
            model = phrases.FAMILY_NAMES[case.family]
        else:
            model = "model not known"
        return Handoff(
            model=model,
            probably=case.diagnosis,
            tried=tuple(tried),
            error_codes=case.error_codes,
            damage=case.damage,
            backup=backup,
        )

    def _handoff_view(self, state: ButtonState, case: _Case, notice: str) -> View:
        """The helper summary and the repair step; nothing more to press (a helper takes it from here)."""
        return View(
            "handoff",
            headline=case.headline(),
            notice=notice,
            step=self._repair_card(case),
            handoff=self._handoff(state, case),
            severity=case.severity,
            answer_id=case.answer_id,
        )

    # --- other answers ------------------------------------------------------------------------------------------

    def _ask_symptom(self, state: ButtonState, case: _Case, answer: TriageAnswer) -> View:
        """A clarifying question: the candidate problems as offers; a typed reply asks again with more words."""
        choices = _clarify_choices(answer)
        offers = tuple(
            self._offer(label, state.but("symptom", symptom_id=symptom_id, ladder=(), step=0))
            for symptom_id, label in choices[:4]
            if symptom_id in self._symptoms
        )
        lines = tuple(line for line in answer.notes if not _NUMBERED.match(line))[:2]
        return View(
            "ask_symptom",
            headline=answer.headline,
            safety=answer.safety,
            diagnosis=_first_sentence(answer.diagnosis),
            lines=lines,
            offers=offers,
            severity=answer.severity,
            answer_id=answer.answer_id,
            context=pack(ButtonState("symptom", answer_id=answer.answer_id, model_id=state.model_id)),
        )

    @staticmethod
    def _info(answer: TriageAnswer) -> View:
        """Any status without a ladder to walk (off topic, thanks, another device, ...): passed through.

        Its diagnosis is the answer itself here (not "what it probably is"), so it is shown whole, as a line.
        """
        return View(
            "info",
            headline=answer.headline,
            safety=answer.safety,
            lines=tuple(line for line in (answer.diagnosis, *answer.notes[:3]) if line),
            severity=answer.severity,
            answer_id=answer.answer_id,
        )

    # --- building blocks ----------------------------------------------------------------------------------------

    def _offer(self, label: str, state: ButtonState, style: OfferStyle = "secondary") -> Offer:
        return Offer(label, pack(state), state.verb, style)

    def _card(self, step: LadderStep, index: int, total: int, *, compact: bool, layout_known: bool = True) -> StepCard:
        lines = [line for line in step.instructions if not line.startswith(_CUE)]
        action = self.triage.knowledge.actions.actions.get(step.action)
        computer = tuple(action.computer_steps) if action is not None else ()
        # After computer steps, what to see is the action's end result, not the button procedure's screen.
        expect = action.expect if action is not None and computer else step.expect
        if compact and computer:
            # A first reply gets the way into the mode and what it looks like; the risk line says what to choose
            # on the computer, and the computer steps are in the details.
            entry_check = next((line for line in lines if line.startswith(_CHECK)), "")
            lines = [line for line in lines if line not in computer and not line.startswith(_CHECK)]
            expect = entry_check.removeprefix(_CHECK) or expect
        return StepCard(
            number=index + 1,
            total=total,
            title=step.title,
            data_risk=step.data_risk,
            lines=_merge_lines([_without_os_remarks(line) for line in lines], MAX_CARD_LINES)
            if compact
            else tuple(lines),
            expect=_without_os_remarks(_first_sentence(expect)) if compact else expect,
            warnings=self._card_warnings(step, compact=compact, layout_known=layout_known),
            risk_label=step.risk_label or RISK_BADGES[step.data_risk],
        )

    @staticmethod
    def _card_warnings(step: LadderStep, *, compact: bool, layout_known: bool) -> tuple[str, ...]:
        """The warning shown before a step: the Emergency SOS one if any, else (layout unknown) the first one.

        Once the model or its button layout is known, the identification warnings ("only the first SE uses
        these steps") repeat what the person just told us: they stay in the details, with all the others.
        A first reply shortens the warning to its lead sentence(s).
        """
        warnings = step.warnings
        danger = next((w for w in warnings if phrases.DANGER_WARNING in w), None)
        if danger is not None:  # what these steps are for; with the layout unknown, also what they set off
            return (_sentences(danger, 1 if layout_known else 2) if compact else danger,)
        if warnings and not layout_known:
            return (_sentences(warnings[0], 1) if compact else warnings[0],)
        return ()

    def _step_details(self, step: LadderStep, index: int) -> tuple[Section, ...]:
        cues = tuple(line for line in step.instructions if line.startswith("If instead:"))
        sections = [Section(f"step{index + 1}", step_heading(step, index + 1), step_lines(step))]
        if step.warnings:
            sections.insert(0, Section("warnings", "Watch out", step.warnings))
        if cues:
            sections.append(Section("cues", "If something else happens", cues))
        return tuple(sections)

    def _risk_line(self, case: _Case, index: int) -> str:
        if case.damage:
            return phrases.RISK_DAMAGED
        action = case.ladder[index]
        later = case.ladder[index + 1 :]
        if action == "passcode_reset":
            return phrases.RISK_PASSCODE
        if action in ERASING:
            return phrases.RISK_ERASES
        if action == "recovery_update":
            return phrases.RISK_UPDATE_NOT_RESTORE
        if action == "force_restart":
            return phrases.RISK_LATER_RESTORE if any(a in ERASING for a in later) else phrases.RISK_FORCE_RESTART
        return ""

    def _backup_line(self, state: ButtonState, case: _Case, index: int) -> str:
        """One backup line when this or a later step can lose data (knowledge: data_risk), else none."""
        if case.damage:  # the damage kind's own advice; none when unknown (plugging in may be what hurts it)
            return _first_sentence(case.damage_backup) if case.damage_backup else ""
        actions = self.triage.knowledge.actions.actions
        risky = {a for a in case.ladder[index:] if actions[a].data_risk != "none"}
        if state.has_backup or not risky:
            return ""
        if risky == {SOFTWARE_END}:
            return phrases.BACKUP_REPAIR
        return phrases.BACKUP_IN_RECOVERY if _in_a_mode(state, case) else phrases.BACKUP_LINE

    def _unconfirmed_buttons(self, case: _Case, index: int) -> bool:
        """A model whose button method no source confirms (e.g. an unreleased one), on a rung that needs buttons."""
        uses_buttons = self.triage.knowledge.actions.actions[case.ladder[index]].uses_procedure is not None
        return case.model is not None and case.model.family is None and uses_buttons

    def _notice(self, case: _Case, index: int, *, first: bool) -> str:
        """A line before the step: the passcode reset's way without a computer, or what to try before the ladder."""
        if case.ladder[index] == "passcode_reset":
            return phrases.PASSCODE_NO_COMPUTER
        symptom = self._symptoms.get(case.symptom_id)
        if first and not case.damage and symptom is not None and symptom.id in TRY_FIRST and symptom.before_you_start:
            return _first_sentence(symptom.before_you_start[0])
        return ""

    def _error_line(self, case: _Case) -> str:
        """What the first error number usually means (errors.yaml), for the first reply; "" when none is known.

        Not for a damaged phone: there the damage is what it probably is (a dropped iPhone 7 failing with 4013
        points to the board, p19).
        """
        known = self._errors.get(case.error_codes[0]) if case.error_codes and not case.damage else None
        if known is None:
            return ""
        code, meaning = case.error_codes[0], known.meaning
        if "usually" in meaning or not known.sources:  # it says how sure it is itself (or that nobody knows)
            return phrases.ERROR_NO_MEANING.format(code=code, meaning=meaning)
        first_word = meaning.split(" ", 1)[0]
        lowered = meaning if first_word.isupper() and len(first_word) > 1 else meaning[:1].lower() + meaning[1:]
        return phrases.ERROR_MEANING.format(code=code, meaning=lowered)

    def _home_button_unused(self, case: _Case, index: int) -> bool:
        """A modern-family phone with a Home button (iPhone 8, SE 2nd/3rd gen) on a rung that uses the buttons."""
        model = self._model_defs.get(case.model.id) if case.model is not None else None
        uses_buttons = self.triage.knowledge.actions.actions[case.ladder[index]].uses_procedure is not None
        return model is not None and model.family == "modern" and model.home_button != "none" and uses_buttons

    def _icloud_backup(self, case: _Case) -> bool:
        """False for the models without iCloud Backup (original iPhone, 3G): offer a computer backup only."""
        model = self._model_defs.get(case.model.id) if case.model is not None else None
        return model is None or model.icloud_backup

    def _advice(self, case: _Case) -> tuple[str, ...]:
        """What to do now besides the ladder: the damage advice, else the symptom's before-you-start lines."""
        if case.damage:
            return case.damage_advice
        symptom = self._symptoms.get(case.symptom_id)
        return tuple(symptom.before_you_start) if symptom else ()

    def _steps_model(self, case: _Case) -> str | None:
        """The model whose button steps to show: the model, else a verified model of the chosen layout."""
        if case.model is not None:
            return case.model.id
        if case.family is None:
            return None
        return next((m.id for m in self.triage.models() if m.family == case.family and m.verified), None)

    def _howto_procedure(self, answer: TriageAnswer) -> ProcedureId | None:
        """Which procedure a how-to question asked for, from its ladder (when no model was named)."""
        if answer.top_symptom != _HOWTO_SYMPTOM:
            return None
        actions = tuple(step.action for step in answer.ladder)
        by_ladder = next((p for p, ladder in HOWTO_LADDERS.items() if ladder == actions and len(ladder) > 1), None)
        if by_ladder is not None:
            return by_ladder
        # Leaving recovery, leaving DFU and a force restart share one rung: the answer's headline names which.
        for exit_id in EXIT_PROCEDURES:
            if exit_id is not None and answer.headline.startswith(self.triage.replies[exit_id].headline):
                return exit_id
        return "force_restart" if actions == HOWTO_LADDERS["force_restart"] else None

    # --- cases --------------------------------------------------------------------------------------------------

    @staticmethod
    def _diagnosis(symptom_id: str, diagnosis: str) -> str:
        """What it probably is; a how-to question is no fault, so it has none ("you asked for the steps")."""
        return "" if symptom_id == _HOWTO_SYMPTOM else diagnosis

    def _subject(self, symptom_id: str, name: str, procedure: ProcedureId | None) -> str:
        """What the conversation is about, for the headline: a how-to question names the procedure asked for."""
        if symptom_id == _HOWTO_SYMPTOM and procedure is not None:
            return self.triage.knowledge.families["modern"].procedures[procedure].title
        return name

    def _case_from_answer(self, answer: TriageAnswer, procedure: ProcedureId | None = None) -> _Case:
        symptom_id = answer.top_symptom or ""
        damage_names = self.triage.damage_names(answer.damage_kinds)
        # A broken button is not physical damage (answer.damage) but is handled like it: repair only, its advice.
        damaged = bool(answer.damage_kinds)
        return _Case(
            answer_id=answer.answer_id,
            symptom_id=symptom_id,
            symptom_name=self._subject(symptom_id, answer.symptoms[0].name if answer.symptoms else "", procedure),
            diagnosis=self._diagnosis(symptom_id, _short_diagnosis(answer.diagnosis) or phrases.GENERAL_DIAGNOSIS),
            model=answer.model,
            family=answer.model.family if answer.model else None,
            ladder=tuple(step.action for step in answer.ladder if step.action != "none"),
            damage=damaged,
            error_codes=tuple(e.code for e in answer.error_codes),
            safety=answer.safety,
            damage_names=damage_names,
            damage_backup=answer.backup_reminder or "" if damaged else "",
            damage_advice=answer.before_you_start if damaged else (),
            severity=answer.severity,
        )

    def _case(self, state: ButtonState) -> _Case:
        """The conversation a state belongs to: the cached first answer if this process made it, else the state."""
        model = self.triage.model(state.model_id) if state.model_id else None
        family = model.family if model else state.family
        cached = self._cache.get(state.answer_id) if state.answer_id else None
        if cached is not None and cached.symptom_id != state.symptom_id:
            cached = None
        ladder = state.ladder or self._ladder_for(state)
        if cached is not None:
            return replace(cached, model=model, family=family, ladder=ladder)
        symptom = self._symptoms.get(state.symptom_id)
        name = self._subject(state.symptom_id, symptom.name if symptom else "", state.procedure)
        diagnosis = (
            phrases.DAMAGE_DIAGNOSIS
            if state.damage
            else (_short_diagnosis(symptom.diagnosis) if symptom else phrases.GENERAL_DIAGNOSIS)
        )
        return _Case(
            answer_id=state.answer_id,
            symptom_id=state.symptom_id,
            symptom_name=name,
            diagnosis=self._diagnosis(state.symptom_id, diagnosis),
            model=model,
            family=family,
            ladder=ladder,
            damage=state.damage,
            error_codes=(state.error_code,) if state.error_code else (),
            severity="danger" if state.damage else "info",
        )

    def _ladder_for(self, state: ButtonState) -> tuple[Action, ...]:
        """The ladder of a state that carries none (legacy buttons, a newly picked symptom)."""
        if state.damage:
            return ("repair",)
        symptom = self._symptoms.get(state.symptom_id)
        return tuple(symptom.ladder) if symptom else GENERAL_LADDER

    def _remember_case(self, case: _Case) -> None:
        if not case.answer_id:
            return
        self._cache[case.answer_id] = case
        self._cache.move_to_end(case.answer_id)
        while len(self._cache) > self.CACHE_SIZE:
            self._cache.popitem(last=False)


def worth_an_unprompted_answer(answer: TriageAnswer, min_confidence: float) -> bool:
    """Whether auto mode answers a message nobody addressed to the bot (the one rule for every platform).

    Confident answers, with or without a named model (the bot then asks for it), and every damage or
    danger answer however unsure the symptom is: a smoking or swollen phone needs its warning even when
    the rest of the message is vague. Never off-topic chatter, thanks or questions about other things.
    """
    if answer.status == "off_topic":
        return False
    if answer.damage_kinds or answer.severity == "danger":  # a broken button too: it is repair-only
        return True
    return answer.status in ("answered", "needs_model") and answer.confidence >= min_confidence


def question_token(tokens: Iterable[str]) -> str | None:
    """Among a message's button tokens, the one a typed reply to it answers with (``Conversation.reply_text``).

    None when the message asks nothing (an answer, a step). Questions are the model or layout question and the
    "which problem?" question; adapters use this instead of looking at verbs themselves.
    """
    for token in tokens:
        state = unpack(token)
        if state is not None and state.verb in QUESTION_VERBS:
            return token
    return None


def _clarify_choices(answer: TriageAnswer) -> tuple[tuple[str, str], ...]:
    """(symptom id, label) pairs a clarifying answer offers: its ``choices``, else its ranked symptoms."""
    choices = getattr(answer, "choices", ())  # added to TriageAnswer by the classifier work; older answers lack it
    pairs = tuple((str(c.id), str(c.label)) for c in choices)
    ranked = answer.symptoms if len(answer.symptoms) > 1 else ()
    return pairs or tuple((m.id, m.name) for m in ranked)


def _in_a_mode(state: ButtonState, case: _Case) -> bool:
    """The phone is in recovery or DFU mode now (stuck there, or asked how to leave it): no backup can be made."""
    return case.symptom_id in IN_RECOVERY or (case.symptom_id == _HOWTO_SYMPTOM and state.procedure in EXIT_PROCEDURES)


def _update_rung_left(state: ButtonState, case: _Case) -> int | None:
    """The index of the recovery-mode Update rung when it is in the ladder and was not tried yet."""
    if "recovery_update" not in case.ladder:
        return None
    tried = {case.ladder[i] for i in state.tried_steps() if i < len(case.ladder)}
    return None if "recovery_update" in tried else case.ladder.index("recovery_update")


def _question_headline(case: _Case) -> str:
    subject = case.symptom_name or "iPhone trouble"
    return f"{subject}. Which iPhone is it?"


def _first_sentence(text: str) -> str:
    match = re.match(r"(.+?[.!?])(\s|$)", text.strip())
    return match.group(1) if match else text.strip()


def _short_diagnosis(text: str) -> str:
    """What it probably is, in one short line: the first sentence, cut at a colon or bracket if long."""
    sentence = _first_sentence(text)
    if len(sentence) <= MAX_DIAGNOSIS:
        return sentence
    head = re.split(r"[:;(]", sentence, maxsplit=1)[0].rstrip(" ,")
    return f"{head}." if 20 <= len(head) < len(sentence) else sentence


def _without_os_remarks(line: str) -> str:
    """A first reply drops bracketed OS-version remarks ("(Mac with macOS 10.15 or later)"); details keep them.

    Only remarks naming an operating system go: a bracket that names a button ("the Side button on iPhone 6s")
    stays, because it tells the person which button to press.
    """
    return _OS_REMARK.sub("", line)


def _sentences(text: str, count: int) -> str:
    parts = re.split(r"(?<=[.!?])\s+", text.strip())
    return " ".join(parts[:count])


def _last_token(text: str) -> str:
    words = re.findall(r"[a-z0-9+]+", text.casefold())
    return words[-1] if words else ""


def _family_from_words(text: str) -> Family | None:
    lowered = text.casefold()
    return next((family for family, pattern in _FAMILY_WORDS if pattern.search(lowered)), None)


def _merge_lines(lines: list[str], limit: int) -> tuple[str, ...]:
    """At most ``limit`` lines: join the shortest neighbouring pair until it fits (no step is dropped)."""
    merged = list(lines)
    while len(merged) > limit:
        pair = min(range(len(merged) - 1), key=lambda i: len(merged[i]) + len(merged[i + 1]))
        merged[pair : pair + 2] = [f"{merged[pair]} {merged[pair + 1]}"]
    return tuple(merged)

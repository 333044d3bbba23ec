"""The values that cross the boundary between the triage core and the adapters.

Everything here is a frozen dataclass built from plain Python types: no platform
objects go in, nothing but values comes out. Adapters render a ``TriageAnswer``;
they never change it.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Literal

Family = Literal["home", "volume-down", "modern"]
DataRisk = Literal["none", "may_erase", "erases"]
# What kind of answer this is. Adapters render every status through headline, diagnosis and notes:
# - answered: a symptom and a model, with the ladder; needs_model: the same, asking which iPhone (model_question);
# - clarify: no confident symptom or two close ones: the question is the headline, ``choices`` the candidate
#   symptoms (send one back as TriageRequest.symptom_id); no ladder;
# - closed: thanks or "it works now": acknowledged, nothing to do;
# - info: a question about updating, backing up or moving data: a short safe answer, no ladder;
# - other_device: an iPad, iPod or Android phone: the bot only knows iPhones, no steps;
# - off_topic: not about a phone problem.
Status = Literal["answered", "needs_model", "clarify", "closed", "info", "other_device", "off_topic"]
Severity = Literal["info", "warning", "danger"]
# Ladder actions, least destructive first. `passcode_reset` is the erase path for
# a forgotten passcode, `none` only ever appears as `first_action` of an empty ladder.
Action = Literal[
    "force_restart",
    "recovery_update",
    "recovery_restore",
    "dfu_restore",
    "repair",
    "passcode_reset",
    "none",
]
ProcedureId = Literal["force_restart", "recovery_mode", "dfu_mode", "exit_dfu", "exit_recovery"]

FAMILIES: tuple[Family, ...] = ("home", "volume-down", "modern")
PROCEDURE_IDS: tuple[ProcedureId, ...] = (
    "force_restart",
    "recovery_mode",
    "dfu_mode",
    "exit_dfu",
    "exit_recovery",
)


@dataclass(frozen=True, slots=True)
class TriageRequest:
    """What an adapter asks the core.

    ``model_id`` (an explicit choice, e.g. from a picker) wins over any model
    named in ``text``. ``symptom_id`` pins the symptom, for button flows that
    continue an earlier answer.
    """

    text: str
    model_id: str | None = None
    symptom_id: str | None = None


@dataclass(frozen=True, slots=True)
class ModelRef:
    """An iPhone model as users see it."""

    id: str
    name: str
    family: Family | None  # None only for models whose button method is unverified
    year: int
    verified: bool = True

    def to_json(self) -> dict[str, Any]:
        return {"id": self.id, "name": self.name, "family": self.family}


@dataclass(frozen=True, slots=True)
class Procedure:
    """One button procedure (force restart, recovery, DFU, ...) for one family."""

    id: ProcedureId
    family: Family
    title: str
    steps: tuple[str, ...]
    success: str
    failure_cues: tuple[str, ...]
    notes: tuple[str, ...]
    sources: tuple[str, ...]
    # The family's safety warnings (e.g. "Side + Volume Down is Emergency SOS on iPhone 8 and later"):
    # renderers show them before the steps.
    warnings: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class LadderStep:
    """One rung of the escalation ladder, with what it does to the user's data."""

    action: Action
    title: str
    data_risk: DataRisk
    what_it_does: str
    instructions: tuple[str, ...]
    expect: str
    if_it_fails: str
    sources: tuple[str, ...] = ()
    # Button-family warnings for the instructions (each prefixed with its family when the model is unknown):
    # renderers show them before the instructions.
    warnings: tuple[str, ...] = ()
    # What the step does to the data, in the words to show ("tries to keep your data"); empty: derive it.
    risk_label: str = ""

    @property
    def can_erase(self) -> bool:
        return self.data_risk != "none"


@dataclass(frozen=True, slots=True)
class SymptomMatch:
    """A recognised symptom, with what in the text made the core think so."""

    id: str
    name: str
    confidence: float
    matched: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class Choice:
    """One answer to a clarifying question: a symptom id to send back, and how to show it."""

    id: str
    label: str


@dataclass(frozen=True, slots=True)
class ErrorCodeInfo:
    """A restore or update error number and what it usually means."""

    code: int
    meaning: str
    advice: str
    likely_hardware: bool
    sources: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class TriageAnswer:
    """The core's whole answer to one request. Adapters render it and send it."""

    status: Status
    severity: Severity
    headline: str
    diagnosis: str
    symptoms: tuple[SymptomMatch, ...]
    model: ModelRef | None
    model_candidates: tuple[ModelRef, ...]
    damage: bool
    damage_kinds: tuple[str, ...]
    safety: tuple[str, ...]
    risks: tuple[str, ...]
    backup_reminder: str | None
    before_you_start: tuple[str, ...]
    ladder: tuple[LadderStep, ...]
    error_codes: tuple[ErrorCodeInfo, ...]
    notes: tuple[str, ...]
    explain: tuple[str, ...]
    text: str
    answer_id: str = ""
    procedures: tuple[Procedure, ...] = field(default=())
    model_question: str | None = None
    # For status "clarify": the candidate symptoms, most likely first.
    choices: tuple[Choice, ...] = ()

    @property
    def confidence(self) -> float:
        return self.symptoms[0].confidence if self.symptoms else 0.0

    @property
    def first_action(self) -> Action:
        return self.ladder[0].action if self.ladder else "none"

    @property
    def top_symptom(self) -> str | None:
        return self.symptoms[0].id if self.symptoms else None

    def to_json(self) -> dict[str, Any]:
        """The stable JSON shape of ``python -m bot triage --json``."""
        return {
            "status": self.status,
            "symptoms": [s.id for s in self.symptoms],
            "confidence": round(self.confidence, 3),
            "model": self.model.to_json() if self.model else None,
            "model_candidates": [m.to_json() for m in self.model_candidates],
            "damage": self.damage,
            "damage_kinds": list(self.damage_kinds),
            "first_action": self.first_action,
            "ladder": [{"action": s.action, "data_risk": s.data_risk, "title": s.title} for s in self.ladder],
            "severity": self.severity,
            "error_codes": [e.code for e in self.error_codes],
            "answer_id": self.answer_id,
            "choices": [c.id for c in self.choices],
            "text": self.text,
        }

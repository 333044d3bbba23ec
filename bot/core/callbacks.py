"""Compact, self-contained button state shared by every adapter.

A button carries everything the conversation needs to resume (which answer, symptom,
model or button family, which ladder and which rung of it, whether the erase gate was
passed, which rungs already failed), so buttons keep working after a restart and any
process can handle a press. ``pack`` fits Telegram's 64-byte ``callback_data`` and
Discord's 100-character ``custom_id``; ``unpack`` returns None for anything else.

Format ``r2`` (ASCII): a fixed 9-character header, then ``|``-separated fields::

    r2 <verb><then><family><step><flags><tried:2 hex> | answer | symptom | model | ladder | error | procedure

``decode`` reads the older ``rv|verb|answer|symptom|model|step`` format, so buttons under
messages sent before the conversation core still work; ``unpack`` reads both, nothing writes the old one.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from typing import Literal

from bot.core.answer import Action, Family, ProcedureId

Verb = Literal[
    "worked",  # It worked: record the outcome of the current rung, then show it solved
    "next",  # Didn't work: record it, then the next rung (through the erase gate if it erases)
    "dfu",  # legacy "Show DFU steps"; handled as the gated DFU procedure
    "model",  # a model was chosen (model_id; for a select menu the value comes with the press)
    "dismiss",  # Not my issue (auto answers)
    "remember",  # remember this model for the user
    "step",  # show rung ``step`` (the erase gate's "continue" points here)
    "all",  # All steps: the full manual (gated when it contains erasing steps)
    "more",  # details of the current rung, on demand
    "not_model",  # Not my model: ask for the button layout again
    "family",  # a button layout was chosen (family)
    "helper",  # Ask a helper: the handoff summary
    "no_backup",  # I can't back up: what are my options?
    "repair",  # Take it to repair
    "procedure",  # one button procedure (``procedure``), e.g. /steps
    "symptom",  # the user picked which problem they meant (symptom_id), after a clarifying question
]

PREFIX = "r2"
LEGACY_PREFIX = "rv"
MAX_BYTES = 64  # Telegram callback_data; Discord's custom_id allows 100 characters
MAX_RUNGS = 8  # the tried-bitmask is two hex digits
_SLUG = re.compile(r"^[a-z0-9][a-z0-9_-]{0,39}$")
_ANSWER_ID = re.compile(r"^[a-z0-9]{0,16}$")
# Adapters that route by pattern (discord.py DynamicItem templates) match tokens with this.
TOKEN_PATTERN = r"r2[a-z][a-z_][hvm_][0-9a-v][0-9a-f][0-9a-f]{2}(\|[^|]*){6}"  # noqa: S105 (not a secret)

_VERB_CODES: dict[Verb, str] = {
    "worked": "w",
    "next": "n",
    "dfu": "d",
    "model": "m",
    "dismiss": "x",
    "remember": "r",
    "step": "s",
    "all": "a",
    "more": "o",
    "not_model": "c",
    "family": "f",
    "helper": "h",
    "no_backup": "b",
    "repair": "p",
    "procedure": "t",
    "symptom": "y",
}
_CODE_VERBS = {code: verb for verb, code in _VERB_CODES.items()}
_FAMILY_CODES: dict[Family, str] = {"home": "h", "volume-down": "v", "modern": "m"}
_CODE_FAMILIES = {code: family for family, code in _FAMILY_CODES.items()}
ACTION_CODES: dict[Action, str] = {
    "force_restart": "f",
    "recovery_update": "u",
    "recovery_restore": "r",
    "dfu_restore": "d",
    "repair": "p",
    "passcode_reset": "c",
}
_CODE_ACTIONS = {code: action for action, code in ACTION_CODES.items()}
_PROCEDURE_CODES: dict[ProcedureId, str] = {
    "force_restart": "f",
    "recovery_mode": "r",
    "dfu_mode": "d",
    "exit_dfu": "x",
    "exit_recovery": "y",
}
_CODE_PROCEDURES = {code: procedure for procedure, code in _PROCEDURE_CODES.items()}
_MODEL_PREFIX = "iphone-"  # every model id starts with it; dropped to save 7 bytes
_FLAG_GATE, _FLAG_BACKUP, _FLAG_DAMAGE, _FLAG_NO_BACKUP = 1, 2, 4, 8


@dataclass(frozen=True, slots=True)
class ButtonState:
    """What a button press means: the verb and everything needed to resume the conversation.

    The first five fields keep their old positions, so ``ButtonState(verb, answer, symptom, model, step)``
    still works. ``ladder`` is the rung actions in order (so "next" resumes the same ladder the first
    answer used: symptom, how-to or damage-only); ``tried`` has bit ``i`` set when rung ``i`` did not work.
    """

    verb: Verb
    answer_id: str = ""
    symptom_id: str = ""
    model_id: str = ""
    step: int = 0
    ladder: tuple[Action, ...] = ()
    family: Family | None = None
    then: Verb | None = None  # where "continue" goes after a gate or an options screen
    gate_passed: bool = False  # the person confirmed the erase gate
    has_backup: bool = False  # ... and said they have a backup
    no_backup: bool = False  # ... or said they can't back up
    damage: bool = False
    tried: int = 0
    error_code: int = 0  # the first error number the person mentioned (0: none)
    procedure: ProcedureId | None = None

    def but(self, verb: Verb, **changes: object) -> ButtonState:
        """The same conversation with another verb (and any other fields changed)."""
        return replace(self, verb=verb, **changes)  # type: ignore[arg-type]

    def tried_steps(self) -> tuple[int, ...]:
        """Indexes of the rungs reported as not working, in ladder order."""
        return tuple(i for i in range(MAX_RUNGS) if self.tried >> i & 1)


def pack(state: ButtonState) -> str:
    """Pack a state into a short ASCII token; raises ValueError if it cannot fit 64 bytes.

    When the token would be too long, the error number is dropped first (it only enriches the
    helper summary); anything else that does not fit is an error.
    """
    _check(state)
    token = _pack(state)
    if len(token) > MAX_BYTES and state.error_code:
        token = _pack(replace(state, error_code=0))
    if len(token) > MAX_BYTES:
        raise ValueError(f"button state is {len(token)} bytes, over {MAX_BYTES}")
    return token


def _check(state: ButtonState) -> None:
    if not _ANSWER_ID.match(state.answer_id):
        raise ValueError(f"answer id {state.answer_id!r} is not a short [a-z0-9] id")
    for name, value in (("symptom", state.symptom_id), ("model", state.model_id)):
        if value and not _SLUG.match(value):
            raise ValueError(f"{name} id {value!r} is not a slug")
    if not 0 <= state.step < MAX_RUNGS or len(state.ladder) > MAX_RUNGS:
        raise ValueError(f"step {state.step} or ladder of {len(state.ladder)} rungs is out of range")
    if not 0 <= state.tried < 1 << MAX_RUNGS or not -99999 <= state.error_code <= 99999:
        raise ValueError("tried mask or error code out of range")


def _pack(state: ButtonState) -> str:
    flags = (
        _FLAG_GATE * state.gate_passed
        + _FLAG_BACKUP * state.has_backup
        + _FLAG_DAMAGE * state.damage
        + _FLAG_NO_BACKUP * state.no_backup
    )
    header = "".join(
        (
            PREFIX,
            _VERB_CODES[state.verb],
            _VERB_CODES[state.then] if state.then else "_",
            _FAMILY_CODES[state.family] if state.family else "_",
            "0123456789abcdefghijklmnopqrstuv"[state.step],
            f"{flags:x}",
            f"{state.tried:02x}",
        )
    )
    model = state.model_id
    model = model.removeprefix(_MODEL_PREFIX) if model.startswith(_MODEL_PREFIX) else (f"={model}" if model else "")
    fields = (
        state.answer_id,
        state.symptom_id,
        model,
        "".join(ACTION_CODES[a] for a in state.ladder),
        str(state.error_code) if state.error_code else "",
        _PROCEDURE_CODES[state.procedure] if state.procedure else "",
    )
    return "|".join((header, *fields))


def unpack(token: object) -> ButtonState | None:
    """Unpack a token (``r2`` or the legacy ``rv`` format); None for anything this bot did not make."""
    if not isinstance(token, str) or len(token) > 100 or not token.isascii():
        return None
    try:
        if token.startswith(f"{LEGACY_PREFIX}|"):
            return decode(token)
        return _unpack(token)
    except (ValueError, KeyError, IndexError):
        return None


def _unpack(token: str) -> ButtonState | None:
    parts = token.split("|")
    header = parts[0]
    if len(parts) != 7 or len(header) != 9 or not header.startswith(PREFIX):
        return None
    verb, then, family = _CODE_VERBS[header[2]], header[3], header[4]
    step, flags, tried = int(header[5], 32), int(header[6], 16), int(header[7:9], 16)
    answer_id, symptom_id, model, ladder, error, procedure = parts[1:]
    model_id = model[1:] if model.startswith("=") else (_MODEL_PREFIX + model if model else "")
    state = ButtonState(
        verb=verb,
        answer_id=answer_id,
        symptom_id=symptom_id,
        model_id=model_id,
        step=step,
        ladder=tuple(_CODE_ACTIONS[code] for code in ladder),
        family=None if family == "_" else _CODE_FAMILIES[family],
        then=None if then == "_" else _CODE_VERBS[then],
        gate_passed=bool(flags & _FLAG_GATE),
        has_backup=bool(flags & _FLAG_BACKUP),
        damage=bool(flags & _FLAG_DAMAGE),
        no_backup=bool(flags & _FLAG_NO_BACKUP),
        tried=tried,
        error_code=int(error) if error else 0,
        procedure=_CODE_PROCEDURES[procedure] if procedure else None,
    )
    _check(state)
    if state.ladder and state.step >= len(state.ladder):
        return None
    return state


# --- the legacy format (rv|verb|answer|symptom|model|step): read for old messages, never written ----------------

_LEGACY_VERBS: tuple[Verb, ...] = ("worked", "next", "dfu", "model", "dismiss", "remember")


def decode(data: str) -> ButtonState | None:
    """Legacy: unpack an ``rv|...`` state from an old message; None for anything this bot did not make."""
    parts = data.split("|")
    if len(parts) != 6 or parts[0] != LEGACY_PREFIX or parts[1] not in _CODE_VERBS:
        return None
    verb = _CODE_VERBS[parts[1]]
    if verb not in _LEGACY_VERBS:
        return None
    try:
        step = int(parts[5])
    except ValueError:
        return None
    if not 0 <= step < 32:
        return None
    return ButtonState(
        verb=verb,
        answer_id=parts[2],
        symptom_id=parts[3],
        model_id=parts[4],
        step=step,
    )

"""Compact button state shared by every adapter.

Buttons carry their whole state (which answer, symptom, model and ladder step)
so they keep working after a restart. The encoding fits Telegram's 64-byte
``callback_data`` and Discord's 100-character ``custom_id``.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

Verb = Literal["worked", "next", "dfu", "model", "dismiss", "remember"]

_PREFIX = "rv"
MAX_BYTES = 64
_VERB_CODES: dict[Verb, str] = {
    "worked": "w",
    "next": "n",
    "dfu": "d",
    "model": "m",
    "dismiss": "x",
    "remember": "r",
}
_CODE_VERBS: dict[str, Verb] = {code: verb for verb, code in _VERB_CODES.items()}


@dataclass(frozen=True, slots=True)
class ButtonState:
    """What a button press means: the verb and the answer it continues."""

    verb: Verb
    answer_id: str = ""
    symptom_id: str = ""
    model_id: str = ""
    step: int = 0


def encode(state: ButtonState) -> str:
    """Pack a state into a short ASCII string; raises ValueError if it cannot fit."""
    parts = (state.answer_id, state.symptom_id, state.model_id)
    if any("|" in part for part in parts):
        raise ValueError("button state fields may not contain '|'")
    data = "|".join((_PREFIX, _VERB_CODES[state.verb], *parts, str(state.step)))
    if len(data.encode()) > MAX_BYTES:
        raise ValueError(f"button state is {len(data.encode())} bytes, over {MAX_BYTES}")
    return data


def decode(data: str) -> ButtonState | None:
    """Unpack a state; returns None for anything this bot did not make."""
    parts = data.split("|")
    if len(parts) != 6 or parts[0] != _PREFIX or parts[1] not in _CODE_VERBS:
        return None
    try:
        step = int(parts[5])
    except ValueError:
        return None
    if not 0 <= step < 32:
        return None
    return ButtonState(
        verb=_CODE_VERBS[parts[1]],
        answer_id=parts[2],
        symptom_id=parts[3],
        model_id=parts[4],
        step=step,
    )

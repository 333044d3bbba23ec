"""Inline keyboards: the model picker and the ladder buttons under each answer.

Every button carries its whole state as ``bot.core.callbacks`` data, which fits
Telegram's 64-byte ``callback_data``. A button whose state can't fit (a very
long symptom or model id) is first tried without the answer id, then left out,
so sending a keyboard never fails.
"""

from __future__ import annotations

from collections.abc import Sequence

from telegram import InlineKeyboardButton, InlineKeyboardMarkup

from bot.core.answer import ModelRef, TriageAnswer
from bot.core.callbacks import ButtonState, Verb, encode

WORKED = "✅ It worked"
NEXT = "❌ Didn't work: next step"
DFU = "Show DFU steps"
NOT_MY_ISSUE = "Not my issue"
PICKER_COLUMNS = 2
MAX_PICKER_MODELS = 24


def button(text: str, state: ButtonState) -> InlineKeyboardButton | None:
    """A callback button, or None when its state can't be encoded in 64 bytes."""
    for candidate in (state, ButtonState(state.verb, "", state.symptom_id, state.model_id, state.step)):
        try:
            return InlineKeyboardButton(text, callback_data=encode(candidate))
        except ValueError:
            continue
    return None


def _rows(buttons: Sequence[InlineKeyboardButton | None], columns: int) -> list[list[InlineKeyboardButton]]:
    kept = [b for b in buttons if b is not None]
    return [kept[i : i + columns] for i in range(0, len(kept), columns)]


def model_picker(
    models: Sequence[ModelRef],
    *,
    verb: Verb = "model",
    answer_id: str = "",
    symptom_id: str = "",
) -> InlineKeyboardMarkup | None:
    """One button per model, two per row. ``verb`` is "model" (answer for it) or "remember"."""
    seen: set[str] = set()
    buttons: list[InlineKeyboardButton | None] = []
    for model in models:
        if model.id in seen:
            continue
        seen.add(model.id)
        buttons.append(button(model.name, ButtonState(verb, answer_id, symptom_id, model.id, 0)))
        if len(seen) >= MAX_PICKER_MODELS:
            break
    rows = _rows(buttons, PICKER_COLUMNS)
    return InlineKeyboardMarkup(rows) if rows else None


def picker_for(answer: TriageAnswer, picker_models: Sequence[ModelRef]) -> InlineKeyboardMarkup | None:
    """The picker for an answer that needs a model: its candidates if it has some, else the short list."""
    models = answer.model_candidates or tuple(picker_models)
    return model_picker(models, verb="model", answer_id=answer.answer_id, symptom_id=answer.top_symptom or "")


def ladder_keyboard(
    *,
    answer_id: str,
    symptom_id: str,
    model_id: str,
    step: int,
    has_next: bool,
    show_dfu: bool,
    dismissable: bool = False,
) -> InlineKeyboardMarkup | None:
    """ "It worked" / "Didn't work: next step" / "Show DFU steps" (and "Not my issue" on auto answers)."""
    state = ButtonState("worked", answer_id, symptom_id, model_id, step)
    first_row = [button(WORKED, state)]
    if has_next:
        first_row.append(button(NEXT, ButtonState("next", answer_id, symptom_id, model_id, step)))
    second_row: list[InlineKeyboardButton | None] = []
    if show_dfu and model_id:
        second_row.append(button(DFU, ButtonState("dfu", answer_id, symptom_id, model_id, step)))
    if dismissable:
        second_row.append(button(NOT_MY_ISSUE, ButtonState("dismiss", answer_id, symptom_id, model_id, step)))
    rows = [row for row in (_rows(first_row, 2), _rows(second_row, 2)) if row]
    flat = [r for group in rows for r in group]
    return InlineKeyboardMarkup(flat) if flat else None


def answer_keyboard(answer: TriageAnswer, *, dismissable: bool = False) -> InlineKeyboardMarkup | None:
    """The buttons under a full answer: the user is on the first rung of the ladder."""
    if answer.status != "answered" or not answer.ladder or answer.top_symptom is None:
        return None
    return ladder_keyboard(
        answer_id=answer.answer_id,
        symptom_id=answer.top_symptom,
        model_id=answer.model.id if answer.model else "",
        step=0,
        has_next=len(answer.ladder) > 1,
        show_dfu=any(step.action == "dfu_restore" for step in answer.ladder),
        dismissable=dismissable,
    )

"""The first reply fits one phone screen: every symptom x button family x status, core view and console."""

from __future__ import annotations

import asyncio
import itertools

import pytest

from bot.adapters.console import render_view, view_body
from bot.core.answer import FAMILIES, TriageRequest
from bot.core.conversation import Conversation
from bot.core.triage import Triage
from bot.core.views import View
from tests.core.conversation_helpers import ASKER

MAX_CONSOLE_LINES = 25
MAX_STEP_LINES = 5
# The core's own budget for the visible text of a first reply: Telegram's 900 characters (the adapters test
# their own limits with their labels: Telegram 900, Discord 1,200 of embed text).
MAX_CORE_CHARS = 900
# How each combination is asked: a model of that family, or none (the bot asks for the button layout).
MODEL_OF_FAMILY = {"home": "iphone-6s", "volume-down": "iphone-7-plus", "modern": "iphone-13-pro", None: None}
EXTRAS = {"plain": "", "damaged": " and it got soaked in the rain"}
HOWTO_QUESTIONS = (
    "how do i force restart it",
    "how do i put it into recovery mode",
    "how do i put it in dfu mode",
    "how do i get it out of recovery mode",
    "how do i get it out of dfu mode",
)


def _first_replies(triage: Triage) -> list[tuple[str, View]]:
    """The first reply for each combination; when the bot asks for the layout, the reply after choosing it."""
    conv = Conversation(triage)

    async def collect() -> list[tuple[str, View]]:
        out: list[tuple[str, View]] = []
        symptoms = list(triage.knowledge.symptoms.symptoms)
        for symptom, family, extra in itertools.product(symptoms, [*FAMILIES, None], EXTRAS):
            text = f"{symptom.name}{EXTRAS[extra]}"
            request = TriageRequest(text, model_id=MODEL_OF_FAMILY[family], symptom_id=symptom.id)
            view = await conv.start(request, ASKER)
            label = f"{symptom.id}/{family}/{extra}"
            out.append((f"{label}/{view.status}", view))
            if view.kind == "ask_family":
                for choice in view.offers:
                    out.append((f"{label}/{choice.label}", await conv.press(choice.token, ASKER)))
        for (family, model), question in itertools.product(MODEL_OF_FAMILY.items(), HOWTO_QUESTIONS):
            view = await conv.start(TriageRequest(question, model_id=model), ASKER)
            out.append((f"howto/{family}/{question}/{view.status}", view))
            if view.kind == "ask_family":  # the reply after choosing the layout is the first answer
                for choice in view.offers:
                    out.append((f"howto/{family}/{question}/{choice.label}", await conv.press(choice.token, ASKER)))
        for text in ("hello, who are you?", "thanks, that fixed it!", "my ipad won't charge"):
            view = await conv.start(TriageRequest(text), ASKER)
            out.append((f"{text}/{view.status}", view))
        return out

    return asyncio.run(collect())


@pytest.fixture(scope="module")
def first_replies(triage: Triage) -> list[tuple[str, View]]:
    return _first_replies(triage)


def test_the_combinations_cover_answers_gates_questions_and_info(first_replies: list[tuple[str, View]]) -> None:
    kinds = {view.kind for _, view in first_replies}
    assert {"answer", "erase_gate", "ask_family", "info"} <= kinds
    assert len(first_replies) >= len(FAMILIES) * 2 * 10


def test_first_reply_step_has_at_most_five_lines(first_replies: list[tuple[str, View]]) -> None:
    for label, view in first_replies:
        if view.step is not None:
            assert len(view.step.lines) <= MAX_STEP_LINES, label


def test_first_reply_core_text_fits_one_screen(first_replies: list[tuple[str, View]]) -> None:
    sizes = {label: sum(len(line) + 1 for line in view.summary_lines()) for label, view in first_replies}
    too_long = {label: size for label, size in sizes.items() if size > MAX_CORE_CHARS}
    assert not too_long, too_long


def test_console_first_reply_has_at_most_25_lines_before_the_choices(first_replies: list[tuple[str, View]]) -> None:
    for label, view in first_replies:
        body = view_body(view)
        assert len(body) <= MAX_CONSOLE_LINES, (label, body)
        rendered = render_view(view).splitlines()
        if view.offers:
            prompt = next(i for i, line in enumerate(rendered) if line.startswith("Reply with a number"))
            assert prompt <= MAX_CONSOLE_LINES + 2, label  # the body, the "more" hint and a blank line

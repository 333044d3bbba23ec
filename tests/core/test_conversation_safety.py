"""What a person reads, checked against ../shared/reference/iphone-facts.md: labels, warnings, gates, first steps.

Each test names the fact-sheet keys it follows. Messages are written for these tests.
"""

from __future__ import annotations

import pytest

from bot.adapters.console import render_view
from bot.core.answer import TriageRequest
from bot.core.conversation import Actor, Conversation
from bot.core.triage import Triage
from bot.core.views import View
from tests.core.conversation_helpers import ASKER, MemoryStore, press

BOOT_LOOP_7 = "my iphone 7 keeps restarting on the apple logo"


@pytest.fixture
def conv(triage: Triage) -> Conversation:
    return Conversation(triage, MemoryStore())


async def start(conv: Conversation, text: str, actor: Actor = ASKER) -> View:
    return await conv.start(TriageRequest(text), actor)


# --- what each step does to the data (knowledge/actions.yaml risk_label) -------------------------------------------


async def test_each_rung_carries_its_risk_label_from_the_knowledge(conv: Conversation, triage: Triage) -> None:
    view = await start(conv, BOOT_LOOP_7)
    labels = []
    while view.kind in ("answer", "step", "erase_gate"):
        if view.kind == "erase_gate":
            view = await press(conv, view, "step")  # "I have a backup: continue"
            continue
        assert view.step is not None
        actions = triage.knowledge.actions.actions
        action = next(a for a in actions.values() if a.title == view.step.title)
        assert view.step.risk_label == action.risk_label
        labels.append(view.step.risk_label)
        view = await press(conv, view, "next")
    assert labels == [
        "keeps your data",
        "tries to keep your data",
        "ERASES everything on the phone",
        "ERASES everything on the phone",
    ]


async def test_the_console_shows_the_risk_label_next_to_the_step(conv: Conversation) -> None:
    text = render_view(await start(conv, BOOT_LOOP_7))
    assert "Do this now: Force restart (keeps your data)" in text


async def test_repair_is_labelled_may_erase_or_replace(conv: Conversation) -> None:
    view = await start(conv, "my iphone 13 fell in the pool and now it won't turn on")
    assert view.step is not None
    assert view.step.risk_label == "may erase or replace the phone"

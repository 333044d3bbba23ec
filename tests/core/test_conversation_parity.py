"""The parity script (tests/parity_script.py) through the conversation and through the console."""

from __future__ import annotations

import io

from bot.adapters.console import ConsoleSession
from bot.core.answer import TriageRequest
from bot.core.conversation import Conversation
from bot.core.triage import Triage
from tests.core.conversation_helpers import ASKER, MemoryStore
from tests.parity_script import EXPECTED_OUTCOMES, OPENING, SCRIPT


async def test_parity_script_through_the_conversation(triage: Triage) -> None:
    store = MemoryStore()
    conv = Conversation(triage, store)
    view = None
    for step in SCRIPT:
        if step.press is None:
            view = await conv.start(TriageRequest(OPENING), ASKER)
        else:
            assert view is not None
            chosen = next(o for o in view.offers if o.label == step.press)
            view = await conv.press(chosen.token, ASKER)
        assert view.kind == step.kind, step
        assert tuple(o.label for o in view.offers) == step.offers, step
        if step.step_title is not None:
            assert view.step is not None
            assert view.step.title == step.step_title
    assert tuple((o.kind, o.action) for o in store.outcomes) == EXPECTED_OUTCOMES


async def test_parity_script_through_the_console(triage: Triage) -> None:
    """A person at the console walks the same script by typing the numbers of the choices."""
    store = MemoryStore()
    out = io.StringIO()
    session = ConsoleSession(triage, out, Conversation(triage, store))
    for step in SCRIPT:
        before = out.tell()
        if step.press is None:
            await session.handle(OPENING)
        else:
            assert session.view is not None
            labels = [o.label for o in session.view.offers]
            await session.handle(str(labels.index(step.press) + 1))
        printed = out.getvalue()[before:]
        assert session.view is not None
        assert session.view.kind == step.kind or (step.kind == "solved" and "Solved" in printed), step
        shown = [
            line.split(". ", 1)[1]
            for line in printed.splitlines()
            if line.startswith("  ") and ". " in line and line.strip().split(".", 1)[0].isdigit()
        ]
        assert tuple(shown) == step.offers, (step, printed)
        if step.step_title is not None:
            assert step.step_title in printed
    assert tuple((o.kind, o.action) for o in store.outcomes) == EXPECTED_OUTCOMES

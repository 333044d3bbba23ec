"""Shared fixtures for the core tests: one Triage for the whole session (it is stateless)."""

from __future__ import annotations

import asyncio

import pytest

from bot.core.answer import TriageAnswer, TriageRequest
from bot.core.triage import Triage


@pytest.fixture(scope="session")
def triage() -> Triage:
    return Triage.from_directory()


def ask(triage: Triage, text: str, model_id: str | None = None) -> TriageAnswer:
    """Answer one message synchronously (the core is async only for the adapters' sake)."""
    return asyncio.run(triage.answer(TriageRequest(text=text, model_id=model_id)))

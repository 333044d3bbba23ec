"""Fixtures for the Telegram adapter tests: the fake Bot API, the real core, a real SQLite file store."""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator, Iterator
from pathlib import Path

import pytest

from bot.core import Triage
from bot.store.sqlite import SQLiteStore
from tests.adapters.telegram._tg_support import Bot, Clock, running_bot
from tests.fakes.fake_telegram import FakeTelegram

ENV = (
    "TELEGRAM_BOT_TOKEN",
    "TELEGRAM_API_BASE_URL",
    "TELEGRAM_WEBHOOK_URL",
    "TELEGRAM_WEBHOOK_SECRET",
    "TELEGRAM_WEBHOOK_LISTEN",
    "TELEGRAM_WEBHOOK_PORT",
    "REVIVE_AUTO_COOLDOWN_SECONDS",
    "REVIVE_AUTO_MIN_CONFIDENCE",
    "REVIVE_DATABASE_PATH",
    "REVIVE_USER_HASH_KEY",
)


@pytest.fixture(scope="session")
def triage() -> Triage:
    """The real core on the repository's knowledge base."""
    return Triage.from_directory()


@pytest.fixture(autouse=True)
def _isolated(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """No Telegram settings leak in from the environment; handlers added to the root logger are removed."""
    for name in ENV:
        monkeypatch.delenv(name, raising=False)
    root = logging.getLogger()
    before = [list(h.filters) for h in root.handlers]
    yield
    for handler, filters in zip(root.handlers, before, strict=False):
        handler.filters[:] = filters


@pytest.fixture
async def fake() -> AsyncIterator[FakeTelegram]:
    async with FakeTelegram() as server:
        yield server


@pytest.fixture
async def store(tmp_path: Path) -> AsyncIterator[SQLiteStore]:
    opened = await SQLiteStore.open(tmp_path / "revive.sqlite3", "test-key")
    try:
        yield opened
    finally:
        await opened.close()


@pytest.fixture
def clock() -> Clock:
    return Clock()


@pytest.fixture
async def bot(fake: FakeTelegram, triage: Triage, store: SQLiteStore, clock: Clock) -> AsyncIterator[Bot]:
    """The adapter running (long polling) against the fake."""
    async with running_bot(fake, triage, store, clock=clock) as running:
        yield running

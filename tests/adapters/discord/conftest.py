"""Fixtures for the Discord adapter tests: the fake server, the real core, a real SQLite store in tmp_path."""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path

import discord.gateway
import discord.http
import pytest

from bot.core.triage import Triage
from bot.store import SQLiteStore
from tests.fakes.fake_discord import FakeDiscord

DISCORD_ENV = (
    "DISCORD_BOT_TOKEN",
    "DISCORD_GUILD_ID",
    "DISCORD_API_BASE_URL",
    "DISCORD_GATEWAY_URL",
    "DISCORD_HELP_CHANNEL_IDS",
    "DISCORD_HELPER_ROLE_ID",
    "DISCORD_SOLVED_TAG",
    "REVIVE_AUTO_COOLDOWN_SECONDS",
    "REVIVE_AUTO_MIN_CONFIDENCE",
)


@pytest.fixture(scope="session")
def triage() -> Triage:
    """The real core on the repository's knowledge base."""
    return Triage.from_directory()


@pytest.fixture(autouse=True)
def _isolated(monkeypatch: pytest.MonkeyPatch) -> None:
    """No Discord settings leak in from the environment; discord.py's endpoints are restored after."""
    for name in DISCORD_ENV:
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setattr(discord.http.Route, "BASE", discord.http.Route.BASE)
    monkeypatch.setattr(
        discord.gateway.DiscordWebSocket, "DEFAULT_GATEWAY", discord.gateway.DiscordWebSocket.DEFAULT_GATEWAY
    )


@pytest.fixture
async def fake() -> AsyncIterator[FakeDiscord]:
    server = FakeDiscord()
    await server.start()
    try:
        yield server
    finally:
        await server.stop()


@pytest.fixture
async def store(tmp_path: Path) -> AsyncIterator[SQLiteStore]:
    """The real store on a real file (no mocks): what the bot writes is what a restart reads."""
    opened = await SQLiteStore.open(tmp_path / "revive.sqlite3", "test-key")
    try:
        yield opened
    finally:
        await opened.close()

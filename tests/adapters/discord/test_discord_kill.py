"""Write first, then confirm (issue 10, item 4): SIGKILL the bot right at a confirmation; no confirmed press is lost.

``python -m bot discord`` runs as a subprocess against the fake server. Several people press at
once, half "It worked" (confirmed by the public reply turning solved) and half "Didn't work"
(confirmed by the acknowledgement before the next step); the fake kills the bot with SIGKILL the
moment one of those confirmations reaches it (before answering it). Every press whose confirmation
the bot had sent must be in the SQLite file, read back with plain ``sqlite3`` after the process died.
"""

from __future__ import annotations

import asyncio
import functools
import os
import random
import signal
import sqlite3
import sys
from pathlib import Path

import pytest

from bot.core.callbacks import unpack
from tests.adapters.discord._discord_support import custom_ids
from tests.adapters.discord.test_discord_startup import REPO
from tests.fakes.fake_discord import JSON as Json
from tests.fakes.fake_discord import FakeDiscord, Request

pytestmark = pytest.mark.slow

PRESSES = 6
ROUNDS = 3
PROBLEM = "my iphone 8 won't turn on after update"


def _env(fake: FakeDiscord, database: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("DISCORD_", "TELEGRAM_", "REVIVE_"))}
    env.update(
        PYTHONPATH=str(REPO),
        DISCORD_BOT_TOKEN=fake.token,
        DISCORD_API_BASE_URL=fake.base_url,
        DISCORD_GATEWAY_URL=fake.gateway_url,
        REVIVE_DATABASE_PATH=str(database),
        REVIVE_USER_HASH_KEY="kill-test-key",
        REVIVE_LOG_LEVEL="WARNING",
    )
    return env


CONFIRMATION = {"worked": 7, "next": 6}  # the callback type that confirms each press: solved edit, or the ack
KIND = {"worked": "worked", "next": "failed"}


def _token(message: Json, verb: str) -> str:
    return next(cid for cid in custom_ids(message) if _verb(cid) == verb)


def _verb(custom_id: str) -> str | None:
    state = unpack(custom_id)
    return None if state is None else str(state.verb)


def _stored(database: Path) -> set[tuple[str, str]]:
    with sqlite3.connect(database) as connection:
        rows = connection.execute("SELECT answer_id, kind FROM outcomes").fetchall()
    return {(row[0], row[1]) for row in rows}


async def _round(tmp_path: Path, index: int, kill_at: int) -> tuple[set[tuple[str, str]], set[tuple[str, str]]]:
    """One bot process, PRESSES answers, PRESSES concurrent presses; killed at confirmation ``kill_at``.

    Returns the (answer id, outcome kind) of every confirmed press, and of every outcome on disk.
    """
    fake = FakeDiscord()
    await fake.start()
    database = tmp_path / f"revive-{index}.sqlite3"
    process = await asyncio.create_subprocess_exec(
        sys.executable,
        "-m",
        "bot",
        "discord",
        cwd=tmp_path,
        env=_env(fake, database),
        stdout=asyncio.subprocess.DEVNULL,
        stderr=asyncio.subprocess.DEVNULL,
    )
    confirmed: set[str] = set()
    try:
        await asyncio.wait_for(fake.ready_sent.wait(), 20)
        answers: list[Json] = []
        for person in range(PRESSES):
            interaction = await fake.slash("fix", {"problem": PROBLEM}, user_id=6000 + person, username=f"p{person}")
            answers.append(await fake.wait_for(functools.partial(_answer_with_buttons, fake, interaction), 10))

        def at_confirmation(request: Request) -> None:
            interaction = fake.interaction_of(request)
            if interaction is None or request.method != "POST" or not request.path.startswith("/interactions/"):
                return
            custom_id = interaction.get("data", {}).get("custom_id", "")
            verb = _verb(custom_id) or ""
            if verb not in CONFIRMATION or (request.json or {}).get("type") != CONFIRMATION[verb]:
                return  # not a confirmation
            confirmed.add(custom_id)
            if len(confirmed) == kill_at and process.returncode is None:
                process.send_signal(signal.SIGKILL)  # right now: the bot is still waiting for this answer

        fake.on_request = at_confirmation
        for person, message in enumerate(answers):
            verb = "worked" if person % 2 else "next"
            await fake.click(message, _token(message, verb), user_id=6000 + person, username=f"p{person}")
        await asyncio.wait_for(process.wait(), 10)
    finally:
        if process.returncode is None:
            process.kill()
            await process.wait()
        await fake.stop()
    assert process.returncode == -signal.SIGKILL
    return {_outcome(cid) for cid in confirmed}, _stored(database)


def _answer_with_buttons(fake: FakeDiscord, interaction: Json) -> Json | None:
    """The bot's message with an "It worked" button that answers this /fix interaction (any of its parts)."""
    for message in fake.messages.values():
        meta = message.get("interaction_metadata") or {}
        if meta.get("id") == interaction["id"] and any(_verb(cid) == "worked" for cid in custom_ids(message)):
            return message
    return None


def _outcome(custom_id: str) -> tuple[str, str]:
    state = unpack(custom_id)
    assert state is not None
    return state.answer_id, KIND[state.verb]


async def test_every_confirmed_press_is_on_disk_after_a_sigkill(tmp_path: Path) -> None:
    rng = random.Random(8)
    lost: list[tuple[str, str]] = []
    total = 0
    for index in range(ROUNDS):
        confirmed, stored = await _round(tmp_path, index, kill_at=rng.randint(1, PRESSES))
        assert confirmed  # the kill really came at a confirmation
        total += len(confirmed)
        lost += sorted(confirmed - stored)
    assert lost == [], f"{len(lost)} of {total} confirmed presses were not on disk"

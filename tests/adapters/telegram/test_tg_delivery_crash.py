"""At-least-once delivery across a real SIGKILL: `python -m bot telegram` in a child process, the fake Bot API here.

Each test lets some updates be answered, then holds every send (Telegram slow or
flooding) while hundreds more updates arrive, kills the bot with SIGKILL, restarts
it, and checks that every update got exactly one reply: none lost, none twice.
"""

from __future__ import annotations

import asyncio
import os
import signal
import socket
import sqlite3
import sys
import time
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Any

import aiohttp
import pytest

from tests.fakes.fake_telegram import TOKEN, FakeTelegram, private_chat, user

REPO = Path(__file__).resolve().parents[3]
pytestmark = pytest.mark.slow

ANSWERED_FIRST = 50
QUEUED_AT_KILL = 300
SECRET = "crash-test-secret"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def listening(port: int) -> bool:
    with socket.socket() as sock:
        return sock.connect_ex(("127.0.0.1", port)) == 0


def inbox_counts(db: Path) -> tuple[int, int]:
    """(updates kept, of which answered) as the bot's database says, read from outside the bot."""
    if not db.exists():
        return 0, 0
    with sqlite3.connect(db, timeout=5) as conn:
        try:
            total, done = conn.execute("SELECT count(*), coalesce(sum(done), 0) FROM inbox").fetchone()
        except sqlite3.OperationalError:  # the bot has not created its tables yet
            return 0, 0
    return int(total), int(done)


async def eventually(predicate: Callable[[], bool], timeout: float, what: str) -> None:
    deadline = time.monotonic() + timeout
    while not predicate():
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out waiting for {what}")
        await asyncio.sleep(0.05)


@asynccontextmanager
async def bot_process(fake: FakeTelegram, tmp_path: Path, **env: str) -> AsyncIterator[asyncio.subprocess.Process]:
    """`python -m bot telegram` against the fake; killed at the end if still running."""
    child_env = {k: v for k, v in os.environ.items() if not k.startswith(("TELEGRAM_", "REVIVE_", "DISCORD_"))}
    child_env.update(
        {
            "PYTHONPATH": str(REPO),
            "REVIVE_DATABASE_PATH": str(tmp_path / "revive.sqlite3"),
            "REVIVE_USER_HASH_KEY": "crash-test-key",
            "REVIVE_LOG_LEVEL": "WARNING",
            "TELEGRAM_BOT_TOKEN": TOKEN,
            "TELEGRAM_API_BASE_URL": fake.base_url,
            "NO_PROXY": "127.0.0.1,localhost",
            **env,
        }
    )
    proc = await asyncio.create_subprocess_exec(
        sys.executable,
        "-m",
        "bot",
        "telegram",
        cwd=tmp_path,
        env=child_env,
        stdout=asyncio.subprocess.DEVNULL,
        stderr=asyncio.subprocess.PIPE,
    )
    try:
        yield proc
    finally:
        if proc.returncode is None:
            proc.kill()
            await proc.wait()


def chats(first: int, count: int) -> list[dict[str, Any]]:
    return [private_chat(first + n, f"User{n}") for n in range(count)]


def ask_for_help(fake: FakeTelegram, chat: dict[str, Any]) -> dict[str, Any]:
    """One /help from the chat's user (one reply expected); returns the message."""
    return fake.make_message(chat, user(chat["id"], chat["first_name"]), "/help")


def replies_per_chat(fake: FakeTelegram, all_chats: list[dict[str, Any]]) -> dict[int, int]:
    return {chat["id"]: len(fake.delivered(chat["id"])) for chat in all_chats}


async def kill(proc: asyncio.subprocess.Process) -> None:
    proc.send_signal(signal.SIGKILL)
    await asyncio.wait_for(proc.wait(), 10)
    assert proc.returncode == -signal.SIGKILL


async def stop(proc: asyncio.subprocess.Process) -> str:
    proc.send_signal(signal.SIGTERM)
    await asyncio.wait_for(proc.wait(), 15)
    stderr = (await proc.stderr.read()).decode() if proc.stderr else ""
    assert proc.returncode == 0, stderr
    return stderr


async def test_polling_sigkill_with_300_updates_queued_loses_none_and_repeats_none(tmp_path: Path) -> None:
    db = tmp_path / "revive.sqlite3"
    early, late = chats(10_000, ANSWERED_FIRST), chats(20_000, QUEUED_AT_KILL)
    async with FakeTelegram() as fake:
        for chat in early:
            fake.push_update({"message": ask_for_help(fake, chat)})
        async with bot_process(fake, tmp_path) as proc:
            await eventually(lambda: inbox_counts(db) == (ANSWERED_FIRST, ANSWERED_FIRST), 40, "the first answers")
            assert set(replies_per_chat(fake, early).values()) == {1}

            fake.hold_sends()  # Telegram stops taking messages: the bot's replies pile up
            for chat in late:
                fake.push_update({"message": ask_for_help(fake, chat)})
            last_id = ANSWERED_FIRST + QUEUED_AT_KILL
            await eventually(lambda: fake.confirmed_offset > last_id, 20, "every update to be confirmed")
            # Confirmed to Telegram means kept: all 300 are in the inbox, unanswered, when the bot dies.
            assert inbox_counts(db) == (ANSWERED_FIRST + QUEUED_AT_KILL, ANSWERED_FIRST)
            await kill(proc)
        fake.release_sends(deliver=False)  # the held sends died with the process
        assert all(count == 0 for count in replies_per_chat(fake, late).values())

        async with bot_process(fake, tmp_path) as proc:
            await eventually(lambda: inbox_counts(db)[1] == ANSWERED_FIRST + QUEUED_AT_KILL, 40, "the replayed answers")
            await asyncio.sleep(0.5)  # anything sent twice would show up by now
            await stop(proc)
        counts = replies_per_chat(fake, early + late)
        assert {chat_id: n for chat_id, n in counts.items() if n != 1} == {}


async def test_webhook_sigkill_with_300_updates_queued_loses_none_and_repeats_none(tmp_path: Path) -> None:
    db = tmp_path / "revive.sqlite3"
    port = free_port()
    webhook = {
        "TELEGRAM_WEBHOOK_URL": "https://bot.example.org/telegram/hook",
        "TELEGRAM_WEBHOOK_SECRET": SECRET,
        "TELEGRAM_WEBHOOK_LISTEN": "127.0.0.1",
        "TELEGRAM_WEBHOOK_PORT": str(port),
    }
    hook = f"http://127.0.0.1:{port}/telegram/hook"
    early, late = chats(10_000, ANSWERED_FIRST), chats(20_000, QUEUED_AT_KILL)
    update_ids = iter(range(1, 10_000))

    async def deliver(session: aiohttp.ClientSession, batch: list[dict[str, Any]]) -> list[int]:
        """POST each update like Telegram (at most 20 at once); returns the status codes."""
        limit = asyncio.Semaphore(20)

        async def post(chat: dict[str, Any]) -> int:
            update = {"update_id": next(update_ids), "message": ask_for_help(fake, chat)}
            async with limit, session.post(hook, json=update, headers={"X-Telegram-Bot-Api-Secret-Token": SECRET}) as r:
                return r.status

        return list(await asyncio.gather(*(post(chat) for chat in batch)))

    async with FakeTelegram() as fake, aiohttp.ClientSession() as session:
        async with bot_process(fake, tmp_path, **webhook) as proc:
            await fake.wait_calls("setWebhook", timeout=40)
            await eventually(lambda: listening(port), 10, "the webhook server")
            assert set(await deliver(session, early)) == {200}
            await eventually(lambda: inbox_counts(db) == (ANSWERED_FIRST, ANSWERED_FIRST), 20, "the first answers")

            fake.hold_sends()
            statuses = await asyncio.wait_for(deliver(session, late), 30)
            # Telegram got its 200 for every update: each was kept in the inbox first.
            assert set(statuses) == {200}
            assert inbox_counts(db) == (ANSWERED_FIRST + QUEUED_AT_KILL, ANSWERED_FIRST)
            await kill(proc)
        fake.release_sends(deliver=False)
        assert all(count == 0 for count in replies_per_chat(fake, late).values())

        async with bot_process(fake, tmp_path, **webhook) as proc:
            await eventually(lambda: inbox_counts(db)[1] == ANSWERED_FIRST + QUEUED_AT_KILL, 40, "the replayed answers")
            await asyncio.sleep(0.5)
            await stop(proc)
        counts = replies_per_chat(fake, early + late)
        assert {chat_id: n for chat_id, n in counts.items() if n != 1} == {}

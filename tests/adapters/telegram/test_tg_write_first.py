"""Write first, then confirm: SIGKILL `python -m bot telegram` the moment it confirms a press.

Half the people press "It worked", half "Didn't work → next step", all at about the same time. The fake
Bot API kills the bot process while it holds the first confirming request of a press (the answer to the
callback query, or the edit of the pressed message), before answering it, so the bot can do nothing more.
Every press the bot had confirmed by then must be in the SQLite file: outcomes are written first.
"""

from __future__ import annotations

import asyncio
import os
import signal
import sqlite3
import sys
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Any

import pytest

from bot.core.callbacks import unpack
from tests.fakes.fake_telegram import TOKEN, FakeTelegram, private_chat, user

REPO = Path(__file__).resolve().parents[3]
pytestmark = pytest.mark.slow

TEXT = "my iphone 7 plus is stuck on the apple logo"
PRESSES = 6  # concurrent "It worked" presses per round, one per chat
KILL_AT = (1, 3, 6)  # the confirmation at which each round kills the bot


class KillAtConfirmation(FakeTelegram):
    """Records which presses the bot confirmed and SIGKILLs it at the ``kill_at``-th confirmation.

    A press is confirmed by its answerCallbackQuery or the first edit of the pressed message, whichever
    comes first. The kill happens before the fake answers that request.
    """

    def __init__(self, kill_at: int) -> None:
        super().__init__()
        self.kill_at = kill_at
        self.pid: int | None = None
        self.pressed: dict[str, tuple[int, int, str]] = {}  # query id -> (chat, message, callback data)
        self.confirmed: list[str] = []  # callback data, in confirmation order
        self._confirmed_ids: set[str] = set()

    def press(self, message: dict[str, Any], data: str, sender: dict[str, Any]) -> str:
        query_id = super().press(message, data, sender)
        self.pressed[query_id] = (message["chat"]["id"], message["message_id"], data)
        return query_id

    def _confirm(self, query_id: str) -> None:
        if query_id in self._confirmed_ids:
            return
        self._confirmed_ids.add(query_id)
        self.confirmed.append(self.pressed[query_id][2])
        if len(self.confirmed) == self.kill_at and self.pid is not None:
            os.kill(self.pid, signal.SIGKILL)

    async def _api_answerCallbackQuery(self, params: dict[str, Any]) -> Any:
        query_id = str(params.get("callback_query_id"))
        if query_id in self.pressed:
            self._confirm(query_id)
        return await super()._api_answerCallbackQuery(params)

    async def _api_editMessageText(self, params: dict[str, Any]) -> Any:
        key = (int(params["chat_id"]), int(params["message_id"]))
        for query_id, (chat, message, _) in list(self.pressed.items()):
            if (chat, message) == key:
                self._confirm(query_id)
        return await super()._api_editMessageText(params)


@asynccontextmanager
async def bot_process(fake: FakeTelegram, workdir: Path) -> AsyncIterator[asyncio.subprocess.Process]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("TELEGRAM_", "REVIVE_", "DISCORD_"))}
    env.update(
        {
            "PYTHONPATH": str(REPO),
            "REVIVE_DATABASE_PATH": str(workdir / "revive.sqlite3"),
            "REVIVE_LOG_LEVEL": "WARNING",
            "TELEGRAM_BOT_TOKEN": TOKEN,
            "TELEGRAM_API_BASE_URL": fake.base_url,
            "NO_PROXY": "127.0.0.1,localhost",
        }
    )
    proc = await asyncio.create_subprocess_exec(
        sys.executable,
        "-m",
        "bot",
        "telegram",
        cwd=workdir,
        env=env,
        stdout=asyncio.subprocess.DEVNULL,
        stderr=asyncio.subprocess.DEVNULL,
    )
    try:
        yield proc
    finally:
        if proc.returncode is None:
            proc.kill()
            await proc.wait()


def outcome_rows(db: Path) -> set[tuple[str, str]]:
    """(answer id, kind) of every outcome in the file, read from outside the (dead) bot."""
    with sqlite3.connect(db) as conn:
        return {(answer_id, kind) for answer_id, kind in conn.execute("SELECT answer_id, kind FROM outcomes")}


def button(message: dict[str, Any], verb: str) -> str:
    datas = [b["callback_data"] for row in message["reply_markup"]["inline_keyboard"] for b in row]
    return next(d for d in datas if (state := unpack(d)) is not None and state.verb == verb)


@pytest.mark.parametrize("kill_at", KILL_AT)
async def test_every_confirmed_press_is_on_disk_after_a_kill_at_the_confirmation(tmp_path: Path, kill_at: int) -> None:
    people = [(private_chat(700 + n, f"User{n}"), user(700 + n, f"User{n}")) for n in range(PRESSES)]
    async with KillAtConfirmation(kill_at) as fake, bot_process(fake, tmp_path) as proc:
        fake.pid = proc.pid
        await fake.wait_calls("getUpdates", timeout=30)
        for chat, person in people:
            fake.send_text(chat, person, TEXT)
        await fake.wait_for(lambda: all(fake.bot_messages(chat["id"]) for chat, _ in people), timeout=30)
        for n, (chat, person) in enumerate(people):  # everyone presses at about the same time
            answer = fake.bot_messages(chat["id"])[-1]
            fake.press(answer, button(answer, "worked" if n % 2 else "next"), person)
        await asyncio.wait_for(proc.wait(), 30)
        assert proc.returncode == -signal.SIGKILL, "the bot was not killed at a confirmation"
    kinds = {"worked": "worked", "next": "failed"}
    confirmed = {(state.answer_id, kinds[state.verb]) for data in fake.confirmed if (state := unpack(data)) is not None}
    assert len(confirmed) >= kill_at
    on_disk = outcome_rows(tmp_path / "revive.sqlite3")
    assert confirmed <= on_disk, f"confirmed but not written: {sorted(confirmed - on_disk)}"

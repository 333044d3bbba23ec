"""`python -m bot run` with both tokens serves the fake Telegram and the fake Discord at once, in one process."""

from __future__ import annotations

import asyncio
import json
import os
import signal
import sys
from pathlib import Path

import pytest

from bot.core import callbacks
from bot.store.sqlite import SQLiteStore
from tests.fakes.fake_discord import FakeDiscord
from tests.fakes.fake_telegram import TOKEN as TELEGRAM_TOKEN
from tests.fakes.fake_telegram import FakeTelegram, private_chat, user

REPO = Path(__file__).resolve().parent.parent
pytestmark = pytest.mark.slow


def _env(tmp_path: Path, telegram: FakeTelegram, discord: FakeDiscord) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("TELEGRAM_", "DISCORD_", "REVIVE_"))}
    env.update(
        TELEGRAM_BOT_TOKEN=TELEGRAM_TOKEN,
        TELEGRAM_API_BASE_URL=telegram.base_url,
        DISCORD_BOT_TOKEN=discord.token,
        DISCORD_API_BASE_URL=discord.base_url,
        DISCORD_GATEWAY_URL=discord.gateway_url,
        REVIVE_DATABASE_PATH=str(tmp_path / "revive.sqlite3"),
        REVIVE_USER_HASH_KEY="test-hash-key",
        NO_PROXY="127.0.0.1,localhost",
    )
    return env


async def test_run_serves_both_platforms_in_one_process(tmp_path: Path) -> None:
    """Both adapters answer, share one store, and SIGTERM stops them all with exit code 0."""
    telegram = FakeTelegram()
    discord_fake = FakeDiscord()
    await discord_fake.start()
    async with telegram:
        process = await asyncio.create_subprocess_exec(
            sys.executable,
            "-m",
            "bot",
            "run",
            cwd=REPO,
            env=_env(tmp_path, telegram, discord_fake),
            stdin=asyncio.subprocess.DEVNULL,
            stdout=asyncio.subprocess.PIPE,
            stderr=asyncio.subprocess.PIPE,
        )
        try:
            await asyncio.wait_for(discord_fake.ready_sent.wait(), timeout=20)
            await telegram.wait_calls("getUpdates", timeout=20)

            # Telegram: a private message is answered with the iPhone 7 Plus steps.
            alex = user(555, "Alex")
            chat = private_chat(555)
            telegram.send_text(chat, alex, "my iphone 7 plus is stuck on the apple logo")
            await telegram.wait_for(lambda: any("reply_markup" in m for m in telegram.bot_messages(555)), 20)
            sent = telegram.requests("sendMessage")
            first = sent[0].params
            assert first["chat_id"] == 555
            assert first["parse_mode"] == "HTML"
            assert "Volume Down" in "".join(c.params["text"] for c in sent)

            # ... and "It worked" is recorded in the shared store.
            answer_message = next(m for m in telegram.bot_messages(555) if "reply_markup" in m)
            buttons = [b for row in answer_message["reply_markup"]["inline_keyboard"] for b in row]
            worked = next(b for b in buttons if "It worked" in b["text"])
            assert callbacks.unpack(worked["callback_data"]) is not None
            telegram.press(answer_message, worked["callback_data"], alex)
            await telegram.wait_calls("answerCallbackQuery", timeout=20)

            # Discord: /fix is answered in the same process.
            since = len(discord_fake.requests)
            await discord_fake.slash("fix", {"problem": "my iphone 8 won't turn on after update"})
            callback = await discord_fake.wait_request("POST", "/interactions/", since=since)
            assert callback, "Discord interaction was not answered"
        finally:
            process.send_signal(signal.SIGTERM)
            stdout, stderr = await asyncio.wait_for(process.communicate(), timeout=20)
            await discord_fake.stop()
    assert process.returncode == 0, stderr.decode()[-2000:]
    assert TELEGRAM_TOKEN.encode() not in stderr + stdout
    assert discord_fake.token.encode() not in stderr + stdout

    store = await SQLiteStore.open(tmp_path / "revive.sqlite3", "test-hash-key")
    try:
        records = await store.outcome_records()
    finally:
        await store.close()
    assert [(r.platform, r.kind, r.symptom_id, r.family) for r in records] == [
        ("telegram", "worked", "boot_loop", "volume-down")
    ]
    assert json.dumps([r.answer_id for r in records])  # ids are plain strings

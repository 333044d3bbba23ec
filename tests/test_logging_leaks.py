"""No token, hash key, user hash or message text in the logs, at DEBUG, from a real run against the fakes.

`python -m bot run` serves the fake Telegram and the fake Discord at DEBUG level; the test sends messages
with a marker word, presses a button (the store writes a user hash) and greps everything the process
printed. A second run with REVIVE_LOG_MESSAGE_CONTENT=true shows the grep can see message text at all.
"""

from __future__ import annotations

import asyncio
import hashlib
import hmac
import os
import signal
import sqlite3
import sys
from pathlib import Path

import pytest

from tests.fakes.fake_discord import FakeDiscord
from tests.fakes.fake_telegram import TOKEN as TELEGRAM_TOKEN
from tests.fakes.fake_telegram import FakeTelegram, private_chat, user

REPO = Path(__file__).resolve().parent.parent
MARKER = "zebrawombat"
pytestmark = pytest.mark.slow


def _env(tmp_path: Path, telegram: FakeTelegram, discord: FakeDiscord | None, **extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("TELEGRAM_", "DISCORD_", "REVIVE_"))}
    env.update(
        PYTHONPATH=str(REPO),
        TELEGRAM_BOT_TOKEN=TELEGRAM_TOKEN,
        TELEGRAM_API_BASE_URL=telegram.base_url,
        REVIVE_DATABASE_PATH=str(tmp_path / "revive.sqlite3"),
        REVIVE_LOG_LEVEL="DEBUG",
        NO_PROXY="127.0.0.1,localhost",
        **extra,
    )
    if discord is not None:
        env.update(
            DISCORD_BOT_TOKEN=discord.token,
            DISCORD_API_BASE_URL=discord.base_url,
            DISCORD_GATEWAY_URL=discord.gateway_url,
            DISCORD_HELP_CHANNEL_IDS=str(discord.help_channel_id),
        )
    return env


async def _start(tmp_path: Path, command: str, env: dict[str, str]) -> asyncio.subprocess.Process:
    return await asyncio.create_subprocess_exec(
        sys.executable,
        "-m",
        "bot",
        command,
        cwd=tmp_path,  # no stray .env
        env=env,
        stdin=asyncio.subprocess.DEVNULL,
        stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.PIPE,
    )


async def _stop(process: asyncio.subprocess.Process) -> str:
    if process.returncode is None:
        process.send_signal(signal.SIGTERM)
    stdout, stderr = await asyncio.wait_for(process.communicate(), timeout=20)
    return (stdout + stderr).decode("utf-8", "replace")


async def _telegram_conversation(telegram: FakeTelegram) -> None:
    """A message with the marker, its answer, and an "It worked" press (the store writes a user hash)."""
    alex = user(555, "Alex", username="alex_marker_name")
    telegram.send_text(private_chat(555), alex, f"my iphone 7 plus is stuck on the apple logo {MARKER}")
    await telegram.wait_for(lambda: any("reply_markup" in m for m in telegram.bot_messages(555)), 20)
    answer = next(m for m in telegram.bot_messages(555) if "reply_markup" in m)
    buttons = [b for row in answer["reply_markup"]["inline_keyboard"] for b in row]
    worked = next(b for b in buttons if "It worked" in b["text"])
    telegram.press(answer, worked["callback_data"], alex)
    await telegram.wait_calls("answerCallbackQuery", timeout=20)


def _hash_key(tmp_path: Path) -> bytes:
    """The generated key: in its key file (or, as older versions kept it, in the database)."""
    key_file = tmp_path / "revive.sqlite3.key"
    if key_file.exists():
        return bytes.fromhex(key_file.read_text().strip())
    with sqlite3.connect(tmp_path / "revive.sqlite3") as raw:
        (value,) = raw.execute("SELECT value FROM meta WHERE key = 'user_hash_key'").fetchone()
    raw.close()
    return bytes.fromhex(value)


def _user_hash(key: bytes, platform: str, user_id: str) -> str:
    return hmac.new(key, f"{platform}:{user_id}".encode(), hashlib.sha256).hexdigest()


async def test_debug_logs_hold_no_secret_hash_or_message_text(tmp_path: Path) -> None:
    telegram = FakeTelegram()
    discord = FakeDiscord()
    await discord.start()
    async with telegram:
        process = await _start(tmp_path, "run", _env(tmp_path, telegram, discord))
        try:
            await asyncio.wait_for(discord.ready_sent.wait(), timeout=30)
            await telegram.wait_calls("getUpdates", timeout=30)
            await _telegram_conversation(telegram)
            since = len(discord.requests)
            await discord.post_message(discord.user_message(f"my iphone 8 won't turn on after the update {MARKER}"))
            await discord.wait_request("POST", f"/channels/{discord.help_channel_id}/messages", since=since)
            since = len(discord.requests)
            await discord.slash("fix", {"problem": f"my iphone 11 is stuck in a boot loop {MARKER}"})
            await discord.wait_request("POST", "/interactions/", since=since)
        finally:
            output = await _stop(process)
            await discord.stop()
    assert process.returncode == 0, output[-3000:]
    key = _hash_key(tmp_path)
    assert "| DEBUG |" in output  # the run really logged at DEBUG
    leaks = {
        "telegram token": TELEGRAM_TOKEN,
        "telegram token secret part": TELEGRAM_TOKEN.split(":", 1)[1],
        "discord token": discord.token,
        "hash key": key.hex(),
        "telegram user hash": _user_hash(key, "telegram", "555"),
        "discord user hash": _user_hash(key, "discord", "5001"),
        "message text": MARKER,
        "telegram user name": "alex_marker_name",
    }
    found = {what: value for what, value in leaks.items() if value.lower() in output.lower()}
    assert found == {}, [line for line in output.splitlines() if any(v in line for v in found.values())][:5]
    assert "aiosqlite" not in output  # its DEBUG lines hold every SQL statement's parameters


async def test_message_content_is_logged_only_when_enabled(tmp_path: Path) -> None:
    """The control: with REVIVE_LOG_MESSAGE_CONTENT=true the same grep finds the marker; secrets stay masked."""
    telegram = FakeTelegram()
    async with telegram:
        process = await _start(tmp_path, "telegram", _env(tmp_path, telegram, None, REVIVE_LOG_MESSAGE_CONTENT="true"))
        try:
            await telegram.wait_calls("getUpdates", timeout=30)
            await _telegram_conversation(telegram)
        finally:
            output = await _stop(process)
    assert process.returncode == 0, output[-3000:]
    key = _hash_key(tmp_path)
    assert MARKER in output
    assert TELEGRAM_TOKEN.split(":", 1)[1] not in output
    assert key.hex() not in output
    assert _user_hash(key, "telegram", "555") not in output

"""Startup and shutdown: bad token, portal intent off, SIGTERM on the real entry point, no token in logs."""

from __future__ import annotations

import asyncio
import logging
import os
import signal
import sys
from pathlib import Path

import discord
import pytest

from bot.core.triage import Triage
from bot.store import SQLiteStore
from tests.adapters.discord._discord_support import body, embed_text, make_settings, serving, token_of
from tests.fakes.fake_discord import INTENT_MESSAGE_CONTENT, FakeDiscord

REPO = Path(__file__).resolve().parents[3]


async def test_bad_token_fails_login(fake: FakeDiscord, triage: Triage, store: SQLiteStore) -> None:
    settings = make_settings(fake, DISCORD_BOT_TOKEN="not-the-token")
    with pytest.raises(discord.LoginFailure):
        async with serving(fake, settings, triage, store):
            pass
    assert [(r.method, r.path) for r in fake.requests] == [("GET", "/users/@me")]
    assert fake.identify == []


async def test_privileged_intent_not_enabled_in_portal(fake: FakeDiscord, triage: Triage, store: SQLiteStore) -> None:
    fake.privileged_enabled = 0
    settings = make_settings(fake, DISCORD_HELP_CHANNEL_IDS=str(fake.help_channel_id))
    with pytest.raises(discord.PrivilegedIntentsRequired):
        async with serving(fake, settings, triage, store):
            pass
    assert fake.identify[0]["intents"] & INTENT_MESSAGE_CONTENT
    assert fake.close_codes == [4014]


async def test_the_token_is_never_logged(
    fake: FakeDiscord, triage: Triage, store: SQLiteStore, caplog: pytest.LogCaptureFixture
) -> None:
    with caplog.at_level(logging.DEBUG):
        async with serving(fake, make_settings(fake), triage, store):
            await fake.wait_request("PUT", "/applications/")
            since = len(fake.requests)
            interaction = await fake.slash("fix", {"problem": "iphone 8 frozen"})
            await fake.wait_request("POST", "/", since=since)
    assert caplog.records  # debug logging really was on
    logged = "\n".join(record.getMessage() for record in caplog.records)
    assert fake.token not in logged
    assert interaction["token"] not in logged  # interaction tokens sit in webhook URLs
    assert logging.getLogger("discord.http").level == logging.WARNING


def _env(fake: FakeDiscord, tmp_path: Path, **extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("DISCORD_", "TELEGRAM_", "REVIVE_"))}
    env.update(
        PYTHONPATH=str(REPO),
        DISCORD_BOT_TOKEN=fake.token,
        DISCORD_API_BASE_URL=fake.base_url,
        DISCORD_GATEWAY_URL=fake.gateway_url,
        REVIVE_DATABASE_PATH=str(tmp_path / "revive.sqlite3"),
        REVIVE_LOG_LEVEL="INFO",
    )
    env.update(extra)
    return env


async def _start(env: dict[str, str], cwd: Path) -> asyncio.subprocess.Process:
    return await asyncio.create_subprocess_exec(
        sys.executable,
        "-m",
        "bot",
        "discord",
        cwd=cwd,  # no developer .env is picked up
        env=env,
        stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.PIPE,
    )


@pytest.mark.slow
async def test_python_m_bot_discord_answers_and_stops_on_sigterm(fake: FakeDiscord, tmp_path: Path) -> None:
    proc = await _start(_env(fake, tmp_path), tmp_path)
    try:
        puts = await fake.wait_request("PUT", "/applications/", count=1, timeout=20)
        assert [c["name"] for c in puts[0].json] == ["fix", "steps", "forget", "auto", "Triage this message"]
        await asyncio.wait_for(fake.ready_sent.wait(), 10)
        since = len(fake.requests)
        interaction = await fake.slash("fix", {"problem": "my iphone 8 won't turn on after update"})
        (sent,) = await fake.wait_request("POST", "/", since=since)
        assert "Volume Up" in embed_text(body(sent))
        answer = fake.response_message(interaction)
        since = len(fake.requests)
        await fake.click(answer, token_of(answer, "next"))
        await fake.wait_request("POST", "/interactions/", since=since)  # acknowledged; the next step is on its way
        proc.send_signal(signal.SIGTERM)
        out, err = await asyncio.wait_for(proc.communicate(), 5)
    finally:
        if proc.returncode is None:
            proc.kill()
            await proc.wait()
    assert proc.returncode == 0, err.decode()
    assert fake.token.encode() not in out + err
    assert b"Traceback" not in err
    # SIGTERM came between the acknowledgement and the follow-up: the follow-up was still delivered before exiting
    (follow_up,) = fake.find("POST", f"/channels/{fake.help_channel_id}/messages", since=since)
    assert follow_up.status == 200
    assert "Step 2 of" in embed_text(follow_up.json)


@pytest.mark.slow
@pytest.mark.parametrize(
    ("setup", "line"),
    [
        ("bad-token", "error: Discord rejected DISCORD_BOT_TOKEN: reset the token in the Developer Portal"),
        ("no-intent", "error: Discord refused a privileged intent: turn on 'Message Content Intent'"),
    ],
)
async def test_startup_errors_give_one_line_and_exit_1(
    fake: FakeDiscord, tmp_path: Path, setup: str, line: str
) -> None:
    extra = {"DISCORD_BOT_TOKEN": "wrong.token.value"} if setup == "bad-token" else {}
    if setup == "no-intent":
        fake.privileged_enabled = 0
        extra["DISCORD_HELP_CHANNEL_IDS"] = str(fake.help_channel_id)
    proc = await _start(_env(fake, tmp_path, **extra), tmp_path)
    try:
        out, err = await asyncio.wait_for(proc.communicate(), 10)
    finally:
        if proc.returncode is None:
            proc.kill()
            await proc.wait()
    assert proc.returncode == 1
    errors = [ln for ln in err.decode().splitlines() if ln.startswith("error:")]
    assert len(errors) == 1
    assert errors[0].startswith(line)
    assert b"Traceback" not in err
    assert b"wrong.token.value" not in out + err
    assert fake.token.encode() not in out + err


async def test_the_service_gives_exit_codes_for_token_problems(
    fake: FakeDiscord, triage: Triage, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """The adapter has no run() of its own: bot/service.py starts it and turns startup errors into one line."""
    from bot.service import run_service

    database = {"REVIVE_DATABASE_PATH": str(tmp_path / "revive.sqlite3")}
    cases = [
        ("wrong.token.value", 1, "error: Discord rejected DISCORD_BOT_TOKEN"),
        ("   ", 1, "error: Discord rejected"),
    ]
    for token, code, line in cases:
        settings = make_settings(fake, DISCORD_BOT_TOKEN=token, **database)
        assert await asyncio.to_thread(run_service, "discord", settings, triage) == code
        errors = [ln for ln in capsys.readouterr().err.splitlines() if ln.startswith("error:")]
        assert len(errors) == 1
        assert errors[0].startswith(line)
    missing = make_settings(fake, **database).model_copy(update={"discord_bot_token": None})
    assert await asyncio.to_thread(run_service, "discord", missing, triage) == 2
    assert capsys.readouterr().err.startswith("error: DISCORD_BOT_TOKEN is not set.")


async def test_heartbeats_are_sent_and_acked(fake: FakeDiscord, triage: Triage, store: SQLiteStore) -> None:
    fake.heartbeat_interval_ms = 40
    async with serving(fake, make_settings(fake), triage, store) as task:
        await fake.wait_for(lambda: fake.heartbeats >= 3)
        assert not task.done()  # still connected: every heartbeat got its ACK
    assert fake.close_codes == []

"""The real entry points as subprocesses: `python -m bot telegram` runs, answers and stops on SIGTERM."""

from __future__ import annotations

import asyncio
import os
import signal
import sys
from pathlib import Path

import pytest

from bot.adapters.telegram import check_token
from bot.adapters.telegram.app import ConfigError, api_base_url, webhook_config
from bot.settings import Settings
from tests.adapters.telegram._tg_support import ALICE, ALICE_DM
from tests.fakes.fake_telegram import TOKEN, FakeTelegram

REPO = Path(__file__).resolve().parents[3]
pytestmark = pytest.mark.slow


def child_env(tmp_path: Path, **extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("TELEGRAM_", "REVIVE_", "DISCORD_"))}
    env.update(
        {
            "PYTHONPATH": str(REPO),
            "REVIVE_DATABASE_PATH": str(tmp_path / "revive.sqlite3"),
            "REVIVE_LOG_LEVEL": "DEBUG",
            "NO_PROXY": "127.0.0.1,localhost",
            **extra,
        }
    )
    return env


async def start(tmp_path: Path, *args: str, **env: str) -> asyncio.subprocess.Process:
    return await asyncio.create_subprocess_exec(
        sys.executable,
        *args,
        cwd=tmp_path,  # no stray .env
        env=child_env(tmp_path, **env),
        stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.PIPE,
    )


async def test_python_m_bot_telegram_answers_and_stops_on_sigterm(fake: FakeTelegram, tmp_path: Path) -> None:
    proc = await start(tmp_path, "-m", "bot", "telegram", TELEGRAM_BOT_TOKEN=TOKEN, TELEGRAM_API_BASE_URL=fake.base_url)
    try:
        await fake.wait_calls("getUpdates", timeout=15)
        fake.send_text(ALICE_DM, ALICE, "my iphone 7 plus is stuck on the apple logo")
        await fake.barrier(timeout=10)
        [sent] = fake.requests("sendMessage")  # one message: the first reply
        assert sent.params["parse_mode"] == "HTML"
        assert sent.params["text"].startswith("<b>iPhone 7 Plus: Stuck on the Apple logo")
        assert "Volume Down" in sent.params["text"]
        assert "inline_keyboard" in sent.params["reply_markup"]

        proc.send_signal(signal.SIGTERM)
        code = await asyncio.wait_for(proc.wait(), 5)
    finally:
        if proc.returncode is None:
            proc.kill()
            await proc.wait()
    stderr = (await proc.stderr.read()).decode() if proc.stderr else ""
    assert code == 0, stderr
    assert TOKEN not in stderr
    assert TOKEN.split(":")[1] not in stderr
    assert "Traceback" not in stderr
    # the final getUpdates confirms the offset, so the answered message is not fetched again after a restart
    assert fake.requests("getUpdates")[-1].params["timeout"] == 0


@pytest.mark.parametrize(
    ("args", "token", "message", "code"),
    [
        (("-m", "bot", "telegram"), "", "error: TELEGRAM_BOT_TOKEN is not set.", 2),
        (("-m", "bot", "telegram"), "12345:short", "error: TELEGRAM_BOT_TOKEN is malformed", 2),
        (("-m", "bot.adapters.telegram"), "", "error: TELEGRAM_BOT_TOKEN is not set", 2),
        (("-m", "bot.adapters.telegram"), "not a token at all", "error: TELEGRAM_BOT_TOKEN is malformed", 2),
    ],
)
async def test_bad_tokens_give_one_line(
    tmp_path: Path, args: tuple[str, ...], token: str, message: str, code: int
) -> None:
    env = {"TELEGRAM_BOT_TOKEN": token} if token else {}
    proc = await start(tmp_path, *args, **env)
    _, stderr = await asyncio.wait_for(proc.communicate(), 15)
    lines = stderr.decode().strip().splitlines()
    assert proc.returncode == code
    assert len(lines) == 1, lines
    assert lines[0].startswith(message)


@pytest.mark.parametrize("args", [("-m", "bot", "telegram"), ("-m", "bot.adapters.telegram")])
async def test_token_rejected_by_telegram(fake: FakeTelegram, tmp_path: Path, args: tuple[str, ...]) -> None:
    other = "987654321:" + "B" * 35
    proc = await start(tmp_path, *args, TELEGRAM_BOT_TOKEN=other, TELEGRAM_API_BASE_URL=fake.base_url)
    _, stderr = await asyncio.wait_for(proc.communicate(), 15)
    errors = [line for line in stderr.decode().splitlines() if line.startswith("error:")]
    assert proc.returncode == 1
    assert errors == [
        "error: Telegram rejected TELEGRAM_BOT_TOKEN (invalid or revoked). Get the current token from @BotFather."
    ]
    assert "Traceback" not in stderr.decode()
    assert other not in stderr.decode()


async def test_adapter_module_entry_answers_and_stops_on_sigint(fake: FakeTelegram, tmp_path: Path) -> None:
    proc = await start(
        tmp_path, "-m", "bot.adapters.telegram", TELEGRAM_BOT_TOKEN=TOKEN, TELEGRAM_API_BASE_URL=fake.base_url
    )
    try:
        await fake.wait_calls("getUpdates", timeout=15)
        fake.send_text(ALICE_DM, ALICE, "/help")
        await fake.barrier(timeout=10)
        assert fake.requests("sendMessage")[0].params["text"].startswith("<b>Revive: iPhone recovery help</b>")
        proc.send_signal(signal.SIGINT)
        code = await asyncio.wait_for(proc.wait(), 5)
    finally:
        if proc.returncode is None:
            proc.kill()
            await proc.wait()
    assert code == 0


def settings(**values: object) -> Settings:
    return Settings(_env_file=None, **values)  # type: ignore[call-arg]


def test_check_token() -> None:
    assert check_token(settings(TELEGRAM_BOT_TOKEN=f" {TOKEN} ")) == TOKEN
    for bad in ("abc", "123:short", "123:" + "a" * 29, ":" + "a" * 40, "12 3:" + "a" * 40):
        with pytest.raises(ConfigError, match="malformed"):
            check_token(settings(TELEGRAM_BOT_TOKEN=bad))
    with pytest.raises(ConfigError, match="not set"):
        check_token(settings())


def test_webhook_needs_a_secret() -> None:
    assert webhook_config(settings(TELEGRAM_BOT_TOKEN=TOKEN)) is None
    with pytest.raises(ConfigError, match="TELEGRAM_WEBHOOK_SECRET must be set"):
        webhook_config(settings(TELEGRAM_WEBHOOK_URL="https://x.example/hook"))
    with pytest.raises(ConfigError, match="TELEGRAM_WEBHOOK_SECRET must be set"):
        webhook_config(settings(TELEGRAM_WEBHOOK_URL="https://x.example/hook", TELEGRAM_WEBHOOK_SECRET="bad secret!"))
    with pytest.raises(ConfigError, match="full URL"):
        webhook_config(settings(TELEGRAM_WEBHOOK_URL="x.example/hook", TELEGRAM_WEBHOOK_SECRET="ok"))
    config = webhook_config(
        settings(
            TELEGRAM_WEBHOOK_URL="https://x.example/tg/hook/", TELEGRAM_WEBHOOK_SECRET="ok", TELEGRAM_WEBHOOK_PORT=9000
        )
    )
    assert config is not None
    assert (config.url_path, config.secret, config.listen, config.port) == ("tg/hook", "ok", "127.0.0.1", 9000)


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("http://127.0.0.1:8081/bot", ("http://127.0.0.1:8081/bot", "http://127.0.0.1:8081/file/bot")),
        ("http://127.0.0.1:8081/", ("http://127.0.0.1:8081/bot", "http://127.0.0.1:8081/file/bot")),
        ("https://tg.example.org", ("https://tg.example.org/bot", "https://tg.example.org/file/bot")),
        ("", None),
    ],
)
def test_api_base_url(value: str, expected: tuple[str, str] | None) -> None:
    assert api_base_url(settings(TELEGRAM_API_BASE_URL=value)) == expected

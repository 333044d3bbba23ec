"""Settings: read at start-up only, every one documented in .env.example, tokens never shown."""

from __future__ import annotations

import logging
import re
import subprocess
import sys
from pathlib import Path

import pytest
from pydantic import SecretStr, ValidationError

from bot.settings import DEFAULT_DATABASE_PATH, DEFAULT_KNOWLEDGE_DIR, Settings

REPO = Path(__file__).resolve().parents[1]
ENV_EXAMPLE = REPO / ".env.example"
SETTING_LINE = re.compile(r"^([A-Z][A-Z0-9_]*)=(.*)$")
TOKEN = "123456:AAE-very-secret-token-value"


@pytest.fixture(autouse=True)
def _clean_env(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    for name in Settings.env_names():
        monkeypatch.delenv(name, raising=False)
    monkeypatch.chdir(tmp_path)  # no stray .env from the developer's checkout


def example_entries() -> dict[str, tuple[str, list[str]]]:
    """NAME -> (value, comment lines right above it) for each setting line in .env.example."""
    entries: dict[str, tuple[str, list[str]]] = {}
    comments: list[str] = []
    for line in ENV_EXAMPLE.read_text(encoding="utf-8").splitlines():
        if line.startswith("#"):
            comments.append(line)
            continue
        match = SETTING_LINE.match(line)
        if match:
            assert match.group(1) not in entries, f"{match.group(1)} listed twice"
            entries[match.group(1)] = (match.group(2), comments)
        else:
            assert not line.strip(), f"unexpected line in .env.example: {line!r}"
        comments = []
    return entries


def test_env_example_lists_exactly_the_settings() -> None:
    """Every setting is in .env.example and .env.example has nothing else."""
    assert set(example_entries()) == set(Settings.env_names())


def test_every_example_setting_has_a_comment() -> None:
    """Each setting line sits right under a comment that explains it."""
    for name, (_, comments) in example_entries().items():
        assert comments, name
        assert len(comments[-1].strip("# ")) > 10, name


def test_env_example_holds_no_secrets_and_loads_as_the_defaults() -> None:
    """A copied .env.example starts the bot with the defaults: no token, nothing surprising."""
    entries = example_entries()
    for name in ("TELEGRAM_BOT_TOKEN", "DISCORD_BOT_TOKEN", "TELEGRAM_WEBHOOK_SECRET", "REVIVE_USER_HASH_KEY"):
        assert entries[name][0] == "", name
    assert Settings.load(env_file=ENV_EXAMPLE) == Settings.load(env_file=None)


def test_defaults() -> None:
    """Without any configuration the bot has no token and keeps its data in ./revive.sqlite3."""
    settings = Settings.load(env_file=None)
    assert settings.telegram_bot_token is None
    assert settings.discord_bot_token is None
    assert not settings.has_any_token
    assert settings.database_path == DEFAULT_DATABASE_PATH == Path("revive.sqlite3")
    assert settings.knowledge_dir == DEFAULT_KNOWLEDGE_DIR
    assert settings.discord_help_channel_ids == []
    assert settings.log_level == "INFO"


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("123", [123]),
        ("123,456", [123, 456]),
        (" 123 , 456 ,", [123, 456]),
        ("123 456", [123, 456]),
        ("[123, 456]", [123, 456]),
    ],
)
def test_help_channel_ids_accept_comma_lists(monkeypatch: pytest.MonkeyPatch, raw: str, expected: list[int]) -> None:
    """DISCORD_HELP_CHANNEL_IDS takes "123,456" (and a JSON list) from the environment."""
    monkeypatch.setenv("DISCORD_HELP_CHANNEL_IDS", raw)
    assert Settings.load(env_file=None).discord_help_channel_ids == expected


def test_help_channel_ids_from_env_file(tmp_path: Path) -> None:
    """The same comma list works in a .env file."""
    env = tmp_path / "custom.env"
    env.write_text("DISCORD_HELP_CHANNEL_IDS=111111111111111111,222222222222222222\n")
    assert Settings.load(env_file=env).discord_help_channel_ids == [111111111111111111, 222222222222222222]


def test_help_channel_ids_reject_garbage(monkeypatch: pytest.MonkeyPatch) -> None:
    """A channel id that isn't a number is a validation error naming the variable."""
    monkeypatch.setenv("DISCORD_HELP_CHANNEL_IDS", "123,general")
    with pytest.raises(ValidationError, match="DISCORD_HELP_CHANNEL_IDS"):
        Settings.load(env_file=None)


def test_environment_wins_over_env_file(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    """A variable in the environment overrides the same one in .env."""
    env = tmp_path / ".env"
    env.write_text("REVIVE_DATABASE_PATH=from-file.sqlite3\nREVIVE_LOG_LEVEL=debug\n")
    monkeypatch.setenv("REVIVE_DATABASE_PATH", "/srv/revive/from-env.sqlite3")
    settings = Settings.load()  # default env_file=".env", relative to the working directory
    assert settings.database_path == Path("/srv/revive/from-env.sqlite3")
    assert settings.log_level == "DEBUG"


def test_empty_values_mean_unset(monkeypatch: pytest.MonkeyPatch) -> None:
    """NAME= (as in a copied .env.example) falls back to the default instead of failing or being ''."""
    monkeypatch.setenv("TELEGRAM_BOT_TOKEN", "")
    monkeypatch.setenv("DISCORD_GUILD_ID", "")
    monkeypatch.setenv("REVIVE_AUTO_COOLDOWN_SECONDS", "")
    settings = Settings.load(env_file=None)
    assert settings.telegram_bot_token is None
    assert settings.discord_guild_id is None
    assert settings.auto_cooldown_seconds == 300


def test_database_path_expands_home(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    """REVIVE_DATABASE_PATH=~/revive.sqlite3 means the home directory."""
    monkeypatch.setenv("HOME", str(tmp_path))
    monkeypatch.setenv("REVIVE_DATABASE_PATH", "~/revive.sqlite3")
    assert Settings.load(env_file=None).database_path == tmp_path / "revive.sqlite3"


@pytest.mark.parametrize(
    ("name", "value"),
    [
        ("REVIVE_LOG_LEVEL", "loud"),
        ("REVIVE_AUTO_COOLDOWN_SECONDS", "-1"),
        ("REVIVE_AUTO_MIN_CONFIDENCE", "1.5"),
        ("TELEGRAM_WEBHOOK_PORT", "0"),
    ],
)
def test_invalid_values_name_the_variable(monkeypatch: pytest.MonkeyPatch, name: str, value: str) -> None:
    """A bad value fails at start-up with the variable's name in the message."""
    monkeypatch.setenv(name, value)
    with pytest.raises(ValidationError, match=name):
        Settings.load(env_file=None)


def test_tokens_never_shown(monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture) -> None:
    """Tokens and secrets appear in no repr, str, dump or log line, yet are usable."""
    monkeypatch.setenv("TELEGRAM_BOT_TOKEN", TOKEN)
    monkeypatch.setenv("DISCORD_BOT_TOKEN", TOKEN + "-discord")
    monkeypatch.setenv("TELEGRAM_WEBHOOK_SECRET", TOKEN + "-webhook")
    monkeypatch.setenv("REVIVE_USER_HASH_KEY", TOKEN + "-hash")
    settings = Settings.load(env_file=None)
    assert settings.has_any_token
    assert isinstance(settings.telegram_bot_token, SecretStr)
    assert settings.telegram_bot_token.get_secret_value() == TOKEN
    with caplog.at_level(logging.DEBUG):
        logging.getLogger("revive.test").info("settings: %s / %r", settings, settings)
    shown = "\n".join(
        [repr(settings), str(settings), settings.model_dump_json(), str(settings.model_dump()), caplog.text]
    )
    assert "very-secret" not in shown
    assert "**********" in shown


def test_importing_settings_reads_nothing(tmp_path: Path) -> None:
    """Importing bot.settings with a broken environment works; only Settings.load() validates."""
    code = "import bot.settings, bot.store, bot.stats"
    env = {"PYTHONPATH": str(REPO), "REVIVE_LOG_LEVEL": "nonsense", "TELEGRAM_WEBHOOK_PORT": "not-a-port"}
    result = subprocess.run([sys.executable, "-c", code], cwd=tmp_path, env=env, capture_output=True, text=True)
    assert result.returncode == 0, result.stderr


def test_message_content_logging_is_off_unless_set(monkeypatch: pytest.MonkeyPatch) -> None:
    """REVIVE_LOG_MESSAGE_CONTENT defaults to false, and .env.example keeps it false."""
    assert Settings.load(env_file=None).log_message_content is False
    assert example_entries()["REVIVE_LOG_MESSAGE_CONTENT"][0] == "false"
    monkeypatch.setenv("REVIVE_LOG_MESSAGE_CONTENT", "true")
    assert Settings.load(env_file=None).log_message_content is True
    monkeypatch.setenv("REVIVE_LOG_MESSAGE_CONTENT", "sometimes")
    with pytest.raises(ValidationError, match="REVIVE_LOG_MESSAGE_CONTENT"):
        Settings.load(env_file=None)


def test_hash_key_file_defaults_to_none_and_expands_home(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    """Unset, the store puts the key next to the database; set, ~ means the home directory."""
    assert Settings.load(env_file=None).user_hash_key_file is None
    monkeypatch.setenv("HOME", str(tmp_path))
    monkeypatch.setenv("REVIVE_USER_HASH_KEY_FILE", "~/secrets/revive.key")
    assert Settings.load(env_file=None).user_hash_key_file == tmp_path / "secrets" / "revive.key"


def test_secret_values_are_the_configured_secrets(monkeypatch: pytest.MonkeyPatch) -> None:
    """What the log redaction masks: every configured token, the webhook secret and the hash key."""
    assert Settings.load(env_file=None).secret_values() == ()
    monkeypatch.setenv("TELEGRAM_BOT_TOKEN", TOKEN)
    monkeypatch.setenv("DISCORD_BOT_TOKEN", "discord-token-value")
    monkeypatch.setenv("TELEGRAM_WEBHOOK_SECRET", "webhook-secret-value")
    monkeypatch.setenv("REVIVE_USER_HASH_KEY", "hash-key-value")
    assert set(Settings.load(env_file=None).secret_values()) == {
        TOKEN,
        "discord-token-value",
        "webhook-secret-value",
        "hash-key-value",
    }

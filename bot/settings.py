"""All configuration, read from the environment and an optional ``.env`` file.

Build it with ``Settings.load()`` in ``main()``; importing this module reads
nothing, so tests and tools import freely. Tokens are ``SecretStr`` and never
show up in a repr or a log line.

Every field's ``validation_alias`` is the environment variable that sets it, and
``.env.example`` documents each one (``tests/test_settings.py`` keeps the two in
step). Empty values (``NAME=``, as in a copied ``.env.example``) count as unset.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated, Any

from pydantic import Field, SecretStr, field_validator
from pydantic_settings import BaseSettings, NoDecode, SettingsConfigDict

from bot.paths import DEFAULT_KNOWLEDGE_DIR as DEFAULT_KNOWLEDGE_DIR  # re-exported: callers import it from here

DEFAULT_DATABASE_PATH = Path("revive.sqlite3")
LOG_LEVELS = ("DEBUG", "INFO", "WARNING", "ERROR", "CRITICAL")


class Settings(BaseSettings):
    """Every setting the bot reads. `.env.example` documents each one."""

    model_config = SettingsConfigDict(
        env_file=".env",
        env_file_encoding="utf-8",
        env_ignore_empty=True,
        extra="ignore",
    )

    # Core
    knowledge_dir: Path = Field(default=DEFAULT_KNOWLEDGE_DIR, validation_alias="REVIVE_KNOWLEDGE_DIR")
    database_path: Path = Field(default=DEFAULT_DATABASE_PATH, validation_alias="REVIVE_DATABASE_PATH")
    log_level: str = Field(default="INFO", validation_alias="REVIVE_LOG_LEVEL")
    user_hash_key: SecretStr | None = Field(default=None, validation_alias="REVIVE_USER_HASH_KEY")
    # None: ``<database>.key`` next to the database (bot.store.keyfile.default_key_file).
    user_hash_key_file: Path | None = Field(default=None, validation_alias="REVIVE_USER_HASH_KEY_FILE")
    log_message_content: bool = Field(default=False, validation_alias="REVIVE_LOG_MESSAGE_CONTENT")
    auto_cooldown_seconds: int = Field(default=300, ge=0, validation_alias="REVIVE_AUTO_COOLDOWN_SECONDS")
    auto_min_confidence: float = Field(default=0.6, ge=0, le=1, validation_alias="REVIVE_AUTO_MIN_CONFIDENCE")

    # Telegram
    telegram_bot_token: SecretStr | None = Field(default=None, validation_alias="TELEGRAM_BOT_TOKEN")
    telegram_api_base_url: str | None = Field(default=None, validation_alias="TELEGRAM_API_BASE_URL")
    telegram_webhook_url: str | None = Field(default=None, validation_alias="TELEGRAM_WEBHOOK_URL")
    telegram_webhook_secret: SecretStr | None = Field(default=None, validation_alias="TELEGRAM_WEBHOOK_SECRET")
    telegram_webhook_listen: str = Field(default="127.0.0.1", validation_alias="TELEGRAM_WEBHOOK_LISTEN")
    telegram_webhook_port: int = Field(default=8443, ge=1, le=65535, validation_alias="TELEGRAM_WEBHOOK_PORT")

    # Discord
    discord_bot_token: SecretStr | None = Field(default=None, validation_alias="DISCORD_BOT_TOKEN")
    discord_guild_id: int | None = Field(default=None, validation_alias="DISCORD_GUILD_ID")
    discord_api_base_url: str | None = Field(default=None, validation_alias="DISCORD_API_BASE_URL")
    discord_gateway_url: str | None = Field(default=None, validation_alias="DISCORD_GATEWAY_URL")
    discord_help_channel_ids: Annotated[list[int], NoDecode] = Field(
        default_factory=list, validation_alias="DISCORD_HELP_CHANNEL_IDS"
    )
    # Members with this role may act on anyone's answer; the handoff summary mentions it (and nothing else).
    discord_helper_role_id: int | None = Field(default=None, validation_alias="DISCORD_HELPER_ROLE_ID")
    # Forum tag (name or id) put on a forum post when the asker presses "It worked".
    discord_solved_tag: str | None = Field(default=None, validation_alias="DISCORD_SOLVED_TAG")

    @classmethod
    def load(cls, env_file: str | Path | None = ".env") -> Settings:
        """Read the environment (and ``env_file`` if it exists); the environment wins over the file."""
        return cls(_env_file=env_file)

    @classmethod
    def env_names(cls) -> tuple[str, ...]:
        """The environment variable of every setting, in declaration order."""
        names: list[str] = []
        for name, field in cls.model_fields.items():
            alias = field.validation_alias
            names.append(alias if isinstance(alias, str) else name.upper())
        return tuple(names)

    @field_validator("discord_help_channel_ids", mode="before")
    @classmethod
    def _split_channel_ids(cls, value: Any) -> Any:
        """Accept ``123,456`` (and ``123 456`` or a JSON list) besides a real list."""
        if isinstance(value, int) and not isinstance(value, bool):
            return [value]
        if not isinstance(value, str):
            return value
        text = value.strip()
        if text.startswith("["):
            return json.loads(text)
        return [part for part in text.replace(",", " ").split() if part]

    @field_validator("log_level", mode="before")
    @classmethod
    def _check_log_level(cls, value: Any) -> Any:
        if isinstance(value, str):
            level = value.strip().upper()
            if level not in LOG_LEVELS:
                raise ValueError(f"must be one of {', '.join(LOG_LEVELS)}")
            return level
        return value

    @field_validator("database_path", "knowledge_dir", "user_hash_key_file", mode="after")
    @classmethod
    def _expand_user(cls, value: Path | None) -> Path | None:
        return value.expanduser() if value is not None else None

    def secret_values(self) -> tuple[str, ...]:
        """The configured secrets (tokens, webhook secret, hash key), for the log redaction."""
        secrets = (self.telegram_bot_token, self.telegram_webhook_secret, self.discord_bot_token, self.user_hash_key)
        return tuple(secret.get_secret_value() for secret in secrets if secret is not None)

    @property
    def has_any_token(self) -> bool:
        """True when at least one chat platform can be started."""
        return self.telegram_bot_token is not None or self.discord_bot_token is not None

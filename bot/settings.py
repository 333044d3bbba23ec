"""All configuration, read from the environment and an optional ``.env`` file.

Build it with ``Settings.load()`` in ``main()``; importing this module reads
nothing, so tests and tools import freely. Tokens are ``SecretStr`` and never
show up in a repr or a log line.
"""

from __future__ import annotations

from pathlib import Path

from pydantic import Field, SecretStr
from pydantic_settings import BaseSettings, SettingsConfigDict

REPO_ROOT = Path(__file__).resolve().parent.parent
DEFAULT_KNOWLEDGE_DIR = REPO_ROOT / "knowledge"


class Settings(BaseSettings):
    """Every setting the bot reads. `.env.example` documents each one."""

    model_config = SettingsConfigDict(env_file=".env", env_file_encoding="utf-8", extra="ignore")

    # Core
    knowledge_dir: Path = Field(default=DEFAULT_KNOWLEDGE_DIR, validation_alias="REVIVE_KNOWLEDGE_DIR")
    database_path: Path = Field(default=Path("revive.sqlite3"), validation_alias="REVIVE_DATABASE_PATH")
    log_level: str = Field(default="INFO", validation_alias="REVIVE_LOG_LEVEL")
    user_hash_key: SecretStr | None = Field(default=None, validation_alias="REVIVE_USER_HASH_KEY")
    auto_cooldown_seconds: int = Field(default=300, ge=0, validation_alias="REVIVE_AUTO_COOLDOWN_SECONDS")
    auto_min_confidence: float = Field(default=0.6, ge=0, le=1, validation_alias="REVIVE_AUTO_MIN_CONFIDENCE")

    # Telegram
    telegram_bot_token: SecretStr | None = Field(default=None, validation_alias="TELEGRAM_BOT_TOKEN")
    telegram_api_base_url: str | None = Field(default=None, validation_alias="TELEGRAM_API_BASE_URL")
    telegram_webhook_url: str | None = Field(default=None, validation_alias="TELEGRAM_WEBHOOK_URL")
    telegram_webhook_secret: SecretStr | None = Field(default=None, validation_alias="TELEGRAM_WEBHOOK_SECRET")
    telegram_webhook_listen: str = Field(default="127.0.0.1", validation_alias="TELEGRAM_WEBHOOK_LISTEN")
    telegram_webhook_port: int = Field(default=8443, validation_alias="TELEGRAM_WEBHOOK_PORT")

    # Discord
    discord_bot_token: SecretStr | None = Field(default=None, validation_alias="DISCORD_BOT_TOKEN")
    discord_guild_id: int | None = Field(default=None, validation_alias="DISCORD_GUILD_ID")
    discord_api_base_url: str | None = Field(default=None, validation_alias="DISCORD_API_BASE_URL")
    discord_gateway_url: str | None = Field(default=None, validation_alias="DISCORD_GATEWAY_URL")
    discord_help_channel_ids: list[int] = Field(default_factory=list, validation_alias="DISCORD_HELP_CHANNEL_IDS")

    @classmethod
    def load(cls, env_file: str | Path | None = ".env") -> Settings:
        """Read the environment (and ``env_file`` if it exists)."""
        return cls(_env_file=env_file)  # type: ignore[call-arg]

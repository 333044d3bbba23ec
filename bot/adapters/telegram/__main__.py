"""``python -m bot.adapters.telegram``: run only the Telegram adapter (``python -m bot telegram`` does the same)."""

from __future__ import annotations

import asyncio
import sys

from bot.adapters.telegram.app import ConfigError, check_token, run
from bot.core import Triage
from bot.core.knowledge import KnowledgeError
from bot.log import setup_logging
from bot.settings import Settings
from bot.store.base import StoreError
from bot.store.sqlite import SQLiteStore


def main() -> int:
    settings = Settings.load()
    setup_logging(settings.log_level)
    try:
        check_token(settings)
    except ConfigError as exc:
        sys.stderr.write(f"error: {exc}\n")
        return 2
    try:
        triage = Triage.from_directory(settings.knowledge_dir)
    except KnowledgeError as exc:
        sys.stderr.write(f"error: broken knowledge base: {exc}\n")
        return 1
    try:
        store = asyncio.run(SQLiteStore.from_settings(settings))
    except StoreError as exc:
        sys.stderr.write(f"error: {exc}\n")
        return 1
    try:
        return run(settings, triage, store)
    finally:
        asyncio.run(store.close())


if __name__ == "__main__":
    sys.exit(main())

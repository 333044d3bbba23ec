"""``python -m bot.adapters.discord``: the Discord bot on its own (``python -m bot discord`` does the same)."""

from __future__ import annotations

import asyncio
import sys


def main() -> int:
    from bot.adapters.discord import run
    from bot.core.triage import Triage
    from bot.settings import Settings
    from bot.store.sqlite import SQLiteStore

    settings = Settings.load()
    triage = Triage.from_directory(settings.knowledge_dir)
    store = asyncio.run(SQLiteStore.from_settings(settings))
    try:
        return run(settings, triage, store)
    finally:
        asyncio.run(store.close())


if __name__ == "__main__":
    sys.exit(main())

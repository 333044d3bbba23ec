"""Persistent storage: the `Store` protocol adapters use, and its SQLite implementation."""

from typing import TYPE_CHECKING, Any

from bot.store.base import (
    OUTCOME_KINDS,
    PLATFORMS,
    ChatSettings,
    Outcome,
    OutcomeKind,
    OutcomeRecord,
    Platform,
    Store,
    StoreError,
)

if TYPE_CHECKING:
    from bot.store.sqlite import SCHEMA_VERSION, SQLiteStore


def __getattr__(name: str) -> Any:
    """The SQLite store on first use: importing it (aiosqlite, asyncio, pydantic) would slow ``bot.core``'s
    importers, which need only ``bot.store.base`` (``python -m bot triage`` renders with the conversation)."""
    if name in ("SCHEMA_VERSION", "SQLiteStore"):
        import importlib

        return getattr(importlib.import_module("bot.store.sqlite"), name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


__all__ = [
    "OUTCOME_KINDS",
    "PLATFORMS",
    "SCHEMA_VERSION",
    "ChatSettings",
    "Outcome",
    "OutcomeKind",
    "OutcomeRecord",
    "Platform",
    "SQLiteStore",
    "Store",
    "StoreError",
]

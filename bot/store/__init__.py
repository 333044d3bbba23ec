"""Persistent storage: the `Store` protocol adapters use, and its SQLite implementation."""

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
from bot.store.sqlite import SCHEMA_VERSION, SQLiteStore

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

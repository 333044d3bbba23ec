"""Schema migrations: from an empty file, from an older schema written by hand, and the refusals."""

from __future__ import annotations

import hashlib
import hmac
import sqlite3
from pathlib import Path

import pytest

from bot.store import SCHEMA_VERSION, ChatSettings, SQLiteStore, StoreError
from bot.store.sqlite import MIGRATIONS

# The version 1 schema exactly as Revive 0.1 wrote it, typed out again on purpose: if someone edits
# MIGRATIONS[0] after release, this test still starts from what real v1 files contain.
V1_SCHEMA = """
CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE remembered_models (
    platform TEXT NOT NULL, user_hash TEXT NOT NULL, model_id TEXT NOT NULL, updated_at TEXT NOT NULL,
    PRIMARY KEY (platform, user_hash)
);
CREATE TABLE outcomes (
    id INTEGER PRIMARY KEY, answer_id TEXT NOT NULL, platform TEXT NOT NULL, user_hash TEXT NOT NULL,
    kind TEXT NOT NULL CHECK (kind IN ('worked', 'failed', 'not_helpful')), symptom_id TEXT NOT NULL,
    family TEXT NOT NULL, step INTEGER NOT NULL CHECK (step >= 0), created_at TEXT NOT NULL
);
CREATE UNIQUE INDEX outcomes_press ON outcomes (answer_id, platform, user_hash, step);
PRAGMA user_version = 1;
"""
KEY = bytes(range(32))


def user_hash(platform: str, user_id: str) -> str:
    return hmac.new(KEY, f"{platform}:{user_id}".encode(), hashlib.sha256).hexdigest()


def write_v1(path: Path, *, extra_sql: str = "") -> None:
    with sqlite3.connect(path) as raw:
        raw.executescript(V1_SCHEMA + extra_sql)
        raw.execute("INSERT INTO meta VALUES ('user_hash_key', ?)", (KEY.hex(),))
        raw.execute(
            "INSERT INTO remembered_models VALUES ('telegram', ?, 'iphone-11', '2025-12-01T10:00:00.000000+00:00')",
            (user_hash("telegram", "42"),),
        )
        raw.execute(
            "INSERT INTO outcomes (answer_id, platform, user_hash, kind, symptom_id, family, step, created_at) "
            "VALUES ('old1', 'discord', ?, 'worked', 'stuck_on_logo', 'home', 1, '2025-12-01T10:05:00.000000+00:00')",
            (user_hash("discord", "7"),),
        )
    raw.close()


def columns(path: Path, table: str) -> list[str]:
    with sqlite3.connect(path) as raw:
        names = [row[1] for row in raw.execute(f"PRAGMA table_info({table})")]
    raw.close()
    return names


def version(path: Path) -> int:
    with sqlite3.connect(path) as raw:
        value = int(raw.execute("PRAGMA user_version").fetchone()[0])
    raw.close()
    return value


def test_there_is_more_than_one_migration() -> None:
    """The upgrade path below is exercised only while there is an older schema to upgrade from."""
    assert SCHEMA_VERSION == len(MIGRATIONS) >= 2


async def test_migrates_an_empty_file(db_path: Path) -> None:
    """A brand-new (or zero-byte) file ends at the current version with every table."""
    db_path.parent.mkdir(parents=True)
    db_path.touch()
    async with await SQLiteStore.open(db_path) as store:
        assert store.schema_version == SCHEMA_VERSION
    assert version(db_path) == SCHEMA_VERSION
    assert "action" in columns(db_path, "outcomes")
    assert columns(db_path, "chat_settings")


async def test_migrates_v1_and_keeps_its_data(db_path: Path) -> None:
    """A v1 file is upgraded in place: old models and outcomes stay readable, new tables work."""
    db_path.parent.mkdir(parents=True)
    write_v1(db_path)
    assert version(db_path) == 1

    async with await SQLiteStore.open(db_path) as store:
        assert await store.remembered_model("telegram", "42") == "iphone-11"
        (record,) = await store.outcome_records()
        assert (record.answer_id, record.kind, record.symptom_id, record.family, record.step) == (
            "old1",
            "worked",
            "stuck_on_logo",
            "home",
            1,
        )
        assert record.action == ""  # unknown for v1 rows
        await store.save_chat_settings("discord", "9", ChatSettings(auto_mode=True))
        assert await store.forget_user("discord", "7") == 1

    assert version(db_path) == SCHEMA_VERSION
    assert "action" in columns(db_path, "outcomes")


async def test_reopening_a_current_file_changes_nothing(db_path: Path) -> None:
    """Migrations run once: a second open finds the current version and leaves data alone."""
    async with await SQLiteStore.open(db_path) as store:
        await store.remember_model("console", "me", "iphone-13")
    async with await SQLiteStore.open(db_path) as store:
        assert await store.remembered_model("console", "me") == "iphone-13"
    assert version(db_path) == SCHEMA_VERSION


async def test_failed_migration_rolls_back_and_names_the_file(db_path: Path) -> None:
    """A migration that can't apply leaves the file at its old version, untouched, with a clear error."""
    db_path.parent.mkdir(parents=True)
    # A stray table named like one v2 creates makes migration 2 fail halfway.
    write_v1(db_path, extra_sql="CREATE TABLE chat_settings (x INTEGER);")
    with pytest.raises(StoreError, match="migrating its schema to version 2") as info:
        await SQLiteStore.open(db_path)
    assert str(db_path) in str(info.value)
    assert version(db_path) == 1
    assert "action" not in columns(db_path, "outcomes")  # the ALTER TABLE before the failure was undone


async def test_newer_schema_is_refused(db_path: Path) -> None:
    """A file from a newer Revive is not touched and the error says why."""
    db_path.parent.mkdir(parents=True)
    with sqlite3.connect(db_path) as raw:
        raw.execute(f"PRAGMA user_version = {SCHEMA_VERSION + 5}")
    raw.close()
    with pytest.raises(StoreError, match="newer than this Revive") as info:
        await SQLiteStore.open(db_path)
    assert str(db_path) in str(info.value)
    assert version(db_path) == SCHEMA_VERSION + 5

"""The user-hash key lives outside the database: a 0600 key file by default, or REVIVE_USER_HASH_KEY."""

from __future__ import annotations

import hashlib
import hmac
import logging
import sqlite3
import stat
from pathlib import Path

import pytest

from bot.settings import Settings
from bot.store import SCHEMA_VERSION, SQLiteStore, StoreError
from bot.store.keyfile import default_key_file
from tests.store._util import db_bytes
from tests.store.test_store_migrations import KEY, user_hash, write_v1

RAW_USER = "731946285017364912"


def meta_keys(path: Path) -> set[str]:
    with sqlite3.connect(path) as raw:
        keys = {str(row[0]) for row in raw.execute("SELECT key FROM meta")}
    raw.close()
    return keys


async def test_a_new_database_keeps_its_generated_key_in_a_private_file(db_path: Path) -> None:
    """The key goes to <database>.key with mode 0600; the database holds only hashes and a fingerprint."""
    async with await SQLiteStore.open(db_path) as store:
        await store.remember_model("telegram", RAW_USER, "iphone-12")
        stored_hash = store.hash_user("telegram", RAW_USER)
    key_file = default_key_file(db_path)
    assert key_file == db_path.with_name("revive.sqlite3.key")
    assert stat.S_IMODE(key_file.stat().st_mode) == 0o600
    key = bytes.fromhex(key_file.read_text().strip())
    assert len(key) == 32
    assert stored_hash == hmac.new(key, f"telegram:{RAW_USER}".encode(), hashlib.sha256).hexdigest()
    assert meta_keys(db_path) == {"user_hash_key_check"}
    data = db_bytes(db_path)
    assert key.hex().encode() not in data
    assert key not in data
    async with await SQLiteStore.open(db_path) as store:
        assert await store.remembered_model("telegram", RAW_USER) == "iphone-12"


async def test_upgrade_moves_the_key_out_of_an_old_database(db_path: Path) -> None:
    """A v1 file with the key in its meta table: the key moves to the key file and leaves no copy behind."""
    db_path.parent.mkdir(parents=True)
    write_v1(db_path)
    assert KEY.hex().encode() in db_bytes(db_path)

    async with await SQLiteStore.open(db_path) as store:
        assert store.schema_version == SCHEMA_VERSION
        assert await store.remembered_model("telegram", "42") == "iphone-11"  # same hashes as before
        assert store.hash_user("discord", "7") == user_hash("discord", "7")

    key_file = default_key_file(db_path)
    assert key_file.read_text().strip() == KEY.hex()
    assert stat.S_IMODE(key_file.stat().st_mode) == 0o600
    assert "user_hash_key" not in meta_keys(db_path)
    assert KEY.hex().encode() not in db_bytes(db_path)  # not in the file, the WAL, or a free page
    async with await SQLiteStore.open(db_path) as store:  # and the next start reads the key file
        assert await store.remembered_model("telegram", "42") == "iphone-11"


async def test_upgrade_from_the_current_schema_with_the_key_inside(db_path: Path) -> None:
    """A file from the last release (current schema, key in meta, no key file) is upgraded the same way."""
    async with await SQLiteStore.open(db_path) as store:
        await store.remember_model("console", "me", "iphone-13")
    key_file = default_key_file(db_path)
    key_hex = key_file.read_text().strip()
    with sqlite3.connect(db_path) as raw:
        raw.execute("INSERT INTO meta VALUES ('user_hash_key', ?)", (key_hex,))
    raw.close()
    key_file.unlink()

    async with await SQLiteStore.open(db_path) as store:
        assert await store.remembered_model("console", "me") == "iphone-13"
    assert key_file.read_text().strip() == key_hex
    assert key_hex.encode() not in db_bytes(db_path)


async def test_a_key_file_that_disagrees_with_the_old_database_key_is_refused(db_path: Path) -> None:
    db_path.parent.mkdir(parents=True)
    write_v1(db_path)
    default_key_file(db_path).write_text("ab" * 32 + "\n")
    with pytest.raises(StoreError, match="differs from the one kept in the database"):
        await SQLiteStore.open(db_path)
    assert "user_hash_key" in meta_keys(db_path)  # nothing was deleted


async def test_a_lost_key_file_is_a_clear_error(db_path: Path) -> None:
    """Without the key, remembered models and /forget would silently miss old rows: refuse to start."""
    async with await SQLiteStore.open(db_path) as store:
        await store.remember_model("telegram", RAW_USER, "iphone-12")
    default_key_file(db_path).unlink()
    with pytest.raises(StoreError, match="not set now") as info:
        await SQLiteStore.open(db_path)
    assert str(default_key_file(db_path)) in str(info.value)


async def test_an_explicit_key_writes_no_key_file(db_path: Path) -> None:
    async with await SQLiteStore.open(db_path, hash_key="from the environment") as store:
        await store.remember_model("telegram", RAW_USER, "iphone-12")
    assert not default_key_file(db_path).exists()
    assert b"from the environment" not in db_bytes(db_path)


async def test_the_key_file_path_comes_from_the_settings(tmp_path: Path) -> None:
    secrets_dir = tmp_path / "secrets"
    settings = Settings(
        REVIVE_DATABASE_PATH=tmp_path / "db" / "revive.sqlite3", REVIVE_USER_HASH_KEY_FILE=secrets_dir / "hash.key"
    )
    async with await SQLiteStore.from_settings(settings) as store:
        await store.remember_model("discord", "9", "iphone-15")
    assert stat.S_IMODE((secrets_dir / "hash.key").stat().st_mode) == 0o600
    assert not default_key_file(tmp_path / "db" / "revive.sqlite3").exists()
    async with await SQLiteStore.from_settings(settings) as store:
        assert await store.remembered_model("discord", "9") == "iphone-15"


async def test_a_key_file_other_users_can_read_is_warned_about(db_path: Path, caplog: pytest.LogCaptureFixture) -> None:
    async with await SQLiteStore.open(db_path):
        pass
    key_file = default_key_file(db_path)
    key_file.chmod(0o644)
    with caplog.at_level(logging.WARNING, logger="bot.store.keyfile"):
        async with await SQLiteStore.open(db_path):
            pass
    assert "chmod 600" in caplog.text
    assert key_file.read_text().strip() not in caplog.text


async def test_an_unreadable_key_file_names_the_file(db_path: Path) -> None:
    db_path.parent.mkdir(parents=True)
    default_key_file(db_path).write_text("not hex at all\n")
    with pytest.raises(StoreError, match="does not hold a key") as info:
        await SQLiteStore.open(db_path)
    assert str(default_key_file(db_path)) in str(info.value)

"""A database file that can't be used gives a StoreError naming the file, never a bare traceback."""

from __future__ import annotations

import os
import sqlite3
from pathlib import Path

import pytest

from bot.settings import Settings
from bot.stats import main_stats
from bot.store import SQLiteStore, StoreError

as_root = hasattr(os, "geteuid") and os.geteuid() == 0


async def test_text_file_is_not_a_database(tmp_path: Path) -> None:
    """A file that isn't SQLite at all is reported as such, with its path."""
    path = tmp_path / "notes.sqlite3"
    path.write_text("these are my notes, not a database\n" * 200)
    with pytest.raises(StoreError) as info:
        await SQLiteStore.open(path)
    assert str(path) in str(info.value)
    assert "not a database" in str(info.value)
    assert info.value.path == path
    assert path.read_text().startswith("these are my notes")  # left alone


async def test_damaged_database_is_reported(tmp_path: Path) -> None:
    """A real database with garbage over its pages fails the integrity check on open."""
    path = tmp_path / "damaged.sqlite3"
    with sqlite3.connect(path) as raw:
        raw.execute("CREATE TABLE filler (x TEXT)")
        raw.executemany("INSERT INTO filler VALUES (?)", [(f"row {i} " * 20,) for i in range(2000)])
    raw.close()
    size = path.stat().st_size
    with path.open("r+b") as handle:
        handle.seek(size // 2)
        handle.write(b"\xa5" * 8192)
    with pytest.raises(StoreError) as info:
        await SQLiteStore.open(path)
    message = str(info.value)
    assert str(path) in message
    assert "malformed" in message or "integrity" in message or "corrupt" in message


async def test_directory_in_place_of_the_file(tmp_path: Path) -> None:
    """Pointing REVIVE_DATABASE_PATH at a directory is a clear error."""
    with pytest.raises(StoreError, match="is a directory") as info:
        await SQLiteStore.open(tmp_path)
    assert str(tmp_path) in str(info.value)


async def test_parent_is_a_file(tmp_path: Path) -> None:
    """A path whose directory can't exist (its parent is a file) names the path."""
    blocker = tmp_path / "blocker"
    blocker.write_text("x")
    path = blocker / "sub" / "revive.sqlite3"
    with pytest.raises(StoreError, match="can't create its directory") as info:
        await SQLiteStore.open(path)
    assert str(path) in str(info.value)


@pytest.mark.skipif(as_root, reason="root ignores directory permissions")
async def test_unwritable_directory(tmp_path: Path) -> None:
    """A directory this user can't write to gives a StoreError, not a traceback."""
    locked = tmp_path / "locked"
    locked.mkdir()
    locked.chmod(0o500)
    try:
        with pytest.raises(StoreError) as info:
            await SQLiteStore.open(locked / "revive.sqlite3")
        assert str(locked / "revive.sqlite3") in str(info.value)
        assert "write" in str(info.value)
    finally:
        locked.chmod(0o700)


@pytest.mark.skipif(as_root, reason="root ignores file permissions")
async def test_read_only_file(tmp_path: Path) -> None:
    """A read-only database file gives a StoreError naming it."""
    path = tmp_path / "ro.sqlite3"
    async with await SQLiteStore.open(path):
        pass
    path.chmod(0o400)
    tmp_path.chmod(0o500)
    try:
        with pytest.raises(StoreError) as info:
            await SQLiteStore.open(path)
        assert str(path) in str(info.value)
    finally:
        tmp_path.chmod(0o700)
        path.chmod(0o600)


async def test_cli_reports_a_corrupt_file_without_traceback(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """`python -m bot stats` on a broken file prints one error line naming it and returns 1."""
    path = tmp_path / "broken.sqlite3"
    path.write_bytes(b"\x00garbage" * 1000)
    settings = Settings(REVIVE_DATABASE_PATH=path)
    assert await main_stats(settings, argv_json=False, plot_path=None) == 1
    err = capsys.readouterr().err
    assert str(path) in err
    assert "Traceback" not in err

"""Helpers shared by the store tests."""

from __future__ import annotations

from pathlib import Path


def db_bytes(path: Path) -> bytes:
    """The database file plus its WAL and shared-memory files, as they are on disk now."""
    data = b""
    for candidate in (path, path.with_name(path.name + "-wal"), path.with_name(path.name + "-shm")):
        if candidate.exists():
            data += candidate.read_bytes()
    return data

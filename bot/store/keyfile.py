"""The user-hash key file: the key that hashes user ids, kept outside the database.

Someone who has only the database must not be able to test guessed user ids
against its hashes, so a generated key goes into its own file (mode 0600),
``REVIVE_USER_HASH_KEY_FILE``, by default ``<database>.key`` next to the
database. The file holds the key as one line of hex digits.

These functions are synchronous (the store runs them in a thread) and raise
:class:`KeyFileError` with a sentence for the operator.
"""

from __future__ import annotations

import contextlib
import logging
import os
import secrets
import stat
from pathlib import Path

log = logging.getLogger(__name__)

KEY_BYTES = 32
KEY_FILE_MODE = 0o600


class KeyFileError(Exception):
    """The key file can't be read or written; ``str()`` says which file and why."""


def default_key_file(database: Path) -> Path:
    """Where the key lives unless REVIVE_USER_HASH_KEY_FILE says otherwise: next to the database."""
    return database.with_name(database.name + ".key")


def read_key_file(path: Path) -> bytes | None:
    """The key in ``path``, or None when there is no such file."""
    try:
        text = path.read_text(encoding="ascii")
        mode = path.stat().st_mode
    except FileNotFoundError:
        return None
    except (OSError, UnicodeDecodeError) as exc:
        raise KeyFileError(f"can't read the user hash key file {path}: {exc}") from exc
    try:
        key = bytes.fromhex(text.strip())
    except ValueError:
        key = b""
    if not key:
        raise KeyFileError(f"the user hash key file {path} does not hold a key (expected hex digits)")
    if stat.S_IMODE(mode) & 0o077:
        log.warning("the user hash key file %s is readable by other users; run: chmod 600 %s", path, path)
    return key


def create_key_file(path: Path, key: bytes) -> bytes:
    """Write ``key`` to a new file with mode 0600 and return it; if the file already exists, return its key.

    The key is written to a private temporary file first and then linked into place, so a reader never
    sees a half-written key and two processes racing to create it agree on one key.
    """
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        temporary = path.with_name(f".{path.name}.{os.getpid()}.{secrets.token_hex(4)}.tmp")
        _write_private(temporary, key)
        try:
            os.link(temporary, path)
        except FileExistsError:
            pass
        except OSError:  # a file system without hard links: exclusive create instead
            with contextlib.suppress(FileExistsError):
                _write_private(path, key)
        finally:
            temporary.unlink(missing_ok=True)
        _sync_directory(path.parent)
    except OSError as exc:
        raise KeyFileError(f"can't create the user hash key file {path}: {exc.strerror or exc}") from exc
    stored = read_key_file(path)
    if stored is None:
        raise KeyFileError(f"the user hash key file {path} vanished right after it was created")
    return stored


def new_key() -> bytes:
    return secrets.token_bytes(KEY_BYTES)


def _write_private(path: Path, key: bytes) -> None:
    descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, KEY_FILE_MODE)
    with os.fdopen(descriptor, "w", encoding="ascii") as file:
        file.write(key.hex() + "\n")
        file.flush()
        os.fsync(file.fileno())


def _sync_directory(directory: Path) -> None:
    with contextlib.suppress(OSError):
        descriptor = os.open(directory, os.O_RDONLY)
        try:
            os.fsync(descriptor)
        finally:
            os.close(descriptor)

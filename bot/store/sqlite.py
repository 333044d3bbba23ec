"""The embedded SQLite store: one local file, nothing to install.

* Opened asynchronously (aiosqlite); versioned migrations run on open, and the
  schema version lives in ``PRAGMA user_version``.
* WAL journal with ``synchronous=FULL``: once a write method returns, the row
  is in the file and survives the process being killed (even with SIGKILL).
* User ids never reach the file: they are stored as HMAC-SHA256 hashes under a
  key (``REVIVE_USER_HASH_KEY``, or a random key generated once and kept in a
  separate 0600 key file, see :mod:`bot.store.keyfile`, so hashes stay stable
  across restarts). A key older versions kept in the ``meta`` table is moved out.
* Migrations and the key set-up run in one ``BEGIN IMMEDIATE`` transaction, so
  processes opening a new file at the same time don't race to create it.
* ``secure_delete`` is on: /forget overwrites the deleted rows.
* Anything wrong with the file (corrupt, not a database, unwritable, from a
  newer Revive) raises :class:`StoreError` with a message naming the file.
"""

from __future__ import annotations

import asyncio
import contextlib
import hashlib
import hmac
import logging
import sqlite3
import time
from collections.abc import Iterator, Sequence
from datetime import datetime, timezone
from pathlib import Path
from types import TracebackType
from typing import TYPE_CHECKING, Any, TypeVar, cast

import aiosqlite
from pydantic import SecretStr

from bot.log import protect
from bot.store.base import (
    OUTCOME_KINDS,
    PLATFORMS,
    ChatSettings,
    InboxEntry,
    Outcome,
    OutcomeKind,
    OutcomeRecord,
    Platform,
    StoreError,
)
from bot.store.keyfile import KeyFileError, create_key_file, default_key_file, new_key, read_key_file

if TYPE_CHECKING:
    from bot.settings import Settings

log = logging.getLogger(__name__)

T = TypeVar("T")

# Ordered schema migrations: MIGRATIONS[i] takes the schema from version i to i + 1.
# Never edit a released entry; append a new one instead.
MIGRATIONS: tuple[str, ...] = (
    # v1: remembered models and outcome presses.
    """
    CREATE TABLE meta (
        key   TEXT PRIMARY KEY,
        value TEXT NOT NULL
    );
    CREATE TABLE remembered_models (
        platform   TEXT NOT NULL,
        user_hash  TEXT NOT NULL,
        model_id   TEXT NOT NULL,
        updated_at TEXT NOT NULL,
        PRIMARY KEY (platform, user_hash)
    );
    CREATE TABLE outcomes (
        id         INTEGER PRIMARY KEY,
        answer_id  TEXT NOT NULL,
        platform   TEXT NOT NULL,
        user_hash  TEXT NOT NULL,
        kind       TEXT NOT NULL CHECK (kind IN ('worked', 'failed', 'not_helpful')),
        symptom_id TEXT NOT NULL,
        family     TEXT NOT NULL,
        step       INTEGER NOT NULL CHECK (step >= 0),
        created_at TEXT NOT NULL
    );
    -- One row per user, answer and ladder step: pressing again changes the verdict.
    CREATE UNIQUE INDEX outcomes_press ON outcomes (answer_id, platform, user_hash, step);
    """,
    # v2: the ladder action of each outcome, /forget by user, per-chat settings changeable at run time.
    """
    ALTER TABLE outcomes ADD COLUMN action TEXT NOT NULL DEFAULT '';
    CREATE INDEX outcomes_user ON outcomes (platform, user_hash);
    CREATE INDEX outcomes_time ON outcomes (created_at);
    CREATE TABLE chat_settings (
        platform         TEXT NOT NULL,
        chat_id          TEXT NOT NULL,
        auto_mode        INTEGER NOT NULL CHECK (auto_mode IN (0, 1)),
        cooldown_seconds INTEGER NOT NULL CHECK (cooldown_seconds >= 0),
        updated_at       TEXT NOT NULL,
        PRIMARY KEY (platform, chat_id)
    );
    """,
    # v3: the update inbox (at-least-once delivery): an update is kept until it was answered.
    """
    CREATE TABLE inbox (
        platform    TEXT NOT NULL,
        update_id   INTEGER NOT NULL,
        payload     TEXT NOT NULL,
        done        INTEGER NOT NULL DEFAULT 0 CHECK (done IN (0, 1)),
        received_at TEXT NOT NULL,
        PRIMARY KEY (platform, update_id)
    );
    """,
)
SCHEMA_VERSION = len(MIGRATIONS)

_KEY_META = "user_hash_key"
_KEY_CHECK_META = "user_hash_key_check"
_BUSY_TIMEOUT_MS = 5000
# Answered update ids kept (without content) so a redelivered update is recognised and not answered twice.
INBOX_KEEP_DONE = 10_000
_INBOX_CHUNK = 200  # rows per statement (4 parameters each, well under SQLite's limit of 32,766)

_CORRUPT_HINT = "the file is damaged or is not a Revive database: move it away to start afresh, or restore a backup"
_ACCESS_HINT = "check that the directory exists and that this user may create and write files in it"


def _now() -> str:
    return _timestamp(datetime.now(timezone.utc))


def _timestamp(at: datetime) -> str:
    if at.tzinfo is None:
        raise ValueError("timestamps must be timezone-aware")
    return at.astimezone(timezone.utc).isoformat(timespec="microseconds")


def _hint_for(exc: sqlite3.Error) -> str:
    text = str(exc).lower()
    if "not a database" in text or "malformed" in text or "corrupt" in text:
        return _CORRUPT_HINT
    if "locked" in text or "busy" in text:
        return "another process is holding a write lock on it; stop it or try again"
    if "readonly" in text or "unable to open" in text or "i/o" in text or "permission" in text:
        return _ACCESS_HINT
    if "disk is full" in text or "full" in text:
        return "the disk is full"
    return ""


def _prepare_path(path: Path) -> Path:
    """Expand ``~`` and create the parent directory; StoreError when that's impossible."""
    path = path.expanduser()
    if path.is_dir():
        raise StoreError(path, "is a directory", "REVIVE_DATABASE_PATH must name a file")
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise StoreError(path, f"can't create its directory: {exc.strerror or exc}", _ACCESS_HINT) from exc
    return path


async def _switch_to_wal(conn: aiosqlite.Connection) -> str:
    """Set WAL journaling; returns the journal mode now in force.

    SQLite does not call the busy handler for this switch: when another process is switching the
    same new file at the same moment, it fails at once with "database is locked", so retry it here.
    """
    deadline = time.monotonic() + _BUSY_TIMEOUT_MS / 1000
    while True:
        try:
            cursor = await conn.execute("PRAGMA journal_mode=WAL")
            row = await cursor.fetchone()
            return str(row[0]).lower() if row else ""
        except sqlite3.OperationalError as exc:
            if "locked" not in str(exc).lower() or time.monotonic() > deadline:
                raise
            await asyncio.sleep(0.01)


def _expand(path: str | Path) -> Path:
    return Path(path).expanduser()


def _statements(script: str) -> Iterator[str]:
    """The SQL statements of a migration script, one by one (executescript would commit the transaction)."""
    pending = ""
    for piece in script.split(";"):
        pending += piece + ";"
        if sqlite3.complete_statement(pending):
            if pending.strip(" \t\n;"):
                yield pending.strip()
            pending = ""
    if pending.strip(" \t\n;"):
        yield pending.strip()


def _chunks(items: Sequence[T], size: int) -> Iterator[Sequence[T]]:
    for start in range(0, len(items), size):
        yield items[start : start + size]


def _check_platform(platform: str) -> None:
    if platform not in PLATFORMS:
        raise ValueError(f"unknown platform {platform!r}; expected one of {', '.join(PLATFORMS)}")


def _key_bytes(hash_key: bytes | str | SecretStr | None) -> bytes | None:
    if hash_key is None:
        return None
    if isinstance(hash_key, SecretStr):
        hash_key = hash_key.get_secret_value()
    key = hash_key.encode("utf-8") if isinstance(hash_key, str) else bytes(hash_key)
    if not key:
        raise ValueError("the user hash key must not be empty")
    return key


def _key_check(key: bytes) -> str:
    """A fingerprint of the key, so a changed key is noticed instead of silently orphaning rows."""
    return hmac.new(key, b"revive user hash key check", hashlib.sha256).hexdigest()


class SQLiteStore:
    """The :class:`bot.store.base.Store` on a local SQLite file. Build it with :meth:`open`."""

    def __init__(self, path: Path, conn: aiosqlite.Connection, key: bytes, chat_defaults: ChatSettings) -> None:
        """Use :meth:`open`; this only wires an already prepared connection."""
        self._path = path
        self._conn: aiosqlite.Connection | None = conn
        self._key = key
        self._chat_defaults = chat_defaults
        self._lock = asyncio.Lock()
        self._lock_loop: asyncio.AbstractEventLoop | None = None

    # -- life cycle ---------------------------------------------------------------------------

    @classmethod
    async def open(
        cls,
        path: str | Path,
        hash_key: bytes | str | SecretStr | None = None,
        *,
        key_file: str | Path | None = None,
        chat_defaults: ChatSettings | None = None,
    ) -> SQLiteStore:
        """Open (creating if needed) the database at ``path`` and migrate it to the current schema.

        ``hash_key`` keys the user id hashes; without one, the key comes from
        ``key_file`` (default: ``<database>.key``), generated there on first use
        with mode 0600. A key an older Revive kept in the database is moved to
        that file and deleted from the database. ``chat_defaults`` is what
        :meth:`chat_settings` returns for a chat nobody has configured.
        Raises :class:`StoreError` (naming the file) when the file can't be used.
        """
        db_path = Path(path)
        memory = str(path) == ":memory:"
        key = _key_bytes(hash_key)
        key_path: Path | None = None
        if not memory:
            db_path = await asyncio.to_thread(_prepare_path, db_path)
            key_path = default_key_file(db_path) if key_file is None else await asyncio.to_thread(_expand, key_file)
        try:
            conn = await aiosqlite.connect(str(db_path) if not memory else ":memory:", isolation_level=None)
        except sqlite3.Error as exc:
            raise StoreError(db_path, f"can't open it: {exc}", _hint_for(exc) or _ACCESS_HINT) from exc
        try:
            await cls._configure(db_path, conn, memory)
            key = await cls._migrate_and_key(db_path, conn, key, key_path)
        except BaseException:
            with contextlib.suppress(Exception):
                await conn.close()
            raise
        protect(key.hex())  # never in a log line, whatever logs it
        store = cls(db_path, conn, key, chat_defaults or ChatSettings())
        log.info("Opened store %s (schema v%d)", db_path, SCHEMA_VERSION)
        return store

    @classmethod
    async def from_settings(cls, settings: Settings) -> SQLiteStore:
        """Open the store the settings describe (path, hash key or key file, default cooldown)."""
        return await cls.open(
            settings.database_path,
            settings.user_hash_key,
            key_file=settings.user_hash_key_file,
            chat_defaults=ChatSettings(cooldown_seconds=settings.auto_cooldown_seconds),
        )

    @staticmethod
    async def _configure(path: Path, conn: aiosqlite.Connection, memory: bool) -> None:
        """Connection settings and the integrity check, before anything is written."""
        try:
            # The busy timeout comes first: switching a brand-new file to WAL needs a lock that another
            # process opening the same file at the same instant may hold for a moment.
            await conn.execute(f"PRAGMA busy_timeout={_BUSY_TIMEOUT_MS}")
            mode = await _switch_to_wal(conn)
            if mode != "wal" and not memory:
                raise StoreError(path, f"can't switch it to WAL journaling (got {mode!r})", _ACCESS_HINT)
            await conn.execute("PRAGMA synchronous=FULL")
            # Deleted rows (/forget, the moved-out hash key) are overwritten, not left in free pages.
            await conn.execute("PRAGMA secure_delete=ON")
            cursor = await conn.execute("PRAGMA quick_check(5)")
            problems = [line for r in await cursor.fetchall() for line in str(r[0]).splitlines()]
            problems = [line for line in problems if line.strip() and not line.startswith("***")]
            if problems != ["ok"]:
                more = ", and more" if len(problems) > 1 else ""
                raise StoreError(
                    path, f"integrity check failed: {problems[0] if problems else '?'}{more}", _CORRUPT_HINT
                )
        except sqlite3.Error as exc:
            raise StoreError(path, f"reading it failed: {exc}", _hint_for(exc)) from exc

    @classmethod
    async def _migrate_and_key(
        cls, path: Path, conn: aiosqlite.Connection, key: bytes | None, key_path: Path | None
    ) -> bytes:
        """Migrate the schema and settle the hash key in one write transaction.

        The schema version is read inside the transaction, so two processes opening a new file at
        once can't both decide to create the tables (the second waits, then finds them made).
        """
        step = "reading its schema version"
        moved_key = False
        try:
            await conn.execute("BEGIN IMMEDIATE")
            try:
                cursor = await conn.execute("PRAGMA user_version")
                row = await cursor.fetchone()
                version = int(row[0]) if row else 0
                if version > SCHEMA_VERSION:
                    raise StoreError(
                        path,
                        f"it has schema version {version}, newer than this Revive knows ({SCHEMA_VERSION})",
                        "upgrade Revive, or point REVIVE_DATABASE_PATH at another file",
                    )
                for number in range(version + 1, SCHEMA_VERSION + 1):
                    step = f"migrating its schema to version {number}"
                    for statement in _statements(MIGRATIONS[number - 1]):
                        await conn.execute(statement)
                    await conn.execute(f"PRAGMA user_version = {number}")
                step = "setting up the user hash key"
                key, moved_key = await cls._setup_key(path, conn, key, key_path)
                await conn.execute("COMMIT")
            except BaseException:
                with contextlib.suppress(sqlite3.Error):
                    await conn.execute("ROLLBACK")
                raise
            if version < SCHEMA_VERSION:
                log.info("Migrated %s from schema version %d to %d", path, version, SCHEMA_VERSION)
            if moved_key:
                # Push the page without the key into the file and empty the WAL, so no copy is left behind.
                await conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
                log.info("Moved the user hash key out of %s into %s", path, key_path)
        except sqlite3.Error as exc:
            raise StoreError(path, f"{step} failed: {exc}", _hint_for(exc)) from exc
        return key

    @staticmethod
    async def _setup_key(
        path: Path, conn: aiosqlite.Connection, key: bytes | None, key_path: Path | None
    ) -> tuple[bytes, bool]:
        """The key to hash user ids with, and whether a key kept in the database was moved to ``key_path``."""
        cursor = await conn.execute("SELECT key, value FROM meta WHERE key IN (?, ?)", (_KEY_META, _KEY_CHECK_META))
        meta = {str(k): str(v) for k, v in await cursor.fetchall()}
        check = meta.get(_KEY_CHECK_META)
        explicit = key is not None
        try:
            in_database = bytes.fromhex(meta[_KEY_META]) if _KEY_META in meta else None
            in_file = await asyncio.to_thread(read_key_file, key_path) if key_path else None
            if in_database is not None and key_path is not None:
                # Written by an older Revive: move it out, so the file alone can't be used to test guessed ids.
                if in_file is None:
                    in_file = await asyncio.to_thread(create_key_file, key_path, in_database)
                if not hmac.compare_digest(in_file, in_database):
                    raise StoreError(
                        path,
                        f"the user hash key in {key_path} differs from the one kept in the database",
                        f"move {key_path} away so the database's key is moved there, or restore the right key file",
                    )
                await conn.execute("DELETE FROM meta WHERE key = ?", (_KEY_META,))
            if key is None:
                key = in_file if in_file is not None else in_database
            if key is None:
                if check is not None:
                    raise StoreError(
                        path,
                        "its user ids were hashed with a key that is not set now: neither REVIVE_USER_HASH_KEY "
                        f"nor the key file {key_path} has it",
                        "set REVIVE_USER_HASH_KEY to the same value again, or restore the key file",
                    )
                key = new_key()
                if key_path is not None:
                    key = await asyncio.to_thread(create_key_file, key_path, key)
        except KeyFileError as exc:
            raise StoreError(path, str(exc), "check REVIVE_USER_HASH_KEY_FILE and the file's permissions") from exc
        except ValueError as exc:
            raise StoreError(path, f"its stored user hash key is unreadable: {exc}", _CORRUPT_HINT) from exc
        if check is None:
            await conn.execute(
                "INSERT OR REPLACE INTO meta (key, value) VALUES (?, ?)", (_KEY_CHECK_META, _key_check(key))
            )
        elif not hmac.compare_digest(check, _key_check(key)):
            source = "REVIVE_USER_HASH_KEY" if explicit else f"the key in {key_path}"
            raise StoreError(
                path,
                f"{source} differs from the key its user ids were hashed with, so remembered models and /forget "
                "would no longer find them",
                "restore the previous key (or unset it if it was never set), or delete the file to start afresh",
            )
        return key, in_database is not None and key_path is not None

    async def close(self) -> None:
        """Close the file. Safe to call twice; every awaited write is already on disk."""
        conn, self._conn = self._conn, None
        if conn is None:
            return
        async with self._serialized():
            try:
                await conn.close()
            except sqlite3.Error as exc:
                raise StoreError(self._path, f"closing it failed: {exc}", _hint_for(exc)) from exc
        log.info("Closed store %s", self._path)

    async def __aenter__(self) -> SQLiteStore:
        return self

    async def __aexit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        await self.close()

    # -- plumbing -----------------------------------------------------------------------------

    @property
    def path(self) -> Path:
        """The database file."""
        return self._path

    @property
    def schema_version(self) -> int:
        """The schema version this store has migrated the file to."""
        return SCHEMA_VERSION

    @property
    def closed(self) -> bool:
        return self._conn is None

    def hash_user(self, platform: Platform, user_id: str) -> str:
        """The keyed hash stored instead of a platform user id (also fit for log lines)."""
        message = f"{platform}:{user_id}".encode()
        return hmac.new(self._key, message, hashlib.sha256).hexdigest()

    @contextlib.contextmanager
    def _errors(self, doing: str) -> Iterator[None]:
        try:
            yield
        except sqlite3.Error as exc:
            raise StoreError(self._path, f"{doing} failed: {exc}", _hint_for(exc)) from exc

    def _serialized(self) -> asyncio.Lock:
        """The lock that serializes transactions, renewed when the store moves to another event loop.

        ``python -m bot telegram`` opens the store in one ``asyncio.run`` and serves or closes it in
        others; an ``asyncio.Lock`` that was once contended stays bound to its first loop.
        """
        loop = asyncio.get_running_loop()
        if self._lock_loop is not loop:
            self._lock = asyncio.Lock()
            self._lock_loop = loop
        return self._lock

    def _connection(self) -> aiosqlite.Connection:
        if self._conn is None:
            raise StoreError(self._path, "the store is closed")
        return self._conn

    async def _write(self, doing: str, statements: Sequence[tuple[str, Sequence[Any]]]) -> list[int]:
        """Run ``statements`` in one transaction; returns once it is committed to disk."""
        async with self._serialized():
            conn = self._connection()
            counts: list[int] = []
            with self._errors(doing):
                await conn.execute("BEGIN IMMEDIATE")
                try:
                    for sql, params in statements:
                        cursor = await conn.execute(sql, params)
                        counts.append(cursor.rowcount)
                    await conn.execute("COMMIT")
                except BaseException:
                    with contextlib.suppress(sqlite3.Error):
                        await conn.execute("ROLLBACK")
                    raise
            return counts

    async def _read(self, doing: str, sql: str, params: Sequence[Any] = ()) -> list[tuple[Any, ...]]:
        async with self._serialized():
            conn = self._connection()
            with self._errors(doing):
                cursor = await conn.execute(sql, params)
                rows = await cursor.fetchall()
            return [tuple(row) for row in rows]

    # -- remembered models --------------------------------------------------------------------

    async def remembered_model(self, platform: Platform, user_id: str) -> str | None:
        """The model this user asked to remember on this platform, if any."""
        _check_platform(platform)
        rows = await self._read(
            "reading a remembered model",
            "SELECT model_id FROM remembered_models WHERE platform = ? AND user_hash = ?",
            (platform, self.hash_user(platform, user_id)),
        )
        return str(rows[0][0]) if rows else None

    async def remember_model(self, platform: Platform, user_id: str, model_id: str) -> None:
        """Remember (or replace) the user's model; only call this when the user chose "remember"."""
        _check_platform(platform)
        await self._write(
            "remembering a model",
            [
                (
                    "INSERT INTO remembered_models (platform, user_hash, model_id, updated_at) VALUES (?, ?, ?, ?) "
                    "ON CONFLICT (platform, user_hash) DO UPDATE SET model_id = excluded.model_id, "
                    "updated_at = excluded.updated_at",
                    (platform, self.hash_user(platform, user_id), model_id, _now()),
                )
            ],
        )

    async def forget_model(self, platform: Platform, user_id: str) -> bool:
        """Drop only the remembered model; True when there was one."""
        _check_platform(platform)
        (count,) = await self._write(
            "forgetting a model",
            [
                (
                    "DELETE FROM remembered_models WHERE platform = ? AND user_hash = ?",
                    (platform, self.hash_user(platform, user_id)),
                )
            ],
        )
        return count > 0

    # -- outcomes -----------------------------------------------------------------------------

    async def record_outcome(self, outcome: Outcome, *, at: datetime | None = None) -> None:
        """Store a button press. Pressing again on the same answer and step replaces the verdict."""
        _check_platform(outcome.platform)
        if outcome.kind not in OUTCOME_KINDS:
            raise ValueError(f"unknown outcome kind {outcome.kind!r}")
        if outcome.step < 0:
            raise ValueError("step must be >= 0")
        when = _timestamp(at) if at is not None else _now()
        await self._write(
            "recording an outcome",
            [
                (
                    "INSERT INTO outcomes (answer_id, platform, user_hash, kind, symptom_id, family, step, action, "
                    "created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?) "
                    "ON CONFLICT (answer_id, platform, user_hash, step) DO UPDATE SET kind = excluded.kind, "
                    "symptom_id = excluded.symptom_id, family = excluded.family, action = excluded.action, "
                    "created_at = excluded.created_at",
                    (
                        outcome.answer_id,
                        outcome.platform,
                        self.hash_user(outcome.platform, outcome.user_id),
                        outcome.kind,
                        outcome.symptom_id,
                        outcome.family,
                        outcome.step,
                        outcome.action,
                        when,
                    ),
                )
            ],
        )

    async def outcome_records(self) -> list[OutcomeRecord]:
        """Every stored outcome, oldest first, without any user id (for statistics)."""
        rows = await self._read(
            "reading outcomes",
            "SELECT answer_id, platform, kind, symptom_id, family, step, action, created_at FROM outcomes "
            "ORDER BY created_at, id",
        )
        return [
            OutcomeRecord(
                answer_id=str(answer_id),
                platform=cast(Platform, str(platform)),
                kind=cast(OutcomeKind, str(kind)),
                symptom_id=str(symptom_id),
                family=str(family),
                step=int(step),
                action=str(action),
                at=datetime.fromisoformat(str(created_at)),
            )
            for answer_id, platform, kind, symptom_id, family, step, action, created_at in rows
        ]

    # -- deletion -----------------------------------------------------------------------------

    async def forget_user(self, platform: Platform, user_id: str) -> int:
        """Delete everything stored about a user on this platform; returns the number of rows removed."""
        _check_platform(platform)
        user_hash = self.hash_user(platform, user_id)
        counts = await self._write(
            "forgetting a user",
            [
                ("DELETE FROM remembered_models WHERE platform = ? AND user_hash = ?", (platform, user_hash)),
                ("DELETE FROM outcomes WHERE platform = ? AND user_hash = ?", (platform, user_hash)),
            ],
        )
        await self._checkpoint()
        return sum(counts)

    async def _checkpoint(self) -> None:
        """Copy the WAL into the file and empty it, so older page versions holding deleted rows are gone.

        Best effort: while another connection reads, SQLite may keep part of the WAL until later.
        """
        async with self._serialized():
            with contextlib.suppress(sqlite3.Error):
                await self._connection().execute("PRAGMA wal_checkpoint(TRUNCATE)")

    # -- per-chat settings --------------------------------------------------------------------

    async def chat_settings(self, platform: Platform, chat_id: str) -> ChatSettings:
        """The chat's (or Discord channel's) settings, or the defaults when nobody changed them."""
        _check_platform(platform)
        rows = await self._read(
            "reading chat settings",
            "SELECT auto_mode, cooldown_seconds FROM chat_settings WHERE platform = ? AND chat_id = ?",
            (platform, str(chat_id)),
        )
        if not rows:
            return self._chat_defaults
        auto_mode, cooldown = rows[0]
        return ChatSettings(auto_mode=bool(auto_mode), cooldown_seconds=int(cooldown))

    async def save_chat_settings(self, platform: Platform, chat_id: str, settings: ChatSettings) -> None:
        """Keep an admin's change across restarts."""
        _check_platform(platform)
        if settings.cooldown_seconds < 0:
            raise ValueError("cooldown_seconds must be >= 0")
        await self._write(
            "saving chat settings",
            [
                (
                    "INSERT INTO chat_settings (platform, chat_id, auto_mode, cooldown_seconds, updated_at) "
                    "VALUES (?, ?, ?, ?, ?) ON CONFLICT (platform, chat_id) DO UPDATE SET "
                    "auto_mode = excluded.auto_mode, cooldown_seconds = excluded.cooldown_seconds, "
                    "updated_at = excluded.updated_at",
                    (platform, str(chat_id), int(settings.auto_mode), settings.cooldown_seconds, _now()),
                )
            ],
        )

    async def auto_mode_chats(self, platform: Platform) -> list[str]:
        """Chats (channels) on ``platform`` where an admin turned auto mode on."""
        _check_platform(platform)
        rows = await self._read(
            "reading chat settings",
            "SELECT chat_id FROM chat_settings WHERE platform = ? AND auto_mode = 1 ORDER BY chat_id",
            (platform,),
        )
        return [str(row[0]) for row in rows]

    # -- update inbox (at-least-once delivery) ------------------------------------------------

    async def inbox_add(self, platform: Platform, entries: Sequence[InboxEntry]) -> None:
        """Keep updates until they are answered; an update id already kept is left as it is."""
        _check_platform(platform)
        now = _now()
        statements: list[tuple[str, Sequence[Any]]] = []
        for chunk in _chunks(entries, _INBOX_CHUNK):
            rows = ", ".join("(?, ?, ?, ?)" for _ in chunk)
            params = [value for e in chunk for value in (platform, e.update_id, e.payload, now)]
            sql = f"INSERT OR IGNORE INTO inbox (platform, update_id, payload, received_at) VALUES {rows}"  # noqa: S608
            statements.append((sql, params))  # only "?" placeholders are put into the SQL text
        if statements:
            await self._write("keeping updates in the inbox", statements)

    async def inbox_done(self, platform: Platform, update_ids: Sequence[int]) -> None:
        """Mark updates answered and drop their content; only the newest INBOX_KEEP_DONE answered ids are kept."""
        _check_platform(platform)
        if not update_ids:
            return
        statements: list[tuple[str, Sequence[Any]]] = [
            (
                f"UPDATE inbox SET done = 1, payload = '' WHERE platform = ? AND update_id IN "  # noqa: S608
                f"({', '.join('?' for _ in chunk)})",  # only "?" placeholders
                [platform, *chunk],
            )
            for chunk in _chunks(update_ids, _INBOX_CHUNK)
        ]
        statements.append(
            (
                "DELETE FROM inbox WHERE platform = ? AND done = 1 AND update_id < ?",
                (platform, max(update_ids) - INBOX_KEEP_DONE),
            )
        )
        await self._write("marking updates answered", statements)

    async def inbox_entries(self, platform: Platform) -> list[InboxEntry]:
        """Every kept update, oldest first: the unanswered ones with their content, the answered ones without."""
        _check_platform(platform)
        rows = await self._read(
            "reading the inbox",
            "SELECT update_id, payload, done FROM inbox WHERE platform = ? ORDER BY update_id",
            (platform,),
        )
        return [InboxEntry(int(update_id), str(payload), bool(done)) for update_id, payload, done in rows]

"""What the adapters need from persistent storage. The SQLite store implements it."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Literal, Protocol

Platform = Literal["telegram", "discord", "console"]
OutcomeKind = Literal["worked", "failed", "not_helpful"]

PLATFORMS: tuple[Platform, ...] = ("telegram", "discord", "console")
OUTCOME_KINDS: tuple[OutcomeKind, ...] = ("worked", "failed", "not_helpful")


class StoreError(Exception):
    """The database file can't be used (corrupt, unwritable, newer schema, ...).

    ``str(error)`` is a complete sentence for the operator that names the file,
    so ``main()`` prints it and exits instead of showing a traceback.
    """

    def __init__(self, path: Path | str, problem: str, hint: str = "") -> None:
        self.path = Path(path)
        self.problem = problem
        self.hint = hint
        message = f"Database {self.path}: {problem}"
        if hint:
            message += f" ({hint})"
        super().__init__(message)


@dataclass(frozen=True, slots=True)
class Outcome:
    """A press of "It worked" / "Didn't work" / "Not my issue" on an answer. No message text."""

    answer_id: str
    platform: Platform
    user_id: str  # raw platform id; the store hashes it with a key before writing
    kind: OutcomeKind
    symptom_id: str
    family: str
    step: int
    action: str


@dataclass(frozen=True, slots=True)
class OutcomeRecord:
    """An outcome as stored: no user id at all (not even the hash), plus when it was pressed."""

    answer_id: str
    platform: Platform
    kind: OutcomeKind
    symptom_id: str
    family: str
    step: int
    action: str
    at: datetime  # timezone-aware, UTC


@dataclass(frozen=True, slots=True)
class InboxEntry:
    """An update kept until it is answered (at-least-once delivery); no content once it is done."""

    update_id: int
    payload: str  # the update as JSON, exactly as received; "" once answered
    done: bool = False


@dataclass(frozen=True, slots=True)
class ChatSettings:
    """Per chat (Telegram) or per channel (Discord) settings changeable at run time."""

    auto_mode: bool = False
    cooldown_seconds: int = 300


class Store(Protocol):
    """Async persistence used by adapters. Every write is durable once awaited."""

    async def remembered_model(self, platform: Platform, user_id: str) -> str | None: ...

    async def remember_model(self, platform: Platform, user_id: str, model_id: str) -> None: ...

    async def record_outcome(self, outcome: Outcome) -> None: ...

    async def forget_user(self, platform: Platform, user_id: str) -> int:
        """Delete everything stored about a user; returns the number of rows removed."""
        ...

    async def chat_settings(self, platform: Platform, chat_id: str) -> ChatSettings: ...

    async def save_chat_settings(self, platform: Platform, chat_id: str, settings: ChatSettings) -> None: ...

    async def inbox_add(self, platform: Platform, entries: Sequence[InboxEntry]) -> None:
        """Keep updates (durably) until they are answered; ids already kept are left unchanged."""
        ...

    async def inbox_done(self, platform: Platform, update_ids: Sequence[int]) -> None:
        """Mark updates answered and drop their content, so a redelivery is recognised and skipped."""
        ...

    async def inbox_entries(self, platform: Platform) -> list[InboxEntry]:
        """Every kept update, oldest first (the unanswered ones are replayed after a restart)."""
        ...

"""One chat's trouble never holds up the others: per-chat ordering, per-chat flood control, bounded store calls.

* :class:`ChatOrderedProcessor` lets PTB handle updates concurrently while the
  updates of one chat (or, without a chat, of one user) run one after another
  in arrival order. The total number of updates being handled is bounded.
* :class:`FloodControl` keeps Telegram's limits (about 1 message/s per chat with
  short bursts, 20/min per group, 30/s overall). A 429 ``retry_after`` pauses
  only the chat it was about; the request is retried when allowed, a bounded
  number of times, and a request given up on is logged with the chat and reason.
* :class:`BoundedStore` puts a time limit on every store call, so a locked
  database delays a chat by at most that limit instead of stalling all of them.
"""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import AsyncIterator, Awaitable, Callable, Coroutine, Hashable, Sequence
from contextlib import AsyncExitStack, asynccontextmanager
from contextvars import ContextVar
from datetime import timedelta
from typing import Any, TypeVar

from aiolimiter import AsyncLimiter
from telegram import Update
from telegram.error import BadRequest, NetworkError, RetryAfter, TimedOut
from telegram.ext import BaseRateLimiter, BaseUpdateProcessor

from bot.store.base import ChatSettings, InboxEntry, Outcome, Platform, Store, StoreError

log = logging.getLogger(__name__)

T = TypeVar("T")
JSONResult = bool | dict[str, Any] | list[dict[str, Any]]

# PTB's own semaphore is taken before ours and must never be the one that blocks: its waiters are not
# ordered by chat. Updates above our concurrency limit wait, in order, behind their chat's lock.
ADMISSION_LIMIT = 100_000
MAX_CONCURRENT_UPDATES = 64
MAX_TRACKED_LIMITERS = 512


def ordering_key(update: object) -> Hashable | None:
    """Updates with the same key are handled in arrival order: the chat, else the user, else none."""
    if not isinstance(update, Update):
        return None
    if update.effective_chat is not None:
        return ("chat", update.effective_chat.id)
    if update.effective_user is not None:
        return ("user", update.effective_user.id)
    return None


class _Lane:
    """The lock of one chat, and how many updates hold it or wait for it (dropped at zero)."""

    __slots__ = ("lock", "users")

    def __init__(self) -> None:
        self.lock = asyncio.Lock()
        self.users = 0


# The concurrency slot of the update the current task is handling (set by ChatOrderedProcessor).
_current_slot: ContextVar[asyncio.Semaphore | None] = ContextVar("telegram_update_slot", default=None)


@asynccontextmanager
async def slot_given_up() -> AsyncIterator[None]:
    """While waiting out a flood pause, let another chat's update use this update's concurrency slot."""
    slot = _current_slot.get()
    if slot is None:
        yield
        return
    slot.release()
    try:
        yield
    finally:
        # Shielded: even if cancelled here, the slot is taken back, so the processor's release balances it.
        await asyncio.shield(slot.acquire())


class ChatOrderedProcessor(BaseUpdateProcessor):
    """Concurrent update handling, in order within each chat, at most ``max_concurrent`` at a time.

    ``after(update)`` is called once an update was handled (its handlers returned or
    the error handler ran), never for one cancelled at shutdown.
    """

    def __init__(
        self,
        max_concurrent: int = MAX_CONCURRENT_UPDATES,
        *,
        after: Callable[[object], None] | None = None,
    ) -> None:
        super().__init__(ADMISSION_LIMIT)
        self._slots = asyncio.Semaphore(max_concurrent)
        self._lanes: dict[Hashable, _Lane] = {}
        self._after = after

    @property
    def active_chats(self) -> int:
        """Chats with an update being handled or waiting (their locks are dropped when idle)."""
        return len(self._lanes)

    async def do_process_update(self, update: object, coroutine: Awaitable[Any]) -> None:
        key = ordering_key(update)
        lane = self._lanes.get(key) if key is not None else None
        if key is not None and lane is None:
            lane = self._lanes[key] = _Lane()
        try:
            async with AsyncExitStack() as stack:
                if lane is not None:
                    lane.users += 1
                    stack.callback(self._leave, key, lane)
                    await stack.enter_async_context(lane.lock)
                await stack.enter_async_context(self._slots)
                token = _current_slot.set(self._slots)
                stack.callback(_current_slot.reset, token)
                await coroutine
        except asyncio.CancelledError:
            if isinstance(coroutine, Coroutine):
                coroutine.close()  # cancelled while waiting for its turn: never started
            raise
        if self._after is not None:
            self._after(update)

    def _leave(self, key: Hashable, lane: _Lane) -> None:
        lane.users -= 1
        if lane.users == 0 and self._lanes.get(key) is lane:
            del self._lanes[key]

    async def initialize(self) -> None:
        """Nothing to set up."""

    async def shutdown(self) -> None:
        """Nothing to tear down: PTB waits for the updates in progress before calling this."""


def chat_of(data: dict[str, Any]) -> int | str | None:
    """The chat a Bot API request is about (ints for ids, strings for @channel names)."""
    chat_id = data.get("chat_id")
    if chat_id is None:
        return None
    try:
        return int(chat_id)
    except (TypeError, ValueError):
        return str(chat_id)


def retry_after_seconds(exc: RetryAfter) -> float:
    value: object = exc.retry_after
    return value.total_seconds() if isinstance(value, timedelta) else float(value)  # type: ignore[arg-type]


class _Limiters:
    """One leaky bucket per key, created on demand; idle ones (full capacity) are dropped when many pile up."""

    def __init__(self, max_rate: float, period: float) -> None:
        self.max_rate = max_rate
        self.period = period
        self._by_key: dict[int | str, AsyncLimiter] = {}

    def get(self, key: int | str) -> AsyncLimiter:
        if len(self._by_key) > MAX_TRACKED_LIMITERS:
            for other, limiter in list(self._by_key.items()):
                if other != key and limiter.has_capacity(limiter.max_rate):
                    del self._by_key[other]
        found = self._by_key.get(key)
        if found is None:
            found = self._by_key[key] = AsyncLimiter(self.max_rate, self.period)
        return found


class FloodControl(BaseRateLimiter[int]):
    """Telegram's flood limits, per-chat ``retry_after`` pauses, and retries of network errors.

    * Requests to a chat pass a per-chat bucket (``chat_rate``/s, bursts of ``chat_burst``),
      a per-group bucket (``group_max_rate`` per ``group_time_period``; 0 turns it off) and
      the overall bucket (``overall_max_rate``/s).
    * A 429 pauses that chat (every request to it) for ``retry_after`` seconds; the
      request is then retried, at most ``max_retries`` times and never after a wait
      over ``max_retry_wait``. Giving up is logged (chat, method, reason) and raised.
    * A NetworkError (refused, reset, 502) is retried ``network_retries`` times with a
      short backoff. Timeouts are not retried: the message may have been delivered.
    """

    def __init__(
        self,
        *,
        overall_max_rate: float = 30,
        chat_rate: float = 1,
        chat_burst: int = 4,
        group_max_rate: float = 20,
        group_time_period: float = 60,
        max_retries: int = 3,
        max_retry_wait: float = 60,
        network_retries: int = 2,
        network_backoff: float = 0.5,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.max_retries = max_retries
        self.max_retry_wait = max_retry_wait
        self.network_retries = network_retries
        self.network_backoff = network_backoff
        self._clock = clock
        self._overall = AsyncLimiter(overall_max_rate, 1) if overall_max_rate else None
        self._chats = _Limiters(chat_burst, chat_burst / chat_rate) if chat_rate and chat_burst else None
        self._groups = _Limiters(group_max_rate, group_time_period) if group_max_rate and group_time_period else None
        self._paused_until: dict[int | str, float] = {}

    async def initialize(self) -> None:
        """Nothing to set up."""

    async def shutdown(self) -> None:
        """Nothing to tear down."""

    def paused_for(self, chat: int | str) -> float:
        """Seconds this chat still has to wait because of a 429 (0 when it may send)."""
        until = self._paused_until.get(chat)
        if until is None:
            return 0.0
        remaining = until - self._clock()
        if remaining <= 0:
            del self._paused_until[chat]
            return 0.0
        return remaining

    async def _wait_for_chat(self, chat: int | str | None) -> None:
        # A loop, not one sleep: another 429 for the chat may extend the pause meanwhile.
        while chat is not None and (remaining := self.paused_for(chat)) > 0:
            async with slot_given_up():
                await asyncio.sleep(remaining)

    async def _send(
        self, chat: int | str | None, callback: Callable[..., Coroutine[Any, Any, JSONResult]], args: Any, kwargs: Any
    ) -> JSONResult:
        await self._wait_for_chat(chat)
        async with AsyncExitStack() as stack:
            if chat is not None:
                if self._chats is not None:
                    await stack.enter_async_context(self._chats.get(chat))
                if self._groups is not None and (isinstance(chat, str) or chat < 0):
                    await stack.enter_async_context(self._groups.get(chat))
                if self._overall is not None:
                    await stack.enter_async_context(self._overall)
            return await callback(*args, **kwargs)

    async def process_request(
        self,
        callback: Callable[..., Coroutine[Any, Any, JSONResult]],
        args: Any,
        kwargs: dict[str, Any],
        endpoint: str,
        data: dict[str, Any],
        rate_limit_args: int | None,
    ) -> JSONResult:
        chat = chat_of(data)
        max_retries = self.max_retries if rate_limit_args is None else rate_limit_args
        floods = failures = 0
        while True:
            try:
                return await self._send(chat, callback, args, kwargs)
            except RetryAfter as exc:
                floods += 1
                wait = retry_after_seconds(exc) + 0.1
                if floods > max_retries or wait > self.max_retry_wait:
                    log.error(
                        "Flood control: gave up on %s to chat %s after %d attempts: %s",
                        endpoint,
                        chat,
                        floods,
                        exc.message,
                    )
                    raise
                log.warning(
                    "Flood control: chat %s paused for %.1f s (%s, retry %d of %d)",
                    chat,
                    wait,
                    endpoint,
                    floods,
                    max_retries,
                )
                if chat is None:
                    async with slot_given_up():
                        await asyncio.sleep(wait)
                else:
                    self._paused_until[chat] = max(self._paused_until.get(chat, 0.0), self._clock() + wait)
            except (TimedOut, BadRequest):  # BadRequest subclasses NetworkError in PTB: never retry it
                raise
            except NetworkError as exc:
                if failures >= self.network_retries:
                    raise
                failures += 1
                log.warning("Network error on %s (%s); retry %d of %d", endpoint, exc, failures, self.network_retries)
                await asyncio.sleep(self.network_backoff * failures)


STORE_READ_TIMEOUT = 1.0
STORE_WRITE_TIMEOUT = 3.0


class BoundedStore:
    """A :class:`Store` whose every call ends within a time limit.

    A read that takes too long (a locked or slow database) is answered as if
    nothing were stored (no remembered model, default chat settings) and logged;
    a write that takes too long raises :class:`StoreError`, like any failed write.
    """

    def __init__(
        self, store: Store, *, read_timeout: float = STORE_READ_TIMEOUT, write_timeout: float = STORE_WRITE_TIMEOUT
    ) -> None:
        self.inner = store
        self.read_timeout = read_timeout
        self.write_timeout = write_timeout

    async def _read(self, doing: str, call: Awaitable[T], fallback: T) -> T:
        try:
            return await asyncio.wait_for(call, self.read_timeout)
        except (asyncio.TimeoutError, StoreError) as exc:  # asyncio.TimeoutError: Python 3.10
            log.warning("Store: %s failed (%s); carrying on without it", doing, exc.__class__.__name__)
            return fallback

    async def _write(self, doing: str, call: Awaitable[T]) -> T:
        try:
            return await asyncio.wait_for(call, self.write_timeout)
        except asyncio.TimeoutError as exc:
            path = getattr(self.inner, "path", "the database")
            raise StoreError(path, f"{doing} took over {self.write_timeout:g} s", "is the database locked?") from exc

    async def remembered_model(self, platform: Platform, user_id: str) -> str | None:
        return await self._read("reading a remembered model", self.inner.remembered_model(platform, user_id), None)

    async def remember_model(self, platform: Platform, user_id: str, model_id: str) -> None:
        await self._write("remembering a model", self.inner.remember_model(platform, user_id, model_id))

    async def record_outcome(self, outcome: Outcome) -> None:
        await self._write("recording an outcome", self.inner.record_outcome(outcome))

    async def forget_user(self, platform: Platform, user_id: str) -> int:
        return await self._write("forgetting a user", self.inner.forget_user(platform, user_id))

    async def chat_settings(self, platform: Platform, chat_id: str) -> ChatSettings:
        return await self._read("reading chat settings", self.inner.chat_settings(platform, chat_id), ChatSettings())

    async def save_chat_settings(self, platform: Platform, chat_id: str, settings: ChatSettings) -> None:
        await self._write("saving chat settings", self.inner.save_chat_settings(platform, chat_id, settings))

    async def inbox_add(self, platform: Platform, entries: Sequence[InboxEntry]) -> None:
        await self._write("keeping updates in the inbox", self.inner.inbox_add(platform, entries))

    async def inbox_done(self, platform: Platform, update_ids: Sequence[int]) -> None:
        await self._write("marking updates answered", self.inner.inbox_done(platform, update_ids))

    async def inbox_entries(self, platform: Platform) -> list[InboxEntry]:
        return await self.inner.inbox_entries(platform)  # at start-up: no time limit, failing is fatal

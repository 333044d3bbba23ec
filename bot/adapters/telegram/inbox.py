"""At-least-once delivery: an update is confirmed to Telegram only once it is kept in the store or answered.

How PTB confirms updates, and where this module steps in:

* Long polling: the Updater puts each fetched update into ``Application.update_queue``
  and then calls ``getUpdates`` with a higher ``offset``, which confirms everything
  below it. :class:`InboxQueue` takes each update (new ones only: an update id seen
  before is skipped, so a redelivered update is never answered twice) and
  :class:`GatedUpdatesRequest` holds that next ``getUpdates`` until every update
  below the offset is *settled*: written to the store's inbox (batched, in the
  background) or answered.
* Webhook: PTB's handler puts the update into the same queue and answers Telegram's
  POST with 200 when ``put`` returns, so there ``put`` itself waits until the update
  is settled.
* An answered update is marked done (its content dropped). After a crash the
  updates still pending in the inbox are replayed first, in order.

The one window left: an update answered but killed before its done mark was written
(milliseconds) is answered again after the restart.
"""

from __future__ import annotations

import asyncio
import json
import logging
from typing import Any

from telegram import Bot, Update
from telegram.request import HTTPXRequest, RequestData

from bot.store.base import InboxEntry, Platform, Store, StoreError

log = logging.getLogger(__name__)

PLATFORM: Platform = "telegram"
SETTLE_TIMEOUT = 60.0  # longest a confirmation (or a webhook's 200) waits for an update to be kept or answered
RETRY_DELAY = 1.0
MAX_KNOWN_IDS = 20_000


class Inbox:
    """Which updates are kept, handled and settled; writes to the store in batches from one task."""

    def __init__(self, store: Store, *, settle_timeout: float = SETTLE_TIMEOUT) -> None:
        self.store = store
        self.settle_timeout = settle_timeout
        self._known: set[int] = set()
        self._unsettled: dict[int, asyncio.Event] = {}
        self._to_keep: list[InboxEntry] = []
        self._to_finish: list[int] = []
        self._work = asyncio.Event()
        self._writer: asyncio.Task[None] | None = None
        self._closing = False

    # -- start and stop -------------------------------------------------------------------------

    async def start(self, bot: Bot) -> list[Update]:
        """Load the inbox and start the writer; returns the updates left unanswered by the last run, in order."""
        entries = await self.store.inbox_entries(PLATFORM)
        self._known = {entry.update_id for entry in entries}
        self._closing = False
        self._writer = asyncio.create_task(self._write_loop(), name="telegram-inbox-writer")
        pending: list[Update] = []
        for entry in entries:
            if entry.done:
                continue
            try:
                pending.append(Update.de_json(json.loads(entry.payload), bot))
            except (ValueError, TypeError, KeyError) as exc:  # unreadable: skip it rather than never start
                log.error("Inbox: update %d is unreadable (%s); dropping it", entry.update_id, exc.__class__.__name__)
                self._to_finish.append(entry.update_id)
                self._work.set()
        if pending:
            log.info("Replaying %d Telegram updates left unanswered by the last run", len(pending))
        return pending

    async def stop(self) -> None:
        """Write what is still waiting (done marks of the last answers), then stop the writer."""
        self._closing = True
        self._work.set()
        if self._writer is not None:
            await self._writer
            self._writer = None

    # -- bookkeeping ----------------------------------------------------------------------------

    def accept(self, update: Update) -> bool:
        """True for a new update (now to be kept and handled); False for one already kept, handled or queued."""
        update_id = update.update_id
        if update_id in self._known:
            return False
        self._known.add(update_id)
        self._unsettled[update_id] = asyncio.Event()
        payload = json.dumps(update.to_dict(), ensure_ascii=False, separators=(",", ":"))
        self._to_keep.append(InboxEntry(update_id, payload))
        self._work.set()
        return True

    def answered(self, update: object) -> None:
        """The update was handled: settle it and mark it done in the store."""
        if not isinstance(update, Update):
            return
        self._settle(update.update_id)
        self._to_finish.append(update.update_id)
        self._work.set()

    def _settle(self, update_id: int) -> None:
        event = self._unsettled.pop(update_id, None)
        if event is not None:
            event.set()

    async def settled(self, update_id: int) -> None:
        """Wait until this update is kept in the store or answered."""
        event = self._unsettled.get(update_id)
        if event is not None:
            await self._bounded(event.wait(), f"update {update_id}")

    async def confirmable(self, offset: int) -> None:
        """Wait until every update below ``offset`` is kept or answered, so confirming it loses nothing."""
        waits = [event.wait() for update_id, event in self._unsettled.items() if update_id < offset]
        if waits:
            await self._bounded(asyncio.gather(*waits), f"updates below {offset}")

    async def _bounded(self, waiting: Any, what: str) -> None:
        try:
            await asyncio.wait_for(waiting, self.settle_timeout)
        except asyncio.TimeoutError:  # not the builtin one on Python 3.10
            log.error("Inbox: %s neither kept nor answered after %.0f s; going on", what, self.settle_timeout)

    # -- the writer -----------------------------------------------------------------------------

    async def _write_loop(self) -> None:
        while True:
            await self._work.wait()
            self._work.clear()
            written = await self._flush()
            self._forget_old_ids()
            if written and self._closing and not (self._to_keep or self._to_finish):
                return
            if not written:
                if self._closing:
                    log.error(
                        "Inbox: %d answered updates not marked done; they are answered again after a restart",
                        len(self._to_finish),
                    )
                    return
                await asyncio.sleep(RETRY_DELAY)
                self._work.set()

    async def _flush(self) -> bool:
        """One batch: keep new updates, mark answered ones done. False when marking done failed (retried)."""
        keep, self._to_keep = self._to_keep, []
        finish, self._to_finish = self._to_finish, []
        if keep:
            try:
                await self.store.inbox_add(PLATFORM, keep)
            except (StoreError, asyncio.TimeoutError) as exc:
                # Not fatal: these updates are being handled anyway and are confirmed once answered.
                log.warning("Inbox: could not keep %d updates (%s)", len(keep), exc)
            else:
                for entry in keep:
                    self._settle(entry.update_id)
        if finish:
            try:
                await self.store.inbox_done(PLATFORM, finish)
            except (StoreError, asyncio.TimeoutError) as exc:
                log.warning("Inbox: could not mark %d updates answered (%s); retrying", len(finish), exc)
                self._to_finish[:0] = finish
                return False
        return True

    def _forget_old_ids(self) -> None:
        """Keep the newest ids only: Telegram redelivers recent updates, never ones confirmed long ago."""
        if len(self._known) > MAX_KNOWN_IDS:
            keep = sorted(self._known)[-MAX_KNOWN_IDS // 2 :]
            self._known = set(keep) | set(self._unsettled)


class InboxQueue(asyncio.Queue[object]):
    """The Application's update queue: new updates only, and in webhook mode ``put`` returns once kept."""

    def __init__(self, inbox: Inbox) -> None:
        super().__init__()
        self.inbox = inbox
        self.wait_until_kept = False

    async def put(self, item: object) -> None:
        if isinstance(item, Update):
            if not self.inbox.accept(item):
                log.debug("Skipping update %d: already kept or answered", item.update_id)
                return
            await super().put(item)
            if self.wait_until_kept:
                await self.inbox.settled(item.update_id)
            return
        await super().put(item)


class GatedUpdatesRequest(HTTPXRequest):
    """The request object for ``getUpdates``: a call that confirms updates waits until they are settled."""

    def __init__(self, inbox: Inbox, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.inbox = inbox

    async def do_request(
        self, url: str, method: str, request_data: RequestData | None = None, *args: Any, **kwargs: Any
    ) -> tuple[int, bytes]:
        offset = request_data.parameters.get("offset") if request_data is not None else None
        if isinstance(offset, int) and offset > 0:
            await self.inbox.confirmable(offset)
        return await super().do_request(url, method, request_data, *args, **kwargs)

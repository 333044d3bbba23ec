"""One chat's trouble never holds up the others, and nothing confirmed to Telegram is lost.

Against the fake Bot API over real sockets: per-chat 429s, a database locked by
another process, held sends; plus the per-chat ordering of the update processor.
"""

from __future__ import annotations

import asyncio
import json
import logging
import sqlite3
import time
from typing import Any

import pytest
from telegram import Update

from bot.adapters.telegram import build_application, serve
from bot.adapters.telegram.delivery import ChatOrderedProcessor, FloodControl
from bot.adapters.telegram.inbox import PLATFORM
from bot.core import Triage
from bot.store.base import InboxEntry
from bot.store.sqlite import SQLiteStore
from tests.adapters.telegram._tg_support import Bot, make_settings, running_bot
from tests.fakes.fake_telegram import FakeTelegram, private_chat, user

pytestmark = pytest.mark.filterwarnings("ignore::telegram.warnings.PTBDeprecationWarning")

ANNA, BEN, CLEO = (private_chat(601, "Anna"), private_chat(602, "Ben"), private_chat(603, "Cleo"))


def user_of(chat: dict[str, Any]) -> dict[str, Any]:
    return user(chat["id"], chat["first_name"])


async def first_reply_after(fake: FakeTelegram, chat: dict[str, Any], text: str, timeout: float = 10) -> float:
    """Send ``text`` from ``chat``'s user; seconds until the bot's first reply reached the chat."""
    before = len(fake.delivered(chat["id"]))
    started = time.monotonic()
    fake.send_text(chat, user_of(chat), text)
    await fake.wait_for(lambda: len(fake.delivered(chat["id"])) > before, timeout)
    return time.monotonic() - started


def update_in(chat_id: int, update_id: int) -> Update:
    data = {
        "update_id": update_id,
        "message": {"message_id": update_id, "date": 0, "chat": {"id": chat_id, "type": "private"}, "text": "hi"},
    }
    update = Update.de_json(data, None)
    assert update is not None
    return update


async def test_updates_of_one_chat_run_in_order_and_chats_run_side_by_side() -> None:
    handled: list[object] = []
    processor = ChatOrderedProcessor(max_concurrent=3, after=handled.append)
    events: list[tuple[str, int, int]] = []
    running = peak = 0

    async def handle(chat_id: int, n: int) -> None:
        nonlocal running, peak
        running += 1
        peak = max(peak, running)
        events.append(("start", chat_id, n))
        await asyncio.sleep(0.02 if n == 0 else 0.001)  # the first update of each chat is the slow one
        events.append(("end", chat_id, n))
        running -= 1

    updates = [(chat_id, n) for n in range(4) for chat_id in (1, 2, 3, 4)]
    tasks = [
        asyncio.create_task(processor.process_update(update_in(chat_id, 10 * chat_id + n), handle(chat_id, n)))
        for chat_id, n in updates
    ]
    await asyncio.gather(*tasks)

    for chat_id in (1, 2, 3, 4):
        mine = [(kind, n) for kind, c, n in events if c == chat_id]
        assert mine == [(kind, n) for n in range(4) for kind in ("start", "end")]  # in order, one at a time
    assert peak == 3  # chats overlap, up to the limit and no further
    assert processor.active_chats == 0  # the per-chat locks are dropped once idle
    assert len(handled) == len(updates)


async def test_a_flood_wait_in_one_chat_does_not_hold_up_the_others(bot: Bot) -> None:
    bot.fake.flood_chat(ANNA["id"], times=1, retry_after=2)
    anna = asyncio.create_task(first_reply_after(bot.fake, ANNA, "/help"))
    await bot.fake.wait_for(lambda: bool(bot.fake.errors))  # Anna's reply got the 429
    ben = await first_reply_after(bot.fake, BEN, "/help")
    cleo = await first_reply_after(bot.fake, CLEO, "/help")
    assert ben < 1.0  # not the 2 s Anna has to wait
    assert cleo < 1.0
    assert await anna >= 2.0
    await bot.done()
    assert [len(bot.fake.delivered(chat["id"])) for chat in (ANNA, BEN, CLEO)] == [1, 1, 1]
    assert bot.fake.errors == [("sendMessage", "Too Many Requests: retry after 2")]


async def test_a_reply_delayed_by_flood_control_is_sent_once_when_allowed(bot: Bot) -> None:
    bot.fake.flood_chat(ANNA["id"], times=2, retry_after=1)
    waited = await first_reply_after(bot.fake, ANNA, "/help")
    assert waited >= 2.0
    await bot.done()
    assert len(bot.fake.delivered(ANNA["id"])) == 1
    assert len(bot.fake.requests("sendMessage")) == 3  # two refused, one delivered


async def test_five_429s_in_a_row_give_up_with_a_log_line_naming_the_chat(
    bot: Bot, caplog: pytest.LogCaptureFixture
) -> None:
    limiter = bot.app.bot.rate_limiter
    assert isinstance(limiter, FloodControl)
    assert limiter.max_retries == 3
    bot.fake.flood_chat(ANNA["id"], times=5, retry_after=1)
    with caplog.at_level(logging.WARNING, logger="bot.adapters.telegram.delivery"):
        bot.fake.send_text(ANNA, user_of(ANNA), "/help")
        await bot.fake.barrier(timeout=15)
    [gave_up] = [r for r in caplog.records if r.levelno == logging.ERROR and r.name.endswith("delivery")]
    assert gave_up.getMessage().startswith(
        f"Flood control: gave up on sendMessage to chat {ANNA['id']} after 4 attempts: Flood control exceeded"
    )
    assert len(bot.fake.requests("sendMessage")) == 4  # the first try and three retries, then no more
    assert bot.fake.delivered(ANNA["id"]) == []
    # The chat is usable again afterwards (the fifth 429 is used up by the next reply's first try).
    assert await first_reply_after(bot.fake, ANNA, "/help") >= 1.0
    assert len(bot.fake.delivered(ANNA["id"])) == 1


async def test_a_locked_database_delays_other_chats_by_at_most_the_read_limit(
    bot: Bot, store: SQLiteStore, caplog: pytest.LogCaptureFixture
) -> None:
    """Another process holds the write lock for seconds (SQLite waits up to 5 s for it).

    Anna's /model has to write and waits; Ben and Cleo, who only need reads, get
    their answers within about the 1 s read limit, not after Anna's write.
    """
    locker = sqlite3.connect(store.path, timeout=1, isolation_level=None)
    try:
        locker.execute("BEGIN IMMEDIATE")
        with caplog.at_level(logging.WARNING):
            bot.fake.send_text(ANNA, user_of(ANNA), "/model iphone 12")
            waits = await asyncio.gather(
                first_reply_after(bot.fake, BEN, "my iphone is stuck on the apple logo"),
                first_reply_after(bot.fake, CLEO, "my iphone won't turn on"),
            )
        assert max(waits) < 2.5
    finally:
        locker.execute("ROLLBACK")
        locker.close()
    assert any("carrying on without it" in r.getMessage() for r in caplog.records)
    await bot.done()
    assert [len(bot.fake.delivered(chat["id"])) >= 1 for chat in (ANNA, BEN, CLEO)] == [True] * 3


async def test_an_update_is_kept_in_the_store_before_telegram_is_told_it_arrived(bot: Bot, store: SQLiteStore) -> None:
    bot.fake.hold_sends()
    message = bot.fake.make_message(ANNA, user_of(ANNA), "/help")
    update_id = bot.fake.push_update({"message": message})["update_id"]
    await bot.fake.wait_for(lambda: bot.fake.confirmed_offset > update_id)
    kept = {entry.update_id: entry for entry in await store.inbox_entries(PLATFORM)}
    entry = kept[update_id]
    assert not entry.done
    assert json.loads(entry.payload)["message"]["text"] == message["text"]

    bot.fake.release_sends()
    await bot.done()
    assert len(bot.fake.delivered(ANNA["id"])) == 1
    for _ in range(50):  # the done mark is written in the background, just after the answer
        kept = {e.update_id: e for e in await store.inbox_entries(PLATFORM)}
        if kept[update_id].done:
            break
        await asyncio.sleep(0.02)
    assert kept[update_id] == InboxEntry(update_id, "", done=True)  # answered: the content is gone


async def test_a_restart_answers_what_was_left_and_never_what_was_done(
    fake: FakeTelegram, triage: Triage, store: SQLiteStore
) -> None:
    """The last run kept update 41 (unanswered) and answered 42; Telegram delivers both again."""
    left = {"update_id": 41, "message": fake.make_message(ANNA, user_of(ANNA), "/help")}
    done = {"update_id": 42, "message": fake.make_message(BEN, user_of(BEN), "/help")}
    await store.inbox_add(PLATFORM, [InboxEntry(41, json.dumps(left)), InboxEntry(42, json.dumps(done))])
    await store.inbox_done(PLATFORM, [42])
    fake.push_update(left)
    fake.push_update(done)
    async with running_bot(fake, triage, store) as bot:
        await bot.done()
    assert len(fake.delivered(ANNA["id"])) == 1  # replayed from the inbox; its redelivery skipped
    assert fake.delivered(BEN["id"]) == []
    kept = {e.update_id: e.done for e in await store.inbox_entries(PLATFORM)}
    assert (kept[41], kept[42]) == (True, True)


async def sent_times(limiter: FloodControl, chat_id: int, count: int) -> list[float]:
    """Push ``count`` requests to ``chat_id`` through the limiter one after another; when each went out."""
    loop = asyncio.get_running_loop()
    times: list[float] = []

    async def send(*args: Any, **kwargs: Any) -> bool:
        times.append(loop.time())
        return True

    for _ in range(count):
        await limiter.process_request(send, (), {}, "sendMessage", {"chat_id": chat_id}, None)
    return [t - times[0] for t in times]


async def test_one_chat_gets_short_bursts_then_about_one_message_a_second() -> None:
    times = await sent_times(FloodControl(chat_rate=1, chat_burst=4, group_max_rate=0), 555, 6)
    assert times[3] < 0.2  # a four-part answer goes out at once
    assert 0.7 < times[4] < 1.5  # then one a second
    assert 1.7 < times[5] < 2.5


async def test_a_group_gets_its_own_per_minute_limit() -> None:
    limiter = FloodControl(chat_burst=100, group_max_rate=3, group_time_period=3)  # 3 per 3 s: 1/s after 3
    times = await sent_times(limiter, -100123, 4)
    assert times[2] < 0.2
    assert 0.7 < times[3] < 1.5


async def test_an_unreadable_inbox_entry_is_dropped_not_fatal(
    fake: FakeTelegram, triage: Triage, store: SQLiteStore, caplog: pytest.LogCaptureFixture
) -> None:
    await store.inbox_add(PLATFORM, [InboxEntry(7, "{not json")])
    with caplog.at_level(logging.ERROR, logger="bot.adapters.telegram.inbox"):
        async with running_bot(fake, triage, store) as bot:
            assert await first_reply_after(fake, ANNA, "/help") < 5
            await bot.done()
    # Only the inbox's own lines: the fake server may log a long poll cut by the shutdown (ConnectionResetError).
    inbox_lines = [r.getMessage() for r in caplog.records if r.name == "bot.adapters.telegram.inbox"]
    assert inbox_lines == ["Inbox: update 7 is unreadable (JSONDecodeError); dropping it"]
    assert {e.update_id: e.done for e in await store.inbox_entries(PLATFORM)}[7] is True


async def test_a_chat_waiting_out_a_flood_lends_its_slot_to_other_chats(
    fake: FakeTelegram, triage: Triage, store: SQLiteStore
) -> None:
    """With room for one update at a time, Anna's 2 s flood pause still lets Ben's update through."""
    settings = make_settings(fake)
    app = build_application(
        settings, triage, store, rate_limiter=FloodControl(group_max_rate=0), max_concurrent_updates=1
    )
    stop, ready = asyncio.Event(), asyncio.Event()
    task = asyncio.create_task(serve(settings, triage, store, stop, application=app, poll_timeout=1, ready=ready))
    await asyncio.wait_for(ready.wait(), 10)
    try:
        fake.flood_chat(ANNA["id"], times=1, retry_after=2)
        anna = asyncio.create_task(first_reply_after(fake, ANNA, "/help"))
        await fake.wait_for(lambda: bool(fake.errors))
        assert await first_reply_after(fake, BEN, "/help") < 1.0
        assert await anna >= 2.0
    finally:
        stop.set()
        await asyncio.wait_for(task, 10)
    assert [len(fake.delivered(chat["id"])) for chat in (ANNA, BEN)] == [1, 1]

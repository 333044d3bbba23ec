"""Automatic-answer cooldowns: pruned as they expire, bounded in memory, cleared by /forget (issue 10, item 9)."""

from __future__ import annotations

from bot.adapters.discord.cooldowns import Cooldowns
from bot.core.triage import Triage
from bot.store import SQLiteStore
from tests.adapters.discord._discord_support import make_settings, serving
from tests.fakes.fake_discord import FakeDiscord

POST = "my iphone 12 is stuck on the apple logo after the update, it keeps restarting"


class Clock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


def test_a_cooldown_holds_then_expires() -> None:
    clock = Clock()
    cooldowns = Cooldowns(clock=clock)
    assert not cooldowns.active(1, 7, 300)
    cooldowns.start(1, 7)
    clock.now += 299
    assert cooldowns.active(1, 7, 300)
    assert not cooldowns.active(2, 7, 300)  # another channel
    assert not cooldowns.active(1, 8, 300)  # another person
    clock.now += 1
    assert not cooldowns.active(1, 7, 300)


def test_expired_entries_are_pruned_as_the_table_grows() -> None:
    clock = Clock()
    cooldowns = Cooldowns(clock=clock)
    assert not cooldowns.active(0, 0, 60)  # the channel's cooldown is 60 s
    for user in range(10_000):
        cooldowns.start(1, user)
        clock.now += 1  # one new author per second: at most the last 60 can still be cooling down
    assert len(cooldowns) <= 2 * 64 + 60
    assert cooldowns.active(1, 9_999, 60)  # recent ones are kept


def test_the_table_never_exceeds_its_cap_even_when_every_entry_is_active() -> None:
    clock = Clock()
    cooldowns = Cooldowns(max_entries=100, clock=clock)
    assert not cooldowns.active(0, 0, 86_400)
    for user in range(1_000):
        cooldowns.start(1, user)
        assert len(cooldowns) <= 100
    assert cooldowns.active(1, 999, 86_400)
    assert not cooldowns.active(1, 0, 86_400)  # the oldest made room


def test_forget_user_removes_every_channel_of_that_person() -> None:
    cooldowns = Cooldowns(clock=Clock())
    for channel in (1, 2, 3):
        cooldowns.start(channel, 7)
    cooldowns.start(1, 8)
    assert cooldowns.forget_user(7) == 3
    assert not any(cooldowns.active(channel, 7, 300) for channel in (1, 2, 3))
    assert cooldowns.active(1, 8, 300)
    assert len(cooldowns) == 1


async def test_forget_clears_the_cooldown_of_the_running_bot(
    fake: FakeDiscord, triage: Triage, store: SQLiteStore
) -> None:
    """After /forget, nothing in memory holds the person back: their next help post is answered."""
    settings = make_settings(fake, DISCORD_HELP_CHANNEL_IDS=str(fake.help_channel_id))
    channel = f"/channels/{fake.help_channel_id}/messages"
    async with serving(fake, settings, triage, store):
        await fake.wait_request("PUT", "/applications/")
        since = len(fake.requests)
        await fake.post_message(fake.user_message(POST, user_id=5301))
        await fake.wait_request("POST", channel, since=since)
        since = len(fake.requests)
        await fake.post_message(fake.user_message(POST, user_id=5301))  # within the cooldown: ignored
        await fake.slash("forget", user_id=9999, username="marker")  # answered once that post was handled
        await fake.wait_request("POST", "/interactions/", since=since)
        assert fake.find("POST", channel, since=since) == []
        since = len(fake.requests)
        await fake.slash("forget", user_id=5301, username="erin")
        await fake.wait_request("POST", "/interactions/", since=since)
        since = len(fake.requests)
        await fake.post_message(fake.user_message(POST, user_id=5301))
        await fake.wait_request("POST", channel, since=since)

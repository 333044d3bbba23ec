"""End to end: /auto turns help-channel answers on and off at run time, kept in SQLite across restarts."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from bot.adapters.discord import render
from bot.adapters.discord.commands import INTENT_OFF_HINT
from bot.core.triage import Triage
from bot.store import SQLiteStore
from bot.store.base import ChatSettings
from tests.adapters.discord._discord_support import NO_PINGS, make_settings, serving
from tests.fakes.fake_discord import EPHEMERAL, INTENT_MESSAGE_CONTENT, FakeDiscord, Request

POST = "my iphone 12 is stuck on the apple logo after the update, it keeps restarting"
MANAGE_GUILD = 1 << 5
ON = "Auto answers are on in this channel: I'll answer new help posts here, at most once every 10 minutes per person."
OFF = "Auto answers are off in this channel. Commands like /fix still work."


async def _auto(fake: FakeDiscord, options: dict[str, Any]) -> Request:
    since = len(fake.requests)
    await fake.slash("auto", options, user_id=5900, username="admin", perms=MANAGE_GUILD)
    (sent,) = await fake.wait_request("POST", "/interactions/", since=since)
    return sent


def _ephemeral(text: str) -> dict[str, Any]:
    return {
        "type": 4,
        "data": {"tts": False, "content": render.notice(text), "flags": EPHEMERAL, "allowed_mentions": NO_PINGS},
    }


async def _settle(fake: FakeDiscord) -> None:
    """Let the bot process what was dispatched: a /forget round trip is answered after it."""
    since = len(fake.requests)
    await fake.slash("forget", user_id=9999, username="marker")
    await fake.wait_request("POST", "/interactions/", since=since)


def _replies(fake: FakeDiscord, since: int) -> list[Request]:
    return list(fake.find("POST", f"/channels/{fake.help_channel_id}/messages", since=since))


async def _post(fake: FakeDiscord, user_id: int) -> int:
    since = len(fake.requests)
    await fake.post_message(fake.user_message(POST, user_id=user_id))
    return since


async def test_auto_on_is_kept_across_a_restart_and_off_stops_it(
    fake: FakeDiscord, triage: Triage, store: SQLiteStore, tmp_path: Path
) -> None:
    channel = str(fake.help_channel_id)
    async with serving(fake, make_settings(fake), triage, store):
        assert not fake.identify[-1]["intents"] & INTENT_MESSAGE_CONTENT  # nothing configured yet
        await fake.wait_request("PUT", "/applications/")
        sent = await _auto(fake, {"mode": "on", "cooldown_minutes": 10})
        assert sent.json == _ephemeral(f"{ON}\n{INTENT_OFF_HINT}")  # the intent is off until a restart
        assert await store.chat_settings("discord", channel) == ChatSettings(auto_mode=True, cooldown_seconds=600)
        assert await store.auto_mode_chats("discord") == [channel]
    await store.close()

    # A new process: a new connection to the same file.
    store = await SQLiteStore.open(tmp_path / "revive.sqlite3", "test-key")
    async with store, serving(fake, make_settings(fake), triage, store):
        assert fake.identify[-1]["intents"] & INTENT_MESSAGE_CONTENT  # requested: a channel has /auto on
        since = await _post(fake, 5101)
        await fake.wait_request("POST", f"/channels/{channel}/messages", since=since)
        since = await _post(fake, 5101)  # the same person within the 10 minutes: no second answer
        await _settle(fake)
        assert _replies(fake, since) == []

        assert (await _auto(fake, {"mode": "on"})).json == _ephemeral(ON)  # cooldown kept, no intent hint
        assert (await _auto(fake, {"mode": "off"})).json == _ephemeral(OFF)
        assert await store.chat_settings("discord", channel) == ChatSettings(auto_mode=False, cooldown_seconds=600)
        since = await _post(fake, 5102)  # someone new, but auto answers are off now
        await _settle(fake)
        assert _replies(fake, since) == []


async def test_auto_off_in_a_configured_channel_says_the_setting_wins(
    fake: FakeDiscord, triage: Triage, store: SQLiteStore
) -> None:
    settings = make_settings(fake, DISCORD_HELP_CHANNEL_IDS=str(fake.help_channel_id))
    async with serving(fake, settings, triage, store):
        await fake.wait_request("PUT", "/applications/")
        sent = await _auto(fake, {"mode": "off", "cooldown_minutes": 0})
        assert sent.json == _ephemeral(
            "Saved, but this channel is listed in DISCORD_HELP_CHANNEL_IDS, so I'll keep answering here "
            "until it's removed from that setting and Revive restarts."
        )
        since = await _post(fake, 5201)
        await fake.wait_request("POST", f"/channels/{fake.help_channel_id}/messages", since=since)
        since = await _post(fake, 5201)  # cooldown 0: the same person is answered again
        await fake.wait_request("POST", f"/channels/{fake.help_channel_id}/messages", since=since)


async def test_stored_auto_channel_without_the_portal_intent_still_starts(
    fake: FakeDiscord, triage: Triage, store: SQLiteStore
) -> None:
    """/auto wanted the intent but the portal refuses it: start without it; commands keep working."""
    await store.save_chat_settings("discord", str(fake.help_channel_id), ChatSettings(auto_mode=True))
    fake.privileged_enabled = 0
    async with serving(fake, make_settings(fake), triage, store):
        await fake.wait_request("PUT", "/applications/")
        assert [bool(i["intents"] & INTENT_MESSAGE_CONTENT) for i in fake.identify] == [True, False]
        assert fake.close_codes == [4014]
        sent = await _auto(fake, {"mode": "on", "cooldown_minutes": 1})
    assert sent.json == _ephemeral(
        "Auto answers are on in this channel: I'll answer new help posts here, at most once every 1 minute per "
        f"person.\n{INTENT_OFF_HINT}"
    )


async def test_auto_inside_a_forum_post_applies_to_the_forum(
    fake: FakeDiscord, triage: Triage, store: SQLiteStore
) -> None:
    async with serving(fake, make_settings(fake), triage, store):
        await fake.wait_request("PUT", "/applications/")
        post = await fake.create_forum_post("Admin", "setting things up", user_id=5900, username="admin")
        since = len(fake.requests)
        await fake.slash(
            "auto", {"mode": "on"}, user_id=5900, username="admin", perms=MANAGE_GUILD, channel_id=int(post["id"])
        )
        await fake.wait_request("POST", "/interactions/", since=since)
    assert await store.auto_mode_chats("discord") == [str(fake.forum_channel_id)]

"""End to end: opt-in help channels and forums, the cooldown, "Not my issue", and "Triage this message"."""

from __future__ import annotations

import asyncio
from typing import Any

from bot.core.callbacks import decode
from bot.core.triage import Triage
from bot.store import SQLiteStore
from tests.adapters.discord._discord_support import (
    NO_PINGS,
    NO_PINGS_REPLY,
    answer_for,
    answer_id_of,
    body,
    custom_ids,
    expected_messages,
    make_settings,
    serving,
    with_id,
)
from tests.fakes.fake_discord import EPHEMERAL, INTENT_MESSAGE_CONTENT, FakeDiscord

TITLE = "iPhone 12 stuck on Apple logo"
POST = "It's been on the Apple logo for an hour after the update, it keeps restarting. What do I do?"


def _help_settings(fake: FakeDiscord, **env: Any) -> Any:
    channels = f"{fake.forum_channel_id},{fake.help_channel_id}"
    return make_settings(fake, DISCORD_HELP_CHANNEL_IDS=channels, **env)


async def _settle(fake: FakeDiscord) -> None:
    """Let the bot process what was dispatched: a /forget round trip is answered after it."""
    since = len(fake.requests)
    await fake.slash("forget", user_id=9999, username="marker")
    await fake.wait_request("POST", "/interactions/", since=since)


def _replies(fake: FakeDiscord, since: int) -> list[Any]:
    return list(fake.find("POST", "/channels/", since=since))


async def test_forum_post_is_answered_once_then_cooldown(fake: FakeDiscord, triage: Triage, store: SQLiteStore) -> None:
    text = f"{TITLE}\n{POST}"
    expected_answer = await answer_for(triage, text)
    parts = len(expected_messages(expected_answer))
    async with serving(fake, _help_settings(fake), triage, store):
        assert fake.identify[0]["intents"] & INTENT_MESSAGE_CONTENT  # requested: help channels are configured
        await fake.wait_request("PUT", "/applications/")
        since = len(fake.requests)
        post = await fake.create_forum_post(TITLE, POST)
        sent = await fake.wait_request("POST", f"/channels/{post['id']}/messages", since=since, count=parts)
        answer_id = answer_id_of(sent[-1].json)
        expected = expected_messages(with_id(expected_answer, answer_id))
        for request, embeds in zip(sent, expected, strict=True):
            assert request.headers["Authorization"] == f"Bot {fake.token}"
            assert isinstance(request.json.pop("nonce"), str)
            assert request.json == {
                "content": None,
                "tts": False,
                "embeds": embeds,
                "components": sent[-1].json["components"] if request is sent[-1] else [],
                "message_reference": {"message_id": int(post["id"]), "channel_id": int(post["id"]), "guild_id": 3000},
                "allowed_mentions": NO_PINGS_REPLY,
                "enforce_nonce": True,
            }
        verbs = [decode(cid).verb for cid in custom_ids(sent[-1].json)]  # type: ignore[union-attr]
        assert verbs == ["worked", "next", "dfu", "remember", "dismiss"]

        # The same person again within the cooldown: no answer. Someone else: answered.
        since = len(fake.requests)
        await fake.create_forum_post("Still stuck", "iPhone 12 stuck on the apple logo again, boot loop")
        await _settle(fake)
        assert _replies(fake, since) == []
        other = await fake.create_forum_post(TITLE, POST, user_id=5003, username="carol")
        await fake.wait_request("POST", f"/channels/{other['id']}/messages", since=since, count=parts)


async def test_help_channel_message_off_topic_and_replies_in_threads(
    fake: FakeDiscord, triage: Triage, store: SQLiteStore
) -> None:
    async with serving(fake, _help_settings(fake), triage, store):
        await fake.wait_request("PUT", "/applications/")
        since = len(fake.requests)
        await fake.post_message(fake.user_message("anyone know a good case for the 15 pro?", user_id=5010))
        await fake.post_message(fake.user_message(POST, channel_id=fake.general_channel_id, user_id=5011))
        post = await fake.create_forum_post(TITLE, POST, user_id=5012)
        reply_in_thread = fake.user_message("thanks, trying now", user_id=5013, channel_id=int(post["id"]))
        await fake.post_message(reply_in_thread)
        await fake.post_message(
            fake.user_message("my iphone 12 is stuck on the apple logo after the update", user_id=5014)
        )
        await fake.wait_request("POST", f"/channels/{fake.help_channel_id}/messages", since=since)
        await _settle(fake)
    channels = {r.path.split("/")[2] for r in _replies(fake, since)}
    # off-topic, unconfigured channel and a later message in a thread: ignored
    assert channels == {post["id"], str(fake.help_channel_id)}


async def test_message_without_the_intent_is_ignored(fake: FakeDiscord, triage: Triage, store: SQLiteStore) -> None:
    """No help channels: message content is not requested, Discord blanks it, and the bot stays quiet."""
    async with serving(fake, make_settings(fake), triage, store):
        assert not fake.identify[0]["intents"] & INTENT_MESSAGE_CONTENT
        await fake.wait_request("PUT", "/applications/")
        since = len(fake.requests)
        await fake.post_message(fake.user_message(POST))
        await fake.create_forum_post(TITLE, POST)
        await _settle(fake)
    assert _replies(fake, since) == []


async def test_not_my_issue_removes_the_whole_reply(fake: FakeDiscord, triage: Triage, store: SQLiteStore) -> None:
    text = f"{TITLE}\n{POST}"
    parts = len(expected_messages(await answer_for(triage, text)))
    async with serving(fake, _help_settings(fake), triage, store):
        await fake.wait_request("PUT", "/applications/")
        since = len(fake.requests)
        post = await fake.create_forum_post(TITLE, POST)
        await fake.wait_request("POST", f"/channels/{post['id']}/messages", since=since, count=parts)
        bot_parts = [m for m in fake.messages.values() if m["author"]["bot"]]
        last = bot_parts[-1]
        dismiss = next(cid for cid in custom_ids(last) if cid.startswith("rv|x|"))

        since = len(fake.requests)
        await fake.click(last, dismiss, user_id=5099, username="mallory")  # not the asker, no Manage Messages
        (refused,) = await fake.wait_request("POST", "/interactions/", since=since)
        assert refused.json["data"] == {
            "tts": False,
            "content": "Only the person who asked (or a moderator) can remove this answer.",
            "flags": EPHEMERAL,
            "allowed_mentions": NO_PINGS,
        }

        since = len(fake.requests)
        await fake.click(last, dismiss)  # the asker
        deletes = await fake.wait_request("DELETE", "/channels/", since=since, count=parts)
    (ack,) = fake.find("POST", "/interactions/", since=since)
    assert ack.json == {"type": 6}
    assert sorted(r.path for r in deletes) == sorted(f"/channels/{post['id']}/messages/{m['id']}" for m in bot_parts)
    answer_id = dismiss.split("|")[2]
    records = await store.outcome_records()
    assert [(r.answer_id, r.kind, r.symptom_id, r.step) for r in records] == [
        (answer_id, "not_helpful", decode(dismiss).symptom_id, 0)  # type: ignore[union-attr]
    ]
    left = [m for m in fake.messages.values() if m["channel_id"] == post["id"] and not m["flags"] & EPHEMERAL]
    assert [m["id"] for m in left] == [post["id"]]  # only the asker's post remains


async def test_triage_this_message_replies_to_the_post(fake: FakeDiscord, triage: Triage, store: SQLiteStore) -> None:
    """A helper's context-menu command: the bot replies to the asker's post, pinging no one."""
    async with serving(fake, make_settings(fake), triage, store):
        await fake.wait_request("PUT", "/applications/")
        target = fake.user_message("my iphone se is frozen <@5050> @everyone", user_id=5020, username="dave")
        since = len(fake.requests)
        interaction = await fake.message_command("Triage this message", target, user_id=5021, username="helper")
        sent = await fake.wait_request("POST", "/webhooks/", since=since)
    defer, reply, done = fake.requests[since:][:3]
    assert defer.json == {"type": 5, "data": {"flags": EPHEMERAL}}
    answer = with_id(await answer_for(triage, target["content"]), answer_id_of(reply.json))
    assert reply.path == f"/channels/{fake.help_channel_id}/messages"
    assert isinstance(reply.json.pop("nonce"), str)
    assert reply.json == {
        "content": None,
        "tts": False,
        "embeds": expected_messages(answer)[0],
        "components": reply.json["components"],
        "message_reference": {"message_id": int(target["id"]), "channel_id": fake.help_channel_id, "guild_id": 3000},
        "allowed_mentions": NO_PINGS_REPLY,
        "enforce_nonce": True,
    }
    assert reply.json["components"][0]["components"][0]["type"] == 3  # the SE picker
    bot_reply = max(int(i) for i, m in fake.messages.items() if m["author"]["bot"] and m.get("message_reference"))
    assert sent == [done]
    assert done.json == {
        "tts": False,
        "content": f"Answered: https://discord.com/channels/{fake.guild_id}/{fake.help_channel_id}/{bot_reply}",
        "flags": EPHEMERAL,
        "allowed_mentions": NO_PINGS,
    }
    assert interaction["data"]["target_id"] == target["id"]


async def test_choosing_a_model_on_a_reply_re_triages_the_original_post(
    fake: FakeDiscord, triage: Triage, store: SQLiteStore
) -> None:
    async with serving(fake, make_settings(fake), triage, store):
        await fake.wait_request("PUT", "/applications/")
        target = fake.user_message("my iphone se is frozen and won't respond to anything")
        since = len(fake.requests)
        await fake.message_command("Triage this message", target, user_id=5021, username="helper")
        await fake.wait_request("POST", "/webhooks/", since=since)
        reply = fake.messages[max(int(i) for i, m in fake.messages.items() if m.get("message_reference"))]
        (picker,) = custom_ids(reply)
        since = len(fake.requests)
        await fake.click(reply, picker, values=["iphone-se-1"])
        await fake.wait_request("POST", "/interactions/", since=since)
        await asyncio.sleep(0)
    update = fake.find("POST", "/interactions/", since=since)[0]
    assert update.json["type"] == 7
    chosen = await answer_for(triage, target["content"], model_id="iphone-se-1", symptom_id="unresponsive")
    assert body(update)["embeds"][0]["title"] == chosen.headline

"""End to end: opt-in help channels and forums, the cooldown, "Not my issue", and "Triage this message"."""

from __future__ import annotations

import asyncio
from typing import Any

from bot.core.answer import TriageRequest
from bot.core.callbacks import unpack
from bot.core.triage import Triage
from bot.store import SQLiteStore
from tests.adapters.discord._discord_support import (
    NO_PINGS,
    NO_PINGS_REPLY,
    answer_id_of,
    body,
    custom_ids,
    embed_text,
    expected_first_view,
    make_settings,
    reply_json,
    serving,
    token_of,
    verbs_of,
)
from tests.fakes.fake_discord import EPHEMERAL, INTENT_MESSAGE_CONTENT, FakeDiscord

NOT_ALLOWED = (
    "Only the person who asked, or this chat's helpers, can use these buttons. "
    "Ask your own question to get steps for your phone."
)
TITLE = "iPhone 12 stuck on Apple logo"
LOGO_NO_MODEL = "my iphone is stuck on the apple logo after the update, it keeps restarting"
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
    async with serving(fake, _help_settings(fake), triage, store):
        assert fake.identify[0]["intents"] & INTENT_MESSAGE_CONTENT  # requested: help channels are configured
        await fake.wait_request("PUT", "/applications/")
        since = len(fake.requests)
        post = await fake.create_forum_post(TITLE, POST)
        (sent,) = await fake.wait_request("POST", f"/channels/{post['id']}/messages", since=since)
        view = await expected_first_view(triage, store, text, answer_id_of(sent.json), auto=True)
        assert sent.headers["Authorization"] == f"Bot {fake.token}"
        assert isinstance(sent.json.pop("nonce"), str)
        assert sent.json == {
            "content": None,
            "tts": False,
            **reply_json(view),
            "message_reference": {
                "message_id": int(post["id"]),
                "channel_id": int(post["id"]),
                "guild_id": 3000,
            },
            "allowed_mentions": NO_PINGS_REPLY,
            "enforce_nonce": True,
        }
        assert verbs_of(sent.json)[:2] == ["worked", "next"]
        assert verbs_of(sent.json)[-2:] == ["dismiss", "more"]  # "Not my issue" on an unprompted answer

        # The same person again within the cooldown: no answer. Someone else: answered.
        since = len(fake.requests)
        await fake.create_forum_post("Still stuck", "iPhone 12 stuck on the apple logo again, boot loop")
        await _settle(fake)
        assert _replies(fake, since) == []
        other = await fake.create_forum_post(TITLE, POST, user_id=5003, username="carol")
        await fake.wait_request("POST", f"/channels/{other['id']}/messages", since=since)


async def test_damage_is_answered_unprompted_even_when_the_symptom_is_unsure(
    fake: FakeDiscord, triage: Triage, store: SQLiteStore
) -> None:
    """The gate lets a damage or danger answer through at any confidence: a swollen battery needs its warning."""
    vague = "my phone's battery is swollen and the back is lifting, what do i do"
    answer = await triage.answer(TriageRequest(vague))
    assert answer.damage
    settings = _help_settings(fake, REVIVE_AUTO_MIN_CONFIDENCE=1.0)  # nothing else is confident enough
    async with serving(fake, settings, triage, store):
        await fake.wait_request("PUT", "/applications/")
        since = len(fake.requests)
        await fake.post_message(fake.user_message(POST, user_id=5401))  # an ordinary post: below the bar
        await _settle(fake)
        assert _replies(fake, since) == []
        await fake.post_message(fake.user_message(vague, user_id=5402))
        (sent,) = await fake.wait_request("POST", f"/channels/{fake.help_channel_id}/messages", since=since)
    assert sent.json["embeds"][0]["color"] == 0xED4245  # red: danger
    ladders = {state.ladder for cid in custom_ids(sent.json) if (state := unpack(cid)) is not None}
    erasing = {"recovery_restore", "dfu_restore", "passcode_reset"}
    assert ladders
    assert all(not erasing & set(ladder) for ladder in ladders)  # no button leads to a restore or DFU


async def test_a_remembered_model_is_used_for_an_automatic_answer(
    fake: FakeDiscord, triage: Triage, store: SQLiteStore
) -> None:
    await store.remember_model("discord", "5501", "iphone-7")
    async with serving(fake, _help_settings(fake, REVIVE_AUTO_MIN_CONFIDENCE=0.3), triage, store):
        await fake.wait_request("PUT", "/applications/")
        since = len(fake.requests)
        await fake.post_message(fake.user_message(LOGO_NO_MODEL, user_id=5501))
        (sent,) = await fake.wait_request("POST", f"/channels/{fake.help_channel_id}/messages", since=since)
    assert sent.json["embeds"][0]["title"].startswith("iPhone 7: ")
    assert "|7|" in "".join(custom_ids(sent.json))
    assert "Volume Down" in embed_text(sent.json)


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


async def test_not_my_issue_removes_the_reply(fake: FakeDiscord, triage: Triage, store: SQLiteStore) -> None:
    async with serving(fake, _help_settings(fake), triage, store):
        await fake.wait_request("PUT", "/applications/")
        since = len(fake.requests)
        post = await fake.create_forum_post(TITLE, POST)
        await fake.wait_request("POST", f"/channels/{post['id']}/messages", since=since)
        (reply,) = [m for m in fake.messages.values() if m["author"]["bot"]]
        dismiss = token_of(reply, "dismiss")

        since = len(fake.requests)
        await fake.click(reply, dismiss, user_id=5099, username="mallory")  # not the asker, no Manage Messages
        (refused,) = await fake.wait_request("POST", "/interactions/", since=since)
        assert refused.json["data"] == {
            "tts": False,
            "content": NOT_ALLOWED,
            "flags": EPHEMERAL,
            "allowed_mentions": NO_PINGS,
        }
        assert await store.outcome_records() == []

        since = len(fake.requests)
        await fake.click(reply, dismiss)  # the asker
        (delete,) = await fake.wait_request("DELETE", "/channels/", since=since)
    (ack,) = fake.find("POST", "/interactions/", since=since)
    assert ack.json == {"type": 6}
    assert delete.path == f"/channels/{post['id']}/messages/{reply['id']}"
    state = unpack(dismiss)
    assert state is not None
    records = await store.outcome_records()
    assert [(r.answer_id, r.kind, r.symptom_id, r.step) for r in records] == [
        (state.answer_id, "not_helpful", state.symptom_id, 0)
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
    view = await expected_first_view(triage, store, target["content"], answer_id_of(reply.json))
    assert view.kind == "ask_model"  # which SE?
    assert reply.path == f"/channels/{fake.help_channel_id}/messages"
    assert isinstance(reply.json.pop("nonce"), str)
    assert reply.json == {
        "content": None,
        "tts": False,
        **reply_json(view),
        "message_reference": {
            "message_id": int(target["id"]),
            "channel_id": fake.help_channel_id,
            "guild_id": 3000,
        },
        "allowed_mentions": NO_PINGS_REPLY,
        "enforce_nonce": True,
    }
    bot_reply = max(int(i) for i, m in fake.messages.items() if m["author"]["bot"] and m.get("message_reference"))
    assert sent == [done]
    assert done.json == {
        "tts": False,
        "content": f"Answered: https://discord.com/channels/{fake.guild_id}/{fake.help_channel_id}/{bot_reply}",
        "flags": EPHEMERAL,
        "allowed_mentions": NO_PINGS,
    }
    assert interaction["data"]["target_id"] == target["id"]


async def test_the_asker_picks_the_model_on_a_helpers_reply(
    fake: FakeDiscord, triage: Triage, store: SQLiteStore
) -> None:
    """The reply answers dave's post: dave (not the helper who ran the command) is the asker who may choose."""
    async with serving(fake, make_settings(fake), triage, store):
        await fake.wait_request("PUT", "/applications/")
        target = fake.user_message("my iphone se is frozen and won't respond to anything", user_id=5020)
        since = len(fake.requests)
        await fake.message_command("Triage this message", target, user_id=5021, username="helper")
        await fake.wait_request("POST", "/webhooks/", since=since)
        reply = fake.messages[max(int(i) for i, m in fake.messages.items() if m.get("message_reference"))]
        first_gen = custom_ids(reply)[0]
        since = len(fake.requests)
        await fake.click(reply, first_gen, user_id=5020, username="dave")
        (update,) = await fake.wait_request("POST", "/interactions/", since=since)
        await asyncio.sleep(0)
    assert update.json["type"] == 7  # the question becomes the answer for the SE (1st generation)
    assert body(update)["embeds"][0]["title"].startswith("iPhone SE (1st generation): ")

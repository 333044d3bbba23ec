"""Shared channels, end to end: only the asker (or a moderator, or a helper) moves an answer on; "Solved" in forums;
the handoff pings the helper role only when one is configured; a typed answer completes the model question.

Every test runs the real ``serve()`` against the fake server, with a ``SQLiteStore`` on a file in ``tmp_path``.
"""

from __future__ import annotations

from typing import Any

import pytest

from bot.core.conversation import Actor, Conversation
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
    wait_messages,
)
from tests.fakes.fake_discord import EPHEMERAL, FakeDiscord, Request

NOT_ALLOWED = (
    "Only the person who asked, or this chat's helpers, can use these buttons. "
    "Ask your own question to get steps for your phone."
)
MANAGE_MESSAGES = 1 << 13
ADMINISTRATOR = 1 << 3
IPHONE_8 = "my iphone 8 won't turn on after update"
TITLE = "iPhone 12 stuck on the Apple logo"
POST = "It's been on the Apple logo for an hour after the update and keeps restarting. What do I do?"
ALICE, BOB = 5001, 5099  # the asker, and someone else in the channel


async def _fix_answer(fake: FakeDiscord, problem: str = IPHONE_8) -> dict[str, Any]:
    """alice runs /fix in the help channel; the bot's public reply."""
    since = len(fake.requests)
    interaction = await fake.slash("fix", {"problem": problem}, user_id=ALICE, username="alice")
    await fake.wait_request("POST", "/interactions/", since=since)
    return fake.response_message(interaction)


async def _forum_answer(fake: FakeDiscord) -> tuple[dict[str, Any], dict[str, Any]]:
    """alice opens a forum post; the bot's automatic reply in it. Returns (post, reply)."""
    since = len(fake.requests)
    post = await fake.create_forum_post(TITLE, POST, user_id=ALICE, username="alice")
    (sent,) = await fake.wait_request("POST", f"/channels/{post['id']}/messages", since=since)
    reply = next(m for m in fake.messages.values() if m["author"]["bot"] and m["channel_id"] == post["id"])
    assert answer_id_of(reply) == answer_id_of(sent.json)
    return post, reply


def _help_forum(fake: FakeDiscord, **env: Any) -> Any:
    return make_settings(fake, DISCORD_HELP_CHANNEL_IDS=str(fake.forum_channel_id), **env)


async def _press(fake: FakeDiscord, message: dict[str, Any], verb: str, **kw: Any) -> list[Request]:
    """Press a button and return every request the bot made for it (settled by a /forget marker)."""
    since = len(fake.requests)
    await fake.click(message, token_of(message, verb), **kw)
    await fake.wait_request("POST", "/interactions/", since=since)
    marker = len(fake.requests)
    await fake.slash("forget", user_id=9999, username="marker")
    await fake.wait_request("POST", "/interactions/", since=marker)
    return list(fake.requests[since:marker])


def _refusal(request: Request) -> None:
    assert request.json == {
        "type": 4,
        "data": {"tts": False, "content": NOT_ALLOWED, "flags": EPHEMERAL, "allowed_mentions": NO_PINGS},
    }


@pytest.mark.parametrize("verb", ["worked", "next", "helper"])
async def test_someone_else_in_a_channel_changes_nothing_and_records_nothing(
    fake: FakeDiscord, triage: Triage, store: SQLiteStore, verb: str
) -> None:
    async with serving(fake, make_settings(fake), triage, store):
        await fake.wait_request("PUT", "/applications/")
        answer = await _fix_answer(fake)
        before = {mid: dict(m) for mid, m in fake.messages.items()}
        sent = await _press(fake, answer, verb, user_id=BOB, username="bob")
    (refused,) = sent  # one private notice to bob, nothing else: no edit, no follow-up, no tag
    _refusal(refused)
    public = {mid: m for mid, m in fake.messages.items() if not m["flags"] & EPHEMERAL}
    assert public == {mid: m for mid, m in before.items() if not m["flags"] & EPHEMERAL}
    assert await store.outcome_records() == []


async def test_someone_else_in_a_forum_post_changes_nothing_and_records_nothing(
    fake: FakeDiscord, triage: Triage, store: SQLiteStore
) -> None:
    async with serving(fake, _help_forum(fake, DISCORD_SOLVED_TAG="Solved"), triage, store):
        await fake.wait_request("PUT", "/applications/")
        post, reply = await _forum_answer(fake)
        for verb in ("worked", "next", "dismiss"):
            (refused,) = await _press(fake, reply, verb, user_id=BOB, username="bob")
            _refusal(refused)
    assert fake.find("PATCH", "/channels/") == []  # no "Solved" tag
    assert fake.threads[int(post["id"])]["applied_tags"] == []
    assert await store.outcome_records() == []
    assert int(reply["id"]) in fake.messages  # not removed


async def test_bystanders_may_read_but_only_privately(fake: FakeDiscord, triage: Triage, store: SQLiteStore) -> None:
    """Read-only offers (More, All steps) answer a bystander with a private copy; the channel sees nothing new."""
    async with serving(fake, make_settings(fake), triage, store):
        await fake.wait_request("PUT", "/applications/")
        answer = await _fix_answer(fake)
        (details,) = await _press(fake, answer, "more", user_id=BOB, username="bob")
        (gate,) = await _press(fake, answer, "all", user_id=BOB, username="bob")
    for copy in (details, gate):
        assert copy.json["type"] == 4
        assert copy.json["data"]["flags"] == EPHEMERAL
        assert copy.status == 200
    names = [f["name"] for e in details.json["data"]["embeds"] for f in e.get("fields", [])]
    assert any(name.startswith("1. ") for name in names)  # the step's details, not an apology
    assert "erases everything" in embed_text(gate.json["data"])  # All steps includes a restore: the gate first
    assert await store.outcome_records() == []


@pytest.mark.parametrize(
    ("who", "env"),
    [
        ({"perms": MANAGE_MESSAGES}, {}),
        ({"perms": ADMINISTRATOR}, {}),
        ({"roles": [3900]}, {"DISCORD_HELPER_ROLE_ID": "3900"}),
    ],
    ids=["manage-messages", "administrator", "helper-role"],
)
async def test_moderators_and_helpers_may_act_on_anyones_answer(
    fake: FakeDiscord, triage: Triage, store: SQLiteStore, who: dict[str, Any], env: dict[str, str]
) -> None:
    async with serving(fake, make_settings(fake, **env), triage, store):
        await fake.wait_request("PUT", "/applications/")
        answer = await _fix_answer(fake)
        sent = await _press(fake, answer, "worked", user_id=BOB, username="bob", **who)
    assert [r.json["type"] for r in sent] == [7]  # shown solved in the channel
    assert [r.kind for r in await store.outcome_records()] == ["worked"]


async def test_a_role_that_is_not_the_helper_role_does_not_count(
    fake: FakeDiscord, triage: Triage, store: SQLiteStore
) -> None:
    async with serving(fake, make_settings(fake), triage, store):  # no DISCORD_HELPER_ROLE_ID
        await fake.wait_request("PUT", "/applications/")
        answer = await _fix_answer(fake)
        (refused,) = await _press(fake, answer, "worked", user_id=BOB, username="bob", roles=[3900])
    _refusal(refused)
    assert await store.outcome_records() == []


@pytest.mark.parametrize("tag", ["Solved", "solved", "3301"])
async def test_it_worked_in_a_forum_post_shows_it_solved_and_applies_the_tag(
    fake: FakeDiscord, triage: Triage, store: SQLiteStore, tag: str
) -> None:
    async with serving(fake, _help_forum(fake, DISCORD_SOLVED_TAG=tag), triage, store):
        await fake.wait_request("PUT", "/applications/")
        post, reply = await _forum_answer(fake)
        since = len(fake.requests)
        (update,) = await _press(fake, reply, "worked")
        (patch,) = await fake.wait_request("PATCH", "/channels/", since=since)
    assert update.json["type"] == 7
    assert embed_text(update.json["data"]).startswith("Solved")
    assert update.json["data"]["components"] == []
    assert (patch.method, patch.path, patch.json) == ("PATCH", f"/channels/{post['id']}", {"applied_tags": ["3301"]})
    assert patch.headers.get("X-Audit-Log-Reason") == "The asker said it worked"
    assert fake.threads[int(post["id"])]["applied_tags"] == ["3301"]
    assert [r.kind for r in await store.outcome_records()] == ["worked"]


async def test_without_a_configured_tag_no_tag_is_applied(
    fake: FakeDiscord, triage: Triage, store: SQLiteStore
) -> None:
    async with serving(fake, _help_forum(fake), triage, store):
        await fake.wait_request("PUT", "/applications/")
        _, reply = await _forum_answer(fake)
        (update,) = await _press(fake, reply, "worked")
    assert update.json["type"] == 7
    assert fake.find("PATCH", "/channels/") == []


@pytest.mark.parametrize("role", [None, "3900"], ids=["no-helper-role", "helper-role"])
async def test_the_handoff_summary_mentions_only_the_configured_role(
    fake: FakeDiscord, triage: Triage, store: SQLiteStore, role: str | None
) -> None:
    env = {"DISCORD_HELPER_ROLE_ID": role} if role else {}
    async with serving(fake, _help_forum(fake, **env), triage, store):
        await fake.wait_request("PUT", "/applications/")
        post, reply = await _forum_answer(fake)
        helper = token_of(reply, "helper")
        since = len(fake.requests)
        await fake.click(reply, helper)
        (handoff,) = await wait_messages(fake, since)
    conversation = Conversation(triage)  # the view the bot rendered, computed again without recording anything
    await expected_first_view(triage, None, f"{TITLE}\n{POST}", answer_id_of(reply), conversation=conversation)
    summary = await conversation.press(helper, Actor(str(ALICE), "discord"))
    assert summary.kind == "handoff"
    assert handoff.path == f"/channels/{post['id']}/messages"
    data = handoff.json
    data.pop("nonce")
    (embed,) = data["embeds"]
    lines = embed["description"].splitlines()
    for label in ("Model: iPhone 12", "Probably: ", "Tried: ", "Error codes: ", "Damage: ", "Backup: "):
        assert any(line.startswith(f"- {label}") for line in lines), label
    expected: dict[str, Any] = {
        "content": "<@&3900>" if role else None,
        "tts": False,
        **reply_json(summary),  # the summary's embed, and its offers (if any) as buttons
        "message_reference": {
            "type": 0,
            "message_id": int(post["id"]),  # replies to the question: alice's post
            "channel_id": int(post["id"]),
            "guild_id": fake.guild_id,
            "fail_if_not_exists": False,
        },
        # only the helper role may be pinged, and only when configured; never everyone, never alice
        "allowed_mentions": {"parse": [], "roles": [3900], "replied_user": False} if role else NO_PINGS_REPLY,
        "enforce_nonce": True,
    }
    assert data == expected
    assert "@everyone" not in embed_text(data)


async def test_the_last_step_failing_hands_over_to_a_person(
    fake: FakeDiscord, triage: Triage, store: SQLiteStore
) -> None:
    """Pressing "Didn't work" on every rung: the steps tried are in the summary; the erase gate is passed on the way."""
    async with serving(fake, make_settings(fake, DISCORD_HELPER_ROLE_ID="3900"), triage, store):
        await fake.wait_request("PUT", "/applications/")
        message = await _fix_answer(fake)
        for _ in range(10):
            verbs = verbs_of(message)
            verb = "next" if "next" in verbs else ("step" if "step" in verbs else "")
            if not verb:
                break
            since = len(fake.requests)
            await fake.click(message, token_of(message, verb))
            (sent,) = await wait_messages(fake, since)
            message = fake.messages[max(int(i) for i, m in fake.messages.items() if m["author"]["bot"])]
            if body(sent).get("content") == "<@&3900>":
                break
    data = body(sent)
    assert data["content"] == "<@&3900>"
    assert data["allowed_mentions"] == {"parse": [], "roles": [3900], "replied_user": False}
    assert "didn't work" in embed_text(data)
    assert {r.kind for r in await store.outcome_records()} == {"failed"}


async def test_a_typed_answer_in_the_forum_post_completes_the_model_question(
    fake: FakeDiscord, triage: Triage, store: SQLiteStore
) -> None:
    """The bot asks which iPhone; alice types "it's a 7" in her post; the question becomes the iPhone 7 steps."""
    text = "my iphone is stuck on the apple logo since the update and keeps restarting"  # no model named
    async with serving(fake, _help_forum(fake, REVIVE_AUTO_MIN_CONFIDENCE=0.3), triage, store):  # not about the bar
        await fake.wait_request("PUT", "/applications/")
        since = len(fake.requests)
        post = await fake.create_forum_post("iPhone stuck", text, user_id=ALICE)
        await fake.wait_request("POST", f"/channels/{post['id']}/messages", since=since)
        question = next(m for m in fake.messages.values() if m["author"]["bot"] and m["channel_id"] == post["id"])
        assert "family" in verbs_of(question)  # which buttons does it have?

        # Someone else chatting in the post is not an answer to the bot's question.
        since = len(fake.requests)
        await fake.post_message(fake.user_message("same here!", user_id=BOB, channel_id=int(post["id"])))
        await fake.post_message(fake.user_message("it's a 7", user_id=ALICE, channel_id=int(post["id"])))
        (edit,) = await wait_messages(fake, since)
    assert (edit.method, edit.path) == ("PATCH", f"/channels/{post['id']}/messages/{question['id']}")
    assert edit.json["embeds"][0]["title"].startswith("iPhone 7: ")
    assert "Volume Down" in embed_text(edit.json)
    assert edit.json["allowed_mentions"] == NO_PINGS
    assert "|7|" in "".join(custom_ids(edit.json))


async def test_a_typed_reply_to_the_question_works_without_the_message_content_intent(
    fake: FakeDiscord, triage: Triage, store: SQLiteStore
) -> None:
    """A reply pings the bot, so Discord shows the bot its text even without Message Content."""
    async with serving(fake, make_settings(fake), triage, store):
        await fake.wait_request("PUT", "/applications/")
        question = await _fix_answer(fake, "stuck on the apple logo since the update")
        assert "family" in verbs_of(question)
        since = len(fake.requests)
        typed = fake.user_message("it's an iphone 12", user_id=ALICE, reply_to=question, mentions=[fake.bot_user])
        await fake.post_message(typed)
        (edit,) = await wait_messages(fake, since)
    assert edit.path == f"/channels/{fake.help_channel_id}/messages/{question['id']}"
    assert edit.json["embeds"][0]["title"].startswith("iPhone 12: ")

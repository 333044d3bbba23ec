"""End to end with the real SQLite store: remembered models, outcomes from button presses, /forget.

Every test runs the adapter's real ``serve()`` against the fake Discord server, with a
``SQLiteStore`` on a file in ``tmp_path`` (the ``store`` fixture): no mock of the store.
"""

from __future__ import annotations

from typing import Any

from bot.core.callbacks import unpack
from bot.core.triage import Triage
from bot.store import SQLiteStore
from bot.store.base import OutcomeRecord
from tests.adapters.discord._discord_support import (
    NO_PINGS,
    answer_id_of,
    custom_ids,
    make_settings,
    serving,
    token_of,
    verbs_of,
    wait_messages,
)
from tests.fakes.fake_discord import EPHEMERAL, FakeDiscord, Request

IPHONE_12 = "my iphone 12 is stuck on the apple logo after the update"
IPHONE_8 = "my iphone 8 won't turn on after update"
LATER = "it's stuck on the apple logo"
TITLE = "iPhone 12 stuck on Apple logo"
POST = "It's been on the Apple logo for an hour after the update, it keeps restarting. What do I do?"


async def _fix(fake: FakeDiscord, problem: str, **kw: Any) -> dict[str, Any]:
    """Run /fix and return the bot's reply."""
    since = len(fake.requests)
    interaction = await fake.slash("fix", {"problem": problem}, **kw)
    await fake.wait_request("POST", "/", since=since)
    return fake.response_message(interaction)


async def _press(fake: FakeDiscord, message: dict[str, Any], verb: str, **kw: Any) -> Request:
    since = len(fake.requests)
    await fake.click(message, token_of(message, verb), **kw)
    (sent,) = await fake.wait_request("POST", "/interactions/", since=since)
    return sent


async def _forget(fake: FakeDiscord, **kw: Any) -> Request:
    since = len(fake.requests)
    await fake.slash("forget", **kw)
    (sent,) = await fake.wait_request("POST", "/interactions/", since=since)
    return sent


def _rows(records: list[OutcomeRecord]) -> list[tuple[str, str, str, int, str]]:
    """(kind, symptom, family, step, action) of each stored outcome, oldest first."""
    return [(r.kind, r.symptom_id, r.family, r.step, r.action) for r in records]


async def test_remember_then_fix_without_a_model_uses_it(fake: FakeDiscord, triage: Triage, store: SQLiteStore) -> None:
    async with serving(fake, make_settings(fake), triage, store):
        await fake.wait_request("PUT", "/applications/")
        question = await _fix(fake, LATER)
        assert verbs_of(question) == ["family", "family", "family"]  # which buttons does it have?
        await store.remember_model("discord", "5001", "iphone-12")  # as "Remember my model" does (tested below)
        answer = await _fix(fake, LATER)
        # Someone who remembered nothing gets the question for the same words.
        other = await _fix(fake, LATER, user_id=5002, username="bob")
    assert _title(answer).startswith("iPhone 12: ")
    assert all(unpack(cid).model_id == "iphone-12" for cid in custom_ids(answer))  # type: ignore[union-attr]
    assert verbs_of(other) == ["family", "family", "family"]


def _title(message: dict[str, Any]) -> str:
    return str(message["embeds"][0]["title"])


async def test_remember_my_model_after_picking_it(fake: FakeDiscord, triage: Triage, store: SQLiteStore) -> None:
    async with serving(fake, make_settings(fake), triage, store):
        await fake.wait_request("PUT", "/applications/")
        question = await _fix(fake, "my iphone se is frozen")
        since = len(fake.requests)
        await fake.click(question, custom_ids(question)[0])  # iPhone SE (1st generation)
        await fake.wait_request("POST", "/interactions/", since=since)
        picked = fake.messages[int(question["id"])]
        assert "remember" in verbs_of(picked)
        ack = await _press(fake, picked, "remember")
    assert ack.json["data"] == {
        "tts": False,
        "content": "I'll assume your iPhone is an iPhone SE (1st generation) from now on. /forget deletes this.",
        "flags": EPHEMERAL,
        "allowed_mentions": NO_PINGS,
    }
    assert await store.remembered_model("discord", "5001") == "iphone-se-1"
    assert await store.remembered_model("discord", "5002") is None


async def test_button_presses_are_recorded_and_forget_deletes_them(
    fake: FakeDiscord, triage: Triage, store: SQLiteStore
) -> None:
    help_settings = make_settings(fake, DISCORD_HELP_CHANNEL_IDS=str(fake.forum_channel_id))
    async with serving(fake, help_settings, triage, store):
        await fake.wait_request("PUT", "/applications/")
        answer = await _fix(fake, IPHONE_8)
        first_id = answer_id_of(answer)

        # alice: "Didn't work" on rung 1, then "It worked" on rung 2.
        since = len(fake.requests)
        await fake.click(answer, token_of(answer, "next"))
        await wait_messages(fake, since)
        step2 = fake.messages[max(int(i) for i, m in fake.messages.items() if m["author"]["bot"])]
        await _press(fake, step2, "worked")
        await store.remember_model("discord", "5001", "iphone-8")
        # bob: "It worked" straight away on his own answer.
        bob = await _fix(fake, IPHONE_8, user_id=5002, username="bob")
        bob_id = answer_id_of(bob)
        await _press(fake, bob, "worked", user_id=5002, username="bob")

        # carol: an automatic help-forum answer she dismisses with "Not my issue".
        since = len(fake.requests)
        post = await fake.create_forum_post(TITLE, POST, user_id=5003, username="carol")
        await fake.wait_request("POST", f"/channels/{post['id']}/messages", since=since)
        auto = next(m for m in fake.messages.values() if m["author"]["bot"] and m["channel_id"] == post["id"])
        auto_id = answer_id_of(auto)
        since = len(fake.requests)
        await fake.click(auto, token_of(auto, "dismiss"), user_id=5003, username="carol")
        await fake.wait_request("DELETE", "/channels/", since=since)

        rung1, rung2 = (
            await triage.step("unresponsive", "iphone-8", 0),
            await triage.step("unresponsive", "iphone-8", 1),
        )
        assert rung1 is not None
        assert rung2 is not None
        auto_state = unpack(token_of(auto, "dismiss"))
        assert auto_state is not None
        records = await store.outcome_records()
        assert sorted((r.answer_id, r.kind, r.step) for r in records) == sorted(
            [
                (first_id, "failed", 0),
                (first_id, "worked", 1),
                (bob_id, "worked", 0),
                (auto_id, "not_helpful", 0),
            ]
        )
        assert {r.platform for r in records} == {"discord"}
        assert [r.action for r in records if r.answer_id == first_id] == [rung1.action, rung2.action]

        # /forget: alice's model and her two outcomes go; bob's and carol's stay until they ask.
        forgot = await _forget(fake)
        assert forgot.json == {
            "type": 4,
            "data": {
                "tts": False,
                "content": "Done: deleted 3 stored items about you.",
                "flags": EPHEMERAL,
                "allowed_mentions": NO_PINGS,
            },
        }
        assert await store.remembered_model("discord", "5001") is None
        assert sorted(r.kind for r in await store.outcome_records()) == ["not_helpful", "worked"]
        assert (await _forget(fake, user_id=5002, username="bob")).json["data"]["content"] == (
            "Done: deleted 1 stored item about you."
        )
        assert (await _forget(fake, user_id=5003, username="carol")).json["data"]["content"] == (
            "Done: deleted 1 stored item about you."
        )
        assert await store.outcome_records() == []
        assert (await _forget(fake)).json["data"]["content"] == "Done: deleted 0 stored items about you."

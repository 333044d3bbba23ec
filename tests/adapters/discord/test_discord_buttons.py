"""End to end: pressing the offers under a reply, routed by discord.py's own view store, before and after a restart.

Outcomes go to a real SQLite file (``store`` fixture); "It worked" is on disk before anything confirms it.
"""

from __future__ import annotations

import sqlite3
from pathlib import Path
from typing import Any

from bot.adapters.discord.buttons import components
from bot.adapters.discord.send import message_parts
from bot.core.callbacks import unpack
from bot.core.conversation import Actor, Conversation
from bot.core.triage import Triage
from bot.store import SQLiteStore
from bot.store.base import Outcome, OutcomeRecord
from tests.adapters.discord._discord_support import (
    NO_PINGS,
    NO_PINGS_REPLY,
    answer_id_of,
    body,
    button,
    custom_ids,
    embed_text,
    expected_first_view,
    make_settings,
    reply_json,
    serving,
    to_json,
    token_of,
    verbs_of,
    wait_messages,
)
from tests.fakes.fake_discord import EPHEMERAL, FakeDiscord, Request

IPHONE_8 = "my iphone 8 won't turn on after update"
NOT_SAVED = "Sorry: I couldn't save that, so nothing was recorded. Please press the button again in a moment."


async def _answer(fake: FakeDiscord) -> dict[str, Any]:
    """Run /fix for an iPhone 8 in the help channel and return the bot's (one) reply."""
    since = len(fake.requests)
    interaction = await fake.slash("fix", {"problem": IPHONE_8})
    await fake.wait_request("POST", "/interactions/", since=since)
    return fake.response_message(interaction)


async def _press(fake: FakeDiscord, message: dict[str, Any], verb: str, **kw: Any) -> Request:
    """Press the button with this verb; returns the interaction callback the bot answered with."""
    since = len(fake.requests)
    await fake.click(message, token_of(message, verb), **kw)
    (sent,) = await fake.wait_request("POST", "/interactions/", since=since)
    return sent


def _rows(records: list[OutcomeRecord]) -> list[tuple[str, str, str, str, str, int, str]]:
    """Stored outcomes without their timestamps (the store keeps no user id at all)."""
    return [(r.answer_id, r.platform, r.kind, r.symptom_id, r.family, r.step, r.action) for r in records]


async def test_it_worked_writes_first_then_shows_the_message_solved(
    fake: FakeDiscord, triage: Triage, store: SQLiteStore, tmp_path: Path
) -> None:
    on_disk_at_confirmation: list[int] = []

    def check_disk(request: Request) -> None:  # runs when the confirmation arrives, before the fake answers it
        if request.path.startswith("/interactions/") and request.json and request.json.get("type") == 7:
            with sqlite3.connect(tmp_path / "revive.sqlite3") as db:
                on_disk_at_confirmation.append(db.execute("SELECT count(*) FROM outcomes").fetchone()[0])

    async with serving(fake, make_settings(fake), triage, store):
        await fake.wait_request("PUT", "/applications/")
        message = await _answer(fake)
        answer_id, worked = answer_id_of(message), token_of(message, "worked")
        fake.on_request = check_disk
        sent = await _press(fake, message, "worked")
    conversation = Conversation(triage)  # no store: computing the expected view records nothing
    await expected_first_view(triage, None, IPHONE_8, answer_id, conversation=conversation)
    solved = await conversation.press(worked, Actor("5001", "discord"))
    assert solved.kind == "solved"
    assert sent.json == {
        "type": 7,  # UPDATE_MESSAGE: the public reply itself now says it is solved, without buttons
        "data": {
            "tts": False,
            "content": None,
            "embeds": reply_json(solved)["embeds"],
            "components": [],
            "allowed_mentions": NO_PINGS,
        },
    }
    assert embed_text(sent.json["data"]).startswith("Solved")
    assert fake.messages[int(message["id"])]["components"] == []
    assert on_disk_at_confirmation == [1]  # the outcome was written before the confirmation was sent
    assert _rows(await store.outcome_records()) == [
        (answer_id, "discord", "worked", "unresponsive", "modern", 0, "force_restart")
    ]


class BrokenStore:
    """The real store, except that writing an outcome fails (a full disk, a locked database)."""

    def __init__(self, real: SQLiteStore) -> None:
        self.real = real

    async def record_outcome(self, outcome: Outcome) -> None:
        raise sqlite3.OperationalError("database or disk is full")

    def __getattr__(self, name: str) -> Any:
        return getattr(self.real, name)


async def test_when_the_write_fails_it_says_so_and_confirms_nothing(
    fake: FakeDiscord, triage: Triage, store: SQLiteStore
) -> None:
    async with serving(fake, make_settings(fake), triage, BrokenStore(store)):
        await fake.wait_request("PUT", "/applications/")
        message = await _answer(fake)
        before = dict(fake.messages[int(message["id"])])
        sent = await _press(fake, message, "worked")
    data = sent.json["data"]
    retry = token_of(data, "worked")
    assert sent.json == {
        "type": 4,
        "data": {
            "tts": False,
            "content": NOT_SAVED,
            "components": [{"type": 1, "components": [button("Try again", retry, 2)]}],
            "flags": EPHEMERAL,
            "allowed_mentions": NO_PINGS,
        },
    }
    assert retry == token_of(message, "worked")  # "Try again" presses the same button again
    assert fake.messages[int(message["id"])] == before  # the public reply is untouched: not shown as solved
    assert await store.outcome_records() == []


async def test_next_step_replies_to_the_question_and_records_the_failure(
    fake: FakeDiscord, triage: Triage, store: SQLiteStore
) -> None:
    async with serving(fake, make_settings(fake), triage, store):
        await fake.wait_request("PUT", "/applications/")
        message = await _answer(fake)
        since = len(fake.requests)
        await fake.click(message, token_of(message, "next"))
        (reply,) = await wait_messages(fake, since)
    ack = fake.find("POST", "/interactions/", since=since)
    assert [r.json for r in ack] == [{"type": 6}]  # acknowledged without a message of its own
    answer_id = answer_id_of(message)
    conversation = Conversation(triage)  # no store: computing the expected view records nothing
    await expected_first_view(triage, None, IPHONE_8, answer_id, conversation=conversation)
    step = await conversation.press(token_of(message, "next"), Actor("5001", "discord"))
    assert step.kind == "step"
    assert reply.path == f"/channels/{fake.help_channel_id}/messages"
    assert reply.headers["Authorization"] == f"Bot {fake.token}"
    assert isinstance(reply.json.pop("nonce"), str)
    assert reply.json == {
        "content": None,
        "tts": False,
        "embeds": reply_json(step)["embeds"],
        "components": reply_json(step)["components"],
        # a follow-up replies to the question: for /fix, the first answer (whose interaction names the asker)
        "message_reference": {
            "type": 0,
            "message_id": int(message["id"]),
            "channel_id": fake.help_channel_id,
            "guild_id": fake.guild_id,
            "fail_if_not_exists": False,
        },
        "allowed_mentions": NO_PINGS_REPLY,
        "enforce_nonce": True,
    }
    first = await triage.step("unresponsive", "iphone-8", 0)
    assert first is not None
    assert _rows(await store.outcome_records()) == [
        (answer_id, "discord", "failed", "unresponsive", "modern", 0, first.action)
    ]


async def test_the_asker_presses_on_the_follow_up_too(fake: FakeDiscord, triage: Triage, store: SQLiteStore) -> None:
    """The follow-up replies to the first answer, so the bot still knows who asked: alice may go on, bob may not."""
    async with serving(fake, make_settings(fake), triage, store):
        await fake.wait_request("PUT", "/applications/")
        message = await _answer(fake)
        since = len(fake.requests)
        await fake.click(message, token_of(message, "next"))
        await wait_messages(fake, since)
        follow_up = max((m for m in fake.messages.values() if m.get("message_reference")), key=lambda m: int(m["id"]))
        refused = await _press(fake, follow_up, "worked", user_id=5099, username="bob")
        assert refused.json["data"]["flags"] == EPHEMERAL
        solved = await _press(fake, follow_up, "worked")
    assert solved.json["type"] == 7
    assert [r.kind for r in await store.outcome_records()] == ["failed", "worked"]


async def test_more_shows_the_details_and_remember_saves_the_model(
    fake: FakeDiscord, triage: Triage, store: SQLiteStore
) -> None:
    async with serving(fake, make_settings(fake), triage, store):
        await fake.wait_request("PUT", "/applications/")
        message = await _answer(fake)
        since = len(fake.requests)
        await fake.click(message, token_of(message, "more"))
        (details,) = await wait_messages(fake, since)
        assert "Volume Up" in embed_text(body(details))
        assert any(f["name"].startswith("1. ") for f in body(details)["embeds"][0]["fields"])
        if "remember" in verbs_of(message):
            remembered = await _press(fake, message, "remember")
            assert remembered.json["data"]["content"] == (
                "I'll assume your iPhone is an iPhone 8 from now on. /forget deletes this."
            )
            assert await store.remembered_model("discord", "5001") == "iphone-8"
    assert await store.remembered_model("discord", "5002") is None


async def test_buttons_work_after_a_restart(
    fake: FakeDiscord, triage: Triage, store: SQLiteStore, tmp_path: Path
) -> None:
    """State lives in the custom_id: a new process (new store connection) handles a press on an old message."""
    async with serving(fake, make_settings(fake), triage, store):
        await fake.wait_request("PUT", "/applications/")
        message = await _answer(fake)
    await store.close()
    async with (
        await SQLiteStore.open(tmp_path / "revive.sqlite3", "test-key") as reopened,
        serving(fake, make_settings(fake), triage, reopened),
    ):
        since = len(fake.requests)
        await fake.click(message, token_of(message, "next"))
        (sent,) = await wait_messages(fake, since)
        records = await reopened.outcome_records()
    assert "Step 2 of" in embed_text(body(sent))
    assert [r.kind for r in records] == ["failed"]


async def test_buttons_of_replies_from_before_the_conversation_core_still_work(
    fake: FakeDiscord, triage: Triage, store: SQLiteStore
) -> None:
    """An old reply's "It worked" (``rv|w|...``) is still routed and recorded."""
    async with serving(fake, make_settings(fake), triage, store):
        await fake.wait_request("PUT", "/applications/")
        old = fake.user_message("an old answer")
        old.update(author=fake.bot_user, interaction_metadata=_metadata(5001))
        old["components"] = [{"type": 1, "components": [button("It worked", "rv|w|abc123|unresponsive|iphone-8|0", 3)]}]
        since = len(fake.requests)
        await fake.click(old, "rv|w|abc123|unresponsive|iphone-8|0")
        (sent,) = await fake.wait_request("POST", "/interactions/", since=since)
    assert sent.json["type"] == 7
    assert [(r.answer_id, r.kind, r.family) for r in await store.outcome_records()] == [("abc123", "worked", "modern")]
    assert unpack("rv|w|abc123|unresponsive|iphone-8|0") is not None


def _metadata(user_id: int) -> dict[str, Any]:
    from tests.fakes.fake_discord import user

    return {"id": "1", "type": 2, "user": user(user_id, "alice"), "authorizing_integration_owners": {}}


async def test_unknown_custom_ids_are_ignored(fake: FakeDiscord, triage: Triage, store: SQLiteStore) -> None:
    async with serving(fake, make_settings(fake), triage, store):
        await fake.wait_request("PUT", "/applications/")
        foreign = fake.user_message("not ours")
        foreign["components"] = [{"type": 1, "components": [button("Click", "someone-else:42", 1)]}]
        since = len(fake.requests)
        await fake.click(foreign, "someone-else:42")
        await fake.slash("forget")  # a marker: once it is answered, the click was processed before it
        sent = await fake.wait_request("POST", "/interactions/", since=since)
    assert len(sent) == 1
    assert sent[0].json["data"]["content"].startswith("Done: deleted")
    assert custom_ids(foreign) == ["someone-else:42"]


async def test_all_steps_through_the_gate_fits_discord(fake: FakeDiscord, triage: Triage, store: SQLiteStore) -> None:
    """All steps holds a restore, so the gate comes first; then the whole ladder, split within Discord's limits."""
    async with serving(fake, make_settings(fake), triage, store):
        await fake.wait_request("PUT", "/applications/")
        message = await _answer(fake)
        answer_id, all_steps = answer_id_of(message), token_of(message, "all")
        since = len(fake.requests)
        await fake.click(message, all_steps)
        (gate,) = await wait_messages(fake, since)
        assert "erases everything" in embed_text(body(gate))
        gate_message = fake.messages[max(int(i) for i, m in fake.messages.items() if m["author"]["bot"])]
        go = custom_ids(gate_message)[0]  # I have a backup: continue

        conversation = Conversation(triage)  # the view the bot renders, computed again without recording anything
        await expected_first_view(triage, None, IPHONE_8, answer_id, conversation=conversation)
        ladder = await conversation.press(go, Actor("5001", "discord"))
        parts = message_parts(ladder, components(ladder))
        assert ladder.kind == "all_steps"
        assert len(parts) > 1  # longer than one message can hold

        since = len(fake.requests)
        await fake.click(gate_message, go)
        shown = await wait_messages(fake, since, count=len(parts))
    assert all(r.status == 200 for r in fake.requests)
    assert [body(r)["embeds"] for r in shown] == [to_json(part["embeds"]) for part in parts]
    names = [f["name"] for r in shown for e in body(r)["embeds"] for f in e.get("fields", [])]
    steps = [section for section in ladder.details if section.key.startswith("step")]
    assert len(steps) >= 4
    for number in range(1, len(steps) + 1):
        assert any(name.startswith(f"{number}. ") for name in names), number
    assert verbs_of(body(shown[-1]))[:2] == ["worked", "next"]  # the buttons under the last part


async def test_in_a_dm_the_next_step_replies_there(fake: FakeDiscord, triage: Triage, store: SQLiteStore) -> None:
    """In a DM the presser is always the asker; the follow-up replies to the first answer in that DM."""
    async with serving(fake, make_settings(fake), triage, store):
        await fake.wait_request("PUT", "/applications/")
        since = len(fake.requests)
        interaction = await fake.slash("fix", {"problem": IPHONE_8}, dm=True)
        await fake.wait_request("POST", "/interactions/", since=since)
        message = fake.response_message(interaction)
        since = len(fake.requests)
        await fake.click(message, token_of(message, "next"), dm=True)
        (reply,) = await wait_messages(fake, since)
    assert reply.path == f"/channels/{interaction['channel_id']}/messages"
    assert reply.json["message_reference"]["message_id"] == int(message["id"])
    assert "Step 2 of" in embed_text(reply.json)
    assert [r.kind for r in await store.outcome_records()] == ["failed"]


async def test_the_model_menu_of_an_old_reply_still_works(
    fake: FakeDiscord, triage: Triage, store: SQLiteStore
) -> None:
    """An old reply's model select menu (``rv|m|...``): the choice becomes that model's answer, in place."""
    legacy = "rv|m|abc123|unresponsive||0"
    async with serving(fake, make_settings(fake), triage, store):
        await fake.wait_request("PUT", "/applications/")
        old = fake.user_message("an old answer")
        old.update(author=fake.bot_user, interaction_metadata=_metadata(5001))
        options = [{"label": "iPhone SE (1st generation)", "value": "iphone-se-1"}]
        old["components"] = [{"type": 1, "components": [{"type": 3, "custom_id": legacy, "options": options}]}]
        since = len(fake.requests)
        await fake.click(old, legacy, values=["iphone-se-1"])
        (sent,) = await fake.wait_request("POST", "/interactions/", since=since)
    assert sent.json["type"] == 7
    assert body(sent)["embeds"][0]["title"].startswith("iPhone SE (1st generation): ")
    assert "Home button" in embed_text(body(sent))

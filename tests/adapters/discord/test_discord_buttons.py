"""End to end: the ladder buttons, routed by discord.py's own view store, before and after a restart."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from bot.adapters.discord import render
from bot.core.callbacks import ButtonState, encode
from bot.core.triage import Triage
from bot.store import SQLiteStore
from bot.store.base import OutcomeRecord
from tests.adapters.discord._discord_support import (
    NO_PINGS,
    answer_for,
    body,
    button,
    custom_ids,
    embed_text,
    expected_messages,
    make_settings,
    serving,
    to_json,
)
from tests.fakes.fake_discord import EPHEMERAL, FakeDiscord

IPHONE_8 = "my iphone 8 won't turn on after update"


async def _answer_with_buttons(fake: FakeDiscord, triage: Triage) -> dict[str, Any]:
    """Run /fix for an iPhone 8 and return the bot's message that carries the buttons."""
    since = len(fake.requests)
    await fake.slash("fix", {"problem": IPHONE_8})
    parts = len(expected_messages(await answer_for(triage, IPHONE_8)))
    sent = await fake.wait_request("POST", "/", since=since, count=parts)
    assert custom_ids(body(sent[-1]))
    return max((m for m in fake.messages.values() if m["components"]), key=lambda m: int(m["id"]))


def _id(message: dict[str, Any], verb_code: str) -> str:
    return next(cid for cid in custom_ids(message) if cid.startswith(f"rv|{verb_code}|"))


async def test_it_worked_records_the_outcome(fake: FakeDiscord, triage: Triage, store: SQLiteStore) -> None:
    async with serving(fake, make_settings(fake), triage, store):
        await fake.wait_request("PUT", "/applications/")
        message = await _answer_with_buttons(fake, triage)
        since = len(fake.requests)
        await fake.click(message, _id(message, "w"), user_id=5002, username="bob")
        (sent,) = await fake.wait_request("POST", "/interactions/", since=since)
    assert sent.json == {
        "type": 4,
        "data": {
            "tts": False,
            "content": "Great, glad it's working again! Thanks for letting me know.",
            "flags": EPHEMERAL,
            "allowed_mentions": NO_PINGS,
        },
    }
    answer_id = _id(message, "w").split("|")[2]
    assert _rows(await store.outcome_records()) == [
        (answer_id, "discord", "worked", "unresponsive", "modern", 0, "force_restart")
    ]


async def test_next_step_shows_the_following_rung(fake: FakeDiscord, triage: Triage, store: SQLiteStore) -> None:
    async with serving(fake, make_settings(fake), triage, store):
        await fake.wait_request("PUT", "/applications/")
        message = await _answer_with_buttons(fake, triage)
        since = len(fake.requests)
        await fake.click(message, _id(message, "n"))
        (sent,) = await fake.wait_request("POST", "/interactions/", since=since)
    step = await triage.step("unresponsive", "iphone-8", 1)
    model = triage.model("iphone-8")
    assert step is not None
    answer_id = _id(message, "n").split("|")[2]
    state = ButtonState("worked", answer_id, "unresponsive", "iphone-8", 1)
    assert sent.json == {
        "type": 4,
        "data": {
            "tts": False,
            "content": None,
            "embeds": to_json(render.step_embeds(step, 2, model)),
            "components": [
                {
                    "type": 1,
                    "components": [
                        button("It worked", encode(state), 3),
                        button("Didn't work: next step", encode(ButtonState("next", answer_id, *_rest(state))), 1),
                        button("Show DFU steps", encode(ButtonState("dfu", answer_id, *_rest(state))), 2),
                    ],
                }
            ],
            "allowed_mentions": NO_PINGS,
        },
    }
    first = await triage.step("unresponsive", "iphone-8", 0)
    assert first is not None
    assert _rows(await store.outcome_records()) == [
        (answer_id, "discord", "failed", "unresponsive", "modern", 0, first.action)
    ]


def _rows(records: list[OutcomeRecord]) -> list[tuple[str, str, str, str, str, int, str]]:
    """Stored outcomes without their timestamps (the store keeps no user id at all)."""
    return [(r.answer_id, r.platform, r.kind, r.symptom_id, r.family, r.step, r.action) for r in records]


def _rest(state: ButtonState) -> tuple[str, str, int]:
    return (state.symptom_id, state.model_id, state.step)


async def test_dfu_and_remember_buttons(fake: FakeDiscord, triage: Triage, store: SQLiteStore) -> None:
    async with serving(fake, make_settings(fake), triage, store):
        await fake.wait_request("PUT", "/applications/")
        message = await _answer_with_buttons(fake, triage)
        since = len(fake.requests)
        await fake.click(message, _id(message, "d"))
        (dfu,) = await fake.wait_request("POST", "/interactions/", since=since)
        since = len(fake.requests)
        await fake.click(message, _id(message, "r"))
        (remember,) = await fake.wait_request("POST", "/interactions/", since=since)
    model = triage.model("iphone-8")
    enter, leave = triage.procedure("iphone-8", "dfu_mode"), triage.procedure("iphone-8", "exit_dfu")
    assert model is not None
    assert enter is not None
    assert leave is not None
    expected = render.procedure_embeds(model, enter) + render.procedure_embeds(model, leave)
    assert dfu.json == {
        "type": 4,
        "data": {
            "tts": False,
            "content": None,
            "embeds": to_json(expected),
            "flags": EPHEMERAL,
            "allowed_mentions": NO_PINGS,
        },
    }
    assert "DFU" in embed_text(dfu.json["data"])
    assert remember.json["data"]["content"] == (
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
        message = await _answer_with_buttons(fake, triage)
    await store.close()
    async with (
        await SQLiteStore.open(tmp_path / "revive.sqlite3", "test-key") as reopened,
        serving(fake, make_settings(fake), triage, reopened),
    ):
        since = len(fake.requests)
        await fake.click(message, _id(message, "n"))
        (sent,) = await fake.wait_request("POST", "/interactions/", since=since)
    assert sent.json["type"] == 4
    step = await triage.step("unresponsive", "iphone-8", 1)
    assert step is not None
    assert sent.json["data"]["embeds"] == to_json(render.step_embeds(step, 2, triage.model("iphone-8")))


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

"""End to end with the real SQLite store: remembered models, outcomes from button presses, /forget.

Every test runs the adapter's real ``serve()`` against the fake Discord server, with a
``SQLiteStore`` on a file in ``tmp_path`` (the ``store`` fixture): no mock of the store.
"""

from __future__ import annotations

from typing import Any

from bot.core.callbacks import decode
from bot.core.triage import Triage
from bot.store import SQLiteStore
from bot.store.base import OutcomeRecord
from tests.adapters.discord._discord_support import (
    NO_PINGS,
    answer_for,
    answer_id_of,
    body,
    custom_ids,
    embed_text,
    expected_messages,
    make_settings,
    serving,
    with_id,
)
from tests.fakes.fake_discord import EPHEMERAL, FakeDiscord, Request

IPHONE_12 = "my iphone 12 is stuck on the apple logo after the update"
IPHONE_8 = "my iphone 8 won't turn on after update"
LATER = "it's stuck on the apple logo"
TITLE = "iPhone 12 stuck on Apple logo"
POST = "It's been on the Apple logo for an hour after the update, it keeps restarting. What do I do?"


async def _fix(
    fake: FakeDiscord, triage: Triage, problem: str, *, model_id: str | None = None, **kw: Any
) -> list[Request]:
    """Run /fix and wait for every part of the answer (as many as the core's answer renders to)."""
    since = len(fake.requests)
    await fake.slash("fix", {"problem": problem}, **kw)
    parts = len(expected_messages(await answer_for(triage, problem, model_id=model_id), problem=problem))
    return await fake.wait_request("POST", "/", since=since, count=parts)


def _with_buttons(fake: FakeDiscord) -> dict[str, Any]:
    """The newest bot message that carries components."""
    return max((m for m in fake.messages.values() if m["components"]), key=lambda m: int(m["id"]))


def _id(message: dict[str, Any], verb: str) -> str:
    """The custom_id of the component with this ButtonState verb."""
    return next(cid for cid in custom_ids(message) if (state := decode(cid)) is not None and state.verb == verb)


async def _press(fake: FakeDiscord, message: dict[str, Any], verb: str, **kw: Any) -> tuple[dict[str, Any], Request]:
    since = len(fake.requests)
    interaction = await fake.click(message, _id(message, verb), **kw)
    (sent,) = await fake.wait_request("POST", "/interactions/", since=since)
    return interaction, sent


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
        await _fix(fake, triage, IPHONE_12)
        _, ack = await _press(fake, _with_buttons(fake), "remember")
        assert ack.json["data"] == {
            "tts": False,
            "content": "I'll assume your iPhone is an iPhone 12 from now on. /forget deletes this.",
            "flags": EPHEMERAL,
            "allowed_mentions": NO_PINGS,
        }
        assert await store.remembered_model("discord", "5001") == "iphone-12"
        assert await store.remembered_model("discord", "5002") is None

        sent = await _fix(fake, triage, LATER, model_id="iphone-12")
        # Someone who remembered nothing gets the model picker for the same words.
        (other,) = await _fix(fake, triage, LATER, user_id=5002, username="bob")

    answer_id = answer_id_of(body(sent[-1]))
    answer = with_id(await answer_for(triage, LATER, model_id="iphone-12"), answer_id)
    assert answer.status == "answered"
    assert [body(r)["embeds"] for r in sent] == expected_messages(answer, problem=LATER)
    shown_steps = [
        f["name"]
        for r in sent
        for e in body(r)["embeds"]
        for f in e.get("fields", [])
        if f["name"][0].isdigit() and not f["name"].endswith("(cont.)")
    ]
    assert len(shown_steps) == len(answer.ladder) >= 2
    assert answer.ladder[0].instructions[0] in embed_text(body(sent[0])).replace("\\", "")
    assert all(decode(cid).model_id == "iphone-12" for cid in custom_ids(body(sent[-1])))  # type: ignore[union-attr]
    assert body(sent[-1])["embeds"][-1]["footer"]["text"] == f"iPhone 12 · answer {answer_id}"
    assert [decode(cid).verb for cid in custom_ids(body(other))] == ["model"]  # type: ignore[union-attr]


async def test_button_presses_are_recorded_and_forget_deletes_them(
    fake: FakeDiscord, triage: Triage, store: SQLiteStore
) -> None:
    help_settings = make_settings(fake, DISCORD_HELP_CHANNEL_IDS=str(fake.forum_channel_id))
    async with serving(fake, help_settings, triage, store):
        await fake.wait_request("PUT", "/applications/")
        await _fix(fake, triage, IPHONE_8)
        answer = _with_buttons(fake)
        first_id = answer_id_of(answer)

        # alice: "Didn't work" on rung 1, then "It worked" on rung 2; she also remembers her model.
        interaction, _ = await _press(fake, answer, "next")
        next_step = fake.response_message(interaction)
        await _press(fake, next_step, "worked")
        await _press(fake, answer, "remember")
        # bob: "It worked" straight away on the same answer.
        await _press(fake, answer, "worked", user_id=5002, username="bob")

        # carol: an automatic help-forum answer she dismisses with "Not my issue".
        since = len(fake.requests)
        post = await fake.create_forum_post(TITLE, POST, user_id=5003, username="carol")
        parts = len(expected_messages(await answer_for(triage, f"{TITLE}\n{POST}")))
        await fake.wait_request("POST", f"/channels/{post['id']}/messages", since=since, count=parts)
        auto = _with_buttons(fake)
        auto_id = answer_id_of(auto)
        since = len(fake.requests)
        await fake.click(auto, _id(auto, "dismiss"), user_id=5003, username="carol")
        await fake.wait_request("DELETE", "/channels/", since=since, count=parts)
        await fake.wait_request("POST", "/interactions/", since=since)

        rung1, rung2 = (
            await triage.step("unresponsive", "iphone-8", 0),
            await triage.step("unresponsive", "iphone-8", 1),
        )
        loop1 = await triage.step("boot_loop", "iphone-12", 0)
        assert rung1 is not None
        assert rung2 is not None
        assert loop1 is not None
        records = await store.outcome_records()
        assert sorted((r.answer_id, *row) for r, row in zip(records, _rows(records), strict=True)) == sorted(
            [
                (first_id, "failed", "unresponsive", "modern", 0, rung1.action),
                (first_id, "worked", "unresponsive", "modern", 1, rung2.action),
                (first_id, "worked", "unresponsive", "modern", 0, rung1.action),
                (auto_id, "not_helpful", "boot_loop", "modern", 0, loop1.action),
            ]
        )
        assert {r.platform for r in records} == {"discord"}

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
        assert sorted(_rows(await store.outcome_records())) == sorted(
            [
                ("worked", "unresponsive", "modern", 0, rung1.action),
                ("not_helpful", "boot_loop", "modern", 0, loop1.action),
            ]
        )
        assert (await _forget(fake, user_id=5002, username="bob")).json["data"]["content"] == (
            "Done: deleted 1 stored item about you."
        )
        assert (await _forget(fake, user_id=5003, username="carol")).json["data"]["content"] == (
            "Done: deleted 1 stored item about you."
        )
        assert await store.outcome_records() == []
        assert (await _forget(fake)).json["data"]["content"] == "Done: deleted 0 stored items about you."

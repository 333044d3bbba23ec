"""Buttons go to the conversation; outcomes are written first, then confirmed; every query is answered."""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import pytest

from bot.adapters.telegram import render
from bot.core import Triage
from bot.core.conversation import NOT_SAVED
from bot.store.base import Outcome, StoreError
from bot.store.sqlite import SQLiteStore
from tests.adapters.telegram._tg_support import (
    ALICE,
    ALICE_DM,
    Bot,
    answer_id_of,
    buttons,
    markup_of,
    running_bot,
    view_params,
)
from tests.fakes.fake_telegram import Call, FakeTelegram, parse_html

TEXT = "my iphone 7 plus is stuck on the apple logo"


async def answered(bot: Bot) -> tuple[dict[str, Any], Call]:
    calls = await bot.say(ALICE_DM, ALICE, TEXT)
    return bot.last_message(555), calls[0]


async def test_next_step_replies_to_the_question_and_records_the_failed_rung(bot: Bot) -> None:
    message, sent = await answered(bot)
    question = bot.last_user_message(555)["message_id"]
    data = buttons(sent)["Didn't work → next step"]
    bot.mark = len(bot.fake.calls)
    query_id = bot.fake.press(message, data, ALICE)
    calls = await bot.done()

    step = await bot.expected_press(data)
    assert step.kind == "step"
    assert step.step is not None
    assert step.step.title.startswith("Recovery mode")
    assert [c.method for c in calls] == ["answerCallbackQuery", "editMessageReplyMarkup", "sendMessage"]
    assert calls[0].params == {"callback_query_id": query_id}
    assert calls[1].params == {"chat_id": 555, "message_id": message["message_id"]}  # no double taps
    assert calls[2].params == view_params(555, step, reply_to=question)
    assert "reply_markup" not in bot.fake.messages[(555, message["message_id"])]
    assert await bot.outcomes() == [(answer_id_of(sent), "failed", "boot_loop", "volume-down", 0, "force_restart")]


async def test_it_worked_is_written_then_the_public_message_shows_it_is_solved(bot: Bot) -> None:
    message, sent = await answered(bot)
    data = buttons(sent)["It worked"]
    bot.mark = len(bot.fake.calls)
    query_id = bot.fake.press(message, data, ALICE)
    calls = await bot.done()

    solved = await bot.expected_press(data)
    assert solved.kind == "solved"
    assert [c.method for c in calls] == ["answerCallbackQuery", "editMessageText"]
    assert calls[0].params == {"callback_query_id": query_id}
    assert calls[1].params == {
        "chat_id": 555,
        "message_id": message["message_id"],
        "text": render.render_view(solved)[0],
        "parse_mode": "HTML",
        "link_preview_options": {"is_disabled": True},
    }
    assert parse_html(calls[1].params["text"]).startswith("Solved · iPhone 7 Plus")
    assert "reply_markup" not in bot.fake.messages[(555, message["message_id"])]
    assert await bot.outcomes() == [(answer_id_of(sent), "worked", "boot_loop", "volume-down", 0, "force_restart")]


class BrokenStore:
    """The real SQLite store, except that writing an outcome fails like a full disk does."""

    def __init__(self, inner: SQLiteStore) -> None:
        self.inner = inner
        self.attempts = 0

    def __getattr__(self, name: str) -> Any:
        return getattr(self.inner, name)

    async def record_outcome(self, outcome: Outcome) -> None:
        self.attempts += 1
        raise StoreError(self.inner.path, "recording an outcome failed: database or disk is full")


@pytest.fixture
async def broken_bot(fake: FakeTelegram, triage: Triage, store: SQLiteStore) -> AsyncIterator[Bot]:
    async with running_bot(fake, triage, BrokenStore(store)) as running:
        yield running


async def test_a_failed_write_is_said_honestly_and_nothing_is_confirmed(broken_bot: Bot, store: SQLiteStore) -> None:
    bot = broken_bot
    message, sent = await answered(bot)
    bot.mark = len(bot.fake.calls)
    query_id = bot.fake.press(message, buttons(sent)["It worked"], ALICE)
    calls = await bot.done()
    assert [c.params for c in calls] == [{"callback_query_id": query_id, "text": NOT_SAVED, "show_alert": True}]
    assert bot.fake.messages[(555, message["message_id"])]["reply_markup"] == markup_of(
        await bot.expected_first_view(TEXT, answer_id_of(sent))
    )  # not shown as solved: the buttons stay so the press can be repeated
    assert bot.store.attempts == 1  # type: ignore[attr-defined]
    assert await store.outcome_records() == []

    # "Didn't work" still gives the next step, and says the press was not saved.
    calls = await bot.press(message, buttons(sent)["Didn't work → next step"], ALICE)
    assert calls[-1].method == "sendMessage"
    assert "(I couldn't save that this step didn't work.)" in parse_html(calls[-1].params["text"])
    assert await store.outcome_records() == []


async def test_garbage_and_expired_buttons_are_answered(bot: Bot) -> None:
    message, _ = await answered(bot)
    for data in ("hello", "rv|z|x|y|z|0", "r2zz|||||||"):
        calls = await bot.press(message, data, ALICE)
        assert [(c.method, c.params.get("text")) for c in calls] == [
            ("answerCallbackQuery", "This button has expired. Send me your problem again.")
        ]


async def test_every_callback_query_was_answered_once(bot: Bot) -> None:
    """Across a whole flow, each callback_query id got exactly one answerCallbackQuery."""
    message, sent = await answered(bot)
    offers = buttons(sent)
    ids = [
        bot.fake.press(message, offers["All steps"], ALICE),
        bot.fake.press(message, offers["Didn't work → next step"], ALICE),
        bot.fake.press(message, offers["Ask a helper"], ALICE),
        bot.fake.press(message, "junk", ALICE),
    ]
    await bot.done()
    answered_ids = [c.params["callback_query_id"] for c in bot.fake.requests("answerCallbackQuery")]
    assert answered_ids == ids
    # The three presses were queued on the same keyboard: taking it away again is a harmless "not modified".
    assert {error for _, error in bot.fake.errors} <= {"Bad Request: message is not modified"}


async def test_all_callback_data_fits_in_64_bytes(bot: Bot) -> None:
    for text in ("/start", "my iphone se keeps restarting", TEXT, "my phone is stuck", "/steps iphone 16 pro max"):
        await bot.say(ALICE_DM, ALICE, text)
    datas = [
        b["callback_data"]
        for c in bot.fake.requests("sendMessage")
        for row in (c.params.get("reply_markup") or {}).get("inline_keyboard", [])
        for b in row
    ]
    assert len(datas) > 20
    assert max(len(d.encode()) for d in datas) <= 64
    assert bot.fake.errors == []


async def test_old_buttons_still_work(bot: Bot, tmp_path: Path) -> None:
    """A keyboard sent by the previous version (rv|...) is still understood after an upgrade."""
    message, _ = await answered(bot)
    calls = await bot.press(message, "rv|n|abc|boot_loop|iphone-7-plus|0", ALICE)
    assert [c.method for c in calls] == ["answerCallbackQuery", "editMessageReplyMarkup", "sendMessage"]
    assert parse_html(calls[2].params["text"]).startswith("iPhone 7 Plus: ")


async def test_more_shows_the_details_and_keeps_the_answer_buttons(bot: Bot) -> None:
    message, sent = await answered(bot)
    question = bot.last_user_message(555)["message_id"]
    calls = await bot.press(message, buttons(sent)["More"], ALICE)
    details = await bot.expected_press(buttons(sent)["More"])
    assert details.kind == "details"
    assert [c.method for c in calls] == ["answerCallbackQuery"] + ["sendMessage"] * len(render.render_view(details))
    assert calls[1].params["reply_parameters"]["message_id"] == question
    assert "".join(c.params["text"] for c in calls[1:]) == "".join(render.render_view(details))
    assert bot.fake.messages[(555, message["message_id"])]["reply_markup"] == sent.params["reply_markup"]
    assert await bot.outcomes() == []


async def test_all_steps_comes_behind_the_erase_gate(bot: Bot) -> None:
    """The full manual holds erasing steps, so "All steps" shows the gate first; through it, the manual."""
    message, sent = await answered(bot)
    calls = await bot.press(message, buttons(sent)["All steps"], ALICE)
    gate = calls[-1]
    assert gate.method == "sendMessage"
    assert "erases everything" in parse_html(gate.params["text"])
    assert list(buttons(gate)) == [
        "I have a backup: continue",
        "I can't back up: what are my options?",
        "Take it to repair",
    ]
    calls = await bot.press(bot.last_message(555), buttons(gate)["I have a backup: continue"], ALICE)
    manual = "\n".join(parse_html(c.params["text"]) for c in calls if c.method == "sendMessage")
    assert "DFU" in manual
    assert "Restore" in manual
    assert await bot.outcomes() == []

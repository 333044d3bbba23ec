"""Real conditions: flood control (429 retry_after), network errors, the error handler."""

from __future__ import annotations

import logging
import time

import pytest

from bot.adapters.telegram import render
from bot.adapters.telegram.handlers import APOLOGY, HELP_LINES
from bot.core import TriageAnswer, TriageRequest
from bot.core.callbacks import ButtonState, pack
from tests.adapters.telegram._tg_support import (
    ALICE,
    ALICE_DM,
    GROUP,
    Bot,
    answer_id_of,
    send_params,
    view_params,
)

# PTB warns about RetryAfter.retry_after becoming a timedelta in v23 (run() opts in with PTB_TIMEDELTA=1).
pytestmark = pytest.mark.filterwarnings("ignore::telegram.warnings.PTBDeprecationWarning")

HELP = send_params(555, render.render_text("Revive: iPhone recovery help", HELP_LINES)[0])


async def test_flood_control_waits_retry_after_then_sends_once(bot: Bot) -> None:
    """A 429 on a group answer: wait retry_after, then send it once."""
    text = "my iphone 7 plus is stuck on the apple logo"
    bot.fake.flood_next("sendMessage", retry_after=1)
    started = time.monotonic()
    calls = await bot.say(GROUP, ALICE, f"/fix {text}")
    asked = bot.last_user_message(GROUP["id"])["message_id"]
    view = await bot.expected_first_view(text, answer_id_of(calls[-1]))
    expected = view_params(GROUP["id"], view, reply_to=asked)
    assert [c.params for c in calls] == [expected, expected]  # refused, then retried
    assert calls[1].at - calls[0].at >= 1.0
    assert time.monotonic() - started < 4
    assert bot.fake.errors == [("sendMessage", "Too Many Requests: retry after 1")]
    assert len(bot.fake.bot_messages(GROUP["id"])) == 1  # delivered once


async def test_network_error_is_retried(bot: Bot) -> None:
    bot.fake.bad_gateway_next("sendMessage")
    calls = await bot.say(ALICE_DM, ALICE, "/help")
    assert [c.params for c in calls] == [HELP, HELP]
    assert bot.fake.errors == [("sendMessage", "Bad Gateway")]
    assert len(bot.fake.bot_messages(555)) == 1


async def test_persistent_network_error_reaches_the_error_handler(bot: Bot, caplog: pytest.LogCaptureFixture) -> None:
    for _ in range(3):  # the first try and two retries
        bot.fake.bad_gateway_next("sendMessage")
    with caplog.at_level(logging.ERROR, logger="bot.adapters.telegram.handlers"):
        calls = await bot.say(ALICE_DM, ALICE, "/help")
    assert [c.params for c in calls] == [HELP, HELP, HELP, send_params(555, APOLOGY)]
    [record] = [r for r in caplog.records if r.name == "bot.adapters.telegram.handlers"]
    assert record.getMessage() == "Exception while handling a Telegram update"
    assert record.exc_info is not None
    assert "Bad Gateway" in str(record.exc_info[1])


async def test_a_crash_gets_an_apology_and_a_logged_traceback(
    bot: Bot, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    async def broken(request: TriageRequest) -> TriageAnswer:
        raise RuntimeError("knowledge exploded at line 42")

    monkeypatch.setattr(bot.triage, "answer", broken)
    with caplog.at_level(logging.ERROR):
        calls = await bot.say(ALICE_DM, ALICE, "my iphone 7 is stuck")
    assert [c.params for c in calls] == [send_params(555, APOLOGY)]
    assert APOLOGY == "Sorry, something went wrong on my side. Please try again in a minute."
    records = [r for r in caplog.records if r.exc_info]
    assert len(records) == 1
    assert isinstance(records[0].exc_info[1], RuntimeError)  # type: ignore[index]
    assert "Traceback" not in calls[0].params["text"]


async def test_a_crash_in_a_button_still_answers_the_query(bot: Bot, monkeypatch: pytest.MonkeyPatch) -> None:
    await bot.say(ALICE_DM, ALICE, "my iphone 7 plus is stuck on the apple logo")
    message = bot.last_message(555)

    def broken(action: str, model_id: str | None) -> None:
        raise RuntimeError("knowledge exploded")

    monkeypatch.setattr(bot.triage, "ladder_step", broken)
    bot.mark = len(bot.fake.calls)
    query_id = bot.fake.press(message, pack(ButtonState("next", "abc", "boot_loop", "iphone-7-plus", 0)), ALICE)
    calls = await bot.done()
    # The crash comes before the query is answered: the error handler answers it, then apologises in the chat.
    assert [c.params for c in calls] == [
        {"callback_query_id": query_id, "text": APOLOGY},
        send_params(555, APOLOGY),
    ]
    assert bot.fake.errors == []


async def test_messages_the_bot_cannot_see_are_not_a_crash(bot: Bot) -> None:
    """A callback on a message Telegram no longer shows (inaccessible) is still answered."""
    message = {"message_id": 1, "date": 0, "chat": {"id": 555, "type": "private"}}
    bot.fake.register_chat({"id": 555, "type": "private", "first_name": "Alice"})
    bot.mark = len(bot.fake.calls)
    query_id = bot.fake.press(message, pack(ButtonState("worked", "a", "boot_loop", "iphone-7", 0)), ALICE)
    calls = await bot.done()
    assert [c.params for c in calls] == [
        {"callback_query_id": query_id, "text": "This button has expired. Send me your problem again."}
    ]

"""Ladder buttons and callback queries: every query is answered, outcomes are recorded without text."""

from __future__ import annotations

from bot.adapters.telegram import render
from bot.core.callbacks import ButtonState, encode
from tests.adapters.telegram._tg_support import ALICE, ALICE_DM, Bot, ladder_markup, send_params, state_of

TEXT = "my iphone 7 plus is stuck on the apple logo"


async def answered(bot: Bot) -> tuple[dict[str, object], str]:
    calls = await bot.say(ALICE_DM, ALICE, TEXT)
    return bot.last_message(555), state_of(calls[-1], "✅ It worked").answer_id


async def test_next_step_walks_the_ladder(bot: Bot) -> None:
    message, answer_id = await answered(bot)
    bot.mark = len(bot.fake.calls)
    query_id = bot.fake.press(message, encode(ButtonState("next", answer_id, "boot_loop", "iphone-7-plus", 0)), ALICE)
    calls = await bot.done()

    step = await bot.triage.step("boot_loop", "iphone-7-plus", 1)
    model = bot.triage.model("iphone-7-plus")
    assert step is not None
    assert step.action == "recovery_update"
    chunks = render.render_step(step, 2, model)
    assert [c.method for c in calls] == ["answerCallbackQuery", "editMessageReplyMarkup", "sendMessage"]
    assert calls[0].params == {"callback_query_id": query_id}
    assert calls[1].params == {"chat_id": 555, "message_id": message["message_id"]}
    assert calls[2].params == send_params(
        555, chunks[0], markup=ladder_markup(answer_id, "boot_loop", "iphone-7-plus", 1)
    )
    assert chunks[0].startswith(
        "<b>Next step for your iPhone 7 Plus</b>\n\n<b>2. Recovery mode: Update (may erase data)</b>"
    )
    assert "reply_markup" not in bot.fake.messages[(555, message["message_id"])]  # no double taps

    records = await bot.store.outcome_records()  # type: ignore[attr-defined]
    assert [(r.answer_id, r.kind, r.symptom_id, r.family, r.step, r.action) for r in records] == [
        (answer_id, "failed", "boot_loop", "volume-down", 0, "force_restart")
    ]


async def test_last_step_says_repair(bot: Bot) -> None:
    message, answer_id = await answered(bot)
    last = 0
    while await bot.triage.step("boot_loop", "iphone-7-plus", last + 1) is not None:
        last += 1
    calls = await bot.press(message, encode(ButtonState("next", answer_id, "boot_loop", "iphone-7-plus", last)), ALICE)
    assert [c.method for c in calls] == ["answerCallbackQuery", "editMessageReplyMarkup", "sendMessage"]
    assert calls[2].params["text"].startswith("That was the last step I can suggest from here.")
    assert "reply_markup" not in calls[2].params


async def test_it_worked_records_the_outcome_and_removes_the_buttons(bot: Bot) -> None:
    message, answer_id = await answered(bot)
    bot.mark = len(bot.fake.calls)
    query_id = bot.fake.press(message, encode(ButtonState("worked", answer_id, "boot_loop", "iphone-7-plus", 0)), ALICE)
    calls = await bot.done()
    assert [c.method for c in calls] == ["answerCallbackQuery", "editMessageReplyMarkup"]
    assert calls[0].params == {"callback_query_id": query_id, "text": "Great, glad it's working again!"}
    records = await bot.store.outcome_records()  # type: ignore[attr-defined]
    assert [(r.answer_id, r.platform, r.kind, r.symptom_id, r.family, r.step, r.action) for r in records] == [
        (answer_id, "telegram", "worked", "boot_loop", "volume-down", 0, "force_restart")
    ]


async def test_show_dfu_steps(bot: Bot) -> None:
    message, answer_id = await answered(bot)
    calls = await bot.press(message, encode(ButtonState("dfu", answer_id, "boot_loop", "iphone-7-plus", 0)), ALICE)
    model = bot.triage.model("iphone-7-plus")
    dfu = bot.triage.procedure("iphone-7-plus", "dfu_mode")
    assert model is not None
    assert dfu is not None
    assert [c.method for c in calls] == ["answerCallbackQuery", "sendMessage"]
    assert calls[1].params == send_params(555, render.render_procedures(model, [dfu])[0])
    assert "Volume Down" in calls[1].params["text"]


async def test_garbage_and_expired_buttons_are_answered(bot: Bot) -> None:
    message, _ = await answered(bot)
    for data in ("hello", "rv|z|x|y|z|0", "rv|w|a|b|c|99"):
        calls = await bot.press(message, data, ALICE)
        assert [(c.method, c.params.get("text")) for c in calls] == [
            ("answerCallbackQuery", "This button has expired. Send me your problem again.")
        ]


async def test_unknown_model_in_a_button(bot: Bot) -> None:
    message, _ = await answered(bot)
    calls = await bot.press(message, encode(ButtonState("model", "", "boot_loop", "iphone-99", 0)), ALICE)
    assert [(c.method, c.params.get("text")) for c in calls] == [
        ("answerCallbackQuery", "I don't know that model any more. Tell me your model in words.")
    ]


async def test_every_callback_query_was_answered(bot: Bot) -> None:
    """Across a whole flow, each callback_query id got exactly one answerCallbackQuery."""
    message, answer_id = await answered(bot)
    ids = [
        bot.fake.press(message, encode(ButtonState("dfu", answer_id, "boot_loop", "iphone-7-plus", 0)), ALICE),
        bot.fake.press(message, encode(ButtonState("next", answer_id, "boot_loop", "iphone-7-plus", 0)), ALICE),
        bot.fake.press(message, "junk", ALICE),
    ]
    await bot.done()
    answered_ids = [c.params["callback_query_id"] for c in bot.fake.requests("answerCallbackQuery")]
    assert answered_ids == ids
    assert bot.fake.errors == []


async def test_all_callback_data_fits_in_64_bytes(bot: Bot) -> None:
    await bot.say(ALICE_DM, ALICE, "/start")
    await bot.say(ALICE_DM, ALICE, "my iphone se keeps restarting")
    await bot.say(ALICE_DM, ALICE, TEXT)
    datas = [
        b["callback_data"]
        for c in bot.fake.requests("sendMessage")
        for row in (c.params.get("reply_markup") or {}).get("inline_keyboard", [])
        for b in row
    ]
    assert len(datas) > 20
    assert max(len(d.encode()) for d in datas) <= 64

"""Private chats, end to end: real PTB over 127.0.0.1 to the fake Bot API, the real core and store."""

from __future__ import annotations

from typing import Any

from bot.adapters.telegram import render
from bot.adapters.telegram.handlers import HELP_LINES
from bot.core.callbacks import ButtonState, decode, encode
from tests.adapters.telegram._tg_support import (
    ALICE,
    ALICE_DM,
    ANSWER_ID,
    BOT_ID,
    Bot,
    buttons,
    ladder_markup,
    picker_markup,
    send_params,
    state_of,
)

PICKER = [
    ("iphone-se-1", "iPhone SE (1st generation)"),
    ("iphone-se-2", "iPhone SE (2nd generation)"),
    ("iphone-se-3", "iPhone SE (3rd generation)"),
    ("iphone-6s", "iPhone 6s"),
    ("iphone-7", "iPhone 7"),
    ("iphone-7-plus", "iPhone 7 Plus"),
    ("iphone-8", "iPhone 8"),
    ("iphone-x", "iPhone X"),
    ("iphone-xr", "iPhone XR"),
    ("iphone-11", "iPhone 11"),
    ("iphone-12", "iPhone 12"),
    ("iphone-13", "iPhone 13"),
    ("iphone-14", "iPhone 14"),
    ("iphone-15", "iPhone 15"),
    ("iphone-16", "iPhone 16"),
]


async def test_stuck_on_logo_gets_volume_down_steps_and_backup_reminder(bot: Bot) -> None:
    """The issue's first "done when": HTML answer with the iPhone 7 Plus (Volume Down) steps and a backup reminder."""
    text = "my iphone 7 plus is stuck on the apple logo"
    calls = await bot.say(ALICE_DM, ALICE, text)

    expected = render.render_answer(await bot.expected_answer(text))
    assert len(expected) > 1, "this answer is long enough to be split"
    assert [c.method for c in calls] == ["sendMessage"] * len(expected)
    answer_id = state_of(calls[-1], "✅ It worked").answer_id
    assert ANSWER_ID.match(answer_id)
    for call, chunk in zip(calls[:-1], expected[:-1], strict=True):
        assert call.params == send_params(555, chunk)
    assert calls[-1].params == send_params(
        555, expected[-1], markup=ladder_markup(answer_id, "boot_loop", "iphone-7-plus", 0)
    )
    whole = "\n".join(c.params["text"] for c in calls)
    assert whole.startswith("<b>⚠️ iPhone 7 Plus: Stuck on the Apple logo")
    assert "<b>Back up first</b>" in whole
    assert "Volume Down" in whole
    assert "Volume Up" not in whole
    assert all(len(c.params["text"]) <= 4096 for c in calls)
    assert bot.fake.errors == []


async def test_se_is_ambiguous_picker_then_second_generation(bot: Bot) -> None:
    """'my iphone se keeps restarting' gets an SE picker; choosing the 2nd generation gives Volume Up/Down/Side."""
    text = "my iphone se keeps restarting"
    calls = await bot.say(ALICE_DM, ALICE, text)
    asked = last_user_message(bot, 555)

    needs_model = await bot.expected_answer(text)
    assert needs_model.status == "needs_model"
    expected = render.render_answer(needs_model)
    answer_id = state_of(calls[-1], "iPhone SE (2nd generation)").answer_id
    assert ANSWER_ID.match(answer_id)
    se = [
        ("iphone-se-1", "iPhone SE (1st generation)"),
        ("iphone-se-2", "iPhone SE (2nd generation)"),
        ("iphone-se-3", "iPhone SE (3rd generation)"),
    ]
    # Every part replies to the question (the picker press re-reads it); the last part carries the picker.
    assert [c.params for c in calls] == [
        send_params(555, chunk, reply_to=asked["message_id"]) for chunk in expected[:-1]
    ] + [
        send_params(
            555, expected[-1], reply_to=asked["message_id"], markup=picker_markup(se, "model", answer_id, "boot_loop")
        )
    ]

    picker = bot.last_message(555)
    bot.mark = len(bot.fake.calls)
    query_id = bot.fake.press(picker, buttons(calls[-1])["iPhone SE (2nd generation)"], ALICE)
    calls = await bot.done()

    answer = await bot.expected_answer(text, model_id="iphone-se-2", symptom_id="boot_loop")
    chunks = render.render_answer(answer)
    assert [c.method for c in calls] == ["answerCallbackQuery", "editMessageText"] + ["sendMessage"] * len(chunks)
    assert calls[0].params == {"callback_query_id": query_id}
    assert calls[1].params == {
        "chat_id": 555,
        "message_id": picker["message_id"],
        "text": "\u2714 <b>iPhone SE (2nd generation)</b>",
        "parse_mode": "HTML",
    }
    new_id = state_of(calls[-1], "✅ It worked").answer_id
    assert [c.params for c in calls[2:]] == [
        send_params(555, chunks[0], reply_to=asked["message_id"]),
        *(send_params(555, chunk) for chunk in chunks[1:-1]),
        send_params(555, chunks[-1], markup=ladder_markup(new_id, "boot_loop", "iphone-se-2", 0)),
    ]
    whole = "\n".join(c.params["text"] for c in calls[2:])
    assert whole.startswith("<b>⚠️ iPhone SE (2nd generation): ")
    force_restart = whole[whole.index("1. Force restart") :]
    assert force_restart.index("Volume Up") < force_restart.index("Volume Down") < force_restart.index("Side button")
    assert bot.fake.errors == []


def last_user_message(bot: Bot, chat_id: int) -> dict[str, Any]:
    return max(
        (m for (cid, _), m in bot.fake.messages.items() if cid == chat_id and m["from"]["id"] != BOT_ID),
        key=lambda m: m["message_id"],
    )


async def test_start_greets_and_offers_a_remember_picker(bot: Bot) -> None:
    calls = await bot.say(ALICE_DM, ALICE, "/start")
    lines = [*HELP_LINES, "", "Which iPhone do you have? Tap it and I'll remember it (/forget deletes it)."]
    text = render.render_text("Hi Alice! I'm Revive: I help when an iPhone won't start.", lines)[0]
    assert [c.params for c in calls] == [send_params(555, text, markup=picker_markup(PICKER, "remember"))]
    assert "/fix TEXT" in text
    assert "/forget" in text


async def test_help(bot: Bot) -> None:
    calls = await bot.say(ALICE_DM, ALICE, "/help")
    assert [c.params for c in calls] == [
        send_params(555, render.render_text("Revive: iPhone recovery help", HELP_LINES)[0])
    ]


async def test_fix_command_in_private(bot: Bot) -> None:
    text = "my iphone 12 won't turn on"
    calls = await bot.say(ALICE_DM, ALICE, f"/fix {text}")
    expected = render.render_answer(await bot.expected_answer(text))
    assert [c.params["text"] for c in calls] == expected
    assert "reply_parameters" not in calls[0].params  # no quoting in a private chat


async def test_fix_without_text_explains_usage(bot: Bot) -> None:
    calls = await bot.say(ALICE_DM, ALICE, "/fix")
    usage = "Tell me what your iPhone is doing, e.g. /fix my iPhone 12 is stuck on the Apple logo"
    assert [c.params for c in calls] == [send_params(555, render.render_text(None, [usage])[0])]


async def test_steps_for_a_model(bot: Bot) -> None:
    calls = await bot.say(ALICE_DM, ALICE, "/steps iPhone 7 Plus")
    model = bot.triage.model("iphone-7-plus")
    assert model is not None
    procedures = [
        p
        for pid in ("force_restart", "recovery_mode", "dfu_mode", "exit_dfu", "exit_recovery")
        if (p := bot.triage.procedure("iphone-7-plus", pid)) is not None
    ]  # type: ignore[arg-type]
    expected = render.render_procedures(model, procedures)
    assert [c.params for c in calls] == [send_params(555, chunk) for chunk in expected]
    assert calls[0].params["text"].startswith("<b>Button steps for the iPhone 7 Plus</b>")


async def test_steps_without_model_offers_picker_then_shows_steps(bot: Bot) -> None:
    calls = await bot.say(ALICE_DM, ALICE, "/steps")
    command = last_user_message(bot, 555)["message_id"]
    text = render.render_text(None, ["Which iPhone? Tap it, or send /steps followed by the model."])[0]
    assert [c.params for c in calls] == [
        send_params(555, text, markup=picker_markup(PICKER, "model"), reply_to=command)
    ]

    calls = await bot.press(bot.last_message(555), encode(ButtonState("model", "", "", "iphone-x", 0)), ALICE)
    assert [c.method for c in calls[:2]] == ["answerCallbackQuery", "editMessageText"]
    assert calls[2].params["text"].startswith("<b>Button steps for the iPhone X</b>")


async def test_steps_unknown_model(bot: Bot) -> None:
    calls = await bot.say(ALICE_DM, ALICE, "/steps <b>nokia</b>")
    text = (
        "I don't know the model \u201c&lt;b&gt;nokia&lt;/b&gt;\u201d. "
        "Which iPhone? Tap it, or send /steps followed by the model."
    )
    asked = last_user_message(bot, 555)["message_id"]
    assert [c.params for c in calls] == [send_params(555, text, markup=picker_markup(PICKER, "model"), reply_to=asked)]


async def test_model_is_remembered_and_used_then_forgotten(bot: Bot) -> None:
    """/model picker -> remember_model; a message naming no model uses it; /forget deletes it."""
    calls = await bot.say(ALICE_DM, ALICE, "/model")
    prompt = render.render_text(None, ["Which iPhone do you have? I'll remember it for next time."])[0]
    assert [c.params for c in calls] == [send_params(555, prompt, markup=picker_markup(PICKER, "remember"))]

    picker = bot.last_message(555)
    calls = await bot.press(picker, encode(ButtonState("remember", "", "", "iphone-8", 0)), ALICE)
    assert [c.method for c in calls] == ["answerCallbackQuery", "editMessageText"]
    assert calls[0].params["text"] == "Saved: iPhone 8"
    assert calls[1].params == {
        "chat_id": 555,
        "message_id": picker["message_id"],
        "text": "<b>Saved: iPhone 8</b>\nI'll use it when your message doesn't name a model. /forget deletes it.",
        "parse_mode": "HTML",
        "link_preview_options": {"is_disabled": True},
    }
    assert await bot.store.remembered_model("telegram", "555") == "iphone-8"

    text = "my phone is stuck on the apple logo"
    calls = await bot.say(ALICE_DM, ALICE, text)
    expected = render.render_answer(await bot.expected_answer(text, model_id="iphone-8"))
    assert [c.params["text"] for c in calls] == expected
    assert expected[0].startswith("<b>⚠️ iPhone 8: ")

    calls = await bot.say(ALICE_DM, ALICE, "/forget")
    done = render.render_text(None, ["Done: I deleted everything I stored about you (1 records)."])[0]
    assert [c.params for c in calls] == [send_params(555, done)]
    assert await bot.store.remembered_model("telegram", "555") is None

    calls = await bot.say(ALICE_DM, ALICE, text)
    assert "reply_markup" in calls[-1].params
    state = decode(calls[-1].params["reply_markup"]["inline_keyboard"][0][0]["callback_data"])
    assert state is not None
    assert state.verb == "model"


async def test_model_with_argument_remembers_directly(bot: Bot) -> None:
    calls = await bot.say(ALICE_DM, ALICE, "/model iphone xr")
    assert [c.params for c in calls] == [
        send_params(
            555, "<b>Saved: iPhone XR</b>\nI'll use it when your message doesn't name a model. /forget deletes it."
        )
    ]
    assert await bot.store.remembered_model("telegram", "555") == "iphone-xr"


async def test_hostile_text_is_answered_safely(bot: Bot) -> None:
    """<script>, @everyone, HTML entities: escaped or ignored, the fake (strict HTML) accepts every message."""
    text = '<script>alert("x")</script> @everyone &amp; <b>my iphone 12 won\'t turn on</b> </b><i>'
    calls = await bot.say(ALICE_DM, ALICE, text)
    assert calls
    assert all(c.method == "sendMessage" for c in calls)
    assert bot.fake.errors == []
    whole = "".join(c.params["text"] for c in calls)
    assert "<script>" not in whole
    assert "@everyone" not in whole
    sent = bot.fake.bot_messages(555)
    assert sent[0]["text"].startswith("⚠️ iPhone 12") or sent[0]["text"].startswith("iPhone 12")


async def test_hostile_first_name_is_escaped(bot: Bot) -> None:
    evil = {"id": 557, "is_bot": False, "first_name": "<b>Mallory</b> & co"}
    dm = {"id": 557, "type": "private", "first_name": evil["first_name"]}
    calls = await bot.say(dm, evil, "/start")
    assert calls[0].params["text"].startswith("<b>Hi &lt;b&gt;Mallory&lt;/b&gt; &amp; co! I'm Revive")
    assert bot.fake.errors == []


async def test_five_thousand_character_message(bot: Bot) -> None:
    text = ("my iphone 11 is stuck on the apple logo. " * 130)[:5000]
    assert len(text) == 5000
    calls = await bot.say(ALICE_DM, ALICE, text)
    expected = render.render_answer(await bot.expected_answer(text))
    assert [c.params["text"] for c in calls] == expected
    assert all(len(c.params["text"]) <= 4096 for c in calls)
    assert bot.fake.errors == []


async def test_off_topic_message(bot: Bot) -> None:
    text = "what's the weather like tomorrow?"
    calls = await bot.say(ALICE_DM, ALICE, text)
    answer = await bot.expected_answer(text)
    assert answer.status == "off_topic"
    assert [c.params for c in calls] == [send_params(555, chunk) for chunk in render.render_answer(answer)]


async def test_unknown_command(bot: Bot) -> None:
    calls = await bot.say(ALICE_DM, ALICE, "/frobnicate")
    assert [c.params for c in calls] == [send_params(555, "I don't know that command. Try /help.")]


async def test_startup_publishes_command_menus(bot: Bot) -> None:
    menus = bot.fake.requests("setMyCommands")
    assert [m.params["scope"] for m in menus] == [{"type": "all_private_chats"}, {"type": "all_group_chats"}]
    assert [c["command"] for c in menus[0].params["commands"]] == ["fix", "steps", "model", "forget", "help"]
    assert [c["command"] for c in menus[1].params["commands"]] == ["fix", "steps", "auto", "help"]
    assert [c.method for c in bot.fake.calls[:2]] == ["getMe", "setMyCommands"]

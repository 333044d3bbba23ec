"""Private chats, end to end: real PTB over 127.0.0.1 to the fake Bot API, the real conversation and store."""

from __future__ import annotations

from bot.adapters.telegram import render
from bot.adapters.telegram.handlers import HELP_LINES
from bot.core.callbacks import unpack
from tests.adapters.telegram._tg_support import (
    ALICE,
    ALICE_DM,
    ANSWER_ID,
    Bot,
    answer_id_of,
    buttons,
    markup_of,
    send_params,
    view_params,
)
from tests.fakes.fake_telegram import parse_html, utf16_len

SAMPLE = "my iphone 12 is stuck on the apple logo after an update"
PICKER_NAMES = [
    "iPhone SE (1st generation)",
    "iPhone SE (2nd generation)",
    "iPhone SE (3rd generation)",
    "iPhone 6s",
    "iPhone 7",
    "iPhone 7 Plus",
    "iPhone 8",
    "iPhone X",
    "iPhone XR",
    "iPhone 11",
    "iPhone 12",
    "iPhone 13",
    "iPhone 14",
    "iPhone 15",
    "iPhone 16",
]


async def test_the_first_reply_is_one_short_message_with_the_offers(bot: Bot) -> None:
    """The issue's sample question: ONE message, at most 900 characters, replying to the question, with offers."""
    calls = await bot.say(ALICE_DM, ALICE, SAMPLE)
    asked = bot.last_user_message(555)["message_id"]

    assert [c.method for c in calls] == ["sendMessage"]
    answer_id = answer_id_of(calls[0])
    assert ANSWER_ID.match(answer_id)
    view = await bot.expected_first_view(SAMPLE, answer_id)
    assert calls[0].params == view_params(555, view, reply_to=asked)
    assert [b["text"] for row in calls[0].params["reply_markup"]["inline_keyboard"] for b in row] == [
        "It worked",
        "Didn't work → next step",
        "All steps",
        "Not my model",
        "Ask a helper",
        "More",  # the details did not fit in one screen
    ]
    assert buttons(calls[0])["More"] == view.details_token
    text = calls[0].params["text"]
    assert text.startswith("<b>iPhone 12: ")
    assert "<b>Step 1 of " in text
    assert "Emergency SOS" in text
    assert "💾 Back up now" in text
    assert utf16_len(parse_html(text)) <= render.SHORT_LIMIT
    assert max(len(d.encode()) for d in buttons(calls[0]).values()) <= 64
    assert bot.fake.errors == []


async def test_se_is_ambiguous_the_generation_is_asked_then_answered_in_place(bot: Bot) -> None:
    """'my iphone se keeps restarting' asks which SE; the pick edits the question into the answer."""
    text = "my iphone se keeps restarting"
    calls = await bot.say(ALICE_DM, ALICE, text)
    asked = bot.last_user_message(555)["message_id"]
    answer_id = answer_id_of(calls[0])
    question = await bot.expected_first_view(text, answer_id)
    assert question.kind == "ask_model"
    assert calls[0].params == view_params(555, question, reply_to=asked)
    assert list(buttons(calls[0])) == [
        "iPhone SE (1st generation)",
        "iPhone SE (2nd generation)",
        "iPhone SE (3rd generation)",
    ]

    picker = bot.last_message(555)
    data = buttons(calls[0])["iPhone SE (2nd generation)"]
    bot.mark = len(bot.fake.calls)
    query_id = bot.fake.press(picker, data, ALICE)
    calls = await bot.done()

    answer = await bot.expected_press(data)
    assert answer.kind == "answer"
    assert answer.delivery == "edit"
    assert [c.method for c in calls] == ["answerCallbackQuery", "editMessageText"]
    assert calls[0].params == {"callback_query_id": query_id}
    assert calls[1].params == {
        "chat_id": 555,
        "message_id": picker["message_id"],
        "text": render.render_view(answer)[0],
        "parse_mode": "HTML",
        "reply_markup": markup_of(answer),
        "link_preview_options": {"is_disabled": True},
    }
    assert calls[1].params["text"].startswith("<b>iPhone SE (2nd generation): ")
    steps = parse_html(calls[1].params["text"])
    assert steps.index("Volume Up") < steps.index("Volume Down") < steps.index("Side button")
    assert "Remember my model" in buttons(calls[1])
    assert bot.fake.errors == []


async def test_a_typed_model_completes_the_question(bot: Bot) -> None:
    """Without a model the bot asks by button layout; "it's a 7" typed as a reply answers it."""
    text = "my phone is stuck on the apple logo"
    calls = await bot.say(ALICE_DM, ALICE, text)
    question = bot.last_message(555)
    view = await bot.expected_first_view(text, answer_id_of(calls[0]))
    assert view.kind == "ask_family"
    assert list(buttons(calls[0])) == [o.label for o in view.offers]

    calls = await bot.say(ALICE_DM, ALICE, "it's a 7", reply_to=question)
    reply = bot.last_user_message(555)["message_id"]
    assert [c.method for c in calls] == ["editMessageReplyMarkup", "sendMessage"]
    assert calls[0].params == {"chat_id": 555, "message_id": question["message_id"]}  # the question's buttons go
    expected = await bot.expected_typed_reply(view.context, "it's a 7")
    assert expected.kind == "answer"
    assert calls[1].params == view_params(555, expected, reply_to=reply)
    assert calls[1].params["text"].startswith("<b>iPhone 7: ")
    assert "Volume Down" in calls[1].params["text"]


async def test_in_a_private_chat_the_model_can_be_typed_without_replying(bot: Bot) -> None:
    """Right after the question, "iPhone 12" answers it; a message describing a new problem is a new question."""
    text = "my phone is stuck on the apple logo"
    calls = await bot.say(ALICE_DM, ALICE, text)
    question = bot.last_message(555)
    view = await bot.expected_first_view(text, answer_id_of(calls[0]))

    calls = await bot.say(ALICE_DM, ALICE, "iPhone 12")
    typed = bot.last_user_message(555)["message_id"]
    expected = await bot.expected_typed_reply(view.context, "iPhone 12")
    assert [c.params for c in calls] == [
        {"chat_id": 555, "message_id": question["message_id"]},  # the question's buttons go
        view_params(555, expected, reply_to=typed),
    ]
    assert calls[1].params["text"].startswith("<b>iPhone 12: Stuck on the Apple logo")

    # The question is answered: the next message is a question of its own.
    calls = await bot.say(ALICE_DM, ALICE, "iPhone 12")
    assert [c.method for c in calls] == ["sendMessage"]
    assert not calls[0].params["text"].startswith("<b>iPhone 12: Stuck on the Apple logo")


async def test_a_new_problem_after_a_question_is_a_new_question(bot: Bot) -> None:
    await bot.say(ALICE_DM, ALICE, "my phone is stuck on the apple logo")
    text = "my iphone 7 won't turn on at all"
    calls = await bot.say(ALICE_DM, ALICE, text)
    asked = bot.last_user_message(555)["message_id"]
    view = await bot.expected_first_view(text, answer_id_of(calls[0]))
    assert [c.params for c in calls] == [view_params(555, view, reply_to=asked)]
    assert view.step is not None
    assert view.headline.startswith("iPhone 7: ")
    assert "Apple logo" not in view.headline


async def test_a_reply_to_an_answer_is_a_new_question_not_a_model(bot: Bot) -> None:
    """Only a reply to a question (its buttons ask for the model) is read as the model."""
    await bot.say(ALICE_DM, ALICE, SAMPLE)
    answer = bot.last_message(555)
    text = "still stuck, my iphone 12 shows error 4013 now"
    calls = await bot.say(ALICE_DM, ALICE, text, reply_to=answer)
    reply = bot.last_user_message(555)["message_id"]
    view = await bot.expected_first_view(text, answer_id_of(calls[0]))
    assert [c.params for c in calls] == [view_params(555, view, reply_to=reply)]
    assert "reply_markup" in bot.fake.messages[(555, answer["message_id"])]  # the earlier answer is untouched


async def test_start_greets_and_offers_a_remember_picker(bot: Bot) -> None:
    calls = await bot.say(ALICE_DM, ALICE, "/start")
    lines = [*HELP_LINES, "", "Which iPhone do you have? Tap it and I'll remember it (/forget deletes it)."]
    text = render.render_text("Hi Alice! I'm Revive: I help when an iPhone won't start.", lines)[0]
    assert [c.method for c in calls] == ["sendMessage"]
    assert {k: v for k, v in calls[0].params.items() if k != "reply_markup"} == send_params(555, text)
    assert list(buttons(calls[0])) == PICKER_NAMES
    assert {s.verb for d in buttons(calls[0]).values() if (s := unpack(d))} == {"remember"}
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
    asked = bot.last_user_message(555)["message_id"]
    view = await bot.expected_first_view(text, answer_id_of(calls[0]))
    assert [c.params for c in calls] == [view_params(555, view, reply_to=asked)]


async def test_fix_without_text_explains_usage(bot: Bot) -> None:
    calls = await bot.say(ALICE_DM, ALICE, "/fix")
    usage = "Tell me what your iPhone is doing, e.g. /fix my iPhone 12 is stuck on the Apple logo"
    assert [c.params for c in calls] == [send_params(555, render.render_text(None, [usage])[0])]


async def test_steps_for_a_model_dfu_comes_behind_the_erase_gate(bot: Bot) -> None:
    calls = await bot.say(ALICE_DM, ALICE, "/steps iPhone 7 Plus")
    asked = bot.last_user_message(555)["message_id"]
    assert [c.method for c in calls] == ["sendMessage"] * 3
    force_restart, recovery, gate = (parse_html(c.params["text"]) for c in calls)
    assert force_restart.startswith("iPhone 7 Plus: Force restart")
    assert "Volume Down" in force_restart
    assert recovery.startswith("iPhone 7 Plus: ")
    assert "Restore" in recovery  # the one risk: Update, not Restore
    assert "erases everything" in gate
    assert list(buttons(calls[2])) == [
        "I have a backup: continue",
        "I can't back up: what are my options?",
        "Take it to repair",
    ]
    assert all(c.params["reply_parameters"]["message_id"] == asked for c in calls)

    # Through the gate: the DFU steps themselves.
    calls = await bot.press(bot.last_message(555), buttons(calls[2])["I have a backup: continue"], ALICE)
    assert [c.method for c in calls] == ["answerCallbackQuery", "sendMessage"]  # the steps offer nothing to press
    dfu = parse_html(calls[1].params["text"])
    assert "DFU" in dfu
    assert "Volume Down" in dfu


async def test_steps_without_a_model_asks_for_the_button_layout(bot: Bot) -> None:
    calls = await bot.say(ALICE_DM, ALICE, "/steps")
    assert [c.method for c in calls] == ["sendMessage"]
    assert list(buttons(calls[0])) == [
        "Home button: iPhone 6s or older, SE 1st gen",
        "iPhone 7 / 7 Plus",
        "Face ID, iPhone 8, or SE 2nd/3rd gen",
    ]


async def test_steps_unknown_model_is_escaped(bot: Bot) -> None:
    calls = await bot.say(ALICE_DM, ALICE, "/steps <b>nokia</b>")
    assert calls[0].params["text"] == "I don't know the model \u201c&lt;b&gt;nokia&lt;/b&gt;\u201d."
    assert bot.fake.errors == []


async def test_model_is_remembered_and_used_then_forgotten(bot: Bot) -> None:
    """/model picker -> remembered (a private alert says so); a message naming no model uses it; /forget deletes it."""
    calls = await bot.say(ALICE_DM, ALICE, "/model")
    prompt = render.render_text(None, ["Which iPhone do you have? I'll remember it for next time."])[0]
    assert calls[0].params["text"] == prompt
    assert list(buttons(calls[0])) == PICKER_NAMES

    calls = await bot.press(bot.last_message(555), buttons(calls[0])["iPhone 8"], ALICE)
    assert [c.method for c in calls] == ["answerCallbackQuery"]
    assert calls[0].params["show_alert"] is True
    assert "iPhone 8" in calls[0].params["text"]
    assert await bot.store.remembered_model("telegram", "555") == "iphone-8"

    text = "my phone is stuck on the apple logo"
    calls = await bot.say(ALICE_DM, ALICE, text)
    assert calls[0].params["text"].startswith("<b>iPhone 8: ")

    calls = await bot.say(ALICE_DM, ALICE, "/forget")
    done = render.render_text(None, ["Done: I deleted everything I stored about you (1 records)."])[0]
    assert [c.params for c in calls] == [send_params(555, done)]
    assert await bot.store.remembered_model("telegram", "555") is None

    calls = await bot.say(ALICE_DM, ALICE, text)
    assert {s.verb for d in buttons(calls[0]).values() if (s := unpack(d))} == {"family"}


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
    assert [c.method for c in calls] == ["sendMessage"]
    assert bot.fake.errors == []
    assert "<script>" not in calls[0].params["text"]
    assert "@everyone" not in calls[0].params["text"]


async def test_hostile_first_name_is_escaped(bot: Bot) -> None:
    evil = {"id": 557, "is_bot": False, "first_name": "<b>Mallory</b> & co"}
    dm = {"id": 557, "type": "private", "first_name": evil["first_name"]}
    calls = await bot.say(dm, evil, "/start")
    assert calls[0].params["text"].startswith("<b>Hi &lt;b&gt;Mallory&lt;/b&gt; &amp; co! I'm Revive")
    assert bot.fake.errors == []


async def test_five_thousand_character_message(bot: Bot) -> None:
    text = ("my iphone 11 is stuck on the apple logo. " * 130)[:5000]
    calls = await bot.say(ALICE_DM, ALICE, text)
    assert [c.method for c in calls] == ["sendMessage"]
    assert utf16_len(parse_html(calls[0].params["text"])) <= render.SHORT_LIMIT
    assert bot.fake.errors == []


async def test_off_topic_message(bot: Bot) -> None:
    text = "what's the weather like tomorrow?"
    calls = await bot.say(ALICE_DM, ALICE, text)
    asked = bot.last_user_message(555)["message_id"]
    answer = await bot.expected_answer(text)
    assert answer.status == "off_topic"
    view = await bot.expected_first_view(text, answer.answer_id)
    assert [c.params for c in calls] == [view_params(555, view, reply_to=asked)]
    assert "reply_markup" not in calls[0].params


async def test_unknown_command(bot: Bot) -> None:
    calls = await bot.say(ALICE_DM, ALICE, "/frobnicate")
    assert [c.params for c in calls] == [send_params(555, "I don't know that command. Try /help.")]


async def test_startup_publishes_command_menus(bot: Bot) -> None:
    menus = bot.fake.requests("setMyCommands")
    assert [m.params["scope"] for m in menus] == [{"type": "all_private_chats"}, {"type": "all_group_chats"}]
    assert [c["command"] for c in menus[0].params["commands"]] == ["fix", "steps", "model", "forget", "help"]
    assert [c["command"] for c in menus[1].params["commands"]] == ["fix", "steps", "auto", "help"]
    assert [c.method for c in bot.fake.calls[:2]] == ["getMe", "setMyCommands"]


async def test_a_damaged_phone_is_offered_no_erasing_step(bot: Bot) -> None:
    calls = await bot.say(ALICE_DM, ALICE, "my iphone 12 fell in the pool and now it won't turn on")
    [sent] = calls
    assert parse_html(sent.params["text"]).startswith("⛔ ")
    states = [s for d in buttons(sent).values() if (s := unpack(d)) is not None]
    assert states
    erasing = {"recovery_update", "recovery_restore", "dfu_restore", "passcode_reset"}
    assert all(not erasing & set(s.ladder) for s in states)
    assert all(s.damage for s in states)

"""Groups and supergroups, end to end: /fix, replies, mentions, shared-chat presses, auto mode and its cooldown."""

from __future__ import annotations

from typing import Any

from bot.adapters.telegram import render
from bot.adapters.telegram.handlers import AUTO_FOOTER, with_auto_footer
from bot.core.conversation import NOT_ALLOWED
from bot.store.base import ChatSettings
from tests.adapters.telegram._tg_support import (
    ADMIN,
    ALICE,
    BOB,
    BOT_USER,
    GROUP,
    Bot,
    answer_id_of,
    buttons,
    send_params,
    view_params,
)
from tests.fakes.fake_telegram import parse_html

G = GROUP["id"]
CONFIDENT = "my iphone 7 plus is stuck on the apple logo"
PRIVACY_WARNING = (
    "Auto mode is on. I'll answer messages that are clearly about an iPhone problem, at most once per person "
    "every 5 minutes. Turn it off with /auto off.\n"
    "\n"
    "But I can't see ordinary messages in this group yet: Telegram's privacy mode hides them from bots. "
    "Fix it in one of two ways:\n"
    "• make me an admin of this group, or\n"
    "• have my owner send /setprivacy to @BotFather, choose @ReviveTestBot, pick Disable, "
    "then remove me from this group and add me again."
)


async def asked_in_group(bot: Bot, text: str = CONFIDENT) -> dict[str, Any]:
    """Alice asks with /fix; returns the bot's answer message."""
    await bot.say(GROUP, ALICE, f"/fix {text}")
    return bot.last_message(G)


# ------------------------------------------------------------------ answering in groups


async def test_ordinary_messages_are_ignored_without_auto_mode(bot: Bot) -> None:
    assert await bot.say(GROUP, ALICE, CONFIDENT) == []


async def test_fix_with_text_replies_to_the_command_in_one_message(bot: Bot) -> None:
    calls = await bot.say(GROUP, ALICE, f"/fix {CONFIDENT}")
    command = bot.last_user_message(G)["message_id"]
    view = await bot.expected_first_view(CONFIDENT, answer_id_of(calls[0]))
    assert [c.params for c in calls] == [view_params(G, view, reply_to=command)]


async def test_fix_addressed_to_the_bot_by_name(bot: Bot) -> None:
    calls = await bot.say(GROUP, ALICE, f"/fix@ReviveTestBot {CONFIDENT}")
    view = await bot.expected_first_view(CONFIDENT, answer_id_of(calls[0]))
    assert [c.params["text"] for c in calls] == render.render_view(view)


async def test_fix_for_another_bot_is_ignored(bot: Bot) -> None:
    assert await bot.say(GROUP, ALICE, f"/fix@SomeOtherBot {CONFIDENT}") == []


async def test_fix_as_a_reply_triages_that_message_and_replies_to_it(bot: Bot) -> None:
    bob_text = "iphone x update failed, what now"
    bob_message = bot.fake.send_text(GROUP, BOB, bob_text)
    await bot.done()
    calls = await bot.say(GROUP, ADMIN, "/fix", reply_to=bob_message)
    view = await bot.expected_first_view(bob_text, answer_id_of(calls[0]))
    assert [c.params for c in calls] == [view_params(G, view, reply_to=bob_message["message_id"])]


async def test_mention_is_answered_without_the_mention(bot: Bot) -> None:
    calls = await bot.say(GROUP, ALICE, f"@ReviveTestBot {CONFIDENT}")
    asked = bot.last_user_message(G)["message_id"]
    view = await bot.expected_first_view(CONFIDENT, answer_id_of(calls[0]))
    assert [c.params for c in calls] == [view_params(G, view, reply_to=asked)]


async def test_bare_mention_as_a_reply_triages_the_replied_message(bot: Bot) -> None:
    bob_message = bot.fake.send_text(GROUP, BOB, CONFIDENT)
    await bot.done()
    calls = await bot.say(GROUP, ALICE, "@revivetestbot", reply_to=bob_message)
    view = await bot.expected_first_view(CONFIDENT, answer_id_of(calls[0]))
    assert [c.params for c in calls] == [view_params(G, view, reply_to=bob_message["message_id"])]


async def test_mentions_of_other_users_are_ignored(bot: Bot) -> None:
    assert await bot.say(GROUP, ALICE, f"@SomeoneElse {CONFIDENT}") == []


async def test_replies_to_the_bot_are_answered(bot: Bot) -> None:
    await bot.say(GROUP, ALICE, "/help")
    help_message = bot.last_message(G)
    text = "my iphone 14 keeps restarting"
    calls = await bot.say(GROUP, ALICE, text, reply_to=help_message)
    view = await bot.expected_first_view(text, answer_id_of(calls[0]))
    assert [c.params["text"] for c in calls] == render.render_view(view)


async def test_forum_topics_are_answered_in_their_topic(bot: Bot) -> None:
    calls = await bot.say(GROUP, ALICE, "/help", thread_id=77)
    assert calls[0].params["message_thread_id"] == 77
    calls = await bot.say(GROUP, ALICE, f"/fix {CONFIDENT}", thread_id=77)
    assert {c.params["message_thread_id"] for c in calls} == {77}
    calls = await bot.press(bot.last_message(G), buttons(calls[0])["Didn't work → next step"], ALICE)
    assert calls[-1].method == "sendMessage"
    assert calls[-1].params["message_thread_id"] == 77  # follow-ups stay in the topic


# ------------------------------------------------------------------ shared chats: who may press


async def test_a_press_by_someone_else_changes_nothing_and_records_nothing(bot: Bot) -> None:
    """Bob presses "It worked" and "Didn't work" under Alice's answer: a private alert, no edit, no outcome row."""
    answer = await asked_in_group(bot)
    offers = buttons(bot.fake.requests("sendMessage")[-1])
    before = dict(bot.fake.messages[(G, answer["message_id"])])
    for label in ("It worked", "Didn't work → next step", "Ask a helper"):
        bot.mark = len(bot.fake.calls)
        query_id = bot.fake.press(answer, offers[label], BOB)
        calls = await bot.done()
        assert [c.params for c in calls] == [
            {"callback_query_id": query_id, "text": NOT_ALLOWED, "show_alert": True}
        ], label
    assert bot.fake.requests("getChatMember")[-1].params == {"chat_id": G, "user_id": BOB["id"]}
    assert bot.fake.messages[(G, answer["message_id"])] == before  # buttons and text untouched
    assert await bot.outcomes() == []


async def test_the_asker_and_a_chat_admin_may_press(bot: Bot) -> None:
    answer = await asked_in_group(bot)
    offers = buttons(bot.fake.requests("sendMessage")[-1])
    answer_id = answer_id_of(bot.fake.requests("sendMessage")[-1])
    question = bot.last_user_message(G)["message_id"]

    # Alice (the asker): didn't work -> the next step, as a reply to her question; her press is recorded.
    calls = await bot.press(answer, offers["Didn't work → next step"], ALICE)
    assert [c.method for c in calls] == ["answerCallbackQuery", "editMessageReplyMarkup", "sendMessage"]
    assert calls[2].params["reply_parameters"] == {"message_id": question, "allow_sending_without_reply": True}
    step = bot.last_message(G)
    assert await bot.outcomes() == [(answer_id, "failed", "boot_loop", "volume-down", 0, "force_restart")]

    # Grace (an admin) closes it: the public message shows it is solved.
    bot.fake.member_status[(G, ADMIN["id"])] = "administrator"
    calls = await bot.press(step, buttons(calls[2])["It worked"], ADMIN)
    assert [c.method for c in calls] == ["answerCallbackQuery", "editMessageText"]
    assert parse_html(calls[1].params["text"]).startswith("Solved · iPhone 7 Plus")
    assert "reply_markup" not in calls[1].params
    assert [o[1] for o in await bot.outcomes()] == ["failed", "worked"]


async def test_a_bystander_may_read_all_steps_privately(bot: Bot) -> None:
    """Read-only offers work for anyone, but only for them: sent to Bob's private chat, without buttons."""
    answer = await asked_in_group(bot)
    offers = buttons(bot.fake.requests("sendMessage")[-1])
    bot.fake.register_chat({"id": BOB["id"], "type": "private", "first_name": "Bob"})
    bot.mark = len(bot.fake.calls)
    query_id = bot.fake.press(answer, offers["All steps"], BOB)
    calls = await bot.done()
    assert [c.method for c in calls] == ["sendMessage", "answerCallbackQuery"]
    assert calls[0].params["chat_id"] == BOB["id"]
    assert "reply_markup" not in calls[0].params
    assert calls[1].params == {"callback_query_id": query_id, "text": "I sent it to you in our private chat."}
    assert "reply_markup" in bot.fake.messages[(G, answer["message_id"])]  # Alice's answer keeps its buttons
    assert await bot.outcomes() == []


async def test_a_bystander_who_never_started_the_bot_is_told_how_to_read_it(bot: Bot) -> None:
    answer = await asked_in_group(bot)
    offers = buttons(bot.fake.requests("sendMessage")[-1])
    bot.mark = len(bot.fake.calls)
    query_id = bot.fake.press(answer, offers["All steps"], BOB)  # no private chat with Bob: chat not found
    calls = await bot.done()
    assert calls[-1].params == {
        "callback_query_id": query_id,
        "text": "Open a private chat with me and press Start, then press this button again to read it there.",
        "show_alert": True,
    }


async def test_handoff_summary_is_one_message_and_mentions_no_one(bot: Bot) -> None:
    """ "Ask a helper": the summary for helpers as a reply to the question; no @mention, no mass mention."""
    answer = await asked_in_group(bot, "my iphone 7 plus is stuck on the apple logo, itunes said error 4013")
    sent = bot.fake.requests("sendMessage")[-1]
    question = bot.last_user_message(G)["message_id"]
    calls = await bot.press(answer, buttons(sent)["Ask a helper"], ALICE)
    handoff = await bot.expected_press(buttons(sent)["Ask a helper"])
    assert handoff.kind == "handoff"
    assert handoff.handoff is not None
    # The answer keeps its buttons only when the handoff offers none (the person may still report the step).
    expected = ["answerCallbackQuery", "editMessageReplyMarkup", "sendMessage"] if handoff.offers else None
    assert [c.method for c in calls] == (expected or ["answerCallbackQuery", "sendMessage"])
    assert calls[-1].params == view_params(G, handoff, reply_to=question)
    summary = "\n".join(render.escape(line) for line in handoff.handoff.lines())
    assert f"<b>For helpers</b>\n{summary}" in calls[-1].params["text"]
    lines = handoff.handoff.lines()
    assert lines[0] == "Model: iPhone 7 Plus"
    assert lines[1].startswith("Probably: ")
    assert lines[2:] == (
        "Tried: Force restart: current",
        "Error codes: 4013",
        "Damage: none mentioned",
        "Backup: not known",
    )
    assert "@" not in calls[-1].params["text"]  # no mention of anyone, let alone everyone
    assert "entities" not in calls[-1].params


async def test_a_typed_model_in_a_group_needs_the_asker(bot: Bot) -> None:
    """ "it's a 7" as a reply to the bot's question: from Alice it answers; from Bob nothing happens."""
    await bot.say(GROUP, ALICE, "/fix my phone is stuck on the apple logo")
    question = bot.last_message(G)
    assert await bot.say(GROUP, BOB, "it's a 7", reply_to=question) == []
    calls = await bot.say(GROUP, ALICE, "it's a 7", reply_to=question)
    reply = bot.last_user_message(G)["message_id"]
    assert [c.method for c in calls] == ["editMessageReplyMarkup", "sendMessage"]
    assert calls[1].params["reply_parameters"]["message_id"] == reply
    assert calls[1].params["text"].startswith("<b>iPhone 7: ")


# ------------------------------------------------------------------ auto mode


async def test_auto_on_needs_an_admin(bot: Bot) -> None:
    calls = await bot.say(GROUP, ALICE, "/auto on")
    asked = bot.last_user_message(G)["message_id"]
    assert [c.params for c in calls] == [send_params(G, "Only a group admin can change auto mode.", reply_to=asked)]
    assert bot.fake.requests("getChatMember")[-1].params == {"chat_id": G, "user_id": ALICE["id"]}
    assert (await bot.store.chat_settings("telegram", str(G))).auto_mode is False


async def test_auto_on_tells_the_admin_about_privacy_mode(bot: Bot) -> None:
    bot.fake.member_status[(G, ADMIN["id"])] = "administrator"
    calls = await bot.say(GROUP, ADMIN, "/auto on")
    asked = bot.last_user_message(G)["message_id"]
    assert [c.params for c in calls] == [send_params(G, PRIVACY_WARNING, reply_to=asked)]
    assert (await bot.store.chat_settings("telegram", str(G))) == ChatSettings(auto_mode=True, cooldown_seconds=300)


async def test_auto_on_when_the_bot_is_admin_has_no_warning(bot: Bot) -> None:
    bot.fake.member_status[(G, ADMIN["id"])] = "creator"
    bot.fake.member_status[(G, BOT_USER["id"])] = "administrator"
    calls = await bot.say(GROUP, ADMIN, "/auto on")
    assert calls[0].params["text"] == PRIVACY_WARNING.split("\n")[0]


async def test_anonymous_admin_can_switch_auto_mode(bot: Bot) -> None:
    anonymous = {"id": 1087968824, "is_bot": True, "first_name": "Group", "username": "GroupAnonymousBot"}
    message = bot.fake.make_message(GROUP, anonymous, "/auto off")
    message["sender_chat"] = GROUP
    bot.mark = len(bot.fake.calls)
    bot.fake.push_update({"message": message})
    calls = await bot.done()
    assert (
        calls[0].params["text"] == "Auto mode is off. I'll only answer /fix, mentions of me and replies to my messages."
    )


async def test_auto_status_and_private_chat(bot: Bot) -> None:
    calls = await bot.say(GROUP, ALICE, "/auto")
    assert calls[0].params["text"] == "Auto mode is off here. A group admin can change it with /auto on or /auto off."
    calls = await bot.say({"id": 555, "type": "private", "first_name": "Alice"}, ALICE, "/auto on")
    assert [c.params for c in calls] == [
        send_params(555, "Auto mode is for groups. Here in our private chat I answer every message.")
    ]


async def test_auto_mode_answers_confident_problems_once_per_cooldown(bot: Bot) -> None:
    """Auto mode: one message with the footer and "Not my issue"; once per user per cooldown."""
    await bot.store.save_chat_settings("telegram", str(G), ChatSettings(auto_mode=True, cooldown_seconds=300))

    calls = await bot.say(GROUP, ALICE, CONFIDENT)
    asked = bot.last_user_message(G)["message_id"]
    view = await bot.expected_first_view(CONFIDENT, answer_id_of(calls[0]), auto=True)
    assert "Not my issue" in [o.label for o in view.offers]
    assert [c.params for c in calls] == [view_params(G, with_auto_footer(view), reply_to=asked)]
    assert calls[0].params["text"].endswith(f"<i>{AUTO_FOOTER}</i>")

    # The same user again within the cooldown: nothing. Another user: answered.
    bot.clock.advance(299)
    assert await bot.say(GROUP, ALICE, "my iphone 14 keeps restarting") == []
    calls = await bot.say(GROUP, BOB, "my iphone 14 keeps restarting")
    assert AUTO_FOOTER in calls[-1].params["text"]

    # After the cooldown, Alice is answered again.
    bot.clock.advance(2)
    calls = await bot.say(GROUP, ALICE, "my iphone 14 keeps restarting")
    assert AUTO_FOOTER in calls[-1].params["text"]


async def test_auto_mode_ignores_off_topic_and_unconfident_messages(bot: Bot) -> None:
    await bot.store.save_chat_settings("telegram", str(G), ChatSettings(auto_mode=True, cooldown_seconds=300))
    vague = "my iphone 11 is acting weird since yesterday"
    assert (await bot.expected_answer(vague)).confidence < bot.settings.auto_min_confidence
    assert await bot.say(GROUP, ALICE, "anyone coming to the meetup on friday?") == []
    assert await bot.say(GROUP, ALICE, vague) == []
    # Neither started the cooldown.
    calls = await bot.say(GROUP, ALICE, CONFIDENT)
    assert AUTO_FOOTER in calls[-1].params["text"]


async def test_auto_mode_asks_the_buttons_of_a_confident_problem_with_no_model(bot: Bot) -> None:
    """The same rule as Discord (core: worth_an_unprompted_answer): a confident problem is answered even
    when no model is named; the answer is the button-layout question."""
    await bot.store.save_chat_settings("telegram", str(G), ChatSettings(auto_mode=True, cooldown_seconds=300))
    text = "my phone is stuck on the apple logo"
    answer = await bot.expected_answer(text)
    assert answer.status == "needs_model"
    assert answer.confidence >= bot.settings.auto_min_confidence
    calls = await bot.say(GROUP, BOB, text)
    assert [c.method for c in calls] == ["sendMessage"]
    assert AUTO_FOOTER in calls[0].params["text"]
    assert "Home button" in " ".join(buttons(calls[0]))


async def test_auto_mode_answers_a_dangerous_phone_even_when_unsure_of_the_symptom(bot: Bot) -> None:
    """A smoking phone is answered in auto mode, whatever the symptom confidence."""
    await bot.store.save_chat_settings("telegram", str(G), ChatSettings(auto_mode=True, cooldown_seconds=300))
    text = "smoke is coming out of my iphone 13"
    answer = await bot.expected_answer(text)
    assert answer.damage
    assert answer.confidence < bot.settings.auto_min_confidence
    calls = await bot.say(GROUP, ALICE, text)
    assert [c.method for c in calls] == ["sendMessage"]
    plain = parse_html(calls[0].params["text"])
    assert plain.startswith("⛔ ")
    assert "DFU" not in " ".join(buttons(calls[0]))
    assert "Restore" not in " ".join(buttons(calls[0]))


async def test_auto_off_stops_answers(bot: Bot) -> None:
    await bot.store.save_chat_settings("telegram", str(G), ChatSettings(auto_mode=True, cooldown_seconds=300))
    bot.fake.member_status[(G, ADMIN["id"])] = "administrator"
    calls = await bot.say(GROUP, ADMIN, "/auto off")
    assert (
        calls[0].params["text"] == "Auto mode is off. I'll only answer /fix, mentions of me and replies to my messages."
    )
    assert await bot.say(GROUP, ALICE, CONFIDENT) == []


async def test_not_my_issue_removes_an_auto_answer(bot: Bot) -> None:
    await bot.store.save_chat_settings("telegram", str(G), ChatSettings(auto_mode=True, cooldown_seconds=300))
    calls = await bot.say(GROUP, ALICE, CONFIDENT)
    answer = bot.last_message(G)
    dismiss = buttons(calls[0])["Not my issue"]
    answer_id = answer_id_of(calls[0])

    # Bob neither asked nor is an admin.
    bot.mark = len(bot.fake.calls)
    query_id = bot.fake.press(answer, dismiss, BOB)
    calls = await bot.done()
    assert [c.params for c in calls] == [{"callback_query_id": query_id, "text": NOT_ALLOWED, "show_alert": True}]

    bot.mark = len(bot.fake.calls)
    query_id = bot.fake.press(answer, dismiss, ALICE)
    calls = await bot.done()
    assert [c.method for c in calls] == ["answerCallbackQuery", "deleteMessage"]
    assert calls[0].params == {"callback_query_id": query_id, "text": "Thanks: I removed my answer."}
    assert calls[1].params == {"chat_id": G, "message_id": answer["message_id"]}
    assert bot.fake.bot_messages(G) == []
    assert await bot.outcomes() == [(answer_id, "not_helpful", "boot_loop", "volume-down", 0, "force_restart")]

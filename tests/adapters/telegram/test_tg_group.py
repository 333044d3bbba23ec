"""Groups and supergroups, end to end: /fix, replies, mentions, auto mode and its cooldown."""

from __future__ import annotations

from bot.adapters.telegram import render
from bot.core.callbacks import encode
from bot.store.base import ChatSettings
from tests.adapters.telegram._tg_support import (
    ADMIN,
    ALICE,
    BOB,
    BOT_USER,
    GROUP,
    Bot,
    answer_params,
    ladder_markup,
    send_params,
    state_of,
)

G = GROUP["id"]
CONFIDENT = "my iphone 7 plus is stuck on the apple logo"
AUTO_FOOTER = "<i>Auto mode is on in this group. An admin can turn it off with /auto off.</i>"
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


async def test_ordinary_messages_are_ignored_without_auto_mode(bot: Bot) -> None:
    calls = await bot.say(GROUP, ALICE, CONFIDENT)
    assert calls == []


async def test_fix_with_text_replies_to_the_command(bot: Bot) -> None:
    calls = await bot.say(GROUP, ALICE, f"/fix {CONFIDENT}")
    command = bot.last_user_message(G)["message_id"]
    chunks = render.render_answer(await bot.expected_answer(CONFIDENT))
    answer_id = state_of(calls[-1], "✅ It worked").answer_id
    markup = ladder_markup(answer_id, "boot_loop", "iphone-7-plus", 0)
    assert [c.params for c in calls] == answer_params(G, chunks, markup=markup, reply_to=command, reply_every=True)


async def test_fix_addressed_to_the_bot_by_name(bot: Bot) -> None:
    calls = await bot.say(GROUP, ALICE, f"/fix@ReviveTestBot {CONFIDENT}")
    chunks = render.render_answer(await bot.expected_answer(CONFIDENT))
    assert [c.params["text"] for c in calls] == chunks


async def test_fix_for_another_bot_is_ignored(bot: Bot) -> None:
    calls = await bot.say(GROUP, ALICE, f"/fix@SomeOtherBot {CONFIDENT}")
    assert calls == []


async def test_fix_as_a_reply_triages_that_message_and_replies_to_it(bot: Bot) -> None:
    bob_text = "iphone x update failed, what now"
    bob_message = bot.fake.send_text(GROUP, BOB, bob_text)
    await bot.done()
    calls = await bot.say(GROUP, ADMIN, "/fix", reply_to=bob_message)
    chunks = render.render_answer(await bot.expected_answer(bob_text))
    answer = await bot.expected_answer(bob_text)
    answer_id = state_of(calls[-1], "✅ It worked").answer_id
    assert answer.model is not None
    assert answer.top_symptom is not None
    markup = ladder_markup(
        answer_id,
        answer.top_symptom,
        answer.model.id,
        0,
        next_=len(answer.ladder) > 1,
        dfu=any(s.action == "dfu_restore" for s in answer.ladder),
    )
    assert [c.params for c in calls] == answer_params(
        G, chunks, markup=markup, reply_to=bob_message["message_id"], reply_every=True
    )


async def test_mention_is_answered_without_the_mention(bot: Bot) -> None:
    calls = await bot.say(GROUP, ALICE, f"@ReviveTestBot {CONFIDENT}")
    asked = bot.last_user_message(G)["message_id"]
    chunks = render.render_answer(await bot.expected_answer(CONFIDENT))
    assert [c.params["text"] for c in calls] == chunks
    assert calls[0].params["reply_parameters"] == {"message_id": asked, "allow_sending_without_reply": True}


async def test_bare_mention_as_a_reply_triages_the_replied_message(bot: Bot) -> None:
    bob_message = bot.fake.send_text(GROUP, BOB, CONFIDENT)
    await bot.done()
    calls = await bot.say(GROUP, ALICE, "@revivetestbot", reply_to=bob_message)
    chunks = render.render_answer(await bot.expected_answer(CONFIDENT))
    assert [c.params["text"] for c in calls] == chunks
    assert calls[0].params["reply_parameters"]["message_id"] == bob_message["message_id"]


async def test_mentions_of_other_users_are_ignored(bot: Bot) -> None:
    calls = await bot.say(GROUP, ALICE, f"@SomeoneElse {CONFIDENT}")
    assert calls == []


async def test_replies_to_the_bot_are_answered(bot: Bot) -> None:
    await bot.say(GROUP, ALICE, "/help")
    help_message = bot.last_message(G)
    text = "my iphone 14 keeps restarting"
    calls = await bot.say(GROUP, ALICE, text, reply_to=help_message)
    assert [c.params["text"] for c in calls] == render.render_answer(await bot.expected_answer(text))


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
    """Auto mode: only confident answers, with the footer and "Not my issue"; once per user per cooldown."""
    await bot.store.save_chat_settings("telegram", str(G), ChatSettings(auto_mode=True, cooldown_seconds=300))

    calls = await bot.say(GROUP, ALICE, CONFIDENT)
    asked = bot.last_user_message(G)["message_id"]
    chunks = render.render_answer(await bot.expected_answer(CONFIDENT), footer=[AUTO_FOOTER[3:-4]])
    answer_id = state_of(calls[-1], "✅ It worked").answer_id
    markup = ladder_markup(answer_id, "boot_loop", "iphone-7-plus", 0, dismiss=True)
    assert [c.params for c in calls] == answer_params(G, chunks, markup=markup, reply_to=asked, reply_every=True)
    assert calls[-1].params["text"].endswith("\n\n" + AUTO_FOOTER)

    # The same user again within the cooldown: nothing. Another user: answered.
    bot.clock.advance(299)
    assert await bot.say(GROUP, ALICE, "my iphone 14 keeps restarting") == []
    calls = await bot.say(GROUP, BOB, "my iphone 14 keeps restarting")
    assert calls[-1].params["text"].endswith(AUTO_FOOTER)

    # After the cooldown, Alice is answered again.
    bot.clock.advance(2)
    calls = await bot.say(GROUP, ALICE, "my iphone 14 keeps restarting")
    assert calls[-1].params["text"].endswith(AUTO_FOOTER)


async def test_auto_mode_ignores_unconfident_and_off_topic_messages(bot: Bot) -> None:
    await bot.store.save_chat_settings("telegram", str(G), ChatSettings(auto_mode=True, cooldown_seconds=300))
    unsure = "iphone 12 frozen"
    answer = await bot.expected_answer(unsure)
    assert answer.status == "answered"
    assert answer.confidence < bot.settings.auto_min_confidence
    needs_model = await bot.expected_answer("my phone is stuck on the apple logo")
    assert needs_model.status == "needs_model"

    assert await bot.say(GROUP, ALICE, unsure) == []
    assert await bot.say(GROUP, ALICE, "anyone coming to the meetup on friday?") == []
    assert await bot.say(GROUP, ALICE, "my phone is stuck on the apple logo") == []
    # None of those started the cooldown.
    calls = await bot.say(GROUP, ALICE, CONFIDENT)
    assert calls[-1].params["text"].endswith(AUTO_FOOTER)


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
    dismiss = state_of(calls[-1], "Not my issue")

    # Bob neither asked nor is an admin.
    calls = await bot.press(answer, encode(dismiss), BOB)
    assert [(c.method, c.params.get("text")) for c in calls] == [
        ("answerCallbackQuery", "Only the person who asked or an admin can remove this.")
    ]

    parts = [m["message_id"] for m in bot.fake.bot_messages(G)]
    assert len(parts) > 1
    calls = await bot.press(answer, encode(dismiss), ALICE)
    assert [c.method for c in calls] == ["answerCallbackQuery", "deleteMessages"]
    assert calls[0].params["text"] == "Thanks, I removed my answer."
    assert calls[1].params == {"chat_id": G, "message_ids": parts}
    assert bot.fake.bot_messages(G) == []
    records = await bot.store.outcome_records()  # type: ignore[attr-defined]
    assert [(r.kind, r.symptom_id, r.family, r.step, r.action) for r in records] == [
        ("not_helpful", "boot_loop", "volume-down", 0, "force_restart")
    ]


async def test_forum_topics_are_answered_in_their_topic(bot: Bot) -> None:
    calls = await bot.say(GROUP, ALICE, "/help", thread_id=77)
    assert calls[0].params["message_thread_id"] == 77
    calls = await bot.say(GROUP, ALICE, f"/fix {CONFIDENT}", thread_id=77)
    assert {c.params["message_thread_id"] for c in calls} == {77}

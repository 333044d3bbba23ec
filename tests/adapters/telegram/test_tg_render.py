"""HTML rendering and splitting, and the fake's Telegram-like strictness (checked through real PTB)."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from telegram import Bot as PTBBot
from telegram import InlineKeyboardButton, InlineKeyboardMarkup
from telegram.error import BadRequest

from bot.adapters.telegram import render
from bot.adapters.telegram.render import MAX_MESSAGE, Line, block, pack, utf16_len
from tests.fakes.fake_telegram import TOKEN, ApiError, FakeTelegram, detect_entities, parse_html, private_chat

texts = st.text(
    alphabet=st.characters(blacklist_categories=("Cs",), blacklist_characters="\x00"), min_size=0, max_size=600
)


def plain(messages: list[str]) -> str:
    return "\n".join(parse_html(m) for m in messages)


def test_escape_covers_html_specials() -> None:
    assert render.escape('<script>alert("x")</script> & @everyone') == (
        '&lt;script&gt;alert("x")&lt;/script&gt; &amp; @everyone'
    )
    assert Line("<b>", bold=True).html() == "<b>&lt;b&gt;</b>"
    assert block("T & C", ["- a < b", "plain"]) == (Line("T & C", bold=True), Line("• a < b"), Line("plain"))


def test_blocks_are_packed_and_split_only_between_blocks() -> None:
    blocks = [block(f"Section {i}", ["x" * 1500]) for i in range(5)]
    messages = pack(blocks)
    assert len(messages) == 3
    assert [m.count("<b>Section") for m in messages] == [2, 2, 1]
    assert all(m.startswith("<b>Section") for m in messages)
    assert all(utf16_len(m) <= MAX_MESSAGE for m in messages)


def test_a_huge_line_is_cut_without_splitting_entities() -> None:
    line = "&<>" * 3000  # escapes to 12 characters per 3: 36,000 characters of HTML
    messages = pack([block("Title", [line])])
    assert all(utf16_len(m) <= MAX_MESSAGE for m in messages)
    assert plain(messages).replace("\n", "") == "Title" + line


def test_emoji_count_double_toward_the_limit() -> None:
    messages = pack([block(None, ["🙂" * 3000])])
    assert len(messages) == 2
    assert all(utf16_len(m) <= MAX_MESSAGE for m in messages)


@settings(max_examples=150, deadline=None)
@given(st.lists(st.tuples(st.one_of(st.none(), texts), st.lists(texts, max_size=12)), max_size=12))
def test_any_text_renders_to_messages_telegram_accepts(sections: list[tuple[str | None, list[str]]]) -> None:
    blocks = [block(title, lines) for title, lines in sections]
    messages = pack(blocks)
    for message in messages:
        assert utf16_len(message) <= MAX_MESSAGE
        parse_html(message)  # raises like Telegram on broken HTML
    expected = "".join(line.text for b in blocks for line in b)
    assert plain(messages).replace("\n", "") == expected.replace("\n", "")


def test_fake_parse_html_rules() -> None:
    assert parse_html("<b>bold</b> &lt;tag&gt; &amp; &quot;q&quot; &#128512; a & b") == 'bold <tag> & "q" 😀 a & b'
    assert parse_html('<a href="https://x.example">x</a><span class="tg-spoiler">s</span>') == "xs"
    for bad, reason in [
        ("<p>x</p>", 'Unsupported start tag "p"'),
        ("<b>x", "Can't find end tag"),
        ("<b><i>x</b></i>", "Can't find end tag"),
        ("x</b>", "Can't find end tag"),
        ("<script>alert(1)</script>", 'Unsupported start tag "script"'),
        ("a < b", "Unexpected character"),
        ('<span class="x">s</span>', "tg-spoiler"),
        ('<b onclick="x">s</b>', "Unsupported attribute"),
    ]:
        with pytest.raises(ApiError, match=reason):
            parse_html(bad)


def test_fake_detects_commands_and_mentions_in_utf16() -> None:
    assert detect_entities("🙂 /fix@ReviveTestBot hi @someone_else") == [
        {"type": "bot_command", "offset": 3, "length": 18},
        {"type": "mention", "offset": 25, "length": 13},
    ]


async def test_fake_rejects_what_telegram_rejects_through_real_ptb(fake: FakeTelegram) -> None:
    fake.register_chat(private_chat(555))
    async with PTBBot(TOKEN, base_url=fake.base_url) as bot:
        sent = await bot.send_message(555, "<b>ok</b>", parse_mode="HTML")
        assert sent.text == "ok"
        with pytest.raises(BadRequest, match=r"(?i)message is too long"):
            await bot.send_message(555, "x" * 4097)
        assert (await bot.send_message(555, "<b>" + "x" * 4096 + "</b>", parse_mode="HTML")).text == "x" * 4096
        with pytest.raises(BadRequest, match=r"(?i)unsupported start tag"):
            await bot.send_message(555, "<p>x</p>", parse_mode="HTML")
        with pytest.raises(BadRequest, match=r"(?i)can't find end tag"):
            await bot.send_message(555, "<b>x", parse_mode="HTML")
        keyboard = InlineKeyboardMarkup([[InlineKeyboardButton("x", callback_data="x" * 65)]])
        with pytest.raises(BadRequest, match=r"(?i)button_data_invalid"):
            await bot.send_message(555, "x", reply_markup=keyboard)
        with pytest.raises(BadRequest, match=r"(?i)message text is empty"):
            await bot.send_message(555, "<b> </b>", parse_mode="HTML")
        with pytest.raises(BadRequest, match=r"(?i)chat not found"):
            await bot.send_message(999, "x")
        with pytest.raises(BadRequest, match=r"(?i)message is not modified"):
            await bot.edit_message_text("ok", chat_id=555, message_id=sent.message_id)
    assert [e[0] for e in fake.errors] == ["sendMessage"] * 6 + ["editMessageText"]

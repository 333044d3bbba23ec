"""Inline mode: '@bot iphone 7 dfu' in any chat shares a complete short answer (the step, the risk, the backup line)."""

from __future__ import annotations

from typing import Any

import pytest

from bot.adapters.telegram import render
from bot.adapters.telegram.handlers import inline_result_id
from bot.core.views import View
from tests.adapters.telegram._tg_support import ALICE, Bot
from tests.fakes.fake_telegram import Call, parse_html

CONTENT = {"parse_mode": "HTML", "link_preview_options": {"is_disabled": True}}


async def ask_inline(bot: Bot, query: str) -> Call:
    bot.mark = len(bot.fake.calls)
    query_id = bot.fake.inline_query(ALICE, query)
    await bot.done()
    calls = [c for c in bot.fake.requests("answerInlineQuery") if c.params["inline_query_id"] == query_id]
    assert len(calls) == 1
    return calls[0]


def article(view: View) -> dict[str, Any]:
    result: dict[str, Any] = {
        "type": "article",
        "id": inline_result_id(view),
        "title": view.headline,
        "input_message_content": {"message_text": render.render_view(view)[0], **CONTENT},
    }
    description = view.step.title if view.step is not None else view.notice
    if description:
        result["description"] = description
    return result


async def test_a_problem_is_shared_as_a_complete_short_answer(bot: Bot) -> None:
    query = "my iphone 12 is stuck on the apple logo after an update"
    call = await ask_inline(bot, query)
    view = await bot.expected_first_view(query, "")
    assert call.params == {
        "inline_query_id": call.params["inline_query_id"],
        "results": [article(view)],
        "cache_time": 60,
        "is_personal": True,
    }
    shared = parse_html(call.params["results"][0]["input_message_content"]["message_text"])
    assert view.step is not None
    for part in (view.headline, view.step.title, *view.step.lines, view.risk, view.backup):
        assert part in shared  # the step, the risk and the backup line, not just the first part
    assert "reply_markup" not in call.params["results"][0]
    assert bot.fake.errors == []


async def test_a_dfu_question_shares_the_erase_gate_first(bot: Bot) -> None:
    call = await ask_inline(bot, "how do i put my iphone 7 in dfu mode")
    texts = [parse_html(r["input_message_content"]["message_text"]) for r in call.params["results"]]
    assert texts
    assert all("erases everything" in text for text in texts if "DFU" in text)
    assert bot.fake.errors == []


async def test_ambiguous_model_offers_each_candidate(bot: Bot) -> None:
    query = "my iphone se keeps restarting"
    call = await ask_inline(bot, query)
    expected = [
        article(await bot.expected_first_view(query, "", model_id=model_id, symptom_id="boot_loop"))
        for model_id in ("iphone-se-1", "iphone-se-2", "iphone-se-3")
    ]
    assert call.params["results"] == expected
    assert bot.fake.errors == []


@pytest.mark.parametrize("query", ["", "   ", "what's the weather like"])
async def test_empty_and_off_topic_queries_get_no_results(bot: Bot, query: str) -> None:
    call = await ask_inline(bot, query)
    assert call.params["results"] == []
    assert call.params["cache_time"] == 60

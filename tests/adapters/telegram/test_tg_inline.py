"""Inline mode: '@bot iphone 7 dfu' in any chat offers the matching steps as results."""

from __future__ import annotations

from typing import Any

import pytest

from bot.adapters.telegram import render
from bot.core import TriageAnswer
from tests.adapters.telegram._tg_support import ALICE, Bot
from tests.fakes.fake_telegram import Call

CONTENT = {"parse_mode": "HTML", "link_preview_options": {"is_disabled": True}}


async def ask_inline(bot: Bot, query: str) -> Call:
    bot.mark = len(bot.fake.calls)
    query_id = bot.fake.inline_query(ALICE, query)
    await bot.done()
    calls = [c for c in bot.fake.requests("answerInlineQuery") if c.params["inline_query_id"] == query_id]
    assert len(calls) == 1
    return calls[0]


def answer_article(answer: TriageAnswer) -> dict[str, Any]:
    assert answer.model is not None
    return {
        "type": "article",
        "id": f"a-{answer.top_symptom}-{answer.model.id}",
        "title": answer.headline,
        "description": answer.ladder[0].title,
        "input_message_content": {"message_text": render.render_answer(answer)[0], **CONTENT},
    }


def procedure_article(bot: Bot, model_id: str, procedure_id: str) -> dict[str, Any]:
    model = bot.triage.model(model_id)
    procedure = bot.triage.procedure(model_id, procedure_id)  # type: ignore[arg-type]
    assert model is not None
    assert procedure is not None
    return {
        "type": "article",
        "id": f"p-{procedure_id}-{model_id}",
        "title": f"{procedure.title}: {model.name}",
        "description": procedure.steps[0],
        "input_message_content": {"message_text": render.render_procedures(model, [procedure])[0], **CONTENT},
    }


async def test_howto_query_offers_the_dfu_steps(bot: Bot) -> None:
    query = "how do i put my iphone 7 in dfu mode"
    call = await ask_inline(bot, query)
    answer = await bot.expected_answer(query)
    assert [p.id for p in answer.procedures] == ["dfu_mode"]
    assert call.params == {
        "inline_query_id": call.params["inline_query_id"],
        "results": [answer_article(answer), procedure_article(bot, "iphone-7", "dfu_mode")],
        "cache_time": 60,
        "is_personal": True,
    }
    assert bot.fake.errors == []


async def test_terse_query_offers_the_dfu_steps(bot: Bot) -> None:
    call = await ask_inline(bot, "iphone 7 dfu")
    assert procedure_article(bot, "iphone-7", "dfu_mode") in call.params["results"]


async def test_ambiguous_model_offers_each_candidate(bot: Bot) -> None:
    query = "my iphone se keeps restarting"
    call = await ask_inline(bot, query)
    expected = [
        answer_article(await bot.expected_answer(query, model_id=model_id, symptom_id="boot_loop"))
        for model_id in ("iphone-se-1", "iphone-se-2", "iphone-se-3")
    ]
    assert call.params["results"] == expected
    assert bot.fake.errors == []


@pytest.mark.parametrize("query", ["", "   ", "what's the weather like"])
async def test_empty_and_off_topic_queries_get_no_results(bot: Bot, query: str) -> None:
    call = await ask_inline(bot, query)
    assert call.params["results"] == []
    assert call.params["cache_time"] == 60

"""Embeds always fit Discord's limits; the fake rejects what Discord rejects."""

from __future__ import annotations

import dataclasses

import aiohttp
import pytest

from bot.adapters.discord import render
from bot.core.answer import LadderStep, TriageAnswer, TriageRequest
from bot.core.render import answer_sections, step_heading, step_lines
from bot.core.triage import Triage
from bot.store import SQLiteStore
from tests.adapters.discord._discord_support import (
    WrappedTriage,
    answer_for,
    body,
    make_settings,
    serving,
    to_json,
)
from tests.fakes.fake_discord import FakeDiscord, InvalidFormBody, validate_message


async def _monster(triage: Triage) -> TriageAnswer:
    """A real answer blown up far past every Discord limit."""
    base = await answer_for(triage, "my iphone 8 won't turn on after update")
    step = base.ladder[0]
    long_step = dataclasses.replace(
        step, title="T" * 400, instructions=tuple(f"*{i}* " + "press_the_button " * 40 for i in range(12))
    )
    return dataclasses.replace(
        base,
        headline="@everyone " + "H" * 600,
        diagnosis="d" * 5000,
        risks=tuple("r" * 1500 for _ in range(8)),
        notes=tuple(f"note {i} " + "n" * 900 for i in range(30)),
        ladder=(long_step,) * 9,
    )


def _check_wire(embeds_per_message: list[list[dict[str, object]]]) -> None:
    for embeds in embeds_per_message:
        validate_message({"embeds": embeds})


async def test_a_huge_answer_is_split_within_every_limit(triage: Triage) -> None:
    answer = await _monster(triage)
    embeds = render.answer_embeds(answer, problem="p" * 5000)
    messages = render.split_messages(embeds)
    _check_wire([to_json(m) for m in messages])  # raises InvalidFormBody otherwise
    assert len(messages) > 3
    assert len(embeds[0].title or "") == render.TITLE_LIMIT
    assert (embeds[0].title or "").startswith("@\u200beveryone")
    assert len(embeds[0].description or "") <= render.PROBLEM_QUOTE_LIMIT + 2
    for embed in embeds:
        assert len(embed.fields) <= render.FIELDS_PER_EMBED
        assert all(len(f.value or "") <= render.FIELD_VALUE_LIMIT for f in embed.fields)
        assert all(len(f.name or "") <= render.FIELD_NAME_LIMIT for f in embed.fields)
    # nothing is lost: every note line made it into some field
    shown = "\n".join(f.value or "" for e in embeds for f in e.fields)
    assert all(f"note {i} " in shown for i in range(30))
    assert "\\*0\\* press\\_the\\_button" in shown  # markdown in knowledge text is shown literally


def test_truncate_never_leaves_a_dangling_escape() -> None:
    cut = render.truncate(render.clean("a" * 9 + "*bc"), 11)
    assert cut == "a" * 9 + "…"
    assert render.truncate("short", 10) == "short"


def test_step_and_notice_stay_within_limits() -> None:
    step = LadderStep("force_restart", "x" * 300, "erases", "w" * 5000, ("i" * 10,), "e", "f")
    (embed,) = render.step_embeds(step, 1, None)
    validate_message({"embeds": to_json([embed]), "content": render.notice("n" * 3000)})
    assert embed.colour is not None
    assert embed.colour.value == render.COLOURS["danger"]


@pytest.mark.parametrize(
    ("payload", "where"),
    [
        ({"embeds": [{"title": "t" * 257}]}, "embeds.0.title"),
        ({"embeds": [{"description": "d" * 4097}]}, "embeds.0.description"),
        ({"embeds": [{"fields": [{"name": "n", "value": "v" * 1025}]}]}, "embeds.0.fields.0.value"),
        ({"embeds": [{"fields": [{"name": "n", "value": "v"}] * 26}]}, "embeds.0.fields"),
        ({"embeds": [{"description": "d" * 4000}, {"description": "d" * 2001}]}, "embeds"),
        ({"components": [{"type": 1, "components": [{"type": 2, "style": 1, "label": "x", "custom_id": "c" * 101}]}]},
         "components.0.components.0.custom_id"),
        ({"components": [{"type": 1, "components": [{"type": 2, "style": 1, "label": "l" * 81, "custom_id": "c"}]}]},
         "components.0.components.0.label"),
        ({"components": [{"type": 1, "components": [{"type": 2, "style": 1, "custom_id": f"c{i}"} for i in range(6)]}]},
         "components.0.components"),
    ],
)  # fmt: skip
def test_the_fake_rejects_what_discord_rejects(payload: dict[str, object], where: str) -> None:
    with pytest.raises(InvalidFormBody) as info:
        validate_message(payload)
    assert info.value.where == where


async def test_the_fake_answers_50035_over_http(fake: FakeDiscord) -> None:
    async with aiohttp.ClientSession() as session:
        url = f"{fake.base_url}/channels/{fake.help_channel_id}/messages"
        headers = {"Authorization": f"Bot {fake.token}"}
        async with session.post(url, json={"embeds": [{"title": "t" * 300}]}, headers=headers) as response:
            assert response.status == 400
            assert response.headers["Content-Type"] == "application/json"
            assert (await response.json())["code"] == 50035


async def test_a_huge_answer_goes_through_discord_py_without_a_400(
    fake: FakeDiscord, triage: Triage, store: SQLiteStore
) -> None:
    monster = await _monster(triage)

    class Monstrous(WrappedTriage):
        async def answer(self, request: TriageRequest) -> TriageAnswer:
            return monster

    async with serving(fake, make_settings(fake), Monstrous(triage), store):
        await fake.wait_request("PUT", "/applications/")
        since = len(fake.requests)
        await fake.slash("fix", {"problem": "x" * 900})
        parts = len(render.split_messages(render.answer_embeds(monster, problem="x" * 900)))
        sent = await fake.wait_request("POST", "/", since=since, count=parts)
    assert [r.status for r in sent] == [200] * parts
    assert "components" in body(sent[-1])  # buttons under the last part


async def test_the_ladder_is_compact_and_safety_comes_first(triage: Triage) -> None:
    """Only the first two rungs in full; later ones say what they do. Risks and backup precede every step."""
    answer = await answer_for(triage, "my iphone 8 won't turn on after update")
    assert len(answer.ladder) > render.DETAILED_STEPS
    embeds = render.answer_embeds(answer)
    fields = [(f.name or "", f.value or "") for e in embeds for f in e.fields]
    names = [name for name, _ in fields]
    first_step = next(i for i, name in enumerate(names) if name[0].isdigit())
    assert names.index("Risks") < first_step
    assert names.index("Back up first") < first_step

    def shown(number: int) -> str:
        heading = render.clean(step_heading(answer.ladder[number - 1], number))
        return "\n".join(value for name, value in fields if name.startswith(heading))

    for number, step in enumerate(answer.ladder, start=1):
        body_lines = [render.clean(line) for line in step_lines(step)]
        if number <= render.DETAILED_STEPS:
            assert shown(number) == "\n".join(body_lines)
        else:
            expected = [render.clean(step.what_it_does)]
            if number == render.DETAILED_STEPS + 1:
                expected.append(render.clean(render.MORE_STEPS_HINT))
            assert shown(number) == "\n".join(expected)
    full = sum(len(s.title) + sum(map(len, s.lines)) for s in answer_sections(answer))
    assert sum(len(e) for e in embeds) < 0.7 * full
    assert len(render.split_messages(embeds)) <= 2

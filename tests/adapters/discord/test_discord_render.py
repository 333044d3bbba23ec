"""Views become one short message within Discord's limits; details split safely; the fake rejects what Discord does."""

from __future__ import annotations

import dataclasses
from typing import Any

import aiohttp
import pytest

from bot.adapters.discord import render
from bot.adapters.discord.buttons import MORE_LABEL, components
from bot.adapters.discord.send import message_parts
from bot.core.answer import TriageRequest
from bot.core.callbacks import ButtonState, pack, unpack
from bot.core.conversation import Actor, Conversation
from bot.core.render import Section
from bot.core.triage import Triage
from bot.core.views import Offer, StepCard, View
from tests.adapters.discord._discord_support import to_json
from tests.fakes.fake_discord import FakeDiscord, InvalidFormBody, validate_message

ASKER = Actor("5001", "discord")
# Besides each symptom's own name: a wet phone, a swollen battery, a restore error, and no iPhone problem at all.
EXTRA_TEXTS = ("it fell in the pool", "the battery is swollen and the screen lifts", "restore error 4013", "")
OTHER_TEXTS = ("what's the weather like", "thanks, it works now", "my ipad won't charge", "my iphone se is frozen")


def _wire(view: View) -> list[dict[str, Any]]:
    """Each message a view is sent as, as the JSON Discord receives (checked by the fake's validator)."""
    out = []
    for part in message_parts(view, components(view)):
        ui = part.get("view")
        payload: dict[str, Any] = {
            "content": part.get("content"),
            "embeds": to_json(part.get("embeds", [])),
            "components": ui.to_components() if ui is not None else [],
        }
        validate_message(payload)  # raises InvalidFormBody for anything Discord refuses
        out.append(payload)
    return out


def _embed_text(payload: dict[str, Any]) -> int:
    total = 0
    for embed in payload["embeds"]:
        total += len(embed.get("title") or "") + len(embed.get("description") or "")
        total += len((embed.get("footer") or {}).get("text") or "")
        total += sum(len(f["name"]) + len(f["value"]) for f in embed.get("fields", []))
    return total


async def _first_views(triage: Triage) -> list[tuple[str, View]]:
    """The first reply for every symptom x model (or none) x extra text, plus texts that are no iPhone problem."""
    conversation = Conversation(triage)
    models: list[str | None] = [None, *(m.id for m in triage.models())]
    cases: list[tuple[str, View]] = []
    for symptom in triage.knowledge.symptoms.symptoms:
        for extra in EXTRA_TEXTS:
            text = f"{symptom.name}. {extra}".strip()
            for model_id in models:
                answer = await triage.answer(TriageRequest(text, model_id=model_id, symptom_id=symptom.id))
                cases.append((f"{symptom.id}/{model_id}/{extra!r}/{answer.status}", conversation.first_view(answer)))
    for text in (*OTHER_TEXTS, *EXTRA_TEXTS[:3]):
        answer = await triage.answer(TriageRequest(text))
        cases.append((f"{text!r}/{answer.status}", conversation.first_view(answer, auto=True)))
    return cases


async def test_every_first_reply_is_one_message_within_1200_characters(triage: Triage) -> None:
    """Every symptom x family x status: one message, <= 1,200 characters of embed text, nothing cut, buttons valid."""
    cases = await _first_views(triage)
    statuses = {name.rsplit("/", 1)[1] for name, _ in cases}  # the answer's status, whatever view it became
    assert {"answered", "needs_model", "off_topic"} <= statuses
    kinds = {view.kind for _, view in cases}
    assert {"answer", "ask_family", "ask_model", "info"} <= kinds
    families = {m.family for m in triage.models()}
    assert families >= {"home", "volume-down", "modern"}
    longest = 0
    for name, view in cases:
        (payload,) = _wire(view)  # one message
        size = _embed_text(payload)
        longest = max(longest, size)
        assert size <= render.REPLY_LIMIT, name
        if payload["embeds"]:
            (embed,) = payload["embeds"]
            assert embed.get("description", "") == "\n".join(render.body_lines(view)), f"{name}: cut to fit"
        buttons = [c for row in payload["components"] for c in row["components"]]
        assert [b["custom_id"] for b in buttons if b["label"] != MORE_LABEL] == [o.token for o in view.offers], name
        assert all(len(b["custom_id"]) <= 100 for b in buttons), name
    assert len(cases) > 1000
    assert longest > 400  # the check measured real replies


async def test_every_view_one_press_away_fits_discord(triage: Triage) -> None:
    """Next step, erase gate, all steps, details, handoff, solved...: every reply is valid, nothing cut."""
    conversation = Conversation(triage)
    seen: set[str] = set()
    for symptom in triage.knowledge.symptoms.symptoms:
        for model_id in (None, "iphone-6s", "iphone-7", "iphone-12"):
            answer = await triage.answer(TriageRequest(symptom.name, model_id=model_id, symptom_id=symptom.id))
            first = conversation.first_view(answer)
            for offer in first.offers:
                view = await conversation.press(offer.token, ASKER)
                seen.add(view.kind)
                parts = _wire(view)
                if len(parts) == 1 and parts[0]["embeds"] and not view.details:
                    assert parts[0]["embeds"][0].get("description", "") == "\n".join(render.body_lines(view))
    assert {"step", "all_steps", "handoff", "solved"} <= seen


async def test_more_shows_the_details_of_the_same_step(triage: Triage) -> None:
    conversation = Conversation(triage)
    answer = await triage.answer(TriageRequest("my iphone 12 is stuck on the apple logo after an update"))
    first = conversation.first_view(answer)
    (payload,) = _wire(first)
    more = next(c for row in payload["components"] for c in row["components"] if c["label"] == MORE_LABEL)
    assert more["custom_id"] == first.details_token
    state, worked = unpack(more["custom_id"]), unpack(first.offers[0].token)
    assert state is not None
    assert worked is not None
    assert (state.answer_id, state.step, state.verb) == (worked.answer_id, worked.step, "more")
    details = await conversation.press(more["custom_id"], ASKER)
    assert details.kind == "details"
    (shown,) = _wire(details)
    names = [f["name"] for e in shown["embeds"] for f in e["fields"] if not f["name"].endswith("(cont.)")]
    assert names == [render.clean(section.title) for section in details.details]


def _view(**fields: Any) -> View:
    return View("answer", **fields)


def test_markup_and_mentions_in_any_text_are_shown_literally() -> None:
    view = _view(
        headline="@everyone **iPhone**",
        diagnosis="<@123456789012345678> and <@&345678901234567890> ||spoiler|| [link](https://evil.example)",
        step=StepCard(
            1, 3, "*Force* restart", "none", ("Press `Volume Up`",), "the _logo_", risk_label="keeps your data"
        ),
        answer_id="abc",
    )
    (payload,) = _wire(view)
    (embed,) = payload["embeds"]
    assert embed["title"] == "@\u200beveryone \\*\\*iPhone\\*\\*"
    assert embed["description"].splitlines() == [
        "<@\u200b123456789012345678> and <@\u200b&345678901234567890> \\|\\|spoiler\\|\\| \\[link](https://evil.example)",
        "**Step 1 of 3: \\*Force\\* restart** (keeps your data)",
        "1. Press \\`Volume Up\\`",
        "You should see: the \\_logo\\_",
    ]
    assert embed["footer"] == {"text": "answer abc"}


def test_an_oversized_view_is_cut_to_discords_limits_rather_than_refused() -> None:
    """The core keeps replies short; if one ever is not, it is cut, never rejected by Discord."""
    view = _view(headline="H" * 600, lines=tuple("x" * 900 for _ in range(10)), answer_id="abc")
    (payload,) = _wire(view)  # valid: the fake raises otherwise
    assert len(payload["embeds"][0]["title"]) == render.TITLE_LIMIT
    assert len(payload["embeds"][0]["description"]) == render.DESCRIPTION_LIMIT
    assert payload["embeds"][0]["description"].endswith("…")


def test_a_huge_details_view_is_split_within_every_limit() -> None:
    sections = tuple(
        Section(f"step{i}", f"{i}. " + "T" * 300, tuple(f"*{j}* " + "press_the_button " * 40 for j in range(12)))
        for i in range(30)
    )
    view = View("all_steps", headline="All steps", details=sections, answer_id="abc")
    parts = _wire(view)
    assert len(parts) > 3
    shown = "\n".join(f["value"] for part in parts for e in part["embeds"] for f in e["fields"])
    assert shown.count("\\*0\\* press\\_the\\_button") == 30  # nothing lost, markup escaped


def test_offers_become_buttons_in_order_five_to_a_row() -> None:
    tokens = [pack(ButtonState("next", answer_id=f"a{i}")) for i in range(7)]
    offers = tuple(Offer(f"Choice {i}", tokens[i], "next", "primary" if i == 0 else "secondary") for i in range(7))
    ui = components(_view(headline="Pick", offers=offers))
    assert ui is not None
    assert ui.to_components() == [
        {"type": 1, "components": [_button(f"Choice {i}", tokens[i], 1 if i == 0 else 2) for i in range(5)]},
        {"type": 1, "components": [_button(f"Choice {i}", tokens[i], 2) for i in range(5, 7)]},
    ]


def _button(label: str, custom_id: str, style: int) -> dict[str, Any]:
    return {"type": 2, "style": style, "disabled": False, "label": label, "custom_id": custom_id}


def test_a_notice_only_view_is_plain_text() -> None:
    view = View("not_allowed", notice="Only the person who asked can use these buttons.", delivery="private")
    assert _wire(view) == [
        {"content": "Only the person who asked can use these buttons.", "embeds": [], "components": []}
    ]


def test_truncate_never_leaves_a_dangling_escape() -> None:
    cut = render.truncate(render.clean("a" * 9 + "*bc"), 11)
    assert cut == "a" * 9 + "…"
    assert render.truncate("short", 10) == "short"


def test_an_erasing_step_is_red_and_solved_is_green() -> None:
    erase = _view(headline="x", step=StepCard(3, 4, "Restore", "erases", ("a",), "b"))
    assert render.view_embed(erase).to_dict()["color"] == render.COLOURS["danger"]
    solved = dataclasses.replace(erase, kind="solved", step=None, notice="Solved")
    assert render.view_embed(solved).to_dict()["color"] == render.COLOURS["solved"]


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

"""Views as Telegram messages: the first reply fits one screen, every view is valid HTML, buttons <= 64 bytes."""

from __future__ import annotations

import itertools
from dataclasses import replace
from typing import get_args

import pytest

from bot.adapters.telegram import keyboards, render
from bot.adapters.telegram.handlers import with_auto_footer
from bot.core import Triage, TriageRequest
from bot.core.answer import FAMILIES, Status
from bot.core.callbacks import ButtonState, pack, unpack
from bot.core.conversation import Actor, Conversation
from bot.core.render import Section
from bot.core.views import Offer, StepCard, View
from tests.fakes.fake_telegram import check_reply_markup, parse_html, utf16_len

SAMPLE = "my iphone 12 is stuck on the apple logo after an update"
# One model per button layout, the ambiguous SE generations, a model whose buttons are unverified, and none.
MODELS = (None, "iphone-6s", "iphone-se-1", "iphone-7", "iphone-se-2", "iphone-12", "iphone-16-pro-max", "iphone-fold")
# Messages written for this test: plain, an ambiguous model, damaged, dangerous, an error number, chatter, small talk.
TEXTS = (
    "my iphone has a problem",
    "my iphone se has a problem",
    "i dropped it in the bath and now it won't work",
    "the phone got really hot and there is smoke coming out",
    "itunes says error 4013 when i restore it",
    "thanks, that fixed it!",
    "my ipad won't charge",
    "what's the weather like tomorrow",
)
ASKER = Actor("555", "telegram")


def text_length(html: str) -> int:
    """What Telegram counts: the text after entity parsing, in UTF-16 code units."""
    return utf16_len(parse_html(html))


def assert_one_screen(view: View) -> str:
    messages = render.render_view(view)
    assert len(messages) == 1, (view.kind, [text_length(m) for m in messages])
    assert text_length(messages[0]) <= render.SHORT_LIMIT, (view.kind, view.headline, text_length(messages[0]))
    keyboard = keyboards.offers_keyboard(view.offers)
    if keyboard is not None:
        check_reply_markup(keyboard.to_dict())  # 1..64 bytes of callback_data, like Telegram
        assert [b.text for row in keyboard.inline_keyboard for b in row] == [o.label for o in view.offers]
    return messages[0]


async def test_the_first_reply_fits_one_screen_for_every_symptom_family_and_status(triage: Triage) -> None:
    """Every symptom x button layout x answer status: one message of at most 900 characters of text."""
    conversation = Conversation(triage)
    symptoms = [s.id for s in triage.knowledge.symptoms.symptoms]
    statuses: set[str] = set()
    families: set[str | None] = set()
    kinds: set[str] = set()
    for symptom, model, text in itertools.product([*symptoms, None], MODELS, TEXTS):
        answer = await triage.answer(TriageRequest(text, model_id=model, symptom_id=symptom))
        statuses.add(answer.status)
        families.add(answer.model.family if answer.model else None)
        # The classifier's other statuses too, whether or not this text leads to them ("answered" and
        # "needs_model" come from the model being known or not, so they are not swapped in).
        for status in {answer.status, *get_args(Status)} - ({"answered", "needs_model"} - {answer.status}):
            view = conversation.first_view(replace(answer, status=status))
            assert_one_screen(view)
            assert_one_screen(with_auto_footer(conversation.first_view(replace(answer, status=status), auto=True)))
            kinds.add(view.kind)
    assert {"answered", "needs_model", "off_topic"} <= statuses
    assert families == {*FAMILIES, None}
    assert {"answer", "ask_family", "ask_model", "erase_gate", "info"} <= kinds


async def test_every_view_a_press_can_reach_is_one_valid_message(triage: Triage) -> None:
    """Walk every offer three presses deep: each view is one message Telegram accepts (manuals may be split)."""
    conversation = Conversation(triage)
    openings = (SAMPLE, "my iphone 7 is disabled, connect to itunes", "my iphone se keeps restarting", "iphone 8 dfu")
    frontier = [await conversation.start(TriageRequest(text), ASKER) for text in openings]
    seen: set[str] = set()
    for _ in range(3):
        following: list[View] = []
        for view in frontier:
            for message in render.render_view(view):
                parse_html(message)
                assert utf16_len(message) <= render.MAX_MESSAGE
            if view.kind not in render.MANUAL_KINDS:
                assert len(render.render_view(view)) == 1, view.kind
            for offer in view.offers:
                if offer.token not in seen:
                    seen.add(offer.token)
                    following.append(await conversation.press(offer.token, ASKER))
        frontier = following
    assert len(seen) > 40


async def test_the_first_reply_layout(triage: Triage) -> None:
    """The sample question: model line, what it probably is, the one step, what to see, the risk, the backup line."""
    view = Conversation(triage).first_view(await triage.answer(TriageRequest(SAMPLE)))
    assert view.step is not None
    step = view.step
    [html] = render.render_view(view)
    expected = "\n".join(
        [
            f"<b>{render.escape(view.headline)}</b>",
            render.escape(view.diagnosis),
            "",
            f"<b>Step 1 of {step.total}: {render.escape(step.title)} ({render.escape(step.risk_label)})</b>",
            *(f"{n}. {render.escape(line)}" for n, line in enumerate(step.lines, start=1)),
            f"<i>You should see: {render.escape(step.expect)}</i>",
            "",
            f"⚠️ {render.escape(view.risk)}",
            f"💾 {render.escape(view.backup)}",
        ]
    )
    assert html.startswith(expected)
    assert html == expected or html[len(expected) :].startswith("\n\n<blockquote expandable>")
    assert view.headline.startswith("iPhone 12: ")
    assert step.title == "Force restart"
    assert step.risk_label == "keeps your data"
    assert "Emergency SOS" in view.risk
    assert "recovery mode" in view.backup
    assert text_length(html) <= render.SHORT_LIMIT


def card(lines: tuple[str, ...] = ("Press it.",), *, expect: str = "It starts.") -> StepCard:
    return StepCard(1, 3, "Force restart", "none", lines, expect)


def test_details_go_in_an_expandable_quote_within_the_budget() -> None:
    details = (
        Section("warnings", "Watch out", ("A" * 100, "B" * 100)),
        Section("cues", "If something else happens", ("C" * 300,)),
    )
    view = View("answer", headline="iPhone 12: Frozen", step=card(), details=details)
    [html] = render.render_view(view)
    assert html.endswith(
        "\n\n<blockquote expandable><b>Watch out</b>\n"
        + "A" * 100
        + "\n"
        + "B" * 100
        + "\n\n<b>If something else happens</b>\n"
        + "C" * 300
        + "</blockquote>"
    )
    [tight] = render.render_view(view, limit=text_length(html) - 1)  # the last line no longer fits: whole lines only
    assert tight.endswith("\n" + "B" * 100 + "</blockquote>")
    [none] = render.render_view(view, limit=100)  # nothing but a title would fit: no quote at all
    assert "blockquote" not in none


def test_an_overlong_view_drops_the_diagnosis_then_what_to_see_never_the_safety_lines() -> None:
    view = View(
        "answer",
        headline="iPhone 12: Smoke",
        safety=("Unplug it now.",),
        diagnosis="D" * 200,
        step=card(("Take it to a repair shop.",), expect="E" * 200),
        risk="Don't restore a damaged phone.",
        backup="Back it up if it still works.",
    )
    full = text_length(render.render_view(view)[0])
    without_diagnosis = text_length(render.render_view(view, limit=full - 1)[0])
    assert without_diagnosis == full - 201
    [shortest] = render.render_view(view, limit=without_diagnosis - 1)
    for kept in ("Unplug it now.", "Take it to a repair shop.", "Don't restore a damaged phone.", "Back it up"):
        assert kept in shortest
    assert "D" * 200 not in shortest
    assert "E" * 200 not in shortest


def test_manuals_are_sent_in_full_split_between_sections() -> None:
    sections = tuple(Section(f"step{i}", f"{i}. Step", ("x" * 1500,)) for i in range(1, 5))
    messages = render.render_view(View("all_steps", headline="iPhone 12: All steps", details=sections))
    assert len(messages) == 2
    assert "".join(parse_html(m) for m in messages).count("x" * 1500) == 4
    assert "blockquote" not in "".join(messages)


def test_user_text_in_a_view_is_escaped() -> None:
    view = View("info", headline="<b>iPhone</b> & co", lines=("- a < b",))
    [html] = render.render_view(view)
    assert html == "<b>&lt;b&gt;iPhone&lt;/b&gt; &amp; co</b>\n\n• a &lt; b"
    assert parse_html(html) == "<b>iPhone</b> & co\n\n• a < b"


def test_offers_become_buttons_in_order_two_short_ones_per_row() -> None:
    state = ButtonState("step", answer_id="abc", symptom_id="boot_loop", model_id="iphone-12")
    offers = tuple(
        Offer(label, pack(state.but(verb)), verb)  # type: ignore[arg-type]
        for label, verb in (
            ("It worked", "worked"),
            ("Didn't work → next step", "next"),
            ("All steps", "all"),
            ("I can't back up: what are my options?", "no_backup"),
            ("Ask a helper", "helper"),
        )
    )
    keyboard = keyboards.offers_keyboard(offers)
    assert keyboard is not None
    assert [[(b.text, b.callback_data) for b in row] for row in keyboard.inline_keyboard] == [
        [("It worked", offers[0].token), ("Didn't work → next step", offers[1].token)],
        [("All steps", offers[2].token)],
        [("I can't back up: what are my options?", offers[3].token)],
        [("Ask a helper", offers[4].token)],
    ]
    assert keyboards.offers_keyboard(()) is None


def test_the_remember_picker_carries_remember_tokens(triage: Triage) -> None:
    keyboard = keyboards.offers_keyboard(Conversation(triage).remember_picker().offers)
    assert keyboard is not None
    states = [unpack(b.callback_data) for row in keyboard.inline_keyboard for b in row]
    assert [s.model_id for s in states if s is not None] == [m.id for m in triage.picker_models()]
    assert {s.verb for s in states if s is not None} == {"remember"}
    check_reply_markup(keyboard.to_dict())


@pytest.mark.parametrize(
    ("view", "alert"),
    [
        (View("not_allowed", notice="Only the asker."), "Only the asker."),
        (View("info", lines=("x" * 300,)), "x" * 199 + "…"),
    ],
)
def test_alert_text(view: View, alert: str) -> None:
    assert render.plain_text(view) == alert
    assert len(render.plain_text(view)) <= render.ALERT_LIMIT


def test_more_is_offered_only_when_the_details_did_not_fit() -> None:
    more = pack(ButtonState("more", answer_id="abc", symptom_id="boot_loop"))
    worked = Offer("It worked", pack(ButtonState("worked", answer_id="abc", symptom_id="boot_loop")), "worked")
    short = View(
        "answer",
        headline="iPhone 12",
        step=card(),
        offers=(worked,),
        details_token=more,
        details=(Section("cues", "If something else happens", ("C" * 50,)),),
    )
    long = replace(short, details=(Section("cues", "If something else happens", ("C" * 900,)),))
    assert not render.details_left(short)
    assert render.details_left(long)
    keyboard = keyboards.view_keyboard(long, details_left=True)
    assert keyboard is not None
    assert [(b.text, b.callback_data) for row in keyboard.inline_keyboard for b in row] == [
        ("It worked", worked.token),
        ("More", more),
    ]
    assert keyboards.view_keyboard(replace(long, details_token=""), details_left=True) is not None
    plain = keyboards.view_keyboard(short, details_left=False)
    assert plain is not None
    assert [b.text for row in plain.inline_keyboard for b in row] == ["It worked"]

"""The parity script (tests/parity_script.py) through the fake Telegram server: the same offers and transitions.

answer -> didn't work -> next step -> erase gate -> "I have a backup" -> worked, pressed in a group by the
asker. Each step's message must show the view the script expects (kind, step title, offer labels, in order),
and the SQLite file must hold the script's outcomes.
"""

from __future__ import annotations

from typing import Any

from bot.adapters.telegram.keyboards import MORE_LABEL
from bot.core.callbacks import unpack
from tests.adapters.telegram._tg_support import ALICE, GROUP, Bot, buttons
from tests.fakes.fake_telegram import Call, parse_html
from tests.parity_script import EXPECTED_OUTCOMES, OPENING, SCRIPT

G = GROUP["id"]


def shown(call: Call) -> tuple[str, list[str]]:
    """The plain text and the offers' labels (in order) of a sendMessage or editMessageText.

    Telegram adds "More" last when a view's details did not fit in the message: that is the details on
    demand, not an offer of the conversation, so it is checked to be the view's details token and left out.
    """
    markup = call.params.get("reply_markup") or {}
    pressable = [(b["text"], b["callback_data"]) for row in markup.get("inline_keyboard", []) for b in row]
    if pressable and pressable[-1][0] == MORE_LABEL:
        state = unpack(pressable.pop()[1])
        assert state is not None
        assert state.verb == "more"
    return parse_html(call.params["text"]), [label for label, _ in pressable]


async def test_the_parity_script_through_telegram(bot: Bot) -> None:
    opening, *presses = SCRIPT
    assert opening.press is None
    calls = await bot.say(GROUP, ALICE, f"/fix {OPENING}")
    question = bot.last_user_message(G)["message_id"]
    [sent] = calls
    text, labels = shown(sent)
    assert labels == list(opening.offers)
    assert opening.step_title is not None
    assert opening.step_title in text
    assert text.startswith("iPhone 12: ")

    message: dict[str, Any] = bot.last_message(G)
    for step in presses:
        assert step.press is not None
        calls = await bot.press(message, buttons(sent)[step.press], ALICE)
        shows = [c for c in calls if c.method in ("sendMessage", "editMessageText")]
        assert len(shows) == 1, [c.method for c in calls]
        [sent] = shows
        text, labels = shown(sent)
        assert labels == list(step.offers), step
        if step.step_title is not None:
            assert step.step_title in text, step
        if step.kind == "solved":  # "It worked" edits the public message
            assert sent.method == "editMessageText"
            assert sent.params["message_id"] == message["message_id"]
            assert text.startswith("Solved · iPhone 12")
        else:  # every other step is a follow-up replying to the question
            assert sent.method == "sendMessage"
            assert sent.params["reply_parameters"]["message_id"] == question
            message = bot.last_message(G)
        if step.kind == "erase_gate":
            assert "erases everything" in text
    assert [(kind, action) for _, kind, _, _, _, action in await bot.outcomes()] == list(EXPECTED_OUTCOMES)
    assert bot.fake.errors == []

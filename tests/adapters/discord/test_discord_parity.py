"""The parity script (tests/parity_script.py) through the fake Discord server: the same offers and transitions.

answer -> didn't work -> next step -> erase gate -> "I have a backup" -> worked, pressed in a server channel
by the asker. Each step's message must show the view the script expects (step title, offer labels in
order), and the SQLite file must hold the script's outcomes.
"""

from __future__ import annotations

from typing import Any

from bot.adapters.discord.buttons import MORE_LABEL
from bot.core.callbacks import unpack
from bot.core.triage import Triage
from bot.store import SQLiteStore
from tests.adapters.discord._discord_support import body, embed_text, make_settings, serving, wait_messages
from tests.fakes.fake_discord import EPHEMERAL, FakeDiscord, Request
from tests.parity_script import EXPECTED_OUTCOMES, OPENING, SCRIPT


def shown(request: Request) -> tuple[str, list[tuple[str, str]]]:
    """The embed text and the (label, custom_id) of each offer of a message the bot sent or edited.

    Discord adds "More" last when a view has details on demand: not an offer of the conversation, so it is
    checked to be the view's details token and left out.
    """
    data = body(request)
    pressable = [(c["label"], c["custom_id"]) for row in data.get("components", []) for c in row["components"]]
    if pressable and pressable[-1][0] == MORE_LABEL:
        state = unpack(pressable.pop()[1])
        assert state is not None
        assert state.verb == "more"
    return embed_text(data), pressable


async def test_the_parity_script_through_discord(fake: FakeDiscord, triage: Triage, store: SQLiteStore) -> None:
    opening, *presses = SCRIPT
    assert opening.press is None
    async with serving(fake, make_settings(fake), triage, store):
        await fake.wait_request("PUT", "/applications/")
        since = len(fake.requests)
        interaction = await fake.slash("fix", {"problem": OPENING}, channel_id=fake.general_channel_id)
        (sent,) = await wait_messages(fake, since)
        question = fake.response_message(interaction)  # for /fix, the question is the first answer
        text, offers = shown(sent)
        assert [label for label, _ in offers] == list(opening.offers)
        assert opening.step_title is not None
        assert opening.step_title in text
        assert text.startswith("iPhone 12: ")
        assert body(sent).get("flags", 0) & EPHEMERAL == 0  # public, in the channel

        message: dict[str, Any] = question
        for step in presses:
            assert step.press is not None
            custom_id = dict(offers)[step.press]
            since = len(fake.requests)
            await fake.click(message, custom_id)
            (sent,) = await wait_messages(fake, since)
            text, offers = shown(sent)
            assert [label for label, _ in offers] == list(step.offers), step
            if step.step_title is not None:
                assert step.step_title in text, step
            if step.kind == "solved":  # "It worked" edits the public message it was pressed on
                assert sent.path.startswith("/interactions/")
                assert sent.json["type"] == 7
                assert fake.messages[int(message["id"])]["embeds"] == body(sent)["embeds"]
                assert text.startswith("Solved · iPhone 12")
            else:  # every other step is a follow-up replying to the question, in the channel
                assert sent.path == f"/channels/{fake.general_channel_id}/messages"
                assert sent.json["message_reference"]["message_id"] == int(question["id"])
                message = fake.messages[max(int(i) for i, m in fake.messages.items() if m["author"]["bot"])]
            if step.kind == "erase_gate":
                assert "erases everything" in text
        records = await store.outcome_records()
    assert [(r.kind, r.action) for r in records] == list(EXPECTED_OUTCOMES)
    assert all(r.status == 200 for r in fake.requests)

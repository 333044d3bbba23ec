"""Random walks through the conversation by random people: nothing raises, and the rules hold on every step."""

from __future__ import annotations

import asyncio

from hypothesis import given, settings
from hypothesis import strategies as st

from bot.core.answer import TriageRequest
from bot.core.callbacks import MAX_BYTES, unpack
from bot.core.conversation import Conversation
from bot.core.triage import Triage
from tests.core.conversation_helpers import ASKER, BYSTANDER, HELPER, MemoryStore

OPENINGS = (
    "my iphone xr went black and won't wake up",
    "iphone 8 plus restarting every few seconds, apple logo again and again",
    "locked out of my iphone 14, it says security lockout",
    "itunes error 4013 when restoring my iphone 11 pro",
    "my phone got wet at the beach and won't turn on",
    "how do i get my iphone 6s out of recovery mode",
    "the se won't boot after the update",
    "asks for the previous owner's apple id after reset, iphone 12 mini",
    "my iphone is really hot and shuts down",
)
ACTORS = (ASKER, HELPER, BYSTANDER)
_TRIAGE = Triage.from_directory()


@given(
    opening=st.sampled_from(OPENINGS),
    presses=st.lists(st.tuples(st.integers(0, 7), st.integers(0, 2)), max_size=12),
)
@settings(max_examples=120, deadline=None)
def test_random_walks_keep_the_rules(opening: str, presses: list[tuple[int, int]]) -> None:
    asyncio.run(_walk(opening, presses))


async def _walk(opening: str, presses: list[tuple[int, int]]) -> None:
    store = MemoryStore()
    conv = Conversation(_TRIAGE, store)
    view = await conv.start(TriageRequest(opening), ASKER)
    gated = view.kind == "erase_gate"
    for choice, who in presses:
        if not view.offers:
            break
        actor = ACTORS[who]
        offer = view.offers[choice % len(view.offers)]
        recorded = len(store.outcomes)
        after = await conv.press(offer.token, actor)
        assert all(len(o.token.encode()) <= MAX_BYTES for o in after.offers)
        if not actor.may_act:
            assert after.delivery == "private"
            assert len(store.outcomes) == recorded  # a bystander's press records nothing
            continue  # and changes nothing for the asker: keep walking from the public view
        if after.step is not None and after.step.erases:
            pressed = unpack(offer.token)
            assert pressed is not None
            assert pressed.gate_passed  # only a press that came through the erase gate shows an erasing step
            assert gated
        gated = gated or after.kind == "erase_gate"
        view = after

"""What the conversation layer adds per reply: the first view and each press, without the store.

Run: ``.venv/bin/python bench/conversation.py``. It times, after a warm-up, ``Conversation.first_view`` on
ready answers (the part the layer adds to triage) and ``Conversation.press`` along the parity script
(answer -> didn't work -> next step -> erase gate -> "I have a backup" -> worked), once with the first
answer cached (same process) and once from the token alone (a fresh process after a restart). No store
is attached, so only the layer's own work is measured. Prints median and p99 in microseconds.
"""

from __future__ import annotations

import asyncio
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bot.core.answer import TriageRequest
from bot.core.conversation import Actor, Conversation
from bot.core.triage import Triage

MESSAGES = (
    "my iphone 12 is stuck on the apple logo after the update last night",
    "iphone 7 plus black screen won't turn on",
    "forgot the passcode on my iphone 11, it says iphone unavailable",
    "my iphone 13 fell in the pool and the screen stays black",
    "the se keeps restarting",
    "how do i put my iphone 8 in dfu mode",
)
PRESSES = ("Didn't work → next step", "Didn't work → next step", "I have a backup: continue", "It worked")
ROUNDS = 300
ACTOR = Actor("bench", "console")


def _percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(share * len(ordered)))]


async def main() -> None:
    triage = Triage.from_directory()
    answers = [await triage.answer(TriageRequest(text)) for text in MESSAGES]
    conv = Conversation(triage)
    first: list[float] = []
    cached: list[float] = []
    fresh: list[float] = []
    opening = await triage.answer(TriageRequest(MESSAGES[0]))
    for round_number in range(ROUNDS + 20):
        for answer in answers:
            start = time.perf_counter_ns()
            conv.first_view(answer)
            if round_number >= 20:
                first.append((time.perf_counter_ns() - start) / 1000)
        for timings, conversation in ((cached, conv), (fresh, Conversation(triage))):
            view = conv.first_view(opening)
            for label in PRESSES:
                token = next(o.token for o in view.offers if o.label == label)
                start = time.perf_counter_ns()
                view = await conversation.press(token, ACTOR)
                if round_number >= 20:
                    timings.append((time.perf_counter_ns() - start) / 1000)
    for name, values in (("first_view", first), ("press (cached)", cached), ("press (from token)", fresh)):
        print(f"{name:20} median {statistics.median(values):7.1f} us   p99 {_percentile(values, 0.99):7.1f} us")


if __name__ == "__main__":
    asyncio.run(main())

"""The platform-neutral parity script: the same steps must give the same views and offers everywhere.

Each platform's test (the conversation and the console in tests/core/test_conversation_parity.py, the fake
Telegram and fake Discord servers in the adapters' tests) sends ``OPENING``, then for each ``ParityStep``
presses the offer labelled ``press`` and checks the view kind and the offer labels it gets back.

The script: answer -> didn't work -> next step -> erase gate -> "I have a backup" -> worked.
"""

from __future__ import annotations

from dataclasses import dataclass

from bot.core.views import ViewKind

OPENING = "my iphone 12 is stuck on the apple logo after the update last night"
OPENING_MODEL = "iphone-12"


@dataclass(frozen=True, slots=True)
class ParityStep:
    """Press the offer labelled ``press`` (None: send OPENING), expect a view of ``kind`` offering ``offers``."""

    press: str | None
    kind: ViewKind
    offers: tuple[str, ...]
    step_title: str | None = None  # the step card's title, when the view shows one


LADDER_OFFERS = ("It worked", "Didn't work → next step", "All steps", "Ask a helper")

SCRIPT: tuple[ParityStep, ...] = (
    ParityStep(
        None,
        "answer",
        ("It worked", "Didn't work → next step", "All steps", "Not my model", "Ask a helper"),
        "Force restart",
    ),
    ParityStep("Didn't work → next step", "step", LADDER_OFFERS, "Recovery mode: Update"),
    ParityStep(
        "Didn't work → next step",
        "erase_gate",
        ("I have a backup: continue", "I can't back up: what are my options?", "Take it to repair"),
    ),
    ParityStep("I have a backup: continue", "step", LADDER_OFFERS, "Recovery mode: Restore"),
    ParityStep("It worked", "solved", ()),
)

# What the store holds afterwards, in order: (kind, action) of each recorded outcome.
EXPECTED_OUTCOMES: tuple[tuple[str, str], ...] = (
    ("failed", "force_restart"),
    ("failed", "recovery_update"),
    ("worked", "recovery_restore"),
)

"""Property tests: any text gets a well-formed answer, never an exception."""

from __future__ import annotations

import json
from typing import get_args

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from bot.core.answer import Status
from bot.core.matching import MAX_ANALYSED_CHARS
from bot.core.triage import Triage
from tests.core.conftest import ask

NASTY = st.sampled_from(
    ["\x00", "\u200f", "\u202e", "🙂", "<script>alert(1)</script>", "@everyone", "9" * 400, "iPhone99,99",
     "error 99999999999", "iphone 7+", "se", "\n" * 50, "stuck on the apple logo", "dropped in water", "ß", "İ"]
)  # fmt: skip
TEXTS = st.one_of(
    st.text(max_size=300),
    st.lists(st.one_of(NASTY, st.text(max_size=40)), max_size=30).map("".join),
    st.builds(lambda s, n: s * n, st.sampled_from(["a", "iphone 12 ", "🙂", "\x00x", "error 4013 "]),
              st.integers(min_value=1, max_value=12_000)),
)  # fmt: skip

ERASING = {"recovery_restore", "dfu_restore", "passcode_reset"}


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(text=TEXTS)
def test_any_text_gets_a_well_formed_answer(triage: Triage, text: str) -> None:
    text = text[:100_000]
    answer = ask(triage, text)
    data = answer.to_json()
    json.dumps(data)
    assert 0.0 <= answer.confidence <= 1.0
    assert answer.first_action == (answer.ladder[0].action if answer.ladder else "none")
    assert data["first_action"] == answer.first_action
    assert answer.status in get_args(Status)
    assert answer.text
    if answer.damage or answer.status not in ("answered", "needs_model"):
        assert answer.first_action not in ERASING


def test_huge_message_is_truncated_not_fatal(triage: Triage) -> None:
    answer = ask(triage, "my iphone 12 is stuck on the apple logo. " + "log line ERROR: Unable to restore\n" * 3000)
    assert answer.model is not None
    assert answer.model.id == "iphone-12"
    assert any(f"{MAX_ANALYSED_CHARS:,} characters" in note for note in answer.notes)

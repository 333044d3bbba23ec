"""Button state (bot/core/callbacks.py): self-contained, within the platforms' limits, robust to junk."""

from __future__ import annotations

import re
import typing

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from bot.core.answer import FAMILIES, PROCEDURE_IDS
from bot.core.callbacks import (
    ACTION_CODES,
    MAX_BYTES,
    TOKEN_PATTERN,
    ButtonState,
    Verb,
    decode,
    pack,
    unpack,
)
from bot.core.triage import Triage

VERBS: tuple[Verb, ...] = typing.get_args(Verb)
LONGEST_LADDER = ("force_restart", "recovery_update", "recovery_restore", "dfu_restore", "repair", "passcode_reset")


def _longest_ids(triage: Triage) -> tuple[str, str]:
    symptom = max((s.id for s in triage.knowledge.symptoms.symptoms), key=len)
    model = max((m.id for m in triage.models()), key=len)
    return symptom, model


@pytest.mark.parametrize("verb", VERBS)
def test_every_verb_round_trips_with_every_field_at_its_longest(triage: Triage, verb: Verb) -> None:
    symptom, model = _longest_ids(triage)
    state = ButtonState(
        verb,
        answer_id="deadbeef",
        symptom_id=symptom,
        model_id=model,
        step=5,
        ladder=LONGEST_LADDER,  # type: ignore[arg-type]
        family="volume-down",
        then="procedure",
        gate_passed=True,
        has_backup=True,
        no_backup=True,
        damage=True,
        tried=0b11111,
        error_code=4013,
        procedure="exit_recovery",
    )
    token = pack(state)
    assert len(token.encode()) <= MAX_BYTES  # Telegram callback_data (Discord custom_id allows 100)
    assert token.isascii()
    assert re.fullmatch(TOKEN_PATTERN, token)
    assert unpack(token) == state


def test_every_symptom_and_model_fits(triage: Triage) -> None:
    for symptom in triage.knowledge.symptoms.symptoms:
        for model in triage.models():
            state = ButtonState(
                "next",
                "0123abcd",
                symptom.id,
                model.id,
                max(len(symptom.ladder) - 1, 0),
                tuple(symptom.ladder),
                error_code=4014,
            )
            assert unpack(pack(state)) == state


def test_an_error_code_that_does_not_fit_is_dropped_not_the_state() -> None:
    state = ButtonState("next", "0123abcd", "s" * 20, "iphone-" + "m" * 12, 1, LONGEST_LADDER, error_code=99999)  # type: ignore[arg-type]
    unpacked = unpack(pack(state))
    assert unpacked is not None
    assert unpacked.error_code == 0
    assert unpacked.symptom_id == state.symptom_id


def test_a_state_that_cannot_fit_raises() -> None:
    with pytest.raises(ValueError, match="bytes"):
        pack(ButtonState("next", "0123abcd", "s" * 40, "m" * 40, 0))
    with pytest.raises(ValueError, match="slug"):
        pack(ButtonState("next", "abc", "has|pipe", "", 0))


def test_legacy_tokens_still_resume() -> None:
    legacy = "rv|n|abc123|boot_loop|iphone-8|2"  # what the adapters wrote before the conversation core
    assert decode(legacy) == unpack(legacy) == ButtonState("next", "abc123", "boot_loop", "iphone-8", 2)


@pytest.mark.parametrize(
    "junk",
    [
        "",
        "r2",
        "r2n_m0000",
        "r2n_m0000|a|b|c|d|e",  # one field short
        "r2Q_m0000|a|b|c|||",  # unknown verb
        "r2n_q0000|a|b|c|||",  # unknown family
        "r2n_m0000|a|b|c|zz||",  # unknown action codes
        "r2n_m9000|a|b|c|fu||",  # step past the ladder
        "r2n_m0000|a|B A D|c|||",  # not a slug
        "r2n_m0000|a|b|c||12x|",  # error code not a number
        "r2n_m0000|a|b|c|||q",  # unknown procedure
        "rv|n|a|b|c|99",
        "rv|s|a|b|c|1",  # r2-only verb in the legacy format
        "r2n_m0000|" + "a" * 200 + "|||||",
        "r2n_m0000|é|b|c|||",
    ],
)
def test_junk_unpacks_to_none(junk: str) -> None:
    assert unpack(junk) is None


@given(st.text(max_size=120))
@settings(max_examples=400, deadline=None)
def test_unpack_never_raises(text: str) -> None:
    state = unpack(text)
    assert state is None or pack(state) == pack(unpack(pack(state)) or state)


@given(
    verb=st.sampled_from(VERBS),
    step=st.integers(0, 4),
    family=st.sampled_from((*FAMILIES, None)),
    procedure=st.sampled_from((*PROCEDURE_IDS, None)),
    flags=st.tuples(st.booleans(), st.booleans(), st.booleans(), st.booleans()),
    tried=st.integers(0, 255),
    error=st.integers(0, 99999),
)
@settings(max_examples=300, deadline=None)
def test_pack_round_trips(
    verb: Verb,
    step: int,
    family: typing.Any,
    procedure: typing.Any,
    flags: tuple[bool, bool, bool, bool],
    tried: int,
    error: int,
) -> None:
    ladder = tuple(ACTION_CODES)[:5]
    state = ButtonState(
        verb, "a1b2c3d4", "boot_loop", "iphone-12-pro-max", step, ladder, family, None, *flags, tried, error, procedure
    )
    assert unpack(pack(state)) == state


def test_a_negative_error_code_round_trips() -> None:
    """idevicerestore and iTunes write "(-1)": the state keeps it (it had raised, so the first reply failed)."""
    state = ButtonState("next", "0123abcd", "restore_error", "iphone-12-pro", 1, LONGEST_LADDER, error_code=-1)  # type: ignore[arg-type]
    assert unpack(pack(state)) == state
    assert re.fullmatch(TOKEN_PATTERN, pack(state))

"""The symptom classifier and the ask-rather-than-guess decision, with messages written for these tests."""

from __future__ import annotations

import json
import math
import subprocess
import sys
from pathlib import Path

import pytest

from bot.core.classifier import MODEL_PATH, NON_FAULT, Prediction, SymptomClassifier
from bot.core.nlu_decide import AMBIGUITY_THRESHOLD, FALLBACK_THRESHOLD, decide
from bot.core.nlu_features import MAX_CLASSIFIED_CHARS, message_language, text_features
from bot.core.triage import Triage
from tests.core.conftest import ask

ROOT = Path(__file__).resolve().parents[2]
ERASING = {"recovery_restore", "dfu_restore", "passcode_reset"}
NO_ERASING = frozenset[str]()


def _prediction(*pairs: tuple[str, float], informed: bool = True) -> Prediction:
    return Prediction(tuple(pairs), (), informed)


# --- the exported model ------------------------------------------------------------------------------------


def test_exported_model_is_in_step_with_its_sources() -> None:
    """Examples, corpora, feature code, training config or symptom patterns changed: retrain and commit."""
    result = subprocess.run(
        [sys.executable, "-m", "tools.train_classifier", "--check"], cwd=ROOT, capture_output=True, text=True
    )
    assert result.returncode == 0, (
        f"{result.stderr}bot/core/data/symptom_model.json is stale: run "
        ".venv/bin/python -m tools.train_classifier and commit the JSON"
    )


def test_exported_model_is_plain_json_and_small() -> None:
    data = json.loads(MODEL_PATH.read_text(encoding="utf-8"))
    assert set(NON_FAULT) <= set(data["classes"])
    assert len(data["intercepts"]) == len(data["classes"])
    assert MODEL_PATH.stat().st_size < 2_000_000
    assert not list(MODEL_PATH.parent.glob("*.pkl"))
    assert not list(MODEL_PATH.parent.glob("*.joblib"))


def test_runtime_imports_neither_sklearn_nor_numpy() -> None:
    code = (
        "import sys; from bot.core.triage import Triage; t = Triage.from_directory(); "
        "import asyncio; from bot.core.answer import TriageRequest; "
        "asyncio.run(t.answer(TriageRequest('my iphone 12 is stuck on the apple logo'))); "
        "print(sorted(m for m in ('sklearn', 'numpy', 'scipy') if m in sys.modules))"
    )
    result = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, check=True)
    assert result.stdout.strip() == "[]"


@pytest.mark.parametrize(
    "text",
    [
        "my iphone 12 pro wont get past the apple logo since last night",
        "thanks a lot, it boots again",
        "",
        "🙂",
        "x" * 50_000,
    ],
)
def test_probabilities_sum_to_one_and_are_deterministic(triage: Triage, text: str) -> None:
    from bot.core.nlu_features import features

    analysis = triage.matcher.analyse(text)
    first = triage.classifier.predict(features(analysis))
    second = SymptomClassifier.load().predict(features(triage.matcher.analyse(text)))
    assert math.isclose(sum(p for _, p in first.probabilities), 1.0, abs_tol=1e-9)
    assert all(0.0 <= p <= 1.0 for _, p in first.probabilities)
    assert first == second
    assert [p for _, p in first.probabilities] == sorted((p for _, p in first.probabilities), reverse=True)


# --- features ----------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "negated", "plain"),
    [
        ("it is not frozen, it restarts", "w:NEG_frozen", "w:frozen"),
        ("it never got wet at all", "w:NEG_wet", "w:wet"),
        ("there is no water damage", "w:NEG_water", "w:water"),
        ("es ist nicht nass geworden", "w:NEG_nass", "w:nass"),
    ],
)
def test_negation_scopes_the_next_words(text: str, negated: str, plain: str) -> None:
    found = text_features(text)
    assert negated in found
    assert plain not in found


def test_negation_scope_ends_at_the_clause() -> None:
    found = text_features("not my fault. frozen again")
    assert "w:frozen" in found
    assert "w:NEG_frozen" not in found


def test_hedges_are_marked() -> None:
    assert any(name.startswith("w:HEDGE_") for name in text_features("maybe water got in"))


def test_stemming_folds_word_forms() -> None:
    forms = [text_features(w) for w in ("fail", "failed", "failing")]
    assert all("w:fail" in f for f in forms)
    assert "w:actualiz" in text_features("la actualización falló y el iphone no enciende")


def test_language_is_picked_from_function_words() -> None:
    assert (
        message_language(["mein", "iphone", "ist", "nicht", "mehr", "an", "und", "das", "display", "bleibt", "schwarz"])
        == "german"
    )
    assert message_language(["my", "phone", "is", "dead"]) == "english"
    assert (
        message_language(["el", "iphone", "no", "enciende", "y", "la", "pantalla", "se", "queda", "negra"]) == "spanish"
    )


def test_cjk_runs_give_character_bigrams() -> None:
    found = text_features("我的iphone开不了机")
    assert "w:开不" in found
    assert "w:iphon" in found


def test_work_per_message_is_bounded() -> None:
    assert text_features("stuck " * 100_000) == text_features(("stuck " * 100_000)[:MAX_CLASSIFIED_CHARS])


# --- the decision (pure: predictions built by hand) ---------------------------------------------------------


def test_a_confident_symptom_is_answered() -> None:
    decision = decide(_prediction(("boot_loop", 0.8), ("failed_update", 0.15), ("off_topic", 0.05)), False, True,
                      NO_ERASING)  # fmt: skip
    assert decision.kind == "fault"
    assert decision.symptoms[0][0] == "boot_loop"


def test_below_the_fallback_threshold_it_asks() -> None:
    low = FALLBACK_THRESHOLD - 0.05
    decision = decide(_prediction(("boot_loop", low), ("stuck_recovery", 0.2), ("unresponsive", 0.2),
                                  ("off_topic", 1 - low - 0.4)), False, False, NO_ERASING)  # fmt: skip
    assert decision.kind == "clarify"
    assert [s for s, _ in decision.symptoms][:2] == ["boot_loop", "stuck_recovery"]


def test_two_close_candidates_make_it_ask() -> None:
    gap = AMBIGUITY_THRESHOLD / 2
    decision = decide(_prediction(("restore_error", 0.5), ("stuck_recovery", 0.5 - gap), ("off_topic", gap)),
                      False, True, NO_ERASING)  # fmt: skip
    assert decision.kind == "clarify"
    assert {s for s, _ in decision.symptoms} >= {"restore_error", "stuck_recovery"}


def test_an_erasing_first_step_needs_more_confidence() -> None:
    prediction = _prediction(("disabled", 0.5), ("unresponsive", 0.1), ("off_topic", 0.4))
    assert decide(prediction, False, True, frozenset()).kind == "fault"
    assert decide(prediction, False, True, frozenset({"disabled"})).kind == "clarify"


def test_damage_is_never_held_back_by_the_gates() -> None:
    decision = decide(_prediction(("off_topic", 0.9), ("boot_loop", 0.1)), True, True, NO_ERASING)
    assert decision.kind == "fault"


def test_a_message_with_nothing_known_is_off_topic() -> None:
    decision = decide(_prediction(("hardware_like", 0.3), ("off_topic", 0.2), informed=False), False, False,
                      NO_ERASING)  # fmt: skip
    assert decision.kind == "off_topic"


# --- through the whole pipeline ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    "text",
    [
        "cheers everyone, the phone booted fine after the force restart",
        "all sorted now, thank you so much!!",
        "danke euch, jetzt läuft es wieder",
        "muchas gracias, ya funciona perfecto",
    ],
)
def test_thanks_are_acknowledged_and_closed(triage: Triage, text: str) -> None:
    answer = ask(triage, text)
    assert answer.status == "closed", answer.explain
    assert not answer.ladder
    assert not answer.procedures
    assert answer.headline
    assert answer.diagnosis


@pytest.mark.parametrize(
    ("text", "headline_word"),
    [
        ("is it ok to update my iphone 14 to the newest ios or should i wait a bit", "Updating"),
        ("what is the easiest way to back up my iphone before i sell it", "Backing up"),
        ("how can i copy all my photos from my iphone to my windows laptop", "Moving"),
    ],
)
def test_questions_get_a_short_safe_answer(triage: Triage, text: str, headline_word: str) -> None:
    answer = ask(triage, text)
    assert answer.status == "info", answer.explain
    assert not answer.ladder
    assert headline_word in answer.headline
    assert answer.diagnosis


@pytest.mark.parametrize(
    "text",
    [
        "my ipad mini wont turn on after the update",
        "galaxy s21 stuck on the samsung logo, please help",
        "ipod touch 6 shows the itunes cable screen",
    ],
)
def test_another_device_is_told_we_only_know_iphones(triage: Triage, text: str) -> None:
    answer = ask(triage, text)
    assert answer.status == "other_device", answer.explain
    assert not answer.ladder
    assert "iPhone" in answer.headline


@pytest.mark.parametrize(
    ("text", "procedure"),
    [
        ("how do i get my iphone 13 out of recovery mode", "exit_recovery"),
        ("my iphone 7 is in dfu mode now, how do i exit it", "exit_dfu"),
    ],
)
def test_leaving_a_mode_gets_the_exit_steps_and_nothing_that_erases(triage: Triage, text: str, procedure: str) -> None:
    answer = ask(triage, text)
    assert answer.status == "answered", answer.explain
    assert [p.id for p in answer.procedures] == [procedure]
    assert all(step.data_risk == "none" for step in answer.ladder)


def test_leaving_a_mode_without_a_model_asks_for_it_and_never_erases(triage: Triage) -> None:
    answer = ask(triage, "how do i leave recovery mode?")
    assert answer.status == "needs_model", answer.explain
    assert all(step.data_risk == "none" for step in answer.ladder)


@pytest.mark.parametrize(
    "text",
    [
        "my iphone 11 is acting really strange since yesterday, not sure what to do",
        "something is wrong with my iphone xr, can someone help?",
    ],
)
def test_a_vague_on_topic_message_is_asked_about_not_dropped(triage: Triage, text: str) -> None:
    answer = ask(triage, text)
    assert answer.status == "clarify", answer.explain
    assert 2 <= len(answer.choices) <= 3
    assert [c.id for c in answer.choices] == [s.id for s in answer.symptoms]
    assert answer.to_json()["choices"] == [c.id for c in answer.choices]
    assert not answer.ladder
    assert all(c.label in answer.text for c in answer.choices)


def test_a_chosen_symptom_is_answered(triage: Triage) -> None:
    from bot.core.answer import TriageRequest

    answer = ask(triage, "something is wrong with my iphone xr, can someone help?")
    import asyncio

    pinned = asyncio.run(
        triage.answer(TriageRequest(text="something is wrong with my iphone xr", symptom_id=answer.choices[0].id))
    )
    assert pinned.status == "answered"
    assert pinned.top_symptom == answer.choices[0].id


@pytest.mark.parametrize(
    ("text", "symptom"),
    [
        ("my iphone isnt frozen or anything, it just restarts over and over at the apple logo", "boot_loop"),
        ("iphone 12 keeps restarting on the apple logo, it never got wet and was never dropped", "boot_loop"),
        ("finder says the iphone could not be restored. an unknown error occurred (4013). iphone 11", "restore_error"),
        ("iphone 8 screen shows support.apple.com/iphone/restore and nothing else", "stuck_recovery"),
        ("iphone 13 battery goes from 100 to 10 percent in two hours", "hardware_like"),
    ],
)
def test_symptom_table(triage: Triage, text: str, symptom: str) -> None:
    answer = ask(triage, text)
    assert answer.top_symptom == symptom, answer.explain
    assert not answer.damage, answer.explain


def test_explain_shows_probabilities_and_features(triage: Triage) -> None:
    answer = ask(triage, "iphone 12 keeps restarting on the apple logo")
    lines = [line for line in answer.explain if line.startswith("classifier")]
    assert any("boot_loop 0." in line for line in lines)
    assert any("features for boot_loop" in line for line in lines)


def test_no_new_status_ever_has_an_erasing_step(triage: Triage) -> None:
    messages = [
        "thank you!!", "should i update to ios 18", "my ipad is frozen", "how do i exit dfu on my iphone x",
        "something is wrong with my iphone", "lol same", "wts iphone 15 pro max",
    ]  # fmt: skip
    for text in messages:
        answer = ask(triage, text)
        if answer.status not in ("answered", "needs_model"):
            assert not answer.ladder, text
        assert answer.first_action not in ERASING, text


def test_an_erasing_first_step_needs_a_message_about_a_phone() -> None:
    prediction = _prediction(("disabled", 0.9), ("unresponsive", 0.05), ("off_topic", 0.05))
    assert decide(prediction, False, False, frozenset({"disabled"}), about_a_phone=False).kind == "clarify"
    assert decide(prediction, False, False, frozenset({"disabled"}), about_a_phone=True).kind == "fault"


def test_a_lost_passcode_of_something_unnamed_is_not_answered_with_an_erase(triage: Triage) -> None:
    answer = ask(triage, "lost the passcode and cant get in anymore, what now")
    assert answer.first_action not in ERASING, answer.explain


def test_a_best_non_fault_class_wins_when_not_a_fault_is_more_likely_than_not() -> None:
    spread = _prediction(("off_topic", 0.35), ("boot_loop", 0.3), ("thanks", 0.2), ("unresponsive", 0.15))
    assert decide(spread, False, False, NO_ERASING).kind == "off_topic"
    faulty = _prediction(("off_topic", 0.35), ("boot_loop", 0.33), ("unresponsive", 0.32))
    assert decide(faulty, False, False, NO_ERASING).kind == "clarify"


def test_a_clearly_on_topic_message_needs_a_confident_non_fault_class() -> None:
    spread = _prediction(("off_topic", 0.35), ("boot_loop", 0.3), ("thanks", 0.2), ("unresponsive", 0.15))
    assert decide(spread, False, True, NO_ERASING, clearly_on_topic=True).kind == "clarify"


# --- the reviewable data -----------------------------------------------------------------------------------


def test_examples_are_labelled_with_known_classes_and_never_copy_a_dev_message(triage: Triage) -> None:
    from tools.train_classifier import EXAMPLES_DIR, NOT_EXAMPLES, classes, load_dev

    known = set(classes(triage.knowledge))
    dev = {" ".join(str(item["text"]).split()).casefold() for item in load_dev()}
    seen: set[str] = set()
    for path in sorted(EXAMPLES_DIR.glob("*.yaml")):
        if path.name in NOT_EXAMPLES:
            continue
        import yaml

        data = yaml.safe_load(path.read_text(encoding="utf-8"))
        assert data["label"] in known, path.name
        assert data["label"] == path.stem, path.name
        for text in data["examples"]:
            flat = " ".join(str(text).split()).casefold()
            assert flat not in dev, f"{path.name}: copied from the dev set: {text}"
            assert flat not in seen, f"{path.name}: duplicate: {text}"
            seen.add(flat)


def test_non_fault_answers_cite_known_sources(triage: Triage) -> None:
    known = set(triage.knowledge.sources.sources)
    for reply in triage.replies.by_id.values():
        assert set(reply.sources) <= known, reply.id
        assert reply.headline
        assert reply.diagnosis

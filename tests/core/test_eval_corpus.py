"""The evaluation corpus (tests/core/data/messages.yaml) against the quality bars, plus safety invariants."""

from __future__ import annotations

import asyncio
import re

import pytest

from bot.core.answer import TriageAnswer
from bot.core.triage import Triage
from tests.core.corpus import ERASING, NON_FAULT_STATUSES, Case, load_cases, score

CASES = load_cases()


@pytest.fixture(scope="module")
def answers(triage: Triage) -> list[TriageAnswer]:
    from tests.core.corpus import answer_all

    return asyncio.run(answer_all(triage, CASES))


def test_corpus_is_big_and_varied() -> None:
    assert len(CASES) >= 300
    assert len({c.text for c in CASES}) == len(CASES), "duplicate messages"
    assert sum(c.damage for c in CASES) >= 40
    assert sum(c.status == "off_topic" for c in CASES) >= 30
    assert sum(bool(c.candidates) for c in CASES) >= 5
    assert sum("\n" in c.text for c in CASES) >= 8
    assert sum(not c.text.isascii() for c in CASES) >= 40
    assert len({c.symptom for c in CASES if c.symptom}) == 11


def test_quality_bars(answers: list[TriageAnswer]) -> None:
    result = score(CASES, answers)
    report = result.report()
    print(report)
    assert result.model_accuracy >= 0.95, report
    assert result.symptom_accuracy >= 0.80, report
    assert result.damage_recall >= 0.90, report
    assert result.damage_false_positive_rate <= 0.03, report
    assert result.invented_model_rate <= 0.05, report
    assert result.off_topic_recall >= 0.85, report
    assert result.on_topic_dropped_rate <= 0.03, report
    assert result.erasing_violations == 0, report


def _pairs(answers: list[TriageAnswer]) -> list[tuple[Case, TriageAnswer]]:
    return list(zip(CASES, answers, strict=True))


def test_never_an_erasing_first_step_for_damaged_or_off_topic(answers: list[TriageAnswer]) -> None:
    bad = [
        f"#{c.number} {c.short}: {a.first_action}"
        for c, a in _pairs(answers)
        if (c.damage or c.status == "off_topic" or a.damage or a.status in NON_FAULT_STATUSES)
        and a.first_action in ERASING
    ]
    assert not bad, "\n".join(bad)


def test_damaged_answers_go_to_repair_and_never_dfu(answers: list[TriageAnswer]) -> None:
    for case, answer in _pairs(answers):
        if answer.damage:
            assert answer.first_action == "repair", case.short
            assert all(step.action != "dfu_restore" for step in answer.ladder), case.short
            assert answer.severity == "danger", case.short


def test_backup_reminder_comes_before_any_erasing_step(answers: list[TriageAnswer]) -> None:
    for case, answer in _pairs(answers):
        erasing = [s for s in answer.ladder if s.can_erase]
        if not erasing:
            continue
        assert answer.backup_reminder, case.short
        reminder_at = answer.text.find(answer.backup_reminder)
        assert reminder_at >= 0, case.short
        for step in erasing:
            assert reminder_at < answer.text.find(step.title), f"#{case.number} {case.short}: {step.title}"


def test_ladders_are_least_destructive_first(answers: list[TriageAnswer]) -> None:
    rank = {"none": 0, "may_erase": 1, "erases": 2}
    for case, answer in _pairs(answers):
        risks = [rank[s.data_risk] for s in answer.ladder if s.action != "repair"]
        assert risks == sorted(risks), case.short


def _instructions(step_lines: tuple[str, ...]) -> list[str]:
    """What the person is told to do (failure cues such as "If instead: ... Emergency SOS" are warnings)."""
    return [line for line in step_lines if not line.startswith("If instead:")]


def _force_restart_text(answer: TriageAnswer) -> str:
    return " ".join(
        line for step in answer.ladder if step.action == "force_restart" for line in _instructions(step.instructions)
    )


def _all_steps(answer: TriageAnswer) -> str:
    lines = [line for step in answer.ladder for line in _instructions(step.instructions)]
    lines += [line for proc in answer.procedures for line in proc.steps]
    return " ".join(lines)


def test_button_steps_match_each_family(answers: list[TriageAnswer]) -> None:
    for case, answer in _pairs(answers):
        if answer.model is None:
            continue
        steps = _all_steps(answer)
        model = answer.model.id
        if model in ("iphone-se-2", "iphone-se-3", "iphone-16e"):
            assert "Home button" not in steps, f"#{case.number} {model}: {steps}"
        if model in ("iphone-8", "iphone-8-plus") and answer.ladder:
            assert not re.search(r"Side and Volume Down", _force_restart_text(answer)), case.short
        if model in ("iphone-7", "iphone-7-plus") and _force_restart_text(answer):
            assert "Volume Down" in _force_restart_text(answer), case.short
        if answer.model.family == "modern" and _force_restart_text(answer):
            assert "Volume Up" in _force_restart_text(answer), case.short


def test_json_is_consistent(answers: list[TriageAnswer]) -> None:
    for case, answer in _pairs(answers):
        data = answer.to_json()
        assert 0.0 <= data["confidence"] <= 1.0
        assert data["first_action"] == (data["ladder"][0]["action"] if data["ladder"] else "none"), case.short
        if answer.status in NON_FAULT_STATUSES or answer.status == "clarify":
            assert not answer.ladder, case.short

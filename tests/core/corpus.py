"""Load the evaluation corpus and score the triage core against it (shared by the tests and by hand-tuning).

Run ``.venv/bin/python -m tests.core.corpus`` for the full report with every miss.
"""

from __future__ import annotations

import asyncio
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

import yaml

from bot.core.answer import TriageAnswer, TriageRequest
from bot.core.triage import Triage

CORPUS = Path(__file__).parent / "data" / "messages.yaml"
ERASING = frozenset({"recovery_restore", "dfu_restore", "passcode_reset"})
# Statuses that answer a message as not a fault of the phone (the corpus labels all of them "off_topic").
NON_FAULT_STATUSES = frozenset({"off_topic", "closed", "info", "other_device"})
_KEYS = {"text", "model", "candidates", "symptom", "alt", "damage", "status"}
_SYMPTOMS = {
    "unresponsive", "boot_loop", "firmware_corrupt", "failed_update", "hardware_like", "stuck_recovery",
    "disabled", "restore_error", "howto", "overheating", "activation_lock",
}  # fmt: skip


@dataclass(frozen=True)
class Case:
    """One labelled message."""

    number: int
    text: str
    model: str | None
    candidates: tuple[str, ...]
    symptom: str | None
    alt: tuple[str, ...]
    damage: bool
    status: str

    @property
    def short(self) -> str:
        flat = " ".join(self.text.split())
        return flat if len(flat) <= 90 else flat[:87] + "..."


def load_cases(path: Path = CORPUS) -> list[Case]:
    raw = yaml.safe_load(path.read_text(encoding="utf-8"))["messages"]
    cases = []
    for number, item in enumerate(raw, start=1):
        unknown = set(item) - _KEYS
        assert not unknown, f"case {number}: unknown keys {unknown}"
        symptom = item.get("symptom")
        alt = tuple(item.get("alt") or ())
        assert symptom is None or symptom in _SYMPTOMS, f"case {number}: unknown symptom {symptom}"
        assert all(a in _SYMPTOMS for a in alt), f"case {number}: unknown alt {alt}"
        model = item.get("model")
        status = item.get("status") or ("answered" if model else "needs_model")
        cases.append(
            Case(
                number=number,
                text=str(item["text"]),
                model=model,
                candidates=tuple(item.get("candidates") or ()),
                symptom=symptom,
                alt=alt,
                damage=bool(item.get("damage", False)),
                status=status,
            )
        )
    return cases


@dataclass
class Score:
    """Aggregate results and the misses behind each number."""

    total: int = 0
    model_total: int = 0
    model_hits: int = 0
    invented_models: int = 0
    no_model_total: int = 0
    symptom_total: int = 0
    symptom_hits: int = 0
    damage_total: int = 0
    damage_hits: int = 0
    undamaged_total: int = 0
    damage_false: int = 0
    off_topic_total: int = 0
    off_topic_hits: int = 0
    on_topic_total: int = 0
    on_topic_dropped: int = 0
    erasing_violations: int = 0
    misses: dict[str, list[str]] = field(default_factory=dict)

    def miss(self, kind: str, case: Case, detail: str) -> None:
        self.misses.setdefault(kind, []).append(f"#{case.number} {case.short!r}: {detail}")

    @staticmethod
    def _rate(hits: int, total: int) -> float:
        return hits / total if total else 1.0

    @property
    def model_accuracy(self) -> float:
        return self._rate(self.model_hits, self.model_total)

    @property
    def symptom_accuracy(self) -> float:
        return self._rate(self.symptom_hits, self.symptom_total)

    @property
    def damage_recall(self) -> float:
        return self._rate(self.damage_hits, self.damage_total)

    @property
    def damage_false_positive_rate(self) -> float:
        return self._rate(self.damage_false, self.undamaged_total)

    @property
    def off_topic_recall(self) -> float:
        return self._rate(self.off_topic_hits, self.off_topic_total)

    @property
    def on_topic_dropped_rate(self) -> float:
        return self._rate(self.on_topic_dropped, self.on_topic_total)

    @property
    def invented_model_rate(self) -> float:
        return self._rate(self.invented_models, self.no_model_total)

    def summary(self) -> str:
        return (
            f"{self.total} messages | model {self.model_accuracy:.1%} of {self.model_total} | "
            f"symptom {self.symptom_accuracy:.1%} of {self.symptom_total} | "
            f"damage recall {self.damage_recall:.1%} of {self.damage_total}, "
            f"false positives {self.damage_false_positive_rate:.1%} of {self.undamaged_total} | "
            f"off-topic recall {self.off_topic_recall:.1%} of {self.off_topic_total}, "
            f"on-topic dropped {self.on_topic_dropped_rate:.1%} | "
            f"invented models {self.invented_model_rate:.1%} of {self.no_model_total} | "
            f"erasing first steps on damaged/off-topic: {self.erasing_violations}"
        )

    def report(self) -> str:
        lines = [self.summary()]
        for kind, misses in sorted(self.misses.items()):
            lines.append(f"\n{kind} ({len(misses)}):")
            lines += (f"  {m}" for m in misses)
        return "\n".join(lines)


def score(cases: Sequence[Case], answers: Sequence[TriageAnswer]) -> Score:
    result = Score()
    for case, answer in zip(cases, answers, strict=True):
        result.total += 1
        got_model = answer.model.id if answer.model else None
        got_candidates = tuple(m.id for m in answer.model_candidates)
        off_topic = case.status == "off_topic"
        if not off_topic and (case.model or case.candidates):
            result.model_total += 1
            if case.model:
                ok = got_model == case.model
            else:
                ok = got_model is None and set(got_candidates) == set(case.candidates)
            result.model_hits += ok
            if not ok:
                expected = case.model or f"candidates {list(case.candidates)}"
                result.miss("model", case, f"expected {expected}, got {got_model or list(got_candidates) or None}")
        elif not off_topic:
            result.no_model_total += 1
            if got_model or got_candidates:
                result.invented_models += 1
                result.miss("invented model", case, f"got {got_model or list(got_candidates)}")
        if case.symptom is not None:
            result.symptom_total += 1
            acceptable = {case.symptom, *case.alt}
            if answer.top_symptom in acceptable:
                result.symptom_hits += 1
            else:
                got = f"{answer.top_symptom} ({answer.status})"
                result.miss("symptom", case, f"expected {sorted(acceptable)}, got {got}")
        if case.damage:
            result.damage_total += 1
            result.damage_hits += answer.damage
            if not answer.damage:
                result.miss("damage missed", case, "no damage found")
        else:
            result.undamaged_total += 1
            if answer.damage:
                result.damage_false += 1
                result.miss("damage false positive", case, f"found {list(answer.damage_kinds)}")
        if off_topic:
            result.off_topic_total += 1
            if answer.status in NON_FAULT_STATUSES:
                result.off_topic_hits += 1
            else:
                result.miss("off-topic answered", case, f"status {answer.status}, symptom {answer.top_symptom}")
        else:
            result.on_topic_total += 1
            if answer.status in NON_FAULT_STATUSES:
                result.on_topic_dropped += 1
                result.miss("on-topic dropped as off-topic", case, "status off_topic")
        if (case.damage or off_topic) and answer.first_action in ERASING:
            result.erasing_violations += 1
            result.miss("ERASING FIRST STEP", case, f"first action {answer.first_action}")
    return result


async def answer_all(triage: Triage, cases: Sequence[Case]) -> list[TriageAnswer]:
    return [await triage.answer(TriageRequest(text=case.text)) for case in cases]


def main() -> None:
    triage = Triage.from_directory()
    cases = load_cases()
    answers = asyncio.run(answer_all(triage, cases))
    print(score(cases, answers).report())


if __name__ == "__main__":
    main()

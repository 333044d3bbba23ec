"""Quality bench: how well the whole triage pipeline reads real messages it was not trained on.

    .venv/bin/python bench/quality.py            # real messages under 5-fold CV, held-out extra, the corpus
    .venv/bin/python bench/quality.py --json F   # also write the figures to F
    .venv/bin/python bench/quality.py --speed    # only the cost of reading real messages (wall and CPU)
    .venv/bin/python bench/quality.py --cv-only  # only the CV: try a change without seeing the held-out rounds

- Real messages: the development set (tests/core/data/real_dev.yaml) and the ones collected later
  (tests/core/data/real_extra/*.yaml), all labelled per ../shared/reference/labelling.md. 5-fold stratified
  cross-validation on the top label over all of them but the newest round, fixed seed. For each fold a model
  is trained on the written examples + the corpus + the other 4 folds, and the held-out fold goes through the
  WHOLE pipeline (``Triage.answer``: normalisation, model reader, damage detectors, classifier, decision). No
  fold is scored by a model that saw it. Figures are given for all, and for each set's share of the folds.
- Fresh, held out: each round in ``FRESH`` scored by a model trained on everything else; the newest ones are not
  in the CV either. No rule, threshold or setting was changed after looking at them, so these are the cleanest
  figures for messages the bot has never seen.
- Repo corpus (tests/core/data/messages.yaml) through the shipped model, which was trained on it: a fit
  figure, not a measure of new messages.

Method and results: bench/README.md, section "Quality".
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import sys
import time
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bot.core.answer import TriageAnswer, TriageRequest  # noqa: E402
from bot.core.classifier import SymptomClassifier  # noqa: E402
from bot.core.knowledge import Knowledge, load_knowledge  # noqa: E402
from bot.core.matching import Matcher  # noqa: E402
from bot.core.triage import Triage  # noqa: E402
from tools.train_classifier import (  # noqa: E402
    CONFIG,
    DEV_SET,
    LABEL_MODEL_NAMES,
    dev_samples,
    extra_files,
    load_dev,
    load_real,
    load_real_file,
    load_samples,
    train,
)

FOLDS = 5
# Collection rounds scored held out by fresh_held_out, each by a model trained on every other real message:
# round 3 (2026-12-02 00:16 UTC) and round 5 (02:10-02:20 UTC) stay in the CV too, so lists of CV misses show
# them (bench/README.md says what was read of them); round 6 (2026-12-02 05:20 UTC on) joined the CV when round 7
# (2026-12-02 12:05-13:10 UTC) took the newest role: kept out of the CV, so no list of misses shows it. Round 8
# (2026-12-03) is kept out of the CV too, and round 7 stays out with it, so that its figures compare across stops;
# so is round 9 (2026-12-04).
FRESH = (
    "r3_*.yaml",
    "r5_*.yaml",
    "r6_*.yaml",
    "r7_*.yaml",
    "r8_*.yaml",
    "r9_*.yaml",
    "r10_*.yaml",
    "r11_*.yaml",
    "r12_*.yaml",
    "r13_*.yaml",
)
OUT_OF_CV = ("r7_*.yaml", "r8_*.yaml", "r9_*.yaml", "r10_*.yaml", "r11_*.yaml", "r12_*.yaml", "r13_*.yaml")
SEED = CONFIG["seed"]
ERASING = frozenset({"recovery_restore", "dfu_restore", "passcode_reset"})
# The bot's symptom ids in the labelling's terms (labelling.md); every non-fault answer is "other".
TO_LABELLING = {"overheating": "hardware_like", "activation_lock": "other", "howto": "howto_dfu"}
NON_FAULT_STATUSES = frozenset({"off_topic", "closed", "info", "other_device"})


def reported(answer: TriageAnswer) -> list[str]:
    """The answer's symptoms in labelling ids, most likely first; ["other"] for a non-fault answer."""
    if answer.status in NON_FAULT_STATUSES or not answer.symptoms:
        return ["other"]
    return list(dict.fromkeys(TO_LABELLING.get(s.id, s.id) for s in answer.symptoms))


@dataclass
class Tally:
    """The figures of one evaluation and the counts behind them."""

    n: int = 0
    top_hits: int = 0
    any_hits: int = 0
    gold_top_reported: int = 0
    on_topic_total: int = 0
    on_topic_top_hits: int = 0
    model_total: int = 0
    model_hits: int = 0
    ambiguous_se: int = 0
    ambiguous_se_asked: int = 0
    damage_total: int = 0
    damage_hits: int = 0
    damage_flagged: int = 0
    damage_flagged_right: int = 0
    off_topic_total: int = 0
    off_topic_erasing: int = 0
    damaged_erasing: int = 0
    clarify: int = 0
    per_symptom: dict[str, list[int]] = field(default_factory=dict)
    statuses: Counter[str] = field(default_factory=Counter)
    misses: list[str] = field(default_factory=list)

    def add(self, gold: list[str], gold_model: str | None, gold_damage: bool, answer: TriageAnswer, text: str) -> None:
        self.n += 1
        got = reported(answer)
        self.statuses[answer.status] += 1
        self.clarify += answer.status == "clarify"
        hit = got[0] == gold[0]
        self.top_hits += hit
        self.any_hits += bool(set(got) & set(gold))
        self.gold_top_reported += gold[0] in got
        if gold[0] != "other":
            self.on_topic_total += 1
            self.on_topic_top_hits += hit
        row = self.per_symptom.setdefault(gold[0], [0, 0])
        row[0] += hit
        row[1] += 1
        if not hit:
            flat = " ".join(text.split())[:90]
            self.misses.append(f"gold {gold} got {got} ({answer.status}): {flat}")
        if gold_model is not None:
            self.model_total += 1
            if gold_model.startswith("ambiguous"):
                asked = answer.model is None and len(answer.model_candidates) > 1
                self.model_hits += asked
                self.ambiguous_se += 1
                self.ambiguous_se_asked += asked
            else:
                named = LABEL_MODEL_NAMES.get(gold_model, gold_model)
                self.model_hits += answer.model is not None and answer.model.name == named
        if gold_damage:
            self.damage_total += 1
            self.damage_hits += answer.damage
            self.damaged_erasing += answer.first_action in ERASING
        if answer.damage:
            self.damage_flagged += 1
            self.damage_flagged_right += gold_damage
        if gold[0] == "other":
            self.off_topic_total += 1
            self.off_topic_erasing += answer.first_action in ERASING
        if (gold[0] == "other" or gold_damage) and answer.first_action in ERASING:
            flat = " ".join(text.split())[:90]
            self.misses.append(f"ERASING FIRST ({answer.first_action}, {answer.status}, {got}): {flat}")

    def figures(self) -> dict[str, Any]:
        def rate(hits: int, total: int) -> float | None:
            return round(hits / total, 3) if total else None

        return {
            "messages": self.n,
            "top_symptom": rate(self.top_hits, self.n),
            "top_symptom_on_topic": rate(self.on_topic_top_hits, self.on_topic_total),
            "any_symptom": rate(self.any_hits, self.n),
            "gold_top_among_reported": rate(self.gold_top_reported, self.n),
            "model_accuracy": rate(self.model_hits, self.model_total),
            "model_named": self.model_total,
            "ambiguous_se_asked": rate(self.ambiguous_se_asked, self.ambiguous_se),
            "ambiguous_se": self.ambiguous_se,
            "damage_recall": rate(self.damage_hits, self.damage_total),
            "damage_precision": rate(self.damage_flagged_right, self.damage_flagged),
            "damaged": self.damage_total,
            "off_topic_erasing_first": self.off_topic_erasing,
            "off_topic": self.off_topic_total,
            "damaged_erasing_first": self.damaged_erasing,
            "clarify_rate": rate(self.clarify, self.n),
            "per_symptom_recall": {k: rate(v[0], v[1]) for k, v in sorted(self.per_symptom.items())},
            "per_symptom_count": {k: v[1] for k, v in sorted(self.per_symptom.items())},
            "statuses": dict(sorted(self.statuses.items())),
        }


def _folds(items: Sequence[dict[str, Any]]) -> list[list[int]]:
    from sklearn.model_selection import StratifiedKFold

    labels = [str(item["symptoms"][0]) for item in items]
    splitter = StratifiedKFold(n_splits=FOLDS, shuffle=True, random_state=SEED)
    return [list(test) for _, test in splitter.split(labels, labels)]


async def _answer_all(triage: Triage, texts: Sequence[str]) -> list[TriageAnswer]:
    return [await triage.answer(TriageRequest(text=text)) for text in texts]


def cross_validate_real(knowledge: Knowledge) -> dict[str, Tally]:
    """Every real message (dev + extra) under stratified k-fold CV through the whole pipeline, tallied for
    all of them and for each set."""
    import warnings

    warnings.filterwarnings("ignore", message="The least populated class")
    dev = load_dev()
    extra = [
        item
        for path in extra_files()
        if not any(path.match(round_) for round_ in OUT_OF_CV)
        for item in load_real_file(path)
    ]
    items = dev + extra
    set_of = ["dev"] * len(dev) + ["extra"] * len(extra)
    base = load_samples(with_dev=False)
    matcher = Matcher(knowledge)
    tallies = {"all": Tally(), "dev": Tally(), "extra": Tally()}
    for held_out in _folds(items):
        held = set(held_out)
        training = base + dev_samples([item for i, item in enumerate(items) if i not in held])
        triage = Triage(knowledge, SymptomClassifier(train(training, knowledge, matcher)))
        answers = asyncio.run(_answer_all(triage, [str(items[i]["text"]) for i in held_out]))
        for i, answer in zip(held_out, answers, strict=True):
            for name in ("all", set_of[i]):
                _add(tallies[name], items[i], answer)
    return tallies


def fresh_held_out(knowledge: Knowledge, pattern: str) -> Tally:
    """A collection round (files matching ``pattern``) scored by a model trained on everything else: no rule,
    threshold or setting was changed after looking at them, so this is the figure closest to new messages."""
    fresh = [item for path in extra_files() if path.match(pattern) for item in load_real_file(path)]
    rest = [item for path in (DEV_SET, *extra_files()) if not path.match(pattern) for item in load_real_file(path)]
    triage = Triage(knowledge, SymptomClassifier(train(load_samples(dev_items=rest), knowledge, Matcher(knowledge))))
    tally = Tally()
    for item, answer in zip(fresh, asyncio.run(_answer_all(triage, [str(i["text"]) for i in fresh])), strict=True):
        _add(tally, item, answer)
    return tally


def _add(tally: Tally, item: dict[str, Any], answer: TriageAnswer) -> None:
    tally.add([str(s) for s in item["symptoms"]], item["model"], bool(item["damage"]), answer, str(item["text"]))


def corpus_figures(knowledge: Knowledge) -> dict[str, Any]:
    """The repo corpus through the shipped model (trained on it: a fit figure)."""
    from tests.core.corpus import answer_all, load_cases, score

    cases = load_cases()
    result = score(cases, asyncio.run(answer_all(Triage(knowledge), cases)))
    return {
        "messages": result.total,
        "model_accuracy": round(result.model_accuracy, 3),
        "top_symptom": round(result.symptom_accuracy, 3),
        "damage_recall": round(result.damage_recall, 3),
        "damage_false_positive_rate": round(result.damage_false_positive_rate, 3),
        "off_topic_recall": round(result.off_topic_recall, 3),
        "on_topic_dropped": round(result.on_topic_dropped_rate, 3),
        "erasing_first_on_damaged_or_off_topic": result.erasing_violations,
    }


def _table(columns: Sequence[tuple[str, dict[str, Any]]], corpus: dict[str, Any]) -> str:
    """One column per evaluation of real messages, then the corpus fit figures and the target."""

    def pct(value: float | None) -> str:
        return "-" if value is None else f"{value:.1%}"

    def row(label: str, key: str, corpus_value: str, target: str, fmt: Any = pct) -> str:
        cells = [fmt(figures[key]) for _, figures in columns]
        return f"| {label} | {' | '.join(cells)} | {corpus_value} | {target} |"

    def count(key: str) -> str:
        return ", ".join(str(figures[key]) for _, figures in columns)

    lines = [
        "| metric | " + " | ".join(f"{name} (n={figures['messages']})" for name, figures in columns)
        + " | corpus (trained on) | target |",
        "|---|" + "---|" * (len(columns) + 2),
        row("top symptom", "top_symptom", pct(corpus["top_symptom"]), ">= 80%"),
        row("top symptom, on-topic messages only", "top_symptom_on_topic", "-", ""),
        row("any symptom (overlap with gold list)", "any_symptom", "-", ">= 90%"),
        row("gold top among reported symptoms", "gold_top_among_reported", "-", ""),
        row(f"model right, when named (n={count('model_named')})", "model_accuracy",
            pct(corpus["model_accuracy"]), ">= 95%"),
        row(f"an ambiguous SE asked (n={count('ambiguous_se')})", "ambiguous_se_asked", "-", "100%"),
        row(f"damage recall (n={count('damaged')})", "damage_recall", pct(corpus["damage_recall"]), ">= 90%"),
        row("damage precision", "damage_precision", "-", ">= 85%"),
        row(f"off-topic given an erasing first step (n={count('off_topic')})", "off_topic_erasing_first",
            str(corpus["erasing_first_on_damaged_or_off_topic"]), "0", str),
        row("damaged given an erasing first step", "damaged_erasing_first", "(incl. above)", "0", str),
        row("asked to clarify", "clarify_rate", "-", ""),
    ]  # fmt: skip
    names = [name for name, _ in columns]
    lines += ["", f"| top symptom recall by gold label | {' | '.join(names)} |", "|---|" + "---|" * len(names)]
    labels = sorted({label for _, figures in columns for label in figures["per_symptom_recall"]})
    for label in labels:
        cells = [
            f"{pct(f['per_symptom_recall'].get(label))} of {f['per_symptom_count'].get(label, 0)}" for _, f in columns
        ]
        lines.append(f"| {label} | {' | '.join(cells)} |")
    lines += [""] + [f"statuses, {name}: {figures['statuses']}" for name, figures in columns]
    return "\n".join(lines)


def speed() -> dict[str, Any]:
    """Per-message cost of the whole pipeline on the real messages (dev + corpus, 3 rounds), wall and CPU
    time of this thread, plus the classifier's load time and the CLI's time to its first answer."""
    import statistics
    import subprocess

    from tests.core.corpus import load_cases

    texts = [str(item["text"]) for item in load_real()] + [case.text for case in load_cases()]
    started = time.perf_counter()
    SymptomClassifier.load()
    load_s = time.perf_counter() - started
    triage = Triage.from_directory()

    async def timed() -> tuple[list[float], list[float]]:
        for text in texts[:50]:
            await triage.answer(TriageRequest(text=text))
        wall, cpu = [], []
        for _ in range(3):
            for text in texts:
                w, c = time.perf_counter(), time.thread_time()
                await triage.answer(TriageRequest(text=text))
                cpu.append((time.thread_time() - c) * 1e3)
                wall.append((time.perf_counter() - w) * 1e3)
        return sorted(wall), sorted(cpu)

    wall, cpu = asyncio.run(timed())
    cli = []
    for _ in range(6):
        w = time.perf_counter()
        subprocess.run(
            [sys.executable, "-m", "bot", "triage", "my iphone 7 plus is stuck on the apple logo"],
            cwd=ROOT, capture_output=True, check=True,
        )  # fmt: skip
        cli.append(time.perf_counter() - w)

    def p99(values: list[float]) -> float:
        return round(values[int(len(values) * 0.99)], 3)

    return {
        "messages": len(wall),
        "wall_median_ms": round(statistics.median(wall), 3),
        "wall_p99_ms": p99(wall),
        "cpu_median_ms": round(statistics.median(cpu), 3),
        "cpu_p99_ms": p99(cpu),
        "classifier_load_s": round(load_s, 3),
        "cli_ready_median_s": round(statistics.median(cli[1:]), 3),
        "load_average": os.getloadavg()[0],
    }


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Quality bench: real messages under CV, held out, and the corpus.")
    parser.add_argument("--json", type=Path, help="write the figures here")
    parser.add_argument("--misses", action="store_true", help="list the real messages whose top symptom was wrong")
    parser.add_argument("--speed", action="store_true", help="only measure the per-message cost")
    parser.add_argument(
        "--cv-only", action="store_true", help="skip the held-out rounds (for trying a change without seeing them)"
    )
    args = parser.parse_args(argv)
    if args.speed:
        print(json.dumps(speed(), indent=2))
        return 0
    started = time.perf_counter()
    knowledge = load_knowledge(ROOT / "knowledge")
    tallies = cross_validate_real(knowledge)
    columns = [(f"{name}, {FOLDS}-fold CV", tally.figures()) for name, tally in tallies.items() if tally.n]
    for pattern in () if args.cv_only else FRESH:
        if any(path.match(pattern) for path in extra_files()):
            columns.append((f"{pattern}, held out", fresh_held_out(knowledge, pattern).figures()))
    corpus = corpus_figures(knowledge)
    print(_table(columns, corpus))
    print(f"\n({time.perf_counter() - started:.0f} s; seed {SEED}, {FOLDS} folds)")
    if args.misses:
        print("\n".join(["", "top-symptom misses, all real messages under CV:", *tallies["all"].misses]))
    if args.json:
        figures = dict(columns)
        args.json.write_text(json.dumps({**figures, "corpus": corpus}, indent=2) + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

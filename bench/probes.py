"""Probe bench: score a batch of written probes once, the way issue 11's probe target counts them.

    .venv/bin/python bench/probes.py FILE.yaml [FILE.yaml ...]

A fresh batch (written blind to the rules, not yet in tests/core/data/) is scored here once, before anything
is changed for it; that first run is the measure (bench/README.md "Fresh probe batches"). Each probe goes
through ``Matcher.analyse`` for the fields (``tests/core/test_probes.py``'s ``wrong_fields``: model or the
candidates to ask between, damage kinds, error codes) and through ``Triage.answer`` for what the user gets:
the answer's button family, whether damage was flagged, and danger for smoke.
"""

from __future__ import annotations

import argparse
import asyncio
import sys
from collections import Counter
from collections.abc import Sequence
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bot.core.answer import TriageRequest  # noqa: E402
from bot.core.triage import Triage  # noqa: E402
from tests.core.test_probes import Probe, allowed_families, damage_missed, wrong_fields  # noqa: E402


def score(triage: Triage, probes: Sequence[Probe]) -> list[str]:
    """The report lines for one batch: the figures, then every miss."""
    families: dict[str, str | None] = {m.id: m.family for m in triage.knowledge.models.models}
    misses: list[str] = []
    wrong_family = missed_damage = not_danger = 0
    kinds: Counter[str] = Counter()
    for probe in probes:
        wrong = wrong_fields(probe, triage.matcher.analyse(probe.text))
        answer = asyncio.run(triage.answer(TriageRequest(text=probe.text)))
        if answer.model is not None and answer.model.family not in allowed_families(probe, families):
            wrong_family += 1
            wrong.append(f"ANOTHER FAMILY's buttons: answered for {answer.model.name}")
        if damage_missed(probe, answer):
            missed_damage += 1
        if "smoke" in probe.damage and answer.severity != "danger":
            not_danger += 1
            wrong.append(f"smoke not answered as danger ({answer.severity})")
        if wrong:
            kinds[probe.kind] += 1
            misses.append(f"  [{probe.kind}] {probe.text!r}: {'; '.join(wrong)}")
    right = len(probes) - len(misses)
    smoke = sum("smoke" in p.damage for p in probes)
    return [
        f"right in every field: {right}/{len(probes)} ({right / len(probes):.1%})   target >= 95%",
        f"answered with another family's buttons: {wrong_family}   target 0",
        f"damage missed: {missed_damage} of {sum(bool(p.damage) for p in probes)} damaged   target 0",
        f"smoke not answered as danger: {not_danger} of {smoke}   target 0",
        f"misses by kind: {dict(sorted(kinds.items()))}",
        *misses,
    ]


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("files", nargs="+", type=Path)
    args = parser.parse_args(argv)
    triage = Triage.from_directory()
    for path in args.files:
        probes = [Probe.from_yaml(item) for item in yaml.safe_load(path.read_text(encoding="utf-8"))]
        print(f"== {path}: {len(probes)} probes")
        print("\n".join(score(triage, probes)))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

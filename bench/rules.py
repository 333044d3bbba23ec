"""Rules bench: the model reader and the damage / danger detectors alone, on labelled message files.

    .venv/bin/python bench/rules.py                         # tests/core/data/real_dev.yaml
    .venv/bin/python bench/rules.py FILE.yaml [FILE.yaml]   # any files labelled per labelling.md
    .venv/bin/python bench/rules.py --quiet FILE.yaml       # figures only, no list of misses

No classifier is involved: each message goes through the bot's own ``Matcher.analyse`` (normalisation, typo
fixes, model reader, damage detectors), which is what ``Triage.answer`` reads the model and the damage
from, so the figures are what users get. Labels (``model``, ``damage``) follow
../shared/reference/labelling.md:
- model right: the reader names the labelled model; "ambiguous: SE" is right only when the reader returns
  several candidates and no model.
- another family's buttons (the worst error): the reader names a model, and the label is a model of another
  button family, or "ambiguous: SE" with the reader naming one SE (the generations differ in buttons).
- a model invented: the label says no model and the reader names one (the bot would give its buttons).
- damage recall and precision over the ``damage`` label.
"""

from __future__ import annotations

import argparse
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bot.core.knowledge import load_knowledge  # noqa: E402
from bot.core.matching import Analysis, Matcher  # noqa: E402
from bot.paths import DEFAULT_KNOWLEDGE_DIR  # noqa: E402
from tools.train_classifier import LABEL_MODEL_NAMES  # noqa: E402

DEFAULT_FILES = (ROOT / "tests" / "core" / "data" / "real_dev.yaml",)
AMBIGUOUS = "ambiguous"


@dataclass
class Tally:
    """Counts behind the figures, and the messages behind each error."""

    messages: int = 0
    named: int = 0
    model_right: int = 0
    damaged: int = 0
    damage_caught: int = 0
    flagged: int = 0
    flagged_right: int = 0
    other_family: list[str] = field(default_factory=list)
    model_misses: list[str] = field(default_factory=list)
    invented: list[str] = field(default_factory=list)
    damage_missed: list[str] = field(default_factory=list)
    damage_false: list[str] = field(default_factory=list)


def _short(text: str, limit: int = 110) -> str:
    flat = " ".join(text.split())
    return flat if len(flat) <= limit else flat[: limit - 1] + "…"


def _read(analysis: Analysis, names: dict[str, str]) -> str:
    mention = analysis.model
    if mention.model_id:
        return f"{names[mention.model_id]} from {mention.phrase!r} ({mention.how})"
    if mention.candidates:
        return f"asks: {', '.join(names[c] for c in mention.candidates)} ({mention.how})"
    return "none"


class RulesBench:
    def __init__(self) -> None:
        knowledge = load_knowledge(DEFAULT_KNOWLEDGE_DIR)
        self.matcher = Matcher(knowledge)
        self.names = {m.id: m.name for m in knowledge.models.models}
        self.by_name = {m.name: m.id for m in knowledge.models.models}
        self.by_name.update({label: self.by_name[name] for label, name in LABEL_MODEL_NAMES.items()})
        self.family = {m.id: m.family for m in knowledge.models.models}
        self.se_ids = next((tuple(g.candidates) for g in knowledge.models.ambiguous), ())

    def score(self, items: list[dict[str, Any]]) -> Tally:
        tally = Tally()
        for item in items:
            self.add(tally, str(item["text"]), item.get("model"), bool(item.get("damage")))
        return tally

    def add(self, tally: Tally, text: str, gold_model: str | None, gold_damage: bool) -> None:
        analysis = self.matcher.analyse(text)
        tally.messages += 1
        mention = analysis.model
        line = f"{_short(text)}\n      label {gold_model!r}, read {_read(analysis, self.names)}"
        if gold_model is None:
            if mention.model_id:
                tally.invented.append(line)
        else:
            tally.named += 1
            if gold_model.startswith(AMBIGUOUS):
                right = mention.model_id is None and len(mention.candidates) > 1
                wrong_family = mention.model_id in self.se_ids
            else:
                gold_id = self.by_name.get(gold_model)
                if gold_id is None:
                    raise SystemExit(f"unknown model label {gold_model!r} in: {_short(text)}")
                right = mention.model_id == gold_id
                wrong_family = bool(mention.model_id) and self.family[mention.model_id or ""] != self.family[gold_id]
            tally.model_right += right
            if wrong_family:
                tally.other_family.append(line)
            elif not right:
                tally.model_misses.append(line)
        flagged = bool(analysis.damage)
        kinds = ", ".join(f"{e.id} {list(e.matched)}" for e in analysis.damage) or "none"
        damage_line = f"{_short(text)}\n      found {kinds}; negated {list(analysis.negated_damage)}"
        if gold_damage:
            tally.damaged += 1
            tally.damage_caught += flagged
            if not flagged:
                tally.damage_missed.append(damage_line)
        if flagged:
            tally.flagged += 1
            tally.flagged_right += gold_damage
            if not gold_damage:
                tally.damage_false.append(damage_line)


def _pct(hits: int, total: int) -> str:
    return f"{100 * hits / total:.1f}% ({hits}/{total})" if total else "- (0/0)"


def report(name: str, tally: Tally, seconds: float, quiet: bool) -> str:
    lines = [
        f"== {name}: {tally.messages} messages, read in {seconds * 1000:.0f} ms",
        f"model right, when the label names one: {_pct(tally.model_right, tally.named)}   target >= 95%",
        f"answers with ANOTHER FAMILY's buttons: {len(tally.other_family)}   target 0",
        f"a model named where the label has none: {len(tally.invented)}",
        f"damage recall: {_pct(tally.damage_caught, tally.damaged)}   target >= 90%",
        f"damage precision: {_pct(tally.flagged_right, tally.flagged)}   target >= 85%",
    ]
    if quiet:
        return "\n".join(lines)
    sections = (
        ("ANOTHER FAMILY", tally.other_family),
        ("model misses (same family or not named)", tally.model_misses),
        ("model named where the label has none", tally.invented),
        ("damage missed", tally.damage_missed),
        ("damage flagged, label says none", tally.damage_false),
    )
    for title, entries in sections:
        if entries:
            lines.append(f"-- {title} ({len(entries)})")
            lines += (f"  - {entry}" for entry in entries)
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("files", nargs="*", type=Path, help="labelled YAML files (default: the dev set)")
    parser.add_argument("--quiet", action="store_true", help="figures only")
    args = parser.parse_args(argv)
    bench = RulesBench()
    total = Tally()
    files = args.files or list(DEFAULT_FILES)
    for path in files:
        items = yaml.safe_load(path.read_text(encoding="utf-8")) or []
        started = time.perf_counter()
        tally = bench.score(items)
        print(report(str(path), tally, time.perf_counter() - started, args.quiet))
        for name, value in vars(tally).items():
            setattr(total, name, getattr(total, name) + value)
    if len(files) > 1:
        print(report("all files", total, 0.0, quiet=True))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

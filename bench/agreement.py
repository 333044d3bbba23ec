"""Label agreement: how consistently the real messages can be labelled (inter-annotator agreement).

    .venv/bin/python bench/agreement.py sample   # draw the sample, write bench/data/relabel_blind.yaml (text only)
    .venv/bin/python bench/agreement.py score    # compare the blind labels with the originals (and the bot)

- ``sample`` draws SAMPLE_SIZE messages (seed SEED) from every real message (the development set and
  tests/core/data/real_extra/*.yaml, without the files of a round still being harvested, ``HARVESTING``) and
  writes their id and text only: no label, no source, no note, so the second labeller sees nothing but the words.
  The id is a hash of the text, so it says nothing about the file (whose name hints at the label).
- A second labeller labels that file blind, per ../shared/reference/labelling.md (symptoms, model, damage,
  best_first_action, note next to each text).
- ``score`` compares the two: top-symptom agreement and Cohen's kappa, any overlap of the symptom lists, damage
  (agreement, kappa, each direction of disagreement), model where either names one, best_first_action, and a
  confusion table of top symptoms. It also runs the shipped pipeline on the same messages and says how often
  the bot's top symptom matches each labeller. The shipped model was trained on these messages, so that figure
  is optimistic.

Method and results: bench/README.md, section "Label agreement (this session)".
"""

from __future__ import annotations

import argparse
import asyncio
import hashlib
import json
import random
import sys
from collections import Counter
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import yaml

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.quality import reported  # noqa: E402
from tools.train_classifier import DEV_SET, extra_files, load_real_file  # noqa: E402

SEED = 20261202
SAMPLE_SIZE = 160
BLIND = ROOT / "bench" / "data" / "relabel_blind.yaml"
# The files of the collection round being harvested while this was drawn: not yet final, so not sampled.
HARVESTING = "r5_*.yaml"
LABEL_FIELDS = ("symptoms", "model", "damage", "best_first_action", "note")


def text_id(text: str) -> str:
    """A stable id that says nothing about the file the message came from."""
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:10]


def real_items() -> list[dict[str, Any]]:
    paths = [DEV_SET, *(p for p in extra_files() if not p.match(HARVESTING))]
    return [item for path in paths for item in load_real_file(path)]


def real_messages() -> dict[str, dict[str, Any]]:
    """Every labelled real message outside the harvesting round, by id: the files ``load_real`` reads, less that
    round (read file by file here, as ``load_real`` does not say which file a message came from)."""
    by_id: dict[str, dict[str, Any]] = {}
    for item in real_items():
        by_id.setdefault(text_id(str(item["text"])), item)  # a text labelled twice keeps its first label
    return by_id


def draw_sample() -> list[str]:
    ids = sorted(real_messages())
    return random.Random(SEED).sample(ids, SAMPLE_SIZE)


def write_blind(path: Path = BLIND) -> None:
    if path.exists():
        raise SystemExit(f"{path} exists (it may hold labels): move it away to draw again")
    messages = real_messages()
    rows = [{"id": i, "text": str(messages[i]["text"])} for i in draw_sample()]
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(yaml.safe_dump(rows, allow_unicode=True, sort_keys=False, width=120), encoding="utf-8")
    print(f"wrote {len(rows)} messages (of {len(messages)}) to {path.relative_to(ROOT)}")


Labels = dict[str, Any]  # one labeller's fields for one message (LABEL_FIELDS)


def load_blind(path: Path = BLIND) -> list[dict[str, Any]]:
    rows: list[dict[str, Any]] = yaml.safe_load(path.read_text(encoding="utf-8"))
    unlabelled = [row["id"] for row in rows if not row.get("symptoms")]
    if unlabelled:
        raise SystemExit(f"{len(unlabelled)} messages have no blind label yet, e.g. {unlabelled[:3]}")
    return rows


def kappa(pairs: Sequence[tuple[Any, Any]]) -> float:
    """Cohen's kappa of two labellers' categorical labels: agreement beyond what their label rates give by chance."""
    n = len(pairs)
    observed = sum(a == b for a, b in pairs) / n
    first, second = Counter(a for a, _ in pairs), Counter(b for _, b in pairs)
    expected = sum(first[label] * second[label] for label in first) / (n * n)
    return (observed - expected) / (1 - expected) if expected < 1 else 1.0


def share(hits: Sequence[bool]) -> float:
    return round(sum(hits) / len(hits), 3)


def agreement(pairs: Sequence[tuple[Any, Any]]) -> dict[str, Any]:
    hits = sum(a == b for a, b in pairs)
    return {"n": len(pairs), "agree": hits, "rate": round(hits / len(pairs), 3), "kappa": round(kappa(pairs), 3)}


def model_agreement(pairs: Sequence[tuple[str | None, str | None]]) -> dict[str, Any]:
    """Over the messages where either labeller names a model: same name, different names, only one names one."""
    named = [(a, b) for a, b in pairs if a is not None or b is not None]
    same = sum(a is not None and b is not None and a.casefold() == b.casefold() for a, b in named)
    return {
        "n": len(named),
        "agree": same,
        "rate": round(same / len(named), 3) if named else None,
        "both_differ": sum(a is not None and b is not None and a.casefold() != b.casefold() for a, b in named),
        "only_original": sum(b is None for a, b in named),
        "only_blind": sum(a is None for a, b in named),
    }


def compare(originals: Sequence[Labels], blind: Sequence[Labels]) -> dict[str, Any]:
    """Every agreement figure between the original labels and the blind ones, message by message."""
    pairs = list(zip(originals, blind, strict=True))
    tops = [(str(o["symptoms"][0]), str(b["symptoms"][0])) for o, b in pairs]
    on_topic = [(o, b) for o, b in tops if o != "other"]
    damage = [(bool(o["damage"]), bool(b["damage"])) for o, b in pairs]
    return {
        "messages": len(pairs),
        "top_symptom": agreement(tops),
        "top_symptom_original_on_topic": agreement(on_topic),
        "top_is_other": agreement([(o == "other", b == "other") for o, b in tops]),
        "any_symptom_overlap": share([bool(set(o["symptoms"]) & set(b["symptoms"])) for o, b in pairs]),
        "original_top_in_blind_list": share([o["symptoms"][0] in b["symptoms"] for o, b in pairs]),
        "blind_top_in_original_list": share([b["symptoms"][0] in o["symptoms"] for o, b in pairs]),
        "damage": {
            **agreement(damage),
            "original_yes_blind_no": sum(o and not b for o, b in damage),
            "original_no_blind_yes": sum(b and not o for o, b in damage),
            "original_yes": sum(o for o, _ in damage),
            "blind_yes": sum(b for _, b in damage),
        },
        "model": model_agreement([(o["model"], b["model"]) for o, b in pairs]),
        "best_first_action": agreement([(str(o["best_first_action"]), str(b["best_first_action"])) for o, b in pairs]),
        "top_confusion": confusion(tops),
        "action_confusion": confusion([(str(o["best_first_action"]), str(b["best_first_action"])) for o, b in pairs]),
    }


def confusion(pairs: Sequence[tuple[str, str]]) -> dict[str, dict[str, int]]:
    """Rows: the original label; columns: the blind one."""
    table: dict[str, dict[str, int]] = {}
    for original, blind in pairs:
        row = table.setdefault(original, {})
        row[blind] = row.get(blind, 0) + 1
    return {row: dict(sorted(cols.items())) for row, cols in sorted(table.items())}


def bot_tops(texts: Sequence[str]) -> list[str]:
    """The shipped pipeline's top symptom in labelling ids (``bench.quality.reported``)."""
    from bot.core.answer import TriageRequest
    from bot.core.triage import Triage

    triage = Triage.from_directory()

    async def answer_all() -> list[str]:
        return [reported(await triage.answer(TriageRequest(text=text)))[0] for text in texts]

    return asyncio.run(answer_all())


def bot_tops_cross_validated(ids: Sequence[str]) -> dict[str, str]:
    """The bot's top symptom for each sampled message from a model that never saw it: the quality bench's 5
    stratified folds (``bench.quality._folds``, its seed) over the same real messages as the sample, each fold
    trained on the written examples, the corpus and the other four folds, as the quality bench does."""
    import warnings

    from bench.quality import _folds
    from bot.core.answer import TriageRequest
    from bot.core.classifier import SymptomClassifier
    from bot.core.knowledge import load_knowledge
    from bot.core.matching import Matcher
    from bot.core.triage import Triage
    from tools.train_classifier import dev_samples, load_samples, train

    warnings.filterwarnings("ignore", message="The least populated class")
    knowledge = load_knowledge(ROOT / "knowledge")
    items = real_items()
    wanted = set(ids)
    base = load_samples(with_dev=False)
    tops: dict[str, str] = {}
    for held_out in _folds(items):
        held = [i for i in held_out if text_id(str(items[i]["text"])) in wanted]
        if not held:
            continue
        kept = set(held_out)
        training = base + dev_samples([item for i, item in enumerate(items) if i not in kept])
        triage = Triage(knowledge, SymptomClassifier(train(training, knowledge, Matcher(knowledge))))

        async def answer_all(indices: Sequence[int] = held, bot: Triage = triage) -> list[str]:
            return [reported(await bot.answer(TriageRequest(text=str(items[i]["text"]))))[0] for i in indices]

        for i, top in zip(held, asyncio.run(answer_all()), strict=True):
            tops[text_id(str(items[i]["text"]))] = top
    return tops


def bot_figures(bot: Sequence[str], originals: Sequence[Labels], blind: Sequence[Labels]) -> dict[str, Any]:
    triples = list(
        zip(bot, (str(o["symptoms"][0]) for o in originals), (str(b["symptoms"][0]) for b in blind), strict=True)
    )
    return {
        "matches_original": share([top == o for top, o, _ in triples]),
        "matches_blind": share([top == b for top, _, b in triples]),
        "matches_either": share([top in (o, b) for top, o, b in triples]),
        "matches_both_where_labellers_agree": share([top == o for top, o, b in triples if o == b]),
        "matches_original_where_labellers_disagree": share([top == o for top, o, b in triples if o != b]),
        "matches_blind_where_labellers_disagree": share([top == b for top, o, b in triples if o != b]),
    }


def _pct(value: float) -> str:
    return f"{value:.1%}"


def report(figures: dict[str, Any]) -> str:
    top, dmg, model, action = (figures[k] for k in ("top_symptom", "damage", "model", "best_first_action"))
    on_topic, other = figures["top_symptom_original_on_topic"], figures["top_is_other"]
    lines = [
        f"{figures['messages']} messages, original label vs blind relabel",
        f"top symptom: {_pct(top['rate'])} agree ({top['agree']}/{top['n']}), kappa {top['kappa']}",
        f"  where the original is on topic: {_pct(on_topic['rate'])} ({on_topic['agree']}/{on_topic['n']})",
        f"  'other' or not: {_pct(other['rate'])}, kappa {other['kappa']}",
        f"any overlap of the symptom lists: {_pct(figures['any_symptom_overlap'])}",
        f"original top in the blind list: {_pct(figures['original_top_in_blind_list'])}; "
        f"blind top in the original list: {_pct(figures['blind_top_in_original_list'])}",
        f"damage: {_pct(dmg['rate'])} agree, kappa {dmg['kappa']} (original yes {dmg['original_yes']}, blind yes "
        f"{dmg['blind_yes']}; original yes/blind no {dmg['original_yes_blind_no']}, "
        f"original no/blind yes {dmg['original_no_blind_yes']})",
        f"model, where either names one (n={model['n']}): {_pct(model['rate'])} same; different names "
        f"{model['both_differ']}, only the original names one {model['only_original']}, only the blind "
        f"{model['only_blind']}",
        f"best_first_action: {_pct(action['rate'])} agree ({action['agree']}/{action['n']}), kappa {action['kappa']}",
    ]
    for name, key in (("shipped bot (trained on these messages)", "bot_shipped"), ("bot, 5-fold CV", "bot_cv")):
        if key in figures:
            bot = figures[key]
            lines.append(
                f"{name}: top matches the original {_pct(bot['matches_original'])}, the blind "
                f"{_pct(bot['matches_blind'])}, either {_pct(bot['matches_either'])}; where the two labellers agree "
                f"{_pct(bot['matches_both_where_labellers_agree'])}; where they disagree, the original "
                f"{_pct(bot['matches_original_where_labellers_disagree'])}, the blind "
                f"{_pct(bot['matches_blind_where_labellers_disagree'])}"
            )
    for title, key in (("top symptoms", "top_confusion"), ("best_first_action", "action_confusion")):
        lines += ["", f"confusion of {title} (rows: original, columns: blind)", *_confusion_lines(figures[key])]
    return "\n".join(lines)


def _confusion_lines(table: dict[str, dict[str, int]]) -> list[str]:
    columns = sorted({c for row in table.values() for c in row} | set(table))
    lines = ["| original \\ blind | " + " | ".join(columns) + " |", "|---|" + "---:|" * len(columns)]
    for row in columns:
        cells = [str(table.get(row, {}).get(c, "")) for c in columns]
        lines.append(f"| {row} | " + " | ".join(cells) + " |")
    return lines


def disagreements(rows: Sequence[dict[str, Any]], messages: dict[str, dict[str, Any]]) -> list[str]:
    """Each message whose top symptom, damage or first action differs, both labels and notes side by side."""
    out = []
    for row in rows:
        original = messages[row["id"]]
        fields = [f for f in ("symptoms", "damage", "best_first_action", "model") if _differs(f, original, row)]
        if not fields:
            continue
        flat = " ".join(str(row["text"]).split())[:160]
        out += [f"--- {row['id']} [{', '.join(fields)}]: {flat}"]
        for who, labels in (("original", original), ("blind", row)):
            values = {f: labels[f] for f in ("symptoms", "model", "damage", "best_first_action")}
            out += [f"  {who}: {values}", f"    note: {labels.get('note')}"]
    return out


def _differs(field: str, original: Labels, blind: Labels) -> bool:
    if field == "symptoms":
        return bool(original["symptoms"][0] != blind["symptoms"][0])
    if field == "model":
        a, b = original["model"], blind["model"]
        return (a or "").casefold() != (b or "").casefold()
    return bool(original[field] != blind[field])


def score(json_path: Path | None, cross_validated: bool = False, show: bool = False) -> int:
    messages = real_messages()
    rows = load_blind()
    gone = [row["id"] for row in rows if row["id"] not in messages]
    if gone:  # a text edited in its label file since the sample was drawn
        print(f"{len(gone)} sampled messages no longer found, left out: {gone}")
        rows = [row for row in rows if row["id"] in messages]
    originals = [messages[row["id"]] for row in rows]
    figures = compare(originals, rows)
    shipped = bot_tops([str(row["text"]) for row in rows])
    figures["bot_shipped"] = bot_figures(shipped, originals, rows)
    per_message = [
        {"id": row["id"], "original": o["symptoms"][0], "blind": row["symptoms"][0], "bot_shipped": top}
        for row, o, top in zip(rows, originals, shipped, strict=True)
    ]
    if cross_validated:
        tops = bot_tops_cross_validated([row["id"] for row in rows])
        figures["bot_cv"] = bot_figures([tops[row["id"]] for row in rows], originals, rows)
        for entry in per_message:
            entry["bot_cv"] = tops[entry["id"]]
    figures["per_message"] = per_message
    print(report(figures))
    if show:
        print("\n".join(["", "disagreements:", *disagreements(rows, messages)]))
    if json_path:
        json_path.write_text(json.dumps(figures, indent=2) + "\n", encoding="utf-8")
    return 0


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("command", choices=("sample", "score"))
    parser.add_argument("--json", type=Path, help="also write the figures to this file (score)")
    parser.add_argument("--cv", action="store_true", help="also score the bot under 5-fold CV (slow: 5 trainings)")
    parser.add_argument("--disagreements", action="store_true", help="list every disagreement with both notes")
    args = parser.parse_args(argv)
    if args.command == "sample":
        write_blind()
        return 0
    return score(args.json, cross_validated=args.cv, show=args.disagreements)


if __name__ == "__main__":
    raise SystemExit(main())

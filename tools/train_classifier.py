"""Train the symptom classifier with scikit-learn and export it to plain JSON (no pickles).

    .venv/bin/python -m tools.train_classifier          # retrain and write bot/core/data/symptom_model.json
    .venv/bin/python -m tools.train_classifier --check  # exit 1 if the JSON is out of step with its sources

Training data, all reviewable YAML:
- knowledge/examples/*.yaml: example messages per class, written for the project;
- tests/core/data/messages.yaml: the project's corpus (its ids mapped by ``corpus_label``);
- tests/core/data/real_dev.yaml: the real development messages (mapped by ``dev_label``);
- tests/core/data/real_extra/*.yaml: more real messages, collected and labelled the same way, each with its source.

Everything is deterministic (fixed seeds, sorted inputs), so the same sources give the same JSON. The JSON
records a sha256 of its sources and this configuration; a fast test compares it with the files.
scikit-learn is a development dependency: the bot itself only reads the JSON (bot/core/classifier.py).
"""

from __future__ import annotations

import argparse
import hashlib
import json
import re
import sys
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from bot.core.classifier import MODEL_FORMAT, MODEL_PATH, NON_FAULT
from bot.core.knowledge import Knowledge, load_knowledge
from bot.core.matching import Matcher
from bot.core.nlu_features import FEATURE_VERSION, Features, features

ROOT = Path(__file__).resolve().parent.parent
EXAMPLES_DIR = ROOT / "knowledge" / "examples"
CORPUS = ROOT / "tests" / "core" / "data" / "messages.yaml"
DEV_SET = ROOT / "tests" / "core" / "data" / "real_dev.yaml"
REAL_EXTRA_DIR = ROOT / "tests" / "core" / "data" / "real_extra"
FEATURE_CODE = ROOT / "bot" / "core" / "nlu_features.py"
NORMALISER_CODE = ROOT / "bot" / "core" / "text.py"  # what the features are computed on
# Files in knowledge/examples/ that hold answer text, not training examples.
NOT_EXAMPLES = frozenset({"answers.yaml"})
# Classes a rule decides, not the classifier: another device is the one the message names
# (bot/core/nlu_decide.py, names_only_another_device). Its messages tell the same faults as an iPhone's ("stuck
# on the logo") and would teach the model that a boot loop with no model named is not an iPhone's.
RULED_CLASSES = frozenset({"other_device"})

CONFIG: dict[str, Any] = {
    "C": 8.0,  # inverse L2 strength of the logistic regression
    "min_df": 2,  # a text feature must occur in this many training messages
    "max_text_features": 6000,  # kept after a first fit, by largest weight in any class
    "pattern_scale": 1.0,  # pattern values (0..1) next to the L2-normalised text block
    "corpus_patterns": True,  # whether corpus messages train the pattern block too (see fit)
    "class_weight": "balanced",
    "weights": {"examples": 1.0, "corpus": 1.0, "dev": 2.0, "dev_secondary": 0.5},
    "temperature_folds": 3,
    "seed": 20261201,
    "min_export_weight": 0.02,
}

# labelling.md writes the original iPhone as "iPhone"; the knowledge names it "iPhone (original)".
LABEL_MODEL_NAMES = {"iPhone": "iPhone (original)"}

# How the labelling ids of the development set (labelling.md) become classes.
_DEV_IDS = {"howto_dfu": "howto"}
_HEAT = re.compile(r"\b(overheat\w*|too hot|very hot|gets hot|hot|temperature)\b", re.I)
_EXIT = re.compile(r"\b(exit|leave|get out of|kick \w* ?out of|out of)\b[^.?!]{0,20}\b(recovery|dfu)\b", re.I)
_THANKS = re.compile(r"\b(thanks?|thank you|thx|gracias|danke|merci|obrigad[oa]|grazie|спасибо)\b|谢谢|ありがと", re.I)
_OTHER_DEVICE = re.compile(r"\b(ipad\w*|ipod|itouch|android|samsung|wiko|windows phone|pixel\w*|rooted)\b", re.I)
_ACCOUNT = re.compile(r"\b(activation|apple ?id|icloud|bypass lock|lock to owner|hello.? screen)\b", re.I)
_QUESTION = re.compile(r"\b(should i|is it safe|how (do|can) i (back ?up|move|transfer|update|copy))\b", re.I)


@dataclass(frozen=True, slots=True)
class Sample:
    """One labelled training message."""

    text: str
    label: str
    origin: str  # examples | corpus | dev | dev_secondary
    key: str  # stable id: file and position


# Development messages whose class the rules below would get wrong, by the start of their text.
_DEV_OVERRIDES = {
    "An Open Letter To Apple": "off_topic",  # a feature request that mentions an iPad in passing
    "Touchscreen won't work on iPhone 7 Plus": "off_topic",  # an Android port on a working iPhone
    "7 MANO MEU CELL TRAVO": "off_topic",  # an after-the-fact complaint
    "Boot into Recovery or DFU mode without Resetting iPad": "other_device",
    "porfavor ayudame tengo un iphone bloqueado": "activation_lock",  # a lost Apple ID password
}


def dev_label(item: dict[str, Any]) -> str:
    """The class of a development message from its labelling ids (most important first)."""
    top = str(item["symptoms"][0])
    text = str(item["text"])
    for start, label in _DEV_OVERRIDES.items():
        if text.startswith(start):
            return label
    if top == "other":
        return _fine_other(text, item.get("note") or "")
    if top == "howto_dfu":
        return "exit_mode" if _EXIT.search(text) else "howto"
    if top == "hardware_like" and _HEAT.search(text.split("\n")[0]):
        return "overheating"
    return _DEV_IDS.get(top, top)


def _fine_other(text: str, note: str) -> str:
    """Split the labelling's ``other`` into the non-fault classes the bot answers differently."""
    if _OTHER_DEVICE.search(note) or _OTHER_DEVICE.search(text):
        return "other_device"
    if _ACCOUNT.search(text) or "Activation Lock" in note:
        return "activation_lock"
    if _THANKS.search(text) and "thank" in note.lower():
        return "thanks"
    return "off_topic"


def corpus_label(item: dict[str, Any]) -> str | None:
    """The class of a corpus message: its symptom, or a non-fault class for off-topic chatter."""
    if item.get("symptom") == "howto" and _EXIT.search(str(item["text"])):
        return "exit_mode"
    if item.get("symptom"):
        return str(item["symptom"])
    if item.get("status") != "off_topic":
        return None  # damage with no symptom: the damage detectors answer it, not the classifier
    text = str(item["text"])
    if _THANKS.search(text) or re.search(r"\b(fixed it|it works now|ya funciona|hat geklappt|did it)\b", text, re.I):
        return "off_topic" if re.search(r"\bfor me\b", text, re.I) else "thanks"
    if _OTHER_DEVICE.search(text):
        return "other_device"
    return "off_topic"


def load_samples(dev_items: Sequence[dict[str, Any]] | None = None, with_dev: bool = True) -> list[Sample]:
    """Every training message; ``dev_items`` replaces all the real messages (for cross-validation)."""
    samples: list[Sample] = []
    for path in sorted(EXAMPLES_DIR.glob("*.yaml")):
        if path.name in NOT_EXAMPLES:
            continue
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
        label = str(data["label"])
        for i, text in enumerate(data["examples"]):
            samples.append(Sample(str(text), label, "examples", f"{path.name}:{i}"))
    corpus = yaml.safe_load(CORPUS.read_text(encoding="utf-8"))["messages"]
    for i, item in enumerate(corpus, start=1):
        corpus_class = corpus_label(item)
        if corpus_class is not None:
            samples.append(Sample(str(item["text"]), corpus_class, "corpus", f"corpus:{i}"))
    if with_dev:
        items = load_trained_real() if dev_items is None else dev_items
        samples += dev_samples(items)
    return samples


def load_dev() -> list[dict[str, Any]]:
    """The development set (../shared/reference/real-messages-dev.yaml as brought into the repo)."""
    return load_real_file(DEV_SET)


# The newest held-out round (bench/quality.py scores it by a model trained on everything else): it joins the shipped
# model when a newer round is collected, so the next stop can still measure the shipped model on it.
NOT_TRAINED_YET = ("r13_*.yaml",)


def extra_files() -> list[Path]:
    return sorted(REAL_EXTRA_DIR.glob("*.yaml"))


def load_extra() -> list[dict[str, Any]]:
    """The real messages collected after the development set, in file order."""
    return [item for path in extra_files() for item in load_real_file(path)]


def load_trained_real() -> list[dict[str, Any]]:
    """The real messages the shipped model learns from: all but the newest held-out round (``NOT_TRAINED_YET``)."""
    extra = [p for p in extra_files() if not any(p.match(pattern) for pattern in NOT_TRAINED_YET)]
    return load_dev() + [item for path in extra for item in load_real_file(path)]


def load_real() -> list[dict[str, Any]]:
    """Every labelled real message: the development set, then the later ones."""
    return load_dev() + load_extra()


def load_real_file(path: Path) -> list[dict[str, Any]]:
    items: list[dict[str, Any]] = yaml.safe_load(path.read_text(encoding="utf-8")) or []
    return items


def dev_samples(items: Iterable[dict[str, Any]]) -> list[Sample]:
    """A development message trains its top class at full weight and its other symptoms at a lower one."""
    samples = []
    for i, item in enumerate(items):
        label = dev_label(item)
        samples.append(Sample(str(item["text"]), label, "dev", f"dev:{i}"))
        for extra in item["symptoms"][1:]:
            extra_label = _DEV_IDS.get(str(extra), str(extra))
            if extra_label != "other" and extra_label != label:
                samples.append(Sample(str(item["text"]), extra_label, "dev_secondary", f"dev:{i}:{extra}"))
    return samples


def sources_sha256(knowledge: Knowledge) -> str:
    """A digest of everything the exported model depends on that a fast test can check."""
    digest = hashlib.sha256()
    paths = [p for p in sorted(EXAMPLES_DIR.glob("*.yaml")) if p.name not in NOT_EXAMPLES]
    for path in [*paths, CORPUS, DEV_SET, *extra_files(), FEATURE_CODE, NORMALISER_CODE, Path(__file__)]:
        digest.update(path.name.encode())
        digest.update(path.read_bytes())
    patterns = [(s.id, [(p.re, p.w) for p in s.patterns]) for s in knowledge.symptoms.symptoms]
    digest.update(json.dumps(patterns, sort_keys=True).encode())
    # The typo fixer's words (from the language file and every pattern) change the text the features are taken from.
    typos = Matcher(knowledge).typos
    digest.update(json.dumps([typos.corrections, sorted(typos.known), sorted(typos.protected)]).encode())
    digest.update(json.dumps(CONFIG, sort_keys=True).encode())
    digest.update(f"{MODEL_FORMAT}/{FEATURE_VERSION}".encode())
    return digest.hexdigest()


def classes(knowledge: Knowledge) -> list[str]:
    return [s.id for s in knowledge.symptoms.symptoms] + list(NON_FAULT)


def featurise(matcher: Matcher, texts: Iterable[str]) -> list[Features]:
    return [features(matcher.analyse(text)) for text in texts]


@dataclass(frozen=True)
class Fitted:
    """A fitted scikit-learn model and what it needs to be exported."""

    model: Any
    vocab: list[str]
    idf: Any
    pattern_names: list[str]
    temperature: float
    labels: list[str]
    counts: dict[str, int]


def fit(samples: Sequence[Sample], knowledge: Knowledge, matcher: Matcher | None = None) -> Fitted:
    """Fit the model on ``samples``: min_df, then the strongest text features, then a refit and a temperature."""
    matcher = matcher or Matcher(knowledge)
    labels = classes(knowledge)
    unknown = {s.label for s in samples} - set(labels)
    if unknown:
        raise ValueError(f"unknown classes in training data: {sorted(unknown)}")
    samples = [s for s in samples if s.label not in RULED_CLASSES]
    feats = featurise(matcher, (s.text for s in samples))
    return fit_features(samples, feats, [labels.index(s.label) for s in samples], labels)


def fit_features(samples: Sequence[Sample], feats: Sequence[Features], y: Sequence[int], labels: list[str]) -> Fitted:
    """``fit`` once each sample has its features and class index (bench/classifier_experiments.py maps both)."""
    if not CONFIG["corpus_patterns"]:
        # The knowledge's patterns were tuned on the corpus: there they look perfect, which would teach the
        # model to trust them far more than they deserve on new messages. Its rows train the text block only.
        feats = [Features(f.text, {}) if s.origin == "corpus" else f for f, s in zip(feats, samples, strict=True)]
    weights = [CONFIG["weights"][s.origin] for s in samples]
    vocab = _vocabulary(feats, CONFIG["min_df"])
    model, idf, pattern_names = _fit(feats, y, weights, vocab)
    vocab = _strongest(model, vocab, CONFIG["max_text_features"])
    model, idf, pattern_names = _fit(feats, y, weights, vocab)
    temperature = _temperature(feats, y, weights, vocab)
    counts = {origin: sum(1 for s in samples if s.origin == origin) for origin in CONFIG["weights"]}
    return Fitted(model, vocab, idf, pattern_names, temperature, labels, counts)


def export_data(fitted: Fitted, knowledge: Knowledge) -> dict[str, Any]:
    """The JSON the bot reads: vocabulary with idf, per-class weights (tiny ones pruned), intercepts."""
    model, vocab, labels = fitted.model, fitted.vocab, fitted.labels
    present = [int(c) for c in model.classes_]
    coef = model.coef_
    minimum = CONFIG["min_export_weight"]

    def row(column: int) -> list[float]:
        flat: list[float] = []
        for k, cls in enumerate(present):
            weight = float(coef[k, column])
            if abs(weight) >= minimum:
                flat += [cls, round(weight, 3)]
        return flat

    intercepts = [-50.0] * len(labels)  # a class with no training message never wins
    for k, cls in enumerate(present):
        intercepts[cls] = round(float(model.intercept_[k]), 5)
    return {
        "format": MODEL_FORMAT,
        "feature_version": FEATURE_VERSION,
        "sources_sha256": sources_sha256(knowledge),
        "config": CONFIG,
        "trained_on": fitted.counts,
        "classes": labels,
        "intercepts": intercepts,
        "temperature": round(fitted.temperature, 4),
        "pattern_scale": CONFIG["pattern_scale"],
        "patterns": {name: row(len(vocab) + j) for j, name in enumerate(fitted.pattern_names)},
        # Every vocabulary entry stays, weights or not: each one counts in the L2 norm.
        "text": {name: [round(float(fitted.idf[j]), 4), *row(j)] for j, name in enumerate(vocab)},
    }


def train(samples: Sequence[Sample], knowledge: Knowledge, matcher: Matcher | None = None) -> dict[str, Any]:
    """Fit the model on ``samples`` and return the exportable JSON data."""
    return export_data(fit(samples, knowledge, matcher), knowledge)


def _vocabulary(feats: Sequence[Features], min_df: int) -> list[str]:
    df: dict[str, int] = {}
    for f in feats:
        for name in f.text:
            df[name] = df.get(name, 0) + 1
    return sorted(name for name, count in df.items() if count >= min_df)


def _matrix(
    feats: Sequence[Features], vocab: Sequence[str], idf: Any = None, pattern_names: Sequence[str] | None = None
) -> tuple[Any, Any, list[str]]:
    """The model input as sklearn computes it: TF-IDF text block, then the scaled pattern block. Given the
    training set's ``idf`` and ``pattern_names``, builds the same columns for other messages."""
    from scipy.sparse import csr_matrix, hstack
    from sklearn.feature_extraction.text import TfidfTransformer

    index = {name: j for j, name in enumerate(vocab)}
    rows, cols, vals = [], [], []
    for i, f in enumerate(feats):
        for name, count in f.text.items():
            j = index.get(name)
            if j is not None:
                rows.append(i)
                cols.append(j)
                vals.append(count)
    counts = csr_matrix((vals, (rows, cols)), shape=(len(feats), len(vocab)))
    tfidf = TfidfTransformer(sublinear_tf=True, norm="l2", smooth_idf=True)
    if idf is None:
        tfidf.fit(counts)
        idf = tfidf.idf_
    else:
        tfidf.idf_ = idf
    names = sorted({name for f in feats for name in f.patterns}) if pattern_names is None else list(pattern_names)
    p_index = {name: j for j, name in enumerate(names)}
    p_rows, p_cols, p_vals = [], [], []
    for i, f in enumerate(feats):
        for name, value in f.patterns.items():
            if name in p_index:
                p_rows.append(i)
                p_cols.append(p_index[name])
                p_vals.append(value * CONFIG["pattern_scale"])
    block = csr_matrix((p_vals, (p_rows, p_cols)), shape=(len(feats), len(names)))
    return hstack([tfidf.transform(counts), block]).tocsr(), idf, names


def _fit(feats: Sequence[Features], y: Sequence[int], weights: Sequence[float], vocab: Sequence[str]) -> Any:
    from sklearn.linear_model import LogisticRegression

    matrix, idf, pattern_names = _matrix(feats, vocab)
    model = LogisticRegression(
        C=CONFIG["C"], class_weight=CONFIG["class_weight"], max_iter=3000, random_state=CONFIG["seed"]
    )
    model.fit(matrix, y, sample_weight=weights)
    return model, idf, pattern_names


def _strongest(model: Any, vocab: Sequence[str], limit: int) -> list[str]:
    import numpy as np

    strength = np.abs(model.coef_[:, : len(vocab)]).max(axis=0)
    order = np.argsort(-strength, kind="stable")[:limit]
    return sorted(vocab[j] for j in order)


def _temperature(feats: Sequence[Features], y: Sequence[int], weights: Sequence[float], vocab: Sequence[str]) -> float:
    """Temperature scaling (Guo et al. 2017) fitted on out-of-fold scores inside the training set."""
    import numpy as np
    from sklearn.model_selection import StratifiedKFold

    labels = np.array(y)
    counts = np.bincount(labels)
    folds = CONFIG["temperature_folds"]
    usable = np.array([counts[label] >= folds for label in labels])
    splitter = StratifiedKFold(n_splits=folds, shuffle=True, random_state=CONFIG["seed"])
    idx = np.flatnonzero(usable)
    scores: list[Any] = []
    truth: list[int] = []
    for train_idx, test_idx in splitter.split(idx, labels[idx]):
        tr, te = idx[train_idx], idx[test_idx]
        model, idf, pattern_names = _fit([feats[i] for i in tr], labels[tr], [weights[i] for i in tr], vocab)
        matrix, _, _ = _matrix([feats[i] for i in te], vocab, idf, pattern_names)
        decision = model.decision_function(matrix)
        full = np.full((len(te), int(labels.max()) + 1), -50.0)
        full[:, model.classes_] = decision
        scores.append(full)
        truth += list(labels[te])
    logits = np.vstack(scores)
    target = np.array(truth)
    best, best_loss = 1.0, float("inf")
    for temperature in np.arange(0.3, 3.01, 0.05):
        z = logits / temperature
        z -= z.max(axis=1, keepdims=True)
        log_probs = z - np.log(np.exp(z).sum(axis=1, keepdims=True))
        loss = -float(log_probs[np.arange(len(target)), target].mean())
        if loss < best_loss:
            best, best_loss = float(temperature), loss
    return best


def export(data: dict[str, Any], path: Path = MODEL_PATH) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(data, separators=(",", ":"), sort_keys=True) + "\n", encoding="utf-8")


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--check", action="store_true", help="only check that the exported model is up to date")
    args = parser.parse_args(argv)
    knowledge = load_knowledge(ROOT / "knowledge")
    if args.check:
        recorded = json.loads(MODEL_PATH.read_text(encoding="utf-8"))["sources_sha256"]
        if recorded != sources_sha256(knowledge):
            sys.stderr.write("symptom model is out of date: run .venv/bin/python -m tools.train_classifier\n")
            return 1
        return 0
    samples = load_samples()
    data = train(samples, knowledge)
    export(data)
    sys.stdout.write(f"trained on {data['trained_on']}, {len(data['text'])} text features -> {MODEL_PATH}\n")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

"""Classifier experiments: structurally different variants of the symptom model, scored on the same folds.

    .venv/bin/python bench/classifier_experiments.py                 # every variant
    .venv/bin/python bench/classifier_experiments.py baseline no_corpus  # some of them
    .venv/bin/python bench/classifier_experiments.py --fold-seed 7 baseline  # another split (a noise check)

- Messages: every real message except the held-out rounds (``HELD_OUT``: round 3 and round 5 files, never
  used for choosing), split by bench/quality.py's ``_folds`` (5-fold stratified on the top label, same seed).
- Each fold: the variant is trained on the written examples + the corpus + the other 4 folds (or the mix the
  variant names), and the held-out fold is scored twice with bench/quality.py's ``Tally``: the classifier alone
  (its best class, symptoms from p >= 0.10) and through the whole pipeline (``Triage.answer``).
- Features are computed once per text (the matcher's analysis is cached): variants differ only in training.
- Logistic regressions are fitted with newton-cg (``--solver``; the shipped training uses lbfgs): the same
  objective, about 3x faster. A predictor with a ``sweep()`` is also scored at each of its operating points.
- Nothing here is imported by the bot: a variant worth shipping must be ported to tools/train_classifier.py
  and bot/core/classifier.py (plain-data export, pure-Python inference) and measured again by bench/quality.py.

Results: bench/README.md, section "Classifier experiments (this session)".
"""

from __future__ import annotations

import argparse
import asyncio
import json
import math
import re
import sys
import time
import warnings
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.quality import FRESH, TO_LABELLING, Tally, _add, _answer_all, _folds  # noqa: E402
from bot.core.answer import SymptomMatch, TriageAnswer  # noqa: E402
from bot.core.classifier import NON_FAULT, Prediction, SymptomClassifier  # noqa: E402
from bot.core.knowledge import Knowledge, load_knowledge  # noqa: E402
from bot.core.matching import Analysis, Matcher  # noqa: E402
from bot.core.nlu_decide import MAX_REPORTED, REPORT_THRESHOLD  # noqa: E402
from bot.core.nlu_features import Features  # noqa: E402
from bot.core.triage import Triage  # noqa: E402
from tools.train_classifier import (  # noqa: E402
    DEV_SET,
    Sample,
    dev_samples,
    extra_files,
    load_real_file,
    load_samples,
    train,
)

HELD_OUT = FRESH  # the held-out rounds are quality.py's, so a new round is added in one place


def use_solver(solver: str) -> None:
    """Train every logistic regression with ``solver``: the same convex objective as the shipped lbfgs, which
    newton-cg reaches in about a third of the time (on the full training set: coefficients within 0.09, 99.9% of
    the training predictions the same). Only for screening variants: every variant, baseline included, uses it."""
    import functools

    import sklearn.linear_model

    original = sklearn.linear_model.LogisticRegression
    if getattr(original, "func", None) is not None:
        original = original.func
    sklearn.linear_model.LogisticRegression = functools.partial(original, solver=solver)  # type: ignore[misc]


class CachedMatcher:
    """The matcher with its analysis of each text kept: training calls it on the same texts for every fold."""

    def __init__(self, matcher: Matcher) -> None:
        self.matcher = matcher
        self.cache: dict[str, Analysis] = {}

    def analyse(self, text: str) -> Analysis:
        analysis = self.cache.get(text)
        if analysis is None:
            analysis = self.cache[text] = self.matcher.analyse(text)
        return analysis

    def __getattr__(self, name: str) -> Any:
        return getattr(self.matcher, name)


class Predictor:
    """Anything with the classifier's ``predict``."""

    def predict(self, features: Features, explain: int = 6) -> Prediction:  # pragma: no cover - interface
        raise NotImplementedError


# A variant: (training samples, knowledge, cached matcher) -> a predictor.
Variant = Callable[[Sequence[Sample], Knowledge, Any], Any]
VARIANTS: dict[str, Variant] = {}
# A variant's own training mix: (samples) -> samples.
MIXES: dict[str, Callable[[list[Sample]], list[Sample]]] = {}


def variant(name: str, mix: Callable[[list[Sample]], list[Sample]] | None = None) -> Callable[[Variant], Variant]:
    def register(fn: Variant) -> Variant:
        VARIANTS[name] = fn
        if mix is not None:
            MIXES[name] = mix
        return fn

    return register


def _shipped(samples: Sequence[Sample], knowledge: Knowledge, matcher: Any) -> SymptomClassifier:
    return SymptomClassifier(train(samples, knowledge, matcher))


variant("baseline")(_shipped)
variant("no_corpus", lambda s: [x for x in s if x.origin != "corpus"])(_shipped)
variant("no_examples", lambda s: [x for x in s if x.origin != "examples"])(_shipped)
variant("real_only", lambda s: [x for x in s if x.origin.startswith("dev")])(_shipped)
# Written messages only for the classes the labelling calls "other" (or that real posts rarely show).
_NOT_A_FAULT = frozenset(NON_FAULT) | {"activation_lock"}
_RARE = _NOT_A_FAULT | {"firmware_corrupt", "howto", "overheating"}
variant("written_for_non_fault", lambda s: [x for x in s if x.origin.startswith("dev") or x.label in _NOT_A_FAULT])(
    _shipped
)
variant("written_for_rare", lambda s: [x for x in s if x.origin.startswith("dev") or x.label in _RARE])(_shipped)


# --- two stages: fault or not, then which -----------------------------------------------------------------------

# The classes whose messages the labelling calls ``other`` (exit_mode is labelled howto_dfu: a fault-side class).
OTHER_SIDE = frozenset({"thanks", "question", "off_topic", "activation_lock"})


def _relabelled(samples: Sequence[Sample], label: Callable[[str], str | None]) -> list[Sample]:
    out = []
    for s in samples:
        new = label(s.label)
        if new is not None:
            out.append(Sample(s.text, new, s.origin, s.key))
    return out


@dataclass(frozen=True)
class Binary:
    """One fitted binary logistic regression over the shipped features: p(positive | message)."""

    model: Any
    vocab: list[str]
    idf: Any
    pattern_names: list[str]

    def p(self, features: Features) -> tuple[float, bool]:
        from tools.train_classifier import _matrix

        row, _, _ = _matrix([features], self.vocab, self.idf, self.pattern_names)
        return float(self.model.predict_proba(row)[0, 1]), bool(row.nnz)


def _binary(samples: Sequence[Sample], y: Sequence[int], matcher: Any, weighting: str | None) -> Binary:
    from sklearn.linear_model import LogisticRegression

    from tools.train_classifier import CONFIG, _matrix, _vocabulary, featurise

    feats = featurise(matcher, (s.text for s in samples))
    vocab = _vocabulary(feats, CONFIG["min_df"])
    matrix, idf, names = _matrix(feats, vocab)
    weights = [CONFIG["weights"][s.origin] for s in samples]
    model = LogisticRegression(C=CONFIG["C"], class_weight=weighting, max_iter=3000)
    return Binary(model.fit(matrix, list(y), sample_weight=weights), vocab, idf, names)


@dataclass(frozen=True)
class TwoStage:
    """p(class) = p(side) * p(class | side): a binary fault-or-not model, then one model per side."""

    gate: Binary  # p(the labelling's "other")
    fault: Any
    other: SymptomClassifier
    shift: float = 0.0  # added to the gate's logit
    second_gate: Any = None  # a multinomial model whose "other"-side mass is averaged with the gate's

    def sweep(self) -> dict[str, TwoStage]:
        """The same models with the gate's logit shifted: one training, several operating points."""
        return {f"shift {shift:+.1f}": replace(self, shift=shift) for shift in (-1.0, -0.5, 0.5, 1.0)}

    def predict(self, features: Features, explain: int = 6) -> Prediction:
        p_other, informed = self.gate.p(features)
        if self.second_gate is not None:
            second = self.second_gate.predict(features, explain)
            p_other = (p_other + sum(p for label, p in second.probabilities if label in OTHER_SIDE)) / 2
        if self.shift:
            p_other = 1 / (1 + math.exp(-(math.log(p_other / (1 - p_other)) + self.shift)))
        fault, other = self.fault.predict(features, explain), self.other.predict(features, explain)
        probabilities = [(label, (1 - p_other) * p) for label, p in fault.probabilities if label not in OTHER_SIDE]
        probabilities += [(label, p_other * p) for label, p in other.probabilities if label in OTHER_SIDE]
        probabilities.sort(key=lambda item: -item[1])
        side = fault if probabilities[0][0] not in OTHER_SIDE else other
        return Prediction(tuple(probabilities), side.top_features, informed)


def _two_stage(
    samples: Sequence[Sample],
    knowledge: Knowledge,
    matcher: Any,
    gate_weighting: str | None = "balanced",
    fault_mix: Callable[[list[Sample]], list[Sample]] = lambda s: s,
    gate_mix: Callable[[list[Sample]], list[Sample]] = lambda s: s,
    fault_model: Variant = _shipped,
) -> TwoStage:
    from tools.train_classifier import RULED_CLASSES

    # A message's secondary symptoms say nothing about its side: the gate learns each message once.
    primary = gate_mix([s for s in samples if s.origin != "dev_secondary" and s.label not in RULED_CLASSES])
    gate = _binary(primary, [int(s.label in OTHER_SIDE) for s in primary], matcher, gate_weighting)
    fault = fault_mix(_relabelled(samples, lambda label: None if label in OTHER_SIDE else label))
    other = _relabelled(samples, lambda label: label if label in OTHER_SIDE else None)
    return TwoStage(gate, fault_model(fault, knowledge, matcher), _shipped(other, knowledge, matcher))


def _real(samples: list[Sample]) -> list[Sample]:
    return [s for s in samples if s.origin.startswith("dev")]


variant("two_stage")(_two_stage)
variant("two_stage_gate_unweighted")(lambda s, k, m: _two_stage(s, k, m, gate_weighting=None))
variant("two_stage_real_faults")(lambda s, k, m: _two_stage(s, k, m, fault_mix=_real))
variant("two_stage_real_gate_and_faults")(lambda s, k, m: _two_stage(s, k, m, fault_mix=_real, gate_mix=_real))


# --- multi-label: one binary model per class, on every gold label of a message ------------------------------


@dataclass(frozen=True)
class OneVsRest:
    """Per class a logistic regression "is this one of the message's labels"; probabilities are the sigmoids
    normalised to sum to 1 (the decision's thresholds read them as shares)."""

    models: dict[str, Any]  # class -> fitted binary LogisticRegression
    vocab: list[str]
    idf: Any
    pattern_names: list[str]
    labels: list[str]

    def predict(self, features: Features, explain: int = 6) -> Prediction:
        import numpy as np

        from tools.train_classifier import _matrix

        row, _, _ = _matrix([features], self.vocab, self.idf, self.pattern_names)
        sig = {label: float(m.predict_proba(row)[0, 1]) for label, m in self.models.items()}
        total = sum(sig.values()) or 1.0
        probabilities = sorted(((label, sig.get(label, 0.0) / total) for label in self.labels), key=lambda i: -i[1])
        return Prediction(tuple(probabilities), (), bool(np.any(row.data)))


def _label_sets(samples: Sequence[Sample]) -> tuple[list[Sample], list[set[str]]]:
    """Each message once (its primary sample), with all of its labels."""
    first: dict[str, int] = {}
    primary: list[Sample] = []
    sets: list[set[str]] = []
    for s in samples:
        if s.origin == "dev_secondary":
            sets[first[s.key.rsplit(":", 1)[0]]].add(s.label)
            continue
        first[s.key] = len(primary)
        primary.append(s)
        sets.append({s.label})
    return primary, sets


def _one_vs_rest(samples: Sequence[Sample], knowledge: Knowledge, matcher: Any, weighting: str | None) -> OneVsRest:
    from sklearn.linear_model import LogisticRegression

    from tools.train_classifier import CONFIG, RULED_CLASSES, _matrix, _vocabulary, classes, featurise

    primary, sets = _label_sets([s for s in samples if s.label not in RULED_CLASSES])
    feats = featurise(matcher, (s.text for s in primary))
    vocab = _vocabulary(feats, CONFIG["min_df"])
    matrix, idf, names = _matrix(feats, vocab)
    weights = [CONFIG["weights"][s.origin] for s in primary]
    models = {}
    for label in sorted({label for labels in sets for label in labels}):
        y = [int(label in labels) for labels in sets]
        model = LogisticRegression(C=CONFIG["C"], class_weight=weighting, max_iter=3000)
        models[label] = model.fit(matrix, y, sample_weight=weights)
    return OneVsRest(models, vocab, idf, names, classes(knowledge))


variant("ovr")(lambda s, k, m: _one_vs_rest(s, k, m, None))
variant("ovr_balanced")(lambda s, k, m: _one_vs_rest(s, k, m, "balanced"))


# --- separate views, averaged: a word model and a character model -------------------------------------------


def _only(features: Features, keep: Callable[[str], bool], patterns: bool) -> Features:
    return Features({k: v for k, v in features.text.items() if keep(k)}, features.patterns if patterns else {})


def _is_word(name: str) -> bool:
    return name.startswith(("w:", "b:"))


@dataclass(frozen=True)
class View:
    """The shipped model trained and used on a subset of the features."""

    model: SymptomClassifier
    keep: Callable[[str], bool]
    patterns: bool

    def predict(self, features: Features, explain: int = 6) -> Prediction:
        return self.model.predict(_only(features, self.keep, self.patterns), explain)


def _fit_view(samples: Sequence[Sample], knowledge: Knowledge, matcher: Any, view: Any) -> SymptomClassifier:
    """tools/train_classifier.py's ``fit`` on features that ``view`` maps."""
    from tools.train_classifier import RULED_CLASSES, classes, export_data, featurise, fit_features

    samples = [s for s in samples if s.label not in RULED_CLASSES]
    feats = [view(f) for f in featurise(matcher, (s.text for s in samples))]
    labels = classes(knowledge)
    fitted = fit_features(samples, feats, [labels.index(s.label) for s in samples], labels)
    return SymptomClassifier(export_data(fitted, knowledge))


@dataclass(frozen=True)
class Average:
    """The mean of several models' probabilities."""

    members: tuple[Any, ...]

    def predict(self, features: Features, explain: int = 6) -> Prediction:
        predictions = [m.predict(features, explain) for m in self.members]
        labels = [label for label, _ in predictions[0].probabilities]
        mean = [(label, sum(p.probability(label) for p in predictions) / len(predictions)) for label in labels]
        mean.sort(key=lambda item: -item[1])
        return Prediction(tuple(mean), predictions[0].top_features, any(p.informed for p in predictions))


def _word_char(samples: Sequence[Sample], knowledge: Knowledge, matcher: Any) -> Average:
    def is_char(name: str) -> bool:
        return not _is_word(name)

    views = []
    for keep in (_is_word, is_char):
        model = _fit_view(samples, knowledge, matcher, lambda f, keep=keep: _only(f, keep, True))
        views.append(View(model, keep, True))
    return Average(tuple(views))


variant("word_char_average")(_word_char)


# --- the title as its own words (needs the text: an experiment only) ----------------------------------------


def _key(features: Features) -> tuple[tuple[str, float], ...]:
    return tuple(sorted(features.text.items()))


def _title_terms(text: str) -> dict[str, float]:
    """The first line's word and bigram features as ``t`` features, when the message has more than one line."""
    from bot.core.nlu_features import text_features

    title, _, body = text.strip().partition("\n")
    if not body.strip():
        return {}
    return {f"t{name}": v for name, v in text_features(title.lower()).items() if name.startswith(("w:", "b:"))}


@dataclass
class TitleModel:
    """The shipped model with the title's words as more features. ``texts`` finds a message's text from its
    features (the pipeline hands the classifier only those); filled with each fold's messages."""

    model: SymptomClassifier
    matcher: Any
    texts: dict[tuple[tuple[str, float], ...], str]

    def add_texts(self, texts: Sequence[str]) -> None:
        from bot.core.nlu_features import features

        for text in texts:
            self.texts[_key(features(self.matcher.analyse(text)))] = text

    def predict(self, features: Features, explain: int = 6) -> Prediction:
        text = self.texts.get(_key(features))
        if text is not None:
            features = Features({**features.text, **_title_terms(text)}, features.patterns)
        return self.model.predict(features, explain)


def _title(samples: Sequence[Sample], knowledge: Knowledge, matcher: Any) -> TitleModel:
    by_text = {s.text: s for s in samples}
    lookup: dict[tuple[tuple[str, float], ...], str] = {}
    model = TitleModel(None, matcher, lookup)  # type: ignore[arg-type]  # fitted below
    model.add_texts(list(by_text))

    def view(f: Features) -> Features:
        text = lookup.get(_key(f))
        return Features({**f.text, **_title_terms(text)}, f.patterns) if text else f

    model.model = _fit_view(samples, knowledge, matcher, view)
    return model


variant("title_words")(_title)


variant("shipped_and_two_stage_average")(
    lambda s, k, m: Average((_shipped(s, k, m), _two_stage(s, k, m, fault_mix=_real)))
)


# --- the message's shape, from its features (TF-IDF's L2 norm hides its length) --------------------------------


def _shape(features: Features) -> Features:
    words = [(name, n) for name, n in features.text.items() if name.startswith("w:")]
    count = sum(n for _, n in words)
    numbers = sum(n for name, n in words if name[2:].isdigit() or name == "w:<longnum>")
    shape = {
        "p:shape_long": min(1.0, count / 100),
        "p:shape_short": float(count <= 8),
        "p:shape_numbers": min(1.0, 4 * numbers / count) if count else 0.0,
    }
    return Features(features.text, {**features.patterns, **shape})


@dataclass(frozen=True)
class Mapped:
    """A model trained and used on mapped features."""

    model: SymptomClassifier
    view: Callable[[Features], Features]

    def predict(self, features: Features, explain: int = 6) -> Prediction:
        return self.model.predict(self.view(features), explain)


variant("shape_features")(lambda s, k, m: Mapped(_fit_view(s, k, m, _shape), _shape))


# --- split a mixed class in training, merge it back when predicting ------------------------------------------

_TOOLS = re.compile(
    r"jailbr\w*|tweak\w*|cydia|sileo|substrate|unc0ver|checkra1n|palera1n|dopamine|taurine|odyssey|chimera|"
    r"electra|yalu|fugu|trollstore|futurerestore|idevicerestore|semaphorin|sunst0rm|odysseyra1n|bootstrap|"
    r"rootless|rootful|\bipa\b|sideload\w*|altstore|developer mode|xcode|beta",
    re.I,
)


@dataclass(frozen=True)
class Merged:
    """A model over sub-classes ("off_topic#1"); a class's probability is the sum of its sub-classes'."""

    model: SymptomClassifier

    def predict(self, features: Features, explain: int = 6) -> Prediction:
        raw = self.model.predict(features, explain)
        merged: dict[str, float] = {}
        for label, p in raw.probabilities:
            base = label.split("#")[0]
            merged[base] = merged.get(base, 0.0) + p
        return Prediction(tuple(sorted(merged.items(), key=lambda i: -i[1])), raw.top_features, raw.informed)


def _fit_split(
    samples: Sequence[Sample],
    knowledge: Knowledge,
    matcher: Any,
    split: Callable[[list[Sample], list[Features]], list[str]],
) -> Merged:
    """tools/train_classifier.py's ``fit`` with ``split`` giving each sample its (sub-)class."""
    from tools.train_classifier import RULED_CLASSES, classes, export_data, featurise, fit_features

    samples = [s for s in samples if s.label not in RULED_CLASSES]
    feats = featurise(matcher, (s.text for s in samples))
    names = split(samples, feats)
    labels = classes(knowledge) + sorted(set(names) - set(classes(knowledge)))
    fitted = fit_features(samples, feats, [labels.index(name) for name in names], labels)
    return Merged(SymptomClassifier(export_data(fitted, knowledge)))


def _tool_split(samples: list[Sample], feats: list[Features]) -> list[str]:
    """Real non-fault messages about a jailbreak, tweak or restore tool apart from the rest of off_topic."""
    return [f"{s.label}#tool" if s.label == "off_topic" and _TOOLS.search(s.text) else s.label for s in samples]


def _kmeans_split(classes_to_split: int, k: int) -> Callable[[list[Sample], list[Features]], list[str]]:
    def split(samples: list[Sample], feats: list[Features]) -> list[str]:
        from collections import Counter

        from sklearn.cluster import KMeans

        from tools.train_classifier import _matrix, _vocabulary

        names = [s.label for s in samples]
        biggest = [label for label, _ in Counter(names).most_common(classes_to_split)]
        vocab = _vocabulary(feats, 2)
        matrix, _, _ = _matrix(feats, vocab)
        for label in biggest:
            rows = [i for i, name in enumerate(names) if name == label]
            clusters = KMeans(n_clusters=k, n_init=4, random_state=20261201).fit_predict(matrix[rows])
            for i, cluster in zip(rows, clusters, strict=True):
                names[i] = f"{label}#{cluster}"
        return names

    return split


variant("split_tool_other")(lambda s, k, m: _fit_split(s, k, m, _tool_split))
variant("split_kmeans_4x3")(lambda s, k, m: _fit_split(s, k, m, _kmeans_split(4, 3)))


# --- another family: complement naive Bayes ----------------------------------------------------------------


@dataclass(frozen=True)
class Sklearn:
    """A fitted scikit-learn classifier over the shipped features (an experiment: the bot never imports it)."""

    model: Any
    vocab: list[str]
    idf: Any
    pattern_names: list[str]
    labels: list[str]

    def predict(self, features: Features, explain: int = 6) -> Prediction:
        from tools.train_classifier import _matrix

        row, _, _ = _matrix([features], self.vocab, self.idf, self.pattern_names)
        proba = self.model.predict_proba(row)[0]
        by_label = {self.labels[int(c)]: float(p) for c, p in zip(self.model.classes_, proba, strict=True)}
        probabilities = sorted(((label, by_label.get(label, 0.0)) for label in self.labels), key=lambda i: -i[1])
        return Prediction(tuple(probabilities), (), bool(row.nnz))


def _complement_nb(samples: Sequence[Sample], knowledge: Knowledge, matcher: Any, alpha: float) -> Sklearn:
    from sklearn.naive_bayes import ComplementNB

    from tools.train_classifier import CONFIG, RULED_CLASSES, _matrix, _vocabulary, classes, featurise

    samples = [s for s in samples if s.label not in RULED_CLASSES]
    feats = featurise(matcher, (s.text for s in samples))
    labels = classes(knowledge)
    vocab = _vocabulary(feats, CONFIG["min_df"])
    matrix, idf, names = _matrix(feats, vocab)
    weights = [CONFIG["weights"][s.origin] for s in samples]
    model = ComplementNB(alpha=alpha).fit(matrix, [labels.index(s.label) for s in samples], sample_weight=weights)
    return Sklearn(model, vocab, idf, names, labels)


@dataclass(frozen=True)
class Tempered:
    """A scikit-learn model's joint log-likelihoods, softmaxed at a temperature fitted out of fold."""

    inner: Sklearn
    temperature: float

    def predict(self, features: Features, explain: int = 6) -> Prediction:
        from tools.train_classifier import _matrix

        inner = self.inner
        row, _, _ = _matrix([features], inner.vocab, inner.idf, inner.pattern_names)
        scores = inner.model.predict_joint_log_proba(row)[0] / self.temperature
        peak = max(scores)
        exps = [math.exp(x - peak) for x in scores]
        total = sum(exps)
        by_label = {inner.labels[int(c)]: e / total for c, e in zip(inner.model.classes_, exps, strict=True)}
        probabilities = sorted(((label, by_label.get(label, 0.0)) for label in inner.labels), key=lambda i: -i[1])
        return Prediction(tuple(probabilities), (), bool(row.nnz))


def _tempered_nb(samples: Sequence[Sample], knowledge: Knowledge, matcher: Any, alpha: float) -> Tempered:
    """ComplementNB with a temperature fitted on 3-fold out-of-fold scores inside the training set."""
    import numpy as np
    from sklearn.model_selection import StratifiedKFold

    from tools.train_classifier import RULED_CLASSES, _matrix, classes, featurise

    samples = [s for s in samples if s.label not in RULED_CLASSES and s.origin != "dev_secondary"]
    labels = classes(knowledge)
    y = np.array([labels.index(s.label) for s in samples])
    usable = np.array([np.sum(y == label) >= 3 for label in y])
    idx = np.flatnonzero(usable)
    scores, truth = [], []
    for tr, te in StratifiedKFold(3, shuffle=True, random_state=20261201).split(idx, y[idx]):
        model = _complement_nb([samples[i] for i in idx[tr]], knowledge, matcher, alpha)
        full = np.full((len(te), len(labels)), -1e9)
        held = featurise(matcher, (samples[i].text for i in idx[te]))
        matrix, _, _ = _matrix(held, model.vocab, model.idf, model.pattern_names)
        full[:, model.model.classes_] = model.model.predict_joint_log_proba(matrix)
        scores.append(full)
        truth += list(y[idx[te]])
    logits, target = np.vstack(scores), np.array(truth)
    best, best_loss = 1.0, float("inf")
    for temperature in np.geomspace(0.01, 10, 60):
        z = logits / temperature
        z -= z.max(axis=1, keepdims=True)
        loss = -float((z - np.log(np.exp(z).sum(axis=1, keepdims=True)))[np.arange(len(target)), target].mean())
        if loss < best_loss:
            best, best_loss = float(temperature), loss
    return Tempered(_complement_nb(samples, knowledge, matcher, alpha), best)


variant("complement_nb")(lambda s, k, m: _complement_nb(s, k, m, 0.3))
variant("complement_nb_tempered")(lambda s, k, m: _tempered_nb(s, k, m, 0.3))
variant("lr_and_nb_average")(lambda s, k, m: Average((_shipped(s, k, m), _tempered_nb(s, k, m, 0.3))))
variant("two_stage_lr_and_nb_faults_mean_gate")(
    lambda s, k, m: replace(
        _two_stage(s, k, m, fault_model=lambda f, k2, m2: Average((_shipped(f, k2, m2), _tempered_nb(f, k2, m2, 0.3)))),
        second_gate=_shipped(s, k, m),
    )
)
variant("two_stage_lr_and_nb_faults")(
    lambda s, k, m: _two_stage(
        s, k, m, fault_model=lambda f, k2, m2: Average((_shipped(f, k2, m2), _tempered_nb(f, k2, m2, 0.3)))
    )
)


# None: bench/quality.py's folds. A number: the same splitter with another seed, only to see how much of a
# difference between variants is the luck of one split (--fold-seed).
FOLD_SEED: int | None = None


def _reseeded_folds(items: Sequence[dict[str, Any]], seed: int) -> list[list[int]]:
    from sklearn.model_selection import StratifiedKFold

    labels = [str(item["symptoms"][0]) for item in items]
    return [list(test) for _, test in StratifiedKFold(5, shuffle=True, random_state=seed).split(labels, labels)]


def held_out(path: Path) -> bool:
    return any(path.match(pattern) for pattern in HELD_OUT)


def cv_items() -> list[dict[str, Any]]:
    """The real messages used for choosing: dev + every extra file not held out."""
    return [item for path in (DEV_SET, *extra_files()) if not held_out(path) for item in load_real_file(path)]


def alone_answer(prediction: Prediction) -> list[str]:
    """The classifier alone, as bench/quality.py's ``reported``: best class, then symptoms from p >= 0.10."""
    if prediction.best in NON_FAULT:
        return ["other"]
    top = prediction.probabilities[:MAX_REPORTED]
    symptoms = [label for label, p in top if label not in NON_FAULT and p >= REPORT_THRESHOLD]
    return list(dict.fromkeys(TO_LABELLING.get(s, s) for s in symptoms)) or ["other"]


@dataclass
class _Alone:
    """Enough of a ``TriageAnswer`` for ``Tally.add`` to score the classifier alone."""

    status: str
    symptoms: tuple[SymptomMatch, ...]
    model: None = None
    model_candidates: tuple[str, ...] = ()
    damage: bool = False
    first_action: str | None = None


def _as_answer(prediction: Prediction) -> Any:
    labels = alone_answer(prediction)
    if labels == ["other"]:
        return _Alone("off_topic", ())
    return _Alone("answered", tuple(SymptomMatch(label, label, 0.0, ()) for label in labels))


def run(name: str, knowledge: Knowledge, matcher: CachedMatcher, items: list[dict[str, Any]]) -> list[dict[str, Any]]:
    base = load_samples(with_dev=False)
    mix = MIXES.get(name, lambda s: s)
    tallies: dict[str, tuple[Tally, Tally]] = {}
    started = time.perf_counter()
    for fold in _folds(items) if FOLD_SEED is None else _reseeded_folds(items, FOLD_SEED):
        held = set(fold)
        training = mix(base + dev_samples([item for i, item in enumerate(items) if i not in held]))
        trained = VARIANTS[name](training, knowledge, matcher)
        points = {name: trained, **{f"{name} {k}": v for k, v in getattr(trained, "sweep", dict)().items()}}
        for point, predictor in points.items():
            alone, pipeline = tallies.setdefault(point, (Tally(), Tally()))
            _score(predictor, knowledge, matcher, [items[i] for i in fold], alone, pipeline)
    seconds = round(time.perf_counter() - started)
    return [
        {"variant": point, "seconds": seconds, "alone": alone.figures(), "pipeline": pipeline.figures(),
         "misses": pipeline.misses}
        for point, (alone, pipeline) in tallies.items()
    ]  # fmt: skip


def _score(
    predictor: Any, knowledge: Knowledge, matcher: CachedMatcher, items: list[dict[str, Any]], alone: Tally,
    pipeline: Tally,
) -> None:  # fmt: skip
    """One fold through the whole pipeline and through the classifier alone."""
    from bot.core.nlu_features import features

    if hasattr(predictor, "add_texts"):
        predictor.add_texts([str(item["text"]) for item in items])
    triage = Triage(knowledge, predictor)
    triage.matcher = matcher  # type: ignore[assignment]  # same analysis, cached
    texts = [str(item["text"]) for item in items]
    answers: list[TriageAnswer] = asyncio.run(_answer_all(triage, texts))
    for item, text, answer in zip(items, texts, answers, strict=True):
        _add(pipeline, item, answer)
        _add(alone, item, _as_answer(predictor.predict(features(matcher.analyse(text)))))


def summary(result: dict[str, Any]) -> str:
    a, p = result["alone"], result["pipeline"]

    def pct(value: float | None) -> str:
        return "-" if value is None else f"{value:.1%}"

    return (
        f"| {result['variant']} | {pct(a['top_symptom'])} | {pct(a['any_symptom'])} | {pct(p['top_symptom'])} | "
        f"{pct(p['top_symptom_on_topic'])} | {pct(p['any_symptom'])} | {pct(p['per_symptom_recall'].get('other'))} | "
        f"{p['off_topic_erasing_first']} | {p['damaged_erasing_first']} | {pct(p['clarify_rate'])} |"
    )


HEADER = (
    "| variant | alone top | alone any | pipeline top | on-topic top | any | other recall | off-topic erasing "
    "| damaged erasing | clarify |\n|---|---|---|---|---|---|---|---|---|---|"
)


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Score classifier variants on bench/quality.py's folds.")
    parser.add_argument("variants", nargs="*", help=f"default: all of {', '.join(VARIANTS)}")
    parser.add_argument("--json", type=Path, help="append each variant's figures to this JSON-lines file")
    parser.add_argument("--solver", default="newton-cg", help="lbfgs is what tools/train_classifier.py ships")
    parser.add_argument("--fold-seed", type=int, help="another split than bench/quality.py's (a noise check)")
    args = parser.parse_args(argv)
    global FOLD_SEED
    FOLD_SEED = args.fold_seed
    if args.solver != "lbfgs":
        use_solver(args.solver)
    warnings.filterwarnings("ignore", message="The least populated class")
    knowledge = load_knowledge(ROOT / "knowledge")
    matcher = CachedMatcher(Matcher(knowledge))
    items = cv_items()
    print(f"{len(items)} real messages (held out: {', '.join(HELD_OUT)})\n{HEADER}", flush=True)
    for name in args.variants or list(VARIANTS):
        for result in run(name, knowledge, matcher, items):
            print(summary(result) + f" ({result['seconds']} s)", flush=True)
            if args.json:
                with args.json.open("a", encoding="utf-8") as out:
                    out.write(json.dumps(result) + "\n")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

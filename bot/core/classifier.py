"""The trained symptom classifier, run in pure Python from its exported JSON.

The model is TF-IDF over stemmed words, word bigrams and character 4-grams, plus the knowledge's precise
patterns, into a multinomial logistic regression with temperature scaling. It is trained with scikit-learn by
``tools/train_classifier.py`` (a development dependency only) and exported to ``bot/core/data/symptom_model.json``:
vocabulary, idf, per-class weights, intercepts. Importing scikit-learn or numpy here would cost more than the
whole start-up budget, and the arithmetic for one message is a few thousand multiply-adds.

Classes are the knowledge's symptom ids plus non-fault classes (see ``NON_FAULT``).
"""

from __future__ import annotations

import json
import math
from dataclasses import dataclass
from heapq import nsmallest
from pathlib import Path
from typing import Any

from bot.core.nlu_features import FEATURE_VERSION, Features

MODEL_PATH = Path(__file__).parent / "data" / "symptom_model.json"
MODEL_FORMAT = 1

# Classes that are not a fault of the phone, each answered without an erase ladder.
NON_FAULT: dict[str, str] = {
    "thanks": "thanks, or it works now",
    "question": "a question about updating, backing up or moving data",
    "exit_mode": "how to leave DFU or recovery mode",
    "other_device": "another device (an iPad, iPod or Android phone)",
    "off_topic": "not about a phone problem",
}


# One feature's row, unpacked: (idf, or 1.0 for a pattern; its weight for every class, times the idf).
_Row = tuple[float, tuple[float, ...]]
# One input of a message: (feature name, its multiplier: 1 + log(count) for text, the scaled value for a
# pattern; its row).
_Input = tuple[str, float, _Row]


class ModelFileError(Exception):
    """The exported model is missing, malformed or made for other features."""


@dataclass(frozen=True, slots=True)
class Prediction:
    """Class probabilities (best first, summing to 1) and the features that pushed the best class most."""

    probabilities: tuple[tuple[str, float], ...]
    top_features: tuple[tuple[str, float], ...]
    # False when the message has no feature the model knows ("?", emoji only): the probabilities are priors.
    informed: bool = True

    @property
    def best(self) -> str:
        return self.probabilities[0][0]

    def probability(self, label: str) -> float:
        return next((p for name, p in self.probabilities if name == label), 0.0)


class SymptomClassifier:
    """An exported model. Immutable after loading; safe to share between adapters."""

    def __init__(self, data: dict[str, Any]) -> None:
        try:
            if data["format"] != MODEL_FORMAT or data["feature_version"] != FEATURE_VERSION:
                raise ModelFileError(
                    f"model format {data['format']}/features {data['feature_version']}, expected "
                    f"{MODEL_FORMAT}/{FEATURE_VERSION}: retrain with .venv/bin/python -m tools.train_classifier"
                )
            self.classes: tuple[str, ...] = tuple(data["classes"])
            self.intercepts: tuple[float, ...] = tuple(data["intercepts"])
            self.temperature = float(data["temperature"])
            self.pattern_scale = float(data["pattern_scale"])
            self.sources_sha256 = str(data["sources_sha256"])
            # Rows stay as the JSON lists (unpacking 6,000 of them would cost more start-up than parsing them):
            # text: [idf, class, weight, class, weight, ...]; patterns: [class, weight, ...].
            self.text: dict[str, list[float]] = data["text"]
            self.patterns: dict[str, list[float]] = data["patterns"]
            if not isinstance(self.text, dict) or not isinstance(self.patterns, dict):
                raise TypeError("text and patterns must be mappings")
            # The rows messages used, unpacked on first use (speed only: the same sums in the same order).
            self._rows: dict[str, _Row] = {}
        except (KeyError, TypeError, ValueError, AttributeError) as error:
            raise ModelFileError(f"malformed symptom model: {error!r}") from error

    @classmethod
    def load(cls, path: Path = MODEL_PATH) -> SymptomClassifier:
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
        except (OSError, ValueError) as error:
            raise ModelFileError(f"cannot read {path}: {error}") from error
        return cls(data)

    def vector(self, features: Features) -> dict[str, float]:
        """The model's input for one message: TF-IDF (sublinear tf, L2 norm) text values, scaled patterns."""
        text, patterns, norm = self._inputs(features)
        values = {name: multiplier * row[0] / norm for name, multiplier, row in text}
        return values | {name: multiplier for name, multiplier, _ in patterns}

    def _inputs(self, features: Features) -> tuple[list[_Input], list[_Input], float]:
        """The message's text and pattern inputs the model knows, in feature order, and the text's L2 norm."""
        rows, known, counts = self._rows, self.text, features.text
        text: list[_Input] = []
        squares = 0.0
        # A long post has ~1,000 features and the model knows ~300 of them: the set intersection runs in C, and
        # the features keep the message's order (the sums, and the order of equal pushes in --explain).
        both = counts.keys() & known.keys()
        for name in [name for name in counts if name in both]:
            row = rows.get(name)
            if row is None:
                row = rows[name] = self._unpack(known[name], 1)
            count = counts[name]
            multiplier = 1.0 + math.log(count) if count != 1.0 else 1.0
            text.append((name, multiplier, row))
            squares += (multiplier * row[0]) ** 2
        norm = math.sqrt(squares) or 1.0
        patterns: list[_Input] = []
        for name, value in features.patterns.items():
            if name in self.patterns:
                row = rows.get(name)
                if row is None:
                    row = rows[name] = self._unpack(self.patterns[name], 0)
                patterns.append((name, value * self.pattern_scale, row))
        return text, patterns, norm

    def _unpack(self, row: list[float], start: int) -> _Row:
        """A JSON row as (idf, weight for every class times the idf), made on first use (start-up would pay
        for all 6,000 rows)."""
        idf = row[0] if start else 1.0
        weights = [0.0] * len(self.classes)
        for i in range(start, len(row), 2):
            weights[int(row[i])] = row[i + 1] * idf
        return idf, tuple(weights)

    def _scores(self, text: list[_Input], patterns: list[_Input], norm: float) -> list[float]:
        """Intercepts plus every input's value times its weights. Text rows with the same count share one
        multiplier, so their weights are summed per class first (``sum`` over columns runs in C: a long post
        has ~600 known features)."""
        scores = list(self.intercepts)
        by_multiplier: dict[float, list[tuple[float, ...]]] = {}
        for _, multiplier, (_, weights) in text:
            by_multiplier.setdefault(multiplier, []).append(weights)
        for multiplier, group in by_multiplier.items():
            scale = multiplier / norm
            for label, total in enumerate(map(sum, zip(*group, strict=True))):
                scores[label] += scale * total
        for _, value, (_, weights) in patterns:
            for label, weight in enumerate(weights):
                scores[label] += value * weight
        return scores

    def predict(self, features: Features, explain: int = 6) -> Prediction:
        text, patterns, norm = self._inputs(features)
        scores = self._scores(text, patterns, norm)
        top = max(range(len(scores)), key=scores.__getitem__)
        peak = scores[top] / self.temperature
        exps = [math.exp(s / self.temperature - peak) for s in scores]
        total = sum(exps)
        probabilities = sorted(
            ((label, e / total) for label, e in zip(self.classes, exps, strict=True)), key=lambda item: -item[1]
        )
        pushes = [(name, m * row[1][top] / norm) for name, m, row in text if row[1][top]]
        pushes += [(name, value * row[1][top]) for name, value, row in patterns if row[1][top]]
        strongest = nsmallest(explain, pushes, key=lambda item: -abs(item[1]))  # = sorted(pushes, ...)[:explain]
        top_features = tuple((n, round(w, 3)) for n, w in strongest)
        return Prediction(tuple(probabilities), top_features, informed=bool(text or patterns))

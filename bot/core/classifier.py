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
            # (class, weight) pairs of the rows a message used, unpacked on first use (speed only: same sums).
            self._pairs: dict[str, tuple[tuple[int, float], ...]] = {}
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
        weighted: dict[str, float] = {}
        for name, count in features.text.items():
            known = self.text.get(name)
            if known is not None:
                weighted[name] = (1.0 + math.log(count)) * known[0]
        norm = math.sqrt(sum(v * v for v in weighted.values())) or 1.0
        values = {name: v / norm for name, v in weighted.items()}
        for name, value in features.patterns.items():
            if name in self.patterns:
                values[name] = value * self.pattern_scale
        return values

    def _row_pairs(self, name: str) -> tuple[tuple[int, float], ...]:
        pairs = self._pairs.get(name)
        if pairs is None:
            row = self.text.get(name)
            start = 1
            if row is None:
                row, start = self.patterns[name], 0
            pairs = tuple((int(row[i]), row[i + 1]) for i in range(start, len(row), 2))
            self._pairs[name] = pairs
        return pairs

    def predict(self, features: Features, explain: int = 6) -> Prediction:
        values = self.vector(features)
        scores = list(self.intercepts)
        rows = [(name, value, self._row_pairs(name)) for name, value in values.items()]
        for _, value, pairs in rows:
            for label, weight in pairs:
                scores[label] += value * weight
        top = max(range(len(scores)), key=scores.__getitem__)
        peak = scores[top] / self.temperature
        exps = [math.exp(s / self.temperature - peak) for s in scores]
        total = sum(exps)
        probabilities = sorted(
            ((label, e / total) for label, e in zip(self.classes, exps, strict=True)), key=lambda item: -item[1]
        )
        pushes = [(name, value * weight) for name, value, pairs in rows for label, weight in pairs if label == top]
        pushes.sort(key=lambda item: -abs(item[1]))
        top_features = tuple((n, round(w, 3)) for n, w in pushes[:explain])
        return Prediction(tuple(probabilities), top_features, informed=bool(values))

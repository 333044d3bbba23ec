"""Retrain the classifier with scikit-learn and check the exported JSON predicts what sklearn predicts.

Slow (a training run, about half a minute): ``pytest -m slow tests/core/test_classifier_training.py``.
"""

from __future__ import annotations

import math
from pathlib import Path
from typing import Any

import pytest

from bot.core.classifier import SymptomClassifier
from bot.core.knowledge import load_knowledge
from bot.core.matching import Matcher
from bot.core.nlu_features import features
from tools import train_classifier as training

pytestmark = [pytest.mark.slow, pytest.mark.timeout(900)]

ROOT = Path(__file__).resolve().parents[2]
# Messages written for this test, never used in training.
PROBES = [
    "my iphone 14 shows the apple then goes black, again and again",
    "forgot the code for my daughter's iphone, now it says unavailable",
    "restore failed with error 4005 on my windows pc",
    "ty, back to normal now",
    "should i back up before updating to ios 18?",
    "my ipad pro wont turn on",
    "how do i get out of dfu on an iphone xs",
    "iphone 11 gets very hot near the camera",
    "when does the next iphone come out",
    "iphone x screen has a green line and touch is dead at the top",
]


@pytest.fixture(scope="module")
def fitted() -> tuple[training.Fitted, dict[str, Any], Matcher, list[training.Sample]]:
    knowledge = load_knowledge(ROOT / "knowledge")
    matcher = Matcher(knowledge)
    samples = training.load_samples()
    result = training.fit(samples, knowledge, matcher)
    return result, training.export_data(result, knowledge), matcher, samples


def test_retraining_reproduces_the_shipped_model(
    fitted: tuple[training.Fitted, dict[str, Any], Matcher, list[training.Sample]],
) -> None:
    _, data, matcher, _ = fitted
    shipped = SymptomClassifier.load()
    fresh = SymptomClassifier(data)
    assert fresh.sources_sha256 == shipped.sources_sha256
    assert fresh.classes == shipped.classes
    for text in PROBES:
        a = shipped.predict(features(matcher.analyse(text)))
        b = fresh.predict(features(matcher.analyse(text)))
        assert a.best == b.best, text
        for (label, p), (_, q) in zip(sorted(a.probabilities), sorted(b.probabilities), strict=True):
            assert abs(p - q) < 0.02, (text, label)


def test_pure_python_inference_matches_sklearn(
    fitted: tuple[training.Fitted, dict[str, Any], Matcher, list[training.Sample]],
) -> None:
    """The exported weights, run without sklearn, give sklearn's probabilities for every training message."""
    import numpy as np

    result, data, matcher, samples = fitted
    feats = training.featurise(matcher, [s.text for s in samples])
    matrix, _, _ = training._matrix(feats, result.vocab, result.idf, result.pattern_names)
    logits = result.model.decision_function(matrix) / result.temperature
    ours = SymptomClassifier(data)
    worst = 0.0
    agree = 0
    for i, f in enumerate(feats):
        z = np.exp(logits[i] - logits[i].max())
        expected = {result.labels[c]: float(p) for c, p in zip(result.model.classes_, z / z.sum(), strict=True)}
        got = ours.predict(f)
        agree += got.best == max(expected, key=expected.__getitem__)
        worst = max(worst, max(abs(got.probability(label) - p) for label, p in expected.items()))
    assert agree / len(feats) >= 0.99, f"{agree} of {len(feats)}"
    assert worst < 0.05, worst
    assert math.isfinite(worst)


@pytest.mark.timeout(3600)
def test_cross_validated_real_figures_stay_above_their_floor() -> None:
    """bench/quality.py's 5-fold CV on the real messages but the newest round (minutes): floors under the measured
    figures (bench/README.md, "Quality"), so a regression shows; the safety counts must stay at zero. The floors
    went down when round 6, harder than the rest (41% off-topic), joined the CV; the dev set's share did not."""
    from bench.quality import cross_validate_real

    figures = cross_validate_real(load_knowledge(ROOT / "knowledge"))["all"].figures()
    assert figures["top_symptom"] >= 0.61, figures
    assert figures["any_symptom"] >= 0.80, figures
    assert figures["model_accuracy"] >= 0.95, figures
    assert figures["ambiguous_se_asked"] == 1.0, figures
    assert figures["damage_recall"] >= 0.89, figures
    assert figures["damage_precision"] >= 0.85, figures
    assert figures["damaged_erasing_first"] == 0, figures
    assert figures["off_topic_erasing_first"] == 0, figures

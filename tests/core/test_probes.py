"""Issue 11's probes (tests/core/data/probes*.yaml, messages written for them: short probes, and longer stories):
no probe is answered with another family's buttons, no damage is missed, and at least 95% of the probes are
read right in every field (model or the candidates to ask between, damage kinds, error codes)."""

from __future__ import annotations

import asyncio
from collections import Counter
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
import yaml

from bot.core.answer import TriageAnswer, TriageRequest
from bot.core.matching import Analysis, Matcher
from bot.core.triage import Triage

PROBES_FILES = sorted((Path(__file__).parent / "data").glob("probes*.yaml"))
RIGHT_TARGET = 0.95
KINDS = (
    "duration", "alias_context", "several", "se", "bare", "script", "anumber",
    "liquid", "swollen", "smoke", "impact", "not_damage", "error", "story", "chat",
)  # fmt: skip


@dataclass(frozen=True)
class Probe:
    text: str
    kind: str
    model: str | None
    ask: frozenset[str]
    damage: frozenset[str]
    codes: tuple[int, ...]

    @classmethod
    def from_yaml(cls, item: dict[str, Any]) -> Probe:
        return cls(
            text=item["text"],
            kind=item["kind"],
            model=item.get("model"),
            ask=frozenset(item.get("ask", ())),
            damage=frozenset(item.get("damage", ())),
            codes=tuple(item.get("codes", ())),
        )


PROBES = [Probe.from_yaml(item) for path in PROBES_FILES for item in yaml.safe_load(path.read_text(encoding="utf-8"))]


@pytest.fixture(scope="module")
def matcher(triage: Triage) -> Matcher:
    return triage.matcher


@pytest.fixture(scope="module")
def families(triage: Triage) -> dict[str, str | None]:
    return {m.id: m.family for m in triage.knowledge.models.models}


def wrong_fields(probe: Probe, analysis: Analysis) -> list[str]:
    """What the reader and the detectors got wrong on one probe (empty: right in every field)."""
    wrong = []
    mention = analysis.model
    if probe.ask:
        if mention.model_id is not None or set(mention.candidates) != probe.ask:
            wrong.append(f"model: want to ask {sorted(probe.ask)}, got {mention}")
    elif mention.model_id != probe.model or (probe.model is None and mention.candidates):
        wrong.append(f"model: want {probe.model}, got {mention}")
    found = {e.id for e in analysis.damage}
    if not probe.damage <= found or bool(found) != bool(probe.damage):
        wrong.append(f"damage: want {sorted(probe.damage)}, got {sorted(found)}")
    if analysis.error_codes != probe.codes:
        wrong.append(f"codes: want {list(probe.codes)}, got {list(analysis.error_codes)}")
    return wrong


def answer(triage: Triage, text: str) -> TriageAnswer:
    return asyncio.run(triage.answer(TriageRequest(text=text)))


def test_the_probe_set_covers_every_kind_the_issue_lists() -> None:
    counts = Counter(p.kind for p in PROBES)
    assert len(PROBES) >= 150
    assert set(counts) == set(KINDS), counts
    assert all(counts[kind] >= 7 for kind in KINDS), counts
    assert len({p.text for p in PROBES}) == len(PROBES), "duplicate probe"
    assert all(not (p.model and p.ask) for p in PROBES), "a probe expects a model or a question, not both"


def allowed_families(probe: Probe, families: dict[str, str | None]) -> set[str | None]:
    """The button families a single answered model may have: the expected model's; when the probe must be
    asked, the candidates' family if they share one (else none: one model would risk the other's buttons);
    none when the probe names no phone."""
    if probe.ask:
        shared = {families[m] for m in probe.ask}
        return shared if len(shared) == 1 else set()
    return {families[probe.model]} if probe.model else set()


def test_no_probe_gets_another_familys_buttons(triage: Triage, families: dict[str, str | None]) -> None:
    """Through the whole triage: the answer's model is the one whose buttons every step uses."""
    bad = []
    for probe in PROBES:
        got = answer(triage, probe.text).model
        if got is not None and got.family not in allowed_families(probe, families):
            bad.append(f"{probe.text!r}: answered for {got.name} ({got.family}), want {probe.model or probe.ask}")
    assert not bad, "\n".join(bad)


def damage_missed(probe: Probe, got: TriageAnswer) -> bool:
    """A damaged probe the answer does not flag: a broken button alone is no physical damage by labelling.md, so the
    answer names it in ``damage_kinds`` only."""
    return bool(probe.damage) and not (got.damage or set(probe.damage) & set(got.damage_kinds))


def test_no_damage_probe_is_missed(triage: Triage) -> None:
    missed = [p.text for p in PROBES if damage_missed(p, answer(triage, p.text))]
    assert not missed, missed


def test_danger_is_answered_as_danger(triage: Triage) -> None:
    for probe in (p for p in PROBES if "smoke" in p.damage):
        got = answer(triage, probe.text)
        assert "smoke" in got.damage_kinds, probe.text
        assert got.severity == "danger", probe.text
        assert got.safety, probe.text


def test_at_least_95_percent_of_probes_are_right_in_every_field(matcher: Matcher) -> None:
    misses = {p.text: wrong for p in PROBES if (wrong := wrong_fields(p, matcher.analyse(p.text)))}
    right = 1 - len(misses) / len(PROBES)
    by_kind = Counter(p.kind for p in PROBES if p.text in misses)
    print(f"probes right: {len(PROBES) - len(misses)}/{len(PROBES)} = {right:.1%}; misses by kind {dict(by_kind)}")
    assert right >= RIGHT_TARGET, "\n".join(f"{text!r}: {'; '.join(w)}" for text, w in misses.items())

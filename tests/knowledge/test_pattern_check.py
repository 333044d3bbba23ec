"""The static check for catastrophic backtracking (lint code KB008): the classic shapes fail, safe nesting passes."""

from __future__ import annotations

import re
import time

import pytest

from bot.core.knowledge import iter_patterns, read_knowledge
from bot.core.pattern_check import catastrophic_reason
from bot.settings import DEFAULT_KNOWLEDGE_DIR

UNSAFE = [
    r"(a+)+b",
    r"(a*)*",
    r"(a|aa)+",
    r"(?:wet|we|t)+ phone",
    r"(\w+\s?)+$",
    r"(.*a)+",
    r"(\d+,?)+",
    r"(x?)*y",
    r"([^.]{0,25})+\.",
    r"\b(?:stuck|on)\b(\s*\w+)+ logo",
]
SAFE = [
    r"\bios \d+(\.\d+)* update\b",
    r"(foo|bar)+",
    r"(?:\s|\d)+",
    r"(ab+)+",
    r"(?:[a-z]+ )+failed",
    r"\b(update|install)\b[^.!?]{0,30}\b(failed|stuck)\b",
    r"^(?!.*\b(stuck|loop)\b)(?=.{0,40}$)[^.!?]*\b(dfu|recovery mode)\b[^.!]*[?]?$",
]


@pytest.mark.parametrize("pattern", UNSAFE)
def test_unsafe_patterns_are_rejected(pattern: str) -> None:
    reason = catastrophic_reason(pattern)
    assert reason is not None
    assert "unbounded repetition" in reason


@pytest.mark.parametrize("pattern", SAFE)
def test_safe_patterns_pass(pattern: str) -> None:
    assert catastrophic_reason(pattern) is None


def test_safe_patterns_really_are_fast_on_hostile_text() -> None:
    """What the check lets through stays fast on the text that breaks the unsafe ones. (KB008 targets
    exponential backtracking only: an unbounded run before a missing literal, such as ``[^.]+x``, is still
    quadratic in the text length and is not flagged; shipped patterns bound such runs, e.g. ``{0,30}``.)"""
    hostile = ("a" * 40 + " 1.1.1.1 wet" * 20 + "!") * 20
    for pattern in SAFE:
        start = time.perf_counter()
        re.search(pattern, hostile)
        assert time.perf_counter() - start < 0.5, pattern


def test_every_shipped_pattern_passes_quickly() -> None:
    knowledge = read_knowledge(DEFAULT_KNOWLEDGE_DIR)
    patterns = [pattern for _, _, pattern in iter_patterns(knowledge)]
    assert len(patterns) > 100
    start = time.perf_counter()
    assert [p for p in patterns if catastrophic_reason(p)] == []
    assert time.perf_counter() - start < 2.0  # it runs at every start-up

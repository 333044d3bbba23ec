"""``required_strings`` and ``PatternIndex``: the skips that let a message search only the few knowledge patterns it
could match. A skip must never hide a match: checked on every shipped pattern, with texts its matches are embedded
in, before and after its needed words are worked out (which re-indexes it)."""

from __future__ import annotations

import random
import re

import pytest

from bot.core.scan import FastPattern, PatternIndex, Scan, required_strings, required_words
from tests.core.test_scan import PATTERNS, _probes, load_cases


@pytest.mark.parametrize(
    ("pattern", "strings"),
    [
        (r"(se calienta|sobrecalienta|surchauffe)", {"se calienta", "sobrecalienta", "surchauffe"}),
        (r"(manzana|pomme)\b", {"manzana", "pomme"}),
        (r"(?:foo)?bar", {"bar"}),  # "foobar" contains "bar"
        (r"(過熱|発熱)", {"過熱", "発熱"}),
        (r"\b(suya|su girdi)\b", {"suya", "su girdi"}),
        (r"[üu]berhitzt", {"überhitzt", "uberhitzt"}),
        (r"\bwet\w*", {"wet"}),  # what comes before an unknown part
        (r"(забыл\w* (пароль|код)|忘记密码)", {"забыл", "忘记密码"}),
    ],
)
def test_strings_a_literal_pattern_needs(pattern: str, strings: set[str]) -> None:
    assert set(required_strings(pattern)) == strings


@pytest.mark.parametrize("pattern", [r"a.b", r"\w+s", r"(?i)wet", r"(\w+) \1", r"x?", r"(a|bc)d?"])
def test_no_strings_when_a_match_is_not_a_few_literals(pattern: str) -> None:
    re.compile(pattern)
    assert required_strings(pattern) == ()


@pytest.mark.parametrize(
    ("pattern", "needed"),
    [
        # After "\s" a word starts a word of the text ("wet" in "got\twet").
        (r"\b(got|was|its)\s(wet|soaked)\b", {"wet", "soaked"}),
        # Too many strings for the first groups: the last group is read on its own.
        (
            r"\b(a|my|the|his|her|our) (dead|wet|cracked|black|frozen|old|new|broken) (screen|display|glass)\b",
            {"screen", "display", "glass"},
        ),
        # The uncommon word all branches share, not the longest one of each ("iphone is dead" -> "dead").
        (r"\b(completely|phone is|iphone is|its|is) dead\b", {"dead"}),
    ],
)
def test_needed_words_after_a_separator_or_too_many_strings(pattern: str, needed: set[str]) -> None:
    assert needed in [set(words) for words in required_words(pattern)]


def _check(fast: FastPattern, index: PatternIndex, regex: re.Pattern[str], texts: list[str]) -> int:
    checked = 0
    for text in texts:
        if regex.search(text) is None:
            continue
        scan = Scan(text, index)
        assert fast.serial not in scan.ruled_out(), (fast.pattern, text)
        assert fast.search(scan) is not None, (fast.pattern, text)
        strings = required_strings(fast.pattern)
        assert not strings or any(s in text for s in strings), (fast.pattern, text, strings)
        checked += 1
    return checked


def test_the_index_never_rules_out_a_pattern_that_matches() -> None:
    rng = random.Random(20261202)
    corpus = [case.text.casefold() for case in load_cases()]
    fast = [FastPattern(pattern) for pattern in PATTERNS]
    index = PatternIndex(fast)
    checked = 0
    for pattern in fast:
        texts = _probes(pattern.pattern, corpus, rng)
        checked += _check(pattern, index, pattern.regex, texts)  # indexed by its first characters and words
        for text in texts * 4:  # enough searches for its needed words to be worked out: indexed by those
            pattern.search(Scan(text))
        checked += _check(pattern, index, pattern.regex, texts)
    assert checked > 10 * len(PATTERNS)


def test_the_index_rules_out_most_patterns_for_an_ordinary_message() -> None:
    fast = [FastPattern(pattern) for pattern in PATTERNS]
    index = PatternIndex(fast)
    scan = Scan("my iphone 12 is stuck on the apple logo after the update", index)
    assert len(scan.ruled_out()) > 0.6 * len(fast)
    assert not any(p.serial in scan.ruled_out() for p in fast if p.search(Scan(scan.text)))

"""``required_words``: the words a pattern's every match needs, which let ``FastPattern`` skip a search. A skip
must never hide a match: checked on every shipped pattern against texts its matches are embedded in."""

from __future__ import annotations

import random
import re

import pytest

from bot.core.knowledge import iter_patterns, load_knowledge
from bot.core.pattern_check import _alphabet, _samples, sre_parse
from bot.core.scan import FastPattern, Scan, required_words
from bot.settings import DEFAULT_KNOWLEDGE_DIR
from tests.core.corpus import load_cases

PATTERNS = sorted({regex for _, _, regex in iter_patterns(load_knowledge(DEFAULT_KNOWLEDGE_DIR))})


@pytest.mark.parametrize(
    ("pattern", "needed"),
    [
        (r"\b(fell|dropped)\b", {"fell", "dropped"}),
        (r"\bwet(ter)?\b", {"wet", "wetter"}),
        (r"\bsupport\.apple\.com/iphone/restore", {"support"}),
        (r"(screen|display)[^.!?]{0,20}\b(lifting|lifted)\b", {"lifting", "lifted"}),
        (r"\b(got|was) (ran|run) over\b", {"over"}),  # the longest word every branch has
        (r"\b\d+ errors?\b", {"error", "errors"}),
        (r"\b(zalał\w*|zamoczy\w*)", {"zalał", "zamoczy"}),
        (r"(?<!tempered )\bscreen\b(?! protector)", {"screen"}),
    ],
)
def test_a_needed_set_names_the_words(pattern: str, needed: set[str]) -> None:
    assert needed in [set(words) for words in required_words(pattern)]


@pytest.mark.parametrize(
    "pattern",
    [
        r"(?i)\bwet\b",  # flags: not modelled
        r"(进水|掉水里)",  # no word boundary in Chinese: the words may sit inside a longer run
        r"(wet|soaked)",  # no \b: "wet" may be the end of a longer word
        r"\b(\w+)\s+\1\b",  # a back-reference
        r"\bx\b",  # one-letter words are not indexed
        r"\b(wet|.*)\b",  # one branch needs nothing
        r"\bwet{}",  # literal braces
    ],
)
def test_nothing_is_needed_when_it_cannot_be_told(pattern: str) -> None:
    re.compile(pattern)
    assert required_words(pattern) == ()


def test_most_shipped_patterns_need_some_word() -> None:
    """The point of the skip: most patterns can be ruled out by a word test (CJK-only ones cannot)."""
    with_needs = sum(bool(required_words(p)) for p in PATTERNS)
    assert with_needs >= 0.8 * len(PATTERNS)


def _probes(pattern: str, texts: list[str], rng: random.Random) -> list[str]:
    """Texts a pattern matches: its matches in the corpus and strings built from its own literals, embedded in
    other text (start, middle, end, glued to punctuation)."""
    regex = re.compile(pattern)
    found = [m.group(0) for text in texts if (m := regex.search(text))]
    parsed = sre_parse.parse(pattern)
    found += [s for s in _samples(parsed, _alphabet(parsed), limit=48) if s and regex.search(s)]
    probes = []
    for fragment in dict.fromkeys(found):
        probes += [fragment, f"so {fragment} now", f"{fragment}.", f"({fragment})", f"x {fragment}"]
    rng.shuffle(probes)
    return probes[:60]


def test_a_skip_never_hides_a_match_of_a_shipped_pattern() -> None:
    rng = random.Random(20261202)
    texts = [case.text.casefold() for case in load_cases()]
    checked = 0
    for pattern in PATTERNS:
        regex, fast = re.compile(pattern), FastPattern(pattern)
        needs = required_words(pattern)
        for text in _probes(pattern, texts, rng):
            if regex.search(text) is None:
                continue
            scan = Scan(text)
            missing = [sorted(words) for words in needs if scan.prefixes().isdisjoint(words)]
            assert not missing, (pattern, text, missing)
            assert fast.search(scan) is not None, (pattern, text)
            checked += 1
    assert checked > 5 * len(PATTERNS)


def test_fast_search_and_finditer_equal_re_on_the_corpus() -> None:
    texts = [case.text.casefold() for case in load_cases()][:150]
    for pattern in PATTERNS:
        regex, fast = re.compile(pattern), FastPattern(pattern)
        for text in texts:
            scan = Scan(text)
            expected = regex.search(text)
            got = fast.search(scan)
            assert (got and got.span()) == (expected and expected.span()), (pattern, text)
            assert [m.span() for m in fast.finditer(scan, 3)] == [m.span() for m in regex.finditer(text)][:3]

"""The gates that skip a regex before it runs (text.py's rewrites, detectors.py's error codes): without a match of
its gate a rewrite changes nothing, and without its gate's strings an error-code regex finds nothing, so skipping it
loses nothing. Checked on strings built from each regex's own literals in several contexts, and on every corpus
message."""

from __future__ import annotations

import re
from collections.abc import Callable

import pytest

from bot.core import detectors, text
from bot.core.pattern_check import _alphabet, _samples, sre_parse
from tests.core.corpus import load_cases

Replacement = str | Callable[[re.Match[str]], str]
REWRITES = list(text._REWRITES)
ERROR_CODES = list(detectors._ERROR_CODES)
# Contexts that satisfy the regexes' look-arounds: a model number, version or code after, a word or digit before.
_CONTEXTS = ("{}", "so {} now", "{}7 ", "{}12.1 ", "{}x ", "{} 8 ", "my {}", "{} 4013", "{}-1", "6{} ", "白{}")
CORPUS = [text.clean(case.text)[0] for case in load_cases()]
# Written for these regexes: what the built strings cannot reach (a word then a separator before "fail").
EXAMPLES = [
    "the restore failed, code 4013",
    "update failed with code 9",
    "restoring it fails: code 14",
    "con 12 của mình bị treo",
    "il mio 1 2 pro non va",
    "جوالي 13 برو طافي",
    "mine is a fifteen pro",
    "bilinmeyen bir hata oluştu 4013",
    "το 12άρι μου",
]


def _candidates(regex: re.Pattern[str]) -> list[str]:
    parsed = sre_parse.parse(regex.pattern)
    samples = _samples(parsed, _alphabet(parsed), limit=64)
    return [context.format(sample) for sample in samples for context in _CONTEXTS] + CORPUS + EXAMPLES


def _ungated(needs: tuple[str, ...], candidates: list[str]) -> list[str]:
    return [c for c in candidates if not any(needed in c for needed in needs)]


@pytest.mark.parametrize(("gate", "regex", "replacement"), REWRITES, ids=[r.pattern[:40] for _, r, _ in REWRITES])
def test_a_rewrite_without_a_match_of_its_gate_changes_nothing(
    gate: re.Pattern[str], regex: re.Pattern[str], replacement: Replacement
) -> None:
    candidates = _candidates(regex)
    assert any(regex.sub(replacement, c) != c for c in candidates), "nothing rewritten: the check checks nothing"
    for candidate in candidates:
        if gate.search(candidate) is None:
            assert regex.sub(replacement, candidate) == candidate, (regex.pattern, candidate)


@pytest.mark.parametrize(("needs", "regex"), ERROR_CODES, ids=[r.pattern[:40] for _, r in ERROR_CODES])
def test_an_error_code_regex_without_its_gate_strings_finds_nothing(
    needs: tuple[str, ...], regex: re.Pattern[str]
) -> None:
    candidates = _candidates(regex)
    assert any(regex.search(c) for c in candidates), "nothing found: the check checks nothing"
    for candidate in _ungated(needs, candidates):
        assert regex.search(candidate) is None, (regex.pattern, candidate)

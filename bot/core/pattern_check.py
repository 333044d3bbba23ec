"""A static check for regular expressions that can backtrack without limit (catastrophic backtracking).

Python's ``re`` engine backtracks: ``(a+)+b`` on thirty-odd ``a`` characters and no ``b`` takes minutes, and
nothing (not even SIGTERM's default handler) interrupts it. The dangerous shape is an unbounded repetition
``B*`` / ``B+`` / ``B{n,}`` whose body ``B`` can cover the same text in more than one way, so the engine tries
exponentially many splits: ``(a+)+``, ``(a*)*``, ``(a|aa)+``, ``(\\w+\\s?)+``.

The check walks the parsed pattern (``re._parser``) and, for each unbounded repetition, asks the body itself
(compiled on its own) whether two strings it matches, ``u`` and ``v``, also match as one string ``uv``: then
every run of such pieces can be split in exponentially many ways. The strings tried are runs of one character
(``a``, ``aa``, ...) and short strings built from the body's own literals and alternatives (``wet``, ``we``,
``t`` for ``(wet|we|t)+``). A body that matches the empty string is rejected too. Bodies whose iterations are
separated by something they cannot contain, such as ``(\\.\\d+)*``, pass. It is a test on samples, not a proof
of safety for every pattern.
"""

from __future__ import annotations

import importlib
import re
import sys
from collections.abc import Iterator
from typing import Any

# The regex parser's modules: re._parser and friends since Python 3.11, top-level sre_* modules in 3.10
# (deprecated aliases since). Loaded by name, so both spellings are typed alike (Any: no stubs for re._*).
_NAMES = (
    ("re._compiler", "re._constants", "re._parser")
    if sys.version_info >= (3, 11)
    else ("sre_compile", "sre_constants", "sre_parse")
)
sre_compile: Any = importlib.import_module(_NAMES[0])
sre_constants: Any = importlib.import_module(_NAMES[1])
sre_parse: Any = importlib.import_module(_NAMES[2])
_NO_OPCODE = object()  # Python 3.10 has no possessive repeats and no atomic groups
_POSSESSIVE_REPEAT = getattr(sre_constants, "POSSESSIVE_REPEAT", _NO_OPCODE)
_ATOMIC_GROUP = getattr(sre_constants, "ATOMIC_GROUP", _NO_OPCODE)

_RUN_LENGTHS = range(1, 7)
# Characters tried besides the pattern's own literals: letters, digits, spaces, punctuation, other scripts.
_SAMPLES = "aZ0 \t\n.-_/:?!éя中"
_MAY_REPEAT_UNBOUNDED = re.compile(r"[*+]|\{\d*,\}")
_REPEATS = (sre_constants.MAX_REPEAT, sre_constants.MIN_REPEAT, _POSSESSIVE_REPEAT)


def catastrophic_reason(pattern: str) -> str | None:
    """Why ``pattern`` can backtrack without limit, or None. The pattern must compile."""
    if not _MAY_REPEAT_UNBOUNDED.search(pattern):  # most patterns: no *, + or {n,} at all, so nothing to parse
        return None
    parsed = sre_parse.parse(pattern)
    for body in _unbounded_bodies(parsed):
        reason = _ambiguity(parsed, body, _alphabet(body))
        if reason:
            return f"an unbounded repetition whose body {reason} (nested repetition backtracks without limit)"
    return None


def _unbounded_bodies(items: Any) -> Iterator[Any]:
    """The body of every unbounded repetition in a parsed (sub)pattern, outermost first."""
    for op, arg in items:
        if op in _REPEATS:
            _, high, body = arg
            if high == sre_constants.MAXREPEAT and op != _POSSESSIVE_REPEAT:
                yield body
            yield from _unbounded_bodies(body)
        elif op == sre_constants.SUBPATTERN:
            yield from _unbounded_bodies(arg[-1])
        elif op == sre_constants.BRANCH:
            for branch in arg[1]:
                yield from _unbounded_bodies(branch)
        elif op in (sre_constants.ASSERT, sre_constants.ASSERT_NOT):
            yield from _unbounded_bodies(arg[1])
        elif op == _ATOMIC_GROUP:
            continue  # an atomic group never backtracks into itself
        elif op == sre_constants.GROUPREF_EXISTS:
            for branch in arg[1:]:
                if branch is not None:
                    yield from _unbounded_bodies(branch)


def _ambiguity(parsed: Any, body: Any, alphabet: str) -> str | None:
    try:
        regex = sre_compile.compile(sre_parse.SubPattern(parsed.state, list(body)))
    except (re.error, TypeError, IndexError):  # a body that cannot stand alone (e.g. a group reference)
        return None
    if regex.fullmatch(""):
        return "can match nothing at all"
    longest = max(_RUN_LENGTHS)
    starts = [char for char in alphabet if regex.match(char * longest)]  # the body can begin a run of it
    runs = [char * n for char in starts for n in _RUN_LENGTHS]
    words = [w for w in dict.fromkeys(_samples(body, alphabet)) if w and regex.fullmatch(w)]
    for group in ([r for r in runs if regex.fullmatch(r)], words):
        for first in group:
            for second in group:
                if regex.fullmatch(first + second):
                    return f"matches {first + second!r} both whole and as {first!r} + {second!r}"
    return None


def _samples(items: Any, alphabet: str, limit: int = 24) -> list[str]:
    """A few short strings a parsed (sub)pattern can match, built from its literals (assertions ignored)."""
    out = [""]
    for op, arg in items:
        if op == sre_constants.LITERAL:
            options = [chr(arg)]
        elif op in (sre_constants.IN, sre_constants.ANY, sre_constants.CATEGORY):
            node = [(op, arg)]
            klass = sre_compile.compile(sre_parse.SubPattern(sre_parse.State(), node))
            options = [c for c in alphabet if klass.fullmatch(c)][:1]
        elif op == sre_constants.BRANCH:
            options = [s for branch in arg[1] for s in _samples(branch, alphabet, limit)]
        elif op == sre_constants.SUBPATTERN:
            options = _samples(arg[-1], alphabet, limit)
        elif op in _REPEATS:
            low, high, inner = arg
            once = _samples(inner, alphabet, limit)
            options = [s * count for s in once for count in {low, min(max(low, 1), high)}]
        elif op == _ATOMIC_GROUP:
            options = _samples(arg, alphabet, limit)
        else:  # anchors, lookarounds, group references: assume they match empty
            options = [""]
        out = [head + tail for head in out for tail in options][:limit]
    return out


def _alphabet(body: Any) -> str:
    chars = dict.fromkeys(_SAMPLES)
    for code in _literals(body):
        chars.setdefault(chr(code))
    return "".join(chars)


def _literals(items: Any) -> Iterator[int]:
    for op, arg in items:
        if op == sre_constants.LITERAL:
            yield arg
        elif op == sre_constants.IN:
            for inner_op, inner_arg in arg:
                if inner_op == sre_constants.LITERAL:
                    yield inner_arg
                elif inner_op == sre_constants.RANGE:
                    yield inner_arg[0]
        elif op in _REPEATS:
            yield from _literals(arg[2])
        elif op == sre_constants.SUBPATTERN:
            yield from _literals(arg[-1])
        elif op == sre_constants.BRANCH:
            for branch in arg[1]:
                yield from _literals(branch)
        elif op in (sre_constants.ASSERT, sre_constants.ASSERT_NOT):
            yield from _literals(arg[-1])
        elif op == _ATOMIC_GROUP:
            yield from _literals(arg)

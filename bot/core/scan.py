"""Fast regex search for the knowledge base's patterns, with the same results as ``re``.

Python's engine skips ahead quickly only to a pattern's literal prefix. Most patterns start with ``\\b``
and an alternation of words (``\\b(fell|dropped|slipped) ...``), which it tries at every position: about
200 such patterns cost tens of milliseconds on a 4,096-character message. Here each message is split into
words once (``Scan``), and a pattern that starts with ``\\b`` and known words is tried only where one of
them starts a word. Other patterns are skipped when none of their possible first characters occurs in
the message, and searched normally otherwise.

Beyond its first words, a pattern is skipped when the message lacks every word of a set that each of its
matches must contain (``required_words``: "lifting" or "lifted" in ``(screen|display)[^.!?]{0,20}\\b(lifting|
lifted)``), read from the pattern's source once it has been searched a few times, or, for a pattern with no such
word ("(se calienta|surchauffe)", "забыл\\w* (пароль|код)"), when the message contains none of the strings one of
which each match contains (``required_strings``). ``PatternIndex`` finds the patterns a message cannot match
from its characters and word starts in a few set operations, so those are not even visited. On real messages
that leaves about 15 of ~235 patterns to search.
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Callable, Iterable, Iterator
from typing import Any

_SPECIAL = frozenset("\\.^$*+?{}[]|()")
_OPTIONAL = ("?", "*", "{")
_TOKEN = re.compile(r"\w+")
_WORD_PREFIX = re.compile(r"\w+")
# Candidate positions tried per search before falling back to a plain search from there (bounds a
# crafted message that repeats a common word thousands of times).
_MAX_CANDIDATES = 400
# Messages shorter than this are searched with plain ``re`` (the common case: a chat message of a few lines).
# Measured on 953 real messages of 150-1,200 characters, paired: analysis CPU median / p95 834 / 2,285 us at
# 1,000, 769 / 1,893 us at 400, 821 / 1,909 us at 200.
_INDEX_MIN_CHARS = 400
# Word starts are compared up to this many characters.
_PREFIX_KEY = 8
# A pattern's needed words are worked out once it has got past its other skip tests this many times.
_NEEDS_AFTER_SEARCHES = 4
_SERIALS = itertools.count()  # tells patterns apart in a PatternIndex
# Latin letters, rarest in English first; any other character is rarer still in these messages.
_LETTERS_BY_RARITY = "zqxjkvbpygfwmucldrhsnioate"
# Each word's starts, kept across messages (most words recur): half the cost of slicing them again.
_WORD_PREFIXES: dict[str, tuple[str, ...]] = {}
_WORD_PREFIXES_LIMIT = 50_000


# What the two walkers below look at: an escape (skipped whole), a class bracket, a group parenthesis or a bar.
# Jumping from one to the next costs a fraction of a character-by-character loop (start-up reads ~28,000).
_STRUCTURE = re.compile(r"\\.|[][()|]", re.DOTALL)


def top_level_alternatives(source: str) -> list[str]:
    """Split a regex on its top-level ``|`` (outside groups and character classes)."""
    parts: list[str] = []
    depth, start, in_class, class_opened = 0, 0, False, -2
    for token in _STRUCTURE.finditer(source):
        char, i = token.group(), token.start()
        if len(char) == 2:  # an escape
            continue
        if in_class:
            # A "]" first in a class is a member, not its end.
            in_class = char != "]" or i == class_opened + 1
        elif char == "[":
            in_class, class_opened = True, i
        elif char == "(":
            depth += 1
        elif char == ")":
            depth -= 1
        elif char == "|" and depth == 0:
            parts.append(source[start:i])
            start = i + 1
    parts.append(source[start:])
    return parts


def _group_end(part: str) -> int | None:
    depth, in_class = 0, False
    for token in _STRUCTURE.finditer(part):
        char = token.group()
        if len(char) == 2:
            continue
        if in_class:
            in_class = char != "]"
        elif char == "[":
            in_class = True
        elif char in "()":
            depth += 1 if char == "(" else -1
            if depth == 0:
                return token.start()
    return None


def first_literals(part: str) -> tuple[str, ...] | None:
    """Literal strings one of which every match of ``part`` starts with, or None if that is not simple."""
    if not part:
        return None
    if part.startswith("\\b"):  # consumes nothing: "(\bв воду|\bводой)" starts with "в"
        return first_literals(part[2:])
    if part[0] == "(":
        end = _group_end(part)
        if end is None:
            return None
        inner, rest, quantifier = part[1:end], part[end + 1 :], part[end + 1 : end + 2]
        if inner.startswith(("?<!", "?<=", "?=", "?!")):
            return first_literals(rest)  # a lookaround consumes nothing: the match starts with what follows
        if inner.startswith("?:"):
            inner = inner[2:]
        elif inner.startswith("?"):
            return None  # a named group or flags
        literals: list[str] = []
        for alternative in top_level_alternatives(inner):
            found = first_literals(alternative)
            if found is None:
                return None
            literals += found
        if quantifier in ("?", "*"):  # the group may be absent: what follows can start the match too
            after = first_literals(rest[1:])
            return None if after is None else (*literals, *after)
        return None if quantifier == "{" else tuple(literals)
    if part[0] == "[":
        end = part.find("]", 1)
        members = part[1:end]
        following = part[end + 1 : end + 2]
        if end < 2 or set(members) & (_SPECIAL | {"-", "^"}) or len(members) > 4 or following in _OPTIONAL:
            return None
        tail = first_literals(part[end + 1 :]) if following not in ("", "+") else None
        return tuple(m + t for m in members for t in (tail or ("",)))
    end = 0
    while end < len(part) and part[end] not in _SPECIAL:
        end += 1
    run = part[:end]
    if part[end : end + 1] in _OPTIONAL:
        run = run[:-1]
    return (run,) if run else None


class Scan:
    """One message prepared for many pattern searches: its characters and where each word starts."""

    def __init__(self, text: str, index: PatternIndex | None = None) -> None:
        self.text = text
        self._index_of_patterns = index
        self._ruled_out: frozenset[int] | None = None
        # Below this length a plain search (after the first-word check) is cheaper than the index's bookkeeping.
        self.short = len(text) < _INDEX_MIN_CHARS
        self.present = frozenset(text)
        self._by_head: dict[str, list[tuple[int, str]]] | None = None  # words by their first three characters
        self._heads_of_two: dict[str, list[str]] = {}
        self._cache: dict[str, list[int]] = {}
        self._word_starts: dict[tuple[str, ...], list[int]] = {}
        self._prefixes: frozenset[str] | None = None

    def prefixes(self) -> frozenset[str]:
        """Every start (2 to 8 characters) of every word: one set test tells whether a pattern can match."""
        if self._prefixes is None:
            known = _WORD_PREFIXES
            starts = []
            for word in set(_TOKEN.findall(self.text)):
                prefixes = known.get(word)
                if prefixes is None:
                    if len(known) >= _WORD_PREFIXES_LIMIT:
                        known.clear()
                    prefixes = known[word] = tuple(word[:size] for size in range(2, min(len(word), _PREFIX_KEY) + 1))
                starts.append(prefixes)
            self._prefixes = frozenset().union(*starts)
        return self._prefixes

    def ruled_out(self) -> frozenset[int]:
        """The serials of the index's patterns this message cannot match (none without an index)."""
        if self._ruled_out is None:
            index = self._index_of_patterns
            self._ruled_out = frozenset() if index is None else index.ruled_out(self)
        return self._ruled_out

    def _index(self) -> dict[str, list[tuple[int, str]]]:
        """Built on first use: a message in another script never needs it."""
        if self._by_head is None:
            self._by_head = {}
            for match in _TOKEN.finditer(self.text):
                word = match.group(0)
                self._by_head.setdefault(word[:3], []).append((match.start(), word))
            for head in self._by_head:
                self._heads_of_two.setdefault(head[:2], []).append(head)
        return self._by_head

    def _starts(self, prefix: str) -> list[int]:
        cached = self._cache.get(prefix)
        if cached is None:
            by_head = self._index()
            heads = [prefix[:3]] if len(prefix) >= 3 else self._heads_of_two.get(prefix, [])
            cached = [start for head in heads for start, word in by_head.get(head, ()) if word.startswith(prefix)]
            self._cache[prefix] = cached
        return cached

    def word_starts(self, prefixes: tuple[str, ...]) -> list[int]:
        """Start positions of words that begin with one of ``prefixes`` (each of 2+ word characters), in order."""
        starts = self._word_starts.get(prefixes)  # a pattern's later searches (finditer) ask again
        if starts is None:
            found: set[int] = set()
            for prefix in prefixes:
                found.update(self._starts(prefix))
            starts = self._word_starts[prefixes] = sorted(found)
        return starts


class _Part:
    """One top-level alternative of a pattern, with what lets it skip work."""

    def __init__(self, source: str) -> None:
        self.bounded = source.startswith("\\b")
        body = source[2:] if self.bounded else source
        self.body = body
        self._regex: re.Pattern[str] | None = None  # compiled on first use: most parts are skipped
        literals = first_literals(body)
        self.first_chars = frozenset(lit[0] for lit in literals) if literals else None
        word_prefixes: tuple[str, ...] | None = None
        if self.bounded and literals:
            heads = [_WORD_PREFIX.match(lit) for lit in literals]
            if all(head is not None and head.start() == 0 and len(head.group(0)) >= 2 for head in heads):
                word_prefixes = tuple(head.group(0) for head in heads if head is not None)
        self.word_prefixes = word_prefixes
        self.prefix_keys = frozenset(p[:_PREFIX_KEY] for p in word_prefixes) if word_prefixes else None

    def regex(self) -> re.Pattern[str]:
        if self._regex is None:
            self._regex = re.compile(self.body)
        return self._regex

    def cannot_match(self, scan: Scan) -> bool:
        """True when no match is possible: none of its first characters, or first words, is in the message."""
        if self.first_chars is not None and self.first_chars.isdisjoint(scan.present):
            return True
        return self.prefix_keys is not None and scan.prefixes().isdisjoint(self.prefix_keys)

    def search(self, scan: Scan, pos: int) -> re.Match[str] | None:
        if self.cannot_match(scan):
            return None
        if self.word_prefixes is not None:
            tried = 0
            for start in scan.word_starts(self.word_prefixes):
                if start < pos:
                    continue
                match = self.regex().match(scan.text, start)
                if match is not None:
                    return match
                tried += 1
                if tried >= _MAX_CANDIDATES:
                    return self._plain_search(scan.text, start + 1)
            return None
        return self._plain_search(scan.text, pos)

    def _plain_search(self, text: str, pos: int) -> re.Match[str] | None:
        while True:
            match = self.regex().search(text, pos)
            if match is None or not self.bounded or _at_boundary(text, match.start()):
                return match
            pos = match.start() + 1


def _is_word(char: str) -> bool:
    return char.isalnum() or char == "_"


def _at_boundary(text: str, index: int) -> bool:
    """What ``\\b`` tests at ``index``, for str patterns."""
    before = index > 0 and _is_word(text[index - 1])
    after = index < len(text) and _is_word(text[index])
    return before != after


class FastPattern:
    """A regex from the knowledge base, searched with the same leftmost-match result as ``re``."""

    def __init__(self, source: str) -> None:
        self.pattern = source
        self.serial = next(_SERIALS)
        self.watchers: list[PatternIndex] = []  # told when the pattern's needed words are known
        # Already compiled by the knowledge check at start-up: re's cache returns that object, not a second compile.
        self.regex = re.compile(source)
        self.parts = tuple(_Part(part) for part in top_level_alternatives(source))
        # The parts' skip tests merged, so a short message needs at most two set tests per pattern. A part
        # with first words can match only where one starts a word (which implies its first character).
        self._always = any(part.first_chars is None for part in self.parts)
        keyed = [p.prefix_keys for p in self.parts if p.prefix_keys is not None]
        self._word_keys: frozenset[str] = frozenset().union(*keyed)
        unkeyed = [p.first_chars for p in self.parts if p.prefix_keys is None and p.first_chars is not None]
        self._chars: frozenset[str] = frozenset().union(*unkeyed)
        self._needs: tuple[frozenset[str], ...] | None = None  # see required_words
        self._strings: tuple[str, ...] = ()  # see required_strings (only for a pattern with no needed words)
        self._searched = 0

    def cannot_match(self, scan: Scan) -> bool:
        """True when the message has none of the pattern's possible first characters or first words (the parts'
        tests merged into two set tests), lacks every word of one set that each match needs, or, for a pattern
        of a few literal strings, contains none of them."""
        if not (self._always or not self._chars.isdisjoint(scan.present)) and (
            not self._word_keys or scan.prefixes().isdisjoint(self._word_keys)
        ):
            return True
        needs = self._needs
        if needs is None:
            # Worked out only for a pattern searched a few times already: reading one costs ~0.3 ms, more than
            # a one-message CLI run saves with it (reading all of them up front would cost ~50 ms).
            self._searched += 1
            if self._searched < _NEEDS_AFTER_SEARCHES:
                return False
            needs = self._needs = required_words(self.pattern)
            if not needs:
                self._strings = required_strings(self.pattern)
            for index in self.watchers:
                index.update(self)
        if needs:
            prefixes = scan.prefixes()
            for words in needs:
                if prefixes.isdisjoint(words):
                    return True
        elif self._strings:
            text = scan.text
            return not any(string in text for string in self._strings)
        return False

    def gate(self) -> tuple[frozenset[str], frozenset[str]] | None:
        """(characters, word starts): a message with none of either cannot match; None when any message may."""
        if self._needs:
            return frozenset(), self._needs[0]
        if self._strings:  # each string has its rarest character: "в воду" -> "в", "se calienta" -> "c"
            return frozenset(min(string, key=_rarity) for string in self._strings), frozenset()
        if self._always:
            return None
        return self._chars, self._word_keys

    def search(self, scan: Scan, pos: int = 0) -> re.Match[str] | None:
        if self.cannot_match(scan):
            return None
        if scan.short:  # a short message: the plain pattern
            return self.regex.search(scan.text, pos)
        best: re.Match[str] | None = None
        for part in self.parts:
            match = part.search(scan, pos)
            if match is not None and (best is None or match.start() < best.start()):
                best = match
        return best

    def finditer(self, scan: Scan, limit: int) -> Iterator[re.Match[str]]:
        """Up to ``limit`` successive non-overlapping matches."""
        if self.cannot_match(scan):
            return iter(())  # most patterns: no generator to start
        return self._matches(scan, limit)

    def _matches(self, scan: Scan, limit: int) -> Iterator[re.Match[str]]:
        pos = 0
        for _ in range(limit):
            match = self.search(scan, pos)
            if match is None:
                return
            yield match
            pos = max(match.end(), match.start() + 1)


def _rarity(char: str) -> int:
    rank = _LETTERS_BY_RARITY.find(char)
    return -1 if not char.isascii() else (rank if rank >= 0 else len(_LETTERS_BY_RARITY))


class PatternIndex:
    """Which of many patterns a message cannot match, from its characters and word starts in a few set operations
    rather than a test per pattern (a message rules out most of the ~235 knowledge patterns; each test costs
    more than the set lookups). A pattern is indexed by its ``gate``, its needed words once they are known."""

    def __init__(self, patterns: Iterable[FastPattern]) -> None:
        unique = {pattern.serial: pattern for pattern in patterns}
        self._serials = frozenset(unique)
        self._always: set[int] = set()
        self._by_char: dict[str, frozenset[int]] = {}
        self._by_word: dict[str, frozenset[int]] = {}
        self._word_keys: frozenset[str] = frozenset()
        self._gates: dict[int, tuple[frozenset[str], frozenset[str]] | None] = {}
        for pattern in unique.values():
            self._add(pattern.serial, pattern.gate())
            pattern.watchers.append(self)
        self._word_keys = frozenset(self._by_word)

    def _add(self, serial: int, gate: tuple[frozenset[str], frozenset[str]] | None) -> None:
        self._gates[serial] = gate
        if gate is None:
            self._always.add(serial)
            return
        chars, words = gate
        for char in chars:
            self._by_char[char] = self._by_char.get(char, frozenset()) | {serial}
        for word in words:
            self._by_word[word] = self._by_word.get(word, frozenset()) | {serial}

    def update(self, pattern: FastPattern) -> None:
        """Index ``pattern`` by its gate again (its needed words were just worked out)."""
        serial, gate = pattern.serial, pattern.gate()
        old = self._gates.get(serial)
        if serial not in self._serials or gate == old:
            return
        # New entries go in before the old ones leave, so a message looked up meanwhile still finds the pattern.
        self._add(serial, gate)
        self._word_keys = frozenset(self._by_word)
        if old is None:
            self._always.discard(serial)
            return
        chars, words = old
        for char in chars - gate[0] if gate else ():
            self._by_char[char] = self._by_char[char] - {serial}
        for word in words - gate[1] if gate else ():
            self._by_word[word] = self._by_word[word] - {serial}

    def ruled_out(self, scan: Scan) -> frozenset[int]:
        """Serials of the patterns ``scan`` cannot match."""
        possible = set(self._always)
        by_char, by_word = self._by_char, self._by_word
        for char in scan.present:
            hit = by_char.get(char)
            if hit:
                possible |= hit
        for word in scan.prefixes() & self._word_keys:
            possible |= by_word[word]
        return self._serials - possible


# --- words every match needs ------------------------------------------------------------------------------------

_BOUNDARY = "\x00"  # a \b (or ^) inside a literal string: a word that follows it starts a word of the text
_MAX_STRINGS = 64  # literal strings tracked per run before the run is cut
_LEXER = re.compile(
    r"""(?P<esc>\\.)
    |(?P<cls>\[\^?\]?(?:\\.|[^\]\\])*\])
    |(?P<open>\((?:\?(?::|=|!|<=|<!|P<\w+>))?)
    |(?P<flag>\(\?)
    |(?P<close>\))
    |(?P<bar>\|)
    |(?P<rep>(?:[*+?]|\{\d*(?:,\d*)?\})[?+]?)
    |(?P<any>[.^$])
    |(?P<lit>[^\\\[\]()|*+?{.^$]+|[{\]])""",
    re.VERBOSE | re.DOTALL,
)
_COUNTS = re.compile(r"\d+|\d*,\d+|\d+,")
_ESCAPED = {"n": "\n", "t": "\t", "r": "\r", "f": "\f", "v": "\v"}


class _Unknown(Exception):
    """Syntax this reader does not model: the pattern gets no requirement (it is always searched)."""


# A parsed node: ("lit", strings) | ("seq", [nodes]) | ("alt", [nodes]) | ("rep", low, high, node) | ("zero",)
# (matches nothing: a lookaround, $) | ("bound",) (\\b or ^) | ("wide",) (text we know nothing about).
_Node = tuple[Any, ...]


def _tokens(source: str) -> list[tuple[str, str]]:
    out: list[tuple[str, str]] = []
    pos = 0
    while pos < len(source):
        match = _LEXER.match(source, pos)
        if match is None:
            raise _Unknown(source[pos:])
        kind = match.lastgroup or ""
        out.append((kind, match.group()))
        pos = match.end()
    return out


class _Parser:
    def __init__(self, source: str) -> None:
        self.tokens = _tokens(source)
        self.i = 0

    def parse(self) -> _Node:
        node = self.alternation()
        if self.i != len(self.tokens):
            raise _Unknown("unbalanced")
        return node

    def alternation(self) -> _Node:
        branches = [self.sequence()]
        while self.i < len(self.tokens) and self.tokens[self.i][0] == "bar":
            self.i += 1
            branches.append(self.sequence())
        return branches[0] if len(branches) == 1 else ("alt", branches)

    def sequence(self) -> _Node:
        items: list[_Node] = []
        while self.i < len(self.tokens):
            kind, text = self.tokens[self.i]
            if kind in ("bar", "close"):
                break
            self.i += 1
            if kind == "lit":
                repeated = self.i < len(self.tokens) and self.tokens[self.i][0] == "rep"
                if repeated and len(text) > 1:  # a quantifier applies to the last character only
                    items.append(("lit", {text[:-1]}))
                    text = text[-1]
                atom: _Node = ("lit", {text})
            elif kind == "esc":
                atom = _escape(text[1])
            elif kind == "cls":
                atom = _char_class(text)
            elif kind == "any":
                atom = ("wide",) if text == "." else (("bound",) if text == "^" else ("zero",))
            elif kind == "open":
                inner = self.alternation()
                if self.i >= len(self.tokens) or self.tokens[self.i][0] != "close":
                    raise _Unknown("unclosed group")
                self.i += 1
                atom = ("zero",) if text in ("(?=", "(?!", "(?<=", "(?<!") else inner
            elif kind == "rep":
                raise _Unknown("nothing to repeat")
            else:  # flags, conditionals, a stray ")"
                raise _Unknown(text)
            while self.i < len(self.tokens) and self.tokens[self.i][0] == "rep":
                atom = _repeat(atom, self.tokens[self.i][1])
                self.i += 1
            items.append(atom)
        return ("seq", items)


def _escape(char: str) -> _Node:
    if char == "b":
        return ("bound",)
    if char in "BAZ":
        return ("zero",)
    if char in "sW":
        return ("sep",)
    if char in "dDwS":
        return ("wide",)
    if char in _ESCAPED:
        return ("lit", {_ESCAPED[char]})
    if char.isalnum() or char == "_":  # \x.., \u...., \N{...}, back-references, \0...: not modelled
        raise _Unknown("\\" + char)
    return ("lit", {char})


def _char_class(text: str) -> _Node:
    body = text[1:-1]
    if body.startswith("^") or not body:
        return ("wide",)
    members: set[str] = set()
    i = 0
    while i < len(body):
        char = body[i]
        if char == "\\":
            if i + 1 >= len(body):
                raise _Unknown(text)
            nxt = body[i + 1]
            if nxt.isalnum() and nxt not in _ESCAPED:
                return ("wide",)  # \d, \w, \s... inside a class
            members.add(_ESCAPED.get(nxt, nxt))
            i += 2
            continue
        if char == "-" and 0 < i < len(body) - 1:
            return ("wide",)  # a range
        if char == "[":
            return ("wide",)
        members.add(char)
        i += 1
    return ("lit", members) if len(members) <= 6 else ("wide",)


def _repeat(atom: _Node, text: str) -> _Node:
    quantifier = text[: text.index("}") + 1] if text[0] == "{" else text[0]  # without a lazy or possessive mark
    if quantifier == "?":
        low, high = 0, 1
    elif quantifier == "*":
        low, high = 0, -1
    elif quantifier == "+":
        low, high = 1, -1
    else:
        inside = quantifier[1:-1]
        if not _COUNTS.fullmatch(inside):  # "{}" or "{,}": literal braces, not modelled
            raise _Unknown(text)
        first, comma, second = inside.partition(",")
        low = int(first) if first else 0
        high = (int(second) if second else -1) if comma else low
    return ("rep", low, high, atom)


def _times(left: set[str], strings: set[str]) -> set[str] | None:
    return {a + b for a in left for b in strings} if len(left) * len(strings) <= _MAX_STRINGS else None


_KeyOf = Callable[[set[str]], frozenset[str] | None]


def _analyse(node: _Node, left: set[str], key_of: _KeyOf | None = None) -> tuple[set[str] | None, list[frozenset[str]]]:
    """What every match of ``node`` needs, after the literal strings ``left`` that precede it in the match.

    Returns (the strings ``left`` + node can match, when finite and few, else None; requirements: sets of keys, one
    of which each match contains, as ``key_of`` makes them from literal strings: word starts by default)."""
    key_of = key_of or _keys
    kind = node[0]
    if kind == "lit":
        return _times(left, node[1]), []
    if kind == "zero":
        return left, []
    if kind == "bound":
        return _times(left, {_BOUNDARY}), []
    if kind in ("wide", "sep"):
        return None, []
    if kind == "alt":
        results = [_analyse(branch, left, key_of) for branch in node[1]]
        if all(strings is not None for strings, _ in results):
            union = set().union(*(strings for strings, _ in results if strings is not None))
            if len(union) <= _MAX_STRINGS:
                return union, []
        chosen: list[frozenset[str]] = []
        for strings, needed in results:
            options = list(needed)
            keys = key_of(strings) if strings is not None else None
            if keys is not None:
                options.append(keys)
            if not options:
                return None, []
            chosen.append(max(options, key=_rank))
        return None, [frozenset().union(*chosen)]
    if kind == "rep":
        low, high, inner = node[1], node[2], node[3]
        strings, needed = _analyse(inner, left, key_of)  # the first repetition follows ``left``
        if low == 0:
            if high == 1 and strings is not None and len(strings) < _MAX_STRINGS:
                return strings | left, []
            return None, []
        if low == high == 1:
            return strings, needed
        keys = key_of(strings) if strings is not None else None
        return None, needed + ([keys] if keys is not None else [])
    # a sequence: the strings so far are the left context of the next item
    requirements: list[frozenset[str]] = []
    run: set[str] = left
    finite = True
    for item in node[1]:
        strings, inner = _analyse(item, run, key_of)
        requirements.extend(inner)
        if strings is None:
            finite = False
            keys = key_of(run)
            if keys is not None:
                requirements.append(keys)
            strings, inner = _restart(item, run, key_of)
            requirements.extend(inner)
        run = strings
    if finite:
        return run, requirements
    keys = key_of(run)
    return None, requirements + ([keys] if keys is not None else [])


def _restart(item: _Node, run: set[str], key_of: _KeyOf) -> tuple[set[str], list[frozenset[str]]]:
    """Where a sequence picks up after an item whose strings are not known: a word right after a separator
    ("\\s") starts a word of the text; an item that is finite on its own ("(wet|soaked)" after too many strings
    for "(got|gets|was) ") is read again after the edge of what came before."""
    if _ends_in_separator(item):
        return {_BOUNDARY}, []
    edge = {_BOUNDARY} if all(s and not _is_word_char(s[-1]) for s in run) else {""}
    strings, inner = _analyse(item, edge, key_of)
    return (strings if strings is not None else {""}), inner


def _is_word_char(char: str) -> bool:
    return char.isalnum() or char == "_"


def _ends_in_separator(node: _Node) -> bool:
    """Every match of ``node`` ends in a non-word character: "\\s", "\\W+", "[ -]"."""
    kind = node[0]
    if kind == "sep":
        return True
    if kind == "lit":
        return all(s and not _is_word_char(s[-1]) for s in node[1])
    if kind == "rep":
        return bool(node[1] >= 1 and _ends_in_separator(node[3]))
    if kind == "alt":
        return all(_ends_in_separator(branch) for branch in node[1])
    if kind == "seq":
        return bool(node[1]) and _ends_in_separator(node[1][-1])
    return False


_BOUNDED_WORD = re.compile(r"(?<=\W)\w{2,}")


# Words in most messages: a key made of one of them rules out almost nothing, so another word is preferred.
_COMMON_WORDS = (
    "a an and at be been but do dont for get got had has have i in is it its just me my no not now of on or "
    "phone iphone so that the then this to up was when with wont cant after"
)
_COMMON = frozenset(_COMMON_WORDS.split())


def _keys(strings: set[str]) -> frozenset[str] | None:
    """Word starts (up to 8 characters) such that each of ``strings`` has a word that starts with one of them and
    must start a word of the text (it follows a non-word character or a \\b). Chosen greedily: the uncommon word
    most strings share first ("dead" for "is dead", "phone is dead", "its dead")."""
    options = [frozenset(word[:_PREFIX_KEY] for word in _BOUNDED_WORD.findall(s)) for s in strings]
    if not options or not all(options):
        return None
    keys: set[str] = set()
    while options:
        counts: dict[str, int] = {}
        for words in options:
            for word in words:
                counts[word] = counts.get(word, 0) + 1
        best = max(counts, key=lambda word: (word not in _COMMON, counts[word], len(word), word))
        keys.add(best)
        options = [words for words in options if best not in words]
    return frozenset(keys)


def _rank(keys: frozenset[str]) -> tuple[bool, int, int]:
    """Uncommon and longer words are rarer; fewer alternatives are tested faster."""
    return (_COMMON.isdisjoint(keys), min(min(len(k) for k in keys), 5), -len(keys))


def required_words(source: str, limit: int = 2) -> tuple[frozenset[str], ...]:
    """Up to ``limit`` sets of word starts: every match of ``source`` contains, for each set, a word of the text
    that starts with one of them. Empty when that cannot be told from the source."""
    if _BOUNDARY in source:
        return ()
    try:
        strings, requirements = _analyse(_Parser(source).parse(), {""})
    except (_Unknown, ValueError, RecursionError):
        return ()
    if strings is not None:
        keys = _keys(strings)
        requirements = requirements + ([keys] if keys is not None else [])
    unique = list(dict.fromkeys(requirements))
    unique.sort(key=_rank, reverse=True)
    return tuple(unique[:limit])


def required_strings(source: str, limit: int = 48) -> tuple[str, ...]:
    """Up to ``limit`` literal strings one of which every match of ``source`` contains, wherever in a word: for a
    pattern with no word a match must start with ("(se calienta|sobrecalienta|surchauffe)", "(забыл\\w* (пароль|код)|
    忘记密码)") a message that contains none of them cannot match. Empty when that cannot be told from the source."""
    if _BOUNDARY in source:
        return ()
    try:
        strings, requirements = _analyse(_Parser(source).parse(), {""}, _pieces)
    except (_Unknown, ValueError, RecursionError):
        return ()
    if strings is not None:
        pieces = _pieces(strings)
        requirements = requirements + ([pieces] if pieces is not None else [])
    fitting = [r for r in requirements if len(r) <= limit]
    if not fitting:
        return ()
    best = max(fitting, key=lambda pieces: (min(len(p) for p in pieces), -len(pieces)))
    # A text that contains "bar" is all a pattern for "bar" or "foobar" needs.
    return tuple(sorted(p for p in best if not any(q != p and q in p for q in best)))


def _pieces(strings: set[str]) -> frozenset[str] | None:
    """The longest piece between \\b marks of each string: what the text must contain (None if one is too short to
    rule anything out)."""
    pieces = {max(literal.split(_BOUNDARY), key=len) for literal in strings}
    return frozenset(pieces) if pieces and min(len(p) for p in pieces) >= 2 else None

"""Features of one message for the symptom classifier, in pure Python.

The same function builds the features when the model is trained (tools/train_classifier.py, with
scikit-learn) and when it is used (bot/core/classifier.py, without it), so the two can never disagree.

- Words are stemmed (Snowball) in the message's language, picked from a few function words per language;
  Cyrillic words always use the Russian stemmer. Han, kana and hangul runs give character bigrams.
- A negation cue ("not", "never", "no", "nicht", "jamais", "не"...) marks the next few words of its clause
  as ``NEG_`` and a hedge ("maybe", "not sure", "i think") as ``HEDGE_``: "never got wet" is not "wet".
- Word unigrams and bigrams (``w:`` / ``b:``) and character 4-grams of each word (``c:``; words in a negated
  or hedged scope give ``~c:`` grams) form the text block, which the model weighs with TF-IDF.
- The knowledge's precise patterns give the pattern block (``p:``): the matcher's evidence per symptom,
  error codes, a named model, off-topic chatter. Those carry exact meaning ("support.apple.com/iphone/restore",
  "error 4013") that a few hundred examples could not teach.

Work per message is bounded: only the first ``MAX_CLASSIFIED_CHARS`` characters are read, and each token's stems
and character grams are cached.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass

import snowballstemmer  # type: ignore[import-untyped]

from bot.core.matching import Analysis

# Bump when the features change in any way: the exported model records it.
FEATURE_VERSION = 1
# Only the start of a message is classified: the problem is stated early, and a pasted log must stay cheap.
MAX_CLASSIFIED_CHARS = 700
_SCOPE_WORDS = 3
_STEM_CACHE_LIMIT = 50_000
_CHAR_N = 4

_TOKEN = re.compile(r"[^\W_]+|[.,!?;:\n]", re.UNICODE)
_CJK = re.compile(r"[\u3040-\u30ff\u3400-\u9fff\uac00-\ud7af]+")
_CYRILLIC = re.compile(r"[\u0400-\u04ff]")
_CLAUSE_END = frozenset(".,!?;:\n") | {"but", "aber", "pero", "mais", "mas", "ma", "maar", "но", "ale"}


def _words(text: str) -> frozenset[str]:
    return frozenset(text.split())


# Cue words, after the matcher's normalisation (apostrophes removed: "won't" -> "wont").
_NEGATIONS = _words(
    "not no never nothing without dont doesnt didnt isnt wasnt arent werent wont cant cannot couldnt wouldnt "
    "hasnt havent hadnt neither nor nicht kein keine keinen nie niemals ohne nunca sin ni ne pas jamais sans "
    "aucun nao não nem sem non mai senza niet geen nooit zonder nigdy bez не нет никогда без"
)
_HEDGES = _words("maybe perhaps possibly probably might may guess think unsure vielleicht quizás quizas peut")

# A few frequent function words per language pick the stemmer; English when nothing else wins.
_LANGUAGE_WORDS: dict[str, frozenset[str]] = {
    "english": _words("the and my is it to of in on was with my phone"),
    "spanish": _words("el la mi es y en se que con por los del una no lo"),
    "german": _words("der die das ist und mein nicht ich es mit auf sich ein eine"),
    "french": _words("le la les mon est et je il pas une des du sur ne"),
    "portuguese": _words("o a meu minha e não nao com um uma do da que fica"),
    "italian": _words("il lo mio è e non che con di una si sulla"),
    "dutch": _words("de het mijn is en niet ik een van op met"),
    "polish": _words("nie się mój moj jest i na w z że to"),
}


@dataclass(frozen=True, slots=True)
class Features:
    """The two blocks of one message's features: text counts and pattern values."""

    text: dict[str, float]
    patterns: dict[str, float]


class _Stemmers:
    """One Snowball stemmer per language, created on first use, with a bounded cache of stems."""

    def __init__(self) -> None:
        self._stemmers: dict[str, Callable[[str], str]] = {}
        self._cache: dict[tuple[str, str], str] = {}

    def stem(self, language: str, word: str) -> str:
        key = (language, word)
        stem = self._cache.get(key)
        if stem is None:
            stemmer = self._stemmers.get(language)
            if stemmer is None:
                stemmer = snowballstemmer.stemmer(language).stemWord
                self._stemmers[language] = stemmer
            stem = stemmer(word)
            if len(self._cache) >= _STEM_CACHE_LIMIT:
                self._cache.clear()
            self._cache[key] = stem
        return stem


_STEMMERS = _Stemmers()
_LANGUAGES = tuple(_LANGUAGE_WORDS)


def _languages_of() -> dict[str, tuple[int, ...]]:
    """Each function word's languages, by their place in _LANGUAGES: one lookup per token, not one per language."""
    places: dict[str, tuple[int, ...]] = {}
    for place, language in enumerate(_LANGUAGES):
        for word in _LANGUAGE_WORDS[language]:
            places[word] = (*places.get(word, ()), place)
    return places


_LANGUAGES_OF = _languages_of()


def message_language(tokens: list[str]) -> str:
    """The Snowball language whose function words occur most often (English on a tie or none)."""
    hits = [0] * len(_LANGUAGES)
    for token in tokens:
        for place in _LANGUAGES_OF.get(token, ()):
            hits[place] += 1
    best, best_hits = "english", 0
    for language, count in zip(_LANGUAGES, hits, strict=True):
        if count > best_hits:
            best, best_hits = language, count
    return best


def _word_terms(token: str, language: str) -> list[str]:
    """A token as stems: Han/kana/hangul runs as character bigrams, other words stemmed."""
    if _CJK.fullmatch(token):
        if len(token) == 1:
            return [token]
        return [token[i : i + 2] for i in range(len(token) - 1)]
    if token.isdigit():
        return [token if len(token) <= 5 else "<longnum>"]
    if _CYRILLIC.search(token):
        return [_STEMMERS.stem("russian", token)]
    return [_STEMMERS.stem(language, token)]


# (token, language, in a negated or hedged scope) -> (its terms, its character-gram features): worked out once,
# since most tokens of a message were seen before. Bounded like the stems.
_TOKEN_CACHE: dict[tuple[str, str, bool], tuple[tuple[str, ...], tuple[str, ...]]] = {}


def _token_entry(token: str, language: str, scoped: bool) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """A token's terms, and the ``c:`` features of its character 4-grams (``~c:`` in a scope)."""
    if len(_TOKEN_CACHE) >= _STEM_CACHE_LIMIT:
        _TOKEN_CACHE.clear()
    padded = f" {token} "
    prefix = "~c:" if scoped else "c:"
    grams = tuple(prefix + padded[i : i + _CHAR_N] for i in range(len(padded) - _CHAR_N + 1))
    entry = _TOKEN_CACHE[(token, language, scoped)] = (tuple(_word_terms(token, language)), grams)
    return entry


def _tokens(normalized: str) -> list[str]:
    text = normalized[:MAX_CLASSIFIED_CHARS]
    found: list[str] = _TOKEN.findall(text)
    if text.isascii():
        return found
    tokens: list[str] = []
    for token in found:
        if token.isascii():
            tokens.append(token)
            continue
        # Han/kana runs inside a Latin word ("iphone7が") split into their own token.
        parts = _CJK.split(token)
        runs = _CJK.findall(token)
        for i, part in enumerate(parts):
            if part:
                tokens.append(part)
            if i < len(runs):
                tokens.append(runs[i])
    return tokens


def text_features(normalized: str) -> dict[str, float]:
    """Counts of word, bigram and character-gram features of an already normalised message."""
    tokens = _tokens(normalized)
    language = message_language(tokens)
    counts: dict[str, float] = {}
    count = counts.get
    known = _TOKEN_CACHE.get
    previous = "<s>"
    scope, scope_left = "", 0
    for token in tokens:
        if token in _CLAUSE_END:
            previous, scope, scope_left = "<s>", "", 0
            continue
        if token in _NEGATIONS or token in _HEDGES:
            for feature in (f"w:{token}", f"b:{previous} {token}"):
                counts[feature] = count(feature, 0.0) + 1.0
            previous = token
            scope, scope_left = ("NEG_" if token in _NEGATIONS else "HEDGE_"), _SCOPE_WORDS
            continue
        prefix = scope if scope_left > 0 else ""
        scope_left -= 1
        entry = known((token, language, prefix != "")) or _token_entry(token, language, prefix != "")
        for term in entry[0]:
            scoped = prefix + term
            word, bigram = f"w:{scoped}", f"b:{previous} {scoped}"
            counts[word] = count(word, 0.0) + 1.0
            counts[bigram] = count(bigram, 0.0) + 1.0
            previous = scoped
        for gram in entry[1]:
            counts[gram] = count(gram, 0.0) + 1.0
    return counts


def pattern_features(analysis: Analysis) -> dict[str, float]:
    """The knowledge's precise patterns, as values in 0..1."""
    values = {f"p:{e.id}": e.confidence for e in analysis.symptoms}
    if analysis.error_codes:
        values["p:error_code"] = 1.0
    if analysis.model.model_id or analysis.model.candidates:
        values["p:model_named"] = 1.0
    if analysis.off_topic.score:
        values["p:off_topic"] = analysis.off_topic.confidence
    if analysis.problem.score:
        values["p:problem_words"] = analysis.problem.confidence
    if analysis.howto:
        values[f"p:howto_{analysis.howto}"] = 1.0
    return values


def features(analysis: Analysis) -> Features:
    """Both blocks for one analysed message."""
    return Features(text_features(analysis.normalized), pattern_features(analysis))

"""Pure text analysis: normalise a message, then find the model, symptoms, damage and error codes in it.

All the vocabulary lives in the knowledge files; this module only applies it, and
records what matched so that ``--explain`` can show a helper why an answer was chosen.
"""

from __future__ import annotations

import math
import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass

from bot.core.answer import ProcedureId
from bot.core.knowledge import Knowledge, ModelDef, Pattern

# Messages are analysed up to this many characters; a pasted 100 kB log still answers fast.
MAX_ANALYSED_CHARS = 20_000
_NEGATION_WINDOW_WORDS = 3
_NEGATION_INSIDE_WORDS = 2

_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f\u200b-\u200f\u2028-\u202e\ufeff]")
_APOSTROPHES = re.compile(r"['’`´‘]")
_WORD = re.compile(r"[^\W\d_]+", re.UNICODE)
# Regex escapes such as \b or \d, removed before collecting a pattern's words for the typo fixer.
_REGEX_ESCAPE = re.compile(r"\\.")
_IDENTIFIER = re.compile(r"\biphone\s?(\d{1,2})\s?,\s?(\d{1,2})\b")
_REWRITES: tuple[tuple[re.Pattern[str], str], ...] = (
    (re.compile(r"\bi[ -]phone"), "iphone"),
    (re.compile(r"\biphone(?=\d)"), "iphone "),
    (re.compile(r"\bip(?=\d{1,2}\b)"), "iphone "),
    (re.compile(r"(?<=\d)\s*\+"), " plus"),
    (re.compile(r"\b(\d{1,2})(pro|mini|plus|max)\b"), r"\1 \2"),
    (re.compile(r"\bpromax\b"), "pro max"),
    (re.compile(r"[()\[\]{}]"), " "),
    (re.compile(r"[ \t]+"), " "),
)
_ERROR_CODE = re.compile(
    r"\b(?:error|err|code|fout|erro|erreur|fehler|errore|ошибка|错误|エラー)\b\s*(?:code\s*)?[-:#(]?\s*(\d{1,5})\b"
    r"|\b(\d{1,5})\s+(?:error|fehler|erreur)\b"
)


def _confidence(score: float) -> float:
    """Map an additive pattern score onto 0..1 (1.2 -> 0.55, 2.5 -> 0.81, 4 -> 0.93)."""
    return round(1.0 - math.exp(-score / 1.5), 3) if score > 0 else 0.0


@dataclass(frozen=True, slots=True)
class Evidence:
    """Why something was recognised: the score and the text fragments that matched."""

    id: str
    score: float
    matched: tuple[str, ...]

    @property
    def confidence(self) -> float:
        return _confidence(self.score)


@dataclass(frozen=True, slots=True)
class ModelMention:
    """What the text says about the model: one model, a set of candidates, or nothing."""

    model_id: str | None
    candidates: tuple[str, ...]
    phrase: str
    how: str


@dataclass(frozen=True, slots=True)
class Analysis:
    """Everything the matcher found in one message."""

    normalized: str
    truncated: bool
    model: ModelMention
    symptoms: tuple[Evidence, ...]
    damage: tuple[Evidence, ...]
    negated_damage: tuple[str, ...]
    error_codes: tuple[int, ...]
    howto: ProcedureId | None
    off_topic: Evidence
    problem: Evidence


class _WeightedPatterns:
    """A list of (regex, weight) scored together, as one symptom or damage kind."""

    def __init__(self, ident: str, patterns: Iterable[Pattern]) -> None:
        self.id = ident
        self.patterns = tuple((re.compile(p.re), p.w) for p in patterns)

    def matches(self, text: str) -> list[tuple[re.Match[str], float]]:
        found = []
        for regex, weight in self.patterns:
            match = regex.search(text)
            if match:
                found.append((match, weight))
        return found

    def evidence(self, text: str) -> Evidence | None:
        found = self.matches(text)
        if not found:
            return None
        score = sum(weight for _, weight in found)
        return Evidence(self.id, round(score, 3), tuple(m.group(0).strip() for m, _ in found))


class _TypoFixer:
    """Correct words one edit away from the knowledge base's vocabulary (deletion index, SymSpell-style)."""

    MIN_LENGTH = 6

    def __init__(self, vocabulary: Iterable[str], corrections: dict[str, str], protected: Iterable[str] = ()) -> None:
        self.corrections = corrections
        # Words any pattern looks for ("selling", "swelling") are real words: never "correct" one into another.
        self.protected = frozenset(protected)
        self.known = {word for word in vocabulary if len(word) >= self.MIN_LENGTH - 1}
        # One edit from a known word: anything longer is left alone (a 20 kB "word" must not cost 20k deletions).
        self.max_length = max((len(word) for word in self.known), default=0) + 1
        self.index: dict[str, str] = {}
        for word in sorted(self.known):
            for variant in self._deletes(word):
                self.index.setdefault(variant, word)

    @staticmethod
    def _deletes(word: str) -> set[str]:
        return {word[:i] + word[i + 1 :] for i in range(len(word))}

    @staticmethod
    def _plausible(word: str, target: str) -> bool:
        """A typo keeps the first letter; a word that only gains or loses an ending ("charge" / "charger",
        "flickers" / "flicker") is another form of a real word, not a typo, so it is left alone."""
        return word[0] == target[0] and not (word.startswith(target) or target.startswith(word))

    def fix(self, word: str) -> str:
        fixed = self.corrections.get(word)
        if fixed is not None:
            return fixed
        if not self.MIN_LENGTH <= len(word) <= self.max_length or word in self.known or word in self.protected:
            return word
        target = self.index.get(word)
        if target and self._plausible(word, target):
            return target
        for variant in sorted(self._deletes(word)):
            target = self.index.get(variant) or (variant if variant in self.known else None)
            if target and self._plausible(word, target):
                return target
        return word


class Matcher:
    """Compiled matching rules for one knowledge base. Immutable after construction; safe to share."""

    def __init__(self, knowledge: Knowledge) -> None:
        lang = knowledge.language
        self.symptoms = tuple(_WeightedPatterns(s.id, s.patterns) for s in knowledge.symptoms.symptoms)
        self.damage = tuple(_WeightedPatterns(d.id, d.patterns) for d in knowledge.damage.damage)
        self.negation = re.compile(knowledge.damage.negation)
        self.off_topic = _WeightedPatterns("off_topic", lang.off_topic)
        self.problem = _WeightedPatterns("problem", lang.problem_words)
        self.howto = tuple((proc, tuple(re.compile(p) for p in pats)) for proc, pats in lang.howto.items())
        vocabulary = set(lang.vocabulary)
        for symptom in knowledge.symptoms.symptoms:
            for pattern in symptom.patterns:
                words = _WORD.findall(_REGEX_ESCAPE.sub(" ", pattern.re))
                vocabulary.update(w for w in words if len(w) >= _TypoFixer.MIN_LENGTH)
        protected: set[str] = set()
        for pattern_list in (
            *(d.patterns for d in knowledge.damage.damage),
            lang.off_topic,
            lang.problem_words,
        ):
            for pattern in pattern_list:
                protected.update(_WORD.findall(_REGEX_ESCAPE.sub(" ", pattern.re)))
        vocabulary -= protected  # damage and chatter words are never the result of a typo fix
        corrections = {k.lower(): v.lower() for k, v in lang.corrections.items()}
        self.typos = _TypoFixer(vocabulary, corrections, protected)
        self._build_model_index(knowledge)

    # --- normalisation ---------------------------------------------------------------------------------------

    def normalize(self, text: str) -> tuple[str, bool]:
        """Lower-case, strip control characters and apostrophes, fix typos; returns (text, truncated)."""
        truncated = len(text) > MAX_ANALYSED_CHARS
        text = unicodedata.normalize("NFKC", text[:MAX_ANALYSED_CHARS]).casefold()
        text = _CONTROL.sub(" ", text)
        text = _APOSTROPHES.sub("", text)
        for regex, replacement in _REWRITES:
            text = regex.sub(replacement, text)
        text = _WORD.sub(lambda m: self.typos.fix(m.group(0)), text)
        return text, truncated

    # --- models -----------------------------------------------------------------------------------------------

    def _build_model_index(self, knowledge: Knowledge) -> None:
        phrases: dict[str, tuple[str, ...]] = {}

        def add(phrase: str, targets: tuple[str, ...]) -> None:
            key, _ = self.normalize(phrase)
            key = key.strip()
            if key:
                phrases.setdefault(key, targets)
                if not key.startswith("iphone"):
                    phrases.setdefault(f"iphone {key}", targets)

        for model in knowledge.models.models:
            for alias in (_base_name(model), *model.aliases):
                add(alias, (model.id,))
        for group in knowledge.models.ambiguous:
            for phrase in group.phrases:
                add(phrase, tuple(group.candidates))
        self.model_phrases = phrases
        alternation = "|".join(re.escape(p) for p in sorted(phrases, key=len, reverse=True))
        # Latin letters and digits bound a name; other scripts may touch it ("我的iphone 11一直", "iphone 12が").
        self.model_regex = re.compile(rf"(?<![a-z0-9_])(?<!\d[.,])(?:{alternation})(?![a-z0-9_]|[.,]\d)")
        self.identifiers = {ident.lower(): m.id for m in knowledge.models.models for ident in m.identifiers}
        self.model_years = {m.id: m.year for m in knowledge.models.models}
        self.model_names = {m.id: m.name.casefold() for m in knowledge.models.models}
        self.model_hints = {m.id: self._hints(m, knowledge) for m in knowledge.models.models}

    def _hints(self, model: ModelDef, knowledge: Knowledge) -> re.Pattern[str]:
        """What settles an ambiguous name for this model: its year, its generation ("2nd gen", "second gen"),
        and what its aliases add to the ambiguous word when that has a digit and a letter ("se 5g" -> "5g")."""
        hints = [str(model.year)]
        ordinal = re.search(r"\((\d)(?:st|nd|rd|th) generation\)", model.name.casefold())
        if ordinal:
            number = ordinal.group(1)
            word = {"1": "first", "2": "second", "3": "third"}.get(number, number)
            hints.append(rf"(?:{number}(?:st|nd|rd|th)?|{word}) gen")
        shared = {
            word
            for group in knowledge.models.ambiguous
            if model.id in group.candidates
            for phrase in group.phrases
            for word in self.normalize(phrase)[0].split()
        }
        for alias in model.aliases:
            rest = [w for w in self.normalize(alias)[0].split() if w not in shared]
            joined = " ".join(rest)
            if rest and len(rest) < len(alias.split()) and re.fullmatch(r"(?=.*\d)(?=.*[a-z]).+|\d{4}", joined):
                hints.append(re.escape(joined))
        alternation = "|".join(dict.fromkeys(hints))
        return re.compile(rf"(?<![a-z0-9_])(?<!\d[.,])(?:{alternation})(?![a-z0-9_]|[.,]\d)")

    def find_model(self, raw: str, normalized: str) -> ModelMention:
        """The model named in a message: identifiers first, then the first definite name, else candidates."""
        ident = _IDENTIFIER.search(raw[:MAX_ANALYSED_CHARS].casefold())
        if ident:
            key = f"iphone{ident.group(1)},{ident.group(2)}"
            if key in self.identifiers:
                return ModelMention(self.identifiers[key], (), ident.group(0), "identifier")
        ambiguous: ModelMention | None = None
        for match in self.model_regex.finditer(normalized):
            targets = self.model_phrases[match.group(0)]
            if len(targets) == 1:
                return ModelMention(targets[0], (), match.group(0), "name")
            # "my se 2": a definite name that starts inside an ambiguous phrase wins over it.
            inner = self.model_regex.search(normalized, match.start() + 1)
            if inner and inner.start() < match.end() and len(self.model_phrases[inner.group(0)]) == 1:
                return ModelMention(self.model_phrases[inner.group(0)][0], (), inner.group(0), "name")
            if ambiguous is None:
                ambiguous = ModelMention(None, targets, match.group(0), "ambiguous")
        if ambiguous is not None:
            return self._resolve_by_hints(ambiguous, normalized)
        return ModelMention(None, (), "", "none")

    def _resolve_by_hints(self, mention: ModelMention, normalized: str) -> ModelMention:
        """Settle "SE" when the message also gives the year or generation ("it's the 2020 one")."""
        hits = [c for c in mention.candidates if self.model_hints[c].search(normalized)]
        if len(hits) == 1:
            return ModelMention(hits[0], (), mention.phrase, "ambiguous name + year/generation hint")
        return mention

    # --- symptoms, damage, codes ------------------------------------------------------------------------------

    def _negated(self, text: str, match: re.Match[str]) -> bool:
        """A negation in the few words before a match ("never got wet"), or just before its last word
        inside it ("screen isnt cracked")."""
        clause = re.split(r"[.!?;,\n]|\bbut\b", text[: match.start()])[-1]
        words = clause.split()[-_NEGATION_WINDOW_WORDS:]
        inside = match.group(0).split()[:-1][-_NEGATION_INSIDE_WORDS:]
        return bool(self.negation.search(" ".join(words)) or self.negation.search(" ".join(inside)))

    def find_damage(self, normalized: str) -> tuple[tuple[Evidence, ...], tuple[str, ...]]:
        found: list[Evidence] = []
        negated: list[str] = []
        for kind in self.damage:
            kept: list[tuple[str, float]] = []
            for match, weight in kind.matches(normalized):
                if self._negated(normalized, match):
                    negated.append(match.group(0).strip())
                else:
                    kept.append((match.group(0).strip(), weight))
            if kept:
                found.append(Evidence(kind.id, sum(w for _, w in kept), tuple(m for m, _ in kept)))
        return tuple(sorted(found, key=lambda e: -e.score)), tuple(negated)

    def find_symptoms(self, normalized: str) -> tuple[Evidence, ...]:
        found = [e for e in (s.evidence(normalized) for s in self.symptoms) if e is not None]
        return tuple(sorted(found, key=lambda e: -e.score))

    def find_howto(self, normalized: str) -> ProcedureId | None:
        for procedure, regexes in self.howto:
            if any(regex.search(normalized) for regex in regexes):
                return procedure
        return None

    @staticmethod
    def find_error_codes(normalized: str) -> tuple[int, ...]:
        codes: list[int] = []
        for match in _ERROR_CODE.finditer(normalized):
            code = int(match.group(1) or match.group(2))
            if code not in codes:
                codes.append(code)
        return tuple(codes[:5])

    def analyse(self, text: str) -> Analysis:
        normalized, truncated = self.normalize(text)
        damage, negated = self.find_damage(normalized)
        return Analysis(
            normalized=normalized,
            truncated=truncated,
            model=self.find_model(text, normalized),
            symptoms=self.find_symptoms(normalized),
            damage=damage,
            negated_damage=negated,
            error_codes=self.find_error_codes(normalized),
            howto=self.find_howto(normalized),
            off_topic=self.off_topic.evidence(normalized) or Evidence("off_topic", 0.0, ()),
            problem=self.problem.evidence(normalized) or Evidence("problem", 0.0, ()),
        )


def _base_name(model: ModelDef) -> str:
    """'iPhone SE (2nd generation)' -> 'iphone se 2nd generation'; plain names pass through."""
    return model.name.replace("(", " ").replace(")", " ")

"""Pure text analysis: normalise a message, then find the model, symptoms, damage and error codes in it.

All the vocabulary lives in the knowledge files; this module only applies it, and records what matched
so that ``--explain`` can show a helper why an answer was chosen. The pieces live in their own modules:
``text`` (normalisation and typo fixes), ``model_reader`` (which iPhone), ``detectors`` (damage, danger
and error codes).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from bot.core.answer import ProcedureId
from bot.core.detectors import DamageDetector, Evidence, WeightedPatterns, find_error_codes
from bot.core.knowledge import Knowledge
from bot.core.model_reader import ModelMention, ModelReader
from bot.core.scan import FastPattern, PatternIndex, Scan
from bot.core.text import MAX_ANALYSED_CHARS, WORD, TypoFixer, clean

__all__ = ["MAX_ANALYSED_CHARS", "Analysis", "Evidence", "Matcher", "ModelMention"]

# Regex escapes such as \b or \d, removed before collecting a pattern's words for the typo fixer.
_REGEX_ESCAPE = re.compile(r"\\.")


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


class Matcher:
    """Compiled matching rules for one knowledge base. Immutable after construction; safe to share."""

    def __init__(self, knowledge: Knowledge) -> None:
        lang = knowledge.language
        self.symptoms = tuple(WeightedPatterns(s.id, s.patterns) for s in knowledge.symptoms.symptoms)
        self.damage = DamageDetector(knowledge.damage.damage, knowledge.damage.negation)
        self.off_topic = WeightedPatterns("off_topic", lang.off_topic)
        self.problem = WeightedPatterns("problem", lang.problem_words)
        self.howto = tuple((proc, tuple(FastPattern(p) for p in pats)) for proc, pats in lang.howto.items())
        weighted = (*self.symptoms, *self.damage.kinds, self.off_topic, self.problem)
        howto = [pattern for _, patterns in self.howto for pattern in patterns]
        self.index = PatternIndex([*(pattern for patterns in weighted for pattern, _ in patterns.patterns), *howto])
        vocabulary = set(lang.vocabulary)
        for symptom in knowledge.symptoms.symptoms:
            for pattern in symptom.patterns:
                words = WORD.findall(_REGEX_ESCAPE.sub(" ", pattern.re))
                vocabulary.update(w for w in words if len(w) >= TypoFixer.MIN_LENGTH)
        protected: set[str] = set()
        for pattern_list in (
            *(d.patterns for d in knowledge.damage.damage),
            lang.off_topic,
            lang.problem_words,
        ):
            for pattern in pattern_list:
                protected.update(WORD.findall(_REGEX_ESCAPE.sub(" ", pattern.re)))
        protected.update(word.lower() for word in lang.real_words)
        vocabulary -= protected  # damage and chatter words are never the result of a typo fix
        corrections = {k.lower(): v.lower() for k, v in lang.corrections.items()}
        self.typos = TypoFixer(vocabulary, corrections, protected)
        self.models = ModelReader(knowledge, lambda phrase: self.normalize(phrase)[0])
        # Four-digit codes only: a bare "9" or "14" beside a restore is as often a count or a model
        self.known_codes = frozenset(c for e in knowledge.errors.errors for c in e.codes if c >= 1000)

    def normalize(self, text: str) -> tuple[str, bool]:
        """Unicode-normalise, lower-case, drop invisible characters and apostrophes, fix typos.

        Returns (text, truncated); the text is at most MAX_ANALYSED_CHARS long."""
        cleaned, truncated = clean(text)
        return self.typos.fix_all(cleaned), truncated

    def find_model(self, normalized: str) -> ModelMention:
        return self.models.read(normalized)

    def find_damage(self, normalized: str | Scan) -> tuple[tuple[Evidence, ...], tuple[str, ...]]:
        return self.damage.find(normalized)

    def find_symptoms(self, normalized: str | Scan) -> tuple[Evidence, ...]:
        scan = normalized if isinstance(normalized, Scan) else Scan(normalized)
        found = [e for e in (s.evidence(scan) for s in self.symptoms) if e is not None]
        return tuple(sorted(found, key=lambda e: -e.score))

    def find_howto(self, normalized: str | Scan) -> ProcedureId | None:
        scan = normalized if isinstance(normalized, Scan) else Scan(normalized)
        ruled_out = scan.ruled_out()
        for procedure, patterns in self.howto:
            if any(p.serial not in ruled_out and p.search(scan) for p in patterns):
                return procedure
        return None

    def find_error_codes(self, normalized: str | Scan) -> tuple[int, ...]:
        return find_error_codes(normalized, self.known_codes)

    def analyse(self, text: str) -> Analysis:
        normalized, truncated = self.normalize(text)
        scan = Scan(normalized, self.index)  # shared by every pattern search below
        damage, negated = self.find_damage(scan)
        return Analysis(
            normalized=normalized,
            truncated=truncated,
            model=self.find_model(normalized),
            symptoms=self.find_symptoms(scan),
            damage=damage,
            negated_damage=negated,
            error_codes=self.find_error_codes(scan),
            howto=self.find_howto(scan),
            off_topic=self.off_topic.evidence(scan) or Evidence("off_topic", 0.0, ()),
            problem=self.problem.evidence(scan) or Evidence("problem", 0.0, ()),
        )

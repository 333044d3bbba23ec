"""``python -m bot check-knowledge``: the schema plus cross-file checks, each with a stable code.

The same checks run at start-up (``load_knowledge`` refuses the first problem), so the bot never serves a
knowledge base that ``check-knowledge`` rejects.

Codes (tldr-lint style, so a reviewer can look them up):
  KB001-KB005  file cannot be read / is not YAML (reported on the line of the break) / is empty / breaks the
               schema / wrong family file name
  KB006  a regular expression (in any file, language.yaml's how-to patterns included) does not compile
  KB007  a mapping gives the same key twice
  KB008  a regular expression can backtrack without limit (nested unbounded repetition such as (a+)+)
  KB101  a verified model has no family, or an unverified one claims a family
  KB102  a family lacks one of the five procedures
  KB103  a procedure, action, symptom, risk or model cites no source
  KB104  a cited source key is not in sources.yaml
  KB105  a ladder puts an erasing step before a safer one, or there is no backup reminder
  KB106  a duplicate id, alias or error code
  KB107  a reference to an unknown model, action or family
  KB108  a model's family contradicts its identifiers (iPhone9,x = volume-down; up to iPhone8,x = home; later = modern)
  KB109  an action's risk_label contradicts its data_risk (e.g. "keeps your data" on a step that may erase)
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import get_args

from bot.core.answer import FAMILIES, PROCEDURE_IDS, Action
from bot.core.knowledge import Knowledge, KnowledgeError, iter_patterns, read_knowledge
from bot.core.pattern_check import catastrophic_reason

_RISK_ORDER = {"none": 0, "may_erase": 1, "erases": 2}
_IDENTIFIER = re.compile(r"^iPhone(\d+),\d+$")


@dataclass(frozen=True, slots=True)
class Problem:
    """One finding: where, which rule, what is wrong."""

    path: Path
    line: int | None
    code: str
    message: str

    def __str__(self) -> str:
        where = f"{self.path}:{self.line}" if self.line else str(self.path)
        return f"{where}: {self.code} {self.message}"


def lint_directory(root: Path) -> list[Problem]:
    """Every problem in a knowledge directory; an empty list means it is valid."""
    try:
        knowledge = read_knowledge(root)
    except KnowledgeError as exc:
        return [Problem(exc.path, exc.line, exc.code, exc.message)]
    return list(cross_checks(knowledge))


def _at(knowledge: Knowledge, *key: str) -> tuple[Path, int | None]:
    path, line = knowledge.lines.get(key, (knowledge.root / key[0], 0))
    return path, line or None


def cross_checks(knowledge: Knowledge) -> Iterator[Problem]:
    """Every rule beyond the schema; patterns first, since the matcher compiles them at start-up."""
    yield from _check_patterns(knowledge)
    yield from _check_models(knowledge)
    yield from _check_families(knowledge)
    yield from _check_sources(knowledge)
    yield from _check_ladders(knowledge)
    yield from _check_duplicates(knowledge)
    yield from _check_risk_labels(knowledge)


def _check_patterns(knowledge: Knowledge) -> Iterator[Problem]:
    """Every regex compiles and cannot hang the bot: a bad one must fail here, not on a user's message."""
    for file, label, pattern in iter_patterns(knowledge):
        path, line = knowledge.lines.get(label, (knowledge.root / file, 0))
        try:
            re.compile(pattern)
        except re.error as exc:
            yield Problem(path, line or None, "KB006", f"pattern {pattern!r} does not compile: {exc}")
            continue
        reason = catastrophic_reason(pattern)
        if reason:
            yield Problem(path, line or None, "KB008", f"pattern {pattern!r} is unsafe: {reason}")


def _expected_family(identifiers: list[str]) -> str | None:
    majors = {int(m.group(1)) for i in identifiers if (m := _IDENTIFIER.match(i))}
    if not majors or len(majors) > 1:
        return None
    major = majors.pop()
    if major == 9:
        return "volume-down"
    return "home" if major <= 8 else "modern"


def _check_models(knowledge: Knowledge) -> Iterator[Problem]:
    for i, model in enumerate(knowledge.models.models):
        where = _at(knowledge, "models.yaml", "models", str(i))
        if model.verified and model.family is None:
            yield Problem(*where, "KB101", f"{model.id}: a verified model needs a family")
        if not model.verified and model.family is not None:
            yield Problem(*where, "KB101", f"{model.id}: an unverified model must not assert a family (use null)")
        if model.family is not None and model.family not in knowledge.families:
            yield Problem(*where, "KB107", f"{model.id}: family {model.family!r} has no file in families/")
        expected = _expected_family(model.identifiers)
        if model.family is not None and expected is not None and model.family != expected:
            yield Problem(
                *where, "KB108", f"{model.id}: family {model.family!r} contradicts identifiers (expected {expected!r})"
            )
    known = {m.id for m in knowledge.models.models}
    for i, group in enumerate(knowledge.models.ambiguous):
        for candidate in group.candidates:
            if candidate not in known:
                where = _at(knowledge, "models.yaml", "ambiguous", str(i))
                yield Problem(*where, "KB107", f"unknown model {candidate!r}")
    for model_id in knowledge.models.picker:
        if model_id not in known:
            yield Problem(*_at(knowledge, "models.yaml", "picker"), "KB107", f"unknown model {model_id!r} in picker")


def _check_families(knowledge: Knowledge) -> Iterator[Problem]:
    for family_id in FAMILIES:
        family = knowledge.families.get(family_id)
        if family is None:
            yield Problem(knowledge.root / "families" / f"{family_id}.yaml", None, "KB102", "family file is missing")
            continue
        for procedure_id in PROCEDURE_IDS:
            if procedure_id not in family.procedures:
                where = _at(knowledge, f"families/{family_id}.yaml", "procedures")
                yield Problem(*where, "KB102", f"family {family_id!r} lacks the {procedure_id!r} procedure")


def _cited(knowledge: Knowledge) -> Iterator[tuple[tuple[str, ...], str, list[str]]]:
    """(line key, label, source keys) for everything that must cite a source."""
    for family_id, family in knowledge.families.items():
        for procedure_id, procedure in family.procedures.items():
            key = (f"families/{family_id}.yaml", "procedures", procedure_id)
            yield key, f"procedure {family_id}/{procedure_id}", procedure.sources
    for action_id, action in knowledge.actions.actions.items():
        yield ("actions.yaml", "actions", action_id), f"action {action_id}", action.sources
    for i, symptom in enumerate(knowledge.symptoms.symptoms):
        yield ("symptoms.yaml", "symptoms", str(i)), f"symptom {symptom.id}", symptom.sources
    for i, model in enumerate(knowledge.models.models):
        yield ("models.yaml", "models", str(i)), f"model {model.id}", model.sources


def _check_sources(knowledge: Knowledge) -> Iterator[Problem]:
    known = set(knowledge.sources.sources)
    for key, label, sources in _cited(knowledge):
        if not sources:
            yield Problem(*_at(knowledge, *key), "KB103", f"{label} cites no source")
        for source in sources:
            if source not in known:
                yield Problem(*_at(knowledge, *key), "KB104", f"{label} cites unknown source {source!r}")
    for risk_id, risk in knowledge.risks.risks.items():
        for source in risk.sources:
            if source not in known:
                yield Problem(*_at(knowledge, "risks.yaml", "risks", risk_id), "KB104", f"unknown source {source!r}")
    for i, error in enumerate(knowledge.errors.errors):
        for source in error.sources:
            if source not in known:
                yield Problem(*_at(knowledge, "errors.yaml", "errors", str(i)), "KB104", f"unknown source {source!r}")


def _check_ladders(knowledge: Knowledge) -> Iterator[Problem]:
    actions = knowledge.actions.actions
    for action_id in get_args(Action):
        if action_id != "none" and action_id not in actions:
            yield Problem(*_at(knowledge, "actions.yaml", "actions"), "KB107", f"action {action_id!r} is not defined")
    if not knowledge.risks.backup_reminder.strip():
        yield Problem(*_at(knowledge, "risks.yaml", "backup_reminder"), "KB105", "the backup reminder is empty")
    for i, symptom in enumerate(knowledge.symptoms.symptoms):
        where = _at(knowledge, "symptoms.yaml", "symptoms", str(i), "ladder")
        highest = 0
        for action_id in symptom.ladder:
            if action_id not in actions:
                yield Problem(*where, "KB107", f"{symptom.id}: unknown action {action_id!r}")
                continue
            risk = _RISK_ORDER[actions[action_id].data_risk]
            if action_id != "repair" and risk < highest:
                yield Problem(*where, "KB105", f"{symptom.id}: {action_id!r} comes after a more destructive step")
            highest = max(highest, risk)


def _check_duplicates(knowledge: Knowledge) -> Iterator[Problem]:
    for file, key, ids in (
        ("models.yaml", "models", [m.id for m in knowledge.models.models]),
        ("symptoms.yaml", "symptoms", [s.id for s in knowledge.symptoms.symptoms]),
        ("damage.yaml", "damage", [d.id for d in knowledge.damage.damage]),
    ):
        seen: set[str] = set()
        for i, ident in enumerate(ids):
            if ident in seen:
                where = _at(knowledge, file, key, str(i), "id")
                yield Problem(*where, "KB106", f"duplicate {key.rstrip('s')} id {ident!r}")
            seen.add(ident)
    aliases: dict[str, str] = {}
    for i, model in enumerate(knowledge.models.models):
        for alias in model.aliases:
            owner = aliases.setdefault(alias.lower(), model.id)
            if owner != model.id:
                where = _at(knowledge, "models.yaml", "models", str(i), "aliases")
                yield Problem(*where, "KB106", f"alias {alias!r} names both {owner!r} and {model.id!r}")
    codes: dict[int, int] = {}
    for i, error in enumerate(knowledge.errors.errors):
        for code in error.codes:
            if codes.setdefault(code, i) != i:
                where = _at(knowledge, "errors.yaml", "errors", str(i))
                yield Problem(*where, "KB106", f"error code {code} appears in two entries")


# What each data_risk's label must say (case-insensitive regex), and must not.
_LABEL_RULES = {
    "none": (r"\bkeeps?\b", r"\berase"),
    "may_erase": (r"\b(may|tries|try)\b", r"^(?!.*\b(may|tries|try)\b).*\b(erases|keeps)\b"),
    "erases": (r"\berases\b", r"\bkeeps?\b|\bmay\b|\btries\b"),
}


def _check_risk_labels(knowledge: Knowledge) -> Iterator[Problem]:
    """The words next to a step's title must match what it does to the data (issue 9: repair said "keeps")."""
    for action_id, action in knowledge.actions.actions.items():
        required, forbidden = _LABEL_RULES[action.data_risk]
        label = action.risk_label
        if not re.search(required, label, re.IGNORECASE) or re.search(forbidden, label, re.IGNORECASE):
            where = _at(knowledge, "actions.yaml", "actions", action_id, "risk_label")
            message = f"{action_id}: risk_label {label!r} contradicts data_risk {action.data_risk}"
            yield Problem(*where, "KB109", message)

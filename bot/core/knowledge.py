"""Load the YAML knowledge base and check it against a strict schema.

Every file is parsed into YAML nodes first, so that a schema error can name the
file, the line and the column it comes from. Any unknown key, duplicate key,
wrong type, missing field or unknown reference stops loading with a
``KnowledgeError``; ``load_knowledge`` also runs every cross-file check of
``bot.core.lint``, so start-up refuses what ``check-knowledge`` refuses.
"""

from __future__ import annotations

from collections.abc import Hashable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Annotated, Any, Literal

import yaml
from pydantic import BaseModel, ConfigDict, Field, StringConstraints, ValidationError

from bot.core.answer import Action, DataRisk, Family, ProcedureId

Slug = Annotated[str, StringConstraints(pattern=r"^[a-z0-9][a-z0-9_-]{0,39}$")]
SourceKey = Annotated[str, StringConstraints(pattern=r"^[acp]\d+[a-z]?$")]
Text = Annotated[str, StringConstraints(min_length=1, max_length=2000)]

try:  # the C parser is several times faster and ships in PyYAML's wheels
    _BaseLoader: type[yaml.SafeLoader] = yaml.CSafeLoader  # type: ignore[assignment]
except AttributeError:  # pragma: no cover - pure-Python PyYAML build
    _BaseLoader = yaml.SafeLoader


class _DuplicateKey(yaml.MarkedYAMLError):
    """A mapping gives the same key twice; plain YAML loading would silently keep the last value."""


class _Loader(_BaseLoader):  # type: ignore[valid-type, misc]
    """The safe loader, refusing duplicate keys (``year`` twice must not make the iPhone 7 a 2030 phone)."""

    def construct_mapping(self, node: yaml.MappingNode, deep: bool = False) -> dict[Any, Any]:
        first_line: dict[Any, int] = {}
        for key_node, _ in node.value:
            key = self.construct_object(key_node, deep=deep)
            if not isinstance(key, Hashable):
                continue  # the base constructor reports unhashable keys
            if key in first_line:
                raise _DuplicateKey(
                    problem=f"duplicate key {key!r} (first given on line {first_line[key]})",
                    problem_mark=key_node.start_mark,
                )
            first_line[key] = key_node.start_mark.line + 1
        mapping: dict[Any, Any] = super().construct_mapping(node, deep=deep)
        return mapping


class KnowledgeError(Exception):
    """A problem in a knowledge file, located as precisely as possible."""

    def __init__(self, path: Path, line: int | None, message: str, code: str = "KB000") -> None:
        self.path = path
        self.line = line
        self.message = message
        self.code = code
        where = f"{path}:{line}" if line else str(path)
        super().__init__(f"{where}: {code} {message}")


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, strict=True)


# --- schema -----------------------------------------------------------------------------------------------------


class SourceDef(_Strict):
    kind: Literal["apple", "code", "press"]
    title: Text
    url: Annotated[str, StringConstraints(pattern=r"^https?://\S+$")]


class SourcesFile(_Strict):
    sources: dict[SourceKey, SourceDef]


class ModelDef(_Strict):
    id: Slug
    name: Text
    year: Annotated[int, Field(ge=2007, le=2030)]
    identifiers: list[Annotated[str, StringConstraints(pattern=r"^iPhone\d{1,2},\d{1,2}$")]]
    home_button: Literal["mechanical", "solid-state", "none", "unverified"]
    family: Family | None
    verified: bool = True
    # False where the phone has no iCloud Backup (original iPhone, iPhone 3G): the reminder then offers a computer.
    icloud_backup: bool = True
    popular: bool = False
    aliases: list[Text] = []
    caveat: Text | None = None
    sources: list[SourceKey]


class AmbiguousDef(_Strict):
    phrases: list[Text]
    candidates: list[Slug]
    question: Text


class ModelsFile(_Strict):
    models: list[ModelDef]
    ambiguous: list[AmbiguousDef] = []
    picker: list[Slug]


class ProcedureDef(_Strict):
    title: Text
    steps: Annotated[list[Text], Field(min_length=1, max_length=12)]
    success: Text
    failure_cues: list[Text] = []
    notes: list[Text] = []
    sources: list[SourceKey]


class FamilyDef(_Strict):
    id: Family
    name: Text
    buttons: Text
    applies_to: Text
    warnings: list[Text] = []
    procedures: dict[ProcedureId, ProcedureDef]


class ActionDef(_Strict):
    title: Text
    data_risk: DataRisk
    risk_label: Text  # what the step does to the data, shown next to its title ("tries to keep your data")
    uses_procedure: ProcedureId | None
    what_it_does: Text
    computer_steps: list[Text] = []
    expect: Text
    if_it_fails: Text
    sources: list[SourceKey]


class ActionsFile(_Strict):
    actions: dict[Action, ActionDef]


class Pattern(_Strict):
    re: Annotated[str, StringConstraints(min_length=1, max_length=400)]
    w: Annotated[float, Field(gt=-5, le=5)]


class SymptomDef(_Strict):
    id: Slug
    name: Text
    diagnosis: Text
    dfu_helps: Literal["yes", "no", "sometimes"]
    ladder: list[Action]
    before_you_start: list[Text] = []
    notes: list[Text] = []
    sources: list[SourceKey]
    patterns: Annotated[list[Pattern], Field(min_length=1)]


class SymptomsFile(_Strict):
    symptoms: list[SymptomDef]


class RiskDef(_Strict):
    text: Text
    sources: list[SourceKey]


class RisksFile(_Strict):
    backup_reminder: Text
    backup_reminder_without_icloud: Text
    risks: dict[Slug, RiskDef]


class ErrorDef(_Strict):
    codes: Annotated[list[Annotated[int, Field(ge=1, le=99999)]], Field(min_length=1)]
    meaning: Text
    advice: Text
    likely_hardware: bool
    sources: list[SourceKey]


class ErrorsFile(_Strict):
    errors: list[ErrorDef]


class DamageDef(_Strict):
    id: Slug
    name: Text
    patterns: Annotated[list[Pattern], Field(min_length=1)]
    advice: list[Text]
    backup: Text | None = None  # replaces risks.yaml's backup_reminder (a wet phone must not be plugged in)
    backup_without_icloud: Text | None = None  # the same for models with icloud_backup: false
    safety: Text | None = None
    power_off: bool = False


class DamageFile(_Strict):
    negation: Text
    damage: list[DamageDef]


class LanguageFile(_Strict):
    corrections: dict[Text, Text]
    vocabulary: list[Text] = []
    problem_words: list[Pattern]
    off_topic: list[Pattern]
    howto: dict[ProcedureId, list[Text]]


# --- loading ----------------------------------------------------------------------------------------------------

_FILES: dict[str, type[_Strict]] = {
    "sources.yaml": SourcesFile,
    "models.yaml": ModelsFile,
    "actions.yaml": ActionsFile,
    "symptoms.yaml": SymptomsFile,
    "risks.yaml": RisksFile,
    "errors.yaml": ErrorsFile,
    "damage.yaml": DamageFile,
    "language.yaml": LanguageFile,
}


@dataclass(frozen=True, slots=True)
class Knowledge:
    """The validated knowledge base, plus where each top-level item came from (for lint messages)."""

    root: Path
    sources: SourcesFile
    models: ModelsFile
    families: dict[Family, FamilyDef]
    actions: ActionsFile
    symptoms: SymptomsFile
    risks: RisksFile
    errors: ErrorsFile
    damage: DamageFile
    language: LanguageFile
    lines: Mapping[tuple[str, ...], tuple[Path, int]]


def _node_lines(node: yaml.Node, path: tuple[str, ...], out: dict[tuple[str, ...], int]) -> None:
    out[path] = node.start_mark.line + 1
    if isinstance(node, yaml.MappingNode):
        for key, value in node.value:
            name = str(key.value)
            _node_lines(value, path + (name,), out)
            # The key's own line, not where a block value under it starts ("procedures:", not its first child).
            out[path + (name,)] = key.start_mark.line + 1
    elif isinstance(node, yaml.SequenceNode):
        for index, item in enumerate(node.value):
            _node_lines(item, path + (str(index),), out)


def _parse(path: Path) -> tuple[Any, dict[tuple[str, ...], int]]:
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise KnowledgeError(path, None, f"cannot read file: {exc}", "KB001") from exc
    loader = _Loader(text)
    try:
        node = loader.get_single_node()
        data = loader.construct_document(node) if node is not None else None
    except _DuplicateKey as exc:
        raise KnowledgeError(path, _error_line(exc, text), str(exc.problem), "KB007") from exc
    except yaml.MarkedYAMLError as exc:
        raise KnowledgeError(path, _error_line(exc, text), f"invalid YAML: {exc.problem}", "KB002") from exc
    except yaml.YAMLError as exc:
        raise KnowledgeError(path, None, f"invalid YAML: {exc}", "KB002") from exc
    finally:
        loader.dispose()
    lines: dict[tuple[str, ...], int] = {}
    if node is not None:
        _node_lines(node, (), lines)
    return data, lines


def _error_line(exc: yaml.MarkedYAMLError, text: str) -> int | None:
    """The 1-based line where a YAML break is, not where the parser noticed it.

    The parser notices some breaks only at the next token: a key without its ``:`` or an unclosed quote
    (then the context mark is where the broken key or scalar starts), and an unclosed ``[...]`` / ``{...}``
    (then the break is the last content line before the token that gave it away).
    """
    problem = exc.problem_mark
    context = exc.context_mark
    if problem is None:
        return None
    what = exc.context or ""
    if context is not None and what.startswith(("while scanning a simple key", "while scanning a quoted scalar")):
        return context.line + 1
    if context is not None and what.startswith("while parsing a flow") and problem.line > context.line:
        lines = text.splitlines()
        for index in range(problem.line - 1, context.line - 1, -1):
            content = lines[index].split("#", 1)[0].strip() if index < len(lines) else ""
            if content:
                return index + 1
    return problem.line + 1


def _closest_line(lines: Mapping[tuple[str, ...], int], loc: Sequence[str | int]) -> int | None:
    path = tuple(str(part) for part in loc)
    while path not in lines and path:
        path = path[:-1]
    return lines.get(path)


def _validate(path: Path, schema: type[_Strict]) -> tuple[Any, dict[tuple[str, ...], int]]:
    data, lines = _parse(path)
    if data is None:
        raise KnowledgeError(path, 1, "file is empty", "KB003")
    try:
        return schema.model_validate(data), lines
    except ValidationError as exc:
        error = exc.errors()[0]
        loc = tuple(str(part) for part in error["loc"])
        where = ".".join(loc) or "top level"
        message = error["msg"]
        if error["type"] == "extra_forbidden":
            message = "unknown key (check the spelling against knowledge/README.md)"
        raise KnowledgeError(path, _closest_line(lines, loc), f"{where}: {message}", "KB004") from exc


def load_knowledge(root: Path) -> Knowledge:
    """The knowledge base the bot may serve: read, validated and cross-checked (every ``check-knowledge``
    rule), so a broken one stops start-up. Raises KnowledgeError naming the file and line of the first problem.
    """
    knowledge = read_knowledge(root)
    from bot.core.lint import cross_checks  # lint builds on this module's types: imported here, not at the top

    problem = next(iter(cross_checks(knowledge)), None)
    if problem is not None:
        raise KnowledgeError(problem.path, problem.line, problem.message, problem.code)
    return knowledge


def read_knowledge(root: Path) -> Knowledge:
    """Read every knowledge file under ``root`` and check it against the schema; raise KnowledgeError on the
    first problem. The cross-file checks are ``bot.core.lint.cross_checks``; ``load_knowledge`` runs both."""
    if not root.is_dir():
        raise KnowledgeError(root, None, "knowledge directory not found", "KB001")
    parsed: dict[str, Any] = {}
    all_lines: dict[tuple[str, ...], tuple[Path, int]] = {}
    for name, schema in _FILES.items():
        path = root / name
        if not path.exists():
            raise KnowledgeError(path, None, "required knowledge file is missing", "KB001")
        parsed[name], lines = _validate(path, schema)
        all_lines.update({(name, *key): (path, line) for key, line in lines.items()})
    families: dict[Family, FamilyDef] = {}
    for path in sorted((root / "families").glob("*.yaml")):
        family, lines = _validate(path, FamilyDef)
        if path.stem != family.id:
            raise KnowledgeError(path, lines.get(("id",)), f"family id {family.id!r} must match the file name", "KB005")
        families[family.id] = family
        all_lines.update({(f"families/{path.name}", *key): (path, line) for key, line in lines.items()})
    return Knowledge(
        root=root,
        sources=parsed["sources.yaml"],
        models=parsed["models.yaml"],
        families=families,
        actions=parsed["actions.yaml"],
        symptoms=parsed["symptoms.yaml"],
        risks=parsed["risks.yaml"],
        errors=parsed["errors.yaml"],
        damage=parsed["damage.yaml"],
        language=parsed["language.yaml"],
        lines=all_lines,
    )


def iter_patterns(knowledge: Knowledge) -> Iterator[tuple[str, tuple[str, ...], str]]:
    """(file, line-lookup key, regex) for every regular expression in the knowledge base."""
    for i, symptom in enumerate(knowledge.symptoms.symptoms):
        for j, pattern in enumerate(symptom.patterns):
            yield "symptoms.yaml", ("symptoms.yaml", "symptoms", str(i), "patterns", str(j)), pattern.re
    for i, damage in enumerate(knowledge.damage.damage):
        for j, pattern in enumerate(damage.patterns):
            yield "damage.yaml", ("damage.yaml", "damage", str(i), "patterns", str(j)), pattern.re
    yield "damage.yaml", ("damage.yaml", "negation"), knowledge.damage.negation
    for key in ("problem_words", "off_topic"):
        for j, pattern in enumerate(getattr(knowledge.language, key)):
            yield "language.yaml", ("language.yaml", key, str(j)), pattern.re
    for procedure_id, regexes in knowledge.language.howto.items():
        for j, regex in enumerate(regexes):
            yield "language.yaml", ("language.yaml", "howto", procedure_id, str(j)), regex

"""Load the YAML knowledge base and check it against a strict schema.

Every file is parsed into YAML nodes first, so that a schema error can name the
file, the line and the column it comes from. Any unknown key, duplicate key,
wrong type, missing field or unknown reference stops loading with a
``KnowledgeError``; ``load_knowledge`` also runs every cross-file check of
``bot.core.lint``, so start-up refuses what ``check-knowledge`` refuses.

The schema (``bot.core.knowledge_schema``, pydantic) and the cross-file checks run only for a knowledge base
they have not passed before: ``load_knowledge`` keeps the validated content in a cache file keyed by the
SHA-256 of every knowledge file and of the code that checks them (see ``_cache_key``), and a start-up with
the same files and code reads that instead (about 3 ms instead of 150). Any change of a file, of the checks
or of Python is a miss, and the full checks run again before anything is served.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import sys
from collections.abc import Callable, Hashable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal

import yaml

from bot.core.answer import Action, DataRisk, Family, ProcedureId

if TYPE_CHECKING:
    from bot.core.knowledge_schema import _Strict

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


# --- the knowledge's types: plain frozen dataclasses, the same names, fields and defaults as the schema ------------
# (bot/core/knowledge_schema.py). Values are what the schema's validation gives (floats for ``w``, lists, dicts).


@dataclass(frozen=True, slots=True, kw_only=True)
class SourceDef:
    kind: Literal["apple", "code", "press"]
    title: str
    url: str


@dataclass(frozen=True, slots=True, kw_only=True)
class SourcesFile:
    sources: dict[str, SourceDef]


@dataclass(frozen=True, slots=True, kw_only=True)
class ModelDef:
    id: str
    name: str
    year: int
    identifiers: list[str]
    home_button: Literal["mechanical", "solid-state", "none", "unverified"]
    family: Family | None
    verified: bool = True
    # False where the phone has no iCloud Backup (original iPhone, iPhone 3G): the reminder then offers a computer.
    icloud_backup: bool = True
    popular: bool = False
    aliases: list[str] = field(default_factory=list)
    caveat: str | None = None
    sources: list[str]


@dataclass(frozen=True, slots=True, kw_only=True)
class AmbiguousDef:
    phrases: list[str]
    candidates: list[str]
    question: str


@dataclass(frozen=True, slots=True, kw_only=True)
class ModelsFile:
    models: list[ModelDef]
    ambiguous: list[AmbiguousDef] = field(default_factory=list)
    picker: list[str]


@dataclass(frozen=True, slots=True, kw_only=True)
class ProcedureDef:
    title: str
    steps: list[str]
    success: str
    failure_cues: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    sources: list[str]


@dataclass(frozen=True, slots=True, kw_only=True)
class FamilyDef:
    id: Family
    name: str
    buttons: str
    applies_to: str
    warnings: list[str] = field(default_factory=list)
    procedures: dict[ProcedureId, ProcedureDef]


@dataclass(frozen=True, slots=True, kw_only=True)
class ActionDef:
    title: str
    data_risk: DataRisk
    risk_label: str  # what the step does to the data, shown next to its title ("tries to keep your data")
    uses_procedure: ProcedureId | None
    what_it_does: str
    computer_steps: list[str] = field(default_factory=list)
    expect: str
    if_it_fails: str
    sources: list[str]


@dataclass(frozen=True, slots=True, kw_only=True)
class ActionsFile:
    actions: dict[Action, ActionDef]


@dataclass(frozen=True, slots=True, kw_only=True)
class Pattern:
    re: str
    w: float


@dataclass(frozen=True, slots=True, kw_only=True)
class SymptomDef:
    id: str
    name: str
    diagnosis: str
    dfu_helps: Literal["yes", "no", "sometimes"]
    ladder: list[Action]
    before_you_start: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    sources: list[str]
    patterns: list[Pattern]


@dataclass(frozen=True, slots=True, kw_only=True)
class SymptomsFile:
    symptoms: list[SymptomDef]


@dataclass(frozen=True, slots=True, kw_only=True)
class RiskDef:
    text: str
    sources: list[str]


@dataclass(frozen=True, slots=True, kw_only=True)
class RisksFile:
    backup_reminder: str
    backup_reminder_without_icloud: str
    risks: dict[str, RiskDef]


@dataclass(frozen=True, slots=True, kw_only=True)
class ErrorDef:
    codes: list[int]
    meaning: str
    advice: str
    likely_hardware: bool
    sources: list[str]


@dataclass(frozen=True, slots=True, kw_only=True)
class ErrorsFile:
    errors: list[ErrorDef]


@dataclass(frozen=True, slots=True, kw_only=True)
class DamageDef:
    id: str
    name: str
    phrase: str | None = None  # how it reads in "This sounds like ...", when not the name ("a bent frame")
    patterns: list[Pattern]
    advice: list[str]
    backup: str | None = None  # replaces risks.yaml's backup_reminder (a wet phone must not be plugged in)
    backup_without_icloud: str | None = None  # the same for models with icloud_backup: false
    safety: str | None = None
    power_off: bool = False
    physical: bool = True  # False: a part failing (labelling.md: hardware_like), still routed to repair


@dataclass(frozen=True, slots=True, kw_only=True)
class DamageFile:
    negation: str
    damage: list[DamageDef]


@dataclass(frozen=True, slots=True, kw_only=True)
class LanguageFile:
    corrections: dict[str, str]
    vocabulary: list[str] = field(default_factory=list)
    real_words: list[str] = field(default_factory=list)
    problem_words: list[Pattern]
    off_topic: list[Pattern]
    howto: dict[ProcedureId, list[str]]


def _patterns(items: list[dict[str, Any]]) -> list[Pattern]:
    return [Pattern(**item) for item in items]


# Each file's dump (the schema model's ``model_dump()``, or the cache's copy of it) -> the dataclasses.
_BUILD: dict[str, Callable[[dict[str, Any]], Any]] = {
    "sources.yaml": lambda d: SourcesFile(sources={k: SourceDef(**v) for k, v in d["sources"].items()}),
    "models.yaml": lambda d: ModelsFile(
        models=[ModelDef(**m) for m in d["models"]],
        ambiguous=[AmbiguousDef(**a) for a in d["ambiguous"]],
        picker=d["picker"],
    ),
    "actions.yaml": lambda d: ActionsFile(actions={k: ActionDef(**v) for k, v in d["actions"].items()}),
    "symptoms.yaml": lambda d: SymptomsFile(
        symptoms=[SymptomDef(**{**s, "patterns": _patterns(s["patterns"])}) for s in d["symptoms"]]
    ),
    "risks.yaml": lambda d: RisksFile(**{**d, "risks": {k: RiskDef(**v) for k, v in d["risks"].items()}}),
    "errors.yaml": lambda d: ErrorsFile(errors=[ErrorDef(**e) for e in d["errors"]]),
    "damage.yaml": lambda d: DamageFile(
        negation=d["negation"], damage=[DamageDef(**{**k, "patterns": _patterns(k["patterns"])}) for k in d["damage"]]
    ),
    "language.yaml": lambda d: LanguageFile(
        **{**d, "problem_words": _patterns(d["problem_words"]), "off_topic": _patterns(d["off_topic"])}
    ),
    "families": lambda d: FamilyDef(**{**d, "procedures": {k: ProcedureDef(**v) for k, v in d["procedures"].items()}}),
}


# --- loading ----------------------------------------------------------------------------------------------------

_FILES = (
    *("sources.yaml", "models.yaml", "actions.yaml", "symptoms.yaml"),
    *("risks.yaml", "errors.yaml", "damage.yaml", "language.yaml"),
)


@dataclass(frozen=True, slots=True)
class Knowledge:
    """The validated knowledge base, plus where each top-level item came from (for lint messages; empty when
    it was read from the validated cache, since every check already passed on exactly these files)."""

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


def _validate(path: Path, schema: type[_Strict]) -> tuple[dict[str, Any], dict[tuple[str, ...], int]]:
    """The file's content as the schema validated it (``model_dump()``: defaults filled in, ``w`` as floats)."""
    from pydantic import ValidationError

    data, lines = _parse(path)
    if data is None:
        raise KnowledgeError(path, 1, "file is empty", "KB003")
    try:
        return schema.model_validate(data).model_dump(), lines
    except ValidationError as exc:
        error = exc.errors()[0]
        loc = tuple(str(part) for part in error["loc"])
        where = ".".join(loc) or "top level"
        message = error["msg"]
        if error["type"] == "extra_forbidden":
            message = "unknown key (check the spelling against knowledge/README.md)"
        raise KnowledgeError(path, _closest_line(lines, loc), f"{where}: {message}", "KB004") from exc


def load_knowledge(root: Path | str) -> Knowledge:
    """The knowledge base the bot may serve: read, validated and cross-checked (every ``check-knowledge``
    rule), so a broken one stops start-up. Raises KnowledgeError naming the file and line of the first problem.
    Files (and checking code) that passed before are read from the validated cache instead.
    """
    root = Path(root)
    key = _cache_key(root)
    cached = _read_cache(root, key) if key else None
    if cached is not None:
        return cached
    dumps: dict[str, Any] = {}
    knowledge = _read(root, dumps)
    from bot.core.lint import cross_checks  # lint builds on this module's types: imported here, not at the top

    problem = next(iter(cross_checks(knowledge)), None)
    if problem is not None:
        raise KnowledgeError(problem.path, problem.line, problem.message, problem.code)
    if key and key == _cache_key(root):  # unchanged while it was checked
        _write_cache(key, dumps)
    return knowledge


def read_knowledge(root: Path) -> Knowledge:
    """Read every knowledge file under ``root`` and check it against the schema; raise KnowledgeError on the
    first problem. The cross-file checks are ``bot.core.lint.cross_checks``; ``load_knowledge`` runs both."""
    return _read(root, {})


def _read(root: Path, dumps: dict[str, Any]) -> Knowledge:
    """``read_knowledge``, also leaving each file's validated content in ``dumps`` (for the cache)."""
    from bot.core.knowledge_schema import SCHEMAS

    if not root.is_dir():
        raise KnowledgeError(root, None, "knowledge directory not found", "KB001")
    all_lines: dict[tuple[str, ...], tuple[Path, int]] = {}
    for name in _FILES:
        path = root / name
        if not path.exists():
            raise KnowledgeError(path, None, "required knowledge file is missing", "KB001")
        dumps[name], lines = _validate(path, SCHEMAS[name])
        all_lines.update({(name, *key): (path, line) for key, line in lines.items()})
    families: dict[str, Any] = {}
    for path in sorted((root / "families").glob("*.yaml")):
        family, lines = _validate(path, SCHEMAS["families"])
        if path.stem != family["id"]:
            where = lines.get(("id",))
            raise KnowledgeError(path, where, f"family id {family['id']!r} must match the file name", "KB005")
        families[path.name] = family
        all_lines.update({(f"families/{path.name}", *key): (path, line) for key, line in lines.items()})
    dumps["families"] = families
    return _build(root, dumps, all_lines)


def _build(root: Path, dumps: dict[str, Any], lines: Mapping[tuple[str, ...], tuple[Path, int]]) -> Knowledge:
    """The dataclasses from each file's validated content (just validated, or from the cache)."""
    built = {name: _BUILD[name](dumps[name]) for name in _FILES}
    families = [_BUILD["families"](family) for family in dumps["families"].values()]
    return Knowledge(
        root=root,
        sources=built["sources.yaml"],
        models=built["models.yaml"],
        families={family.id: family for family in families},
        actions=built["actions.yaml"],
        symptoms=built["symptoms.yaml"],
        risks=built["risks.yaml"],
        errors=built["errors.yaml"],
        damage=built["damage.yaml"],
        language=built["language.yaml"],
        lines=lines,
    )


# --- the validated cache ------------------------------------------------------------------------------------------

_CACHE_FORMAT = 1
# The code whose rules decide what is valid: a change to any of them invalidates every cached result.
_CHECKING_CODE = ("knowledge.py", "knowledge_schema.py", "lint.py", "pattern_check.py", "answer.py")


def cache_path() -> Path | None:
    """Where the validated cache lives: ``$REVIVE_CACHE_DIR`` (empty: no cache), else the user cache directory."""
    configured = os.environ.get("REVIVE_CACHE_DIR")
    if configured is not None:
        return Path(configured) / "knowledge.json" if configured else None
    base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    return Path(base) / "revive" / "knowledge.json"


def _cache_key(root: Path) -> str | None:
    """SHA-256 over Python's version, the checking code and every knowledge file (names and bytes), or None
    when a file cannot be read (the full load then reports it)."""
    digest = hashlib.sha256(f"{_CACHE_FORMAT}\0{sys.version}\0".encode())
    try:
        code_dir = Path(__file__).parent
        for name in _CHECKING_CODE:
            digest.update(name.encode() + b"\0" + (code_dir / name).read_bytes() + b"\0")
        files = [root / name for name in _FILES] + sorted((root / "families").glob("*.yaml"))
        for path in files:
            digest.update(str(path.relative_to(root)).encode() + b"\0" + path.read_bytes() + b"\0")
    except (OSError, ValueError):
        return None
    return digest.hexdigest()


def _read_cache(root: Path, key: str) -> Knowledge | None:
    path = cache_path()
    if path is None:
        return None
    try:
        cached = json.loads(path.read_bytes())
        if cached["key"] != key:
            return None
        return _build(root, cached["files"], {})
    except Exception:  # missing, unreadable or not what this code writes: a miss, never an error
        return None


def _write_cache(key: str, dumps: dict[str, Any]) -> None:
    """Write atomically (another process may be reading); a cache that cannot be written is only slower."""
    path = cache_path()
    if path is None:
        return
    temporary = path.with_name(f"{path.name}.{os.getpid()}.tmp")
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        temporary.write_text(json.dumps({"key": key, "files": dumps}, ensure_ascii=False), encoding="utf-8")
        os.replace(temporary, path)
    except OSError:
        with contextlib.suppress(OSError):
            temporary.unlink(missing_ok=True)


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

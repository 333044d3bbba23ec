"""The validated-knowledge cache: a start-up with files (and checking code) that passed before skips the schema
and the cross-file checks, and nothing else ever does. A broken knowledge base is refused with the cache warm."""

from __future__ import annotations

import dataclasses
import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from bot.core import knowledge as knowledge_module
from bot.core import knowledge_schema
from bot.core.knowledge import Knowledge, KnowledgeError, cache_path, load_knowledge, read_knowledge
from bot.settings import DEFAULT_KNOWLEDGE_DIR

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def cache_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    directory = tmp_path / "cache"
    monkeypatch.setenv("REVIVE_CACHE_DIR", str(directory))
    return directory


@pytest.fixture
def root(tmp_path: Path) -> Path:
    copy = tmp_path / "knowledge"
    shutil.copytree(DEFAULT_KNOWLEDGE_DIR, copy)
    return copy


def _content(knowledge: Knowledge) -> dict[str, object]:
    """Every field but ``lines`` (only the full read knows them)."""
    return {f.name: getattr(knowledge, f.name) for f in dataclasses.fields(knowledge) if f.name != "lines"}


def test_second_load_comes_from_the_cache_and_equals_the_validated_one(cache_dir: Path, root: Path) -> None:
    first = load_knowledge(root)
    assert first.lines, "the first load validates the files"
    assert (cache_dir / "knowledge.json").is_file()
    second = load_knowledge(root)
    assert second.lines == {}, "the second load must come from the cache"
    assert _content(second) == _content(first)
    assert _content(second) == _content(read_knowledge(root))
    # The JSON round trip keeps the schema's types: weights stay floats, not ints.
    weights = [p.w for s in second.symptoms.symptoms for p in s.patterns]
    assert weights
    assert all(type(w) is float for w in weights)


def test_a_broken_file_is_refused_with_the_cache_warm(cache_dir: Path, root: Path) -> None:
    load_knowledge(root)
    models = root / "models.yaml"
    models.write_text(models.read_text(encoding="utf-8").replace("year: 2016", "year: 1999", 1), encoding="utf-8")
    with pytest.raises(KnowledgeError) as caught:
        load_knowledge(root)
    assert caught.value.code == "KB004"
    assert caught.value.path == models


def test_a_cross_file_problem_is_refused_with_the_cache_warm(cache_dir: Path, root: Path) -> None:
    """The cross-file checks are skipped only for content that passed them: here KB106 (the first model also
    claims the iPhone 3G's alias)."""
    load_knowledge(root)
    models = root / "models.yaml"
    text = models.read_text(encoding="utf-8")
    assert "aliases: [" in text
    models.write_text(text.replace("aliases: [", 'aliases: ["3g iphone", ', 1), encoding="utf-8")
    with pytest.raises(KnowledgeError) as caught:
        load_knowledge(root)
    assert caught.value.code == "KB106"


def test_the_cli_refuses_a_broken_base_with_exit_3_when_the_cache_is_warm(cache_dir: Path, root: Path) -> None:
    env = {**os.environ, "REVIVE_CACHE_DIR": str(cache_dir), "PYTHONPATH": str(ROOT)}
    command = [sys.executable, "-m", "bot", "--knowledge", str(root), "triage", "my iphone 7 is stuck on the logo"]
    warm = subprocess.run(command, cwd=ROOT, env=env, capture_output=True, text=True, timeout=60)
    assert warm.returncode == 0, warm.stderr
    assert (cache_dir / "knowledge.json").is_file()
    damage = root / "damage.yaml"
    damage.write_text(damage.read_text(encoding="utf-8") + "\nbogus_key: 1\n", encoding="utf-8")
    broken = subprocess.run(command, cwd=ROOT, env=env, capture_output=True, text=True, timeout=60)
    assert broken.returncode == 3
    assert broken.stdout == ""
    assert broken.stderr.startswith(f"error: broken knowledge base: {damage}:")
    assert " KB004 " in broken.stderr


def test_a_changed_checking_rule_is_a_miss(cache_dir: Path, root: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    load_knowledge(root)
    key = json.loads((cache_dir / "knowledge.json").read_text(encoding="utf-8"))["key"]
    assert key == knowledge_module._cache_key(root)
    monkeypatch.setattr(knowledge_module, "_CHECKING_CODE", (*knowledge_module._CHECKING_CODE, "text.py"))
    assert knowledge_module._cache_key(root) != key
    assert load_knowledge(root).lines, "a different key must validate again"


def test_a_corrupt_or_foreign_cache_is_a_miss_not_an_error(cache_dir: Path, root: Path) -> None:
    load_knowledge(root)
    cache = cache_dir / "knowledge.json"
    data = json.loads(cache.read_text(encoding="utf-8"))
    del data["files"]["models.yaml"]["models"][0]["name"]  # right key, wrong content
    cache.write_text(json.dumps(data), encoding="utf-8")
    assert load_knowledge(root).lines
    cache.write_text("{not json", encoding="utf-8")
    assert load_knowledge(root).lines
    cache.write_text(json.dumps({**data, "key": "0" * 64}), encoding="utf-8")
    assert load_knowledge(root).lines


def test_an_empty_cache_dir_setting_turns_the_cache_off(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("REVIVE_CACHE_DIR", "")
    assert cache_path() is None
    assert load_knowledge(DEFAULT_KNOWLEDGE_DIR).lines
    assert load_knowledge(DEFAULT_KNOWLEDGE_DIR).lines


def test_an_unwritable_cache_only_costs_time(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("not a directory", encoding="utf-8")
    monkeypatch.setenv("REVIVE_CACHE_DIR", str(blocker / "cache"))
    assert load_knowledge(DEFAULT_KNOWLEDGE_DIR).lines
    assert load_knowledge(DEFAULT_KNOWLEDGE_DIR).lines


SCHEMA_PAIRS = [
    (getattr(knowledge_module, name), getattr(knowledge_schema, name))
    for name in dir(knowledge_schema)
    if isinstance(getattr(knowledge_schema, name), type)
    and issubclass(getattr(knowledge_schema, name), knowledge_schema._Strict)
    and name != "_Strict"
]


@pytest.mark.parametrize(("runtime", "schema"), SCHEMA_PAIRS, ids=[s.__name__ for _, s in SCHEMA_PAIRS])
def test_each_dataclass_has_its_schema_models_fields_in_order(runtime: type, schema: type) -> None:
    """The bot's dataclasses are built from the schema's dump: the same field names, order and defaults."""
    fields = dataclasses.fields(runtime)
    assert [f.name for f in fields] == list(schema.model_fields)  # type: ignore[attr-defined]
    for f in fields:
        info = schema.model_fields[f.name]  # type: ignore[attr-defined]
        if info.is_required():
            assert f.default is dataclasses.MISSING, f.name
            assert f.default_factory is dataclasses.MISSING, f.name
        elif f.default_factory is not dataclasses.MISSING:
            assert f.default_factory() == info.default, f.name
        else:
            assert f.default == info.default, f.name


def test_every_schema_model_has_a_dataclass() -> None:
    assert len(SCHEMA_PAIRS) == 19

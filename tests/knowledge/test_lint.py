"""``lint_directory`` and ``check-knowledge``: the shipped knowledge is clean; each failing fixture trips one code.

A fixture (tests/knowledge/fixtures/failing/<CODE>-<name>/) holds small replacement files laid over a copy
of knowledge/. The line the problem must be reported on is marked in the fixture with ``# <- <CODE>``.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from bot.core.knowledge import KnowledgeError
from bot.core.lint import lint_directory
from bot.core.triage import Triage
from bot.settings import DEFAULT_KNOWLEDGE_DIR

ROOT = Path(__file__).resolve().parents[2]
FIXTURES = Path(__file__).parent / "fixtures" / "failing"
CASES = sorted(p for p in FIXTURES.iterdir() if p.is_dir())
REQUIRED_CODES = {"KB002", "KB004", "KB006", "KB101", "KB102", "KB103", "KB104", "KB105", "KB106", "KB107", "KB108"}


def _overlay(fixture: Path, tmp_path: Path) -> Path:
    root = tmp_path / "knowledge"
    shutil.copytree(DEFAULT_KNOWLEDGE_DIR, root)
    for source in fixture.rglob("*.yaml"):
        target = root / source.relative_to(fixture)
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(source, target)
    return root


def _marked(fixture: Path, code: str) -> tuple[Path, int]:
    """The fixture file and 1-based line carrying the ``# <- CODE`` marker."""
    for source in fixture.rglob("*.yaml"):
        for number, line in enumerate(source.read_text(encoding="utf-8").splitlines(), start=1):
            if f"# <- {code}" in line:
                return source.relative_to(fixture), number
    raise AssertionError(f"{fixture.name}: no '# <- {code}' marker")


def test_shipped_knowledge_is_clean() -> None:
    assert lint_directory(DEFAULT_KNOWLEDGE_DIR) == []


def test_every_required_code_has_a_fixture() -> None:
    assert {case.name.split("-")[0] for case in CASES} >= REQUIRED_CODES
    assert sum(case.name.startswith("KB004-") for case in CASES) >= 3


@pytest.mark.parametrize("fixture", CASES, ids=[c.name for c in CASES])
def test_failing_fixture_reports_its_code_file_and_line(fixture: Path, tmp_path: Path) -> None:
    code = fixture.name.split("-")[0]
    root = _overlay(fixture, tmp_path)
    relative, line = _marked(fixture, code)
    problems = lint_directory(root)
    assert problems, "no problem reported"
    assert {p.code for p in problems} == {code}, [str(p) for p in problems]
    problem = problems[0]
    assert problem.path == root / relative
    assert problem.line == line, str(problem)
    assert str(problem).startswith(f"{root / relative}:{line}: {code} ")


@pytest.mark.parametrize("fixture", CASES[:3] + CASES[-2:], ids=[c.name for c in CASES[:3] + CASES[-2:]])
def test_check_knowledge_cli_fails_with_file_and_line(fixture: Path, tmp_path: Path) -> None:
    code = fixture.name.split("-")[0]
    root = _overlay(fixture, tmp_path)
    relative, line = _marked(fixture, code)
    result = subprocess.run(
        [sys.executable, "-m", "bot", "--knowledge", str(root), "check-knowledge"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode != 0
    first = result.stderr.splitlines()[0]
    assert first.startswith(f"{root / relative}:{line}: {code} "), result.stderr


def test_check_knowledge_cli_passes_on_shipped_knowledge() -> None:
    result = subprocess.run(
        [sys.executable, "-m", "bot", "check-knowledge"], cwd=ROOT, capture_output=True, text=True, timeout=60
    )
    assert result.returncode == 0, result.stderr
    assert "is valid" in result.stdout


@pytest.mark.parametrize("name", ["KB002-bad-yaml", "KB004-unknown-key", "KB006-bad-regex"])
def test_triage_refuses_a_broken_knowledge_base(name: str, tmp_path: Path) -> None:
    root = _overlay(FIXTURES / name, tmp_path)
    with pytest.raises(KnowledgeError) as caught:
        Triage.from_directory(root)
    assert caught.value.code == name.split("-")[0]
    assert caught.value.line is not None


def test_missing_directory_is_a_knowledge_error(tmp_path: Path) -> None:
    with pytest.raises(KnowledgeError):
        Triage.from_directory(tmp_path / "nowhere")
    assert [p.code for p in lint_directory(tmp_path / "nowhere")] == ["KB001"]

"""``lint_directory`` and ``check-knowledge``: the shipped knowledge is clean; each failing fixture trips one code.

A fixture (tests/knowledge/fixtures/failing/<CODE>-<name>/) holds small replacement files laid over a copy
of knowledge/. The line the problem must be reported on is marked in the fixture with ``# <- <CODE>``.
A passing fixture (fixtures/passing/<CODE>-<name>/) is a near miss for that code that must stay clean.
The bot runs the same checks at start-up, so every failing fixture also stops ``Triage.from_directory``,
``python -m bot triage`` and ``python -m bot run`` with one line naming the file and line.
"""

from __future__ import annotations

import os
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
PASSING = sorted(p for p in (FIXTURES.parent / "passing").iterdir() if p.is_dir())
REQUIRED_CODES = {
    *("KB002", "KB004", "KB006", "KB007", "KB008"),
    *("KB101", "KB102", "KB103", "KB104", "KB105", "KB106", "KB107", "KB108", "KB109"),
}
# Codes added for the knowledge-safety review: each needs a near-miss fixture that passes, too.
PASSING_CODES = {"KB002", "KB007", "KB008", "KB109"}


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
    assert {case.name.split("-")[0] for case in PASSING} >= PASSING_CODES


@pytest.mark.parametrize("fixture", PASSING, ids=[c.name for c in PASSING])
def test_passing_fixture_is_clean(fixture: Path, tmp_path: Path) -> None:
    root = _overlay(fixture, tmp_path)
    assert lint_directory(root) == []
    Triage.from_directory(root)


def test_yaml_break_is_reported_on_its_own_line(tmp_path: Path) -> None:
    """PyYAML notices an unclosed {...} on line 23 only at line 24's token; the message must say 23."""
    fixture = FIXTURES / "KB002-unclosed-flow-line-23"
    root = _overlay(fixture, tmp_path)
    text = (fixture / "language.yaml").read_text(encoding="utf-8").splitlines()
    assert text[22].rstrip().endswith("w: 1.0  # <- KB002")  # line 23 is the one missing its "}"
    [problem] = lint_directory(root)
    assert (problem.code, problem.line) == ("KB002", 23)


def test_duplicate_key_names_both_lines(tmp_path: Path) -> None:
    [problem] = lint_directory(_overlay(FIXTURES / "KB007-duplicate-year", tmp_path))
    assert problem.line == 16
    assert "duplicate key 'year' (first given on line 12)" in problem.message


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


@pytest.mark.parametrize("fixture", CASES, ids=[c.name for c in CASES])
def test_triage_refuses_every_broken_fixture_at_start_up(fixture: Path, tmp_path: Path) -> None:
    """Start-up runs every check-knowledge rule: the cross-file ones (KB1xx) included."""
    code = fixture.name.split("-")[0]
    root = _overlay(fixture, tmp_path)
    relative, line = _marked(fixture, code)
    with pytest.raises(KnowledgeError) as caught:
        Triage.from_directory(root)
    assert (caught.value.code, caught.value.path, caught.value.line) == (code, root / relative, line)
    assert "\n" not in str(caught.value)


def _bot(tmp_path: Path, *args: str) -> subprocess.CompletedProcess[str]:
    """``python -m bot`` in a clean environment: no chat tokens, no .env, stdin closed."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(("TELEGRAM_", "DISCORD_", "REVIVE_"))}
    env["PYTHONPATH"] = str(ROOT)
    return subprocess.run(
        [sys.executable, "-m", "bot", *args],
        cwd=tmp_path,
        env=env,
        stdin=subprocess.DEVNULL,
        capture_output=True,
        text=True,
        timeout=60,
    )


START_UP = ["KB002-unclosed-flow-line-23", "KB007-duplicate-year", "KB008-nested-plus", "KB105-erasing-step-first"]


@pytest.mark.parametrize("command", [["triage", "my iphone 7 is stuck on the apple logo"], ["run"]])
@pytest.mark.parametrize("name", START_UP)
def test_cli_and_bot_refuse_to_start_with_one_line(name: str, command: list[str], tmp_path: Path) -> None:
    fixture = FIXTURES / name
    code = name.split("-")[0]
    root = _overlay(fixture, tmp_path)
    relative, line = _marked(fixture, code)
    result = _bot(tmp_path, "--knowledge", str(root), *command)
    assert result.returncode == 3, result.stderr
    assert result.stdout == ""
    [message] = result.stderr.splitlines()
    assert f"{root / relative}:{line}: {code} " in message


def test_missing_directory_is_a_knowledge_error(tmp_path: Path) -> None:
    with pytest.raises(KnowledgeError):
        Triage.from_directory(tmp_path / "nowhere")
    assert [p.code for p in lint_directory(tmp_path / "nowhere")] == ["KB001"]

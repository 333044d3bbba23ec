"""Subprocess tests of the command line: triage (--json, --explain, --jsonl), models, check-knowledge, console."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

ROOT = Path(__file__).resolve().parents[1]


def run(*args: str, stdin: str | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "bot", *args], cwd=ROOT, input=stdin, capture_output=True, text=True, timeout=60
    )


def run_jsonl(stdin: bytes) -> tuple[subprocess.CompletedProcess[bytes], list[dict[str, Any]]]:
    """``triage --jsonl`` with raw bytes on stdin and a strict UTF-8 interpreter; the parsed output lines."""
    env = {**os.environ, "PYTHONIOENCODING": "utf-8:strict"}
    result = subprocess.run(
        [sys.executable, "-m", "bot", "triage", "--jsonl"],
        cwd=ROOT,
        input=stdin,
        capture_output=True,
        env=env,
        timeout=120,
    )
    return result, [json.loads(line) for line in result.stdout.decode("utf-8").splitlines()]


def test_triage_json() -> None:
    result = run("triage", "--json", "my iphone 7 plus is stuck on the apple logo")
    assert result.returncode == 0, result.stderr
    data = json.loads(result.stdout)
    assert data["model"]["id"] == "iphone-7-plus"
    assert data["symptoms"][0] == "boot_loop"
    assert data["first_action"] == "force_restart"
    assert data["status"] == "answered"
    assert "explain" not in data


def test_triage_json_explain() -> None:
    result = run("triage", "--json", "--explain", "dropped my iphone 12 in the pool and now the screen is black")
    data = json.loads(result.stdout)
    assert data["damage"] is True
    assert any(line.startswith("damage liquid") for line in data["explain"])


def test_triage_text_explain() -> None:
    result = run("triage", "--explain", "my iphone se keeps restarting")
    assert result.returncode == 0
    assert "Which iPhone SE" in result.stdout
    assert "WHY THIS ANSWER" in result.stdout
    assert "ambiguous" in result.stdout


def test_triage_model_flag_wins() -> None:
    data = json.loads(run("triage", "--json", "--model", "se 2nd gen", "my iphone se keeps restarting").stdout)
    assert data["model"]["id"] == "iphone-se-2"


def test_triage_without_text_is_an_error() -> None:
    result = run("triage")
    assert result.returncode == 2
    assert "error" in result.stderr


GOOD = json.dumps({"text": "my iphone 11 won't turn on"}).encode()

# (input line, words the error must contain): every one used to kill the batch or vanish from the output.
BAD_LINES: list[tuple[bytes, str]] = [
    (b"{not json", "not valid JSON"),
    (json.dumps({"no_text": 1}).encode(), 'missing key "text"'),
    (json.dumps({"text": 42}).encode(), '"text" must be a string, got number'),
    (json.dumps({"text": "stuck", "model": 7}).encode(), '"model" must be a string or null, got number'),
    (json.dumps({"text": "stuck", "model": True}).encode(), "got boolean"),
    (json.dumps({"text": "stuck", "model": ["iphone-8"]}).encode(), "got array"),
    (json.dumps({"text": "stuck", "model": {"id": "iphone-8"}}).encode(), "got object"),
    (json.dumps({"text": "stuck", "colour": "red"}).encode(), 'unknown key(s) "colour"'),
    (b"[" * 100_000 + b"]" * 100_000, "nested too deeply"),
    (b'{"text": "' + b"stuck " * 200_000 + b'"}', "longer than 1000000 bytes"),
    (b'{"text": "stuck on the logo \xff\xfe"}', "not valid UTF-8"),
    (b"", "blank line"),
    (b"   \t", "blank line"),
    (b'["text", "stuck"]', "expected a JSON object"),
    (b'"stuck on the logo"', "expected a JSON object"),
    (b"null", "expected a JSON object"),
]


@pytest.fixture(scope="module")
def bad_batch() -> tuple[subprocess.CompletedProcess[bytes], list[dict[str, Any]]]:
    """Every bad line once, each between two good ones, in one run (one interpreter start for all)."""
    return run_jsonl(b"\n".join(part for line, _ in BAD_LINES for part in (GOOD, line)) + b"\n" + GOOD + b"\n")


@pytest.mark.parametrize(
    ("index", "problem"), [(i, p) for i, (_, p) in enumerate(BAD_LINES)], ids=[p for _, p in BAD_LINES]
)
def test_triage_jsonl_answers_a_bad_line_with_an_error_and_keeps_going(
    bad_batch: tuple[subprocess.CompletedProcess[bytes], list[dict[str, Any]]], index: int, problem: str
) -> None:
    """One output line per input line: the bad one says what is wrong, the good ones around it are answered."""
    result, out = bad_batch
    assert result.returncode == 0, result.stderr.decode()[-2000:]
    assert b"Traceback" not in result.stderr
    assert len(out) == 2 * len(BAD_LINES) + 1
    bad = out[2 * index + 1]
    assert bad["line"] == 2 * index + 2
    assert problem in bad["error"]
    assert out[2 * index]["model"]["id"] == out[2 * index + 2]["model"]["id"] == "iphone-11"


def test_triage_jsonl_one_output_line_per_input_line() -> None:
    """A mixed batch, including blank lines, CRLF endings and a last line without a newline, keeps its count."""
    lines = [
        GOOD,
        b"",
        json.dumps({"text": "stuck on the apple logo", "model": "iphone-8"}).encode(),
        b"\xc3\x28",
        json.dumps({"text": "st\u00fcck on the logo \ud800", "model": None}).encode(),
        json.dumps({"text": "mein iPhone 12 h\u00e4ngt", "model": "7 plus"}, ensure_ascii=False).encode(),
    ]
    result, out = run_jsonl(b"\r\n".join(lines))
    assert result.returncode == 0, result.stderr.decode()[-2000:]
    assert len(out) == len(lines)
    assert [o.get("line") for o in out] == [None, 2, None, 4, None, None]
    assert out[2]["model"]["id"] == "iphone-8"
    assert out[2]["symptoms"][0] == "boot_loop"
    assert out[5]["model"]["id"] == "iphone-7-plus"


def test_models() -> None:
    result = run("models")
    assert result.returncode == 0
    assert "iphone-7-plus" in result.stdout
    assert "volume-down" in result.stdout
    data = json.loads(run("models", "--json").stdout)
    assert {m["id"] for m in data} >= {"iphone-se-1", "iphone-se-2", "iphone-se-3", "iphone-16e"}


def test_check_knowledge() -> None:
    result = run("check-knowledge")
    assert result.returncode == 0, result.stderr
    assert "is valid" in result.stdout


def test_broken_knowledge_stops_triage(tmp_path: Path) -> None:
    result = run("--knowledge", str(tmp_path / "missing"), "triage", "hello")
    assert result.returncode != 0
    assert "KB001" in result.stderr


def test_console_picks_se_generation_then_answers() -> None:
    result = run("console", stdin="my iphone se keeps restarting\n2\n/quit\n")
    assert result.returncode == 0, result.stderr
    before, _, after = result.stdout.partition("Reply with a number or a model name:")
    assert "iPhone SE (2nd generation)" in after
    answer = after.split("iPhone SE (3rd generation)", 1)[1]
    assert "iPhone SE (2nd generation):" in answer
    assert "Volume Up" in answer
    assert "Volume Down" in answer
    assert "Side" in answer
    assert "Press and hold the Home button" not in answer
    assert "Which iPhone SE" in before

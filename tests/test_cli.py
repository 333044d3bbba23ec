"""Subprocess tests of the command line: triage (--json, --explain, --jsonl), models, check-knowledge, console."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def run(*args: str, stdin: str | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "bot", *args], cwd=ROOT, input=stdin, capture_output=True, text=True, timeout=60
    )


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


def test_triage_jsonl_keeps_going_after_a_bad_line() -> None:
    lines = [
        json.dumps({"text": "my iphone 11 won't turn on"}),
        "{not json",
        json.dumps({"no_text": 1}),
        json.dumps({"text": 42}),
        "",
        json.dumps({"text": "stuck on the apple logo", "model": "iphone-8"}),
    ]
    result = run("triage", "--jsonl", stdin="\n".join(lines) + "\n")
    assert result.returncode == 0, result.stderr
    out = [json.loads(line) for line in result.stdout.splitlines()]
    assert len(out) == 5
    assert out[0]["model"]["id"] == "iphone-11"
    assert [o.get("line") for o in out[1:4]] == [2, 3, 4]
    assert all("error" in o for o in out[1:4])
    assert out[4]["model"]["id"] == "iphone-8"
    assert out[4]["symptoms"][0] == "boot_loop"


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

"""Two processes opening one brand-new database file at the same instant both start, every time."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
HELPER = Path(__file__).with_name("_open_at_once.py")
ROUNDS = 20
pytestmark = pytest.mark.slow


def start_opener(path: Path) -> subprocess.Popen[str]:
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    env = {k: v for k, v in env.items() if not k.startswith("REVIVE_")}
    process = subprocess.Popen(
        [sys.executable, str(HELPER), str(path)],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env=env,
    )
    assert process.stdout is not None
    assert process.stdout.readline() == "READY\n"
    return process


def test_two_processes_open_a_new_file_at_once(tmp_path: Path) -> None:
    """Both openers get the store, and both hash the same user the same way (one key, not two)."""
    failures: list[str] = []
    for round_number in range(ROUNDS):
        path = tmp_path / f"round{round_number}" / "revive.sqlite3"
        openers = [start_opener(path), start_opener(path)]
        for process in openers:  # both are imported and waiting: release them together
            assert process.stdin is not None
            process.stdin.write("go\n")
            process.stdin.flush()
        results = [process.communicate(timeout=60) for process in openers]
        lines = [stdout.strip() for stdout, _ in results]
        for process, (stdout, stderr) in zip(openers, results, strict=True):
            if process.returncode != 0 or not stdout.startswith("OPENED"):
                failures.append(f"round {round_number}: exit {process.returncode}: {stdout.strip()} {stderr[-500:]}")
        if all(line.startswith("OPENED") for line in lines):
            assert lines[0] == lines[1], f"round {round_number}: two different hash keys"
    assert failures == []

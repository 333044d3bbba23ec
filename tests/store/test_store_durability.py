"""Every outcome acknowledged to a user survives the bot being killed with SIGKILL mid-burst."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from bot.store import SQLiteStore

REPO = Path(__file__).resolve().parents[2]
WRITER = Path(__file__).with_name("_burst_writer.py")

pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(not hasattr(signal, "SIGKILL"), reason="needs SIGKILL"),
]


def run_and_kill(db_path: Path, *, kill_after: int, workers: int) -> list[str]:
    """Start the writer, SIGKILL it once ``kill_after`` acks arrived, return every ack it printed."""
    env = {**os.environ, "PYTHONPATH": str(REPO)}
    proc = subprocess.Popen(
        [sys.executable, str(WRITER), str(db_path), str(workers)],
        cwd=REPO,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    acked: list[str] = []
    try:
        assert proc.stdout is not None
        deadline = time.monotonic() + 60
        first = proc.stdout.readline()
        assert first.strip() == "READY", first + (proc.stderr.read() if proc.stderr else "")
        while len(acked) < kill_after:
            assert time.monotonic() < deadline, "writer too slow"
            line = proc.stdout.readline()
            assert line, "writer exited early: " + (proc.stderr.read() if proc.stderr else "")
            acked.append(line.split()[1])
        proc.send_signal(signal.SIGKILL)
        proc.wait(timeout=30)
        # Acks already in the pipe when the kill landed were shown to users too: they count.
        acked += [line.split()[1] for line in proc.stdout.read().splitlines() if line.startswith("ACK ")]
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()
        for stream in (proc.stdout, proc.stderr):
            if stream is not None:
                stream.close()
    assert proc.returncode == -signal.SIGKILL
    return acked


async def test_sigkill_mid_burst_loses_no_acknowledged_outcome(tmp_path: Path) -> None:
    """Acknowledged presses are all in the file after a SIGKILL, and the file opens cleanly."""
    db_path = tmp_path / "burst.sqlite3"
    acked = run_and_kill(db_path, kill_after=1000, workers=6)
    assert len(acked) >= 1000
    assert len(set(acked)) == len(acked)

    async with await SQLiteStore.open(db_path) as store:
        stored = {record.answer_id for record in await store.outcome_records()}
    missing = [answer_id for answer_id in acked if answer_id not in stored]
    assert not missing, f"{len(missing)} acknowledged outcomes lost, e.g. {missing[:5]}"
    # At most one unacknowledged write per worker may have landed just before the kill.
    assert len(stored) - len(acked) <= 6


async def test_store_keeps_working_after_repeated_kills(tmp_path: Path) -> None:
    """Killing the writer twice in a row still leaves a consistent file with every ack."""
    db_path = tmp_path / "twice.sqlite3"
    first = run_and_kill(db_path, kill_after=50, workers=2)
    # The second run reuses answer ids (same workers, count from 0), so collect the union of acks.
    second = run_and_kill(db_path, kill_after=50, workers=3)
    async with await SQLiteStore.open(db_path) as store:
        stored = {record.answer_id for record in await store.outcome_records()}
    assert set(first) | set(second) <= stored

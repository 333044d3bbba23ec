"""`python -m bot stats`: what fixed what, from a real store, as text, JSON and a PNG chart."""

from __future__ import annotations

import json
import subprocess
import sys
from datetime import datetime, timedelta, timezone
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from bot.settings import Settings
from bot.stats import Stats, collect_stats, compute_stats, format_text, main_stats, plot, to_json
from bot.store import Outcome, OutcomeRecord, SQLiteStore

T0 = datetime(2026, 3, 1, 9, 0, tzinfo=timezone.utc)
PNG_MAGIC = b"\x89PNG\r\n\x1a\n"
REPO = Path(__file__).resolve().parents[2]


async def fill(store: SQLiteStore) -> None:
    """Five conversations: three fixed without a helper, one gave up, one not helpful."""
    presses = [
        # answer, platform, user, kind, symptom, family, step, action
        ("a1", "telegram", "u1", "worked", "boot_loop", "modern", 0, "force_restart"),
        ("a2", "discord", "u2", "failed", "boot_loop", "modern", 0, "force_restart"),
        ("a2", "discord", "u2", "worked", "boot_loop", "modern", 1, "recovery_update"),
        ("a3", "telegram", "u3", "failed", "boot_loop", "modern", 0, "force_restart"),
        ("a3", "telegram", "u3", "failed", "boot_loop", "modern", 1, "recovery_update"),
        ("a4", "telegram", "u4", "worked", "black_screen", "home", 0, "force_restart"),
        ("a5", "discord", "u5", "not_helpful", "no_service", "", 0, "none"),
    ]
    for minute, (answer, platform, user, kind, symptom, family, step, action) in enumerate(presses):
        await store.record_outcome(
            Outcome(answer, platform, user, kind, symptom, family, step, action),  # type: ignore[arg-type]
            at=T0 + timedelta(minutes=minute),
        )


@pytest.fixture
async def stats(store: SQLiteStore) -> Stats:
    await fill(store)
    return await collect_stats(store)


def test_counts_per_symptom_family_and_step(stats: Stats) -> None:
    """Each (symptom, family, step) row counts worked and failed presses and the fix rate."""
    rows = {(s.symptom_id, s.family, s.step, s.action): (s.worked, s.failed, s.fix_rate) for s in stats.steps}
    assert rows == {
        ("black_screen", "home", 0, "force_restart"): (1, 0, 1.0),
        ("boot_loop", "modern", 0, "force_restart"): (1, 2, pytest.approx(1 / 3)),
        ("boot_loop", "modern", 1, "recovery_update"): (1, 1, 0.5),
    }


def test_conversations_and_not_helpful(stats: Stats) -> None:
    """Conversations ending on "worked" ended without a helper; not-helpful answers are listed."""
    assert stats.presses == 7
    assert stats.conversations == 5
    assert stats.resolved_without_helper == 3
    assert stats.ended_failed == 1
    (item,) = stats.not_helpful
    assert (item.answer_id, item.platform, item.symptom_id, item.family) == ("a5", "discord", "no_service", "unknown")
    assert stats.first_at == T0
    assert stats.last_at == T0 + timedelta(minutes=6)


def test_last_press_decides_how_a_conversation_ended() -> None:
    """Order matters: failed then worked is resolved, worked then not_helpful is not."""

    def rec(answer: str, kind: str, minute: int, step: int = 0) -> OutcomeRecord:
        return OutcomeRecord(answer, "telegram", kind, "s", "modern", step, "x", T0 + timedelta(minutes=minute))  # type: ignore[arg-type]

    result = compute_stats(
        [rec("b", "not_helpful", 5, 1), rec("a", "worked", 3, 1), rec("a", "failed", 1), rec("b", "worked", 2)]
    )
    assert result.conversations == 2
    assert result.resolved_without_helper == 1
    assert len(result.not_helpful) == 1


def test_text_report(stats: Stats) -> None:
    """The text report has a table with 1-based steps, fix rates and the summary lines."""
    text = format_text(stats)
    assert "7 presses on 5 answers" in text
    assert "2026-03-01 09:00 UTC" in text
    lines = text.splitlines()
    header = next(line for line in lines if line.startswith("Symptom"))
    assert header.split() == ["Symptom", "Family", "Step", "Worked", "Failed", "Fix", "rate"]
    row = next(line for line in lines if "recovery_update" in line)
    assert row.split() == ["boot_loop", "modern", "2", "recovery_update", "1", "1", "50%"]
    assert any(line.split()[-1] == "33%" for line in lines if "force_restart" in line)
    assert "ended without a helper: 3 (60%)" in text
    assert "Marked not helpful: 1" in text
    assert "a5" in text


def test_text_report_when_empty() -> None:
    """With nothing stored, the report says so instead of printing an empty table."""
    assert "No outcomes recorded yet" in format_text(compute_stats([]))


def test_json_report(stats: Stats) -> None:
    """--json output is plain JSON with stable keys and 0-based steps."""
    data = json.loads(json.dumps(to_json(stats)))
    assert data["version"] == 1
    assert data["presses"] == 7
    assert data["conversations"] == {"total": 5, "ended_without_helper": 3, "ended_failed": 1}
    assert {
        "symptom": "boot_loop",
        "family": "modern",
        "step": 1,
        "action": "recovery_update",
        "worked": 1,
        "failed": 1,
        "fix_rate": 0.5,
    } in data["steps"]
    assert data["not_helpful"][0]["answer_id"] == "a5"
    assert data["not_helpful"][0]["at"] == (T0 + timedelta(minutes=6)).isoformat()
    assert data["first_at"] == T0.isoformat()


def test_plot_writes_a_png(stats: Stats, tmp_path: Path) -> None:
    """--plot FILE.png writes a real PNG chart."""
    out = plot(stats, tmp_path / "chart.png")
    data = out.read_bytes()
    assert data.startswith(PNG_MAGIC)
    assert len(data) > 10_000


def test_plot_with_no_data(tmp_path: Path) -> None:
    """An empty store still gives a (mostly blank) chart rather than an error."""
    data = plot(compute_stats([]), tmp_path / "empty.png").read_bytes()
    assert data.startswith(PNG_MAGIC)
    assert len(data) > 1_000


async def test_main_stats_text_and_plot(db_path: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """main_stats prints the text report and writes the chart next to it."""
    async with await SQLiteStore.open(db_path) as store:
        await fill(store)
    settings = Settings(REVIVE_DATABASE_PATH=db_path)
    chart = tmp_path / "c.png"
    assert await main_stats(settings, argv_json=False, plot_path=chart) == 0
    captured = capsys.readouterr()
    assert "ended without a helper: 3" in captured.out
    assert str(chart) in captured.err
    assert chart.read_bytes().startswith(PNG_MAGIC)


async def test_main_stats_json(db_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """main_stats --json prints only JSON on stdout."""
    async with await SQLiteStore.open(db_path) as store:
        await fill(store)
    settings = Settings(REVIVE_DATABASE_PATH=db_path)
    assert await main_stats(settings, argv_json=True, plot_path=None) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["conversations"]["ended_without_helper"] == 3


async def test_main_stats_without_a_database(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """No database yet: an empty report, a hint on stderr, and no file created."""
    path = tmp_path / "nothing-here.sqlite3"
    settings = Settings(REVIVE_DATABASE_PATH=path)
    assert await main_stats(settings, argv_json=True, plot_path=None) == 0
    captured = capsys.readouterr()
    assert json.loads(captured.out)["presses"] == 0
    assert str(path) in captured.err
    assert not path.exists()


async def test_main_stats_unwritable_chart(db_path: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """A chart path that can't be written is an error message and exit code 1."""
    settings = Settings(REVIVE_DATABASE_PATH=db_path)
    blocker = tmp_path / "file"
    blocker.write_text("x")
    assert await main_stats(settings, argv_json=False, plot_path=blocker / "c.png") == 1
    assert "can't write the chart" in capsys.readouterr().err


def test_importing_stats_does_not_import_matplotlib() -> None:
    """CLI start-up stays fast: matplotlib loads only when a chart is drawn."""
    code = "import sys, bot.stats; sys.exit('matplotlib' in sys.modules)"
    assert subprocess.run([sys.executable, "-c", code], cwd=REPO, check=False).returncode == 0


kinds = st.sampled_from(["worked", "failed", "not_helpful"])
records = st.lists(
    st.builds(
        lambda answer, kind, symptom, family, step, minute: OutcomeRecord(
            answer, "discord", kind, symptom, family, step, "act", T0 + timedelta(minutes=minute)
        ),
        st.sampled_from(["a", "b", "c", "d"]),
        kinds,
        st.sampled_from(["s1", "s2"]),
        st.sampled_from(["home", "modern", ""]),
        st.integers(0, 3),
        st.integers(0, 10_000),
    ),
    max_size=40,
)


@settings(max_examples=200, deadline=None)
@given(records)
def test_stats_add_up(items: list[OutcomeRecord]) -> None:
    """Every press is counted once, and every conversation ends one way or another."""
    result = compute_stats(items)
    assert result.presses == len(items)
    assert sum(s.tries for s in result.steps) + len(result.not_helpful) == len(items)
    assert result.conversations == len({r.answer_id for r in items})
    last_not_helpful = result.conversations - result.resolved_without_helper - result.ended_failed
    assert 0 <= last_not_helpful <= len(result.not_helpful)
    assert all(s.fix_rate is not None and 0 <= s.fix_rate <= 1 for s in result.steps)
    assert json.loads(json.dumps(to_json(result)))["presses"] == len(items)
    assert format_text(result)

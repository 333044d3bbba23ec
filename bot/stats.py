"""What fixed what: statistics over the outcomes in the store.

``python -m bot stats`` calls :func:`main_stats`, which prints

* for each symptom, model family and ladder step, how often "It worked" and
  "Didn't work" were pressed, and the fix rate;
* how many conversations (answers with at least one press) ended without a
  helper, i.e. whose last press was "It worked";
* the answers people marked as not helpful ("Not my issue").

``--json`` prints :func:`to_json` instead, and ``--plot FILE.png`` draws
:func:`plot`. matplotlib is imported only inside :func:`plot`, so importing
this module (and starting the CLI) stays fast.
"""

from __future__ import annotations

import asyncio
import json
import sys
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any, Protocol

from bot.store.base import OutcomeRecord, StoreError

if TYPE_CHECKING:
    from bot.settings import Settings

JSON_VERSION = 1
PLOT_MAX_ROWS = 60
TEXT_MAX_NOT_HELPFUL = 20
UNKNOWN_FAMILY = "unknown"


class OutcomeSource(Protocol):
    """Anything that can list stored outcomes (the SQLite store does)."""

    async def outcome_records(self) -> list[OutcomeRecord]: ...


@dataclass(frozen=True, slots=True)
class StepStats:
    """Presses on one ladder step for one symptom and model family."""

    symptom_id: str
    family: str
    step: int  # index on the ladder, 0 = first (least destructive) step
    action: str
    worked: int
    failed: int

    @property
    def tries(self) -> int:
        return self.worked + self.failed

    @property
    def fix_rate(self) -> float | None:
        """Share of "It worked" among worked + failed presses; None without any."""
        return self.worked / self.tries if self.tries else None


@dataclass(frozen=True, slots=True)
class NotHelpful:
    """An answer somebody marked as not helpful."""

    answer_id: str
    platform: str
    symptom_id: str
    family: str
    step: int
    action: str
    at: datetime


@dataclass(frozen=True, slots=True)
class Stats:
    """Everything ``python -m bot stats`` reports."""

    steps: tuple[StepStats, ...]
    presses: int
    conversations: int  # answers with at least one press
    resolved_without_helper: int  # answers whose last press was "worked"
    ended_failed: int  # answers whose last press was "failed"
    not_helpful: tuple[NotHelpful, ...]
    first_at: datetime | None
    last_at: datetime | None

    @property
    def resolved_share(self) -> float | None:
        return self.resolved_without_helper / self.conversations if self.conversations else None


def compute_stats(records: Iterable[OutcomeRecord]) -> Stats:
    """Aggregate outcome records (in any order) into :class:`Stats`."""
    ordered = sorted(records, key=lambda r: r.at)
    counts: dict[tuple[str, str, int, str], list[int]] = {}
    last_kind: dict[str, str] = {}
    not_helpful: list[NotHelpful] = []
    for record in ordered:
        family = record.family or UNKNOWN_FAMILY
        last_kind[record.answer_id] = record.kind
        if record.kind == "not_helpful":
            not_helpful.append(
                NotHelpful(
                    answer_id=record.answer_id,
                    platform=record.platform,
                    symptom_id=record.symptom_id,
                    family=family,
                    step=record.step,
                    action=record.action,
                    at=record.at,
                )
            )
            continue
        pair = counts.setdefault((record.symptom_id, family, record.step, record.action), [0, 0])
        pair[0 if record.kind == "worked" else 1] += 1
    steps = tuple(
        StepStats(symptom_id=s, family=f, step=n, action=a, worked=w, failed=x)
        for (s, f, n, a), (w, x) in sorted(counts.items())
    )
    kinds = list(last_kind.values())
    return Stats(
        steps=steps,
        presses=len(ordered),
        conversations=len(last_kind),
        resolved_without_helper=kinds.count("worked"),
        ended_failed=kinds.count("failed"),
        not_helpful=tuple(not_helpful),
        first_at=ordered[0].at if ordered else None,
        last_at=ordered[-1].at if ordered else None,
    )


async def collect_stats(store: OutcomeSource) -> Stats:
    """Read every outcome from ``store`` and aggregate it."""
    return compute_stats(await store.outcome_records())


def _percent(value: float | None) -> str:
    return "-" if value is None else f"{value * 100:.0f}%"


def _when(at: datetime | None) -> str:
    return "-" if at is None else at.strftime("%Y-%m-%d %H:%M UTC")


def _step_label(row: StepStats | NotHelpful) -> str:
    return f"{row.step + 1}" + (f" {row.action}" if row.action else "")


def format_text(stats: Stats) -> str:
    """A plain-text report for people (steps are numbered from 1, as the bot shows them)."""
    lines: list[str] = []
    if not stats.presses:
        return "No outcomes recorded yet: nobody has pressed a button on an answer.\n"
    lines.append(
        f"What fixed what: {stats.presses} presses on {stats.conversations} answers, "
        f"{_when(stats.first_at)} to {_when(stats.last_at)}"
    )
    lines.append("")
    header = ("Symptom", "Family", "Step", "Worked", "Failed", "Fix rate")
    table = [header] + [
        (s.symptom_id, s.family, _step_label(s), str(s.worked), str(s.failed), _percent(s.fix_rate))
        for s in stats.steps
    ]
    if stats.steps:
        widths = [max(len(row[i]) for row in table) for i in range(len(header))]
        for row in table:
            left = [cell.ljust(widths[i]) for i, cell in enumerate(row[:3])]
            right = [cell.rjust(max(widths[i], len(header[i]))) for i, cell in enumerate(row[3:], start=3)]
            lines.append("  ".join(left + right).rstrip())
    else:
        lines.append('No "It worked" / "Didn\'t work" presses yet.')
    lines.append("")
    lines.append(
        f"Conversations: {stats.conversations}; ended without a helper: {stats.resolved_without_helper} "
        f'({_percent(stats.resolved_share)}); ended on "Didn\'t work": {stats.ended_failed}'
    )
    lines.append(f"Marked not helpful: {len(stats.not_helpful)}")
    shown = stats.not_helpful[-TEXT_MAX_NOT_HELPFUL:]
    width = max((len(item.answer_id) for item in shown), default=0)
    if len(stats.not_helpful) > len(shown):
        lines.append(f"  (the latest {len(shown)}; --json lists all)")
    for item in shown:
        lines.append(
            f"  {item.answer_id:<{width}}  {item.platform:<8}  {_when(item.at)}  "
            f"{item.symptom_id} / {item.family}, step {_step_label(item)}"
        )
    return "\n".join(lines) + "\n"


def to_json(stats: Stats) -> dict[str, Any]:
    """A stable JSON document for scripts; ``step`` is the 0-based ladder index as stored."""
    return {
        "version": JSON_VERSION,
        "presses": stats.presses,
        "first_at": stats.first_at.isoformat() if stats.first_at else None,
        "last_at": stats.last_at.isoformat() if stats.last_at else None,
        "steps": [
            {
                "symptom": s.symptom_id,
                "family": s.family,
                "step": s.step,
                "action": s.action,
                "worked": s.worked,
                "failed": s.failed,
                "fix_rate": None if s.fix_rate is None else round(s.fix_rate, 4),
            }
            for s in stats.steps
        ],
        "conversations": {
            "total": stats.conversations,
            "ended_without_helper": stats.resolved_without_helper,
            "ended_failed": stats.ended_failed,
        },
        "not_helpful": [
            {
                "answer_id": n.answer_id,
                "platform": n.platform,
                "symptom": n.symptom_id,
                "family": n.family,
                "step": n.step,
                "action": n.action,
                "at": n.at.isoformat(),
            }
            for n in stats.not_helpful
        ],
    }


def plot(stats: Stats, path: str | Path) -> Path:
    """Draw worked/failed presses per symptom, family and step as a bar chart (PNG unless ``path`` says otherwise)."""
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure

    out = Path(path)
    busiest = set(sorted(stats.steps, key=lambda s: s.tries, reverse=True)[:PLOT_MAX_ROWS])
    # Keep the table's order (symptom, family, then the ladder); barh draws bottom-up, so reverse it.
    rows = [s for s in stats.steps if s in busiest][::-1]
    height = max(3.0, 1.6 + 0.38 * len(rows))
    fig = Figure(figsize=(10, height), dpi=100)
    FigureCanvasAgg(fig)
    ax = fig.add_subplot(1, 1, 1)
    title = "What fixed what"
    if stats.conversations:
        title += (
            f"  ({stats.conversations} conversations, {stats.resolved_without_helper} ended without a helper, "
            f"{len(stats.not_helpful)} marked not helpful)"
        )
    ax.set_title(title, fontsize=10)
    if rows:
        labels = [f"{s.symptom_id} / {s.family} / step {_step_label(s)}" for s in rows]
        positions = list(range(len(rows)))
        worked = [s.worked for s in rows]
        failed = [s.failed for s in rows]
        ax.barh(positions, worked, color="#009E73", label="It worked")
        ax.barh(positions, failed, left=worked, color="#D55E00", label="Didn't work")
        for y, s in enumerate(rows):
            ax.text(s.tries, y, f"  {_percent(s.fix_rate)}", va="center", fontsize=8)
        ax.set_yticks(positions)
        ax.set_yticklabels(labels, fontsize=8)
        ax.set_xlabel("presses")
        ax.set_xlim(0, max(s.tries for s in rows) * 1.15 + 0.5)
        ax.set_ylim(-0.7, len(rows) - 0.3)
        fig.legend(loc="lower center", ncol=2, fontsize=8, frameon=False)
        if len(stats.steps) > len(rows):
            ax.set_ylabel(f"top {len(rows)} of {len(stats.steps)} steps by presses", fontsize=8)
    else:
        ax.set_axis_off()
        ax.text(0.5, 0.5, "No outcomes recorded yet", ha="center", va="center", fontsize=14)
    fig.tight_layout(rect=(0, 0.03, 1, 1))
    fig.savefig(out)
    return out


async def main_stats(settings: Settings, argv_json: bool, plot_path: Path | None) -> int:
    """``python -m bot stats [--json] [--plot FILE.png]``: print the report; 0 on success, 1 on a store error."""
    from bot.store.sqlite import SQLiteStore

    database = settings.database_path
    if await asyncio.to_thread(database.exists):
        try:
            async with await SQLiteStore.from_settings(settings) as store:
                stats = await collect_stats(store)
        except StoreError as exc:
            sys.stderr.write(f"error: {exc}\n")
            return 1
    else:
        sys.stderr.write(f"No database at {database} yet (set REVIVE_DATABASE_PATH if it lives elsewhere).\n")
        stats = compute_stats([])
    if argv_json:
        sys.stdout.write(json.dumps(to_json(stats), indent=2) + "\n")
    else:
        sys.stdout.write(format_text(stats))
    if plot_path is not None:
        try:
            written = await asyncio.to_thread(plot, stats, plot_path)
        except (OSError, ValueError) as exc:
            sys.stderr.write(f"error: can't write the chart to {plot_path}: {exc}\n")
            return 1
        sys.stderr.write(f"Chart written to {written}\n")
    return 0

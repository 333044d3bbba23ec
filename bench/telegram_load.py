"""Telegram under load: one chat's flood wait must not hold up the others; a burst of 1,000 chats.

Run with `make bench` (or `.venv/bin/python bench/telegram_load.py`). The bot runs in a child process
(the real adapter: ``build_application`` + ``serve``, long polling, a SQLite file) against the fake Bot
API in this process, over real sockets on 127.0.0.1. Prints a Markdown table and writes
bench/telegram_load.json. Method: bench/README.md ("Telegram under load"). Nothing is asserted.

Scenarios (bounded in count and time; each stops by itself):

* ``flood``: 100 private chats, 10 updates/s in total for 30 s (300 updates). Every send to chat 1
  gets a 429 with retry_after 5. Measured: the reply latency of the other chats (update pushed ->
  the bot's first message for it accepted by the fake), p50/p99/max.
* ``burst``: 1,000 updates from 1,000 chats pushed at once. Measured: first-reply latency p50/p99,
  time until every chat had its first reply, time until every message was sent. Run twice: with
  Telegram's limits (30 messages/s overall) and with the overall limit lifted, which shows what the
  bot itself can do.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import platform
import signal
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from tests.fakes.fake_telegram import TOKEN, FakeTelegram, private_chat, user  # noqa: E402

# A mix of what users send: a command and two problems. Each reply is one message (the conversation
# views' first reply), so 10 updates/s stays within Telegram's 30 messages/s overall.
TEXTS = (
    "/help",
    "my iphone 14 pro is not charging",
    "my iphone 12 is stuck on the apple logo",
)
FLOOD_CHATS = 100
FLOOD_RATE = 10.0  # updates per second, all chats together
FLOOD_SECONDS = 30.0
FLOODED_CHAT = 1
RETRY_AFTER = 5
BURST_CHATS = 1000
QUIET_SECONDS = 2.0  # no new message for this long after the last first reply: all parts are out
RESULTS = ROOT / "bench" / "telegram_load.json"
SCRIPT = Path(__file__).resolve()


class TimedFake(FakeTelegram):
    """The fake Bot API, noting when each message was accepted (per chat, in order)."""

    def __init__(self) -> None:
        super().__init__()
        self.sent_at: dict[int, list[float]] = {}
        self.last_sent = 0.0

    async def _api_sendMessage(self, params: dict[str, Any]) -> Any:
        result = await super()._api_sendMessage(params)
        now = time.monotonic()
        self.sent_at.setdefault(int(params["chat_id"]), []).append(now)
        self.last_sent = now
        return result


@dataclass
class Figures:
    scenario: str
    updates: int
    measured: int
    p50_ms: float
    p99_ms: float
    max_ms: float
    all_first_replies_s: float | None = None
    all_messages_s: float | None = None
    messages: int = 0
    note: str = ""


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))]


def summary(scenario: str, updates: int, latencies: list[float], **extra: Any) -> Figures:
    return Figures(
        scenario=scenario,
        updates=updates,
        measured=len(latencies),
        p50_ms=round(statistics.median(latencies) * 1000, 1),
        p99_ms=round(percentile(latencies, 0.99) * 1000, 1),
        max_ms=round(max(latencies) * 1000, 1),
        **extra,
    )


def first_reply_latencies(fake: TimedFake, pushed: list[tuple[int, float]], skip: set[int]) -> list[float]:
    """Per update: time from its push to the first message the chat got after it."""
    latencies: list[float] = []
    for chat_id, at in pushed:
        if chat_id in skip:
            continue
        after = [t for t in fake.sent_at.get(chat_id, []) if t >= at]
        if after:
            latencies.append(after[0] - at)
    return latencies


async def until(predicate: Callable[[], bool], timeout: float) -> bool:
    deadline = time.monotonic() + timeout
    while not predicate():
        if time.monotonic() > deadline:
            return False
        await asyncio.sleep(0.01)
    return True


class BotProcess:
    """This script in --serve-bot mode: the real adapter in a child process, on its own SQLite file."""

    def __init__(self, fake: FakeTelegram, directory: Path, *, overall_max_rate: float) -> None:
        self.fake = fake
        self.directory = directory
        self.overall_max_rate = overall_max_rate
        self.proc: asyncio.subprocess.Process | None = None
        self.log_path = directory / "bot.log"

    async def __aenter__(self) -> BotProcess:
        env = {k: v for k, v in os.environ.items() if not k.startswith(("TELEGRAM_", "REVIVE_", "DISCORD_"))}
        env.update(
            {
                "PYTHONPATH": str(ROOT),
                "TELEGRAM_BOT_TOKEN": TOKEN,
                "TELEGRAM_API_BASE_URL": self.fake.base_url,
                "REVIVE_DATABASE_PATH": str(self.directory / "revive.sqlite3"),
                "REVIVE_USER_HASH_KEY": "bench-key",
                "REVIVE_LOG_LEVEL": "WARNING",
                "NO_PROXY": "127.0.0.1,localhost",
            }
        )
        with self.log_path.open("wb") as log_file:
            self.proc = await asyncio.create_subprocess_exec(
                sys.executable,
                str(SCRIPT),
                "--serve-bot",
                str(self.overall_max_rate),
                env=env,
                cwd=self.directory,
                stdout=asyncio.subprocess.DEVNULL,
                stderr=log_file,
            )
        if not await until(lambda: bool(self.fake.requests("getUpdates")), 60):
            raise RuntimeError(f"the bot did not start; see {self.log_path}")
        return self

    async def __aexit__(self, *exc: object) -> None:
        if self.proc is not None and self.proc.returncode is None:
            self.proc.send_signal(signal.SIGKILL)  # a flooded chat could keep a clean stop waiting for minutes
            await self.proc.wait()

    def log_lines(self, marker: str) -> int:
        return sum(marker in line for line in self.log_path.read_text(errors="replace").splitlines())


async def flood_scenario(directory: Path) -> Figures:
    fake = TimedFake()
    async with fake:
        chats = [private_chat(n, f"User{n}") for n in range(1, FLOOD_CHATS + 1)]
        fake.flood_chat(FLOODED_CHAT, times=1_000_000, retry_after=RETRY_AFTER)
        async with BotProcess(fake, directory, overall_max_rate=30) as bot:
            pushed: list[tuple[int, float]] = []
            start = time.monotonic()
            total = int(FLOOD_RATE * FLOOD_SECONDS)
            for index in range(total):
                await asyncio.sleep(max(0.0, start + index / FLOOD_RATE - time.monotonic()))
                chat = chats[index % FLOOD_CHATS]
                fake.send_text(chat, user(chat["id"]), TEXTS[index % len(TEXTS)])
                pushed.append((chat["id"], time.monotonic()))
            others = [(c, t) for c, t in pushed if c != FLOODED_CHAT]
            await until(lambda: len(first_reply_latencies(fake, others, set())) == len(others), 30)
            latencies = first_reply_latencies(fake, pushed, {FLOODED_CHAT})
            refused = sum(1 for method, text in fake.errors if method == "sendMessage" and "retry after" in text)
            gave_up = bot.log_lines("Flood control: gave up")
        return summary(
            "flood: 100 chats, 10 updates/s, chat 1 always gets 429 retry_after 5",
            total,
            latencies,
            messages=sum(len(v) for v in fake.sent_at.values()),
            note=f"chat 1: {refused} sends refused with 429, {gave_up} replies given up and logged; "
            f"{len(others) - len(latencies)} other updates unanswered",
        )


async def burst_scenario(directory: Path, *, overall_max_rate: float) -> Figures:
    fake = TimedFake()
    async with fake:
        chats = [private_chat(n, f"User{n}") for n in range(10_001, 10_001 + BURST_CHATS)]
        async with BotProcess(fake, directory, overall_max_rate=overall_max_rate):
            start = time.monotonic()
            pushed: list[tuple[int, float]] = []
            for index, chat in enumerate(chats):
                fake.send_text(chat, user(chat["id"]), TEXTS[index % len(TEXTS)])
                pushed.append((chat["id"], start))
            everyone = await until(lambda: len(fake.sent_at) == BURST_CHATS, 300)
            first_replies = time.monotonic() - start
            await until(lambda: time.monotonic() - fake.last_sent > QUIET_SECONDS, 300)
            all_messages = fake.last_sent - start
            latencies = first_reply_latencies(fake, pushed, set())
        limit = f"{overall_max_rate:g} messages/s overall" if overall_max_rate else "no overall limit"
        return summary(
            f"burst: 1,000 updates from 1,000 chats at once, {limit}",
            BURST_CHATS,
            latencies,
            all_first_replies_s=round(first_replies, 2) if everyone else None,
            all_messages_s=round(all_messages, 2),
            messages=sum(len(v) for v in fake.sent_at.values()),
        )


def table(rows: list[Figures]) -> str:
    lines = [
        "| scenario | updates | measured | p50 | p99 | max | all first replies | all messages | messages |",
        "|---|---|---|---|---|---|---|---|---|",
    ]
    for r in rows:
        lines.append(
            f"| {r.scenario} | {r.updates} | {r.measured} | {r.p50_ms} ms | {r.p99_ms} ms | {r.max_ms} ms | "
            f"{'' if r.all_first_replies_s is None else f'{r.all_first_replies_s} s'} | "
            f"{'' if r.all_messages_s is None else f'{r.all_messages_s} s'} | {r.messages} |"
        )
    notes = [f"- {r.note}" for r in rows if r.note]
    return "\n".join(lines + ([""] + notes if notes else []))


async def main() -> None:
    rows: list[Figures] = []
    load_before = os.getloadavg()[0]
    with tempfile.TemporaryDirectory(prefix="revive-tg-load-") as tmp:
        for name in ("flood", "burst-limited", "burst-unlimited"):
            directory = Path(tmp) / name
            directory.mkdir()
            print(f"running {name} ...", file=sys.stderr, flush=True)
            if name == "flood":
                rows.append(await flood_scenario(directory))
            else:
                rows.append(await burst_scenario(directory, overall_max_rate=30 if name == "burst-limited" else 0))
    print(table(rows))
    load_after = os.getloadavg()[0]
    print(f"\nload average (1 min) before and after: {load_before:.1f}, {load_after:.1f} on {os.cpu_count()} CPUs")
    RESULTS.write_text(
        json.dumps(
            {
                "python": platform.python_version(),
                "cpus": os.cpu_count(),
                "load_average_1m": [round(load_before, 1), round(load_after, 1)],
                "results": [asdict(r) for r in rows],
            },
            indent=2,
        )
        + "\n"
    )


# ----------------------------------------------------------------------------- the child process


async def serve_bot(overall_max_rate: float) -> None:
    from bot.adapters.telegram import build_application, serve
    from bot.adapters.telegram.delivery import FloodControl
    from bot.core import Triage
    from bot.log import setup_logging
    from bot.settings import Settings
    from bot.store.sqlite import SQLiteStore

    settings = Settings()
    setup_logging(settings.log_level)
    triage = Triage.from_directory()
    store = await SQLiteStore.from_settings(settings)
    stop = asyncio.Event()
    asyncio.get_running_loop().add_signal_handler(signal.SIGTERM, stop.set)
    app = build_application(settings, triage, store, rate_limiter=FloodControl(overall_max_rate=overall_max_rate))
    try:
        await serve(settings, triage, store, stop, application=app, poll_timeout=1)
    finally:
        await store.close()


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--serve-bot", type=float, metavar="OVERALL_RATE", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.serve_bot is not None:
        asyncio.run(serve_bot(args.serve_bot))
    else:
        asyncio.run(main())

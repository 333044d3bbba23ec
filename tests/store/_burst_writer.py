"""Helper for test_store_durability: record outcomes as fast as possible, acknowledging each one.

Usage: python _burst_writer.py DB_PATH [WORKERS]

Prints "READY" once the store is open, then "ACK <answer_id>" on stdout (flushed) right after each
awaited record_outcome() returns, exactly as an adapter would answer the button press. It never
stops on its own: the test kills it with SIGKILL in the middle of the burst.
"""

from __future__ import annotations

import asyncio
import sys
from pathlib import Path

from bot.store import Outcome, OutcomeKind, SQLiteStore


async def worker(store: SQLiteStore, number: int) -> None:
    count = 0
    while True:
        answer_id = f"w{number}n{count}"
        kind: OutcomeKind = "worked" if count % 3 else "failed"
        await store.record_outcome(
            Outcome(answer_id, "telegram", f"user{number}", kind, "boot_loop", "modern", count % 4, "force_restart")
        )
        sys.stdout.write(f"ACK {answer_id}\n")
        sys.stdout.flush()
        count += 1


async def main(path: Path, workers: int) -> None:
    store = await SQLiteStore.open(path)
    sys.stdout.write("READY\n")
    sys.stdout.flush()
    await asyncio.gather(*(worker(store, n) for n in range(workers)))


if __name__ == "__main__":
    asyncio.run(main(Path(sys.argv[1]), int(sys.argv[2]) if len(sys.argv) > 2 else 4))

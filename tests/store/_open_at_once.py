"""Helper for test_store_concurrency: open one database the moment stdin says go.

Usage: python _open_at_once.py DB_PATH

Prints "READY" once everything is imported, waits for a line on stdin, opens the store, writes one
row, closes it and prints "OPENED <user hash>". On a StoreError it prints "FAILED <message>" and exits 1.
"""

from __future__ import annotations

import asyncio
import sys
from pathlib import Path

from bot.store import SQLiteStore, StoreError


async def main(path: Path) -> int:
    sys.stdout.write("READY\n")
    sys.stdout.flush()
    sys.stdin.readline()
    try:
        async with await SQLiteStore.open(path) as store:
            await store.remember_model("console", "me", "iphone-12")
            user_hash = store.hash_user("console", "me")
    except StoreError as exc:
        sys.stdout.write(f"FAILED {exc}\n")
        return 1
    sys.stdout.write(f"OPENED {user_hash}\n")
    return 0


if __name__ == "__main__":
    sys.exit(asyncio.run(main(Path(sys.argv[1]))))

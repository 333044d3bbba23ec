"""/forget leaves no copy of the user's hash in the database file, its WAL or free pages."""

from __future__ import annotations

from pathlib import Path

from bot.store import Outcome, SQLiteStore
from tests.store._util import db_bytes


async def test_forget_user_leaves_no_trace_of_the_hash_on_disk(db_path: Path) -> None:
    async with await SQLiteStore.open(db_path) as store:
        gone = store.hash_user("telegram", "1001")
        kept = store.hash_user("telegram", "2002")
        for user in ("1001", "2002"):
            await store.remember_model("telegram", user, "iphone-12")
            for step in range(3):
                await store.record_outcome(
                    Outcome(f"a{user}", "telegram", user, "failed", "boot_loop", "modern", step, "force_restart")
                )
        assert gone.encode() in db_bytes(db_path)
        assert await store.forget_user("telegram", "1001") == 4
        data = db_bytes(db_path)
        assert gone.encode() not in data
        assert kept.encode() in data

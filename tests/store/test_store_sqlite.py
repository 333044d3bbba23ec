"""The SQLite store against a real file: remembered models, outcomes, /forget, chat settings, hashing."""

from __future__ import annotations

import asyncio
import sqlite3
from datetime import datetime, timedelta, timezone
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given
from hypothesis import settings as hyp_settings
from hypothesis import strategies as st
from pydantic import SecretStr

from bot.settings import Settings
from bot.store import SCHEMA_VERSION, ChatSettings, Outcome, SQLiteStore, Store, StoreError
from tests.store._util import db_bytes

RAW_USER = "731946285017364912"  # distinctive, so a stray copy in the file is easy to spot
T0 = datetime(2026, 3, 1, 12, 0, tzinfo=timezone.utc)


def outcome(
    answer_id: str = "a1",
    *,
    user: str = RAW_USER,
    platform: str = "telegram",
    kind: str = "worked",
    step: int = 0,
    symptom: str = "boot_loop",
    family: str = "modern",
    action: str = "force_restart",
) -> Outcome:
    return Outcome(answer_id, platform, user, kind, symptom, family, step, action)  # type: ignore[arg-type]


def test_sqlite_store_satisfies_the_protocol() -> None:
    """Every Store method exists on SQLiteStore as a coroutine with the same parameters."""
    import inspect

    for name, member in inspect.getmembers(Store, inspect.isfunction):
        if name.startswith("_"):
            continue
        ours = getattr(SQLiteStore, name)
        assert inspect.iscoroutinefunction(ours), name
        wanted = list(inspect.signature(member).parameters)
        assert list(inspect.signature(ours).parameters)[: len(wanted)] == wanted, name


async def test_open_creates_file_and_directory(db_path: Path) -> None:
    """Opening a path in a missing directory creates both, at the current schema, in WAL mode."""
    assert not db_path.parent.exists()
    async with await SQLiteStore.open(db_path) as store:
        assert store.path == db_path
        assert store.schema_version == SCHEMA_VERSION
    assert db_path.is_file()
    with sqlite3.connect(db_path) as raw:
        assert raw.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION
        assert raw.execute("PRAGMA journal_mode").fetchone()[0] == "wal"


async def test_remember_model_round_trip(store: SQLiteStore) -> None:
    """A remembered model comes back, a second choice replaces it, other users see nothing."""
    assert await store.remembered_model("telegram", RAW_USER) is None
    await store.remember_model("telegram", RAW_USER, "iphone-12")
    assert await store.remembered_model("telegram", RAW_USER) == "iphone-12"
    await store.remember_model("telegram", RAW_USER, "iphone-se-2")
    assert await store.remembered_model("telegram", RAW_USER) == "iphone-se-2"
    assert await store.remembered_model("telegram", "someone-else") is None


async def test_same_id_on_two_platforms_is_two_users(store: SQLiteStore) -> None:
    """A Telegram id and an equal Discord id don't share a remembered model."""
    await store.remember_model("telegram", "42", "iphone-8")
    await store.remember_model("discord", "42", "iphone-15")
    assert await store.remembered_model("telegram", "42") == "iphone-8"
    assert await store.remembered_model("discord", "42") == "iphone-15"
    assert store.hash_user("telegram", "42") != store.hash_user("discord", "42")


async def test_remembered_model_survives_reopen(db_path: Path) -> None:
    """The generated hash key is kept in the file, so a restart still finds the user."""
    async with await SQLiteStore.open(db_path) as store:
        await store.remember_model("discord", RAW_USER, "iphone-x")
        first_hash = store.hash_user("discord", RAW_USER)
    async with await SQLiteStore.open(db_path) as store:
        assert await store.remembered_model("discord", RAW_USER) == "iphone-x"
        assert store.hash_user("discord", RAW_USER) == first_hash


async def test_forget_model_only_drops_the_model(store: SQLiteStore) -> None:
    """forget_model clears the remembered model and keeps outcomes."""
    await store.remember_model("telegram", RAW_USER, "iphone-12")
    await store.record_outcome(outcome())
    assert await store.forget_model("telegram", RAW_USER) is True
    assert await store.forget_model("telegram", RAW_USER) is False
    assert await store.remembered_model("telegram", RAW_USER) is None
    assert len(await store.outcome_records()) == 1


async def test_forget_user_removes_everything_about_that_user(store: SQLiteStore) -> None:
    """/forget deletes the user's model and outcomes on that platform and nobody else's."""
    await store.remember_model("telegram", RAW_USER, "iphone-12")
    await store.record_outcome(outcome("a1", kind="failed", step=0))
    await store.record_outcome(outcome("a1", kind="worked", step=1))
    await store.remember_model("telegram", "other", "iphone-8")
    await store.record_outcome(outcome("b1", user="other"))
    await store.remember_model("discord", RAW_USER, "iphone-15")
    await store.record_outcome(outcome("c1", platform="discord"))

    assert await store.forget_user("telegram", RAW_USER) == 3
    assert await store.remembered_model("telegram", RAW_USER) is None
    assert [r.answer_id for r in await store.outcome_records()] == ["b1", "c1"]
    assert await store.remembered_model("telegram", "other") == "iphone-8"
    assert await store.remembered_model("discord", RAW_USER) == "iphone-15"
    assert await store.forget_user("telegram", RAW_USER) == 0

    assert await store.forget_user("discord", RAW_USER) == 2
    assert await store.remembered_model("discord", RAW_USER) is None


async def test_forget_user_is_durable(db_path: Path) -> None:
    """After /forget and a restart, nothing about the user is found."""
    async with await SQLiteStore.open(db_path) as store:
        await store.remember_model("telegram", RAW_USER, "iphone-12")
        await store.record_outcome(outcome())
        user_hash = store.hash_user("telegram", RAW_USER)
        await store.forget_user("telegram", RAW_USER)
    async with await SQLiteStore.open(db_path) as store:
        assert await store.remembered_model("telegram", RAW_USER) is None
        assert await store.outcome_records() == []
    with sqlite3.connect(db_path) as raw:
        for table in ("remembered_models", "outcomes"):
            count = raw.execute(f"SELECT count(*) FROM {table} WHERE user_hash = ?", (user_hash,)).fetchone()[0]
            assert count == 0


async def test_outcome_is_recorded_with_everything_but_text(store: SQLiteStore) -> None:
    """An outcome keeps answer id, platform, kind, symptom, family, step, action and time."""
    await store.record_outcome(outcome("q7", kind="failed", step=2, action="dfu_restore"), at=T0)
    (record,) = await store.outcome_records()
    assert (record.answer_id, record.platform, record.kind) == ("q7", "telegram", "failed")
    assert (record.symptom_id, record.family, record.step, record.action) == ("boot_loop", "modern", 2, "dfu_restore")
    assert record.at == T0
    assert record.at.tzinfo is not None


async def test_pressing_again_on_the_same_step_replaces_the_verdict(store: SQLiteStore) -> None:
    """A double click, or a change of mind on one step, keeps one row with the latest kind."""
    await store.record_outcome(outcome(kind="failed"), at=T0)
    await store.record_outcome(outcome(kind="worked"), at=T0 + timedelta(seconds=5))
    (record,) = await store.outcome_records()
    assert record.kind == "worked"
    assert record.at == T0 + timedelta(seconds=5)


async def test_outcome_records_are_oldest_first(store: SQLiteStore) -> None:
    """Records come back in time order, whatever order they were written in."""
    await store.record_outcome(outcome("late"), at=T0 + timedelta(hours=1))
    await store.record_outcome(outcome("early"), at=T0)
    assert [r.answer_id for r in await store.outcome_records()] == ["early", "late"]


async def test_raw_user_id_never_reaches_the_file(db_path: Path) -> None:
    """Only keyed hashes are written: the raw id is in neither the file nor its WAL."""
    async with await SQLiteStore.open(db_path) as store:
        await store.remember_model("telegram", RAW_USER, "iphone-12")
        await store.record_outcome(outcome())
        await store.record_outcome(outcome("d1", platform="discord", kind="not_helpful"))
        await store.save_chat_settings("telegram", "-100123", ChatSettings(auto_mode=True))
        assert RAW_USER.encode() not in db_bytes(db_path)
        user_hash = store.hash_user("telegram", RAW_USER)
    data = db_bytes(db_path)
    assert RAW_USER.encode() not in data
    assert user_hash.encode() in data
    assert len(user_hash) == 64


async def test_hash_is_keyed(tmp_path: Path) -> None:
    """Two databases with different keys hash the same user differently."""
    async with (
        await SQLiteStore.open(tmp_path / "a.sqlite3") as a,
        await SQLiteStore.open(tmp_path / "b.sqlite3", hash_key="another key") as b,
    ):
        assert a.hash_user("telegram", "1") != b.hash_user("telegram", "1")


async def test_explicit_key_must_stay_the_same(db_path: Path) -> None:
    """With REVIVE_USER_HASH_KEY set, the same key reopens; another key or none is a clear error."""
    async with await SQLiteStore.open(db_path, hash_key=SecretStr("k1-secret")) as store:
        await store.remember_model("telegram", RAW_USER, "iphone-12")
    async with await SQLiteStore.open(db_path, hash_key="k1-secret") as store:
        assert await store.remembered_model("telegram", RAW_USER) == "iphone-12"
    with pytest.raises(StoreError, match="REVIVE_USER_HASH_KEY differs") as info:
        await SQLiteStore.open(db_path, hash_key="k2-secret")
    assert str(db_path) in str(info.value)
    with pytest.raises(StoreError, match="not set now"):
        await SQLiteStore.open(db_path)
    assert b"k1-secret" not in db_bytes(db_path)


async def test_generated_key_then_a_different_explicit_key_is_refused(db_path: Path) -> None:
    """Setting a key later would orphan rows hashed with the generated one, so it is refused."""
    async with await SQLiteStore.open(db_path) as store:
        await store.remember_model("telegram", RAW_USER, "iphone-12")
    with pytest.raises(StoreError, match="differs"):
        await SQLiteStore.open(db_path, hash_key="new key")


async def test_chat_settings_default_and_persist(db_path: Path) -> None:
    """Unconfigured chats get the defaults; an admin's change survives a restart."""
    defaults = ChatSettings(auto_mode=False, cooldown_seconds=120)
    async with await SQLiteStore.open(db_path, chat_defaults=defaults) as store:
        assert await store.chat_settings("discord", "555") == defaults
        await store.save_chat_settings("discord", "555", ChatSettings(auto_mode=True, cooldown_seconds=30))
        await store.save_chat_settings("telegram", "-100777", ChatSettings(auto_mode=True, cooldown_seconds=0))
    async with await SQLiteStore.open(db_path) as store:
        assert await store.chat_settings("discord", "555") == ChatSettings(auto_mode=True, cooldown_seconds=30)
        assert await store.chat_settings("telegram", "-100777") == ChatSettings(auto_mode=True, cooldown_seconds=0)
        assert await store.chat_settings("telegram", "555") == ChatSettings()
        assert await store.auto_mode_chats("discord") == ["555"]
        await store.save_chat_settings("discord", "555", ChatSettings(auto_mode=False, cooldown_seconds=30))
        assert await store.auto_mode_chats("discord") == []


async def test_from_settings_uses_path_key_and_default_cooldown(tmp_path: Path) -> None:
    """from_settings opens the configured file with the configured key and cooldown."""
    settings = Settings(
        REVIVE_DATABASE_PATH=tmp_path / "s.sqlite3",
        REVIVE_USER_HASH_KEY="configured",
        REVIVE_AUTO_COOLDOWN_SECONDS=45,
    )
    async with await SQLiteStore.from_settings(settings) as store:
        assert store.path == tmp_path / "s.sqlite3"
        assert (await store.chat_settings("telegram", "1")).cooldown_seconds == 45
        expected = await SQLiteStore.open(tmp_path / "other.sqlite3", hash_key="configured")
        try:
            assert store.hash_user("telegram", "1") == expected.hash_user("telegram", "1")
        finally:
            await expected.close()


async def test_concurrent_writes_all_land(db_path: Path) -> None:
    """A burst of concurrent presses is stored completely."""
    async with await SQLiteStore.open(db_path) as store:
        await asyncio.gather(*(store.record_outcome(outcome(f"a{i}", user=str(i))) for i in range(200)))
        await asyncio.gather(*(store.remember_model("discord", str(i), "iphone-12") for i in range(50)))
    async with await SQLiteStore.open(db_path) as store:
        assert len(await store.outcome_records()) == 200
        assert await store.remembered_model("discord", "49") == "iphone-12"


@pytest.mark.parametrize(
    ("bad", "message"),
    [
        (outcome(platform="irc"), "unknown platform"),
        (outcome(kind="maybe"), "unknown outcome kind"),
        (outcome(step=-1), "step"),
    ],
)
async def test_invalid_outcomes_are_rejected(store: SQLiteStore, bad: Outcome, message: str) -> None:
    """Programming errors fail loudly before anything is written."""
    with pytest.raises(ValueError, match=message):
        await store.record_outcome(bad)
    assert await store.outcome_records() == []


async def test_naive_timestamp_is_rejected(store: SQLiteStore) -> None:
    """Times are stored in UTC, so a naive datetime is refused."""
    with pytest.raises(ValueError, match="timezone"):
        await store.record_outcome(outcome(), at=datetime(2026, 1, 1))  # noqa: DTZ001


async def test_use_after_close_is_a_store_error(db_path: Path) -> None:
    """A closed store says so instead of failing deep inside aiosqlite; closing twice is fine."""
    store = await SQLiteStore.open(db_path)
    await store.close()
    await store.close()
    assert store.closed
    with pytest.raises(StoreError, match="closed"):
        await store.remembered_model("telegram", "1")


async def test_in_memory_database_works() -> None:
    """':memory:' is accepted, for quick experiments."""
    async with await SQLiteStore.open(":memory:") as store:
        await store.remember_model("console", "me", "iphone-12")
        assert await store.remembered_model("console", "me") == "iphone-12"


def test_store_moves_between_event_loops(db_path: Path) -> None:
    """Opened in one asyncio.run, used under contention in another, closed in a third (as the CLI does)."""
    store = asyncio.run(SQLiteStore.open(db_path))

    async def burst(prefix: str) -> None:
        await asyncio.gather(*(store.record_outcome(outcome(f"{prefix}{i}", user=str(i))) for i in range(20)))

    asyncio.run(burst("x"))
    asyncio.run(burst("y"))
    asyncio.run(store.close())

    async def count() -> int:
        async with await SQLiteStore.open(db_path) as reopened:
            return len(await reopened.outcome_records())

    assert asyncio.run(count()) == 40


ids = st.text(min_size=1, max_size=40)


@hyp_settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(user=ids, model=ids, chat=ids)
def test_any_text_round_trips(tmp_path: Path, user: str, model: str, chat: str) -> None:
    """Ids and model names of any Unicode text are stored and found again; /forget finds them too."""

    async def check() -> None:
        async with await SQLiteStore.open(tmp_path / "prop.sqlite3") as store:
            await store.remember_model("telegram", user, model)
            assert await store.remembered_model("telegram", user) == model
            await store.save_chat_settings("discord", chat, ChatSettings(auto_mode=True, cooldown_seconds=7))
            assert await store.chat_settings("discord", chat) == ChatSettings(auto_mode=True, cooldown_seconds=7)
            assert await store.forget_user("telegram", user) == 1
            assert await store.remembered_model("telegram", user) is None

    asyncio.run(check())

"""The console walks the conversation by numbers: no tokens, and "7" at a model question is the iPhone 7."""

from __future__ import annotations

import io

import pytest

from bot.adapters.console import ConsoleSession
from bot.core.triage import Triage


async def run_lines(triage: Triage, *lines: str) -> tuple[ConsoleSession, list[str]]:
    """Feed lines to a console session; returns it and what was printed after each line."""
    out = io.StringIO()
    session = ConsoleSession(triage, out)
    printed: list[str] = []
    for line in lines:
        before = out.tell()
        await session.handle(line)
        printed.append(out.getvalue()[before:])
    return session, printed


@pytest.mark.parametrize(
    ("typed", "expected"), [("7", "iPhone 7:"), ("8", "iPhone 8:"), ("it's a 7 plus", "iPhone 7 Plus:")]
)
async def test_a_number_at_the_model_question_is_a_model_not_a_list_position(
    triage: Triage, typed: str, expected: str
) -> None:
    session, printed = await run_lines(triage, "my phone is stuck on the apple logo", typed)
    assert "Reply with a number or a model name:" in printed[0]
    assert printed[1].startswith(expected)
    assert session.view is not None
    assert session.view.kind == "answer"


async def test_choices_by_number_reach_the_chosen_layout(triage: Triage) -> None:
    _, printed = await run_lines(triage, "my phone is stuck on the apple logo", "2")
    assert printed[1].startswith("iPhone 7 / 7 Plus:")
    assert "Volume Down" in printed[1]


async def test_se_generation_by_number(triage: Triage) -> None:
    _, printed = await run_lines(triage, "my iphone se is stuck on the apple logo", "2")
    assert "Which iPhone SE" in printed[0]
    assert printed[1].startswith("iPhone SE (2nd generation):")
    assert "Press and hold the Home button" not in printed[1]


async def test_more_shows_the_details_of_the_last_reply(triage: Triage) -> None:
    _, printed = await run_lines(triage, "my iphone 12 is frozen on a black screen", "more")
    assert '(Type "more" for details.)' in printed[0]
    assert "If something else happens" in printed[1] or "Watch out" in printed[1]


async def test_steps_dfu_is_gated_in_the_console(triage: Triage) -> None:
    _, printed = await run_lines(triage, "/model iphone 12", "/steps dfu_mode", "1")
    assert "Stop before this step" in printed[1]
    assert "Put the iPhone into DFU mode" in printed[2]


async def test_a_number_outside_the_choices_elsewhere_is_a_new_question(triage: Triage) -> None:
    session, printed = await run_lines(triage, "my iphone 12 is frozen on a black screen", "9")
    assert session.view is not None
    assert "It worked" not in printed[1].split("\n", 1)[0]


def test_the_service_console_keeps_outcomes_in_the_settings_store(
    triage: Triage, tmp_path: object, monkeypatch: pytest.MonkeyPatch
) -> None:
    import asyncio
    from pathlib import Path

    from bot.adapters.console import run_console
    from bot.settings import Settings
    from bot.store.sqlite import SQLiteStore

    monkeypatch.chdir(str(tmp_path))  # nothing lands in the working tree, whatever the settings say
    database = Path(str(tmp_path)) / "revive.sqlite3"
    monkeypatch.setenv("REVIVE_DATABASE_PATH", str(database))
    settings = Settings.load(env_file=None)
    assert settings.database_path == database
    stdin = io.StringIO("my iphone 12 is frozen on a black screen\n1\n/quit\n")
    assert run_console(triage, stdin, io.StringIO(), settings=settings) == 0

    async def records() -> list[tuple[str, str, str]]:
        async with await SQLiteStore.from_settings(settings) as store:
            return [(r.platform, r.kind, r.action) for r in await store.outcome_records()]

    assert asyncio.run(records()) == [("console", "worked", "force_restart")]

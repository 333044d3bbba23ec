"""Golden files for the rendered text of representative answers. Regenerate with REVIVE_UPDATE_GOLDEN=1."""

from __future__ import annotations

import difflib
import os
from pathlib import Path

import pytest

from bot.core.triage import Triage
from tests.core.conftest import ask

GOLDEN = Path(__file__).parent / "golden"
CASES = {
    "boot_loop_7_plus": ("my iphone 7 plus is stuck on the apple logo", None),
    "se_needs_model": ("my iphone se keeps restarting", None),
    "pool_damage_12": ("dropped my iphone 12 in the pool and now the screen is black", None),
    "disabled_11": ("forgot my passcode, iphone 11 says iphone unavailable", None),
    "restore_error_4013_xr": ("itunes says error 4013 when i restore my iphone xr", None),
    "howto_dfu_se2": ("how do i put it into dfu mode", "iphone-se-2"),
    "off_topic": ("thanks guys it works now", None),
}


@pytest.mark.parametrize("name", sorted(CASES))
def test_rendered_text_matches_golden(triage: Triage, name: str) -> None:
    text, model_id = CASES[name]
    rendered = ask(triage, text, model_id=model_id).text + "\n"  # answer_id is not part of the text
    path = GOLDEN / f"{name}.txt"
    if os.environ.get("REVIVE_UPDATE_GOLDEN") == "1":
        GOLDEN.mkdir(exist_ok=True)
        path.write_text(rendered, encoding="utf-8")
    assert path.exists(), f"missing {path}; run with REVIVE_UPDATE_GOLDEN=1"
    expected = path.read_text(encoding="utf-8")
    if rendered != expected:
        diff = "".join(difflib.unified_diff(expected.splitlines(True), rendered.splitlines(True), str(path), "now"))
        pytest.fail(f"rendered text differs from {path} (REVIVE_UPDATE_GOLDEN=1 to accept):\n{diff}")

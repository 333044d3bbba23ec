"""Issue 9's safety review, held in place: labels, warnings, cues and backup advice the answers must carry.

Messages here are written for these tests. Each test names the fact it protects.
"""

from __future__ import annotations

import asyncio
import re

import pytest

from bot.core.answer import TriageAnswer, TriageRequest
from bot.core.render import render_text
from bot.core.triage import Triage
from bot.settings import DEFAULT_KNOWLEDGE_DIR

TRIAGE = Triage.from_directory(DEFAULT_KNOWLEDGE_DIR)


def ask(text: str, model_id: str | None = None) -> TriageAnswer:
    return asyncio.run(TRIAGE.answer(TriageRequest(text=text, model_id=model_id)))


def all_knowledge_text() -> str:
    """What the bot can say: every knowledge file but sources.yaml (its titles are copied from the fact sheet)."""
    files = [p for p in DEFAULT_KNOWLEDGE_DIR.rglob("*.yaml") if p.name != "sources.yaml"]
    return "\n".join(p.read_text(encoding="utf-8") for p in files)


def test_repair_is_labelled_as_possibly_erasing() -> None:
    step = asyncio.run(TRIAGE.step("hardware_like", "iphone-13", 1))
    assert step is not None
    assert step.action == "repair"
    assert step.risk_label == "may erase or replace the phone"
    assert "(may erase or replace the phone)" in render_text(ask("ghost touches all over the screen", "iphone-13"))


@pytest.mark.parametrize("text", ["the screen has green lines and flickers", "my phone keeps overheating"])
def test_hardware_and_overheating_answers_carry_the_backup_reminder(text: str) -> None:
    answer = ask(text, "iphone-13")
    assert answer.ladder
    assert answer.ladder[-1].action == "repair"
    assert answer.backup_reminder == TRIAGE.knowledge.risks.backup_reminder


def test_wet_phone_is_never_told_to_plug_in_for_a_backup() -> None:
    answer = ask("my phone fell in the pool and now it won't turn on", "iphone-12")
    assert answer.backup_reminder is not None
    assert "Finder" not in answer.backup_reminder
    assert "Trust" not in answer.backup_reminder
    assert "Wi-Fi" in answer.backup_reminder
    assert "keep it turned off" in answer.backup_reminder
    assert "rice" not in render_text(answer).lower()  # nothing in the fact sheet says whether rice helps


@pytest.mark.parametrize("model_id", ["iphone-original", "iphone-3g"])
def test_no_icloud_backup_offered_for_the_first_two_iphones(model_id: str) -> None:
    answer = ask("stuck on the apple logo", model_id)
    assert answer.backup_reminder is not None
    assert "iCloud" not in answer.backup_reminder
    assert "iTunes" in answer.backup_reminder


def test_family_warnings_come_before_the_steps_for_a_known_model() -> None:
    answer = ask("my iphone 8 is frozen", "iphone-8")
    step = answer.ladder[0]
    assert any("Emergency SOS" in w for w in step.warnings)
    assert any("Home button, but it is not used" in w for w in step.warnings)
    text = render_text(answer)
    assert text.index("Warning: Never hold the Side button and Volume Down") < text.index("Quickly press and release")


def test_family_warnings_are_listed_for_an_unknown_model() -> None:
    answer = ask("my iphone se is stuck on the apple logo")
    assert answer.status == "needs_model"
    warnings = answer.ladder[0].warnings
    assert any(w.startswith("Home button + Top (or Side) button: Among the iPhone SE models") for w in warnings)
    assert any(w.startswith("Volume Up, Volume Down, Side button: Never hold") for w in warnings)


def test_emergency_sos_cues_say_let_go_at_once() -> None:
    modern = TRIAGE.knowledge.families["modern"]
    cues = [c for p in modern.procedures.values() for c in p.failure_cues if "Emergency SOS" in c]
    assert len(cues) >= 3
    assert all("let go of every button at once" in c for c in cues)
    method_b = next(n for n in modern.procedures["recovery_mode"].notes if "turn it off" in n)
    assert "let go as soon as the slider appears" in method_b


@pytest.mark.parametrize("index", [1, 2, 3])
def test_worked_if_is_the_actions_result_and_the_entry_cue_sits_at_the_entry_step(index: int) -> None:
    step = asyncio.run(TRIAGE.step("boot_loop", "iphone-12", index))
    assert step is not None
    assert step.action in ("recovery_update", "recovery_restore", "dfu_restore")
    definition = TRIAGE.knowledge.actions.actions[step.action]
    assert step.expect == definition.expect
    procedure = TRIAGE.procedure("iphone-12", definition.uses_procedure or "recovery_mode")
    assert procedure is not None
    assert f"Before you go on, check: {procedure.success}" in step.instructions


def test_passcode_reset_worked_if_is_the_erased_phone() -> None:
    step = asyncio.run(TRIAGE.step("disabled", "iphone-11", 0))
    assert step is not None
    assert step.action == "passcode_reset"
    assert "asks to be set up" in step.expect


def test_update_wording_is_the_same_everywhere() -> None:
    text = all_knowledge_text()
    assert not re.search(r"Update \(keeps|Update keeps|recovery Update keep", text)
    assert TRIAGE.knowledge.actions.actions["recovery_update"].risk_label == "tries to keep your data"


def test_unverified_recovery_timeout_is_not_asserted_even_softened() -> None:
    text = all_knowledge_text()
    assert not re.search(r"(?i)- \"[^\"]*leaves? (the )?recovery (mode|screen) before", text)
    assert not re.search(r"(?i)\"[^\"]*may leave recovery mode", text)


def test_dfu_failure_cue_names_the_itunes_logo_screen() -> None:
    for family in TRIAGE.knowledge.families.values():
        cues = family.procedures["dfu_mode"].failure_cues
        assert any("iTunes logo" in cue for cue in cues), family.id


def test_camera_control_is_not_the_side_button() -> None:
    assert any(
        "Camera Control" in w and "not the Side button" in w for w in TRIAGE.knowledge.families["modern"].warnings
    )


def test_original_iphone_dfu_hold_is_in_the_step() -> None:
    steps = TRIAGE.knowledge.families["home"].procedures["dfu_mode"].steps
    assert any("about 13 seconds on the original iPhone and iPhone 3G" in step for step in steps)


@pytest.mark.parametrize(
    ("identifier", "model_id"),
    [
        ("iPhone19,2", "iphone-18-pro"),
        ("iPhone19,3", "iphone-18-pro-max"),
        ("iPhone19,7", "iphone-18-pro-max"),
        ("iPhone19,4", "iphone-fold"),
    ],
)
def test_new_identifiers_are_unverified_without_button_steps(identifier: str, model_id: str) -> None:
    model = next(m for m in TRIAGE.knowledge.models.models if identifier in m.identifiers)
    assert model.id == model_id
    assert not model.verified
    assert model.family is None
    assert TRIAGE.procedure(model_id, "force_restart") is None


def test_wet_first_iphone_gets_no_icloud_path_either() -> None:
    answer = ask("my phone fell in the pool and now it won't turn on", "iphone-original")
    assert answer.backup_reminder is not None
    assert "iCloud" not in answer.backup_reminder
    assert "keep it turned off" in answer.backup_reminder

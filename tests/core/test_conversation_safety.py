"""What a person reads, checked against ../shared/reference/iphone-facts.md: labels, warnings, gates, first steps.

Each test names the fact-sheet keys it follows. Messages are written for these tests.
"""

from __future__ import annotations

import pytest

from bot.adapters.console import render_view
from bot.core.answer import TriageRequest
from bot.core.conversation import Actor, Conversation, worth_an_unprompted_answer
from bot.core.triage import Triage
from bot.core.views import View
from tests.core.conversation_helpers import ASKER, MemoryStore, press

BOOT_LOOP_7 = "my iphone 7 keeps restarting on the apple logo"


@pytest.fixture
def conv(triage: Triage) -> Conversation:
    return Conversation(triage, MemoryStore())


async def start(conv: Conversation, text: str, actor: Actor = ASKER) -> View:
    return await conv.start(TriageRequest(text), actor)


# --- what each step does to the data (knowledge/actions.yaml risk_label) -------------------------------------------


async def test_each_rung_carries_its_risk_label_from_the_knowledge(conv: Conversation, triage: Triage) -> None:
    view = await start(conv, BOOT_LOOP_7)
    labels = []
    while view.kind in ("answer", "step", "erase_gate"):
        if view.kind == "erase_gate":
            view = await press(conv, view, "step")  # "I have a backup: continue"
            continue
        assert view.step is not None
        actions = triage.knowledge.actions.actions
        action = next(a for a in actions.values() if a.title == view.step.title)
        assert view.step.risk_label == action.risk_label
        labels.append(view.step.risk_label)
        view = await press(conv, view, "next")
    assert labels == [
        "keeps your data",
        "tries to keep your data",
        "ERASES everything on the phone",
        "ERASES everything on the phone",
    ]


async def test_the_console_shows_the_risk_label_next_to_the_step(conv: Conversation) -> None:
    text = render_view(await start(conv, BOOT_LOOP_7))
    assert "Do this now: Force restart (keeps your data)" in text


async def test_repair_is_labelled_may_erase_or_replace(conv: Conversation) -> None:
    view = await start(conv, "my iphone 13 fell in the pool and now it won't turn on")
    assert view.step is not None
    assert view.step.risk_label == "may erase or replace the phone"


# --- the buttons of each family (iphone-facts.md §1, §2.1) -----------------------------------------------------------


def _visible(view: View) -> str:
    return "\n".join(view.summary_lines())


async def test_iphone_7_gets_side_and_volume_down_and_no_modern_taps(conv: Conversation) -> None:
    view = await start(conv, BOOT_LOOP_7)  # V family: p2 c6
    assert view.step is not None
    text = " ".join(view.step.lines)
    assert "Side button and the Volume Down button at the same time" in text
    assert "Volume Up" not in text
    assert "iPhone 7" in " ".join(view.step.warnings)


@pytest.mark.parametrize("model", ["iphone 8", "iphone 8 plus", "iphone se 2nd generation", "iphone se 3rd gen"])
async def test_modern_phones_with_a_home_button_are_told_it_is_not_used(conv: Conversation, model: str) -> None:
    view = await start(conv, f"my {model} is frozen on a black screen")  # p1 p10 p62
    assert view.step is not None
    assert "Quickly press and release the Volume Up button." in view.step.lines[0]
    assert any("Home button is not used" in w for w in view.step.warnings)
    assert "let go at once" in view.risk  # p1: Side + Volume Down first is Emergency SOS


@pytest.mark.parametrize("model", ["iphone 12", "iphone 16e", "iphone xr"])
async def test_face_id_phones_get_the_sos_line_and_no_home_button_line(conv: Conversation, model: str) -> None:
    view = await start(conv, f"my {model} is stuck on the apple logo")
    assert view.step is not None
    assert "Emergency SOS" in view.risk
    assert "let go at once" in view.risk
    assert not any("Home button" in w for w in view.step.warnings)
    assert "SE" not in view.headline  # the 16e is not an SE (p6)


async def test_an_se_without_a_generation_is_asked_which_one(conv: Conversation) -> None:
    view = await start(conv, "my iphone se is stuck on the apple logo")
    assert view.kind == "ask_model"
    assert [o.label for o in view.offers] == [
        "iPhone SE (1st generation)",
        "iPhone SE (2nd generation)",
        "iPhone SE (3rd generation)",
    ]
    first = await press(conv, view, "model", label="iPhone SE (1st generation)")
    assert first.step is not None
    assert "Home button and the Top button" in first.step.lines[0]  # H family, top button (c6 p11)


async def test_the_modern_sos_line_on_a_rung_that_is_not_a_force_restart(conv: Conversation) -> None:
    view = await start(conv, "how do i put my iphone se 2nd gen into recovery mode")
    assert view.step is not None
    assert view.step.title == "Recovery mode: Update"
    assert any("Emergency SOS" in w and "let go at once" in w for w in view.step.warnings)


# --- damaged phones (iphone-facts.md §3 "Physical damage", p41 p42) ---------------------------------------------------


async def _reachable(conv: Conversation, view: View, depth: int = 4) -> list[View]:
    seen = [view]
    frontier = [view]
    for _ in range(depth):
        frontier = [await conv.press(o.token, ASKER) for v in frontier for o in v.offers]
        seen += frontier
    return seen


@pytest.mark.parametrize(
    "text",
    [
        "i dropped my iphone 12 in the sink and now it won't turn on",
        "my iphone 12 got soaked in the rain and is stuck on the apple logo",
        "the battery of my iphone 11 is swollen and pushing the screen up",
        "the side button of my iphone 13 is broken and it is frozen",
    ],
)
async def test_damaged_phones_never_reach_dfu_restore_or_a_plug_in(conv: Conversation, text: str) -> None:
    for view in await _reachable(conv, await start(conv, text)):
        assert view.kind != "erase_gate", view.kind
        assert view.step is None or view.step.data_risk != "erases"
        assert view.step is None or "DFU" not in view.step.title
        for line in view.summary_lines():
            if any(word in line.lower() for word in ("plug", "charge", "connect")):
                assert any(no in line for no in ("Do not", "Don't", "not ")), line


async def test_a_wet_phone_is_told_to_keep_it_off(conv: Conversation) -> None:
    view = await start(conv, "i dropped my iphone 12 in the sink and now it won't turn on")
    assert view.step is not None
    assert any("Power it off and keep it off" in line for line in view.step.lines)
    assert "Don't restore or DFU a damaged phone" in view.risk


async def test_a_broken_button_gets_repair_and_the_no_buttons_advice(conv: Conversation) -> None:
    """Not physical damage in the answer's flag, but the same repair-only path and its own advice."""
    view = await start(conv, "the home button on my iphone 6 is broken, how do i enter dfu")
    assert view.step is not None
    assert view.step.title.startswith("Repair"), view.step.title
    assert view.step.total == 1
    assert any("Without working buttons" in line for line in view.step.lines)


# --- the erase gate (issue 8 item 3; iphone-facts.md §3) --------------------------------------------------------------


async def test_the_gate_says_erase_no_backup_in_recovery_and_activation_lock(conv: Conversation) -> None:
    view = await press(conv, await press(conv, await start(conv, BOOT_LOOP_7), "next"), "next")
    assert view.kind == "erase_gate"
    erases, no_backup, apple_id = view.lines
    assert "erases everything" in erases  # a4
    assert "No backup can be made once the phone is in recovery or DFU mode" in no_backup  # a3 p36 p54
    assert "Apple ID" in apple_id
    assert "Activation Lock" in apple_id
    assert "newest iOS Apple signs for this model" in " ".join(view.extras)  # a2 a4


async def test_a_restore_rung_says_it_installs_the_newest_signed_ios(conv: Conversation) -> None:
    gate = await press(conv, await press(conv, await start(conv, BOOT_LOOP_7), "next"), "next")
    restore = await press(conv, gate, "step")
    assert restore.step is not None
    assert restore.step.title == "Recovery mode: Restore"
    assert "erases everything" in restore.risk
    assert "newest iOS Apple signs for this model" in restore.risk  # a2 a4


async def test_the_dfu_how_to_is_gated_and_offers_update_first_without_a_backup(conv: Conversation) -> None:
    gate = await start(conv, "how do i put my iphone se 2nd gen in dfu mode")
    assert gate.kind == "erase_gate"
    assert "DFU" in gate.notice
    assert "Update tries to keep your data, so try it first" in " ".join(gate.extras)  # a5 p16
    options = await press(conv, gate, "no_backup")
    assert options.offers[0].label == "Try Update first"
    update = await conv.press(options.offers[0].token, ASKER)
    assert update.step is not None
    assert update.step.title == "Recovery mode: Update"
    assert update.step.data_risk != "erases"


async def test_no_update_offer_once_update_was_tried(conv: Conversation) -> None:
    gate = await press(conv, await press(conv, await start(conv, BOOT_LOOP_7), "next"), "next")
    options = await press(conv, gate, "no_backup")
    assert "Try Update first" not in [o.label for o in options.offers]


async def test_no_icloud_backup_offered_for_the_original_iphone(conv: Conversation) -> None:
    gate = await press(conv, await start(conv, "my original iphone 2g is stuck on the apple logo"), "all")
    assert gate.kind == "erase_gate"
    options = await press(conv, gate, "no_backup")
    assert not any("iCloud" in line for line in options.lines)  # issue 9: no iCloud Backup on the 1st iPhone / 3G
    assert any("computer" in line for line in options.lines)


# --- forgotten passcode (iphone-facts.md §4, p8 p57 p54) ----------------------------------------------------------


async def test_forgotten_passcode_offers_the_lock_screen_erase_and_no_unsourced_waiting(conv: Conversation) -> None:
    gate = await start(conv, "forgot the passcode of my iphone 11, it says iphone unavailable")
    assert gate.kind == "erase_gate"
    step = await press(conv, gate, "step")
    assert "Erase iPhone on the lock screen" in step.notice
    assert "iOS 15.2" in step.notice
    assert "erases" in step.risk
    options = await press(conv, gate, "no_backup")
    assert not any("timer" in line or "wait" in line for line in options.lines)  # not in the fact sheet


# --- what to try before the ladder (iphone-facts.md §4 "First thing to try") ------------------------------------------


async def test_a_phone_that_wont_turn_on_is_told_to_charge_first(conv: Conversation) -> None:
    view = await start(conv, "my iphone 16e won't turn on at all")
    assert view.notice.startswith("Charge it first")  # p32 p44
    assert view.step is not None
    assert view.step.title == "Force restart"


async def test_error_4013_says_what_it_usually_means_and_to_swap_the_cable(conv: Conversation) -> None:
    view = await start(conv, "itunes gave me error 4013 restoring my iphone xr")
    assert view.diagnosis.startswith("Error 4013 usually means: the iPhone dropped off the USB connection")  # p17
    assert "cable" in view.notice
    assert view.step is not None
    assert view.step.data_risk == "none"


async def test_a_phone_in_recovery_is_not_told_to_back_up_now(conv: Conversation) -> None:
    view = await start(conv, "my iphone 12 is stuck in recovery mode with the cable and computer picture")
    assert "Back up now" not in view.backup
    assert "No backup can be made while it is in recovery or DFU mode" in view.backup  # a3 p36


# --- leaving recovery mode (iphone-facts.md §2.5: force restart, then Update) --------------------------------------


@pytest.mark.parametrize("text", ["how do i get my iphone 13 out of recovery mode", "how to exit recovery mode"])
async def test_leaving_recovery_goes_on_to_update_when_the_force_restart_fails(conv: Conversation, text: str) -> None:
    view = await start(conv, text)
    if view.kind == "ask_family":
        view = await press(conv, view, "family", label="Face ID, iPhone 8, or SE 2nd/3rd gen")
    assert "Leave recovery mode" in view.headline
    assert view.step is not None
    assert view.step.title == "Force restart"
    assert "Didn't work → next step" in [o.label for o in view.offers]
    after = await press(conv, view, "next")
    assert after.kind == "step"
    assert after.step is not None
    assert after.step.title == "Recovery mode: Update"  # p52, then a5
    assert "Leave recovery mode" in after.headline  # still what they asked about
    assert "No backup can be made while it is in recovery or DFU mode" in after.backup  # not "back up now"
    assert all(len(o.token.encode()) <= 64 for o in after.offers)


async def test_leaving_dfu_also_goes_on_to_update(conv: Conversation) -> None:
    view = await start(conv, "how do i get my iphone 11 out of dfu mode")
    assert "Leave DFU mode" in view.headline
    after = await press(conv, view, "next")
    assert after.step is not None
    assert after.step.title == "Recovery mode: Update"  # §2.4: a phone that does not boot needs reinstalling
    assert "Leave DFU mode" in after.headline


async def test_the_dfu_procedure_on_its_own_says_the_restore_erases_and_installs_the_newest_ios(
    conv: Conversation,
) -> None:
    gate = await conv.procedure("dfu_mode", ASKER, model_id="iphone-se-2")
    assert gate.kind == "erase_gate"
    view = await press(conv, gate, "procedure")
    assert view.kind == "procedure"
    assert "erases everything" in view.risk
    assert "newest iOS Apple signs for this model" in view.risk  # p16 a4 a2


async def test_a_damaged_phone_with_an_error_number_is_diagnosed_as_damaged(conv: Conversation) -> None:
    view = await start(conv, "i dropped my iphone 7 down the stairs and now itunes says error 4013")
    assert view.step is not None
    assert view.step.title.startswith("Repair")
    assert "Error 4013" not in view.diagnosis  # the damage is what it probably is (p19)


async def test_without_a_backup_a_phone_in_recovery_is_not_told_to_back_up_now(conv: Conversation) -> None:
    view = await start(conv, "my iphone 12 is stuck in recovery mode with the cable and computer picture")
    options = await press(conv, await press(conv, view, "all"), "no_backup")
    assert not any("back it up now" in line for line in options.lines)
    assert any("No backup can be made while it is in recovery or DFU mode" in line for line in options.lines)
    assert options.offers[0].label == "Try Update first"


# --- auto mode: one rule for every platform ---------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("my iphone 11 is stuck on the apple logo", True),  # confident, model named
        ("my phone is stuck on the apple logo and keeps restarting", True),  # confident, the bot asks the model
        ("my iphone started smoking while charging", True),  # danger, whatever the symptom confidence
        ("dropped my iphone 12 in the pool and now it won't turn on", True),  # damage
        ("anyone selling a used iphone 13 in berlin?", False),  # chatter
        ("thanks, it works again!", False),  # nothing to fix
    ],
)
async def test_auto_mode_rule(triage: Triage, text: str, expected: bool) -> None:
    answer = await triage.answer(TriageRequest(text))
    assert worth_an_unprompted_answer(answer, 0.6) is expected, (answer.status, answer.confidence, answer.severity)

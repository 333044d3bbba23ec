"""The conversation's rules: ladders, the erase gate on every path, who may act, write-then-confirm, handoff."""

from __future__ import annotations

from collections import deque

import pytest

from bot.core.answer import TriageRequest
from bot.core.callbacks import ButtonState, pack, unpack
from bot.core.conversation import ERASING, Actor, Conversation
from bot.core.triage import Triage
from bot.core.views import Handoff, TriedStep, View
from tests.core.conversation_helpers import ASKER, BYSTANDER, HELPER, FailingStore, MemoryStore, offer, press

BOOT_LOOP_12 = "my iphone 12 has been stuck on the apple logo since last night's update"
FORGOT_PASSCODE_11 = "i forgot the passcode of my iphone 11 and now it says iphone unavailable"
WET_13 = "my iphone 13 fell in the bath and now the screen stays black"
HOWTO_DFU_7 = "how do i put an iphone 7 into dfu mode"
NO_MODEL = "my phone keeps showing the apple logo and restarting"


@pytest.fixture
def store() -> MemoryStore:
    return MemoryStore()


@pytest.fixture
def conv(triage: Triage, store: MemoryStore) -> Conversation:
    return Conversation(triage, store)


async def start(conv: Conversation, text: str, actor: Actor = ASKER) -> View:
    return await conv.start(TriageRequest(text), actor)


# --- the first reply ---------------------------------------------------------------------------------------------


async def test_first_answer_offers_the_four_choices_and_a_helper(conv: Conversation) -> None:
    view = await start(conv, BOOT_LOOP_12)
    assert view.kind == "answer"
    assert view.headline.startswith("iPhone 12:")
    assert view.step is not None
    assert view.step.title == "Force restart"
    assert view.step.number == 1
    assert len(view.step.lines) <= 5
    assert [o.label for o in view.offers] == [
        "It worked",
        "Didn't work → next step",
        "All steps",
        "Not my model",
        "Ask a helper",
    ]
    assert view.risk
    assert view.backup
    assert all(len(o.token.encode()) <= 64 for o in view.offers)


async def test_modern_force_restart_names_emergency_sos_as_the_risk(conv: Conversation) -> None:
    view = await start(conv, BOOT_LOOP_12)
    assert "Emergency SOS" in view.risk
    assert any("Emergency SOS" in line for s in view.details for line in s.lines)  # the full warnings on demand


async def test_a_forgotten_passcode_starts_at_the_erase_gate(conv: Conversation) -> None:
    view = await start(conv, FORGOT_PASSCODE_11)
    assert view.kind == "erase_gate"
    assert len(view.lines) == 3
    assert "erases everything" in view.lines[0]
    assert "recovery or DFU" in view.lines[1]
    assert "Apple ID" in view.lines[2]
    assert [o.label for o in view.offers] == [
        "I have a backup: continue",
        "I can't back up: what are my options?",
        "Take it to repair",
    ]
    after = await press(conv, view, "step")
    assert after.kind == "step"
    assert after.step is not None
    assert after.step.erases


async def test_damaged_phone_gets_repair_only(conv: Conversation) -> None:
    view = await start(conv, WET_13)
    assert view.kind == "answer"
    assert view.step is not None
    assert view.step.title.startswith("Repair")
    assert "next" not in view.offer_verbs
    assert "not_model" not in view.offer_verbs
    assert view.severity == "danger"


async def test_without_a_model_it_asks_for_the_button_layout_first(conv: Conversation) -> None:
    view = await start(conv, NO_MODEL)
    assert view.kind == "ask_family"
    assert [o.label for o in view.offers] == [
        "Home button: iPhone 6s or older, SE 1st gen",
        "iPhone 7 / 7 Plus",
        "Face ID, iPhone 8, or SE 2nd/3rd gen",
    ]
    chosen = await press(conv, view, "family", label="iPhone 7 / 7 Plus")
    assert chosen.kind == "answer"
    assert chosen.delivery == "edit"
    assert chosen.step is not None
    assert any("Volume Down" in line for line in chosen.step.lines)


@pytest.mark.parametrize(
    ("typed", "model"),
    [("it's a 7", "iphone-7"), ("7", "iphone-7"), ("an iphone 8", "iphone-8"), ("12 pro max", "iphone-12-pro-max")],
)
async def test_a_typed_model_completes_the_question(conv: Conversation, typed: str, model: str) -> None:
    question = await start(conv, NO_MODEL)
    view = await conv.reply_text(question.context, typed, ASKER)
    assert view.kind == "answer"
    assert unpack(view.offers[0].token) is not None
    assert unpack(view.offers[0].token).model_id == model  # type: ignore[union-attr]


async def test_typed_button_layout_and_se_answers(conv: Conversation) -> None:
    question = await start(conv, NO_MODEL)
    by_layout = await conv.reply_text(question.context, "it has face id", ASKER)
    assert by_layout.kind == "answer"
    assert by_layout.headline.startswith("iPhone 8 or later")
    se = await conv.reply_text(question.context, "an se", ASKER)
    assert se.kind == "ask_model"
    assert len(se.offers) == 3
    nonsense = await conv.reply_text(question.context, "purple", ASKER)
    assert nonsense.kind == "ask_family"
    assert nonsense.notice


# --- the ladder ----------------------------------------------------------------------------------------------------


async def test_next_resumes_the_same_ladder_and_records_the_failed_rung(conv: Conversation, store: MemoryStore) -> None:
    view = await start(conv, BOOT_LOOP_12)
    second = await press(conv, view, "next")
    assert second.kind == "step"
    assert second.step is not None
    assert second.step.title == "Recovery mode: Update"
    assert second.step.number == 2
    assert [(o.kind, o.action, o.step, o.family) for o in store.outcomes] == [("failed", "force_restart", 0, "modern")]


async def test_howto_ladder_never_steps_past_its_last_rung(conv: Conversation) -> None:
    gate = await start(conv, HOWTO_DFU_7)
    assert gate.kind == "erase_gate"
    dfu = await press(conv, gate, "step")
    assert dfu.step is not None
    assert dfu.step.title == "DFU mode: Restore"
    assert dfu.step.number == dfu.step.total  # the how-to ladder ends at DFU
    after = await press(conv, dfu, "next")
    assert after.kind == "handoff"
    assert after.step is not None
    assert after.step.title.startswith("Repair")
    assert not any(o.verb == "next" for o in after.offers)


async def test_it_worked_records_the_actual_step(conv: Conversation, store: MemoryStore) -> None:
    view = await start(conv, BOOT_LOOP_12)
    second = await press(conv, view, "next")
    solved = await press(conv, second, "worked")
    assert solved.kind == "solved"
    assert solved.delivery == "edit"
    assert store.outcomes[-1].kind == "worked"
    assert store.outcomes[-1].action == "recovery_update"


async def test_it_worked_on_a_repair_only_answer_records_repair(conv: Conversation, store: MemoryStore) -> None:
    view = await start(conv, WET_13)
    await press(conv, view, "worked")
    assert [(o.action, o.symptom_id != "") for o in store.outcomes] == [("repair", True)]


async def test_outcome_family_is_unknown_without_model_or_layout(conv: Conversation, store: MemoryStore) -> None:
    state = ButtonState("worked", answer_id="abc123", symptom_id="boot_loop", ladder=("force_restart", "repair"))
    await conv.press(pack(state), ASKER)
    assert store.outcomes[-1].family == "unknown"
    question = await start(conv, NO_MODEL)
    chosen = await press(conv, question, "family", label="iPhone 7 / 7 Plus")
    await press(conv, chosen, "worked")
    assert store.outcomes[-1].family == "volume-down"


# --- the erase gate on every path ------------------------------------------------------------------------------------


async def test_gate_via_next_step(conv: Conversation) -> None:
    view = await start(conv, BOOT_LOOP_12)
    view = await press(conv, view, "next")  # recovery update: may erase, but is no erase
    assert view.kind == "step"
    gate = await press(conv, view, "next")
    assert gate.kind == "erase_gate"
    assert "Restore" in gate.notice


async def test_gate_via_all_steps(conv: Conversation) -> None:
    view = await start(conv, BOOT_LOOP_12)
    gate = await press(conv, view, "all")
    assert gate.kind == "erase_gate"
    manual = await press(conv, gate, "all")
    assert manual.kind == "all_steps"
    titles = [s.title for s in manual.details]
    assert any("DFU mode: Restore" in t for t in titles)


async def test_gate_via_steps_command_and_legacy_dfu_button(conv: Conversation) -> None:
    gate = await conv.procedure("dfu_mode", ASKER, model_id="iphone-12")
    assert gate.kind == "erase_gate"
    shown = await press(conv, gate, "procedure")
    assert shown.kind == "procedure"
    assert shown.step is not None
    assert (await conv.procedure("force_restart", ASKER, model_id="iphone-12")).kind == "procedure"
    legacy = "rv|d|abc123|boot_loop|iphone-12|0"
    assert (await conv.press(legacy, ASKER)).kind == "erase_gate"


async def test_gate_via_model_picker(conv: Conversation) -> None:
    question = await start(conv, "forgot my passcode and the phone is disabled")
    assert question.kind == "ask_family"
    gate = await press(conv, question, "family", label="Face ID, iPhone 8, or SE 2nd/3rd gen")
    assert gate.kind == "erase_gate"


async def test_cant_back_up_explains_options_and_keeps_the_target(conv: Conversation) -> None:
    view = await start(conv, FORGOT_PASSCODE_11)
    options = await press(conv, view, "no_backup")
    assert options.kind == "no_backup_options"
    assert [o.label for o in options.offers] == [
        "Erase anyway: I accept losing the data",
        "Take it to repair",
        "Ask a helper",
    ]
    erase = await press(conv, options, "step")
    assert erase.kind == "step"
    assert erase.step is not None
    assert erase.step.erases
    helper = await press(conv, options, "helper")
    assert helper.handoff is not None
    assert helper.handoff.backup == "no"


STARTS = [
    BOOT_LOOP_12,
    FORGOT_PASSCODE_11,
    WET_13,
    HOWTO_DFU_7,
    NO_MODEL,
    "iphone 7 plus swollen battery",
    "my iphone se 2 is stuck in recovery mode and itunes says error 4013",
    "how to force restart iphone x",
    "cracked my iphone 11 screen and now it's stuck on the logo",
]


async def walk(conv: Conversation, text: str, max_views: int = 400) -> list[tuple[View, bool]]:
    """Every view reachable from a first reply by pressing offers, with whether a gate was passed on the way."""
    first = await start(conv, text)
    seen: set[str] = set()
    out: list[tuple[View, bool]] = []
    queue: deque[tuple[View, bool]] = deque([(first, False)])
    while queue and len(out) < max_views:
        view, gated = queue.popleft()
        out.append((view, gated))
        for item in view.offers:
            if item.token in seen or item.verb in ("worked", "dismiss", "remember"):
                continue
            seen.add(item.token)
            queue.append((await conv.press(item.token, ASKER), gated or view.kind == "erase_gate"))
    return out


@pytest.mark.parametrize("text", STARTS)
async def test_every_path_to_an_erasing_step_passes_the_gate(conv: Conversation, text: str) -> None:
    for view, gated in await walk(conv, text):
        erasing_card = view.step is not None and view.step.erases
        erasing_manual = view.kind == "all_steps" and any("ERASES" in s.title for s in view.details)
        dfu_procedure = view.kind == "procedure" and "DFU" in view.headline
        if erasing_card or erasing_manual or dfu_procedure:
            assert gated, f"{view.kind} {view.headline} reached without the erase gate"
        for item in view.offers:
            assert len(item.token.encode()) <= 64


@pytest.mark.parametrize(
    "text", [WET_13, "iphone 7 plus swollen battery", "cracked my iphone 11 screen and now it's stuck"]
)
async def test_damaged_answers_never_reach_dfu_or_restore(conv: Conversation, text: str) -> None:
    views = await walk(conv, text)
    assert views[0][0].severity == "danger"
    for view, _ in views:
        assert view.kind != "erase_gate"
        assert view.step is None or view.step.data_risk != "erases"
        for section in view.details:
            assert "DFU mode: Restore" not in section.title
            assert "Recovery mode: Restore" not in section.title
        for item in view.offers:
            state = unpack(item.token)
            assert state is not None
            assert not set(state.ladder) & ERASING


# --- who may act -----------------------------------------------------------------------------------------------------


@pytest.mark.parametrize("verb", ["worked", "next", "not_model", "helper"])
async def test_a_bystander_changes_nothing_and_records_nothing(
    conv: Conversation, store: MemoryStore, verb: str
) -> None:
    view = await start(conv, BOOT_LOOP_12)
    result = await press(conv, view, verb, actor=BYSTANDER)  # type: ignore[arg-type]
    assert result.kind == "not_allowed"
    assert result.delivery == "private"
    assert store.outcomes == []


async def test_a_chat_helper_may_advance_and_is_recorded(conv: Conversation, store: MemoryStore) -> None:
    view = await start(conv, BOOT_LOOP_12)
    result = await press(conv, view, "next", actor=HELPER)
    assert result.kind == "step"
    assert [o.user_id for o in store.outcomes] == [HELPER.user_id]


async def test_a_bystander_may_read_all_steps_privately(conv: Conversation) -> None:
    view = await start(conv, WET_13)
    result = await press(conv, view, "all", actor=BYSTANDER)
    assert result.kind == "all_steps"
    assert result.delivery == "private"


async def test_a_bystander_cannot_answer_the_model_question(conv: Conversation) -> None:
    question = await start(conv, NO_MODEL)
    assert (await conv.reply_text(question.context, "it's a 7", BYSTANDER)).kind == "not_allowed"
    assert (await press(conv, question, "family", actor=BYSTANDER, label="iPhone 7 / 7 Plus")).kind == "not_allowed"


# --- write first, then confirm ---------------------------------------------------------------------------------------


async def test_failing_store_says_not_saved_instead_of_confirming(triage: Triage) -> None:
    conv = Conversation(triage, FailingStore())
    view = await start(conv, BOOT_LOOP_12)
    worked = await press(conv, view, "worked")
    assert worked.kind == "not_saved"
    assert not worked.saved
    assert worked.delivery == "private"
    assert "couldn't save" in worked.notice
    assert worked.offers
    assert worked.offers[0].token == offer(view, "worked").token
    dismissed = await conv.start(TriageRequest(BOOT_LOOP_12), ASKER, auto=True)
    assert (await press(conv, dismissed, "dismiss")).kind == "not_saved"


async def test_failing_store_still_gives_the_next_step_but_says_it_was_not_saved(triage: Triage) -> None:
    conv = Conversation(triage, FailingStore())
    view = await press(conv, await start(conv, BOOT_LOOP_12), "next")
    assert view.kind == "step"
    assert not view.saved
    assert any("couldn't save" in line for line in view.extras)


async def test_remember_failure_is_not_confirmed(triage: Triage) -> None:
    conv = Conversation(triage, FailingStore())
    question = await start(conv, NO_MODEL)
    picked = await conv.reply_text(question.context, "iphone 12", ASKER)
    assert (await press(conv, picked, "remember")).kind == "not_saved"


async def test_outcome_is_on_disk_before_the_confirmation(triage: Triage, tmp_path: object) -> None:
    from pathlib import Path

    from bot.store.sqlite import SQLiteStore

    async with await SQLiteStore.open(Path(str(tmp_path)) / "revive.sqlite3") as sqlite:
        conv = Conversation(triage, sqlite)
        view = await start(conv, BOOT_LOOP_12)
        solved = await press(conv, view, "worked")
        assert solved.kind == "solved"
        records = await sqlite.outcome_records()
    assert [(r.kind, r.action, r.family) for r in records] == [("worked", "force_restart", "modern")]


# --- remembered models -----------------------------------------------------------------------------------------------


async def test_remembered_model_is_used_when_the_text_names_none(conv: Conversation, store: MemoryStore) -> None:
    store.models[("telegram", ASKER.user_id)] = "iphone-7"
    view = await start(conv, NO_MODEL)
    assert view.kind == "answer"
    assert view.headline.startswith("iPhone 7:")
    named = await start(conv, BOOT_LOOP_12)
    assert named.headline.startswith("iPhone 12:")  # the text wins over the remembered model


async def test_remembered_se_generation_answers_an_se_question(conv: Conversation, store: MemoryStore) -> None:
    store.models[("telegram", ASKER.user_id)] = "iphone-se-2"
    view = await start(conv, "my iphone se keeps restarting on the logo")
    assert view.headline.startswith("iPhone SE (2nd generation)")
    store.models[("telegram", ASKER.user_id)] = "iphone-12"  # not an SE: ask which SE
    assert (await start(conv, "my iphone se keeps restarting on the logo")).kind == "ask_model"


async def test_remember_after_a_model_pick(conv: Conversation, store: MemoryStore) -> None:
    question = await start(conv, NO_MODEL)
    picked = await conv.reply_text(question.context, "iphone 12", ASKER)
    saved = await press(conv, picked, "remember")
    assert saved.kind == "info"
    assert saved.delivery == "private"
    assert store.models == {("telegram", ASKER.user_id): "iphone-12"}


# --- handoff ---------------------------------------------------------------------------------------------------------


async def test_handoff_after_the_last_software_step_is_an_exact_summary(conv: Conversation) -> None:
    view = await start(conv, "my iphone se 2 is stuck in recovery mode and itunes says error 4013")
    while view.kind != "handoff":
        if view.kind == "erase_gate":
            view = await press(conv, view, view.offers[0].verb)
        else:
            view = await press(conv, view, "next")
    assert view.handoff == Handoff(
        model="iPhone SE (2nd generation)",
        probably=view.handoff.probably if view.handoff else "",
        tried=(
            TriedStep("Force restart", "didn't work"),
            TriedStep("Recovery mode: Update", "didn't work"),
            TriedStep("Recovery mode: Restore", "didn't work"),
            TriedStep("DFU mode: Restore", "didn't work"),
        ),
        error_codes=(4013,),
        damage=False,
        backup="yes",
    )
    assert view.handoff is not None
    assert view.handoff.probably.endswith(".")  # one sentence: what it probably is (the classifier picks which)
    assert view.handoff.probably.count(". ") == 0
    assert view.handoff.lines()[2] == (
        "Tried: Force restart: didn't work; Recovery mode: Update: didn't work; "
        "Recovery mode: Restore: didn't work; DFU mode: Restore: didn't work"
    )
    assert view.offers == ()


async def test_ask_a_helper_mid_ladder(conv: Conversation) -> None:
    view = await press(conv, await start(conv, WET_13), "helper")
    assert view.kind == "handoff"
    assert view.handoff is not None
    assert view.handoff.lines() == (
        "Model: iPhone 13",
        f"Probably: {view.handoff.probably}",
        "Tried: Repair: Apple Support or an authorised repair provider: current",
        "Error codes: none mentioned",
        "Damage: yes, possible damage or a broken part",
        "Backup: not known",
    )


# --- resuming without the first answer (after a restart) -----------------------------------------------------------


async def test_a_token_resumes_in_a_fresh_process(triage: Triage, conv: Conversation) -> None:
    view = await start(conv, BOOT_LOOP_12)
    fresh = Conversation(triage, MemoryStore())  # no cached first answer
    again = await fresh.press(offer(view, "next").token, ASKER)
    assert again.kind == "step"
    assert again.step is not None
    assert again.step.title == "Recovery mode: Update"
    assert again.headline == (await conv.press(offer(view, "next").token, ASKER)).headline


async def test_junk_tokens_get_a_polite_view(conv: Conversation) -> None:
    for junk in ("", "hello", "r2zzzzzzzz|||||", "rv|w|x|y|z|99", "r2" + "x" * 200, "r2n_m0000|a|b|c|zz||"):
        assert (await conv.press(junk, ASKER)).kind == "info"


async def test_unknown_statuses_pass_through_as_info(conv: Conversation) -> None:
    view = await start(conv, "what's the weather like in paris today")
    assert view.kind == "info"
    assert view.status == "off_topic"
    assert view.headline


async def test_steps_without_a_model_asks_for_the_buttons_then_shows_the_procedure(conv: Conversation) -> None:
    question = await conv.procedure("recovery_mode", ASKER)
    assert question.kind == "ask_family"
    shown = await press(conv, question, "family", label="iPhone 7 / 7 Plus")
    assert shown.kind == "procedure"
    assert shown.step is not None
    assert any("Volume Down" in line for line in shown.step.lines)
    assert "Update" in shown.risk
    typed = await conv.reply_text(question.context, "it's an iphone 12", ASKER)
    assert typed.kind == "procedure"
    assert typed.headline.startswith("iPhone 12:")


async def test_dfu_steps_without_a_model_gate_first_then_ask(conv: Conversation) -> None:
    gate = await conv.procedure("dfu_mode", ASKER)
    assert gate.kind == "erase_gate"
    question = await press(conv, gate, "procedure")
    assert question.kind == "ask_family"
    shown = await press(conv, question, "family", label="Face ID, iPhone 8, or SE 2nd/3rd gen")
    assert shown.kind == "procedure"
    assert "DFU" in shown.headline


async def test_a_gate_as_first_reply_says_what_it_probably_is(conv: Conversation) -> None:
    gate = await start(conv, FORGOT_PASSCODE_11)
    assert gate.diagnosis
    later = await press(conv, await press(conv, await start(conv, BOOT_LOOP_12), "next"), "next")
    assert later.kind == "erase_gate"
    assert later.diagnosis == ""


async def test_details_on_demand_for_the_current_step(conv: Conversation) -> None:
    view = await start(conv, BOOT_LOOP_12)
    details = await conv.press(view.details_token, BYSTANDER)  # reading is allowed to anyone, privately
    assert details.kind == "details"
    assert details.delivery == "private"
    assert any(section.title.startswith("1. Force restart") for section in details.details)
    second = await press(conv, view, "next")
    more = await conv.press(second.details_token, ASKER)
    assert any(section.title.startswith("2. Recovery mode: Update") for section in more.details)


async def test_remember_picker_remembers_the_pressed_model(conv: Conversation, store: MemoryStore) -> None:
    picker = conv.remember_picker()
    assert "iPhone SE (2nd generation)" in [o.label for o in picker.offers]
    await press(conv, picker, "remember", label="iPhone SE (2nd generation)")
    assert store.models == {("telegram", ASKER.user_id): "iphone-se-2"}


@pytest.mark.parametrize("verb", ["w", "n", "d", "x"])
async def test_legacy_tokens_past_the_ladder_do_not_crash(conv: Conversation, verb: str) -> None:
    view = await conv.press(f"rv|{verb}|abc123|disabled|iphone-8|7", ASKER)
    assert view.kind in ("solved", "handoff", "erase_gate", "dismissed")


async def test_no_backup_options_for_a_locked_phone_do_not_say_unlock_it(conv: Conversation) -> None:
    options = await press(conv, await start(conv, FORGOT_PASSCODE_11), "no_backup")
    assert not any("unlock" in line for line in options.lines)
    assert any("can't be backed up" in line for line in options.lines)
    boot = await press(conv, await press(conv, await start(conv, BOOT_LOOP_12), "next"), "next")
    after_update = await press(conv, boot, "no_backup")
    assert not any("Update" in line for line in after_update.lines)  # Update was already tried
    assert any("unlock" in line for line in after_update.lines)


async def test_a_wet_phone_is_told_to_stay_off_not_to_back_up_by_cable(conv: Conversation) -> None:
    view = await start(conv, WET_13)
    assert view.step is not None
    assert any("Power it off" in line for line in view.step.lines)
    assert "Don't plug a wet phone" in view.backup


async def test_repair_only_symptom_starts_with_what_to_do_now(conv: Conversation) -> None:
    view = await start(conv, "my iphone 12 gets really hot and then shuts itself down")
    assert view.step is not None
    assert view.step.title.startswith("Repair")
    assert any("cool" in line for line in view.step.lines)  # the symptom's advice, not what to tell the repairer
    assert "repair" in view.backup  # a repair may erase or replace the phone


async def test_a_select_menu_value_is_the_model(conv: Conversation, store: MemoryStore) -> None:
    question = await start(conv, NO_MODEL)
    chosen = await conv.press(question.context, ASKER, value="iphone-se-3")
    assert chosen.kind == "answer"
    assert chosen.headline.startswith("iPhone SE (3rd generation)")
    assert (await conv.press(question.context, ASKER, value="not-a-model")).kind == "ask_family"
    remember = conv.remember_picker().offers[0].token
    await conv.press(remember, ASKER, value="iphone-11")
    assert store.models == {("telegram", ASKER.user_id): "iphone-11"}


async def test_a_clarifying_answer_offers_the_candidate_problems(triage: Triage, conv: Conversation) -> None:
    from dataclasses import replace as with_fields

    from bot.core.answer import SymptomMatch

    base = await triage.answer(TriageRequest("my iphone 12 is stuck on the apple logo"))
    candidates = (
        SymptomMatch("hardware_like", "A hardware fault", 0.4),
        SymptomMatch("boot_loop", "Logo loop", 0.4),
    )
    clarify = with_fields(
        base,
        status="clarify",
        headline="Which of these is closest to what you see?",
        diagnosis="I'm not sure yet.",
        symptoms=candidates,
        ladder=(),
        notes=("1. A hardware fault", "Or tell me in a few words what the screen shows."),
    )
    view = conv.first_view(clarify)
    assert view.kind == "ask_symptom"
    assert [o.verb for o in view.offers] == ["symptom", "symptom"]
    assert view.lines == ("Or tell me in a few words what the screen shows.",)  # the numbered list became offers
    chosen = await conv.press(view.offers[0].token, ASKER)
    assert chosen.kind == "answer"
    assert chosen.headline.startswith("iPhone 12: Looks like a hardware fault")
    assert "not sure" not in chosen.diagnosis
    typed = await conv.reply_text(view.context, "it shows a cable pointing at a laptop", ASKER)
    assert typed.kind in ("answer", "erase_gate", "ask_symptom")


async def test_info_answers_are_shown_whole_not_as_a_guess(conv: Conversation) -> None:
    view = await start(conv, "how do i back up my iphone before i update it")
    assert view.kind == "info"
    assert view.diagnosis == ""  # not "what it probably is": the text is the answer
    answer = await conv.triage.answer(TriageRequest("how do i back up my iphone before i update it"))
    assert view.lines[0] == answer.diagnosis


@pytest.mark.parametrize("typed", ["it has a home button", "touch id"])
async def test_a_typed_home_button_asks_again(conv: Conversation, typed: str) -> None:
    """iPhone 7, 8 and SE 2nd/3rd gen have Home buttons too: the home family's steps would be wrong for them."""
    question = await start(conv, NO_MODEL)
    again = await conv.reply_text(question.context, typed, ASKER)
    assert again.kind == "ask_family"
    assert again.notice


async def test_a_model_with_unconfirmed_buttons_offers_no_steps_to_press(conv: Conversation) -> None:
    unverified = next(m for m in conv.triage.models() if m.family is None)
    view = await conv.start(TriageRequest("it's stuck on the apple logo", model_id=unverified.id), ASKER)
    assert view.kind == "answer"
    assert [o.verb for o in view.offers] == ["not_model", "helper"]
    assert view.step is not None
    assert view.step.expect == ""


async def test_a_clarifying_question_whose_answers_share_their_steps_is_not_asked(
    triage: Triage, conv: Conversation
) -> None:
    from dataclasses import replace as with_fields

    from bot.core.answer import SymptomMatch

    base = await triage.answer(TriageRequest("my iphone 12 is stuck on the apple logo"))
    same = (SymptomMatch("boot_loop", "Logo loop", 0.5), SymptomMatch("failed_update", "Failed update", 0.4))
    clarify = with_fields(base, status="clarify", symptoms=same, ladder=(), headline="Which of these?")
    view = conv.first_view(clarify)
    assert view.kind == "answer"  # boot loop and failed update start with the same steps: no question
    assert view.headline.startswith("iPhone 12: Stuck on the Apple logo")


async def test_question_token_finds_what_a_typed_reply_answers(conv: Conversation) -> None:
    from bot.core.conversation import question_token

    question = await start(conv, NO_MODEL)
    token = question_token(o.token for o in question.offers)
    assert token is not None
    assert (await conv.reply_text(token, "it's a 7", ASKER)).headline.startswith("iPhone 7:")
    answer = await start(conv, BOOT_LOOP_12)
    assert question_token(o.token for o in answer.offers) is None
    assert question_token(["junk", "rv|w|a|b|c|0"]) is None


async def test_a_negative_error_code_gets_a_first_reply_and_buttons(conv: Conversation) -> None:
    view = await start(conv, "my iphone 12 pro: restore failed (error -1) at the end, it is in recovery mode")
    assert view.kind == "answer"
    assert view.headline.startswith("iPhone 12 Pro:")
    assert view.offers
    assert all(len(o.token.encode()) <= 64 for o in view.offers)

"""Table tests for the triage core: models, ambiguity, numbers that are not models, damage, symptoms, off-topic."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from bot.core.knowledge import load_knowledge
from bot.core.triage import Triage
from bot.settings import DEFAULT_KNOWLEDGE_DIR
from tests.core.conftest import ask

KNOWLEDGE = load_knowledge(DEFAULT_KNOWLEDGE_DIR)
MODELS = KNOWLEDGE.models.models
SE = ["iphone-se-1", "iphone-se-2", "iphone-se-3"]
ROOT = Path(__file__).resolve().parents[2]

ALIASES = [(alias, m.id) for m in MODELS for alias in m.aliases]
IDENTIFIERS = [(ident, m.id) for m in MODELS for ident in m.identifiers]
NAMES = [(m.name, m.id) for m in MODELS]


@pytest.mark.parametrize(("alias", "model_id"), ALIASES, ids=[f"{a}->{m}" for a, m in ALIASES])
def test_every_alias_names_its_model(triage: Triage, alias: str, model_id: str) -> None:
    answer = ask(triage, f"my {alias} is stuck on the apple logo since yesterday")
    assert answer.model is not None
    assert answer.model.id == model_id
    assert answer.top_symptom == "boot_loop"


@pytest.mark.parametrize(("name", "model_id"), NAMES, ids=[m for _, m in NAMES])
def test_every_model_name(triage: Triage, name: str, model_id: str) -> None:
    answer = ask(triage, f"help, my {name} won't turn on")
    assert answer.model is not None
    assert answer.model.id == model_id


@pytest.mark.parametrize(("identifier", "model_id"), IDENTIFIERS, ids=[i for i, _ in IDENTIFIERS])
def test_every_identifier(triage: Triage, identifier: str, model_id: str) -> None:
    for text in (f"Product Type: {identifier}\nstuck in recovery mode", f"device {identifier.lower()} keeps rebooting"):
        answer = ask(triage, text)
        assert answer.model is not None, text
        assert answer.model.id == model_id, text


@pytest.mark.parametrize(
    "text",
    ["my se keeps restarting", "iphone se stuck on apple logo", "se won't turn on, it's my iphone se",
     "new se is frozen", "my iphone se keeps restarting", "the se is stuck in recovery mode", "iPhone SE disabled"],
)  # fmt: skip
def test_se_alone_is_ambiguous(triage: Triage, text: str) -> None:
    answer = ask(triage, text)
    assert answer.model is None
    assert [m.id for m in answer.model_candidates] == SE
    assert answer.status == "needs_model"
    assert "Which iPhone SE" in answer.text


@pytest.mark.parametrize(
    ("text", "model_id"),
    [
        ("my iphone se from 2016 is stuck on the logo", "iphone-se-1"),
        ("iphone se first gen stuck on the logo", "iphone-se-1"),
        ("my se, the 1st gen one, won't turn on", "iphone-se-1"),
        ("iphone se 2020 keeps restarting", "iphone-se-2"),
        ("my se (2nd generation) keeps restarting", "iphone-se-2"),
        ("my iphone se, the second gen, is frozen", "iphone-se-2"),
        ("my se is the 2022 model and it keeps restarting", "iphone-se-3"),
        ("iphone se 3rd gen stuck in recovery", "iphone-se-3"),
        ("new se, the 5g one, won't turn on", "iphone-se-3"),
        ("iphone se third generation frozen", "iphone-se-3"),
        ("mi iphone se de 3ra gen no enciende", "iphone-se-3"),
        ("o iphone se de 2ª geração travou", "iphone-se-2"),
        ("iphone se, the first one, won't charge", "iphone-se-1"),
        ("айфон се 2016 не включается", "iphone-se-1"),
    ],
)
def test_se_with_year_or_generation_is_resolved(triage: Triage, text: str, model_id: str) -> None:
    answer = ask(triage, text)
    assert answer.model is not None
    assert answer.model.id == model_id


@pytest.mark.parametrize(
    "text",
    [
        "my phone is stuck on the apple logo since iOS 16",
        "error 4013 when restoring",
        "it has been stuck on the logo for 2 days",
        "updated to 15.7 and now it won't turn on",
        "iOS 16.1.2 update failed",
        "itunes error 14",
        "tried 8 times, 3 hours, still black screen",
        "error 9 and then error 4005",
        "it restarts every 7 minutes",
        "stuck at 11% on the update bar",
        "i have had it for 12 years and it keeps restarting",
        "iOS 17.0.3 and it is frozen",
    ],
)
def test_numbers_are_not_models(triage: Triage, text: str) -> None:
    answer = ask(triage, text)
    assert answer.model is None, answer.explain
    assert not answer.model_candidates


@pytest.mark.parametrize(
    ("text", "model_id"),
    [
        ("iphone 6s on iOS 15.7 says update failed", "iphone-6s"),
        ("error 4013 on my iphone 11 after 2 tries", "iphone-11"),
        ("iOS 16 on my iphone 8 plus, stuck on logo", "iphone-8-plus"),
        ("Model: iPhone12,1 iOS 17.1 stuck", "iphone-11"),
        ("iOS Device: XR\nstuck on logo", "iphone-xr"),
    ],
)
def test_models_next_to_versions_and_codes(triage: Triage, text: str, model_id: str) -> None:
    answer = ask(triage, text)
    assert answer.model is not None
    assert answer.model.id == model_id


def test_explicit_model_wins_over_the_text(triage: Triage) -> None:
    answer = ask(triage, "my iphone 7 is stuck on the apple logo", model_id="iphone-12")
    assert answer.model is not None
    assert answer.model.id == "iphone-12"
    answer = ask(triage, "my iphone se keeps restarting", model_id="iphone-se-2")
    assert answer.model is not None
    assert answer.model.id == "iphone-se-2"
    assert answer.status == "answered"
    answer = ask(triage, "stuck on logo", model_id="no-such-phone")
    assert answer.model is None


@pytest.mark.parametrize(
    ("text", "kind"),
    [
        ("dropped my iphone 12 in the pool", "liquid"),
        ("spilled coffee all over my iphone 11", "liquid"),
        ("my iphone got wet in the rain", "liquid"),
        ("mein iPhone ist ins Wasser gefallen", "liquid"),
        ("se me cayó al agua el iphone", "liquid"),
        ("手机掉水里了", "liquid"),
        ("mon iphone est tombé dans l'eau", "liquid"),
        ("уронил айфон в воду", "liquid"),
        ("cracked screen on my iphone 13", "cracked"),
        ("the screen is shattered", "cracked"),
        ("pantalla rota en mi iphone", "cracked"),
        ("dropped it on the concrete and now it won't turn on", "impact"),
        ("after i dropped it it keeps restarting", "impact"),
        ("my iphone 6 is bent", "bent"),
        ("the charging port is loose and broken", "port"),
        ("my son ran my iphone se through the clothes washer", "liquid"),
        ("i put my phone down into a mug of coffee without looking", "liquid"),
        ("the battery is swollen and the screen is lifting", "battery_swollen"),
        ("it started smoking while charging", "smoke"),
        ("il mio telefono è finito nel fiume", "liquid"),
        ("my iphone 11 hit the sidewalk and the screen is black", "impact"),
        ("my jacket went thru the laundry with the iphone in the pocket", "liquid"),
        ("rain leaked onto my iphone 14 through the car window and now it's frozen", "liquid"),
        ("he hurled it against the wall and it won't turn on", "impact"),
        ("got hit by a bus with my phone in hand, it's stuck on the logo", "impact"),
        ("a bateria inchou e a tela está levantando", "battery_swollen"),
    ],
)
def test_damage_kinds(triage: Triage, text: str, kind: str) -> None:
    answer = ask(triage, text)
    assert answer.damage, answer.explain
    assert kind in answer.damage_kinds
    assert answer.first_action == "repair"
    assert all(step.action not in ("dfu_restore", "recovery_restore") for step in answer.ladder)


@pytest.mark.parametrize(
    "text",
    [
        "home button is broken",
        "the home button on my iphone 6 is broken, how do i enter dfu",
        "my power button is stuck and the iphone 11 is frozen",
        "volume buttons fell off my iphone 8",
        "iphone 6 home button is loose and broken, stuck on apple logo",
        "iphone 6 home button is broken since yesterday, updating fails with 4013",
    ],
)
def test_a_broken_button_goes_to_repair_without_counting_as_damage(triage: Triage, text: str) -> None:
    """labelling.md counts a failing part as hardware_like, not damage; the button steps still need the buttons."""
    answer = ask(triage, text)
    assert "button" in answer.damage_kinds
    assert not answer.damage
    assert [step.action for step in answer.ladder] == ["repair"]
    assert answer.diagnosis.startswith("This sounds like a broken button: a part to repair"), answer.diagnosis
    assert "physically damaged" not in answer.diagnosis


@pytest.mark.parametrize(
    ("text", "said"),
    [
        ("my iphone 13 battery is swollen and the screen is lifting", "This sounds like a swollen battery."),
        ("dropped my iphone 11 in the sink and now it won't charge", "This sounds like liquid damage."),
        ("the charging port of my iphone 8 is broken and loose", "This sounds like a broken charging port."),
    ],
)
def test_damage_reads_as_a_sentence(triage: Triage, text: str, said: str) -> None:
    assert ask(triage, text).diagnosis.startswith(said)


@pytest.mark.parametrize(
    "text",
    [
        "the home button is broken after the jailbreak on my iphone 7",
        "my side button is broken since the ios 17 update, iphone 12",
    ],
)
def test_a_button_broken_by_software_is_not_a_broken_part(triage: Triage, text: str) -> None:
    assert "button" not in ask(triage, text).damage_kinds


@pytest.mark.parametrize(
    "text",
    [
        "iphone 11 side button works fine, phone is stuck on apple logo",
        "iphone 8 home button still works, screen stuck",
    ],
)
def test_a_working_button_is_not_broken(triage: Triage, text: str) -> None:
    assert "button" not in ask(triage, text).damage_kinds


def test_a_damaged_phone_asking_for_dfu_gets_no_dfu_steps(triage: Triage) -> None:
    answer = ask(triage, "iphone 12 fell in the pool, how do i put it in dfu mode")
    assert answer.damage
    assert answer.procedures == ()
    assert [step.action for step in answer.ladder] == ["repair"]


@pytest.mark.parametrize(
    "text",
    [
        "my iphone 11 is stuck on the apple logo, not water damaged",
        "it never got wet and it was never dropped, but it won't turn on",
        "screen isn't cracked, it's just frozen",
        "no water damage, stuck in recovery mode",
        "it wasn't dropped, it just died",
        "i put my iphone 12 into the cup holder and now it won't charge",
        "no cracks, no dents, keeps restarting",
        "iPhone ist nicht ins Wasser gefallen, hängt am Apfel",
        "nunca se mojó pero no enciende",
    ],
)
def test_negated_damage_is_not_damage(triage: Triage, text: str) -> None:
    answer = ask(triage, text)
    assert not answer.damage, answer.explain


@pytest.mark.parametrize(
    "text",
    [
        "when does the new jailbreak come out",
        "anyone selling a 13 mini?",
        "did you try holding volume down longer? that fixed mine",
        "should i buy the 15 or the 16",
        "good morning",
        "",
        "   ",
        "lol",
        "which case should i get for my iphone 15",
    ],
)
def test_off_topic(triage: Triage, text: str) -> None:
    answer = ask(triage, text)
    assert answer.status == "off_topic", answer.explain
    assert not answer.ladder
    assert answer.first_action == "none"


SYMPTOM_PHRASES: dict[str, list[str]] = {
    "unresponsive": [
        "my iphone 12 won't turn on", "black screen, nothing happens", "it's completely dead, no signs of life",
        "the phone is frozen and doesn't respond", "screen stays black when i press the button",
        "it died and won't come back on", "iphone doesnt power on at all", "mi iphone no enciende",
        "mon iphone ne s'allume plus", "айфон не включается",
    ],
    "boot_loop": [
        "stuck on the apple logo", "it keeps restarting", "boot loop after a tweak", "won't get past the logo",
        "shows the apple logo then goes black, over and over", "restarts by itself every few minutes",
        "respring loop after installing tweaks", "se queda en la manzana", "startet ständig neu",
        "卡在白苹果",
    ],
    "firmware_corrupt": [
        "the firmware is corrupted", "ios got corrupted", "there is a problem with the iphone that requires it to "
        "be updated or restored", "my software is damaged", "the system is corrupt", "bricked it with an unsigned ipsw",
        "no os installed on the phone", "nand is corrupted",
    ],
    "failed_update": [
        "the update failed", "update interrupted halfway", "stuck on preparing update", "software update failed",
        "unable to install update", "it died during the update", "botched ios update", "la actualización falló",
        "stuck on verifying update",
    ],
    "hardware_like": [
        "ghost touch, it types by itself", "green line on the screen", "battery drains fast and says service",
        "face id not working", "randomly shuts down at 30%", "the touch screen is not responding to touch",
        "it rings but the screen is black", "no service, baseband gone", "speaker not working",
    ],
    "stuck_recovery": [
        "stuck in recovery mode", "shows the cable and computer", "support.apple.com/iphone/restore on the screen",
        "connect to itunes screen", "it keeps going back to recovery", "recovery loop", "stuck in dfu mode",
        "modo de recuperación y no sale", "shows a laptop and a cable",
    ],
    "disabled": [
        "forgot my passcode", "iphone unavailable", "iphone is disabled connect to itunes",
        "security lockout", "try again in 15 minutes", "too many failed attempts", "can't remember my pin",
        "locked out of my iphone", "olvidé mi código", "how do i fix a disabled iphone",
    ],
    "restore_error": [
        "error 4013", "itunes error 9", "the iphone could not be restored", "an unknown error occurred (4000)",
        "restore failed", "unable to restore", "futurerestore error: unable to connect to device", "fehler 4013",
        "error code 14 while restoring",
    ],
    "howto": [
        "how do i enter dfu mode", "how to force restart", "how do you put it in recovery mode",
        "what are the buttons for dfu", "dfu mode steps please", "how to hard reset", "how do i exit recovery mode",
        "what is the force restart combo", "cómo entro en modo dfu",
    ],
    "overheating": [
        "it overheats", "temperature warning", "iphone needs to cool down", "gets really hot when charging",
        "it is too hot to hold", "overheating since the update", "se calienta mucho", "wird heiß beim laden",
    ],
    "activation_lock": [
        "activation lock", "icloud locked", "asks for the previous owner's apple id", "locked to owner",
        "asks for someone else's apple id after reset", "bypass icloud",
        "forgot my apple id and it's activation locked",
        "iphone bloqueado por icloud",
    ],
}  # fmt: skip
SYMPTOM_CASES = [(symptom, text) for symptom, texts in SYMPTOM_PHRASES.items() for text in texts]


def test_every_symptom_has_eight_phrasings() -> None:
    ids = {s.id for s in KNOWLEDGE.symptoms.symptoms}
    assert set(SYMPTOM_PHRASES) == ids
    assert all(len(texts) >= 8 for texts in SYMPTOM_PHRASES.values())


@pytest.mark.parametrize(("symptom", "text"), SYMPTOM_CASES, ids=[f"{s}:{t[:30]}" for s, t in SYMPTOM_CASES])
def test_symptom_phrasings(triage: Triage, symptom: str, text: str) -> None:
    answer = ask(triage, f"my iphone 12: {text}")
    assert answer.top_symptom == symptom, answer.explain


# A disabled button, feature or setting is not the lock screen (whose only fix erases the phone).
NOT_LOCKED = [
    "the home button is disabled inside one app",
    "touch id is disabled after i changed the passcode",
    "face id is disabled, it says try again later",
    "the camera is disabled by a profile",
    "wifi is disabled and the toggle is grey",
    "my work app is disabled until i update it",
    "notifications are disabled",
    "location services disabled, how to fix",
    "imessage disabled",
]

# A forgotten Apple ID or iCloud password is not a locked phone: erasing it would leave it at Activation Lock.
APPLE_ID_PASSWORD = [
    "ho dimenticato la password dell'id apple",
    "j'ai oublié mon mot de passe icloud",
    "passwort vergessen für apple id",
    "olvidé la contraseña de icloud",
]


@pytest.mark.parametrize("text", APPLE_ID_PASSWORD)
def test_a_forgotten_apple_id_password_is_not_a_forgotten_passcode(triage: Triage, text: str) -> None:
    evidence = triage.matcher.analyse(f"my iphone 12: {text}").symptoms
    assert "disabled" not in {e.id for e in evidence}


FORGOT_PASSCODE_WORLD = [
    "me olvide la clave del iphone",
    "oublié mon code, il est bloqué",
    "pin vergessen, was tun",
    "esqueci o código do meu iphone",
    "ho dimenticato la password di sblocco",
    "toegangscode vergeten",
    "zapomniałam hasła do telefonu",
    "забыл код от iphone",
    "iphone 암호를 잊어버림",
]


@pytest.mark.parametrize("text", FORGOT_PASSCODE_WORLD)
def test_a_forgotten_passcode_in_other_languages(triage: Triage, text: str) -> None:
    evidence = triage.matcher.analyse(text).symptoms
    assert "disabled" in {e.id for e in evidence}


@pytest.mark.parametrize("text", NOT_LOCKED)
def test_a_disabled_part_is_not_a_disabled_phone(triage: Triage, text: str) -> None:
    evidence = triage.matcher.analyse(f"my iphone 12: {text}").symptoms
    assert "disabled" not in {e.id for e in evidence}


# --- the done-when cases ---------------------------------------------------------------------------------


def _cli_json(text: str) -> dict[str, object]:
    result = subprocess.run(
        [sys.executable, "-m", "bot", "triage", "--json", text], cwd=ROOT, capture_output=True, text=True, timeout=60
    )
    assert result.returncode == 0, result.stderr
    data: dict[str, object] = json.loads(result.stdout)
    return data


def test_done_when_7_plus_apple_logo(triage: Triage) -> None:
    data = _cli_json("my iphone 7 plus is stuck on the apple logo")
    assert data["model"] == {"id": "iphone-7-plus", "name": "iPhone 7 Plus", "family": "volume-down"}
    assert data["symptoms"][0] == "boot_loop"  # type: ignore[index]
    assert data["first_action"] == "force_restart"
    answer = ask(triage, "my iphone 7 plus is stuck on the apple logo")
    first = " ".join(answer.ladder[0].instructions)
    assert "Side" in first
    assert "Volume Down" in first
    assert answer.backup_reminder
    assert answer.backup_reminder in str(data["text"])


def test_done_when_se_keeps_restarting() -> None:
    data = _cli_json("my iphone se keeps restarting")
    assert data["model"] is None
    assert [m["id"] for m in data["model_candidates"]] == SE  # type: ignore[attr-defined, index]
    assert data["status"] == "needs_model"


def test_done_when_12_in_the_pool() -> None:
    data = _cli_json("dropped my iphone 12 in the pool and now the screen is black")
    assert data["damage"] is True
    assert data["first_action"] == "repair"
    assert data["severity"] == "danger"
    assert all(step["action"] != "dfu_restore" for step in data["ladder"])  # type: ignore[attr-defined]


# --- family-specific steps -------------------------------------------------------------------------------------------


@pytest.mark.parametrize("model_id", ["iphone-se-2", "iphone-se-3", "iphone-16e"])
def test_modern_home_button_lookalikes_never_mention_home(triage: Triage, model_id: str) -> None:
    for text in ("stuck on the apple logo", "how do i enter dfu mode", "how do i enter recovery mode", "won't turn on"):
        answer = ask(triage, text, model_id=model_id)
        steps = " ".join(line for step in answer.ladder for line in step.instructions if "If instead" not in line)
        steps += " ".join(line for proc in answer.procedures for line in proc.steps)
        assert "Home button" not in steps, text


def test_iphone_8_never_gets_the_iphone_7_combo(triage: Triage) -> None:
    answer = ask(triage, "my iphone 8 is stuck on the apple logo")
    told = [line for line in answer.ladder[0].instructions if not line.startswith("If instead")]
    assert not any("Side and Volume Down" in line for line in told)
    assert any("Volume Up" in line for line in told)


def test_iphone_7_gets_volume_down(triage: Triage) -> None:
    answer = ask(triage, "my iphone 7 is stuck on the apple logo")
    assert "Volume Down" in " ".join(answer.ladder[0].instructions)
    assert "Home" not in " ".join(line for line in answer.ladder[0].instructions if "If instead" not in line)


# A lock screen the writer says a restart clears is not a real lockout: the restart comes before the erase.
RESTART_CLEARS = [
    "my iphone 12 says iphone is disabled after a tweak, but after i reboot it i can use it without a problem",
    "iphone 8 shows iphone unavailable sometimes, it works fine after a hard reset",
    "the iphone 11 lock screen says disabled, after a restart it works normally again",
]
RESTART_DOES_NOT_CLEAR = [
    "my iphone 12 is disabled, after a restart nothing works, it still says disabled",
    "iphone 12 is disabled, i forgot my passcode",
]


@pytest.mark.parametrize("text", RESTART_CLEARS)
def test_a_lockout_a_restart_clears_starts_with_the_restart(triage: Triage, text: str) -> None:
    answer = ask(triage, text)
    assert answer.top_symptom == "disabled", answer.explain
    assert [step.action for step in answer.ladder] == ["force_restart", "passcode_reset", "repair"]


@pytest.mark.parametrize("text", RESTART_DOES_NOT_CLEAR)
def test_a_lockout_a_restart_does_not_clear_starts_with_the_passcode_reset(triage: Triage, text: str) -> None:
    answer = ask(triage, text)
    assert [step.action for step in answer.ladder][:1] == ["passcode_reset"], answer.explain

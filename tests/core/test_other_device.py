"""Another device named and no iPhone: the bot says it only knows iPhones and gives no steps, whatever the
classifier thinks; an iPhone named anywhere, or a model picked with a button, keeps the iPhone answer."""

from __future__ import annotations

import asyncio

import pytest
import yaml

from bot.core.answer import TriageRequest
from bot.core.nlu_decide import names_only_another_device
from bot.core.triage import Triage
from tests.core.conftest import ask

ANOTHER_DEVICE = [
    "my ipad air is stuck on the apple logo and keeps restarting",
    "ipad 9th gen wont turn on after the update, black screen",
    "galaxy s21 bootloop after i flashed magisk",
    "my ipod touch is frozen on the connect to itunes screen",
    "apple tv stuck on the white apple, tried unplugging",
    "pixel 7 stuck in recovery mode, any ideas",
    "mi ipad no enciende, se queda en la manzana",
    "我的华为手机一直重启",
    "my xperia z3 keeps rebooting every few minutes",
    "htc one m8 stuck on the white boot screen",
    "samsung tablet will not charge anymore",
    "macbook pro stuck on the apple logo after the sonoma update",
    "mi macbook air se queda en la manzana al arrancar",
    "아이패드가 업데이트 후에 안 켜져요",
    "планшет не включается после обновления",
    "一加手机充电很慢",
]
IPHONE_AFTER_ALL = [
    "my iphone 12 is stuck on the apple logo, my ipad is fine",
    "phone stuck on the apple logo, i tried restoring it from my macbook but itunes gives error 4013",
    "switched from android to an iphone 13 and now it's stuck in a boot loop",
    "restoring my phone on my macbook gives error 9 every time",
    "stuck in recovery, tried to restore with finder on macos catalina, the device is not found",
]


# The rule never fires when an iPhone is named; the classifier still reads who the subject is.
ALSO_AN_IPHONE = [
    *IPHONE_AFTER_ALL,
    "iphone won't turn on, can i restore it using my ipad?",
    "mi iPhone7が起動しない",
    "아이폰 12가 사과 로고에서 멈췄어요, 아이패드는 괜찮아요",
]


@pytest.mark.parametrize("text", ALSO_AN_IPHONE)
def test_the_rule_never_fires_when_an_iphone_is_named(text: str) -> None:
    assert not names_only_another_device(text.casefold())


@pytest.mark.parametrize("text", ANOTHER_DEVICE)
def test_another_device_gets_no_iphone_steps(triage: Triage, text: str) -> None:
    answer = ask(triage, text)
    assert answer.status == "other_device", text
    assert answer.ladder == ()
    assert answer.first_action == "none"
    assert "only know iPhones" in answer.headline


@pytest.mark.parametrize("text", IPHONE_AFTER_ALL)
def test_an_iphone_named_keeps_the_iphone_answer(triage: Triage, text: str) -> None:
    assert ask(triage, text).status != "other_device", text


def test_the_written_other_device_examples_are_caught_except_computers(triage: Triage) -> None:
    """knowledge/examples/other_device.yaml; a Mac is left out on purpose: people restore iPhones with one."""
    from tools.train_classifier import EXAMPLES_DIR

    examples = yaml.safe_load((EXAMPLES_DIR / "other_device.yaml").read_text(encoding="utf-8"))["examples"]
    missed = [text for text in examples if not names_only_another_device(triage.matcher.analyse(text).normalized)]
    assert all("mac" in text.casefold() for text in missed), missed
    assert len(missed) <= 2


def test_a_wet_ipad_still_hears_about_repair(triage: Triage) -> None:
    answer = ask(triage, "my ipad fell in the pool and now it won't turn on")
    assert answer.status == "other_device"
    assert answer.damage
    assert answer.severity == "danger"
    assert any("repair" in note for note in answer.notes)
    assert answer.ladder == ()


def test_a_model_picked_with_a_button_wins(triage: Triage) -> None:
    request = TriageRequest(text="my ipad is stuck on the apple logo", model_id="iphone-12")
    answer = asyncio.run(triage.answer(request))
    assert answer.status != "other_device"
    assert answer.model is not None
    assert answer.model.id == "iphone-12"


# An iPhone named in passing while another device has the trouble: no iPhone steps either (round 14).
ANOTHER_DEVICE_IN_TROUBLE = [
    "tengo un iphone 11 y un galaxy s22, el galaxy no enciende desde ayer",
    "i have an iphone 14 and a pixel 8, the pixel 8 is stuck in a boot loop",
    "mon iphone 12 va bien, c'est ma tablette samsung qui est bloquée",
]
# ... but not when the iPhone has it, or weighs as much
IPHONE_IN_TROUBLE_BESIDE_ANOTHER = [
    "my samsung died so i bought an iphone 13 which is now stuck on the logo",
    "my iphone 12 is frozen, my samsung works fine",
]


@pytest.mark.parametrize("text", ANOTHER_DEVICE_IN_TROUBLE)
def test_another_device_in_trouble_beside_an_iphone_gets_no_iphone_steps(triage: Triage, text: str) -> None:
    answer = ask(triage, text)
    assert answer.status == "other_device", text
    assert answer.model is None
    assert answer.ladder == ()


@pytest.mark.parametrize("text", IPHONE_IN_TROUBLE_BESIDE_ANOTHER)
def test_an_iphone_in_trouble_beside_another_device_keeps_its_answer(triage: Triage, text: str) -> None:
    answer = ask(triage, text)
    assert answer.status != "other_device", text
    assert answer.model is not None

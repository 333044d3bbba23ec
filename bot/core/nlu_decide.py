"""From class probabilities to what kind of answer a message gets: ask rather than guess.

Like Rasa's FallbackClassifier: when the best fault symptom is below ``FALLBACK_THRESHOLD``, or the runner-up is
within ``AMBIGUITY_THRESHOLD`` of it, the bot asks which of the candidates is closest (status ``clarify``)
instead of answering for one of them, or saying nothing. A non-fault class wins when it is the best class and
it, or the non-fault classes together, reach ``NON_FAULT_THRESHOLD``; reported damage is never held back.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from bot.core.classifier import NON_FAULT, Prediction
from bot.core.model_reader import ANOTHER_DEVICE

FALLBACK_THRESHOLD = 0.40
# A symptom whose ladder starts by erasing (a forgotten passcode) is answered only from this probability on:
# one wrong erase costs more than one extra question.
ERASING_THRESHOLD = 0.75
AMBIGUITY_THRESHOLD = 0.10
NON_FAULT_THRESHOLD = 0.50
# A symptom is reported next to the top one from this probability on (at most MAX_REPORTED in all). Real
# messages often have two or three labelled symptoms (a failed update that left a boot loop): 0.10 instead of
# 0.15 reported the gold's second symptom 2.6 points more often on the dev set's CV, the top one unchanged.
REPORT_THRESHOLD = 0.10
MAX_REPORTED = 3
MAX_CHOICES = 3
# Words that say a message is about a phone: an erasing first step is never given for a message without one
# (or a named model): "the passcode has been lost" may be an app's passcode.
_PHONE_WORDS = re.compile(
    r"\b(iphone|phone|device|cell|mobile|handy|telefon\w*|t[ée]l[ée]phone|tel[ée]fono|m[óo]vil|celular|"
    r"telemóvel|telefoon|телефон\w*|айфон\w*)\b|手机|携帯|スマホ|アイフォン"
)


# A computer as the only device (a Mac stuck on its Apple logo); only when no phone word at all is said, as
# people restore an iPhone with a Mac and often write "my phone".
_COMPUTER = re.compile(
    r"(?<![a-z])(macbook\w*|imac|mac ?mini|mac ?pro|mac ?studio|macos|os x|mojave|catalina)(?![a-z])"
)
# "huawei phone" must not read as "i phone".
_IPHONE_WORD = re.compile(r"(?<![a-z])(i ?phone|ip ?\d|i[4-8]s?)(?![a-z])|iphone|айфон|苹果手机|アイフォン|아이폰")


# The writer says a restart clears the problem ("after i reboot the device i can use it without a problem", "it
# works fine after a hard reset"); "nothing works after a restart" does not count.
_WORKS = (
    r"(?<!doesnt )(?<!not )(?<!nothing )(?<!never )"
    r"\b(works?|working|fine|normal\w*|without (a |any )?problem|can use it|boots)\b"
)
_RESTART = r"\b(reboot|restart|hard reset|force restart|respring)\w*\b"
_RESTART_CLEARS = re.compile(
    rf"\bafter (i |a |the |it )?{_RESTART}[^.!?]{{0,60}}{_WORKS}|{_WORKS}[^.!?]{{0,30}}\bafter (a |i |the )?{_RESTART}"
)


def restart_clears_it(normalized: str) -> bool:
    return bool(_RESTART_CLEARS.search(normalized))


def mentions_a_phone(normalized: str) -> bool:
    return bool(_PHONE_WORDS.search(normalized))


def names_only_another_device(normalized: str) -> bool:
    """The message names an iPad, iPod, Android phone... and never says "iPhone"."""
    if _IPHONE_WORD.search(normalized):
        return False
    return bool(ANOTHER_DEVICE.search(normalized)) or (
        bool(_COMPUTER.search(normalized)) and not mentions_a_phone(normalized)
    )


@dataclass(frozen=True, slots=True)
class Decision:
    """``kind``: "fault" (answer for ``symptoms[0]``), "clarify" (ask among ``symptoms``), or a non-fault
    class of ``NON_FAULT``. ``symptoms`` are (id, probability), best first."""

    kind: str
    symptoms: tuple[tuple[str, float], ...]


def decide(
    prediction: Prediction,
    damage: bool,
    model_named: bool,
    erasing_first: frozenset[str],
    about_a_phone: bool = True,
    clearly_on_topic: bool = False,
    another_device: bool = False,
) -> Decision:
    """``about_a_phone``: the message names a model or says "phone"; needed for an erasing first step.
    ``clearly_on_topic``: it names a model and describes a problem; then only a confident non-fault class wins,
    otherwise the bot asks. ``another_device``: it names another device and no iPhone (its steps would be
    wrong whatever the classifier says)."""
    faults = [(label, p) for label, p in prediction.probabilities if label not in NON_FAULT]
    best_label, best_p = prediction.probabilities[0]
    if another_device and not model_named:
        # Another device, wet or not, is still another device (the classifier does not learn this class).
        return Decision("other_device", ())
    reported = tuple((label, p) for label, p in faults[:MAX_REPORTED] if p >= REPORT_THRESHOLD)
    if damage:
        return Decision("fault", reported)
    if not prediction.informed:
        return Decision("off_topic", ())
    non_fault_mass = sum(p for label, p in prediction.probabilities if label in NON_FAULT)
    # The best class is not a fault, and either it or "not a fault" as a whole is more likely than not.
    likely = best_p if clearly_on_topic else max(best_p, non_fault_mass)
    if best_label in NON_FAULT and likely >= NON_FAULT_THRESHOLD:
        return Decision(best_label, ())
    top_p = faults[0][1]
    runner_up = faults[1][1] if len(faults) > 1 else 0.0
    erasing = faults[0][0] in erasing_first
    needed = ERASING_THRESHOLD if erasing else FALLBACK_THRESHOLD
    if top_p >= needed and top_p - runner_up >= AMBIGUITY_THRESHOLD and (about_a_phone or not erasing):
        return Decision("fault", reported or (faults[0],))
    choices = tuple(faults[:MAX_CHOICES])
    return Decision("clarify", tuple(c for c in choices if c[1] >= REPORT_THRESHOLD / 2) or choices[:2])


def explain_prediction(prediction: Prediction) -> list[str]:
    """Lines for ``--explain``: the class probabilities and the features that pushed the best class most."""
    shown = ", ".join(f"{label} {p:.2f}" for label, p in prediction.probabilities[:5])
    pushes = ", ".join(f"{name} {weight:+.2f}" for name, weight in prediction.top_features)
    return [f"classifier: {shown}", f"classifier features for {prediction.best}: {pushes}"]

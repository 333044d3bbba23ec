"""The model reader: explicit names beat bare aliases, numbers that are durations or counts are not models,
the phone a message is about wins, the SE generation is never guessed, and no probe gets another family."""

from __future__ import annotations

import asyncio
import re

import pytest

from bot.core.answer import TriageRequest
from bot.core.knowledge import load_knowledge
from bot.core.matching import Matcher
from bot.core.model_reader import ModelMention
from bot.core.triage import Triage
from bot.settings import DEFAULT_KNOWLEDGE_DIR

KNOWLEDGE = load_knowledge(DEFAULT_KNOWLEDGE_DIR)
MATCHER = Matcher(KNOWLEDGE)
FAMILY = {m.id: m.family for m in KNOWLEDGE.models.models}
SE = ("iphone-se-1", "iphone-se-2", "iphone-se-3")


def read(text: str) -> ModelMention:
    return MATCHER.analyse(text).model


def assert_reads(text: str, expected: str | set[str] | None) -> None:
    """The reader names ``expected`` (a model id), asks between exactly ``expected`` (a set), or reads nothing."""
    mention = read(text)
    if expected is None or isinstance(expected, str):
        assert (mention.model_id, mention.candidates) == (expected, ()), mention
    else:
        assert mention.model_id is None, mention
        assert set(mention.candidates) == expected, mention


EXPLICIT = [
    ("iphone 11 stuck on the logo", "iphone-11"),
    ("Product Type: iPhone12,1 keeps rebooting", "iphone-11"),
    ("ip11 won't turn on", "iphone-11"),
    ("i6s frozen on the apple", "iphone-6s"),
    ("13 pro max in a boot loop", "iphone-13-pro-max"),
    ("my 13 pm is dead", "iphone-13-pro-max"),
    ("15 PM stuck in recovery", "iphone-15-pro-max"),
    ("6+ stuck on the apple logo", "iphone-6-plus"),
    ("both of my 6+'s died overnight", "iphone-6-plus"),
    ("iphone eleven stuck on the logo", "iphone-11"),
    ("iPhone Seven won't charge", "iphone-7"),
    ("iPhone7が起動しない", "iphone-7"),
    ("iPhone15吗 一直重启", "iphone-15"),
    ("我的iphone 11一直重启", "iphone-11"),
    ("mi iPhone 8 no enciende", "iphone-8"),
    ("IPHONE XR stuck", "iphone-xr"),
    ("i-phone 7 plus frozen", "iphone-7-plus"),
    ("my iPhone 12's screen is black", "iphone-12"),
    ("my iPhone X's battery died", "iphone-x"),
    ("my a1723 won't boot", "iphone-se-1"),
    ("model A2111, stuck in recovery mode", "iphone-11"),
    ("Model number A1778 restarting", "iphone-7"),
    ("11promax bootloop", "iphone-11-pro-max"),
    ("iPhone 16e will not start", "iphone-16e"),
    ("IphoneXR black screen", "iphone-xr"),
    ("my iphonese is frozen, the 2020 one", "iphone-se-2"),
]


@pytest.mark.parametrize(("text", "model_id"), EXPLICIT, ids=[t for t, _ in EXPLICIT])
def test_explicit_names(text: str, model_id: str) -> None:
    assert read(text).model_id == model_id


BARE_PHONES = [
    ("my 5s wont turn on", "iphone-5s"),
    ("the 7p is stuck on the logo", "iphone-7-plus"),
    ("my 11pm is frozen", "iphone-11-pro-max"),
    ("my 8 keeps restarting", "iphone-8"),
    ("my 11 won't charge and the screen is black", "iphone-11"),
    ("mine is an 8 and it froze", "iphone-8"),
    ("my mums 7 is stuck on the apple", "iphone-7"),
    ("xr won't turn on", "iphone-xr"),
    ("6s stuck in recovery", "iphone-6s"),
    ("my 5s this morning would not turn on", "iphone-5s"),
    ("my 6 broke after the update", "iphone-6"),
]


@pytest.mark.parametrize(("text", "model_id"), BARE_PHONES, ids=[t for t, _ in BARE_PHONES])
def test_bare_aliases_and_numbers_in_a_phone_help_context(text: str, model_id: str) -> None:
    assert read(text).model_id == model_id


REFLEXIVE_SE = [
    "mi iphone se apagó y no prende",
    "mi iphone se reinicia solo",
    "el iphone se queda en la manzana",
    "mi iphone se me cayó al agua",
    "mon iPhone se bloque sur la pomme",
    "mon iphone se met à redémarrer",
    "meu iphone se desligou sozinho",
    "meu iphone se reiniciou e travou",
]


@pytest.mark.parametrize("text", REFLEXIVE_SE)
def test_reflexive_se_after_iphone_is_not_the_se(text: str) -> None:
    mention = read(text)
    assert not set(mention.candidates) & set(SE), mention
    assert mention.model_id not in SE


def test_the_se_is_still_read_in_spanish_and_french() -> None:
    assert read("mi iphone se 2020 no enciende").model_id == "iphone-se-2"
    assert set(read("mon iphone se est bloqué").candidates) == set(SE)


NOT_MODELS = [
    "held the buttons for 5s, still black",
    "it reboots every 5s",
    "it takes 5s to respond and then goes black",
    "it died at 11pm last night and won't turn back on",
    "stuck at 12pm on the update screen",
    "it froze 11pm yesterday and is still black",
    "tried 7+ times and it is still stuck",
    "held it 10 seconds, then 4 or 5s more, nothing",
    "my 8 year old dropped it",
    "my 11 year old son's phone is stuck",
    "restarted it 11 times",
    "it's been 8 hours on the logo",
    "the 7 of us tried everything, phone still dead",
    "stuck on 5% battery",
    "ios 16.5 and it keeps restarting",
    "my 8",  # no phone-help context at all
]


@pytest.mark.parametrize("text", NOT_MODELS)
def test_durations_times_counts_and_ages_are_not_models(text: str) -> None:
    mention = read(text)
    assert mention.model_id is None, mention
    assert not mention.candidates, mention


EXPLICIT_BEATS_BARE = [
    ("held it for 5s but my iphone 12 is still black", "iphone-12"),
    ("my iphone 11, tried the 7p combo and nothing", "iphone-11"),
    ("iphone 12: it restarted at 11pm and now it is stuck", "iphone-12"),
    ("pressed volume up, down, then held side for 5s on my iPhone 13", "iphone-13"),
    ("my 8 year old dropped my iphone 11", "iphone-11"),
    ("tried 7+ times on my iphone 14 pro", "iphone-14-pro"),
]


@pytest.mark.parametrize(("text", "model_id"), EXPLICIT_BEATS_BARE, ids=[t for t, _ in EXPLICIT_BEATS_BARE])
def test_an_explicit_model_beats_any_bare_alias(text: str, model_id: str) -> None:
    assert read(text).model_id == model_id


SEVERAL = [
    ("my old iphone 6 is fine, my new iphone 12 won't start", "iphone-12"),
    ("my iphone 8 works fine but my iphone x won't turn on", "iphone-x"),
    ("upgraded from an iphone 7 to an iphone 11 and the new one is stuck on the logo", "iphone-11"),
    ("the iphone 7 steps didn't work on my iphone 13", "iphone-13"),
    ("my new iphone 12 is stuck on the logo, my old iphone 7 still works", "iphone-12"),
    ("restored my iphone 6s from my iphone 8 backup and now the 6s is stuck", "iphone-6s"),
    ("im using an iphone 13 and picked the xr / 8 preset in the tweak, now the screen is black", "iphone-13"),
]


@pytest.mark.parametrize(("text", "model_id"), SEVERAL, ids=[t for t, _ in SEVERAL])
def test_several_phones_the_one_with_the_problem_wins(text: str, model_id: str) -> None:
    assert read(text).model_id == model_id


ASK_BETWEEN = [
    ("my wife's iphone 7 and my iphone 11, one of them won't turn on", {"iphone-7", "iphone-11"}),
    ("iphone 7 or iphone 8? it's stuck on the logo", {"iphone-7", "iphone-8"}),
    ("it's an iphone 6s or 7, it won't turn on", {"iphone-6s", "iphone-7"}),
    ("either an iphone 8 or an iphone 7 plus, stuck on the logo", {"iphone-8", "iphone-7-plus"}),
    ("we have an iphone 6s and an iphone xr and one is frozen", {"iphone-6s", "iphone-xr"}),
]


@pytest.mark.parametrize(("text", "models"), ASK_BETWEEN, ids=[t for t, _ in ASK_BETWEEN])
def test_two_button_families_still_possible_means_ask(text: str, models: set[str]) -> None:
    mention = read(text)
    assert mention.model_id is None
    assert set(mention.candidates) == models


SE_ASK = [
    "my iphone se keeps restarting",
    "my se has been stuck on the logo since 2022",
    "iphone se, bought it in 2020, stuck on logo",
    "SE 1 or 2? stuck on logo",
    "my se, not sure if it's 1 or 2, won't turn on",
    "iphone se 2 or 3, don't know which, frozen",
    "my se is gen 1 or gen 2, it's stuck",
    "not sure which se i have, it won't boot",
    "iphone se 2nd or 3rd gen, stuck in recovery",
    "the se died in 2021 after an update",
]


@pytest.mark.parametrize("text", SE_ASK)
def test_se_generation_is_asked_unless_stated(text: str) -> None:
    mention = read(text)
    assert mention.model_id is None, mention
    assert set(mention.candidates) <= set(SE), mention
    assert len(mention.candidates) >= 2


SE_SETTLED = [
    ("iphone se 2020 stuck on the logo", "iphone-se-2"),
    ("my se, the 2nd gen one, is frozen", "iphone-se-2"),
    ("iphone se (2nd generation) keeps restarting", "iphone-se-2"),
    ("SE 2 stuck in recovery", "iphone-se-2"),
    ("SE3 frozen", "iphone-se-3"),
    ("my se is the 2022 model and it keeps restarting", "iphone-se-3"),
    ("iphone se third generation won't turn on", "iphone-se-3"),
    ("the new se, the 5g one, won't turn on", "iphone-se-3"),
    ("iphone se first generation stuck", "iphone-se-1"),
    ("the 2016 se won't boot", "iphone-se-1"),
    ("my iphone se from 2016 is stuck on the logo", "iphone-se-1"),
    ("not sure which button to hold on my iphone se 2020", "iphone-se-2"),
    ("iphone se 2nd gen, tried it 1 or 2 times", "iphone-se-2"),
]


@pytest.mark.parametrize(("text", "model_id"), SE_SETTLED, ids=[t for t, _ in SE_SETTLED])
def test_se_generation_from_generation_words_or_model_year(text: str, model_id: str) -> None:
    assert read(text).model_id == model_id


# Short probes in the spirit of issue 11: (message, the family a right answer has, or "ask").
PROBES = [
    ("held it for 5s, my iphone 12 is still black", "modern"),
    ("iphone 11: someone said try the 7p way", "modern"),
    ("my 7 plus, held it 8 seconds, nothing", "volume-down"),
    ("my old 6s is fine, my new 12 won't start", "modern"),
    ("7 years with this iphone 8 and now it's stuck on the logo", "modern"),
    ("iphone 8 plus, tried 7+ times", "modern"),
    ("SE 1 or 2? stuck on logo", "ask"),
    ("my se from 2020 won't turn on", "modern"),
    ("my se, had it since 2016, boot loop", "ask"),
    ("my 8 won't turn on", "modern"),
    ("my 11 is frozen", "modern"),
    ("iphone eleven frozen", "modern"),
    ("13 pm won't charge", "modern"),
    ("6+'s screen black", "home"),
    ("iPhone7が起動しない", "volume-down"),
    ("iPhone15吗 黑屏", "modern"),
    ("A1723 stuck on the logo", "home"),
    ("i6s stuck in recovery", "home"),
    ("ip11 boot loop after update", "modern"),
    ("my 5s died at 11pm", "home"),
    ("my kid's iphone 7 and my iphone 12 are both fine but my wife's iphone 6 won't start", "home"),
    ("tried force restart 11 times on my iphone x", "modern"),
    ("the 7p combo did nothing on my iphone 13", "modern"),
    ("iphone 7 or 8, can't remember, it's stuck", "ask"),
]


def _family_or_ask(mention: ModelMention) -> str | None:
    if mention.model_id is not None:
        return FAMILY[mention.model_id]
    return "ask" if mention.candidates else None


def test_probes_never_get_another_family() -> None:
    wrong = [(text, want, _family_or_ask(read(text))) for text, want in PROBES]
    other_family = [w for w in wrong if w[2] not in (w[1], "ask", None)]
    assert not other_family, other_family
    right = sum(1 for text, want, got in wrong if got == want)
    assert right / len(PROBES) >= 0.95, [w for w in wrong if w[1] != w[2]]


def test_probe_answers_carry_only_their_family() -> None:
    """Through the whole triage: the answer's model (whose buttons every step uses) is of the right family."""
    triage = Triage(KNOWLEDGE)
    for text, want in PROBES:
        answer = asyncio.run(triage.answer(TriageRequest(text=text)))
        if answer.model is not None:
            assert answer.model.family == want, (text, answer.model)
        else:
            assert want == "ask" or answer.model_candidates or answer.status != "answered", (text, answer.status)


def test_apple_model_numbers_are_aliases_only_with_their_source() -> None:
    """A-numbers come from appledb's device files [c7]: every model that has one cites c7."""
    with_numbers = [m for m in KNOWLEDGE.models.models if any(re.fullmatch(r"a\d{4}", a) for a in m.aliases)]
    assert len(with_numbers) >= 40
    assert all("c7" in m.sources for m in with_numbers), [m.id for m in with_numbers if "c7" not in m.sources]
    numbers = [a for m in KNOWLEDGE.models.models for a in m.aliases if re.fullmatch(r"a\d{4}", a)]
    assert len(numbers) == len(set(numbers)), "an A-number names one model"


DEVICE_LINES = [
    ("my iphone 5 keeps rebooting after the update\niPhone 5s, iOS 12.5.7", "iphone-5s"),
    ("it restarts by itself, my iphone 6 is useless. Device: iPhone 6 Plus", "iphone-6-plus"),
    ("Model: iPhone 8 Plus\nmy iphone 8 won't boot", "iphone-8-plus"),
]


@pytest.mark.parametrize(("text", "model_id"), DEVICE_LINES, ids=[t for t, _ in DEVICE_LINES])
def test_a_device_line_names_the_exact_model_within_one_family(text: str, model_id: str) -> None:
    assert read(text).model_id == model_id


@pytest.mark.parametrize(
    "text", ["my iphone 7 won't boot. Device: iPhone 11", "my iphone 7 won't start.\niPhone 11, iOS 15.2"]
)
def test_a_device_line_against_the_story_across_families_is_asked(text: str) -> None:
    mention = read(text)
    assert mention.model_id is None, mention
    assert set(mention.candidates) == {"iphone-7", "iphone-11"}


BACK_REFERENCES = [
    ("i have an iphone 12 and an iphone 12 pro, the pro won't boot", "iphone-12-pro"),
    ("my iphone 7 and my iphone 11 pro, the pro is stuck", "iphone-11-pro"),
    ("swapped my iphone x for an iphone 15 and the 15 keeps restarting", "iphone-15"),
]


@pytest.mark.parametrize(("text", "model_id"), BACK_REFERENCES, ids=[t for t, _ in BACK_REFERENCES])
def test_a_later_short_reference_counts_for_its_phone(text: str, model_id: str) -> None:
    assert read(text).model_id == model_id


def test_a_short_reference_that_is_fine_does_not_pick_a_family() -> None:
    mention = read("my iphone 7 and my iphone 11 pro, the pro is fine")
    assert mention.model_id is None
    assert set(mention.candidates) == {"iphone-7", "iphone-11-pro"}


@pytest.mark.parametrize(
    ("text", "candidates"),
    [
        ("iphone se 2nd or 3rd gen, it won't boot", {"iphone-se-2", "iphone-se-3"}),
        ("my se, 1 or 2, stuck on the logo", {"iphone-se-1", "iphone-se-2"}),
        ("SE gen 1 or gen 3? frozen", {"iphone-se-1", "iphone-se-3"}),
        ("my iphone se, not sure which one, it's dead", set(SE)),
    ],
)
def test_an_se_hedge_asks_between_the_generations_it_names(text: str, candidates: set[str]) -> None:
    mention = read(text)
    assert mention.model_id is None, mention
    assert set(mention.candidates) == candidates


@pytest.mark.parametrize(
    ("text", "model_id"),
    [
        ("苹果11一直重启", "iphone-11"),
        ("아이폰 11이 안 켜져요", "iphone-11"),
        ("айфон11 не включается", "iphone-11"),
        ("My first generation iPhone won't sync", "iphone-original"),
        ("the iPhone 3G S is stuck", "iphone-3gs"),
        ("iphonex16.4 keeps crashing", "iphone-x"),
    ],
)
def test_more_spellings(text: str, model_id: str) -> None:
    assert read(text).model_id == model_id


@pytest.mark.parametrize("text", ["卡在白苹果12小时", "苹果 logo 卡了 3 次"])
def test_the_apple_logo_in_chinese_is_not_a_model(text: str) -> None:
    assert read(text) == ModelMention(None, (), "", "none")


@pytest.mark.parametrize(
    "text", ["my Redmi Note 11 Pro is stuck on the logo", "Xiaomi 12 Pro won't turn on", "moto g 6 plus loops"]
)
def test_another_makers_product_line_is_not_an_iphone(text: str) -> None:
    assert read(text).model_id is None


def test_spanish_mi_is_my_not_xiaomi() -> None:
    assert read("mi 11 pro no enciende").model_id == "iphone-11-pro"


@pytest.mark.parametrize(
    ("text", "models"),
    [
        ("it's either an iphone 11 or an iphone 12, stuck on the logo", {"iphone-11", "iphone-12"}),
        ("iphone 6 or 6 plus, not sure which, frozen", {"iphone-6", "iphone-6-plus"}),
        ("entweder ein iPhone 13 oder ein iPhone 14, hängt beim Apfel", {"iphone-13", "iphone-14"}),
        ("un iphone xr o un iphone 11, no sé cuál, no enciende", {"iphone-xr", "iphone-11"}),
    ],
)
def test_one_model_or_another_is_asked_even_within_one_family(text: str, models: set[str]) -> None:
    mention = read(text)
    assert mention.model_id is None, mention
    assert set(mention.candidates) == models


def test_a_later_reference_settles_one_model_or_another() -> None:
    assert read("iphone 12 or iphone 13 pro? I have the 13 pro, it's stuck").model_id == "iphone-13-pro"


FOREIGN_BACK_REFERENCES = [
    ("tengo un iphone 8 y un iphone 13, el 13 se reinicia solo", "iphone-13"),
    ("ich habe ein iPhone 7 und ein iPhone 11, der 7 geht nicht mehr an", "iphone-7"),
    ("mon fils a un iphone 12 et moi un iphone 6s, le 6s ne démarre plus", "iphone-6s"),
    ("tenho um iphone 8 e um iphone xr, o xr não liga", "iphone-xr"),
    ("ho un iphone 11 e un iphone 14, il 14 non si accende più", "iphone-14"),
    ("we hebben een iphone 7 en een iphone 13, de 13 blijft hangen", "iphone-13"),
]


@pytest.mark.parametrize(("text", "model_id"), FOREIGN_BACK_REFERENCES, ids=[t for t, _ in FOREIGN_BACK_REFERENCES])
def test_a_later_reference_with_another_languages_article(text: str, model_id: str) -> None:
    assert read(text).model_id == model_id


def test_a_foreign_reference_that_works_fine_does_not_pick_a_family() -> None:
    mention = read("tengo un iphone 7 y un iphone 12, el 12 funciona bien")
    assert mention.model_id is None
    assert set(mention.candidates) == {"iphone-7", "iphone-12"}


# --- round 7 ---------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "model_id"),
    [
        # an explicit model beats another named only as the method followed
        ("iphone 13 mini frozen, I pressed the 6s buttons like a video said", "iphone-13-mini"),
        ("used the iphone 8 button combo on my iphone 7, nothing", "iphone-7"),
        # a list of phones with their articles, then the one the message is about
        ("we have a 14 pro and a 7 plus, the 7 plus is the one that won't boot", "iphone-7-plus"),
        ("i own an iphone 15 and an 8 plus, the 15 is the one stuck in recovery", "iphone-15"),
        # a back reference in Portuguese, Spanish or French with a verb of trouble
        ("tenho um iphone 11 e um iphone 13, o 13 desligou e não volta", "iphone-13"),
        ("tengo un iphone 8 y un iphone 14, el 14 se murió ayer", "iphone-14"),
        # SE generations in Spanish ordinals, and named right after the SE
        ("mi iphone se de 2da generación no prende", "iphone-se-2"),
        ("el iphone se 1ra gen de mi hermano está congelado", "iphone-se-1"),
        ("iphone se, the original one, stuck on the logo", "iphone-se-1"),
        ("my iphone se - the third gen - keeps restarting", "iphone-se-3"),
        # the SE in Cyrillic letters
        ("айфон се 2022 завис на яблоке", "iphone-se-3"),
        # "my x", German "-er", a number after a verb that handles the phone
        ("the x keeps restarting since yesterday", "iphone-x"),
        ("dropped my x and the screen went black", "iphone-x"),
        ("mein 12er startet nicht mehr", "iphone-12"),
        ("das 13er pro max hängt beim apfel", "iphone-13-pro-max"),
        ("my cat knocked my 11 off the shelf, black screen", "iphone-11"),
    ],
)
def test_round_7_readings(text: str, model_id: str) -> None:
    assert read(text).model_id == model_id, read(text)


@pytest.mark.parametrize(
    "text",
    [
        "my x won't talk to me since she took my phone",  # "ex", no phone trouble after it
        "solve for x, my phone calculator is stuck",
        "tutorials are for the x, my phone won't start",  # no trouble right after "the x"
        "i had two iphone se, the first one died, the new one is stuck",  # two SEs, not the 1st generation
        "die 12er packung war kaputt",  # a pack of twelve
        "iphone се",  # no generation: asked below, not a model
        # After "updated / restarted / put my" a number is an age, a count or a unit, not a phone (a review found
        # the iPhone 7's buttons given for these)
        "updated my 7 month old iphone and now it's stuck on the apple logo",
        "i restored my 7 week old iphone and it's stuck in recovery mode",
        "i restarted my 7 times and it's still frozen",
        "put my 8 year old's phone on charge and it won't turn on",
        "i updated my 11 apps and the phone froze",
        "reset my 6 month old iphone and now it's black",
    ],
)
def test_round_7_non_readings(text: str) -> None:
    assert read(text).model_id is None, read(text)


def test_a_listed_model_of_another_family_is_asked() -> None:
    mention = read("got an iphone 14 and a 6s plus here, one of them is stuck")
    assert mention.model_id is None
    assert {"iphone-14", "iphone-6s-plus"} <= set(mention.candidates)


def test_a_comma_and_the_is_not_a_list() -> None:
    assert read("my se, the 1st gen one, is frozen").model_id == "iphone-se-1"


# A review (several phones named): "one of them" and its kin leave the phone open, a bare number the writer says is
# theirs counts with the names, the one "that works" is not the one with the problem, and a list goes on past two.
WHICH_OF_SEVERAL = [
    ("i have an iphone 12 and a 7, one of them won't turn on", {"iphone-12", "iphone-7"}),
    ("i have an iphone 12 and a 7, one of the two is frozen", {"iphone-12", "iphone-7"}),
    ("i have an iphone 12 and a 7, either of them won't charge", {"iphone-12", "iphone-7"}),
    ("i have an iphone 12 and a 7, not sure which one is stuck", {"iphone-12", "iphone-7"}),
    ("i have a 12 and my son has a 7, one of them won't turn on", {"iphone-12", "iphone-7"}),
    ("an iphone 12 mini and an 8 plus and a 7, one of them is frozen", {"iphone-12-mini", "iphone-8-plus", "iphone-7"}),
    ("my wife has an iphone 7 and i have a 12, hers is stuck on the logo", {"iphone-12", "iphone-7"}),
    (
        "my old iphone 6 is fine, i have an iphone 12 and an iphone 7, one of the two is frozen",
        {"iphone-12", "iphone-7"},
    ),
]
WHICH_SAID = [
    ("my wife has an iphone 7 and i have a 12, mine is stuck on the logo", "iphone-12"),
    ("the iphone 12 is the one that works, my 7 is frozen", "iphone-7"),
    ("the iphone 12 is the one that still works, the 7 is frozen", "iphone-7"),
    ("an iphone 12 mini and an 8 plus and a 7, the 7 is frozen", "iphone-7"),
    # must not change
    ("my old iphone 5s still works, my new iphone 13 is stuck on the logo", "iphone-13"),
    ("my iphone 6 is fine but the iphone 11 keeps restarting", "iphone-11"),
    ("the iphone 13 works perfectly, the iphone 7 won't charge", "iphone-7"),
    ("got a 12 mini and an 8 plus here, the 8 plus is the one in a bootloop", "iphone-8-plus"),
    ("my iphone 13 is stuck, i have a 6 too", "iphone-13"),
    ("updated my 7 month old iphone and now it's stuck", None),
]


@pytest.mark.parametrize(
    ("text", "expected"), WHICH_OF_SEVERAL + WHICH_SAID, ids=[t for t, _ in WHICH_OF_SEVERAL + WHICH_SAID]
)
def test_which_of_several_phones_has_the_problem(text: str, expected: set[str] | str | None) -> None:
    assert_reads(text, expected)


# Phones of different families joined as a list ("i have A and B", "got A and B") with nothing after the list that
# says which has the problem ("it", "one", nothing): asked between them. A repeated name, "the 7", "mine", "the new
# one", a trouble word right after one of them, a phone said to be old, or one family only: read as before.
LIST_UNPICKED = [
    ("i have an iphone 12 and a 7, it won't turn on", {"iphone-12", "iphone-7"}),
    ("i have an iphone 12 and an iphone 7, it won't turn on", {"iphone-12", "iphone-7"}),
    ("got an iphone 12 and a 7, it's stuck on the apple logo", {"iphone-12", "iphone-7"}),
    ("i have a 12 and a 7, it is stuck on the logo", {"iphone-12", "iphone-7"}),
    ("i have an iphone 13 and an 8 plus and a 6s, won't turn on", {"iphone-13", "iphone-8-plus", "iphone-6s"}),
    ("tengo un iphone 12 y un 7, no enciende", {"iphone-12", "iphone-7"}),
    # trouble right after the list, with no "that": both phones or either, so asked
    ("i have an iphone 12 and a 7 won't turn on", {"iphone-12", "iphone-7"}),
    ("tengo un iphone 12 y un 7 que no enciende", {"iphone-12", "iphone-7"}),  # no Spanish trouble word: asked
]
LIST_PICKED = [
    ("i have an iphone 12 and a 7, the 7 is frozen", "iphone-7"),
    ("i have an iphone 12 and a 7, the iphone 7 is frozen", "iphone-7"),
    ("i have an iphone 12 and a 7, the new one won't turn on", "iphone-12"),
    ("i have an old iphone 6 and a new 13, it won't turn on", "iphone-13"),
    ("i have an iphone 12 and a 12 pro, it won't turn on", "iphone-12"),
    # a bare "my 7" refers to the 7 named before it; "a 7 that won't" is the 7
    ("i have an iphone 12 and a 7, my 7 is frozen", "iphone-7"),
    ("i have an iphone 12 and a 7, my 12 is frozen", "iphone-12"),
    ("i have an iphone 12 and a 7 that won't turn on", "iphone-7"),
    ("got an iphone 13 and an 8 which is stuck on the apple logo", "iphone-8"),
    # must not change
    ("my old iphone 5s still works, my new iphone 13 is stuck on the logo", "iphone-13"),
    ("my iphone 6 is fine but the iphone 11 keeps restarting", "iphone-11"),
    ("got a 12 mini and an 8 plus here, the 8 plus is the one in a bootloop", "iphone-8-plus"),
    ("my iphone 13 is stuck, i have a 6 too", "iphone-13"),
    ("i have an iphone 12 and an iphone 12 pro, the pro is stuck on the apple", "iphone-12-pro"),
    ("my iphone 8 and iphone 8 plus both froze on ios 16", "iphone-8"),
]


@pytest.mark.parametrize(
    ("text", "expected"), LIST_UNPICKED + LIST_PICKED, ids=[t for t, _ in LIST_UNPICKED + LIST_PICKED]
)
def test_a_list_of_phones_with_none_picked_is_asked(text: str, expected: set[str] | str) -> None:
    assert_reads(text, expected)


# A duration or count after a listed number is not a second phone, in the languages the symptoms cover.
@pytest.mark.parametrize(
    "text",
    [
        "tengo un iphone 12 y un 7 días después no enciende",
        "j'ai un iphone 12 et un 7 jours plus tard il ne s'allume plus",
        "mein iphone 12 und 7 tage später geht nichts mehr",
        "il mio iphone 12 e 7 giorni dopo non si accende",
        "meu iphone 12 e 3 semanas depois não liga",
    ],
)
def test_a_duration_after_a_listed_number_is_not_a_phone(text: str) -> None:
    assert read(text).model_id == "iphone-12"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # Bulgarian (its letter ъ shows it): "the phone switched itself off", "got stuck on the apple"
        ("телефонът ми iphone се изключи", None),
        ("айфонът се заби на ябълката", None),
        ("айфон се 2020 не включается", "iphone-se-2"),  # Russian SE, a year after it
        ("айфон се второго поколения не включается", "iphone-se-2"),  # Russian SE, "second generation"
    ],
)
def test_the_slavic_reflexive_se_is_not_an_iphone_se(text: str, expected: str | None) -> None:
    mention = read(text)
    assert (mention.model_id, mention.candidates) == (expected, ()), mention


def test_a_russian_se_before_a_verb_is_still_an_se() -> None:
    """Russian has no reflexive "се": "мой айфон се не заряжается" is an SE (which one is asked)."""
    assert set(read("мой айфон се не заряжается").candidates) == {"iphone-se-1", "iphone-se-2", "iphone-se-3"}


# "One of them" / "I don't know which" in the other languages: asked between the phones named. The writer who does
# not know which phone it is gets asked even when both phones share a family (the model's details would be a guess).
WHICH_UNSAID_FOREIGN = [
    ("tenemos un iphone 12 y un iphone 7, uno de los dos no arranca", {"iphone-12", "iphone-7"}),
    ("mi hijo tiene un iphone 13 y yo un iphone 8, no sé cuál se quedó en la manzana", {"iphone-13", "iphone-8"}),
    ("on a un iphone 12 et un iphone 8 à la maison, l'un des deux ne s'allume plus", {"iphone-12", "iphone-8"}),
    ("j'ai un iphone 11 et un iphone 7, je sais plus lequel redémarre en boucle", {"iphone-11", "iphone-7"}),
    ("wir haben ein iphone 12 und ein iphone 7, eins von beiden startet nicht", {"iphone-12", "iphone-7"}),
    ("zu hause liegen ein iphone 13 und ein iphone 8, ich weiß nicht welches hängt", {"iphone-13", "iphone-8"}),
    ("ho un iphone 12 e un iphone 7, uno dei due non si accende", {"iphone-12", "iphone-7"}),
    ("in casa ci sono un iphone 14 e un iphone 6s, non so quale si è bloccato", {"iphone-14", "iphone-6s"}),
    ("tenho um iphone 12 e um iphone 7, um deles não liga", {"iphone-12", "iphone-7"}),
    ("aqui tem um iphone 13 e um iphone 8, não sei qual travou", {"iphone-13", "iphone-8"}),
    ("ik heb een iphone 12 en een iphone 7, een van beide start niet", {"iphone-12", "iphone-7"}),
    ("we hebben een iphone 13 en een iphone 6s, ik weet niet welke vastloopt", {"iphone-13", "iphone-6s"}),
    ("mam iphone 12 i iphone 7, jeden z nich się nie włącza", {"iphone-12", "iphone-7"}),
    ("w domu są iphone 13 i iphone 8, nie wiem który się zawiesił", {"iphone-13", "iphone-8"}),
    ("у нас iphone 12 и iphone 7, один из них не включается", {"iphone-12", "iphone-7"}),
    ("дома айфон 13 и айфон 8, какой-то из них завис на яблоке", {"iphone-13", "iphone-8"}),
    ("我有iphone 12和iphone 7，其中一部开不了机", {"iphone-12", "iphone-7"}),
    ("家里有iPhone 13和iPhone 6s，不确定是哪部卡在苹果", {"iphone-13", "iphone-6s"}),
    ("iPhone 12とiPhone 7があって、どちらかが起動しない", {"iphone-12", "iphone-7"}),
    ("아이폰 12랑 아이폰 7 있는데 둘 중 하나가 안 켜져요", {"iphone-12", "iphone-7"}),
    # one family: still asked, the writer does not know which
    ("we have an iphone 12 and an iphone 13 and one of them keeps rebooting", {"iphone-12", "iphone-13"}),
    ("tengo un iphone 12 y un iphone 14, no sé cuál se reinicia", {"iphone-12", "iphone-14"}),
    ("my son has a 15 and i have a 13, he didnt say which one froze", {"iphone-13", "iphone-15"}),
    # an SE whose generation is said, among other phones: that generation only
    ("tengo un iphone 7 y un iphone se de primera generación, uno de los dos no enciende", {"iphone-7", "iphone-se-1"}),
]
# The phone with the problem said in other words: "the old one is the one that ...", "mine is the one", "the one that
# won't boot is the 8", "works fine" (fr "nickel", pt "de boa", pl "bez problemu", it "benissimo"), "the problem is
# the ...", someone else's phone against "now it's mine", a switch "from X to Y", Polish "ten" (that one) and "i".
WHICH_PICKED_FOREIGN = [
    ("tengo un iphone 13 y antes tenía un iphone 8, el 13 no enciende y no sé cuál es el problema", "iphone-13"),
    ("bought a new 14 last week, the old 11 is the one stuck on the logo", "iphone-11"),
    ("we have a 13 and an 8 at home; the one that won't turn on is the 8", "iphone-8"),
    ("tengo un 12 y un 7, el que se reinicia es el 12", "iphone-12"),
    ("j'ai un 13 et un 8, celui qui ne s'allume plus c'est le 13", "iphone-13"),
    ("the one that works is the 12, the 7 is frozen", "iphone-7"),
    ("my sister's 13 mini and my 15 both got the update, mine is the one stuck on the apple", "iphone-15"),
    ("mon iphone 12 fonctionne nickel, c'est l'iphone 7 de mon fils qui ne s'allume plus", "iphone-7"),
    ("o iphone 12 do meu pai tá de boa, o problema é o meu iphone 8 que não liga", "iphone-8"),
    ("mam iphone 12 i 14 pro, ten pro nie włącza się", "iphone-14-pro"),
    ("przeszedłem z iphone 8 na iphone 13 i ten nowy się zawiesza", "iphone-13"),
    ("pasé del iphone 8 al iphone 13 y ahora no enciende", "iphone-13"),
    ("mój iphone 11 wisi na logo. mam też iphone 7, ale ten działa bez problemu.", "iphone-11"),
    ("il mio iphone 12 funziona benissimo, è l'iphone xr di mio figlio che non si accende", "iphone-xr"),
    ("la batterie de mon iphone 12 a gonflé, mon iphone 8 marche encore", "iphone-12"),
]


@pytest.mark.parametrize(
    ("text", "expected"),
    WHICH_UNSAID_FOREIGN + WHICH_PICKED_FOREIGN,
    ids=[t for t, _ in WHICH_UNSAID_FOREIGN + WHICH_PICKED_FOREIGN],
)
def test_which_phone_in_other_languages(text: str, expected: set[str] | str) -> None:
    assert_reads(text, expected)


# A bare number that says the trouble while the phone named in full is fine or only mentioned: the name may not be
# the phone with the problem and the number may not be a phone, so across families the bot asks. Within one family,
# or when the name is the troubled one, it keeps the name.
BARE_IN_TROUBLE = [
    ("my 7 is stuck, but my iphone 12 works", {"iphone-7", "iphone-12"}),
    ("my 6s won't turn on but my iphone 13 is fine", "iphone-6s"),
    ("my sons iphone 14 works but my 7 wont turn on", {"iphone-7", "iphone-14"}),
    ("mi iphone 14 enciende pero no pasa del logo, el iphone 7 se reinicia bien", {"iphone-7", "iphone-14"}),
    ("my iphone 12 is stuck on the logo, my 7 is fine", "iphone-12"),
    ("my iphone 13 keeps restarting, had my 8 before", "iphone-13"),
    ("my 12 is stuck, but my iphone 13 works", "iphone-13"),
    ("iphone 12 stuck on apple logo, tried holding for 7 seconds", "iphone-12"),
    ("the 8 plus we had before had this problem too. now my 6s plus does it, black screen", "iphone-6s-plus"),
    ("the 6 plus i had before had the same issue and it got fixed. now my xr does it too, stuck on logo", "iphone-xr"),
    # "my" in another language before a number is never read as the model, but it can make the bot ask.
    ("mon iphone 8 va bien, mais mon 6 ne s allume plus", {"iphone-6", "iphone-8"}),
    ("mein iphone 7 funktioniert noch, aber mein 15 startet nicht", {"iphone-7", "iphone-15"}),
    ("mi iphone 7 funciona bien pero mi 13 no prende", {"iphone-7", "iphone-13"}),
    ("mein iphone 15 startet nicht, mein 7-jähriger hat es fallen lassen", "iphone-15"),
    ("mi iphone 7 no enciende, lo uso hace mi 8 meses", "iphone-7"),
    # (the Xiaomi is no iPhone 8; said in trouble, it is another device's problem: no iPhone steps)
    ("mi iphone 13 funciona bien, el xiaomi mi 8 no prende", None),
]


# The safety review of the bare-number question (stop 19): what must not make the bot ask, and what must.
BARE_IN_TROUBLE_REVIEWED = [
    # a number after "my" in another language that is no phone: an ordinal, a count, an age, a unit, another maker
    ("tengo un iphone 15, mi 3 intento de restaurar falla", "iphone-15"),
    ("ich habe ein iphone 13, mein 6 versuch mit finder hängt", "iphone-13"),
    ("j'ai un iphone 12, mon 8 essai est bloqué aussi", "iphone-12"),
    ("my iphone 6s is fine, my mi 11 keeps restarting", "iphone-6s"),
    ("mi iphone 8 va bien, mi mi 10 no prende", "iphone-8"),
    # a bare number that is a key, a range or a count, whatever the clause says later
    ("i have an iphone 13, the 8 on the keypad doesnt respond and its frozen", "iphone-13"),
    ("got an iphone 12, after a 6 to 8 hour charge its still dead", "iphone-12"),
    ("iphone 14 here, tried the 7 and 9 second holds, still stuck", "iphone-14"),
    # said not to work well is no "fine"
    ("mi iphone 8 no funciona bien, mi iphone 6 sí", "iphone-8"),
    # the phone answered decides the family, not every SE a name could be
    ("mi iphone se de primera generación va bien, mi 12 no enciende", {"iphone-se-1", "iphone-12"}),
    ("mon iphone 7 marche bien, mon nouveau 15 est bloqué", {"iphone-7", "iphone-15"}),
    ("il mio iphone 8 va benissimo, mio 6 bloccato sulla mela", {"iphone-6", "iphone-8"}),
    ("my iphone 13 is fine. my 7 however wont turn on", "iphone-7"),
    ("the 6s plus wont charge and my iphone 14 is fine", {"iphone-6s-plus", "iphone-14"}),
    # a second review: "lol" only at an end or before a state; "no longer", "se quedó en"
    ("my 6 lol friends laughed, my iphone 13 is stuck", "iphone-13"),
    ("my iphone 12 is ok but my 6s no longer turns on", "iphone-6s"),
    ("mi iphone 14 va bien, mi 7 se quedó pegado en la manzana", {"iphone-7", "iphone-14"}),
    ("iphone 12 - all good. my 6s - dead since yesterday", "iphone-6s"),
]


@pytest.mark.parametrize(("text", "expected"), BARE_IN_TROUBLE_REVIEWED, ids=[t for t, _ in BARE_IN_TROUBLE_REVIEWED])
def test_a_bare_number_in_trouble_as_reviewed(text: str, expected: set[str] | str) -> None:
    assert_reads(text, expected)


# Round 14's misses, in new words: the phone typed on, the SE 1's four-inch screen, Arabic names.
ROUND_14 = [
    ("typing this on my iphone 15 because my iphone 12 mini is stuck in recovery", "iphone-12-mini"),
    ("using my iphone 7 to write this, my iphone 13 wont get past the logo", "iphone-13"),
    ("my old iphone se, the 4 inch model, shows the itunes cable", "iphone-se-1"),
    ("iphone se 4-inch version frozen on the logo", "iphone-se-1"),
    ("my iphone se has a 4 inch crack and wont boot", set(SE)),
    ("ايفون 12 برو لا يشتغل بعد التحديث", "iphone-12-pro"),
    ("آيفون 8 بلس علق على التفاحة", "iphone-8-plus"),
]


@pytest.mark.parametrize(("text", "expected"), ROUND_14, ids=[t for t, _ in ROUND_14])
def test_round_14_readings(text: str, expected: set[str] | str) -> None:
    assert_reads(text, expected)


# The X said "ten" as a bare number, and a bare number before "lol" or "tho".
BARE_TEN_AND_FILLERS = [
    ("my 10 keeps restarting", "iphone-x"),
    ("my 10 year old reset my iphone 8", "iphone-8"),
    ("dropped my 12 lol, black screen now", "iphone-12"),
    ("my 11 tho is stuck on the logo", "iphone-11"),
]


@pytest.mark.parametrize(("text", "expected"), BARE_TEN_AND_FILLERS, ids=[t for t, _ in BARE_TEN_AND_FILLERS])
def test_bare_ten_and_fillers(text: str, expected: str) -> None:
    assert_reads(text, expected)


# Italian and Portuguese "e" is "and": "iPhone 16 e" before another word of the sentence is the 16, not the 16e.
SIXTEEN_E = [
    ("il mio iphone 16 e il caricatore nuovo non vanno d'accordo, non carica", "iphone-16"),
    ("o iphone 16 e o relógio pararam de sincronizar", "iphone-16"),
    ("iphone 16 e won't turn on", "iphone-16e"),
    ("iphone 16 e keeps restarting", "iphone-16e"),
    ("my iPhone 16 E is frozen", "iphone-16e"),
    ("mi iphone 16 e.", "iphone-16e"),
    ("my iphone 16 e not charging", "iphone-16e"),
    ("iphone 16 e i think it's bricked", "iphone-16e"),
]


@pytest.mark.parametrize(("text", "expected"), SIXTEEN_E, ids=[t for t, _ in SIXTEEN_E])
def test_sixteen_e_or_sixteen_and(text: str, expected: str) -> None:
    assert_reads(text, expected)


@pytest.mark.parametrize(("text", "expected"), BARE_IN_TROUBLE, ids=[t for t, _ in BARE_IN_TROUBLE])
def test_a_bare_number_in_trouble_beside_a_fine_name(text: str, expected: set[str] | str | None) -> None:
    assert_reads(text, expected)


@pytest.mark.parametrize(
    "text",
    [
        "el que funciona es el 12, el 7 no prende",  # the one said to work is not read; "el 7" alone is no name
        "the one in the drawer is the 7",  # no trouble said of it
        "mam iphone 12 i 7 miesięcy temu się zawiesił",  # a Polish duration after "i" is not a second phone
        "iphone xr и 7 месяцев назад завис",
    ],
)
def test_no_other_family_from_the_one_or_a_joint(text: str) -> None:
    mention = read(text)
    assert mention.model_id in (None, "iphone-12", "iphone-xr"), mention
    assert "iphone-7" not in mention.candidates, mention


# A bare number after "my" before more verbs of damage; ages stay no model.
@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("my 13 took a dive in the bathtub and now it's dead", "iphone-13"),
        ("my 12 caught fire while charging", "iphone-12"),
        ("the battery in my 15 swelled so much the back popped off", "iphone-15"),
        ("my 7 overheated in the car and shut off", "iphone-7"),
        ("my 8 year old took my phone and now it's stuck", None),
        ("i left my 7 year old with the phone and it caught fire", None),
    ],
)
def test_bare_numbers_before_damage_verbs(text: str, expected: str | None) -> None:
    mention = read(text)
    assert (mention.model_id, mention.candidates) == (expected, ()), mention


# Cyrillic model words after the number, and "икс" (X); the SE after "my own" or Dutch "mijn"; SE generations from
# "de/uit + model year", Dutch and Polish generation words, a Polish or Spanish hedge; a purchase year is no model year.
@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("айфон 14 про макс не включается", "iphone-14-pro-max"),
        ("мой айфон икс не заряжается", "iphone-x"),
        ("айфон икс ар завис", "iphone-xr"),
        ("айфон 8 плюс не включается", "iphone-8-plus"),
        ("and now my own se won't turn on", set(SE)),
        ("mijn se doet niets meer", set(SE)),
        ("mi iphone se de 2022 no enciende", "iphone-se-3"),
        ("mijn iphone se uit 2020 start niet", "iphone-se-2"),
        ("iphone se van de tweede generatie blijft hangen", "iphone-se-2"),
        ("iphone se, nie wiem czy 1 czy 2 generacja, nie działa", {"iphone-se-1", "iphone-se-2"}),
        ("iphone se 2 o 3, no sé, no prende", {"iphone-se-2", "iphone-se-3"}),
        ("compré mi iphone se en 2021 y no prende", set(SE)),
        ("j'ai eu mon iphone se en 2022, écran noir", set(SE)),
        ("i got my se in 2022 and it's stuck on the logo", set(SE)),
    ],
)
def test_round_9_model_words(text: str, expected: set[str] | str) -> None:
    assert_reads(text, expected)


# The safety review's messages (round 9 model reader): a phone ruled out by "the problem is not" counts against it;
# "mine is the one that works" does not pick mine; "quello che"/"o que" ("what") and Italian "e" ("and") start no
# "the one that ... is"; counts and durations in every hedge language are no SE hedge; "no sé cuál botón", "non so
# quale tasto", "どれかボタン" are no "which of the phones". A set is asked; "ask-or" allows asking or that model.
REVIEW_MODEL_READER = [
    ("the issue is not the iphone 7, it's the iphone 8 that wont turn on", "iphone-8"),
    ("the problem is not the iphone 7, my iphone 12 is stuck on the apple logo", {"iphone-7", "iphone-12"}),
    ("the problem is not my iphone 7 its my sons iphone 12 that wont turn on", {"iphone-7", "iphone-12"}),
    ("the problem is not my iphone 6s, my iphone 12 keeps restarting", {"iphone-6s", "iphone-12"}),
    ("das problem ist nicht mein iphone 7 sondern das iphone 12 meiner frau startet nicht", {"iphone-7", "iphone-12"}),
    ("le problème c est pas mon iphone 7 c est l iphone 13 de ma fille qui reste bloqué", {"iphone-7", "iphone-13"}),
    ("het probleem is niet mijn iphone 7, de iphone 12 van mijn vrouw start niet", "iphone-12"),
    ("the problem is not the iphone 12, my iphone 7 is stuck", {"iphone-7", "iphone-12"}),
    ("the issue is not the iphone 8, it's the iphone 7 that wont turn on", "iphone-7"),
    ("o problema não é meu iphone 7, é o iphone 11 da minha filha", {"iphone-7", "iphone-11"}),
    ("o problema não é meu iphone 12, é o iphone 7 da minha filha", {"iphone-7", "iphone-12"}),
    ("le problème c est pas mon iphone 12 c est l iphone 7 de ma fille qui reste bloqué", {"iphone-7", "iphone-12"}),
    ("the issue is not with my iphone 8 but the iphone 6s keeps restarting", {"iphone-6s", "iphone-8"}),
    ("the problem is not really the 8, the 7 is stuck in a loop", {"iphone-7", "iphone-8"}),
    ("my 7 is fine and my brothers 12 wont boot, mine is the one that works", {"iphone-7", "iphone-12"}),
    ("my iphone 7 is fine, my dads iphone 11 is frozen, mine is the one that works", "iphone-11"),
    ("my 7 plus and my brothers 13, mine is totally fine, his wont turn on", {"iphone-7-plus", "iphone-13"}),
    ("i have my iphone x and my sons 6s, mine is fine, the 6s is stuck on the logo", "iphone-6s"),
    ("non so quello che succede il mio 12 non si accende e il 7 si accende normalmente", ("ask-or", "iphone-12")),
    ("el que tengo no prende es el 7", ("ask-or", "iphone-7")),
    ("mi iphone se 2020 se reinicia 1 o 2 veces", "iphone-se-2"),
    ("iphone se 2022 dura 1 o 2 horas de bateria", "iphone-se-3"),
    ("iphone se 3 рестарт 1 или 2 раза", "iphone-se-3"),
    ("iphone se 2016, se apaga 1 o 2 veces al dia", "iphone-se-1"),
    ("meu iphone se 2016 desliga 1 ou 2 vezes por dia", "iphone-se-1"),
    ("mon iphone se 2016 s éteint 1 ou 2 fois par jour", "iphone-se-1"),
    ("il mio iphone se 2016 si spegne 1 o 2 volte al giorno", "iphone-se-1"),
    ("mein iphone se 2016 geht 1 oder 2 mal am tag aus", "iphone-se-1"),
    ("mój iphone se 2016 wyłącza się 1 czy 2 razy dziennie", "iphone-se-1"),
    ("iphone se 2016 wyłącza się 1 lub 2 razy dziennie", "iphone-se-1"),
    ("iphone se 2020 dura 1 ou 2 heures", "iphone-se-2"),
    ("iphone se 2020 dura 1 o 2 ore", "iphone-se-2"),
    ("iphone se 2020 hält 1 oder 2 stunden", "iphone-se-2"),
    ("iphone se 2020 działa 1 lub 2 godziny", "iphone-se-2"),
    ("iphone se 2020 работает 1 или 2 часа", "iphone-se-2"),
    ("iphone se 2020 restarts every 1 or 2 minutes", "iphone-se-2"),
    ("tengo iphone 12 y iphone 7, el 12 no prende, no sé cuál hacer", "iphone-12"),
    ("ho un iphone 12 e un iphone 7, il 12 non si accende, non so quale tasto premere", "iphone-12"),
    ("ich hab ein iphone 12 und ein iphone 7, das 12 startet nicht, weiß nicht welche knöpfe", "iphone-12"),
    ("ik heb een iphone 12 en een iphone 7, de 12 start niet, ik weet niet welke knoppen", "iphone-12"),
    ("j ai un iphone 12 et un iphone 7, le 12 reste bloqué, je sais pas laquelle des méthodes", "iphone-12"),
    ("mam iphone 12 i iphone 8, mój nie działa, nie wiem który przycisk", "iphone-12"),
    ("tengo un iphone 12 y mi mamá un iphone 8, el mío no prende, no sé cuál botón apretar", "iphone-12"),
    ("iPhone 12とiPhone 8を持っています。12が起動しません。どれかボタンを押しても反応しない", "iphone-12"),
    ("iPhone 7とiPhone 12があって、12が起動しません。どちらかといえば古い方は大丈夫", ("ask-or", "iphone-12")),
    ("iPhone 12が起動しない。iPhone 7はどれかのアプリが重いだけ", "iphone-12"),
    ("我的iPhone 12开不了机，另外一部iPhone 7其中一个app闪退", "iphone-12"),
    ("아이폰 12랑 아이폰 8 있는데 12가 안 켜져요 둘 중 하나 버튼 눌러도", "iphone-12"),
    # must keep working
    ("the problem is my old 6s, not the new 12", "iphone-6s"),
    ("the problem is the iphone 7, my iphone 12 works", "iphone-7"),
    ("my wife has an iphone 7 and i have a 12, mine is stuck on the logo", "iphone-12"),
    ("el que no prende es el 11, el 7 anda bien", "iphone-11"),
    ("i have an iphone 12 and a 7, one of them won't turn on", {"iphone-12", "iphone-7"}),
    ("tengo un iphone 12 y un iphone 7, no sé cuál no prende", {"iphone-12", "iphone-7"}),
    ("aqui tem um iphone 13 e um iphone 8, não sei qual travou", {"iphone-13", "iphone-8"}),
    ("zu hause liegen ein iphone 13 und ein iphone 8, ich weiß nicht welches hängt", {"iphone-13", "iphone-8"}),
    ("ho un iphone 12 e un iphone 7, non so quale dei due non si accende", {"iphone-12", "iphone-7"}),
    ("iPhone 8とiPhone 12、どちらか起動しない", {"iphone-8", "iphone-12"}),
    ("iphone se 2 o 3, no sé, no prende", {"iphone-se-2", "iphone-se-3"}),
]


@pytest.mark.parametrize(("text", "expected"), REVIEW_MODEL_READER, ids=[t for t, _ in REVIEW_MODEL_READER])
def test_review_model_reader_readings(text: str, expected: str | set[str] | tuple[str, str]) -> None:
    mention = read(text)
    if isinstance(expected, str):
        assert (mention.model_id, mention.candidates) == (expected, ()), mention
    elif isinstance(expected, tuple):
        model_id = expected[1]
        assert mention.model_id in (None, model_id), mention
        assert all(FAMILY[c] == FAMILY[model_id] for c in mention.candidates if c != model_id) or (
            mention.model_id is None and model_id in mention.candidates
        ), mention
    else:
        assert mention.model_id is None, mention
        assert set(mention.candidates) == expected, mention


# Round 11 (a blind probe batch, 2026-12-03), in new words: a name the writer left does not outweigh the bare
# phone with the trouble; a bare model listed before a name is asked about when the writer does not say which; SE
# hedges with ordinal endings right after the name. A number after a possessive of another language is no phone
# (a safety review found ages, prices, sizes and Xiaomi models read as iPhones), so the bot asks, unless the trouble
# follows it right away ("mon 12 est bloqué") and nothing else names a phone.
ROUND_11 = [
    ("went from an iphone 8 to the 14 in may and the 14 keeps freezing", "iphone-14"),
    ("switched over from an iphone 6s last year and the 13 is stuck in a boot loop now", "iphone-13"),
    ("we have two iphones, 7 and 13 mini, and one of them is stuck on the logo", {"iphone-7", "iphone-13-mini"}),
    ("two phones here, the 7 and the 11 pro, one won't turn on", {"iphone-7", "iphone-11-pro"}),
    # (since stop 20 read as the phone when its trouble comes right after it and nothing else names one)
    ("depuis ce matin mon 12 est bloqué sur la pomme", "iphone-12"),
    ("mein 11 hängt seit gestern im boot loop", "iphone-11"),
    ("mi 12 no enciende desde anoche", None),
    ("mein 7-jähriger sohn hat das iphone gesperrt", None),
    ("mi 16 gb iphone no enciende", None),
    ("mein 13. iphone und es hängt schon wieder", None),
    ("mi 11 ultra no enciende", None),  # a Xiaomi
    ("mi 9 años de hijo bloqueó el iphone", None),
    ("my iphone 7 works only on the charger, my iphone 13 is fine", "iphone-7"),
    # the second review's: "like" is filler, "one of them" is needed for a list before a name, an SE hedge said of
    # another device or ruled out hedges nothing
    ("so like my iphone 13 is stuck on the logo and my 7 is in the drawer", "iphone-13"),
    ("i tried both phones, 7 and iphone 12 buttons, nothing happens", "iphone-12"),
    ("iphone se 2016 hängt, mein ipad 2. oder 3. generation geht", "iphone-se-1"),
    ("iphone se erste generation, nicht 2. oder 3. generation, hängt", {"iphone-se-1", "iphone-se-2", "iphone-se-3"}),
    ("iphone se, 1. oder 2. generation, weiß ich nicht, hängt im recovery", {"iphone-se-1", "iphone-se-2"}),
    ("iphone se 2e ou 3e génération, bloqué sur la pomme", {"iphone-se-2", "iphone-se-3"}),
    ("iphone se 1ª o 2ª generación, no enciende", {"iphone-se-1", "iphone-se-2"}),
    ("iphone se 1e of 2e generatie, start niet", {"iphone-se-1", "iphone-se-2"}),
    # the safety review of these rules (2026-12-03): counts before "and <name>" are no list, an old phone with
    # the trouble stays the one, and ordinals of a date or a count are no generation hedge
    ("my daughters are 5, 7 and my iphone 12 backup has their photos, now the phone is stuck on the logo", "iphone-12"),
    ("tried holding for 5, 7 and iphone 11 buttons do nothing, screen black", "iphone-11"),
    ("I restarted 3, 4 and iphone 13 data is gone? its stuck on the logo", "iphone-13"),
    ("got a new 14, my old iphone 7 is now stuck in a boot loop", "iphone-7"),
    ("I switched to the 15 but my old iphone 6s is stuck on the apple logo", "iphone-6s"),
    ("went to the 14 and the old iphone se 2016 is stuck in recovery", "iphone-se-1"),
    ("mein iphone se 2016 ist am 2. oder 3. mai ins recovery gegangen", "iphone-se-1"),
    ("mon iphone se (2016) est bloqué depuis le 2e ou 3e redémarrage", "iphone-se-1"),
    ("iphone se 3. generation, hängt, war mein 1. oder 2. iphone", "iphone-se-3"),
    # round 10 (a blind probe batch, 2026-12-03), in new words
    ("left my 13 out on the balcony in a storm and now it wont boot", "iphone-13"),
    ("my 14 flew out of my hand on the bus and now the screen is black", "iphone-14"),
    ("my iphone 15 pro is fine, its my dads 7 thats stuck in recovery", "iphone-7"),
    ("mon iphone 13 va bien mais l iphone 7 de mon fils reste bloqué", "iphone-7"),
    # round 12 (a blind probe batch, 2026-12-03), in new words
    # the third review's: "used to have" is no rule ("antes tenía un iphone 7 y ahora lo usa mi hijo, no enciende"
    # is about the 7), ordinal hedges after the name, even when its digit starts them, unless another device or a
    # denial comes between
    ("antes tenía un iphone 7 y ahora lo usa mi hijo, no enciende, yo tengo un iphone 13", {"iphone-7", "iphone-13"}),
    ("iphone se 1. oder 2. generation, hängt", {"iphone-se-1", "iphone-se-2"}),
    ("mein iphone se hängt, ich weiß nicht ob 1. oder 2. generation", {"iphone-se-1", "iphone-se-2"}),
    ("iphone se 1-го или 2-го поколения не включается", {"iphone-se-1", "iphone-se-2"}),
    ("ich habe ein iphone 8 und ein iphone 11, eins davon startet nicht mehr", {"iphone-8", "iphone-11"}),
    ("我的SE三代一直重启", "iphone-se-3"),
    ("SE第2世代がリンゴループ", "iphone-se-2"),
]


@pytest.mark.parametrize(("text", "expected"), ROUND_11, ids=[t for t, _ in ROUND_11])
def test_round_11_readings(text: str, expected: str | set[str] | None) -> None:
    assert_reads(text, expected)


# Stop 20: a number with no owner said in trouble beside a fine name, Swedish, Danish and Norwegian "my", and two
# phones of different families both in trouble now (asked which to start with; history is not asked).
UNOWNED_SCANDINAVIAN_AND_BOTH = [
    ("iphone 13 works fine, 6s wont charge at all", "iphone-6s"),
    ("the family phones: iphone 14 (ok), 7 (frozen)", {"iphone-7", "iphone-14"}),
    ("held it 10 min 7 times and my iphone 13 is still stuck", "iphone-13"),
    ("min iphone 7 funkar fint men min 11 startar inte", {"iphone-7", "iphone-11"}),
    ("mitt barn tappade min iphone 12, den startar inte", "iphone-12"),
    ("min iphone 14 har hängt sig på äpplet", "iphone-14"),
    ("my iphone 15 wont boot and my 6 too", {"iphone-6", "iphone-15"}),
    ("my 11 is frozen on the logo, my 6 is also frozen", {"iphone-6", "iphone-11"}),
    ("mein iphone 15 startet nicht und mein 7 auch nicht", {"iphone-7", "iphone-15"}),
    ("my iphone 15 wont boot, my 8 also did this last year", "iphone-15"),
    ("mon iphone 14 est bloqué, mon 6 aussi une fois avant", "iphone-14"),
    ("my iphone 13 is fine and my 7 too", "iphone-13"),
]


@pytest.mark.parametrize(
    ("text", "expected"), UNOWNED_SCANDINAVIAN_AND_BOTH, ids=[t for t, _ in UNOWNED_SCANDINAVIAN_AND_BOTH]
)
def test_unowned_numbers_scandinavian_and_both_in_trouble(text: str, expected: set[str] | str) -> None:
    assert_reads(text, expected)


# Round 15's misses, in new words: a message opening with a bare number, a number after "my" in another language
# with its trouble, the phone "i got", fillers, SE words, Polish cases, Arabic-Indic digits.
ROUND_15 = [
    ("12 wont turn on since this morning", "iphone-12"),
    ("x keeps restarting on the logo", "iphone-x"),
    ("15 minutes on the logo now", None),
    ("mon 12 reste bloqué sur la pomme", "iphone-12"),
    ("mijn 11 start niet meer op", "iphone-11"),
    ("mi 8 no prende", None),  # a Xiaomi Mi 8 as well
    ("my old 7 is fine but the 14 i bought last week keeps rebooting", "iphone-14"),
    ("dropped it in the street, my 12 apparently still works but the screen flickers", "iphone-12"),
    ("the tiny SE with the headphone jack is stuck in recovery", "iphone-se-1"),
    ("iphone se de segunda generación bloqueado", "iphone-se-2"),
    ("SE di terza generazione non si accende", "iphone-se-3"),
    ("初代iPhone SEが動かない", "iphone-se-1"),
    ("mein iPhone SE (das zweite von 2020) startet nicht", "iphone-se-2"),
    ("ekran w iPhonie 13 nie reaguje", "iphone-13"),
    ("ايفون ١٤ برو لا يعمل", "iphone-14-pro"),
    ("Das iPhone 13 meines Sohnes läuft, aber mein iPhone XR hängt", "iphone-xr"),
]


@pytest.mark.parametrize(("text", "expected"), ROUND_15, ids=[t for t, _ in ROUND_15])
def test_round_15_readings(text: str, expected: set[str] | str | None) -> None:
    assert_reads(text, expected)


# The stop-20 safety review (745 probes of its own) and round 16, in new words: what must not be read as a phone,
# and phrasings the rules now read.
STOP_20_REVIEW = [
    # an opening number before a plural noun, a former phone "i had", another device named, a dongle
    ("5 dead keys on the keyboard since the update", None),
    ("3 frozen tabs in safari and my phone is slow", None),
    ("the 8 i had was great, this one keeps restarting", None),
    ("mein 13 hängt, ist aber ein xiaomi", None),
    ("iphone se plus a headphone jack dongle, stuck on the logo", set(SE)),
    # an iOS version listed is no phone; "also" that says nothing of trouble
    ("my iphone 8 is fine on ios 15, 16 wont install", "iphone-8"),
    ("my iphone 13 froze and my 7 also arrived today", "iphone-13"),
    ("my iphone 14 keeps rebooting, my 6 is also doing it", {"iphone-6", "iphone-14"}),
    ("mi iphone 13 no carga y mi 7 tampoco carga", {"iphone-7", "iphone-13"}),
    # unowned numbers with other languages' trouble, lists with colons and slashes
    ("iphone 14 va bien, 7 no arranca", {"iphone-7", "iphone-14"}),
    ("iphone 12: ok / 6: frozen", {"iphone-6", "iphone-12"}),
    ("min iphone 12 virker fint, men min 6 starter ikke", {"iphone-6", "iphone-12"}),
    # SE hedges with Romance and German ordinals; SE after an article in other languages
    ("mein iphone se, erste oder zweite generation, startet nicht", {"iphone-se-1", "iphone-se-2"}),
    ("tengo un se viejo que no prende", set(SE)),
    # Hindi, Turkish, Ukrainian; "anyone else's", "takes"
    ("mera 12 bilkul start nahi ho raha", "iphone-12"),
    ("annemin iphone 11 sorunsuz ama benim iphone 7 açılmıyor", "iphone-7"),
    ("мій старий iphone 7 працює, а iphone 15 не вмикається", "iphone-15"),
    ("is anyone elses 14 boot looping since the update", "iphone-14"),
    ("why does the 15 takes ages to update", "iphone-15"),
]


@pytest.mark.parametrize(("text", "expected"), STOP_20_REVIEW, ids=[t for t, _ in STOP_20_REVIEW])
def test_stop_20_review_readings(text: str, expected: set[str] | str | None) -> None:
    assert_reads(text, expected)


# The second stop-20 review (609 probes of its own), in new words.
STOP_20_SECOND_REVIEW = [
    ("12 dead guys any ideas", "iphone-12"),
    ("11 wont load apps anymore", "iphone-11"),
    ("mijn 12 blijft hangen, mijn ipad doet het wel", "iphone-12"),
    ("mon 12 est bloqué, enfin c'est un redmi", None),
    ("my iphone 13 is frozen and my 7 too haha", {"iphone-7", "iphone-13"}),
    ("mi iphone 12 no prende y mi 7 también, ayuda porfa", {"iphone-7", "iphone-12"}),
    ("my iphone 14 is stuck; my 6 too, but it sits in a drawer", "iphone-14"),
    # a bare number after "but" in Turkish, Russian, Spanish, German, with or without an article
    ("iphone 13 sorunsuz ama 6 açılmıyor", {"iphone-6", "iphone-13"}),
    ("айфон 13 работает, а 7 завис", {"iphone-7", "iphone-13"}),
    ("mein iphone 6 läuft, aber das 14 startet nicht", {"iphone-6", "iphone-14"}),
    ("мой айфон 13 не работает", "iphone-13"),
    # two bare numbers joined as the subject of one trouble ("are"), with a filler after the first
    ("my 6 and my 13 are frozen", {"iphone-6", "iphone-13"}),
    ("my 6 haha and my 11 were both stuck", {"iphone-6", "iphone-11"}),
    ("my 8 are the years i miss", None),
    # a generation said not to be it is set aside, and the others asked
    ("iphone se but not the first generation, frozen", {"iphone-se-2", "iphone-se-3"}),
    ("iphone se, nicht die erste generation, hängt", {"iphone-se-2", "iphone-se-3"}),
    # "also" before the second phone, and Ukrainian "теж"
    ("il mio iphone 13 è bloccato e anche il mio 6", {"iphone-6", "iphone-13"}),
    ("my iphone 14 froze and also my 7", {"iphone-7", "iphone-14"}),
    ("мій iphone 13 не працює, і мій 6 теж", {"iphone-6", "iphone-13"}),
    ("my iphone 14 froze and also my 7 works fine", "iphone-14"),
    # a bare phone joined by "and" to a name that share one trouble; the X said "10" as a doubt
    ("my 6 lol and the iphone 14 both keep restarting", {"iphone-6", "iphone-14"}),
    ("iphone 7 is fine, but 10 keeps rebooting", {"iphone-7", "iphone-x"}),
    ("my iphone 7 is fine, 10 minutes later it died", "iphone-7"),
]


@pytest.mark.parametrize(("text", "expected"), STOP_20_SECOND_REVIEW, ids=[t for t, _ in STOP_20_SECOND_REVIEW])
def test_stop_20_second_review_readings(text: str, expected: set[str] | str | None) -> None:
    assert_reads(text, expected)


# Stop 21: the first stop-20 review's last other-family readings, in new words.
STOP_21_READINGS = [
    # the trouble left unsaid after a fine phone ("isn't" = isn't fine), also after a full stop
    ("the iphone 13 works great, 6 doesnt", {"iphone-6", "iphone-13"}),
    ("iphone 14 is okay. 7 isnt", {"iphone-7", "iphone-14"}),
    ("iphone 14 is okay. 7 tries later it froze", "iphone-14"),
    # an alias with another language's trouble right after it, or a bracket in a list
    ("min iphone 13 fungerar bra men min 6s fungerar inte", {"iphone-6s", "iphone-13"}),
    ("iphone 12 mini (ok) / 6s plus (stuck on logo)", {"iphone-6s-plus", "iphone-12-mini"}),
    # "also" after the second phone, before its trouble: both are in trouble now
    ("my 6 haha. my 13 is also frozen", {"iphone-6", "iphone-13"}),
    ("my 6 had it once. my 13 is also frozen", "iphone-13"),
    ("got a 7 and a 13 too, the 7 is frozen", "iphone-7"),
]


@pytest.mark.parametrize(("text", "expected"), STOP_21_READINGS, ids=[t for t, _ in STOP_21_READINGS])
def test_stop_21_readings(text: str, expected: set[str] | str | None) -> None:
    assert_reads(text, expected)


STOP_22_READINGS = [
    # a phone given up or passed on, and the one set up instead
    ("mum retired her iphone 6 and i set her up with a 15 pro, now it won't turn on", "iphone-15-pro"),
    ("got rid of my iphone 7, the 13 mini is stuck on the logo", "iphone-13-mini"),
    ("troquei o iphone 7 por um iphone 13 e ele não liga", "iphone-13"),
    ("cambié mi iphone 8 por un iphone 6s y no enciende", "iphone-6s"),
    # "hangs" is trouble in English too: two phones of different families, both in trouble
    ("iphone 15 stuck on the logo, my 7 plus hangs as well", {"iphone-7-plus", "iphone-15"}),
    # a phone set aside in brackets after its name
    ("iphone 13 (frozen on the apple) / 7 plus (my spare)", "iphone-13"),
    # number words as voice typing writes them in other languages
    ("o meu iphone treze não liga", "iphone-13"),
    ("mon iphone douze reste sur la pomme", "iphone-12"),
    ("mein iphone vierzehn hängt", "iphone-14"),
    ("my iphone once froze, now it's stuck on the logo", None),
    # Persian "آیفون" (a Persian yeh) and Persian digits
    ("آیفون ۱۲ من روشن نمیشه", "iphone-12"),
    # Dutch "met" after the SE is "with", not French "se met"
    ("iphone se met home knop, start niet op", {"iphone-se-1", "iphone-se-2", "iphone-se-3"}),
    ("mon iphone se met à redémarrer tout seul", None),
    ("mine's a 13, frozen on the logo", "iphone-13"),
    # a count or a time after the number word is no model: "left the iphone twelve hours", "zwölf mal"
    ("dejé el iphone doce horas cargando", None),
    ("das iphone zwölf mal neu gestartet", None),
    ("ho lasciato l'iphone 12 ore in carica", None),
    ("why does my iphone seize up at night", None),
    # a size or a count after "it is a": no model
    ("mine's a 6 digit code and i forgot it", None),
    ("it's a 4-digit passcode", None),
    # French "se met face": the reflexive verb, not the SE (but "se met de" is Dutch "SE met de", below)
    ("iphone se met een barst, doet niks", {"iphone-se-1", "iphone-se-2", "iphone-se-3"}),
    # "too" after a trouble denied, asked or only feared: the named phone stays the one
    ("iphone 13 stuck, my 7 is not frozen too", "iphone-13"),
    ("iphone 13 stuck, my 7 won't be dead too, right?", "iphone-13"),
    ("my iphone 13 won't start and my 7 is not starting as well", {"iphone-7", "iphone-13"}),
    ("my iphone 12 won't charge, my 6 won't charge either", {"iphone-6", "iphone-12"}),
    ("my iphone 11 keeps restarting, and my 7 hangs too", {"iphone-7", "iphone-11"}),
    ("xr is frozen. my 7 plus also has an error", {"iphone-7-plus", "iphone-xr"}),
    ("xr is frozen. my 7 plus also has ios 15", "iphone-xr"),
    # "mine" outweighs the phone set up for someone else
    ("mine's a 6, i set her up with an iphone 12. mine won't turn on", {"iphone-6", "iphone-12"}),
    # an "old" or "spare" that belongs to the name before it (brackets are gone by then)
    ("iphone 13 (previous) and iphone 7 (spare) are both frozen", {"iphone-7", "iphone-13"}),
    ("iphone 12 mini (frozen) / 6s (my old one)", "iphone-12-mini"),
    # Hebrew, Greek, Hindi and Thai names of the iPhone
    ("האייפון 13 שלי לא נדלק", "iphone-13"),
    ("το αϊφόν 11 μου κόλλησε", "iphone-11"),
    ("मेरा आईफोन 13 प्रो बंद हो गया", "iphone-13-pro"),
    ("ไอโฟน 12 มินิ เปิดไม่ติด", "iphone-12-mini"),
    # trouble words that let a bare number be the phone: sparks, a burning smell, a German restart loop
    ("sparks came out of the port of my 8", "iphone-8"),
    ("mein 11er startet immer wieder neu", "iphone-11"),
    # another device on the logo, an iPhone named in passing
    ("my ipad has been on the apple logo all night, my iphone 12 is fine", None),
    # a second phone "says" the same, or "which is stuck too", or a spare "too": which one is asked
    ("my iphone 13 is disabled, my 6 says disabled too", {"iphone-6", "iphone-13"}),
    ("my iphone 15 is frozen, can you also help with my 7 which is frozen too", {"iphone-7", "iphone-15"}),
    # a phone used as a tool for the other is not the one in trouble
    ("my iphone 13 is stuck, can i use my 7 to restore it?", "iphone-13"),
    ("i use my 7 for work, it's stuck on the logo", "iphone-7"),
    # a bare phone said twice is weighed with the names; "is too" still makes it share the trouble
    ("my iphone 13 is frozen, my 6 is too, the 6 is ancient", {"iphone-6", "iphone-13"}),
    # Vietnamese "con 12 của mình" is "my 12", but not a child's age or school year
    ("con 12 của mình bị treo logo", "iphone-12"),
    ("con 6 của em mới học lớp 1, iphone của em bị treo", None),
    # review 24: units that are not counts after the number ("раз в день", "mal wieder", "semana passada")
    ("мой iphone 13 раз в день сам перезагружается", "iphone-13"),
    ("mein iphone 11 mal wieder im bootloop", "iphone-11"),
    ("comprei meu iphone 12 semana passada e não liga", "iphone-12"),
    # Dutch "se met de" is "SE with the"
    ("mijn iphone se met de nieuwe update hangt", {"iphone-se-1", "iphone-se-2", "iphone-se-3"}),
    # "either" about a cable or a helper, "also has the same case", "my 7 backup too": no second phone in trouble
    ("my iphone 13 is frozen and the 6 won't help either", "iphone-13"),
    ("my iphone 12 shows error 4013, my 6 also has the same case", "iphone-12"),
    ("my iphone 15 is in dfu, i got my 7 backup too for calls", "iphone-15"),
    ("my iphone 13 is stuck and my 6s never boots anymore either", {"iphone-6s", "iphone-13"}),
    # the writer's own phone said fine: the other one may be the phone, so which one is asked
    ("my sister has an iphone 6, i have a 14. her phone keeps restarting, mine's fine", {"iphone-6", "iphone-14"}),
    # Dutch "onze" (our) after "iphone" is no number word; Persian and Hebrew model words
    ("de iphone onze dochter gebruikt blijft hangen", None),
    ("آیفون ۸ پلاس من روشن نمیشه", "iphone-8-plus"),
    ("האייפון 15 פרו שלי לא נדלק", "iphone-15-pro"),
    # "too" or "aussi" right after a second phone of another family, and "has no power either": which one is asked
    ("mon iphone 13 est bloqué et mon 6s aussi", {"iphone-6s", "iphone-13"}),
    ("my iphone 13 is dead and my 6 has no power either", {"iphone-6", "iphone-13"}),
    # but not a list of what the writer has
    ("i have an iphone 13 and a 6s too, the 13 is stuck", "iphone-13"),
    # a model typed apart ("X R", "1 3 pro"), and another phone named only for its buttons
    ("my X R is stuck on the apple", "iphone-xr"),
    ("il mio 1 3 pro non si accende", "iphone-13-pro"),
    ("my 13 mini froze, i did the same buttons as on my old 6", "iphone-13-mini"),
]


@pytest.mark.parametrize(("text", "expected"), STOP_22_READINGS, ids=[t for t, _ in STOP_22_READINGS])
def test_stop_22_readings(text: str, expected: set[str] | str | None) -> None:
    assert_reads(text, expected)


STOP_23_READINGS = [
    # whose the phone is, said between a bare number and its trouble (review 24)
    ("the 7 my daughter has keeps restarting, my iphone 14 is fine", "iphone-7"),
    ("my iphone 13 is okay but the 6 my wife uses shows the apple logo all day", "iphone-6"),
    ("the 7 my son got for his birthday is great", None),
    # a spare or backup phone said to share the trouble
    ("my iphone 15 is stuck on the logo and the 6 spare too", {"iphone-6", "iphone-15"}),
    ("my iphone 12 keeps restarting and the backup 7 also does it", {"iphone-7", "iphone-12"}),
    # the trouble compared with another family's phone after "also" or "too"
    ("my 7 freezes too, exactly like my iphone 11", {"iphone-7", "iphone-11"}),
    ("my 8 freezes too, exactly like my iphone 11", "iphone-8"),  # one family: no need to ask
    # a phone labelled by its role, referred to by that word later
    ("iphone 13 (backup phone) and iphone 6s, the backup is stuck on the logo", "iphone-13"),
    ("iphone 13 (spare) and iphone 6s. the spare won't turn on", "iphone-13"),
    ("my iphone 13 backup is on icloud and my iphone 6s won't turn on", "iphone-6s"),
    # models in other scripts: Ukrainian case ending, a Cyrillic "Х", Persian and Urdu words, Arabic "my phone"
    ("мій айфоні12 не вмикається", "iphone-12"),
    ("в айфоні 11 завис екран", "iphone-11"),
    ("мой айфон ХS не включается", "iphone-xs"),
    ("آیفون۱۴پرومکس خاموش شد", "iphone-14-pro-max"),
    ("آیفون ۱۲ پرو مکسم روشن نمیشه", "iphone-12-pro-max"),
    ("آئی فون ۷ پلس بند ہو گیا", "iphone-7-plus"),
    ("آیفون ایکس ار من روشن نمیشه", "iphone-xr"),
    ("جوالي 14 برو طافي", "iphone-14-pro"),
    ("جوالي 7 ايام طافي", None),
    ("سويت نفس طريقة ايفون 8 بس جوالي 11 برو ما اشتغل", "iphone-11-pro"),
    ("گوشی قبلیم آیفون ۶ بود، الان آیفون ۱۳ دارم که خاموش شده", "iphone-13"),
    # number words before a model word
    ("the twelve pro is stuck on the logo", "iphone-12-pro"),
    ("mine is a fourteen plus and it won't boot", "iphone-14-plus"),
    ("mi novio tiene un trece mini que no prende", "iphone-13-mini"),
    ("the fifteen minutes went by", None),
    # SE generations: Russian ordinals, Hindi and Russian "I have", Polish "ten z", 5G
    ("у меня se, первый или второй не знаю, завис", {"iphone-se-1", "iphone-se-2"}),
    ("mera se hai, band ho gaya", {"iphone-se-1", "iphone-se-2", "iphone-se-3"}),
    ("iphone se, ten z 2020, nie włącza się", "iphone-se-2"),
    ("my se with 5g is stuck on the logo", "iphone-se-3"),
    # "second" after a model is no duration when the phone was bought second-hand
    ("beli iphone 12 second dari tokopedia, sekarang mati", "iphone-12"),
    ("bought an iphone xr second-hand, now it bootloops", "iphone-xr"),
    ("held the iphone 8 seconds then let go", None),
    # a bare number before hit, threw, slid or puffed
    ("my 15 hit the tiles and the screen is black", "iphone-15"),
    ("ten 6s od wczoraj nie działa, a iphone 12 działa", {"iphone-6s", "iphone-12"}),
    # Greek and Amharic names, Czech and Romanian case endings, Greek "-άρι"
    ("Αϊφόν 12 Προ Μαξ κόλλησε στο μήλο", "iphone-12-pro-max"),
    ("iPhone ΧΣ Μαξ δεν ανοίγει", "iphone-xs-max"),
    ("iPhone ΧΡ κόλλησε", "iphone-xr"),
    ("το 13άρι μου δεν ανοίγει", "iphone-13"),
    ("πήρα 12 άρια", None),
    ("አይፎን 13 ፕሮ አይበራም", "iphone-13-pro"),
    ("na iPhonu 11 se zasekl displej", "iphone-11"),
    ("iPhone-ul 7 nu mai pornește", "iphone-7"),
    # SE years hedged in Spanish and Swedish
    ("mi iphone se es el de 2020 o el de 2022, no sé, no prende", {"iphone-se-2", "iphone-se-3"}),
    ("min iphone se är från 2016 eller 2020, den startar inte", {"iphone-se-1", "iphone-se-2"}),
    # a refurbished phone, "of mine", French "s'éteint"
    ("my refurbished 7 switched off and stays black", "iphone-7"),
    ("this 12 of mine won't charge anymore", "iphone-12"),
    ("mon 6 s'éteint tout seul", "iphone-6"),
    # review 25: what the new rules must not read as a phone
    ("the 6 my brother got on his exam upset him, my phone won't boot", None),
    ("there is a spare 8 in my cupboard, my everyday phone is frozen", None),
    ("restoring the 12 backup onto my new phone, it is stuck on the logo", None),
    ("my 4 hit singles playlist froze my phone", None),
    ("used the phone for a six plus hour trip, now it won't turn on", None),
    ("the ten pro tips on youtube did nothing, my phone is still stuck", None),
    ("جوالي 12 برو ريدمي علق", None),
    ("mere se restart nahi ho raha, phone atka hai", None),
    ("not sure if my se has 5g, it is stuck on the logo", {"iphone-se-1", "iphone-se-2", "iphone-se-3"}),
    ("its 10 pm here and my phone froze", None),
    # ... and what they must read
    ("my 8 is stuck too, I did it like the iphone 11 video shows", "iphone-8"),
    ("copied my iphone 8 backup to my new iphone 15, the backup is stuck and the phone froze", "iphone-15"),
    ("iphone 14 (backup phone) and iphone 6s. the backup won't charge anymore", "iphone-14"),
    ("my daughter dropped the 6 she has in the sink and now it's dead, my iphone 12 works", {"iphone-6", "iphone-12"}),
    ("گوشی قبلیم آیفون ۶ روشن نمیشه، الان آیفون ۱۲ دارم", {"iphone-6", "iphone-12"}),
]


@pytest.mark.parametrize(("text", "expected"), STOP_23_READINGS, ids=[t for t, _ in STOP_23_READINGS])
def test_stop_23_readings(text: str, expected: set[str] | str | None) -> None:
    assert_reads(text, expected)

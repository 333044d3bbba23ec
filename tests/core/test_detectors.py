"""Safety detectors: liquid, swollen battery, smoke (danger) and impact damage in eleven languages, what is not
damage, negation, and error codes as Apple's dialogs and the restore tools print them.

Every message here was written for these tests (none is from the real-message sets). Each detector has a
recall target over its own table; the English core cases must each pass on their own.
"""

from __future__ import annotations

import asyncio
import re

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from bot.core.answer import TriageRequest
from bot.core.knowledge import load_knowledge
from bot.core.matching import Matcher
from bot.core.scan import FastPattern, Scan
from bot.core.triage import Triage
from bot.settings import DEFAULT_KNOWLEDGE_DIR

KNOWLEDGE = load_knowledge(DEFAULT_KNOWLEDGE_DIR)
MATCHER = Matcher(KNOWLEDGE)
RECALL_TARGET = 0.95  # per detector, over its multilingual table


def kinds(text: str) -> list[str]:
    return [e.id for e in MATCHER.analyse(text).damage]


LIQUID = {
    "en": [
        "dropped my iphone in the toilet and now it won't turn on",
        "it fell in the loo this morning",
        "my phone went down the wc, fished it out straight away",
        "took it in the bath by accident",
        "it slipped into the pool",
        "left it on the edge of the sink and it fell in",
        "it went through the washing machine in my jeans",
        "got caught in the rain and now the screen flickers",
        "spilled a glass of wine on it",
        "my kid spilt juice all over it",
        "i think i drowned it",
        "it got soaked at the beach",
        "coffee went inside the charging port",
        "it says liquid detected in lightning connector",
        "it fell into a puddle",
    ],
    "es": ["se me cayó al inodoro", "se mojó con la lluvia", "cayó a la piscina y ya no prende", "le derramé café"],
    "de": [
        "mein iPhone ist ins Klo gefallen",
        "es ist nass geworden",
        "Kaffee drüber geschüttet",
        "lag in der Badewanne",
    ],
    "fr": ["mon iphone est tombé dans les toilettes", "il a été mouillé par la pluie", "tombé dans l'eau hier"],
    "pt": [
        "meu iphone caiu na privada",
        "molhou na chuva",
        "caiu na piscina e não liga mais",
        "caiu no vaso sanitário",
    ],
    "it": ["mi è caduto nel water", "si è bagnato sotto la pioggia", "è finito in lavatrice"],
    "nl": ["mijn iphone is in de wc gevallen", "hij is nat geworden in de regen", "koffie gemorst over mijn telefoon"],
    "pl": ["wpadł mi do wody", "telefon jest zalany", "upuściłem go do toalety i jest mokry"],
    "ru": ["уронил айфон в унитаз", "телефон намок под дождём", "залил телефон чаем"],
    "zh": ["手机掉进马桶了", "我的iphone进水了", "不小心把咖啡洒了在手机上"],
    "ja": ["iPhoneをトイレに落とした", "水没してから電源が入らない", "お風呂に落としてしまった"],
}
SWOLLEN = {
    "en": [
        "the battery is swollen",
        "my phone is bulging at the back",
        "the battery started puffing up",
        "the screen is lifting off the frame",
        "there is a gap between the screen and the frame now",
        "display popping out on one side",
        "the back glass is bulging",
    ],
    "es": ["la batería está hinchada", "la pantalla se levanta"],
    "de": ["der Akku ist aufgebläht", "das Display hebt sich"],
    "fr": ["la batterie est gonflée", "l'écran se soulève"],
    "pt": ["a bateria está inchada", "a tela está levantando"],
    "it": ["la batteria è gonfia", "lo schermo si solleva"],
    "nl": ["de batterij is opgezwollen", "het scherm komt los"],
    "pl": ["bateria jest spuchnięta", "ekran się podnosi"],
    "ru": ["вздулся аккумулятор", "экран отходит от корпуса"],
    "zh": ["电池鼓包了", "屏幕被顶起来了"],
    "ja": ["バッテリーが膨張して画面が浮いている", "電池が膨らんでいる"],
}
SMOKE = {
    "en": [
        "it started smoking while charging",
        "smoke came out of the charging port",
        "there is a burning smell coming from my iphone",
        "it smells like burnt plastic",
        "i saw sparks when i plugged it in",
        "the cable melted in the port",
        "my phone caught fire",
    ],
    "es": ["sale humo del teléfono", "huele a quemado"],
    "de": ["das iPhone raucht", "es riecht verbrannt"],
    "fr": ["il y a de la fumée qui sort", "ça sent le brûlé"],
    "pt": ["está saindo fumaça", "cheiro de queimado"],
    "it": ["esce fumo dal telefono", "c'è odore di bruciato"],
    "nl": ["er komt rook uit", "het ruikt naar verbrand"],
    "pl": ["z telefonu leci dym", "czuć spaleniznę"],
    "ru": ["из телефона пошёл дым", "запах гари от зарядки"],
    "zh": ["手机冒烟了", "有烧焦的味道"],
    "ja": ["充電中に煙が出た", "焦げ臭い匂いがする"],
}
IMPACT = {
    "en": [
        "dropped it on the concrete and now it won't turn on",
        "it fell off the table and the screen is black",
        "after i dropped it it keeps restarting",
        "my iphone fell down the stairs",
        "i stepped on my phone",
        "a car ran over it",
        "since the fall it won't charge",
        "threw my phone against the wall and now it's stuck on the logo",
    ],
    "es": ["se me cayó al suelo y no enciende", "lo pisé sin querer"],
    "de": ["mein iPhone ist runtergefallen", "es ist auf den Boden gefallen"],
    "fr": ["mon iphone est tombé par terre", "je l'ai fait tomber"],
    "pt": ["deixei cair e não liga", "caiu no chão e a tela apagou"],
    "it": ["mi è caduto e non si accende", "è caduto per terra"],
    "nl": ["ik heb hem laten vallen", "mijn iphone is op de grond gevallen"],
    "pl": ["upuściłem telefon i nie działa", "spadł na podłogę"],
    "ru": ["уронил телефон и он не включается", "после падения не заряжается"],
    "zh": ["手机摔了一下就开不了机", "掉地上以后黑屏"],
    "ja": ["iPhoneを落としてから起動しない", "落下して画面が映らない"],
}
DETECTORS = {"liquid": LIQUID, "battery_swollen": SWOLLEN, "smoke": SMOKE, "impact": IMPACT}
LANGUAGES = ("en", "es", "de", "fr", "pt", "it", "nl", "pl", "ru", "zh", "ja")


@pytest.mark.parametrize("kind", DETECTORS)
def test_every_language_is_covered(kind: str) -> None:
    assert set(DETECTORS[kind]) == set(LANGUAGES)


@pytest.mark.parametrize("kind", DETECTORS)
def test_recall_target_per_detector(kind: str) -> None:
    table = [(lang, text) for lang, texts in DETECTORS[kind].items() for text in texts]
    missed = [(lang, text) for lang, text in table if kind not in kinds(text)]
    assert 1 - len(missed) / len(table) >= RECALL_TARGET, missed


ENGLISH = [(kind, text) for kind, table in DETECTORS.items() for text in table["en"]]


@pytest.mark.parametrize(("kind", "text"), ENGLISH, ids=[t for _, t in ENGLISH])
def test_english_core_cases(kind: str, text: str) -> None:
    assert kind in kinds(text)


# Short probes in the spirit of issue 11: every one reports damage (kind given); none may be missed.
DAMAGE_PROBES = [
    ("held it for 5s after it fell in the loo", "liquid"),
    ("my 11 drowned in the bath", "liquid"),
    ("iphone 12 went through a wash cycle", "liquid"),
    ("7 plus got rained on all day", "liquid"),
    ("spilt my tea on my se", "liquid"),
    ("my 8 is puffing up", "battery_swollen"),
    ("13 pro screen lifting at the corner", "battery_swollen"),
    ("xr smells of burning", "smoke"),
    ("sparks from the port of my 14", "smoke"),
    ("my 6s fell off the bike and won't boot", "impact"),
    ("ran over my iphone with the car", "impact"),
    ("手机掉进马桶里了", "liquid"),
    ("el iphone se mojó y no prende", "liquid"),
    ("iPhone ist ins Wasser gefallen, jetzt schwarz", "liquid"),
    ("mon iphone fume", "smoke"),
    ("il mio iphone è caduto a terra", "impact"),
    ("upuściłem iphone na beton", "impact"),
    ("iphone упал на асфальт", "impact"),
    ("the lci is red on my 7", "liquid"),
    ("splashed water on it while washing up", "liquid"),
    ("its wet and the screen flickers", "liquid"),
    ("it took a nasty fall yesterday", "impact"),
    ("my phone hit the ground hard", "impact"),
    ("knocked it off the table and now it loops", "impact"),
    ("got coffee all over it this morning", "liquid"),
    ("it was exposed to steam in the sauna", "liquid"),
    ("took it underwater at the beach", "liquid"),
    ("the battery seems to swell when it charges", "battery_swollen"),
    ("something is pushing the screen up on the left side", "battery_swollen"),
    ("Dropped, now it shows a black screen", "impact"),
    ("fell. now it wont charge", "impact"),
]


@pytest.mark.parametrize(("text", "kind"), DAMAGE_PROBES, ids=[t for t, _ in DAMAGE_PROBES])
def test_damage_probes_are_never_missed(text: str, kind: str) -> None:
    assert kind in kinds(text)


NOT_DAMAGE = [
    "my calls keep dropping",
    "my kid threw a tantrum when the screen froze",
    "it never got wet and it won't turn on",
    "no water damage, it just died overnight",
    "the battery dropped from 80 to 20 percent in an hour",
    "battery percentage dropped to 1% and it shut off",
    "a bateria caiu de 90% para 5% em meia hora",
    "the wifi keeps dropping out",
    "i fell asleep and it updated overnight, now it's stuck",
    "it's stuck on the apple logo after the ios 17 update",
    "it wasn't dropped and it never got wet, it just froze",
    "not water damaged, screen not cracked, just a boot loop",
    "I wanna fix my iphone, it keeps restarting",
    "it's burning hot when it charges",
    "should i drop it off at the apple store?",
    "my daughter dropped her ipad, but my iphone is the one stuck in recovery",
    "iOS 18 dropped last week and now my phone loops",
    "nunca se mojó pero no enciende",
    "iPhone ist nicht ins Wasser gefallen, hängt am Apfel",
    "il n'est jamais tombé dans l'eau",
    "手机没有进水，就是开不了机",
    "se apagó de golpe y no enciende",
    "my phone is in bad shape, it keeps restarting",
    "the screen protector is lifting at the corner",
    "ho versato 50 euro per la riparazione e non si accende",
    "I totally crushed it at work today, then my phone froze",
    "Dropped calls all day and then it restarted",
    "my battery life fell off a cliff after the update",
    "水に濡れていないのに起動しない",
    # Korean and Japanese negate after the word: "never dropped it", "no water got in", "no cracks at all"
    "한 번도 떨어뜨린 적이 없는데 화면이 멈췄어요",
    "아이폰에 물이 들어가지 않았는데 충전이 안 돼요",
    "ケースのおかげで画面割れは無く、でも再起動を繰り返す",
    # German: the phone survived the fall unharmed
    "Mein iPhone hat den Sturz auf die Fliesen unbeschadet überstanden. Nur den Code habe ich vergessen",
    # a dialog that popped up is not a lifting screen
    "the update screen popped up again and again",
]


@pytest.mark.parametrize("text", NOT_DAMAGE)
def test_not_damage(text: str) -> None:
    found = [k for k in kinds(text) if k in DETECTORS]
    # The iPad case is another device: its drop is not this phone's damage; tolerated only as impact.
    if "ipad" in text:
        found = [k for k in found if k != "impact"]
    assert not found, found


@pytest.mark.parametrize(
    ("text", "kind"),
    [
        ("it wasn't dropped, but it fell in the toilet yesterday", "liquid"),
        ("not sure if water got inside, it was raining", "liquid"),
        ("i don't know if it got wet, maybe in the rain", "liquid"),
        ("no idea if it got wet but the screen is lifting", "battery_swollen"),
    ],
)
def test_a_denial_of_one_damage_does_not_hide_another(text: str, kind: str) -> None:
    assert kind in kinds(text)


def test_negated_mentions_are_reported_for_explain() -> None:
    analysis = MATCHER.analyse("it never got wet, no water damage")
    assert not analysis.damage
    assert analysis.negated_damage


ERROR_CODES = [
    ("An unknown error occurred (4013).", [4013]),
    ("The iPhone could not be restored. An unknown error occurred (4013).", [4013]),
    ("The iPhone could not be updated. An unknown error occurred (14).", [14]),
    ("itunes says error 9", [9]),
    ("Restore failed: error code 4005", [4005]),
    ("An unknown error occurred (-1).", [-1]),
    ("ERROR: Unable to restore device\nERROR: Unable to send iBEC, status code 133", [133]),
    ("idevicerestore: status=133", [133]),
    ("got a 3194 error when restoring", [3194]),
    ("Se produjo un error desconocido (4013).", [4013]),
    ("Ein unbekannter Fehler ist aufgetreten (4014).", [4014]),
    ("Une erreur inconnue est survenue (9).", [9]),
    ("error 9 and then error 4005", [9, 4005]),
    ("iTunes错误4013", [4013]),
    ("stuck on iOS 16.1, no error", []),
    ("it has 4013 photos on it", []),
    ("error at 50% on iOS 17.2", []),
    ("iOS 9 error screen after the update", []),
    ("the code 2580 doesn't work anymore", []),
    ("iTunes error code: 4014", [4014]),
    ("it says error 4013/4014 every time", [4013, 4014]),
    ("errors 9, 4005 and 4013 on two computers", [9, 4005, 4013]),
    ("error 4013 or error 14, not sure", [4013, 14]),
    ("error 4013 and 2 other tries failed", [4013]),
]


@pytest.mark.parametrize(("text", "codes"), ERROR_CODES, ids=[t for t, _ in ERROR_CODES])
def test_error_codes_as_written(text: str, codes: list[int]) -> None:
    assert list(MATCHER.analyse(text).error_codes) == codes


@pytest.fixture(scope="module")
def triage() -> Triage:
    return Triage(KNOWLEDGE)


@pytest.mark.parametrize(
    "text",
    ["my iphone 12 started smoking while charging", "my phone is smoking", "手机冒烟了", "mein iPhone raucht"],
)
def test_a_smoking_phone_is_danger_and_answered(triage: Triage, text: str) -> None:
    answer = asyncio.run(triage.answer(TriageRequest(text=text)))
    assert "smoke" in answer.damage_kinds
    assert answer.severity == "danger"
    assert answer.status != "off_topic"
    assert answer.safety, "the danger's safety text is shown"
    assert all(step.action not in ("dfu_restore", "recovery_restore", "passcode_reset") for step in answer.ladder)


# --- the fast search gives re's results -----------------------------------------------------------------------

ALL_PATTERNS = sorted(
    {p.re for s in KNOWLEDGE.symptoms.symptoms for p in s.patterns}
    | {p.re for d in KNOWLEDGE.damage.damage for p in d.patterns}
    | {p.re for p in (*KNOWLEDGE.language.off_topic, *KNOWLEDGE.language.problem_words)}
)
WORDS = sorted(
    {w for source in ALL_PATTERNS for w in re.findall(r"[^\W\d_]{2,}", source)}
    | {"it", "the", "my", "iphone", "in", "xstuck", "_water", "4013", "16.1", "...", ",", "!", "\n"}
)
COMPILED = [(source, re.compile(source), FastPattern(source)) for source in ALL_PATTERNS]


@settings(max_examples=60, deadline=None)
@given(st.lists(st.sampled_from(WORDS), min_size=1, max_size=40), st.sampled_from([" ", "", "  ", "-"]))
def test_fast_search_finds_what_re_finds(words: list[str], glue: str) -> None:
    short = glue.join(words)
    long = (short + " ") * (1_000 // (len(short) + 1) + 1)  # long enough for the word index to be used
    for text in (short, long):
        scan = Scan(text)
        for source, regex, fast in COMPILED:
            expected, got = regex.search(text), fast.search(scan)
            assert (expected and expected.span()) == (got and got.span()), (source, text[:80])


def test_fast_search_on_every_table_message() -> None:
    texts = [MATCHER.normalize(t)[0] for table in DETECTORS.values() for ts in table.values() for t in ts]
    texts += [MATCHER.normalize(t)[0] for t in NOT_DAMAGE]
    for text in texts:
        text = (text + " ") * (1_000 // (len(text) + 1) + 1)
        scan = Scan(text)
        assert not scan.short
        for source, regex, fast in COMPILED:
            expected, got = regex.search(text), fast.search(scan)
            assert (expected and expected.span()) == (got and got.span()), (source, text)


@pytest.mark.parametrize(
    "text",
    [
        "it has never been dropped or got wet",
        "it hasn't been dropped or exposed to water",
        "nunca se cayó o se mojó",
    ],
)
def test_a_negation_covers_a_list_joined_by_or(text: str) -> None:
    assert not [k for k in kinds(text) if k in DETECTORS], text


@pytest.mark.parametrize(
    ("text", "damaged"),
    [
        ("dropped it on the floor, the glass cracked but it still works fine", False),
        ("se me cayó y la pantalla está rota, pero parece que funciona", False),
        ("dropped it 3 days ago and it worked fine after, but now it won't turn on", True),
        ("dropped it, it still works but the screen is black", True),  # "but": a malfunction follows
        ("dropped it and it no longer works fine", True),
        ("fell in the toilet, it still works fine", True),  # liquid counts with or without a malfunction
    ],
)
def test_a_drop_or_crack_needs_a_malfunction(text: str, damaged: bool) -> None:
    assert bool(kinds(text)) == damaged, (text, kinds(text))


def test_a_button_fault_alone_is_not_a_physical_break() -> None:
    assert "button" not in kinds("since the update the home button is unresponsive")
    assert "button" in kinds("the home button fell off")


@pytest.mark.parametrize(
    "text",
    [
        "пробовал разные провода, не помогает",  # "провода" (cables) holds "вода" (water)
        "залил прошивку через iTunes, ошибка 4013",  # "flashed the firmware", not "flooded"
        "искренне благодарю за помощь",  # "sincerely" starts like "sparks"
        "заряд упал на 20%",  # the charge fell by 20%
    ],
)
def test_russian_words_that_only_look_like_damage(text: str) -> None:
    assert not kinds(text), kinds(text)


@pytest.mark.parametrize(
    ("text", "damaged"),
    [
        ("short of throwing it in the pool, nothing could hurt it; now it asks for a passcode", False),
        ("I keep it in a zip bag in case it falls in the sink", False),
        ("compré una funda para evitar que se moje y ahora no enciende", False),
        ("ich habe eine Hülle gekauft, damit es nicht nass wird", False),
        ("i was worried about dropping it in the bath, and then it fell in the bath", True),
        ("in case it matters: it fell in the toilet last night and now it's dead", True),
    ],
)
def test_what_only_might_happen_is_not_damage(text: str, damaged: bool) -> None:
    assert bool([k for k in kinds(text) if k in DETECTORS]) == damaged, (text, kinds(text))


@pytest.mark.parametrize(
    ("text", "damaged"),
    [
        ("I'm scared the battery will swell, it gets so hot", False),
        ("worried it might get wet on the boat trip; right now it is just frozen", False),
        ("I'm worried water got inside, the speaker sounds muffled", True),  # a worry about what happened
    ],
)
def test_a_fear_of_what_may_come_is_not_damage(text: str, damaged: bool) -> None:
    assert bool([k for k in kinds(text) if k in DETECTORS]) == damaged, (text, kinds(text))


def test_a_fear_about_the_past_stays_damage() -> None:
    assert "liquid" in kinds("I'm afraid it might have got wet in my bag, the screen flickers")


@pytest.mark.parametrize(
    "text",
    ["el teléfono echa humo cuando lo cargo", "o telefone do meu irmão caiu na piscina", "el niño lo tiró al agua"],
)
def test_a_latin_word_ending_in_no_is_not_a_negation(text: str) -> None:
    assert [k for k in kinds(text) if k in DETECTORS], text


# --- round 6: the sea, a lake or a river; pushed in; hit the ground; what would happen if ----------------------


@pytest.mark.parametrize(
    ("text", "kind"),
    [
        ("lo tiré al río y ya no prende", "liquid"),
        ("mi è scivolato nel lago durante la gita", "liquid"),
        ("mon iphone a fini dans la rivière, il ne s'allume plus", "liquid"),
        ("mon iphone est tombé dans la mer, si je le sèche il remarche ?", "liquid"),  # "si" after a real drop
        ("das iPhone ist mir in den Teich gerutscht", "liquid"),
        ("mijn telefoon is in de gracht beland", "liquid"),
        ("telefon wpadł do jeziora", "liquid"),
        ("o iphone escorregou no mar", "liquid"),
        ("it fell overboard while fishing", "liquid"),
        ("dropped it into a creek on the hike", "liquid"),
        # pushed, shoved or bumped in
        ("we were at the lake and my brother shoved it in", "liquid"),
        ("a kid bumped my iphone into the hot tub", "liquid"),
        ("das iPhone lag am Teich und ist reingefallen", "liquid"),
        ("de telefoon lag bij het zwembad en mijn zoon heeft hem erin geduwd", "liquid"),
        # "unintentionally" is not a denial
        ("se me cayó sin querer a la piscina", "liquid"),
        ("deixei cair sem querer na piscina", "liquid"),
        # hit the ground, whatever the subject
        ("it slipped and smacked onto the concrete, now the screen is black", "impact"),
        ("my 12 landed hard on the tiles and won't boot", "impact"),
        ("das iPhone ist auf den Asphalt geknallt", "impact"),
        ("l'ho sbattuto per terra e ora non si accende", "impact"),
        ("il a heurté le sol et l'écran est noir", "impact"),
        ("hij is op de stoep gekletterd en start niet", "impact"),
    ],
)
def test_water_bodies_pushes_and_hits_are_damage(text: str, kind: str) -> None:
    assert kind in kinds(text), (text, kinds(text))


@pytest.mark.parametrize(
    "text",
    [
        "i went overboard with tweaks and now it loops",
        "my battery hit rock bottom and it shut down",
        "we hit the road and then my iphone died",
        "i hit the ground running at work, then the phone froze",
        "le câble est coincé dans le port",
    ],
)
def test_idioms_of_water_and_ground_are_not_damage(text: str) -> None:
    assert not [k for k in kinds(text) if k in DETECTORS], (text, kinds(text))


@pytest.mark.parametrize(
    ("text", "damaged"),
    [
        # A question that opens with "if" stays damage: what did happen is often said in the next clause, and a
        # false alarm only sends the phone to repair.
        ("what would happen if my iphone falls in the bath, would it survive?", True),
        ("what if it falls in water? mine did and it won't turn on", True),
        ("what do i do if it gets really hot and starts smoking? it's happening right now", True),
        ("was passiert wenn mein iPhone ins Wasser fällt? ist mir heute passiert", True),
        ("y si se me cae al agua y no enciende, eso me pasó ayer", True),
        ("if my daughter accidentally knocked it into the bath, is rice enough?", True),
        ("mein iphone 12 geht aus, wenn es nass wird", True),
        # What did happen, with an "if" somewhere: damage
        ("if it fell in the pool yesterday, will dfu fix it?", True),
        ("it got wet, if i dry it will dfu work?", True),
        ("my phone fell in the pool and if i try dfu will it fix it?", True),
        ("it restarts if it gets wet", True),  # it does, each time
        ("what if it gets wet again, it already went in the sink once", True),
        ("if you can help mine fell in the sea", True),
        ("als hij in de zee is gevallen, helpt dfu dan?", True),
        ("wenn es ins Wasser gefallen ist, was soll ich tun?", True),
        ("se me cae al agua y no enciende", True),  # the Spanish reflexive "se", not Italian "if"
    ],
)
def test_an_if_question_about_liquid_stays_damage(text: str, damaged: bool) -> None:
    assert bool([k for k in kinds(text) if k in DETECTORS]) == damaged, (text, kinds(text))


# --- round 7: laundry spelled "thru", leaks and drips onto the phone, a drink spilled where it lay, throws,
# vehicles; Portuguese swelling; another thing got wet; error words in Korean and traditional Chinese -----------


@pytest.mark.parametrize(
    ("text", "kind"),
    [
        ("my phone went thru the wash with my hoodie and now it's dead", "liquid"),
        ("the ceiling dripped onto my iphone overnight, it won't boot", "liquid"),
        ("the water bottle in my bag leaked all over my phone", "liquid"),
        ("my kid poured juice onto the phone and it keeps rebooting", "liquid"),
        ("knocked over a glass of wine on the desk where my phone was, now it's frozen", "liquid"),
        ("spilled soda at the counter and my phone was right there, black screen since", "liquid"),
        ("se me volcó el café en la cocina y el celular no prende", "liquid"),
        ("mi hermano derramó vino y ahora no carga", "liquid"),
        ("dropped my phone and my airpods in the toilet", "liquid"),  # the phone went in too
        ("my airpods fell into the bath with my phone", "liquid"),
        ("my ipad fell in the sink and it won't turn on", "liquid"),  # the device the message is about
        ("my airpods went in the pool, the phone too", "liquid"),
        ("my brother flung it at the wall and now the screen is black", "impact"),
        ("she threw the phone on the floor, it just shows the apple logo", "impact"),
        ("tossed my 13 down the stairs by accident and it won't start", "impact"),
        ("i was knocked over by a bike with the phone in my hand, it's stuck on the logo", "impact"),
        ("a truck ran over my bag with the iphone inside and it won't boot", "impact"),
        ("meu iphone inchou atrás e não liga", "battery_swollen"),
        ("a tela ficou levantada e a bateria tá estufando", "battery_swollen"),
    ],
)
def test_round_7_damage_phrasings(text: str, kind: str) -> None:
    assert kind in kinds(text), (text, kinds(text))


@pytest.mark.parametrize(
    "text",
    [
        "my phone won't turn on. i had my airpods in when it slipped into the toilet",
        "my iphone 8 won't turn on, my headphones were plugged in when it fell in the bath",
        "iphone dead. the charger was still attached when it dropped into the bathtub",
        "my airpods were in my pocket when i fell in the pool, now my phone won't turn on",
        "my apple watch slipped into the pool with my iphone, now the iphone won't pair",
    ],
)
def test_another_thing_named_beside_the_phone_keeps_its_damage(text: str) -> None:
    """Telling "my airpods got wet" from "my phone got wet while my airpods were in" is not safe by pattern:
    the thing's name alone never takes the phone's damage back (a false alarm only sends to repair)."""
    assert {"liquid", "impact"} & set(kinds(text)), (text, kinds(text))


@pytest.mark.parametrize(
    ("text", "codes"),
    [
        ("아이튠즈 복원 중 에러 4014 발생", [4014]),
        ("4013 오류가 계속 나요", [4013]),
        ("에러코드 9 가 떠요", [9]),
        ("恢復時出現錯誤 4013", [4013]),
        ("復元すると 4013エラー になる", [4013]),
        ("에러 3번 났어요", []),  # three times, not a code
        ("에러 4013 일어났어요", [4013]),  # a counter word only counts after one or two digits
        ("오류 4013 초기화해도 안돼요", [4013]),
        ("에러 4013번이 떠요", [4013]),
        ("错误 4013 分析一下", [4013]),
        ("错误 3 次", []),
        ("エラーが2回出た", []),
    ],
)
def test_error_words_in_korean_japanese_and_chinese(text: str, codes: list[int]) -> None:
    assert list(MATCHER.analyse(text).error_codes) == codes


@pytest.mark.parametrize(
    ("text", "kind"),
    [
        ("washed my xr with my work pants by accident and now it's dead", "liquid"),
        ("mijn vriend gooide cola over mijn telefoon, scherm flikkert", "liquid"),
        ("충전하다가 폰에서 탄 냄새가 났어요", "smoke"),
        ("아이폰에서 연기가 나요", "smoke"),
        ("das handy hat nach dem laden verbrannt gerochen", "smoke"),
        ("la pantalla se rompió cuando se me cayó de la mano y ya no enciende", "cracked"),
        ("экран треснул после падения, сенсор не работает", "cracked"),
        ("屏幕裂了，现在开不了机", "cracked"),
        ("mijn telefoon viel op de tegels en doet niks meer", "impact"),
        # a negation of the malfunction does not reach past "after": "doesn't charge after the flood"
        ("lädt nicht mehr nach dem wasserschaden", "liquid"),
        ("nie włącza się po zalaniu", "liquid"),
    ],
)
def test_round_8_damage_phrasings(text: str, kind: str) -> None:
    assert kind in kinds(text), (text, kinds(text))


@pytest.mark.parametrize(
    "text",
    [
        "stepped out for a smoke and my iphone had restarted itself",
        "落としたり水に濡らしたりはしていません。急に起動しなくなりました",
        "업데이트를 연기했는데 아이폰이 재부팅돼요",  # "연기" is also "postponed"
    ],
)
def test_round_8_not_damage(text: str) -> None:
    assert not kinds(text), (text, kinds(text))


# The safety review's: a "nothing" that belongs to the verb before, or "de la nada" (suddenly), is no denial of
# the damage after it; "had a smoke smell" is smoke.
@pytest.mark.parametrize(
    ("text", "kind"),
    [
        ("do nada começou a sair fumaça do iphone", "smoke"),
        ("de la nada se hinchó la batería", "battery_swollen"),
        ("no hace nada se me cayo al agua ayer", "liquid"),
        ("non fa niente è caduto in acqua", "liquid"),
        ("es geht gar nichts ist ins klo gefallen", "liquid"),
        ("ani drgnie wpadł do wody wczoraj", "liquid"),
        ("it had a smoke smell coming from the charging port and now it wont turn on", "smoke"),
        ("my iphone had a smoke coming out of it", "smoke"),
    ],
)
def test_a_nothing_of_the_verb_before_is_no_denial(text: str, kind: str) -> None:
    assert kind in kinds(text), (text, kinds(text))


@pytest.mark.parametrize(
    ("text", "codes"),
    [
        ("got error 9 at first and (-1) the next time", [9, -1]),  # in the order written
        ("ERROR: Unable to send iBoot component: (-1)\nERROR: Unable to restore device", [-1]),
        ("me salió el error 4005 y después de cambiar el cable el 4014", [4005, 4014]),
        ("błąd 4005, a potem 4013", [4005, 4013]),
        ("error 4013 first, then 4014.", [4013, 4014]),
        ("error 4013, then in 2023 i gave up", [4013]),  # a year is not a code
        # the safety review's: a number after "now"/"then"/"the" that is not the sentence's last word is no code
        ("error 4013 and now 2500 photos are gone", [4013]),
        ("got error 4013 now the 1234 passcode doesnt work", [4013]),
        ("itunes error 4013 the repair shop wants the 1200 dollars", [4013]),
        ("fehler 9 dann 1500 euro", [9]),
        ("error 4013 el 1020 de itunes", [4013]),
        ("got a -1 error in itunes", [-1]),
        ("iphone 8 error 4013 then 1500.00 euro for the repair", [4013]),  # a price is no later code, "8" a model
        ("itunes said 4013\nerror when restoring", [4013]),
        ("ios 16.4-4013 error", [4013]),
        ("用爱思刷机报错4013", [4013]),
    ],
)
def test_round_8_error_codes(text: str, codes: list[int]) -> None:
    assert list(MATCHER.analyse(text).error_codes) == codes


# Round 11 (a blind damage-heavy probe batch, 2026-12-03): the phrasings it found missing, in new words.
@pytest.mark.parametrize(
    ("text", "kind"),
    [
        ("after the gym my phone was soaked in sweat and now the mic is muffled", "liquid"),
        ("mijn iphone was na de regenbui helemaal kletsnat", "liquid"),
        ("mijn telefoon was doornat na het fietsen", "liquid"),
        ("the cat knocked my iphone 13 mini off the nightstand and now it bootloops", "impact"),
        ("put my phone on the car roof, drove away, found it on the road. no display", "impact"),
        ("hab das iphone gestern beim joggen fallen lassen und jetzt bleibt der bildschirm schwarz", "impact"),
        ("ma fille a balancé mon iphone par terre, il reste sur la pomme", "impact"),
        ("mijn iphone is uit mijn hand op de stoep gevallen, geen beeld meer", "impact"),
        ("手机摔在地板上以后就一直黑屏", "impact"),
        ("他把手机扔在地上了，开不了机", "impact"),
        ("der akku in meinem alten iphone 8 plus ist total aufgebläht", "battery_swollen"),
        ("das display steht jetzt deutlich ab, links oben", "battery_swollen"),
        ("das iphone hatte beim laden plötzlich geraucht", "smoke"),
        ("es riecht ganz stark verbrannt am ladeanschluss", "smoke"),
        ("de lader begon te roken en nu laadt mijn iphone niet", "smoke"),
        ("el cargador olía a quemado y el iphone ya no carga", "smoke"),
    ],
)
def test_round_11_damage_phrasings(text: str, kind: str) -> None:
    assert kind in kinds(text), (text, kinds(text))


@pytest.mark.parametrize(
    "text",
    [
        "left my iphone lying in the snow for an hour, now it wont turn on",  # cold, not wet (labelling.md)
        "ich habe eine geraucht und als ich zurückkam hing das iphone",
        "wir haben das thema fallen lassen, aber mein iphone startet immer neu",
        "he knocked the coffee off the table, my iphone is stuck in recovery",
        # the safety review's: said of the writer or of something else, not of the phone
        "i'm dripping with sweat after trying to restore my iphone 12 all night",
        "ik kwam doornat thuis maar de telefoon zat in een waterdichte zak",
        "apple hat beim iphone den home-button fallen lassen, wie komme ich in den dfu modus",
        "ich bin vom fahrrad gefallen, das iphone hängt seitdem im boot loop",
        "ik ben van de fiets gevallen, mijn iphone 13 zat veilig in de tas maar hangt nu",
        "i knocked the phone charger off the nightstand and now my iphone wont charge",
        "put my bike on the car roof and drove off, later my iphone got stuck in recovery",
        "j'ai jeté le câble par terre, mon iphone reste sur la pomme",
        "我摔在地上了，但手机没事，只是一直重启",
        "我把充电器扔在地上，iphone 开不了机",
        "mein mann hat früher viel geraucht, jetzt hängt sein iphone",
        "ich habe eine zigarette geraucht, als das iphone neu startete",
        "ik begon te roken toen ik 16 was, nu hangt mijn iphone op het logo",
        "das display problem löst sich nicht, iphone hängt",
        "der akku ist super, nur die hülle ist ziemlich dick, iphone startet neu",
        # the second review's
        "quit it, i'm covered in sweat, my iphone 12 wont restore",
        "der support hat es einfach fallen lassen, mein iphone hängt",
        "das handy lag auf dem balkon wo mein mann geraucht hat, jetzt startet es nicht",
        "akku leer, meine augen sind vom weinen geschwollen, iphone hängt",
        "我拿着手机摔在沙发上睡着了，醒来就黑屏",
    ],
)
def test_round_11_not_damage(text: str) -> None:
    assert not kinds(text), (text, kinds(text))


@pytest.mark.parametrize(
    ("text", "codes"),
    [
        ("update failed (-1) at the end", [-1]),
        ("restore failed: -1 again", [-1]),
        ("the restore failed -5 degrees outside lol", []),
        ("restore failed 3 times", []),
        # the safety review's: counts, temperatures, percentages and decimals after "failed" are no codes
        ("update failed -3 times in a row", []),
        ("restore failed -10c outside in the car", []),
        ("restore failed -30% battery", []),
        ("restore failed -4.5 volts?", []),
        ("update failed -0", []),
    ],
)
def test_round_11_error_codes(text: str, codes: list[int]) -> None:
    assert list(MATCHER.analyse(text).error_codes) == codes


# Round 10 (a blind probe batch, 2026-12-03), in new words.
@pytest.mark.parametrize(
    ("text", "kind"),
    [
        ("the baby knocked my iphone 12 pro off the desk, no picture since", "impact"),
        ("아이폰 떨어뜨려서 액정이 깨졌어요", "cracked"),
        ("화면에 금이 갔어요 떨어뜨린 뒤로", "cracked"),
        ("階段でiPhoneを落としました。それから起動しません", "impact"),
        ("the repair guy said the lightning port is fried", "port"),
    ],
)
def test_round_10_damage_phrasings(text: str, kind: str) -> None:
    assert kind in kinds(text), (text, kinds(text))


@pytest.mark.parametrize(
    "text",
    [
        "não tem nenhum dano de água e o iphone não liga",
        "no tiene ningún daño por agua pero no enciende",
    ],
)
def test_round_10_not_damage(text: str) -> None:
    assert not kinds(text), (text, kinds(text))


@pytest.mark.parametrize(
    ("text", "codes"),
    [
        ("it gave me (-1) while restoring, iphone xr", [-1]),
        # the third review's: a number after "got" is no later code, a time zone is no code
        ("error 9 and i got 1000 likes on my post about it", [9]),
        ("time zone shows gmt -5 after updating", []),
    ],
)
def test_round_10_error_codes(text: str, codes: list[int]) -> None:
    assert list(MATCHER.analyse(text).error_codes) == codes


# Round 12 (a blind probe batch, 2026-12-03), in new words.
@pytest.mark.parametrize(
    ("text", "kind"),
    [
        ("molhei o celular na piscina ontem e hoje não liga", "liquid"),
        ("ho lavato la giacca con il telefono in tasca, ora è morto", "liquid"),
        ("lavé el pantalón con el iphone en el bolsillo", "liquid"),
        ("das iphone war in der hosentasche und wurde mitgewaschen", "liquid"),
        ("spadł mi telefon ze stołu i nie działa ekran", "impact"),
        ("mijn iphone viel gisteren uit mijn broekzak en start niet meer", "impact"),
        ("het scherm ligt in duizend stukken", "cracked"),
    ],
)
def test_round_12_damage_phrasings(text: str, kind: str) -> None:
    assert kind in kinds(text), (text, kinds(text))


@pytest.mark.parametrize(
    "text",
    [
        # the third review's: washing something else with the phone in a pocket, Dutch "viel uit" (switched off),
        # a Korean screen that did not crack, Japanese "turned the power off"
        "ho lavato i piatti con l'iphone in tasca, ora non si accende",
        "mijn iphone viel ineens uit op straat en start niet meer",
        "화면 안 깨졌어요 그냥 안 켜져요",
        "화면 깨짐 없음, 부팅이 안 돼요",
        "電源を落としました。それから起動しません",
        "spadła mi bateria do 5% i się wyłączył",
    ],
)
def test_round_12_not_damage(text: str) -> None:
    assert not kinds(text), (text, kinds(text))


def test_dutch_foutmelding_is_an_error_word() -> None:
    assert list(MATCHER.analyse("itunes geeft een foutmelding 4013 bij het herstellen").error_codes) == [4013]


@pytest.mark.parametrize(
    ("text", "kind"),
    [
        # Turkish, past the liquid words it already had
        ("iphone 13 elimden düştü, ekranı çatladı, dokunmatik gitti", "cracked"),
        ("telefonu dün yere düşürdüm, artık açılmıyor", "impact"),
        ("pil şişmiş, arka kapak kalkmış gibi", "battery_swollen"),
        ("şarjdayken telefondan duman çıkıyor", "smoke"),
        ("yanık kokusu geliyor, iphone çok ısınıyor", "smoke"),
        # the idioms' exceptions leave the real thing alone
        ("se me cayó el móvil por las escaleras y ya no prende", "impact"),
        ("mein handy ist mir heruntergefallen, jetzt bleibt es schwarz", "impact"),
        ("mon iphone 12 s est noyé dans l évier, plus rien", "liquid"),
    ],
)
def test_round_13_damage_phrasings(text: str, kind: str) -> None:
    assert kind in kinds(text), (text, kinds(text))


@pytest.mark.parametrize(
    "text",
    [
        # figures of speech: buried in work, a jaw that dropped, a soul that fell
        "drowning in deadlines this week and now my iphone 14 wont boot",
        "je suis noyée sous les devoirs et mon iphone 11 redémarre en boucle",
        "mir ist echt die kinnlade runtergefallen, das iphone 13 startet nicht mehr",
        "se me cayó la cara de vergüenza, mi iphone 12 se quedó en la manzana",
        # only the protector or the case broke
        "looked like the glass broke but it was only the tempered protector, the iphone 15 is frozen though",
        # Turkish: charge dropping, a battery that is not swollen
        "şarj çok hızlı düşüyor, iphone 11 kendi kendine kapanıyor",
    ],
)
def test_round_13_not_damage(text: str) -> None:
    assert not kinds(text), (text, kinds(text))


@pytest.mark.parametrize(
    ("text", "kind"),
    [
        # the stop-19 safety review: a place after "drowned in" is no figure of speech; a crack said again after the
        # protector stays a crack
        ("my iphone 12 drowned in college library toilet, dead now", "liquid"),
        ("thought it was just the protector but the glass under it is cracked too", "cracked"),
        ("the case cracked and the screen is shattered as well, iphone 14 black", "cracked"),
        # Turkish with possessives, typed without its letters or in capitals, and into water
        ("ekranim kirildi, iphone 13 acilmiyor", "cracked"),
        ("IPHONE 12 EKRANI CATLADI", "cracked"),
        ("bataryam şişmiş, kapak açıldı", "battery_swollen"),
        ("iphone 11'i merdivende düşürünce kapandı", "impact"),
        ("dün iphone 14 havuza düştü", "liquid"),
        ("telefona su kaçtı, ekranda çizgiler var", "liquid"),
    ],
)
def test_stop_19_review_damage(text: str, kind: str) -> None:
    assert kind in kinds(text), (text, kinds(text))


@pytest.mark.parametrize(
    "text",
    [
        # Turkish "düşürdüm" is also "lowered"; the negation comes after the word
        "parlaklığı düşürdüm ama iphone 12 hâlâ ısınıyor",
        "iphone 15 ekranı kırık değil, sadece açılmıyor",
        "yanık kokusu yok, iphone 13 sadece donuyor",
        "aklıma bir kıvılcım geldi, iphone 11 i dfu ya alayım dedim",
    ],
)
def test_stop_19_review_not_damage(text: str) -> None:
    assert not kinds(text), (text, kinds(text))


@pytest.mark.parametrize(
    ("text", "kind"),
    [
        # round 14's misses, in new words: water told indirectly, a car backing over it, a fall screen-down
        ("a big wave soaked my bag at the beach, iphone 13 inside, now no sound", "liquid"),
        ("forgot my phone on the balcony through the thunderstorm, now it wont boot", "liquid"),
        ("the roof was leaking onto my desk overnight, iphone 8 dead this morning", "liquid"),
        ("meu iphone caiu na bacia de roupa e agora não liga", "liquid"),
        ("my wife reversed over my iphone 12 in the driveway, screen black", "impact"),
        ("мой айфон упал прямо на плитку и не включается", "impact"),
        # Vietnamese, Indonesian, Arabic
        ("điện thoại rơi xuống nước hôm qua, giờ không lên nguồn", "liquid"),
        ("iphone 13 kemasukan air waktu hujan, sekarang mati", "liquid"),
        ("سقط الايفون في المسبح و ما يشتغل", "liquid"),
        ("màn hình bị nứt sau khi làm rơi, cảm ứng không chạy", "cracked"),
        ("hp saya terjatuh ke lantai, layarnya pecah dan mati", "impact"),
        ("pin bị phồng lên, màn hình bị đẩy ra", "battery_swollen"),
        ("iphone 11 berasap waktu dicas", "smoke"),
        ("فيه ريحة حريق من الشاحن والايفون سخن", "smoke"),
    ],
)
def test_round_14_damage_phrasings(text: str, kind: str) -> None:
    assert kind in kinds(text), (text, kinds(text))


@pytest.mark.parametrize(
    "text",
    [
        "iphone 12 không bị ướt, chỉ bị treo logo",
        "iphone 13 tidak pernah jatuh, cuma restart terus",
        "ايفون 11 لم يسقط في الماء لكنه لا يعمل",
        "jatuh tempo cicilan iphone 14 besok, tapi hp nya hang",
        "i left at 6 during the storm warning and my iphone 12 froze at home",
    ],
)
def test_round_14_not_damage(text: str) -> None:
    assert not kinds(text), (text, kinds(text))


@pytest.mark.parametrize(
    ("text", "kind"),
    [
        # stop 20: bent and a broken charging port beyond English, European Portuguese and Italian cracks, Greek
        ("se me dobló el iphone 13 en el bolsillo trasero", "bent"),
        ("mein iphone 12 ist verbogen seit ich draufsaß", "bent"),
        ("telefon cebimde büküldü, iphone 11 açılmıyor", "bent"),
        ("мой айфон погнулся в кармане", "bent"),
        ("el puerto de carga está roto, iphone 14 no carga", "port"),
        ("die ladebuchse vom iphone 15 ist locker und wackelt", "port"),
        ("the charging port on my 11 looks burnt", "port"),
        ("iphone 13 şarj soketi bozuldu", "port"),
        ("o ecrã do meu iphone 11 ficou rachado", "cracked"),
        ("lo schermo si è spaccato cadendo, iphone 12", "cracked"),
        ("έπεσε στη θάλασσα το iphone μου", "liquid"),
        ("μου έπεσε κάτω και έσπασε η οθόνη", "cracked"),
    ],
)
def test_stop_20_damage_phrasings(text: str, kind: str) -> None:
    assert kind in kinds(text), (text, kinds(text))


@pytest.mark.parametrize(
    "text",
    [
        # the writer drowning in work or soaked in sweat; a shop that says only the protector cracked; a film dubbed
        "drowning in coursework lately and now my iphone 14 is stuck on the logo",
        "we were all drenched in sweat at the festival, my iphone 13 froze in the heat",
        "the glass looked cracked but the shop told me it was only the protector, iphone 12 boots fine",
        "vi la película doblada en el iphone 15 y se congeló",
        "画面が歪んで見える、iphone 13",
    ],
)
def test_stop_20_not_damage(text: str) -> None:
    assert not kinds(text), (text, kinds(text))


@pytest.mark.parametrize(
    ("text", "kind"),
    [
        # round 15's misses, in new words
        ("mijn zoon heeft cola over mijn iphone geknoeid", "liquid"),
        ("spilled a whole smoothie on my iphone 14", "liquid"),
        ("iphone掉进汤里了，开不了机", "liquid"),
        ("la batería de mi iphone 12 se ha hinchado", "battery_swollen"),
        ("my 12 pro is getting kinda puffy near the camera", "battery_swollen"),
        ("batteriet i min iphone har svällt", "battery_swollen"),
        ("pin của iphone 12 bị phồng lên", "battery_swollen"),
        ("det luktar bränt när min iphone laddar", "smoke"),
        ("se me rompió la pantalla del iphone 13", "cracked"),
        ("meu filho jogou o iphone na parede", "impact"),
        ("de thuisknop van mijn iphone 8 zit vast", "button"),
    ],
)
def test_round_15_damage_phrasings(text: str, kind: str) -> None:
    assert kind in kinds(text), (text, kinds(text))


@pytest.mark.parametrize(
    "text",
    [
        "only the bag got soaked, iphone 12 is fine but slow",
        "il chauffe un peu mais il ne fume pas, iphone 12",
        "the jacket got wet in the rain but the iphone stayed dry, now it restarts",
    ],
)
def test_round_15_not_damage(text: str) -> None:
    assert not kinds(text), (text, kinds(text))


@pytest.mark.parametrize(
    ("text", "codes"),
    [
        # a known four-digit code said bare beside a restore or an update; not a price, a count or a capacity
        ("finder restore keeps giving 4014 at the end", [4014]),
        ("4013 while updating through itunes, twice", [4013]),
        ("error 14 first, then 4005 after swapping cables in itunes", [14, 4005]),
        ("the restore cost me 4013 yen at the shop", []),
        ("restored 4013 photos from icloud", []),
        ("update stuck, battery 4014 mah replacement", []),
    ],
)
def test_round_15_error_codes(text: str, codes: list[int]) -> None:
    assert list(MATCHER.analyse(text).error_codes) == codes


@pytest.mark.parametrize(
    ("text", "kind"),
    [
        # the stop-20 review's misses and round 16's, in new words
        ("i got drenched in sweat and my phone got drenched too, it wont boot", "liquid"),
        ("the case got wet but the phone inside got wet as well", "liquid"),
        ("el teléfono se me dobló en el bolsillo", "bent"),
        ("mijn zusje heeft limonade over mijn 11 gegooid", "liquid"),
        ("可乐洒在了手机上", "liquid"),
        ("det ryker ur laddaren och min iphone", "smoke"),
        ("Μου έπεσε κάτω το iphone και δεν ανοίγει", "impact"),
        ("το iphone μου έπεσε χθες στη θάλασσα", "liquid"),
        ("la pantalla del iphone 13 de mi hermano quedó rota", "cracked"),
        ("tappade min iphone på golvet igår", "impact"),
        ("skärmen är spräckt på min iphone", "cracked"),
        ("mera iphone haath se gir gaya", "impact"),
        ("screen toot gayi hai", "cracked"),
        ("it fell off the couch and the camera is cracked now", "impact"),
        ("dropped it, the camera still works but the screen is black", "impact"),
    ],
)
def test_stop_20_review_damage(text: str, kind: str) -> None:
    assert kind in kinds(text), (text, kinds(text))


@pytest.mark.parametrize(
    "text",
    [
        "la película está doblada al español y el iphone 12 se congela",
        "se torció el tobillo y su iphone 13 no prende",
        "el puerto de carga no está dañado, lo miró el técnico",
        "la porta di ricarica della powerbank è bruciata",
        "μου έπεσε το wifi και το iphone κόλλησε",
        "a tela da partida travou no iphone 11",
        "meu irmão jogou bola no chão da quadra e o iphone travou",
        "il tasto home è bloccato dopo l'aggiornamento",
        "my eyes are puffy today and the iphone froze",
        "la batería no está hinchada, dura poco",
        "det ryker en hel dag på att fixa min iphone",
        "ik heb water over de plant gegooid en de iphone hangt",
        "可乐倒在杯子里，手机卡了",
        "gonna chuck this phone in the river if it restarts again",
        "non è caduto né si è bagnato, il mio iphone 12 si riavvia",
        "restore gives 4013 then the finder says 1015 photos",
    ],
)
def test_stop_20_review_not_damage(text: str) -> None:
    assert not kinds(text), (text, kinds(text))


@pytest.mark.parametrize(
    ("text", "codes"),
    [
        ("restaurar en itunes dio 4014 cada vez", [4014]),
        ("wiederherstellung: 4013 bei jedem versuch", [4013]),
        ("itunes 4005 during the restore", [4005]),
        ("update fails with 4013 or 4014 every time", [4013, 4014]),
        ("lỗi 4013 khi khôi phục", [4013]),
        ("finder shows 1015 and 2 other files while updating", []),
    ],
)
def test_stop_20_review_error_codes(text: str, codes: list[int]) -> None:
    assert list(MATCHER.analyse(text).error_codes) == codes


@pytest.mark.parametrize(
    ("text", "kind"),
    [
        # the second stop-20 review, in new words
        ("lo tenía en el bolsillo y ahora está doblado", "bent"),
        ("das Gehäuse hat sich verbogen", "bent"),
        ("charging port on my 13 is loose after i charged it from the car's usb port", "port"),
        ("die Seitentaste geht nicht, steckt fest", "button"),
        ("it has gotten so puffy on the back", "battery_swollen"),
        ("telefonen ryker!", "smoke"),
        ("咖啡洒在了我的手机上", "liquid"),
        ("tenho a tela partida desde ontem", "cracked"),
        ("μου έπεσε το τηλ και έσβησε", "impact"),
        ("ele jogou no chão e apagou", "impact"),
    ],
)
def test_stop_20_second_review_damage(text: str, kind: str) -> None:
    assert kind in kinds(text), (text, kinds(text))


@pytest.mark.parametrize(
    "text",
    [
        "el iphone no está doblado, solo no prende",
        "mein Ladekabel ist verbogen",
        "i slipped and fell on the couch, my iphone froze",
        "iphone 13 ka price gir gaya",
        "nabasa ko yung sinabi mo, pero ayaw pa rin mag on ng iphone ko",
        "main baarish mein bheeg gaya, phone theek hai",
        "got caught in the rain, the phone stayed dry but it froze later",
        "rök kom från grillen och min iphone hänger sig",
        "a tela do notebook quebrou e o iphone não conecta",
        "uso la pantalla partida en el iphone y se traba",
    ],
)
def test_stop_20_second_review_not_damage(text: str) -> None:
    assert not kinds(text), (text, kinds(text))


@pytest.mark.parametrize(
    ("text", "codes"),
    [
        ("itunes gave 4005 and then 4013 during the restore", [4005, 4013]),
        ("iphone 11 bị lỗi 3 ngày nay", []),
        ("die Wiederherstellung gab 4013 oder 4014", [4013, 4014]),
        ("error 9 dann 200 euro reparatur", [9]),
    ],
)
def test_stop_20_second_review_error_codes(text: str, codes: list[int]) -> None:
    assert list(MATCHER.analyse(text).error_codes) == codes


@pytest.mark.parametrize(
    ("text", "kind"),
    [
        ("telefon denizde 5 dakika kaldı, iphone 13 açılmıyor", "liquid"),
        ("iphone 11 havuza düştü", "liquid"),
        ("дисплей разбит после падения, айфон не включается", "cracked"),
        ("das handy hat feuer gefangen", "smoke"),
        ("iphone 13 göle düştü", "liquid"),
        ("telefonum havuzun dibinde kaldı", "liquid"),
        ("ho lasciato il telefono sott'acqua per un minuto", "liquid"),
        ("o celular ficou debaixo d'água", "liquid"),
        ("hpku kehujanan tadi sore, sekarang mati", "liquid"),
        ("wine got all over my phone, the screen flickers", "liquid"),
        ("das iphone ist mir vom Dach gefallen, Display schwarz", "impact"),
        ("passaram de carro por cima do meu celular", "impact"),
        ("телефон впав на плитку і не вмикається", "impact"),
        ("стекло разбито, айфон не включается", "cracked"),
        ("Handy war in der Sauna, das Display ist von innen beschlagen", "liquid"),
        ("there's fog inside the camera since the beach", "liquid"),
        ("the port on my phone got smoky while charging", "smoke"),
        ("मेरा फोन पानी में गिर गया", "liquid"),
        ("โทรศัพท์ตกน้ำ เปิดไม่ติด", "liquid"),
        ("o celular foi atropelado por um carro", "impact"),
        ("mijn telefoon heeft een barst in het scherm en reageert niet", "cracked"),
        ("экран разбит не сильно, но телефон не включается", "cracked"),
        ("ho preso un acquazzone, il telefono era fradicio", "liquid"),
        ("ráborult egy pohár víz a telefonra", "liquid"),
        ("my coffee tipped over into it", "liquid"),
        ("my little one gave my phone a bath, now it's dead", "liquid"),
        ("the dog knocked a water glass over my phone", "liquid"),
        ("dentro del baño se fue a bañar conmigo el celular", "liquid"),
        ("دخلت مية في التليفون", "liquid"),
        ("the back glass has come away from the frame", "battery_swollen"),
        ("my phone kissed the pavement, black screen", "impact"),
        ("das Display hat einen Sprung, Touch geht nicht", "cracked"),
        ("telefon mi spadl na zem a nejde zapnout", "impact"),
        ("휴대폰 화면이 깨지고 안 켜져요", "cracked"),
    ],
)
def test_stop_22_damage_phrasings(text: str, kind: str) -> None:
    assert kind in kinds(text), (text, kinds(text))


@pytest.mark.parametrize(
    "text",
    [
        "ich bin Feuer und Flamme für das iPhone 15, aber es hängt beim Logo",
        "havuzda fotoğraf çektim, sonra iphone 12 açılmadı",
        "oğlum havuzda kaldı bütün gün, iphone açılmıyor",
        "telefon havuzda değildi, masada kaldı",
        "дисплей разбит не был, просто не включается",
        "hast du feuer? mein iphone hängt",
        "tout feu tout flamme pour l'iphone 15, mais il plante",
        "se me cayó la señal y el iphone no tiene servicio",
        "got smoked in ranked again, phone froze",
        "das video hat mir gefallen, aber das iphone hängt",
        "coffee went all over my desk, the phone was in my bag and is dry",
        "i quit smoking last month and my phone froze",
        "smoked salmon for dinner, then the phone froze",
        "this app sparks joy, my iphone froze",
        "saya kehujanan tapi hp di dalam tas aman",
        "juice went all over my 5 year old at breakfast, the phone froze",
        "ich bin von der leiter gefallen, dem handy ist nichts passiert",
        "я впав з велосипеда, а телефон був у рюкзаку",
        "заряд впав на 30% за годину",
        "meu gato foi atropelado ontem e o celular travou",
        "Apple heeft de bal laten vallen met deze update",
        "tá difícil, é fogo viu, o celular travou",
        "mein Vater hat das Handy gesperrt",
        "tak pernah kena air, tapi hp saya mati",
        "i took a bath yesterday and my phone froze",
    ],
)
def test_stop_22_not_damage(text: str) -> None:
    assert not kinds(text), (text, kinds(text))


@pytest.mark.parametrize(
    ("text", "codes"),
    [
        ("iTunes geri yüklemede 4013 hatası verdi", [4013]),
        ("iOS 18 hatası yüzünden telefon açılmıyor", []),
        ("2 hata var, iphone açılmıyor", []),
        ("güncellemede 4013 hata kodu verdi", [4013]),
    ],
)
def test_turkish_code_before_its_error_word(text: str, codes: list[int]) -> None:
    assert list(MATCHER.analyse(text).error_codes) == codes


@pytest.mark.parametrize(
    ("text", "kind"),
    [
        ("mera phone barish mein bheeg gaya, ab on nahi hota", "liquid"),
        ("گوشیم دیشب خیس شد و دیگه روشن نمیشه", "liquid"),
        ("موبایلم افتاد تو استخر", "liquid"),
        ("فون پانی میں گر گیا تھا", "liquid"),
        ("my phone was in my back pocket when my friends threw me in", "liquid"),
        ("una ola nos empapó y el móvil ya no enciende", "liquid"),
        ("شارژر دود کرد و بوی سوختگی میاد", "smoke"),
        ("charger se chingari nikli, phone band ho gaya", "smoke"),
        ("phone se jalne ki smell aa rahi hai", "smoke"),
        ("meri battery phool gayi hai, screen upar aa gayi", "battery_swollen"),
        ("بطارية الجوال منفوخة", "battery_swollen"),
        ("customer device, drop dmg, no boot", "impact"),
        ("my phone slid off the car roof on the highway, now it won't boot", "impact"),
        ("впустила телефон на асфальт, екран чорний", "impact"),
        ("رمت الجوال على الارض وما يشتغل", "impact"),
        ("se me fue al excusado y ya no prende", "liquid"),
        ("minha filha derrubou café no celular", "liquid"),
        ("simu yangu imeingia maji, haiwaki", "liquid"),
        ("ek het koffie oor die foon gemors", "liquid"),
        ("my phone flew out of my hand into the pool", "liquid"),
        ("nafoukla se mi baterie", "battery_swollen"),
        ("betri ya simu imevimba", "battery_swollen"),
        ("le téléphone a commencé à fumer", "smoke"),
        ("ça sentait le brûlé autour du chargeur", "smoke"),
        ("το κινητό έβγαλε καπνό", "smoke"),
        ("füstölt a telefon a töltőn", "smoke"),
        ("a bus ran over my friend's phone, it won't turn on", "impact"),
        ("the puppy chewed my phone and the touch is dead", "impact"),
        ("ha lanciato il telefono contro il muro e non si accende", "impact"),
        ("telefonul mi-a căzut pe asfalt și nu mai pornește", "impact"),
        ("i fell right on it and now the screen is black", "impact"),
        ("my phone fell in the toilet, the watch survived but not the phone", "liquid"),
        ("telefon wpadł do wanny, jest suchy ale nie działa", "liquid"),
        # review 25's misses, in other words
        ("فون کموڈ میں گر گیا", "liquid"),
        ("телефон упав у ванну і не заряджається", "liquid"),
        ("charger se دھواں نکلا", "smoke"),
        ("از کابل شارژر جرقه زد", "smoke"),
        ("my phone slid off the desk and the screen is black now", "impact"),
        ("put it on the car roof and it flew off on the highway, now it won't turn on", "impact"),
    ],
)
def test_stop_23_damage_phrasings(text: str, kind: str) -> None:
    assert kind in kinds(text), (text, kinds(text))


@pytest.mark.parametrize(
    "text",
    [
        "my watch went through the washing machine, not my phone; the phone just freezes",
        "brat utopił swój telefon w jeziorze, ale mój iphone jest suchy i się zawiesza",
        "فون نہ گرا نہ پانی میں گیا، بس بند ہو گیا",
        "впустив кота в хату, а телефон завис",
        "my watch fell in the pool, but my question is about the iphone, it freezes",
        "füstölt kolbászt ettem, aztán lefagyott a telefon",
        # review 25
        "phone barish mein bheega nahi, bas hang hai",
        "geela kapda se phone saaf kiya, ab touch nahi chalta",
        "chingari app pe video nahi chal raha",
        "koi chingari nahi nikli, phone bas band hai",
        "زیر بارون خیس شدم ولی گوشی تو جیبم بود",
        "بوی سوختگی نمیده ولی گوشی خاموش شده",
        "البطارية ما انتفخت بس الجوال يطفي",
        "it nearly slid off the car roof but i grabbed it, the phone froze later",
        "رميت الشاحن على الارض والجوال علق",
        "it slid off the table but i caught it, the phone froze later",
    ],
)
def test_stop_23_not_damage(text: str) -> None:
    assert not kinds(text), (text, kinds(text))


@pytest.mark.parametrize(
    ("text", "codes"),
    [
        ("Bilinmeyen bir hata oluştu (4005).", [4005]),
        ("hata oluştu 3 kez, telefon açılmıyor", []),
        ("Terjadi kesalahan tidak dikenal (4013).", [4013]),
        ("ریستور نشد، ارور ۹ داد", [9]),
        ("Došlo k neznámé chybě (4005).", [4005]),
        ("Παρουσιάστηκε άγνωστο σφάλμα (9).", [9]),
        ("bilinmeyen bir hata oluştu, 3 gündür açılmıyor", []),
        ("terjadi kesalahan tidak dikenal di iphone 8", []),
        ("خطای ۳ بار تکرار شد", []),
    ],
)
def test_stop_23_dialog_codes(text: str, codes: list[int]) -> None:
    assert list(MATCHER.analyse(text).error_codes) == codes

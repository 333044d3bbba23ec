"""Normalisation: invisible characters vanish inside words, length is capped after NFKC too, spellings unify."""

from __future__ import annotations

import unicodedata

import pytest

from bot.core.knowledge import load_knowledge
from bot.core.matching import MAX_ANALYSED_CHARS, Matcher
from bot.core.text import clean
from bot.settings import DEFAULT_KNOWLEDGE_DIR

MATCHER = Matcher(load_knowledge(DEFAULT_KNOWLEDGE_DIR))

INVISIBLE = {
    "zero-width space": "\u200b",
    "zero-width non-joiner": "\u200c",
    "zero-width joiner": "\u200d",
    "soft hyphen": "\u00ad",
    "word joiner": "\u2060",
    "left-to-right isolate": "\u2066",
    "right-to-left isolate": "\u2067",
    "first strong isolate": "\u2068",
    "pop directional isolate": "\u2069",
    "left-to-right mark": "\u200e",
    "right-to-left mark": "\u200f",
    "left-to-right embedding": "\u202a",
    "right-to-left override": "\u202e",
    "variation selector 1": "\ufe00",
    "variation selector 16": "\ufe0f",
    "zero-width no-break space": "\ufeff",
    "variation selector 17": "\U000e0100",
    "combining grapheme joiner": "\u034f",
}


@pytest.mark.parametrize("char", INVISIBLE.values(), ids=INVISIBLE.keys())
def test_invisible_character_inside_a_word_is_deleted(char: str) -> None:
    assert clean(f"st{char}uck")[0] == "stuck"
    assert (
        clean(f"my iphone 12 is st{char}uck on the apple lo{char}go")[0]
        == clean("my iphone 12 is stuck on the apple logo")[0]
    )


@pytest.mark.parametrize("char", INVISIBLE.values(), ids=INVISIBLE.keys())
def test_invisible_character_changes_no_answer(char: str) -> None:
    plain = MATCHER.analyse("my iphone 12 is stuck on the apple logo after I dropped it in the toilet")
    hidden = MATCHER.analyse(
        f"my iph{char}one 1{char}2 is st{char}uck on the ap{char}ple logo after I dro{char}pped it in the toi{char}let"
    )
    assert hidden.model == plain.model
    assert [e.id for e in hidden.symptoms] == [e.id for e in plain.symptoms]
    assert [e.id for e in hidden.damage] == [e.id for e in plain.damage] == ["liquid"]


def test_invisible_character_between_words_does_not_join_them() -> None:
    # A zero-width space is not a space: words it alone separates are joined, as the reader sees them.
    assert clean("stuck\u200b")[0] == "stuck"
    assert clean("stuck \u200bon")[0] == "stuck on"


@pytest.mark.parametrize("char", ["\x00", "\x07", "\x1b", "\x7f", "\x85", "\u2028", "\u2029"])
def test_control_characters_separate_words(char: str) -> None:
    assert clean(f"stuck{char}on")[0] == "stuck on"


@pytest.mark.parametrize(
    ("unit", "note"),
    [
        ("\ufdfa", "one character, 18 after NFKC"),
        ("\ufb03", "ffi ligature, 3 after NFKC"),
        ("ß", "2 after casefold"),
        ("\u0390", "3 after casefold"),
        ("\u3300", "square katakana, 4 after NFKC"),
        ("a ", "ordinary"),
    ],
)
def test_length_is_capped_after_normalisation(unit: str, note: str) -> None:
    text = unit * 4096
    cleaned, truncated = clean(text)
    assert len(cleaned) <= MAX_ANALYSED_CHARS, note
    grown = len(unicodedata.normalize("NFKC", text).casefold())
    assert truncated == (grown > MAX_ANALYSED_CHARS), note


def test_short_text_is_not_truncated_and_normalised_like_nfkc() -> None:
    text = "ｉＰｈｏｎｅ　１２ ｓｔｕｃｋ ｏｎ ｌｏｇｏ" * 3
    cleaned, truncated = clean(text)
    assert not truncated
    assert "iphone 12 stuck on logo" in cleaned


def test_piecewise_nfkc_matches_whole_nfkc_for_long_ordinary_text() -> None:
    text = ("Ｅｒｒｏｒ ４０１３ on my ｉＰｈｏｎｅ café naïve ﬁx " * 200)[:6000]
    cleaned, _ = clean(text)
    expected, _ = clean(unicodedata.normalize("NFKC", text))
    assert cleaned == expected


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("won't turn on", "wont turn on"),
        ("l'eau", "l eau"),
        ("nell'acqua", "nell acqua"),
        ("my iPhone 12's screen", "my iphone 12 screen"),
        ("my X's battery", "my x battery"),
        ("both 6+'s", "both 6 plus"),
        ("7+", "7 plus"),
        ("I Phone 11", "iphone 11"),
        ("i-phone 11", "iphone 11"),
        ("iPhone11", "iphone 11"),
        ("ip11", "iphone 11"),
        ("ip 8", "iphone 8"),
        ("i6s", "iphone 6s"),
        ("iphone eleven", "iphone 11"),
        ("iPhone Twelve", "iphone 12"),
        ("11promax", "11 pro max"),
        ("13pro", "13 pro"),
        ("我的iPhone7开不了机", "我的iphone 7开不了机"),
        ("iPhone15吗", "iphone 15吗"),
        # a Turkish capital İ casefolds to "i" and a combining dot
        ("İPHONE 11 AÇILMIYOR", "iphone 11 açilmiyor"),
        ("İphone 7 şarj olmuyor", "iphone 7 şarj olmuyor"),
        # a Turkish case ending after a model name is not part of it
        ("iPhone 11'i sıfırladım", "iphone 11 i sıfırladım"),
        ("XR'ım açılmıyor", "xr ım açılmıyor"),
    ],
)
def test_spellings(raw: str, expected: str) -> None:
    assert clean(raw)[0] == expected


@pytest.mark.parametrize(
    "raw", ["ip 10.0.0.1", "core i7 laptop", "intel i5", "skip 5", "hi5", "used the i4 tool", "i4 tools", "i4助手"]
)
def test_lookalikes_are_not_iphones(raw: str) -> None:
    assert "iphone" not in clean(raw)[0]


@pytest.mark.parametrize(
    ("text", "normalised"),
    [
        ("iPhone 15 Pro-Max", "iphone 15 pro max"),
        ("iPhone-12", "iphone 12"),
        ("iphonex16.4", "iphone x 16.4"),
        ("苹果11重启", "iphone 11重启"),
        ("卡在白苹果12小时", "卡在白苹果12小时"),  # the white Apple logo, then twelve hours
        ("айфон11", "iphone 11"),
        ("아이폰 11", "iphone 11"),
        # Korean and Japanese model words after the number; not the start of a longer word
        ("아이폰 13 프로가", "iphone 13 pro가"),
        ("아이폰15프로 맥스", "iphone 15 pro max"),
        ("아이폰 12미니", "iphone 12 mini"),
        ("iPhone8プラス", "iphone 8 plus"),
        ("iPhone 14プロマックス", "iphone 14 pro max"),
        ("아이폰 7 프로그램", "iphone 7 프로그램"),
        ("iPhone 8 プロフィール", "iphone 8 プロフィール"),
        ("プロの修理", "プロの修理"),  # no number before it: "a professional repair"
    ],
)
def test_model_spellings_unify(text: str, normalised: str) -> None:
    assert clean(text)[0] == normalised


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        # real words one letter away from a symptom word are left as they are
        ("i was looking at it when it died", "i was looking at it when it died"),
        ("tapped the screen and nothing", "tapped the screen and nothing"),
        ("it started again", "it started again"),
        ("the heading says error", "the heading says error"),
        # French and Italian participles are no Spanish or masculine words ("bloquée" had become "bloqueo")
        ("ma tablette est bloquée", "ma tablette est bloquée"),
        ("la luce è allumée", "la luce è allumée"),
        ("la batteria è bloccata", "la batteria è bloccata"),
        # real typos are still fixed
        ("stuck in recovry mode", "stuck in recovery mode"),
        ("it wont resotre", "it wont restore"),
    ],
)
def test_real_words_are_not_typos(raw: str, expected: str) -> None:
    assert MATCHER.normalize(raw)[0] == expected

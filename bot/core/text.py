"""Text normalisation shared by every reader: bounded in cost, blind to invisible characters.

A message is cut before Unicode normalisation (bounding its cost) and again after it, because NFKC can
grow text: U+FDFA alone becomes 18 characters. Invisible characters (zero-width, soft hyphen, bidi
controls, variation selectors) are deleted, never turned into spaces, so "st\u200buck" reads "stuck".
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable, Iterable

# Messages are analysed up to this many characters, counted before and again after normalisation.
# 8,000 covers any chat message (Telegram 4,096, Discord 4,000) with room for NFKC and casefold growth
# of ordinary text; a pasted log is read from its start. See bench/README.md for the cost it bounds.
MAX_ANALYSED_CHARS = 8_000
# Characters normalised at a time (see _nfkc_prefix).
_NFKC_PIECE = 512

# Characters with no visible width: deleted so that they cannot split or disguise a word.
INVISIBLE = re.compile(
    "["
    "\u00ad"  # soft hyphen
    "\u034f"  # combining grapheme joiner
    "\u061c"  # Arabic letter mark
    "\u115f\u1160\u3164\uffa0"  # Hangul fillers
    "\u180b-\u180f"  # Mongolian variation selectors and vowel separator
    "\u200b-\u200f"  # zero-width space, non-joiner, joiner, left-to-right and right-to-left marks
    "\u202a-\u202e"  # bidi embeddings and overrides
    "\u2060-\u2064"  # word joiner, invisible operators
    "\u2066-\u2069"  # bidi isolates
    "\u206a-\u206f"  # deprecated format characters
    "\ufe00-\ufe0f"  # variation selectors
    "\ufeff"  # zero-width no-break space (BOM)
    "\U000e0000-\U000e007f"  # tag characters
    "\U000e0100-\U000e01ef"  # variation selectors supplement
    "]"
)
# Other control characters separate words: they become spaces.
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f\u2028\u2029]")
_APOSTROPHES = re.compile(r"['’`´‘ʼ]")
# A possessive on a model name is not part of it: "iphone 12's screen", "my X's battery" (not an XS).
_POSSESSIVE = re.compile(r"(?<![a-z0-9])(\d{1,2}[a-z]?|x|xr|xs|se|max|plus|pro|mini)['’]s(?![a-z0-9])")
# A Turkish case ending after a model name is not part of it either: "iphone 11'i düşürdüm", "13'ümü", "XR'ı".
_SUFFIX_AFTER_MODEL = re.compile(r"(?<![a-z0-9])(\d{1,2}[a-z]?|x|xr|xs|se|max|plus|pro|mini)['’](?=[^\W\d_])")
# French and Italian elisions keep their words apart ("l'eau" -> "l eau", "nell'acqua" -> "nell acqua");
# English contractions lose the apostrophe instead ("won't" -> "wont").
_ELISION = re.compile(r"(?<![a-z])(l|d|j|n|s|c|m|t|qu|nell|dell|all|sull|dall|un)['’](?=[a-zàâäéèêëîïôöùûüœh])")
WORD = re.compile(r"[^\W\d_]+", re.UNICODE)
# Latin letters and digits bound a model name; other scripts may touch it ("我的iphone 11", "iphone 12が").
_LATIN_BEFORE = r"(?<![a-z0-9_])"
# Letters Bulgarian and Serbian write and Russian (almost) never does: there "се" before a verb is the reflexive
# pronoun ("айфонът се изключи", it switched itself off), not an SE.
_BULGARIAN_OR_SERBIAN = re.compile(r"[ъђјљњћџ]")
_WORD_AFTER = re.compile(r"\s+[а-яё]")


def _cyrillic_se(match: re.Match[str]) -> str:
    text = match.string
    if _BULGARIAN_OR_SERBIAN.search(text) and _WORD_AFTER.match(text, match.end()):
        return match.group(0)
    return "iphone se"


_NUMBER_WORDS = {
    "three": "3", "four": "4", "five": "5", "six": "6", "seven": "7", "eight": "8", "ten": "10", "eleven": "11",
    "twelve": "12", "thirteen": "13", "fourteen": "14", "fifteen": "15", "sixteen": "16", "seventeen": "17",
    # pt, es, it, fr, de, as voice typing writes them ("meu iphone onze"); not Spanish "once", German "elf",
    # Portuguese "doze" or French "seize", which are English words or a name ("does the iphone seize up")
    "onze": "11", "treze": "13", "catorze": "14", "quatorze": "14", "quinze": "15", "doce": "12",
    "trece": "13", "catorce": "14", "quince": "15", "undici": "11", "dodici": "12", "tredici": "13",
    "quattordici": "14", "quindici": "15", "sedici": "16", "douze": "12", "treize": "13",
    "zwölf": "12", "dreizehn": "13", "vierzehn": "14", "fünfzehn": "15", "sechzehn": "16",
}  # fmt: skip
_CJK_MODEL_WORDS = {"프로": "pro", "맥스": "max", "미니": "mini", "플러스": "plus",
                    "プロ": "pro", "マックス": "max", "ミニ": "mini", "プラス": "plus"}  # fmt: skip
_CJK_MODEL_WORD = (
    r"(?:프로|맥스|미니|플러스)(?!그램|필|세스|젝트|모|세서|토콜|듀)|"
    r"プロ ?マックス|(?:プロ|マックス|ミニ|プラス)(?![ァ-ヺー])"
)
# Russian model words after "iphone 11" ("айфон 13 мини", "айфон 11 про макс", "айфон 8 плюс"): "про" is the Pro
# only there (elsewhere it is "about"). "айфон икс" is the X ("икс ар" the XR, "икс эс" the XS), after "iphone" only.
# Arabic ones too ("ايفون 13 برو ماكس").
_RUSSIAN_MODEL_WORDS = {
    "про": "pro", "макс": "max", "мини": "mini", "плюс": "plus", "промакс": "pro max",
    "برو": "pro", "ماكس": "max", "ميني": "mini", "بلس": "plus",
    "प्रो": "pro", "मैक्स": "max", "मिनी": "mini", "प्लस": "plus", "โปร": "pro", "แม็กซ์": "max", "มินิ": "mini",
    "พลัส": "plus", "پلاس": "plus", "پرو": "pro", "مکس": "max", "مینی": "mini", "פרו": "pro", "מקס": "max",
    "מיני": "mini", "פלוס": "plus", "پرومکس": "pro max", "پلس": "plus", "міні": "mini",
    # Persian "my": "آیفون ۱۱ پرو مکسم" (my iPhone 11 Pro Max)
    "مکسم": "max", "پروم": "pro", "پلاسم": "plus", "مینیم": "mini", "پرومکسم": "pro max",
    # Greek ("Αϊφόν 13 Προ Μαξ") and Amharic ("አይፎን15 ፕሮማክስ")
    "προ": "pro", "μαξ": "max", "μινι": "mini", "μίνι": "mini", "πλασ": "plus", "πλάσ": "plus",
    "ፕሮማክስ": "pro max", "ፕሮ": "pro", "ማክስ": "max", "ሚኒ": "mini", "ፕላስ": "plus",
}  # fmt: skip
# (Persian, Hebrew, Hindi and Thai too: "آیفون ۷ پلاس", "אייפון 16 פרו", "आईफोन 12 मिनी", "ไอโฟน 11 โปร"; Thai
# writes no spaces, so not "โปรแกรม", a program)
_RUSSIAN_MODEL_WORD = (
    r"(?:промакс|про|макс|мини|міні|плюс|برو|ماكس|ميني|بلس|پرومکسم|پرومکس|پلاسم|پلاس|پلس|پروم|پرو|مکسم|مکس|مینیم|"
    r"مینی|פרו|מקס|מיני|פלוס|प्रो|मैक्स|मिनी|प्लस|προ|μαξ|μινι|μίνι|πλασ|πλάσ|ፕሮማክስ|ፕሮ|ማክስ|ሚኒ|ፕላስ|"
    r"แม็กซ์|มินิ|พลัส|โปร(?!แกรม|โมช))(?![а-яё\u0370-\u03ff\u0590-\u05ff\u0600-\u06ff\u0900-\u097f\u1200-\u137f])"
)
_RUSSIAN_AFTER_NUMBER = re.compile(rf"iphone (\d{{1,2}}) ?({_RUSSIAN_MODEL_WORD}(?: ?{_RUSSIAN_MODEL_WORD})*)")
_RUSSIAN_X = re.compile(r"iphone икс(?: ?(ар|р|эс|ес|с))?(?![а-яё])( макс(?![а-яё]))?")
# "айфон ХR": a Cyrillic "Х" before the Latin R or S, or alone, is the X
_CYRILLIC_X = re.compile(r"iphone ?х(?=(?:r|s)?(?![а-яёa-z0-9_]))")
# "iPhone ΧΡ", "iPhone ΧΣ Μαξ": the XR and XS typed with Greek letters
_GREEK_X = re.compile(r"iphone ?χ(ρ|σ|ς)?(?![\u0370-\u03ffa-z0-9_])( μαξ(?![\u0370-\u03ff]))?")
# "آیفون ایکس ار", "آئی فون ایکس ایس", "ايفون اكس ماكس": the X, XR and XS in Persian, Urdu and Arabic letters
_PERSIAN_X = re.compile(
    r"iphone ?(?:ایکس|اکس|اكس|إكس|ايكس)(?: ?(ار|آر|اس|ایس|إس|ايس))?(?![\u0600-\u06ff])"
    r"( (?:مکس|ماکس|ماكس)(?![\u0600-\u06ff]))?"
)
_PERSIAN_X_SUFFIX = {"ار": "r", "آر": "r", "اس": "s", "ایس": "s", "إس": "s", "ايس": "s"}
_RUSSIAN_X_SUFFIX = {"ар": "r", "р": "r", "эс": "s", "ес": "s", "с": "s"}
_CJK_SPLIT = re.compile("|".join(_CJK_MODEL_WORDS))
_CJK_MODEL_WORDS_AFTER_NUMBER = re.compile(rf"(?<=[0-9sx]) ?((?:{_CJK_MODEL_WORD})(?: ?(?:{_CJK_MODEL_WORD}))*)")
_DIGITS = "0123456789"


def _any_of(*needed: str) -> re.Pattern[str]:
    """A gate: finds any of ``needed`` (as one regex: "i0|i1|...|i9" is searched as "i[0-9]")."""
    return re.compile("|".join(re.escape(string) for string in needed))


# (a gate: without a match of it the rewrite changes nothing, so it is skipped; the regex; the replacement).
# Most of these regexes start with a look-behind, which re tries at every position of the text; the gates are
# substrings every match contains (or, for the spaces, without which a match is replaced by itself).
_EASTERN_DIGIT = re.compile("[\u0660-\u0669\u06f0-\u06f9]")
_EASTERN_DIGITS = str.maketrans("٠١٢٣٤٥٦٧٨٩۰۱۲۳۴۵۶۷۸۹", "01234567890123456789")
_REWRITES: tuple[tuple[re.Pattern[str], re.Pattern[str], str | Callable[[re.Match[str]], str]], ...] = (
    (_any_of("i phone", "i-phone"), re.compile(_LATIN_BEFORE + r"i[ -]phone"), "iphone"),
    # Polish cases: "w iPhonie X", "do iPhona 12", "z iPhonem 13", "iPhony"
    (
        _any_of("iphonie", "iphona", "iphonem", "iphonach", "iphonów", "iphony", "iphonu", "iphone-ul", "iphone ul"),
        # (and Czech "na iPhonu 12", Romanian "iPhone-ul 8")
        re.compile(_LATIN_BEFORE + r"iphon(?:ie|a|em|ach|ów|y|u|e-ul|e ul)(?![a-z0-9_])"),
        "iphone",
    ),
    (_any_of("iphone-", "iphone_"), re.compile(_LATIN_BEFORE + r"iphone[-_](?=\d)"), "iphone "),  # "iPhone-12"
    # "苹果11", "苹果 13 pro": Chinese for the iPhone before a model number. Not the logo ("白苹果", "卡在苹果
    # 12小时": a white Apple, twelve hours on it).
    (
        _any_of("苹果"),
        re.compile(
            r"(?<![白黑])苹果(?=\s?(?:\d{1,2}(?!\d)(?!\s*(?:小时|分钟|分|秒|次|天|个|年|月|号|点|%))|x[rs]?(?![a-z])|se(?![a-z])))"
        ),
        "iphone ",
    ),
    # "iPhone" in other scripts, glued or not ("айфон11", "아이폰 11이"), so that the model after it is read.
    (_any_of("фон"), re.compile(r"айфон(?:а|е|у|ом|і)?|ифон"), "iphone"),
    # Russian "айфон се 2020", "айфон се не включается": the SE in Cyrillic letters, after "iphone" only.
    (_any_of("iphone се", "iphoneсе"), re.compile(_LATIN_BEFORE + r"iphone ?се(?![а-яёa-z0-9_])"), _cyrillic_se),
    (_any_of("아이폰"), re.compile("아이폰"), "iphone"),
    (_any_of("يفون", "یفون"), re.compile("[اآأإ][يی]فون"), "iphone"),  # Arabic "ايفون", "آيفون"; Persian "آیفون"
    (_any_of("ئی فون", "ئیفون"), re.compile("آئی ?فون"), "iphone"),  # Urdu "آئی فون"
    # Arabic "جوالي ١٣ برو" (my phone, a 13 Pro): "my phone" before a model number and an iPhone model word only
    (
        _any_of("جوالي", "جوالى"),
        re.compile(  # (not another maker's: "جوالي 13 برو شاومي")
            r"جوال[يى] ?(?=\d{1,2} ?(?:برو|ماكس|بلس|ميني)(?![\u0600-\u06ff])"
            r"(?! ?(?:ماكس )?(?:شاومي|ريلمي|ريدمي|سامسونج|سامسونق|هواوي|اوبو|أوبو|فيفو|انفنكس|تكنو|هونر|"
            r"بوكو|نوت|ون بلس)))"
        ),
        "iphone ",
    ),
    # Hebrew "(ה)אייפון", Greek "αϊφόν", Hindi "आईफोन", Thai "ไอโฟน"
    (_any_of("אייפון"), re.compile("ה?אייפון"), "iphone"),
    (_any_of("φον", "φόν"), re.compile("[αά][ιϊί]φ[οό]ν"), "iphone"),
    (_any_of("አይፎን"), re.compile("አይፎን"), "iphone "),  # Amharic
    # Greek "το 11άρι μου" (my 11): the number with "-άρι" before a possessive
    (
        _any_of("άρι"),
        re.compile(r"(?<![\w.,])(\d{1,2})άρι(?=\s+(?:μου|σου|τη[σς]|του|μα[σς]|του[σς])(?!\w))"),
        r"iphone \1",
    ),
    (_any_of("फ"), re.compile("आ[ईइ]फ़?ोन"), "iphone"),
    # Vietnamese "con 15 của mình" (my 15: "con" counts a device, "của mình" is "of mine")
    (
        _any_of("của", "cua"),
        # (not a child: "con 5 của em mới học lớp 1", "tuổi" is years of age; the comma keeps "của" off the 5c)
        re.compile(
            r"(?<![a-z0-9_])con (\d{1,2}(?: pro max| pro| plus| mini)?) (?=c[ủu]a (?:m[ìi]nh|t[ôo]i|em|anh|tui)\b"
            r"(?![^.!?]{0,30}\b(?:tu[ổo]i|l[ớo]p|h[ọo]c|ch[áa]u)\b))"
        ),
        r"iphone \1, ",
    ),
    (_any_of("ไอโฟน"), re.compile("ไอโฟน"), "iphone "),
    (_any_of("アイフォ"), re.compile("アイフォーン|アイフォン"), "iphone"),
    (
        _any_of(*_NUMBER_WORDS),
        # (not Dutch "onze", our: "de iphone onze zoon gebruikt")
        re.compile(
            _LATIN_BEFORE + r"iphone ?(" + "|".join(_NUMBER_WORDS) + r")(?![a-z0-9_])"
            r"(?! (?:zoon|dochter|kind\w*|familie|moeder|vader|oma|opa|vriend\w*|broer|zus|man|vrouw)\b)"
        ),
        lambda m: f"iphone {_NUMBER_WORDS[m.group(1)]}",
    ),
    # A number word before a model word, after a possessive or an article: "mine is a fifteen pro", "the twelve
    # mini", "el mío es un doce pro"
    (
        _any_of(*(f"{word} {suffix}" for word in _NUMBER_WORDS for suffix in ("pro", "mini", "plus", "max"))),
        re.compile(
            r"(?<![a-z0-9_])(my|the|a|an|un|el|mi|o|um|meu|mon|le|il|lo|mio|een|mijn|mein|ein|das) ("
            + "|".join(_NUMBER_WORDS)
            + r") (?=(?:pro max|pro|mini|plus|max)"
            # and then the end of the name: a verb, a conjunction or punctuation ("the twelve mini is stuck", "a
            # fifteen pro and it"), not a noun ("five pro tips", "a ten plus hour flight", "the eleven mini fridge")
            r"(?:\s*(?:$|[.,!?;:)\n])|\s+(?:is|was|wont|cant|doesnt|keeps|kept|stuck|froze|frozen|died|dead|has|had|"
            r"and|but|that|which|it|just|will|wouldnt|shows|lol|y|e|et|und|que|qui|che|no|non|não|nao|ne|se|si|"
            r"sigue|est|ist|è|es|está|esta)(?![a-z0-9_])))"
        ),
        lambda m: f"{m.group(1)} iphone {_NUMBER_WORDS[m.group(2)]} ",
    ),
    (
        _any_of(*(f"iphone{d}" for d in _DIGITS), "iphonex", "iphonese", "iphoneair", "iphonefold"),
        re.compile(_LATIN_BEFORE + r"iphone(?=\d|(?:x|xr|xs|se|air|fold)(?![a-z]))"),
        "iphone ",
    ),
    # A letter-named model glued to an iOS version: "iphonex16.4", "iPhone XR15.2" (X on iOS 16.4).
    (
        _any_of("iphone x", "iphone se"),
        re.compile(_LATIN_BEFORE + r"(iphone (?:x|xr|xs|xs max|se))(?=\d{1,2}[.,]\d)"),
        r"\1 ",
    ),
    # "ip11", "ip 8": but not an IP address ("ip 10.0.0.1") or a longer number.
    (
        _any_of(*(f"ip{space}{d}" for space in ("", " ") for d in _DIGITS)),
        re.compile(_LATIN_BEFORE + r"ip ?(?=\d{1,2}(?!\d|[.,]\d))"),
        "iphone ",
    ),
    # "i6s", "i7", "i11 pro": glued forms only, and not a processor ("core i7", "intel i5", "pc i7", "i7-8700"),
    # nor the i4 Tools flashing program ("i4 tool", "i4助手").
    (
        _any_of(*(f"i{d}" for d in _DIGITS)),
        re.compile(
            r"(?<![a-z0-9_])(?<!core )(?<!intel )(?<!pc )(?<!cpu )(?<!laptop )(?<!processor )"
            r"i(?=\d{1,2}(?:s|c|e)?(?:\+|plus|pro|mini|max| plus| pro| mini)?"
            r"(?![a-z0-9_]|[.,]\d|-\d| ?tools?\b| ?助手))"
        ),
        "iphone ",
    ),
    # "mi X R", "my x s max": the XR and XS spelled apart, after a possessive, an article or "iphone"
    (
        _any_of("x r", "x s"),
        re.compile(r"\b(iphone|my|mi|mon|mein|meu|il|el|the|an?|un|une|ein|um|o|la|le|de) x ([rs])(?![a-z0-9_])"),
        r"\1 x\2",
    ),
    # "il mio 1 2 pro": a model number typed apart, before a model word
    (
        _any_of("1 "),
        re.compile(
            r"\b(iphone|my|mi|mio|mon|mein|meu|il|el|the|an?|un|ein|um|o) 1 ([0-7])(?= (?:pro|mini|plus|max)\b)"
        ),
        r"\1 1\2",
    ),
    (_any_of("+"), re.compile(r"(?<=\d)\s*\+\s?s(?![a-z0-9_])"), " plus"),  # "6+'s" (plural of 6+) after apostrophes go
    (_any_of("+"), re.compile(r"(?<=\d)\s*\+"), " plus"),
    (_any_of("promax"), re.compile(r"(?<![a-z_])promax(?![a-z0-9_])"), " pro max"),
    (_any_of("pro-max", "pro_max"), re.compile(r"(?<![a-z_])pro[-_]max(?![a-z0-9_])"), "pro max"),  # "15 Pro-Max"
    (
        _any_of(*(f"{d}{word}" for d in _DIGITS for word in ("pro", "plus"))),
        re.compile(r"(?<![a-z0-9_])(\d{1,2})(pro|plus)(?![a-z0-9_])"),
        r"\1 \2",
    ),
    (
        _any_of(*(f"{d}{word}" for d in _DIGITS for word in ("mini", "max"))),
        re.compile(r"(?<![a-z0-9_])(\d{1,2})(mini|max)(?![a-z0-9_])"),
        r"\1 \2",
    ),
    (_any_of(*"()[]{}"), re.compile(r"[()\[\]{}]"), " "),
    (_any_of("  ", "\t"), re.compile(r"[ \t]+"), " "),  # single spaces stay as they are
)


def _nfkc_prefix(text: str, limit: int) -> tuple[str, bool]:
    """NFKC of the start of ``text``, computed piece by piece until ``limit`` characters are out (NFKC can
    grow text 18-fold, so normalising all of it first would cost 18 times the cap). Pieces end at a space,
    where normalisation never joins characters. Returns (normalised, whether input was left over)."""
    pieces: list[str] = []
    total, start = 0, 0
    while start < len(text) and total < limit:
        end = min(len(text), start + _NFKC_PIECE)
        if end < len(text):
            space = text.rfind(" ", start + 1, end)
            end = space if space > start else end
        piece = unicodedata.normalize("NFKC", text[start:end])
        pieces.append(piece)
        total += len(piece)
        start = end
    return "".join(pieces), start < len(text)


def clean(text: str, limit: int = MAX_ANALYSED_CHARS) -> tuple[str, bool]:
    """Unicode-normalise, delete invisible characters, lower-case, unify apostrophes and model spellings.

    Returns (text, truncated). The result is at most ``limit`` characters whatever the input."""
    if text.isascii():  # nothing invisible, NFKC changes nothing and casefolding is lower-casing
        folded, truncated = text[:limit].lower(), len(text) > limit
    else:
        visible = INVISIBLE.sub("", text[: limit * 2])
        normalised, left_over = _nfkc_prefix(visible, limit)
        folded = INVISIBLE.sub("", normalised).casefold()  # NFKC can yield a few of them from compatibility forms
        # The Turkish capital İ casefolds to "i" and a combining dot: "İphone 11", "İPHONE" are an iphone.
        folded = folded.replace("i\u0307", "i")
        if _EASTERN_DIGIT.search(folded):  # "ايفون ١١ برو": Arabic-Indic and Persian digits, which NFKC keeps
            folded = folded.translate(_EASTERN_DIGITS)
        truncated = len(text) > limit * 2 or left_over or len(folded) > limit
    folded = _CONTROL.sub(" ", folded[:limit])
    if _APOSTROPHES.search(folded):
        folded = _POSSESSIVE.sub(r"\1", folded)
        folded = _SUFFIX_AFTER_MODEL.sub(r"\1 ", folded)
        folded = _ELISION.sub(r"\1 ", folded)
        folded = _APOSTROPHES.sub("", folded)
    for gate, regex, replacement in _REWRITES:
        if gate.search(folded):
            folded = regex.sub(replacement, folded)
    if not folded.isascii():
        folded = _CJK_MODEL_WORDS_AFTER_NUMBER.sub(_latin_model_words, folded)
        if "iphone " in folded:
            folded = _RUSSIAN_AFTER_NUMBER.sub(_latin_russian_words, folded)
            folded = _RUSSIAN_X.sub(_latin_russian_x, folded)
        if "iphone" in folded and ("کس" in folded or "كس" in folded):
            folded = _PERSIAN_X.sub(_latin_persian_x, folded)
        if "iphone" in folded and "χ" in folded:
            folded = _GREEK_X.sub(_latin_greek_x, folded)
        if "iphone" in folded and "х" in folded:
            folded = _CYRILLIC_X.sub("iphone x", folded)
    return folded, truncated


def _latin_russian_words(match: re.Match[str]) -> str:
    """Russian model words after a model number, in Latin: "iphone 13 мини" -> "iphone 13 mini"."""
    words = re.findall(_RUSSIAN_MODEL_WORD, match[2])
    return f"iphone {match[1]} " + " ".join(_RUSSIAN_MODEL_WORDS[word] for word in words)


def _latin_x(suffixes: dict[str, str]) -> Callable[[re.Match[str]], str]:
    """The X in another script, in Latin, with its R or S (``suffixes``: that script's letters for them) and the Max
    after an S: "iphone икс ар" -> "iphone xr", "iphone χσ μαξ" -> "iphone xs max", "iphone ایکس" -> "iphone x"."""

    def latin(match: re.Match[str]) -> str:
        suffix = suffixes.get(match[1] or "", "")
        return "iphone x" + suffix + (" max" if match[2] and suffix == "s" else (match[2] or ""))

    return latin


_latin_greek_x = _latin_x({"ρ": "r", "σ": "s", "ς": "s"})
_latin_persian_x = _latin_x(_PERSIAN_X_SUFFIX)
_latin_russian_x = _latin_x(_RUSSIAN_X_SUFFIX)


def _latin_model_words(match: re.Match[str]) -> str:
    """Model words in Korean and Japanese script after a model number, in Latin: "아이폰 11 프로" -> "iphone 11 pro",
    "14프로 맥스" -> "14 pro max", "iPhone7プラス" -> "iphone 7 plus"; not the start of a longer word ("프로그램",
    program; "プロフィール", profile)."""
    return " " + " ".join(_CJK_MODEL_WORDS[word] for word in _CJK_SPLIT.findall(match[1]))


class TypoFixer:
    """Correct words one edit away from the knowledge base's vocabulary (deletion index, SymSpell-style)."""

    MIN_LENGTH = 6
    CACHE_LIMIT = 50_000  # words whose fix is remembered across messages (most words recur)

    def __init__(self, vocabulary: Iterable[str], corrections: dict[str, str], protected: Iterable[str] = ()) -> None:
        self.corrections = corrections
        # Words any pattern looks for ("selling", "swelling") are real words: never "correct" one into another.
        self.protected = frozenset(protected)
        self.known = {word for word in vocabulary if len(word) >= self.MIN_LENGTH - 1}
        # One edit from a known word: anything longer is left alone (a 20 kB "word" must not cost 20k deletions).
        self.max_length = max((len(word) for word in self.known), default=0) + 1
        self.first_letters = frozenset(word[0] for word in self.known)  # a typo keeps the first letter
        self.index: dict[str, str] = {}
        self._fixed: dict[str, str] = {}
        for word in sorted(self.known):
            for variant in self._deletes(word):
                self.index.setdefault(variant, word)

    @staticmethod
    def _deletes(word: str) -> set[str]:
        return {word[:i] + word[i + 1 :] for i in range(len(word))}

    @staticmethod
    def _plausible(word: str, target: str) -> bool:
        """A typo keeps the first letter; a word that only gains or loses an ending ("charge" / "charger",
        "flickers" / "flicker") is another form of a real word, not a typo, so it is left alone."""
        return word[0] == target[0] and not (word.startswith(target) or target.startswith(word))

    def fix(self, word: str) -> str:
        fixed = self.corrections.get(word)
        if fixed is not None:
            return fixed
        if (
            not self.MIN_LENGTH <= len(word) <= self.max_length
            or word[0] not in self.first_letters
            or word in self.known
            or word in self.protected
        ):
            return word
        target = self.index.get(word)
        if target and self._plausible(word, target):
            return target
        for variant in sorted(self._deletes(word)):
            target = self.index.get(variant) or (variant if variant in self.known else None)
            if target and self._plausible(word, target):
                return target
        return word

    def fix_all(self, text: str) -> str:
        fixes: dict[str, str] = {}
        for word in set(WORD.findall(text)):
            fixed = self._fixed.get(word)
            if fixed is None:
                if len(self._fixed) >= self.CACHE_LIMIT:
                    self._fixed.clear()
                fixed = self._fixed[word] = self.fix(word)
            if fixed != word:
                fixes[word] = fixed
        if not fixes:  # most messages: no word to fix
            return text
        return WORD.sub(lambda match: fixes.get(match.group(0), match.group(0)), text)

"""Safety detectors: physical damage and danger (liquid, a swollen battery, smoke, impacts), and error codes.

Each damage kind is a list of weighted patterns from knowledge/damage.yaml. A match counts unless a
negation stands right before it ("never got wet", "no water damage"), or right after it in Japanese and
Korean ("濡れていない", "떨어뜨린 적도 없고"). Every pattern is tried at a few positions, so "it wasn't
dropped, but it fell in the toilet" still finds the toilet. A question about what would happen ("what happens if
it gets wet?", "wat als hij in het zwembad valt?") is not damage; what did happen stays damage ("if it fell in
the pool, will dfu fix it?"). A kind counts only when its patterns' weights
add up above zero: a negative weight takes a kind back ("cracked, but it still works fine" is not damage
by labelling.md's rule, which asks for a malfunction). Work per message is bounded: a fixed number of
matches per pattern and a fixed look-back per match.
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterable
from dataclasses import dataclass

from bot.core.knowledge import DamageDef, Pattern
from bot.core.scan import FastPattern, Scan

# Matches of one pattern looked at before giving up (a crafted message may repeat a negated phrase).
_MAX_MATCHES_PER_PATTERN = 4
# How far before a match the negation check looks, in characters and in words.
_LOOK_BACK_CHARS = 80
_LOOK_BACK_WORDS = 5
# Words other than fillers a negation may stand before a one-word match.
_ONE_WORD_SCOPE = 3
# Where a negation's scope ends: punctuation, "but", and causal or temporal links ("no enciende porque se mojó").
_CLAUSE_BREAK = re.compile(
    r"[.!?;,\n]|\b(?:but|aber|pero|mais|ma|maar|ale|но|however|then|because|porque|weil|parce|perché|omdat|bo|"
    r"потому|after|después|nachdem|nach|après|dopo|depois|since|desde|seit|depuis|sinds|od|po|после)\b|但|因为|でも|けど|から"
)
# Words a negation may stand behind and still apply ("never even got wet", "nicht ins Wasser", "no se mojó").
_FILLER_WORDS = (
    "it its been ever even got gotten get gets was were is be a an any the my phone iphone really actually once yet "
    "that has have had did do does se me le lo la ha ist es das ins je jemals wurde il est ne n ete été foi é è stato "
    "het er ooit się его это был было"
)
_FILLER = frozenset(_FILLER_WORDS.split(" "))
# A negation covers a list joined by "or": "it has never been dropped or got wet". Past one of these words,
# the look-back allows the words of the item before it.
_COORDINATION = frozenset(("or", "nor", "oder", "ou", "o", "lub", "albo", "или", "либо", "或", "或者"))
# Hedges keep a possible damage: "not sure if it got wet" is a reason for a repair check, not a denial.
_HEDGE = re.compile(r"\b(not sure|unsure|dont know|no idea|maybe|might|possibly|probably|i think)\b")
# What only might happen, or is guarded against: "short of dropping it in the toilet", "a case in case it falls in
# water", "para evitar que se moje", "damit es nicht nass wird". Not a hedge about what did happen ("not sure if").
# A question that starts with "if" or "what if" stays damage: "what if it falls in water? mine did" says it in the
# next clause, and a rule that read the tense of the "if" clause lost real wet and smoking phones (a review,
# 2026-12-02). A false alarm only sends to repair.
_HYPOTHETICAL = re.compile(
    r"\b(?:short of|in case|just in case|to avoid|to prevent|for fear of|afraid of|scared of|worried about|"
    # a threat, not a deed: "im gonna throw this thing in the lake if it does it again"
    r"(?:gonna|going to|about to|wanna|want to|ready to) (?:throw|chuck|toss|yeet|drop|dunk|drown|smash)|"
    r"para evitar|por si|en caso de|au cas o[uù]|pour [ée]viter|um zu vermeiden|damit (?:es|er) nicht|per evitare|"
    r"in caso di|nel caso|no caso de|"
    r"на случай|чтобы не)\b[^.!?,;:]{0,25}$|(?:以防|万一|防止)[^。，,:]{0,10}$"
)
# A fear of what may come: "scared the battery will swell", "worried it might get wet". (A worry about what may
# have happened, "worried water got inside", "afraid it might have got wet", stays damage: a reason for a repair
# check.)
_FEARED = re.compile(
    r"\b(?:afraid|scared|worried|fear\w*|nervous)\b[^.!?,;:]{0,30}"
    r"\b(?:will|might|could|may|would|gonna|going to)\b(?! have| of)"
)
# "Unintentionally" is not a denial: "se me cayó sin querer a la piscina", "deixei cair sem querer na piscina",
# "fait tomber dans l'eau sans le vouloir".
_UNINTENDED = re.compile(
    r"\b(?:sin querer(?:lo)?|sem querer|sans (?:le )?vouloir|sans faire expr[eè]s|senza volerlo|senza volere|"
    r"ohne absicht|zonder het te willen|zonder opzet)\b"
)
_CJK_END = re.compile(r"[\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff]$")
# Japanese and Korean negate after the verb: "濡れていない", "画面割れなどは一切無く" (no cracked screen at all),
# "떨어뜨린 적도 없고" (never dropped it), "물이 들어가지 않았다" (no water got in).
_NEGATION_AFTER = re.compile(
    r".{0,3}?(ていない|てない|ていません|ませんでした|なかった|ません|ない)|.{0,6}?(無く|無い|無し|一切なく|一切ない)|"
    r".{0,4}?\s?(적(도|이|은|조차)?\s?없|지\s?(않|못했))|"
    # "落としたり濡らしたりはしていません": neither dropped nor wet, the negation after a list of "-tari" verbs
    r".{0,1}?り[^。!?]{0,12}?(していません|していない|してない|してません|しなかった)"
)

# Restore error words. A bare "code" is not one: "the code 2580 doesn't work" is a passcode.
_ERROR_WORD = (
    r"(?:(?<![a-z])(?:errors?|err|errorcode|fout|foutcode|foutmelding|erro|erros|erreur|erreurs|fehler|fehlercode|errore|errori|"
    r"ошибка|ошибки|hata|błąd|lỗi|"
    r"kod błędu)(?![a-z])"
    r"|错误|錯誤|报错|報錯|出错|エラー|오류|에러|ارور|خطای)"  # (Persian "ارور ۴۰۱۳", "خطای 4013")
)
# Not a hex code's "0" ("0xE8000015"), nor a count in Korean, Japanese or Chinese ("에러 3번", "错误3次"): a count
# has one or two digits and its counter word follows at once ("4013번", "4013 일어났어요" are codes).
_CODE = (
    r"(-?\d{1,5})(?![\d]|[.,]\d|x[0-9a-f]|\s?%|"
    r"(?<!\d\d\d)\s?(?:번|회|回|次|度|時間|시간|分|분|秒|초|日|일|天|个|個|개)(?![가-힣]{2})|"
    r"\s(?:ngày|lần|tháng|năm|giờ|phút|tuần|بار|روز|ساعت|دقیقه)(?!\w))"
)
_CODE_WORD = r"(?:code|number|nr|no|num|kod|код|номер|№|código|codice|代码|代碼|コード|코드|번호)"
_ERROR_NAMES = (
    "err", "fout", "fehler", "ошибк", "hata", "błąd", "błędu", "lỗi",
    "错误", "錯誤", "报错", "報錯", "出错", "エラー", "오류", "에러", "ارور", "خطای",
)  # fmt: skip
# (substrings one of which every match contains: without any, the regex is not run; the regex)
_ERROR_CODES: tuple[tuple[tuple[str, ...], re.Pattern[str]], ...] = (
    # "error 9", "Error: 4013", "error code 4013", "ERROR -1", "fehler nr. 14", "错误4013"
    (_ERROR_NAMES, re.compile(rf"{_ERROR_WORD}\s*{_CODE_WORD}?\s*[:#=.]?\s*(?:\s-\s)?" + _CODE)),
    # A tool's ERROR line that ends in a negative code, as idevicerestore prints "(-1)" (brackets are gone by now)
    (("error",), re.compile(r"\berror\b[^\n.!?]{0,80}?(?<![\w.-])(-\d{1,5})(?![\d]|[.,]\d)")),
    # Apple's dialogs: "An unknown error occurred (4013).", "Se produjo un error desconocido (4013)."
    (
        ("err", "fehler", "fout"),
        re.compile(
            r"\b(?:error|erreur|fehler|errore|erro|fout)\b[^.!?\d]{0,40}?"
            r"\b(?:occurred|ocurrido|ocurrió|produjo|survenue|produite|aufgetreten|verificato|ocorreu|opgetreden|"
            r"desconocido|inconnue|unbekannter|sconosciuto|desconhecido|onbekende)\b[^\d.!?]{0,20}?" + _CODE
        ),
    ),
    # Turkish, Indonesian, Czech and Greek dialogs: "Bilinmeyen bir hata oluştu (14).", "Terjadi kesalahan tidak
    # dikenal (40).", "Došlo k neznámé chybě (4013).", "Παρουσιάστηκε άγνωστο σφάλμα (4005)."
    (
        ("hata", "kesalahan", "chyb", "σφάλμα", "σφαλμα"),
        re.compile(
            r"(?:\b(?:hata|kesalahan)\b[^.!?\d]{0,30}?\b(?:olu[şs]tu|dikenal)\b|\bnezn[áa]m[éáa] chyb\w*|"
            r"[άα]γνωστο σφ[άα]λμα)\s*"
            + _CODE
            # the dialog's bracketed code ends its sentence (not "hata oluştu 3 kez", "hata oluştu, 14 saattir",
            # "kesalahan tidak dikenal di iphone 7")
            + r"(?=\s*(?:$|[.,;:!?)\n]))"
        ),
    ),
    # Japanese dialogs: "不明なエラーが発生しました (4013)"
    (
        ("エラー", "错误"),
        re.compile(r"(?:エラー|错误)(?:が|は)?(?:発生しました|発生|出现|发生)[^\d.!?。]{0,10}?" + _CODE),
    ),
    # A restore or update that "fails with -1": the number the dialog or tool gave
    (
        (" with ",),
        re.compile(
            r"\b(?:fail(?:s|ed|ing)?|stops?|stopped|ends?|ended|quits?) with (?:an? )?(?:code |error )?"
            + _CODE
            + r"(?!\s*%|\s*(?:percent|other|more|times?|tries|attempts|minutes?|mins?|hours?|days?|seconds?|secs?)\b)"
        ),
    ),
    # "restore failed, code 4013": a bare "code" after a failed restore or update ("after the update my code
    # 1234 doesn't work" is a passcode)
    (
        ("code",),
        re.compile(r"\b(?:restor|updat)\w*\b[^.!?\d]{0,15}?\bfail\w*\b[^.!?\d]{0,10}?\bcode\s*[:#]?\s*" + _CODE),
    ),
    # "restore failed (-1) at 90%": a negative number right after the failure, ending the clause or before "at",
    # "again", "error" (not "-3 times", "-10c", "-30% battery")
    (
        ("fail",),
        re.compile(
            r"\b(?:restor|updat)\w*\s+fail\w*\s*[:,]?\s*(-[1-9]\d{0,4})(?![.,]\d)"
            r"(?=\s*(?:$|[.,;!?\n]|(?:at|again|error|when|while|every|each)\b))"
        ),
    ),
    # "got (-1) when restoring the 14": a negative number the restore or update gave
    (
        ("restor", "updat"),
        re.compile(
            r"\b(?:got|get|gets|gave|gives|showed|shows|threw|throws)\s+(?:me\s+)?(?:an?\s+)?(-[1-9]\d{0,4})(?![\d]|[.,]\d)\s+"
            r"(?:error\s+)?(?:when|while|during)\s+(?:restor|updat)"
        ),
    ),
    # "The iPhone could not be restored (4013)"
    (("could not be ",), re.compile(r"\bcould not be (?:restored|updated)\b[^\d]{0,40}?" + _CODE)),
    # idevicerestore and friends: "ERROR: Unable to restore device ... status code 133", "status=133"
    (("status",), re.compile(r"\bstatus(?: code)?\s*[:=]?\s*" + _CODE)),
    # "4013 error", Turkish "53 hatası"
    (
        ("error", "fehler", "erreur", "hata"),
        # the minus belongs to the code: "(-1)" at the end of a tool's line before "ERROR:" is -1, not 1
        re.compile(
            r"(?<![\d.,])(?<!ios )(?<!version )(?<!iphone )(-?\d{1,5})\s+"
            r"(?:error|fehler|erreur|hatas[ıi]\w*|hata(?= kodu))\b"
        ),
    ),
    # "4013 오류", "4013번 에러", "4013エラー", "4013错误": the code before the word (Korean, Japanese, Chinese)
    (
        ("오류", "에러", "エラー", "错误", "錯誤"),
        re.compile(r"(?<![\d.,])(?<!ios )(?<!iphone )(\d{2,5})\s?(?:번\s?)?(?:오류|에러|エラー|错误|錯誤)"),
    ),
)
# A further code in a list after a code: "/4014", ", 4005", " and 4013", " or 14", " y 4014", " und 9".
_MORE_CODES = re.compile(
    r"(?:\s*[/,]\s*|\s+(?:or|and|then|y|und|et|e|ou|o|of|en|и|или|oder|dann|puis|poi|depois)\s+|,?\s*despu[ée]s\s+)"
    r"(?:error\s*)?"
    r"(-?\d{1,5})(?![\d]|[.,]\d|\s*(?:other|more|times?|tries|attempts|minutes?|hours?|days?|seconds?|%|percent|euros?|eur|"
    r"dollars?|bucks|usd|yen|kr|zł|€|\$)(?!\w))"
)
# A later code closing the sentence, after "then" or an article: "error 4005 y al reintentar con otro cable el
# 4013", "błąd 4005, a potem 4013". Four digits, not a year, and nothing after it but the sentence's end or an
# error word ("error 4013 then 1500 euro", "the 1234 passcode" are not codes).
_LATER_CODE = re.compile(
    r"[^.!?\n]{0,60}?\b(?:el|the|then|dann|danach|puis|ensuite|poi|depois|potem|потом|затем|later|daarna|toen)\s+"
    r"(?:(?:the|el|le|la|o|il|het|de)\s+)?([1-9]\d{3})(?![.,]\d)(?=\s*(?:[.!?\n]|$|(?:error|fehler|erreur|errore|erro|fout|"
    r"b[lł][aą]d|ошибк\w*)\b))"
)
MAX_ERROR_CODES = 5


def _confidence(score: float) -> float:
    """Map an additive pattern score onto 0..1 (1.2 -> 0.55, 2.5 -> 0.81, 4 -> 0.93)."""
    return round(1.0 - math.exp(-score / 1.5), 3) if score > 0 else 0.0


@dataclass(frozen=True, slots=True)
class Evidence:
    """Why something was recognised: the score and the text fragments that matched."""

    id: str
    score: float
    matched: tuple[str, ...]

    @property
    def confidence(self) -> float:
        return _confidence(self.score)


class WeightedPatterns:
    """A list of (regex, weight) scored together, as one symptom or damage kind."""

    def __init__(self, ident: str, patterns: Iterable[Pattern]) -> None:
        self.id = ident
        self.patterns = tuple((FastPattern(p.re), p.w) for p in patterns)
        self.serials = frozenset(pattern.serial for pattern, _ in self.patterns)

    def matches(self, text: str | Scan) -> list[tuple[re.Match[str], float]]:
        scan = text if isinstance(text, Scan) else Scan(text)
        ruled_out = scan.ruled_out()
        found: list[tuple[re.Match[str], float]] = []
        if ruled_out >= self.serials:  # most kinds for most messages: none of their patterns can match
            return found
        for regex, weight in self.patterns:
            if regex.serial in ruled_out:
                continue
            match = regex.search(scan)
            if match:
                found.append((match, weight))
        return found

    def evidence(self, text: str | Scan) -> Evidence | None:
        found = self.matches(text)
        if not found:
            return None
        score = sum(weight for _, weight in found)
        return Evidence(self.id, round(score, 3), tuple(m.group(0).strip() for m, _ in found))


class DamageDetector:
    """Finds each damage kind in normalised text; negated mentions are reported apart."""

    def __init__(self, kinds: Iterable[DamageDef], negation: str) -> None:
        # Patterns that find a kind first, then those that take it back (negative weights).
        self.kinds = tuple(WeightedPatterns(kind.id, sorted(kind.patterns, key=lambda p: p.w < 0)) for kind in kinds)
        self.negation = re.compile(rf"^(?:{negation})$")

    def negated(self, text: str, match: re.Match[str]) -> bool:
        """A negation right before the match (skipping filler words), or, in Japanese and Korean, right after it."""
        if _NEGATION_AFTER.match(text, match.end()):
            return True
        before = text[max(0, match.start() - _LOOK_BACK_CHARS) : match.start()]
        clause = _UNINTENDED.sub(" ", _CLAUSE_BREAK.split(before)[-1])
        if _FEARED.search(f"{clause} {match.group(0)}"):
            return True
        if _HEDGE.search(clause):
            return False
        if _HYPOTHETICAL.search(clause):
            return True
        # "screen isnt cracked": the negation is inside the match. Not "no": inside a match it is Portuguese
        # or Italian "in the" ("caiu no chão"), never a denial.
        inside = match.group(0).split()[:-1]
        if any(word != "no" and self.negation.match(word) for word in inside):
            return True
        # A one-word match ("eau", "agua", "wasser") sits behind its verb: "n'est jamais tombé dans l'eau".
        other_words = _ONE_WORD_SCOPE if " " not in match.group(0).strip() else 0
        reach = _LOOK_BACK_WORDS
        for seen, word in enumerate(reversed(clause.split()[-2 * _LOOK_BACK_WORDS :])):
            if seen >= reach:
                return False
            if self.negation.match(word) or self._ends_in_cjk_negation(word):
                return True
            if word in _COORDINATION:
                other_words, reach = _ONE_WORD_SCOPE, seen + 1 + _LOOK_BACK_WORDS
                continue
            if word not in _FILLER:
                other_words -= 1
                if other_words < 0:
                    return False
        return False

    def _ends_in_cjk_negation(self, word: str) -> bool:
        """A Chinese or Japanese word that ends in a negation ("从没" in "从没进水"). Only in that script:
        "teléfono" is not ASCII either, and its "no" is not a negation."""
        return _CJK_END.search(word) is not None and bool(
            self.negation.match(word[-2:]) or self.negation.match(word[-1:])
        )

    def find(self, text: str | Scan) -> tuple[tuple[Evidence, ...], tuple[str, ...]]:
        scan = text if isinstance(text, Scan) else Scan(text)
        text = scan.text
        ruled_out = scan.ruled_out()
        found: list[Evidence] = []
        negated: list[str] = []
        for kind in self.kinds:
            kept: list[tuple[str, float]] = []
            if ruled_out >= kind.serials:
                continue
            for regex, weight in kind.patterns:
                if weight < 0 and not kept:
                    continue  # a pattern that takes a kind back is looked for only once the kind is found
                if regex.serial in ruled_out:
                    continue
                for match in regex.finditer(scan, _MAX_MATCHES_PER_PATTERN):
                    if self.negated(text, match):
                        if weight > 0:
                            negated.append(match.group(0).strip())
                        continue
                    kept.append((match.group(0).strip(), weight))
                    break
            score = round(sum(w for _, w in kept), 3)
            if score > 0:
                found.append(Evidence(kind.id, score, tuple(m for m, w in kept if w > 0)))
            elif kept:  # taken back: shown with the negated mentions (--explain)
                shown = ", ".join(repr(m) for m, w in kept if w > 0)
                negated.append(f"{shown} taken back by {', '.join(repr(m) for m, w in kept if w < 0)}")
        return tuple(sorted(found, key=lambda e: -e.score)), tuple(dict.fromkeys(negated))


def _later_in_sentence(text: str, end: int) -> list[tuple[int, int]]:
    later = _LATER_CODE.match(text, end)
    if later is None or 1900 <= int(later.group(1)) <= 2099:
        return []
    return [(later.start(1), int(later.group(1)))]


def _listed_after(text: str, end: int) -> list[tuple[int, int]]:
    """More codes listed right after one: "error 4013/4014", "errors 9, 4005 and 4013"."""
    listed: list[tuple[int, int]] = []
    for _ in range(MAX_ERROR_CODES):
        more = _MORE_CODES.match(text, end)
        if more is None:
            break
        listed.append((more.start(1), int(more.group(1))))
        end = more.end(1)
    return listed


# A four-digit code the knowledge base knows, said bare in a message about a restore or an update ("restore gives
# 4013 every time", "3194 when trying to restore", "error 9, then 4005 on the second try"); not a price, a capacity,
# a year or a version.
_BARE_CODE = re.compile(
    r"(?:\b(?:gives?|gave|got|gets?|shows?|showed|threw|throws?|returns?|returned|then|again|says?|said|with|giving|"
    r"showing|throwing|itunes|finder|da|dio|dá|deu|gibt|gab|donne|dà|d[óo]|geeft|gaf)\s+|(?:^|(?<=[.!?\n,;:]))\s*)"
    r"([1-9]\d{3})(?![\w%]|[.,]\d|\s*(?:mah|gb|mb|tb|€|\$|euro|eur|usd|dollars?|bucks|rs|yen)\b)"
    r"(?=\s*(?:$|[.,;:!?)\n]|(?:every|each|again|on|at|when|while|during|after|error|in|from|then|cada|chaque|bei|"
    r"ogni|elke|al|à|ao|a cada|and (?:then|the|it|my))\b|(?:and|or|o|y|ou|oder|of)\s+[1-9]\d{3}\b))"
)
_RESTORE_WORDS = re.compile(
    r"\b(?:restor\w*|restaur\w*|updat\w*|itunes|finder|dfu|recovery|error|fehler|erreur|errore|erro|"
    r"wiederherstell\w*|herstel\w*|aktualisier\w*|actualiz\w*|atualiz\w*|aggiorn\w*)\b|khôi phục|恢复|刷机|復元|복원"
)


def find_error_codes(text: str | Scan, known: frozenset[int] = frozenset()) -> tuple[int, ...]:
    """Restore and update error numbers as Apple's dialogs and the restore tools print them, in order; with
    ``known``, also the four-digit codes among them said bare beside a restore or an update."""
    scan = text if isinstance(text, Scan) else Scan(text)
    text = scan.text
    if not any(char.isdigit() for char in scan.present):
        return ()
    found: list[tuple[int, int]] = []
    if known and _RESTORE_WORDS.search(text):
        for bare in _BARE_CODE.finditer(text):
            if int(bare.group(1)) in known:
                found += [(bare.start(1), int(bare.group(1))), *_listed_after(text, bare.end(1))]
    for needs, regex in _ERROR_CODES:
        if not any(needed in text for needed in needs):
            continue
        for count, match in enumerate(regex.finditer(text)):
            if count >= 2 * MAX_ERROR_CODES:
                break
            found.append((match.start(1), int(match.group(1))))
            found += _listed_after(text, match.end(1))
            found += _later_in_sentence(text, match.end(1))
    codes: list[int] = []
    for _, code in sorted(found):
        if code not in codes:
            codes.append(code)
    return tuple(codes[:MAX_ERROR_CODES])

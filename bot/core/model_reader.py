"""Which iPhone a message is about, read so that it never hands out another family's buttons.

Three kinds of mention, strongest first:
- an identifier ("iPhone12,1") or an explicit name ("iphone 11", "ip11", "i6s", "13 pro max", "xr", "SE 2020",
  an Apple model number such as "A1723");
- a bare alias that could also be a duration, time or count ("5s", "7p", "11pm", "7+"): it counts only when
  nothing nearby makes it one ("held it for 5s", "at 11pm", "7+ times");
- a bare number after a possessive or article in a message about a phone ("my 8 won't turn on", "chucked my 15
  across the room", German "mein 14er"), and "my x" before a phone's trouble ("my x won't boot").
Bare aliases and bare numbers count only when no identifier or explicit name is present (identifiers beat
names), or when every one present is said not to be the phone ("restored my 11 pro backup onto the 16").
When several phones are named, the one the message is about wins (the new one, the one with the problem,
the one a later "the pro is stuck" or a device line "iPhone 4S, iOS 6.1.4" points at; not the one "from" or
"like" which, nor a backup's source, nor the one left in a switch "z iPhone X na iPhone 14"; "el 7", "le 13",
"der 12", Polish "ten mini" point back as "the 7" does; "the one that won't boot is the 8", "the problem is my old
6s"); when two button families stay possible, or the writer names one model or another ("either an iPhone X or an
iPhone XS") or does not know which of the phones it is ("one of them", "no sé cuál", "どっちか": asked even within
one family), the reader returns candidates so that the bot asks. The iPhone SE generation comes only
from generation words or model-year phrasing ("SE 2020", "SE de 2020", "SE uit 2022"; not a purchase year, "bought
in 2023"), and a hedge ("SE 1 or 2?", "czy 2 czy 3") is always asked, between the generations it names.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Callable, Iterator
from dataclasses import dataclass, replace

from bot.core.knowledge import Knowledge, ModelDef

# Mentions examined per message: a pasted log that repeats a name does not cost more than this.
_MAX_MENTIONS = 24
_CONTEXT_CHARS = 60

_IDENTIFIED, _NAMED, _CONTEXTUAL, _NUMBER = 4, 3, 2, 1
_STRENGTH_NAME = {_IDENTIFIED: "identifier", _NAMED: "name", _CONTEXTUAL: "bare alias", _NUMBER: "bare number"}

# "iPhone8,4" (normalised "iphone 8,4"): no space after the comma, or "my iphone 8, 4 days ago" would be an SE.
_IDENTIFIER = re.compile(r"(?<![a-z0-9_])iphone ?(\d{1,2}) ?,(\d{1,2})(?!\d)")
# Aliases that read as a duration, time or count when the context says so: "5s", "7p", "11pm", "5c", "7 plus".
_TIME_LIKE = re.compile(r"\d{1,2}(?:s|c|p|e|g)|(?:[1-9]|1[0-2]) ?pm|\d{1,2} (?:plus|e)")
_BOUND_BEFORE = r"(?<![a-z0-9_])(?<!\d[.,])"
_BOUND_AFTER = r"(?![a-z0-9_]|[.,]\d)"
# Runs of Latin letters and digits: a model name starts only where one starts (other scripts may touch it).
_ASCII_RUN = re.compile(r"[a-z0-9]+")

# Context that makes a bare alias a duration, time, count or age.
_UNIT_BEFORE = re.compile(
    r"(?:\b(?:for|after|every|about|around|approx|approximately|at|until|till|til|by|over|under|than|like|only|"
    r"almost|nearly|within|takes|took|wait|waited|waiting|hold|held|holding|press|pressed|pressing|another|"
    r"extra|first|last|next|few|since|before|past|x|tried|try|least|most|night|evening|morning|afternoon|"
    r"yesterday|today|tonight)"
    r"|\d\s*(?:-|–|to|or|/|and))\s*$"
)
# After a time-like alias ("7p", "11pm") only: "at 11pm last night", "7p this evening".
_TIME_LIKE_ALIAS = re.compile(r"\d{1,2} ?pm?")
# A clock's hours and minutes before a time-like alias, whose "14 pm" is then its seconds: "screen shot 2017-10-09
# at 12 58 14 pm" (the brackets and colons of a file name are often gone)
_CLOCK_BEFORE = re.compile(r"(?<![\d.])\d{1,2}[ :.]\d{2}[ :.]$")
# A name that ends in a number, and the name without it: "iphone 5", "iphone se 2" ("iphone se" then).
_NAME_AND_NUMBER = re.compile(r"(iphone(?: se)?|se) ?\d{1,2}")
_TIME_AFTER = re.compile(
    r"\s*(?:last|tonight|yesterday|today|tomorrow|ish|this|in the (?:morning|evening|afternoon)|at night|sharp|"
    r"here|my time|local time|est|pst|cet|gmt|utc)\b"
)
# Durations and counts in es/pt, fr, de, it, nl, pl, ru: "un 7 días después", "7 jours plus tard", "7 Tage".
_FOREIGN_UNITS = (
    r"d[ií]as|horas?|minutos?|segundos?|semanas?|mes(?:es)?|a[ñn]os|veces|vezes|jours?|heures?|secondes?|"
    r"semaines?|mois|ans|fois|tagen?|stunden?|minuten?|sekunden?|wochen?|monaten?|jahren?|giorni|ore|minuti|"
    r"secondi|settimane|mesi|anni|volte|dagen|uur|weken|maanden|jaar|keer|dni|godzin[ay]?|minuty?|sekundy?|lat|razy|"
    r"dzie[ńn]|tydzie[ńn]|tygodni[ea]?|miesi[ąę]c[ey]?|miesi[ąę]cy|lata|"
    r"дн(?:я|ей)|час(?:а|ов)?|минут|секунд|недел[ьи]|месяц(?:а|ев)?|лет|года?|раз"
)
_UNIT_AFTER = re.compile(
    r"\s*(?:later|each|long|hold|press|after|before|until|then|wait|delay|interval|intervals|apart|ago|of|"
    r"or so|every|times?|tries|attempts|hours?|hrs?|days?|weeks?|"
    r"months?|years?|yrs?|y/?o|minutes?|mins?|seconds?|secs?|percent|%|gb|tb|mb|people|more|in a row|"
    r"-?\s?year|and then|" + _FOREIGN_UNITS + r")\b"
)
# "restarted the iphone 5 times", "my iphone 6 hours on the logo": the number after "iphone" is a count.
_COUNT_AFTER_NAME = re.compile(
    r"(?:\s*|-)(?:times?|hours?|hrs?|minutes?|mins?|seconds?|secs?|days?|weeks?|months?|years?|yrs?|percent|%|inch(?:es)?|"
    # "dejé el iphone 12 horas cargando", "das iphone zwölf mal neu gestartet": the number is a count or a time
    rf"{_FOREIGN_UNITS}|mal(?= (?:neu|hintereinander|am tag|pro tag|probiert|versucht|gedr[üu]ckt))|jahre|tage)"
    # (not "раз в день" once a day, Ukrainian "час від часу" from time to time, "semana passada" last week)
    # (nor Indonesian "iphone 11 second dari teman", bought second-hand from a friend)
    r"(?![\w])(?!\s+(?:в|від|passad[oa]|pasad[oa]|pass[ée]e?|derni[eè]re?|scors[oa]|wieder|eben|dari|hand)\b)(?!-hand)"
)
# A bare number is a phone only after a possessive or article and before a verb or the end of a clause.
_OWNER_WORDS = ("my", "mine", "his", "her", "our", "their", "the", "a", "an", "this", "that", "old", "new", "elses",
                "backup", "spare", "refurbished", "refurb")  # fmt: skip
_OWNER_PEOPLE = ("mom", "mum", "dad", "wife", "husband", "son", "daughter", "friend", "sister", "brother", "kid",
                 "girlfriend", "boyfriend", "grandma", "grandpa", "partner")  # fmt: skip
_NUMBER_OWNERS = frozenset((*_OWNER_WORDS, *_OWNER_PEOPLE, *(f"{who}s" for who in _OWNER_PEOPLE)))
# Italian and Portuguese words that follow "e" (and): "iPhone 16 e ora non si accende", "iphone 16 e agora não liga".
_ROMANCE_AFTER_AND = re.compile(
    r"\s+(?:ora|adesso|agora|poi|depois|dopo|non|não|nao|nunca|mai|il|lo|la|le|gli|os|as|un|uno|una|uma|um|mi|me|si|"
    r"ho|ha|hanno|tenho|tem|têm|da|do|della|del|quando|quindi|então|entao|ancora|ainda|anche|também|tambem|mio|mia|"
    r"meu|minha|sempre|já|già|gia|è|é|está|fica|ficou|resta|rimane|continua|o)(?![\w'])"
)
_TEN_OWNERS = _NUMBER_OWNERS - {"the", "a", "an", "this", "that", "old", "new"}
_NUMBER_NEXT = re.compile(
    r"\s*(?:$|[.,!?;:)\n]|(?:is|isnt|was|wasnt|wont|will|would|has|hasnt|had|keeps|kept|stuck|just|died|dies|froze|"
    r"frozen|freezes|got|gets|cant|can|doesnt|does|did|didnt|shows|showed|says|said|turned|turns|went|goes|"
    r"restarts|restarted|reboots|rebooted|still|suddenly|randomly|screen|battery|that|which|with|running|on|"
    r"stopped|started|shut|shuts|crashed|crashes|needs|asks|only|also|now|after|since|when|today|yesterday|again|"
    r"hangs|hung|smelled|smells|sparked|threw|slid|puffed|switched|of mine|of his|of hers|"
    r"hit the (?:floor|ground|pavement|concrete|tiles?|sidewalk|asphalt|road|wall|deck)|"
    r"and|but|wouldnt|couldnt|broke|fell|flew|dropped|slipped|in|from|to|for|thats|"
    # "my 14 took a swim", "my 8 literally caught fire", "battery in my 11 swelled up", "my 12 both updated"
    r"took|caught|swelled|swollen|swells|smoked|smokes|smoking|overheated|overheats|overheating|exploded|burned|"
    r"burnt|bent|literally|completely|totally|basically|both|startet|not|cannot|never|refuses|stays|loops|boots|"
    r"no longer|somehow|actually|apparently|finally|always|sometimes|even|seems|seemed|"
    # "the 13 i got yesterday is stuck"
    r"i (?:got|bought|have|just got|use)|takes|boot|booting|boot ?looping|bootlooping|are|were|spare)\b|"
    r"-(?=\s+[^\W\d])|"  # "my 7 - stuck on the logo"
    # "ran over my 7 lol.", "my 11 tho is stuck", "my 7 lol and my 12 are stuck" (not "my 5 lol kids")
    r"(?:lol|lmao|haha|tho|however)(?=\s*(?:$|[.,!?;:)\n]|"
    r"(?:and (?:my|the|his|her)|is|isnt|was|wont|keeps|kept|stuck|just|died|froze|frozen|"
    r"cant|doesnt|didnt|still|stopped)\b)))"
)
# Whose the phone is, said between a bare number and its trouble: "the 7 my son has also hangs", "the 7 my husband
# uses says"; part of the mention, so that the trouble after it is the phone's.
_OWNER_CLAUSE = re.compile(
    rf"\s*(?:(?:my|his|her|our|their) (?:{'|'.join(_OWNER_PEOPLE)})|he|she|they) (?:has|have|uses|use|used)\b"
)
# A bare number or "x" right after a verb that handles or breaks a phone ("chucked my 15 across the room",
# "restoring my x in itunes", "dropped the 13 again"): the object is the phone whatever follows it.
_HANDLED_BEFORE = re.compile(
    r"\b(?:left|dropped|drop|dropping|threw|thrown|throw|chucked|flung|hurled|tossed|knocked|smashed|cracked|broke|dunked|"
    r"sat on|stepped on|ran over|restor(?:e|ed|ing)|updat(?:e|ed|ing)|reset|resetting|wiped|erased|charg(?:e|ed|ing)|"
    r"plugged|plug|reboot(?:ed|ing)?|restart(?:ed|ing)?|force restart(?:ed)?|turn(?:ed)? off|put|got|fix|fixing|"
    r"repair(?:ed|ing)?|unlock(?:ed|ing)?)\s*$"
)
_HANDLED_OWNER_BEFORE = re.compile(
    _HANDLED_BEFORE.pattern.removesuffix(r"\s*$") + r"\s+(?:my|the|his|her|our|their|a|an)\s+$"
)
# After such a verb a bare number still needs a word that makes it the object ("chucked my 15 across the room"):
# "updated my 7 month old iphone", "restarted my 7 times", "put my 8 year old's phone on charge" are no model
# (a review, 2026-12-02: those read as the iPhone 7 or 8, whose buttons start Emergency SOS on a newer phone).
_HANDLED_NEXT = re.compile(r"\s*(?:across|against|into|onto|off|down|over|out|under|at|too|by accident)\b")
# "my x" is the iPhone X only before a phone's trouble ("my x won't boot", "the x is stuck on the logo") or after
# _HANDLED_BEFORE: "x" is also a letter, a variable and "ex" ("my x won't talk to me" says nothing about phones).
_X_NEXT = re.compile(
    r"\s*(?:(?:wont|cant|doesnt|didnt|wouldnt|couldnt|isnt|will not|can not|cannot|does not|is not)\s+"
    r"(?:turn|boot|start|charge|power|restart|reboot|respond|load|update|restore|get past|go past|come on|exit|"
    r"leave|unlock|work|show|stay on|connect to (?:itunes|finder|the computer|my (?:pc|mac|computer|laptop)))|"
    r"(?:is |got |gets |keeps? |has been |just )?(?:stuck|frozen|froze|freezes|died|dead|bricked|boot ?loop\w*|"
    r"restarting|rebooting|crashed|shut (?:off|down)|turned off|black)|"
    r"(?:keeps?|kept) (?:restarting|rebooting|freezing|crashing|shutting|turning)|"
    r"(?:screen|battery|display) (?:is|went|wont|stays|stuck|black|dead|died|cracked))\b"
)
# What may stand between a number and its trouble: "mon 14 est bloqué", "mein 12 ist kaputt", "il mio 11 è bloccato".
_COPULA = re.compile(
    r"\s*(?:(?:est|ist|is|es|está|esta|tá|ta|è|é|zit|fica|ficou|se|si|s|jest|sta|ha|hat|a|er|bilkul|abhi|phir)\s+)?"
    # since when: "ten 6s od wczoraj nie działa", "el 7 desde ayer no enciende", "my 7 since yesterday won't boot"
    r"(?:(?:od|desde|depuis|seit|sinds|since|da|dal|desde o|с|з) (?:wczoraj|rana|ayer|anoche|hier|gestern|gisteren|"
    r"yesterday|ieri|ontem|вчера|вчора|this morning|last night|esta mañana|ce matin|heute morgen)\s+)?"
)
_OPENING_NUMBER = re.compile(r"\s*(\d{1,2}|x)(?![\w.,])")
# ...and no plural noun after an adjective of trouble: "6 dead pixels", "8 frozen apps", "4 stuck keys" (not "11 dead
# guys help", "13 wont load photos")
_TROUBLE_ADJECTIVE = frozenset(("dead", "stuck", "frozen", "black", "bricked", "broken"))
_OPENING_TROUBLE_END = re.compile(
    r"(?!\s+(?!(?:always|is|was|as|this|its|us|yes|plus|lots|ios|ages|guys|does|needs|seems|thanks|perhaps|"
    r"sometimes|pls|plz|bros)\b)[a-z]+s\b)"
)
# German "mein 14er", "das 13er", "meinem 12er Pro": the model number with "-er".
_GERMAN_ER = re.compile(r"(\d{1,2})er")
_GERMAN_OWNERS = frozenset(
    ("mein", "meine", "meinem", "meinen", "dein", "deinem", "sein", "seinem", "ihr", "ihrem", "unser", "unserem",
     "das", "dem", "dieses", "diesem", "altes", "neues", "alten", "neuen")
)  # fmt: skip
_ER_SUFFIX = re.compile(r" (pro max|pro|mini|plus|max)(?![a-z0-9_])")
# Words that say a message is about a phone at all (a bare number needs them).
_PHONE_HELP = re.compile(
    r"\b(?:stuck|wont|cant|doesnt|didnt|dead|died|black|frozen|freez\w*|restart\w*|reboot\w*|loop\w*|recovery|"
    r"dfu|restor\w*|updat\w*|error|disabled|unavailable|passcode|charg\w*|screen|logo|turn(?:s|ed|ing)? on|"
    r"broken|broke|help|problem|issue|fix|iphone|phone|apple|itunes|finder|buttons?|"
    # damage a phone takes: "my 8 caught fire", "my 11 started smoking", "my 14 took a swim"
    r"fire|smok\w*|swell\w*|swollen|overheat\w*|burn\w*|scorch\w*|explod\w*|battery|swim|pool|wet)\b"
)
# Context that tells which of several named phones the message is about.
_BEFORE_NEW = re.compile(
    r"\b(?:new|newer|current|replacement|latest|this)\b(?:\s+\S+){0,1}\s*$|"
    # "das neue iPhone 15", "mi nuevo", "mon nouvel", "meu novo", "il nuovo", "mijn nieuwe", "nowy", "новый", "新的"
    r"\b(?:neue[nmrs]?|nuevo|nueva|nouveau|nouvel|nouvelle|novo|nova|nuovo|nieuwe|nowy|nowego|новый|новом)\s*$|"
    r"(?:新的|新)\s*$|"
    r"\b(?:changed|switched|upgraded|moved|went|got|swapped) (?:over )?to(?: an?| the| my)?(?: new)?\s*$|"
    # "iPhone 4→iPhone 6" (the one after the arrow is the later phone); Japanese "new" and "now using" ("新しい",
    # "今使ってる"), Korean "new" and "current" ("새", "지금 쓰는").
    r"(?:→|->|=>)\s*$|"
    r"(?:新しい|新しく買った|今使って(?:る|いる)|使って(?:る|いる)|今の|現在の|새로 산|새|지금 쓰는|현재)\s*$"
)
# Said to be a former phone right after the name, as a bracket reads once the brackets are gone: "6s plus (my old
# one)"
_AFTER_OLD = re.compile(r"\s*(?:my |the |an? )?(?:old|older|previous|former)(?: one| phone)\b")


def _sentence_after(text: str, start: int) -> str:
    """The rest of the sentence from ``start`` (at most ``_CONTEXT_CHARS``)."""
    return re.split(r"[.!?\n]", text[start : start + _CONTEXT_CHARS], maxsplit=1)[0]


def _fine_or_over(sentence: str) -> bool:
    """A shared trouble said fine or history: "my 7 also had this once", "meu 7 também travou, mas tudo bem"."""
    return bool(_FINE.search(sentence) or _PAST_OR_OVER.search(sentence))


def _old_in_brackets(after: str) -> bool:
    """ "6s plus (my old one)": set aside, unless the trouble follows ("7 plus (my old one) won't turn on")."""
    old = _AFTER_OLD.match(after)
    return old is not None and not _TROUBLE.search(_CLAUSE_BREAK.split(after[old.end() :], maxsplit=1)[0])


# The writer's own phone said fine: "her phone keeps restarting, mine's fine", "el mío va bien", "meins läuft"
_MINE_FINE = re.compile(
    r"\bmines? (?:is )?(?:fine|ok|okay|good|working|perfectly fine)\b|\bmine (?:works|is working)\b|"
    r"\bel m[ií]o (?:va bien|funciona)|\ble mien (?:va bien|marche|fonctionne)|"
    r"\bo meu (?:t[áa]|est[áa]) (?:bem|de boa)|"
    r"\bmeins (?:l[äa]uft|geht|funktioniert)|\bil mio (?:va bene|funziona)"
)
# A phone used as a tool for another: "should i use my 7 to restore it", "borrowing my dad's 8 to call"
_USE_BEFORE = re.compile(r"\b(?:use|using|borrow|borrowing)(?: my| the| an?| his| her| our)?\s*$")
_TO_AFTER_USE = re.compile(r"\s*(?:to|for)\b")
_BEFORE_OLD = re.compile(
    # (not right after another name, as a bracket reads once the brackets are gone: "iphone 14 (previous) and
    # iphone 7 (spare) are both dead" is "iphone 14 previous and iphone 7 spare ...")
    r"(?<!\d )(?<!\bx )(?<!pro )(?<!max )(?<!plus )(?<!mini )"
    r"\b(?:old|older|previous|former|last|spare|backup|other|ex)\b(?:\s+\S+){0,1}\s*$|"
    r"\b(?:alte[nmrs]?|viejo|vieja|antiguo|antigua|ancien|ancienne|vieil|vieux|velho|antigo|vecchio|oude|stary|"
    r"starego|старый|старом|старий|старого)\s*$|"
    r"(?:古い|前の|以前の|昔の|예전|옛날|이전|전에 쓰던)\s*$|"
    r"(?:قبلیم|قبلی|قدیمیم|قدیمی)\s*$"  # Persian "(my) previous", "(my) old": "گوشی قبلیم آیفون ۷ بود"
)
# A phone compared with, given up, or only wished for: "upgraded from my 7", "traded in my x", "can't wait for
# the 16".
# The words of a phone given up or compared with ("upgraded from", "traded in"): they set a name aside whatever
# trouble its clause has (``_left_behind``); _BEFORE_OTHER adds the phones only wished for or likened to.
_LEFT_WORDS = (
    r"from|than|instead of|compared to|vs|versus|replaced|replacing|traded(?: in)?|trade in|sold|swapped|retired|"
    r"gave away|got rid of|ditched|"
    # pt, es "I swapped (my)": "troquei meu iPhone XR por um 15", "cambié mi 7 por un 12"
    r"troquei(?: (?:meu|minha|o|a))?|cambi[ée](?: (?:mi|el))?"
)
_BEFORE_OTHER = re.compile(
    rf"\b(?:{_LEFT_WORDS}|like|unlike|"
    r"typing (?:this )?(?:on|from)|writing (?:this )?(?:on|from)|posting (?:this )?from|"
    r"wait for|waiting for|excited (?:for|about)|upgrade to|upgrading to|tempted by|"
    r"(?:thinking|thought) (?:of|about) (?:getting|buying)|want(?:ing)? to (?:get|buy)|saving (?:up )?for|"
    r"pre-?order(?:ed)?|(?:backup|back-up|data) (?:of|from)|(?:get|buy) (?:myself|me)|afford|dont have|do not have|"
    r"never had|"
    # the buttons of another phone: "press the same buttons as on his 15", "come sul suo vecchio 5s", "lo del 6s"
    r"(?:same|the) (?:buttons?|steps?|way|combo|combination|thing) as(?: on| for)?|as on|"
    r"come (?:sul|su|sullo|nel|il)|como (?:en|con) (?:el|mi|su)|lo del|wie (?:beim|bei|auf dem)|comme sur|"
    r"نفس (?:ال)?طريق[ةه])"  # Arabic "the same way as"
    r"(?:\s+(?:my|an?|the|his|her|our|new|suo|sua|mio|su|mi|el|le|son|mon|seinem|meinem|dem|vecchio|viejo|alten|old))*"
    r"\s*$|"
    r"(?:次は|次の|来年は)\s*$"  # Japanese "next (will be)": a phone not yet bought
)
_LEFT_BEHIND = re.compile(rf"\b(?:{_LEFT_WORDS})(?:\s+(?:my|an?|the|his|her|our))?\s*$")
# After a name: it is only released, awaited or next ("iPhone5の発売", "iPhone8が出る", "iPhone4→"), or it is
# the earlier phone of an arrow; or it is the one switched to (Korean "아이폰6s 중고폰으로 리퍼했다").
_AFTER_OTHER = re.compile(r"^\s*(?:→|->|=>|の発売|が発売|発売|が出る|が出た|출시)")
_AFTER_NEW = re.compile(
    r"^\s*(?:\S{0,6}?(?:으로|로) ?(?:리퍼|교체|바꿨|바꿈|바꾸|갈아|기변)|に(?:機種変|買い替え|変え))"
)
# First-person ownership: "i am using an iphone 12 ... the se / x option" is about the 12. Plain "my" is not
# enough ("my wife's iphone 7 and my iphone 11").
_BEFORE_OWNED = re.compile(
    r"\b(?:i am using|im using|i use|i have|ive got|i got|i own|mine is|its|it is|i bought|i just got)"
    r"(?: an?| the| my)?(?: new| old| used)?\s*$"
)
# "iphone 7 or 8": the second name is as explicit as the first ("oder", "ou", "o", "of": "or" in de, fr/pt, es/it, nl).
_OR_ANOTHER = re.compile(
    r"\s*(?:or maybe|or|oder|ou|o|of|lub|albo|или|/|vs\.?)\s+"
    r"(?:(?:an?|the|my|ein|einem|un|una|uno|um|uma|une|een)\s+)?(?:iphone\s+)?"
)
# "a 12 mini and an 8 plus", "an iPhone 13 and the 7 plus": a list of phones, each with its article. The second is as
# explicit as the first ("an 8 plus" is not a duration), but not an alternative: the bot does not ask between them.
_AND_ANOTHER = re.compile(
    r"\s*(?:(?:and|und|y|e|et|en|i|и|&|as well as)\s+(?:(?:also|too)\s+)?"
    r"(?:an?|the|my|one|um|uma|un|una|une|ein|eine|einem|een|mein|meu|mi|mon)\s+(?:old\s+|new\s+)?|"
    # Polish and Russian have no article: "iPhone 11 i 13 mini", "iphone xr и 11"
    r"(?:i|и|oraz)\s+)"
)
# A bare model before "and" and an explicit name, right after the phones it lists ("two iphones, 11 and 12 pro",
# "дома два айфона, 7 и 12 про"): only after a word for several phones, so "my kids are 5, 7 and my iphone 12" and
# "tried 5, 7 and iphone 11 buttons" are no list (a safety review: they gave the 12 and the 11 the 7's buttons).
_LISTED_BEFORE = re.compile(
    r"\b(?:iphones|phones|айфона|айфонов|iphone[ay]|telefony|telefoons|handys|telefones|telefoni|t[ée]l[ée]phones)"
    r"\s*[,:]?\s*(?:(?:the|an?|my)\s+)?"
    r"(\d{1,2}(?: (?:pro max|pro|plus|mini|max))?)\s+(?:and|und|y|e|et|en|i|и|&)\s+(?:(?:the|an?|my)\s+)?$"
)
# "SE" in Latin letters touching Chinese, Japanese or Korean script ("SE也這樣", "我的SE开不了机", "SE가"): there it
# is the iPhone SE, not the Romance word "se". It is ambiguous between the generations like "my se".
_CJK = "\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uac00-\ud7af"
_SE_BY_CJK = re.compile(rf"(?<=[{_CJK}])\s?se(?![a-z0-9_])|(?<![a-z0-9_])se(?=\s?[{_CJK}])")
# "my iPhone is a 3G", "the phone is an XR", "mine is the 11", "it's a 12 pro": what follows names the phone as
# explicitly as "iphone 3g".
_IPHONE_IS = re.compile(
    r"(?<![a-z0-9_])(?:(?:iphone|phone) (?:is|was|its)|mine is|mine was|mines|its|it is|c est|es|ist|é|è) "
    r"(?:an?|the|une?|una|ein|um) "
)
# A number that is a size or an age, not a phone, after "it is a": "mine's a 4 digit passcode", "it's a 6-year-old"
_SIZE_AFTER = re.compile(
    r"[\s-]*(?:digits?|years?|yrs?|y/?o|months?|days?|hours?|minutes?|seconds?|gb|tb|mb|percent|%|inch(?:es)?|"
    r"steps?|times?|pins?|characters?|letters?|numbers?)(?![a-z])"
)
# What a model's name stands for when it is only the method followed: "the 6s combo", "used the SE1 buttons by
# mistake", "the 8 button combo" (not "my iphone 8 buttons don't work": there the buttons are the phone's).
_AFTER_PROCEDURE = re.compile(
    r"^\s*(?:steps|method|combo|combination|instructions|guide|way|procedure|trick|tutorials?|videos?|"
    r"button (?:combo|combination|method|steps|sequence|presses|trick)|"
    r"buttons?(?!\s+(?:is|are|was|were|dont|doesnt|didnt|wont|isnt|arent|stopped|broke|broken|not|keeps?|stuck|feels?|"
    r"do not|does not|no longer|cant|wasnt|werent|has|have|got|sticks?|jammed)\b))\b"
)
# "the 8 plus is the one in a bootloop", "the 16 is the one that won't start": the one the message is about.
_AFTER_THE_ONE = re.compile(r"^\s*(?:is|was|s|its|being) the one\b")
# "the iphone 12 is the one that works, my 7 is frozen": the one that works is not the one with the problem.
_AFTER_THE_ONE_FINE = re.compile(
    r"^\s*(?:is|was|s|its|being) the one (?:that |which |thats )?(?:still )?(?:works|is working|working|is fine|"
    r"is ok|is okay|is good|is alright|is not broken|isnt broken)\b"
)
# "the one that won't boot is the 11", Spanish "el que no prende es el 11", French "celui qui bloque c'est le 13": the
# phone named after it is the one with the problem, when the words between say it has trouble.
_THE_ONE_IS = re.compile(
    # (not Italian "quello che" nor Portuguese "o que": they also mean "what"; not "e": in Italian it is "and")
    r"(?<![a-z0-9_])(?:the one|el que|la que|celui qui|celle qui|degene die)\b"
    r"([^.!?;\n]{1,60}?)\b(?:is|es|est|c est|é|è|ist|jest) "
    r"(?:(?:the|my|el|mi|le|l|la|o|a|il|lo|das|der|het|de|mój|moj)\s)?"
)
_THE_ONE_BONUS = 2.0
# The writer corrects the model named before: "sorry, not the 11, it's the 11 Pro", "wait no, it's the 15 plus"
_CORRECTED_TO = re.compile(
    r"\b(?:sorry|wait|actually|i mean|correction|oops|no)\b[^.!?]{0,30}\b(?:its|it s|it is|i have|mine is|mines)\s+"
    r"(?:the|a|an|my)\s+$"
)
_SENTENCE_BREAK = re.compile(r"[.!?](?:\s|$)|\n")
_WORKS_AFTER = re.compile(r"\s*(?:that |which |one )?(?:still )?(?:works|worked|is fine|is ok|is okay|is good)\b")
_CORRECTED_BONUS = 3.0
# Between "the one that" and "is the": trouble or a negation ("the one that isn't working"); a phone said to work
# ("the one that works is the 12") is not read from it at all.
_NEGATION = re.compile(r"\b(?:not|isnt|doesnt|dont|wont|cant|no|ne|nie|niet|nicht|non|não|nao|не)\b")
# "the problem is my old 6s", "o problema é o iPhone SE", "el problema es el 11": the one with the problem. Only
# articles, possessives and old/new between: "the problem is not the 7" does not count for the 7.
_BEFORE_PROBLEM = re.compile(
    r"\b(?:the (?:problem|issue) is(?: with)?|o problema [ée](?: com)?|el problema es(?: con)?|"
    r"le probl[eè]me (?:c est|est|vient de)|il problema [eè]|das problem ist|het probleem is|problem jest z|"
    r"проблема (?:с|в))(?:\s(?:the|my|mon|ma|mi|meu|minha|mio|mia|mein|meine|mijn|el|la|le|l|o|a|il|lo|das|der|die|"
    r"het|de|his|her|old|new|older|newer))*\s*$"
)
# A switch from one phone to another: "z iPhone X na iPhone 14", "del 7 al 12", "de l'iPhone 8 à l'iPhone 13",
# "vom 11 aufs 15", "van de 8 naar de 13" (English "from" is in _BEFORE_OTHER already). The one before is left.
_FROM_BEFORE = re.compile(
    r"\b(?:z|ze|de|du|del|dal|do|da|von|vom|van)\s(?:(?:my|mon|ma|mi|meu|o|el|le|l|il|lo|un|una|um|uma|mein|meinem|"
    r"dem|mijn|het|de|een|mojego|mego)\s)?$"
)
_TO_AFTER = re.compile(
    r"^\s*(?:to|na|à|au|al|para|pro|auf|aufs|zu|zum|naar)\s(?:(?:the|an?|my|el|un|una|le|la|l|une|o|um|uma|das|ein|"
    r"einen|een|het|de|il|lo|mój|moj|mon|meu|mi|mijn)\s)?(?:(?:new|nowy|nowego|nouvel|nouveau|nuevo|novo|nuovo|neue|"
    r"neues|nieuwe)\s)?(?:iphone\b|\d{1,2}(?![\d.,])|x[rs]?\b|se\b)"
)
_SWITCHED_TO = re.compile(
    r"\b(?:z|ze|de|du|del|dal|do|da|von|vom|van)\s(?:\S+\s){0,2}(?:iphone\s)?(?:\d{1,2}|x|xr|xs|se)"
    r"(?:\s(?:pro|max|plus|mini|s|e|c|\d))*\s(?:na|à|au|al|para|pro|auf|aufs|zu|zum|naar)\s"
    r"(?:(?:the|an?|my|el|un|una|le|la|l|une|o|um|uma|das|ein|einen|een|het|de|il|lo|mój|moj|mon|meu|mi|mijn)\s)?"
    r"(?:(?:new|nowy|nowego|nouvel|nouveau|nuevo|novo|nuovo|neue|neues|nieuwe)\s)?$"
)
# "iphone se" said with "my own"/"mijn"/"mon" ("my own SE is bricked", "mijn SE uit 2022"): as ambiguous as "my se".
_OWN_SE = re.compile(
    r"(?<![a-z0-9_])(?:(?:my|his|her|our|their) own|mijn|mein|meine|meinem|mon|mój|moj|мой|у меня|mera) (se)"
    r"(?![a-z0-9_])"
)
# "no sé cuál", "weiß nicht welches", "nie wiem który" are about the phones unless a noun of their own or a verb to
# do follows within two words ("no sé cuál botón", "non so quale tasto", "welke knoppen", "laquelle des méthodes",
# "cuál hacer", "no sé cuál es el problema").
_ABOUT_THE_PHONES = (
    r"(?!\s+(?:es|est|ist|is|é|e|è|jest|c est|era)\s+(?:(?:el|le|la|das|der|the|o|a|il|lo|het|de)\s+)?"
    r"(?:problema|probl[eè]me|problem|probleem|проблема|causa|cause|error|erro|fallo|fehler)\b)"
    r"(?!(?:\s+\w+){0,2}?\s+(?:soluci[oó]n|solu[cç][aã]o|solution|l[oö]sung|oplossing|soluzione|rozwiązanie|решение|"
    r"bot[oó]n|botones|bot[aã]o|bot[oõ]es|tasti|tasto|boutons?|kn[oö]pfe?|tasten?|knop|knoppen|przycisk\w*|кнопк\w*|"
    r"teclas?|touches?|toetsen?|m[ée]todos?|m[ée]thodes?|methoden?|metod[aey]?|способ\w*|maneras?|formas?|jeito|"
    r"weise|manier|sposób|sposob|way|ways|combinaci[oó]n|combina[cç][aã]o|combinaisons?|kombination|"
    r"combinazione|combinatie|kombinacj\w*|comando|commande|befehl|apps?|aplicaci[oó]n|aplicativo|applications?|"
    r"applicazione|anwendung|aplikacj\w*|приложени\w*|pasos?|passos?|[ée]tapes?|schritte?|passaggi|stappen|kroki?|"
    r"hacer|usar|elegir|apretar|pulsar|presionar|fazer|escolher|apertar|faire|choisir|utiliser|appuyer|machen|"
    r"drücken|drucken|nehmen|fare|usare|premere|scegliere|doen|gebruiken|kiezen|drukken|wybrać|wybrac|użyć|uzyc|"
    r"nacisnąć|nacisnac|выбрать|нажать|делать|сделать)(?![\w]))"
)
# The writer does not say which of the phones named has the problem: "i have an iphone 12 and a 7, one of them
# won't turn on", "not sure which", "hers is stuck". Every phone not said to be another one is then asked about.
_WHICH_UNSAID = re.compile(
    r"\b(?:one of (?:them|the two|those|these|the (?:two|three|phones|iphones))|either of them|either one|"
    r"(?:not sure|unsure|dont know|no idea|cant tell|(?:didnt|did not|doesnt|does not) (?:say|tell|know)) which|"
    r"(?:hers|his|theirs|yours) (?:is|isnt|was|wasnt|wont|cant|doesnt|didnt|keeps|kept|has|just|got|gets|froze|"
    r"died|still|stopped|turned|went|also|suddenly)|"
    # es, pt: "uno de los dos", "no sé cuál"; "um deles", "não sei qual" (not "no sé cuál es el problema")
    r"un[oa] de (?:los|las|ellos|ellas) (?:dos|tres)|un[oa] de (?:ellos|ellas)|cualquiera de los dos|"
    r"um deles|uma delas|um dos dois|uma das duas|"
    rf"(?:no s[ée]|ni idea de|n[ãa]o sei|nem sei) (?:cu[aá]l|qual)(?={_ABOUT_THE_PHONES})|"
    # fr: "l'un des deux", "y'en a un qui", "je sais pas lequel"
    r"l une? des deux|l une? d entre eux|une? des deux|y ?en a une? qui|"
    rf"(?:sais|sait) (?:pas|plus|point) (?:trop )?(?:lequel|laquelle)(?={_ABOUT_THE_PHONES})|"
    # de: "einer von beiden", "weiß nicht welches"; it: "uno dei due", "non so quale"; nl: "eentje", "weet niet welke"
    r"(?:einer|eines|eins|eine) (?:von|der) (?:beiden|den beiden|ihnen)|(?:einer|eines|eins|eine) davon|"
    rf"(?:weiss|weis|wei[sß]) (?:ich )?nicht(?: mehr)?,? (?:welche[sr]?|welchs)(?={_ABOUT_THE_PHONES})|"
    rf"uno dei due|una delle due|uno dei tre|non so(?: pi[uù])? (?:quale|qual [eè])(?={_ABOUT_THE_PHONES})|"
    r"een van (?:beide|de twee|de drie|hen|die twee)|eentje (?:van|is|gaat|doet|wil|start|blijft|heeft|werkt|hangt)|"
    rf"weet (?:ik )?(?:niet|nie)(?: meer)? welke(?={_ABOUT_THE_PHONES})|"
    # pl: "jeden z nich", "nie wiem który"; ru: "какой-то из них", "один из них", "не знаю какой"
    r"(?:jeden|jedna|jedno) z (?:nich|dwóch|dwoch|tych|tych dwóch)|"
    rf"nie wiem,? (?:któr[yaeę]|ktor[yae])(?={_ABOUT_THE_PHONES})|"
    r"как(?:ой|ая|ое)[- ]?(?:то|нибудь) из (?:них|двух)|од(?:ин|на|но) из (?:них|двух)|"
    rf"не знаю,? (?:какой|какая|который|которая)(?={_ABOUT_THE_PHONES}))(?![\w])|"
    # zh: "其中一台", "不知道是哪台"; ja: "どっちか", "どちらか"; ko: "둘 중 하나"
    # (not "其中一个app", "どれかボタン", "どちらかといえば", "둘 중 하나 버튼": an app, a button, "rather")
    r"其中一(?:台|部|支)|其中一(?:个|個)(?!\s?(?:app|应用|應用|软件|軟件|程序|按键|按鍵|按钮|按鈕|键|鍵|方法|步骤|步驟))|"
    r"(?:不知道|不确定|不確定|分不清|搞不清)是?哪(?:一)?(?:台|部|个|個|支)|"
    r"(?:どっちか|どちらか|どれか)(?!\s?(?:と(?:いえば|言えば|いうと|言うと)|の|ボタン|アプリ|を押|方法|キー))|"
    r"둘 ?중 ?(?:하나|한 ?대)(?!\s?(?:버튼|앱|방법|키|를 눌|을 눌))|어느 ?(?:쪽|것|거)인지 ?모르"
)
# Two phones joined as a list ("i have an iphone 12 and a 7", "tengo un 12 y un 7"): the words between them.
_LIST_JOINT = re.compile(
    r"\s*(?:and|und|y|e|et|i|и|oraz)\s+(?:(?:also|too)\s+)?(?:(?:an?|the|my|one|un|una|une|ein|eine|einem|um|uma|mein|meu|mi|"
    r"mon)\s+)?(?:iphone\s+)?"
)
# What picks one phone of a list after it: "mine is stuck", "the new one won't boot", "the other one is fine".
_LIST_PICKED = re.compile(
    r"\b(?:mine|the (?:new|newer|newest|old|older|oldest|other|first|second|last|latter|former)(?: one)?)\b"
)
# Where the words right after a list's last phone end: "a 7 that won't turn on" picks the 7, "a 7, it won't" not.
_LIST_TAIL_BREAK = re.compile(r"[.!?;,:\n]|\b(?:and|but|it|its|one|they|both|so|now)\b")
# "a 7 that won't turn on" (en, es/fr/pt, it, de, nl): the words after the last phone are about it alone.
_RELATIVE = re.compile(r"\s*(?:that|which|who|que|qui|che|der|die|das|welches|dat)\b")
# The phone data came from: "restored my iphone 12 backup onto an iphone 7".
# After a name: what came from it ("my 11 pro backup"), or the phone the writer types on ("using my iphone 16 to
# type this because my 11 pro max is stuck").
_AFTER_SOURCE = re.compile(
    r"^\s*(?:backup|back-up|back up|data|photos|sim card|to (?:type|write|post|send) (?:this|these|that)|"
    r"(?:to|is how i) (?:get|got) online)\b"
)
_TROUBLE = re.compile(
    r"\b(?:stuck|wont|cant|doesnt|not (?:turn|start|boot|work|charg)\w*|dead|died|frozen|froze|black|loop\w*|"
    r"restarting|rebooting|recovery|dfu|error|disabled|unavailable|broken|cracked|wet|dropped|problem|issue|"
    r"help|keeps|stopped|hangs|hanging|hung(?! up)|boot ?loop\w*|on the (?:white |black )?(?:apple )?logo|"
    r"no power|never (?:boots|turns on|starts)|no longer (?:works|working|turns on|boots)|"
    r"sparks?|sparked|sparking|smok(?:e|ed|ing)|smells? (?:like )?burn\w*|smelled (?:like )?burn\w*)\b|"
    # The same in the other languages: won't start, frozen, stuck, broken, black screen
    r"\b(?:no (?:enciende|prende|arranca|funciona|carga)|se reinicia|bloquead[oa]|congelad[oa]|atascad[oa]|"
    r"ne s allume|ne d[ée]marre|bloqu[ée]e?|ne (?:marche|fonctionne) plus|(?:s )?[ée]teint|red[ée]marre en boucle|"
    r"startet nicht|geht nicht|h[äa]ngt|"
    r"startet (?:st[äa]ndig|immer wieder|dauernd|andauernd) neu|"
    r"kaputt|defekt|n[ãa]o liga|trav(?:ad[oa]|ou|ando|a)|n[ãa]o funciona|non si accende|bloccat[oa]|non funziona|"
    r"nie działa|nie włącza|не включается|не вмикається|не працює|завис\w*|не работает|"
    r"doet het niet|start niet|gaat niet (?:meer )?aan|"
    r"blijft hangen|werkt niet|wisi|wisiał\w*|zawiesi\w*|restartuje|nie uruchamia|reinicia|"
    r"reste (?:bloqu|sur|coinc)\w*|odore di bruciato|bruciato|si [eè] spento|"
    r"se qued[oó] (?:en|pegad|trabad|colgad|congelad|bloquead)\w*|"
    # sv, da, no: won't start, doesn't work, hangs, black screen
    r"startar inte|fungerar inte|funkar inte|h[äa]nger sig|har h[äa]ngt sig|svart sk[äa]rm|starter ikke|"
    r"virker ikke|fungerer ikke|t[æa]nder ikke|henger seg|h[æa]nger|sort sk[æa]rm|svart skjerm|"
    # Hindi in Latin letters: won't turn on, hung, stuck
    r"on nahi ho raha|on nahi hota|hang ho gaya|hang ho gya|atka hua|atak gaya|band ho gaya|kharab ho gaya|"
    r"chal nahi raha|start nahi ho raha|"
    # Turkish: won't turn on, freezes, stuck, doesn't work, keeps restarting
    r"a[çc][ıi]lm[ıi]yor|donuyor|dondu|tak[ıi]ld[ıi]|tak[ıi]l[ıi] kald[ıi]|[çc]al[ıi][şs]m[ıi]yor|"
    r"s[üu]rekli yeniden ba[şs]l[ıi]yor|"
    # Hungarian: won't switch on, won't start, doesn't work, froze
    r"nem kapcsol be|nem indul|nem m[űu]k[öo]dik|lefagyott|nem t[öo]lt)\b|"
    r"(?:开不了机|開不了機|卡在|黑屏|坏了|起動しない|動かない|壊れ|文鎮|안 ?켜|고장|먹통|벽돌|"
    r"روشن نمیشه|روشن نمی شه|روشن نمیشود|خاموش شد|هنگ کرد|هنگ میکنه|هنگ کرده)"  # Persian
)
_FINE = re.compile(
    r"\b(?:is |its |works? |working |runs? |running |restarts? |reboots? )?(?:fine|ok|okay|perfectly|normally|great)\b|"
    r"\bno (?:problems?|issues?)\b|\bstill works\b|\ball good\b|"
    # (not "no funciona bien", "no se reinicia bien", "não funciona bem", "non va bene": said not to work well)
    r"(?<!no )(?<!no se )(?<!não )(?<!nao )(?<!non )(?<!nie )(?<!не )"
    r"\b(?:geht noch|läuft noch|läuft(?! nicht| nur| langsam| hei(?:ß|ss)| warm| aus| voll| ständig| immer)|"
    r"funktioniert noch|funciona bien|(?:se )?reinicia bien|marche bien|"
    r"fonctionne bien|va bien|funziona bene|funciona bem|werkt nog|działa dobrze|работает нормально|"
    # works fine, no problem: fr "marche nickel", pt "tá de boa", pl "działa bez problemu", es "sin problemas"
    r"nickel|impec|impeccable|sans (?:aucun )?(?:souci|probl[eè]me)s?|de boa|sem (?:nenhum )?problemas?|"
    r"funciona (?:normal|perfeito|perfeitamente|perfecto|perfectamente)|sin (?:ning[uú]n )?problemas?|"
    r"ohne probleme?|einwandfrei|senza problemi|funziona benissimo|werkt prima|werkt perfect|geen problemen|"
    r"bez (?:żadnego |zadnego )?problem(?:u|ów|ow)?|działa normalnie|без проблем|работает отлично|"
    r"fungerar (?:bra|fint)|funkar (?:bra|fint)|virker (?:fint|godt)|fungerer (?:fint|godt)|працює(?! погано)|"
    r"j[óo]l m[űu]k[öo]dik|(?:v[ẫa]n )?b[ìi]nh th[ưu][ờo]ng|"
    r"работает(?! плохо| с перебоями)|"
    r"sorunsuz|sorun yok|gayet iyi)\b"
)
# A bare mention said to be in some state right after it ("my 7 is stuck", "the 8 wont boot"; not "the 7 on the
# keypad", "a 15 to 20 minute charge", "the 6 and 4 digit codes").
_STATE_NEXT = re.compile(
    r"\s*(?:-\s+)?(?:however\s+)?(?:(?:which|that|who)\s+)?"
    r"(?:is|isnt|was|wasnt|wont|keeps|kept|stuck|just|died|dies|dead|froze|frozen|freezes|got|gets|cant|doesnt|didnt|"
    r"wouldnt|shows|showed|turned|turns|went|goes|restarts|restarted|reboots|rebooted|still|suddenly|randomly|"
    r"stopped|shut|shuts|crashed|broke|has|hasnt|had|now|also|will|would|not|cannot|never|refuses|stays|loops|boots|"
    r"hangs|hung|says|said|no longer)\b"
)
# A number with no owner that starts a clause and is said in some state ("my iphone 11 is fine, 7 is stuck",
# "phones: iPhone 12 (fine), 7 (stuck)"): a doubt only, as it may be anything ("updated from ios 15, 16 is slow").
_UNOWNED_NUMBER = re.compile(
    r"(?:^|(?<=[,;:(/\n])|(?<=[.!?] )|(?<=\bbut)|(?<=\band)|(?<=\bama)|(?<=\bа)|(?<=\bно)|(?<=\bmais)|(?<=\bpero)|"
    r"(?<=\baber)|(?<=\bmaar)|(?<=\bmas)|(?<=\bma))\s*(?:(?:das|der|den|le|la|el|lo|il|o|het)\s+)?(\d{1,2})(?![\w.]|,\d)"
)
# What makes such a number a phone in a state: a state verb, a bracket or colon in a list ("7 (stuck)", "7: stuck")
_UNOWNED_STATE = re.compile(r"\s*[(:]|" + _STATE_NEXT.pattern)
# A trouble left unsaid after a fine phone: "my iphone 12 is fine, 7 isnt" (isn't fine)
_ELIDED_TROUBLE = re.compile(
    r"\s*(?:isnt|is not|doesnt|does not|wont|will not|wasnt|aint|not)\s*(?:lol|tho|though)?\s*"
)
# An iOS version listed before it: "works fine on ios 14, 15 wont install" (15 is iOS 15)
_VERSION_BEFORE = re.compile(r"\bios ?\d{1,2}(?:\.\d+)*\s*[,;/]?\s*$")
# A bare number said to share the trouble of the phone named before it: "my iphone 12 is stuck and my 7 too", "my
# 7 is also stuck", "mi 7 tampoco enciende".
_ALSO_WORDS = (
    r"too|also|as well|tampoco|tambi[ée]n|aussi|auch|ook|anche|tamb[ée]m|тоже|теж|także|takze|też|tez|också|ogs[åa]"
)
_ALSO_NEXT = re.compile(
    r"\s*(?:spare |old one |old )?(?:is |was |are |has |keeps )?"  # (a bracket's "the 7 (spare) too")
    rf"(?:{_ALSO_WORDS})(?![\w])"
)
_ARTICLE_BEFORE = re.compile(r"\b(?:an?|une?|ein|eine|um|uma|een)\s+$")
# The same "too" after the trouble: "my 7 is stuck too", "my 7 hangs as well"; not when the trouble is denied, asked
# or only feared ("my 7 is not frozen too", "my 7 won't be dead too, right?")
_NOT_SAID = re.compile(
    r"\bnot (?!turn|start|boot|work|charg)|\bnever\b(?! (?:boots?|turns?|starts?|charges?|works?))|"
    r"\bno\b(?! (?:power|longer|signal|sound|display|image|picture|response|service))|"
    r"\bbe (?:dead|fine|ok|okay|broken)\b|"
    r"\b(?:help|cable|charger|adapter)\b|\?"
)
_ALSO_LATER = re.compile(rf"\b(?:{_ALSO_WORDS}|either)(?![\w])")
# "e anche il mio 7", "y también mi 7", "et aussi mon 7", "and also my 7": the "also" before the phone
_ALSO_BEFORE = re.compile(
    r"\b(?:anche|tambi[ée]n|aussi|auch|ook|tamb[ée]m|also|too)\s+(?:(?:il|la|el|le|o|a|das|der|de|het)\s+)?"
    r"(?:mio|mia|mi|mon|mein|meine|mijn|meu|minha|my|мой|мій)\s+$"
)
_ALSO_OWNED_BEFORE = re.compile(_ALSO_BEFORE.pattern.removesuffix(r"\s+$") + r"\s+(\d{1,2})(?![\w.]|,\d)")
# What makes the shared trouble history or over: "my 7 also had this once", "mi 7 también se quedó hace años",
# "meu 7 também travou, mas tudo bem".
_PAST_OR_OVER = re.compile(
    r"\b(?:had|once|before|used to|years? ago|last (?:year|month|week|time)|una vez|hace (?:años|anos|tiempo|meses)|"
    r"antes|uma vez|h[áa] (?:anos|meses)|une fois|avant|il y a|einmal|fr[üu]her|vorher|een keer|vroeger|raz|kiedyś|"
    r"tudo bem|[çc]a va|geht wieder|works now|fine now|was fixed|got fixed)\b"
)
# After "too" or "also", words about something else than the trouble: "my 7 also came in the mail", "also has ios
# 18", "also works"
_ALSO_ABOUT_ELSE = re.compile(
    r"\s*(?:came|arrived|got (?:a|an|the|new)|"
    r"(?:has|have|had)(?! (?:an? |the )?(?:problem|issue|error|fault|same (?:problem|issue|error|thing|fault))| no )|"
    r"is on|runs?|works?|worked|is new|was bought|needs? (?:a|an)|"
    r"uses?|charges? fine|updated fine|is (?:here|with|at|in my|on the))\b"
)
# A trouble shared by comparison, said before the phone compared with: "... also hangs on the logo, like my iphone 12"
_LIKE_AFTER_ALSO = re.compile(rf"\b(?:{_ALSO_WORDS})\b.*\b(?:just |exactly )?like (?:my|his|her|our|their)\s+$")
# ... but not a guide, a video or the past: "like the iphone 12 video says", "like my iphone 6 used to"
_COMPARED_NOT_NOW = re.compile(
    r"\s*(?:video|guide|tutorial|article|post|used to|was|were|did|had|says|said|shows|showed|once|before|"
    r"(?:my|his|her|our|their) \w+ (?:had|used))\b"
)
_CLAUSE_SENTENCE = re.compile(r"[.!?;\n]")
# "my 6 haha and the iphone 13 both wont turn on": a bare phone and a name joined as the subject of one trouble
_JOINED_BEFORE = re.compile(r"\s*(?:lol|haha|lmao)?\s*(?:and|&)\s+(?:(?:my|the|his|her)\s+)?")
_BOTH_AFTER = re.compile(r"\s*(?:(?:are|were)\s+)?both\b|\s*(?:are|were)\s+(?:stuck|frozen|dead|bricked|not)\b")
_PUT_AWAY = re.compile(r"\b(?:in (?:a|the|my) drawer|in (?:a|the) (?:box|cupboard|closet)|sits|lies|is lying|unused)\b")
_OWNED_ALSO = re.compile(
    r"(?<![\w])(?<!xiaomi )(?<!redmi )(?:my|his|her|our|their|mi|mon|mein|meu|mio|mijn|(?<!\d )min|mój|мой|мій)"
    r" (\d{1,2})"
    r"(?=" + _ALSO_NEXT.pattern + ")"
)
_FORMER_AFTER = re.compile(r"\s*(?:that |which )?(?:i|we|he|she|they) (?:had|used to|owned|got rid)\b")
# "my" in fr, de, nl, pt, it, pl, es, sv, da, no before a number: a phone ("mon 14 est bloqué") or anything else
# ("mein 7-jähriger Sohn", "mi 16 gb", "Xiaomi Mi 8"), so never read as the model. It only makes the bot ask when
# it says the trouble beside a named phone of another family that is fine ("mon iphone 7 marche, mais mon 14 est
# bloqué").
_FOREIGN_OWNED_NUMBER = re.compile(
    r"(?<![\w])(?:(?<!xiaomi )(?<!redmi )(?<!poco )(?<!my )(?<!mi )(?<!the )mi|"  # not "my Mi 8", "mi Mi 11"
    r"mon|mein|meinem|mijn|meu|mio|moj|mój|мой|nuevo|nouveau|novo|nuovo|nieuwe|neues|neue|"
    r"(?<!\d )(?<!\d)min|mitt|mera|meri|mere) (\d{1,2})"
    r"(?![\w.]|-\w|,\d)(?!\s*(?:" + _FOREIGN_UNITS + r"|ultra|lite|note|pro\+|gb|go|tb|mb|%)(?![\w]))"
)
# Another device as the subject: an iPad, iPod, Apple TV or Watch, an Android or other phone, a tablet
# (labelling.md: "the bot should say that it only knows iPhones"). Words that are also everyday words in a
# language the bot reads ("vivo", "honor", Spanish "mi", "lg") are left out.
ANOTHER_DEVICE = re.compile(
    r"(?<![a-z])(ipad\w*|ipod\w*|itouch|apple ?tv|atv|apple ?watch|watchos|smartwatch|airpods|android|samsung|"
    r"galaxy|sm-[agnsfjmt]\d{3}\w*|pixel ?\d|nexus|xiaomi|redmi|huawei|oneplus|motorola|moto g|nokia|oppo|"
    r"realme|meizu|tecno|infinix|xperia|sony ?ericsson|htc|zte|lenovo|blackberry|crackberry|windows (phone|mobile)|"
    r"lumia|ubuntu touch|sailfish|magisk|twrp|lineageos|custom rom|hackintosh|opencore|clover|tablet\w*|"
    r"pinetime)(?![a-z])|安卓|华为|小米|三星|一加|魅族|索尼|平板|黑苹果|黑果|アンドロイド|エクスペリア|ギャラクシー|"
    r"アイパッド|아이패드|아이팟|갤럭시|삼성|안드로이드|андроид\w*|самсунг\w*|сяоми|планшет\w*|айпад\w*"
)
# The phone said to be another device: "c'est un xiaomi", "het is een samsung", "ist ein galaxy", "its a pixel"
_ITS_ANOTHER_DEVICE = re.compile(
    r"\b(?:c est|cest|het is|ist|es|is|its|it s|ce n est|é|e|è)\s+(?:\w+\s+)?(?:un|une|een|ein|eine|a|an|um|uma|uno)\s+"
    r"(?:\w+\s+)?(?=" + ANOTHER_DEVICE.pattern + ")"
)
_CLAUSE_BREAK = re.compile(
    r"[.!?;,\n。、！？،؛؟]|"  # (and the Arabic-script comma, semicolon and question mark)
    r"\b(?:but|while|whereas|however|though|although|and now|mais|pero|aber|maar|ale|но|а|ama|ancak)\b"
)
# Another maker's product line before a name without "iphone": "Redmi Note 11 Pro", "Xiaomi 12 Pro", "Moto G 6
# Plus", "iPad Pro 11" are not iPhones. (Not a bare "mi": in Spanish it is "my", as in "mi 11 pro no enciende".)
_OTHER_MAKER_BEFORE = re.compile(
    r"(?<![a-z0-9])(?:galaxy|note|redmi|xiaomi|poco|pixel|moto|motorola|oneplus|huawei|mate|honor|nova|oppo|reno|"
    r"vivo|realme|nokia|xperia|samsung|ipad|ipod|touch|macbook|tab|surface|zenfone|lenovo|infinix|tecno|meizu|zte)"
    r"(?: (?:mi|note|g|e|x|s|a|m|z|pro|air|mini|mate|nova|reno|find|edge|plus))? $"
)
# A later short reference to a phone already named: "an iphone 12 and a 12 pro, the pro is stuck"; with the
# article of another language: "el 7 no enciende", "c'est le 13 qui", "der 12 startet nicht", "o 11 não liga",
# "il 14 non si accende", "de 13 doet het niet".
_BACK_REFERENCE = (
    r"(?<![a-z0-9_])(?:the|that|this|el|ese|este|del|le|ce|du|l|der|den|dem|das|die|dieses|o|esse|do|il|lo|quello|"
    r"het|de|deze|ten|ta|tego|tym) (?:new |old |other |nowy |stary |drugi )?"
)
# What may follow such a reference besides _NUMBER_NEXT's words: a negation, a relative pronoun, a verb of trouble.
_BACK_REFERENCE_NEXT = re.compile(
    r"\s*(?:no|ne|n|nicht|non|niet|nie|não|nao|qui|que|che|der|die|das|dat|est|ist|es|está|esta|è|é|se|s|"
    r"sigue|queda|reste|resta|rimane|fica|ficou|blijft|bleibt|geht|startet|hängt|lädt|doet|start|wil|heeft|hat|"
    r"a|ha|sta|tiene|war|was|keeps|"
    # the verbs of trouble: "o 16 travou", "el 7 se apagó", "le 13 plante", "il 14 si è bloccato", "der 12 spinnt"
    r"trav\w*|deslig\w*|reinici\w*|morreu|congel\w*|apag\w*|quebr\w*|caiu|molhou|parou|continua|está|tá|ta|"
    r"muri[oó]|qued[oó]|cay[oó]|moj[oó]|rompi[oó]|dej[oó]|muestra|plante|bloque|red[ée]marre|affiche|si|mostra|"
    r"bleibt|zeigt|spinnt|h[äa]ngt|ist|hangt|zit|toont|bevroor|висит|завис\w*|не|"
    # Polish: "ten mini się zawiesił", "ten 13 nie włącza się", "ten nowy ciągle"
    r"się|sie|jest|ciągle|ciagle|wciąż|wciaz|zawies\w*|wisi\w*|restartuje|od|pokazuje|wyświetla)(?![\w])"
)
# A phone labelled by its role, referred to by that word later: "iphone 12 (backup phone) and iphone 7, the backup
# won't turn on" (the brackets are gone from the normalised text).
_LABEL_AFTER = re.compile(r"\s*(?:(backup)(?: phone| one| device)|(spare|loaner)(?: phone| one| device)?)(?![a-z0-9_])")
_MAX_BACK_REFERENCES = 4
_DEVICE_LINE_BONUS = 2.0
# A device line, as forum signatures and bug reports write one: "iPhone 4S, iOS 6.1.4", "Device: iPhone 6s".
_SPEC_AFTER = re.compile(
    r"\s*(?:,|-|/|on|running)?\s*ios ?\d{1,2}(?:\.\d)?|"
    # "iPhone X, 13.1.3", "iPhone 7 - 15.7": a version with no "iOS", but not a measure ("iphone 6, 2.5 hours")
    r"\s*(?:,|-|on|running)\s*\d{1,2}\.\d{1,2}(?:\.\d{1,2})?(?![\d.]|\s*(?:%|[a-z]))"
)
_SPEC_BEFORE = re.compile(r"\b(?:device|model|phone|hardware)\s*:\s*$|(?:^|\n)\s*(?:device|model)\s+$")

# "mi iphone se apagó", "mon iPhone se bloque", "meu iphone se desligou": in Spanish, French and Portuguese
# "se" after the phone is a reflexive pronoun, not the SE; before a subject ("se eu ligar", "se io") it is "if".
# What follows it tells.
_REFLEXIVE_SE = re.compile(
    r"se\s+(?:me|te|le|les|lo|la|nos|vous|y|en(?!\s+\d)|ha|han|fue|eu|ele|ela|voce|você|io|lui|lei|"
    r"(?:apag|reinici|hab[ií]a|hab[ií]an|convirti|volvi|hizo|rompi|estrope|desactiv|bloque|calient|sobrecalient|cuelg|colg|qued|pus|cay|moj|romp|congel|trab|desconect|"
    r"descarg|encend|prend|muri|muere|estrope|da[ñn]|hinch|infl|cierr|actualiz|borr|resete|tild|"
    r"[ée]teint|allum|rallum|red[ée]marr|recharg|d[ée]charg|fig|coup|ferm|plant|r[ée]initialis|"
    # (not Dutch "met" = with: "iPhone SE met Touch ID", "met een barst")
    r"met(?!\s+(?:touch ?id|face ?id|een|het|de|(?:home|thuis) ?knop))|"
    r"deslig|lig|reinic|trav|esquent|aquec|molh|quebr|mant|atualiz|desconfigur)\w*)\b"
)
# The SE generations: what names one generation, and a hedge between two of them.
_GENERATION_WORD = (
    r"(?:1st|2nd|3rd|first|second|third|one|two|three|i{1,3}|gen ?[123]|[123](?:st|nd|rd)? gen(?:eration)?|"
    r"[123]|2016|2020|2022|"
    # "prima o seconda", "primera o segunda", "erste oder zweite", "première ou deuxième", "eerste of tweede"
    r"primer[oa]?|primeir[oa]|prim[oa]|premi[eè]re|erste[nr]?|eerste|pierwsz\w*|segund[oa]|second[oa]|"
    r"deuxi[eè]me|zweite[nr]?|tweede|drug(?:a|i|iej)|tercer[oa]?|terceir[oa]|terz[oa]|troisi[eè]me|dritte[nr]?|derde|"
    r"trzeci\w*|первы[йм]|перв[оа]я|втор(?:ой|ым|ая)|трет(?:ий|ьим|ья))"  # "первый или второй"
)
_SE_ALTERNATIVES = (
    rf"(?<![a-z0-9_])({_GENERATION_WORD})(?: gen(?:eration)?)?\s*"
    r"(?:or|/|vs\.?|and/or|czy|lub|albo|ou|o|oder|или|eller|sau|vagy|nebo|ή|або)\s*"
    # "el de 2020 o el de 2022", "från 2020 eller 2022", "the 2020 one or the 2022 one"
    r"(?:(?:el|la|le|il|o|a|den|der|die|das|the one|one) (?:de|del|from|från|von|van|di|da|du|z|из)\s+|from\s+)?"
    rf"(?:the\s+|an?\s+)?(?:se\s*)?({_GENERATION_WORD})(?![a-z0-9_])"
)
_SE_HEDGE = re.compile(
    _SE_ALTERNATIVES
    # not a count or a duration: "1 o 2 veces", "2 oder 3 mal", "1 или 2 раза", "1 ou 2 heures"
    + rf"(?!\s*(?:times|tries|hours?|hrs?|days?|minutes?|mins?|seconds?|secs?|weeks?|months?|years?|x|mal|"
    rf"{_FOREIGN_UNITS}|раза)(?![\w]))"
)
# The same alternatives whatever follows: "iphone se 1 or 2 years old" may be a count, but then its "se 1" names
# no generation either, so all of them are asked.
_SE_HEDGE_ANY = re.compile(_SE_ALTERNATIVES)
# An ordinal's ending in a hedge of two generations ("1. oder 2. Generation", "1re ou 2e génération", "1ª o 2ª
# generación", "1e of 2e generatie"; the noun must follow: "am 2. oder 3. Mai" is no hedge).
_ORDINAL_END = r"(?:\.|ª|º|ère|ere|ème|eme|re|er|e|a|o|-?го)"
# "Generation" and the ordinals before it in the other languages ("2ª geração", "второго поколения", "第二代").
_GENERATION_NOUN = (
    r"(?:generaci[oó]n|gera[cç][aã]o|g[ée]n[ée]ration|generation|generazione|generatie|generacj[aiię]|поколени[яеи]|"
    r"世代|代)"
)
# "2ª"/"2a", "2º"/"2o", "3ra", "2da", "1er", "3ro", "2e", "2ème", "2.", "2-го"
_ORDINAL_SUFFIX = r"a|o|e|ra|da|ro|do|ta|to|ème|eme|er|re|\.|-?го|-?е"
_OTHER_DEVICE_BETWEEN = re.compile(r"\b(?:ipad\w*|ipod\w*|airpods?|watch|pencil|mac\w*|homepod)\b")
_DENIED_BEFORE = re.compile(r"\b(?:nicht|kein\w*|not|pas|niet|non|не)\s(?:(?:die|der|the|la|le|de|el|il)\s)?$")
# After the name ("iPhone SE, entweder 1. oder 2. Generation", "iPhone SE 1. oder 2. Generation", "SE hängt, weiß
# nicht ob 1. oder 2. Generation"); not when another device or a denial comes between ("mein iPad 2. oder 3.
# Generation", "erste Generation, nicht 2. oder 3.").
_SE_ORDINAL_HEDGE = re.compile(
    rf"(?<![a-z0-9_])([123]){_ORDINAL_END}\s*(?:or|ou|o|oder|of|lub|albo|czy|или)\s*([123]){_ORDINAL_END}\s*"
    rf"(?:{_GENERATION_NOUN}|gen\b)"
)
_GENERATION_ORDINALS = {
    "1": (
        "primera",
        "primer",
        "primeira",
        "première",
        "premiere",
        "prima",
        "erste",
        "eerste",
        "pierwszej",
        "первого",
        "一",
    ),
    "2": (
        "segunda",
        "segundo",
        "deuxième",
        "deuxieme",
        "seconde",
        "seconda",
        "zweite",
        "tweede",
        "drugiej",
        "второго",
        "二",
    ),
    "3": (
        "tercera",
        "tercer",
        "terceira",
        "troisième",
        "troisieme",
        "terza",
        "dritte",
        "derde",
        "trzeciej",
        "третьего",
        "三",
    ),
}
# A bare "se" right before its generation ("SE di seconda generazione", "se de primera generación", "se 2nd gen"): the
# SE, though "se" alone is also "if" and a pronoun in the Romance languages.
_SE_WITH_GENERATION = re.compile(
    r"(?<![a-z0-9_])(se)\s+(?:(?:de|di|da|der|del|della|of|of the|la|the)\s+)?(?=(?:first|second|third|1st|2nd|3rd|"
    + "|".join(word for words in _GENERATION_ORDINALS.values() for word in words if word.isascii())
    + rf"|[123])(?:{_ORDINAL_SUFFIX})?\s?(?:{_GENERATION_NOUN}|gen\b))"
)
# Which generation a hedge's word names ("2nd", "two", "ii", "gen 2", "2020"): its digit, word or year.
_GENERATION_NUMBER: dict[str, int] = {"first": 1, "one": 1, "i": 1, "2016": 1, "second": 2, "two": 2, "ii": 2,
                                      "2020": 2, "third": 3, "three": 3, "iii": 3, "2022": 3}  # fmt: skip
_GENERATION_NUMBER.update({word: int(n) for n, words in _GENERATION_ORDINALS.items() for word in words})
_GENERATION_NUMBER.update({"первый": 1, "первым": 1, "первая": 1, "второй": 2, "вторым": 2, "вторая": 2,
                           "третий": 3, "третьим": 3, "третья": 3})  # fmt: skip
_SE_UNSURE = re.compile(
    r"\b(?:not sure|unsure|dont know|no idea|cant remember|not certain)\b[^.!?]{0,20}"
    r"\bwhich (?:one|se|generation|gen|model|version|i have|it is|its)\b"
)


def _bounded(text: str, start: int, end: int | None) -> bool:
    """A name's edges: no letter, digit or underscore touches it, nor a decimal point of a number ("16.1")."""
    before_ok = start == 0 or not (
        text[start - 1] == "_" or (text[start - 1] in ".," and start >= 2 and text[start - 2].isdigit())
    )
    if end is None or not before_ok:
        return before_ok
    return not (text[end : end + 1] == "_" or (text[end : end + 1] in (".", ",") and text[end + 1 : end + 2].isdigit()))


@dataclass(frozen=True, slots=True)
class ModelMention:
    """What the text says about the model: one model, a set of candidates, or nothing."""

    model_id: str | None
    candidates: tuple[str, ...]
    phrase: str
    how: str
    other_device: bool = False  # the trouble is another device's ("el Samsung se quedó en bootloop"): no iPhone steps


NO_MODEL = ModelMention(None, (), "", "none")


@dataclass(frozen=True, slots=True)
class _Found:
    targets: tuple[str, ...]
    strength: int
    start: int
    end: int
    phrase: str
    context_start: int = -1  # where the words before it are read ("its an iphone 6s or 7": both from "its an")
    bonus: float = 0.0  # added to its score: a device line ("iPhone 11, iOS 15") counts as much as a problem
    referred: bool = False  # a later short reference ("the pro is stuck", "el 7 no enciende")

    @property
    def before_at(self) -> int:
        return self.start if self.context_start < 0 else self.context_start


class ModelReader:
    """Compiled model vocabulary for one knowledge base. Immutable; safe to share."""

    def __init__(self, knowledge: Knowledge, normalise: Callable[[str], str]) -> None:
        models = knowledge.models.models
        self.family = {m.id: m.family or f"unverified:{m.id}" for m in models}
        self.order = {m.id: i for i, m in enumerate(models)}
        self.identifiers = {ident.lower(): m.id for m in models for ident in m.identifiers}
        phrases: dict[str, tuple[tuple[str, ...], int]] = {}

        def add(phrase: str, targets: tuple[str, ...]) -> None:
            key = normalise(phrase).strip()
            if not key:
                return
            strength = _NAMED if key.startswith("iphone") or not _TIME_LIKE.fullmatch(key) else _CONTEXTUAL
            phrases.setdefault(key, (targets, strength))
            if not key.startswith("iphone"):
                phrases.setdefault(f"iphone {key}", (targets, _NAMED))

        for model in models:
            for alias in (model.name.replace("(", " ").replace(")", " "), *model.aliases):
                add(alias, (model.id,))
        for group in knowledge.models.ambiguous:
            for phrase in group.phrases:
                add(phrase, tuple(group.candidates))
        self.phrases = phrases
        by_head: dict[str, list[str]] = {}
        for key in phrases:
            head = _ASCII_RUN.match(key)
            if head is not None:  # every name starts with a Latin letter or digit once normalised
                by_head.setdefault(head.group(0), []).append(key)
        self.by_head = {head: tuple(sorted(keys, key=len, reverse=True)) for head, keys in by_head.items()}
        self._head_regex: dict[str, re.Pattern[str]] = {}  # compiled on first use (start-up stays fast)
        numbers = {
            normalise(m.name).removeprefix("iphone ").strip(): m.id
            for m in models
            if re.fullmatch(r"iPhone \d{1,2}", m.name)
        }
        self.numbers = numbers
        self.x_id = next((m.id for m in models if m.name == "iPhone X"), None)
        self.se_ids = next((tuple(g.candidates) for g in knowledge.models.ambiguous), ())
        self.generation_hints = {m.id: self._generation_hint(m) for m in models if m.id in self.se_ids}
        self.se_by_generation = {
            int(ordinal.group(1)): m.id
            for m in models
            if m.id in self.se_ids and (ordinal := re.search(r"\((\d)(?:st|nd|rd|th) generation\)", m.name.casefold()))
        }

    # --- reading -------------------------------------------------------------------------------------------

    def read(self, text: str) -> ModelMention:
        """The model a normalised message is about: a model, candidates to ask about, or nothing."""
        found = self._mentions(text)
        if not found or all(_spare(text, f) for f in found):
            # "i have a spare 6 in the drawer and my main phone froze": a spare named alone is not the phone asked
            # about; it only makes the bot ask beside another phone ("my iphone 14 won't boot and the 7 spare too")
            return NO_MODEL
        if len({f.targets for f in found}) > 1:
            found = [self._generation_settled(text, f) for f in found]
        top_tier = self._top_tier(text, found)
        mention = self._weighed(text, found, top_tier)
        answered = mention.model_id
        if answered is None:
            return mention
        if answered not in {t for f in top_tier for t in f.targets}:
            compared = self._compared_sharing(text, found, answered)
            if compared is None:
                return mention
            targets = tuple(sorted({answered, *compared.targets}, key=self.order.__getitem__))
            return ModelMention(None, targets, f"{mention.phrase} / {compared.phrase}", "a phone compared in trouble")
        top_score = max(self._score(text, f) for f in top_tier)
        if self._another_device_in_trouble(text, found, top_score):
            # "tengo un iPhone 13 y un Samsung A54, el Samsung se quedó en bootloop": the iPhone is named in passing
            return ModelMention(None, (), mention.phrase, "another device in trouble", other_device=True)
        outweighing = self._outweighing_bare(text, found, top_tier, answered, top_score) or self._earlier_sharing(
            text, found, answered
        )
        if outweighing is None:
            return mention
        # "my 7 is stuck, but my iphone 12 works": the name may not be the phone with the problem, and the bare
        # number may not be a phone at all; the families differ, so the bot asks.
        targets = tuple(sorted({answered, *outweighing.targets}, key=self.order.__getitem__))
        return ModelMention(None, targets, f"{mention.phrase} / {outweighing.phrase}", "a bare name in trouble")

    def _top_tier(self, text: str, found: list[_Found]) -> list[_Found]:
        """The mentions weighed first: the strongest tier, with bare references to the phones it names."""
        tiers = [self._tier(text, f) for f in found]
        strongest = max(tiers)
        # Bare aliases and bare numbers are one tier: "my old 6s is fine, my new 12 won't start".
        top_tier = [f for f, tier in zip(found, tiers, strict=True) if tier == max(strongest, _CONTEXTUAL)]
        # A bare reference to a phone already named counts with its name ("an iphone 12 and a 7, my 7 is frozen"),
        # and so does an alias said twice ("my iphone x and my sons 6s ... the 6s is stuck").
        named = {f.targets for f in top_tier}
        said_twice = {t for t, n in Counter(f.targets for f in found).items() if n > 1}
        return [f for f in found if f in top_tier or f.targets in named | said_twice]

    def _weighed(self, text: str, found: list[_Found], top_tier: list[_Found]) -> ModelMention:
        """The story's phone among the mentions: the top tier's unless every name there is set aside."""
        mentioned = found
        # Unless every name is said not to be the phone ("restored my 11 pro backup" onto "the 16").
        # Trouble in the same clause does not save a name the writer left or compared with: "upgraded from an
        # iphone 7 last week and the 15 is already stuck" is about the 15 (but "my old iphone 7 is stuck" keeps it).
        if len(top_tier) == len(found) or any(
            self._score(text, f) >= 0 and not self._left_behind(text, f) for f in top_tier
        ):
            found = top_tier
        definite = {f.targets[0] for f in found if len(f.targets) == 1}
        # "my se ... the 2020 one": an ambiguous name settled by a definite one elsewhere is dropped.
        found = [f for f in found if len(f.targets) == 1 or not definite & set(f.targets)]
        if len({f.targets for f in found}) > 1:
            lines = self._device_lines(text, found)
            if lines and len({self.family.get(t) for f in found for t in f.targets}) == 1:
                # One family: the device line names the exact model.
                return ModelMention(lines[0].targets[0], (), lines[0].phrase, "device line among one family")
            # Across families it weighs as much as the story's problem: a conflict between them is asked.
            found = [replace(f, bonus=_DEVICE_LINE_BONUS) if f in lines else f for f in found]
            found += self._back_references(text, found)
        best = self._about(text, found)
        unsaid: list[_Found] = []
        if _WHICH_UNSAID.search(text):
            unsaid = self._left_open(text, mentioned)
            best = unsaid or best
        elif len(best) == 1:
            best = self._list_unpicked(text, found + mentioned) or best
        how = _STRENGTH_NAME[best[0].strength]
        if len(best) == 1 and len(best[0].targets) == 1:
            hedge = self._hedge(text, best[0]) if best[0].targets[0] in self.se_ids else ()
            if hedge:
                return ModelMention(None, hedge, best[0].phrase, f"{how}, hedged between SE generations")
            return ModelMention(best[0].targets[0], (), best[0].phrase, how)
        if len(best) == 1:
            return self._settle_se(text, best[0])
        targets = tuple(sorted({t for f in best for t in f.targets}, key=self.order.__getitem__))
        families = {self.family[t] for t in targets}
        either = self._either(found, best)
        if unsaid:
            # "one of them won't boot", "no sé cuál": the writer does not know which phone it is; asked even within
            # one family (the answer's model details would be a guess).
            return ModelMention(None, targets, " / ".join(f.phrase for f in best), "which of several not said")
        if len(either) > 1:
            # "either an iphone x or an iphone xs", "iphone 8 or 8 plus": the writer does not know which; asked
            # even within one family (the answer's model details would be a guess).
            return ModelMention(None, either, " / ".join(f.phrase for f in best), "one model or another named")
        if len(families) == 1 and not set(targets) & set(self.se_ids):
            # The one named most often ("I can't get a 4S yet ... updated my iPhone 4 ... the iPhone 4"), then first.
            times = {t: sum(f.targets == t for f in found) for t in {f.targets for f in best}}
            first = min(best, key=lambda f: (-times[f.targets], f.start))
            return ModelMention(first.targets[0], (), first.phrase, f"{how}, one family among several named")
        return ModelMention(None, targets, " / ".join(f.phrase for f in best), "several models named")

    def _generation_settled(self, text: str, mention: _Found) -> _Found:
        """An ambiguous SE among other phones, settled by its generation words when they name one generation and no
        hedge leaves it open ("an iphone 6s and an iphone se of the first generation")."""
        if len(mention.targets) < 2 or not set(mention.targets) <= set(self.se_ids):
            return mention
        settled = self._settle_se(text, mention)
        return replace(mention, targets=(settled.model_id,)) if settled.model_id else mention

    @staticmethod
    def _tier(text: str, mention: _Found) -> int:
        """The tier a mention is weighed in: a bare number the writer says is theirs ("my wife has an iphone 7 and
        i have a 12") counts with the names, the others as bare aliases."""
        if mention.strength == _NUMBER:
            before = text[max(0, mention.start - _CONTEXT_CHARS) : mention.start]
            if _BEFORE_OWNED.search(_CLAUSE_BREAK.split(before)[-1]):
                return _NAMED
        return max(mention.strength, _CONTEXTUAL)

    def _outweighing_bare(
        self, text: str, found: list[_Found], top_tier: list[_Found], answered: str, top_score: float
    ) -> _Found | None:
        """A lower-tier mention of another button family than the phone ``answered`` that the story weighs above
        every name (``top_score``): it says the trouble ("my 7 is stuck") while the names are fine or merely
        mentioned."""
        top_targets = {t for f in top_tier for t in f.targets}
        candidates = [
            f
            for f in found
            if _UNOWNED_STATE.match(text, f.end)
            or _trouble_follows(text, f.end)
            # "mon iphone 14 est bloqué et mon 6s aussi" (not a list of what one has: "an iphone 14 and a 6s too")
            or (_ALSO_NEXT.match(text, f.end) and not _ARTICLE_BEFORE.search(text, max(0, f.start - 8), f.start))
            or _ALSO_BEFORE.search(text, max(0, f.start - 30), f.start)
            or self._joined_with_a_name(text, f, top_tier)
            # "my daughter dropped the 6 she has in the sink and now it's dead": the phone handled is in trouble
            or _handled(text, f)
        ] + self._doubtful_numbers(text, found)
        names_in_trouble = any(
            _TROUBLE.search(said) and not _FINE.search(said)
            for said in (self._said_after(text, f, found) for f in top_tier)
        )
        for mention in candidates:
            # Skipped: a mention that may be a named phone ("iPhone14,6 (iPhone SE 3rd Gen)"), or of its family. A
            # phone of the top tier counts only when it shares the trouble ("my 12 is dead, my 7 is too, the 7 is
            # old": the 7 is said twice, so it is weighed with the names, and the 12 scored higher).
            shares = _ALSO_NEXT.match(self._said_after(text, mention, found))
            if (set(mention.targets) & top_targets and not shares) or {self.family.get(t) for t in mention.targets} == {
                self.family.get(answered)
            }:
                continue
            if _FORMER_AFTER.match(text, mention.end):
                continue  # "the 7 plus i had before had the same issue": the writer's former phone
            said = self._said_after(text, mention, found)
            if names_in_trouble and self._joined_with_a_name(text, mention, top_tier):
                return mention  # "my 6 haha and the iphone 13 both wont turn on": which one is asked
            also = _ALSO_NEXT.match(said)
            late_also = _ALSO_LATER.search(said) if _TROUBLE.search(said) and not _NOT_SAID.search(said) else None
            if also or late_also or _ALSO_BEFORE.search(text, max(0, mention.start - 30), mention.start):
                sentence = _sentence_after(text, mention.end)
                rest = also.end() if also else 0
                if _fine_or_over(sentence):
                    continue  # "my 7 also had this once": the trouble shared is history
                if _ALSO_ABOUT_ELSE.match(sentence, rest) or _PUT_AWAY.search(sentence, rest):
                    continue  # "and my 7 also came in the mail today", "my 7 also, from 2017, is in a drawer"
                if names_in_trouble:
                    return mention  # both phones in trouble now: which one to start with is asked
            if (
                _handled(text, mention)
                and _TROUBLE.search(_sentence_after(text, mention.end))
                and not _FINE.search(said)
            ):
                return mention  # "dropped the 6 she has in the sink and now it's dead": the phone handled broke
            if not _TROUBLE.search(said) and not _ELIDED_TROUBLE.fullmatch(said):
                continue
            # Weighed above the names, or said in trouble while every name is said fine in the same clause ("the 7
            # plus won't boot and my iphone 11 is fine": one clause scores both alike).
            if self._score(text, mention) > top_score or (
                not _FINE.search(said) and all(_FINE.search(self._said_after(text, f, found)) for f in top_tier)
            ):
                return mention
        return None

    def _earlier_sharing(self, text: str, found: list[_Found], answered: str) -> _Found | None:
        """A phone of another family named before the ``answered`` one, when "also" says both are in trouble now:
        "my 7 lol. my 12 is also stuck" (not "my 7 had this once, now my 12 is also stuck")."""
        for mention in found:
            also = _ALSO_NEXT.match(text, mention.end) if mention.targets == (answered,) else None
            if also is None or not _trouble_follows(text, also.end()):
                continue  # (not "an iphone 12 and a 7 too, the 7 is stuck")
            if _fine_or_over(_sentence_after(text, also.end())):
                continue
            for earlier in found:
                if earlier.end > mention.start or {self.family.get(t) for t in earlier.targets} == {
                    self.family.get(answered)
                }:
                    continue
                said = self._said_after(text, earlier, found)
                if _FORMER_AFTER.match(text, earlier.end) or self._left_behind(text, earlier):
                    continue  # "the 7 i had", "upgraded from a 7"
                if not (_FINE.search(said) or _PAST_OR_OVER.search(said) or _PUT_AWAY.search(said)):
                    return earlier
        return None

    def _compared_sharing(self, text: str, found: list[_Found], answered: str) -> _Found | None:
        """A phone of another family the trouble is compared with, "also" or "too" saying both have it: "the 7 my
        son has also hangs on the logo, like my iphone 12" (not "do it like on my 12")."""
        for mention in found:
            if {self.family.get(t) for t in mention.targets} == {self.family.get(answered)}:
                continue
            clause = _CLAUSE_SENTENCE.split(text[max(0, mention.start - _CONTEXT_CHARS) : mention.start])[-1]
            if _LIKE_AFTER_ALSO.search(clause) and not _COMPARED_NOT_NOW.match(text, mention.end):
                return mention
        return None

    @staticmethod
    def _joined_with_a_name(text: str, mention: _Found, top_tier: list[_Found]) -> bool:
        """A bare mention joined by "and" to a name that both share a trouble: "my 6 haha and the iphone 13 both wont
        turn on", "my 7 lol and my iphone 12 are stuck"."""
        return any(
            _JOINED_BEFORE.fullmatch(text, mention.end, name.start) and _BOTH_AFTER.match(text, name.end)
            for name in top_tier
            if name.start > mention.end
        )

    def _another_device_in_trouble(self, text: str, found: list[_Found], top_score: float) -> bool:
        """Another device (an Android phone, an iPad) said in trouble right after it, and weighed above every
        named iPhone (``top_score``)."""
        for match in ANOTHER_DEVICE.finditer(text):
            device = _Found((), _NUMBER, match.start(), match.end(), match.group(0))
            if _TROUBLE.search(self._said_after(text, device, found)) and self._score(text, device) > top_score:
                return True
        return False

    def _doubtful_numbers(self, text: str, found: list[_Found]) -> list[_Found]:
        """iPhone numbers that are doubts only, never read as the model: after "my" in another language, with no
        owner at the start of a clause, or after an owner and sharing another phone's trouble ("and my 7 too")."""
        doubts = self._foreign_owned(text, found)
        unowned = [m for m in _UNOWNED_NUMBER.finditer(text) if self._said_in_a_state(text, m)]
        for match in (*unowned, *_OWNED_ALSO.finditer(text), *_ALSO_OWNED_BEFORE.finditer(text)):
            # (a doubt may be the X said "10": "iphone 6 is fine, but 10 is stuck")
            model_id = self.numbers.get(match.group(1)) or (self.x_id if match.group(1) == "10" else None)
            if model_id and not any(f.start <= match.start(1) < f.end for f in found + doubts):
                doubts.append(_Found((model_id,), _NUMBER, match.start(1), match.end(1), match.group(1)))
        return doubts

    @staticmethod
    def _said_in_a_state(text: str, number: re.Match[str]) -> bool:
        """An unowned number said in a state right after it, in English or with another language's trouble ("7 no
        enciende", "7 è bloccato"), and not an iOS version in a list ("on ios 14, 15 wont install")."""
        if _VERSION_BEFORE.search(text, max(0, number.start(1) - 16), number.start(1)):
            return False
        return bool(_UNOWNED_STATE.match(text, number.end(1))) or _trouble_follows(text, number.end(1))

    def _foreign_owned(self, text: str, found: list[_Found]) -> list[_Found]:
        """Numbers after "my" in another language that are iPhone numbers, in some state right after them."""
        doubts = []
        for match in _FOREIGN_OWNED_NUMBER.finditer(text):
            model_id = self.numbers.get(match.group(1))
            if not model_id or any(f.start <= match.start(1) < f.end for f in found):
                continue
            # said in some state right after it ("mon 14 est bloqué"; not "mi 7 intento", "mein 7 Versuch")
            after = match.end(1)
            if _BACK_REFERENCE_NEXT.match(text, after) or (
                text[after : after + 1] == " " and _TROUBLE.match(text, after + 1)
            ):
                doubts.append(_Found((model_id,), _NUMBER, match.start(1), match.end(1), match.group(0)))
        return doubts

    @staticmethod
    def _said_after(text: str, mention: _Found, found: list[_Found]) -> str:
        """What the clause says after a mention, up to the next mention ("my 7 is in the drawer" says no trouble of
        the 7, whatever "my iphone 13 is stuck" said before it)."""
        end = min((f.start for f in found if f.start >= mention.end), default=mention.end + _CONTEXT_CHARS)
        return _CLAUSE_BREAK.split(text[mention.end : min(end, mention.end + _CONTEXT_CHARS)], maxsplit=1)[0]

    def _left_open(self, text: str, mentioned: list[_Found]) -> list[_Found]:
        """When the writer does not say which phone has the problem ("one of them won't turn on"): the mention of
        every phone named in any tier, save those said to be old, fine or another one (none when one is left)."""
        best_per_model: dict[tuple[str, ...], tuple[float, _Found]] = {}
        for mention in mentioned:
            score = self._score(text, mention)
            kept = best_per_model.get(mention.targets)
            if kept is None or score > kept[0]:
                best_per_model[mention.targets] = (score, mention)
        kept_open = [m for score, m in best_per_model.values() if score > -1]
        return sorted(kept_open, key=lambda m: m.start) if len(kept_open) > 1 else []

    def _list_unpicked(self, text: str, mentioned: list[_Found]) -> list[_Found]:
        """Phones of different families joined as a list when nothing says which has the problem ("i have an
        iphone 12 and a 7, it won't turn on"): each of them not said to be old, fine or another one. None when
        another mention, "mine", "the new one" or a trouble word right after the last phone picks one."""
        by_start: dict[int, _Found] = {}
        for mention in sorted(mentioned, key=lambda m: m.start):
            by_start.setdefault(mention.start, mention)
        ordered = list(by_start.values())
        chain = ordered[:1]
        for mention in ordered[1:]:
            if not _LIST_JOINT.fullmatch(text, chain[-1].end, mention.start):
                break
            chain.append(mention)
        if len(chain) < 2 or len(chain) < len(ordered) or _LIST_PICKED.search(text):
            return []
        tail = _LIST_TAIL_BREAK.split(text[chain[-1].end :], maxsplit=1)[0]
        if _TROUBLE.search(tail) and _RELATIVE.match(tail):
            return [chain[-1]]  # "an iphone 12 and a 7 that won't turn on": the 7
        kept = self._left_open(text, chain)
        if len({self.family.get(t) for m in kept for t in m.targets}) < 2:
            return []
        return kept

    def _either(self, found: list[_Found], best: list[_Found]) -> tuple[str, ...]:
        """The models of ``best`` that were named as alternatives ("A or B", read by ``_alternative``); none when a
        later short reference says which ("iPhone 8 Plus or iPhone X: which buttons? I have the X")."""
        starts = {f.start: f.targets for f in found}
        joined: set[tuple[str, ...]] = set()
        for mention in found:
            first = starts.get(mention.context_start) if mention.context_start >= 0 else None
            if first is not None and first != mention.targets:
                joined |= {first, mention.targets}
        if any(f.referred and f.targets in joined for f in found):
            return ()
        kept = {t for f in best if f.targets in joined and len(f.targets) == 1 for t in f.targets}
        return tuple(sorted(kept, key=self.order.__getitem__))

    def _mentions(self, text: str) -> list[_Found]:
        found: list[_Found] = []
        for match in _IDENTIFIER.finditer(text):
            model_id = self.identifiers.get(f"iphone{match.group(1)},{match.group(2)}")
            if model_id:
                found.append(_Found((model_id,), _IDENTIFIED, match.start(), match.end(), match.group(0)))
            if len(found) >= _MAX_MENTIONS:
                return found
        for match in self._phrases(text):
            if any(f.start <= match.start() < f.end for f in found):
                continue  # inside an identifier
            mention = self._named(text, match)
            if mention is not None:
                found.append(mention)
                # A list or alternatives goes on: "an iphone 12 mini and an 8 plus and a 7".
                alternative = self._alternative(text, mention) or self._listed(text, mention)
                while alternative is not None and len(found) < _MAX_MENTIONS:
                    found.append(alternative)
                    alternative = self._alternative(text, alternative) or self._listed(text, alternative)
            if len(found) >= _MAX_MENTIONS:
                return found
        if "se" in text and not text.isascii():
            found += self._se_by_cjk(text, found)
        if "se" in text:
            found += self._own_se(text, found)
        found += list(self._the_one_is(text, found))[: max(0, _MAX_MENTIONS - len(found))]
        found += list(self._introduced(text, found))[: max(0, _MAX_MENTIONS - len(found))]
        if _WHICH_UNSAID.search(text):  # "two iphones, 7 and 12 pro, one of them won't charge": asked between both
            found += list(self._listed_before(text, found))[: max(0, _MAX_MENTIONS - len(found))]
        if not (_PHONE_HELP.search(text) or _TROUBLE.search(text)):
            return found
        runs = _ASCII_RUN.finditer(text)
        previous = next(runs, None)
        for run in runs:
            owner, number = previous, run
            previous = run
            if not self._may_be_number(number.group(0)):
                continue  # most words; checked first because this loop sees every word of the message
            if owner is None or text[owner.end() : number.start()] != " " or not _bounded(text, owner.start(), None):
                continue
            mention = self._bare_number(text, owner, number)
            if mention is not None:
                found.append(mention)
                if len(found) >= _MAX_MENTIONS:
                    break
        return found or self._opening_number(text) or self._owned_in_trouble(text)

    def _owned_in_trouble(self, text: str) -> list[_Found]:
        """A number after "my" in another language with the trouble right after it ("mijn 13 blijft hangen", "mon 14
        est bloqué"), when nothing else names a phone; a doubt only when something does (``_foreign_owned``), and
        never Spanish "mi", which is also Xiaomi's "Mi 7"."""
        if _ITS_ANOTHER_DEVICE.search(text):
            return []  # "mon 11 est bloqué mais c'est un xiaomi"
        for match in _FOREIGN_OWNED_NUMBER.finditer(text):
            clause = _CLAUSE_BREAK.split(text[match.end(1) : match.end(1) + _CONTEXT_CHARS], maxsplit=1)[0]
            if match.group(0).startswith("mi ") or ANOTHER_DEVICE.search(clause):
                continue  # Spanish "mi 7 no enciende" may be a Xiaomi Mi 7; "mein 12 samsung hängt" another device
            model_id = self.numbers.get(match.group(1))
            if model_id and _trouble_follows(text, match.end(1)):
                return [_Found((model_id,), _NUMBER, match.start(1), match.end(1), match.group(0))]
        return []

    def _opening_number(self, text: str) -> list[_Found]:
        """A message that opens with a bare number or "x" before a phone's trouble ("11 wont charge past 80%", "X
        dead. no logo"), when nothing else names a phone."""
        opening = _OPENING_NUMBER.match(text)
        trouble = _X_NEXT.match(text, opening.end()) if opening else None
        if opening is None or trouble is None:
            return []
        if trouble.group(0).split()[-1] in _TROUBLE_ADJECTIVE and not _OPENING_TROUBLE_END.match(text, trouble.end()):
            return []  # not "6 dead pixels", "8 frozen apps", "4 stuck keys"
        word = opening.group(1)
        model_id = self.x_id if word == "x" else self.numbers.get(word)
        return [_Found((model_id,), _NUMBER, opening.start(1), opening.end(), word)] if model_id else []

    def _may_be_number(self, word: str) -> bool:
        """Whether ``word`` could be what ``_bare_number`` reads: a known number, "x", or a number with "er"."""
        return word in self.numbers or word == "x" or word[:1].isdigit()

    def _bare_number(self, text: str, owner: re.Match[str], number: re.Match[str]) -> _Found | None:
        """A bare number after a possessive or article ("my 8 won't turn on", "chucked my 15 across the room"),
        "my x" before a phone's trouble, or German "mein 14er"."""
        word, owned = number.group(0), owner.group(0)
        if not _bounded(text, number.start(), number.end()):
            return None
        handled = owned in _NUMBER_OWNERS and _HANDLED_BEFORE.search(text, max(0, owner.start() - 24), owner.start())
        model_id = self.numbers.get(word)
        if model_id is None and word == "10" and owned in _TEN_OWNERS:
            model_id = self.x_id  # "my 10 keeps restarting": the X said "ten" (not "the 10": often iOS 10)
        if model_id is None and word == "x":
            model_id = self.x_id
            if model_id is None or owned not in _NUMBER_OWNERS or not (handled or _X_NEXT.match(text, number.end())):
                return None
            return _Found((model_id,), _NUMBER, number.start(), number.end(), text[owner.start() : number.end()])
        if model_id is None:
            german = _GERMAN_ER.fullmatch(word)
            model_id = self.numbers.get(german.group(1)) if german else None
            if german is None or model_id is None or owned not in _GERMAN_OWNERS | _NUMBER_OWNERS:
                return None
            suffix = _ER_SUFFIX.match(text, number.end())
            named = self.phrases.get(f"iphone {german.group(1)} {suffix.group(1)}") if suffix else None
            end = suffix.end() if suffix and named else number.end()
            targets = named[0] if named else (model_id,)
            return _Found(targets, _NUMBER, number.start(), end, text[owner.start() : end])
        clause = _OWNER_CLAUSE.match(text, number.end())
        end = clause.end() if clause else number.end()
        if owned not in _NUMBER_OWNERS or not (
            _NUMBER_NEXT.match(text, end) or (handled and _HANDLED_NEXT.match(text, end))
        ):
            return None
        return _Found((model_id,), _NUMBER, number.start(), end, text[owner.start() : end])

    def _names_starting(self, head: str) -> re.Pattern[str] | None:
        """The names whose first word is ``head``, longest first, as one regex."""
        regex = self._head_regex.get(head)
        if regex is None:
            keys = self.by_head.get(head)
            if keys is None:
                return None
            regex = re.compile("(?:" + "|".join(re.escape(k) for k in keys) + ")" + _BOUND_AFTER)
            self._head_regex[head] = regex
        return regex

    def _phrases(self, text: str, pos: int = 0) -> Iterator[re.Match[str]]:
        """Model names in order, not overlapping, each starting where a run of Latin letters and digits does."""
        end = pos
        heads = self.by_head
        for run in _ASCII_RUN.finditer(text, pos):
            head = run.group(0)
            if head not in heads or run.start() < end or not _bounded(text, run.start(), None):
                continue  # most words start no name: the dict test first
            regex = self._names_starting(head)
            match = regex.match(text, run.start()) if regex is not None else None
            if match is not None:
                end = match.end()
                yield match

    def _alternative(self, text: str, mention: _Found) -> _Found | None:
        """The model in "iphone 7 or 8" after an explicit name, as explicit as that name."""
        if mention.strength < _NAMED:
            return None
        joint = _OR_ANOTHER.match(text, mention.end)
        if joint is None:
            return None
        return self._name_at(text, joint.end(), mention.strength, mention.start)

    def _listed(self, text: str, mention: _Found) -> _Found | None:
        """The model in "a 12 mini and an 8 plus" after an explicit name: as explicit, not an alternative."""
        if mention.strength < _NAMED:
            return None
        joint = _AND_ANOTHER.match(text, mention.end)
        if joint is None or text.startswith("iphone", joint.end()):
            return None  # "an iphone 14 and my iphone 8": a name read on its own (or not: "y mi iphone se había")
        return self._name_at(text, joint.end(), mention.strength)

    def _listed_before(self, text: str, found: list[_Found]) -> Iterator[_Found]:
        """The bare model listed just before an explicit name ("two iphones, 11 and 12 pro", "два айфона, 7 и 12
        про"): as explicit as that name, so "one of them" asks between both."""
        starts = {f.start for f in found}
        for mention in [f for f in found if f.strength >= _NAMED]:
            joint = _LISTED_BEFORE.search(text, max(0, mention.start - 30), mention.start)
            if joint is None or joint.start(1) in starts:
                continue
            listed = self._name_at(text, joint.start(1), mention.strength)
            if listed is not None and listed.end == joint.end(1):
                yield listed

    def _name_at(self, text: str, start: int, strength: int, context_start: int = -1) -> _Found | None:
        """The model named by the words at ``start`` read as if "iphone" came before them ("7 plus", "3g")."""
        words = text[start : start + 24].split(" ")[:3]
        for size in (3, 2, 1):
            phrase = "iphone " + " ".join(words[:size]).rstrip(".,!?;:")
            entry = self.phrases.get(phrase)
            if entry is not None:
                end = start + len(phrase) - len("iphone ")
                if _UNIT_AFTER.match(text, end) or not _bounded(text, start, end):
                    return None
                return _Found(entry[0], strength, start, end, phrase, context_start)
        return None

    def _se_by_cjk(self, text: str, found: list[_Found]) -> list[_Found]:
        """An "SE" written in a Chinese, Japanese or Korean sentence, that no name already covers."""
        for match in _SE_BY_CJK.finditer(text):
            if not any(f.start <= match.end() - 1 < f.end for f in found):
                return [_Found(self.se_ids, _NAMED, match.end() - 2, match.end(), "se")]
        return []

    def _own_se(self, text: str, found: list[_Found]) -> list[_Found]:
        """The SE after "my own", "mijn", "mon" ("my own se is bricked") or before its generation ("SE di seconda
        generazione") that no name covers: ambiguous, like "my se", until its generation settles it."""
        for match in (*_OWN_SE.finditer(text), *_SE_WITH_GENERATION.finditer(text)):
            start = match.start(1)
            if not any(f.start <= start < f.end for f in found) and not _REFLEXIVE_SE.match(text, start):
                return [_Found(self.se_ids, _NAMED, start, match.end(1), "se")]
        return []

    def _the_one_is(self, text: str, found: list[_Found]) -> Iterator[_Found]:
        """The phone named after "the one that won't boot is the" ("el que no prende es el 11"): read like a bare
        number and weighed as the one with the problem; only when the words between say it has trouble."""
        for match in _THE_ONE_IS.finditer(text):
            if any(f.start <= match.end() < f.end for f in found):
                continue
            mention = self._name_at(text, match.end(), _NUMBER)
            if mention is None or not (
                _NUMBER_NEXT.match(text, mention.end) or _BACK_REFERENCE_NEXT.match(text, mention.end)
            ):
                continue
            between = match.group(1)
            if (_TROUBLE.search(between) or _NEGATION.search(between)) and not _FINE.search(between):
                yield replace(mention, bonus=_THE_ONE_BONUS)

    def _introduced(self, text: str, found: list[_Found]) -> Iterator[_Found]:
        """Names after "my iphone is a" that are not names on their own ("3g"): as explicit as a name."""
        for match in _IPHONE_IS.finditer(text):
            if any(f.start <= match.end() < f.end for f in found):
                continue
            mention = self._name_at(text, match.end(), _NAMED)
            if mention is not None and not _SIZE_AFTER.match(text, mention.end):
                yield mention

    def _named(self, text: str, match: re.Match[str]) -> _Found | None:
        phrase = match.group(0)
        targets, strength = self.phrases[phrase]
        if phrase.endswith("se") and _REFLEXIVE_SE.match(text, match.end() - 2):
            return None
        if len(targets) > 1:
            # "my se 2": a definite name that starts inside an ambiguous phrase wins over it.
            inner = next(self._phrases(text, match.start() + 1), None)
            if inner and inner.start() < match.end() and len(self.phrases[inner.group(0)][0]) == 1:
                return self._named(text, inner)
        if strength == _CONTEXTUAL and self._unit_context(text, match.start(), match.end()):
            return None
        if not phrase.startswith("iphone") and _OTHER_MAKER_BEFORE.search(
            text, max(0, match.start() - 24), match.start()
        ):
            return None
        if _TIME_LIKE_ALIAS.fullmatch(phrase) and (
            _TIME_AFTER.match(text, match.end()) or _CLOCK_BEFORE.search(text, max(0, match.start() - 8), match.start())
        ):
            return None
        numbered = _NAME_AND_NUMBER.fullmatch(phrase)
        if numbered and _COUNT_AFTER_NAME.match(text, match.end()):
            # "restarted the iphone 5 times", "iphone se 2 times": the number is a count; what is left may name one
            return self._shortened(match, numbered.group(1))
        if phrase.endswith(" e") and _ROMANCE_AFTER_AND.match(text, match.end()):
            # "sul mio iphone 16 e ora non si accende": in Italian and Portuguese "e" is "and", not the 16e
            return self._shortened(match, phrase[:-2])
        return _Found(targets, strength, match.start(), match.end(), phrase)

    def _shortened(self, match: re.Match[str], shorter: str) -> _Found | None:
        """What is left of a name when its last word belongs to the sentence, if it still names a phone."""
        if shorter not in self.phrases:
            return None
        targets, strength = self.phrases[shorter]
        return _Found(targets, strength, match.start(), match.start() + len(shorter), shorter)

    @staticmethod
    def _unit_context(text: str, start: int, end: int) -> bool:
        before = text[max(0, start - 24) : start]
        return bool(_UNIT_BEFORE.search(before) or _UNIT_AFTER.match(text, end))

    # --- several phones named --------------------------------------------------------------------------

    @staticmethod
    def _device_lines(text: str, found: list[_Found]) -> list[_Found]:
        """The mentions a device line makes ("iPhone 4S, iOS 6.1.4", "Device: iPhone 6s"), when they name one
        model: written deliberately, they say exactly which phone it is."""
        lines = [
            f
            for f in found
            if len(f.targets) == 1
            and (_SPEC_AFTER.match(text, f.end) or _SPEC_BEFORE.search(text, max(0, f.start - 30), f.start))
        ]
        return lines if len({f.targets for f in lines}) == 1 else []

    def _back_references(self, text: str, found: list[_Found]) -> list[_Found]:
        """Later short references to named phones ("the pro is stuck", "the 15 won't boot"), scored like the
        names; a short form two named phones share ("12" of a 12 and a 12 Pro's "12 pro") is left alone."""
        owners: dict[str, set[tuple[str, ...]]] = {}
        referent: dict[str, _Found] = {}
        labels: set[str] = set()
        for mention in found:
            tail = mention.phrase.removeprefix("iphone ").strip()
            label = _LABEL_AFTER.match(text, mention.end)
            shorts = {tail, tail.rsplit(" ", 1)[-1]} - {"", "se"}
            if label:
                word = label.group(1) or label.group(2)
                labels.add(word)
                shorts.add(word)
            for short in shorts:
                owners.setdefault(short, set()).add(mention.targets)
                referent.setdefault(short, mention)
        extra: list[_Found] = []
        for short, targets in owners.items():
            if len(targets) > 1:
                continue
            named = referent[short]
            for match in re.finditer(_BACK_REFERENCE + re.escape(short) + _BOUND_AFTER, text):
                if any(f.start <= match.end() - len(short) < f.end for f in found):
                    continue
                if short in labels:
                    if not (_X_NEXT.match(text, match.end()) or _trouble_follows(text, match.end())):
                        continue  # "the backup" refers to the labelled phone only before its trouble
                elif not (_NUMBER_NEXT.match(text, match.end()) or _BACK_REFERENCE_NEXT.match(text, match.end())):
                    continue
                extra.append(
                    _Found(named.targets, named.strength, match.start(), match.end(), match.group(0), referred=True)
                )
                if len(extra) >= _MAX_BACK_REFERENCES:
                    return extra
        return extra

    def _about(self, text: str, found: list[_Found]) -> list[_Found]:
        """The mentions of the phone the message is about: the best-scored per model, ties kept."""
        if len({f.targets for f in found}) == 1:
            return [found[0]]
        best_per_model: dict[tuple[str, ...], tuple[float, _Found]] = {}
        for mention in found:
            score = self._score(text, mention)
            kept = best_per_model.get(mention.targets)
            if kept is None or score > kept[0]:
                best_per_model[mention.targets] = (score, mention)
        top = max(score for score, _ in best_per_model.values())
        return sorted((m for score, m in best_per_model.values() if score == top), key=lambda m: m.start)

    @staticmethod
    def _left_behind(text: str, mention: _Found) -> bool:
        """A name after "from", "than", "traded in"...: a phone compared with or given up (not "like": "so like my
        iphone 13 is stuck" is filler)."""
        before = text[max(0, mention.before_at - _CONTEXT_CHARS) : mention.before_at]
        return bool(_LEFT_BEHIND.search(_CLAUSE_BREAK.split(before)[-1]))

    @staticmethod
    def _score(text: str, mention: _Found) -> float:
        before = text[max(0, mention.before_at - _CONTEXT_CHARS) : mention.before_at]
        after = text[mention.end : mention.end + _CONTEXT_CHARS]
        near_before = _CLAUSE_BREAK.split(before)[-1]
        clause = near_before + " " + _CLAUSE_BREAK.split(after)[0]
        score = mention.bonus
        if _BEFORE_OWNED.search(near_before) and not _MINE_FINE.search(text):
            score += 1.0  # (not when the writer's own phone is said fine: "i have a 15 pro ... mine's fine")
        if _BEFORE_NEW.search(near_before):
            score += 1.5
        the_one = bool(_AFTER_THE_ONE.match(after)) and not _AFTER_THE_ONE_FINE.match(after)
        problem = bool(_BEFORE_PROBLEM.search(near_before))
        if problem:
            score += 2.0
        if _BEFORE_OLD.search(near_before) and not (the_one or problem):
            score -= 2.0  # but "the old xr is the one bootlooping" is the one
        if _BEFORE_OTHER.search(near_before) or _old_in_brackets(after):
            score -= 2.0
        elif _FROM_BEFORE.search(near_before) and _TO_AFTER.match(after):
            score -= 2.0  # "z iPhone X na iPhone 14": the phone left
        elif _USE_BEFORE.search(near_before) and _TO_AFTER_USE.match(after):
            score -= 2.0  # "should i use my 7 to help": a tool, not the phone with the problem
        if _SWITCHED_TO.search(near_before):
            score += 1.5  # the phone switched to
        if _CORRECTED_TO.search(_SENTENCE_BREAK.split(before)[-1]) and not _WORKS_AFTER.match(after):
            score += _CORRECTED_BONUS  # "my 11 won't turn on... sorry, not the 11, it's the 11 Pro"
        if _AFTER_PROCEDURE.match(after):
            score -= 1.5
        if _AFTER_SOURCE.match(after) or _AFTER_OTHER.match(after):
            score -= 2.0
        if _AFTER_NEW.match(after):
            score += 1.5
        if _AFTER_THE_ONE_FINE.match(after):
            score -= 2.0
        elif _AFTER_THE_ONE.match(after):
            score += 1.0
        if _TROUBLE.search(clause):
            score += 2.0
        if _FINE.search(clause):
            score -= 2.0
        return score

    # --- the SE generations ------------------------------------------------------------------------------

    def _generation_hint(self, model: ModelDef) -> re.Pattern[str]:
        """What names this SE generation without its name: the generation word or the model year."""
        ordinal = re.search(r"\((\d)(?:st|nd|rd|th) generation\)", model.name.casefold())
        number = ordinal.group(1) if ordinal else "0"
        word = {"1": "first", "2": "second", "3": "third"}.get(number, number)
        year = str(model.year)
        hints = [
            rf"(?:the |an? )?{re.escape(alias.removeprefix('se '))} (?:one|model|version)"
            for alias in model.aliases
            if alias.startswith("se ") and re.fullmatch(r"\d[a-z]", alias.removeprefix("se "))
        ]
        words = "|".join((word, number, *_GENERATION_ORDINALS.get(number, ())))
        suffix = {"1": "st", "2": "nd", "3": "rd"}.get(number, "th")
        ordinals = "|".join((word, f"{number}{suffix}", *(("original", "og") if number == "1" else ())))
        hints += [
            rf"(?:{number}(?:st|nd|rd|th)?|{word}) gen(?:eration)?",
            # "2ª geração", "2e génération", "2. Generation", "второго поколения", "第二代", "第2世代"
            rf"(?:第\s?)?(?:{words})(?:{_ORDINAL_SUFFIX})?\s?(?:{_GENERATION_NOUN}|gen)",
            # Right after the name, and closing its clause: "iphone se, the first one, stuck", "iphone se (the
            # original)", "se - 2nd gen." ("two iphone se, the first one died" is not a generation)
            rf"se\s?[,(:\-–—]?\s?(?:the |an? |my )?(?:{ordinals})(?: one| gen(?:eration)?| model| version| edition)?"
            r"(?=\s?(?:[,.;:!?)\n]|$))",
            rf"gen(?:eration)? ?{number}",
            rf"{year} (?:model|one|version|edition|release|se|iphone se)",
            # "se from 2020", "SE de 2020", "SE uit 2022", "SE von 2020" (not "en 2023": that is when it was bought)
            rf"(?:se|model|one|version|edition|ten|ta)(?: is)?"  # (Polish "ten z 2022", the one from 2022)
            rf"(?: from| of| de| del| da| do| du| di| uit| van| von| aus| z| из)? \(?{year}\)?",
            rf"(?:released|came out|launched|made) in {year}",
        ]
        if number == "1":  # the SE 1 alone has a 4-inch screen and a headphone jack (not "a 4 inch crack")
            hints.append(r"(?<![.,\d])4(?: |-)?(?:inch|in) (?:one|model|version|screen|display|se)")
            hints.append(r"(?<!old one )(?:with|has) (?:a |the )?headphone jack(?! adapter| dongle| converter)")
            hints.append(r"初代\s?(?:iphone\s?)?se")  # ja, zh: "初代SE", the first generation
        if number == "3":  # the SE 3 alone has 5G ("SE 5G" in the fact sheet): "my se with 5g"
            hints.append(r"(?<!which )(?<!an )se with (?:a |the )?5g")
        # "das erste von 2016", "la primera de 2016": the ordinal and the year
        hints.append(
            rf"(?:{words})(?: one| model)?(?: from| of| de| del| da| do| du| di| uit| van| von| aus| z| из)"
            rf" \(?{year}\)?"
        )
        # "二代SE", "第2世代のSE": the generation before the name
        hints.append(
            rf"(?:第\s?)?(?:{_GENERATION_ORDINALS.get(number, ('',))[-1]}|{number})\s?(?:世代|代)"
            r"\s?の?\s?(?:iphone\s?)?se"
        )
        # Chinese and Japanese glue the generation to the name: "SE二代", "SE第3世代" (no word boundary before it)
        cjk = rf"|(?<=se)\s?(?:第\s?)?(?:{_GENERATION_ORDINALS.get(number, ('',))[-1]}|{number})\s?(?:世代|代)"
        return re.compile(rf"{_BOUND_BEFORE}(?:{'|'.join(hints)}){_BOUND_AFTER}{cjk}")

    def _settle_se(self, text: str, mention: _Found) -> ModelMention:
        """An ambiguous SE: asked when hedged, settled by generation words or model-year phrasing, else asked."""
        window = text[max(0, mention.start - 80) : mention.end + 120]
        hedge = self._hedge(text, mention)
        if hedge:
            return ModelMention(None, hedge, mention.phrase, "ambiguous name, hedged")
        hits, denied = [], set()
        for candidate in mention.targets:
            for hint in self.generation_hints[candidate].finditer(window) if candidate in self.generation_hints else ():
                if _DENIED_BEFORE.search(window[max(0, hint.start() - 16) : hint.start()]):
                    denied.add(candidate)  # "my iphone se, not the first generation"
                elif candidate not in hits:
                    hits.append(candidate)
        if len(hits) == 1:
            return ModelMention(hits[0], (), mention.phrase, "ambiguous name + generation or model year")
        left = tuple(c for c in mention.targets if c not in denied)
        return ModelMention(None, left if len(left) > 1 else mention.targets, mention.phrase, "ambiguous")

    @staticmethod
    def _ordinal_hedge(text: str, mention: _Found) -> re.Match[str] | None:
        """Two generation ordinals and the word "generation" after an SE's name (its own digit may start them: "iphone
        se 1. oder 2. generation"), with no other device or denial between."""
        for hedge in _SE_ORDINAL_HEDGE.finditer(text, mention.start, mention.end + 80):
            between = text[mention.end : max(mention.end, hedge.start())]
            denied = _DENIED_BEFORE.search(text[max(0, hedge.start() - 12) : hedge.start()])
            if not (_OTHER_DEVICE_BETWEEN.search(between) or denied):
                return hedge
        return None

    def _hedge(self, text: str, mention: _Found) -> tuple[str, ...]:
        """The SE generations a hedge near the mention leaves open: the two it names ("2nd or 3rd gen"), or
        all of them ("not sure which one"); () when there is no hedge."""
        window = text[max(0, mention.start - 80) : mention.end + 120]
        hedge = self._ordinal_hedge(text, mention) or _SE_HEDGE.search(window)
        if hedge is None:
            count = _SE_HEDGE_ANY.search(text, mention.start, mention.end + 40)
            if count is not None and count.end(1) == mention.end:
                return self.se_ids  # "iphone se 1 or 2 year old": the "1" may not be the generation
            return self.se_ids if _SE_UNSURE.search(window) else ()
        named = {self.se_by_generation.get(_generation_number(word) or 0) for word in hedge.groups()}
        if None in named or len(named) < 2:
            return self.se_ids
        return tuple(c for c in self.se_ids if c in named)


def _handled(text: str, mention: _Found) -> bool:
    """A bare number after a verb that handles or breaks a phone and its owner: "dropped the 6", "threw my 7"."""
    return mention.strength == _NUMBER and bool(
        _HANDLED_OWNER_BEFORE.search(text, max(0, mention.start - 40), mention.start)
    )


def _spare(text: str, mention: _Found) -> bool:
    """A bare number said to be a spare or backup phone: "a spare 6", "the backup 7", "the 7 spare"."""
    return mention.strength == _NUMBER and (
        mention.phrase.startswith(("spare ", "backup ")) or text.startswith(" spare", mention.end)
    )


def _trouble_follows(text: str, end: int) -> bool:
    """A trouble said right after ``end``, after a copula or an adverb at most: "7 no enciende", "mon 14 est bloqué",
    "mera 14 bilkul on nahi ho raha"."""
    copula = _COPULA.match(text, end)
    return bool(copula and _TROUBLE.match(text, copula.end()))


def _generation_number(word: str) -> int | None:
    """The generation a hedge's word names: "2nd", "gen 2", "two", "ii", "2020" -> 2."""
    year = re.search(r"\d{4}", word)
    if year:
        return _GENERATION_NUMBER.get(year.group(0))
    digit = re.search(r"\d", word)
    if digit:
        return int(digit.group(0))
    return _GENERATION_NUMBER.get(word.split(" ")[0])

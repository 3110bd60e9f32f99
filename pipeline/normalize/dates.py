"""Dutch date expressions → EDTF (Extended Date/Time Format, ISO 8601-2).

What is read (case-insensitive, with or without a leading preposition):

- days: ``19 augustus 1936``, ``Zaterdag 22 Augustus 1936``,
  ``den 24sten Augustus 1936``, ``19-8-1936``, ``1936-08-19`` → ``1936-08-19``;
  numeric dates are day first as in Dutch (``18/02/1937``), month first
  only where the second number cannot be a month (``06/18/1937``), year
  first with any separator (``1938/03/15``); English and machine-translated
  order (``Jul 15, 2021``, ``12 June 1937``, ``februari 16 1893``), the year
  first (``1883, 11 september``), and two machine-translation slips read only
  in full dates: ``8 Kunnen 2021`` (``May`` as a verb) → ``2021-05-08`` and
  ``25 Juni- 2024`` → ``2024-06-25``;
- Old Style / New Style pairs: the New Style (Gregorian) day, and only where
  the two are the same day: ``24 oktober [OS 12 oktober] 1886`` →
  ``1886-10-24``, ``23 januari [4 februari] 1881`` and ``13 april (25), 1883``
  (unlabelled: the later of the two), ``november 19 jul. / 1. December 1889``
  → ``1889-12-01``;
- the night of: ``11 op 12 juni 1937`` → ``1937-06-11/1937-06-12``;
- months and years: ``maart 1934`` → ``1934-03``, ``1917`` → ``1917``;
- seasons: ``najaar van 1932`` → ``1932-23`` (21 spring, 22 summer,
  23 autumn, 24 winter);
- decades: ``jaren dertig``, ``de jaren '30``, ``dertiger jaren``,
  ``Thirties`` → ``193X``; ``jaren dertig van de 19e eeuw`` → ``183X``;
- centuries: ``twintigste eeuw``, ``20e eeuw``, ``XX ste eeuw`` → ``19XX``;
  ``18e en 19e eeuw`` → ``17XX/18XX``;
- approximations: ``circa 1936`` → ``1936~``, ``rond 15 maart 1938`` →
  ``1938-03-15~``; ``vermoedelijk 1936`` → ``1936?``;
- open intervals: ``na 1936`` → ``1936/..``, ``voor 1938`` → ``../1938``;
- ranges: ``23 tot 29 januari 1937`` → ``1937-01-23/1937-01-29``,
  ``tussen 1936 en 1938``, ``1936 en 1938``, ``1886-1934``, ``1936-38``,
  ``maart-april 1937``, ``jaren 1930 tot de vroege jaren 1950`` →
  ``193X/195X``.

``begin``, ``eind``, ``medio``, ``vroege``, ``2e helft van`` and the like
narrow a period without changing its calendar anchor, so ``begin jaren
dertig`` is ``193X``, ``begin van de 20e eeuw`` is ``19XX`` and ``eind 1937``
is ``1937``: EDTF has no "early" qualifier, and the whole period contains
the narrower one.

Never guess: without a calendar anchor (``vandaag``, ``dit jaar``, ``jaren
dertig van de vorige eeuw``, a day and month with no year and no document
year, ``24 mei van datzelfde jaar`` with no document year) the result is
None. A two-digit year (``'37``, ``Jaar van '37``) is read only with a
document year, and only where the document year's century also gives the
year nearest to it (``'37`` → ``1937`` beside 1936; ``'89`` stays None);
ordinals such as ``38e`` and Russian forms (``37-ой год``) are never read as
years. Every value is checked with the ``edtf`` package before it is
returned.
"""
from __future__ import annotations

import datetime
import re
from dataclasses import dataclass, replace
from functools import lru_cache
from typing import Iterable, Optional, Tuple

from edtf import parse_edtf

try:  # the package's own level-0 grammar: the same check, ~9x faster for plain dates
    from edtf.parser.grammar import level0Expression as _EDTF_LEVEL0
except ImportError:  # a future edtf release may move it; parse_edtf alone still works
    _EDTF_LEVEL0 = None

from ..guidelines import MONTHS as GUIDELINE_MONTHS  # noqa: E402 - the guidelines' date words, one home

# The guidelines' Dutch and English month words (their one home), extended here with
# foreign names for parsing only: a copy, so rules and validation keep the guidelines' set.
MONTHS = dict(GUIDELINE_MONTHS)
# Foreign month names (nominative and the genitive a day takes), for
# machine-translated pages and quoted sources: German, French, Italian,
# Spanish, Portuguese, Polish, Czech and Russian.
FOREIGN_MONTHS = {
    1: "januar jänner janvier gennaio enero janeiro styczeń stycznia styczen leden ledna январь января янв",
    2: "februar feber février fevrier febbraio febrero fevereiro luty lutego únor února февраль февраля фев февр",
    3: "märz maerz mars marzo março marzec marca březen března март марта мар",
    4: "avril aprile abril kwiecień kwietnia kwiecien duben dubna апрель апреля апр",
    5: "mai maggio mayo maio maj maja květen května май мая",
    6: "juin giugno junio junho czerwiec czerwca červen června июнь июня июн",
    7: "juillet luglio julio julho lipiec lipca červenec července июль июля июл",
    8: "août aout agosto sierpień sierpnia sierpien srpen srpna август августа авг",
    9: "septembre settembre septiembre setiembre setembro wrzesień września wrzesien září сентябрь сентября сент сен",
    10: "oktober octobre ottobre octubre outubro październik października pazdziernik října říjen октябрь октября окт",
    11: "novembre noviembre novembro listopad listopada listopadu ноябрь ноября нояб ноя",
    12: "dezember décembre decembre dicembre diciembre dezembro grudzień grudnia grudzien prosinec prosince декабрь декабря дек",
}
# Russian prepositional, Polish and Czech locative ("в марте", "w lutym",
# "v březnu") and Hungarian forms ("február", "februárjában", "decemberében")
MONTH_CASES = {
    1: "январе styczniu lednu január januárban januárjában",
    2: "феврале lutym únoru február februárban februárjában",
    3: "марте marcu březnu március márciusban márciusában",
    4: "апреле kwietniu dubnu április áprilisban áprilisában",
    5: "мае maju květnu május májusban májusában",
    6: "июне czerwcu červnu június júniusban júniusában",
    7: "июле lipcu červenci július júliusban júliusában",
    8: "августе sierpniu srpnu augusztus augusztusban augusztusában",
    9: "сентябре wrześniu září szeptember szeptemberben szeptemberében",
    10: "октябре październiku říjnu október októberben októberében",
    11: "ноябре listopadzie listopadu novemberben novemberében",
    12: "декабре grudniu prosinci decemberben decemberében",
}
# Latvian (locative and genitive), Romanian and Ukrainian (nominative and genitive) months
MONTH_CASES_2 = {
    1: "janvārim janvārī janvāra janvāris ianuarie січень січня січні",
    2: "februārim februārī februāra februāris februarie лютий лютого лютому",
    3: "martam martā marta marts martie березень березня березні",
    4: "aprīlim aprīlī aprīļa aprīlis aprilie квітень квітня квітні",
    5: "maijam maijā maija maijs травень травня травні",
    6: "jūnijam jūnijā jūnija jūnijs iunie червень червня червні",
    7: "jūlijam jūlijā jūlija jūlijs iulie липень липня липні",
    8: "augustam augustā augusta augusts серпень серпня серпні",
    9: "septembrim septembrī septembra septembris septembrie вересень вересня вересні",
    10: "oktobrim oktobrī oktobra oktobris octombrie жовтень жовтня жовтні",
    11: "novembrim novembrī novembra novembris noiembrie листопад листопада листопаді",
    12: "decembrī decembra decembris decembrie грудень грудня decembrim грудні",
}
# Lithuanian (nominative, genitive, accusative)
MONTH_CASES_3 = {
    1: "sausis sausio sausį", 2: "vasaris vasario vasarį", 3: "kovas kovo kovą", 4: "balandis balandžio balandį",
    5: "gegužė gegužės gegužę", 6: "birželis birželio birželį", 7: "liepa liepos liepą", 8: "rugpjūtis rugpjūčio rugpjūtį",
    9: "rugsėjis rugsėjo rugsėjį", 10: "spalis spalio spalį", 11: "lapkritis lapkričio lapkritį", 12: "gruodis gruodžio gruodį",
}
for _number, _names in MONTH_CASES_3.items():
    MONTH_CASES_2[_number] += " " + _names
for _number, _names in MONTH_CASES_2.items():
    MONTH_CASES[_number] += " " + _names
for _number, _names in MONTH_CASES.items():
    FOREIGN_MONTHS[_number] += " " + _names
for _number, _names in FOREIGN_MONTHS.items():
    for _name in _names.split():
        MONTHS.setdefault(_name, _number)
ROMAN_MONTHS = {"i": 1, "ii": 2, "iii": 3, "iv": 4, "v": 5, "vi": 6, "vii": 7, "viii": 8, "ix": 9, "x": 10, "xi": 11, "xii": 12}
SEASONS = {
    "lente": 21, "voorjaar": 21, "zomer": 22, "herfst": 23, "najaar": 23, "winter": 24,
    "spring": 21, "summer": 22, "autumn": 23, "fall": 23,
    "frühling": 21, "frühjahr": 21, "sommer": 22, "herbst": 23,
    "printemps": 21, "été": 22, "automne": 23, "hiver": 24,
    "primavera": 21, "estate": 22, "autunno": 23, "inverno": 24, "verano": 22, "otoño": 23, "invierno": 24,
    "wiosna": 21, "wiosną": 21, "lato": 22, "latem": 22, "jesień": 23, "jesienią": 23, "zima": 24, "zimą": 24,
    "våren": 21, "sommeren": 22, "sommaren": 22, "høsten": 23, "hösten": 23, "vinteren": 24, "vintern": 24,
    "pavasarī": 21, "vasarā": 22, "rudenī": 23, "ziemā": 24, "primăvara": 21, "vara": 22, "toamna": 23, "iarna": 24,
    "навесні": 21, "влітку": 22, "восени": 23, "взимку": 24,
    "весна": 21, "весной": 21, "лето": 22, "летом": 22, "осень": 23, "осенью": 23, "зима": 24, "зимой": 24,
}
ENGLISH_DECADES = {
    "twenties": 2, "thirties": 3, "forties": 4, "fifties": 5,
    "sixties": 6, "seventies": 7, "eighties": 8, "nineties": 9,
}
DECADE_WORDS = {
    "tien": 1, "twintig": 2, "dertig": 3, "veertig": 4, "vijftig": 5,
    "zestig": 6, "zeventig": 7, "tachtig": 8, "negentig": 9,
}
CENTURY_WORDS = {
    "tiende": 10, "elfde": 11, "twaalfde": 12, "dertiende": 13, "veertiende": 14,
    "vijftiende": 15, "zestiende": 16, "zeventiende": 17, "achttiende": 18,
    "negentiende": 19, "twintigste": 20, "eenentwintigste": 21,
}
WEEKDAYS = (
    "maandag|dinsdag|woensdag|donderdag|vrijdag|zaterdag|zondag"
    "|monday|tuesday|wednesday|thursday|friday|saturday|sunday"
    "|montag|dienstag|mittwoch|donnerstag|freitag|samstag|sonnabend|sonntag"
    "|lundi|mardi|mercredi|jeudi|vendredi|samedi|dimanche"
    "|lunedì|lunedi|martedì|martedi|mercoledì|mercoledi|giovedì|giovedi|venerdì|venerdi|sabato|domenica"
    "|lunes|martes|miércoles|jueves|viernes|sábado|domingo"
    "|понедельник|вторник|среда|четверг|пятница|суббота|воскресенье"
)
APPROXIMATE = r"circa|ca\.?|c\.|omstreeks|ongeveer|rond|rondom|zowat|plusminus|±|~|um|gegen|etwa|vers|environ|around|about|approximately|около|примерно"
UNCERTAIN = r"waarschijnlijk|vermoedelijk|mogelijk|wellicht|wahrscheinlich|vermutlich|probablement|probably|possibly|вероятно"
# Words that narrow a period but keep its calendar anchor ("begin van de
# 20e eeuw", "de vroege jaren 1950", "2e helft van de jaren 30"). EDTF has no
# "early" or "second half" qualifier, so the whole period is the value.
NARROWING = (
    r"(?:(?:aan|in|op|tegen|at|in|à|au|в|во)\s+)?(?:het\s+|de\s+|the\s+|la\s+|le\s+)?"
    r"(?:(?P<early>begin|vroege?|early|beginning|anfang|beginn|début|debut|начало|начале|начала|na\s+początku|początek|początkiem|počátkem|začátkem|počátku|začátku|на\s+початку|початку|a\s+principios|principios|a\s+comienzos|comienzos|all'inizio|inizio|no\s+início|início)"
    r"|(?P<late>eind|einde|laat|late|end|ende|fin|конец|конце|конца|pod\s+koniec|koniec|końcem|końca|koncem|konec|konci|при\s+кінці|наприкінці|кінці|кінця|a\s+finales|finales|a\s+fines|fines|alla\s+fine|fine|no\s+final|final)"
    r"|(?P<mid>medio|midden|half|halverwege|mid|middle|mitte|milieu|mi-|середина|середине|середины|w\s+połowie|połowa|v\s+polovině|a\s+mediados|mediados|a\s+metà|metà|em\s+meados|meados)"
    r"|(?P<first_half>(?:eerste|1e|1ste|first)\s+helft|first\s+half|erste\s+hälfte|première\s+moitié|первая\s+половина|первой\s+половине|первой\s+половины)"
    r"|(?P<second_half>(?:tweede|2e|2de|second)\s+helft|second\s+half|zweite\s+hälfte|seconde\s+moitié|deuxième\s+moitié|вторая\s+половина|второй\s+половине|второй\s+половины))"
    r"(?:\s+(?:van|of|des|der|de|du|del|di)(?:\s+(?:het|de|the|jahres|l'année|anno))?)?"
)
QUALIFIER_NAMES = {"early": "early", "late": "late", "mid": "mid", "first_half": "first half", "second_half": "second half"}
PREPOSITIONS = (
    r"in|op|van|tijdens|gedurende|per|in het jaar|het jaar|de|het|den|anno"
    r"|im jahre?|im|am|den|des jahres|in the year|on|the|en|le|au|dans|nel|il|el|w|roku|в|во|года|году"
    r"|jahren|jahre|l'année|l'an|année|dès|nell'|em|no|na|z|ze|w|we|latach|v|ve|letech|lety|roce|roku"
    r"|åren|åra|året|år|i|în|anul|року|у|no dia|dia"
)
# A leading "na 1936" or "tot 1938" opens one end of an interval.
_OPEN_END = re.compile(r"^(?:na(?!\s+pocz)|vanaf|sinds|sedert|from|after|since|nach|seit|ab|après|depuis|после|с|со|od|pēc|după|desde|з|із|від)\s+")
_OPEN_START = re.compile(r"^(?:voor|vóór|tot en met|t/m|tot aan|tot|until|before|vor|bis|avant|jusqu'en|до|do|hasta|até)\s+")

MONTH_RE = "|".join(sorted(MONTHS, key=len, reverse=True))
SEASON_RE = "|".join(SEASONS)
DAY_RE = r"(?P<day>\d{1,2})(?:ste|sten|ste\.|de|den|e|er|st|nd|rd|th|-?го|-?е)?\.?"
YEAR_RE = r"(?P<year>1\d{3}|20\d{2})"

_DAY_MONTH = re.compile(
    rf"^(?:(?:{WEEKDAYS}),?\s+)?(?:den\s+|de\s+|the\s+|le\s+|il\s+|el\s+)?{DAY_RE}\s+(?:of\s+|de\s+)?(?P<month>{MONTH_RE})\.?"
    rf"(?:,?\s+(?:de\s+|del\s+)?{YEAR_RE})?$"
)
_MONTH_YEAR = re.compile(rf"^(?P<month>{MONTH_RE})\.?(?:\s+(?:van\s+|in\s+|de\s+|del\s+|of\s+)?{YEAR_RE})?$")
# "5.XII.1936", "5-XII-1936", "5 XII 1936", "XII.1936": Roman-numeral months
_ROMAN_MONTH = re.compile(
    r"^(?:(?P<day>\d{1,2})\s*[-./]?\s*(?P<month>x{0,1}i{1,3}|i?[vx]|vi{1,3})\s*[-./]?\s*"
    r"|(?P<month2>x{0,1}i{1,3}|i?[vx]|vi{1,3})\s*[-./]\s*)(?P<year>1\d{3}|20\d{2})$"
)
# Hungarian year first: "1888. október 9.", "1938. március 2-án", "1936. februárjában"
_YEAR_MONTH_DAY = re.compile(
    rf"^{YEAR_RE}\.?\s+(?P<month>{MONTH_RE})\.?(?:\s+(?P<day>\d{{1,2}})\.?(?:-?(?:án|én|jén|ján|ától|étől|áig|éig|a|e|i))?)?$"
)
# Latvian year first: "1937. gada 23. novembrī" (after "gada" is dropped), "1936. gada rudenī"
_YEAR_DAY_MONTH = re.compile(rf"^{YEAR_RE}\.?\s+(?P<day>\d{{1,2}})\.?\s+(?P<month>{MONTH_RE})$")
_ISO_MONTH = re.compile(r"^(?P<year>1\d{3}|20\d{2})-(?P<month>0[1-9]|1[0-2])$")
_YEAR_SEASON = re.compile(rf"^{YEAR_RE}\.?\s+(?P<season>{SEASON_RE})$")
# "24 januari/6 februari 1918", "7/20 januari 1918": Old Style / New Style written with a slash
_SLASH_PAIR = re.compile(r"^(?P<old>[^/]+?)\s*/\s*(?P<new>[^/]+)$")
_NUMERIC = re.compile(r"^(?:(?:" + WEEKDAYS + r"),?\s+)?(?P<day>\d{1,2})[-/.](?P<month>\d{1,2})[-/.](?P<year>1\d{3}|20\d{2})$")
# "1936-08-19", and year-first with slashes or dots as in infoboxes: "1938/03/15"
_ISO = re.compile(r"^(?P<year>1\d{3}|20\d{2})(?P<sep>[-/.])(?P<month>\d{1,2})(?P=sep)(?P<day>\d{1,2})$")
# English and machine-translated order: "Jul 15, 2021", "februari 16 1893"
_MONTH_DAY = re.compile(rf"^(?:(?:{WEEKDAYS}),?\s+)?(?P<month>{MONTH_RE})\.?\s+(?P<day>\d{{1,2}})(?:st|nd|rd|th|ste|de|e)?\.?(?:\s+{YEAR_RE})?$")
# "8 Kunnen 2021": machine translation of "8 May 2021" (the modal verb);
# only read with a day and a four-digit year around it.
_MAY_AS_VERB = re.compile(rf"^{DAY_RE}\s+kunnen\s+{YEAR_RE}$")
# "1883, 11 september": the year first, then day and month
_YEAR_FIRST = re.compile(rf"^{YEAR_RE}\s*,\s*(?P<rest>.+)$")
# "'37", "jaar van '37": a year without its century (needs a document year)
_TWO_DIGIT_YEAR = re.compile(r"^(?:(?:het\s+)?jaar\s+(?:van\s+)?)?'(?P<yy>\d{2})$")
# "24 mei van datzelfde jaar": the year is the one the document states
_SAME_YEAR = re.compile(r"\s+(?:van\s+|in\s+)?(?:dat|datzelfde|dat\s+zelfde|hetzelfde|het\s+zelfde|diezelfde)\s+jaar$")
# Old Style / New Style pairs: "24 oktober [OS 12 oktober] 1886",
# "13 april (25), 1883", "november 19 jul. / 1. December 1889".
_BRACKET = re.compile(r"\s*[\[(]\s*(?P<alt>[^\[\]()]*?)\s*[\])]\s*")
_OS_LABEL = re.compile(r"^(?:os|o\.\s?s\.?|oude\s+stijl|old\s+style)(?:\s+|:\s*|(?=\d))")
_NS_LABEL = re.compile(r"^(?:ns|n\.\s?s\.?|nieuwe\s+stijl|new\s+style|greg\.?|gregoriaans)(?:\s+|:\s*|(?=\d))")
_JULIAN_SLASH = re.compile(r"^(?P<old>.+?)\s+(?:jul\.|juliaans)\s*/\s*(?P<new>.+?)(?:\s+(?:greg\.?|gregoriaans))?$")
# "in de nacht van 11 op 12 juni 1937": two consecutive days
_NIGHT = re.compile(r"^(?:(?:de\s+)?nacht\s+van\s+)?(?P<left>.+?)\s+op\s+(?P<right>.+)$")
_YEAR = re.compile(rf"^(?:het\s+jaar\s+)?{YEAR_RE}$")
_SEASON = re.compile(
    rf"^(?:de\s+|het\s+|the\s+|im\s+|l'|à\s+l'|en\s+|au\s+|der\s+|nell'\s*|dell'\s*|in\s+)?(?P<season>{SEASON_RE})"
    rf"(?:\s+(?:van\s+|in\s+|of\s+|de\s+|des\s+jahres\s+|del\s+|dell'\s*)?(?:het\s+jaar\s+)?{YEAR_RE}(?:\s*[/-]\s*\d{{2,4}})?)?$"
)
_CENTURY_RE = r"(?P<cn>\d{1,2})\s*(?:e|de|ste)|(?P<cw>" + "|".join(CENTURY_WORDS) + r")|(?P<cr>[ivxl]+)\s*(?:e|de|ste)?\.?"
_OF_CENTURY = rf"(?:\s+van\s+de\s+(?:{_CENTURY_RE})\s+eeuw)?"
_DECADE_WORD = re.compile(r"^(?:de\s+)?jaren\s+(?P<word>" + "|".join(DECADE_WORDS) + r")" + _OF_CENTURY + "$")
_DECADE_EN_WORD = re.compile(r"^(?:the\s+)?(?P<word>" + "|".join(ENGLISH_DECADES) + r")$")
_DECADE_ER = re.compile(r"^(?:de\s+)?(?P<word>" + "|".join(DECADE_WORDS) + r")er\s+jaren$")
_DECADE_NUM = re.compile(r"^(?:de\s+)?jaren\s+(?:'|’)?(?P<century>1[0-9]|20)?(?P<decade>\d)0$")
FOREIGN_DECADE_WORDS = {
    "zwanziger": 2, "dreißiger": 3, "dreissiger": 3, "vierziger": 4, "fünfziger": 5,
    "vingt": 2, "trente": 3, "quarante": 4, "cinquante": 5,
    "venti": 2, "trenta": 3, "quaranta": 4, "cinquanta": 5,
    "veinte": 2, "treinta": 3, "cuarenta": 4, "cincuenta": 5, "vinte": 2, "trinta": 3, "quarenta": 4,
    "dwudzieste": 2, "trzydzieste": 3, "czterdzieste": 4,
}
# "1930er Jahre", "die dreißiger Jahre", "les années 1930", "années trente",
# "anni Trenta", "1930-е годы", "30-е годы", "lata trzydzieste"
_DECADE_FOREIGN = re.compile(
    r"^(?:den\s+|der\s+|die\s+|les\s+|gli\s+|los\s+|las\s+|os\s+)?(?:"
    r"(?P<c1>1[0-9]|20)(?P<d1>\d)0(?:er(?:\s+jahren?)?|-?[еxх](?:\s+(?:годы|годов|годах|гг\.?))?)"
    r"|(?P<d2>\d)0-?[еxх]\s+(?:годы|годов|годах|гг\.?)"
    r"|(?P<w1>" + "|".join(FOREIGN_DECADE_WORDS) + r")(?:\s+jahren?)?"
    r"|(?:années|anni|años|anos|lata|(?:la\s+)?d[ée]cada\s+de(?:\s+los)?)\s+(?:(?P<c3>1[0-9]|20)(?P<d3>\d)0|'(?P<d4>\d)0|(?P<w2>" + "|".join(FOREIGN_DECADE_WORDS) + r"))"
    r")$"
)
_DECADE_EN = re.compile(r"^(?:the\s+)?(?P<century>1[0-9]|20)(?P<decade>\d)0(?:'|’)?s$")
# "20e eeuw", "twintigste eeuw", "XX ste eeuw", "XXe eeuw"
_CENTURY = re.compile(rf"^(?:de\s+)?(?:{_CENTURY_RE})\s+eeuw$")
_ROMAN = {"i": 1, "v": 5, "x": 10, "l": 50}
_YEAR_RANGE_SHORT = re.compile(r"^(?P<start>1\d{3}|20\d{2})\s*[-–—/]\s*(?P<end>\d{2})$")

_QUALIFIER = re.compile(rf"^(?:(?P<approx>{APPROXIMATE})|(?P<uncertain>{UNCERTAIN})|(?:{NARROWING}))\s+")
_LEADING = re.compile(rf"^(?:{PREPOSITIONS})\s+")
_RANGE_START = re.compile(r"^(?:tussen|van|vanaf|from|between|vom|von|zwischen|du|dal|del|od|с|со|entre|desde|tra|fra|mezi(?:\s+lety)?|între|nuo)\s+")
# "du 17 janvier 1935", "dal 1936": "of the", not the start of a range, when no range follows
_OF_THE = re.compile(r"^(?:du|dal|del|vom|von)\s+")
# "and" words that join the two ends only after "between" (a list elsewhere:
# "27 февраля и 27 марта" is two days, not a range)
_BETWEEN_SEPARATOR = re.compile(r"\s+(?:und|et|e|y|a|i|és|och|og|și|şi)\s+")
_BETWEEN_START = re.compile(r"^(?:tussen|between|zwischen|entre|tra|fra|mezi(?:\s+lety)?|între)\s+")
_RANGE_SEPARATORS = (
    re.compile(r"\s+(?:tot\s+en\s+met|t/m|tot|en|to|until|and|à|bis|au|al|do|по|till|til|through|līdz|până\s+la|iki|hasta|até)\s+"),
    re.compile(r"\s*[–—]\s*"),
    re.compile(r"\s*-\s*"),
)
_FOUR_DIGITS = re.compile(r"(?<!\d)(1\d{3}|20\d{2})(?!\d)")


@dataclass(frozen=True)
class _Date:
    """One parsed point or period; ``year`` None means the text gave no year."""

    year: Optional[int] = None
    month: Optional[int] = None
    day: Optional[int] = None
    season: Optional[int] = None
    masked: Optional[str] = None  # "193X", "19XX": decades and centuries
    yy: Optional[int] = None  # "'37": a year without its century

    def edtf(self) -> Optional[str]:
        if self.masked is not None:
            return self.masked
        if self.year is None:
            return None
        if self.season is not None:
            return f"{self.year:04d}-{self.season:02d}"
        if self.month is None:
            return f"{self.year:04d}"
        if self.day is None:
            return f"{self.year:04d}-{self.month:02d}"
        try:
            datetime.date(self.year, self.month, self.day)
        except ValueError:
            return None
        return f"{self.year:04d}-{self.month:02d}-{self.day:02d}"

    @property
    def only_day(self) -> bool:
        return self.day is not None and self.month is None and self.year is None and self.yy is None

    def as_date(self) -> Optional[datetime.date]:
        if self.masked is not None or self.season is not None or None in (self.year, self.month, self.day):
            return None
        try:
            return datetime.date(self.year, self.month, self.day)
        except ValueError:
            return None


def parse_dutch_date(text: str, *, doc_year: Optional[int] = None) -> Optional[str]:
    """Normalise a date expression (Dutch, and the German, French, English,
    Russian, Italian, Spanish, Portuguese and Polish ones quoted in Dutch
    texts) to a validated EDTF string.

    text (str): the date expression, e.g. "Zaterdag 22 Augustus 1936".
    doc_year (Optional[int]): the one year the document states, used for a
        day, month or season without a year; None to never supply a year.
    RETURNS (Optional[str]): the EDTF value, or None where the text has no
        calendar anchor or cannot be read.
    """
    return _parse_full(text, doc_year)[0]


def parse_date(text: str, *, doc_year: Optional[int] = None) -> Tuple[Optional[str], Optional[str]]:
    """The EDTF value of a date expression and what narrows it where EDTF
    cannot say so: ``eind 1937`` → ("1937", "late"), ``begin 1938`` →
    ("1938", "early"), ``midden jaren dertig`` → ("193X", "mid"). Halves of
    a year have an EDTF form of their own: ``eerste helft 1937`` →
    ("1937-40", None) (ISO 8601-2 semesters 40 and 41).

    text (str): the date expression.
    doc_year (Optional[int]): as for ``parse_dutch_date``.
    RETURNS (Tuple[Optional[str], Optional[str]]): (edtf, qualifier); the
        qualifier is one of "early", "mid", "late", "first half",
        "second half", or None.
    """
    return _parse_full(text, doc_year)


def _parse_cached(text: str, doc_year: Optional[int]) -> Optional[str]:
    return _parse_full(text, doc_year)[0]


@lru_cache(maxsize=16384)
def _parse_full(text: str, doc_year: Optional[int]) -> Tuple[Optional[str], Optional[str]]:
    cleaned = _clean(text)
    if not cleaned:
        return None, None
    open_end, open_start = _OPEN_END.match(cleaned), _OPEN_START.match(cleaned)
    if open_end or open_start:
        bound, qualifier = _parse_full(cleaned[(open_end or open_start).end():], doc_year)
        if bound is None or "/" in bound:
            return bound, qualifier  # "vanaf 1936 tot 1938" is a closed range
        return (f"{bound}/.." if open_end else f"../{bound}"), qualifier
    cleaned, suffix, qualifier = _strip_qualifiers_full(cleaned)
    value = _parse_range(cleaned, doc_year, suffix)
    if value is None:
        single = _parse_single(cleaned)
        if single is None and _OF_THE.match(cleaned):
            single = _parse_single(_OF_THE.sub("", cleaned, count=1))
        if single is not None and qualifier in ("first half", "second half") and _plain_year(single):
            # ISO 8601-2 semesters: 40 is the first half of a year, 41 the second
            single = replace(single, season=40 if qualifier == "first half" else 41)
            qualifier = None
        value = _render(single, doc_year, suffix) if single is not None else None
    if value is None or not is_valid_edtf(value):
        return None, None
    return value, qualifier


_parse_cached.cache_clear = lambda: _parse_full.cache_clear()  # type: ignore[attr-defined]


def _plain_year(date: "_Date") -> bool:
    return date.year is not None and date.month is None and date.season is None and date.masked is None


@lru_cache(maxsize=65536)
def is_valid_edtf(value: str) -> bool:
    """Whether a string is a valid EDTF value according to the ``edtf`` package.

    Parsing with the package takes milliseconds (pyparsing tries all three
    levels), so the answer is cached per value, and level 0 (plain dates and
    intervals) is tried on its own first.

    value (str): e.g. "1932-23".
    RETURNS (bool): True if the ``edtf`` package accepts it.
    """
    if _EDTF_LEVEL0 is not None:
        try:
            _EDTF_LEVEL0.parse_string(value, parse_all=True)
            return True
        except Exception:  # not level 0; the full grammar decides
            pass
    try:
        parse_edtf(value)
    except Exception:  # the package raises its own EDTFParseException and others
        return False
    return True


def years_in(texts: Iterable[str]) -> set:
    """The four-digit years written in date expressions (for the document year).

    texts (Iterable[str]): the texts of a document's DATE entities.
    RETURNS (set): the distinct years, as ints.
    """
    return {int(match) for text in texts for match in _FOUR_DIGITS.findall(text)}


_CLOSING = {"(": ")", "[": "]"}


def _clean(text: str) -> str:
    text = text.strip().lower()
    text = text.replace("’", "'").replace("‘", "'")
    text = re.sub(r"\s+", " ", text)
    text = _strip_ends(text)
    # "den 24sten Augustus, 1936", "22 aug. 1936" and "13 april (25), 1883"
    text = re.sub(r",\s*(?=\d{4}$)", " ", text)
    # Russian, Polish and German year words: "5 декабря 1936 г.", "1936 год",
    # "w 1936 r.", "im Jahre 1936"
    text = re.sub(r"(?<=\d{4})(?:-го|(?:-?го)?\s*(?:гг?\.?|год(?:а|у|е|ах|ов)?|r\.?|roku|rok|évben))(?=$|\s|[—–-])", "", text)
    text = re.sub(r"(?<=\d)\s*(?:гг|рр)\.?(?=$|\s)", "", text)
    text = re.sub(r"(?<=\d)\s*(?:р\.?|роках|років)(?=$|\s|[—–-])", "", text)
    text = re.sub(r"(?<=\d{4})\.?\s*(?:gada|gadā|gadu|gads|року|рік|році|m\.)(?=$|\s)", "", text)
    text = re.sub(r"(?<=\d)\s+d\.?$", "", text)  # Lithuanian "24 d." (day)
    text = re.sub(r"(?<=\s)(\d{1,2})\.(?=[^\W\d_])", r"\1. ", text)
    text = re.sub(r"(?<=\d{4})-(?:ban|ben|ig|tól|től|as|es|ös|ás)\b", "", text)
    text = re.sub(r"\s+", " ", text).strip()
    text = re.sub(r"^(?:в|во)\s+(?=\S)", "", text)
    # Hungarian "1936 és 1938 között": between
    text = re.sub(r"^(.+?)\s+és\s+(.+?)\s+között$", r"between \1 and \2", text)
    # "January 23-30, 1937", "August 19-24, 1936": a span of days, month first
    text = re.sub(rf"^({MONTH_RE})\.?\s+(\d{{1,2}})\s*[-–]\s*(\d{{1,2}}),?\s+(1\d{{3}}|20\d{{2}})$", r"\2-\3 \1 \4", text)
    # "mid-1930s", "mi-1937"
    text = re.sub(r"^(mid|early|late|mi|midden|begin|eind)-(?=\d)", r"\1 ", text)
    # "de jaren 1934-1937": the years themselves
    text = re.sub(r"^(?:de\s+)?jaren\s+(?=1\d{3}\s*[-–—]\s*(?:1\d{3}|\d{2})$)", "", text)
    # "jaren tien en twintig": two decades
    text = re.sub(rf"^(?:de\s+)?jaren\s+({'|'.join(DECADE_WORDS)})\s+(en|tot)\s+(?=(?:{'|'.join(DECADE_WORDS)})$)", r"jaren \1 \2 jaren ", text)
    # "25 Juni- 2024": a stray hyphen between a day and month and the year
    text = re.sub(rf"^(\d{{1,2}}\.?\s+(?:{MONTH_RE})\.?)-\s+(?=\d{{4}}$)", r"\1 ", text)
    return text


def _strip_ends(text: str) -> str:
    """Strip quotes, punctuation and brackets from the ends, but keep the
    apostrophe of "'37" and a bracket that belongs to the date, as in
    "1883, 11 september (23)"."""
    while True:
        before = text
        text = re.sub(r"^(?:[\s\"«„]|'(?!\d{2}\b))+|[\s\"'»”,;:.!]+$", "", text)
        if text[:1] in _CLOSING:
            close = _CLOSING[text[0]]
            if text.endswith(close) and _balanced(text[1:-1]):
                text = text[1:-1]
            elif text.count(text[0]) > text.count(close):
                text = text[1:]
        if text[-1:] in (")", "]"):
            opening = "(" if text[-1] == ")" else "["
            if text.count(text[-1]) > text.count(opening):
                text = text[:-1]
        if text == before:
            return text


def _balanced(text: str) -> bool:
    depth = 0
    for char in text:
        depth += char in "(["
        depth -= char in ")]"
        if depth < 0:
            return False
    return depth == 0


def _strip_qualifiers(text: str) -> Tuple[str, str]:
    text, suffix, _ = _strip_qualifiers_full(text)
    return text, suffix


def _strip_qualifiers_full(text: str) -> Tuple[str, str, Optional[str]]:
    approx = uncertain = False
    qualifier: Optional[str] = None
    if text.endswith("?"):
        uncertain, text = True, text[:-1].rstrip()
    while True:
        before = text
        match = _QUALIFIER.match(text)
        if match:
            approx = approx or bool(match.group("approx"))
            uncertain = uncertain or bool(match.group("uncertain"))
            if qualifier is None:
                qualifier = next((QUALIFIER_NAMES[name] for name in QUALIFIER_NAMES if match.group(name)), None)
            text = text[match.end():]
        if not _RANGE_START.match(text):
            text = _LEADING.sub("", text, count=1)
        if text == before:
            break
    suffix = "%" if approx and uncertain else "~" if approx else "?" if uncertain else ""
    return text, suffix, qualifier


def _parse_single(text: str) -> Optional[_Date]:
    text = _SAME_YEAR.sub("", text)
    if "[" in text or "(" in text or "/" in text:
        dual = _parse_dual(text)
        if dual is not None or "[" in text or "(" in text:
            return dual
    match = _ISO.match(text)
    if match:
        return _Date(year=int(match["year"]), month=int(match["month"]), day=int(match["day"]))
    match = _ROMAN_MONTH.match(text)
    if match and (match["month"] or match["month2"]) in ROMAN_MONTHS:
        day = int(match["day"]) if match["day"] else None
        return _Date(year=int(match["year"]), month=ROMAN_MONTHS[match["month"] or match["month2"]], day=day)
    match = _NUMERIC.match(text)
    if match:
        day, month = int(match["day"]), int(match["month"])
        if month > 12 and day <= 12:  # "06/18/1937" can only be month first
            day, month = month, day
        return _Date(year=int(match["year"]), month=month, day=day)
    match = _DAY_MONTH.match(text)
    if match:
        year = int(match["year"]) if match["year"] else None
        return _Date(year=year, month=MONTHS[match["month"]], day=int(match["day"]))
    match = _MONTH_DAY.match(text)
    if match:
        year = int(match["year"]) if match["year"] else None
        return _Date(year=year, month=MONTHS[match["month"]], day=int(match["day"]))
    match = _MAY_AS_VERB.match(text)
    if match:
        return _Date(year=int(match["year"]), month=5, day=int(match["day"]))
    match = _YEAR_DAY_MONTH.match(text)
    if match:
        return _Date(year=int(match["year"]), month=MONTHS[match["month"]], day=int(match["day"]))
    match = _YEAR_SEASON.match(text)
    if match:
        return _Date(year=int(match["year"]), season=SEASONS[match["season"]])
    match = _YEAR_MONTH_DAY.match(text)
    if match:
        day = int(match["day"]) if match["day"] else None
        return _Date(year=int(match["year"]), month=MONTHS[match["month"]], day=day)
    match = _MONTH_YEAR.match(text)
    if match:
        year = int(match["year"]) if match["year"] else None
        return _Date(year=year, month=MONTHS[match["month"]])
    match = _YEAR.match(text)
    if match:
        return _Date(year=int(match["year"]))
    match = _ISO_MONTH.match(text)
    if match:  # "2023-07" (a range "2023-07" would run backwards)
        return _Date(year=int(match["year"]), month=int(match["month"]))
    match = _YEAR_FIRST.match(text)
    if match:
        rest = _parse_single(match["rest"])
        if rest is None or rest.year is not None or rest.month is None or rest.masked or rest.yy:
            return None
        return replace(rest, year=int(match["year"]))
    match = _TWO_DIGIT_YEAR.match(text)
    if match:
        return _Date(yy=int(match["yy"]))
    match = _SEASON.match(text)
    if match:
        year = int(match["year"]) if match["year"] else None
        return _Date(year=year, season=SEASONS[match["season"]])
    for pattern in (_DECADE_WORD, _DECADE_ER):
        match = pattern.match(text)
        if match:
            # "jaren dertig" names a decade of the 1900s in this corpus' usage,
            # unless a century is named: "jaren dertig van de 19e eeuw".
            century = _century(match) if "cn" in match.groupdict() else 20
            if century is None or not 1 <= century <= 21:
                return None
            return _Date(masked=f"{century - 1}{DECADE_WORDS[match['word']]}X")
    match = _DECADE_EN_WORD.match(text)
    if match:  # "the Thirties": the same usage as "jaren dertig"
        return _Date(masked=f"19{ENGLISH_DECADES[match['word']]}X")
    match = _DECADE_FOREIGN.match(text)
    if match:
        century = match["c1"] or match["c3"] or "19"
        word = match["w1"] or match["w2"]
        decade = FOREIGN_DECADE_WORDS[word] if word else int(match["d1"] or match["d2"] or match["d3"] or match["d4"])
        return _Date(masked=f"{century}{decade}X")
    for pattern in (_DECADE_NUM, _DECADE_EN):
        match = pattern.match(text)
        if match:
            century = match["century"] or "19"
            return _Date(masked=f"{century}{match['decade']}X")
    match = _CENTURY.match(text)
    if match:
        century = _century(match)
        return _Date(masked=f"{century - 1:02d}XX") if century and 1 <= century <= 21 else None
    if re.fullmatch(r"\d{1,2}(?:ste|sten|de|den|e|er|st|nd|rd|th)?\.?", text):
        return _Date(day=int(re.match(r"\d+", text).group()))
    return None


def _century(match: "re.Match") -> Optional[int]:
    """The century a _CENTURY_RE match names: "20e", "twintigste", "XX ste"."""
    if match["cn"]:
        return int(match["cn"])
    if match["cw"]:
        return CENTURY_WORDS[match["cw"]]
    if match["cr"]:
        return _roman(match["cr"])
    return 20  # "jaren dertig" without a century


def _roman(numeral: str) -> Optional[int]:
    """A Roman numeral up to L, in its canonical spelling only ("XX" but not "XXXXX")."""
    values = [_ROMAN[char] for char in numeral]
    total = sum(-v if i + 1 < len(values) and v < values[i + 1] else v for i, v in enumerate(values))
    canonical = ""
    rest = total
    for value, symbol in ((50, "l"), (40, "xl"), (10, "x"), (9, "ix"), (5, "v"), (4, "iv"), (1, "i")):
        while rest >= value:
            canonical, rest = canonical + symbol, rest - value
    return total if total and canonical == numeral else None


def _julian_to_gregorian(date: datetime.date) -> datetime.date:
    """The Gregorian day of a Julian (Old Style) date given as its numbers."""
    a = (14 - date.month) // 12
    y, m = date.year + 4800 - a, date.month + 12 * a - 3
    jdn = date.day + (153 * m + 2) // 5 + 365 * y + y // 4 - 32083
    return datetime.date.fromordinal(jdn - 1721425)


def _parse_dual(text: str) -> Optional[_Date]:
    """A date written in both calendars; the New Style (Gregorian) one is
    returned, and only where the two are the same day: an Old Style date in
    brackets ("24 oktober [OS 12 oktober] 1886"), a New Style day or date in
    brackets ("13 april (25), 1883", "23 januari [4 februari] 1881"), or
    "november 19 jul. / 1. December 1889"."""
    match = _JULIAN_SLASH.match(text)
    if match:
        old, new = _parse_single(match["old"]), _parse_single(match["new"])
        if old is None or new is None:
            return None
        return _pick_new_style(new, old, "os")
    match = _SLASH_PAIR.match(text)
    if match and "[" not in text and "(" not in text:
        # "24 januari/6 februari 1918", "7/20 januari 1918": the second is
        # the New Style day where the first is the same day Old Style
        old, new = _parse_single(match["old"]), _parse_single(match["new"])
        if old is None or new is None or new.as_date() is None or old.day is None:
            return None
        return _pick_new_style(new, old, "os")
    brackets = list(_BRACKET.finditer(text))
    if len(brackets) != 1:
        return None
    bracket = brackets[0]
    main = _parse_single(re.sub(r"\s+", " ", (text[: bracket.start()] + " " + text[bracket.end():]).strip()))
    alt_text, label = bracket["alt"], None
    for name, pattern in (("os", _OS_LABEL), ("ns", _NS_LABEL)):
        found = pattern.match(alt_text)
        if found:
            alt_text, label = alt_text[found.end():], name
    alt = _parse_single(alt_text) if alt_text else None
    if main is None or alt is None or main.as_date() is None:
        return None
    return _pick_new_style(main, alt, label)


def _pick_new_style(main: _Date, alt: _Date, label: Optional[str]) -> Optional[_Date]:
    """Of two readings of one day, the Gregorian; None unless exactly one
    completion of ``alt`` (month and year from ``main``, or the month or year
    next to them) is ``main`` in the other calendar. ``label`` "os" says
    ``alt`` is Old Style, "ns" that it is New Style."""
    if alt.masked or alt.season or alt.yy or alt.day is None:
        return None
    anchor = main.as_date()
    if anchor is None and main.day is not None and main.month is not None and main.year is None and alt.year:
        main, alt = alt, main  # "november 19 jul. / 1. December 1889": the year is on the other side
        label = {"os": "ns", "ns": "os"}.get(label)
        anchor = main.as_date()
    if anchor is None:
        return None
    months = [alt.month] if alt.month is not None else [anchor.month - 1, anchor.month, anchor.month + 1]
    years = [alt.year] if alt.year is not None else [anchor.year - 1, anchor.year, anchor.year + 1]
    found = set()
    for year in years:
        for month in months:
            if month == 0:
                year_, month_ = year - 1, 12
            elif month == 13:
                year_, month_ = year + 1, 1
            else:
                year_, month_ = year, month
            other = _Date(year=year_, month=month_, day=alt.day).as_date()
            if other is None:
                continue
            if label != "ns" and _julian_to_gregorian(other) == anchor:
                found.add(anchor)  # alt is Old Style, main New Style
            if label != "os" and _julian_to_gregorian(anchor) == other:
                found.add(other)  # main is Old Style, alt New Style
    if len(found) != 1:
        return None
    new = found.pop()
    return _Date(year=new.year, month=new.month, day=new.day)


def _with_year(date: _Date, doc_year: Optional[int]) -> Optional[_Date]:
    if date.masked is not None or date.year is not None:
        return date
    if doc_year is None or date.only_day:
        return None
    if date.yy is not None:
        # "'37" gets the document year's century, but only where that is also
        # the year ending in 37 nearest the document's year: 1937 in a document
        # that states 1936, None for "'89" there (1889 or 1989?).
        year = doc_year - doc_year % 100 + date.yy
        nearest = min(abs(year + shift - doc_year) for shift in (-100, 100))
        return replace(date, year=year, yy=None) if abs(year - doc_year) < nearest else None
    return replace(date, year=doc_year)


def _render(date: _Date, doc_year: Optional[int], suffix: str) -> Optional[str]:
    date = _with_year(date, doc_year)
    value = date.edtf() if date is not None else None
    return value + suffix if value else None


def _parse_range(text: str, doc_year: Optional[int], suffix: str) -> Optional[str]:
    if _ROMAN_MONTH.match(text):
        return None  # "5-XII-1936" is one day
    match = _YEAR_RANGE_SHORT.match(text)
    if match:
        start = int(match["start"])
        end = start - start % 100 + int(match["end"])
        return f"{start}{suffix}/{end}{suffix}" if end > start else None
    between = _BETWEEN_START.match(text) is not None
    text = _RANGE_START.sub("", text, count=1)
    night = _parse_night(text, doc_year)
    if night is not None:
        return f"{night[0]}{suffix}/{night[1]}{suffix}"
    for separator in _RANGE_SEPARATORS + ((_BETWEEN_SEPARATOR,) if between else ()):
        for match in separator.finditer(text):
            left_text, right_text = text[: match.start()], text[match.end():]
            left_text, _ = _strip_qualifiers(left_text)
            right_text, _ = _strip_qualifiers(right_text)
            right = _parse_single(right_text)
            left = _parse_single(left_text)
            if left is None or right is None or right.only_day:
                continue
            left = _inherit(left, right)
            right = _with_year(right, doc_year)
            left = _with_year(left, doc_year if right is None else right.year)
            if left is None or right is None:
                return None
            start, end = left.edtf(), right.edtf()
            if start is None or end is None or not _ordered(left, right):
                return None
            return f"{start}{suffix}/{end}{suffix}"
    return None


def _parse_night(text: str, doc_year: Optional[int]) -> Optional[Tuple[str, str]]:
    """"11 op 12 juni 1937" (the night of): two consecutive days."""
    match = _NIGHT.match(text)
    if not match:
        return None
    left, right = _parse_single(match["left"]), _parse_single(match["right"])
    if left is None or right is None or right.day is None:
        return None
    right = _with_year(right, doc_year)
    left = _with_year(_inherit(left, right), None) if right is not None else None
    if left is None or left.as_date() is None or right.as_date() is None:
        return None
    if (right.as_date() - left.as_date()).days != 1:
        return None
    return left.edtf(), right.edtf()


def _inherit(left: _Date, right: _Date) -> _Date:
    """Fill what the first half of a range leaves out from the second half:
    "23 tot 29 januari 1937", "maart-april 1937" and "18e en 19e eeuw"."""
    if left.masked is not None or left.year is not None:
        return left
    if left.only_day and right.masked is not None and right.masked.endswith("XX"):
        return replace(left, day=None, masked=f"{left.day - 1:02d}XX") if 1 <= left.day <= 21 else left
    if left.only_day and right.day is not None:
        return replace(left, month=right.month, year=right.year)
    return replace(left, year=right.year)


def _ordered(left: _Date, right: _Date) -> bool:
    if left.masked or right.masked:
        return (left.masked or str(left.year)) <= (right.masked or str(right.year)).replace("X", "9")
    key = lambda d: (d.year, d.month or (d.season or 0) % 20 * 3 - 2, d.day or 1)  # noqa: E731
    return key(left) <= key(right)

"""Dutch date expressions → EDTF (Extended Date/Time Format, ISO 8601-2).

What is read (case-insensitive, with or without a leading preposition):

- days: ``19 augustus 1936``, ``Zaterdag 22 Augustus 1936``,
  ``den 24sten Augustus 1936``, ``19-8-1936``, ``1936-08-19`` → ``1936-08-19``;
- months and years: ``maart 1934`` → ``1934-03``, ``1917`` → ``1917``;
- seasons: ``najaar van 1932`` → ``1932-23`` (21 spring, 22 summer,
  23 autumn, 24 winter);
- decades: ``jaren dertig``, ``de jaren '30``, ``dertiger jaren`` → ``193X``;
- centuries: ``twintigste eeuw``, ``20e eeuw`` → ``19XX``;
- approximations: ``circa 1936`` → ``1936~``, ``rond 15 maart 1938`` →
  ``1938-03-15~``; ``vermoedelijk 1936`` → ``1936?``;
- open intervals: ``na 1936`` → ``1936/..``, ``voor 1938`` → ``../1938``;
- ranges: ``23 tot 29 januari 1937`` → ``1937-01-23/1937-01-29``,
  ``tussen 1936 en 1938``, ``1936 en 1938``, ``1886-1934``, ``1936-38``,
  ``maart-april 1937``.

``begin``, ``eind``, ``medio`` and the like narrow a period without
changing its calendar anchor, so ``begin jaren dertig`` is ``193X`` and
``eind 1937`` is ``1937``.

Never guess: without a calendar anchor (``vandaag``, ``dit jaar``, a day
and month with no year and no document year, a two-digit year such as
``'37``) the result is None. Every value is checked with the ``edtf``
package before it is returned.
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

MONTHS = {
    "januari": 1, "jan": 1, "january": 1,
    "februari": 2, "febr": 2, "feb": 2, "february": 2,
    "maart": 3, "mrt": 3, "mar": 3, "march": 3,
    "april": 4, "apr": 4,
    "mei": 5, "may": 5,
    "juni": 6, "jun": 6, "june": 6,
    "juli": 7, "jul": 7, "july": 7,
    "augustus": 8, "aug": 8, "august": 8,
    "september": 9, "sept": 9, "sep": 9,
    "oktober": 10, "october": 10, "okt": 10, "oct": 10,
    "november": 11, "nov": 11,
    "december": 12, "dec": 12,
}
SEASONS = {"lente": 21, "voorjaar": 21, "zomer": 22, "herfst": 23, "najaar": 23, "winter": 24}
DECADE_WORDS = {
    "tien": 1, "twintig": 2, "dertig": 3, "veertig": 4, "vijftig": 5,
    "zestig": 6, "zeventig": 7, "tachtig": 8, "negentig": 9,
}
CENTURY_WORDS = {
    "tiende": 10, "elfde": 11, "twaalfde": 12, "dertiende": 13, "veertiende": 14,
    "vijftiende": 15, "zestiende": 16, "zeventiende": 17, "achttiende": 18,
    "negentiende": 19, "twintigste": 20, "eenentwintigste": 21,
}
WEEKDAYS = "maandag|dinsdag|woensdag|donderdag|vrijdag|zaterdag|zondag"
APPROXIMATE = r"circa|ca\.?|c\.|omstreeks|ongeveer|rond|rondom|zowat|plusminus|±|~"
UNCERTAIN = r"waarschijnlijk|vermoedelijk|mogelijk|wellicht"
# Words that narrow a period but keep its calendar anchor.
NARROWING = r"begin|eind|einde|medio|midden|half|halverwege|vroeg|laat|aan het begin van|aan het eind van|het begin van|het eind van|in het begin van|in het midden van"
PREPOSITIONS = r"in|op|van|tijdens|gedurende|per|in het jaar|het jaar|de|het|den|anno"
# A leading "na 1936" or "tot 1938" opens one end of an interval.
_OPEN_END = re.compile(r"^(?:na|vanaf|sinds|sedert|from|after|since)\s+")
_OPEN_START = re.compile(r"^(?:voor|vóór|tot en met|t/m|tot aan|tot|until|before)\s+")

MONTH_RE = "|".join(sorted(MONTHS, key=len, reverse=True))
SEASON_RE = "|".join(SEASONS)
DAY_RE = r"(?P<day>\d{1,2})(?:ste|sten|ste\.|de|den|e|er)?\.?"
YEAR_RE = r"(?P<year>1\d{3}|20\d{2})"

_DAY_MONTH = re.compile(rf"^(?:(?:{WEEKDAYS}),?\s+)?(?:den\s+|de\s+)?{DAY_RE}\s+(?P<month>{MONTH_RE})\.?(?:\s+{YEAR_RE})?$")
_MONTH_YEAR = re.compile(rf"^(?P<month>{MONTH_RE})\.?(?:\s+(?:van\s+|in\s+)?{YEAR_RE})?$")
_NUMERIC = re.compile(r"^(?:(?:" + WEEKDAYS + r"),?\s+)?(?P<day>\d{1,2})[-/.](?P<month>\d{1,2})[-/.](?P<year>1\d{3}|20\d{2})$")
_ISO = re.compile(r"^(?P<year>1\d{3}|20\d{2})-(?P<month>\d{2})-(?P<day>\d{2})$")
_YEAR = re.compile(rf"^(?:het\s+jaar\s+)?{YEAR_RE}$")
_SEASON = re.compile(rf"^(?:de\s+|het\s+)?(?P<season>{SEASON_RE})(?:\s+(?:van\s+|in\s+)?(?:het\s+jaar\s+)?{YEAR_RE}(?:\s*[/-]\s*\d{{2,4}})?)?$")
_DECADE_WORD = re.compile(r"^(?:de\s+)?jaren\s+(?P<word>" + "|".join(DECADE_WORDS) + r")$")
_DECADE_ER = re.compile(r"^(?:de\s+)?(?P<word>" + "|".join(DECADE_WORDS) + r")er\s+jaren$")
_DECADE_NUM = re.compile(r"^(?:de\s+)?jaren\s+(?:'|’)?(?P<century>1[0-9]|20)?(?P<decade>\d)0$")
_DECADE_EN = re.compile(r"^(?:the\s+)?(?P<century>1[0-9]|20)(?P<decade>\d)0(?:'|’)?s$")
_CENTURY_NUM = re.compile(r"^(?:de\s+)?(?P<n>\d{1,2})(?:e|de|ste)\s+eeuw$")
_CENTURY_WORD = re.compile(r"^(?:de\s+)?(?P<word>" + "|".join(CENTURY_WORDS) + r")\s+eeuw$")
_YEAR_RANGE_SHORT = re.compile(r"^(?P<start>1\d{3}|20\d{2})\s*[-–—/]\s*(?P<end>\d{2})$")

_QUALIFIER = re.compile(rf"^(?:(?P<approx>{APPROXIMATE})|(?P<uncertain>{UNCERTAIN})|(?:{NARROWING}))\s+")
_LEADING = re.compile(rf"^(?:{PREPOSITIONS})\s+")
_RANGE_START = re.compile(r"^(?:tussen|van|vanaf|from|between)\s+")
_RANGE_SEPARATORS = (
    re.compile(r"\s+(?:tot\s+en\s+met|t/m|tot|en|to|until|and|à)\s+"),
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
        return self.day is not None and self.month is None and self.year is None


def parse_dutch_date(text: str, *, doc_year: Optional[int] = None) -> Optional[str]:
    """Normalise a Dutch date expression to a validated EDTF string.

    text (str): the date expression, e.g. "Zaterdag 22 Augustus 1936".
    doc_year (Optional[int]): the one year the document states, used for a
        day, month or season without a year; None to never supply a year.
    RETURNS (Optional[str]): the EDTF value, or None where the text has no
        calendar anchor or cannot be read.
    """
    return _parse_cached(text, doc_year)


@lru_cache(maxsize=16384)
def _parse_cached(text: str, doc_year: Optional[int]) -> Optional[str]:
    cleaned = _clean(text)
    if not cleaned:
        return None
    open_end, open_start = _OPEN_END.match(cleaned), _OPEN_START.match(cleaned)
    if open_end or open_start:
        bound = _parse_cached(cleaned[(open_end or open_start).end():], doc_year)
        if bound is None or "/" in bound:
            return bound  # "vanaf 1936 tot 1938" is a closed range
        return f"{bound}/.." if open_end else f"../{bound}"
    cleaned, suffix = _strip_qualifiers(cleaned)
    value = _parse_range(cleaned, doc_year, suffix)
    if value is None:
        single = _parse_single(cleaned)
        value = _render(single, doc_year, suffix) if single is not None else None
    return value if value is not None and is_valid_edtf(value) else None


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


def _clean(text: str) -> str:
    text = text.strip().lower()
    text = text.replace("’", "'").replace("‘", "'")
    text = re.sub(r"^[\s(\[\"'«„]+|[\s)\]\"'»”,;:.!]+$", "", text)
    text = re.sub(r"\s+", " ", text)
    # "den 24sten Augustus, 1936" and "22 aug. 1936"
    text = re.sub(r",\s*(?=\d{4}$)", " ", text)
    return text


def _strip_qualifiers(text: str) -> Tuple[str, str]:
    approx = uncertain = False
    if text.endswith("?"):
        uncertain, text = True, text[:-1].rstrip()
    while True:
        before = text
        match = _QUALIFIER.match(text)
        if match:
            approx = approx or bool(match.group("approx"))
            uncertain = uncertain or bool(match.group("uncertain"))
            text = text[match.end():]
        if not _RANGE_START.match(text):
            text = _LEADING.sub("", text, count=1)
        if text == before:
            break
    suffix = "%" if approx and uncertain else "~" if approx else "?" if uncertain else ""
    return text, suffix


def _parse_single(text: str) -> Optional[_Date]:
    for pattern in (_ISO, _NUMERIC):
        match = pattern.match(text)
        if match:
            return _Date(year=int(match["year"]), month=int(match["month"]), day=int(match["day"]))
    match = _DAY_MONTH.match(text)
    if match:
        year = int(match["year"]) if match["year"] else None
        return _Date(year=year, month=MONTHS[match["month"]], day=int(match["day"]))
    match = _MONTH_YEAR.match(text)
    if match:
        year = int(match["year"]) if match["year"] else None
        return _Date(year=year, month=MONTHS[match["month"]])
    match = _YEAR.match(text)
    if match:
        return _Date(year=int(match["year"]))
    match = _SEASON.match(text)
    if match:
        year = int(match["year"]) if match["year"] else None
        return _Date(year=year, season=SEASONS[match["season"]])
    for pattern in (_DECADE_WORD, _DECADE_ER):
        match = pattern.match(text)
        if match:
            # "jaren dertig" names a decade of the 1900s in this corpus' usage.
            return _Date(masked=f"19{DECADE_WORDS[match['word']]}X")
    for pattern in (_DECADE_NUM, _DECADE_EN):
        match = pattern.match(text)
        if match:
            century = match["century"] or "19"
            return _Date(masked=f"{century}{match['decade']}X")
    match = _CENTURY_NUM.match(text)
    if match and 1 <= int(match["n"]) <= 21:
        return _Date(masked=f"{int(match['n']) - 1:02d}XX")
    match = _CENTURY_WORD.match(text)
    if match:
        return _Date(masked=f"{CENTURY_WORDS[match['word']] - 1:02d}XX")
    if re.fullmatch(r"\d{1,2}(?:ste|sten|de|den|e)?", text):
        return _Date(day=int(re.match(r"\d+", text).group()))
    return None


def _with_year(date: _Date, doc_year: Optional[int]) -> Optional[_Date]:
    if date.masked is not None or date.year is not None:
        return date
    if doc_year is None or date.only_day:
        return None
    return replace(date, year=doc_year)


def _render(date: _Date, doc_year: Optional[int], suffix: str) -> Optional[str]:
    date = _with_year(date, doc_year)
    value = date.edtf() if date is not None else None
    return value + suffix if value else None


def _parse_range(text: str, doc_year: Optional[int], suffix: str) -> Optional[str]:
    match = _YEAR_RANGE_SHORT.match(text)
    if match:
        start = int(match["start"])
        end = start - start % 100 + int(match["end"])
        return f"{start}{suffix}/{end}{suffix}" if end > start else None
    text = _RANGE_START.sub("", text, count=1)
    for separator in _RANGE_SEPARATORS:
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


def _inherit(left: _Date, right: _Date) -> _Date:
    """Fill what the first half of a range leaves out from the second half:
    "23 tot 29 januari 1937" and "maart-april 1937"."""
    if left.masked is not None or left.year is not None:
        return left
    if left.only_day and right.day is not None:
        return replace(left, month=right.month, year=right.year)
    return replace(left, year=right.year)


def _ordered(left: _Date, right: _Date) -> bool:
    if left.masked or right.masked:
        return (left.masked or str(left.year)) <= (right.masked or str(right.year)).replace("X", "9")
    key = lambda d: (d.year, d.month or (d.season or 0) % 20 * 3 - 2, d.day or 1)  # noqa: E731
    return key(left) <= key(right)

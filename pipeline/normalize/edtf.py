"""EDTF values as the days they can mean: the bounds the export stores (``date_from``, ``date_to``).

Beside ``dates.is_valid_edtf`` (which checks a value); this module reads one.
"""
from __future__ import annotations

import re
from functools import lru_cache
from typing import Optional, Tuple

EDTF_DATE = re.compile(r"^(?P<year>-?\d{4}|\d{2}XX|\d{3}X)(?:-(?P<month>\d{2}|XX))?(?:-(?P<day>\d{2}|XX))?$")
QUALIFIERS = re.compile(r"[?~%]")
# Seasons (EDTF level 1) in the northern hemisphere, as month ranges; winter runs into the next year.
SEASONS = {21: (3, 5, 0), 22: (6, 8, 0), 23: (9, 11, 0), 24: (12, 2, 1)}
_MONTH_DAYS = (31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31)


def _last_day(year: int, month: int) -> int:
    leap = year % 4 == 0 and (year % 100 != 0 or year % 400 == 0)
    return 29 if month == 2 and leap else _MONTH_DAYS[month - 1]


def _iso(year: int, month: int, day: int) -> str:
    sign = "-" if year < 0 else ""
    return f"{sign}{abs(year):04d}-{month:02d}-{day:02d}"


def simple_bounds(value: str) -> Optional[Tuple[str, str]]:
    match = EDTF_DATE.match(QUALIFIERS.sub("", value))
    if not match:
        return None
    year_text, month_text, day_text = match.group("year", "month", "day")
    if "X" in year_text:
        width = 10 ** year_text.count("X")
        low = int(year_text.replace("X", "0"))
        return _iso(low, 1, 1), _iso(low + width - 1, 12, 31)
    year = int(year_text)
    if month_text is None or month_text == "XX":
        return _iso(year, 1, 1), _iso(year, 12, 31)
    month = int(month_text)
    if month in SEASONS:
        first, last, carry = SEASONS[month]
        return _iso(year, first, 1), _iso(year + carry, last, _last_day(year + carry, last))
    if not 1 <= month <= 12:
        return None
    if day_text is None or day_text == "XX":
        return _iso(year, month, 1), _iso(year, month, _last_day(year, month))
    day = int(day_text)
    if not 1 <= day <= _last_day(year, month):
        return None
    return _iso(year, month, day), _iso(year, month, day)


@lru_cache(maxsize=65536)
def edtf_bounds(value: str) -> Optional[Tuple[Optional[str], Optional[str]]]:
    """The first and last day an EDTF value can mean, as ISO dates; None if it does not parse.

    Covers the forms ``tag`` writes (``1937``, ``1937-06``, ``1937-06-11``,
    seasons ``1937-21``…``1937-24``, decades ``193X``, qualifiers ``?~%``,
    intervals ``A/B`` with open ends ``..``) itself, and anything else
    through the ``edtf`` package.

    value (str): the EDTF string.
    RETURNS (Tuple[str | None, str | None] | None): the bounds; an open end is None.
    """
    value = value.strip()
    if "/" in value:
        first, _, last = value.partition("/")
        low = simple_bounds(first) if first not in ("", "..") else (None, None)
        high = simple_bounds(last) if last not in ("", "..") else (None, None)
        if low is None or high is None or (low[0] is None and high[1] is None):
            return _edtf_package_bounds(value)
        return low[0], high[1]
    return simple_bounds(value) or _edtf_package_bounds(value)


def _edtf_package_bounds(value: str) -> Optional[Tuple[Optional[str], Optional[str]]]:
    try:
        from edtf import parse_edtf, struct_time_to_date

        parsed = parse_edtf(value)
        return struct_time_to_date(parsed.lower_strict()).isoformat(), struct_time_to_date(parsed.upper_strict()).isoformat()
    except Exception:  # the package raises several kinds of error for input it cannot read
        return None

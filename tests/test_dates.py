"""Dutch date expressions → EDTF."""
from __future__ import annotations

import pytest
from edtf import parse_edtf

from pipeline.normalize.dates import is_valid_edtf, parse_dutch_date, years_in

CASES = [
    # days, with 1930s newspaper styles
    ("19 augustus 1936", "1936-08-19"),
    ("1 december 1934", "1934-12-01"),
    ("Zaterdag 22 Augustus 1936", "1936-08-22"),
    ("zaterdag, 22 augustus 1936", "1936-08-22"),
    ("den 24sten Augustus 1936", "1936-08-24"),
    ("den 1sten October 1937", "1937-10-01"),
    ("19-8-1936", "1936-08-19"),
    ("19/8/1936", "1936-08-19"),
    ("1936-08-19", "1936-08-19"),
    ("26 feb 2024", "2024-02-26"),
    ("3 sept. 1938", "1938-09-03"),
    # months, years
    ("maart 1934", "1934-03"),
    ("Juni 1937", "1937-06"),
    ("1917", "1917"),
    ("het jaar 1937", "1937"),
    ("in 1989", "1989"),
    # seasons (21 spring, 22 summer, 23 autumn, 24 winter)
    ("najaar van 1932", "1932-23"),
    ("herfst 1936", "1936-23"),
    ("zomer van 1937", "1937-22"),
    ("in de zomer van 1937", "1937-22"),
    ("voorjaar 1938", "1938-21"),
    ("lente van 1936", "1936-21"),
    ("winter van 1936", "1936-24"),
    # decades, centuries
    ("jaren dertig", "193X"),
    ("begin jaren dertig", "193X"),
    ("eind jaren twintig", "192X"),
    ("Eind jaren dertig", "193X"),
    ("de jaren '30", "193X"),
    ("de dertiger jaren", "193X"),
    ("jaren 1880", "188X"),
    ("twintigste eeuw", "19XX"),
    ("de 19e eeuw", "18XX"),
    ("negentiende eeuw", "18XX"),
    # approximations and uncertainty
    ("circa 1936", "1936~"),
    ("ca. 1936", "1936~"),
    ("omstreeks 1937", "1937~"),
    ("rond 15 maart 1938", "1938-03-15~"),
    ("vermoedelijk 1936", "1936?"),
    ("1936?", "1936?"),
    # narrowing words keep the anchor
    ("begin 1937", "1937"),
    ("medio 1938", "1938"),
    # ranges
    ("23 tot 29 januari 1937", "1937-01-23/1937-01-29"),
    ("23-29 januari 1937", "1937-01-23/1937-01-29"),
    ("23 januari tot 5 februari 1937", "1937-01-23/1937-02-05"),
    ("tussen 1936 en 1938", "1936/1938"),
    ("1936 en 1938", "1936/1938"),
    ("1886-1934", "1886/1934"),
    ("1936–1938", "1936/1938"),
    ("1936-38", "1936/1938"),
    ("van 1936 tot 1938", "1936/1938"),
    ("maart-april 1937", "1937-03/1937-04"),
    ("circa 1936-1938", "1936~/1938~"),
    # open intervals
    ("na 1936", "1936/.."),
    ("sinds maart 1937", "1937-03/.."),
    ("voor 1938", "../1938"),
]

NO_ANCHOR = [
    "vandaag",
    "dit jaar",
    "tachtig jaar geleden",
    "vier jaar later",
    "Twee maanden later",
    "tien jaar",
    "om halfdrie ’s nachts",
    "19 augustus",  # no year and no document year
    "zaterdag",
    "augustus",
    "zomer",
    "'37",  # a two-digit year has no century
    "19-8-36",
    "30 februari 1937",  # no such day
    "1938-1936",  # a range that runs backwards
    "447",  # a number, not a year
    "",
]


@pytest.mark.parametrize("text,expected", CASES)
def test_dutch_date_to_edtf(text, expected):
    assert parse_dutch_date(text) == expected


@pytest.mark.parametrize("text,expected", CASES)
def test_every_value_is_valid_edtf(text, expected):
    value = parse_dutch_date(text)
    parse_edtf(value)  # raises on anything the edtf package rejects
    assert is_valid_edtf(value)


@pytest.mark.parametrize("text", NO_ANCHOR)
def test_no_calendar_anchor_gives_none(text):
    assert parse_dutch_date(text) is None


@pytest.mark.parametrize(
    "text,expected",
    [
        ("19 augustus", "1936-08-19"),
        ("Zaterdag 22 Augustus", "1936-08-22"),
        ("augustus", "1936-08"),
        ("zomer", "1936-22"),
        ("23 tot 29 januari", "1936-01-23/1936-01-29"),
        ("1938", "1938"),  # a stated year always wins over the document's
    ],
)
def test_a_document_year_completes_dates_without_one(text, expected):
    assert parse_dutch_date(text, doc_year=1936) == expected


def test_a_bare_day_stays_unanchored_even_with_a_document_year():
    assert parse_dutch_date("19", doc_year=1936) is None


def test_is_valid_edtf_rejects_nonsense():
    assert not is_valid_edtf("1936-13-45")
    assert not is_valid_edtf("jaren dertig")


def test_years_in_finds_four_digit_years_only():
    assert years_in(["19 augustus 1936", "23 tot 29 januari 1937", "jaren dertig", "1936-1938"]) == {1936, 1937, 1938}

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
    # from the gold (annotations/gold/terror.jsonl), values checked by hand
    # numeric: year first in infoboxes, day first as in Dutch, month first only if forced
    ("1938/03/15", "1938-03-15"),
    ("1893/02/16", "1893-02-16"),
    ("1973/10/26", "1973-10-26"),
    ("18/02/1937", "1937-02-18"),
    ("06/18/1937", "1937-06-18"),
    # English and machine-translated order and slips
    ("Jul 15, 2021", "2021-07-15"),
    ("12 June 1937", "1937-06-12"),
    ("1883, 11 september", "1883-09-11"),
    ("8 Kunnen 2021", "2021-05-08"),  # "8 May 2021", "may" translated as the verb
    ("25 Juni- 2024", "2024-06-25"),
    # Old Style / New Style: the Gregorian day
    ("24 oktober [ OS 12 oktober] 1886", "1886-10-24"),
    ("23 januari [ 4 februari ] 1881", "1881-02-04"),  # Voroshilov: 23 Jan OS = 4 Feb NS
    ("13 april (25), 1883", "1883-04-25"),  # Budyonny
    ("13  ( 25 ) april  1883", "1883-04-25"),
    ("1883, 11 september (23)", "1883-09-23"),  # Zinoviev
    ("november 19 jul. / 1. December  1889", "1889-12-01"),  # Blücher
    ("9 oktober [ OS 27 september] 1888 - 15 maart 1938", "1888-10-09/1938-03-15"),
    ("18 juli [OS juli 6] 1883 - 25 augustus 1936", "1883-07-18/1936-08-25"),
    ("24 oktober [ OS 12 oktober] 1886 - 18 februari 1937", "1886-10-24/1937-02-18"),
    # the night of
    ("11 op 12 juni 1937", "1937-06-11/1937-06-12"),
    ("de nacht van 31 mei op 1 juni 1937", "1937-05-31/1937-06-01"),
    # centuries and decades
    ("XX ste eeuw", "19XX"),
    ("begin van XX ste eeuw", "19XX"),
    ("begin van de 20e eeuw", "19XX"),
    ("18e en 19e eeuw", "17XX/18XX"),
    ("begin van de jaren 1950", "195X"),
    ("jaren 1930 tot de vroege jaren 1950", "193X/195X"),
    ("2e helft van de jaren 30", "193X"),
    ("jaren dertig van de 19e eeuw", "183X"),
    ("Thirties", "193X"),
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
    # from the gold: no calendar anchor, or none that can be read safely
    "24 mei van datzelfde jaar",  # no document year
    "begin juni",
    "1 december",
    "Jaar van '37",  # two-digit year, no document year
    "38e",  # an ordinal, never read as a year
    "37-ой год",
    "Tridtsat sedmoi god",
    "jaren dertig van de vorige eeuw",  # relative to when it was written
    "najaar 1938 tot het einde van 1936",  # runs backwards
    "februari 16 [ OS februari 4] 1893-1812 June 1937",  # garbled second date
    "24 oktober [ OS 13 oktober] 1886",  # the two calendars disagree
    "19 november 1917 [OS]",  # which calendar is the day in?
    "11 op 13 juni 1937",  # not one night
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


@pytest.mark.parametrize(
    "text,doc_year,expected",
    [
        ("1 december", 1934, "1934-12-01"),
        ("25 oktober", 1917, "1917-10-25"),
        ("begin juni", 1937, "1937-06"),
        ("24 mei van datzelfde jaar", 1940, "1940-05-24"),
        ("11 op 12 juni", 1937, "1937-06-11/1937-06-12"),
        ("Jaar van '37", 1936, "1937"),
        ("'37", 1937, "1937"),
        ("'89", 1936, None),  # 1889 is nearer 1936 than 1989 is: no century to trust
        ("'00", 1950, None),  # 1900 and 2000 are equally near
        ("38e", 1937, None),
    ],
)
def test_document_year_completes_gold_dates(text, doc_year, expected):
    assert parse_dutch_date(text, doc_year=doc_year) == expected


def test_a_bare_day_stays_unanchored_even_with_a_document_year():
    assert parse_dutch_date("19", doc_year=1936) is None


def test_is_valid_edtf_rejects_nonsense():
    assert not is_valid_edtf("1936-13-45")
    assert not is_valid_edtf("jaren dertig")


def test_years_in_finds_four_digit_years_only():
    assert years_in(["19 augustus 1936", "23 tot 29 januari 1937", "jaren dertig", "1936-1938"]) == {1936, 1937, 1938}

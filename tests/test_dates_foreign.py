"""Dates beyond Dutch (issue 13): German, French, English, Russian, Italian,
Polish and Spanish forms, Roman-numeral months, double calendars with a
slash, two decades, and qualifiers that EDTF cannot express."""
from __future__ import annotations

import pytest

from pipeline.normalize import normalize_mention
from pipeline.normalize.dates import is_valid_edtf, parse_date, parse_dutch_date

CASES = [
    # the expressions the issue lists as missed
    ("5. Dezember 1936", "1936-12-05"),
    ("vom 3. bis 9. Januar 1937", "1937-01-03/1937-01-09"),
    ("Herbst 1937", "1937-23"),
    ("5 décembre 1936", "1936-12-05"),
    ("du 3 au 9 janvier 1937", "1937-01-03/1937-01-09"),
    ("automne 1937", "1937-23"),
    ("5th December 1936", "1936-12-05"),
    ("autumn 1937", "1937-23"),
    ("5 декабря 1936 г.", "1936-12-05"),
    ("1936 год", "1936"),
    ("декабрь 1936", "1936-12"),
    ("5 dicembre 1936", "1936-12-05"),
    ("5 grudnia 1936", "1936-12-05"),
    ("5.XII.1936", "1936-12-05"),
    ("5-XII-1936", "1936-12-05"),
    ("24 januari/6 februari 1918", "1918-02-06"),
    ("7/20 januari 1918", "1918-01-20"),
    ("de jaren 1934-1937", "1934/1937"),
    ("jaren tien en twintig", "191X/192X"),
    # more of the same kinds
    ("с 3 по 9 января 1937 г.", "1937-01-03/1937-01-09"),
    ("в 1937 году", "1937"),
    ("осенью 1937 года", "1937-23"),
    ("dal 3 al 9 gennaio 1937", "1937-01-03/1937-01-09"),
    ("del 3 al 9 de enero de 1937", "1937-01-03/1937-01-09"),
    ("w 1937 r.", "1937"),
    ("die dreißiger Jahre", "193X"),
    ("les années 1930", "193X"),
    ("1930-е годы", "193X"),
    ("zwischen 1936 und 1938", "1936/1938"),
    ("the 5th of December 1936", "1936-12-05"),
    ("eerste helft 1937", "1937-40"),
]


@pytest.mark.parametrize("text,edtf", CASES)
def test_foreign_dates(text, edtf):
    assert parse_dutch_date(text) == edtf
    assert is_valid_edtf(edtf)


@pytest.mark.parametrize(
    "text,edtf,qualifier",
    [
        ("eind 1937", "1937", "late"),
        ("begin 1938", "1938", "early"),
        ("midden jaren dertig", "193X", "mid"),
        ("Ende 1937", "1937", "late"),
        ("début 1938", "1938", "early"),
        ("в конце 1937 года", "1937", "late"),
        ("mid-1930s", "193X", "mid"),
        ("19 augustus 1936", "1936-08-19", None),
    ],
)
def test_qualifiers_are_kept_beside_the_value(text, edtf, qualifier):
    assert parse_date(text) == (edtf, qualifier)
    result = normalize_mention(text, "DATE")
    assert (result["edtf"], result["qualifier"]) == (edtf, qualifier)


@pytest.mark.parametrize("text", ["24 januari/7 februari 1918", "5.XIII.1936", "в августе того же года", "37-ой год"])
def test_no_wrong_value_is_given(text):
    assert parse_dutch_date(text) is None


@pytest.mark.parametrize(
    "text,kb_id",
    [
        ("het proces van de zeventien", "trial-trial-of-the-seventeen"),
        ("het derde Moskouse proces", "trial-trial-of-the-twenty-one"),
        ("de zaak van het Parallelle Centrum", "trial-trial-of-the-seventeen"),
    ],
)
def test_dutch_descriptive_trial_names(text, kb_id):
    assert normalize_mention(text, "TRIAL")["kb_id"] == kb_id


@pytest.mark.parametrize("label", ["ORG", "LOC", "TRIAL"])
def test_an_entity_outside_the_kb_has_no_canonical(label):
    result = normalize_mention("Gemeentebestuur Apeldoorn", label)
    assert (result["kb_id"], result["canonical"]) == (None, None)


@pytest.mark.parametrize(
    "text,edtf",
    [
        ("1888. október 9.", "1888-10-09"),  # Hungarian, year first
        ("1938. március 2-án", "1938-03-02"),
        ("1934 decemberében", "1934-12"),
        ("1937.gada 23.novembrī", "1937-11-23"),  # Latvian
        ("1936. gada rudenī", "1936-23"),
        ("în ianuarie 1937", "1937-01"),  # Romanian
        ("între 1936 și 1938", "1936/1938"),
        ("1 грудня 1934 року", "1934-12-01"),  # Ukrainian
        ("v březnu 1938", "1938-03"),  # Czech
        ("w lutym 1937", "1937-02"),  # Polish
        ("pod koniec 1932 roku", "1932"),
        ("åren 1936–1938", "1936/1938"),  # Swedish
        ("Våren 1938", "1938-21"),  # Norwegian
        ("I 1988", "1988"),  # "in 1988", not January
        ("XII.1936", "1936-12"),
        ("Década de 1920", "192X"),
        ("tra il 2 e il 13 marzo 1938", "1938-03-02/1938-03-13"),
        ("со 2 сентября 1937 г. по 16 октября 1941 г.", "1937-09-02/1941-10-16"),
        ("в августе 1936-го", "1936-08"),
    ],
)
def test_more_languages(text, edtf):
    assert parse_dutch_date(text) == edtf


@pytest.mark.parametrize("text", ["27 февраля и 27 марта 1937 г.", "27 de febrero y 27 de marzo de 1937"])
def test_lists_and_lone_numerals_give_no_value(text):
    assert parse_dutch_date(text) is None


@pytest.mark.parametrize(
    "text,edtf",
    [
        ("3 грудня 1943 р.", "1943-12-03"),
        ("у січні 1933 року", "1933-01"),
        ("в 1932-33 роках", "1932/1933"),
        ("з грудня 1935 р.", "1935-12/.."),
        ("January 23-30, 1937", "1937-01-23/1937-01-30"),
        ("no dia 20 de agosto de 1940", "1940-08-20"),
        ("a finales de mayo de 1940", "1940-05"),
    ],
)
def test_after_the_held_out_batch(text, edtf):
    assert parse_dutch_date(text) == edtf

"""The transliteration engine: tables, the invariant key, the Latin-to-Cyrillic guess."""
from __future__ import annotations

import json

import pytest

from pipeline.normalize.translit import (
    KEY_SYSTEMS,
    SYSTEMS,
    TABLES_DIR,
    TranslitTable,
    latin_to_cyrillic,
    load_table,
    name_key,
    romanize_english,
    transliterate,
)

YEZHOV_SPELLINGS = ["Jezjov", "Jeschow", "Yezhov", "Iejov", "Ježov", "Ežov", "Ежов"]


@pytest.mark.parametrize(
    "system,expected",
    [
        ("nl", "Nikolaj Ivanovitsj Jezjov"),
        ("nl1930", "Nikolaj Iwanowitsj Jezjow"),
        ("de", "Nikolai Iwanowitsch Jeschow"),
        ("fr", "Nikolaï Ivanovitch Iejov"),
        ("en", "Nikolai Ivanovich Yezhov"),
        ("bgn_pcgn", "Nikolay Ivanovich Yezhov"),
        ("iso9", "Nikolaj Ivanovič Ežov"),
        ("alalc", "Nikolaĭ Ivanovich Ezhov"),
        ("scholarly", "Nikolaj Ivanovič Ežov"),
        ("pl", "Nikołaj Iwanowicz Jeżow"),
        ("cs", "Nikolaj Ivanovič Ježov"),
    ],
)
def test_every_system_renders_yezhov(system, expected):
    assert transliterate("Николай Иванович Ежов", system) == expected


@pytest.mark.parametrize(
    "cyrillic,system,expected",
    [
        ("Григорий Зиновьев", "nl", "Grigori Zinovjev"),
        ("Григорий Зиновьев", "de", "Grigori Sinowjew"),
        ("Григорий Зиновьев", "en", "Grigory Zinoviev"),
        ("Михаил Тухачевский", "nl", "Michail Toechatsjevski"),
        ("Михаил Тухачевский", "fr", "Mikhaïl Toukhatchevski"),
        ("Михаил Тухачевский", "pl", "Michaił Tuchaczewski"),
        ("Андрей Вышинский", "de", "Andrei Wyschinski"),
        ("Николай Бухарин", "fr", "Nikolaï Boukharine"),
        ("Лев Каменев", "pl", "Lew Kamieniew"),
        ("Лев Троцкий", "pl", "Lew Trocki"),
        ("Никита Хрущёв", "en", "Nikita Khrushchev"),
        ("Никита Хрущёв", "de", "Nikita Chruschtschow"),
        ("Вячеслав Молотов", "alalc", "Vi͡acheslav Molotov"),
        ("Вячеслав Молотов", "iso9", "Vâčeslav Molotov"),
        ("Эдуард Берзин", "iso9", "Èduard Berzin"),
        ("ЦК", "nl", "TSK"),
    ],
)
def test_context_rules_and_case(cyrillic, system, expected):
    assert transliterate(cyrillic, system) == expected


def test_every_system_has_a_complete_data_table():
    russian = set("абвгдеёжзийклмнопрстуфхцчшщъыьэюя")
    for system in SYSTEMS:
        data = json.loads((TABLES_DIR / f"{system}.json").read_text(encoding="utf8"))
        assert set(data["letters"]) == russian, system
        assert data["title"] and data["source"], system


def test_unknown_system_names_the_known_ones():
    with pytest.raises(ValueError, match="nl1930"):
        load_table("klingon")


def test_a_table_is_plain_data():
    table = TranslitTable("toy", {"letters": {"а": "a", "б": "b"}, "rules": [{"from": "б", "to": "p", "at": "end"}]})
    assert table.transliterate("баб Баба") == "bap Baba"


@pytest.mark.parametrize("spelling", YEZHOV_SPELLINGS + ["Jezjow", "Jeżow", "Ezhov", "JEZJOV"])
def test_all_spellings_of_yezhov_share_one_key(spelling):
    assert name_key(spelling) == name_key("Ежов") == "eHov"


@pytest.mark.parametrize(
    "spellings",
    [
        ["Zinovjev", "Sinowjew", "Zinoviev", "Zinowjew", "Zinov'ev", "Zinovʹyev", "Зиновьев"],
        ["Toechatsjevski", "Tuchatschewski", "Tukhachevsky", "Toukhatchevski", "Tuchaczewski", "Tuchačevskij", "Тухачевский"],
        ["Vysjinski", "Wyschinski", "Vyshinsky", "Vychinski", "Wyszyński", "Vyšinskij", "Вышинский"],
        ["Boecharin", "Bucharin", "Bukharin", "Boukharine", "Buharin", "Бухарин"],
        ["Trotski", "Trotsky", "Trotzki", "Trockij", "Trocki", "Троцкий"],
        ["Kaganovitsj", "Kaganowitsch", "Kaganovich", "Kaganovitch", "Kaganowicz", "Kaganovič", "Каганович"],
        ["Vorosjilov", "Woroschilow", "Voroshilov", "Vorochilov", "Woroszyłow", "Ворошилов"],
        ["Nikolaj", "Nikolai", "Nikolay", "Nikolaï", "Николай"],
        ["Blücher", "Bljucher", "Blyukher", "Блюхер"],
    ],
)
def test_spellings_across_systems_share_one_key(spellings):
    assert len({name_key(s) for s in spellings}) == 1, {s: name_key(s) for s in spellings}


@pytest.mark.parametrize("a,b", [("Jezjov", "Jagoda"), ("Kamenev", "Kirov"), ("Zinovjev", "Sinjavski"), ("Radek", "Rykov")])
def test_different_names_keep_different_keys(a, b):
    assert name_key(a) != name_key(b)


def test_key_keeps_words_apart_and_ignores_initial_dots():
    assert name_key("N.I. Jezjov") == "ni eHov"
    assert name_key("Nikolaj  Ivanovitsj   Jezjov") == "nikolai ivanoviH eHov"


def test_every_system_rendering_of_a_name_keys_back_to_its_cyrillic():
    for cyrillic in ["Николай Иванович Ежов", "Генрих Григорьевич Ягода", "Лазарь Моисеевич Каганович", "Карл Радек"]:
        keys = {name_key(transliterate(cyrillic, system)) for system in KEY_SYSTEMS}
        assert keys == {name_key(cyrillic)}, (cyrillic, keys)


@pytest.mark.parametrize(
    "latin,cyrillic",
    [
        ("Leonid Nikolayev", "Леонид Николаев"),
        ("Nikolaj Jezjov", "Николай Ежов"),
        ("Grigori Zinovjev", "Григорий Зиновьев"),
        ("Toechatsjevski", "Тухачевский"),
        ("Trotski", "Троцкий"),
    ],
)
def test_latin_to_cyrillic_guesses_the_russian(latin, cyrillic):
    assert latin_to_cyrillic(latin) == cyrillic


def test_english_romanisation_is_bgn_without_primes():
    assert romanize_english("Григорий Евсеевич Зиновьев") == "Grigoriy Yevseyevich Zinovyev"
    assert transliterate("Зиновьев", "bgn_pcgn") == "Zinovʹyev"


def test_tables_agree_with_icu_where_icu_has_the_system():
    icu = pytest.importorskip("icu", reason="PyICU is an optional cross-check of the bgn_pcgn and iso9 tables")
    bgn = icu.Transliterator.createInstance("Russian-Latin/BGN")
    iso = icu.Transliterator.createInstance("Cyrillic-Latin")
    names = ["Николай Иванович Ежов", "Никита Сергеевич Хрущёв", "Вячеслав Михайлович Молотов", "Юрий Пятаков",
             "Семён Михайлович Будённый", "Объединённый Соловьёв", "Лев Давидович Троцкий"]
    for name in names:
        assert transliterate(name, "bgn_pcgn") == bgn.transliterate(name)
        # ICU writes э as é; ISO 9:1995 says è. No э in these names.
        assert transliterate(name, "iso9") == iso.transliterate(name)


@pytest.mark.parametrize(
    "system,cyrillic,expected",
    [
        ("it", "Никита Сергеевич Хрущёв", "Nikita Sergeevic Krusciov"),
        ("es", "Николай Бухарин", "Nikolai Bujarin"),
        ("pt", "Михаил Чернов", "Mikhail Tchernov"),
        ("sv", "Николай Ежов", "Nikolaj Jezjov"),
        ("lt", "Михаил Чернов", "Michail Černov"),
        ("lv", "Никита Хрущёв", "Nikita Hruščov"),
        ("hu", "Николай Ежов", "Nikolaj Jezsov"),
        ("ro", "Николай Ежов", "Nikolai Iejov"),
        ("sh", "Николай Бухарин", "Nikolaj Buharin"),
        ("uk", "Григорий Зиновьев", "Грігорій Зінов'єв"),
        ("bg", "Никита Хрущёв", "Никита Хрушчов"),
    ],
)
def test_national_tables(system, cyrillic, expected):
    assert transliterate(cyrillic, system) == expected

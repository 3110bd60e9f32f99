"""Linking, the terreur_normalizer component and `terreur normalize`.

Two knowledge bases: ``small_kb`` is built here from a few records with
almost no aliases, so that what links does so through the engine
(transliteration keys, surname rules, fuzzy matching), not through a listed
spelling; the packaged knowledge base is used for the seed article.
"""
from __future__ import annotations

import re
from pathlib import Path

import pytest
import spacy
import srsly
from typer.testing import CliRunner

from pipeline.cli import app
from pipeline.normalize import (
    KnowledgeBase,
    MentionContext,
    default_kb,
    is_valid_edtf,
    load_kb,
    name_key,
    normalize_mention,
)
from pipeline.normalize.component import SPAN_EXTENSIONS, Normalizer

ROOT = Path(__file__).resolve().parent.parent
SEED_PATH = ROOT / "corpus" / "terror" / "seed" / "stalin-en-de-grote-terreur.txt"

SMALL_KB_RECORDS = [
    {"kb_id": "per-nikolai-yezhov", "type": "PERSON", "canonical": "Nikolai Yezhov", "cyrillic": "Николай Иванович Ежов",
     "surname_cyrillic": "Ежов", "born": 1895, "died": 1940, "description": "People's Commissar for Internal Affairs", "aliases": []},
    {"kb_id": "per-joseph-stalin", "type": "PERSON", "canonical": "Joseph Stalin", "cyrillic": "Иосиф Виссарионович Сталин",
     "surname_cyrillic": "Сталин", "aliases": ["Koba"]},
    {"kb_id": "per-lev-kamenev", "type": "PERSON", "canonical": "Lev Kamenev", "cyrillic": "Лев Борисович Каменев",
     "surname_cyrillic": "Каменев", "aliases": []},
    {"kb_id": "per-sergey-kamenev", "type": "PERSON", "canonical": "Sergey Kamenev", "cyrillic": "Сергей Сергеевич Каменев",
     "surname_cyrillic": "Каменев", "aliases": []},
    {"kb_id": "per-leon-trotsky", "type": "PERSON", "canonical": "Leon Trotsky", "cyrillic": "Лев Давидович Троцкий",
     "surname_cyrillic": "Троцкий", "aliases": []},
    {"kb_id": "per-natalia-sedova", "type": "PERSON", "canonical": "Natalia Sedova", "cyrillic": "Наталья Ивановна Седова",
     "surname_cyrillic": "Седова", "aliases": ["Natalia Trotsky"]},
    {"kb_id": "per-grigory-zinoviev", "type": "PERSON", "canonical": "Grigory Zinoviev", "cyrillic": "Григорий Евсеевич Зиновьев",
     "surname_cyrillic": "Зиновьев", "aliases": []},
    {"kb_id": "org-nkvd", "type": "ORG", "canonical": "NKVD", "cyrillic": "НКВД", "aliases": []},
    {"kb_id": "loc-moscow", "type": "LOC", "canonical": "Moscow", "cyrillic": "Москва", "aliases": ["Moskou"]},
    {"kb_id": "trial-trial-of-the-sixteen", "type": "TRIAL", "canonical": "Trial of the Sixteen", "cyrillic": "Процесс шестнадцати",
     "start": "1936-08-19", "end": "1936-08-24", "names": {"nl": ["eerste showproces"], "en": [], "de": [], "ru": []},
     "aliases": [], "defendants": ["per-grigory-zinoviev", "per-lev-kamenev"]},
]

YEZHOV = "per-nikolai-yezhov"
YEZHOV_SPELLINGS = ["Jezjov", "Jeschow", "Yezhov", "Iejov", "Ježov", "Ežov", "Ежов"]


@pytest.fixture(scope="session")
def small_kb() -> KnowledgeBase:
    return KnowledgeBase(SMALL_KB_RECORDS)


@pytest.fixture(scope="session")
def seed_text() -> str:
    return SEED_PATH.read_text(encoding="utf-8")


@pytest.fixture(scope="session")
def nlp_with_normalizer():
    nlp = spacy.blank("nl")
    nlp.add_pipe("terreur_normalizer")
    return nlp


def person(text, kb, context=None):
    return normalize_mention(text, "PERSON", kb=kb, context=context)


# --- one person, one id -----------------------------------------------------------


@pytest.mark.parametrize("spelling", YEZHOV_SPELLINGS)
def test_every_spelling_of_yezhov_links_through_the_engine(spelling, small_kb):
    result = person(spelling, small_kb)
    assert result["kb_id"] == YEZHOV, result
    assert result["canonical"] == "Nikolai Yezhov"
    assert result["cyrillic"] == "Николай Иванович Ежов"


@pytest.mark.parametrize("spelling", YEZHOV_SPELLINGS + ["Nikolaj Ivanovitsj Jezjov", "N.I. Jezjov", "Nikolai Ezhov"])
def test_every_spelling_of_yezhov_links_in_the_packaged_kb(spelling):
    assert normalize_mention(spelling, "PERSON")["kb_id"] == YEZHOV


@pytest.mark.parametrize(
    "text,method",
    [
        ("Nikolaj Ivanovitsj Jezjov", "translit"),
        ("Nikolai Iwanowitsch Jeschow", "translit"),
        ("Николай Иванович Ежов", "exact"),
        ("Nikolaj Jezjov", "translit"),  # given name + surname, no patronymic
        ("N.I. Jezjov", "surname"),
    ],
)
def test_full_names_link_in_any_system(text, method, small_kb):
    result = person(text, small_kb)
    assert (result["kb_id"], result["method"]) == (YEZHOV, method)


def test_every_kb_person_is_found_from_every_system_rendering_of_their_name():
    from pipeline.normalize import SYSTEMS, transliterate

    kb = default_kb()
    misses = [
        (system, entry.kb_id)
        for entry in kb.entries.values() if entry.label == "PERSON" and entry.cyrillic
        for system in SYSTEMS
        if normalize_mention(transliterate(entry.cyrillic, system), "PERSON", kb=kb)["kb_id"] != entry.kb_id
    ]
    assert misses == []


# --- genitives ----------------------------------------------------------------------


@pytest.mark.parametrize(
    "text,kb_id",
    [
        ("Stalins", "per-joseph-stalin"),
        ("Trotski’s", "per-leon-trotsky"),
        ("Trotski's", "per-leon-trotsky"),
        ("Jezjovs", YEZHOV),
        ("Zinovjevs", "per-grigory-zinoviev"),
    ],
)
def test_dutch_genitives_are_stripped(text, kb_id, small_kb):
    assert person(text, small_kb)["kb_id"] == kb_id


def test_a_name_ending_in_s_is_not_cut_when_unknown(small_kb):
    assert person("Menno Bos", small_kb)["canonical"] == "Menno Bos"


# --- surnames -------------------------------------------------------------------------


def test_surname_resolves_to_the_full_name_earlier_in_the_document(small_kb):
    context = MentionContext()
    assert person("Sergej Kamenev", small_kb, context)["kb_id"] == "per-sergey-kamenev"
    later = person("Kamenev", small_kb, context)
    assert (later["kb_id"], later["method"]) == ("per-sergey-kamenev", "context")
    assert person("Kamenevs", small_kb, context)["kb_id"] == "per-sergey-kamenev"


def test_document_context_does_not_leak_into_another_document(small_kb):
    context = MentionContext()
    person("Lev Kamenev", small_kb, context)
    assert person("Kamenev", small_kb, MentionContext())["kb_id"] is None


def test_unique_surname_resolves_to_the_only_person_with_it(small_kb):
    result = person("Zinovjev", small_kb)
    assert (result["kb_id"], result["method"]) == ("per-grigory-zinoviev", "surname")


def test_shared_surname_is_ambiguous_with_its_candidates(small_kb):
    result = person("Kamenev", small_kb)
    assert result["kb_id"] is None
    assert result["method"] == "ambiguous"
    assert result["candidates"] == ["per-lev-kamenev", "per-sergey-kamenev"]
    assert result["confidence"] == 0.5


def test_own_surname_beats_an_alias_surname(small_kb):
    # Natalia Sedova is also "Natalia Trotsky", but Trotsky is his surname.
    assert person("Trotski", small_kb)["kb_id"] == "per-leon-trotsky"


def test_given_name_picks_among_people_sharing_a_surname(small_kb):
    assert person("Lev Kamenev", small_kb)["kb_id"] == "per-lev-kamenev"
    assert person("Sergej Kamenev", small_kb)["kb_id"] == "per-sergey-kamenev"


def test_nickname_alias_links(small_kb):
    assert person("Koba", small_kb)["kb_id"] == "per-joseph-stalin"


# --- OCR noise --------------------------------------------------------------------------


@pytest.mark.parametrize(
    "text,kb_id,method",
    [
        ("Jez jov", YEZHOV, "ocr-join"),
        ("Stalln", "per-joseph-stalin", "fuzzy"),
        ("Staling", "per-joseph-stalin", "fuzzy"),
        ("Zinovjcv", "per-grigory-zinoviev", "fuzzy"),
        ("Nikolaj Jezjuv", YEZHOV, "fuzzy"),
    ],
)
def test_ocr_noise_links_with_lower_confidence(text, kb_id, method, small_kb):
    result = person(text, small_kb)
    assert (result["kb_id"], result["method"]) == (kb_id, method)
    assert result["confidence"] < 0.9


def test_fuzzy_threshold_is_respected(small_kb):
    assert normalize_mention("Stalln", "PERSON", kb=small_kb, fuzzy_threshold=95)["kb_id"] is None
    assert person("Smirnov", small_kb)["kb_id"] is None


# --- names not in the knowledge base ----------------------------------------------------


def test_unknown_russian_name_gets_romanisation_cyrillic_and_confidence(small_kb):
    result = person("Leonid Nikolayev", small_kb)
    assert result["kb_id"] is None
    assert result["canonical"] == "Leonid Nikolayev"
    assert result["cyrillic"] == "Леонид Николаев"
    assert 0 < result["confidence"] < 0.5


def test_unknown_cyrillic_name_is_romanised_bgn_style(small_kb):
    result = person("Николай Иванович Бухарин", small_kb)
    assert (result["kb_id"], result["canonical"], result["cyrillic"]) == (None, "Nikolay Ivanovich Bukharin", "Николай Иванович Бухарин")
    assert result["confidence"] == 0.5


def test_unknown_western_name_keeps_its_spelling_and_gets_no_cyrillic(small_kb):
    result = person("Erik van Ree", small_kb)
    assert (result["kb_id"], result["canonical"], result["cyrillic"]) == (None, "Erik van Ree", None)


def test_unknown_full_name_still_anchors_a_later_surname(small_kb):
    context = MentionContext()
    person("Leonid Nikolayev", small_kb, context)
    later = person("Nikolayevs", small_kb, context)
    assert (later["canonical"], later["method"]) == ("Leonid Nikolayev", "context")


def test_surname_first_with_comma_is_reordered(small_kb):
    assert person("Jezjov, Nikolaj Ivanovitsj", small_kb)["kb_id"] == YEZHOV


# --- other labels ---------------------------------------------------------------------


@pytest.mark.parametrize(
    "text,label,kb_id",
    [
        ("NKVD", "ORG", "org-nkvd"),
        ("N.K.V.D.", "ORG", "org-nkvd"),
        ("НКВД", "ORG", "org-nkvd"),
        ("Moskou", "LOC", "loc-moscow"),
        ("Moskva", "LOC", "loc-moscow"),
        ("eerste showproces", "TRIAL", "trial-trial-of-the-sixteen"),
        ("Zinovjev-Kamenev-proces", "TRIAL", "trial-trial-of-the-sixteen"),
    ],
)
def test_orgs_places_and_trials_link(text, label, kb_id, small_kb):
    result = normalize_mention(text, label, kb=small_kb)
    assert result["kb_id"] == kb_id
    assert "cyrillic" not in result


def test_org_found_among_places_says_its_type(small_kb):
    result = normalize_mention("Moskou", "ORG", kb=small_kb)
    assert (result["kb_id"], result["kb_type"]) == ("loc-moscow", "LOC")


def test_date_mention_carries_edtf(small_kb):
    result = normalize_mention("rond 15 maart 1938", "DATE", kb=small_kb)
    assert (result["kb_id"], result["edtf"]) == (None, "1938-03-15~")


def test_unknown_label_is_an_error(small_kb):
    with pytest.raises(ValueError, match="MISC"):
        normalize_mention("Jezjov", "MISC", kb=small_kb)


# --- knowledge base ---------------------------------------------------------------------


def test_packaged_kb_is_loaded_once():
    assert default_kb() is default_kb()
    assert load_kb(ROOT / "pipeline" / "data" / "kb") is load_kb(ROOT / "pipeline" / "data" / "kb")


def test_packaged_kb_follows_the_schema():
    kb = default_kb()
    assert len(kb) > 100
    for entry in kb.entries.values():
        assert re.fullmatch(r"(per|org|loc|trial)-[a-z0-9-]+", entry.kb_id), entry.kb_id
        assert entry.canonical


def test_kb_round_trips_through_jsonl(small_kb, tmp_path):
    small_kb.to_dir(tmp_path)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["orgs.jsonl", "persons.jsonl", "places.jsonl", "trials.jsonl"]
    assert KnowledgeBase.from_dir(tmp_path).records == small_kb.records


def test_bad_kb_record_names_file_and_line(tmp_path):
    from pipeline.errors import InputError

    srsly.write_jsonl(tmp_path / "persons.jsonl", [SMALL_KB_RECORDS[0], {"kb_id": "per-x"}])
    with pytest.raises(InputError, match=r"persons.jsonl:2: per-x: record has no 'canonical'"):
        KnowledgeBase.from_dir(tmp_path)


def test_kb_index_uses_the_invariant_key(small_kb):
    assert small_kb.by_surname(name_key("Jeschow")) == (YEZHOV,)


# --- the seed article ---------------------------------------------------------------------

# Every person mention in the seed article, in document order, with the
# person a historian means (checked by hand against the article and English
# Wikipedia). None means "ambiguous": the knowledge base has two Sedovs (Lev
# and Sergei), and the article names neither in full.
SEED_PERSONS = [
    ("Jozef Stalin", "per-joseph-stalin", "Joseph Stalin"),
    ("Menno Bos", "per-menno-bos", "Menno Bos"),
    ("Aleksej Navalny", "per-alexei-navalny", "Alexei Navalny"),
    ("Vjatsjeslav Molotov", "per-vyacheslav-molotov", "Vyacheslav Molotov"),
    ("Stalins", "per-joseph-stalin", "Joseph Stalin"),
    ("Lazar Kaganovitsj", "per-lazar-kaganovich", "Lazar Kaganovich"),
    ("Stalin", "per-joseph-stalin", "Joseph Stalin"),
    ("Andrej Vysjinski", "per-andrey-vyshinsky", "Andrey Vyshinsky"),
    ("Lenins", "per-vladimir-lenin", "Vladimir Lenin"),
    ("Grigorij Zinovjev", "per-grigory-zinoviev", "Grigory Zinoviev"),
    ("Leon Trotski", "per-leon-trotsky", "Leon Trotsky"),
    ("Sergei Kirov", "per-sergei-kirov", "Sergei Kirov"),
    ("Toechatsjevski", "per-mikhail-tukhachevsky", "Mikhail Tukhachevsky"),
    ("Boedjonny", "per-semyon-budyonny", "Semyon Budyonny"),
    ("Vorosjilov", "per-kliment-voroshilov", "Kliment Voroshilov"),
    ("Blücher", "per-vasily-blyukher", "Vasily Blyukher"),
    ("Jegorov", "per-alexander-yegorov", "Alexander Yegorov"),
    ("Kirov", "per-sergei-kirov", "Sergei Kirov"),
    ("Leonid Nikolayev", "per-leonid-nikolaev", "Leonid Nikolaev"),
    ("Nikolayev", "per-leonid-nikolaev", "Leonid Nikolaev"),
    ("Trotski", "per-leon-trotsky", "Leon Trotsky"),
    ("Zinovjev", "per-grigory-zinoviev", "Grigory Zinoviev"),
    ("Kamenev", "per-lev-kamenev", "Lev Kamenev"),
    ("Nikolayevs", "per-leonid-nikolaev", "Leonid Nikolaev"),
    ("Michail Rjoetin", "per-martemyan-ryutin", "Martemyan Ryutin"),
    ("Boris Jeltsin", "per-boris-yeltsin", "Boris Yeltsin"),
    ("Rjoetin", "per-martemyan-ryutin", "Martemyan Ryutin"),
    ("Koba", "per-joseph-stalin", "Joseph Stalin"),
    ("Henrich Jagoda", "per-genrikh-yagoda", "Genrikh Yagoda"),
    ("Erik van Ree", "per-erik-van-ree", "Erik van Ree"),
    ("Staling", "per-joseph-stalin", "Joseph Stalin"),
    ("Lenin", "per-vladimir-lenin", "Vladimir Lenin"),
    ("Trotski’s", "per-leon-trotsky", "Leon Trotsky"),
    ("Sedov", None, None),
    ("Vysjinski", "per-andrey-vyshinsky", "Andrey Vyshinsky"),
    ("Jagoda", "per-genrikh-yagoda", "Genrikh Yagoda"),
    ("Aleksej Rykov", "per-alexei-rykov", "Alexei Rykov"),
    ("Karl Radek", "per-karl-radek", "Karl Radek"),
    ("Nikolaj Boecharin", "per-nikolai-bukharin", "Nikolai Bukharin"),
    ("Radek", "per-karl-radek", "Karl Radek"),
    ("Georgi Pjatakov", "per-georgy-pyatakov", "Georgy Pyatakov"),
    ("Leonid Serebrajkov", "per-leonid-serebryakov", "Leonid Serebryakov"),
    ("Moeralov", "per-nikolai-muralov", "Nikolai Muralov"),
    ("Nikolaj Jezjov", YEZHOV, "Nikolai Yezhov"),
    ("Michail Toechatsjevski", "per-mikhail-tukhachevsky", "Mikhail Tukhachevsky"),
    ("Jezjov", YEZHOV, "Nikolai Yezhov"),
    ("Hitlers", "per-adolf-hitler", "Adolf Hitler"),
    ("Molotov", "per-vyacheslav-molotov", "Vyacheslav Molotov"),
    ("Boecharin", "per-nikolai-bukharin", "Nikolai Bukharin"),
    ("Rykov", "per-alexei-rykov", "Alexei Rykov"),
    ("Jezjovs", YEZHOV, "Nikolai Yezhov"),
    ("Hitler", "per-adolf-hitler", "Adolf Hitler"),
    ("Vadim Z. Rogovin", "per-vadim-rogovin", "Vadim Rogovin"),
    ("Marc Jansen", "per-marc-jansen", "Marc Jansen"),
    ("Nikita Petrov", "per-nikita-petrov", "Nikita Petrov"),
    ("Nikolai Ezhov", YEZHOV, "Nikolai Yezhov"),
    ("Robert W. Thurston", "per-robert-w-thurston", "Robert W. Thurston"),
    ("Robert Service", "per-robert-service", "Robert Service"),
    ("Simon Sebac Montefiore", "per-simon-sebag-montefiore", "Simon Sebag Montefiore"),
    ("Edward Radzinsky", "per-edvard-radzinsky", "Edvard Radzinsky"),
]

# Every date in the seed article, with its EDTF (None: no calendar anchor).
SEED_DATES = [
    ("20 maart 2007", "2007-03-20"),
    ("26 feb 2024", "2024-02-26"),
    ("1936 en 1938", "1936/1938"),
    ("1936-1938", "1936/1938"),
    ("19 augustus 1936", "1936-08-19"),
    ("1886-1934", "1886/1934"),
    ("1935", "1935"),
    ("1 december 1934", "1934-12-01"),
    ("begin jaren dertig", "193X"),
    ("najaar van 1932", "1932-23"),
    ("jaren dertig", "193X"),
    ("1989", "1989"),
    ("maart 1934", "1934-03"),
    ("1934", "1934"),
    ("1917", "1917"),
    ("eind jaren twintig", "192X"),
    ("23 tot 29 januari 1937", "1937-01-23/1937-01-29"),
    ("begin 1937", "1937"),
    ("maart 1937", "1937-03"),
    ("juni 1937", "1937-06"),
    ("juni 1941", "1941-06"),
    ("zomer van 1937", "1937-22"),
    ("maart 1938", "1938-03"),
    ("maart 1939", "1939-03"),
    ("Eind jaren dertig", "193X"),
    ("1998", "1998"),
    ("1895-1940", "1895/1940"),
    ("2002", "2002"),
    ("1934-1941", "1934/1941"),
    ("1996", "1996"),
    ("2004", "2004"),
    ("2003", "2003"),
    ("1937", "1937"),
    # not DATE under the guidelines, and must not get a date either
    ("Twee maanden later", None),
    ("vier jaar later", None),
    ("tien jaar", None),
    ("om halfdrie ’s nachts", None),
]


def test_seed_expectations_are_from_the_article(seed_text):
    missing = [text for text, *_ in SEED_PERSONS + SEED_DATES if text not in seed_text]
    assert missing == []


def test_every_person_in_the_seed_article(seed_text):
    context = MentionContext()
    got = []
    for text, _, _ in SEED_PERSONS:
        result = normalize_mention(text, "PERSON", context=context)
        got.append((text, result["kb_id"], result["canonical"]))
    assert got == SEED_PERSONS


def test_sedov_in_the_seed_article_is_ambiguous_between_trotskys_sons():
    result = normalize_mention("Sedov", "PERSON")
    assert result["candidates"] == ["per-lev-sedov", "per-sergei-sedov"]


def test_every_seed_person_in_the_kb_with_cyrillic_gets_it():
    context = MentionContext()
    for text, kb_id, _ in SEED_PERSONS:
        result = normalize_mention(text, "PERSON", context=context)
        if kb_id and default_kb().get(kb_id).cyrillic:
            assert result["cyrillic"] == default_kb().get(kb_id).cyrillic


@pytest.mark.parametrize("text,edtf", SEED_DATES)
def test_every_date_in_the_seed_article(text, edtf):
    result = normalize_mention(text, "DATE")
    assert result["edtf"] == edtf
    assert edtf is None or is_valid_edtf(result["edtf"])


# --- the component ------------------------------------------------------------------------


def make_doc(nlp, text, spans):
    doc = nlp.make_doc(text)
    ents = []
    for mention, label in spans:
        start = text.index(mention)
        ents.append(doc.char_span(start, start + len(mention), label))
    doc.ents = ents
    return doc


def test_component_adds_fields_to_every_entity(nlp_with_normalizer):
    text = "Nikolaj Jezjov kwam. Jezjovs beurt was op 19 augustus 1936 bij de NKVD in Moskou. Het Foo ding."
    doc = nlp_with_normalizer(make_doc(nlp_with_normalizer, text, [
        ("Nikolaj Jezjov", "PERSON"), ("Jezjovs", "PERSON"), ("19 augustus 1936", "DATE"),
        ("NKVD", "ORG"), ("Moskou", "LOC"), ("Foo", "MISC"),
    ]))
    fields = {e.text: (e._.kb_id, e._.canonical, e._.edtf) for e in doc.ents}
    assert fields == {
        "Nikolaj Jezjov": (YEZHOV, "Nikolai Yezhov", None),
        "Jezjovs": (YEZHOV, "Nikolai Yezhov", None),
        "19 augustus 1936": (None, "1936-08-19", "1936-08-19"),
        "NKVD": ("org-nkvd", "NKVD", None),
        "Moskou": ("loc-moscow", "Moscow", None),
        "Foo": (None, None, None),  # unknown label: no fields
    }
    assert doc.ents[0]._.cyrillic == "Николай Иванович Ежов"
    assert doc.ents[1]._.confidence == 0.9  # resolved from the full name before it


def test_component_marks_ambiguous_surnames_with_candidates(nlp_with_normalizer):
    doc = nlp_with_normalizer(make_doc(nlp_with_normalizer, "Trotski’s zoon Sedov.", [("Trotski", "PERSON"), ("Sedov", "PERSON")]))
    assert doc.ents[1]._.kb_id is None
    assert doc.ents[1]._.candidates == ["per-lev-sedov", "per-sergei-sedov"]


def test_component_lends_the_one_document_year_to_dates_without_one(nlp_with_normalizer):
    text = "Op 19 augustus 1936 begon het proces; op 24 augustus viel het vonnis."
    doc = nlp_with_normalizer(make_doc(nlp_with_normalizer, text, [("19 augustus 1936", "DATE"), ("24 augustus", "DATE")]))
    assert [e._.edtf for e in doc.ents] == ["1936-08-19", "1936-08-24"]


def test_component_gives_no_year_when_the_document_states_several(nlp_with_normalizer):
    text = "In 1936 en in 1937; op 24 augustus viel het vonnis."
    doc = nlp_with_normalizer(make_doc(nlp_with_normalizer, text, [("1936", "DATE"), ("1937", "DATE"), ("24 augustus", "DATE")]))
    assert doc.ents[2]._.edtf is None


def test_component_hands_a_failing_entity_to_spacys_error_handler(nlp_with_normalizer, monkeypatch):
    normalizer = nlp_with_normalizer.get_pipe("terreur_normalizer")

    def explode(*args, **kwargs):
        raise RuntimeError("boom")

    monkeypatch.setattr(normalizer.linker, "normalize", explode)
    doc = make_doc(nlp_with_normalizer, "Jezjov kwam.", [("Jezjov", "PERSON")])
    with pytest.raises(RuntimeError, match="boom"):  # spaCy's default handler raises
        nlp_with_normalizer(doc)
    seen = []
    normalizer.set_error_handler(lambda name, proc, docs, err: seen.append((name, str(err))))
    try:
        assert list(normalizer.pipe([doc])) == []  # the handler decides; this one drops the document
        assert seen == [("terreur_normalizer", "boom")]
    finally:
        del normalizer.error_handler


def test_component_registers_its_extensions_and_declares_them():
    from spacy.tokens import Span

    nlp = spacy.blank("nl")
    nlp.add_pipe("terreur_normalizer")
    assert all(Span.has_extension(name) for name in SPAN_EXTENSIONS)
    assert set(nlp.get_pipe_meta("terreur_normalizer").assigns) == {f"span._.{n}" for n in SPAN_EXTENSIONS}


def test_component_saves_its_kb_with_the_model(small_kb, tmp_path):
    nlp = spacy.blank("nl")
    normalizer = nlp.add_pipe("terreur_normalizer", config={"fuzzy_threshold": 90.0})
    normalizer.kb = small_kb
    nlp.to_disk(tmp_path)
    saved = tmp_path / "terreur_normalizer" / "kb" / "persons.jsonl"
    assert len(list(srsly.read_jsonl(saved))) == 7
    loaded = spacy.load(tmp_path).get_pipe("terreur_normalizer")
    assert len(loaded.kb) == len(small_kb)
    assert loaded.fuzzy_threshold == 90.0
    again = Normalizer(spacy.blank("nl")).from_bytes(normalizer.to_bytes())
    assert again.kb.records == small_kb.records


def test_component_initialize_reads_kb_path(small_kb, tmp_path):
    small_kb.to_dir(tmp_path / "kb")
    nlp = spacy.blank("nl")
    nlp.add_pipe("terreur_normalizer")
    nlp.config["initialize"]["components"]["terreur_normalizer"] = {"kb_path": str(tmp_path / "kb")}
    nlp.initialize()
    assert len(nlp.get_pipe("terreur_normalizer").kb) == len(small_kb)


# --- the CLI --------------------------------------------------------------------------


def run_cli(args, stdin):
    try:
        runner = CliRunner(mix_stderr=False)
    except TypeError:  # Click 8.2+ always keeps stderr apart
        runner = CliRunner()
    return runner.invoke(app, args, input=stdin)


def test_cli_writes_one_json_line_per_mention_in_order():
    result = run_cli(["normalize", "--label", "PERSON"], "Jezjov\nJeschow\nЕжов\n\nStalins\n")
    assert result.exit_code == 0, result.output
    lines = [srsly.json_loads(line) for line in result.stdout.splitlines()]
    assert [r["text"] for r in lines] == ["Jezjov", "Jeschow", "Ежов", "", "Stalins"]
    assert [r["kb_id"] for r in lines] == [YEZHOV, YEZHOV, YEZHOV, None, "per-joseph-stalin"]
    for record in lines:
        assert {"text", "label", "kb_id", "canonical", "cyrillic"} <= set(record)
    assert "normalized 5" in result.stderr


def test_cli_dates_carry_edtf():
    result = run_cli(["normalize", "--label", "DATE"], "Zaterdag 22 Augustus 1936\nvandaag\n")
    assert result.exit_code == 0, result.output
    lines = [srsly.json_loads(line) for line in result.stdout.splitlines()]
    assert [r["edtf"] for r in lines] == ["1936-08-22", None]


def test_cli_document_mode_resolves_surnames_from_earlier_lines():
    result = run_cli(["normalize", "--label", "PERSON", "--document"], "Sergej Sedov\nSedov\n")
    assert result.exit_code == 0, result.output
    assert [srsly.json_loads(line)["kb_id"] for line in result.stdout.splitlines()] == ["per-sergei-sedov"] * 2


def test_cli_rejects_a_label_outside_the_guidelines():
    result = run_cli(["normalize", "--label", "MISC"], "Jezjov\n")
    assert result.exit_code == 2
    assert "PERSON, ORG, LOC, DATE, TRIAL" in result.stderr
    assert result.stdout == ""


def test_cli_help_shows_an_example():
    result = run_cli(["normalize", "--help"], "")
    assert result.exit_code == 0
    assert "terreur normalize --label PERSON" in result.stdout


@pytest.mark.parametrize("initials", ["H.", "E. W.", "J."])
def test_initials_alone_are_unknown_not_an_error(initials):
    # seen in Europeana newspapers, where the model tags bare initials as PERSON
    result = normalize_mention(initials, "PERSON")
    assert result["kb_id"] is None and result["confidence"] < 0.5

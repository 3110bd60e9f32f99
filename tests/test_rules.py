from __future__ import annotations

import pytest
from spacy.tokens import Span

from pipeline.normalize import load_kb
from pipeline.rules import date_patterns, kb_phrase_patterns, trim_span


@pytest.fixture(scope="module")
def nlp_with_rules(nlp_blank):
    from pipeline.tokenizer import make_blank_dutch

    nlp = make_blank_dutch()
    dates = nlp.add_pipe("span_ruler", name="terreur_dates", config={"annotate_ents": True, "spans_key": None})
    dates.add_patterns(date_patterns())
    names = nlp.add_pipe("span_ruler", name="terreur_names", config={"annotate_ents": True, "spans_key": None, "overwrite": False})
    names.add_patterns(kb_phrase_patterns(load_kb()))
    nlp.add_pipe("terreur_boundaries")
    return nlp


@pytest.mark.parametrize(
    "text,expected",
    [
        ("Op zaterdag 22 augustus 1936 begon het.", "zaterdag 22 augustus 1936"),
        ("van 23 tot 29 januari 1937", "23 tot 29 januari 1937"),
        ("in de zomer van 1937 werd", "zomer van 1937"),
        ("begin jaren dertig kwam", "begin jaren dertig"),
        ("Kirov (1886-1934) werd", "1886-1934"),
        ("op 19-8-1936 begon", "19-8-1936"),
        ("rond 15 maart 1938 werd", "rond 15 maart 1938"),
        ("den 24sten Augustus 1936 verscheen", "24sten Augustus 1936"),
        ("van 5 november 1926 - 10 november 1930 was hij", "5 november 1926 - 10 november 1930"),
    ],
)
def test_date_patterns_find_guideline_spans(nlp_with_rules, text, expected):
    assert [e.text for e in nlp_with_rules(text).ents if e.label_ == "DATE"] == [expected]


def test_kb_names_are_found_case_sensitively(nlp_with_rules):
    doc = nlp_with_rules("De NKVD-agenten brachten Jezjov en Jagoda naar het Zinovjev-Kamenev-proces.")
    found = {(e.text, e.label_) for e in doc.ents}
    assert {("NKVD", "ORG"), ("Jezjov", "PERSON"), ("Jagoda", "PERSON"), ("Zinovjev-Kamenev-proces", "TRIAL")} <= found


def test_generic_lowercase_words_are_left_to_the_model():
    names = {p["pattern"] for p in kb_phrase_patterns(load_kb())}
    assert "showprocessen" not in names and "goelag" not in names
    assert "Zinovjev-Kamenev-proces" in names and "Proces van de Zestien" in names


@pytest.mark.parametrize(
    "text,start,end,label,expected",
    [
        ("De NKVD kwam.", 0, 2, "ORG", "NKVD"),
        ("zei – 9 juli 2012 hij", 1, 5, "DATE", "9 juli 2012"),
        ("Trotski’s zoon", 0, 2, "PERSON", "Trotski"),
        ("de RSDLP (b) was", 1, 5, "ORG", "RSDLP (b)"),
        ("(Moskou) lag", 0, 3, "LOC", "Moskou"),
        ("Erik de Jonge", 1, 3, "PERSON", "de Jonge"),
    ],
)
def test_boundaries_follow_the_guidelines(nlp_blank, text, start, end, label, expected):
    doc = nlp_blank.make_doc(text)
    assert trim_span(Span(doc, start, end, label=label)).text == expected


def test_boundaries_drop_a_span_of_punctuation(nlp_blank):
    doc = nlp_blank.make_doc("hij zei: – ja")
    assert trim_span(Span(doc, 3, 4, label="DATE")) is None


def test_transliterated_names_cover_every_system_and_skip_shared_surnames():
    from pipeline.rules import transliterated_names

    names = {}
    for label, name, kb_id in transliterated_names(load_kb()):
        names.setdefault(name, set()).add(kb_id)
    for spelling in ["Jezjov", "Jeschow", "Yezhov", "Iejov", "Ežov", "Ежов", "Jezjow", "Jeżow", "Nikolai Yezhov"]:
        assert names.get(spelling) == {"per-nikolai-yezhov"}, spelling
    assert "Sedov" not in names and "Седов" not in names  # Lev and Sergei Sedov share it
    assert names["Lev Sedov"] == {"per-lev-sedov"}


def test_name_swap_augmenter_respells_persons_and_keeps_the_rest(nlp_blank):
    import srsly
    from spacy.training import Example

    from pipeline.training import create_name_swap_augmenter, doc_for_training

    from conftest import GOLD_DIR

    task = next(t for t in srsly.read_jsonl(GOLD_DIR / "terror.jsonl") if t["meta"]["id"] == "web018")
    reference = doc_for_training(nlp_blank, task, source="gold", line=1)
    augment = create_name_swap_augmenter(level=1.0, seed=3)
    original, twin = list(augment(nlp_blank, Example(nlp_blank.make_doc(reference.text), reference)))
    assert original.reference is reference
    before = [(e.text, e.label_) for e in reference.ents]
    after = [(e.text, e.label_) for e in twin.reference.ents]
    assert [label for _, label in after] == [label for _, label in before]
    assert [t for t, label in after if label != "PERSON"] == [t for t, label in before if label != "PERSON"]
    assert [t for t, label in after if label == "PERSON"] != [t for t, label in before if label == "PERSON"]
    assert twin.predicted.text == twin.reference.text


def test_name_swap_augmenter_leaves_partially_annotated_examples(nlp_blank):
    from spacy.training import Example

    from pipeline.training import create_name_swap_augmenter, doc_for_training

    task = {"text": "Thorbecke kwam den 12 maart te Amsterdam", "spans": [{"start": 0, "end": 9, "label": "PERSON"}],
            "meta": {"labels_annotated": ["PERSON", "LOC", "ORG"]}}
    reference = doc_for_training(nlp_blank, task, source="x", line=1)
    assert len(list(create_name_swap_augmenter(level=1.0)(nlp_blank, Example(nlp_blank.make_doc(reference.text), reference)))) == 1

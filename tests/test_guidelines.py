"""The guidelines' vocabulary has one home, and the rules that read it bite.

Each test here fails when the rule it names is switched off: the
boundaries component made a no-op, the IOB leading-article rule disabled,
or a reader of the guidelines' words given its own copy again.
"""
from __future__ import annotations

import pytest
from spacy.tokens import Span

from pipeline import guidelines
from pipeline.iob import iob_to_tasks


def test_readers_of_the_date_words_share_them():
    from pipeline import rules
    from pipeline.normalize import dates
    from pipeline.training.corpus import DATE_LIKE

    # the parser reads the guidelines' month words and adds foreign ones to its own copy only
    assert all(dates.MONTHS[word] == number for word, number in guidelines.MONTHS.items())
    assert "dezember" in dates.MONTHS and "dezember" not in guidelines.MONTHS
    assert set(rules.MONTHS) == set(guidelines.DUTCH_MONTHS) | {f"{a}." for a in guidelines.MONTH_ABBREVIATIONS}
    for word in guidelines.DUTCH_MONTHS + guidelines.MONTH_ABBREVIATIONS + guidelines.WEEKDAYS + guidelines.SEASONS:
        assert DATE_LIKE.match(word) and DATE_LIKE.match(word.capitalize() + "."), word
    assert not DATE_LIKE.match("Moskou")


def test_the_edge_punctuation_sets_differ_only_where_ocr_needs_it():
    assert guidelines.EDGE_PUNCT - guidelines.OCR_EDGE_PUNCT == {"/", "•", "·"}
    assert guidelines.OCR_EDGE_PUNCT - guidelines.EDGE_PUNCT == {"`", "´"}


@pytest.mark.parametrize(
    "first,following,label,expected",
    [
        ("de", "NKVD", "ORG", True),
        ("De", "venter", "LOC", False),  # an OCR-split "Deventer"
        ("de", "Jonge", "PERSON", False),  # part of the surname
        ("het", "proces", "TRIAL", True),
        ("Het", "Kremlin", "LOC", True),
        ("Den", "Haag", "LOC", False),  # a fixed article of a place name (round 2)
        ("den", "Haag", "LOC", False),
        ("De", "Bilt", "LOC", False),
        ("De", "Telegraaf", "ORG", True),
        ("Moskou", "Kremlin", "LOC", False),
    ],
)
def test_starts_with_article(first, following, label, expected):
    assert guidelines.starts_with_article(first, following, label) is expected


# --- the boundaries component, run as a pipeline component ------------------------------------


@pytest.fixture(scope="module")
def nlp_boundaries():
    from pipeline.tokenizer import make_blank_dutch

    nlp = make_blank_dutch()
    nlp.add_pipe("terreur_boundaries")
    return nlp


@pytest.mark.parametrize(
    "text,span_words,label,expected",
    [
        ("Hij werkte voor de NKVD in Moskou.", (3, 5), "ORG", "NKVD"),
        ("Hij kwam uit (Moskou) terug.", (3, 6), "LOC", "Moskou"),
        ("Het was Stalin ’s schuld.", (2, 4), "PERSON", "Stalin"),
        ("– 9 juli 2012 was het.", (0, 4), "DATE", "9 juli 2012"),
        ("Erik de Jonge schreef.", (0, 3), "PERSON", "Erik de Jonge"),
    ],
)
def test_boundaries_component_trims_entities_in_the_pipeline(nlp_boundaries, text, span_words, label, expected):
    doc = nlp_boundaries.make_doc(text)
    doc.ents = [Span(doc, *span_words, label=label)]
    doc = nlp_boundaries(doc)
    assert [(e.text, e.label_) for e in doc.ents] == [(expected, label)]


def test_shipped_model_runs_the_boundaries_component():
    from pipeline.tag import default_model_path

    import spacy

    nlp = spacy.load(default_model_path())
    assert "terreur_boundaries" in nlp.pipe_names
    doc = nlp.make_doc("Hij werkte voor de NKVD.")
    doc.ents = [Span(doc, 3, 5, label="ORG")]
    assert [e.text for e in nlp.get_pipe("terreur_boundaries")(doc).ents] == ["NKVD"]


# --- IOB conversion --------------------------------------------------------------------------------


def test_iob_conversion_leaves_the_leading_article_out_of_names():
    lines = ["De B-ORG", "Twentsche I-ORG", "Courant I-ORG", "meldt O", "dat O", "De B-LOC", "venter I-LOC", "groeit O", ". O"]
    (task,) = iob_to_tasks(lines, source="x.bio")
    found = [(task["text"][s["start"]:s["end"]], s["label"]) for s in task["spans"]]
    assert found == [("Twentsche Courant", "ORG"), ("De venter", "LOC")]


def test_iob_conversion_keeps_a_persons_article():
    (task,) = iob_to_tasks(["De B-PER", "Witt I-PER", "schreef O"], source="x.bio")
    assert [task["text"][s["start"]:s["end"]] for s in task["spans"]] == ["De Witt"]

"""Every span the guidelines allow must be token-aligned."""
from __future__ import annotations

import pytest
import srsly

from conftest import GOLD_DIR

# (text, span text) pairs from annotations/GUIDELINES.md: the span must be a
# whole number of tokens inside the text.
GUIDELINE_SPANS = [
    ("de NKVD arresteerde hem", "NKVD"),
    ("maarschalk Michail Toechatsjevski werd", "Michail Toechatsjevski"),
    ("het tweede showproces begon", "tweede showproces"),
    ("in de zomer van 1937 werd", "zomer van 1937"),
    ("Nikolaj Ivanovitsj Jezjov was", "Nikolaj Ivanovitsj Jezjov"),
    ("in Stalins datsja", "Stalins"),
    ("Lenins testament", "Lenins"),
    ("Trotski’s zoon", "Trotski"),
    ("Trotski's zoon", "Trotski"),
    ("de NKVD-agenten kwamen", "NKVD"),
    ("een Stalin-deskundige zei", "Stalin"),
    ("de Sovjet-Unie", "Sovjet-Unie"),
    ("het Zinovjev-Kamenev-proces", "Zinovjev-Kamenev-proces"),
    ("tussen 1936-1938", "1936-1938"),
    ("van 23 tot 29 januari 1937", "23 tot 29 januari 1937"),
    ("tussen 1936 en 1938 teisterde", "1936 en 1938"),
    ("Kirov (1886-1934) werd", "1886-1934"),
    ("Kirov (1886-1934) werd", "Kirov"),
    ("Zinovjev en Kamenev", "Zinovjev"),
    ("Zinovjev en Kamenev", "Kamenev"),
    ("het Moskouse en Leningradse Centrum", "Moskouse en Leningradse Centrum"),
    ("het volkscommissariaat van Zware Industrie", "volkscommissariaat van Zware Industrie"),
    ("door N.I. Jezjov getekend", "N.I. Jezjov"),
    ("Radek, Karl Bernhardovitsj (1885)", "Radek, Karl Bernhardovitsj"),
    ("Karl Radek.jpg", "Karl Radek"),
    ("de NKVD van de USSR", "NKVD van de USSR"),
    ("in de Oktoberzaal van het Huis van de Vakbonden", "Oktoberzaal van het Huis van de Vakbonden"),
    ("maarschalk van de Sovjet-Unie", "Sovjet-Unie"),
    ("de slag om Borodino", "Borodino"),
    ("het Eerste proces in Moskou", "Eerste proces in Moskou"),
    ("op zaterdag 22 augustus 1936 werden", "zaterdag 22 augustus 1936"),
    ("rond 15 maart 1938 werd", "rond 15 maart 1938"),
    ("circa 1936 was", "circa 1936"),
    ("in 1936 en 1937", "1937"),
    ("het NKVD-hoofd", "NKVD"),
    ("‘Koba’ noemde hem", "Koba"),
    ("„Jeschow” schreef", "Jeschow"),
    ("Ежов и Ягода", "Ежов"),
    ("den 24sten Augustus 1936", "24sten Augustus 1936"),
    ("op 19-8-1936 begon", "19-8-1936"),
    ("te 's-Gravenhage", "'s-Gravenhage"),
    ("Moskou,Leningrad en Kiev", "Leningrad"),
    ("¬Stalin| zeide", "Stalin"),
    ("de Goelag-kampen", "Goelag"),
    ("Blok van Rechtsen en Trotskisten", "Blok van Rechtsen en Trotskisten"),
]


@pytest.mark.parametrize("text,span_text", GUIDELINE_SPANS)
def test_guideline_span_is_token_aligned(nlp_blank, text, span_text):
    doc = nlp_blank.make_doc(text)
    start = text.index(span_text)
    span = doc.char_span(start, start + len(span_text))
    assert span is not None, [t.text for t in doc]
    assert span.text == span_text


def test_compound_keeps_its_parts_as_tokens(nlp_blank):
    assert [t.text for t in nlp_blank("NKVD-agenten")] == ["NKVD", "-", "agenten"]
    assert [t.text for t in nlp_blank("Trotski’s")] == ["Trotski", "’s"]
    assert [t.text for t in nlp_blank("Stalins")] == ["Stalins"]


def test_abbreviations_stay_whole(nlp_blank):
    assert [t.text for t in nlp_blank("d.w.z. N.I. Jezjov enz.")] == ["d.w.z.", "N.I.", "Jezjov", "enz."]


def test_tokenizer_survives_serialization(nlp_blank, tmp_path):
    import spacy

    nlp_blank.to_disk(tmp_path / "nlp")
    reloaded = spacy.load(tmp_path / "nlp")
    text = "De NKVD-agenten en Trotski’s zoon, 1936-1938."
    assert [t.text for t in reloaded(text)] == [t.text for t in nlp_blank(text)]


def gold_tasks():
    for path in sorted(GOLD_DIR.glob("*.jsonl")):
        for line, task in enumerate(srsly.read_jsonl(path), start=1):
            yield path, line, task


def test_every_gold_span_is_token_aligned(nlp_blank):
    tasks = list(gold_tasks())
    assert tasks, f"no gold annotations under {GOLD_DIR}"
    problems = []
    for path, line, task in tasks:
        doc = nlp_blank.make_doc(task["text"])
        for span in task["spans"]:
            if doc.char_span(span["start"], span["end"]) is None:
                problems.append(f"{path.name}:{line}: {task['text'][span['start']:span['end']]!r}")
    assert not problems, "\n".join(problems)

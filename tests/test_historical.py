"""The open historical corpora convert into tasks with the guidelines' labels, and unmarked labels stay unknown."""
from __future__ import annotations

import json

import pytest
import srsly

from pipeline.brat import brat_to_task, name_spans, read_ann
from pipeline.iob import iob_to_tasks, tasks_with_tokens
from pipeline.training import doc_for_training
from pipeline.corpus import correction_counts, split_corpus
from pipeline.errors import InputError

from conftest import CORPUS

UNSILENCE = CORPUS / "unsilence-voc" / "annotated_data"
EHRI = CORPUS / "ehri-nl" / "ehri_nl.txt"
VOC_DEV = CORPUS / "voc-missives" / "dev.conll"


def test_unsilence_names_take_the_kind_that_contains_them():
    # A/NL-HaNA_1.04.02_1092_0022: "Ma Sara Voortsz" is a ProperName inside a Person span, Batavia inside a Place,
    # and the unnamed "slaven" is a Person mention with no name: not an entity under the guidelines
    txt = next(p for p in sorted(UNSILENCE.rglob("*.txt")) if "Ma\nSara Voortsz" in p.read_text(encoding="utf-8"))
    task = brat_to_task(txt)
    found = {(task["text"][s["start"] : s["end"]], s["label"]) for s in task["spans"]}
    assert ("Ma\nSara Voortsz", "PERSON") in found
    assert ("Batavia", "LOC") in found
    assert not any(text.lower().startswith("slav") for text, _ in found)
    assert all(label in ("PERSON", "LOC", "ORG") for _, label in found)


def test_a_name_without_a_kind_is_unknown_not_outside(tmp_path, nlp_blank):
    (tmp_path / "d.txt").write_text("De heer Pieter Boon woonde in Batavia bij de Compagnie .", encoding="utf-8")
    (tmp_path / "d.ann").write_text(
        "T1\tPerson 8 19\tPieter Boon\nT2\tProperName 8 19\tPieter Boon\nT3\tProperName 30 37\tBatavia\n"
        "T4\tProperName 45 54\tCompagnie\nT5\tOrganization 45 54\tCompagnie\nA1\tGender T1 Man\n",
        encoding="utf-8",
    )
    task = brat_to_task(tmp_path / "d.txt", meta={"labels_annotated": ["PERSON", "LOC", "ORG"]})
    assert [(s["start"], s["end"], s["label"]) for s in task["spans"]] == [(8, 19, "PERSON"), (45, 54, "ORG")]
    assert task["meta"]["unknown_spans"] == [[30, 37]]
    (tokenized,) = tasks_with_tokens(nlp_blank, [task])
    doc = doc_for_training(nlp_blank, {**tokenized, "meta": task["meta"]}, source="d.txt", line=1)
    iob = {t.text: t.ent_iob_ for t in doc}
    assert iob["Batavia"] == ""  # missing: the model is not told it is no entity
    assert iob["woonde"] == "O" and iob["Pieter"] == "B" and iob["Compagnie"] == "B"


def test_bad_brat_offsets_name_the_file_and_line(tmp_path):
    (tmp_path / "d.ann").write_text("T1\tPerson 8 19\tPieter Boon\nT2\tPlace x 3\tBat\n", encoding="utf-8")
    with pytest.raises(InputError) as err:
        read_ann(tmp_path / "d.ann")
    assert str(err.value).startswith(f"{tmp_path / 'd.ann'}:2: [E034] bad BRAT offsets")


def test_nested_names_keep_the_longest(tmp_path):
    path = tmp_path / "nested.ann"
    path.write_text("T1\tPerson 0 20\tx\nT2\tProperName 0 20\tx\nT3\tProperName 12 20\tx\nT4\tPlace 12 20\tx\n", encoding="utf-8")
    labelled, unknown = name_spans(read_ann(path))
    assert labelled == [(0, 20, "PERSON")] and unknown == []


def test_ehri_tags_map_to_the_guidelines_labels():
    lines = EHRI.read_text(encoding="utf-8").splitlines()
    plain = [s["label"] for t in iob_to_tasks(lines, source=str(EHRI)) for s in t["spans"]]
    mapped = [s["label"] for t in iob_to_tasks(lines, source=str(EHRI), label_map={"CAMP": "LOC", "GHETTO": "LOC"}) for s in t["spans"]]
    assert plain.count("PERSON") == 17  # EHRI writes PERS
    assert mapped.count("LOC") == plain.count("LOC") + 2  # the two camps
    assert mapped.count("DATE") == 7


def test_voc_missives_dev_converts_without_ship_or_derived_tags():
    lines = VOC_DEV.read_text(encoding="utf-8").splitlines()
    tasks = list(iob_to_tasks(lines, source=str(VOC_DEV), meta={"labels_annotated": ["PERSON", "LOC", "ORG"]}))
    labels = {s["label"] for t in tasks for s in t["spans"]}
    assert labels == {"PERSON", "LOC", "ORG"}
    raw = sum(1 for line in lines if line.split()[-1:] and line.split()[-1] in ("B-LOC", "B-PER", "B-ORG"))
    assert sum(len(t["spans"]) for t in tasks) == raw


def test_split_refuses_a_blind_document(tmp_path):
    manifest = tmp_path / "manifest.jsonl"
    srsly.write_jsonl(manifest, [{"id": "a", "split": "train"}, {"id": "b", "split": "test-blind"}])
    gold = tmp_path / "gold.jsonl"
    srsly.write_jsonl(gold, [{"text": "Jezjov", "meta": {"id": "a"}, "spans": []}, {"text": "Jagoda", "meta": {"id": "b"}, "spans": []}])
    with pytest.raises(InputError) as err:
        split_corpus([gold], manifest, tmp_path / "out")
    assert f"{gold}:2" in str(err.value) and "test-blind" in str(err.value)


def test_correction_counts(tmp_path):
    pre, corrected = tmp_path / "pre.jsonl", tmp_path / "c.jsonl"
    text = "Jezjov en Jagoda in Moskou op 5 maart 1937"
    srsly.write_jsonl(pre, [{"text": text, "meta": {"id": "d"}, "spans": [
        {"start": 0, "end": 6, "label": "PERSON"}, {"start": 10, "end": 16, "label": "ORG"}, {"start": 17, "end": 19, "label": "LOC"}]}])
    srsly.write_jsonl(corrected, [{"text": text, "meta": {"id": "d"}, "spans": [
        {"start": 0, "end": 6, "label": "PERSON"}, {"start": 10, "end": 16, "label": "PERSON"}, {"start": 20, "end": 26, "label": "LOC"},
        {"start": 30, "end": 42, "label": "DATE"}]}])
    counts = correction_counts(pre, corrected)
    assert {k: counts[k] for k in ("documents", "kept", "changed", "added", "removed")} == {
        "documents": 1, "kept": 1, "changed": 1, "added": 2, "removed": 1}


def test_validation_keeps_the_fixed_article_of_a_place_but_not_of_an_organisation(nlp_blank):
    from pipeline.validate import validate_task

    text = "In Den Haag las men De Telegraaf ."  # and 1930s "den Haag" too
    place = validate_task(nlp_blank, {"text": text, "spans": [{"start": 3, "end": 11, "label": "LOC"}]}, source="t", line=1)
    paper = validate_task(nlp_blank, {"text": text, "spans": [{"start": 20, "end": 32, "label": "ORG"}]}, source="t", line=1)
    assert place == []
    assert len(paper) == 1 and "article 'De'" in str(paper[0])


def test_corpus_report_counts_per_source_with_two_agreement_pairs_and_a_correction(tmp_path):
    from typer.testing import CliRunner

    from pipeline.cli import app

    text = "Jezjov en Jagoda in Moskou op 5 maart 1937 ."
    spans = [{"start": 0, "end": 6, "label": "PERSON"}, {"start": 20, "end": 26, "label": "LOC"}]
    gold_a = tmp_path / "a.jsonl"
    srsly.write_jsonl(gold_a, [{"text": text, "meta": {"id": "d1", "source": "corpus/terror/pages/d1.json"}, "spans": spans}])
    gold_b = tmp_path / "b.jsonl"
    srsly.write_jsonl(gold_b, [{"text": text, "meta": {"id": "d2", "source": "corpus/general/ud/d2.json"}, "spans": spans[:1]}])
    manifest = tmp_path / "manifest.jsonl"
    srsly.write_jsonl(manifest, [{"id": "d1", "split": "train"}, {"id": "d2", "split": "dev"}])
    pre = tmp_path / "pre.jsonl"
    srsly.write_jsonl(pre, [{"text": text, "meta": {"id": "d1"}, "spans": spans[:1]}])
    out = tmp_path / "report.json"
    result = CliRunner().invoke(app, [str(a) for a in (
        "corpus", "report", gold_a, gold_b, "--manifest", manifest, "--agreement", gold_a, "--agreement", gold_a,
        "--agreement", gold_b, "--agreement", gold_b, "--correction", pre, "--correction", gold_a, "-o", out)])
    assert result.exit_code == 0, result.output
    report = json.loads(out.read_text(encoding="utf-8"))
    assert report["counts_by_source"] == {
        "dev general/ud": {"documents": 1, "tokens": 10, "PERSON": 1},
        "train terror/pages": {"documents": 1, "tokens": 10, "PERSON": 1, "LOC": 1},
    }
    assert [a["scores"]["ALL"]["f"] for a in report["agreement"]] == [1.0, 1.0]
    assert report["corrections"] == [{"documents": 1, "pre": str(pre), "corrected": str(gold_a), "kept": 1, "changed": 0, "added": 1, "removed": 0}]
    assert "train terror/pages" in result.stdout
    odd = CliRunner().invoke(app, ["corpus", "report", str(gold_a), "--manifest", str(manifest), "--agreement", str(gold_a)])
    assert odd.exit_code == 2 and "pairs" in odd.output

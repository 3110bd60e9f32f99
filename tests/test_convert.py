from __future__ import annotations

import json
import re

import pytest
import srsly
from spacy.tokens import DocBin

from pipeline.iob import iob_to_tasks, tasks_with_tokens
from pipeline.scoring import span_scores
from pipeline.tasks import doc_to_task, docs_to_docbin, input_hash, read_prodigy_jsonl, set_hashes, task_hash, task_to_doc
from pipeline.validate import validate_file, validate_task
from pipeline.errors import InputError
from pipeline.files import write_jsonl_atomic

from conftest import DATA, GOLD_DIR


def gold_seed_task():
    for task in srsly.read_jsonl(GOLD_DIR / "terror.jsonl"):
        if task["meta"]["id"] == "seed-grote-terreur":
            return task
    raise AssertionError("the seed article is not in the gold file")


def test_seed_article_round_trip_is_lossless(nlp_blank):
    task = gold_seed_task()
    assert len(task["spans"]) > 100
    task = doc_to_task(task_to_doc(nlp_blank, task))  # give it tokens and hashes once
    again = doc_to_task(task_to_doc(nlp_blank, json.loads(json.dumps(task))))
    assert again == task


def test_round_trip_through_docbin_keeps_everything(nlp_blank, tmp_path):
    task = doc_to_task(task_to_doc(nlp_blank, gold_seed_task()))
    task["spans"][0]["kb_id"] = "per-joseph-stalin"
    doc = task_to_doc(nlp_blank, task)
    docs_to_docbin([doc]).to_disk(tmp_path / "seed.spacy")
    (restored,) = DocBin().from_disk(tmp_path / "seed.spacy").get_docs(nlp_blank.vocab)
    assert doc_to_task(restored) == task


def test_tokens_follow_prodigy_format(nlp_blank):
    task = doc_to_task(task_to_doc(nlp_blank, {"text": "De NKVD-agenten kwamen.", "spans": [{"start": 3, "end": 7, "label": "ORG"}]}))
    assert task["tokens"][1] == {"text": "NKVD", "start": 3, "end": 7, "id": 1, "ws": False}
    assert task["spans"] == [{"start": 3, "end": 7, "token_start": 1, "token_end": 1, "label": "ORG"}]
    assert task["answer"] == "accept" and task["_view_id"] == "ner_manual"
    assert isinstance(task["_timestamp"], int)


def test_hashes_are_stable_and_follow_the_annotation():
    task = {"text": "Jezjov", "spans": [{"start": 0, "end": 6, "label": "PERSON"}]}
    # fixed values: the same on every run and machine (MurmurHash3 of sorted-key JSON)
    assert input_hash(task) == input_hash({"text": "Jezjov", "meta": {"other": 1}})
    assert task_hash(task) != task_hash({"text": "Jezjov", "spans": []})
    assert set_hashes(dict(task))["_input_hash"] == input_hash(task)


def test_changed_spans_get_a_new_task_hash(nlp_blank):
    task = set_hashes({"text": "Jagoda en Jezjov", "spans": [{"start": 0, "end": 6, "label": "PERSON"}]})
    doc = task_to_doc(nlp_blank, task)
    assert doc_to_task(doc)["_task_hash"] == task["_task_hash"]
    doc.ents = list(doc.ents) + [doc.char_span(10, 16, label="PERSON")]
    assert doc_to_task(doc)["_task_hash"] != task["_task_hash"]


def test_misaligned_span_names_file_line_and_tokens(nlp_blank):
    with pytest.raises(InputError) as err:
        task_to_doc(nlp_blank, {"text": "De NKVD-agenten", "spans": [{"start": 3, "end": 9, "label": "ORG"}]}, source="gold.jsonl", line=7)
    assert re.match(r"gold.jsonl:7: \[E\d{3}\] span 3-9 'NKVD-a'", str(err.value))


EXPECTED_PROBLEMS = {
    2: "not valid JSON",
    3: "no 'text' field",
    4: "outside the text",
    5: "starts with the article 'De'",
    6: "not on token boundaries",
    7: "overlaps",
    8: "unknown label 'PLACE'",
    9: "token_end 8 < token_start 9",
    10: "says text 'Moscow' but the text there is 'Moskou'",
    11: "also on line 1 with different spans",
}


def test_validate_reports_every_problem_with_its_line(nlp_blank):
    path = DATA / "broken.jsonl"
    count, problems = validate_file(nlp_blank, path)
    assert count == 11
    by_line = {p.line: p.reason for p in problems}
    assert set(by_line) == set(EXPECTED_PROBLEMS)
    for line, fragment in EXPECTED_PROBLEMS.items():
        assert fragment in by_line[line], (line, by_line[line])
    assert all(str(p).startswith(f"{path}:{p.line}:") for p in problems)


def test_valid_task_has_no_problems(nlp_blank):
    task = {"text": "Jezjov en Jagoda in Moskou", "spans": [{"start": 0, "end": 6, "label": "PERSON"}, {"start": 20, "end": 26, "label": "LOC"}]}
    assert validate_task(nlp_blank, task, source="x", line=1) == []


def test_token_indices_are_checked(nlp_blank):
    task = {"text": "Jezjov en Jagoda", "spans": [{"start": 10, "end": 16, "label": "PERSON", "token_start": 1, "token_end": 1}]}
    (problem,) = validate_task(nlp_blank, task, source="x", line=1)
    assert "do not match the tokens (2-2)" in problem.reason


EUROPEANA_SNIPPET = """De O
heer O
Thorbecke B-PER
te O
's B-LOC
Gravenhage, I-LOC
en O
de O
Nederlandsche B-ORG
Bank I-ORG
te O
Amsterdam. B-LOC
"""


def test_iob_to_tasks_maps_labels_and_trims_punctuation(nlp_blank):
    tasks = list(iob_to_tasks(EUROPEANA_SNIPPET.splitlines(), source="enp.bio", meta={"labels_annotated": ["PERSON", "LOC", "ORG"]}))
    (task,) = list(tasks_with_tokens(nlp_blank, tasks, source="enp.bio"))
    found = [(task["text"][s["start"]:s["end"]], s["label"]) for s in task["spans"]]
    assert found == [("Thorbecke", "PERSON"), ("'s Gravenhage", "LOC"), ("Nederlandsche Bank", "ORG"), ("Amsterdam", "LOC")]
    assert task["meta"]["lines"] == [1, 12]
    assert task["meta"]["labels_annotated"] == ["PERSON", "LOC", "ORG"]


def test_iob_bad_tag_names_the_line():
    with pytest.raises(InputError) as err:
        list(iob_to_tasks(["Stalin B-PER", "Moskou X-LOC"], source="bad.bio"))
    assert str(err.value).startswith("bad.bio:2:")


def test_europeana_silence_on_dates_is_missing_not_o(nlp_blank):
    from pipeline.training import doc_for_training

    task = {"text": "Thorbecke kwam den 12 maart 1859 te Amsterdam", "spans": [{"start": 0, "end": 9, "label": "PERSON"}],
            "meta": {"labels_annotated": ["PERSON", "LOC", "ORG"]}}
    doc = doc_for_training(nlp_blank, task, source="x", line=1)
    iob = {t.text: t.ent_iob_ for t in doc}
    assert iob["Thorbecke"] == "B"
    assert iob["12"] == "" and iob["maart"] == "" and iob["1859"] == ""  # missing, not O
    assert iob["kwam"] == "O"
    full = doc_for_training(nlp_blank, {**task, "meta": {}}, source="x", line=1)
    assert full[3].ent_iob_ == "O"


def test_write_jsonl_atomic_leaves_no_partial_file(tmp_path):
    path = tmp_path / "out.jsonl"

    def broken():
        yield {"text": "a"}
        raise RuntimeError("disk full")

    with pytest.raises(RuntimeError):
        write_jsonl_atomic(path, broken())
    assert not path.exists() and list(tmp_path.iterdir()) == []
    assert write_jsonl_atomic(path, [{"text": "a"}, {"text": "b"}]) == 2
    assert [r["text"] for r in srsly.read_jsonl(path)] == ["a", "b"]


def test_read_prodigy_jsonl_skips_rejected(nlp_blank, tmp_path):
    path = tmp_path / "x.jsonl"
    srsly.write_jsonl(path, [{"text": "Stalin", "answer": "reject"}, {"text": "Jezjov", "spans": [{"start": 0, "end": 6, "label": "PERSON"}]}])
    docs = list(read_prodigy_jsonl(nlp_blank, path))
    assert [d.text for d in docs] == ["Jezjov"] and docs[0].ents[0].label_ == "PERSON"


def test_span_scores_per_label():
    gold = [{"meta": {"id": "a"}, "text": "x", "spans": [{"start": 0, "end": 1, "label": "PERSON"}, {"start": 2, "end": 3, "label": "LOC"}]}]
    pred = [{"meta": {"id": "a"}, "text": "x", "spans": [{"start": 0, "end": 1, "label": "PERSON"}, {"start": 2, "end": 4, "label": "LOC"}]}]
    scores = span_scores(gold, pred)
    assert scores["PERSON"]["f"] == 1.0
    assert (scores["LOC"]["tp"], scores["LOC"]["fp"], scores["LOC"]["fn"]) == (0, 1, 1)
    assert scores["ALL"]["p"] == 0.5

"""The gold corpus is valid, consistent with its manifest, and its report is computed."""
from __future__ import annotations

import srsly

from pipeline import LABELS
from pipeline.validate import validate_file
from pipeline.corpus import agreement, label_conflicts, quality_report, split_corpus, unannotated_names

from conftest import CORPUS, GOLD_DIR, GUIDELINES_PATH, ROOT

GOLD = GOLD_DIR / "terror.jsonl"
MANIFEST = CORPUS / "manifest.jsonl"
PASSES = ROOT / "annotations" / "passes"


def test_gold_validates_clean(nlp_blank):
    count, problems = validate_file(nlp_blank, GOLD)
    assert count == 49
    assert problems == [], "\n".join(map(str, problems))


def test_every_document_is_annotated_and_in_the_manifest():
    manifest = {r["id"]: r for r in srsly.read_jsonl(MANIFEST)}
    gold = list(srsly.read_jsonl(GOLD))
    ids = [t["meta"]["id"] for t in gold]
    assert len(ids) == len(set(ids)) == 49
    web = sorted(p.stem for p in (CORPUS / "terror" / "web").glob("*.json"))
    assert sorted(ids) == sorted(web + ["seed-grote-terreur"])
    for task in gold:
        record = manifest[task["meta"]["id"]]
        assert {"id", "title", "url", "licence", "retrieved", "variety", "split"} <= set(record)
        assert record["split"] in ("train", "dev", "test")
        assert record["variety"] in ("modern Dutch", "machine-translated Dutch", "historical Dutch")
        assert (ROOT / record["path"]).exists()
        assert task["spans"], task["meta"]["id"]


def test_gold_texts_are_the_corpus_texts():
    for task in srsly.read_jsonl(GOLD):
        doc_id = task["meta"]["id"]
        if doc_id.startswith("web"):
            source = srsly.read_json(CORPUS / "terror" / "web" / f"{doc_id}.json")["text"]
        else:
            source = (ROOT / task["meta"]["source"]).read_text(encoding="utf-8")
        assert task["text"] == source, doc_id


def test_every_label_is_used_in_every_split():
    manifest = {r["id"]: r["split"] for r in srsly.read_jsonl(MANIFEST)}
    used = {}
    for task in srsly.read_jsonl(GOLD):
        used.setdefault(manifest[task["meta"]["id"]], set()).update(s["label"] for s in task["spans"])
    for split in ("train", "dev", "test"):
        assert used[split] == set(LABELS), split


def test_second_pass_covers_a_fifth_and_agreement_is_computed():
    result = agreement(PASSES / "pass-a.jsonl", PASSES / "pass-b.jsonl")
    assert result["documents"] * 5 >= 49
    scores = result["scores"]
    assert scores["ALL"]["tp"] > 300
    assert 0 < scores["ALL"]["f"] <= 1
    assert scores["ALL"]["tp"] + scores["ALL"]["fn"] == sum(
        len(t["spans"]) for t in srsly.read_jsonl(PASSES / "pass-a.jsonl") if t["meta"]["id"] in
        {b["meta"]["id"] for b in srsly.read_jsonl(PASSES / "pass-b.jsonl")}
    )


def test_label_conflicts_and_unannotated_names_are_found():
    tasks = [
        {"text": "Kolyma en Kolyma", "meta": {"id": "x"}, "spans": [{"start": 0, "end": 6, "label": "LOC"}, {"start": 10, "end": 16, "label": "ORG"}]},
        {"text": "Jezjov sprak met Jagoda", "meta": {"id": "y"}, "spans": [{"start": 0, "end": 6, "label": "PERSON"}]},
    ]
    assert label_conflicts(tasks) == {"Kolyma": {"LOC": 1, "ORG": 1}}
    found = unannotated_names(tasks, [("PERSON", "Jagoda"), ("PERSON", "Jezjov")])
    assert [(f["id"], f["text"]) for f in found] == [("y", "Jagoda")]


def test_quality_report_on_the_gold(nlp_blank):
    report = quality_report(nlp_blank, [GOLD], manifest_path=MANIFEST)
    assert report["validate_problems"] == []
    counts = report["counts"]
    assert sum(c["documents"] for c in counts.values()) == 49
    assert counts["test"]["documents"] == 10 and counts["dev"]["documents"] == 7
    total = sum(c.get(label, 0) for c in counts.values() for label in LABELS)
    assert total == sum(len(t["spans"]) for t in srsly.read_jsonl(GOLD))


def test_split_follows_the_manifest(tmp_path):
    counts = split_corpus(GOLD, MANIFEST, tmp_path)
    assert counts == {"train.jsonl": 32, "dev.jsonl": 7, "test.jsonl": 10}
    manifest = {r["id"]: r["split"] for r in srsly.read_jsonl(MANIFEST)}
    for split in ("train", "dev", "test"):
        assert all(manifest[t["meta"]["id"]] == split for t in srsly.read_jsonl(tmp_path / f"{split}.jsonl"))


# SHA-256 of the label contract as received (7,291 bytes): the project's copy
# may extend it at the end but never change what it decides.
CONTRACT_BYTES = 7291
CONTRACT_SHA256 = "fc03cf703aa31dede6d764fb57b8f74238d827665f57f80c893edfb37c269fc5"


def test_guidelines_keep_the_shared_contract_and_extend_it():
    import hashlib

    data = GUIDELINES_PATH.read_bytes()
    assert hashlib.sha256(data[:CONTRACT_BYTES]).hexdigest() == CONTRACT_SHA256
    assert "## Project additions (decided during adjudication)" in data[CONTRACT_BYTES:].decode("utf-8")

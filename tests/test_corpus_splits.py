"""Every document has one split, and the blind test set shares no text with what the model learns from.

The blind set (``split: test-blind`` in the manifest) is the yardstick for
texts the project has never seen, so nothing used for training or tuning
may contain even one 8-word run of it: a mirror of the same article under
another URL would otherwise leak it. Words are compared lower-cased, as
``\\w+`` runs, so spacing, punctuation and one-token-per-line formats do not
hide a shared run.
"""
from __future__ import annotations

import json
import re
from typing import Dict, Iterator, List, Set

import pytest
import srsly

from conftest import CORPUS, ROOT

MANIFEST = CORPUS / "manifest.jsonl"
BLIND_GOLD = ROOT / "annotations" / "test-blind" / "gold.jsonl"
SHINGLE = 8
# Whole-corpus sources that have one manifest line and many documents inside.
COLUMN_FILES = [
    CORPUS / "europeana" / "enp_NL.kb.bio",
    CORPUS / "voc-missives" / "train.conll",
    CORPUS / "voc-missives" / "dev.conll",
]
BRAT_DIR = CORPUS / "unsilence-voc" / "annotated_data"


def manifest() -> List[Dict]:
    return list(srsly.read_jsonl(MANIFEST))


def text_of(record: Dict) -> str:
    path = ROOT / record["path"]
    if path.suffix == ".json":
        return json.loads(path.read_text(encoding="utf-8"))["text"]
    return path.read_text(encoding="utf-8")


def words(text: str) -> List[str]:
    return re.findall(r"\w+", text.lower())


def shingles(text: str) -> Set[int]:
    w = words(text)
    return {hash(tuple(w[i : i + SHINGLE])) for i in range(len(w) - SHINGLE + 1)}


def learning_texts() -> Iterator[str]:
    """Every text that training or tuning may read: train and dev documents and the whole-corpus sources."""
    for record in manifest():
        if record["split"] in ("train", "dev") and (ROOT / record["path"]).is_file():
            yield text_of(record)
    for path in COLUMN_FILES:
        yield " ".join(line.split(" ")[0] for line in path.read_text(encoding="utf-8").splitlines())
    for path in sorted(BRAT_DIR.rglob("*.txt")):
        yield path.read_text(encoding="utf-8")


def blind_records() -> List[Dict]:
    return [r for r in manifest() if r["split"] == "test-blind"]


def test_every_document_has_one_manifest_line_and_an_existing_file():
    records = manifest()
    ids = [r["id"] for r in records]
    assert len(ids) == len(set(ids)), "a document id is listed twice"
    paths = [r["path"] for r in records]
    assert len(paths) == len(set(paths)), "a file is listed under two ids (and so possibly two splits)"
    for record in records:
        assert (ROOT / record["path"]).exists(), record["id"]
        assert record["licence"], record["id"]


def test_no_text_is_in_two_splits():
    # the same text under two ids (a mirror copied twice) would put it in two splits
    seen: Dict[str, str] = {}
    for record in manifest():
        if record["split"] not in ("train", "dev", "test", "test-blind") or not (ROOT / record["path"]).is_file():
            continue  # whole-corpus sources split by file or chunk
        key = " ".join(words(text_of(record)))
        assert key not in seen or seen[key] == record["split"], f"{record['id']} repeats a text in split {seen[key]}"
        seen[key] = record["split"]


def test_blind_set_shares_no_8_word_run_with_training_or_dev_text():
    blind = {r["id"]: shingles(text_of(r)) for r in blind_records()}
    assert len(blind) >= 40
    learned: Set[int] = set()
    for text in learning_texts():
        learned |= shingles(text)
    leaks = {doc_id: len(s & learned) for doc_id, s in blind.items() if s & learned}
    assert leaks == {}, f"blind documents sharing 8-word runs with training/dev text: {leaks}"


def test_blind_gold_covers_every_blind_document_and_nothing_else():
    if not BLIND_GOLD.exists():
        pytest.fail(f"{BLIND_GOLD} is missing")
    gold_ids = [t["meta"]["id"] for t in srsly.read_jsonl(BLIND_GOLD)]
    assert len(gold_ids) == len(set(gold_ids))
    assert sorted(gold_ids) == sorted(r["id"] for r in blind_records())


def test_the_shingle_check_finds_a_copied_run():
    # the check itself bites: one copied 8-word run in other spacing is found
    text = "De NKVD arresteerde in 1937 honderdduizenden mensen in de hele Sovjet-Unie ."
    copy = "Inleiding:\nde nkvd  arresteerde in 1937 honderdduizenden mensen in, de rest"
    assert shingles(text) & shingles(copy)
    assert not shingles(text) & shingles("Een geheel andere zin over Rotterdam en de haven in 2001 .")


def test_nothing_that_feeds_training_reads_the_blind_set():
    # no config names a blind path, and no workflow step upstream of training reads one
    for path in (ROOT / "configs").glob("*.cfg"):
        assert "test-blind" not in path.read_text(encoding="utf-8"), path
    commands = {c["name"]: c for c in srsly.read_yaml(ROOT / "project.yml")["commands"]}
    producer = {out: name for name, c in commands.items() for out in c.get("outputs", []) + c.get("outputs_no_cache", [])}
    upstream, todo = set(), ["train"]
    while todo:
        name = todo.pop()
        if name in upstream:
            continue
        upstream.add(name)
        todo += [producer[dep] for dep in commands[name].get("deps", []) if dep in producer]
    assert {"train", "split"} <= upstream
    for name in upstream:
        reads = " ".join(commands[name].get("script", []) + commands[name].get("deps", []))
        assert "test-blind" not in reads, name
    assert any("test-blind" in " ".join(c.get("script", [])) for c in commands.values()), "no step evaluates on the blind set"

from __future__ import annotations


import pytest
import srsly

from pipeline.errors import InputError
from pipeline.tag import partial_path, split_text, tag_to_file, load_model

from conftest import SEED_PATH, WEB_DIR


def read_out(path):
    return list(srsly.read_jsonl(path))


def test_split_text_keeps_every_character_and_prefers_paragraphs(seed_text):
    pieces = split_text(seed_text, 3000)
    assert "".join(pieces) == seed_text
    assert all(len(p) <= 3000 for p in pieces)
    assert sum(p.endswith("\n") for p in pieces[:-1]) == len(pieces) - 1  # cut after a line break
    assert split_text("kort", 100) == ["kort"]
    assert "".join(split_text("a" * 250, 100)) == "a" * 250


def test_tags_in_input_order_with_prodigy_fields(tiny_nlp, tmp_path):
    out = tmp_path / "tagged.jsonl"
    inputs = [WEB_DIR / "web018.json", SEED_PATH, WEB_DIR / "web003.json"]
    stats = tag_to_file(tiny_nlp, inputs, out)
    records = read_out(out)
    assert stats.tagged == 3 and stats.words > 4000
    assert [r["meta"]["source"] for r in records] == [str(p) for p in inputs]
    assert records[0]["meta"]["url"].startswith("https://")
    for record in records:
        assert {"text", "meta", "_input_hash", "_task_hash", "tokens", "spans"} <= set(record)
        for span in record["spans"]:
            assert span["text"] == record["text"][span["start"]:span["end"]]
            tokens = record["tokens"]
            assert tokens[span["token_start"]]["start"] == span["start"]
            assert tokens[span["token_end"]]["end"] == span["end"]
            assert {"kb_id", "confidence"} <= set(span)
    assert not partial_path(out).exists()


def test_long_document_is_split_with_offsets_kept(tiny_nlp, tmp_path, seed_text):
    out_whole, out_split = tmp_path / "whole.jsonl", tmp_path / "split.jsonl"
    tag_to_file(tiny_nlp, [SEED_PATH], out_whole)
    tiny_nlp.max_length = 2000
    try:
        tag_to_file(tiny_nlp, [SEED_PATH], out_split)
    finally:
        tiny_nlp.max_length = 1_000_000
    (split,) = read_out(out_split)
    assert split["text"] == seed_text
    assert all(seed_text[t["start"]:t["end"]] == t["text"] for t in split["tokens"])
    assert [t["id"] for t in split["tokens"]] == list(range(len(split["tokens"])))
    for span in split["spans"]:
        assert seed_text[span["start"]:span["end"]] == span["text"]
    (whole,) = read_out(out_whole)
    assert len(split["spans"]) > 0.7 * len(whole["spans"])


def test_resume_finishes_an_interrupted_run_without_duplicates(tiny_nlp, tmp_path):
    inputs = sorted(WEB_DIR.glob("web0[0-2]*.json"))
    reference = tmp_path / "reference.jsonl"
    tag_to_file(tiny_nlp, inputs, reference)
    out = tmp_path / "out.jsonl"

    class Interrupted(Exception):
        pass

    def stop_after_four(task, seen=[]):
        seen.append(task)
        if len(seen) == 4:
            raise Interrupted

    with pytest.raises(Interrupted):
        tag_to_file(tiny_nlp, inputs, out, progress=stop_after_four)
    assert not out.exists() and len(read_out(partial_path(out))) == 4
    with partial_path(out).open("a", encoding="utf-8") as f:
        f.write('{"text": "half a line')  # the interruption cut a line
    stats = tag_to_file(tiny_nlp, inputs, out, resume=True)
    assert stats.skipped_done == 4 and stats.tagged == len(inputs) - 4
    strip = lambda rs: [{k: v for k, v in r.items() if k != "_timestamp"} for r in rs]  # noqa: E731
    assert strip(read_out(out)) == strip(read_out(reference))


def test_bad_input_names_file_and_line(tiny_nlp, tmp_path):
    bad = tmp_path / "batch.jsonl"
    bad.write_text('{"text": "Jezjov werd in 1938 ontslagen."}\n{"text": \n{"text": ""}\n{"text": "Jagoda ook."}\n', encoding="utf-8")
    with pytest.raises(InputError) as err:
        tag_to_file(tiny_nlp, [bad], tmp_path / "out.jsonl")
    assert str(err.value).startswith(f"{bad}:2:")
    assert not (tmp_path / "out.jsonl").exists()
    stats = tag_to_file(tiny_nlp, [bad], tmp_path / "out.jsonl", skip_errors=True)
    assert stats.tagged == 2
    assert [(e.line, "empty" in e.reason) for e in stats.errors] == [(2, False), (3, True)]
    assert [r["meta"]["line"] for r in read_out(tmp_path / "out.jsonl")] == [1, 4]


def test_binary_file_is_reported(tiny_nlp, tmp_path):
    scan = tmp_path / "scan.txt"
    scan.write_bytes(b"\x00\x01\x02PK")
    stats = tag_to_file(tiny_nlp, [scan, SEED_PATH], tmp_path / "out.jsonl", skip_errors=True)
    assert stats.tagged == 1 and "binary" in stats.errors[0].reason


def test_missing_model_is_a_clear_error(tmp_path):
    from pipeline.errors import TerreurError

    with pytest.raises(TerreurError, match="no trained model"):
        load_model(tmp_path / "nope")


def test_two_processes_give_the_same_output(tiny_model_path, tmp_path):
    nlp = load_model(tiny_model_path)
    inputs = sorted(WEB_DIR.glob("web00*.json"))
    one, two = tmp_path / "one.jsonl", tmp_path / "two.jsonl"
    tag_to_file(nlp, inputs, one, n_process=1, batch_size=2)
    tag_to_file(nlp, inputs, two, n_process=2, batch_size=2)
    strip = lambda rs: [{k: v for k, v in r.items() if k != "_timestamp"} for r in rs]  # noqa: E731
    assert strip(read_out(one)) == strip(read_out(two))

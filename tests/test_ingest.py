from __future__ import annotations

import io
import json

import pytest

from pipeline.errors import InputError
from pipeline.ingest import decode_bytes, iter_records, read_records

from conftest import SEED_PATH, WEB_DIR


def test_reads_seed_text_with_source(seed_text):
    (record,) = read_records([SEED_PATH])
    assert record.text == seed_text
    assert record.meta["source"] == str(SEED_PATH)
    assert record.meta["encoding"] == "utf-8"
    assert "Jozef Stalin" in record.text


def test_web_capture_keeps_url_and_id():
    (record,) = read_records([WEB_DIR / "web018.json"])
    assert record.meta["id"] == "web018"
    assert record.meta["url"].startswith("https://")
    assert "Toechatsjevski" in record.text or "Tukhachevsky" in record.text


def test_directory_is_recursive_and_sorted(tmp_path):
    (tmp_path / "b").mkdir()
    (tmp_path / "b" / "2.txt").write_text("Jezjov", encoding="utf-8")
    (tmp_path / "a.txt").write_text("Stalin", encoding="utf-8")
    (tmp_path / ".hidden.txt").write_text("verborgen", encoding="utf-8")
    (tmp_path / "c.bin").write_bytes(b"\x00\x01")
    texts = [r.text for r in read_records([tmp_path])]
    assert texts == ["Stalin", "Jezjov"]


@pytest.mark.parametrize(
    "data,encoding",
    [
        ("Boecharin’s proces".encode("utf-8"), "utf-8"),
        (b"\xef\xbb\xbf" + "Zinovjev".encode("utf-8"), "utf-8-sig"),
        ("Boecharin’s proces".encode("cp1252"), "cp1252"),
        ("Kamenev à Moscou, «procès»".encode("latin-1"), "cp1252"),
    ],
)
def test_decodes_archive_encodings(data, encoding):
    text, used = decode_bytes(data)
    assert used == encoding
    assert "\ufffd" not in text


def test_latin1_only_bytes_fall_back_to_latin1():
    # 0x81 is undefined in cp1252, so only latin-1 decodes it
    text, used = decode_bytes("Jeschow".encode("latin-1") + b"\x81")
    assert used == "latin-1"
    assert text.startswith("Jeschow")


def test_text_is_nfc(tmp_path):
    path = tmp_path / "nfd.txt"
    path.write_text("Ez\u030cov", encoding="utf-8")  # Ž as z + combining caron
    (record,) = read_records([path])
    assert record.text == "Ežov"


def test_binary_file_is_refused_with_its_name(tmp_path):
    path = tmp_path / "scan.txt"
    path.write_bytes(b"%PDF\x00\x00\x01binary")
    with pytest.raises(InputError) as err:
        list(read_records([path]))
    assert str(path) in str(err.value)
    assert "binary" in str(err.value)


def test_jsonl_records_keep_line_numbers(tmp_path):
    path = tmp_path / "docs.jsonl"
    path.write_text(
        json.dumps({"text": "Jagoda", "meta": {"id": "a"}}) + "\n\n" + json.dumps({"text": "Jezjov"}) + "\n",
        encoding="utf-8",
    )
    records = list(read_records([path]))
    assert [(r.text, r.meta["line"]) for r in records] == [("Jagoda", 1), ("Jezjov", 3)]
    assert records[0].meta["id"] == "a"


def test_bad_jsonl_line_names_file_and_line(tmp_path):
    path = tmp_path / "docs.jsonl"
    path.write_text('{"text": "Jagoda"}\n{"text": \n{"text": "Jezjov"}\n', encoding="utf-8")
    with pytest.raises(InputError) as err:
        list(read_records([path]))
    assert err.value.line == 2
    assert str(err.value).startswith(f"{path}:2:")
    reported = list(iter_records([path], skip_errors=True))
    assert [type(r).__name__ for r in reported] == ["Record", "InputError", "Record"]


def test_prodigy_task_keeps_spans(tmp_path):
    task = {"text": "Stalin", "spans": [{"start": 0, "end": 6, "label": "PERSON"}], "answer": "accept"}
    path = tmp_path / "gold.jsonl"
    path.write_text(json.dumps(task) + "\n", encoding="utf-8")
    (record,) = read_records([path])
    assert record.task["spans"] == task["spans"]
    assert record.task["answer"] == "accept"


def test_stdin_text_and_jsonl():
    (record,) = read_records(["-"], stdin=io.StringIO("Trotski in Coyoacán"))
    assert record.text == "Trotski in Coyoacán"
    assert record.meta["source"] == "<stdin>"
    records = list(read_records(["-"], stdin=io.StringIO('{"text": "a"}\n{"text": "b"}\n')))
    assert [r.text for r in records] == ["a", "b"]
    assert records[1].meta["line"] == 2


def test_missing_path_is_reported(tmp_path):
    with pytest.raises(InputError) as err:
        list(read_records([tmp_path / "nope.txt"]))
    assert "nope.txt" in str(err.value)

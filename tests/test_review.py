"""The review stage: agreement, the decision log and resuming, the HTTP API, and `terreur report`.

Data: tests/data/review/ (four paragraphs of corpus web018, gold and a
model-like tagging with known mistakes; rebuild with make_data.py).
"""
from __future__ import annotations

import http.client
import json
import threading
from pathlib import Path

import pytest
import srsly
from typer.testing import CliRunner

from pipeline.cli import app
from pipeline.review import (
    agreement_path,
    load_kb,
    make_review_server,
    normalize_spans,
    open_compare,
    open_review,
    search_kb,
)
from pipeline.scoring import micro_average, span_agreement
from pipeline.validate import validate_task

REVIEW_DATA = Path(__file__).resolve().parent / "data" / "review"
GOLD_PATH = REVIEW_DATA / "gold.jsonl"
TAGGED_PATH = REVIEW_DATA / "tagged.jsonl"
KB_PATH = REVIEW_DATA / "kb"


@pytest.fixture(scope="module")
def kb():
    return load_kb(KB_PATH)


@pytest.fixture()
def session(nlp_blank, kb, tmp_path):
    return open_review(nlp_blank, TAGGED_PATH, output_path=tmp_path / "out.jsonl", annotator="anna", kb=kb)


def log_lines(path: Path) -> list:
    return list(srsly.read_jsonl(path))


def spans_of(payload: dict) -> list:
    return [dict(s) for s in payload["task"]["spans"]]


# --- agreement -----------------------------------------------------------------


def test_span_agreement_counts_exact_matches_per_label():
    gold = [{"text": "Jezjov en Jagoda in Moskou.", "spans": [
        {"start": 0, "end": 6, "label": "PERSON"}, {"start": 10, "end": 16, "label": "PERSON"},
        {"start": 20, "end": 26, "label": "LOC"}]}]
    pred = [{"text": "Jezjov en Jagoda in Moskou.", "spans": [
        {"start": 0, "end": 6, "label": "PERSON"}, {"start": 10, "end": 16, "label": "ORG"},
        {"start": 20, "end": 26, "label": "LOC"}]}]
    scores = span_agreement(gold, pred)
    assert list(scores) == ["PERSON", "ORG", "LOC"]
    assert scores["PERSON"] == {"p": 1.0, "r": 0.5, "f": pytest.approx(2 / 3), "tp": 1, "fp": 0, "fn": 1}
    assert scores["ORG"] == {"p": 0.0, "r": 0.0, "f": 0.0, "tp": 0, "fp": 1, "fn": 0}
    assert scores["LOC"]["f"] == 1.0
    assert micro_average(scores)["tp"] == 2


def test_span_agreement_keys_on_text_uses_latest_and_skips_rejected():
    text = "Stalin in Moskou."
    a = [{"text": text, "_input_hash": 1, "spans": [{"start": 0, "end": 6, "label": "PERSON"}]}]
    b = [
        {"text": text, "_input_hash": 999, "spans": []},  # superseded by the next line
        {"text": text, "_input_hash": 999, "spans": [{"start": 0, "end": 6, "label": "PERSON"}]},
        {"text": "Alleen in B.", "spans": [{"start": 0, "end": 6, "label": "PERSON"}]},
    ]
    assert span_agreement(a, b)["PERSON"]["f"] == 1.0
    rejected = [dict(b[1], answer="reject")]
    assert span_agreement(a, rejected) == {}


def test_span_agreement_on_the_test_data_finds_the_planted_mistakes():
    scores = span_agreement(srsly.read_jsonl(GOLD_PATH), srsly.read_jsonl(TAGGED_PATH))
    total = micro_average(scores)
    # planted: 2 missed, 4 wrong (label or boundary), 2 spurious
    assert (total["fn"], total["fp"]) == (6, 6)
    assert scores["DATE"]["f"] == 1.0


# --- the session: decisions, undo, resume ----------------------------------------


def test_decisions_are_appended_as_prodigy_tasks(session, nlp_blank):
    payload = session.doc_payload(0)
    spans = spans_of(payload)
    assert payload["status"] == "new"
    spans[0]["_reviewed"] = True
    session.decide(0, spans, action="accept-span")
    spans[4]["label"] = "ORG"  # Rode Leger was tagged LOC
    after = session.decide(0, spans, answer="accept", action="accept")
    assert after["status"] == "done" and after["progress"]["reviewed"] == 1
    lines = log_lines(session.output_path)
    assert [line["answer"] for line in lines] == ["ignore", "accept"]
    assert [line["_review"]["status"] for line in lines] == ["draft", "done"]
    last = lines[-1]
    assert last["_annotator_id"] == "anna" and isinstance(last["_timestamp"], int)
    assert last["_view_id"] == "ner_manual"
    assert [(s["text"], s["label"]) for s in last["spans"] if s["label"] == "ORG"] == [("Rode Leger", "ORG")]
    assert last["spans"][0]["_reviewed"] is True
    assert validate_task(nlp_blank, last, source="out", line=2) == []


def test_edit_of_an_answered_document_keeps_its_answer(session):
    spans = spans_of(session.doc_payload(1))
    session.decide(1, spans, answer="reject")
    payload = session.decide(1, spans[1:], action="delete")
    assert payload["status"] == "done" and payload["answer"] == "reject"


def test_spans_snap_to_tokens_and_offsets_are_recomputed(session):
    task = session.docs[0]
    # "zaak Tukhachevsky": the client sends token indices only
    start = task["text"].index("zaak Tukhachevsky")
    first = next(t["id"] for t in task["tokens"] if t["start"] == start)
    spans = normalize_spans(task, [{"token_start": first, "token_end": first + 1, "label": "TRIAL", "start": 0, "kb_id": "x"}])
    assert spans[0]["text"] == "zaak Tukhachevsky" and spans[0]["start"] == start and spans[0]["kb_id"] == "x"
    with pytest.raises(ValueError, match="overlaps"):
        normalize_spans(task, spans + [{"token_start": first + 1, "token_end": first + 1, "label": "PERSON"}])
    with pytest.raises(ValueError, match="unknown label"):
        normalize_spans(task, [{"token_start": 0, "token_end": 0, "label": "MISC"}])
    with pytest.raises(ValueError, match="not within"):
        normalize_spans(task, [{"token_start": 0, "token_end": 10_000, "label": "LOC"}])


def test_spans_never_start_or_end_on_whitespace_tokens(nlp_blank):
    from pipeline.review import prepare_task

    task = prepare_task(nlp_blank, {"text": "Kirov\n\nStalin", "spans": []})
    assert [t["text"] for t in task["tokens"]] == ["Kirov", "\n\n", "Stalin"]
    assert normalize_spans(task, [{"token_start": 1, "token_end": 2, "label": "PERSON"}])[0]["text"] == "Stalin"
    with pytest.raises(ValueError, match="whitespace"):
        normalize_spans(task, [{"token_start": 1, "token_end": 1, "label": "PERSON"}])


def test_undo_appends_the_previous_state(session):
    original = spans_of(session.doc_payload(0))
    session.decide(0, original[1:], action="delete")
    session.decide(0, original[1:], answer="accept")
    assert session.undo()["status"] == "draft"
    restored = session.undo()
    assert restored["status"] == "new" and len(restored["task"]["spans"]) == len(original)
    assert session.undo() is None
    lines = log_lines(session.output_path)
    assert len(lines) == 4  # nothing rewritten: two changes, two undos
    assert [line["_review"]["undo"] for line in lines] == [False, False, True, True]
    assert lines[-1]["answer"] == "ignore"  # not yet reviewed: never training data


def test_reopening_resumes_at_the_first_unreviewed_document(session, nlp_blank, kb):
    session.decide(0, spans_of(session.doc_payload(0)), answer="accept")
    session.decide(1, spans_of(session.doc_payload(1))[:2], action="delete")  # a draft
    session.decide(2, spans_of(session.doc_payload(2)), answer="ignore")
    again = open_review(nlp_blank, TAGGED_PATH, output_path=session.output_path, annotator="bob", kb=kb)
    assert again.progress() == {"reviewed": 2, "total": 4, "next": 1}
    assert [s.status for s in again.states] == ["done", "draft", "done", "new"]
    assert len(again.doc_payload(1)["task"]["spans"]) == 2  # the draft's edits are back
    assert again.undo()["index"] == 2  # undo works across restarts
    assert again.progress()["reviewed"] == 1


def test_open_review_tokenizes_tasks_without_tokens(nlp_blank, tmp_path):
    session = open_review(nlp_blank, GOLD_PATH, output_path=tmp_path / "out.jsonl", kb=[])
    assert session.docs[0]["tokens"] and all("token_start" in s for s in session.docs[0]["spans"])


def test_compare_starts_from_agreed_spans_and_writes_agreement(nlp_blank, tmp_path):
    output = tmp_path / "merged.jsonl"
    session = open_compare(nlp_blank, GOLD_PATH, TAGGED_PATH, output_path=output, kb=[])
    payload = session.doc_payload(0)
    agreed = {(s["text"], s["label"]) for s in payload["task"]["spans"]}
    assert ("zaak Tukhachevsky", "TRIAL") not in agreed  # only A has it
    assert ("Grote Zuivering", "TRIAL") not in agreed  # only B has it
    assert ("1937", "DATE") in agreed
    assert len(payload["compare"]["a"]) == 6 and len(payload["compare"]["b"]) == 6
    written = json.loads(agreement_path(output).read_text(encoding="utf-8"))
    assert written["labels"]["DATE"]["f"] == 1.0 and written["documents_compared"] == 4
    assert session.app_config()["mode"] == "compare"


# --- the knowledge base -----------------------------------------------------------


def test_kb_search_finds_spelling_variants(kb):
    assert search_kb(kb, "Toechatsjevski", label="PERSON")[0]["kb_id"] == "per-mikhail-tukhachevsky"
    assert search_kb(kb, "Ежов")[0]["canonical"] == "Nikolai Yezhov"
    assert search_kb(kb, "Rode Leger", label="ORG")[0]["kb_id"] == "org-red-army"
    assert search_kb(kb, "") == []


def test_kb_missing_folder_gives_no_entries(tmp_path):
    assert load_kb(tmp_path / "no-kb-here") == []


# --- the HTTP API -------------------------------------------------------------------


@pytest.fixture()
def server(session):
    srv = make_review_server(session, port=0)
    thread = threading.Thread(target=srv.serve_forever, daemon=True)
    thread.start()
    yield srv
    srv.shutdown()
    srv.server_close()


def request(server, method: str, path: str, body=None, headers=None):
    conn = http.client.HTTPConnection("127.0.0.1", server.server_address[1], timeout=10)
    data = None if body is None else json.dumps(body).encode("utf-8")
    all_headers = {"Content-Type": "application/json"} if body is not None else {}
    all_headers.update(headers or {})
    conn.request(method, path, body=data, headers=all_headers)
    res = conn.getresponse()
    raw = res.read()
    conn.close()
    ctype = res.getheader("Content-Type", "")
    return res.status, (json.loads(raw) if ctype.startswith("application/json") else raw.decode("utf-8")), res


def test_server_binds_to_localhost_only(server):
    assert server.server_address[0] == "127.0.0.1"
    assert server.url.startswith("http://127.0.0.1:")


def test_api_serves_the_app_without_external_assets(server):
    status, page, res = request(server, "GET", "/")
    assert status == 200 and "/static/app.js" in page
    assert "default-src 'none'" in res.getheader("Content-Security-Policy")
    for name in ("app.js", "app.css"):
        status, body, _ = request(server, "GET", f"/static/{name}")
        assert status == 200 and "http://" not in body and "https://" not in body
    assert "https://" not in page and "http://" not in page
    assert request(server, "GET", "/static/../review.py")[0] == 404


def test_api_decide_undo_and_progress(server, session):
    status, config, _ = request(server, "GET", "/api/config")
    assert status == 200 and config["progress"] == {"reviewed": 0, "total": 4, "next": 0}
    assert config["labels"][:5] == ["PERSON", "ORG", "LOC", "DATE", "TRIAL"]
    status, doc, _ = request(server, "GET", "/api/doc?index=0")
    spans = [{k: v for k, v in s.items() if k not in ("start", "end", "text")} for s in doc["task"]["spans"]]
    status, after, _ = request(server, "POST", "/api/decide", {"index": 0, "spans": spans, "answer": "accept", "action": "accept"})
    assert status == 200 and after["progress"]["reviewed"] == 1
    status, nxt, _ = request(server, "GET", "/api/next?after=0")
    assert nxt["next"] == 1
    status, undone, _ = request(server, "POST", "/api/undo", {})
    assert undone["undone"] and undone["progress"]["reviewed"] == 0
    assert len(log_lines(session.output_path)) == 2


def test_api_rejects_bad_input_and_foreign_hosts(server):
    status, body, _ = request(server, "POST", "/api/decide", {"index": 0, "spans": [{"token_start": 0, "token_end": 0, "label": "MISC"}]})
    assert status == 400 and "unknown label" in body["error"]
    assert request(server, "POST", "/api/decide", {"index": 99, "spans": []})[0] == 400
    assert request(server, "GET", "/api/doc?index=99")[0] == 404
    conn = http.client.HTTPConnection("127.0.0.1", server.server_address[1], timeout=10)
    conn.request("POST", "/api/undo", body=b"{}", headers={"Content-Type": "text/plain"})
    assert conn.getresponse().status == 415  # a cross-site form cannot send JSON
    conn.close()
    assert request(server, "GET", "/api/config", headers={"Host": "evil.example:80"})[0] == 403


def test_api_kb_search(server):
    status, body, _ = request(server, "GET", "/api/kb?q=Jakir&label=PERSON")
    assert status == 200 and body["results"][0]["kb_id"] == "per-iona-yakir"


# --- terreur report ------------------------------------------------------------------

runner = CliRunner()


def test_report_cli_writes_a_self_contained_page(tmp_path):
    output = tmp_path / "report.html"
    result = runner.invoke(app, ["report", str(GOLD_PATH), str(TAGGED_PATH), "-o", str(output)])
    assert result.exit_code == 0, result.output
    assert "F1 0.829" in result.stderr and result.stdout == ""
    page = output.read_text(encoding="utf-8")
    assert "<style>" in page and "<link" not in page and "<script" not in page
    assert 'class="entities"' in page  # displaCy's markup
    assert "missed by the model" in page and "wrong label: model says LOC" in page
    assert "wrong boundary: model has &#x27;Maarschalk Mikhail Tukhachevsky&#x27;" in page
    assert "not in gold" in page and "Grote Zuivering" in page
    assert page.count('id="label-') == 5


def test_report_cli_limit_and_bad_input(tmp_path):
    output = tmp_path / "report.html"
    result = runner.invoke(app, ["report", str(GOLD_PATH), str(TAGGED_PATH), "-o", str(output), "--limit", "1"])
    assert result.exit_code == 0, result.output
    assert "and 1 more" in output.read_text(encoding="utf-8")
    bad = tmp_path / "bad.jsonl"
    bad.write_text('{"text": "ok", "spans": []}\n{"meta": {}}\n', encoding="utf-8")
    result = runner.invoke(app, ["report", str(GOLD_PATH), str(bad), "-o", str(output)])
    assert result.exit_code == 1
    assert f"{bad}:2:" in result.stderr and "no 'text'" in result.stderr


def test_review_cli_needs_a_file_or_compare():
    result = runner.invoke(app, ["review"])
    assert result.exit_code != 0
    assert "--compare" in result.output


def test_model_pretags_documents_without_spans(tiny_nlp, nlp_blank):
    from pipeline.review import prepare_task, pretag_tasks

    text = "Het Zinovjev-Kamenev-proces begon op 19 augustus 1936 in Moskou."
    tasks = [prepare_task(nlp_blank, {"text": text}), prepare_task(nlp_blank, {"text": text + " ", "spans": []})]
    assert pretag_tasks(tiny_nlp, tasks) == 2
    found = {(s["text"], s["label"]) for s in tasks[0]["spans"]}
    assert ("Zinovjev-Kamenev-proces", "TRIAL") in found and ("19 augustus 1936", "DATE") in found
    for span in tasks[0]["spans"]:
        assert tasks[0]["tokens"][span["token_start"]]["start"] == span["start"]


def test_reopening_replays_undo_lines(session, nlp_blank, kb):
    original = spans_of(session.doc_payload(0))
    session.decide(0, original[1:], action="delete")
    session.decide(1, spans_of(session.doc_payload(1)), answer="accept")
    session.undo()  # doc 1 back to new
    session.undo()  # doc 0 back to new
    again = open_review(nlp_blank, TAGGED_PATH, output_path=session.output_path, annotator="bob", kb=kb)
    assert [s.status for s in again.states][:2] == ["new", "new"]
    assert spans_of(again.doc_payload(0)) == original  # the undone delete stays undone
    assert again.progress()["reviewed"] == 0
    assert again.undo() is None  # both changes were undone before the restart

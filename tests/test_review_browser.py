"""The review app end to end in a real headless Chromium (Debian's `chromium`, driven by playwright).

Reviews with the keyboard only: accept a span, add one, relabel one, delete
one, answer the document, move a boundary and link to the knowledge base,
reload, undo, and then checks the saved JSONL. A second test takes one side
in compare mode with a click. `.ci/run` installs `chromium`; the tests skip,
saying why, only where there is no Chromium binary.
"""
from __future__ import annotations

import shutil
import threading
from pathlib import Path

import pytest
import srsly

from pipeline.review import agreement_path, load_kb, make_review_server, open_compare, open_review

REVIEW_DATA = Path(__file__).resolve().parent / "data" / "review"
CHROMIUM_ARGS = [
    "--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
    "--disable-component-update", "--disable-sync", "--no-first-run",
]


def find_chromium() -> str | None:
    for name in ("chromium", "chromium-browser"):
        found = shutil.which(name)
        if found:
            return found
    return "/usr/bin/chromium" if Path("/usr/bin/chromium").exists() else None


CHROMIUM = find_chromium()
pytestmark = pytest.mark.skipif(CHROMIUM is None, reason="no Chromium binary (apt-get install chromium; .ci/run does)")


@pytest.fixture(scope="module")
def browser():
    sync_api = pytest.importorskip("playwright.sync_api", reason="playwright is not installed (pip install -e '.[browser]')")
    with sync_api.sync_playwright() as p:
        chromium = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


def serve(session):
    server = make_review_server(session, port=0)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server


@pytest.fixture()
def page(browser):
    context = browser.new_context(viewport={"width": 1400, "height": 900})
    page = context.new_page()
    page.errors = []  # page errors and console errors (a CSP violation is one) fail the test
    page.on("pageerror", lambda err: page.errors.append(str(err)))
    page.on("console", lambda msg: page.errors.append(msg.text) if msg.type == "error" else None)
    yield page
    context.close()


def settle(page) -> None:
    """Wait until every change the page sent has been saved."""
    page.wait_for_function("() => !document.querySelector('#saved').textContent.includes('saving')")


def latest(path: Path) -> dict:
    """The latest line per document (by _input_hash), as a reader of the log takes it."""
    return {line["_input_hash"]: line for line in srsly.read_jsonl(path)}


def test_review_with_the_keyboard_alone(nlp_blank, page, tmp_path):
    output = tmp_path / "tagged.reviewed.jsonl"
    session = open_review(nlp_blank, REVIEW_DATA / "tagged.jsonl", output_path=output, annotator="tester", kb=load_kb(REVIEW_DATA / "kb"))
    server = serve(session)
    try:
        page.goto(server.url)
        page.wait_for_selector("mark.ent")
        assert page.inner_text("#progress-text") == "0 of 4 reviewed"
        assert page.inner_text("#doc-pos") == "Document 1 of 4"
        first = page.locator("mark.ent").first
        assert "Case of the Trotskyist Anti-Soviet Military Organization" in first.get_attribute("data-tip")

        page.keyboard.press("Space")  # accept the first span; focus moves to "militaire zaak"
        page.keyboard.press("n")  # new span: the cursor starts on the word after the focused span ("of")
        page.keyboard.press("ArrowRight")
        page.keyboard.press("ArrowRight")
        page.keyboard.press("Shift+ArrowRight")  # select "zaak Tukhachevsky"
        page.keyboard.press("5")  # TRIAL
        for _ in range(3):  # geheim proces, 1937, Rode Leger
            page.keyboard.press("ArrowRight")
        page.keyboard.press("2")  # Rode Leger: LOC -> ORG
        page.keyboard.press("ArrowRight")
        page.keyboard.press("d")  # "Grote Zuivering" is not a trial
        settle(page)
        assert page.locator("mark.ent.focus").count() == 0 or "Grote" not in page.inner_text("mark.ent.focus")
        page.keyboard.press("a")  # accept the document
        page.wait_for_function("() => document.querySelector('#doc-pos').textContent === 'Document 2 of 4'")
        assert page.inner_text("#progress-text") == "1 of 4 reviewed"

        # document 2: hover shows Cyrillic; fix a boundary, link to the knowledge base
        tips = [m.get_attribute("data-tip") for m in page.locator("mark.ent").all()]
        assert any("Иона Эммануилович Якир" in tip for tip in tips)
        page.keyboard.press("ArrowRight")
        page.keyboard.press("ArrowRight")  # "Maarschalk Mikhail Tukhachevsky"
        assert page.inner_text("mark.ent.focus").startswith("Maarschalk")
        page.keyboard.press("]")  # the start moves past the title
        page.wait_for_function("() => document.querySelector('mark.ent.focus').textContent.startsWith('Mikhail')")
        page.keyboard.press("k")
        page.wait_for_selector("#link-results li.pick")
        assert "Mikhail Tukhachevsky" in page.inner_text("#link-results li.pick")
        page.keyboard.press("Enter")
        settle(page)

        page.reload()  # resumes at the first unreviewed document, with the edits
        page.wait_for_selector("mark.ent")
        assert page.inner_text("#doc-pos") == "Document 2 of 4"
        assert page.inner_text("#progress-text") == "1 of 4 reviewed"
        assert page.inner_text("#doc-status") == "edited, not answered"
        page.keyboard.press("u")  # undo the link
        settle(page)
        page.keyboard.press("?")
        assert page.is_visible("#help")
        page.keyboard.press("Escape")
        assert not page.is_visible("#help")
        assert page.errors == []
    finally:
        server.shutdown()
        server.server_close()

    docs = latest(output)
    first_doc = docs[session.docs[0]["_input_hash"]]
    assert first_doc["answer"] == "accept" and first_doc["_review"]["status"] == "done"
    assert first_doc["_annotator_id"] == "tester" and isinstance(first_doc["_timestamp"], int)
    spans = {(s["text"], s["label"]) for s in first_doc["spans"]}
    assert ("zaak Tukhachevsky", "TRIAL") in spans
    assert ("Rode Leger", "ORG") in spans and ("Rode Leger", "LOC") not in spans
    assert not any(text == "Grote Zuivering" for text, _ in spans)
    assert first_doc["spans"][0]["_reviewed"] is True
    assert len(first_doc["spans"]) == 6

    lines = [line for line in srsly.read_jsonl(output) if line["_input_hash"] == session.docs[1]["_input_hash"]]
    assert [line["_review"]["action"] for line in lines] == ["move-start", "link", "undo"]
    linked = next(s for s in lines[1]["spans"] if s["text"] == "Mikhail Tukhachevsky")
    assert linked["kb_id"] == "per-mikhail-tukhachevsky" and linked["cyrillic"] == "Михаил Николаевич Тухачевский"
    restored = next(s for s in lines[2]["spans"] if s["text"] == "Mikhail Tukhachevsky")
    assert restored["start"] == linked["start"] and lines[2]["answer"] == "ignore"


def test_compare_takes_a_side_with_one_click(nlp_blank, page, tmp_path):
    output = tmp_path / "merged.jsonl"
    session = open_compare(nlp_blank, REVIEW_DATA / "gold.jsonl", REVIEW_DATA / "tagged.jsonl", output_path=output, kb=[])
    server = serve(session)
    try:
        page.goto(server.url)
        page.wait_for_selector(".gtag")
        assert "PERSON" in page.inner_text("#compare-info") and "0.83" in page.inner_text("#compare-info")
        page.locator(".gtag.ga", has_text="TRIAL").click()  # the span only A has: "zaak Tukhachevsky"
        settle(page)
        page.keyboard.press("a")
        page.wait_for_function("() => document.querySelector('#doc-pos').textContent === 'Document 2 of 4'")
        assert page.errors == []
    finally:
        server.shutdown()
        server.server_close()
    merged = latest(output)[session.docs[0]["_input_hash"]]
    spans = {(s["text"], s["label"]) for s in merged["spans"]}
    assert ("zaak Tukhachevsky", "TRIAL") in spans and ("1937", "DATE") in spans
    assert ("Grote Zuivering", "TRIAL") not in spans
    assert agreement_path(output).exists()

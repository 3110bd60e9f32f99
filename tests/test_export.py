"""Export: SQLite and PostgreSQL round trips, re-runs, crashes, CSV, TEI, JSONL and the CLI."""
from __future__ import annotations

import csv
import gzip
import io
import json
import re
from pathlib import Path

import pytest
from typer.testing import CliRunner

from pipeline import export
from pipeline.export import sql as export_sql
from pipeline.normalize.edtf import edtf_bounds
from pipeline.tasks import text_hash
from pipeline.validate import check_light
from pipeline.cli import app
from pipeline.errors import InputError, TerreurError
from pipeline.export import export_entities, parse_target

from pg_server import NoPostgres, postgres_url

DATA = Path(__file__).resolve().parent / "data"
SAMPLE_PATH = DATA / "tagged_sample.jsonl"
BROKEN_PATH = DATA / "tagged_broken.jsonl"
BROKEN_LINES = (3, 5)  # see tests/data/make_tagged_sample.py
TEI_SCHEMA_PATH = DATA / "tei" / "tei_all.rng.gz"
DOCS_PATH = Path(__file__).resolve().parent.parent / "docs" / "export.md"
TEI = "{http://www.tei-c.org/ns/1.0}"
XML_ID = "{http://www.w3.org/XML/1998/namespace}id"


def read_sample(path: Path = SAMPLE_PATH) -> list:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]


def expected_counts(tasks: list) -> dict:
    spans = [span for task in tasks for span in task["spans"]]
    return {
        "documents": len({text_hash(task["text"]) for task in tasks}),
        "mentions": len(spans),
        "entities": len({span["kb_id"] for span in spans if span.get("kb_id")}),
        "unresolved": sum(1 for span in spans if not span.get("kb_id")),
    }


def table_counts(url: str) -> dict:
    from sqlalchemy import func, select

    engine = export.create_engine_for(parse_target(url))
    tables = export.get_metadata().tables
    try:
        with engine.connect() as conn:
            counts = {name: conn.execute(select(func.count()).select_from(tables[name])).scalar_one() for name in tables}
            counts["unresolved"] = conn.execute(
                select(func.count()).select_from(tables["mentions"]).where(tables["mentions"].c.entity.is_(None))
            ).scalar_one()
    finally:
        engine.dispose()
    return counts


def query(url: str, sql: str, **params) -> list:
    from sqlalchemy import text

    engine = export.create_engine_for(parse_target(url))
    try:
        with engine.connect() as conn:
            return [tuple(row) for row in conn.execute(text(sql), params)]
    finally:
        engine.dispose()


def docs_queries() -> list:
    """The SQL examples in docs/export.md, which these tests keep honest."""
    return re.findall(r"```sql\n(.*?)```", DOCS_PATH.read_text(encoding="utf-8"), flags=re.S)


# --- fixtures ------------------------------------------------------------------------


@pytest.fixture(scope="session")
def sample_tasks() -> list:
    return read_sample()


@pytest.fixture(scope="session")
def postgres_server_url():
    """A PostgreSQL server for the whole run: $TERREUR_TEST_POSTGRES_URL, or one started in /tmp."""
    try:
        import psycopg  # noqa: F401
    except ImportError:
        pytest.skip("psycopg is not installed: pip install -e '.[postgres]'")
    try:
        with postgres_url() as url:
            yield url
    except NoPostgres as err:
        pytest.skip(str(err))


def _drop_tables(url: str) -> None:
    engine = export.create_engine_for(parse_target(url))
    try:
        export.get_metadata().drop_all(engine)
    finally:
        engine.dispose()


@pytest.fixture(params=["sqlite", "postgresql"])
def db_url(request, tmp_path) -> str:
    """An empty database of each kind: a new SQLite file, or the PostgreSQL server with the tables dropped."""
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path / 'entities.db'}"
    url = request.getfixturevalue("postgres_server_url")
    _drop_tables(url)
    return url


@pytest.fixture(scope="session")
def sqlite_sample_url(tmp_path_factory) -> str:
    """A SQLite file filled by export from the sample, built once (read-only for the tests that use it)."""
    url = f"sqlite:///{tmp_path_factory.mktemp('export') / 'sample.db'}"
    export_entities(SAMPLE_PATH, url)
    return url


@pytest.fixture(scope="session")
def tei_schema():
    """The TEI P5 RELAX NG schema (tei_all, see tests/data/tei/README.md), compiled once."""
    from lxml import etree

    with gzip.open(TEI_SCHEMA_PATH) as f:
        return etree.RelaxNG(etree.parse(f))


# --- targets and dates ---------------------------------------------------------------------


@pytest.mark.parametrize(
    "value,kind,location",
    [
        ("sqlite:///entities.db", "sqlite", "sqlite:///entities.db"),
        ("sqlite:////abs/entities.db", "sqlite", "sqlite:////abs/entities.db"),
        ("archive.db", "sqlite", "sqlite:///archive.db"),
        ("postgresql://me@localhost/terreur", "postgresql", "postgresql+psycopg://me@localhost/terreur"),
        ("postgres://me@localhost/terreur", "postgresql", "postgresql+psycopg://me@localhost/terreur"),
        ("postgresql+psycopg2://me@h/db", "postgresql", "postgresql+psycopg2://me@h/db"),
        ("csv:out/csv", "csv", "out/csv"),
        ("tei:out/tei", "tei", "out/tei"),
        ("jsonl:checked.jsonl", "jsonl", "checked.jsonl"),
        ("jsonl", "jsonl", "-"),
        ("jsonl:-", "jsonl", "-"),
    ],
)
def test_parse_target(value, kind, location):
    assert parse_target(value) == export.Target(kind, location)


@pytest.mark.parametrize("value", ["mysql://me@h/db", "entities", "csv:", "sqlite:entities.db", "postgresql:db"])
def test_parse_target_rejects_unknown_forms(value):
    with pytest.raises(TerreurError, match="expected"):
        parse_target(value)


def test_target_display_hides_password():
    assert "secret" not in parse_target("postgresql://me:secret@localhost/db").display


@pytest.mark.parametrize(
    "edtf,bounds",
    [
        ("1937", ("1937-01-01", "1937-12-31")),
        ("1937-06", ("1937-06-01", "1937-06-30")),
        ("1936-02", ("1936-02-01", "1936-02-29")),
        ("1937-06-11", ("1937-06-11", "1937-06-11")),
        ("1937-06-11/1937-06-12", ("1937-06-11", "1937-06-12")),
        ("1936-09-26/1937-04", ("1936-09-26", "1937-04-30")),
        ("1931-23", ("1931-09-01", "1931-11-30")),
        ("1937-24", ("1937-12-01", "1938-02-28")),
        ("193X", ("1930-01-01", "1939-12-31")),
        ("1937?", ("1937-01-01", "1937-12-31")),
        ("../1937", (None, "1937-12-31")),
        ("1937/..", ("1937-01-01", None)),
        ("[1936,1937]", ("1936-01-01", "1937-12-31")),  # through the edtf package
        ("1937-02-30", None),
        ("in de zomer", None),
    ],
)
def test_edtf_bounds(edtf, bounds):
    assert edtf_bounds(edtf) == bounds


@pytest.mark.parametrize(
    "edtf,attrs",
    [
        ("1937", {"when": "1937"}),
        ("1938-03", {"when": "1938-03"}),
        ("1891-11-07", {"when": "1891-11-07"}),
        ("1936-09-26/1937-04-05", {"from": "1936-09-26", "to": "1937-04-05"}),
        ("1917/1937", {"from": "1917", "to": "1937"}),
        ("../1937", {"to": "1937"}),
        ("1931-23", {"from": "1931-09", "to": "1931-11", "when-custom": "1931-23", "datingMethod": export.EDTF_URI}),
        ("1937-24", {"from": "1937-12", "to": "1938-02", "when-custom": "1937-24", "datingMethod": export.EDTF_URI}),
        ("193X", {"from": "1930", "to": "1939", "when-custom": "193X", "datingMethod": export.EDTF_URI}),
        ("1937?", {"when": "1937", "cert": "low", "when-custom": "1937?", "datingMethod": export.EDTF_URI}),
        ("1937-13", {}),
        (None, {}),
    ],
)
def test_tei_date_attributes(edtf, attrs):
    assert export.tei_date_attributes(edtf) == attrs


# --- databases: round trip, re-runs, crashes -----------------------------------------------


def test_database_round_trip_counts_match_jsonl(db_url, sample_tasks):
    stats = export_entities(SAMPLE_PATH, db_url)
    expected = expected_counts(sample_tasks)
    counts = table_counts(db_url)
    assert counts["documents"] == expected["documents"] == len(sample_tasks) == stats.documents
    assert counts["mentions"] == expected["mentions"] == stats.mentions
    assert counts["entities"] == expected["entities"] == stats.entities
    assert counts["unresolved"] == expected["unresolved"] > 0
    assert (stats.records, stats.unchanged, stats.errors) == (len(sample_tasks), 0, [])


def test_database_rows_carry_the_fields(db_url, sample_tasks):
    export_entities(SAMPLE_PATH, db_url, batch_size=2)
    rows = query(db_url, "SELECT kb_id, type, canonical, cyrillic FROM entities WHERE kb_id = 'per-nikolai-yezhov'")
    assert rows == [("per-nikolai-yezhov", "PERSON", "Nikolai Yezhov", "Николай Иванович Ежов")]
    # every mention's text is the document text at its offsets
    for doc_text, start, end, text in query(
        db_url, "SELECT d.text, m.start_char, m.end_char, m.text FROM mentions m JOIN documents d ON d.hash = m.document"
    ):
        assert doc_text[start:end] == text
    (date,) = query(
        db_url,
        "SELECT edtf, date_from, date_to, year_from, year_to FROM mentions WHERE text = :text",
        text="11 op 12 juni 1937",
    )
    assert date == ("1937-06-11/1937-06-12", "1937-06-11", "1937-06-12", 1937, 1937)
    (kaganovich,) = query(db_url, "SELECT entity, confidence FROM mentions WHERE text = 'Lazar Kaganovitsj'")
    assert kaganovich == (None, 0.45)
    ids = {row[0] for row in query(db_url, "SELECT id FROM documents")}
    assert ids == {task["meta"]["id"] for task in sample_tasks}


def test_database_has_the_indices(db_url):
    from sqlalchemy import inspect

    export_entities(SAMPLE_PATH, db_url)
    engine = export.create_engine_for(parse_target(db_url))
    try:
        inspector = inspect(engine)
        mention_indices = {ix["name"]: ix["column_names"] for ix in inspector.get_indexes("mentions")}
        entity_indices = {ix["name"]: ix["column_names"] for ix in inspector.get_indexes("entities")}
        uniques = {uq["name"] for uq in inspector.get_unique_constraints("mentions")}
    finally:
        engine.dispose()
    assert mention_indices["ix_mentions_entity"] == ["entity"]
    assert mention_indices["ix_mentions_label_year"] == ["label", "year_from", "year_to"]
    assert entity_indices["ix_entities_canonical"] == ["canonical"]
    assert "uq_mentions_span" in uniques | set(mention_indices)


def test_docs_example_queries(db_url):
    yezhov, trial_1937 = docs_queries()
    export_entities(SAMPLE_PATH, db_url)
    mentions = query(db_url, yezhov)
    assert [(doc, text) for doc, _, _, text in mentions] == [
        ("seed-end", "Jezjov"),
        ("seed-end", "Jezjov"),
        ("web023", "Nikolai Jezjov"),
    ]
    # web018 names the Tukhachevsky trial and 1937; seed-end a show trial and "jaren dertig" (193X)
    assert query(db_url, trial_1937) == [("seed-end",), ("web018",)]


def test_export_twice_adds_no_rows(db_url, sample_tasks):
    first = export_entities(SAMPLE_PATH, db_url, batch_size=2)
    before = table_counts(db_url)
    second = export_entities(SAMPLE_PATH, db_url, batch_size=2)
    assert table_counts(db_url) == before
    assert (second.documents, second.unchanged, second.mentions) == (0, len(sample_tasks), 0)
    assert first.documents == len(sample_tasks)


def test_changed_annotations_replace_a_documents_mentions(db_url, sample_tasks, tmp_path):
    export_entities(SAMPLE_PATH, db_url)
    before = table_counts(db_url)
    retagged = json.loads(json.dumps(sample_tasks))
    removed = retagged[1]["spans"].pop()
    retagged[1]["spans"][0]["confidence"] = 0.5
    stats = export_entities(retagged, db_url)
    after = table_counts(db_url)
    assert (stats.documents, stats.unchanged) == (1, len(sample_tasks) - 1)
    assert after["documents"] == before["documents"]
    assert after["mentions"] == before["mentions"] - 1
    in_web023 = "SELECT count(*) FROM mentions m JOIN documents d ON d.hash = m.document WHERE d.id = 'web023' AND m.text = :t"
    assert query(db_url, in_web023, t=removed["text"]) == [(0,)]
    assert query(db_url, "SELECT confidence FROM mentions WHERE start_char = 0 AND text = 'Genrikh Yagoda'") == [(0.5,)]


def test_the_same_text_twice_is_one_document(db_url, sample_tasks):
    stats = export_entities(sample_tasks + sample_tasks[:2], db_url, batch_size=3)
    counts = table_counts(db_url)
    assert counts["documents"] == len(sample_tasks)
    assert counts["mentions"] == expected_counts(sample_tasks)["mentions"]
    assert stats.unchanged + stats.duplicates == 2


def test_entities_fill_in_missing_fields(db_url, sample_tasks):
    bare = json.loads(json.dumps(sample_tasks[1]))
    for span in bare["spans"]:
        span.pop("cyrillic", None)
    export_entities([bare], db_url)
    assert query(db_url, "SELECT cyrillic FROM entities WHERE kb_id = 'per-nikolai-yezhov'") == [(None,)]
    export_entities(SAMPLE_PATH, db_url)
    assert query(db_url, "SELECT cyrillic FROM entities WHERE kb_id = 'per-nikolai-yezhov'") == [("Николай Иванович Ежов",)]


def test_crash_in_batch_two_keeps_batch_one_and_rerun_completes(db_url, sample_tasks, monkeypatch):
    calls = []
    insert_mentions = export_sql.insert_mentions

    def failing_insert_mentions(conn, rows):
        calls.append(len(rows))
        if len(calls) == 2:  # documents and entities of batch 2 are already inserted by now
            raise RuntimeError("connection lost")
        insert_mentions(conn, rows)

    monkeypatch.setattr(export_sql, "insert_mentions", failing_insert_mentions)
    with pytest.raises(RuntimeError, match="connection lost"):
        export_entities(SAMPLE_PATH, db_url, batch_size=2)
    first_batch = sample_tasks[:2]
    counts = table_counts(db_url)
    assert counts["documents"] == 2
    assert counts["mentions"] == expected_counts(first_batch)["mentions"]
    assert counts["entities"] == expected_counts(first_batch)["entities"]
    stored = {row[0] for row in query(db_url, "SELECT id FROM documents")}
    assert stored == {task["meta"]["id"] for task in first_batch}

    monkeypatch.setattr(export_sql, "insert_mentions", insert_mentions)
    stats = export_entities(SAMPLE_PATH, db_url, batch_size=2)
    assert (stats.unchanged, stats.documents) == (2, len(sample_tasks) - 2)
    expected = expected_counts(sample_tasks)
    counts = table_counts(db_url)
    assert (counts["documents"], counts["mentions"], counts["entities"]) == (
        expected["documents"], expected["mentions"], expected["entities"],
    )  # fmt: skip


def test_database_error_mid_export_says_how_to_resume(db_url, monkeypatch):
    from sqlalchemy.exc import OperationalError

    def lost(conn, rows):
        raise OperationalError("INSERT INTO mentions", {}, Exception("server closed the connection unexpectedly"))

    monkeypatch.setattr(export_sql, "insert_mentions", lost)
    with pytest.raises(TerreurError, match="server closed the connection.*the 0 batches before this one are committed"):
        export_entities(SAMPLE_PATH, db_url)
    assert table_counts(db_url)["documents"] == 0


def test_bad_line_names_file_and_line_and_writes_nothing_of_its_batch(db_url):
    with pytest.raises(InputError) as info:
        export_entities(BROKEN_PATH, db_url)
    assert (Path(info.value.path).name, info.value.line) == (BROKEN_PATH.name, BROKEN_LINES[0])
    assert "not valid JSON" in str(info.value)
    assert str(info.value).startswith(f"{BROKEN_PATH}:{BROKEN_LINES[0]}:")
    assert table_counts(db_url)["documents"] == 0


def test_skip_errors_reports_and_goes_on(db_url):
    reported = []
    stats = export_entities(BROKEN_PATH, db_url, skip_errors=True, on_error=reported.append)
    assert [error.line for error in stats.errors] == list(BROKEN_LINES)
    assert reported == stats.errors
    assert "unknown label 'PER'" in str(stats.errors[1])
    assert stats.records == 5
    assert table_counts(db_url)["documents"] == stats.documents == 3


# --- SQLite specifics ---------------------------------------------------------------------------


def test_sqlite_file_and_folder_are_created(tmp_path):
    path = tmp_path / "new" / "folder" / "entities.db"
    export_entities(SAMPLE_PATH, f"sqlite:///{path}")
    assert path.is_file()


def test_sqlite_bare_path_target(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    export_entities(SAMPLE_PATH, "archive.db")
    assert table_counts("sqlite:///archive.db")["documents"] == 5


def test_sqlite_enforces_foreign_keys(sqlite_sample_url):
    from sqlalchemy import text
    from sqlalchemy.exc import IntegrityError

    engine = export.create_engine_for(parse_target(sqlite_sample_url))
    try:
        with pytest.raises(IntegrityError):
            with engine.begin() as conn:
                conn.execute(text("INSERT INTO mentions (document, start_char, end_char, label, text) VALUES ('x', 0, 1, 'LOC', 'x')"))
    finally:
        engine.dispose()


def test_stdin_input(tmp_path, monkeypatch, sample_tasks):
    monkeypatch.setattr("sys.stdin", io.StringIO(SAMPLE_PATH.read_text(encoding="utf-8")))
    url = f"sqlite:///{tmp_path / 'stdin.db'}"
    stats = export_entities("-", url)
    assert stats.documents == len(sample_tasks)


def test_stdin_errors_say_stdin(tmp_path, monkeypatch):
    monkeypatch.setattr("sys.stdin", io.StringIO('{"text": "Jezjov"}\n{"text": 5}\n'))
    with pytest.raises(InputError, match=r"^<stdin>:2: \[E003\] 'text' must be a string"):
        export_entities("-", f"sqlite:///{tmp_path / 'x.db'}")


def test_missing_input_file(tmp_path):
    with pytest.raises(InputError, match="no such file"):
        export_entities(tmp_path / "missing.jsonl", f"sqlite:///{tmp_path / 'x.db'}")


@pytest.mark.parametrize(
    "task,reason",
    [
        ([1, 2], "expected a JSON object"),
        ({"spans": []}, "no 'text' field"),
        ({"text": "Jezjov", "spans": [{"start": 0, "end": 60, "label": "PERSON"}]}, "outside the text"),
        ({"text": "Jezjov", "spans": [{"start": 0, "end": 6, "label": "PER"}]}, "unknown label"),
        ({"text": "Jezjov", "spans": [{"start": 0, "end": 6, "label": "PERSON", "text": "Yezhov"}]}, "says text"),
        ({"text": "Jezjov", "spans": [{"start": "0", "end": 6, "label": "PERSON"}]}, "integer 'start' and 'end'"),
        (
            {"text": "Nikolai Jezjov", "spans": [{"start": 0, "end": 14, "label": "PERSON"}, {"start": 8, "end": 14, "label": "PERSON"}]},
            "overlaps",
        ),
    ],
)
def test_check_task_reasons(task, reason):
    assert reason in check_light(task)


# --- CSV -------------------------------------------------------------------------------------------


def test_csv_three_files_round_trip(tmp_path, sample_tasks):
    out = tmp_path / "csv"
    stats = export_entities(SAMPLE_PATH, f"csv:{out}")
    expected = expected_counts(sample_tasks)
    tables = {}
    for name in ("documents", "entities", "mentions"):
        with (out / f"{name}.csv").open(encoding="utf-8", newline="") as f:
            tables[name] = list(csv.DictReader(f))
    assert list(tables["mentions"][0]) == list(export.MENTION_COLUMNS)
    assert len(tables["documents"]) == expected["documents"] == stats.documents
    assert len(tables["mentions"]) == expected["mentions"] == stats.mentions
    assert len(tables["entities"]) == expected["entities"] == stats.entities
    assert sum(1 for row in tables["mentions"] if row["entity"] == "") == expected["unresolved"]
    texts = {row["hash"]: row["text"] for row in tables["documents"]}
    assert set(texts.values()) == {task["text"] for task in sample_tasks}  # newlines survive
    for row in tables["mentions"]:
        assert texts[row["document"]][int(row["start_char"]) : int(row["end_char"])] == row["text"]
    assert not list(out.glob(".*.tmp"))


def test_csv_rerun_replaces_files(tmp_path):
    out = tmp_path / "csv"
    export_entities(SAMPLE_PATH, f"csv:{out}")
    first = {p.name: p.read_bytes() for p in out.iterdir()}
    export_entities(SAMPLE_PATH, f"csv:{out}")
    assert {p.name: p.read_bytes() for p in out.iterdir()} == first


def test_csv_failure_leaves_previous_files(tmp_path):
    out = tmp_path / "csv"
    export_entities(SAMPLE_PATH, f"csv:{out}")
    before = {p.name: p.read_bytes() for p in out.iterdir()}
    with pytest.raises(InputError):
        export_entities(BROKEN_PATH, f"csv:{out}")
    assert {p.name: p.read_bytes() for p in out.iterdir()} == before


# --- TEI -----------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def tei_dir(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("tei")
    export_entities(SAMPLE_PATH, f"tei:{out}")
    return out


def parse_tei(path: Path):
    from lxml import etree

    return etree.parse(str(path))


def test_tei_one_file_per_document(tei_dir, sample_tasks):
    assert sorted(p.name for p in tei_dir.iterdir()) == sorted(f"{task['meta']['id']}.xml" for task in sample_tasks)


def test_tei_files_validate_against_tei_all(tei_dir, tei_schema):
    for path in sorted(tei_dir.glob("*.xml")):
        document = parse_tei(path)
        assert tei_schema.validate(document), f"{path.name}: {tei_schema.error_log}"


def test_tei_structure_and_text(tei_dir, sample_tasks):
    for task in sample_tasks:
        root = parse_tei(tei_dir / f"{task['meta']['id']}.xml").getroot()
        assert root.tag == f"{TEI}TEI"
        assert [child.tag for child in root][:2] == [f"{TEI}teiHeader", f"{TEI}text"]
        assert root.findtext(f"{TEI}teiHeader/{TEI}fileDesc/{TEI}sourceDesc/{TEI}bibl/{TEI}idno[@type='sha256']") == (
            text_hash(task["text"])
        )
        body = root.find(f"{TEI}text/{TEI}body")
        paragraphs = body.findall(f"{TEI}p")
        assert len(paragraphs) == len(export.paragraph_ranges(task["text"], task["spans"]))
        # the words are all there, in order: only whitespace between paragraphs differs
        assert _squash(_text_with_breaks(body)) == _squash(task["text"])
        inline = [el for el in body.iter() if el.tag != f"{TEI}p" and el.tag != f"{TEI}lb" and el.tag != f"{TEI}body"]
        assert [el.text for el in inline] == [span["text"] for span in task["spans"]]


def _text_with_breaks(element) -> str:
    parts = []
    for el in element.iter():
        if el.tag == f"{TEI}lb":
            parts.append("\n")
        elif el.tag == f"{TEI}p" and parts:
            parts.append("\n\n")
        if el.text and el.tag != f"{TEI}lb":
            parts.append(el.text)
        if el.tail and el is not element and el.tag != f"{TEI}p":
            parts.append(el.tail)
    return "".join(parts)


def _squash(text: str) -> str:
    return re.sub(r"\s+", " ", text).strip()


def test_tei_elements_and_attributes(tei_dir):
    root = parse_tei(tei_dir / "web018.xml").getroot()
    persons = root.findall(f".//{TEI}body//{TEI}persName")
    assert ("Michail Toechatsjevski", "#per-mikhail-tukhachevsky") in {(p.text, p.get("ref")) for p in persons}
    trials = root.findall(f".//{TEI}body//{TEI}rs[@type='trial']")
    assert {t.get("ref") for t in trials} == {"#trial-tukhachevsky-affair", "#trial-moscow-trials"}
    assert root.find(f".//{TEI}body//{TEI}orgName[@ref='#org-red-army']").text == "Rode Leger"
    (night,) = [d for d in root.iter(f"{TEI}date") if d.text == "11 op 12 juni 1937"]
    assert (night.get("from"), night.get("to"), night.get("when")) == ("1937-06-11", "1937-06-12", None)
    # every @ref points to an xml:id in standOff, which carries the canonical and Cyrillic names
    ids = {el.get(XML_ID): el for el in root.find(f"{TEI}standOff").iter() if el.get(XML_ID)}
    for el in root.find(f"{TEI}text").iter():
        if el.get("ref"):
            assert el.get("ref")[1:] in ids
    tukhachevsky = ids["per-mikhail-tukhachevsky"]
    assert tukhachevsky.tag == f"{TEI}person"
    names = {n.get("type"): n.text for n in tukhachevsky.findall(f"{TEI}persName")}
    assert names == {"canonical": "Mikhail Tukhachevsky", "original": "Михаил Николаевич Тухачевский"}
    assert ids["trial-tukhachevsky-affair"].tag == f"{TEI}event"


def test_tei_dates_and_unresolved_names(tei_dir):
    seed_end = parse_tei(tei_dir / "seed-end.xml").getroot()
    dates = {d.text: dict(d.attrib) for d in seed_end.iter(f"{TEI}date")}
    assert dates["maart 1938"] == {"when": "1938-03"}
    assert dates["jaren dertig"]["from"] == "1930" and dates["jaren dertig"]["to"] == "1939"
    web023 = parse_tei(tei_dir / "web023.xml").getroot()
    dates = {d.text: dict(d.attrib) for d in web023.iter(f"{TEI}date")}
    assert dates["7 november 1891"] == {"when": "1891-11-07"}
    assert dates["10 juli 1934 - 26 september 1936"] == {"from": "1934-07-10", "to": "1936-09-26"}
    web032 = parse_tei(tei_dir / "web032.xml").getroot()
    autumn = [d for d in web032.iter(f"{TEI}date") if d.text == "herfst van 1931"][0]
    assert (autumn.get("from"), autumn.get("to"), autumn.get("when-custom")) == ("1931-09", "1931-11", "1931-23")
    intro = parse_tei(tei_dir / "seed-intro.xml").getroot()
    unresolved = {p.text: p.get("ref") for p in intro.iter(f"{TEI}persName")}
    assert unresolved["Menno Bos"] is None and unresolved["Lazar Kaganovitsj"] is None


def test_tei_survives_odd_text(tmp_path, tei_schema):
    text = "Jezjov\x0c en <NKVD> & \"Moskou\"\nregel twee"
    task = {
        "text": text,
        "meta": {"id": "odd/../id with spaces"},
        "spans": [
            {"start": 0, "end": 6, "label": "PERSON", "kb_id": "per-nikolai-yezhov"},
            {"start": 12, "end": 16, "label": "ORG", "kb_id": "org:nkvd 1"},
        ],
    }
    export_entities([task], f"tei:{tmp_path}")
    (path,) = tmp_path.glob("*.xml")
    assert path.parent == tmp_path
    document = parse_tei(path)
    assert tei_schema.validate(document), tei_schema.error_log
    org = document.getroot().find(f".//{TEI}orgName")
    assert org.text == "NKVD" and org.get("ref") == "#kb-org_nkvd_1"


# --- JSONL pass-through --------------------------------------------------------------------------


def test_jsonl_pass_through_writes_the_lines_unchanged(tmp_path):
    out = tmp_path / "checked.jsonl"
    stats = export_entities(SAMPLE_PATH, f"jsonl:{out}")
    assert out.read_text(encoding="utf-8") == SAMPLE_PATH.read_text(encoding="utf-8")
    assert stats.documents == 5


def test_jsonl_pass_through_validates_token_boundaries(tmp_path):
    task = {"text": "Jezjov werd ontslagen.", "spans": [{"start": 0, "end": 4, "label": "PERSON"}]}
    assert check_light(task) is None  # offsets and label are fine ...
    with pytest.raises(InputError, match="token boundaries"):  # ... but "Jezj" is half a token
        export_entities([task], f"jsonl:{tmp_path / 'out.jsonl'}")
    assert not (tmp_path / "out.jsonl").exists()
    assert not list(tmp_path.iterdir())  # no temp file left behind


def test_jsonl_pass_through_skip_errors(tmp_path):
    out = tmp_path / "checked.jsonl"
    stats = export_entities(BROKEN_PATH, f"jsonl:{out}", skip_errors=True)
    assert [error.line for error in stats.errors] == list(BROKEN_LINES)
    assert len(out.read_text(encoding="utf-8").splitlines()) == stats.documents == 3


# --- CLI -------------------------------------------------------------------------------------------


def run_cli(*args):
    return CliRunner().invoke(app, ["export", *map(str, args)])


def test_cli_sqlite(tmp_path, sample_tasks):
    url = f"sqlite:///{tmp_path / 'entities.db'}"
    result = run_cli(SAMPLE_PATH, "--to", url, "--batch-size", 2)
    assert result.exit_code == 0, result.output
    assert result.stdout == ""
    expected = expected_counts(sample_tasks)
    assert f"✔ 5 documents, {expected['mentions']} mentions, {expected['entities']} entities" in result.stderr
    result = run_cli(SAMPLE_PATH, "--to", url)
    assert result.exit_code == 0, result.output
    assert "0 documents" in result.stderr and "5 unchanged" in result.stderr
    assert table_counts(url)["documents"] == 5


def test_cli_bad_line_exits_1_with_file_and_line(tmp_path):
    result = run_cli(BROKEN_PATH, "--to", f"sqlite:///{tmp_path / 'x.db'}")
    assert result.exit_code == 1, result.output
    assert f"tagged_broken.jsonl:{BROKEN_LINES[0]}: [E001] not valid JSON" in result.stderr
    assert "Traceback" not in result.output


def test_cli_skip_errors_reports_each_and_counts(tmp_path):
    result = run_cli(BROKEN_PATH, "--to", f"sqlite:///{tmp_path / 'x.db'}", "--skip-errors")
    assert result.exit_code == 1, result.output
    for line in BROKEN_LINES:
        assert f"tagged_broken.jsonl:{line}:" in result.stderr
    assert "3 documents" in result.stderr and "2 bad" in result.stderr


def test_cli_missing_input_is_one_line(tmp_path):
    result = run_cli(tmp_path / "missing.jsonl", "--to", f"sqlite:///{tmp_path / 'x.db'}")
    assert result.exit_code == 1, result.output
    assert result.stderr == f"✘ {tmp_path / 'missing.jsonl'}: [E019] no such file or directory\n"


def test_cli_rejects_an_unknown_target_before_reading(tmp_path):
    result = run_cli(SAMPLE_PATH, "--to", "mysql://me@host/db")
    assert result.exit_code == 2, result.output
    assert "unknown export target" in result.stderr


def test_cli_jsonl_to_stdout_keeps_stderr_apart():
    result = run_cli(SAMPLE_PATH, "--to", "jsonl")
    assert result.exit_code == 0, result.output
    assert result.stdout == SAMPLE_PATH.read_text(encoding="utf-8")
    assert "✔" in result.stderr


def test_cli_stdin_to_tei(tmp_path):
    result = CliRunner().invoke(app, ["export", "-", "--to", f"tei:{tmp_path}"], input=SAMPLE_PATH.read_text(encoding="utf-8"))
    assert result.exit_code == 0, result.output
    assert len(list(tmp_path.glob("*.xml"))) == 5


def test_cli_help_has_examples():
    result = CliRunner().invoke(app, ["export", "--help"])
    assert result.exit_code == 0
    assert "--to" in result.stdout and "sqlite:///entities.db" in result.stdout


def test_cli_postgres(postgres_server_url):
    _drop_tables(postgres_server_url)
    result = run_cli(SAMPLE_PATH, "--to", postgres_server_url)
    assert result.exit_code == 0, result.output
    assert table_counts(postgres_server_url)["documents"] == 5


def test_postgres_unreachable_is_one_line(tmp_path):
    pytest.importorskip("psycopg")
    result = run_cli(SAMPLE_PATH, "--to", f"postgresql://nobody@/nodb?host={tmp_path}&port=1")
    assert result.exit_code == 1, result.output
    assert result.stderr.startswith("✘ [E110] cannot open postgresql")
    assert len(result.stderr.strip().splitlines()) == 1

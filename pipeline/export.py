"""Stage 7: export tagged documents to SQLite, PostgreSQL, CSV, TEI or JSONL.

Archivists take what ``terreur tag`` finds into their own systems. The input
is the tagged JSONL of ``docs/tagged-format.md``; the target is a URL:

=====================================  ============================================
``sqlite:///entities.db``              SQLite file (created with its tables)
``postgresql://user@host/db``          PostgreSQL (``pip install terreur[postgres]``)
``csv:DIR``                            ``documents.csv``, ``entities.csv``, ``mentions.csv``
``tei:DIR``                            one TEI P5 XML file per document
``jsonl:PATH`` / ``jsonl`` (stdout)    the input, validated, written atomically
=====================================  ============================================

The databases hold three tables (see ``docs/export.md``): ``documents``
keyed on the SHA-256 of the text, ``entities`` (the knowledge-base records
the mentions point to, keyed on ``kb_id``) and ``mentions``. Each batch of
documents is written in one transaction: a document already in the
database with the same annotations is left alone, one whose annotations
changed has its mentions deleted and written anew, so exporting the same
input twice adds no rows, and an export that fails part-way leaves the
batches it committed, which a rerun skips.
"""
from __future__ import annotations

import contextlib
import csv
import hashlib
import json
import re
import sys
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import (
    Any,
    Callable,
    Dict,
    IO,
    Iterable,
    Iterator,
    List,
    Optional,
    Sequence,
    Tuple,
    Union,
)

import srsly

from . import LABELS, __version__
from .errors import InputError, Messages, TerreurError
from .files import atomic_writer

DEFAULT_TARGET = "sqlite:///entities.db"
DEFAULT_BATCH_SIZE = 500
STDIN = "-"
STDIN_NAME = "<stdin>"
TARGET_FORMS = "sqlite:///PATH.db, postgresql://USER@HOST/DB, csv:DIR, tei:DIR, jsonl:PATH or jsonl (stdout)"
SQLITE_SUFFIXES = (".db", ".sqlite", ".sqlite3")

Source = Union[Path, str, Iterable[Dict[str, Any]]]
ProgressCallback = Callable[[int], None]
ErrorCallback = Callable[[InputError], None]


# --- results and targets -----------------------------------------------------


@dataclass
class ExportStats:
    """What an export did.

    target (str): the target, with any password hidden.
    records (int): non-blank input lines (or records) read.
    documents (int): documents written (new, or replaced because their annotations changed).
    unchanged (int): documents already in the target with the same annotations, left alone.
    duplicates (int): documents whose text occurred earlier in the same input.
    mentions (int): mentions written.
    entities (int): distinct knowledge-base records written or updated.
    rejected (int): tasks whose ``answer`` is reject or ignore, not exported.
    batches (int): transactions committed (databases) or batches written (files).
    errors (List[InputError]): the bad records skipped with ``skip_errors``.
    """

    target: str = ""
    records: int = 0
    documents: int = 0
    unchanged: int = 0
    duplicates: int = 0
    mentions: int = 0
    entities: int = 0
    rejected: int = 0
    batches: int = 0
    errors: List[InputError] = field(default_factory=list)


@dataclass(frozen=True)
class Target:
    """A parsed ``--to`` value.

    kind (str): "sqlite", "postgresql", "csv", "tei" or "jsonl".
    location (str): the SQLAlchemy URL, the directory, the file, or "-" for stdout.
    """

    kind: str
    location: str

    @property
    def display(self) -> str:
        if self.kind in ("sqlite", "postgresql"):
            from sqlalchemy.engine import make_url

            return make_url(self.location).render_as_string(hide_password=True)
        return f"{self.kind}:{self.location}"


def parse_target(target: str) -> Target:
    """Parse a ``--to`` value into a Target; a value of no known form raises TerreurError.

    target (str): e.g. ``sqlite:///entities.db``, ``postgresql://me@localhost/terror``,
        ``csv:out/``, ``tei:out/tei``, ``jsonl:clean.jsonl``; a bare ``*.db`` path means SQLite.
    RETURNS (Target): the kind and location.
    """
    value = target.strip()
    scheme, sep, rest = value.partition(":")
    scheme = scheme.lower()
    if scheme.startswith("sqlite") and sep:
        if not rest.startswith("//"):
            raise TerreurError(f"bad SQLite URL {target!r}: expected sqlite:///PATH.db (three slashes for a relative path)")
        return Target("sqlite", value)
    if scheme in ("postgresql", "postgres") or scheme.startswith("postgresql+"):
        if not rest.startswith("//"):
            raise TerreurError(f"bad PostgreSQL URL {target!r}: expected postgresql://USER[:PASSWORD]@HOST[:PORT]/DATABASE")
        if scheme in ("postgresql", "postgres"):
            # SQLAlchemy's default driver is psycopg2; the `postgres` extra installs psycopg 3.
            value = "postgresql+psycopg:" + rest
        return Target("postgresql", value)
    if scheme in ("csv", "tei") and sep:
        if not rest.strip():
            raise TerreurError(f"{scheme} target needs a directory: expected {scheme}:DIR")
        return Target(scheme, rest)
    if scheme == "jsonl":
        return Target("jsonl", rest if sep and rest else STDIN)
    if not sep and value.lower().endswith(SQLITE_SUFFIXES):
        return Target("sqlite", f"sqlite:///{value}")
    raise TerreurError(f"unknown export target {target!r}: expected {TARGET_FORMS}")


# --- reading and checking input -----------------------------------------------


def document_hash(text: str) -> str:
    """The document's stable database key: the SHA-256 of its text, in hex."""
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def check_task(task: Any) -> Optional[str]:
    """The first problem that would make a task's rows wrong, or None.

    Checks what the export relies on: a text, a list of spans with integer
    offsets inside it, a guidelines label, span text that matches the text,
    no overlaps. Token boundaries are the ``jsonl`` target's full validation.

    task (Any): the parsed JSON value of one line.
    RETURNS (str | None): the reason, in the catalogue's words.
    """
    if not isinstance(task, dict):
        return Messages.E017.format(type=type(task).__name__)
    if "text" not in task:
        return Messages.E002
    text = task["text"]
    if not isinstance(text, str):
        return Messages.E003.format(type=type(text).__name__)
    if not text.strip():
        return Messages.E015
    spans = task.get("spans") or []
    if not isinstance(spans, list):
        return f"'spans' must be a list of spans, got {type(spans).__name__}"
    previous: Optional[Tuple[int, int]] = None
    for span in sorted(spans, key=_span_sort_key):
        if not isinstance(span, dict) or not _is_int(span.get("start")) or not _is_int(span.get("end")):
            return Messages.E011.format(span=span)
        start, end, label = span["start"], span["end"], span.get("label")
        if start < 0 or end > len(text) or start >= end:
            return Messages.E004.format(start=start, end=end, length=len(text))
        if label not in LABELS:
            return Messages.E007.format(label=label, labels=", ".join(LABELS))
        if "text" in span and span["text"] != text[start:end]:
            return Messages.E009.format(start=start, end=end, given=span["text"], actual=text[start:end])
        if previous is not None and start < previous[1]:
            ps, pe = previous
            return Messages.E006.format(start=start, end=end, text=text[start:end], ostart=ps, oend=pe, otext=text[ps:pe])
        previous = (start, end)
    return None


def _is_int(value: Any) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def _span_sort_key(span: Any) -> Tuple[int, int]:
    if isinstance(span, dict) and _is_int(span.get("start")) and _is_int(span.get("end")):
        return (span["start"], span["end"])
    return (-1, -1)  # malformed spans sort first, so they are reported


@dataclass
class _Line:
    """One input record: where it came from, the parsed task and its raw JSON line."""

    source: str
    line: int
    task: Dict[str, Any]
    raw: str


def iter_input_lines(source: Source) -> Iterator[Tuple[str, int, str]]:
    """Yield (source name, line number, raw line) for every non-blank line of the input.

    source (Path | str | Iterable[dict]): a JSONL file, "-" for stdin, or records
        (numbered from 1 and serialised, so the same checks apply).
    RETURNS (Iterator[Tuple[str, int, str]]): the lines, in input order.
    """
    if isinstance(source, (str, Path)):
        if str(source) == STDIN:
            yield from _numbered(sys.stdin, STDIN_NAME)
            return
        path = Path(source)
        if not path.is_file():
            raise InputError(path, None, Messages.E019)
        with path.open(encoding="utf-8-sig") as f:
            yield from _numbered(f, str(path))
        return
    for number, record in enumerate(source, start=1):
        yield "<records>", number, json.dumps(record, ensure_ascii=False)


def _numbered(lines: Iterable[str], name: str) -> Iterator[Tuple[str, int, str]]:
    for number, raw in enumerate(lines, start=1):
        if raw.strip():
            yield name, number, raw.rstrip("\r\n")


def iter_checked_tasks(
    source: Source,
    stats: ExportStats,
    *,
    check: Callable[[Any, str, int], Optional[str]],
    skip_errors: bool = False,
    on_error: Optional[ErrorCallback] = None,
    accepted_only: bool = True,
) -> Iterator[_Line]:
    """Parse and check each line; a bad one raises InputError, or with ``skip_errors`` is reported and left out.

    Tasks answered reject or ignore are counted and left out when ``accepted_only``.

    RETURNS (Iterator[_Line]): the good records; ``stats`` counts records, rejects and errors.
    """
    for name, number, raw in iter_input_lines(source):
        stats.records += 1
        task, reason = _parse_json(raw)
        if reason is None:
            reason = check(task, name, number)
        if reason is not None:
            error = InputError(name, number, reason)
            if not skip_errors:
                raise error
            stats.errors.append(error)
            if on_error is not None:
                on_error(error)
            continue
        if accepted_only and task.get("answer", "accept") != "accept":
            stats.rejected += 1
            continue
        yield _Line(name, number, task, raw)


def _parse_json(raw: str) -> Tuple[Any, Optional[str]]:
    # srsly's ujson is about twice as fast as the json module; json says where the problem is.
    try:
        return srsly.json_loads(raw), None
    except ValueError:
        pass
    try:
        return json.loads(raw), None
    except json.JSONDecodeError as err:
        return None, Messages.E001.format(detail=f"{err.msg} (column {err.colno})")


def _light_check(task: Any, source: str, line: int) -> Optional[str]:
    return check_task(task)


def batched(items: Iterable[Any], size: int) -> Iterator[List[Any]]:
    """Lists of up to ``size`` items, in order."""
    batch: List[Any] = []
    for item in items:
        batch.append(item)
        if len(batch) >= size:
            yield batch
            batch = []
    if batch:
        yield batch


# --- rows ----------------------------------------------------------------------


DOCUMENT_COLUMNS = ("hash", "id", "source", "url", "text", "annotation_hash")
ENTITY_COLUMNS = ("kb_id", "type", "canonical", "cyrillic")
MENTION_COLUMNS = (
    "document", "start_char", "end_char", "label", "text", "entity",
    "edtf", "date_from", "date_to", "year_from", "year_to", "confidence",
)  # fmt: skip


@dataclass
class DocumentRows:
    """The rows one tagged document becomes: its document, its mentions, the entities they name."""

    hash: str
    document: Dict[str, Any]
    mentions: List[Dict[str, Any]]
    entities: List[Dict[str, Any]]
    task: Dict[str, Any]


def document_id(task: Dict[str, Any], source: str, line: int) -> str:
    """A document id for people: ``meta.id``, else ``meta.source`` (+ ``:line``), else the input file and line."""
    meta = task.get("meta") or {}
    if meta.get("id") not in (None, ""):
        return str(meta["id"])
    if meta.get("source"):
        return f"{meta['source']}:{meta['line']}" if meta.get("line") is not None else str(meta["source"])
    return f"{source}:{line}"


def document_rows(task: Dict[str, Any], *, source: str = "<records>", line: int = 0) -> DocumentRows:
    """Turn one checked task into its rows.

    task (Dict[str, Any]): a tagged document that passed ``check_task``.
    source (str): the input file, for the fallback document id.
    line (int): the input line, for the fallback document id.
    RETURNS (DocumentRows): the rows, keyed on the document hash.
    """
    text = task["text"]
    meta = task.get("meta") or {}
    doc_hash = document_hash(text)
    spans = sorted(task.get("spans") or [], key=_span_sort_key)
    mentions, entities = [], {}
    for span in spans:
        start, end, label = span["start"], span["end"], span["label"]
        kb_id = span.get("kb_id") or None
        edtf = span.get("edtf") or None
        bounds = edtf_bounds(edtf) if edtf else None
        date_from, date_to = bounds if bounds else (None, None)
        mentions.append(
            {
                "document": doc_hash,
                "start_char": start,
                "end_char": end,
                "label": label,
                "text": text[start:end],
                "entity": str(kb_id) if kb_id is not None else None,
                "edtf": str(edtf) if edtf is not None else None,
                "date_from": date_from,
                "date_to": date_to,
                "year_from": _year(date_from),
                "year_to": _year(date_to),
                "confidence": _float_or_none(span.get("confidence")),
            }
        )
        if kb_id is not None:
            _merge_entity(entities, str(kb_id), span.get("kb_type") or label, span.get("canonical"), span.get("cyrillic"))
    document = {
        "hash": doc_hash,
        "id": document_id(task, source, line),
        "source": _str_or_none(meta.get("source")),
        "url": _str_or_none(meta.get("url")),
        "text": text,
    }
    signature = json.dumps([document["id"], document["source"], document["url"], spans], sort_keys=True, ensure_ascii=False)
    document["annotation_hash"] = hashlib.sha256(signature.encode("utf-8")).hexdigest()
    return DocumentRows(doc_hash, document, mentions, list(entities.values()), task)


def _merge_entity(entities: Dict[str, Dict[str, Any]], kb_id: str, kb_type: Any, canonical: Any, cyrillic: Any) -> None:
    # The same kb record may come with more or fewer fields filled in; keep what any mention knew.
    row = entities.setdefault(kb_id, {"kb_id": kb_id, "type": None, "canonical": None, "cyrillic": None})
    for key, value in (("type", kb_type), ("canonical", canonical), ("cyrillic", cyrillic)):
        if row[key] is None and value not in (None, ""):
            row[key] = str(value)


def _str_or_none(value: Any) -> Optional[str]:
    return None if value is None else str(value)


def _float_or_none(value: Any) -> Optional[float]:
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return float(value)
    return None


def _year(iso: Optional[str]) -> Optional[int]:
    if not iso:
        return None
    return int(iso[:-6]) if len(iso) > 6 else None


# --- EDTF -----------------------------------------------------------------------

_EDTF_DATE = re.compile(r"^(?P<year>-?\d{4}|\d{2}XX|\d{3}X)(?:-(?P<month>\d{2}|XX))?(?:-(?P<day>\d{2}|XX))?$")
_QUALIFIERS = re.compile(r"[?~%]")
# Seasons (EDTF level 1) in the northern hemisphere, as month ranges; winter runs into the next year.
SEASONS = {21: (3, 5, 0), 22: (6, 8, 0), 23: (9, 11, 0), 24: (12, 2, 1)}
_MONTH_DAYS = (31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31)


def _last_day(year: int, month: int) -> int:
    leap = year % 4 == 0 and (year % 100 != 0 or year % 400 == 0)
    return 29 if month == 2 and leap else _MONTH_DAYS[month - 1]


def _iso(year: int, month: int, day: int) -> str:
    sign = "-" if year < 0 else ""
    return f"{sign}{abs(year):04d}-{month:02d}-{day:02d}"


def _simple_bounds(value: str) -> Optional[Tuple[str, str]]:
    match = _EDTF_DATE.match(_QUALIFIERS.sub("", value))
    if not match:
        return None
    year_text, month_text, day_text = match.group("year", "month", "day")
    if "X" in year_text:
        width = 10 ** year_text.count("X")
        low = int(year_text.replace("X", "0"))
        return _iso(low, 1, 1), _iso(low + width - 1, 12, 31)
    year = int(year_text)
    if month_text is None or month_text == "XX":
        return _iso(year, 1, 1), _iso(year, 12, 31)
    month = int(month_text)
    if month in SEASONS:
        first, last, carry = SEASONS[month]
        return _iso(year, first, 1), _iso(year + carry, last, _last_day(year + carry, last))
    if not 1 <= month <= 12:
        return None
    if day_text is None or day_text == "XX":
        return _iso(year, month, 1), _iso(year, month, _last_day(year, month))
    day = int(day_text)
    if not 1 <= day <= _last_day(year, month):
        return None
    return _iso(year, month, day), _iso(year, month, day)


@lru_cache(maxsize=65536)
def edtf_bounds(value: str) -> Optional[Tuple[Optional[str], Optional[str]]]:
    """The first and last day an EDTF value can mean, as ISO dates; None if it does not parse.

    Covers the forms ``tag`` writes (``1937``, ``1937-06``, ``1937-06-11``,
    seasons ``1937-21``…``1937-24``, decades ``193X``, qualifiers ``?~%``,
    intervals ``A/B`` with open ends ``..``) itself, and anything else
    through the ``edtf`` package.

    value (str): the EDTF string.
    RETURNS (Tuple[str | None, str | None] | None): the bounds; an open end is None.
    """
    value = value.strip()
    if "/" in value:
        first, _, last = value.partition("/")
        low = _simple_bounds(first) if first not in ("", "..") else (None, None)
        high = _simple_bounds(last) if last not in ("", "..") else (None, None)
        if low is None or high is None or (low[0] is None and high[1] is None):
            return _edtf_package_bounds(value)
        return low[0], high[1]
    return _simple_bounds(value) or _edtf_package_bounds(value)


def _edtf_package_bounds(value: str) -> Optional[Tuple[Optional[str], Optional[str]]]:
    try:
        from edtf import parse_edtf, struct_time_to_date

        parsed = parse_edtf(value)
        return struct_time_to_date(parsed.lower_strict()).isoformat(), struct_time_to_date(parsed.upper_strict()).isoformat()
    except Exception:  # the package raises several kinds of error for input it cannot read
        return None


# --- SQL: schema -------------------------------------------------------------------


def _build_metadata():
    from sqlalchemy import (
        BigInteger,
        Column,
        Float,
        ForeignKey,
        Index,
        Integer,
        MetaData,
        String,
        Table,
        Text,
        UniqueConstraint,
    )

    metadata = MetaData()
    Table(
        "documents",
        metadata,
        Column("hash", String(64), primary_key=True, comment="SHA-256 of text (hex): the key"),
        Column("id", Text, nullable=False, comment="meta.id, else the source path (+:line)"),
        Column("source", Text, comment="meta.source"),
        Column("url", Text, comment="meta.url"),
        Column("text", Text, nullable=False),
        Column("annotation_hash", String(64), nullable=False, comment="SHA-256 of id, source, url and spans"),
        Index("ix_documents_id", "id"),
    )
    Table(
        "entities",
        metadata,
        Column("kb_id", Text, primary_key=True),
        Column("type", Text, comment="kb_type, else the label"),
        Column("canonical", Text),
        Column("cyrillic", Text),
        Index("ix_entities_canonical", "canonical"),
    )
    Table(
        "mentions",
        metadata,
        # SQLite only auto-numbers an INTEGER primary key
        Column("id", BigInteger().with_variant(Integer, "sqlite"), primary_key=True, autoincrement=True),
        Column("document", String(64), ForeignKey("documents.hash", ondelete="CASCADE"), nullable=False),
        Column("start_char", Integer, nullable=False),
        Column("end_char", Integer, nullable=False),
        Column("label", String(16), nullable=False),
        Column("text", Text, nullable=False),
        Column("entity", Text, ForeignKey("entities.kb_id"), comment="NULL when the name is unresolved"),
        Column("edtf", Text),
        Column("date_from", String(11), comment="first day the EDTF value can mean (ISO)"),
        Column("date_to", String(11), comment="last day the EDTF value can mean (ISO)"),
        Column("year_from", Integer),
        Column("year_to", Integer),
        Column("confidence", Float),
        UniqueConstraint("document", "start_char", "end_char", "label", name="uq_mentions_span"),
        Index("ix_mentions_entity", "entity"),
        Index("ix_mentions_label_year", "label", "year_from", "year_to"),
        Index("ix_mentions_date", "date_from", "date_to"),
    )
    return metadata


@lru_cache(maxsize=1)
def get_metadata():
    """The SQLAlchemy Core ``MetaData`` with the tables documents, entities and mentions."""
    return _build_metadata()


def create_engine_for(target: Target):
    """An SQLAlchemy engine for a database target, with its tables created.

    target (Target): a "sqlite" or "postgresql" target.
    RETURNS (Engine): the engine; SQLite enforces foreign keys on it.
    """
    from sqlalchemy import create_engine, event
    from sqlalchemy.engine import make_url

    url = make_url(target.location)
    if target.kind == "sqlite":
        if url.database and url.database != ":memory:":
            Path(url.database).expanduser().parent.mkdir(parents=True, exist_ok=True)
        engine = create_engine(url)

        @event.listens_for(engine, "connect")
        def _sqlite_pragmas(dbapi_connection, _record):  # pragma: no cover - exercised by every SQLite test
            cursor = dbapi_connection.cursor()
            cursor.execute("PRAGMA foreign_keys=ON")
            cursor.close()

    else:
        try:
            engine = create_engine(url)
        except ModuleNotFoundError as err:
            raise TerreurError(f"PostgreSQL needs a driver ({err.name} is missing): pip install 'terreur[postgres]'")
    try:
        get_metadata().create_all(engine)
    except Exception as err:
        from sqlalchemy.exc import SQLAlchemyError

        if isinstance(err, SQLAlchemyError):
            raise TerreurError(f"cannot open {target.display}: {_first_line(err)}") from err
        raise
    return engine


def _first_line(err: BaseException) -> str:
    text = str(getattr(err, "orig", None) or err)
    return text.strip().splitlines()[0] if text.strip() else type(err).__name__


# --- SQL: writing -------------------------------------------------------------------


def unique_by_hash(batch: Sequence[DocumentRows], stats: ExportStats) -> List[DocumentRows]:
    """The batch with one entry per document hash (the last one wins, as a later export would)."""
    seen: Dict[str, DocumentRows] = {}
    for rows in batch:
        if rows.hash in seen:
            stats.duplicates += 1
            del seen[rows.hash]
        seen[rows.hash] = rows
    return list(seen.values())


def changed_documents(conn, batch: Sequence[DocumentRows]) -> Tuple[List[DocumentRows], List[str]]:
    """The documents of a batch that are new or whose annotations changed, and the hashes of those to replace.

    RETURNS (Tuple[List[DocumentRows], List[str]]): the documents to write and the hashes already stored.
    """
    from sqlalchemy import select

    documents = get_metadata().tables["documents"]
    hashes = [rows.hash for rows in batch]
    stored = dict(conn.execute(select(documents.c.hash, documents.c.annotation_hash).where(documents.c.hash.in_(hashes))).all())
    changed = [rows for rows in batch if stored.get(rows.hash) != rows.document["annotation_hash"]]
    return changed, [rows.hash for rows in changed if rows.hash in stored]


def delete_documents(conn, hashes: Sequence[str]) -> None:
    """Delete documents and their mentions (entities stay: other documents may name them)."""
    if not hashes:
        return
    from sqlalchemy import delete

    tables = get_metadata().tables
    conn.execute(delete(tables["mentions"]).where(tables["mentions"].c.document.in_(hashes)))
    conn.execute(delete(tables["documents"]).where(tables["documents"].c.hash.in_(hashes)))


def upsert_entities(conn, rows: Sequence[Dict[str, Any]]) -> None:
    """Insert entities, or fill in their empty fields where the kb_id is already stored (one bulk statement)."""
    if not rows:
        return
    from sqlalchemy import func

    entities = get_metadata().tables["entities"]
    if conn.dialect.name == "postgresql":
        from sqlalchemy.dialects.postgresql import insert
    elif conn.dialect.name == "sqlite":
        from sqlalchemy.dialects.sqlite import insert
    else:  # pragma: no cover - parse_target admits only these two
        raise TerreurError(f"no upsert for the {conn.dialect.name} dialect")
    statement = insert(entities)
    updates = {name: func.coalesce(statement.excluded[name], entities.c[name]) for name in ENTITY_COLUMNS[1:]}
    conn.execute(statement.on_conflict_do_update(index_elements=[entities.c.kb_id], set_=updates), list(rows))


def insert_documents(conn, rows: Sequence[Dict[str, Any]]) -> None:
    """Insert document rows in one executemany."""
    if rows:
        from sqlalchemy import insert

        conn.execute(insert(get_metadata().tables["documents"]), list(rows))


def insert_mentions(conn, rows: Sequence[Dict[str, Any]]) -> None:
    """Insert mention rows in one executemany."""
    if rows:
        from sqlalchemy import insert

        conn.execute(insert(get_metadata().tables["mentions"]), list(rows))


def write_batch(conn, batch: Sequence[DocumentRows], stats: ExportStats, seen_entities: set) -> None:
    """Write one batch inside the caller's transaction: replace changed documents, upsert entities, insert rows."""
    batch = unique_by_hash(batch, stats)
    changed, stored = changed_documents(conn, batch)
    stats.unchanged += len(batch) - len(changed)
    if not changed:
        return
    delete_documents(conn, stored)
    entity_rows: Dict[str, Dict[str, Any]] = {}
    for rows in changed:
        for row in rows.entities:
            _merge_entity(entity_rows, row["kb_id"], row["type"], row["canonical"], row["cyrillic"])
    upsert_entities(conn, list(entity_rows.values()))
    insert_documents(conn, [rows.document for rows in changed])
    mention_rows = [mention for rows in changed for mention in rows.mentions]
    insert_mentions(conn, mention_rows)
    stats.documents += len(changed)
    stats.mentions += len(mention_rows)
    seen_entities.update(entity_rows)


def export_to_database(target: Target, batches: Iterable[List[DocumentRows]], stats: ExportStats, progress: Optional[ProgressCallback]) -> None:
    """Write batches to SQLite or PostgreSQL, one transaction each."""
    from sqlalchemy.exc import SQLAlchemyError

    engine = create_engine_for(target)
    seen_entities: set = set()
    try:
        for batch in batches:
            try:
                with engine.begin() as conn:
                    write_batch(conn, batch, stats, seen_entities)
            except SQLAlchemyError as err:
                raise TerreurError(
                    f"{target.display}: {_first_line(err)} (the {stats.batches} batches before this one are "
                    "committed; run the export again to finish)"
                ) from err
            stats.batches += 1
            stats.entities = len(seen_entities)
            if progress is not None:
                progress(len(batch))
    finally:
        engine.dispose()


# --- files: atomic writes --------------------------------------------------------------


def _unique_documents(batches: Iterable[List[DocumentRows]], stats: ExportStats, progress: Optional[ProgressCallback]) -> Iterator[DocumentRows]:
    # Files hold a snapshot of one input: a document whose text came earlier is written once.
    seen: set = set()
    for batch in batches:
        for rows in batch:
            if rows.hash in seen:
                stats.duplicates += 1
                continue
            seen.add(rows.hash)
            yield rows
        stats.batches += 1
        if progress is not None:
            progress(len(batch))


# --- CSV ----------------------------------------------------------------------------------


CSV_FILES = {"documents": DOCUMENT_COLUMNS[:-1], "entities": ENTITY_COLUMNS, "mentions": MENTION_COLUMNS}


def export_to_csv(directory: Path, batches: Iterable[List[DocumentRows]], stats: ExportStats, progress: Optional[ProgressCallback]) -> None:
    """Write ``documents.csv``, ``entities.csv`` and ``mentions.csv`` (with headers) into a directory, atomically."""
    entity_rows: Dict[str, Dict[str, Any]] = {}
    with contextlib.ExitStack() as stack:
        writers = {}
        for name, columns in CSV_FILES.items():
            f = stack.enter_context(atomic_writer(directory / f"{name}.csv", newline=""))
            writers[name] = csv.DictWriter(f, fieldnames=columns, extrasaction="ignore")
            writers[name].writeheader()
        for rows in _unique_documents(batches, stats, progress):
            writers["documents"].writerow(rows.document)
            writers["mentions"].writerows(rows.mentions)
            for row in rows.entities:
                _merge_entity(entity_rows, row["kb_id"], row["type"], row["canonical"], row["cyrillic"])
            stats.documents += 1
            stats.mentions += len(rows.mentions)
        writers["entities"].writerows(entity_rows[kb_id] for kb_id in sorted(entity_rows))
        stats.entities = len(entity_rows)


# --- TEI ----------------------------------------------------------------------------------

TEI_NS = "http://www.tei-c.org/ns/1.0"
XML_NS = "http://www.w3.org/XML/1998/namespace"
EDTF_URI = "https://www.loc.gov/standards/datetime/"
# label -> (inline element, attributes); TRIAL has no TEI name element of its own.
TEI_INLINE = {
    "PERSON": ("persName", {}),
    "ORG": ("orgName", {}),
    "LOC": ("placeName", {}),
    "DATE": ("date", {}),
    "TRIAL": ("rs", {"type": "trial"}),
}
# entity type -> (list element, item element, name element) in <standOff>
TEI_LISTS = {
    "PERSON": ("listPerson", "person", "persName"),
    "ORG": ("listOrg", "org", "orgName"),
    "LOC": ("listPlace", "place", "placeName"),
    "TRIAL": ("listEvent", "event", "label"),
}
_PARAGRAPH_BREAK = re.compile(r"\n[ \t\r\f\v]*\n\s*")
_XML_INVALID = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")
_NCNAME = re.compile(r"^[A-Za-z_][\w.\-]*$")
_PLAIN_DATE = re.compile(r"^-?\d{4}(-(0[1-9]|1[0-2])(-\d{2})?)?$")  # what W3C dates (TEI's @when) can say


def tei_xml_id(kb_id: str) -> str:
    """The ``xml:id`` a knowledge-base id gets in TEI (itself when it is a valid NCName)."""
    if _NCNAME.match(kb_id):
        return kb_id
    return "kb-" + re.sub(r"[^\w.\-]", "_", kb_id)


def tei_date_attributes(edtf: Optional[str]) -> Dict[str, str]:
    """TEI dating attributes for an EDTF value.

    A plain day, month or year becomes ``@when``; an interval ``@from``/``@to``
    (an open end ``..`` is left out); a season or decade the months or years
    it spans (``1937-21`` → from 1937-03 to 1937-05, ``193X`` → from 1930 to
    1939). Values that are not plain W3C dates also keep their EDTF form in
    ``@when-custom``, with ``@datingMethod`` pointing to the EDTF
    specification, and ``?`` or ``%`` (uncertain) add ``@cert="low"``.

    edtf (str | None): the span's ``edtf`` value.
    RETURNS (Dict[str, str]): the attributes; empty when the value means no date we can read.
    """
    if not edtf or not edtf.strip():
        return {}
    value = edtf.strip()
    parts = value.split("/", 1)
    attrs: Dict[str, str] = {}
    if len(parts) == 1:
        bounds = _tei_range(value)
        if bounds is None:
            return {}
        if bounds[0] == bounds[1]:
            attrs["when"] = bounds[0]
        else:
            attrs["from"], attrs["to"] = bounds
    else:
        low = _tei_range(parts[0]) if parts[0] not in ("", "..") else None
        high = _tei_range(parts[1]) if parts[1] not in ("", "..") else None
        if low is None and high is None:
            return {}
        if low is not None:
            attrs["from"] = low[0]
        if high is not None:
            attrs["to"] = high[1]
    if "?" in value or "%" in value:
        attrs["cert"] = "low"
    if not all(_PLAIN_DATE.match(part) or part in ("", "..") for part in parts):
        attrs["when-custom"] = value
        attrs["datingMethod"] = EDTF_URI
    return attrs


def _tei_range(part: str) -> Optional[Tuple[str, str]]:
    # One EDTF date as the first and last W3C date TEI can say for it, at its own precision.
    plain = _QUALIFIERS.sub("", part)
    if _PLAIN_DATE.match(plain):
        return (plain, plain) if _simple_bounds(plain) is not None else None
    match = _EDTF_DATE.match(plain)
    if match:
        year_text, month_text, day_text = match.group("year", "month", "day")
        if "X" in year_text:
            low = int(year_text.replace("X", "0"))
            return f"{low:04d}", f"{low + 10 ** year_text.count('X') - 1:04d}"
        if month_text == "XX":
            return year_text, year_text
        if month_text and int(month_text) in SEASONS and day_text is None:
            year = int(year_text)
            first, last, carry = SEASONS[int(month_text)]
            return f"{year:04d}-{first:02d}", f"{year + carry:04d}-{last:02d}"
        if day_text == "XX":
            return f"{year_text}-{month_text}", f"{year_text}-{month_text}"
    bounds = edtf_bounds(part)
    if not bounds or not bounds[0] or not bounds[1]:
        return None
    return bounds[0], bounds[1]


def _xml_text(text: str) -> str:
    return _XML_INVALID.sub("\ufffd", text)


def paragraph_ranges(text: str, spans: Sequence[Dict[str, Any]]) -> List[Tuple[int, int]]:
    """Character ranges of the paragraphs (split at blank lines that are not inside a span), whitespace trimmed."""
    ranges, start = [], 0
    inside = [(s["start"], s["end"]) for s in spans]
    for match in _PARAGRAPH_BREAK.finditer(text):
        if any(s < match.end() and match.start() < e for s, e in inside):
            continue
        ranges.append((start, match.start()))
        start = match.end()
    ranges.append((start, len(text)))
    trimmed = []
    for begin, end in ranges:
        while begin < end and text[begin].isspace():
            begin += 1
        while end > begin and text[end - 1].isspace():
            end -= 1
        if begin < end:
            trimmed.append((begin, end))
    return trimmed


def _append_text(parent, text: str, E) -> None:
    # Line breaks inside a paragraph (an infobox, a poem, a list) become <lb/>.
    lines = _xml_text(text).split("\n")
    for index, line in enumerate(lines):
        if index:
            parent.append(E.lb())
        if not line:
            continue
        if len(parent):
            parent[-1].tail = (parent[-1].tail or "") + line
        else:
            parent.text = (parent.text or "") + line


def tei_inline(span: Dict[str, Any], text: str, E):
    """The inline element for one span: persName, orgName, placeName, date or rs type="trial"."""
    tag, attrs = TEI_INLINE[span["label"]]
    element = E(tag, **attrs)
    element.text = _xml_text(text)
    if span.get("kb_id"):
        element.set("ref", "#" + tei_xml_id(str(span["kb_id"])))
    if span["label"] == "DATE":
        for name, value in tei_date_attributes(span.get("edtf")).items():
            element.set(name, value)
    return element


def tei_document(rows: DocumentRows, *, input_name: str = ""):
    """A TEI P5 document for one tagged document.

    The header names the document, its source, URL and hash; the body holds
    the text in paragraphs with the entities inline, each ``@ref`` pointing
    (``#kb_id``) to a person, org, place or event in ``<standOff>`` that
    carries the canonical and Cyrillic names.

    rows (DocumentRows): the document's rows and task.
    input_name (str): the export's input, named in publicationStmt.
    RETURNS (lxml.etree._Element): the ``<TEI>`` element.
    """
    from lxml.builder import ElementMaker

    E = ElementMaker(namespace=TEI_NS, nsmap={None: TEI_NS})
    task, document = rows.task, rows.document
    text = task["text"]
    meta = task.get("meta") or {}
    title = str(meta.get("title") or _first_line_of(text) or document["id"])
    bibl = E.bibl(E.title(_xml_text(title)), E.idno(_xml_text(document["id"]), type="id"))
    if document["source"]:
        bibl.append(E.idno(_xml_text(document["source"]), type="source"))
    bibl.append(E.idno(rows.hash, type="sha256"))
    if document["url"]:
        bibl.append(E.ptr(target=document["url"]))
    publication = f"Exported by terreur {__version__}" + (f" from {input_name}" if input_name else "") + "; entities tagged automatically."
    header = E.teiHeader(
        E.fileDesc(
            E.titleStmt(E.title(_xml_text(title))),
            E.publicationStmt(E.p(_xml_text(publication))),
            E.sourceDesc(bibl),
        )
    )
    spans = sorted(task.get("spans") or [], key=_span_sort_key)
    body = E.body()
    for begin, end in paragraph_ranges(text, spans):
        paragraph = E.p()
        position = begin
        for span in spans:
            if span["start"] < begin or span["end"] > end:
                continue
            _append_text(paragraph, text[position : span["start"]], E)
            paragraph.append(tei_inline(span, text[span["start"] : span["end"]], E))
            position = span["end"]
        _append_text(paragraph, text[position:end], E)
        body.append(paragraph)
    root = E.TEI(header, E.text(body))
    root.set(f"{{{XML_NS}}}lang", "nl")
    stand_off = tei_stand_off(rows, E)
    if stand_off is not None:
        root.append(stand_off)
    return root


def tei_stand_off(rows: DocumentRows, E):
    """``<standOff>`` with one list per entity type, the targets of the mentions' ``@ref``; None without entities."""
    first_text = {}
    for mention in rows.mentions:
        if mention["entity"] is not None:
            first_text.setdefault(mention["entity"], (mention["label"], mention["text"]))
    lists: Dict[str, Any] = {}
    for entity in sorted(rows.entities, key=lambda e: e["kb_id"]):
        label, mention_text = first_text[entity["kb_id"]]
        kind = entity["type"] if entity["type"] in TEI_LISTS else label
        if kind not in TEI_LISTS:
            continue  # a DATE with a kb_id has nothing to point to
        list_tag, item_tag, name_tag = TEI_LISTS[kind]
        item = E(item_tag)
        item.set(f"{{{XML_NS}}}id", tei_xml_id(entity["kb_id"]))
        item.append(E(name_tag, _xml_text(entity["canonical"] or mention_text), type="canonical"))
        if entity["cyrillic"]:
            cyrillic = E(name_tag, _xml_text(entity["cyrillic"]), type="original")
            cyrillic.set(f"{{{XML_NS}}}lang", "ru")
            item.append(cyrillic)
        item.append(E.idno(entity["kb_id"], type="kb"))
        if list_tag not in lists:
            lists[list_tag] = E(list_tag)
        lists[list_tag].append(item)
    if not lists:
        return None
    return E.standOff(*[lists[spec[0]] for spec in TEI_LISTS.values() if spec[0] in lists])


def _first_line_of(text: str) -> str:
    for line in text.splitlines():
        if line.strip():
            return line.strip()[:200]
    return ""


def tei_file_name(document_id: str, doc_hash: str) -> str:
    """A safe file name from the document id (the hash when the id has no usable characters)."""
    stem = re.sub(r"[^\w.\-]+", "_", document_id).strip("._")[:120]
    return f"{stem or doc_hash[:16]}.xml"


def export_to_tei(directory: Path, batches: Iterable[List[DocumentRows]], stats: ExportStats, progress: Optional[ProgressCallback], *, input_name: str = "") -> None:
    """Write one TEI file per document into a directory, each atomically."""
    from lxml import etree

    names: Dict[str, str] = {}
    entities: set = set()
    for rows in _unique_documents(batches, stats, progress):
        name = tei_file_name(rows.document["id"], rows.hash)
        if names.get(name, rows.hash) != rows.hash:
            name = f"{name[:-4]}-{rows.hash[:12]}.xml"  # two documents with one id
        names[name] = rows.hash
        data = etree.tostring(tei_document(rows, input_name=input_name), xml_declaration=True, encoding="UTF-8", pretty_print=True)
        with atomic_writer(directory / name) as f:
            f.write(data.decode("utf-8"))
        stats.documents += 1
        stats.mentions += len(rows.mentions)
        entities.update(e["kb_id"] for e in rows.entities)
    stats.entities = len(entities)


# --- JSONL pass-through ---------------------------------------------------------------------


@lru_cache(maxsize=1)
def _blank_nlp():
    from .tokenizer import make_blank_dutch

    return make_blank_dutch()


def _full_check(task: Any, source: str, line: int) -> Optional[str]:
    from .convert import validate_task

    problems = validate_task(_blank_nlp(), task, source=source, line=line)
    if problems:
        return "; ".join(problem.reason for problem in problems)
    return check_task(task)


def export_to_jsonl(location: str, lines: Iterable[_Line], stats: ExportStats, progress: Optional[ProgressCallback], batch_size: int) -> None:
    """Write every valid record's original line, to a file (atomically) or stdout."""

    def write(f: IO[str]) -> None:
        for batch in batched(lines, batch_size):
            for item in batch:
                f.write(item.raw + "\n")
                stats.documents += 1
                stats.mentions += len(item.task.get("spans") or [])
            stats.batches += 1
            if progress is not None:
                progress(len(batch))

    if location == STDIN:
        write(sys.stdout)
        sys.stdout.flush()
    else:
        with atomic_writer(Path(location)) as f:
            write(f)


# --- the entry point --------------------------------------------------------------------------


def export_entities(
    input_path_or_records: Source,
    target: str,
    *,
    batch_size: int = DEFAULT_BATCH_SIZE,
    skip_errors: bool = False,
    progress: Optional[ProgressCallback] = None,
    on_error: Optional[ErrorCallback] = None,
) -> ExportStats:
    """Export tagged documents to a database, CSV, TEI or JSONL target.

    input_path_or_records (Path | str | Iterable[dict]): tagged JSONL, "-" for stdin, or tasks.
    target (str): where to, e.g. ``sqlite:///entities.db`` (see ``parse_target``).
    batch_size (int): documents per transaction (databases) or per progress step. Defaults to 500.
    skip_errors (bool): report bad records through ``on_error`` and go on, instead of raising. Defaults to False.
    progress (Callable[[int], None] | None): called with the number of records in each batch when it is written.
    on_error (Callable[[InputError], None] | None): called with each bad record skipped.
    RETURNS (ExportStats): the counts. A bad record raises InputError (file and line) unless skipped;
        a target of unknown form or an unreachable database raises TerreurError.
    """
    if batch_size < 1:
        raise TerreurError(f"batch size must be at least 1, got {batch_size}")
    parsed = parse_target(target)
    stats = ExportStats(target=parsed.display)
    input_name = Path(input_path_or_records).name if isinstance(input_path_or_records, (str, Path)) else ""
    if input_name == STDIN:
        input_name = STDIN_NAME
    if parsed.kind == "jsonl":
        lines = iter_checked_tasks(
            input_path_or_records, stats, check=_full_check, skip_errors=skip_errors, on_error=on_error, accepted_only=False
        )
        export_to_jsonl(parsed.location, lines, stats, progress, batch_size)
        return stats
    lines = iter_checked_tasks(input_path_or_records, stats, check=_light_check, skip_errors=skip_errors, on_error=on_error)
    rows = (document_rows(item.task, source=item.source, line=item.line) for item in lines)
    batches = batched(rows, batch_size)
    if parsed.kind in ("sqlite", "postgresql"):
        export_to_database(parsed, batches, stats, progress)
    elif parsed.kind == "csv":
        export_to_csv(Path(parsed.location), batches, stats, progress)
    elif parsed.kind == "tei":
        export_to_tei(Path(parsed.location), batches, stats, progress, input_name=input_name)
    return stats

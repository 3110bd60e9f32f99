"""SQLite and PostgreSQL: the three tables (SQLAlchemy Core) and writing batches, one transaction each."""
from __future__ import annotations

from functools import lru_cache
from pathlib import Path
from typing import Any, Dict, Iterable, List, Optional, Sequence, Tuple

from ..errors import Messages, TerreurError
from .records import ENTITY_COLUMNS, DocumentRows, ProgressCallback, merge_entity
from .target import ExportStats, Target


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
            raise TerreurError(Messages.E109.format(module=err.name))
    try:
        get_metadata().create_all(engine)
    except Exception as err:
        from sqlalchemy.exc import SQLAlchemyError

        if isinstance(err, SQLAlchemyError):
            raise TerreurError(Messages.E110.format(target=target.display, detail=_first_line(err))) from err
        raise
    return engine


def _first_line(err: BaseException) -> str:
    text = str(getattr(err, "orig", None) or err)
    return text.strip().splitlines()[0] if text.strip() else type(err).__name__


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
        from sqlalchemy.dialects.sqlite import insert  # type: ignore[assignment]
    else:  # pragma: no cover - parse_target admits only these two
        raise TerreurError(Messages.E111.format(dialect=conn.dialect.name))
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
            merge_entity(entity_rows, row["kb_id"], row["type"], row["canonical"], row["cyrillic"])
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
                raise TerreurError(Messages.E112.format(target=target.display, detail=_first_line(err), batches=stats.batches)) from err
            stats.batches += 1
            stats.entities = len(seen_entities)
            if progress is not None:
                progress(len(batch))
    finally:
        engine.dispose()

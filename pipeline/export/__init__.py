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

from pathlib import Path
from typing import Optional

from ..errors import Messages, TerreurError
from ..validate import check_light, check_strict
from .csv import export_to_csv
from .jsonl import export_to_jsonl
from .records import (
    DEFAULT_BATCH_SIZE,
    MENTION_COLUMNS,
    STDIN_NAME,
    DocumentRows,
    ErrorCallback,
    ProgressCallback,
    Source,
    batched,
    document_rows,
    iter_checked_tasks,
)
from .sql import create_engine_for, export_to_database, get_metadata, insert_mentions
from .target import DEFAULT_TARGET, STDIN, TARGET_FORMS, ExportStats, Target, parse_target
from .tei import EDTF_URI, export_to_tei, paragraph_ranges, tei_date_attributes, tei_document

__all__ = [
    "DEFAULT_BATCH_SIZE", "DEFAULT_TARGET", "EDTF_URI", "MENTION_COLUMNS", "TARGET_FORMS", "DocumentRows", "ExportStats",
    "Target", "create_engine_for", "document_rows", "export_entities", "get_metadata", "insert_mentions",
    "paragraph_ranges", "parse_target", "tei_date_attributes", "tei_document",
]  # fmt: skip


def _light_check(task: object, source: str, line: int) -> Optional[str]:
    return check_light(task)


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
        raise TerreurError(Messages.E108.format(batch_size=batch_size))
    parsed = parse_target(target)
    stats = ExportStats(target=parsed.display)
    input_name = Path(input_path_or_records).name if isinstance(input_path_or_records, (str, Path)) else ""
    if input_name == STDIN:
        input_name = STDIN_NAME
    if parsed.kind == "jsonl":
        lines = iter_checked_tasks(
            input_path_or_records, stats, check=check_strict, skip_errors=skip_errors, on_error=on_error, accepted_only=False
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

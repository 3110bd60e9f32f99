"""CSV: ``documents.csv``, ``entities.csv`` and ``mentions.csv`` in a directory, each written atomically."""
from __future__ import annotations

import contextlib
import csv
from pathlib import Path
from typing import Any, Dict, Iterable, List, Optional

from ..files import atomic_writer
from .records import DOCUMENT_COLUMNS, ENTITY_COLUMNS, MENTION_COLUMNS, DocumentRows, ProgressCallback, merge_entity, unique_documents
from .target import ExportStats


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
        for rows in unique_documents(batches, stats, progress):
            writers["documents"].writerow(rows.document)
            writers["mentions"].writerows(rows.mentions)
            for row in rows.entities:
                merge_entity(entity_rows, row["kb_id"], row["type"], row["canonical"], row["cyrillic"])
            stats.documents += 1
            stats.mentions += len(rows.mentions)
        writers["entities"].writerows(entity_rows[kb_id] for kb_id in sorted(entity_rows))
        stats.entities = len(entity_rows)

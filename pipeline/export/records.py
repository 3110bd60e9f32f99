"""Tagged JSONL → checked tasks → the rows of one document (documents, entities, mentions)."""
from __future__ import annotations

import hashlib
import json
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Callable, Dict, Iterable, Iterator, List, Optional, Tuple, Union

import srsly

from ..errors import InputError, Messages
from ..normalize.edtf import edtf_bounds
from ..tasks import document_name, is_accepted, text_hash
from ..validate import span_sort_key
from .target import STDIN, ExportStats

DEFAULT_BATCH_SIZE = 500
STDIN_NAME = "<stdin>"

Source = Union[Path, str, Iterable[Dict[str, Any]]]
ProgressCallback = Callable[[int], None]
ErrorCallback = Callable[[InputError], None]
Check = Callable[[Any, str, int], Optional[str]]


@dataclass
class InputLine:
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
    check: Check,
    skip_errors: bool = False,
    on_error: Optional[ErrorCallback] = None,
    accepted_only: bool = True,
) -> Iterator[InputLine]:
    """Parse and check each line; a bad one raises InputError, or with ``skip_errors`` is reported and left out.

    Tasks answered reject or ignore are counted and left out when ``accepted_only``.

    RETURNS (Iterator[InputLine]): the good records; ``stats`` counts records, rejects and errors.
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
        if accepted_only and not is_accepted(task):
            stats.rejected += 1
            continue
        yield InputLine(name, number, task, raw)


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


def document_rows(task: Dict[str, Any], *, source: str = "<records>", line: int = 0) -> DocumentRows:
    """Turn one checked task into its rows.

    task (Dict[str, Any]): a tagged document that passed ``check_task``.
    source (str): the input file, for the fallback document id.
    line (int): the input line, for the fallback document id.
    RETURNS (DocumentRows): the rows, keyed on the document hash.
    """
    text = task["text"]
    meta = task.get("meta") or {}
    doc_hash = text_hash(text)
    spans = sorted(task.get("spans") or [], key=span_sort_key)
    mentions: List[Dict[str, Any]] = []
    entities: Dict[str, Dict[str, Any]] = {}
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
            merge_entity(entities, str(kb_id), span.get("kb_type") or label, span.get("canonical"), span.get("cyrillic"))
    document = {
        "hash": doc_hash,
        "id": document_name(task, f"{source}:{line}"),
        "source": _str_or_none(meta.get("source")),
        "url": _str_or_none(meta.get("url")),
        "text": text,
    }
    signature = json.dumps([document["id"], document["source"], document["url"], spans], sort_keys=True, ensure_ascii=False)
    document["annotation_hash"] = hashlib.sha256(signature.encode("utf-8")).hexdigest()
    return DocumentRows(doc_hash, document, mentions, list(entities.values()), task)


def merge_entity(entities: Dict[str, Dict[str, Any]], kb_id: str, kb_type: Any, canonical: Any, cyrillic: Any) -> None:
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


def unique_documents(batches: Iterable[List[DocumentRows]], stats: ExportStats, progress: Optional[ProgressCallback]) -> Iterator[DocumentRows]:
    """The documents of the batches, each text once (files hold a snapshot of one input); counts batches."""
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

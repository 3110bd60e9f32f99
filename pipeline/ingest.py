"""Stage 1: read source texts into records with ``text`` and ``meta``.

Sources are ``.txt`` files (one document each), ``.jsonl`` files (one
``{"text", "meta"}`` record or Prodigy task per line), ``.json`` web
captures (``{"id", "url", "retrieved", "text"}``), directories (walked
recursively, in sorted order, hidden files skipped) and ``-`` for stdin.
Every record keeps where it came from in ``meta.source`` (and
``meta.line`` for JSONL), so later stages can name the file and line of
any problem.

Archives arrive in whatever encoding their digitisation used: we try
UTF-8 (with or without BOM), then cp1252, then latin-1, record which one
worked in ``meta.encoding``, and normalise to NFC so that ``ë`` typed
two ways is one character.
"""
from __future__ import annotations

import json
import sys
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Dict, Iterable, Iterator, List, Optional, Tuple, Union

from .errors import InputError, Messages

TEXT_SUFFIXES = {".txt", ".text", ".md"}
JSONL_SUFFIXES = {".jsonl", ".ndjson"}
JSON_SUFFIXES = {".json"}
SUPPORTED_SUFFIXES = TEXT_SUFFIXES | JSONL_SUFFIXES | JSON_SUFFIXES
STDIN = "-"


@dataclass
class Record:
    """One document: its text and everything known about where it came from.

    ``task`` holds the rest of a Prodigy task (spans, tokens, answer…) when
    the source was one, so that converting it loses nothing.
    """

    text: str
    meta: Dict[str, Any] = field(default_factory=dict)
    task: Dict[str, Any] = field(default_factory=dict)

    @property
    def source(self) -> str:
        return str(self.meta.get("source", ""))

    @property
    def line(self) -> Optional[int]:
        return self.meta.get("line")


def decode_bytes(data: bytes) -> Tuple[str, str]:
    """Decode archive bytes, trying the encodings old digitisations used.

    data (bytes): the raw content.
    RETURNS (Tuple[str, str]): the NFC text and the name of the encoding used.
    Raises ValueError for binary content or when nothing decodes.
    """
    if b"\x00" in data[:8192]:
        raise ValueError(Messages.E014)
    if data.startswith(b"\xef\xbb\xbf"):
        return unicodedata.normalize("NFC", data[3:].decode("utf-8")), "utf-8-sig"
    for encoding in ("utf-8", "cp1252", "latin-1"):
        try:
            text = data.decode(encoding)
        except UnicodeDecodeError:
            continue
        return unicodedata.normalize("NFC", text), encoding
    raise ValueError(Messages.E013)  # pragma: no cover - latin-1 decodes any byte


def read_text_file(path: Path) -> Tuple[str, str]:
    """Read and decode one file; errors name the file."""
    try:
        data = path.read_bytes()
    except FileNotFoundError:
        raise InputError(path, None, Messages.E019)
    try:
        return decode_bytes(data)
    except ValueError as err:
        raise InputError(path, None, str(err))


def iter_source_files(path: Path) -> Iterator[Path]:
    """Yield the readable files under ``path`` in sorted order, skipping hidden ones."""
    if not path.exists():
        raise InputError(path, None, Messages.E019)
    if path.is_file():
        yield path
        return
    for child in sorted(path.rglob("*")):
        relative = child.relative_to(path)
        if any(part.startswith(".") for part in relative.parts):
            continue
        if child.is_file() and child.suffix.lower() in SUPPORTED_SUFFIXES:
            yield child


def record_from_object(obj: Any, source: str, line: Optional[int]) -> Record:
    """Turn one JSON object (a ``{"text", "meta"}`` record or a Prodigy task) into a Record."""
    if not isinstance(obj, dict):
        raise InputError(source, line, Messages.E017.format(type=type(obj).__name__))
    if "text" not in obj:
        raise InputError(source, line, Messages.E002)
    text = obj["text"]
    if not isinstance(text, str):
        raise InputError(source, line, Messages.E003.format(type=type(text).__name__))
    meta = dict(obj.get("meta") or {})
    meta.setdefault("source", source)
    if line is not None:
        meta.setdefault("line", line)
    task = {k: v for k, v in obj.items() if k not in ("text", "meta")}
    return Record(text=unicodedata.normalize("NFC", text), meta=meta, task=task)


def parse_jsonl_line(raw: str, source: str, number: int) -> Any:
    """One JSONL line; bad JSON raises InputError naming the file and line."""
    try:
        return json.loads(raw)
    except json.JSONDecodeError as err:
        raise InputError(source, number, Messages.E001.format(detail=err.msg))


def iter_jsonl_lines(lines: Iterable[str], source: str) -> Iterator[Tuple[int, Any]]:
    """Yield (line number, parsed object) for every non-blank line; bad JSON raises InputError."""
    for number, raw in enumerate(lines, start=1):
        if raw.strip():
            yield number, parse_jsonl_line(raw, source, number)


def read_web_capture(path: Path, text: str) -> List[Record]:
    """A ``.json`` file: one web capture ``{"id", "url", "retrieved", "text"}`` or a list of records."""
    try:
        obj = json.loads(text)
    except json.JSONDecodeError as err:
        raise InputError(path, err.lineno, Messages.E001.format(detail=err.msg))
    records = []
    for item in obj if isinstance(obj, list) else [obj]:
        record = record_from_object(item, str(path), None)
        for key in ("id", "url", "retrieved", "title", "licence"):
            if key in record.task:
                record.meta.setdefault(key, record.task.pop(key))
        records.append(record)
    return records


def iter_text_records(
    text: str, encoding: str, source: str, *, jsonl: bool, skip_errors: bool
) -> Iterator[Union[Record, InputError]]:
    """Records from decoded text: JSONL line by line (a bad line spoils only itself), or one document."""
    if not jsonl:
        meta = {"source": source, "encoding": encoding}
        if source != "<stdin>":
            meta["id"] = Path(source).stem
        yield Record(text=text, meta=meta)
        return
    for number, raw in enumerate(text.splitlines(), start=1):
        if not raw.strip():
            continue
        try:
            record = record_from_object(parse_jsonl_line(raw, source, number), source, number)
        except InputError as err:
            if not skip_errors:
                raise
            yield err
            continue
        record.meta.setdefault("encoding", encoding)
        yield record


def iter_file_records(path: Path, *, skip_errors: bool = False) -> Iterator[Union[Record, InputError]]:
    """Read one file into records, whatever its kind."""
    suffix = path.suffix.lower()
    text, encoding = read_text_file(path)
    if suffix in JSON_SUFFIXES:
        for record in read_web_capture(path, text):
            record.meta.setdefault("encoding", encoding)
            yield record
    else:
        yield from iter_text_records(text, encoding, str(path), jsonl=suffix in JSONL_SUFFIXES, skip_errors=skip_errors)


def iter_stdin_records(stream=None, *, skip_errors: bool = False) -> Iterator[Union[Record, InputError]]:
    """Read stdin: JSONL when its first non-blank character is ``{``, else one text document."""
    stream = stream if stream is not None else sys.stdin
    data = stream.buffer.read() if hasattr(stream, "buffer") else stream.read()
    if isinstance(data, bytes):
        try:
            text, encoding = decode_bytes(data)
        except ValueError as err:
            raise InputError("<stdin>", None, str(err))
    else:
        text, encoding = unicodedata.normalize("NFC", data), "utf-8"
    jsonl = text.lstrip().startswith("{")
    yield from iter_text_records(text, encoding, "<stdin>", jsonl=jsonl, skip_errors=skip_errors)


def iter_records(
    paths: Iterable[Union[Path, str]], *, stdin=None, skip_errors: bool = False
) -> Iterator[Union[Record, InputError]]:
    """Yield the records of every source in input order: files, directories or ``-``.

    paths (Iterable[Path | str]): the sources, as the user gave them.
    stdin: the stream to read for ``-`` (default sys.stdin).
    skip_errors (bool): yield an InputError in place of a bad record (or an
        unreadable file) and go on, instead of raising it.
    RETURNS (Iterator[Record | InputError]): records, lazily, in input order.
    """
    for path in paths:
        try:
            if str(path) == STDIN:
                yield from iter_stdin_records(stdin, skip_errors=skip_errors)
                continue
            files = list(iter_source_files(Path(path)))
        except InputError as err:
            if not skip_errors:
                raise
            yield err
            continue
        for file_path in files:
            try:
                yield from iter_file_records(file_path, skip_errors=skip_errors)
            except InputError as err:
                if not skip_errors:
                    raise
                yield err


def read_records(paths: Iterable[Union[Path, str]], *, stdin=None) -> Iterator[Record]:
    """Yield every record in input order; the first bad record raises InputError."""
    yield from iter_records(paths, stdin=stdin)  # type: ignore[misc]

"""Stage 6: batch tagging of archives with a trained model.

Records stream from ``ingest`` through ``nlp.pipe`` to Prodigy-compatible
JSONL, one record per input document, in input order. Memory stays bounded
whatever the input size: documents are read lazily, and a document longer
than ``nlp.max_length`` is cut at paragraph (else sentence, else word)
boundaries, tagged in pieces and put back together with its offsets intact.

Output to a file is written to ``OUT.partial`` as the run goes, one flushed
line per document, and moved into place with ``os.replace`` when the run
ends: a reader never sees half a file, and ``resume`` picks up an
interrupted run from the partial file, with no document twice or missing.
"""
from __future__ import annotations

import os
import re
import sys
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable, Dict, Iterable, Iterator, List, Optional, Sequence, Set, TextIO, Tuple, Union

import spacy
import srsly
from spacy.language import Language
from spacy.tokens import Doc

from .errors import InputError, Messages, TerreurError
from .files import json_line
from .ingest import Record, iter_records
from .tasks import doc_to_task, run_key

DEFAULT_MODEL_NAME = "terreur-nl-ner"
LABEL_FIELDS = {"PERSON": ("cyrillic",), "DATE": ("edtf",)}
PARAGRAPH_BREAK = re.compile(r"\n\s*\n")
SENTENCE_BREAK = re.compile(r"(?<=[.!?])\s+(?=[A-ZÀ-ÖØ-Þ\"'„“‘(])")


@dataclass
class TagStats:
    """What a tagging run did."""

    tagged: int = 0
    skipped_done: int = 0
    words: int = 0
    errors: List[InputError] = field(default_factory=list)


def default_model_path() -> Path:
    """The shipped model: ``$TERREUR_MODEL``, else ``models/terreur-nl-ner`` beside the package, else in the cwd."""
    if os.environ.get("TERREUR_MODEL"):
        return Path(os.environ["TERREUR_MODEL"])
    beside_package = Path(__file__).resolve().parent.parent / "models" / DEFAULT_MODEL_NAME
    if beside_package.exists():
        return beside_package
    return Path("models") / DEFAULT_MODEL_NAME


def load_model(path: Optional[Union[Path, str]] = None) -> Language:
    """Load a trained pipeline from ``models/`` (or any path); a clear error when it is missing."""
    model_path = Path(path) if path else default_model_path()
    if not (model_path / "config.cfg").exists():
        raise TerreurError(Messages.E101.format(path=model_path))
    return spacy.load(model_path)


# --- long documents ---------------------------------------------------------------


def split_text(text: str, max_length: int) -> List[str]:
    """Cut a text into consecutive pieces of at most ``max_length`` characters.

    Cuts fall after a paragraph break where possible, else after a sentence
    end, else at whitespace, else anywhere. The pieces concatenate to ``text``.
    """
    if len(text) <= max_length:
        return [text]
    pieces: List[str] = []
    start = 0
    while len(text) - start > max_length:
        window = text[start : start + max_length]
        cut = _last_break(window)
        pieces.append(text[start : start + cut])
        start += cut
    pieces.append(text[start:])
    return pieces


def _last_break(window: str) -> int:
    floor = len(window) // 4  # never cut a piece to almost nothing
    for pattern in (PARAGRAPH_BREAK, SENTENCE_BREAK, re.compile(r"\s+")):
        ends = [m.end() for m in pattern.finditer(window) if m.end() > floor]
        if ends:
            return ends[-1]
    return len(window)


# --- records to tasks -----------------------------------------------------------------


def tagged_task(doc: Doc, record: Record) -> Dict[str, Any]:
    """The output record for one tagged document: a Prodigy task with normalized spans."""
    task = doc_to_task(doc)
    task["meta"] = dict(record.meta)
    text = task["text"]  # doc.text rebuilds the string on every access
    for span in task["spans"]:
        span["text"] = text[span["start"] : span["end"]]
        for name in LABEL_FIELDS.get(span["label"], ()) + ("kb_id", "canonical", "confidence"):
            span.setdefault(name, None)  # present and null, so every record has the same shape
    # spans first-class, then tokens: the order a person reading the JSONL wants
    return {
        "text": task["text"],
        "meta": task["meta"],
        "_input_hash": task["_input_hash"],
        "_task_hash": task["_task_hash"],
        "spans": task["spans"],
        "tokens": task["tokens"],
        "answer": "accept",
        "_view_id": task["_view_id"],
        "_timestamp": task["_timestamp"],
    }


def count_words(task: Dict[str, Any]) -> int:
    """Words in a tagged task: tokens with a letter or digit (punctuation and spaces are not words)."""
    return sum(1 for t in task["tokens"] if any(c.isalnum() for c in t["text"]))


def tag_records(
    nlp: Language,
    records: Iterable[Union[Record, InputError]],
    *,
    batch_size: int = 64,
    n_process: int = 1,
    skip_errors: bool = False,
    stats: Optional[TagStats] = None,
) -> Iterator[Dict[str, Any]]:
    """Tag records with ``nlp``, yielding one task per good record, in input order.

    records (Iterable[Record | InputError]): from ``ingest.iter_records``.
    batch_size (int): documents per ``nlp.pipe`` batch.
    n_process (int): worker processes for ``nlp.pipe``.
    skip_errors (bool): record bad input in ``stats.errors`` and go on, instead of raising.
    stats (TagStats | None): filled in as the run goes.
    RETURNS (Iterator[Dict[str, Any]]): tagged tasks.
    """
    stats = stats if stats is not None else TagStats()
    max_length = nlp.max_length
    pieces = _pieces(records, max_length, skip_errors, stats)
    pending: List[Doc] = []
    for doc, (record, index, count) in nlp.pipe(pieces, as_tuples=True, batch_size=batch_size, n_process=n_process):
        pending.append(doc)
        if index < count - 1:
            continue
        full = pending[0] if len(pending) == 1 else Doc.from_docs(pending, ensure_whitespace=False)
        pending = []
        task = tagged_task(full, record)
        stats.tagged += 1
        stats.words += count_words(task)
        yield task


def _pieces(
    records: Iterable[Union[Record, InputError]], max_length: int, skip_errors: bool, stats: TagStats
) -> Iterator[Tuple[str, Tuple[Record, int, int]]]:
    for record in records:
        if isinstance(record, InputError):
            _fail(record, skip_errors, stats)
            continue
        if not record.text.strip():
            _fail(InputError(record.source, record.line, Messages.E015), skip_errors, stats)
            continue
        parts = split_text(record.text, max_length)
        for index, part in enumerate(parts):
            yield part, (record, index, len(parts))


def _fail(error: InputError, skip_errors: bool, stats: TagStats) -> None:
    if not skip_errors:
        raise error
    stats.errors.append(error)


# --- output, resuming -------------------------------------------------------------------


def partial_path(output_path: Path) -> Path:
    return output_path.with_name(output_path.name + ".partial")


def done_keys(output_path: Path) -> Set[str]:
    """Keys of the documents an interrupted run already wrote (to ``OUT.partial``)."""
    done: Set[str] = set()
    path = partial_path(output_path)
    if not path.exists():
        return done
    with path.open(encoding="utf-8") as f:
        for line in f:
            try:
                done.add(run_key(srsly.json_loads(line)))
            except ValueError:
                break  # a line cut off by the interruption: it is written again
    _truncate_to_complete_lines(path)
    return done


def _truncate_to_complete_lines(path: Path) -> None:
    data = path.read_bytes()
    keep = data[: data.rfind(b"\n") + 1]
    good = bytearray()
    for line in keep.splitlines(keepends=True):
        try:
            srsly.json_loads(line)
        except ValueError:
            break
        good += line
    if len(good) != len(data):
        path.write_bytes(bytes(good))


def tag_to_file(
    nlp: Language,
    inputs: Sequence[Union[Path, str]],
    output_path: Optional[Path],
    *,
    batch_size: int = 64,
    n_process: int = 1,
    skip_errors: bool = False,
    resume: bool = False,
    stdout: Optional[TextIO] = None,
    progress: Optional[Callable[[Dict[str, Any]], None]] = None,
) -> TagStats:
    """Tag every input document and write JSONL to ``output_path`` (atomically) or ``stdout``.

    resume (bool): keep what an interrupted run to the same output wrote and
        tag only the documents it had not reached.
    progress (Callable | None): called with each written task (for a progress bar).
    RETURNS (TagStats): counts and the bad records met.
    """
    stats = TagStats()
    records = pending_records(inputs, output_path, resume=resume, skip_errors=skip_errors, stats=stats)
    tasks = tag_records(nlp, records, batch_size=batch_size, n_process=n_process, skip_errors=skip_errors, stats=stats)
    write_tasks(tasks, output_path, stdout=stdout, progress=progress)
    return stats


def pending_records(
    inputs: Sequence[Union[Path, str]], output_path: Optional[Path], *, resume: bool, skip_errors: bool, stats: TagStats
) -> Iterator[Union[Record, InputError]]:
    """The input records still to tag: all of them, or on ``resume`` those an earlier run did not write."""
    done: Set[str] = set()
    if output_path is not None:
        if resume:
            if output_path.exists() and not partial_path(output_path).exists():
                # a finished run: carry on from its output as if it were partial
                os.replace(output_path, partial_path(output_path))
            done = done_keys(output_path)
        else:
            partial_path(output_path).unlink(missing_ok=True)
    return _without_done(iter_records(inputs, skip_errors=skip_errors), done, stats)


def write_tasks(
    tasks: Iterable[Dict[str, Any]],
    output_path: Optional[Path],
    *,
    stdout: Optional[TextIO] = None,
    progress: Optional[Callable[[Dict[str, Any]], None]] = None,
) -> None:
    """Write tasks as JSONL to stdout, or line by line to ``OUT.partial`` and then atomically to ``OUT``."""
    if output_path is None:
        out = stdout if stdout is not None else sys.stdout
        for task in tasks:
            out.write(json_line(task))
            if progress:
                progress(task)
        out.flush()
        return
    output_path.parent.mkdir(parents=True, exist_ok=True)
    partial = partial_path(output_path)
    with partial.open("a", encoding="utf-8") as f:
        for task in tasks:
            f.write(json_line(task))
            f.flush()
            if progress:
                progress(task)
        os.fsync(f.fileno())
    os.replace(partial, output_path)


def _without_done(records: Iterable[Union[Record, InputError]], done: Set[str], stats: TagStats) -> Iterator[Union[Record, InputError]]:
    for record in records:
        if done and isinstance(record, Record) and run_key(record) in done:
            stats.skipped_done += 1
            continue
        yield record

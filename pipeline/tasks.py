"""Tasks: Prodigy-compatible JSONL records and spaCy ``Doc`` objects, both ways.

A task is what Prodigy's ``ner_manual`` reads and writes::

    {"text": ..., "meta": {...}, "tokens": [{"text", "start", "end", "id", "ws"}],
     "spans": [{"start", "end", "token_start", "token_end", "label", ...}],
     "answer": "accept", "_input_hash": ..., "_task_hash": ..., "_view_id": "ner_manual",
     "_timestamp": ...}

``token_end`` is inclusive, as in Prodigy. Spans may carry the normalized
fields (``kb_id``, ``canonical``, ``cyrillic``, ``edtf``, ``confidence``,
``candidates``) and a ``text``; converting to a ``Doc`` and back keeps all of
them, and everything else in the task, so the round trip is lossless.

Hashes follow Prodigy's scheme: ``_input_hash`` from the input (``text``),
``_task_hash`` from the input hash and the spans' offsets and labels. Both use
MurmurHash3 over sorted-key JSON, so they are stable across runs and machines.

Document identity lives here too, and only here (see "identity" below):
``text_hash`` is the document's key in export and review, ``document_key``
matches documents across files for scoring, ``document_name`` is what
people see, and ``run_key`` is a record's place in a tagging run.
"""
from __future__ import annotations

import hashlib
import time
from pathlib import Path
from typing import Any, Dict, Iterable, Iterator, List, Optional, Sequence, Tuple, Union

import murmurhash
import srsly
from spacy.language import Language
from spacy.tokens import Doc, DocBin, Span
from spacy.vocab import Vocab

from .errors import InputError, Messages
from .ingest import Record, iter_jsonl_lines

# Fields the normalize stage adds to an entity; tasks carry them through
# without knowing what they mean, as Span extensions when they are registered.
SPAN_FIELDS = ("kb_id", "canonical", "cyrillic", "edtf", "confidence", "candidates", "kb_type")
SPAN_CORE_KEYS = ("start", "end", "token_start", "token_end", "label")
TASK_CORE_KEYS = ("text", "tokens", "spans")
INPUT_KEYS = ("text",)
VIEW_ID = "ner_manual"
ANSWERS = ("accept", "reject", "ignore")
USER_DATA_TASK = "terreur.task"
USER_DATA_SPANS = "terreur.span_fields"
USER_DATA_SIG = "terreur.spans_hash"


# --- hashes -----------------------------------------------------------------


def _hash(value: Any) -> int:
    return murmurhash.hash(srsly.json_dumps(value, sort_keys=True))


def input_hash(task: Dict[str, Any]) -> int:
    """Prodigy-style hash of a task's input (its text)."""
    return _hash({key: task[key] for key in INPUT_KEYS if key in task})


def task_hash(task: Dict[str, Any]) -> int:
    """Prodigy-style hash of the input hash and the annotation (span offsets and labels)."""
    spans = [[s["start"], s["end"], s["label"]] for s in task.get("spans", [])]
    return _hash({"_input_hash": input_hash(task), "spans": spans})


def set_hashes(task: Dict[str, Any], *, overwrite: bool = False) -> Dict[str, Any]:
    """Add ``_input_hash`` and ``_task_hash`` (and keep existing ones unless ``overwrite``)."""
    if overwrite or "_input_hash" not in task:
        task["_input_hash"] = input_hash(task)
    if overwrite or "_task_hash" not in task:
        task["_task_hash"] = task_hash(task)
    return task


# --- identity ----------------------------------------------------------------------


def text_hash(text: str) -> str:
    """A document's stable key: the SHA-256 of its text, in hex (the export's ``documents.hash``, review's match)."""
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def document_key(task: Dict[str, Any]) -> Any:
    """What identifies a document across files when scoring: its id, else its text's hash."""
    meta = task.get("meta") or {}
    return meta.get("id") or task.get("_input_hash") or input_hash(task)


def document_name(task: Dict[str, Any], fallback: str) -> str:
    """A document's name for people: ``meta.id``, else ``meta.source`` (+ ``:line``), else ``fallback``."""
    meta = task.get("meta") or {}
    if meta.get("id") not in (None, ""):
        return str(meta["id"])
    if meta.get("source"):
        return f"{meta['source']}:{meta['line']}" if meta.get("line") is not None else str(meta["source"])
    return fallback


def run_key(record: Union[Record, Dict[str, Any]]) -> str:
    """A record's identity within a tagging run (for ``--resume``): its source, line and id."""
    meta = record.meta if isinstance(record, Record) else (record.get("meta") or {})
    return f"{meta.get('source', '')}:{meta.get('line', '')}:{meta.get('id', '')}"


def is_accepted(task: Dict[str, Any]) -> bool:
    """Whether a task's answer is accept (the default when it has none)."""
    return task.get("answer", "accept") == "accept"


# --- Doc -> task --------------------------------------------------------------


def tokens_of(doc: Doc) -> List[Dict[str, Any]]:
    return [
        {"text": t.text, "start": t.idx, "end": t.idx + len(t.text), "id": t.i, "ws": bool(t.whitespace_)}
        for t in doc
    ]


def span_fields(span: Span) -> Dict[str, Any]:
    """The normalized fields of an entity, from its extensions or the stored task."""
    stored = span.doc.user_data.get(USER_DATA_SPANS, {}).get(_span_key(span.start_char, span.end_char, span.label_))
    fields: Dict[str, Any] = dict(stored or {})
    for name in SPAN_FIELDS:
        if Span.has_extension(name):
            value = getattr(span._, name)
            if value is not None:
                fields[name] = value
    return fields


def span_to_dict(span: Span) -> Dict[str, Any]:
    record = {
        "start": span.start_char,
        "end": span.end_char,
        "token_start": span.start,
        "token_end": span.end - 1,
        "label": span.label_,
    }
    record.update(span_fields(span))
    return record


def doc_to_task(doc: Doc, *, spans: Optional[Iterable[Span]] = None) -> Dict[str, Any]:
    """A Prodigy ``ner_manual`` task from a Doc's entities, keeping what the Doc was read with.

    doc (Doc): the document.
    spans (Iterable[Span] | None): the spans to write; default ``doc.ents``.
    RETURNS (Dict[str, Any]): the task, with hashes.
    """
    stored = dict(doc.user_data.get(USER_DATA_TASK, {}))
    task: Dict[str, Any] = {"text": doc.text, "meta": {}}
    task.update(stored)
    task["tokens"] = tokens_of(doc)
    task["spans"] = [span_to_dict(s) for s in (doc.ents if spans is None else spans)]
    task.setdefault("answer", "accept")
    task.setdefault("_view_id", VIEW_ID)
    task.setdefault("_timestamp", int(time.time()))
    task.setdefault("_input_hash", input_hash(task))
    # A hash that came with the task (Prodigy's own, say) is kept while the
    # spans are the ones it was made for; changed spans get a new one.
    new_hash = task_hash(task)
    if "_task_hash" not in task or doc.user_data.get(USER_DATA_SIG) != new_hash:
        task["_task_hash"] = new_hash
    return task


# --- task -> Doc --------------------------------------------------------------


def _span_key(start: int, end: int, label: str) -> str:
    return f"{start}:{end}:{label}"


def doc_of_tokens(vocab: Vocab, tokens: Sequence[Dict[str, Any]]) -> Doc:
    """A Doc of a task's own tokens (``text`` and ``ws``), so spans align exactly as they were annotated."""
    return Doc(vocab, words=[t["text"] for t in tokens], spaces=[bool(t.get("ws", False)) for t in tokens])


def doc_from_tokens(nlp: Language, text: str, tokens: Sequence[Dict[str, Any]], source: str, line: Optional[int]) -> Doc:
    """Rebuild a Doc from a task's own tokens; InputError when they do not spell out its text."""
    doc = doc_of_tokens(nlp.vocab, tokens)
    if doc.text != text:
        raise InputError(source, line, Messages.E029)
    return doc


def task_to_doc(nlp: Language, task: Dict[str, Any], *, source: str = "<task>", line: Optional[int] = None) -> Doc:
    """A Doc with the task's accepted spans as entities; everything else kept in ``user_data``.

    nlp (Language): supplies the vocab and, for tasks without tokens, the tokenizer.
    task (Dict[str, Any]): the Prodigy task.
    source (str): the file, for error messages.
    line (int | None): the line, for error messages.
    RETURNS (Doc): the document. Raises InputError when a span is not on token boundaries.
    """
    text = task["text"]
    if task.get("tokens"):
        doc = doc_from_tokens(nlp, text, task["tokens"], source, line)
    else:
        doc = nlp.make_doc(text)
    ents, fields = [], {}
    for span in task.get("spans", []):
        ent = doc.char_span(span["start"], span["end"], label=span["label"])
        if ent is None:
            raise InputError(source, line, misaligned_message(doc, span["start"], span["end"], span["label"]))
        ents.append(ent)
        extra = {k: v for k, v in span.items() if k not in SPAN_CORE_KEYS}
        if extra:
            fields[_span_key(span["start"], span["end"], span["label"])] = extra
    try:
        doc.ents = ents
    except ValueError as err:
        raise InputError(source, line, Messages.E030.format(detail=err))
    stored = {k: v for k, v in task.items() if k not in TASK_CORE_KEYS}
    doc.user_data[USER_DATA_TASK] = stored
    doc.user_data[USER_DATA_SPANS] = fields
    doc.user_data[USER_DATA_SIG] = task_hash(task)
    return doc


def misaligned_message(doc: Doc, start: int, end: int, label: str) -> str:
    """Say which span is off and the nearest token-aligned span inside it."""
    text = doc.text[start:end]
    hint = ""
    inner = doc.char_span(start, end, label=label, alignment_mode="contract")
    if inner is not None and len(inner):
        hint = f" (tokens inside it: {inner.start_char}-{inner.end_char} {inner.text!r})"
    else:
        outer = doc.char_span(start, end, label=label, alignment_mode="expand")
        if outer is not None:
            hint = f" (tokens around it: {outer.start_char}-{outer.end_char} {outer.text!r})"
    return Messages.E005.format(start=start, end=end, text=text, hint=hint)


# --- files ----------------------------------------------------------------------


def read_tasks(path: Union[Path, str]) -> Iterator[Tuple[int, Dict[str, Any]]]:
    """Yield (line, task) from a JSONL file; bad JSON raises InputError with the line."""
    path = Path(path)
    if not path.exists():
        raise InputError(path, None, Messages.E019)
    with path.open(encoding="utf-8-sig") as f:
        yield from iter_jsonl_lines(f, str(path))


def require_text(task: Any, source: Union[Path, str], line: Optional[int]) -> None:
    """Raise InputError unless the record is an object with a string ``text`` (what every reader needs)."""
    if not isinstance(task, dict) or not isinstance(task.get("text"), str):
        raise InputError(source, line, Messages.E002)


def read_prodigy_jsonl(nlp: Language, path: Union[Path, str], *, accepted_only: bool = True) -> Iterator[Doc]:
    """Docs from a Prodigy JSONL file (rejected and ignored tasks are left out by default)."""
    for line, task in read_tasks(path):
        if accepted_only and task.get("answer", "accept") != "accept":
            continue
        require_text(task, path, line)
        yield task_to_doc(nlp, task, source=str(path), line=line)


def docs_to_docbin(docs: Iterable[Doc]) -> DocBin:
    doc_bin = DocBin(store_user_data=True)
    for doc in docs:
        doc_bin.add(doc)
    return doc_bin


def docbin_to_tasks(nlp: Language, path: Union[Path, str]) -> Iterator[Dict[str, Any]]:
    for doc in DocBin().from_disk(path).get_docs(nlp.vocab):
        yield doc_to_task(doc)

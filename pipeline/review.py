"""Stage 7: review what a model or an annotator found, compare two annotations, report errors.

The review app is a local web server (stdlib ``http.server``, bound to
127.0.0.1) over a ``ReviewSession``: the documents to review and an
append-only log, the output file. Every change the reviewer makes (accept
a span, relabel, move a boundary, add, delete, link to the knowledge base,
answer the document) appends one full Prodigy ``ner_manual`` task line with
``answer``, ``_timestamp`` and ``_annotator_id``, flushed and fsynced, so a
crash or a closed tab loses nothing. The latest line per ``_input_hash`` is
the document's state; reopening the file resumes at the first document
whose latest line is not answered.

Each line written here also carries ``_review``::

    {"status": "draft" | "done" | "new", "action": "relabel", "undo": false}

``done`` lines are answered documents (``answer`` is the reviewer's
accept/reject/ignore). ``draft`` lines are edits to a document not yet
answered; their ``answer`` is ``ignore`` so that Prodigy and our training
reader leave them out. Undo never rewrites the file: it appends the line
that was the document's state before the last change, marked
``"undo": true`` (``status: "new"`` when that was the untouched input). The
undo stack is rebuilt from the log on start, so undo works after a restart.

``span_agreement`` (span-level exact match, per label) is shared by compare
mode, the HTML error report and corpus quality scripts.
"""
from __future__ import annotations

import getpass
import hashlib
import html
import json
import os
import threading
import time
import unicodedata
from dataclasses import dataclass, field
from http import HTTPStatus
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any, Dict, Iterable, List, Optional, Sequence, Tuple, Union
from urllib.parse import parse_qs, urlsplit

from spacy.language import Language
from spacy.tokens import Doc

from . import LABELS
from .convert import (
    ANSWERS,
    SPAN_CORE_KEYS,
    VIEW_ID,
    doc_from_tokens,
    prf,
    read_tasks,
    set_hashes,
    span_counts,
    span_set,
    span_to_dict,
    task_hash,
    tokens_of,
)
from .errors import InputError, Messages, TerreurError
from .files import json_line, write_text_atomic

STATIC_DIR = Path(__file__).resolve().parent / "static" / "review"
KB_DIR = Path(__file__).resolve().parent / "data" / "kb"
HOST = "127.0.0.1"
LABEL_COLORS = {
    "PERSON": "#aa9cfc",
    "ORG": "#7aecec",
    "LOC": "#ff9561",
    "DATE": "#bfe1d9",
    "TRIAL": "#feca74",
}
# What a knowledge-base entry's ``type`` may be called, per label.
KB_TYPES = {
    "PERSON": {"person", "per", "persons", "people"},
    "ORG": {"org", "orgs", "organization", "organisation"},
    "LOC": {"loc", "place", "places", "location", "gpe"},
    "TRIAL": {"trial", "trials", "event"},
    "DATE": set(),
}
LINK_FIELDS = ("kb_id", "canonical", "cyrillic", "kb_type", "candidates", "confidence")
STATUS_NEW, STATUS_DRAFT, STATUS_DONE = "new", "draft", "done"
Scores = Dict[str, Dict[str, Union[int, float]]]


# --- keys, spans and agreement ------------------------------------------------------


def task_key(task: Dict[str, Any]) -> str:
    """A document's stable key: the SHA-256 of its text (see docs/tagged-format.md)."""
    return hashlib.sha256(str(task.get("text", "")).encode("utf-8")).hexdigest()


def latest_tasks(tasks: Iterable[Dict[str, Any]]) -> Dict[str, Dict[str, Any]]:
    """The last task per document (by text), in first-seen order: a review log's final state."""
    latest: Dict[str, Dict[str, Any]] = {}
    for task in tasks:
        if isinstance(task, dict) and isinstance(task.get("text"), str):
            latest[task_key(task)] = task
    return latest


def _ordered_labels(labels: Iterable[str]) -> List[str]:
    found = set(labels)
    return [label for label in LABELS if label in found] + sorted(found - set(LABELS))


def _compared_pairs(
    tasks_a: Iterable[Dict[str, Any]], tasks_b: Iterable[Dict[str, Any]], accepted_only: bool
) -> List[Tuple[Dict[str, Any], Dict[str, Any]]]:
    def usable(task: Dict[str, Any]) -> bool:
        return not accepted_only or task.get("answer", "accept") == "accept"

    latest_a, latest_b = latest_tasks(tasks_a), latest_tasks(tasks_b)
    return [
        (task_a, latest_b[key])
        for key, task_a in latest_a.items()
        if key in latest_b and usable(task_a) and usable(latest_b[key])
    ]


def span_agreement(
    tasks_a: Iterable[Dict[str, Any]], tasks_b: Iterable[Dict[str, Any]], *, accepted_only: bool = True
) -> Scores:
    """Span-level exact-match agreement per label, with A as the reference.

    Documents are matched by text (the latest task per text wins, so a review
    log can be passed as it is); only documents in both count. A span
    agrees when start, end and label are equal.

    tasks_a (Iterable[dict]): the reference (gold, or the first annotator).
    tasks_b (Iterable[dict]): the other side (model, or the second annotator).
    accepted_only (bool): leave out tasks answered reject or ignore. Default True.
    RETURNS (Dict[str, dict]): per label, {"p", "r", "f", "tp", "fp", "fn"}, labels in guideline order.
    """
    counts = span_counts(_compared_pairs(tasks_a, tasks_b, accepted_only))
    return {label: prf(*counts[label]) for label in _ordered_labels(counts)}


def micro_average(scores: Scores) -> Dict[str, Union[int, float]]:
    """Micro-averaged {"p", "r", "f", "tp", "fp", "fn"} over the labels of ``span_agreement``."""
    return prf(*(sum(int(s[key]) for s in scores.values()) for key in ("tp", "fp", "fn")))


# --- preparing tasks ---------------------------------------------------------------------


def prepare_task(nlp: Language, task: Any, *, source: str = "<task>", line: Optional[int] = None) -> Dict[str, Any]:
    """A copy of a task ready for review: tokens, hashes, and spans snapped to tokens.

    nlp (Language): tokenizes tasks without ``tokens`` (``make_blank_dutch()``).
    task (dict): the Prodigy task.
    source (str): the file, for error messages.
    line (int | None): the line, for error messages.
    RETURNS (dict): the task. Raises InputError when it has no text or a span is off the tokens.
    """
    if not isinstance(task, dict) or not isinstance(task.get("text"), str):
        raise InputError(source, line, Messages.E002)
    task = dict(task)
    text = task["text"]
    if task.get("tokens"):
        doc = doc_from_tokens(nlp, text, task["tokens"], source, line)
    else:
        doc = nlp.make_doc(text)
    task["tokens"] = tokens_of(doc)
    spans = []
    for span in task.get("spans") or []:
        if not isinstance(span, dict) or not isinstance(span.get("start"), int) or not isinstance(span.get("end"), int):
            raise InputError(source, line, Messages.E011.format(span=span))
        ent = doc.char_span(span["start"], span["end"], alignment_mode="expand")
        if ent is None or not len(ent):
            raise InputError(source, line, Messages.E004.format(start=span["start"], end=span["end"], length=len(text)))
        spans.append(_snapped(span, text, ent.start, ent.end - 1, ent.start_char, ent.end_char))
    task["spans"] = sorted(spans, key=lambda s: s["start"])
    set_hashes(task)
    task.setdefault("meta", {})
    return task


def _snapped(span: Dict[str, Any], text: str, token_start: int, token_end: int, start: int, end: int) -> Dict[str, Any]:
    out = {key: value for key, value in span.items() if key not in SPAN_CORE_KEYS and key != "text"}
    out.update(start=start, end=end, token_start=token_start, token_end=token_end, label=str(span.get("label")))
    out["text"] = text[start:end]
    return out


def pretag_tasks(model: Language, tasks: Sequence[Dict[str, Any]]) -> int:
    """Fill the spans of prepared tasks that have none with a model's entities (in place).

    The model runs on the task's own tokens, so its spans line up with them.
    RETURNS (int): the number of tasks tagged.
    """
    todo = [task for task in tasks if not task.get("spans")]
    docs = (
        Doc(model.vocab, words=[t["text"] for t in task["tokens"]], spaces=[bool(t.get("ws")) for t in task["tokens"]])
        for task in todo
    )
    for task, doc in zip(todo, model.pipe(docs)):
        task["spans"] = [dict(span_to_dict(ent), text=ent.text) for ent in doc.ents]
        task["_task_hash"] = task_hash(task)
    return len(todo)


def read_review_tasks(nlp: Language, path: Union[Path, str]) -> List[Dict[str, Any]]:
    """Prepared tasks from a JSONL file, one per document (a repeated ``_input_hash`` keeps its first)."""
    tasks, seen = [], set()
    for line, raw in read_tasks(path):
        task = prepare_task(nlp, raw, source=str(path), line=line)
        if task["_input_hash"] not in seen:
            seen.add(task["_input_hash"])
            tasks.append(task)
    return tasks


# --- the knowledge base -------------------------------------------------------------------


def load_kb(kb_dir: Optional[Union[Path, str]] = None) -> List[Dict[str, Any]]:
    """Knowledge-base entries from ``*.jsonl`` files (persons, orgs, places, trials).

    kb_dir (Path | None): the folder; default ``pipeline/data/kb``. A missing
        folder or an empty one gives no entries (the search then finds nothing).
    RETURNS (List[dict]): entries with at least ``kb_id`` and ``canonical``.
    """
    folder = Path(kb_dir) if kb_dir is not None else KB_DIR
    if not folder.is_dir():
        return []
    try:  # the normalize stage's loader, where it has landed: same files, checked and cached
        from .normalize.kb import load_kb as load_knowledge_base
    except ImportError:
        load_knowledge_base = None
    if load_knowledge_base is not None:
        knowledge_base = load_knowledge_base(folder)
        return [
            {
                "kb_id": entry.kb_id,
                "type": entry.label,
                "canonical": entry.canonical,
                "cyrillic": entry.cyrillic,
                "aliases": [name for name in entry.names() if name not in (entry.canonical, entry.cyrillic)],
            }
            for entry in knowledge_base.entries.values()
        ]
    entries = []
    for path in sorted(p for p in folder.glob("*.jsonl") if not p.name.startswith(".")):
        for line, entry in read_tasks(path):
            if isinstance(entry, dict) and entry.get("kb_id"):
                entries.append(entry)
    return entries


def _fold(text: str) -> str:
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))


def _names(entry: Dict[str, Any]) -> List[str]:
    names = [entry.get("canonical"), entry.get("cyrillic"), entry.get("kb_id")]
    aliases = entry.get("aliases") or []
    names.extend(aliases if isinstance(aliases, list) else [aliases])
    return [str(name) for name in names if name]


def search_kb(entries: Sequence[Dict[str, Any]], query: str, *, label: Optional[str] = None, limit: int = 10) -> List[Dict[str, Any]]:
    """Entries whose names (canonical, Cyrillic, aliases) best match a query, best first.

    Matching ignores case and diacritics and tolerates spelling variants
    (rapidfuzz's WRatio), so ``Jezjov`` finds ``Nikolai Yezhov`` through its
    aliases. Entries of the type that fits ``label`` come first.

    RETURNS (List[dict]): {"kb_id", "type", "canonical", "cyrillic", "aliases", "score"}.
    """
    from rapidfuzz import fuzz

    query = _fold(query.strip())
    if not query:
        return []
    wanted = KB_TYPES.get(label or "", set())
    results = []
    for entry in entries:
        score = max((fuzz.WRatio(query, _fold(name)) for name in _names(entry)), default=0.0)
        if any(_fold(name).startswith(query) for name in _names(entry)):
            score = max(score, 95.0)
        if score < 70:
            continue
        fits = str(entry.get("type", "")).lower() in wanted
        results.append((fits, score, entry))
    results.sort(key=lambda item: (not item[0], -item[1], str(item[2].get("canonical"))))
    return [
        {
            "kb_id": entry["kb_id"],
            "type": entry.get("type"),
            "canonical": entry.get("canonical"),
            "cyrillic": entry.get("cyrillic"),
            "aliases": list(entry.get("aliases") or [])[:6],
            "score": round(score, 1),
        }
        for _, score, entry in results[: limit or None]
    ]


# --- the review session ---------------------------------------------------------------------


@dataclass
class DocState:
    """A document's current task and whether it is answered (done), edited (draft) or untouched (new)."""

    task: Dict[str, Any]
    status: str = STATUS_NEW


@dataclass
class ReviewSession:
    """The documents under review and the append-only log of decisions (the output file).

    docs (List[dict]): prepared tasks (``prepare_task``), one per ``_input_hash``.
    output_path (Path): the JSONL log; created on the first decision, replayed on start.
    annotator (str): written as ``_annotator_id``.
    sides (List[tuple] | None): compare mode: per document, the spans of A and of B
        (``None`` where that side lacks the document).
    side_names (Tuple[str, str]): what to call A and B in the app.
    source_name (str): what the app shows as the file under review.
    """

    docs: List[Dict[str, Any]]
    output_path: Path
    annotator: str = field(default_factory=lambda: default_annotator())
    sides: Optional[List[Tuple[Optional[List[Dict[str, Any]]], Optional[List[Dict[str, Any]]]]]] = None
    side_names: Tuple[str, str] = ("A", "B")
    source_name: str = ""
    agreement: Optional[Scores] = None
    kb: List[Dict[str, Any]] = field(default_factory=list)
    labels: Tuple[str, ...] = LABELS

    def __post_init__(self) -> None:
        self.output_path = Path(self.output_path)
        self.index_of = {task["_input_hash"]: i for i, task in enumerate(self.docs)}
        self.states = [DocState(task) for task in self.docs]
        self.undo_stack: List[Tuple[int, Optional[Dict[str, Any]]]] = []
        self.lock = threading.Lock()
        found = {s["label"] for task in self.docs for s in task["spans"]}
        for side in (self.sides or []):
            found.update(s["label"] for spans in side if spans for s in spans)
        extra = found - set(self.labels)
        self.labels = tuple(self.labels) + tuple(sorted(extra))
        self._replay()

    # -- the log

    def _replay(self) -> None:
        if not self.output_path.exists():
            return
        for _, line in read_tasks(self.output_path):
            index = self.index_of.get(line.get("_input_hash")) if isinstance(line, dict) else None
            if index is None:
                continue  # another file's document: kept in the log, not ours to show
            review = line.get("_review") or {}
            if review.get("undo"):
                if self.undo_stack and self.undo_stack[-1][0] == index:
                    self.undo_stack.pop()
            else:
                self.undo_stack.append((index, self._current_line(index)))
            self.states[index] = DocState(line, review.get("status", STATUS_DONE))

    def _current_line(self, index: int) -> Optional[Dict[str, Any]]:
        state = self.states[index]
        return None if state.status == STATUS_NEW and state.task is self.docs[index] else state.task

    def _append(self, line: Dict[str, Any]) -> None:
        self.output_path.parent.mkdir(parents=True, exist_ok=True)
        with self.output_path.open("a", encoding="utf-8") as f:
            f.write(json_line(line))
            f.flush()
            os.fsync(f.fileno())

    # -- reading

    def progress(self) -> Dict[str, Any]:
        done = sum(state.status == STATUS_DONE for state in self.states)
        return {"reviewed": done, "total": len(self.docs), "next": self.first_unreviewed()}

    def first_unreviewed(self) -> Optional[int]:
        return self.next_unreviewed(-1)

    def next_unreviewed(self, after: int) -> Optional[int]:
        """The first document not yet answered after ``after``, wrapping round; None when all are."""
        total = len(self.states)
        for step in range(1, total + 1):
            index = (after + step) % total
            if self.states[index].status != STATUS_DONE:
                return index
        return None

    def doc_payload(self, index: int) -> Dict[str, Any]:
        """What the app shows for one document: its current task, status and (compare mode) both sides."""
        state = self.states[index]
        task = state.task
        payload = {
            "index": index,
            "status": state.status,
            "answer": task.get("answer") if state.status == STATUS_DONE else None,
            "task": {
                "text": task["text"],
                "tokens": self.docs[index]["tokens"],
                "spans": task.get("spans") or [],
                "meta": task.get("meta") or {},
                "_input_hash": task.get("_input_hash"),
            },
            "progress": self.progress(),
        }
        if self.sides is not None:
            side_a, side_b = self.sides[index]
            payload["compare"] = {"a": side_a, "b": side_b}
        return payload

    def app_config(self) -> Dict[str, Any]:
        config = {
            "mode": "compare" if self.sides is not None else "review",
            "source": self.source_name,
            "output": str(self.output_path),
            "annotator": self.annotator,
            "labels": list(self.labels),
            "colors": {label: LABEL_COLORS.get(label, "#dddddd") for label in self.labels},
            "kb_size": len(self.kb),
            "progress": self.progress(),
        }
        if self.sides is not None:
            config["side_names"] = list(self.side_names)
            config["agreement"] = self.agreement or {}
            config["agreement_all"] = micro_average(self.agreement or {})
        return config

    # -- deciding

    def decide(self, index: int, spans: Sequence[Dict[str, Any]], *, answer: Optional[str] = None, action: str = "edit") -> Dict[str, Any]:
        """Record a change to a document: its spans now, and the answer if the reviewer gave one.

        index (int): the document.
        spans (Sequence[dict]): the spans, with ``token_start``/``token_end`` (inclusive) and ``label``;
            other fields (``kb_id``, ``canonical``, ``_reviewed``…) are kept, offsets and text recomputed.
        answer (str | None): accept, reject or ignore to answer the document; None for an edit.
        action (str): what the reviewer did, recorded in ``_review.action``.
        RETURNS (dict): the document's payload after the change. Raises ValueError for bad input.
        """
        if answer is not None and answer not in ANSWERS:
            raise ValueError(f"answer must be one of {', '.join(ANSWERS)}, got {answer!r}")
        with self.lock:
            self._check_index(index)
            base = self.docs[index]
            state = self.states[index]
            clean = normalize_spans(base, spans, self.labels)
            if answer is not None:
                status, final_answer = STATUS_DONE, answer
            elif state.status == STATUS_DONE:
                status, final_answer = STATUS_DONE, state.task.get("answer", "accept")
            else:
                status, final_answer = STATUS_DRAFT, "ignore"
            line = self._line(base, clean, final_answer, {"status": status, "action": str(action)[:40], "undo": False})
            self._append(line)
            self.undo_stack.append((index, self._current_line(index)))
            self.states[index] = DocState(line, status)
            return self.doc_payload(index)

    def undo(self) -> Optional[Dict[str, Any]]:
        """Restore the state before the last change by appending it again, marked ``"undo": true``.

        RETURNS (dict | None): the changed document's payload, or None when there is nothing to undo.
        """
        with self.lock:
            if not self.undo_stack:
                return None
            index, previous = self.undo_stack.pop()
            base = self.docs[index]
            if previous is None:
                line = self._line(base, base["spans"], "ignore", {"status": STATUS_NEW, "action": "undo", "undo": True})
            else:
                review = dict(previous.get("_review") or {"status": STATUS_DONE})
                review.update(action="undo", undo=True)
                line = self._line(previous, previous.get("spans") or [], previous.get("answer", "accept"), review)
            self._append(line)
            self.states[index] = DocState(line, line["_review"]["status"])
            return self.doc_payload(index)

    def _line(self, base: Dict[str, Any], spans: List[Dict[str, Any]], answer: str, review: Dict[str, Any]) -> Dict[str, Any]:
        line = {key: value for key, value in base.items() if key != "_review"}
        line["tokens"] = self.docs[self.index_of[base["_input_hash"]]]["tokens"]
        line["spans"] = [dict(span) for span in spans]
        line["answer"] = answer
        line["_view_id"] = VIEW_ID
        line["_timestamp"] = int(time.time())
        line["_annotator_id"] = self.annotator
        line["_task_hash"] = task_hash(line)
        line["_review"] = review
        return line

    def _check_index(self, index: int) -> None:
        if not isinstance(index, int) or not 0 <= index < len(self.docs):
            raise ValueError(f"no document {index!r} (there are {len(self.docs)})")

    def search(self, query: str, *, label: Optional[str] = None, limit: int = 10) -> List[Dict[str, Any]]:
        return search_kb(self.kb, query, label=label, limit=limit)


def normalize_spans(task: Dict[str, Any], spans: Sequence[Dict[str, Any]], labels: Sequence[str] = LABELS) -> List[Dict[str, Any]]:
    """Spans given by token indices, checked and with offsets and text recomputed from the task's tokens.

    RETURNS (List[dict]): the spans sorted by start. Raises ValueError for a bad
    index, an unknown label, a span on whitespace only, or an overlap.
    """
    tokens, text = task["tokens"], task["text"]
    out = []
    for span in spans:
        if not isinstance(span, dict):
            raise ValueError(f"a span must be an object, got {span!r}")
        ts, te, label = span.get("token_start"), span.get("token_end"), span.get("label")
        if not isinstance(ts, int) or not isinstance(te, int) or not 0 <= ts <= te < len(tokens):
            raise ValueError(f"span tokens {ts!r}-{te!r} are not within 0-{len(tokens) - 1}")
        if label not in labels:
            raise ValueError(Messages.E007.format(label=label, labels=", ".join(labels)))
        while ts <= te and not tokens[ts]["text"].strip():
            ts += 1
        while te >= ts and not tokens[te]["text"].strip():
            te -= 1
        if ts > te:
            raise ValueError("a span must cover a word, not only whitespace")
        out.append(_snapped(span, text, ts, te, tokens[ts]["start"], tokens[te]["end"]))
    out.sort(key=lambda s: s["start"])
    for first, second in zip(out, out[1:]):
        if second["start"] < first["end"]:
            raise ValueError(f"span {second['text']!r} overlaps span {first['text']!r}")
    return out


def default_annotator() -> str:
    try:
        return getpass.getuser()
    except Exception:  # no user name in some containers
        return "annotator"


def default_output_path(path: Union[Path, str], suffix: str = "reviewed") -> Path:
    """``<stem>.reviewed.jsonl`` (or ``.merged.jsonl``) beside the input."""
    path = Path(path)
    return path.with_name(f"{path.stem}.{suffix}.jsonl")


def open_review(
    nlp: Language,
    path: Union[Path, str],
    *,
    output_path: Optional[Union[Path, str]] = None,
    annotator: Optional[str] = None,
    model: Optional[Language] = None,
    kb: Optional[List[Dict[str, Any]]] = None,
) -> ReviewSession:
    """A review session over a tagged JSONL file, resuming from its output if that exists.

    nlp (Language): tokenizes tasks without tokens (``make_blank_dutch()``).
    path (Path): the tagged file.
    output_path (Path | None): the log; default ``<stem>.reviewed.jsonl`` beside ``path``.
    annotator (str | None): ``_annotator_id``; default the OS user.
    model (Language | None): pre-tags documents that have no spans.
    kb (List[dict] | None): knowledge-base entries for linking; default ``load_kb()``.
    RETURNS (ReviewSession): the session.
    """
    path = Path(path)
    docs = read_review_tasks(nlp, path)
    if not docs:
        raise InputError(path, None, "no documents to review")
    if model is not None:
        pretag_tasks(model, docs)
    return ReviewSession(
        docs,
        Path(output_path) if output_path else default_output_path(path),
        annotator=annotator or default_annotator(),
        source_name=str(path),
        kb=load_kb() if kb is None else kb,
    )


def compare_docs(
    nlp: Language, tasks_a: Sequence[Dict[str, Any]], tasks_b: Sequence[Dict[str, Any]]
) -> Tuple[List[Dict[str, Any]], List[Tuple[Optional[List[Dict[str, Any]]], Optional[List[Dict[str, Any]]]]]]:
    """Documents for compare mode: A's documents then B's others, each starting from the spans both agree on.

    B's spans are put on A's tokens (by character offsets). Where only one
    side has a document, it starts from that side's spans.
    RETURNS (Tuple[list, list]): the prepared tasks, and per task the spans of A and of B.
    """
    by_key_b = {task_key(task): task for task in tasks_b}
    docs, sides = [], []
    seen = set()
    for task_a in tasks_a:
        key = task_key(task_a)
        if key in seen:
            continue
        seen.add(key)
        spans_a = list(task_a["spans"])
        task_b = by_key_b.get(key)
        spans_b = _respan(nlp, task_a, task_b["spans"]) if task_b is not None else None
        base = dict(task_a)
        if spans_b is None:
            base["spans"] = spans_a
        else:
            agreed = span_set({"spans": spans_a}) & span_set({"spans": spans_b})
            base["spans"] = [s for s in spans_a if (s["start"], s["end"], s["label"]) in agreed]
        base["_task_hash"] = task_hash(base)
        docs.append(base)
        sides.append((spans_a, spans_b))
    for task_b in tasks_b:
        key = task_key(task_b)
        if key not in seen:
            seen.add(key)
            docs.append(dict(task_b))
            sides.append((None, list(task_b["spans"])))
    return docs, sides


def _respan(nlp: Language, base: Dict[str, Any], spans: Sequence[Dict[str, Any]]) -> List[Dict[str, Any]]:
    doc = Doc(nlp.vocab, words=[t["text"] for t in base["tokens"]], spaces=[bool(t.get("ws")) for t in base["tokens"]])
    out = []
    for span in spans:
        ent = doc.char_span(span["start"], span["end"], alignment_mode="expand")
        if ent is not None and len(ent):
            out.append(_snapped(span, base["text"], ent.start, ent.end - 1, ent.start_char, ent.end_char))
    return out


def open_compare(
    nlp: Language,
    path_a: Union[Path, str],
    path_b: Union[Path, str],
    *,
    output_path: Optional[Union[Path, str]] = None,
    annotator: Optional[str] = None,
    kb: Optional[List[Dict[str, Any]]] = None,
) -> ReviewSession:
    """A compare session over two annotations of the same documents, and their agreement written beside the output.

    The merged file defaults to ``<A stem>.merged.jsonl``; the per-label
    agreement (A as reference) goes to ``<output stem>.agreement.json``.
    RETURNS (ReviewSession): the session, with ``agreement`` set.
    """
    path_a, path_b = Path(path_a), Path(path_b)
    tasks_a, tasks_b = read_review_tasks(nlp, path_a), read_review_tasks(nlp, path_b)
    if not tasks_a and not tasks_b:
        raise InputError(path_a, None, "no documents to compare")
    docs, sides = compare_docs(nlp, tasks_a, tasks_b)
    output = Path(output_path) if output_path else default_output_path(path_a, "merged")
    agreement = span_agreement(tasks_a, tasks_b)
    write_text_atomic(
        agreement_path(output),
        json.dumps(
            {"a": str(path_a), "b": str(path_b), "documents_compared": len(_compared_pairs(tasks_a, tasks_b, True)),
             "labels": agreement, "all": micro_average(agreement)},
            indent=2, ensure_ascii=False,
        ) + "\n",
    )
    return ReviewSession(
        docs,
        output,
        annotator=annotator or default_annotator(),
        sides=sides,
        side_names=(path_a.name, path_b.name),
        source_name=f"{path_a} vs {path_b}",
        agreement=agreement,
        kb=load_kb() if kb is None else kb,
    )


def agreement_path(output_path: Union[Path, str]) -> Path:
    output_path = Path(output_path)
    return output_path.with_name(f"{output_path.stem}.agreement.json")


# --- the HTTP server --------------------------------------------------------------------------

STATIC_FILES = {"index.html": "text/html", "app.js": "text/javascript", "app.css": "text/css"}
CSP = "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; base-uri 'none'; form-action 'none'"
MAX_BODY = 8 * 1024 * 1024


class ReviewServer(ThreadingHTTPServer):
    daemon_threads = True

    def __init__(self, session: ReviewSession, address: Tuple[str, int]) -> None:
        self.session = session
        super().__init__(address, ReviewHandler)

    @property
    def url(self) -> str:
        return f"http://{HOST}:{self.server_address[1]}/"


class ReviewHandler(BaseHTTPRequestHandler):
    """The app's JSON API and its three static files; nothing else is served."""

    server: ReviewServer
    protocol_version = "HTTP/1.1"

    def log_message(self, format: str, *args: Any) -> None:  # noqa: A002 - the stdlib's name
        pass  # the terminal shows the one-line summary, not every request

    def _host_ok(self) -> bool:
        # Another site could point its own host name at 127.0.0.1 (DNS rebinding)
        # and call the API from the reviewer's browser; only our names are served.
        host = (self.headers.get("Host") or "").rsplit(":", 1)[0]
        return host in ("127.0.0.1", "localhost", "[::1]")

    def _send(self, status: int, body: bytes, content_type: str) -> None:
        self.send_response(status)
        self.send_header("Content-Type", f"{content_type}; charset=utf-8")
        self.send_header("Content-Length", str(len(body)))
        self.send_header("Cache-Control", "no-store")
        self.send_header("Content-Security-Policy", CSP)
        self.send_header("X-Content-Type-Options", "nosniff")
        self.end_headers()
        self.wfile.write(body)

    def _json(self, data: Any, status: int = HTTPStatus.OK) -> None:
        self._send(status, json.dumps(data, ensure_ascii=False).encode("utf-8"), "application/json")

    def _error(self, status: int, message: str) -> None:
        self._json({"error": message}, status)

    def do_GET(self) -> None:  # noqa: N802 - the stdlib's name
        if not self._host_ok():
            return self._error(HTTPStatus.FORBIDDEN, "only localhost may use the review app")
        url = urlsplit(self.path)
        query = {key: values[-1] for key, values in parse_qs(url.query).items()}
        session = self.server.session
        if url.path in ("/", "/index.html"):
            return self._static("index.html")
        if url.path.startswith("/static/"):
            return self._static(url.path[len("/static/"):])
        if url.path == "/api/config":
            return self._json(session.app_config())
        if url.path == "/api/doc":
            try:
                index = int(query.get("index", ""))
                session._check_index(index)
            except ValueError as err:
                return self._error(HTTPStatus.NOT_FOUND, str(err))
            return self._json(session.doc_payload(index))
        if url.path == "/api/next":
            try:
                after = int(query.get("after", "-1"))
            except ValueError:
                return self._error(HTTPStatus.BAD_REQUEST, "after must be a document index")
            return self._json({"next": session.next_unreviewed(after), "progress": session.progress()})
        if url.path == "/api/kb":
            return self._json({"results": session.search(query.get("q", ""), label=query.get("label"))})
        return self._error(HTTPStatus.NOT_FOUND, f"no such page: {url.path}")

    def do_POST(self) -> None:  # noqa: N802 - the stdlib's name
        if not self._host_ok():
            return self._error(HTTPStatus.FORBIDDEN, "only localhost may use the review app")
        # A JSON content type cannot be sent cross-site without a CORS preflight,
        # which this server never answers.
        if (self.headers.get("Content-Type") or "").split(";")[0].strip() != "application/json":
            return self._error(HTTPStatus.UNSUPPORTED_MEDIA_TYPE, "send JSON (Content-Type: application/json)")
        length = int(self.headers.get("Content-Length") or 0)
        if length > MAX_BODY:
            return self._error(HTTPStatus.REQUEST_ENTITY_TOO_LARGE, "request too large")
        try:
            body = json.loads(self.rfile.read(length) or b"{}")
        except json.JSONDecodeError as err:
            return self._error(HTTPStatus.BAD_REQUEST, f"not valid JSON: {err.msg}")
        session = self.server.session
        path = urlsplit(self.path).path
        try:
            if path == "/api/decide":
                if not isinstance(body, dict) or not isinstance(body.get("spans"), list):
                    raise ValueError("send {\"index\": n, \"spans\": [...], \"answer\": ...}")
                payload = session.decide(body.get("index"), body["spans"], answer=body.get("answer"), action=body.get("action", "edit"))
                return self._json(payload)
            if path == "/api/undo":
                payload = session.undo()
                return self._json({"undone": payload is not None, "doc": payload, "progress": session.progress()})
        except ValueError as err:
            return self._error(HTTPStatus.BAD_REQUEST, str(err))
        except OSError as err:
            return self._error(HTTPStatus.INTERNAL_SERVER_ERROR, f"could not write {session.output_path}: {err}")
        return self._error(HTTPStatus.NOT_FOUND, f"no such endpoint: {path}")

    def _static(self, name: str) -> None:
        if name not in STATIC_FILES:
            return self._error(HTTPStatus.NOT_FOUND, f"no such file: {name}")
        self._send(HTTPStatus.OK, (STATIC_DIR / name).read_bytes(), STATIC_FILES[name])


def make_review_server(session: ReviewSession, *, port: int = 8080) -> ReviewServer:
    """The review app's server on 127.0.0.1 (call ``serve_forever()``; port 0 picks a free one).

    RETURNS (ReviewServer): the server; ``.url`` is its address. Raises TerreurError when the port is taken.
    """
    try:
        return ReviewServer(session, (HOST, port))
    except OSError as err:
        raise TerreurError(f"cannot serve on {HOST}:{port} ({err.strerror or err}); pass another --port")


# --- the error report -------------------------------------------------------------------------

CONTEXT_CHARS = 90


@dataclass
class SpanError:
    """One false positive or false negative, with what the other side had there."""

    kind: str  # "fp" or "fn"
    label: str
    start: int
    end: int
    task_gold: Dict[str, Any]
    task_pred: Dict[str, Any]
    reason: str


def _doc_name(task: Dict[str, Any]) -> str:
    meta = task.get("meta") or {}
    if meta.get("id"):
        return str(meta["id"])
    if meta.get("source"):
        return f"{meta['source']}" + (f":{meta['line']}" if meta.get("line") else "")
    return task_key(task)[:12]


def _reason(kind: str, span: Tuple[int, int, str], others: Iterable[Dict[str, Any]], text: str) -> str:
    start, end, label = span
    other_side = "model" if kind == "fn" else "gold"
    overlapping = [s for s in others if s["start"] < end and start < s["end"]]
    for other in overlapping:
        if (other["start"], other["end"]) == (start, end):
            return f"wrong label: {other_side} says {other['label']}"
    for other in overlapping:
        if other["label"] == label:
            return f"wrong boundary: {other_side} has {text[other['start']:other['end']]!r}"
    if overlapping:
        other = overlapping[0]
        return f"overlaps {other_side} {other['label']} {text[other['start']:other['end']]!r}"
    return "missed by the model" if kind == "fn" else "not in gold"


def find_errors(gold_tasks: Iterable[Dict[str, Any]], pred_tasks: Iterable[Dict[str, Any]]) -> List[SpanError]:
    """Every false negative and false positive, document by document, with a reason for each."""
    errors = []
    for gold, pred in _compared_pairs(gold_tasks, pred_tasks, True):
        spans_gold, spans_pred = span_set(gold), span_set(pred)
        for kind, mine, theirs, other_spans in (
            ("fn", spans_gold, spans_pred, pred.get("spans") or []),
            ("fp", spans_pred, spans_gold, gold.get("spans") or []),
        ):
            for span in sorted(mine - theirs):
                errors.append(SpanError(kind, span[2], span[0], span[1], gold, pred, _reason(kind, span, other_spans, gold["text"])))
    return errors


def _window(text: str, spans: Sequence[Dict[str, Any]], start: int, end: int) -> Tuple[int, int]:
    lo, hi = max(0, start - CONTEXT_CHARS), min(len(text), end + CONTEXT_CHARS)
    while lo > 0 and not text[lo - 1].isspace():
        lo -= 1
    while hi < len(text) and not text[hi].isspace():
        hi += 1
    for span in spans:  # never cut a span in two
        if span["start"] < lo < span["end"]:
            lo = span["start"]
        if span["start"] < hi < span["end"]:
            hi = span["end"]
    return lo, hi


def _render_window(text: str, spans: Sequence[Dict[str, Any]], lo: int, hi: int, colors: Dict[str, str]) -> str:
    from spacy import displacy

    snippet = text[lo:hi].replace("\n", " ")
    prefix, suffix = ("… " if lo > 0 else ""), (" …" if hi < len(text) else "")
    ents = [
        {"start": s["start"] - lo + len(prefix), "end": s["end"] - lo + len(prefix), "label": s["label"]}
        for s in sorted(spans, key=lambda s: s["start"])
        if lo <= s["start"] and s["end"] <= hi
    ]
    doc = {"text": prefix + snippet + suffix, "ents": ents, "title": None}
    return displacy.render(doc, style="ent", manual=True, page=False, jupyter=False, options={"colors": colors})


REPORT_CSS = """
body { font-family: system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; margin: 2rem auto; max-width: 70rem; color: #1f2328; padding: 0 1rem; }
h1 { font-size: 1.6rem; margin-bottom: .25rem; } h2 { margin-top: 2.5rem; border-bottom: 2px solid #d0d7de; padding-bottom: .3rem; }
h3 { margin: 1.5rem 0 .5rem; font-size: 1.05rem; color: #57606a; }
.muted { color: #57606a; } code { background: #f6f8fa; padding: 0 .25em; border-radius: 3px; }
table { border-collapse: collapse; margin: 1rem 0; } th, td { padding: .35rem .8rem; border-bottom: 1px solid #d0d7de; text-align: right; }
th:first-child, td:first-child { text-align: left; } tr.all td { font-weight: 600; border-top: 2px solid #8c959f; }
.swatch { display: inline-block; width: .8em; height: .8em; border-radius: 2px; margin-right: .4em; vertical-align: -1px; }
.err { border: 1px solid #d0d7de; border-radius: 6px; margin: .75rem 0; padding: .5rem .9rem; }
.err .head { font-size: .85rem; color: #57606a; margin-bottom: .2rem; } .err .head b { color: #1f2328; }
.row { display: flex; gap: .75rem; align-items: baseline; } .row .side { flex: 0 0 3.5rem; font-size: .75rem; text-transform: uppercase; color: #57606a; }
.row .entities { line-height: 2.3 !important; padding: 0 !important; }
nav a { margin-right: .8rem; }
"""


def build_report(
    gold_tasks: Sequence[Dict[str, Any]],
    pred_tasks: Sequence[Dict[str, Any]],
    *,
    gold_name: str = "gold",
    pred_name: str = "predicted",
    limit: int = 0,
) -> Tuple[str, Scores]:
    """A self-contained HTML error analysis: per-label scores, then the false negatives and positives per label.

    Each error shows its context twice, as gold has it and as the model has
    it, rendered with displaCy (``style="ent"``, ``manual=True``).

    gold_tasks (Sequence[dict]): the reference tasks.
    pred_tasks (Sequence[dict]): the predicted tasks.
    gold_name (str): what to call the gold file. Default "gold".
    pred_name (str): what to call the predicted file. Default "predicted".
    limit (int): at most this many examples per label and kind; 0 means all.
    RETURNS (Tuple[str, Scores]): the HTML page and the scores (``span_agreement``).
    """
    scores = span_agreement(gold_tasks, pred_tasks)
    errors = find_errors(gold_tasks, pred_tasks)
    compared = len(_compared_pairs(gold_tasks, pred_tasks, True))
    labels = _ordered_labels(list(scores) + [e.label for e in errors])
    colors = {label: LABEL_COLORS.get(label, "#dddddd") for label in labels}
    esc = html.escape
    out = [
        "<!DOCTYPE html>",
        '<html lang="nl"><head><meta charset="utf-8">',
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        f"<title>Error report: {esc(pred_name)} against {esc(gold_name)}</title>",
        f"<style>{REPORT_CSS}</style></head><body>",
        "<h1>Error report</h1>",
        f'<p class="muted">Predictions <code>{esc(pred_name)}</code> scored against <code>{esc(gold_name)}</code>: '
        f"{compared} document(s) in both, span-level exact match (start, end and label).</p>",
        "<nav>" + "".join(f'<a href="#label-{esc(label)}">{esc(label)}</a>' for label in labels) + "</nav>",
        "<table><thead><tr><th>label</th><th>gold</th><th>predicted</th><th>TP</th><th>FP</th><th>FN</th>"
        "<th>precision</th><th>recall</th><th>F1</th></tr></thead><tbody>",
    ]

    def score_row(name: str, s: Dict[str, Union[int, float]], css: str = "") -> str:
        swatch = f'<span class="swatch" style="background:{colors[name]}"></span>' if name in colors else ""
        return (
            f'<tr class="{css}"><td>{swatch}{esc(name)}</td><td>{s["tp"] + s["fn"]}</td><td>{s["tp"] + s["fp"]}</td>'
            f'<td>{s["tp"]}</td><td>{s["fp"]}</td><td>{s["fn"]}</td>'
            f'<td>{s["p"]:.3f}</td><td>{s["r"]:.3f}</td><td>{s["f"]:.3f}</td></tr>'
        )

    out.extend(score_row(label, scores[label]) for label in labels if label in scores)
    out.append(score_row("all labels (micro)", micro_average(scores), "all"))
    out.append("</tbody></table>")
    for label in labels:
        out.append(f'<h2 id="label-{esc(label)}"><span class="swatch" style="background:{colors[label]}"></span>{esc(label)}</h2>')
        for kind, title in (("fn", "False negatives (in gold, not predicted)"), ("fp", "False positives (predicted, not in gold)")):
            found = [e for e in errors if e.label == label and e.kind == kind]
            out.append(f"<h3>{title}: {len(found)}</h3>")
            if not found:
                out.append('<p class="muted">None.</p>')
            for error in found[: limit or None]:
                text = error.task_gold["text"]
                gold_spans, pred_spans = error.task_gold.get("spans") or [], error.task_pred.get("spans") or []
                lo, hi = _window(text, list(gold_spans) + list(pred_spans), error.start, error.end)
                out.append(
                    f'<div class="err"><div class="head"><b>{esc(text[error.start:error.end])!s}</b> '
                    f"({error.start}-{error.end}) · {esc(error.reason)} · {esc(_doc_name(error.task_gold))}</div>"
                    f'<div class="row"><span class="side">gold</span>{_render_window(text, gold_spans, lo, hi, colors)}</div>'
                    f'<div class="row"><span class="side">model</span>{_render_window(text, pred_spans, lo, hi, colors)}</div></div>'
                )
            if limit and len(found) > limit:
                out.append(f'<p class="muted">… and {len(found) - limit} more (raise --limit to see them).</p>')
    out.append("</body></html>\n")
    return "\n".join(out), scores


def write_report(
    gold_path: Union[Path, str], pred_path: Union[Path, str], output_path: Union[Path, str], *, limit: int = 0
) -> Scores:
    """Read gold and predicted JSONL, and write the HTML error report atomically.

    RETURNS (Scores): the per-label scores (``span_agreement``).
    """
    gold, pred = _read_scored(gold_path), _read_scored(pred_path)
    page, scores = build_report(gold, pred, gold_name=str(gold_path), pred_name=str(pred_path), limit=limit)
    write_text_atomic(output_path, page)
    return scores


def _read_scored(path: Union[Path, str]) -> List[Dict[str, Any]]:
    tasks = []
    for line, task in read_tasks(path):
        if not isinstance(task, dict) or not isinstance(task.get("text"), str):
            raise InputError(path, line, Messages.E002)
        for span in task.get("spans") or []:
            if not isinstance(span, dict) or not isinstance(span.get("start"), int) or not isinstance(span.get("end"), int) or "label" not in span:
                raise InputError(path, line, Messages.E011.format(span=span))
        tasks.append(task)
    return tasks

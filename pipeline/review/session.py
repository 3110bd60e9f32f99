"""A review session: the documents under review and the append-only log of decisions.

See the package's docstring for the log's format (``_review`` lines, undo).
"""
from __future__ import annotations

import getpass
import os
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Dict, List, Optional, Sequence, Tuple, Union

from spacy.language import Language

from ..errors import InputError, Messages
from ..files import json_line
from ..guidelines import LABELS
from ..scoring import Scores, micro_average
from ..tasks import (
    ANSWERS,
    SPAN_CORE_KEYS,
    VIEW_ID,
    doc_from_tokens,
    doc_of_tokens,
    read_tasks,
    require_text,
    set_hashes,
    span_to_dict,
    task_hash,
    tokens_of,
)
from ..validate import has_offsets
from .kb import load_kb, search_kb

LABEL_COLORS = {
    "PERSON": "#aa9cfc",
    "ORG": "#7aecec",
    "LOC": "#ff9561",
    "DATE": "#bfe1d9",
    "TRIAL": "#feca74",
}
LINK_FIELDS = ("kb_id", "canonical", "cyrillic", "kb_type", "candidates", "confidence")
STATUS_NEW, STATUS_DRAFT, STATUS_DONE = "new", "draft", "done"


# --- preparing tasks ---------------------------------------------------------------------


def prepare_task(nlp: Language, task: Any, *, source: str = "<task>", line: Optional[int] = None) -> Dict[str, Any]:
    """A copy of a task ready for review: tokens, hashes, and spans snapped to tokens.

    nlp (Language): tokenizes tasks without ``tokens`` (``make_blank_dutch()``).
    task (dict): the Prodigy task.
    source (str): the file, for error messages.
    line (int | None): the line, for error messages.
    RETURNS (dict): the task. Raises InputError when it has no text or a span is off the tokens.
    """
    require_text(task, source, line)
    task = dict(task)
    text = task["text"]
    if task.get("tokens"):
        doc = doc_from_tokens(nlp, text, task["tokens"], source, line)
    else:
        doc = nlp.make_doc(text)
    task["tokens"] = tokens_of(doc)
    spans = []
    for span in task.get("spans") or []:
        if not has_offsets(span):
            raise InputError(source, line, Messages.E011.format(span=span))
        ent = doc.char_span(span["start"], span["end"], alignment_mode="expand")
        if ent is None or not len(ent):
            raise InputError(source, line, Messages.E004.format(start=span["start"], end=span["end"], length=len(text)))
        spans.append(snapped(span, text, ent.start, ent.end - 1, ent.start_char, ent.end_char))
    task["spans"] = sorted(spans, key=lambda s: s["start"])
    set_hashes(task)
    task.setdefault("meta", {})
    return task


def snapped(span: Dict[str, Any], text: str, token_start: int, token_end: int, start: int, end: int) -> Dict[str, Any]:
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
    docs = (doc_of_tokens(model.vocab, task["tokens"]) for task in todo)
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
        out.append(snapped(span, text, ts, te, tokens[ts]["start"], tokens[te]["end"]))
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
        raise InputError(path, None, Messages.E025.format(what="review"))
    if model is not None:
        pretag_tasks(model, docs)
    return ReviewSession(
        docs,
        Path(output_path) if output_path else default_output_path(path),
        annotator=annotator or default_annotator(),
        source_name=str(path),
        kb=load_kb() if kb is None else kb,
    )

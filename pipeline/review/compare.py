"""Compare mode: two annotations of the same documents side by side, starting from what both agree on."""
from __future__ import annotations

import json
from pathlib import Path
from typing import Any, Dict, List, Optional, Sequence, Tuple, Union

from spacy.language import Language

from ..errors import InputError, Messages
from ..files import write_text_atomic
from ..scoring import compared_pairs, micro_average, span_agreement, span_set
from ..tasks import doc_of_tokens, task_hash, text_hash
from .kb import load_kb
from .session import ReviewSession, default_annotator, default_output_path, read_review_tasks, snapped


def compare_docs(
    nlp: Language, tasks_a: Sequence[Dict[str, Any]], tasks_b: Sequence[Dict[str, Any]]
) -> Tuple[List[Dict[str, Any]], List[Tuple[Optional[List[Dict[str, Any]]], Optional[List[Dict[str, Any]]]]]]:
    """Documents for compare mode: A's documents then B's others, each starting from the spans both agree on.

    B's spans are put on A's tokens (by character offsets). Where only one
    side has a document, it starts from that side's spans.
    RETURNS (Tuple[list, list]): the prepared tasks, and per task the spans of A and of B.
    """
    by_key_b = {text_hash(task["text"]): task for task in tasks_b}
    docs: List[Dict[str, Any]] = []
    sides: List[Tuple[Optional[List[Dict[str, Any]]], Optional[List[Dict[str, Any]]]]] = []
    seen = set()
    for task_a in tasks_a:
        key = text_hash(task_a["text"])
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
        key = text_hash(task_b["text"])
        if key not in seen:
            seen.add(key)
            docs.append(dict(task_b))
            sides.append((None, list(task_b["spans"])))
    return docs, sides


def _respan(nlp: Language, base: Dict[str, Any], spans: Sequence[Dict[str, Any]]) -> List[Dict[str, Any]]:
    doc = doc_of_tokens(nlp.vocab, base["tokens"])
    out = []
    for span in spans:
        ent = doc.char_span(span["start"], span["end"], alignment_mode="expand")
        if ent is not None and len(ent):
            out.append(snapped(span, base["text"], ent.start, ent.end - 1, ent.start_char, ent.end_char))
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
        raise InputError(path_a, None, Messages.E025.format(what="compare"))
    docs, sides = compare_docs(nlp, tasks_a, tasks_b)
    output = Path(output_path) if output_path else default_output_path(path_a, "merged")
    agreement = span_agreement(tasks_a, tasks_b)
    write_text_atomic(
        agreement_path(output),
        json.dumps(
            {"a": str(path_a), "b": str(path_b), "documents_compared": len(compared_pairs(tasks_a, tasks_b, True)),
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

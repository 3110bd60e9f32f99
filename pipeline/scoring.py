"""Span scores, as ``spacy/scorer.py`` keeps them: P/R/F, exact-span counts, agreement, error classes, tables.

Every score in the project is exact-span (start, end and label equal)
precision, recall and F1 over task pairs (reference, other):

- ``span_scores``: a model against gold, documents matched by
  ``tasks.document_key`` (a document missing on one side counts its spans
  as missed or spurious), fixed labels and ``ALL``;
- ``span_agreement``: one annotator against another (or gold against a
  review log), documents matched by text (the latest task per text wins),
  only documents both sides have, labels as found;
- ``find_errors``: every false positive and negative of such a pair, with
  its error class (wrong label, wrong boundary, overlap, missed, spurious);
- ``format_scores_table`` / ``scores_markdown`` / ``counts_table``: the
  tables the CLI and the model card print.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Dict, Iterable, List, Optional, Sequence, Set, Tuple, Union

from .guidelines import LABELS
from .tasks import document_key, is_accepted, text_hash

Scores = Dict[str, Dict[str, Union[int, float]]]
SpanTriple = Tuple[int, int, str]
TaskPair = Tuple[Optional[Dict[str, Any]], Optional[Dict[str, Any]]]


# --- counts and P/R/F ------------------------------------------------------------------


def prf(tp: int, fp: int, fn: int) -> Dict[str, Any]:
    """Precision, recall and F1 from counts."""
    p = tp / (tp + fp) if tp + fp else 0.0
    r = tp / (tp + fn) if tp + fn else 0.0
    f = 2 * p * r / (p + r) if p + r else 0.0
    return {"p": p, "r": r, "f": f, "tp": tp, "fp": fp, "fn": fn}


def span_set(task: Optional[Dict[str, Any]]) -> Set[SpanTriple]:
    """A task's spans as (start, end, label) triples."""
    return {(s["start"], s["end"], s["label"]) for s in (task or {}).get("spans") or []}


def span_counts(pairs: Iterable[TaskPair]) -> Dict[str, List[int]]:
    """[tp, fp, fn] per label over (reference, other) task pairs; either side may be None."""
    counts: Dict[str, List[int]] = {}
    for reference, other in pairs:
        gold, guess = span_set(reference), span_set(other)
        for kind, spans in ((0, gold & guess), (1, guess - gold), (2, gold - guess)):
            for _, _, label in spans:
                counts.setdefault(label, [0, 0, 0])[kind] += 1
    return counts


def micro_average(scores: Scores) -> Dict[str, Any]:
    """Micro-averaged {"p", "r", "f", "tp", "fp", "fn"} over per-label scores."""
    return prf(*(sum(int(s[key]) for s in scores.values()) for key in ("tp", "fp", "fn")))


def ordered_labels(labels: Iterable[str]) -> List[str]:
    """Labels in the guidelines' order, then any others alphabetically."""
    found = set(labels)
    return [label for label in LABELS if label in found] + sorted(found - set(LABELS))


# --- a model against gold ----------------------------------------------------------------


def span_scores(
    reference: Iterable[Dict[str, Any]], predicted: Iterable[Dict[str, Any]], *, labels: Sequence[str] = LABELS
) -> Dict[str, Dict[str, Any]]:
    """Exact-span precision, recall and F1 per label, and over all labels (key ``ALL``).

    Documents are matched by ``document_key``; a document missing from ``predicted``
    counts all its reference spans as missed. The same function measures a
    model against gold and one annotator against another.

    RETURNS (Dict[str, Dict[str, float]]): {label: {"p", "r", "f", "tp", "fp", "fn"}}.
    """
    ref = {document_key(t): t for t in reference if is_accepted(t)}
    pred = {document_key(t): t for t in predicted if is_accepted(t)}
    counts = span_counts((ref.get(key), pred.get(key)) for key in ref.keys() | pred.keys())
    scores = {label: prf(*counts.get(label, (0, 0, 0))) for label in labels}
    scores["ALL"] = prf(*(sum(c[i] for label, c in counts.items() if label in labels) for i in range(3)))
    return scores


# --- one annotation against another --------------------------------------------------------


def latest_tasks(tasks: Iterable[Dict[str, Any]]) -> Dict[str, Dict[str, Any]]:
    """The last task per document (by text), in first-seen order: a review log's final state."""
    latest: Dict[str, Dict[str, Any]] = {}
    for task in tasks:
        if isinstance(task, dict) and isinstance(task.get("text"), str):
            latest[text_hash(task["text"])] = task
    return latest


def compared_pairs(
    tasks_a: Iterable[Dict[str, Any]], tasks_b: Iterable[Dict[str, Any]], accepted_only: bool = True
) -> List[Tuple[Dict[str, Any], Dict[str, Any]]]:
    """(A, B) for every document (by text) both sides have, the latest task of each."""

    def usable(task: Dict[str, Any]) -> bool:
        return not accepted_only or is_accepted(task)

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
    counts = span_counts(compared_pairs(tasks_a, tasks_b, accepted_only))
    return {label: prf(*counts[label]) for label in ordered_labels(counts)}


# --- error classes ----------------------------------------------------------------------------


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


def error_class(kind: str, span: SpanTriple, others: Iterable[Dict[str, Any]], text: str) -> str:
    """Why a span is an error: wrong label, wrong boundary, an overlap, or missed / not in gold."""
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
    for gold, pred in compared_pairs(gold_tasks, pred_tasks, True):
        spans_gold, spans_pred = span_set(gold), span_set(pred)
        for kind, mine, theirs, other_spans in (
            ("fn", spans_gold, spans_pred, pred.get("spans") or []),
            ("fp", spans_pred, spans_gold, gold.get("spans") or []),
        ):
            for span in sorted(mine - theirs):
                reason = error_class(kind, span, other_spans, gold["text"])
                errors.append(SpanError(kind, span[2], span[0], span[1], gold, pred, reason))
    return errors


# --- tables ----------------------------------------------------------------------------------


def format_scores_table(scores: Dict[str, Dict[str, Any]]) -> str:
    """A plain-text table of per-label scores."""
    rows = [f"{'label':<8} {'P':>6} {'R':>6} {'F1':>6} {'TP':>5} {'FP':>5} {'FN':>5}"]
    for label, s in scores.items():
        rows.append(f"{label:<8} {s['p']:>6.3f} {s['r']:>6.3f} {s['f']:>6.3f} {s['tp']:>5} {s['fp']:>5} {s['fn']:>5}")
    return "\n".join(rows)


def scores_markdown(scores: Dict[str, Dict[str, Any]]) -> List[str]:
    """The per-label scores as a Markdown table (the model card's)."""
    rows = ["| label | P | R | F1 | TP | FP | FN |", "|---|---|---|---|---|---|---|"]
    for label, s in scores.items():
        rows.append(f"| {label} | {s['p']:.3f} | {s['r']:.3f} | {s['f']:.3f} | {s['tp']} | {s['fp']} | {s['fn']} |")
    return rows


def counts_table(counts: Dict[str, Dict[str, int]], *, markdown: bool = False, key: str = "split") -> List[str]:
    """Documents, tokens and entities per label, one row per split or per split and source (``corpus.corpus_counts``)."""
    if markdown:
        rows = [f"| {key} | documents | tokens | " + " | ".join(LABELS) + " |", "|---" * (len(LABELS) + 3) + "|"]
        for split, c in counts.items():
            cells = [split, str(c.get("documents", 0)), str(c.get("tokens", 0))] + [str(c.get(label, 0)) for label in LABELS]
            rows.append("| " + " | ".join(cells) + " |")
        return rows
    width = max([8, len(key)] + [len(split) for split in counts])
    rows = [f"{key:<{width}} {'docs':>5} {'tokens':>7} " + " ".join(f"{label:>6}" for label in LABELS)]
    for split, c in counts.items():
        rows.append(f"{split:<{width}} {c.get('documents', 0):>5} {c.get('tokens', 0):>7} " + " ".join(f"{c.get(label, 0):>6}" for label in LABELS))
    return rows

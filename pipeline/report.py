"""``terreur report``: a static HTML error analysis of predictions against gold.

Per-label scores (``scoring.span_agreement``), then every false negative
and positive per label with its error class (``scoring.find_errors``),
rendered in context with displaCy.
"""
from __future__ import annotations

import html
from pathlib import Path
from typing import Any, Dict, List, Sequence, Tuple, Union

from .errors import InputError, Messages
from .files import write_text_atomic
from .review.session import LABEL_COLORS
from .scoring import Scores, compared_pairs, find_errors, micro_average, ordered_labels, span_agreement
from .tasks import document_name, read_tasks, require_text, text_hash
from .validate import has_offsets

CONTEXT_CHARS = 90


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
    compared = len(compared_pairs(gold_tasks, pred_tasks, True))
    labels = ordered_labels(list(scores) + [e.label for e in errors])
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
                    f"({error.start}-{error.end}) · {esc(error.reason)} · {esc(document_name(error.task_gold, text_hash(error.task_gold['text'])[:12]))}</div>"
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
        require_text(task, str(path), line)
        for span in task.get("spans") or []:
            if not has_offsets(span) or "label" not in span:
                raise InputError(path, line, Messages.E011.format(span=span))
        tasks.append(task)
    return tasks

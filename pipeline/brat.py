"""BRAT stand-off annotations (``.txt`` + ``.ann``) → tasks, with a label policy.

Written for the UnSilence VOC testaments (CC BY 4.0), whose typology keeps
the *name* of an entity (``ProperName``) apart from the *kind* of mention
(``Person``, ``Place``, ``Organization``, which also cover unnamed mentions
such as ``slaaf``). The guidelines annotate names only, so a span here is a
``ProperName`` and takes its label from the kind-of-mention span that
contains it most tightly; a name that no kind contains (or two kinds of the same
extent contain) is left
unannotated, and its tokens count as unknown in training, not as "no entity".
"""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any, Dict, Iterator, List, Optional, Sequence, Tuple

from .errors import InputError, Messages

UNSILENCE_KINDS = {"Person": "PERSON", "Place": "LOC", "Organization": "ORG"}


@dataclass(frozen=True)
class BratSpan:
    """One text-bound (``T``) annotation; discontinuous fragments are joined end to end."""

    type: str
    start: int
    end: int
    line: int


def read_ann(path: Path) -> List[BratSpan]:
    """The text-bound annotations of an ``.ann`` file (attributes, relations and notes are not needed)."""
    spans = []
    for number, raw in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        if not raw.startswith("T"):
            continue
        parts = raw.split("\t")
        if len(parts) < 2:
            raise InputError(path, number, Messages.E033)
        kind, _, offsets = parts[1].partition(" ")
        try:
            pairs = [tuple(int(x) for x in piece.split()) for piece in offsets.split(";")]
            start, end = min(p[0] for p in pairs), max(p[1] for p in pairs)
        except (ValueError, IndexError):
            raise InputError(path, number, Messages.E034.format(offsets=offsets)) from None
        spans.append(BratSpan(kind, start, end, number))
    return spans


def name_spans(spans: Sequence[BratSpan], *, name_type: str = "ProperName", kinds: Dict[str, str] = UNSILENCE_KINDS) -> Tuple[List[Tuple[int, int, str]], List[Tuple[int, int]]]:
    """Labelled name spans, and the names whose kind is unknown (to be marked missing)."""
    labelled, unknown = [], []
    containers = [s for s in spans if s.type in kinds]
    for name in (s for s in spans if s.type == name_type):
        around = [c for c in containers if c.start <= name.start and name.end <= c.end]
        # the tightest kind decides: "Batavia" in "Jan van Batavia" is the Place, not the Person
        tightest = min((c.end - c.start for c in around), default=0)
        labels = {kinds[c.type] for c in around if c.end - c.start == tightest}
        if len(labels) == 1:
            labelled.append((name.start, name.end, labels.pop()))
        else:
            unknown.append((name.start, name.end))
    return _drop_overlaps(labelled), unknown


def _drop_overlaps(spans: List[Tuple[int, int, str]]) -> List[Tuple[int, int, str]]:
    # nested names (a place inside a person's name) → the longest, as the guidelines keep one span
    kept: List[Tuple[int, int, str]] = []
    for span in sorted(spans, key=lambda s: (s[0], -(s[1] - s[0]))):
        if not kept or span[0] >= kept[-1][1]:
            kept.append(span)
    return kept


def brat_to_task(txt_path: Path, *, meta: Optional[Dict[str, Any]] = None) -> Dict[str, Any]:
    """One task from ``NAME.txt`` and ``NAME.ann``; ``meta.unknown_spans`` lists names with no kind."""
    text = txt_path.read_text(encoding="utf-8")
    ann_path = txt_path.with_suffix(".ann")
    labelled, unknown = name_spans(read_ann(ann_path)) if ann_path.exists() else ([], [])
    spans = []
    for start, end, label in labelled:
        start, end = _strip(text, start, end)
        if start < end:
            spans.append({"start": start, "end": end, "label": label})
    task_meta = {**(meta or {}), "source": str(txt_path), "unknown_spans": [list(u) for u in unknown]}
    return {"text": text, "meta": task_meta, "spans": spans}


def _strip(text: str, start: int, end: int) -> Tuple[int, int]:
    while start < end and not text[start].isalnum():
        start += 1
    while end > start and not (text[end - 1].isalnum() or text[end - 1] == "."):
        end -= 1
    return start, end


def brat_dir_to_tasks(directory: Path, *, meta: Optional[Dict[str, Any]] = None) -> Iterator[Dict[str, Any]]:
    """Every ``.txt`` under ``directory`` (sorted, recursive) with its ``.ann``."""
    for txt_path in sorted(directory.rglob("*.txt")):
        yield brat_to_task(txt_path, meta=meta)

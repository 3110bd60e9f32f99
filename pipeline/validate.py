"""Validation of tasks: one validator, at two levels.

- ``check_light(task)``: what export relies on (a text, spans with integer
  offsets inside it, guidelines labels, span text that matches, no
  overlaps); the first problem, fast, no tokenizer.
- ``validate_task(nlp, task, ...)``: everything (the light checks, token
  boundaries, token indices, the guidelines' article rule, answers); every
  problem. ``validate_file`` runs it over a JSONL file and adds the
  cross-record check (one ``_input_hash`` with two annotations).

Messages come from the catalogue in ``errors.Messages``.
"""
from __future__ import annotations

import json
from functools import lru_cache
from pathlib import Path
from typing import Any, Dict, Iterator, List, Optional, Sequence, Tuple, Union

from spacy.language import Language
from spacy.tokens import Doc, Span

from .errors import InputError, Messages
from .guidelines import LABELS, starts_with_article
from .tasks import ANSWERS, doc_from_tokens, input_hash, misaligned_message


def is_int(value: Any) -> bool:
    """An int that is not a bool (JSON ``true`` is not an offset)."""
    return isinstance(value, int) and not isinstance(value, bool)


def has_offsets(span: Any) -> bool:
    """Whether a span is an object with integer ``start`` and ``end``."""
    return isinstance(span, dict) and is_int(span.get("start")) and is_int(span.get("end"))


def span_sort_key(span: Any) -> Tuple[int, int]:
    """Sort spans by offsets; malformed spans sort first, so they are reported."""
    if has_offsets(span):
        return (span["start"], span["end"])
    return (-1, -1)


def record_problem(task: Any) -> Optional[str]:
    """The problem that makes a record no task at all (not an object, no text, text not a string), or None."""
    if not isinstance(task, dict):
        return Messages.E017.format(type=type(task).__name__)
    if "text" not in task:
        return Messages.E002
    if not isinstance(task["text"], str):
        return Messages.E003.format(type=type(task["text"]).__name__)
    return None


def overlap_message(text: str, first: Tuple[int, int], second: Tuple[int, int]) -> str:
    (s1, e1), (s2, e2) = first, second
    return Messages.E006.format(start=s2, end=e2, text=text[s2:e2], ostart=s1, oend=e1, otext=text[s1:e1])


# --- the light level ------------------------------------------------------------------


def check_light(task: Any, labels: Sequence[str] = LABELS) -> Optional[str]:
    """The first problem that would make a task's rows wrong, or None.

    Checks what the export relies on: a text, a list of spans with integer
    offsets inside it, a guidelines label, span text that matches the text,
    no overlaps. Token boundaries are the strict level's.

    task (Any): the parsed JSON value of one line.
    RETURNS (str | None): the reason, in the catalogue's words.
    """
    problem = record_problem(task)
    if problem is not None:
        return problem
    text = task["text"]
    if not text.strip():
        return Messages.E015
    spans = task.get("spans") or []
    if not isinstance(spans, list):
        return Messages.E022.format(type=type(spans).__name__)
    previous: Optional[Tuple[int, int]] = None
    for span in sorted(spans, key=span_sort_key):
        if not has_offsets(span):
            return Messages.E011.format(span=span)
        start, end, label = span["start"], span["end"], span.get("label")
        if start < 0 or end > len(text) or start >= end:
            return Messages.E004.format(start=start, end=end, length=len(text))
        if label not in labels:
            return Messages.E007.format(label=label, labels=", ".join(labels))
        if "text" in span and span["text"] != text[start:end]:
            return Messages.E009.format(start=start, end=end, given=span["text"], actual=text[start:end])
        if previous is not None and start < previous[1]:
            return overlap_message(text, previous, (start, end))
        previous = (start, end)
    return None


# --- the strict level -------------------------------------------------------------------


def _starts_with_article(span: Span, label: str) -> bool:
    return len(span) >= 2 and starts_with_article(span[0].text, span[1].text, label)


def validate_task(nlp: Language, task: Any, *, source: str, line: Optional[int], labels: Sequence[str] = LABELS) -> List[InputError]:
    """Every problem with one task, as InputErrors; an empty list means the task is valid."""
    problems: List[InputError] = []

    def report(reason: str) -> None:
        problems.append(InputError(source, line, reason))

    problem = record_problem(task)
    if problem is not None:
        report(problem)
        return problems
    text = task["text"]
    if task.get("answer", "accept") not in ANSWERS:
        report(Messages.E016.format(answer=task.get("answer")))
    doc = None
    if task.get("tokens"):
        try:
            doc = doc_from_tokens(nlp, text, task["tokens"], source, line)
        except (InputError, KeyError, TypeError) as err:
            report(err.reason if isinstance(err, InputError) else Messages.E031.format(detail=err))
    if doc is None:
        doc = nlp.make_doc(text)
    good: List[Tuple[int, int, str]] = []
    for span in task.get("spans") or []:
        problems.extend(InputError(source, line, r) for r in _span_problems(doc, span, labels))
        if has_offsets(span):
            good.append((span["start"], span["end"], str(span.get("label"))))
    good.sort()
    for (s1, e1, _), (s2, e2, _) in zip(good, good[1:]):
        if s2 < e1:
            report(overlap_message(text, (s1, e1), (s2, e2)))
    return problems


def _span_problems(doc: Doc, span: Any, labels: Sequence[str]) -> Iterator[str]:
    text = doc.text
    if not has_offsets(span):
        yield Messages.E011.format(span=span)
        return
    start, end, label = span["start"], span["end"], span.get("label")
    if label not in labels:
        yield Messages.E007.format(label=label, labels=", ".join(labels))
    if start < 0 or end > len(text) or start >= end:
        yield Messages.E004.format(start=start, end=end, length=len(text))
        return
    if "text" in span and span["text"] != text[start:end]:
        yield Messages.E009.format(start=start, end=end, given=span["text"], actual=text[start:end])
    if text[start].isspace() or text[end - 1].isspace():
        yield Messages.E020.format(start=start, end=end, text=text[start:end])
    ent = doc.char_span(start, end)
    if ent is None:
        yield misaligned_message(doc, start, end, str(label))
    elif _starts_with_article(ent, str(label)):
        rest = ent[1:]
        yield Messages.E021.format(
            start=start, end=end, text=ent.text, article=ent[0].text, expected_start=rest.start_char,
            expected_end=rest.end_char, expected=rest.text,
        )
    ts, te = span.get("token_start"), span.get("token_end")
    if isinstance(ts, int) and isinstance(te, int) and te < ts:
        yield Messages.E008.format(start=start, end=end, token_start=ts, token_end=te)
    elif ent is not None and (ts, te) != (None, None) and (ts, te) != (ent.start, ent.end - 1):
        yield Messages.E012.format(
            start=start, end=end, token_start=ts, token_end=te, expected_start=ent.start, expected_end=ent.end - 1
        )


def validate_file(nlp: Language, path: Union[Path, str], *, labels: Sequence[str] = LABELS) -> Tuple[int, List[InputError]]:
    """Check every line of a Prodigy JSONL file and report every problem, never stopping at the first.

    RETURNS (Tuple[int, List[InputError]]): the number of records read and the problems found.
    """
    path = Path(path)
    if not path.exists():
        return 0, [InputError(path, None, Messages.E019)]
    problems: List[InputError] = []
    seen: Dict[int, Tuple[int, List[Tuple[Any, Any, str]]]] = {}
    count = 0
    with path.open(encoding="utf-8-sig") as f:
        for number, raw in enumerate(f, start=1):
            if not raw.strip():
                continue
            count += 1
            try:
                task = json.loads(raw)
            except json.JSONDecodeError as err:
                problems.append(InputError(path, number, Messages.E001.format(detail=f"{err.msg} at column {err.colno}")))
                continue
            problems.extend(validate_task(nlp, task, source=str(path), line=number, labels=labels))
            if not isinstance(task, dict) or not isinstance(task.get("text"), str) or task.get("answer", "accept") != "accept":
                continue
            key = task.get("_input_hash", input_hash(task))
            signature = sorted(
                (s.get("start"), s.get("end"), str(s.get("label"))) for s in task.get("spans") or [] if isinstance(s, dict)
            )
            if key in seen and seen[key][1] != signature:
                problems.append(InputError(path, number, Messages.E010.format(input_hash=key, other_line=seen[key][0])))
            seen.setdefault(key, (number, signature))
    return count, problems


@lru_cache(maxsize=1)
def _blank_nlp() -> Language:
    from .tokenizer import make_blank_dutch

    return make_blank_dutch()


def check_strict(task: Any, source: str, line: int) -> Optional[str]:
    """Every problem of the strict level, joined into one reason (then the light level's), or None."""
    problems = validate_task(_blank_nlp(), task, source=source, line=line)
    if problems:
        return "; ".join(problem.reason for problem in problems)
    return check_light(task)

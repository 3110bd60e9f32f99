"""IOB/BIO files (CoNLL, Europeana) → tasks, and tokenizing tasks that have no tokens.

OCR'd IOB tokens carry their punctuation (``Amsterdam,``) and the sources
put articles in names (``De Twentsche Courant``); both are trimmed to the
guidelines' spans (``guidelines.OCR_EDGE_PUNCT``, ``guidelines.starts_with_article``).
"""
from __future__ import annotations

import re
from typing import Any, Callable, Dict, Iterable, Iterator, List, Optional, Tuple

from spacy.language import Language

from .errors import InputError, Messages
from .guidelines import OCR_EDGE_PUNCT, starts_with_article
from .tasks import doc_to_task, misaligned_message, task_to_doc

IOB_LABELS = {"PER": "PERSON", "PERS": "PERSON", "PERSON": "PERSON", "LOC": "LOC", "ORG": "ORG", "DATE": "DATE", "TRIAL": "TRIAL", "MISC": None}
SENTENCE_END = {".", "!", "?"}


def _iob_rows(lines: Iterable[str], source: str) -> Iterator[Tuple[int, str, str]]:
    for number, raw in enumerate(lines, start=1):
        raw = raw.rstrip("\n")
        if not raw.strip() or raw.startswith("-DOCSTART-"):
            yield number, "", ""
            continue
        parts = raw.split()
        if len(parts) < 2:
            raise InputError(source, number, Messages.E024)
        word, tag = parts[0], parts[-1]
        if tag != "O" and not re.fullmatch(r"[BIES]-[A-Za-z_]+", tag):
            raise InputError(source, number, Messages.E018.format(tag=tag))
        yield number, word, tag


def iob_to_tasks(
    lines: Iterable[str],
    *,
    source: str,
    max_tokens: int = 250,
    meta: Optional[Dict[str, Any]] = None,
    label_map: Optional[Dict[str, Optional[str]]] = None,
) -> Iterator[Dict[str, Any]]:
    """Convert a one-token-per-line IOB/BIO file (CoNLL, Europeana) into tasks.

    Blank lines and ``-DOCSTART-`` end a document. Files without breaks
    (Europeana) are cut after the first sentence end past ``max_tokens``
    tokens. Labels map to the guidelines' (``PER`` → ``PERSON``; ``MISC`` is
    dropped); ``label_map`` adds a source's own tags (EHRI's ``CAMP`` → ``LOC``;
    a tag mapped to None, or unknown, is dropped like ``MISC``). Each task
    records the source lines it came from and the labels that were annotated,
    so training can treat the others as unknown.

    RETURNS (Iterator[Dict[str, Any]]): tasks without tokens (the tokenizer adds them).
    """
    labels = {**IOB_LABELS, **{tag.upper(): label for tag, label in (label_map or {}).items()}}
    chunk: List[Tuple[int, str, str]] = []
    for row in _iob_rows(lines, source):
        number, word, _ = row
        if not word:
            if chunk:
                yield _chunk_to_task(chunk, source, meta, labels)
                chunk = []
            continue
        chunk.append(row)
        if len(chunk) >= max_tokens and (_ends_sentence(word) or len(chunk) >= 4 * max_tokens):
            yield _chunk_to_task(chunk, source, meta, labels)
            chunk = []
    if chunk:
        yield _chunk_to_task(chunk, source, meta, labels)


def _ends_sentence(word: str) -> bool:
    # OCR'd IOB tokens keep their punctuation ("Amsterdam."); short ones are abbreviations ("St.", "geb.")
    return word in SENTENCE_END or (word[-1] in SENTENCE_END and len(word) > 4)


def _chunk_to_task(
    chunk: List[Tuple[int, str, str]], source: str, meta: Optional[Dict[str, Any]], labels: Dict[str, Optional[str]]
) -> Dict[str, Any]:
    text_parts: List[str] = []
    spans: List[List[Any]] = []
    offset, current = 0, None
    for _, word, tag in chunk:
        start, end = offset, offset + len(word)
        text_parts.append(word)
        offset = end + 1
        prefix, _, raw_label = tag.partition("-")
        label = labels.get(raw_label.upper()) if raw_label else None
        if prefix in ("B", "S") or (prefix == "I" and (current is None or current[2] != label)):
            if current:
                spans.append(current)
            current = [start, end, label] if label else None
        elif prefix in ("I", "E") and current is not None:
            current[1] = end
        else:
            if current:
                spans.append(current)
            current = None
    if current:
        spans.append(current)
    text = " ".join(text_parts)
    task_meta = dict(meta or {})
    task_meta.update({"source": source, "lines": [chunk[0][0], chunk[-1][0]]})
    task_spans: List[Dict[str, Any]] = []
    task = {"text": text, "meta": task_meta, "spans": task_spans}
    for start, end, label in spans:
        start, end = _trim_punct(text, start, end)
        if label in ("ORG", "LOC"):
            start = _skip_leading_article(text, start, end, label)
        if start < end:
            task_spans.append({"start": start, "end": end, "label": label})
    return task


def _trim_punct(text: str, start: int, end: int) -> Tuple[int, int]:
    # OCR'd IOB tokens carry their punctuation ("Amsterdam,"), which is never part of the name.
    while start < end and text[start] in OCR_EDGE_PUNCT and not _is_dutch_clitic(text, start):
        start += 1
    while end > start and text[end - 1] in OCR_EDGE_PUNCT and not _is_initial(text, start, end):
        end -= 1
    return start, end


def _skip_leading_article(text: str, start: int, end: int, label: str) -> int:
    # The guidelines leave the article out of a name ("De Twentsche Courant" →
    # "Twentsche Courant"); "De venter" (an OCR-split Deventer) keeps it.
    first, _, rest = text[start:end].partition(" ")
    if rest and starts_with_article(first, rest, label):
        return start + len(first) + 1
    return start


def _is_dutch_clitic(text: str, start: int) -> bool:
    # "'s Gravenhage", "'s-Hertogenbosch": the apostrophe belongs to the name
    return text[start] in "'’" and text[start + 1 : start + 2].lower() in ("s", "t") and text[start + 2 : start + 3] in (" ", "-")


def _is_initial(text: str, start: int, end: int) -> bool:
    # keep the dot of an initial or abbreviation ("N.I.", "Mr.")
    return text[end - 1] == "." and end - start >= 2 and text[end - 2].isalpha() and (end - start == 2 or text[end - 3] in ". ")


def tasks_with_tokens(
    nlp: Language,
    tasks: Iterable[Dict[str, Any]],
    *,
    source: str = "<tasks>",
    on_misaligned: Optional[Callable[[InputError], None]] = None,
) -> Iterator[Dict[str, Any]]:
    """Tokenize tasks and fill in token offsets.

    on_misaligned (Callable | None): without it, a span off token boundaries
        raises InputError. With it (for third-party IOB data, whose tokens
        are not ours), the span is shrunk to the tokens inside it (or dropped
        if none) and the problem is passed to the callback.
    """
    for number, task in enumerate(tasks, start=1):
        # IOB tasks know the line they started on; others are numbered as read
        line = ((task.get("meta") or {}).get("lines") or [number])[0]
        if on_misaligned is not None:
            task = _snap_spans(nlp, task, source, line, on_misaligned)
        doc = task_to_doc(nlp, task, source=source, line=line)
        yield doc_to_task(doc)


def _snap_spans(nlp: Language, task: Dict[str, Any], source: str, line: int, report: Callable[[InputError], None]) -> Dict[str, Any]:
    doc = nlp.make_doc(task["text"])
    spans = []
    for span in task.get("spans", []):
        if doc.char_span(span["start"], span["end"]) is not None:
            spans.append(span)
            continue
        outer = doc.char_span(span["start"], span["end"], alignment_mode="expand")
        if outer is not None and outer.text == task["text"][span["start"] : span["end"]] + ".":
            # an abbreviation's full stop that trimming put outside ("St.", "Co.")
            spans.append({**span, "end": outer.end_char})
            continue
        report(InputError(source, line, misaligned_message(doc, span["start"], span["end"], span["label"])))
        inner = doc.char_span(span["start"], span["end"], alignment_mode="contract")
        if inner is not None and len(inner):
            spans.append({**span, "start": inner.start_char, "end": inner.end_char})
    return {**task, "spans": spans}

"""Stage 3: Prodigy-compatible JSONL ⇄ spaCy ``Doc``/``DocBin``, IOB files, span checks.

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
"""
from __future__ import annotations

import json
import re
import time
from pathlib import Path
from typing import Any, Callable, Dict, Iterable, Iterator, List, Optional, Sequence, Tuple, Union

import murmurhash
import spacy
import srsly
from spacy.language import Language
from spacy.tokens import Doc, DocBin, Span
from spacy.training import Example

from . import LABELS
from .errors import InputError, Messages
from .ingest import iter_jsonl_lines

# Fields the normalize stage adds to an entity; convert carries them through
# without knowing what they mean, as Span extensions when they are registered.
SPAN_FIELDS = ("kb_id", "canonical", "cyrillic", "edtf", "confidence", "candidates", "kb_type")
SPAN_CORE_KEYS = ("start", "end", "token_start", "token_end", "label")
TASK_CORE_KEYS = ("text", "tokens", "spans")
INPUT_KEYS = ("text",)
VIEW_ID = "ner_manual"
# The guidelines' span rule: the name itself, no leading article.
LEADING_ARTICLES = {"de", "het", "een", "den", "der", "des", "'t", "’t"}
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


def doc_from_tokens(nlp: Language, text: str, tokens: Sequence[Dict[str, Any]], source: str, line: Optional[int]) -> Doc:
    """Rebuild a Doc from a task's own tokens, so spans align exactly as they were annotated."""
    words = [t["text"] for t in tokens]
    spaces = [bool(t.get("ws", False)) for t in tokens]
    doc = Doc(nlp.vocab, words=words, spaces=spaces)
    if doc.text != text:
        raise InputError(source, line, "the task's tokens do not spell out its text")
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
        raise InputError(source, line, f"overlapping spans: {err}")
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


def read_prodigy_jsonl(nlp: Language, path: Union[Path, str], *, accepted_only: bool = True) -> Iterator[Doc]:
    """Docs from a Prodigy JSONL file (rejected and ignored tasks are left out by default)."""
    for line, task in read_tasks(path):
        if accepted_only and task.get("answer", "accept") != "accept":
            continue
        if not isinstance(task, dict) or not isinstance(task.get("text"), str):
            raise InputError(path, line, Messages.E002)
        yield task_to_doc(nlp, task, source=str(path), line=line)


def docs_to_docbin(docs: Iterable[Doc]) -> DocBin:
    doc_bin = DocBin(store_user_data=True)
    for doc in docs:
        doc_bin.add(doc)
    return doc_bin


def docbin_to_tasks(nlp: Language, path: Union[Path, str]) -> Iterator[Dict[str, Any]]:
    for doc in DocBin().from_disk(path).get_docs(nlp.vocab):
        yield doc_to_task(doc)


# --- IOB / BIO -------------------------------------------------------------------

IOB_LABELS = {"PER": "PERSON", "PERS": "PERSON", "PERSON": "PERSON", "LOC": "LOC", "ORG": "ORG", "DATE": "DATE", "TRIAL": "TRIAL", "MISC": None}
SENTENCE_END = {".", "!", "?"}
EDGE_PUNCT = ".,;:!?\"'()[]{}«»„“”‘’`´-–—|¬*"


def _iob_rows(lines: Iterable[str], source: str) -> Iterator[Tuple[int, str, str]]:
    for number, raw in enumerate(lines, start=1):
        raw = raw.rstrip("\n")
        if not raw.strip() or raw.startswith("-DOCSTART-"):
            yield number, "", ""
            continue
        parts = raw.split()
        if len(parts) < 2:
            raise InputError(source, number, "expected a token and its IOB tag separated by whitespace")
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
    a tag mapped to None or left unknown is dropped, like ``MISC``). Each task
    records the source lines it came from and the labels that were annotated,
    so training can treat the others as unknown.

    RETURNS (Iterator[Dict[str, Any]]): tasks without tokens (the tokenizer adds them).
    """
    labels = {**IOB_LABELS, **{k.upper(): v for k, v in (label_map or {}).items()}}
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
    text_parts, spans = [], []
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
    task = {"text": text, "meta": task_meta, "spans": []}
    for start, end, label in spans:
        start, end = _trim_punct(text, start, end)
        if label in ("ORG", "LOC"):
            start = _skip_leading_article(text, start, end)
        if start < end:
            task["spans"].append({"start": start, "end": end, "label": label})
    return task


def _trim_punct(text: str, start: int, end: int) -> Tuple[int, int]:
    # OCR'd IOB tokens carry their punctuation ("Amsterdam,"), which is never part of the name.
    while start < end and text[start] in EDGE_PUNCT and not _is_dutch_clitic(text, start):
        start += 1
    while end > start and text[end - 1] in EDGE_PUNCT and not _is_initial(text, start, end):
        end -= 1
    return start, end


def _skip_leading_article(text: str, start: int, end: int) -> int:
    # The guidelines leave the article out of a name ("De Twentsche Courant" →
    # "Twentsche Courant"); "De venter" (an OCR-split Deventer) keeps it.
    first, _, rest = text[start:end].partition(" ")
    if first.lower() in LEADING_ARTICLES and rest[:1].isupper():
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


# --- the training reader --------------------------------------------------------

DATE_LIKE = re.compile(
    r"^(\d{1,4}(ste|de|e|sten)?|januari|februari|maart|april|mei|juni|juli|augustus|september|"
    r"oktober|october|november|december|jan|feb|febr|mrt|apr|aug|sep|sept|okt|oct|nov|dec|"
    r"maandag|dinsdag|woensdag|donderdag|vrijdag|zaterdag|zondag|lente|voorjaar|zomer|herfst|najaar|winter|"
    r"jaren|eeuw|begin|eind|midden|circa|ca|rond|omstreeks|tot|en|van|den|der|-|/)\.?$",
    re.IGNORECASE,
)


def doc_for_training(nlp: Language, task: Dict[str, Any], *, source: str, line: Optional[int]) -> Doc:
    """The reference Doc for training: tokens outside a partially annotated task's labels are missing.

    Europeana marks PER, LOC and ORG but not DATE or TRIAL: its "O" on a date
    word means "not looked at", not "not a date". Those tokens are set to
    missing (spaCy's "-" tag), so the model is not taught that dates are not
    entities. The same holds for names that a source marks without saying of
    which kind they are (``meta.unknown_spans``).
    """
    doc = task_to_doc(nlp, task, source=source, line=line)
    meta = task.get("meta") or {}
    annotated = set(meta.get("labels_annotated") or LABELS)
    unknown = {t.i for t in doc if not {"DATE", "TRIAL"} <= annotated and DATE_LIKE.match(t.text)}
    # names whose kind the source leaves open (a BRAT ProperName in no Person/Place/Organization)
    for start, end in meta.get("unknown_spans") or []:
        span = doc.char_span(start, end, alignment_mode="expand")
        unknown.update(t.i for t in span or [])
    missing = [Span(doc, i, i + 1) for i in sorted(unknown) if doc[i].ent_iob_ == "O"]
    if missing:
        doc.set_ents(list(doc.ents), missing=missing)
    return doc


class ProdigyJsonlCorpus:
    """Iterate over Examples from Prodigy JSONL files (a file or a directory of them).

    An extra corpus (Europeana's newspapers) can be mixed in at a fraction of
    its size: every k-th task, so runs are repeatable.
    """

    def __init__(
        self,
        path: Union[Path, str],
        *,
        limit: int = 0,
        accepted_only: bool = True,
        extra_path: Optional[Union[Path, str]] = None,
        extra_fraction: float = 1.0,
        augmenter: Optional[Callable[[Language, Example], Iterable[Example]]] = None,
    ) -> None:
        self.augmenter = augmenter
        self.paths = [_existing_path(path, "paths.train / paths.dev")]
        self.limit = limit
        self.accepted_only = accepted_only
        self.extra_path = _existing_path(extra_path, "paths.extra") if extra_path else None
        self.extra_fraction = extra_fraction

    def __call__(self, nlp: Language) -> Iterator[Example]:
        count = 0
        sources = [(p, 1.0) for p in self.paths]
        if self.extra_path is not None and self.extra_fraction > 0:
            sources.append((self.extra_path, self.extra_fraction))
        for path, fraction in sources:
            for file_path, line, task in self._tasks(path, fraction):
                reference = doc_for_training(nlp, task, source=str(file_path), line=line)
                example = Example(nlp.make_doc(reference.text), reference)
                yield from (self.augmenter(nlp, example) if self.augmenter else [example])
                count += 1
                if self.limit and count >= self.limit:
                    return

    def _tasks(self, path: Path, fraction: float) -> Iterator[Tuple[Path, int, Dict[str, Any]]]:
        step = max(1, round(1 / fraction)) if fraction < 1 else 1
        index = 0
        for file_path in _jsonl_files(path):
            for line, task in read_tasks(file_path):
                if self.accepted_only and task.get("answer", "accept") != "accept":
                    continue
                if index % step == 0:
                    yield file_path, line, task
                index += 1


def _existing_path(path: Optional[Union[Path, str]], setting: str) -> Path:
    if path is None:
        raise ValueError(f"the corpus path is not set: fill in {setting} in the config or pass it as an override")
    path = Path(path)
    if not path.exists():
        raise InputError(path, None, f"{Messages.E019} (set by {setting})")
    return path


def _jsonl_files(path: Path) -> List[Path]:
    if path.is_file():
        return [path]
    return sorted(p for p in path.rglob("*.jsonl") if not p.name.startswith("."))


@spacy.registry.readers("terreur.ProdigyJsonl.v1")
def create_prodigy_reader(
    path: Optional[Path],
    limit: int = 0,
    accepted_only: bool = True,
    extra_path: Optional[Path] = None,
    extra_fraction: float = 1.0,
    augmenter: Optional[Callable[[Language, Example], Iterable[Example]]] = None,
) -> Callable[[Language], Iterable[Example]]:
    """Registered reader: ``[corpora.train] @readers = "terreur.ProdigyJsonl.v1"``.

    path (Path): a JSONL file or a directory of them (read in sorted order).
    limit (int): stop after this many examples; 0 means no limit.
    accepted_only (bool): skip tasks whose answer is reject or ignore.
    extra_path (Path | None): a second corpus to mix in (e.g. Europeana).
    extra_fraction (float): the share of the extra corpus to use (every k-th task).
    augmenter (Callable | None): makes extra examples from each one, as in spaCy's own reader.
    """
    return ProdigyJsonlCorpus(
        path, limit=limit, accepted_only=accepted_only, extra_path=extra_path, extra_fraction=extra_fraction,
        augmenter=augmenter,
    )


# --- span-level agreement and scores ------------------------------------------------


def task_key(task: Dict[str, Any]) -> Any:
    """What identifies a document across files: its id, else its text's hash."""
    meta = task.get("meta") or {}
    return meta.get("id") or task.get("_input_hash") or input_hash(task)


def span_scores(
    reference: Iterable[Dict[str, Any]], predicted: Iterable[Dict[str, Any]], *, labels: Sequence[str] = LABELS
) -> Dict[str, Dict[str, float]]:
    """Exact-span precision, recall and F1 per label, and over all labels (key ``ALL``).

    Documents are matched by ``task_key``; a document missing from ``predicted``
    counts all its reference spans as missed. The same function measures a
    model against gold and one annotator against another.

    RETURNS (Dict[str, Dict[str, float]]): {label: {"p", "r", "f", "tp", "fp", "fn"}}.
    """
    ref = {task_key(t): t for t in reference if t.get("answer", "accept") == "accept"}
    pred = {task_key(t): t for t in predicted if t.get("answer", "accept") == "accept"}
    counts = span_counts((ref.get(key), pred.get(key)) for key in ref.keys() | pred.keys())
    scores = {label: prf(*counts.get(label, (0, 0, 0))) for label in labels}
    scores["ALL"] = prf(*(sum(c[i] for label, c in counts.items() if label in labels) for i in range(3)))
    return scores


def span_counts(pairs: Iterable[Tuple[Optional[Dict[str, Any]], Optional[Dict[str, Any]]]]) -> Dict[str, List[int]]:
    """[tp, fp, fn] per label over (reference, other) task pairs; either side may be None."""
    counts: Dict[str, List[int]] = {}
    for reference, other in pairs:
        gold, guess = span_set(reference), span_set(other)
        for kind, spans in ((0, gold & guess), (1, guess - gold), (2, gold - guess)):
            for _, _, label in spans:
                counts.setdefault(label, [0, 0, 0])[kind] += 1
    return counts


def span_set(task: Optional[Dict[str, Any]]) -> set:
    """A task's spans as (start, end, label) triples."""
    return {(s["start"], s["end"], s["label"]) for s in (task or {}).get("spans") or []}


def prf(tp: int, fp: int, fn: int) -> Dict[str, float]:
    """Precision, recall and F1 from counts."""
    p = tp / (tp + fp) if tp + fp else 0.0
    r = tp / (tp + fn) if tp + fn else 0.0
    f = 2 * p * r / (p + r) if p + r else 0.0
    return {"p": p, "r": r, "f": f, "tp": tp, "fp": fp, "fn": fn}


# --- validation --------------------------------------------------------------------


def _starts_with_article(span: Span, label: str) -> bool:
    if len(span) < 2 or span[0].lower_ not in LEADING_ARTICLES or label == "PERSON":
        # a person's "de" is part of the surname (Erik de Jonge, de Lesseps)
        return False
    if label == "LOC" and span[0].text[:1].isupper():
        # the fixed article of a place name is part of it (Den Haag, De Bilt; GUIDELINES round 2)
        return False
    # "De venter" is an OCR-split "Deventer", not an article before a name
    return label in ("TRIAL", "DATE") or span[1].text[:1].isupper()


def validate_task(nlp: Language, task: Any, *, source: str, line: Optional[int], labels: Sequence[str] = LABELS) -> List[InputError]:
    """Every problem with one task, as InputErrors; an empty list means the task is valid."""
    problems: List[InputError] = []

    def report(reason: str) -> None:
        problems.append(InputError(source, line, reason))

    if not isinstance(task, dict):
        report(Messages.E017.format(type=type(task).__name__))
        return problems
    if "text" not in task:
        report(Messages.E002)
        return problems
    text = task["text"]
    if not isinstance(text, str):
        report(Messages.E003.format(type=type(text).__name__))
        return problems
    if task.get("answer", "accept") not in ANSWERS:
        report(Messages.E016.format(answer=task.get("answer")))
    doc = None
    if task.get("tokens"):
        try:
            doc = doc_from_tokens(nlp, text, task["tokens"], source, line)
        except (InputError, KeyError, TypeError) as err:
            report(err.reason if isinstance(err, InputError) else f"malformed tokens: {err}")
    if doc is None:
        doc = nlp.make_doc(text)
    good: List[Tuple[int, int, str]] = []
    for span in task.get("spans") or []:
        problems.extend(InputError(source, line, r) for r in _span_problems(doc, span, labels))
        if isinstance(span, dict) and isinstance(span.get("start"), int) and isinstance(span.get("end"), int):
            good.append((span["start"], span["end"], str(span.get("label"))))
    good.sort()
    for (s1, e1, _), (s2, e2, _) in zip(good, good[1:]):
        if s2 < e1:
            report(Messages.E006.format(start=s2, end=e2, text=text[s2:e2], ostart=s1, oend=e1, otext=text[s1:e1]))
    return problems


def _span_problems(doc: Doc, span: Any, labels: Sequence[str]) -> Iterator[str]:
    text = doc.text
    if not isinstance(span, dict) or not isinstance(span.get("start"), int) or not isinstance(span.get("end"), int):
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
    seen: Dict[int, Tuple[int, List[Tuple[int, int, str]]]] = {}
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

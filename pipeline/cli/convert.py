"""`terreur convert`: between Prodigy JSONL, spaCy DocBin, IOB files and plain text."""
from __future__ import annotations

import sys
from enum import Enum
from pathlib import Path
from typing import Dict, Optional

import typer

from .. import LABELS
from ..brat import brat_dir_to_tasks
from ..files import json_line, write_jsonl_atomic
from ..ingest import read_records
from ..iob import iob_to_tasks, tasks_with_tokens
from ..tasks import doc_to_task, docbin_to_tasks, docs_to_docbin, read_prodigy_jsonl, task_to_doc
from ..tokenizer import make_blank_dutch
from ._util import Arg, Opt, app, echo_err, user_errors


class Format(str, Enum):
    """The input formats ``--from`` accepts (checked when the arguments are parsed)."""

    jsonl = "jsonl"
    spacy = "spacy"
    iob = "iob"
    brat = "brat"
    text = "text"


FORMATS = tuple(f.value for f in Format)
SUFFIXES = {".jsonl": "jsonl", ".spacy": "spacy", ".bio": "iob", ".iob": "iob", ".conll": "iob", ".txt": "text"}


def _guess_format(path: Path) -> str:
    return SUFFIXES.get(path.suffix.lower(), "jsonl")


@app.command("convert")
def convert_cli(
    # fmt: off
    input_path: Path = Arg(..., help="Input file (.jsonl, .spacy, .bio/.iob/.conll or .txt), or a directory of BRAT .txt/.ann pairs", exists=True),
    output_path: Path = Arg(..., help="Output file (.jsonl or .spacy), or - for JSONL on stdout", allow_dash=True),
    from_format: Optional[Format] = Opt(None, "--from", help="Input format (default: from the suffix; a directory is brat)"),
    labels_annotated: Optional[str] = Opt(None, "--labels-annotated", help="For IOB input: comma-separated labels the source marks (e.g. PERSON,LOC,ORG); other labels count as unknown in training"),
    max_tokens: int = Opt(250, "--max-tokens", help="For IOB input without document breaks: cut after the first sentence end past this many tokens"),
    label_map: Optional[str] = Opt(None, "--label-map", help="For IOB input: the source's own tags as TAG=LABEL pairs, comma-separated (CAMP=LOC,GHETTO=LOC); TAG= drops a tag"),
    verbose: bool = Opt(False, "--verbose", "-V", help="Show tracebacks"),
    # fmt: on
) -> None:
    """Convert annotations between Prodigy JSONL, spaCy's DocBin and IOB.

    Example: terreur convert corpus/europeana/enp_NL.kb.bio corpus/europeana.jsonl --labels-annotated PERSON,LOC,ORG
    Example: terreur convert annotations/gold/train.jsonl training/train.spacy
    Example: terreur convert corpus/unsilence-voc/annotated_data training/unsilence.jsonl --from brat
    """
    if from_format is not None:
        source_format = from_format.value
    else:
        source_format = "brat" if input_path.is_dir() else _guess_format(input_path)
    nlp = make_blank_dutch()
    with user_errors(verbose):
        if input_path.is_dir() and source_format != "brat":
            raise typer.BadParameter(f"{input_path} is a directory: only --from brat reads one", param_hint="INPUT_PATH")
        tasks = _read_tasks(nlp, input_path, source_format, labels_annotated, max_tokens, _parse_label_map(label_map))
        if str(output_path) == "-":
            count = 0
            for task in tasks:
                sys.stdout.write(json_line(task))
                count += 1
        elif output_path.suffix == ".spacy":
            docs = list(read_prodigy_jsonl(nlp, input_path)) if source_format == "jsonl" else [
                d for d in _docs_from_tasks(nlp, tasks)
            ]
            docs_to_docbin(docs).to_disk(output_path)
            count = len(docs)
        else:
            count = write_jsonl_atomic(output_path, tasks)
    echo_err(f"✔ {count} documents: {input_path} → {output_path}")


def _parse_label_map(value: Optional[str]) -> Dict[str, Optional[str]]:
    pairs: Dict[str, Optional[str]] = {}
    for item in (value or "").split(","):
        if not item.strip():
            continue
        tag, sep, label = item.partition("=")
        if not sep or not tag.strip():
            raise typer.BadParameter(f"{item!r}: expected TAG=LABEL", param_hint="--label-map")
        label = label.strip()
        if label and label not in LABELS:
            raise typer.BadParameter(f"{label!r} is not a guidelines label ({', '.join(LABELS)})", param_hint="--label-map")
        pairs[tag.strip()] = label or None
    return pairs


def _read_tasks(nlp, path: Path, source_format: str, labels_annotated: Optional[str], max_tokens: int, label_map: Dict[str, Optional[str]]):
    meta = {}
    if labels_annotated:
        meta["labels_annotated"] = [label.strip() for label in labels_annotated.split(",") if label.strip()]
    warn = lambda err: echo_err(f"⚠ {err} (shrunk to the tokens inside)")  # noqa: E731
    if source_format == "iob":
        with path.open(encoding="utf-8") as f:
            lines = f.read().splitlines()
        tasks = iob_to_tasks(lines, source=str(path), max_tokens=max_tokens, meta=meta, label_map=label_map)
        return tasks_with_tokens(nlp, tasks, source=str(path), on_misaligned=warn)
    if source_format == "brat":
        # one source per task, so that a warning names the .txt file
        return (
            tokenized
            for task in brat_dir_to_tasks(path, meta=meta)
            for tokenized in tasks_with_tokens(nlp, [task], source=task["meta"]["source"], on_misaligned=warn)
        )
    if source_format == "spacy":
        return docbin_to_tasks(nlp, path)
    if source_format == "text":
        return tasks_with_tokens(nlp, ({"text": r.text, "meta": r.meta} for r in read_records([path])), source=str(path))
    return (doc_to_task(doc) for doc in read_prodigy_jsonl(nlp, path, accepted_only=False))


def _docs_from_tasks(nlp, tasks):
    for number, task in enumerate(tasks, start=1):
        yield task_to_doc(nlp, task, line=number)

"""`terreur normalize`: one mention per line in, one JSON object per line out."""
from __future__ import annotations

import sys
from pathlib import Path
from typing import Iterator, Optional, TextIO

import typer

from ..files import json_line
from ..guidelines import LABELS
from ._util import Opt, app, echo_err, user_errors


def _check_label(value: str) -> str:
    label = value.strip().upper()
    if label not in LABELS:
        raise typer.BadParameter(f"{value!r} is not a guidelines label; use one of {', '.join(LABELS)}")
    return label


@app.command("normalize")
def normalize_cli(
    # fmt: off
    label: str = Opt(..., "--label", "-l", callback=_check_label, help="The label of every mention: PERSON, ORG, LOC, DATE or TRIAL"),
    kb_path: Optional[Path] = Opt(None, "--kb", exists=True, file_okay=False, help="Knowledge base directory (default: the packaged pipeline/data/kb)"),
    fuzzy_threshold: float = Opt(85.0, "--fuzzy-threshold", min=0, max=100, help="Least rapidfuzz ratio (0-100) for a fuzzy link"),
    document: bool = Opt(False, "--document", "-d", help="Read the lines as the mentions of one document, in order (a surname finds the full name named before it)"),
    doc_year: Optional[int] = Opt(None, "--doc-year", help="The one year the document states, for dates without a year"),
    verbose: bool = Opt(False, "--verbose", "-V", help="Show tracebacks"),
    # fmt: on
) -> None:
    """Normalise mentions read from stdin, one per line, and write one JSON
    object per line to stdout, in order: text, label, kb_id (or null),
    canonical, cyrillic (PERSON) or edtf (DATE), confidence, method, and
    candidates where a surname is ambiguous.

    Example: printf 'Jezjov\\nJeschow\\nЕжов\\n' | terreur normalize --label PERSON
    """
    from ..normalize import MentionContext, load_kb, normalize_mention

    with user_errors(verbose):
        kb = load_kb(kb_path) if kb_path is not None else None
        context = MentionContext(doc_year=doc_year) if document or doc_year is not None else None
        count = 0
        for text in read_lines(sys.stdin):
            result = normalize_mention(text, label, context=context, kb=kb, fuzzy_threshold=fuzzy_threshold)
            sys.stdout.write(json_line(result))
            sys.stdout.flush()  # a caller reading line by line gets each answer at once
            count += 1
        linked = "dates" if label == "DATE" else "mentions"
        echo_err(f"✔ normalized {count} {linked} ({label})")


def read_lines(stream: TextIO) -> Iterator[str]:
    """The lines of a text stream without their line endings (blank lines kept,
    so that output line n answers input line n).

    stream (TextIO): the stream, e.g. sys.stdin.
    YIELDS (str): each line.
    """
    if hasattr(stream, "reconfigure"):
        try:
            stream.reconfigure(encoding="utf-8")
        except (ValueError, OSError):  # a stream already read from keeps its encoding
            pass
    for line in stream:
        yield line.rstrip("\r\n")


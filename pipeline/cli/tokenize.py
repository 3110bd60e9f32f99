"""`terreur tokenize`: show how the guideline-aware Dutch tokenizer splits a text."""
from __future__ import annotations

from pathlib import Path
from typing import List

import typer

from ..files import json_line
from ..ingest import read_records
from ..tokenizer import make_blank_dutch
from ._util import Arg, Opt, app, user_errors


@app.command("tokenize")
def tokenize_cli(
    # fmt: off
    inputs: List[Path] = Arg(..., help="Text, JSONL or JSON files, directories, or - for stdin", allow_dash=True),
    as_jsonl: bool = Opt(False, "--jsonl", help="Write Prodigy-style tokens (text, start, end, id, ws) as JSONL"),
    verbose: bool = Opt(False, "--verbose", "-V", help="Show tracebacks"),
    # fmt: on
) -> None:
    """Split documents into tokens, one token per line (blank line between documents).

    Example: echo "De NKVD-agenten arresteerden Trotski’s zoon." | terreur tokenize -
    """
    nlp = make_blank_dutch()
    with user_errors(verbose):
        for record in read_records(inputs):
            doc = nlp.make_doc(record.text)
            if as_jsonl:
                tokens = [{"text": t.text, "start": t.idx, "end": t.idx + len(t), "id": t.i, "ws": bool(t.whitespace_)} for t in doc]
                typer.echo(json_line({"meta": record.meta, "tokens": tokens}), nl=False)
            else:
                typer.echo("\n".join(t.text for t in doc if not t.is_space) + "\n")

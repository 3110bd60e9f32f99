"""`terreur validate`: check Prodigy JSONL files against the guidelines' format rules."""
from __future__ import annotations

from pathlib import Path
from typing import List

import typer

from ..validate import validate_file
from ..tokenizer import make_blank_dutch
from ._util import Arg, app, echo_err


@app.command("validate")
def validate_cli(
    # fmt: off
    paths: List[Path] = Arg(..., help="Prodigy JSONL files to check"),
    # fmt: on
) -> None:
    """Report every problem in annotation files with file and line; exit 1 if there is any.

    Checks JSON, text, labels, offsets, token boundaries (with the project's
    tokenizer, or the task's own tokens), overlaps, token_start/token_end,
    span text, and duplicate _input_hash with conflicting spans.

    Example: terreur validate annotations/gold/*.jsonl
    """
    nlp = make_blank_dutch()
    total_records, total_problems = 0, 0
    for path in paths:
        count, problems = validate_file(nlp, path)
        total_records += count
        total_problems += len(problems)
        for problem in problems:
            typer.echo(str(problem))
    summary = f"{total_records} records in {len(paths)} file(s), {total_problems} problem(s)"
    if total_problems:
        echo_err(f"✘ {summary}")
        raise typer.Exit(1)
    echo_err(f"✔ {summary}")

"""`terreur export`: tagged JSONL into SQLite, PostgreSQL, CSV, TEI or validated JSONL."""
from __future__ import annotations

import sys
from pathlib import Path
from typing import Optional

import typer
from tqdm import tqdm

from ..errors import TerreurError
from ..export import DEFAULT_BATCH_SIZE, DEFAULT_TARGET, STDIN, TARGET_FORMS, export_entities, parse_target
from ._util import Arg, Opt, app, echo_err, user_errors


def _check_target(value: str) -> str:
    # A target of unknown form fails while the arguments are parsed, before any input is read.
    try:
        parse_target(value)
    except TerreurError as err:
        raise typer.BadParameter(str(err))
    return value


def _count_lines(path: Path) -> Optional[int]:
    if str(path) == STDIN or not path.is_file():
        return None  # stdin has no length; a missing file is reported by export_entities
    with path.open("rb") as f:
        return sum(1 for line in f if line.strip())


@app.command("export")
def export_cli(
    # fmt: off
    input_path: Path = Arg(..., help="Tagged JSONL (terreur tag output), or - for stdin", allow_dash=True),
    target: str = Opt(DEFAULT_TARGET, "--to", "-t", help=f"Where to: {TARGET_FORMS}", callback=_check_target),
    batch_size: int = Opt(DEFAULT_BATCH_SIZE, "--batch-size", "-b", min=1, help="Documents per transaction (a failed batch leaves the database as it was)"),
    skip_errors: bool = Opt(False, "--skip-errors", help="Report bad records and go on, instead of stopping at the first"),
    verbose: bool = Opt(False, "--verbose", "-V", help="Show tracebacks"),
    # fmt: on
) -> None:
    """Export tagged documents, their entities and mentions to a database or files.

    Databases get the tables documents, entities and mentions (created if
    missing). Exporting the same documents again replaces their rows, keyed on
    the SHA-256 of the text, and never duplicates them; each batch is one
    transaction, so an interrupted export can simply be run again.

    Example: terreur export tagged.jsonl --to sqlite:///entities.db
    Example: terreur export tagged.jsonl --to postgresql://archief@localhost/terreur
    Example: terreur tag corpus/terror/web | terreur export - --to tei:out/tei
    Example: terreur export tagged.jsonl --to csv:out/csv
    Example: terreur export tagged.jsonl --to jsonl:checked.jsonl
    """
    with user_errors(verbose):
        bar = tqdm(total=_count_lines(input_path), unit="doc", desc="exporting", file=sys.stderr, disable=None)
        try:
            stats = export_entities(
                str(input_path), target, batch_size=batch_size, skip_errors=skip_errors,
                progress=bar.update, on_error=lambda error: echo_err(f"✘ {error}"),
            )  # fmt: skip
        finally:
            bar.close()
    notes = [f"{stats.unchanged} unchanged"] if stats.unchanged else []
    notes += [f"{stats.duplicates} duplicate"] if stats.duplicates else []
    notes += [f"{stats.rejected} rejected/ignored"] if stats.rejected else []
    extra = f" ({', '.join(notes)})" if notes else ""
    summary = (
        f"{stats.documents} documents, {stats.mentions} mentions, {stats.entities} entities → {stats.target}{extra}; "
        f"{len(stats.errors)} bad"
    )
    if stats.errors:
        echo_err(f"✘ {summary}")
        raise typer.Exit(1)
    echo_err(f"✔ {summary}")

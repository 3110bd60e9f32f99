"""`terreur tag`: the main job, tagging archives with the shipped (or any) model."""
from __future__ import annotations

import sys
from enum import Enum
from pathlib import Path
from typing import List, Optional

from tqdm import tqdm

from ..tag import load_model, tag_to_file
from ._util import Arg, Opt, app, echo_err, user_errors


class Engine(str, Enum):
    """Where ``--engine`` tags (checked when the arguments are parsed)."""

    local = "local"
    dask = "dask"


@app.command("tag")
def tag_cli(
    # fmt: off
    inputs: List[Path] = Arg(..., help="Text (.txt), JSONL (.jsonl), web-capture (.json) files, directories, or - for stdin", allow_dash=True),
    output_path: Optional[Path] = Opt(None, "--output", "-o", help="Write JSONL here (atomically); default stdout", allow_dash=True, dir_okay=False),
    model: Optional[Path] = Opt(None, "--model", "-m", help="Model directory (default: models/terreur-nl-ner, or $TERREUR_MODEL)"),
    batch_size: int = Opt(64, "--batch-size", "-b", help="Documents per batch"),
    n_process: int = Opt(1, "--n-process", "-n", help="Worker processes"),
    engine: Engine = Opt(Engine.local, "--engine", help="local, or dask for a Dask cluster (pip install .[dask])"),
    scheduler: Optional[str] = Opt(None, "--scheduler", help="Dask scheduler address (default: a LocalCluster on this machine)"),
    partitions: Optional[int] = Opt(None, "--partitions", help="Dask partitions (default: 2 per worker)"),
    resume: bool = Opt(False, "--resume", help="Continue an interrupted run to the same --output"),
    skip_errors: bool = Opt(False, "--skip-errors", help="Report bad documents at the end instead of stopping at the first"),
    verbose: bool = Opt(False, "--verbose", "-V", help="Show tracebacks"),
    # fmt: on
) -> None:
    """Tag documents for PERSON, ORG, LOC, DATE and TRIAL, with normalized names and dates.

    Writes one Prodigy-compatible JSONL record per input document, in input
    order: text, meta (source), tokens and spans with kb_id, canonical,
    cyrillic, edtf and confidence.

    Example: terreur tag corpus/terror/web -o tagged.jsonl
    Example: echo "Jezjov werd in 1938 ontslagen." | terreur tag -
    """
    out = None if output_path is None or str(output_path) == "-" else output_path
    if resume and out is None:
        echo_err("✘ --resume needs --output FILE")
        raise SystemExit(2)
    with user_errors(verbose):
        bar = tqdm(unit="doc", desc="tagging", file=sys.stderr, disable=None)
        progress = lambda task: bar.update(1)  # noqa: E731
        if engine is Engine.dask:
            from ..tag_dask import tag_with_dask

            stats = tag_with_dask(
                model, inputs, out, scheduler=scheduler, partitions=partitions, batch_size=batch_size,
                skip_errors=skip_errors, resume=resume, progress=progress,
            )
        else:
            nlp = load_model(model)
            stats = tag_to_file(
                nlp, inputs, out, batch_size=batch_size, n_process=n_process, skip_errors=skip_errors,
                resume=resume, progress=progress,
            )
        bar.close()
    for error in stats.errors:
        echo_err(f"✘ {error}")
    where = out if out is not None else "stdout"
    resumed = f", {stats.skipped_done} already done" if stats.skipped_done else ""
    echo_err(f"✔ {stats.tagged} documents tagged ({stats.words} words) → {where}{resumed}; {len(stats.errors)} bad")
    if stats.errors:
        raise SystemExit(1)

"""`terreur report`: the HTML error analysis of predictions against gold."""
from __future__ import annotations

from pathlib import Path

from ..report import write_report
from ..scoring import micro_average
from ._util import Arg, Opt, app, echo_err, user_errors


@app.command("report")
def report_cli(
    # fmt: off
    gold_path: Path = Arg(..., help="Gold JSONL (the reference)", exists=True, dir_okay=False),
    pred_path: Path = Arg(..., help="Predicted JSONL (model output or a second annotator)", exists=True, dir_okay=False),
    output_path: Path = Opt(..., "--output", "-o", help="The HTML report to write", dir_okay=False),
    limit: int = Opt(0, "--limit", help="At most this many examples per label and kind (0: all)", min=0),
    verbose: bool = Opt(False, "--verbose", "-V", help="Show tracebacks"),
    # fmt: on
) -> None:
    """Write a static HTML error analysis: per-label scores, and false positives and negatives rendered with displaCy.

    Documents are matched by text; only those in both files are scored
    (span-level exact match). The page is self-contained (inline CSS).

    Example: terreur report annotations/gold/dev.jsonl tagged.jsonl -o report.html
    """
    with user_errors(verbose):
        scores = write_report(gold_path, pred_path, output_path, limit=limit)
        total = micro_average(scores)
        echo_err(
            f"✔ Wrote {output_path}: F1 {total['f']:.3f} (P {total['p']:.3f}, R {total['r']:.3f}), "
            f"{total['fp']} false positive(s), {total['fn']} false negative(s)"
        )

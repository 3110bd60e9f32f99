"""`terreur corpus ...`: splits, agreement and the quality report of the gold corpus."""
from __future__ import annotations

from pathlib import Path
from typing import List, Optional

import typer

from ._util import Arg, Opt, app, echo_err, user_errors

corpus_app = typer.Typer(help="Gold corpus: splits, agreement between passes, quality report.", no_args_is_help=True)
app.add_typer(corpus_app, name="corpus")


@corpus_app.command("split")
def split_cli(
    # fmt: off
    gold_paths: List[Path] = Arg(..., help="Gold Prodigy JSONL files", exists=True, dir_okay=False),
    manifest: Path = Opt(Path("corpus/manifest.jsonl"), "--manifest", help="Manifest with each document's split", exists=True),
    extra: Optional[Path] = Opt(None, "--extra", help="A second corpus (Europeana JSONL) to split 8:1:1 by position"),
    output_dir: Path = Opt(Path("training"), "--output", "-o", help="Directory for train/dev/test JSONL"),
    verbose: bool = Opt(False, "--verbose", "-V", help="Show tracebacks"),
    # fmt: on
) -> None:
    """Write the fixed document-level train/dev/test files.

    Example: terreur corpus split annotations/gold/terror.jsonl annotations/gold/general.jsonl --extra training/europeana.jsonl -o training
    """
    from ..corpus import split_corpus

    with user_errors(verbose):
        counts = split_corpus(gold_paths, manifest, output_dir, extra_path=extra)
    echo_err("✔ " + ", ".join(f"{name}: {n}" for name, n in counts.items()))


@corpus_app.command("agreement")
def agreement_cli(
    # fmt: off
    pass_a: Path = Arg(..., help="First annotation pass (reference)", exists=True, dir_okay=False),
    pass_b: Path = Arg(..., help="Second annotation pass", exists=True, dir_okay=False),
    # fmt: on
) -> None:
    """Span-level agreement (exact spans, F1 per label) over the documents both passes annotated.

    Example: terreur corpus agreement annotations/passes/pass-a.jsonl annotations/passes/pass-b.jsonl
    """
    from ..corpus import agreement
    from ..scoring import format_scores_table

    result = agreement(pass_a, pass_b)
    echo_err(f"{result['documents']} documents in both passes")
    typer.echo(format_scores_table(result["scores"]))


@corpus_app.command("report")
def report_cli(
    # fmt: off
    gold_paths: List[Path] = Arg(..., help="Gold Prodigy JSONL files", exists=True, dir_okay=False),
    manifest: Optional[Path] = Opt(Path("corpus/manifest.jsonl"), "--manifest", help="Manifest (for the split of each document)"),
    agreement_paths: Optional[List[Path]] = Opt(None, "--agreement", help="Two annotation passes to compare (give the option twice; more pairs: four, six, ... times)"),
    correction_paths: Optional[List[Path]] = Opt(None, "--correction", help="Model pre-annotations and their corrected pass, to count changes (give the option twice per pair)"),
    output_path: Optional[Path] = Opt(None, "--output", "-o", help="Write the full report as JSON here"),
    # fmt: on
) -> None:
    """Quality report: validation, label conflicts, unannotated KB names, counts per split and label.

    Exits 1 if validation finds a problem.

    Example: terreur corpus report annotations/gold/terror.jsonl --agreement annotations/passes/pass-a.jsonl --agreement annotations/passes/pass-b.jsonl
    """
    from ..corpus import agreement, correction_counts, quality_report
    from ..files import write_json_atomic
    from ..scoring import counts_table, format_scores_table
    from ..tokenizer import make_blank_dutch

    report = quality_report(make_blank_dutch(), gold_paths, manifest_path=manifest if manifest and manifest.exists() else None)
    report["agreement"] = [agreement(a, b) for a, b in _pairs(agreement_paths, "--agreement")]
    report["corrections"] = [correction_counts(a, b) for a, b in _pairs(correction_paths, "--correction")]
    lines = [f"validate: {len(report['validate_problems'])} problem(s)"]
    lines += [f"  {p}" for p in report["validate_problems"][:20]]
    lines.append(f"surface strings with more than one label: {len(report['label_conflicts'])}")
    lines += [f"  {text!r}: {labels}" for text, labels in list(report["label_conflicts"].items())[:20]]
    lines.append(f"knowledge-base names found but not annotated: {len(report['unannotated_kb_names'])}")
    lines += [f"  {u['id']} {u['start']}-{u['end']} {u['text']!r} ({u['label']})" for u in report["unannotated_kb_names"][:20]]
    lines.append("")
    lines += counts_table(report["counts"]) + [""] + counts_table(report["counts_by_source"], key="split source") + [""]
    for result in report["agreement"]:
        lines += [f"agreement {result['reference']} ~ {result['other']} over {result['documents']} documents (F1, exact spans):", format_scores_table(result["scores"]), ""]
    for result in report["corrections"]:
        lines.append(f"correction {result['pre']} → {result['corrected']}: {result['documents']} documents, "
                     f"kept {result['kept']}, changed {result['changed']}, added {result['added']}, removed {result['removed']}")
    typer.echo("\n".join(lines))
    if output_path:
        write_json_atomic(output_path, report)
        echo_err(f"✔ report → {output_path}")
    if report["validate_problems"]:
        raise typer.Exit(1)


def _pairs(paths: Optional[List[Path]], option: str) -> List[tuple]:
    paths = paths or []
    if len(paths) % 2:
        raise typer.BadParameter(f"give the files in pairs ({len(paths)} given)", param_hint=option)
    return list(zip(paths[0::2], paths[1::2]))

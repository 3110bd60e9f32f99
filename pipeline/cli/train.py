"""`terreur train`, `terreur evaluate` and `terreur package`: models from configs."""
from __future__ import annotations

from pathlib import Path
from typing import List, Optional

import typer

from ._util import OVERRIDES_CONTEXT, Arg, Opt, app, echo_err, parse_overrides, user_errors


@app.command("train", context_settings=OVERRIDES_CONTEXT)
def train_cli(
    # fmt: off
    ctx: typer.Context,
    config_path: Path = Arg(..., help="Training config, e.g. configs/ner.cfg", exists=True, dir_okay=False),
    output_path: Path = Opt(Path("training/model"), "--output", "-o", help="Output directory (model-best, model-last)"),
    gpu_id: int = Opt(-1, "--gpu-id", "-g", help="GPU id, or -1 for CPU"),
    verbose: bool = Opt(False, "--verbose", "-V", help="Show tracebacks"),
    # fmt: on
) -> None:
    """Train a model from a config; extra --section.key value pairs override the config.

    Example: terreur train configs/ner.cfg -o training/model --paths.train training/train.jsonl --paths.dev training/dev.jsonl
    """
    from ..train import train_model

    overrides = parse_overrides(ctx.args)
    with user_errors(verbose):
        best = train_model(config_path, output_path, overrides=overrides, use_gpu=gpu_id)
    echo_err(f"✔ trained → {best}")


@app.command("evaluate")
def evaluate_cli(
    # fmt: off
    model: Path = Arg(..., help="Model directory", exists=True, file_okay=False),
    data_path: Path = Arg(..., help="Gold Prodigy JSONL", exists=True, dir_okay=False),
    output_path: Optional[Path] = Opt(None, "--output", "-o", help="Write the scores as JSON here"),
    ablation: bool = Opt(False, "--ablation", help="Also score the model without its rules and the rules alone"),
    verbose: bool = Opt(False, "--verbose", "-V", help="Show tracebacks"),
    # fmt: on
) -> None:
    """Per-label precision, recall and F1 (exact spans) of a model on gold data.

    Example: terreur evaluate models/terreur-nl-ner training/test.jsonl -o training/scores-test.json
    """
    from ..tag import load_model
    from ..files import write_json_atomic
    from ..scoring import format_scores_table
    from ..train import evaluate_ablation, evaluate_model

    with user_errors(verbose):
        nlp = load_model(model)
        result = evaluate_model(nlp, data_path)
        if ablation:
            result["ablation"] = evaluate_ablation(nlp, data_path)
    typer.echo(format_scores_table(result["scores"]))
    for name, scores in result.get("ablation", {}).items():
        typer.echo(f"\n{name}\n{format_scores_table(scores['scores'])}")
    if output_path:
        write_json_atomic(output_path, result)
        echo_err(f"✔ scores → {output_path}")


@app.command("package")
def package_cli(
    # fmt: off
    model_path: Path = Arg(..., help="Trained model (e.g. training/model/model-best)", exists=True, file_okay=False),
    output_path: Path = Arg(..., help="Where the shipped model goes (e.g. models/terreur-nl-ner)"),
    scores: List[Path] = Opt([], "--scores", help="Scores JSON from `terreur evaluate --ablation -o` (repeat for dev and test)"),
    quality: Optional[Path] = Opt(None, "--quality", help="The corpus quality report JSON, for the model card's data table"),
    # fmt: on
) -> None:
    """Copy a trained model into models/ with a model card (data, labels, scores, ablation, size, speed).

    Example: terreur package training/model/model-best models/terreur-nl-ner --scores training/scores-dev.json --scores training/scores-test.json
    """
    from ..train import package_model

    path = package_model(model_path, output_path, scores_paths=scores, quality_path=quality)
    echo_err(f"✔ packaged → {path} (model card: {path / 'README.md'})")

"""Stage 5: training and evaluating models from ``configs/``.

The config is the single source of truth: ``train_model`` calls spaCy's own
``train()`` with overrides (``--paths.train``, ``--training.max_steps``…),
exactly as ``spacy train`` would, so a saved model records every setting
it was made with. ``evaluate_model`` scores exact spans per label, the
measure the guidelines' targets are stated in.

The rule components' patterns come from ``pipeline.rules`` when the
pipeline is initialized (``[initialize.components.terreur_names.patterns]``).
"""
from __future__ import annotations

import json
import shutil
import time
from pathlib import Path
from typing import Any, Dict, Iterable, Iterator, List, Optional, Sequence

from spacy.language import Language

# rules, tokenizer and training are imported for their registered functions,
# which a config names, so training works from a source tree without entry points
from . import __version__, rules, tokenizer, training  # noqa: F401
from .errors import InputError, Messages, TerreurError
from .files import write_json_atomic
from .guidelines import LABELS
from .scoring import counts_table, scores_markdown, span_scores
from .tasks import doc_to_task, is_accepted, read_tasks

# --- training -----------------------------------------------------------------------


def train_model(
    config_path: Path,
    output_path: Path,
    *,
    overrides: Optional[Dict[str, Any]] = None,
    use_gpu: int = -1,
) -> Path:
    """Train a pipeline from a config with spaCy's ``train()``; returns the best model's path.

    config_path (Path): e.g. ``configs/ner.cfg``.
    output_path (Path): where spaCy writes ``model-best`` and ``model-last``.
    overrides (Dict[str, Any]): dotted settings, e.g. {"paths.train": "training/train.jsonl"}.
    use_gpu (int): GPU id, -1 for CPU.
    RETURNS (Path): ``output_path / "model-best"``.
    """
    from spacy.cli.train import train as spacy_train

    if not config_path.exists():
        raise TerreurError(Messages.E103.format(path=config_path))
    spacy_train(config_path, output_path, overrides=overrides or {}, use_gpu=use_gpu)
    return output_path / "model-best"


def package_model(
    model_path: Path, output_path: Path, *, scores_paths: Sequence[Path] = (), quality_path: Optional[Path] = None
) -> Path:
    """Copy a trained model into ``models/`` (replacing an older copy atomically) with its model card.

    scores_paths (Sequence[Path]): ``terreur evaluate --ablation -o`` results (dev, test).
    quality_path (Path | None): the corpus quality report, for the data section.
    RETURNS (Path): the packaged model.
    """
    staging = output_path.with_name(f".{output_path.name}.staging")
    if staging.exists():
        shutil.rmtree(staging)
    shutil.copytree(model_path, staging)
    scores = {Path(p).stem: json.loads(Path(p).read_text(encoding="utf-8")) for p in scores_paths}
    quality = json.loads(quality_path.read_text(encoding="utf-8")) if quality_path else None
    meta = json.loads((staging / "meta.json").read_text(encoding="utf-8"))
    meta.update(
        name=output_path.name.replace("-", "_"),
        version=__version__,
        description="Dutch NER for texts on the Soviet Great Terror, with transliteration-aware normalization",
        license="MIT (model); see corpus/manifest.jsonl for the training data's terms",
    )
    write_json_atomic(staging / "meta.json", meta)
    (staging / "README.md").write_text(build_model_card(meta, scores, quality, directory_size(staging)), encoding="utf-8")
    if output_path.exists():
        shutil.rmtree(output_path)
    staging.replace(output_path)
    return output_path


def directory_size(path: Path) -> int:
    return sum(f.stat().st_size for f in path.rglob("*") if f.is_file())


def build_model_card(meta: Dict[str, Any], scores: Dict[str, Any], quality: Optional[Dict[str, Any]], size: int) -> str:
    """The model card: data, labels, per-label scores on dev and test, the ablation, size and speed."""
    lines = [
        f"# {meta.get('name', 'model')} (terreur)",
        "",
        "Named entities (PERSON, ORG, LOC, DATE, TRIAL) in Dutch texts on the Soviet Great Terror, "
        "with names normalized across transliterations (kb_id, canonical, cyrillic) and dates as EDTF.",
        "",
        f"- spaCy {meta.get('spacy_version', '?')}, pipeline: {', '.join(meta.get('pipeline', []))}",
        f"- labels: {', '.join(meta.get('labels', {}).get('ner', []))}",
        f"- size on disk: {size / 1e6:.1f} MB",
        "- trained from `configs/ner.cfg` by `weasel run all` (see project.yml); CNN tok2vec from scratch, CPU",
        "",
        "## Data",
        "",
        "- `annotations/gold/terror.jsonl`: the train split of the 49 gold Terror-era documents "
        "(seed article and web texts; splits fixed in `corpus/manifest.jsonl`).",
        "- Europeana Newspapers Dutch NER (CC0), its train chunks, at the fraction set in configs/ner.cfg (`[corpora.train] extra_fraction`); "
        "its unannotated DATE/TRIAL tokens are treated as missing, not as O.",
    ]
    if quality:
        lines += [""] + counts_table(quality.get("counts", {}), markdown=True)
    for name, result in scores.items():
        lines += ["", f"## Scores: {name} ({result['documents']} documents, exact spans)", ""]
        lines += scores_markdown(result["scores"])
        lines += ["", f"Speed on this data: {result['words_per_second']:.0f} words/s (whole pipeline, 1 process)."]
        if result.get("ablation"):
            lines += ["", "Ablation (F1):", "", "| setting | " + " | ".join(LABELS) + " | ALL |", "|---" * (len(LABELS) + 2) + "|"]
            for setting, res in result["ablation"].items():
                lines.append(
                    f"| {setting} | " + " | ".join(f"{res['scores'][label]['f']:.3f}" for label in list(LABELS) + ["ALL"]) + " |"
                )
    lines += [
        "",
        "The knowledge base behind `terreur_names` was compiled with every corpus text in view, the dev and "
        "test documents included, so its aliases cover their spellings and the rule scores above are "
        "optimistic for unseen texts. `benchmarks/bench_accuracy.py` also scores the test split with the "
        "aliases that occur only in test documents taken out (row `KB without test-only aliases`): that is "
        "the figure to expect on new archives.",
    ]
    lines += ["", "Rebuild: `weasel run all`. Rerun the scores: `terreur evaluate models/terreur-nl-ner training/test.jsonl --ablation`.", ""]
    return "\n".join(lines)


# --- evaluation ---------------------------------------------------------------------


def predict_tasks(nlp: Language, gold: Iterable[Dict[str, Any]], *, batch_size: int = 32) -> Iterator[Dict[str, Any]]:
    """Run ``nlp`` over the gold texts, keeping each document's key (meta.id)."""
    gold = list(gold)
    for task, doc in zip(gold, nlp.pipe((t["text"] for t in gold), batch_size=batch_size)):
        predicted = doc_to_task(doc)
        predicted["meta"] = task.get("meta", {})
        yield predicted


def read_gold(path: Path) -> List[Dict[str, Any]]:
    return [task for _, task in read_tasks(path) if is_accepted(task)]


def evaluate_model(
    nlp: Language, data_path: Path, *, labels: Sequence[str] = LABELS, batch_size: int = 32
) -> Dict[str, Any]:
    """Exact-span precision/recall/F1 per label of ``nlp`` on a gold JSONL file, and words per second."""
    gold = read_gold(data_path)
    if not gold:
        raise InputError(data_path, None, Messages.E028)
    start = time.perf_counter()
    predicted = list(predict_tasks(nlp, gold, batch_size=batch_size))
    seconds = time.perf_counter() - start
    words = sum(len(t["text"].split()) for t in gold)
    return {
        "data": str(data_path),
        "documents": len(gold),
        "words": words,
        "words_per_second": words / seconds if seconds else 0.0,
        "scores": span_scores(gold, predicted, labels=labels),
    }


RULE_COMPONENTS = ["terreur_names", "terreur_dates", "terreur_boundaries"]
ABLATIONS = {
    "ner+rules": [],
    "ner alone": RULE_COMPONENTS,
    "rules alone": ["ner"],
}


def evaluate_ablation(nlp: Language, data_path: Path) -> Dict[str, Any]:
    """Scores of the pipeline as trained, without its rules, and with its rules only."""
    results = {}
    for name, disable in ABLATIONS.items():
        present = [c for c in disable if c in nlp.pipe_names]
        if len(present) != len(disable):
            continue
        with nlp.select_pipes(disable=present):
            results[name] = evaluate_model(nlp, data_path)
    return results

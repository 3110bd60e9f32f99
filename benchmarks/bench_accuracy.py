"""Exact-span precision, recall and F1 per label on the TEST split, against the issue's targets.

Four systems, scored the same way (``pipeline.scoring.span_scores``, exact
start, end and label) on ``training/test.jsonl``, which is never used for
tuning anything here:

- ``ner+rules``: the pipeline as shipped;
- ``ner alone``: the same model with its rule components disabled;
- ``rules alone``: the rules with ``ner`` disabled;
- ``ner+rules, KB without test-only aliases``: the knowledge base was
  compiled with every corpus text in view, the test split's included, so
  some aliases in it (``Boukharine``) were copied from test documents. This
  row rebuilds the name patterns from the knowledge base without the
  aliases that occur in a test text and in no train or dev text (canonical
  names, Cyrillic and the transliterations generated from the Cyrillic
  stay: they come from the names themselves, not from the test texts),
  which is the honest figure for texts the KB has not seen;
- ``CRF``: a baseline, sklearn-crfsuite over our tokenizer's tokens with BIO
  tags, trained on exactly what the model was trained on: the gold train
  split plus the Europeana fraction named in the model's config, read with
  the model's own reader (``terreur.ProdigyJsonl.v1``). Where that reader
  marks a token's label as missing (Europeana's date-like words: it does not
  annotate DATE), the token is left out of the CRF's training sequence after
  its features (which see its neighbours) are computed; a CRF has no missing
  labels. Features: the word, lower case, shape, prefixes and suffixes of 1–3
  characters, case and digit flags, and the same for the neighbours at ±1
  (±2 for the lower-case word). Hyper-parameters are crfsuite's defaults with
  L1/L2 of 0.1, not tuned.

    python benchmarks/bench_accuracy.py                   # about 2–3 minutes on 2 cores
    python benchmarks/bench_accuracy.py --write-readme
    python benchmarks/bench_accuracy.py --blind --write-readme   # the blind test set, per part
"""
from __future__ import annotations

import itertools
import sys
import time
from pathlib import Path
from typing import Any, Dict, Iterable, Iterator, List, Optional, Sequence, Tuple

import typer

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _common import ROOT, format_table, load_text, log, machine_lines, resolve_model, write_readme_section  # noqa: E402

from pipeline import LABELS  # noqa: E402

TARGETS = {"PERSON": 0.95, "DATE": 0.95, "LOC": 0.90, "ORG": 0.85, "TRIAL": 0.80}
SECTION = "bench_accuracy"
HOLDOUT = "ner+rules, KB without test-only aliases"


# --- CRF baseline -------------------------------------------------------------------------


def _token_features(token: Any, prefix: str, full: bool) -> List[str]:
    text = token.text
    feats = [f"{prefix}lower={token.lower_}", f"{prefix}shape={token.shape_}", f"{prefix}title={text.istitle()}",
             f"{prefix}upper={text.isupper()}"]
    if full:
        feats += [f"{prefix}word={text}", f"{prefix}digit={text.isdigit()}", f"{prefix}punct={token.is_punct}"]
        feats += [f"{prefix}pre{n}={text[:n]}" for n in (1, 2, 3)]
        feats += [f"{prefix}suf{n}={text[-n:]}" for n in (1, 2, 3)]
    return feats


def doc_features(doc: Any) -> List[List[str]]:
    """crfsuite features for every token of a Doc, as lists of strings (light on memory)."""
    n = len(doc)
    sequence = []
    for i, token in enumerate(doc):
        feats = ["bias"] + _token_features(token, "", True)
        for offset in (-1, 1):
            j = i + offset
            if 0 <= j < n:
                feats += _token_features(doc[j], f"{offset:+d}:", offset in (-1, 1))
            else:
                feats.append(f"{offset:+d}:{'BOS' if j < 0 else 'EOS'}")
        for offset in (-2, 2):
            j = i + offset
            if 0 <= j < n:
                feats.append(f"{offset:+d}:lower={doc[j].lower_}")
        sequence.append(feats)
    return sequence


def doc_tags(doc: Any) -> List[Optional[str]]:
    """BIO tags from a reference Doc's entities; None where the label is missing."""
    return [f"{t.ent_iob_}-{t.ent_type_}" if t.ent_iob_ in ("B", "I") else ("O" if t.ent_iob_ == "O" else None) for t in doc]


def training_sequences(nlp: Any, train_path: Path, extra_path: Optional[Path], extra_fraction: float, counts: Dict[str, int]) -> Iterator[Tuple[List[List[str]], List[str]]]:
    """(features, tags) per training document, from the model's own reader; missing-label tokens left out."""
    from pipeline.training import ProdigyJsonlCorpus

    corpus = ProdigyJsonlCorpus(train_path, extra_path=extra_path, extra_fraction=extra_fraction)
    for example in corpus(nlp):
        doc = example.reference
        features, tags = doc_features(doc), doc_tags(doc)
        kept = [(f, t) for f, t in zip(features, tags) if t is not None]
        counts["docs"] += 1
        counts["tokens"] += len(kept)
        counts["missing"] += len(tags) - len(kept)
        if kept:
            yield [f for f, _ in kept], [t for _, t in kept]


def train_crf(nlp: Any, train_path: Path, extra_path: Optional[Path], extra_fraction: float, *, iterations: int) -> Tuple[Any, Dict[str, int]]:
    """A CRF trained on the same documents as the model; RETURNS it and what it saw."""
    import sklearn_crfsuite

    counts = {"docs": 0, "tokens": 0, "missing": 0}
    pairs_x, pairs_y = itertools.tee(training_sequences(nlp, train_path, extra_path, extra_fraction, counts))
    crf = sklearn_crfsuite.CRF(algorithm="lbfgs", c1=0.1, c2=0.1, max_iterations=iterations, all_possible_transitions=True)
    # generators, not lists: the features of a million tokens would not fit in memory as Python objects
    crf.fit((x for x, _ in pairs_x), (y for _, y in pairs_y))
    return crf, counts


def bio_to_spans(doc: Any, tags: Sequence[str]) -> List[Dict[str, Any]]:
    """Character spans from BIO tags (an I- without its B- starts a span, as conlleval reads it)."""
    spans, start, label = [], None, None
    for i, tag in enumerate(list(tags) + ["O"]):
        kind, _, tag_label = tag.partition("-")
        if start is not None and (kind != "I" or tag_label != label):
            spans.append({"start": doc[start].idx, "end": doc[i - 1].idx + len(doc[i - 1]), "label": label})
            start = None
        if kind == "B" or (kind == "I" and start is None):
            start, label = i, tag_label
    return spans


def crf_predictions(crf: Any, nlp: Any, gold: Iterable[Dict[str, Any]]) -> List[Dict[str, Any]]:
    predicted = []
    for task in gold:
        doc = nlp.make_doc(task["text"])
        tags = crf.predict_single(doc_features(doc))
        predicted.append({"text": task["text"], "meta": task.get("meta", {}), "spans": bio_to_spans(doc, tags)})
    return predicted


# --- report --------------------------------------------------------------------------------


def score_rows(results: Dict[str, Dict[str, Any]]) -> List[List[str]]:
    rows = []
    for label in list(LABELS) + ["ALL"]:
        for name, scores in results.items():
            s = scores[label]
            rows.append([label, name, f"{s['p']:.3f}", f"{s['r']:.3f}", f"{s['f']:.3f}", str(s["tp"]), str(s["fp"]), str(s["fn"])])
    return rows


SCORE_HEADER = ["label", "system", "P", "R", "F1", "TP", "FP", "FN"]


def target_rows(results: Dict[str, Dict[str, Any]]) -> List[List[str]]:
    rows = []
    for label, target in TARGETS.items():
        ours = results["ner+rules"][label]["f"]
        support = results["ner+rules"][label]["tp"] + results["ner+rules"][label]["fn"]
        rows.append([label, str(support), f"≥ {target:.2f}"] + [f"{results[n][label]['f']:.3f}" for n in results]
                    + ["met" if ours >= target else "not met"])
    return rows


def test_only_aliases(test: Sequence[Dict[str, Any]], others: Sequence[Sequence[Dict[str, Any]]]) -> set:
    """Knowledge-base aliases found verbatim in a test text and in no train or dev text."""
    from pipeline.normalize import load_kb

    seen_elsewhere = [t["text"] for split in others for t in split]
    test_texts = [t["text"] for t in test]
    leaked = set()
    for entry in load_kb().entries.values():
        aliases = list(entry.aliases) + [n for names in (entry.record.get("names") or {}).values() for n in names]
        for alias in aliases:
            if alias in (entry.canonical, entry.cyrillic):
                continue
            if any(alias in text for text in test_texts) and not any(alias in text for text in seen_elsewhere):
                leaked.add(alias)
    return leaked


def kb_without(aliases: set) -> Any:
    """The knowledge base with the given aliases (and trial names) taken out of every record."""
    import copy

    from pipeline.normalize import KnowledgeBase, load_kb

    records = []
    for record in load_kb().records:
        record = copy.deepcopy(record)
        record["aliases"] = [a for a in record.get("aliases") or [] if a not in aliases]
        if record.get("names"):
            record["names"] = {lang: [n for n in names if n not in aliases] for lang, names in record["names"].items()}
        records.append(record)
    return KnowledgeBase(records)


BLIND = ROOT / "annotations" / "test-blind" / "gold.jsonl"
BLIND_TARGETS = {"PERSON": 0.93, "ORG": 0.85, "LOC": 0.90, "DATE": 0.92, "TRIAL": 0.80, "ALL": 0.90}
BLIND_PARTS = {"Terror-era": "corpus/test-blind/terror/", "general Dutch": "corpus/test-blind/general/"}


def micro(scores: Dict[str, Any], labels: Sequence[str]) -> float:
    tp = sum(scores[label]["tp"] for label in labels)
    fp = sum(scores[label]["fp"] for label in labels)
    fn = sum(scores[label]["fn"] for label in labels)
    return 2 * tp / (2 * tp + fp + fn) if tp else 0.0


def blind_report(nlp: Any, model: Path, write_readme: bool) -> None:
    """The model on the two parts of the blind test set, with the ablation, against issue 12's targets.

    The blind set (annotations/test-blind/README.md) is read here and in
    ``weasel run evaluate-blind`` only; nothing is tuned on it.
    """
    import tempfile

    import srsly

    from pipeline.train import ABLATIONS, evaluate_model

    tasks = list(srsly.read_jsonl(BLIND))
    tables, verdicts = [], []
    with tempfile.TemporaryDirectory() as tmp:
        for part, prefix in BLIND_PARTS.items():
            path = Path(tmp) / f"{part.replace(' ', '-')}.jsonl"
            srsly.write_jsonl(path, [t for t in tasks if str(t["meta"]["source"]).startswith(prefix)])
            results: Dict[str, Dict[str, Any]] = {}
            for name, disable in ABLATIONS.items():
                log(f"· blind {part}: {name} …")
                with nlp.select_pipes(disable=[c for c in disable if c in nlp.pipe_names]):
                    results[name] = evaluate_model(nlp, path)["scores"]
            tables.append((part, results))
    header = ["system", *LABELS, "micro", "PER/ORG/LOC micro"]
    for part, results in tables:
        rows = [[name] + [f"{res[label]['f']:.3f}" for label in LABELS] + [f"{res['ALL']['f']:.3f}", f"{micro(res, ['PERSON', 'ORG', 'LOC']):.3f}"]
                for name, res in results.items()]
        if part == "Terror-era":
            rows.append(["target (issue 12)"] + [f"≥ {BLIND_TARGETS[label]:.2f}" for label in LABELS] + [f"≥ {BLIND_TARGETS['ALL']:.2f}", ""])
        else:
            rows.append(["target (issue 12)"] + [""] * len(LABELS) + ["", "≥ 0.80"])
        support = {label: results["ner+rules"][label]["tp"] + results["ner+rules"][label]["fn"] for label in LABELS}
        print(f"\nBlind test set, {part} part: F1, exact spans (gold spans: {support})")
        print(format_table(header, rows))
        verdicts.append((part, header, rows, support))
    if write_readme:
        body = ["## Accuracy on the blind test set (`bench_accuracy.py --blind`)", "",
                "F1 (exact spans) of the model on `annotations/test-blind/gold.jsonl`, which nothing was tuned on "
                "(see `annotations/test-blind/README.md`), per part, with the ablation and issue 12's targets.", "",
                *machine_lines(), f"- model: {model}", ""]
        for part, head, rows, support in verdicts:
            body += [f"**{part}** (gold spans: " + ", ".join(f"{k} {v}" for k, v in support.items()) + ")", "",
                     format_table(head, rows, markdown=True), ""]
        body.append("Rerun: `python benchmarks/bench_accuracy.py --blind --write-readme`")
        write_readme_section(f"{SECTION}_blind", "\n".join(body))
        log(f"✔ wrote the {SECTION}_blind section of benchmarks/README.md")


def main(
    # fmt: off
    model: Optional[Path] = typer.Option(None, "--model", "-m", help="Model directory (default: models/terreur-nl-ner)"),
    test_path: Path = typer.Option(ROOT / "training" / "test.jsonl", "--test", help="Gold test split (never used for tuning)"),
    train_path: Path = typer.Option(ROOT / "training" / "train.jsonl", "--train", help="Gold train split, for the CRF"),
    europeana_fraction: Optional[float] = typer.Option(None, "--europeana-fraction", help="Europeana share for the CRF (default: the model's, from its config; 0 for gold only)"),
    crf_iterations: int = typer.Option(100, "--crf-iterations", help="L-BFGS iterations for the CRF"),
    crf: bool = typer.Option(True, "--crf/--no-crf", help="Train and score the CRF baseline"),
    write_readme: bool = typer.Option(False, "--write-readme", help="Write the tables into benchmarks/README.md (section bench_accuracy)"),
    blind: bool = typer.Option(False, "--blind", help="Score on the blind test set instead (per part, with the ablation; never used for tuning)"),
    # fmt: on
) -> None:
    """Print per-label exact-span P/R/F1 on the test split for the pipeline, NER alone, rules alone and a
    CRF baseline, and which of the issue's F1 targets the pipeline meets."""
    from pipeline.tag import load_model
    from pipeline.tokenizer import make_blank_dutch
    from pipeline.scoring import span_scores
    from pipeline.rules import kb_phrase_patterns
    from pipeline.train import ABLATIONS, evaluate_model, read_gold

    model = resolve_model(model)
    if blind:
        blind_report(load_model(model), model, write_readme)
        return
    load_before = load_text()
    total_start = time.perf_counter()
    nlp = load_model(model)
    gold = read_gold(test_path)
    log(f"model {model}; test: {len(gold)} documents from {test_path}")
    results: Dict[str, Dict[str, Any]] = {}
    for name, disable in ABLATIONS.items():
        log(f"· {name} …")
        with nlp.select_pipes(disable=[c for c in disable if c in nlp.pipe_names]):
            results[name] = evaluate_model(nlp, test_path)["scores"]
    log(f"· {HOLDOUT} …")
    leaked = test_only_aliases(gold, [read_gold(p) for p in (train_path, train_path.with_name("dev.jsonl"))])
    names = nlp.get_pipe("terreur_names")
    shipped_patterns = list(names.patterns)
    names.clear()
    names.add_patterns(kb_phrase_patterns(kb_without(leaked)))
    results[HOLDOUT] = evaluate_model(nlp, test_path)["scores"]
    names.clear()
    names.add_patterns(shipped_patterns)

    crf_note = ""
    if crf:
        train_config = nlp.config["corpora"]["train"]
        extra = nlp.config["paths"].get("extra")
        fraction = train_config.get("extra_fraction", 1.0) if europeana_fraction is None else europeana_fraction
        extra_path = ROOT / extra if extra and fraction > 0 else None
        if extra_path is not None and not extra_path.exists():
            sys.exit(f"✘ {extra_path}: the model's Europeana training file is missing (pass --europeana-fraction 0 for gold only)")
        log(f"· CRF: training on {train_path.name}" + (f" + {extra_path.name} at {fraction:g}" if extra_path else " only") + " …")
        start = time.perf_counter()
        blank = make_blank_dutch()
        model_crf, counts = train_crf(blank, train_path, extra_path, fraction, iterations=crf_iterations)
        log(f"  {time.perf_counter() - start:.0f} s")
        results["CRF"] = span_scores(gold, crf_predictions(model_crf, blank, gold))
        crf_note = (
            f"CRF trained on {train_path.name}" + (f" + {extra_path.name} at fraction {fraction:g} (the model's)" if extra_path else " only")
            + f": {counts['docs']} documents, {counts['tokens']:,} tokens, {counts['missing']:,} missing-label tokens left out; "
            f"{crf_iterations} L-BFGS iterations, {time.perf_counter() - start:.0f} s"
        )

    intro = [
        f"model: {model}",
        f"test: {test_path.relative_to(ROOT) if test_path.is_relative_to(ROOT) else test_path}, {len(gold)} documents, exact spans (`span_scores`)",
        f"{HOLDOUT}: {len(leaked)} aliases left out of the name patterns ({', '.join(sorted(leaked)[:12])}{', …' if len(leaked) > 12 else ''})",
        *([crf_note] if crf_note else []),
        f"load average (1, 5, 15 min): {load_before} before, {load_text()} after; whole script {time.perf_counter() - total_start:.0f} s",
    ]
    target_header = ["label", "gold spans", "target F1", *results, "ner+rules: target"]
    print("\n".join(intro))
    print()
    print(format_table(SCORE_HEADER, score_rows(results)))
    print()
    print("Targets (F1 of ner+rules, the shipped pipeline):")
    print(format_table(target_header, target_rows(results)))

    if write_readme:
        body = [
            "## Accuracy on the test split (`bench_accuracy.py`)",
            "",
            "Exact-span precision, recall and F1 per label on `training/test.jsonl` (never used for tuning): the "
            "pipeline (`ner+rules`), the same model without its rules, the rules without the model, and a CRF "
            "baseline (sklearn-crfsuite, BIO over our tokenizer's tokens, word/shape/affix features with ±1/±2 "
            "neighbours) trained on the same data as the model.",
            "",
            *machine_lines(),
            *[f"- {line}" for line in intro],
            "",
            format_table(SCORE_HEADER, score_rows(results), markdown=True),
            "",
            "Against the issue's targets (the verdict is for `ner+rules`):",
            "",
            format_table(target_header, target_rows(results), markdown=True),
            "",
            "Rerun: `python benchmarks/bench_accuracy.py --write-readme`",
        ]
        write_readme_section(SECTION, "\n".join(body))
        log(f"✔ wrote the {SECTION} section of benchmarks/README.md")


if __name__ == "__main__":
    typer.run(main)

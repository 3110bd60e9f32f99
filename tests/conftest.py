"""Shared fixtures: real project data, built once per test run."""
from __future__ import annotations

from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
DATA = Path(__file__).resolve().parent / "data"
CORPUS = ROOT / "corpus"
SEED_PATH = CORPUS / "terror" / "seed" / "stalin-en-de-grote-terreur.txt"
WEB_DIR = CORPUS / "terror" / "web"
GOLD_DIR = ROOT / "annotations" / "gold"
GUIDELINES_PATH = ROOT / "annotations" / "GUIDELINES.md"


@pytest.fixture(scope="session")
def nlp_blank():
    """A blank Dutch pipeline with the project's tokenizer."""
    from pipeline.tokenizer import make_blank_dutch

    return make_blank_dutch()


@pytest.fixture(scope="session")
def seed_text() -> str:
    return SEED_PATH.read_text(encoding="utf-8")


@pytest.fixture(scope="session")
def tiny_model_path(tmp_path_factory) -> Path:
    """A model trained for a few steps on the real train split: fast, and wrong often enough.

    It exercises every code path of training, tagging and the normalizer on
    disk; its accuracy is not the point (the shipped model's is measured in
    benchmarks/ and its model card).
    """
    import srsly

    from pipeline.train import train_model

    work = tmp_path_factory.mktemp("tiny")
    gold = list(srsly.read_jsonl(GOLD_DIR / "terror.jsonl"))
    srsly.write_jsonl(work / "train.jsonl", gold[:6])
    srsly.write_jsonl(work / "dev.jsonl", gold[6:8])
    overrides = {
        "paths.train": str(work / "train.jsonl"),
        "paths.dev": str(work / "dev.jsonl"),
        "training.max_steps": 30,
        "training.eval_frequency": 15,
        "components.tok2vec.model.encode.width": 32,
        "components.tok2vec.model.encode.depth": 1,
        "components.tok2vec.model.embed.rows": [500, 100, 100, 100],
    }
    return train_model(ROOT / "configs" / "ner.cfg", work / "model", overrides=overrides)


@pytest.fixture(scope="session")
def tiny_nlp(tiny_model_path):
    import spacy

    return spacy.load(tiny_model_path)

"""The transformer variant (configs/ner-trf.cfg), trained for a few steps on a tiny BERT made here.

No network: the transformer is a randomly initialised two-layer BERT with a
word-level vocabulary from two corpus documents, written with
``save_pretrained`` into a temp folder and named by path, which is exactly
how a real local model (``--components.transformer.model.name /path``) is
used. Its accuracy is not the point; loading, training, saving and tagging are.
"""
from __future__ import annotations

import json
import os
import re
from pathlib import Path

import pytest

# huggingface_hub reads these once, when transformers is first imported (by
# the importorskip below), so they are set for the whole test run, here: no
# test may reach the hub, and a model named by path must not need it.
os.environ["HF_HUB_OFFLINE"] = "1"
os.environ["TRANSFORMERS_OFFLINE"] = "1"

pytest.importorskip(
    "spacy_transformers",
    reason="the transformer variant needs the trf extra: pip install torch==2.13.0 && pip install -e '.[trf]'",
)

from conftest import GOLD_DIR, ROOT, WEB_DIR  # noqa: E402

CONFIG_PATH = ROOT / "configs" / "ner-trf.cfg"
VOCAB_DOCS = ["web018.json", "web023.json"]
TRAIN_IDS = ["web018", "web023", "web001", "web003"]
DEV_IDS = ["web005", "web006"]
SPECIAL_TOKENS = ["[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]"]
SENTENCE = (
    "Op 11 juni 1937 werd maarschalk Michail Toechatsjevski in Moskou gefusilleerd, "
    "na het proces tegen de trotskistische anti-Sovjet-militaire organisatie."
)


def write_tiny_bert(output_path: Path, texts: list[str]) -> Path:
    """Save a random two-layer BERT and a word-level WordPiece tokenizer built from ``texts``.

    The vocabulary has no ``##`` pieces, so a word it lacks becomes one
    ``[UNK]`` and a window never has more wordpieces than words.
    """
    import torch
    from transformers import BertConfig, BertModel, BertTokenizerFast

    words = sorted({w for text in texts for w in re.findall(r"\w+|[^\w\s]", text)})
    vocab_path = output_path / "vocab.txt"
    output_path.mkdir(parents=True, exist_ok=True)
    vocab_path.write_text("\n".join(SPECIAL_TOKENS + words) + "\n", encoding="utf-8")
    tokenizer = BertTokenizerFast(vocab_file=str(vocab_path), do_lower_case=False, strip_accents=False)
    config = BertConfig(
        vocab_size=tokenizer.vocab_size,
        hidden_size=32,
        num_hidden_layers=2,
        num_attention_heads=2,
        intermediate_size=37,
        max_position_embeddings=512,
    )
    torch.manual_seed(0)  # the same random weights every run, so the trained model is too
    BertModel(config).save_pretrained(output_path)
    tokenizer.save_pretrained(output_path)
    return output_path


@pytest.fixture(scope="module")
def tiny_bert_path(tmp_path_factory) -> Path:
    texts = [json.loads((WEB_DIR / name).read_text(encoding="utf-8"))["text"] for name in VOCAB_DOCS]
    return write_tiny_bert(tmp_path_factory.mktemp("tiny-bert") / "bert", texts)


@pytest.fixture(scope="module")
def tiny_trf_model_path(tmp_path_factory, tiny_bert_path) -> Path:
    """configs/ner-trf.cfg trained for a few steps on four web documents of the gold train data."""
    import srsly

    from pipeline.train import train_model

    work = tmp_path_factory.mktemp("tiny-trf")
    gold = {task["meta"]["id"]: task for task in srsly.read_jsonl(GOLD_DIR / "terror.jsonl")}
    srsly.write_jsonl(work / "train.jsonl", [gold[i] for i in TRAIN_IDS])
    srsly.write_jsonl(work / "dev.jsonl", [gold[i] for i in DEV_IDS])
    overrides = {
        "components.transformer.model.name": str(tiny_bert_path),
        "paths.train": str(work / "train.jsonl"),
        "paths.dev": str(work / "dev.jsonl"),
        "training.max_steps": 6,
        "training.eval_frequency": 3,
        "training.accumulate_gradient": 1,
        "training.optimizer.learn_rate.warmup_steps": 2,
        "training.optimizer.learn_rate.initial_rate": 0.001,
    }
    return train_model(CONFIG_PATH, work / "model", overrides=overrides)


@pytest.fixture(scope="module")
def tiny_trf_nlp(tiny_trf_model_path):
    import spacy

    return spacy.load(tiny_trf_model_path)


def test_config_names_the_default_model_and_keeps_the_pipeline_shape():
    from spacy.util import load_config

    config = load_config(CONFIG_PATH)
    cnn = load_config(ROOT / "configs" / "ner.cfg")
    assert config["components"]["transformer"]["model"]["name"] == "GroNLP/bert-base-dutch-cased"
    assert config["nlp"]["pipeline"] == ["transformer"] + cnn["nlp"]["pipeline"][1:]
    assert config["nlp"]["tokenizer"] == cnn["nlp"]["tokenizer"]
    assert config["corpora"] == cnn["corpora"]
    assert config["initialize"]["components"] == cnn["initialize"]["components"]


def test_trained_model_has_transformer_and_its_output(tiny_trf_nlp, tiny_bert_path):
    assert tiny_trf_nlp.pipe_names == ["transformer", "ner", "terreur_names", "terreur_dates", "terreur_boundaries", "terreur_normalizer"]
    assert tiny_trf_nlp.get_pipe("transformer").model.transformer.config.hidden_size == 32
    doc = tiny_trf_nlp(SENTENCE)
    assert doc.has_extension("trf_data")
    trf_data = doc._.trf_data
    assert trf_data is not None
    assert trf_data.width == 32
    assert len(trf_data.align.lengths) == len(doc)
    assert trf_data.align.lengths.min() >= 1, "every token aligns with a wordpiece"


def test_entities_carry_the_normalizer_fields(tiny_trf_nlp):
    """Whatever the barely trained NER finds, the normalizer runs over it; the rules' date gets its EDTF."""
    from pipeline.normalize.component import SPAN_EXTENSIONS

    doc = tiny_trf_nlp(SENTENCE)
    assert doc.ents, "the rules' DATE, or an NER entity over it"
    for ent in doc.ents:
        assert all(ent.has_extension(name) for name in SPAN_EXTENSIONS)
        assert ent._.confidence is not None, (ent.text, ent.label_)
    with tiny_trf_nlp.select_pipes(disable=["ner"]):
        doc = tiny_trf_nlp(SENTENCE)
    assert [(ent.text, ent.label_, ent._.edtf) for ent in doc.ents if ent.label_ == "DATE"] == [
        ("11 juni 1937", "DATE", "1937-06-11")
    ]


def test_round_trip_to_disk_gives_the_same_predictions(tiny_trf_nlp, tmp_path):
    import numpy
    import spacy

    tiny_trf_nlp.to_disk(tmp_path / "copy")
    copy = spacy.load(tmp_path / "copy")
    before, after = tiny_trf_nlp(SENTENCE), copy(SENTENCE)
    assert [(e.start_char, e.end_char, e.label_, e._.kb_id) for e in after.ents] == [
        (e.start_char, e.end_char, e.label_, e._.kb_id) for e in before.ents
    ]
    numpy.testing.assert_allclose(
        after._.trf_data.model_output.last_hidden_state, before._.trf_data.model_output.last_hidden_state, rtol=1e-5, atol=1e-6
    )
    ner_only = {"disable": ["terreur_names", "terreur_dates", "terreur_boundaries", "terreur_normalizer"]}
    with tiny_trf_nlp.select_pipes(**ner_only), copy.select_pipes(**ner_only):
        assert [(e.start, e.end, e.label_) for e in copy(SENTENCE).ents] == [
            (e.start, e.end, e.label_) for e in tiny_trf_nlp(SENTENCE).ents
        ]


def test_saved_model_does_not_need_the_transformer_it_started_from(tiny_trf_model_path, tiny_bert_path, tmp_path):
    """The model directory carries the weights and tokenizer: renaming the source away changes nothing."""
    import spacy

    moved = tiny_bert_path.rename(tmp_path / "moved-away")
    try:
        nlp = spacy.load(tiny_trf_model_path)
        assert nlp(SENTENCE)._.trf_data is not None
    finally:
        moved.rename(tiny_bert_path)

from __future__ import annotations

import json

import spacy

from pipeline.train import evaluate_ablation, evaluate_model, package_model
from pipeline.files import write_json_atomic

from conftest import GOLD_DIR


def test_trained_model_has_the_configured_pipeline(tiny_nlp):
    assert tiny_nlp.pipe_names == ["tok2vec", "ner", "terreur_names", "terreur_dates", "terreur_boundaries", "terreur_normalizer"]
    assert set(tiny_nlp.get_pipe("ner").labels) == {"PERSON", "ORG", "LOC", "DATE", "TRIAL"}
    assert len(tiny_nlp.get_pipe("terreur_names").patterns) > 1000  # the knowledge base's names
    assert tiny_nlp.config["nlp"]["tokenizer"]["@tokenizers"] == "terreur.DutchTokenizer.v1"


def test_model_carries_its_rules_and_knowledge_base(tiny_nlp):
    doc = tiny_nlp("Het Zinovjev-Kamenev-proces begon op 19 augustus 1936; Jeschow leidde de NKVD.")
    by_text = {e.text: e for e in doc.ents}
    assert by_text["Zinovjev-Kamenev-proces"].label_ == "TRIAL"
    assert by_text["Zinovjev-Kamenev-proces"]._.canonical == "Trial of the Sixteen"
    assert by_text["Jeschow"]._.kb_id == "per-nikolai-yezhov"
    assert by_text["19 augustus 1936"]._.edtf == "1936-08-19"


def test_evaluation_scores_exact_spans(tiny_nlp):
    result = evaluate_model(tiny_nlp, GOLD_DIR / "terror.jsonl")
    s = result["scores"]["ALL"]
    assert s["tp"] + s["fn"] == sum(len(t["spans"]) for t in map(json.loads, open(GOLD_DIR / "terror.jsonl", encoding="utf-8")))
    assert result["words_per_second"] > 0
    ablation = evaluate_ablation(tiny_nlp, GOLD_DIR / "terror.jsonl")
    # the rules alone find knowledge-base names and dates without the statistical model
    assert ablation["rules alone"]["scores"]["PERSON"]["tp"] > 100
    assert tiny_nlp.pipe_names[-1] == "terreur_normalizer"  # select_pipes restored everything


def test_package_writes_a_model_card_with_measured_scores(tiny_model_path, tiny_nlp, tmp_path):
    scores_path = tmp_path / "scores-test.json"
    result = evaluate_model(tiny_nlp, GOLD_DIR / "terror.jsonl")
    result["ablation"] = evaluate_ablation(tiny_nlp, GOLD_DIR / "terror.jsonl")
    write_json_atomic(scores_path, result)
    out = package_model(tiny_model_path, tmp_path / "models" / "m", scores_paths=[scores_path])
    card = (out / "README.md").read_text(encoding="utf-8")
    assert f"| ALL | {result['scores']['ALL']['p']:.3f} |" in card
    assert "| ner alone |" in card and "size on disk" in card
    assert spacy.load(out).pipe_names == tiny_nlp.pipe_names

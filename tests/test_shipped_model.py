"""The default model that ships in models/ loads, tags the seed article and normalizes what it finds."""
from __future__ import annotations

import json

import pytest

from pipeline.tag import default_model_path, load_model, tag_to_file

from conftest import ROOT, SEED_PATH

MODEL = ROOT / "models" / "terreur-nl-ner"


@pytest.fixture(scope="module")
def shipped():
    return load_model(MODEL)


def test_default_model_path_is_the_shipped_model():
    assert default_model_path().resolve() == MODEL.resolve()


def test_shipped_model_is_small_and_has_a_card():
    size = sum(f.stat().st_size for f in MODEL.rglob("*") if f.is_file())
    assert size < 30_000_000
    card = (MODEL / "README.md").read_text(encoding="utf-8")
    for section in ("## Data", "## Scores: scores-dev", "## Scores: scores-test", "| ner alone |", "words/s"):
        assert section in card


def test_shipped_model_tags_the_seed_article(shipped, tmp_path):
    out = tmp_path / "seed.jsonl"
    stats = tag_to_file(shipped, [SEED_PATH], out)
    assert stats.tagged == 1
    (record,) = [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()]
    spans = record["spans"]
    stalin = [s for s in spans if s["label"] == "PERSON" and s["kb_id"] == "per-joseph-stalin"]
    assert len(stalin) > 20
    assert {s["text"] for s in stalin} >= {"Stalin", "Jozef Stalin"}
    assert any(s["label"] == "DATE" and s["edtf"] == "1936/1938" for s in spans)  # "tussen 1936 en 1938"
    assert any(s["label"] == "ORG" and s["kb_id"] == "org-nkvd" for s in spans)


def test_shipped_model_links_transliterations_to_one_person(shipped):
    cases = [
        ("In 1937 tekende Jezjov de bevelen.", "Jezjov"),
        ("Der Volkskommissar Jeschow unterzeichnete.", "Jeschow"),
        ("Le commissaire Iejov a signé.", "Iejov"),
        ("Nikolai Yezhov signed the orders.", "Nikolai Yezhov"),
        ("Приказ подписал Ежов.", "Ежов"),
    ]
    for doc, (_, name) in zip(shipped.pipe(t for t, _ in cases), cases):
        (ent,) = [e for e in doc.ents if e.text == name]
        assert (ent.label_, ent._.kb_id, ent._.canonical) == ("PERSON", "per-nikolai-yezhov", "Nikolai Yezhov"), name


def test_the_config_holds_every_setting_the_shipped_model_was_trained_with():
    from spacy.util import load_config

    def flat(section, prefix=""):
        out = {}
        for key, value in section.items():
            out.update(flat(value, f"{prefix}{key}.") if isinstance(value, dict) else {f"{prefix}{key}": value})
        return out

    config = flat(load_config(ROOT / "configs" / "ner.cfg", interpolate=False))
    trained = flat(load_config(MODEL / "config.cfg", interpolate=False))
    differ = {key for key, value in config.items() if trained.get(key) != value}
    assert differ == {"paths.train", "paths.dev", "paths.extra"}  # paths are the one thing project.yml passes

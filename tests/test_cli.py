"""The command line, run in-process: exit codes, stdout for data, stderr for messages."""
from __future__ import annotations

import json
import re

import srsly
from typer.testing import CliRunner

from pipeline import __version__
from pipeline.cli import app

from conftest import DATA, GOLD_DIR, ROOT, SEED_PATH, WEB_DIR

runner = CliRunner()


def run(*args, input=None):
    return runner.invoke(app, [str(a) for a in args], input=input)


def test_version():
    result = run("--version")
    assert result.exit_code == 0, result.output
    assert result.stdout.strip() == f"terreur {__version__}"


def _commands(group, prefix=()):
    """Every command of the app, as argument lists (sub-apps such as `corpus` recursed into)."""
    for name, command in sorted(group.commands.items()):
        if hasattr(command, "commands"):  # a group
            yield from _commands(command, prefix + (name,))
        else:
            yield prefix + (name,)


def test_every_command_has_help_with_an_example():
    import typer

    commands = list(_commands(typer.main.get_command(app)))
    assert len(commands) >= 14 and ("corpus", "split") in commands and ("patterns",) not in commands
    for command in commands:
        result = run(*command, "--help")
        assert result.exit_code == 0, (command, result.output)
        assert "Example" in result.stdout, command


def test_choices_are_checked_when_the_arguments_are_parsed(tmp_path):
    result = run("tag", "-", "--engine", "spark", input="Jezjov.")
    assert result.exit_code == 2 and "spark" in result.output
    source = tmp_path / "a.jsonl"
    source.write_text('{"text": "Jezjov."}\n', encoding="utf-8")
    result = run("convert", source, tmp_path / "b.jsonl", "--from", "xml")
    assert result.exit_code == 2 and "xml" in result.output


def test_train_without_corpus_paths_says_so_in_one_line(tmp_path):
    result = run("train", ROOT / "configs" / "ner.cfg", "-o", tmp_path / "model")
    assert result.exit_code == 1
    assert "paths.train" in result.stderr and "Traceback" not in result.output
    assert len(result.stderr.strip().splitlines()) < 15, result.stderr


def test_tokenize_reads_stdin():
    result = run("tokenize", "-", input="De NKVD-agenten arresteerden Trotski’s zoon.")
    assert result.exit_code == 0, result.output
    assert result.stdout.split("\n")[:6] == ["De", "NKVD", "-", "agenten", "arresteerden", "Trotski"]


def test_validate_reports_every_problem_and_fails():
    result = run("validate", DATA / "broken.jsonl")
    assert result.exit_code == 1
    lines = result.stdout.strip().splitlines()
    assert len(lines) == 10
    assert all(line.startswith(f"{DATA / 'broken.jsonl'}:") for line in lines)
    assert all(re.search(r":\d+: \[E0\d\d\] ", line) for line in lines)  # every message prints its code
    assert "10 problem(s)" in result.stderr


def test_validate_gold_is_clean():
    result = run("validate", GOLD_DIR / "terror.jsonl")
    assert result.exit_code == 0, result.output
    assert result.stdout == ""
    assert "49 records" in result.stderr


def test_convert_iob_to_jsonl_on_stdout(tmp_path):
    bio = tmp_path / "snippet.bio"
    bio.write_text("Thorbecke B-PER\nte O\nAmsterdam. B-LOC\n", encoding="utf-8")
    result = run("convert", bio, "-", "--labels-annotated", "PERSON,LOC,ORG")
    assert result.exit_code == 0, result.output
    (task,) = [json.loads(line) for line in result.stdout.splitlines()]
    assert [(task["text"][s["start"]:s["end"]], s["label"]) for s in task["spans"]] == [("Thorbecke", "PERSON"), ("Amsterdam", "LOC")]
    assert "1 documents" in result.stderr


def test_convert_jsonl_to_docbin_and_back(tmp_path):
    spacy_path, back = tmp_path / "gold.spacy", tmp_path / "back.jsonl"
    assert run("convert", GOLD_DIR / "terror.jsonl", spacy_path).exit_code == 0
    result = run("convert", spacy_path, back)
    assert result.exit_code == 0, result.output
    original = {t["meta"]["id"]: t["spans"] for t in srsly.read_jsonl(GOLD_DIR / "terror.jsonl")}
    for task in srsly.read_jsonl(back):
        assert [(s["start"], s["end"], s["label"]) for s in task["spans"]] == \
            [(s["start"], s["end"], s["label"]) for s in original[task["meta"]["id"]]]


def test_tag_writes_jsonl_to_stdout_and_summary_to_stderr(tiny_model_path):
    result = run("tag", WEB_DIR / "web018.json", "--model", tiny_model_path)
    assert result.exit_code == 0, result.output
    (record,) = [json.loads(line) for line in result.stdout.splitlines()]
    assert record["meta"]["id"] == "web018"
    assert "1 documents tagged" in result.stderr


def test_tag_bad_line_names_file_and_line(tiny_model_path, tmp_path):
    bad = tmp_path / "batch.jsonl"
    bad.write_text('{"text": "Jezjov"}\n{"text": \n', encoding="utf-8")
    result = run("tag", bad, "--model", tiny_model_path, "-o", tmp_path / "out.jsonl")
    assert result.exit_code == 1
    assert f"{bad}:2: [E001] not valid JSON" in result.stderr
    assert "Traceback" not in result.output
    result = run("tag", bad, "--model", tiny_model_path, "-o", tmp_path / "out.jsonl", "--skip-errors")
    assert result.exit_code == 1 and f"{bad}:2:" in result.stderr and "1 documents tagged" in result.stderr
    assert len(list(srsly.read_jsonl(tmp_path / "out.jsonl"))) == 1


def test_tag_missing_model_is_one_line(tmp_path):
    result = run("tag", SEED_PATH, "--model", tmp_path / "none")
    assert result.exit_code == 1
    assert "no trained model" in result.stderr and "Traceback" not in result.output


def test_evaluate_prints_per_label_scores_and_writes_json(tiny_model_path, tmp_path):
    out = tmp_path / "scores.json"
    result = run("evaluate", tiny_model_path, GOLD_DIR / "terror.jsonl", "-o", out, "--ablation")
    assert result.exit_code == 0, result.output
    assert result.stdout.splitlines()[0].split()[:4] == ["label", "P", "R", "F1"]
    scores = json.loads(out.read_text())
    assert set(scores["scores"]) == {"PERSON", "ORG", "LOC", "DATE", "TRIAL", "ALL"}
    assert set(scores["ablation"]) == {"ner+rules", "ner alone", "rules alone"}
    assert scores["documents"] == 49


def test_corpus_report_and_agreement():
    result = run("corpus", "report", GOLD_DIR / "terror.jsonl")
    assert result.exit_code == 0, result.output
    assert "validate: 0 problem(s)" in result.stdout
    result = run("corpus", "agreement", GOLD_DIR.parent / "passes" / "pass-a.jsonl", GOLD_DIR.parent / "passes" / "pass-b.jsonl")
    assert result.exit_code == 0 and "10 documents in both passes" in result.stderr

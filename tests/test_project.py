"""The documented workflow runs: `weasel run all` on a copy of the project, with few training steps."""
from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import ROOT

pytest.importorskip("weasel", reason="the workflow needs weasel (installed with the test extra)")


@pytest.mark.slow
def test_project_workflow_rebuilds_the_model(tmp_path):
    project = tmp_path / "project"
    project.mkdir()
    for name in ("project.yml", "configs", "corpus", "annotations", "pipeline"):
        source = ROOT / name
        (shutil.copytree if source.is_dir() else shutil.copy)(source, project / name)
    env = {**os.environ, "PATH": f"{Path(sys.executable).parent}{os.pathsep}{os.environ.get('PATH', '')}"}
    env["TERREUR_TRAIN_OVERRIDES"] = "--training.max_steps 20 --corpora.train.extra_fraction 0.1"
    command = [sys.executable, "-m", "weasel", "run", "all", str(project)]
    result = subprocess.run(command, cwd=project, env=env, capture_output=True, text=True, timeout=900)
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-3000:]
    model = project / "models" / "terreur-nl-ner"
    card = (model / "README.md").read_text(encoding="utf-8")
    assert "## Scores: scores-test" in card and "| ner alone |" in card
    scores = json.loads((project / "training" / "scores-test.json").read_text(encoding="utf-8"))
    assert scores["documents"] == 10
    quality = json.loads((project / "training" / "quality.json").read_text(encoding="utf-8"))
    assert quality["validate_problems"] == [] and quality["agreement"][0]["documents"] == 10

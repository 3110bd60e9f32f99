"""Run every benchmark and refresh benchmarks/README.md.

``bench_tag.py`` and ``bench_accuracy.py`` write their own sections; this
script runs ``bench_normalize.py`` and ``bench_export.py`` and puts what
they print, with the machine they ran on, into sections of their own.

    python benchmarks/run_all.py [--model models/terreur-nl-ner]
"""
from __future__ import annotations

import subprocess
import sys
from pathlib import Path
from typing import List, Optional

import typer

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _common import load_text, log, machine_lines, write_readme_section  # noqa: E402

HERE = Path(__file__).resolve().parent

PRINTED = {
    "bench_normalize": ("Normalization speed (`bench_normalize.py`)", "Mentions per second of `normalize_mention` against a plain dict of exact aliases (the baseline), cold (caches cleared) and warm."),
    "bench_export": ("Export speed (`bench_export.py`)", "Mentions per second into each export target; the validated JSONL pass-through is the baseline."),
}


def run_printed(name: str, args: List[str]) -> None:
    title, what = PRINTED[name]
    before = load_text()
    log(f"running {name} …")
    result = subprocess.run([sys.executable, str(HERE / f"{name}.py"), *args], capture_output=True, text=True, check=True)
    body = [f"## {title}", "", what, "", *machine_lines(), f"- load average (1, 5, 15 min): {before} before, {load_text()} after", "",
            "```", result.stdout.rstrip(), "```", "", f"Rerun: `python benchmarks/{name}.py {' '.join(args)}`".rstrip()]
    write_readme_section(name, "\n".join(body))
    print(result.stdout)


def main(model: Optional[Path] = typer.Option(None, "--model", help="Model directory (default: models/terreur-nl-ner)")) -> None:
    model_args = ["--model", str(model)] if model else []
    for script in ("bench_accuracy", "bench_tag"):
        log(f"running {script} …")
        subprocess.run([sys.executable, str(HERE / f"{script}.py"), "--write-readme", *model_args], check=True)
    run_printed("bench_normalize", ["--repeats", "5"])
    run_printed("bench_export", ["--docs", "2000"])


if __name__ == "__main__":
    typer.run(main)

"""What the benchmark scripts share: the model to measure, the machine, and their README sections.

Each script owns one section of ``benchmarks/README.md``, between
``<!-- NAME -->`` and ``<!-- /NAME -->``; it rewrites only that section, so
other scripts' sections (normalize, export…) stay as their authors left them.
"""
from __future__ import annotations

import os
import platform
import re
import sys
import time
from pathlib import Path
from typing import List, Optional, Sequence

from pipeline.files import write_text_atomic

ROOT = Path(__file__).resolve().parent.parent
README_PATH = Path(__file__).resolve().parent / "README.md"
# The shipped model first; then the development run's model, so the benchmarks work before one is shipped.
MODEL_CANDIDATES = [ROOT / "models" / "terreur-nl-ner"]
README_HEADER = "# Benchmarks\n\nEach section is written by its script with `--write-readme`; rerun the script to refresh it.\n"


def resolve_model(model: Optional[Path]) -> Path:
    """The model to measure: ``--model`` if given, else the first of MODEL_CANDIDATES that exists.

    model (Path | None): the ``--model`` option.
    RETURNS (Path): a model directory with a config.cfg. Exits with a one-line message when there is none.
    """
    if model is not None:
        candidates = [model]
    else:
        candidates = MODEL_CANDIDATES
    for path in candidates:
        if (path / "config.cfg").exists():
            return path
    tried = ", ".join(str(p) for p in candidates)
    sys.exit(f"✘ no trained model at {tried}: pass --model PATH (or build one with `weasel run all`)")


def log(message: str) -> None:
    """Progress goes to stderr; stdout is for the tables."""
    print(message, file=sys.stderr, flush=True)


def _cpu_model() -> str:
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or "unknown"


def _ram_gb() -> str:
    try:
        for line in Path("/proc/meminfo").read_text().splitlines():
            if line.startswith("MemTotal"):
                return f"{int(line.split()[1]) / 1024 / 1024:.1f} GiB"
    except OSError:
        pass
    return "unknown"


def load_text() -> str:
    """The load averages now (1, 5, 15 minutes), as ``uptime`` prints them."""
    one, five, fifteen = os.getloadavg()
    return f"{one:.2f}, {five:.2f}, {fifteen:.2f}"


def machine_lines() -> List[str]:
    """The machine and software the numbers were measured on."""
    import spacy

    return [
        f"- date: {time.strftime('%Y-%m-%d %H:%M %Z')}",
        f"- CPU: {_cpu_model()}, `nproc` = {len(os.sched_getaffinity(0)) if hasattr(os, 'sched_getaffinity') else os.cpu_count()}",
        f"- RAM: {_ram_gb()}",
        f"- Python {platform.python_version()}, spaCy {spacy.__version__}, {platform.system()} {platform.release()}",
    ]


def write_readme_section(name: str, body: str, *, readme_path: Path = README_PATH) -> None:
    """Replace this script's section of the benchmarks README (or add it at the end), atomically.

    name (str): the section's marker, e.g. ``bench_tag``.
    body (str): the section's Markdown, without the markers.
    """
    start, end = f"<!-- {name} -->", f"<!-- /{name} -->"
    section = f"{start}\n{body.rstrip()}\n{end}"
    text = readme_path.read_text(encoding="utf-8") if readme_path.exists() else README_HEADER
    pattern = re.compile(re.escape(start) + r".*?" + re.escape(end), re.DOTALL)
    if pattern.search(text):
        text = pattern.sub(lambda _: section, text, count=1)
    else:
        text = text.rstrip("\n") + "\n\n" + section + "\n"
    write_text_atomic(readme_path, text)


def format_table(header: Sequence[str], rows: Sequence[Sequence[str]], *, markdown: bool = False) -> str:
    """A table as aligned plain text (first column left, the rest right) or as Markdown."""
    if markdown:
        lines = ["| " + " | ".join(header) + " |", "|" + "|".join(["---"] + ["---:"] * (len(header) - 1)) + "|"]
        lines += ["| " + " | ".join(row) + " |" for row in rows]
        return "\n".join(lines)
    widths = [max(len(str(r[i])) for r in [header, *rows]) for i in range(len(header))]
    out = []
    for row in [header, *rows]:
        cells = [str(c).ljust(widths[0]) if i == 0 else str(c).rjust(widths[i]) for i, c in enumerate(row)]
        out.append("  ".join(cells).rstrip())
    return "\n".join(out)

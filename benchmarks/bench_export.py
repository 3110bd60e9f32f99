"""Mentions per second exported to SQLite and PostgreSQL, against the JSONL pass-through.

Builds a synthetic archive by repeating tests/data/tagged_sample.jsonl with
distinct texts (each copy gets a numbered closing line, and tokens from the
project's tokenizer), then times `export_entities` into each target on a
fresh database (best of --repeats), and once more into the filled one (the
re-run, where every document is unchanged). PostgreSQL is a throwaway
server with fsync on (tests/pg_server.py), or $TERREUR_TEST_POSTGRES_URL;
without either it is left out of the table, saying why.

Run:  python benchmarks/bench_export.py --docs 2000
"""
from __future__ import annotations

import contextlib
import json
import sys
import tempfile
import time
from pathlib import Path
from typing import Callable, List, Optional, Tuple

import typer

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests"))

from pg_server import NoPostgres, postgres_url  # noqa: E402

from pipeline import export  # noqa: E402
from pipeline.tasks import doc_to_task, task_to_doc  # noqa: E402
from pipeline.tokenizer import make_blank_dutch  # noqa: E402

SAMPLE_PATH = ROOT / "tests" / "data" / "tagged_sample.jsonl"


def make_archive(path: Path, n_docs: int) -> Tuple[int, int]:
    """Write ``n_docs`` tagged documents (the sample, repeated with distinct texts) to ``path``.

    RETURNS (Tuple[int, int]): documents and mentions written.
    """
    nlp = make_blank_dutch()
    sample = [json.loads(line) for line in SAMPLE_PATH.read_text(encoding="utf-8").splitlines() if line.strip()]
    mentions = 0
    with path.open("w", encoding="utf-8") as f:
        for i in range(n_docs):
            base = sample[i % len(sample)]
            task = {key: value for key, value in base.items() if key not in ("tokens", "_input_hash", "_task_hash")}
            task["text"] = f"{base['text']}\n\nKopie {i} uit het archief."
            task["meta"] = {**base["meta"], "id": f"{base['meta']['id']}-{i}"}
            tagged = doc_to_task(task_to_doc(nlp, task))
            f.write(json.dumps(tagged, ensure_ascii=False) + "\n")
            mentions += len(tagged["spans"])
    return n_docs, mentions


def timed(run: Callable[[], export.ExportStats]) -> Tuple[float, export.ExportStats]:
    start = time.perf_counter()
    stats = run()
    return time.perf_counter() - start, stats


def best_of(repeats: int, fresh: Callable[[int], str], archive: Path, batch_size: int) -> Tuple[float, export.ExportStats, str]:
    best: Optional[Tuple[float, export.ExportStats, str]] = None
    for attempt in range(repeats):
        target = fresh(attempt)
        seconds, stats = timed(lambda: export.export_entities(archive, target, batch_size=batch_size))
        if best is None or seconds < best[0]:
            best = (seconds, stats, target)
    assert best is not None
    return best


def drop_tables(url: str) -> None:
    engine = export.create_engine_for(export.parse_target(url))
    try:
        export.get_metadata().drop_all(engine)
    finally:
        engine.dispose()


def main(
    # fmt: off
    docs: int = typer.Option(2000, "--docs", "-n", help="Documents in the synthetic archive"),
    batch_size: int = typer.Option(export.DEFAULT_BATCH_SIZE, "--batch-size", "-b", help="Documents per transaction"),
    repeats: int = typer.Option(3, "--repeats", "-r", help="Runs per target; the fastest counts"),
    postgres: bool = typer.Option(True, "--postgres/--no-postgres", help="Include PostgreSQL"),
    # fmt: on
) -> None:
    """Print mentions/second per export target, with ratios to the JSONL pass-through."""
    rows: List[Tuple[str, float, export.ExportStats]] = []
    notes: List[str] = []
    with tempfile.TemporaryDirectory(prefix="terreur-bench-") as tmp, contextlib.ExitStack() as stack:
        work = Path(tmp)
        archive = work / "archive.jsonl"
        n_docs, n_mentions = make_archive(archive, docs)
        print(f"archive: {n_docs} documents, {n_mentions} mentions, {archive.stat().st_size / 1e6:.1f} MB; "
              f"batch size {batch_size}; best of {repeats}", file=sys.stderr)  # fmt: skip

        seconds, stats, _ = best_of(repeats, lambda i: f"jsonl:{work / f'out{i}.jsonl'}", archive, batch_size)
        rows.append(("jsonl pass-through (baseline)", seconds, stats))

        seconds, stats, url = best_of(repeats, lambda i: f"sqlite:///{work / f'bench{i}.db'}", archive, batch_size)
        rows.append(("sqlite", seconds, stats))
        seconds, stats = timed(lambda: export.export_entities(archive, url, batch_size=batch_size))
        rows.append(("sqlite, re-run (all unchanged)", seconds, stats))

        if postgres:
            try:
                pg_url = stack.enter_context(postgres_url(fsync=True))
            except NoPostgres as err:
                notes.append(f"postgresql left out: {err}")
            else:

                def fresh_pg(_: int) -> str:
                    drop_tables(pg_url)
                    return pg_url

                seconds, stats, _ = best_of(repeats, fresh_pg, archive, batch_size)
                rows.append(("postgresql", seconds, stats))
                seconds, stats = timed(lambda: export.export_entities(archive, pg_url, batch_size=batch_size))
                rows.append(("postgresql, re-run (all unchanged)", seconds, stats))

        seconds, stats, _ = best_of(repeats, lambda i: f"csv:{work / f'csv{i}'}", archive, batch_size)
        rows.append(("csv", seconds, stats))
        seconds, stats, _ = best_of(1, lambda i: f"tei:{work / f'tei{i}'}", archive, batch_size)
        rows.append(("tei", seconds, stats))

    baseline = n_mentions / rows[0][1]
    print(f"{'target':<36} {'seconds':>8} {'docs/s':>9} {'mentions/s':>11} {'vs jsonl':>9}")
    for name, seconds, stats in rows:
        rate = n_mentions / seconds
        print(f"{name:<36} {seconds:>8.2f} {n_docs / seconds:>9.0f} {rate:>11.0f} {rate / baseline:>8.2f}x")
    for note in notes:
        print(note)


if __name__ == "__main__":
    typer.run(main)

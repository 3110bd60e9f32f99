"""Words per second and peak memory of ``terreur tag``, beside the tokenizer alone and a plain spaCy NER.

The input is several MB of JSONL built in a temp folder from the project's
own texts, repeated: the Terror documents (``corpus/terror``) and the
Europeana newspaper chunks (``training/europeana.jsonl``), alternating, so
both kinds of text weigh in. Each variant runs in a subprocess of its own,
so peak memory is its own; a thread in the subprocess reads the peak
resident set (``VmHWM``) of the process and of every worker process it
starts (``--n-process``, Dask workers), and the table gives their sum.

Variants, all on the same input in the same run:

- ``tokenizer``: our tokenizer alone (``nlp.make_doc``), the upper bound;
- ``spaCy NER``: a plain spaCy pipeline from ``spacy init config --lang nl
  --pipeline ner --optimize efficiency``, trained for ``--baseline-steps`` on
  the gold train split (its accuracy is not the point, its speed is);
- ``terreur tag``: ``tag_to_file``, the function the command calls: reading
  the JSONL, tokenizer, tok2vec, NER, rules, normalizer, writing JSONL, with
  ``--n-process 1`` and ``2``;
- ``dask``: ``tag_with_dask`` on a LocalCluster with 1 and 2 workers (one
  thread each), cluster started and model loaded on the workers before the
  clock starts (reported as start-up).

Words are tokens with a letter or digit (``pipeline.tag.count_words``),
counted once by our tokenizer, so every variant's words/s is for the same
text. A second table splits the full pipeline's time by stage, on the first
``--breakdown-mb`` of the input.

    python benchmarks/bench_tag.py                       # 2 MB, under 5 minutes on 2 cores
    python benchmarks/bench_tag.py --mb 5 --write-readme
"""
from __future__ import annotations

import itertools
import json
import os
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path
from typing import Any, Dict, Iterator, List, Optional

import typer

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _common import ROOT, format_table, load_text, log, machine_lines, resolve_model, write_readme_section  # noqa: E402

TARGET_WORDS_PER_SECOND = 5000
SECTION = "bench_tag"


# --- input ----------------------------------------------------------------------------


def source_texts() -> Iterator[Dict[str, Any]]:
    """Terror documents and Europeana chunks, alternating, forever (each pass is one copy)."""
    import srsly

    from pipeline.ingest import Record, iter_records

    terror = [r for r in iter_records([ROOT / "corpus" / "terror"]) if isinstance(r, Record)]
    europeana = [t for t in srsly.read_jsonl(ROOT / "training" / "europeana.jsonl") if t.get("text", "").strip()]
    for copy in itertools.count():
        for i, (a, b) in enumerate(itertools.zip_longest(terror, europeana)):
            if a is not None:
                yield {"text": a.text, "meta": {"id": f"{a.meta.get('id') or a.source}#{copy}"}}
            if b is not None:
                yield {"text": b["text"], "meta": {"id": f"europeana-{i}#{copy}"}}


def write_input(path: Path, megabytes: float) -> Dict[str, int]:
    """Write ``megabytes`` of text (UTF-8) as JSONL records; RETURNS the counts."""
    import srsly

    size, docs = 0, 0
    with path.open("w", encoding="utf-8") as f:
        for record in source_texts():
            f.write(srsly.json_dumps(record) + "\n")
            size += len(record["text"].encode("utf-8"))
            docs += 1
            if size >= megabytes * 1e6:
                break
    return {"bytes": size, "docs": docs}


def train_plain_ner(work: Path, steps: int) -> Path:
    """spaCy's default NER config for Dutch (efficiency), trained ``steps`` steps on the gold train split."""
    from pipeline.tasks import docs_to_docbin, read_tasks, task_to_doc
    from pipeline.tokenizer import make_blank_dutch

    nlp = make_blank_dutch()
    for split in ("train", "dev"):
        docs = [task_to_doc(nlp, t) for _, t in read_tasks(ROOT / "training" / f"{split}.jsonl") if t.get("answer", "accept") == "accept"]
        docs_to_docbin(docs).to_disk(work / f"{split}.spacy")
    config = work / "plain-ner.cfg"
    run = lambda args: subprocess.run([sys.executable, "-m", "spacy", *args], check=True, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)  # noqa: E731
    run(["init", "config", str(config), "--lang", "nl", "--pipeline", "ner", "--optimize", "efficiency", "--force"])
    run([
        "train", str(config), "--output", str(work / "plain-ner"), "--paths.train", str(work / "train.spacy"),
        "--paths.dev", str(work / "dev.spacy"), "--training.max_steps", str(steps), "--training.eval_frequency", str(steps),
    ])
    return work / "plain-ner" / "model-last"


# --- memory ---------------------------------------------------------------------------


def _vm_hwm_kb(pid: int) -> Optional[int]:
    try:
        with open(f"/proc/{pid}/status") as f:
            for line in f:
                if line.startswith("VmHWM:"):
                    return int(line.split()[1])
    except OSError:
        return None
    return None


def _descendants(pid: int) -> List[int]:
    found, todo = [], [pid]
    while todo:
        current = todo.pop()
        try:
            tids = os.listdir(f"/proc/{current}/task")
        except OSError:
            continue
        for tid in tids:
            try:
                with open(f"/proc/{current}/task/{tid}/children") as f:
                    children = [int(c) for c in f.read().split()]
            except OSError:
                continue
            found.extend(children)
            todo.extend(children)
    return found


class PeakMemory:
    """Peak resident memory of this process and of every process it starts, sampled from /proc.

    VmHWM is each process's own high-water mark, so sampling only has to see
    a worker once before it exits; the sum over processes is what the run
    needed at most (shared pages counted once per process).
    """

    def __init__(self, interval: float = 0.25) -> None:
        self.interval = interval
        self.peaks: Dict[int, int] = {}
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def __enter__(self) -> "PeakMemory":
        self._thread.start()
        return self

    def __exit__(self, *exc: Any) -> None:
        self.sample()
        self._stop.set()
        self._thread.join()

    def _run(self) -> None:
        while not self._stop.wait(self.interval):
            self.sample()

    def sample(self) -> None:
        for pid in [os.getpid(), *_descendants(os.getpid())]:
            kb = _vm_hwm_kb(pid)
            if kb is not None:
                self.peaks[pid] = max(kb, self.peaks.get(pid, 0))

    @property
    def main_mb(self) -> float:
        return self.peaks.get(os.getpid(), 0) / 1024

    @property
    def total_mb(self) -> float:
        return sum(self.peaks.values()) / 1024

    @property
    def processes(self) -> int:
        return len(self.peaks)


# --- variants (each runs in its own subprocess) -------------------------------------------


def _texts(input_path: Path) -> List[str]:
    from pipeline.ingest import iter_records

    return [r.text for r in iter_records([input_path])]


def _is_word(text: str) -> bool:
    return any(c.isalnum() for c in text)


def run_variant(variant: str, input_path: Path, work: Path, model: Path, plain: Optional[Path], batch_size: int, breakdown_mb: float) -> Dict[str, Any]:
    """One measurement; RETURNS startup and run seconds, words, and the memory peaks."""
    from pipeline.tag import load_model, tag_to_file

    result: Dict[str, Any] = {"variant": variant}
    with PeakMemory() as memory:
        start = time.perf_counter()
        if variant == "tokenizer":
            nlp = load_model(model)
            texts = _texts(input_path)
            result["startup"] = time.perf_counter() - start
            start = time.perf_counter()
            result["words"] = sum(1 for text in texts for t in nlp.make_doc(text) if _is_word(t.text))
        elif variant == "plain":
            import spacy

            nlp = spacy.load(plain)
            texts = _texts(input_path)
            result["startup"] = time.perf_counter() - start
            start = time.perf_counter()
            result["ents"] = sum(len(doc.ents) for doc in nlp.pipe(texts, batch_size=batch_size))
        elif variant.startswith("tag-"):
            nlp = load_model(model)
            result["startup"] = time.perf_counter() - start
            start = time.perf_counter()
            stats = tag_to_file(nlp, [input_path], work / f"{variant}.jsonl", batch_size=batch_size, n_process=int(variant[-1]))
            result["words"] = stats.words
        elif variant.startswith("dask-"):
            from distributed import Client, LocalCluster

            from pipeline.tag_dask import _worker_model, tag_with_dask

            cluster = LocalCluster(n_workers=int(variant[-1]), threads_per_worker=1, processes=True, dashboard_address=None)
            client = Client(cluster)
            client.run(_worker_model, str(model))  # each worker loads the model once, as on its first partition
            result["startup"] = time.perf_counter() - start
            start = time.perf_counter()
            stats = tag_with_dask(model, [input_path], work / f"{variant}.jsonl", client=client, batch_size=batch_size)
            result["words"] = stats.words
            result["seconds"] = time.perf_counter() - start
            memory.sample()  # before the workers go
            client.close()
            cluster.close()
        elif variant == "stages":
            result["stages"] = time_stages(model, input_path, batch_size, breakdown_mb)
        else:
            raise ValueError(f"unknown variant {variant!r}")
        result.setdefault("seconds", time.perf_counter() - start)
    result.update(peak_mb=memory.total_mb, main_mb=memory.main_mb, processes=memory.processes)
    return result


def time_stages(model: Path, input_path: Path, batch_size: int, megabytes: float) -> List[Dict[str, Any]]:
    """Seconds per stage of the full pipeline on the first ``megabytes`` of the input, one stage at a time."""
    import srsly

    from pipeline.ingest import iter_records
    from pipeline.tag import load_model, tagged_task

    nlp = load_model(model)
    stages = []
    start = time.perf_counter()
    records, size = [], 0
    for record in iter_records([input_path]):
        records.append(record)
        size += len(record.text.encode("utf-8"))
        if size >= megabytes * 1e6:
            break
    stages.append(("read input (ingest)", time.perf_counter() - start))
    start = time.perf_counter()
    docs = [nlp.make_doc(r.text) for r in records]
    stages.append(("tokenizer", time.perf_counter() - start))
    words = sum(1 for doc in docs for t in doc if _is_word(t.text))
    for name, proc in nlp.pipeline:
        start = time.perf_counter()
        if hasattr(proc, "pipe"):
            docs = list(proc.pipe(docs, batch_size=batch_size))
        else:
            docs = [proc(doc) for doc in docs]
        stages.append((name, time.perf_counter() - start))
    start = time.perf_counter()
    for doc, record in zip(docs, records):
        srsly.json_dumps(tagged_task(doc, record))
    stages.append(("output (tagged_task + JSON)", time.perf_counter() - start))
    return [{"stage": name, "seconds": seconds, "words": words, "bytes": size} for name, seconds in stages]


def measure(variant: str, args: List[str]) -> Dict[str, Any]:
    """Run one variant in a fresh interpreter; RETURNS its result."""
    log(f"· {variant} …")
    done = subprocess.run([sys.executable, __file__, "--child", variant, *args], stdout=subprocess.PIPE, text=True)
    if done.returncode != 0:
        raise SystemExit(f"✘ variant {variant} failed (exit {done.returncode}); its messages are above")
    result = json.loads(done.stdout.strip().splitlines()[-1])
    if "seconds" in result and variant != "stages":
        log(f"  {result['seconds']:.1f} s, peak {result['peak_mb']:.0f} MB")
    return result


# --- report ---------------------------------------------------------------------------------


LABELS = {
    "tokenizer": "tokenizer alone (nlp.make_doc)",
    "plain": "spaCy NER, default config (efficiency)",
    "tag-1": "terreur tag, --n-process 1",
    "tag-2": "terreur tag, --n-process 2",
    "dask-1": "terreur tag --engine dask, 1 worker",
    "dask-2": "terreur tag --engine dask, 2 workers",
}


def speed_rows(results: Dict[str, Dict[str, Any]], words: int) -> List[List[str]]:
    base = words / results["tokenizer"]["seconds"]
    rows = []
    for key, res in results.items():
        rate = words / res["seconds"]
        rows.append([
            LABELS[key], f"{rate:,.0f}", f"{rate / base:.3f}", f"{res['startup']:.1f}", f"{res['seconds']:.1f}",
            f"{res['peak_mb']:,.0f}", str(res["processes"]),
        ])
    return rows


SPEED_HEADER = ["variant", "words/s", "× tokenizer", "start-up s", "run s", "peak RSS MB", "processes"]


def engine_rows(results: Dict[str, Dict[str, Any]], words: int) -> List[List[str]]:
    base = words / results["tag-1"]["seconds"]
    rows = []
    for key, engine, workers in [("tag-1", "local", 1), ("tag-2", "local", 2), ("dask-1", "dask", 1), ("dask-2", "dask", 2)]:
        if key in results:
            rate = words / results[key]["seconds"]
            rows.append([engine, str(workers), f"{rate:,.0f}", f"{rate / base:.2f}", f"{results[key]['peak_mb']:,.0f}"])
    return rows


ENGINE_HEADER = ["engine", "processes", "words/s", "× local n1", "peak RSS MB"]


def stage_rows(stages: List[Dict[str, Any]]) -> List[List[str]]:
    total = sum(s["seconds"] for s in stages)
    words = stages[0]["words"]
    rows = [[s["stage"], f"{s['seconds']:.2f}", f"{100 * s['seconds'] / total:.1f}%", f"{words / s['seconds']:,.0f}"] for s in stages]
    rows.append(["all stages", f"{total:.2f}", "100%", f"{words / total:,.0f}"])
    return rows


STAGE_HEADER = ["stage", "seconds", "share", "words/s alone"]


def main(
    # fmt: off
    model: Optional[Path] = typer.Option(None, "--model", "-m", help="Model directory (default: models/terreur-nl-ner)"),
    megabytes: float = typer.Option(2.0, "--mb", help="Input size in MB of text"),
    batch_size: int = typer.Option(64, "--batch-size", "-b", help="Documents per batch, as terreur tag's --batch-size"),
    baseline_steps: int = typer.Option(100, "--baseline-steps", help="Training steps for the plain spaCy NER"),
    dask: bool = typer.Option(True, "--dask/--no-dask", help="Also measure the Dask engine with 1 and 2 workers"),
    breakdown_mb: float = typer.Option(0.5, "--breakdown-mb", help="MB of the input for the time-per-stage table"),
    write_readme: bool = typer.Option(False, "--write-readme", help="Write the tables into benchmarks/README.md (section bench_tag)"),
    child: Optional[str] = typer.Option(None, "--child", hidden=True),
    input_path: Optional[Path] = typer.Option(None, "--input", hidden=True),
    work: Optional[Path] = typer.Option(None, "--work", hidden=True),
    plain: Optional[Path] = typer.Option(None, "--plain", hidden=True),
    # fmt: on
) -> None:
    """Print words/s and peak memory of terreur tag beside the tokenizer alone and a plain spaCy NER,
    the local and Dask engines with 1 and 2 processes, and where the time goes."""
    if child:
        result = run_variant(child, input_path, work, model, plain, batch_size, breakdown_mb)
        print(json.dumps(result))
        return
    model = resolve_model(model)
    load_before = load_text()
    total_start = time.perf_counter()
    with tempfile.TemporaryDirectory(prefix="bench-tag-") as tmp:
        work = Path(tmp)
        input_path = work / "input.jsonl"
        counts = write_input(input_path, megabytes)
        log(f"input: {counts['docs']} documents, {counts['bytes'] / 1e6:.2f} MB of text → {input_path}")
        log(f"training the plain spaCy NER ({baseline_steps} steps) …")
        start = time.perf_counter()
        plain = train_plain_ner(work, baseline_steps)
        log(f"  {time.perf_counter() - start:.0f} s")
        args = ["--model", str(model), "--input", str(input_path), "--work", str(work), "--plain", str(plain),
                "--batch-size", str(batch_size), "--breakdown-mb", str(breakdown_mb)]
        variants = ["tokenizer", "plain", "tag-1", "tag-2"] + (["dask-1", "dask-2"] if dask else [])
        results = {v: measure(v, args) for v in variants}
        stages = measure("stages", args)["stages"]
    load_after = load_text()
    words = results["tokenizer"]["words"]
    tag_rate = words / results["tag-1"]["seconds"]
    verdict = "met" if tag_rate >= TARGET_WORDS_PER_SECOND else "NOT met"

    intro = [
        f"model: {model}",
        f"input: {counts['docs']} documents, {counts['bytes'] / 1e6:.2f} MB of text, {words:,} words "
        f"(terreur tag counted {results['tag-1']['words']:,}); batch size {batch_size}",
        f"load average (1, 5, 15 min): {load_before} before, {load_after} after; whole script {time.perf_counter() - total_start:.0f} s",
    ]
    target = f"target: terreur tag ≥ {TARGET_WORDS_PER_SECOND:,} words/s on one core with normalization: {tag_rate:,.0f} words/s, {verdict}"
    stage_title = f"Where the time goes: the full pipeline one stage at a time, first {stages[0]['bytes'] / 1e6:.2f} MB ({stages[0]['words']:,} words)"
    print("\n".join(intro))
    print()
    print(format_table(SPEED_HEADER, speed_rows(results, words)))
    print(target)
    if dask:
        print()
        print(format_table(ENGINE_HEADER, engine_rows(results, words)))
    print()
    print(stage_title)
    print(format_table(STAGE_HEADER, stage_rows(stages)))

    if write_readme:
        body = [
            "## Tagging speed and memory (`bench_tag.py`)",
            "",
            "Words per second (tokens with a letter or digit) and peak resident memory (the sum of each process's "
            "VmHWM: main process and workers) of `terreur tag` (`tag_to_file`: reading JSONL, tokenizer, tok2vec, "
            "NER, rules, normalizer, writing JSONL), beside our tokenizer alone and a plain spaCy NER from "
            f"`spacy init config --lang nl --pipeline ner --optimize efficiency` ({baseline_steps} training steps on "
            "the gold train split). Each variant ran in its own subprocess; start-up (model load; for Dask, the "
            "LocalCluster and the model on each worker) is not in words/s. Input: the Terror documents and "
            "Europeana chunks, alternating and repeated.",
            "",
            *machine_lines(),
            *[f"- {line}" for line in intro],
            "",
            format_table(SPEED_HEADER, speed_rows(results, words), markdown=True),
            "",
            f"**{target}**",
            "",
        ]
        if dask:
            body += ["Engines, same input, same run:", "", format_table(ENGINE_HEADER, engine_rows(results, words), markdown=True), ""]
        body += [f"{stage_title}:", "", format_table(STAGE_HEADER, stage_rows(stages), markdown=True), "",
                 f"Rerun: `python benchmarks/bench_tag.py --mb {megabytes:g} --write-readme`"]
        write_readme_section(SECTION, "\n".join(body))
        log(f"✔ wrote the {SECTION} section of benchmarks/README.md")


if __name__ == "__main__":
    typer.run(main)

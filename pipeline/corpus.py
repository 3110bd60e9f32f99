"""The gold corpus: document-level splits, agreement between passes, and the quality report.

Sits after ``normalize`` in the stage order because the quality report
looks for knowledge-base names that the annotators left unannotated.

The splits are fixed in ``corpus/manifest.jsonl`` (one line per document,
with its ``split``); nothing here decides a split by chance. Europeana's
newspaper chunks, which have no manifest line each, go 8:1:1 to
train/dev/test by their position in the file.
"""
from __future__ import annotations

import re
from collections import Counter, defaultdict
from pathlib import Path
from typing import Any, Dict, Iterable, List, Optional, Sequence, Tuple, Union

import srsly
from spacy.language import Language

from .errors import InputError, Messages
from .files import write_jsonl_atomic
from .guidelines import LABELS
from .normalize import KnowledgeBase, load_kb
from .scoring import span_scores
from .tasks import document_key, read_tasks
from .validate import validate_file

SPLITS = ("train", "dev", "test")


def read_manifest(path: Path) -> Dict[str, Dict[str, Any]]:
    """The manifest's records by document id."""
    if not path.exists():
        raise InputError(path, None, Messages.E026)
    return {record["id"]: record for record in srsly.read_jsonl(path)}


def europeana_split(index: int) -> str:
    """Every tenth chunk to dev, the next to test, the rest to train."""
    return {8: "dev", 9: "test"}.get(index % 10, "train")


def split_corpus(
    gold_paths: Union[Path, Sequence[Path]],
    manifest_path: Path,
    output_dir: Path,
    *,
    extra_path: Optional[Path] = None,
    extra_name: str = "europeana",
) -> Dict[str, int]:
    """Write ``{split}.jsonl`` for the gold documents and ``{extra_name}-{split}.jsonl`` for the extra corpus.

    gold_paths (Path | Sequence[Path]): one or more gold files, read in order.
        A document whose manifest split is not train, dev or test (the blind
        test set) is refused: it must never reach a training file.
    RETURNS (Dict[str, int]): documents written per output file name.
    """
    manifest = read_manifest(manifest_path)
    by_split: Dict[str, List[Dict[str, Any]]] = defaultdict(list)
    for gold_path in [gold_paths] if isinstance(gold_paths, Path) else gold_paths:
        for line, task in read_tasks(gold_path):
            doc_id = (task.get("meta") or {}).get("id")
            if doc_id not in manifest:
                raise InputError(gold_path, line, Messages.E027.format(doc_id=doc_id, manifest=manifest_path))
            split = manifest[doc_id]["split"]
            if split not in SPLITS:
                raise InputError(gold_path, line, Messages.E032.format(doc_id=doc_id, split=split, splits=", ".join(SPLITS)))
            task.setdefault("meta", {})["split"] = split
            by_split[split].append(task)
    counts = {}
    for split in SPLITS:
        counts[f"{split}.jsonl"] = write_jsonl_atomic(output_dir / f"{split}.jsonl", by_split[split])
    if extra_path is not None:
        extra: Dict[str, List[Dict[str, Any]]] = defaultdict(list)
        for index, (_, task) in enumerate(read_tasks(extra_path)):
            split = europeana_split(index)
            task.setdefault("meta", {})["split"] = split
            extra[split].append(task)
        for split in SPLITS:
            name = f"{extra_name}-{split}.jsonl"
            counts[name] = write_jsonl_atomic(output_dir / name, extra[split])
    return counts


# --- quality report -----------------------------------------------------------------


def label_conflicts(tasks: Iterable[Dict[str, Any]]) -> Dict[str, Dict[str, int]]:
    """Surface strings labelled differently in different places: {text: {label: count}}."""
    labels: Dict[str, Counter] = defaultdict(Counter)
    for task in tasks:
        for span in task.get("spans", []):
            labels[task["text"][span["start"] : span["end"]]][span["label"]] += 1
    return {text: dict(counts) for text, counts in sorted(labels.items()) if len(counts) > 1}


def unannotated_names(
    tasks: Iterable[Dict[str, Any]], names: Iterable[Tuple[str, str]], *, min_length: int = 4
) -> List[Dict[str, Any]]:
    """Knowledge-base names found in a text (whole words, case-sensitive) but outside every span.

    names (Iterable[Tuple[str, str]]): (label, name) pairs.
    RETURNS (List[Dict]): {"id", "start", "end", "text", "label"} for each unannotated occurrence.
    """
    labels: Dict[str, str] = {}
    for label, name in names:
        if len(name) >= min_length:
            labels.setdefault(name, label)
    if not labels:
        return []
    # one alternation, longest names first, so the longest name at a position wins
    alternatives = "|".join(re.escape(n) for n in sorted(labels, key=len, reverse=True))
    pattern = re.compile(rf"(?<!\w)(?:{alternatives})(?!\w)")
    found = []
    for task in tasks:
        covered = [(s["start"], s["end"]) for s in task.get("spans", [])]
        for match in pattern.finditer(task["text"]):
            start, end = match.span()
            if not any(s <= start and end <= e for s, e in covered):
                found.append({"id": document_key(task), "start": start, "end": end, "text": match.group(), "label": labels[match.group()]})
    return found


def collection_of(task: Dict[str, Any]) -> str:
    """The collection a document comes from: its source file's folder under ``corpus/`` (``terror/web``, ``general/ud``)."""
    source = str((task.get("meta") or {}).get("source") or "")
    parts = Path(source).parts
    if "corpus" in parts:
        parts = parts[parts.index("corpus") + 1 :]
    return "/".join(parts[:-1]) or source or "unknown"


def corpus_counts(tasks: Iterable[Dict[str, Any]], nlp: Language, *, by: str = "split") -> Dict[str, Dict[str, int]]:
    """Documents, tokens and entities per label, per split (``by="split"``) or per split and collection (``by="source"``)."""
    counts: Dict[str, Counter] = defaultdict(Counter)
    for task in tasks:
        key = (task.get("meta") or {}).get("split", "unsplit")
        if by == "source":
            key = f"{key} {collection_of(task)}"
        counts[key]["documents"] += 1
        counts[key]["tokens"] += len(task["tokens"]) if task.get("tokens") else len(nlp.make_doc(task["text"]))
        for span in task.get("spans", []):
            counts[key][span["label"]] += 1
    return {key: dict(c) for key, c in sorted(counts.items())}


def correction_counts(pre_path: Path, corrected_path: Path) -> Dict[str, Any]:
    """How much a correction pass changed the model's pre-annotations, over the documents in both files.

    kept: the same span and label; changed: a corrected span that overlaps a
    pre-annotated one with other boundaries or another label; added: a span
    that overlaps no pre-annotation; removed: a pre-annotation that overlaps
    no corrected span. Each span is counted once.
    """
    pre = {document_key(t): t for _, t in read_tasks(pre_path)}
    counts: Counter = Counter()
    documents = 0
    for _, task in read_tasks(corrected_path):
        key = document_key(task)
        if key not in pre:
            continue
        documents += 1
        before = {(s["start"], s["end"], s["label"]) for s in pre[key].get("spans", [])}
        after = {(s["start"], s["end"], s["label"]) for s in task.get("spans", [])}
        counts["kept"] += len(before & after)
        for start, end, _ in after - before:
            counts["changed" if any(s < end and start < e for s, e, _ in before - after) else "added"] += 1
        counts["removed"] += sum(1 for s, e, _ in before - after if not any(a < e and s < b for a, b, _ in after - before))
    return {"documents": documents, "pre": str(pre_path), "corrected": str(corrected_path), **{k: counts[k] for k in ("kept", "changed", "added", "removed")}}


def quality_report(
    nlp: Language,
    gold_paths: Sequence[Path],
    *,
    manifest_path: Optional[Path] = None,
    kb: Optional[KnowledgeBase] = None,
) -> Dict[str, Any]:
    """Everything the issue asks a gold corpus to be checked for, as one JSON-able dict."""
    kb = kb if kb is not None else load_kb()
    manifest = read_manifest(manifest_path) if manifest_path else {}
    problems: List[str] = []
    tasks: List[Dict[str, Any]] = []
    for path in gold_paths:
        _, found = validate_file(nlp, path)
        problems.extend(str(p) for p in found)
        for _, task in read_tasks(path):
            doc_id = (task.get("meta") or {}).get("id")
            if doc_id in manifest:
                task.setdefault("meta", {})["split"] = manifest[doc_id]["split"]
            tasks.append(task)
    return {
        "files": [str(p) for p in gold_paths],
        "validate_problems": problems,
        "label_conflicts": label_conflicts(tasks),
        "unannotated_kb_names": unannotated_names(tasks, ((label, name) for label, name, _ in kb.iter_names())),
        "counts": corpus_counts(tasks, nlp),
        "counts_by_source": corpus_counts(tasks, nlp, by="source"),
    }


def agreement(path_a: Path, path_b: Path, *, labels: Sequence[str] = LABELS) -> Dict[str, Any]:
    """Span-level agreement (exact spans, per label) over the documents both passes annotated."""
    a = {document_key(t): t for _, t in read_tasks(path_a)}
    b = {document_key(t): t for _, t in read_tasks(path_b)}
    shared = sorted(set(a) & set(b), key=str)
    scores = span_scores([a[k] for k in shared], [b[k] for k in shared], labels=labels)
    return {"documents": len(shared), "reference": str(path_a), "other": str(path_b), "scores": scores}

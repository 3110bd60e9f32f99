"""Attested spellings of KB people, and real namesakes who must link to no one.

Reads ``benchmarks/data/names_attested.tsv`` (spelling, kb_id, language or
system, source) and ``benchmarks/data/names_distractors.tsv`` (spelling,
language, source, who). Every spelling was seen in the named source (books,
trial reports, newspapers and Wikipedias in other languages and their
mirrors, found with the project's search tool); none was produced by the
project's own transliteration tables.

A spelling is right when ``normalize_mention(spelling, "PERSON")`` gives its
``kb_id`` and the KB's canonical (the English Wikipedia title). A distractor
is a false link when it gets any ``kb_id``.

The baseline is what a user could write in a few lines: strip accents (and
romanise Cyrillic) with unidecode, then take the best rapidfuzz ``WRatio``
match among the canonical names of the table's own people; it is shown
linking always (``best``) and only above a score of 85 (``cutoff 85``).

    python benchmarks/bench_names.py [--details]
"""
from __future__ import annotations

import csv
import sys
from collections import Counter, defaultdict
from pathlib import Path
from typing import Dict, List, Optional, Tuple

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from rapidfuzz import fuzz, process  # noqa: E402
from unidecode import unidecode  # noqa: E402

from pipeline.normalize import default_kb, normalize_mention  # noqa: E402

DATA = ROOT / "benchmarks" / "data"


def read_tsv(path: Path) -> List[List[str]]:
    rows = []
    with path.open(encoding="utf8") as handle:
        for row in csv.reader(handle, delimiter="\t", quoting=csv.QUOTE_NONE):
            if row and not row[0].startswith("#") and row[0].strip():
                rows.append([cell.strip() for cell in row])
    return rows


def load() -> Tuple[List[Tuple[str, str, str, str]], List[Tuple[str, str, str, str]]]:
    attested = [tuple(r[:4]) for r in read_tsv(DATA / "names_attested.tsv")]
    distractors = [tuple((r + [""] * 4)[:4]) for r in read_tsv(DATA / "names_distractors.tsv")]
    return attested, distractors  # type: ignore[return-value]


def baseline_linker(kb_ids: List[str]):
    kb = default_kb()
    choices = [unidecode(kb.entries[i].canonical).casefold() for i in kb_ids]

    def link(text: str, cutoff: float) -> Optional[str]:
        match = process.extractOne(unidecode(text).casefold(), choices, scorer=fuzz.WRatio)
        if match is None or match[1] < cutoff:
            return None
        return kb_ids[match[2]]

    return link


def main(details: bool = False) -> Dict[str, float]:
    kb = default_kb()
    attested, distractors = load()
    missing = sorted({kb_id for _, kb_id, _, _ in attested if kb_id not in kb})
    if missing:
        raise SystemExit(f"kb_ids not in the KB: {', '.join(missing)}")
    people = sorted({kb_id for _, kb_id, _, _ in attested})
    baseline = baseline_linker(people)

    per_lang: Dict[str, Counter] = defaultdict(Counter)
    wrong: List[Tuple[str, str, str, dict]] = []
    base_right = Counter()
    for spelling, kb_id, lang, _source in attested:
        result = normalize_mention(spelling, "PERSON")
        ok = result["kb_id"] == kb_id and result["canonical"] == kb.entries[kb_id].canonical
        per_lang[lang]["n"] += 1
        per_lang[lang]["right"] += ok
        if not ok:
            wrong.append((spelling, kb_id, lang, result))
        for name, cutoff in (("best", 0.0), ("cutoff 85", 85.0)):
            base_right[name] += baseline(spelling, cutoff) == kb_id

    false_links = []
    base_false = Counter()
    for spelling, lang, _source, who in distractors:
        result = normalize_mention(spelling, "PERSON")
        if result["kb_id"] is not None:
            false_links.append((spelling, lang, who, result))
        for name, cutoff in (("best", 0.0), ("cutoff 85", 85.0)):
            base_false[name] += baseline(spelling, cutoff) is not None

    n = len(attested)
    right = sum(c["right"] for c in per_lang.values())
    langs = sorted(per_lang)
    print(f"attested spellings: {n} of {len(people)} KB persons in {len(langs)} languages/systems; distractors: {len(distractors)}")
    print(f"{'language/system':<16} {'n':>5} {'right':>6} {'accuracy':>9}")
    for lang in langs:
        c = per_lang[lang]
        print(f"{lang:<16} {c['n']:>5} {c['right']:>6} {c['right'] / c['n']:>9.3f}")
    print(f"{'all':<16} {n:>5} {right:>6} {right / n:>9.3f}")
    print(f"distractors linked to a KB person: {len(false_links)} of {len(distractors)}")
    for name in ("best", "cutoff 85"):
        print(f"baseline ({name}): accuracy {base_right[name] / n:.3f}, distractors linked {base_false[name]} of {len(distractors)}")
    if details:
        print("\nwrong:")
        for spelling, kb_id, lang, result in wrong:
            print(f"  [{lang}] {spelling!r}: want {kb_id}, got {result['kb_id']} ({result['method']}, {result.get('candidates')})")
        print("\nfalse links:")
        for spelling, lang, who, result in false_links:
            print(f"  [{lang}] {spelling!r} ({who}): got {result['kb_id']} ({result['method']})")
    return {"accuracy": right / n, "false_links": float(len(false_links))}


if __name__ == "__main__":
    main(details="--details" in sys.argv[1:])

"""Attested date expressions in the languages the sources use.

Reads ``benchmarks/data/dates_attested.tsv`` (expression, EDTF or ``-`` where
no value is right, qualifier or ``-``, language, source). Every expression
was copied from the named page (Wikipedias and their mirrors, trial
literature, newspapers, found with the project's search tool).

An expression is right when ``parse_date`` gives its EDTF (or None where
``-``) and its qualifier. A wrong value is a non-None EDTF that is not the
expected one: the project's rule is that a date is left out rather than
guessed, so these must stay at 0. A miss is None where a value was expected.

    python benchmarks/bench_dates.py [--details]
"""
from __future__ import annotations

import csv
import sys
from collections import Counter, defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from pipeline.normalize.dates import parse_date  # noqa: E402

DATA = ROOT / "benchmarks" / "data" / "dates_attested.tsv"


def load():
    rows = []
    with DATA.open(encoding="utf8") as handle:
        for row in csv.reader(handle, delimiter="\t", quoting=csv.QUOTE_NONE):
            if row and not row[0].startswith("#") and row[0].strip():
                expr, edtf, qualifier, lang, source = (row + [""] * 5)[:5]
                rows.append((expr, None if edtf == "-" else edtf, None if qualifier in ("-", "") else qualifier, lang, source))
    return rows


def main(details: bool = False) -> dict:
    rows = load()
    per_lang = defaultdict(Counter)
    problems = []
    for expr, edtf, qualifier, lang, _source in rows:
        got, got_qualifier = parse_date(expr)
        c = per_lang[lang]
        c["n"] += 1
        if got == edtf and got_qualifier == qualifier:
            c["right"] += 1
        elif got is not None and got != edtf:
            c["wrong"] += 1
            problems.append(("WRONG", lang, expr, edtf, qualifier, got, got_qualifier))
        elif got is None:
            c["missed"] += 1
            problems.append(("missed", lang, expr, edtf, qualifier, got, got_qualifier))
        else:
            c["qualifier"] += 1
            problems.append(("qualifier", lang, expr, edtf, qualifier, got, got_qualifier))
    total = Counter()
    print(f"{'language':<10} {'n':>5} {'right':>6} {'missed':>7} {'wrong':>6} {'qual.':>6} {'accuracy':>9}")
    for lang in sorted(per_lang):
        c = per_lang[lang]
        total.update(c)
        print(f"{lang:<10} {c['n']:>5} {c['right']:>6} {c['missed']:>7} {c['wrong']:>6} {c['qualifier']:>6} {c['right'] / c['n']:>9.3f}")
    print(f"{'all':<10} {total['n']:>5} {total['right']:>6} {total['missed']:>7} {total['wrong']:>6} {total['qualifier']:>6} {total['right'] / total['n']:>9.3f}")
    if details:
        for kind, lang, expr, edtf, qualifier, got, got_qualifier in problems:
            print(f"  {kind:<9} [{lang}] {expr!r}: want {edtf} {qualifier or ''}, got {got} {got_qualifier or ''}")
    return {"accuracy": total["right"] / total["n"], "wrong": total["wrong"]}


if __name__ == "__main__":
    main(details="--details" in sys.argv[1:])

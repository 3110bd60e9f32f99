"""Mentions per second of ``normalize_mention``, beside a plain dict look-up.

The mentions are realistic and come from the project's own data: every alias
in the knowledge base (exact hits), every knowledge-base person's Cyrillic
name rendered in every transliteration system (found by key), Dutch
genitives of aliases, one-letter OCR slips of surnames (fuzzy), and the
seed article's dates. The baseline is a dict from case-folded alias to id,
which finds only the first group.

    python benchmarks/bench_normalize.py --repeats 5
"""
from __future__ import annotations

import random
import time
from typing import Callable, List, Sequence, Tuple

import typer

from pipeline.normalize import SYSTEMS, default_kb, normalize_mention, parse_dutch_date, transliterate
from pipeline.normalize import dates as dates_module
from pipeline.normalize import link as link_module
from pipeline.normalize import translit as translit_module
from pipeline.normalize.kb import fold_text

DATES = [
    "20 maart 2007", "26 feb 2024", "1936 en 1938", "1936-1938", "19 augustus 1936", "1886-1934", "1935",
    "1 december 1934", "begin jaren dertig", "najaar van 1932", "jaren dertig", "maart 1934", "1917",
    "eind jaren twintig", "23 tot 29 januari 1937", "begin 1937", "juni 1937", "zomer van 1937", "maart 1938",
    "Zaterdag 22 Augustus 1936", "den 24sten Augustus 1936", "19-8-1936", "circa 1936", "rond 15 maart 1938",
    "tussen 1936 en 1938", "twintigste eeuw", "vier jaar later",
]

Mention = Tuple[str, str]


def collect_mentions(seed: int = 13) -> List[Tuple[str, List[Mention]]]:
    """The benchmark's mention groups, built from the packaged knowledge base.

    seed (int): seed for the OCR slips.
    RETURNS (List[Tuple[str, List[Mention]]]): (group name, [(text, label)]).
    """
    kb = default_kb()
    rng = random.Random(seed)
    aliases, translits, genitives, ocr = [], [], [], []
    for entry in kb.entries.values():
        for name in [entry.canonical, *entry.aliases]:
            aliases.append((name, entry.label))
        if entry.label != "PERSON":
            continue
        if entry.cyrillic:
            translits.extend((transliterate(entry.cyrillic, s), "PERSON") for s in SYSTEMS)
        surname = entry.canonical.split()[-1]
        genitives.append((surname + "s", "PERSON"))
        if len(surname) > 5:
            i = rng.randrange(1, len(surname) - 1)
            ocr.append((surname[:i] + rng.choice("ilcnrm") + surname[i + 1:], "PERSON"))
    dates = [(text, "DATE") for text in DATES]
    return [("aliases", aliases), ("translit", translits), ("genitive", genitives), ("ocr", ocr), ("dates", dates)]


def time_per_mention(func: Callable[[str, str], object], mentions: Sequence[Mention], repeats: int, reset: Callable[[], None] = lambda: None) -> float:
    """Best-of-repeats mentions per second."""
    best = float("inf")
    for _ in range(repeats):
        reset()
        start = time.perf_counter()
        for text, label in mentions:
            func(text, label)
        best = min(best, time.perf_counter() - start)
    return len(mentions) / best if best > 0 else float("inf")


def clear_caches() -> None:
    """Forget everything cached between mentions, for the cold numbers."""
    link_module._LINKERS.clear()
    translit_module.name_key.cache_clear()
    dates_module._parse_cached.cache_clear()
    dates_module.is_valid_edtf.cache_clear()


def main(repeats: int = typer.Option(5, "--repeats", "-r", help="Runs per measurement (the best counts)")) -> None:
    """Print mentions per second per group: baseline dict, normalize_mention cold
    (no caches) and warm (cached), and the ratio of warm to baseline."""
    kb = default_kb()
    alias_index = {}
    for entry in kb.entries.values():
        for name in entry.names():
            alias_index.setdefault(fold_text(name), entry.kb_id)

    def baseline(text: str, label: str) -> object:
        return alias_index.get(fold_text(text))

    groups = collect_mentions()
    everything = [m for _, ms in groups for m in ms]
    groups.append(("all", everything))
    hits = {name: sum(1 for t, l in ms if l != "DATE" and baseline(t, l)) for name, ms in groups}

    print(f"knowledge base: {len(kb)} entries; repeats: {repeats} (best run counts)")
    print(f"{'group':<10} {'mentions':>8} {'dict hits':>9} {'dict/s':>12} {'cold/s':>10} {'warm/s':>12} {'warm/dict':>9}")
    for name, mentions in groups:
        base = time_per_mention(baseline, mentions, repeats)
        cold = time_per_mention(lambda t, l: normalize_mention(t, l), mentions, max(1, repeats // 2), reset=clear_caches)
        normalize_mention("Jezjov", "PERSON")
        for text, label in mentions:  # warm the caches once
            normalize_mention(text, label)
        warm = time_per_mention(lambda t, l: normalize_mention(t, l), mentions, repeats)
        print(f"{name:<10} {len(mentions):>8} {hits[name]:>9} {base:>12,.0f} {cold:>10,.0f} {warm:>12,.0f} {warm / base:>9.2f}")
    date_rate = time_per_mention(lambda t, l: parse_dutch_date(t), [(d, "DATE") for d in DATES], repeats, reset=clear_caches)
    print(f"parse_dutch_date without cache: {date_rate:,.0f} dates/s")


if __name__ == "__main__":
    typer.run(main)

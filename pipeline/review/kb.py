"""Knowledge-base search for the review app's link dialog (``k``).

The entries are the normalize stage's knowledge base (``normalize.load_kb``,
the one loader), flattened to what the app shows; ``search_kb`` ranks them
for a query. (It would sit best as a ``KnowledgeBase.search`` method; that
module is being rewritten on another branch, so it lives beside it here.)
"""
from __future__ import annotations

import unicodedata
from pathlib import Path
from typing import Any, Dict, List, Optional, Sequence, Union

from ..normalize import DEFAULT_KB_DIR
from ..normalize import load_kb as load_knowledge_base

# What a knowledge-base entry's ``type`` may be called, per label.
KB_TYPES = {
    "PERSON": {"person", "per", "persons", "people"},
    "ORG": {"org", "orgs", "organization", "organisation"},
    "LOC": {"loc", "place", "places", "location", "gpe"},
    "TRIAL": {"trial", "trials", "event"},
    "DATE": set(),
}


def load_kb(kb_dir: Optional[Union[Path, str]] = None) -> List[Dict[str, Any]]:
    """Knowledge-base entries (persons, orgs, places, trials) as the review app shows them.

    kb_dir (Path | None): the folder; default ``pipeline/data/kb``. A missing
        folder gives no entries (the search then finds nothing).
    RETURNS (List[dict]): {"kb_id", "type", "canonical", "cyrillic", "aliases"} per entry.
    """
    folder = Path(kb_dir) if kb_dir is not None else Path(DEFAULT_KB_DIR)
    if not folder.is_dir():
        return []
    return [
        {
            "kb_id": entry.kb_id,
            "type": entry.label,
            "canonical": entry.canonical,
            "cyrillic": entry.cyrillic,
            "aliases": [name for name in entry.names() if name not in (entry.canonical, entry.cyrillic)],
        }
        for entry in load_knowledge_base(folder).entries.values()
    ]


def _fold(text: str) -> str:
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))


def _names(entry: Dict[str, Any]) -> List[str]:
    names = [entry.get("canonical"), entry.get("cyrillic"), entry.get("kb_id")]
    aliases = entry.get("aliases") or []
    names.extend(aliases if isinstance(aliases, list) else [aliases])
    return [str(name) for name in names if name]


def search_kb(entries: Sequence[Dict[str, Any]], query: str, *, label: Optional[str] = None, limit: int = 10) -> List[Dict[str, Any]]:
    """Entries whose names (canonical, Cyrillic, aliases) best match a query, best first.

    Matching ignores case and diacritics and tolerates spelling variants
    (rapidfuzz's WRatio), so ``Jezjov`` finds ``Nikolai Yezhov`` through its
    aliases. Entries of the type that fits ``label`` come first.

    RETURNS (List[dict]): {"kb_id", "type", "canonical", "cyrillic", "aliases", "score"}.
    """
    from rapidfuzz import fuzz

    query = _fold(query.strip())
    if not query:
        return []
    wanted = KB_TYPES.get(label or "", set())
    results = []
    for entry in entries:
        score = max((fuzz.WRatio(query, _fold(name)) for name in _names(entry)), default=0.0)
        if any(_fold(name).startswith(query) for name in _names(entry)):
            score = max(score, 95.0)
        if score < 70:
            continue
        fits = str(entry.get("type", "")).lower() in wanted
        results.append((fits, score, entry))
    results.sort(key=lambda item: (not item[0], -item[1], str(item[2].get("canonical"))))
    return [
        {
            "kb_id": entry["kb_id"],
            "type": entry.get("type"),
            "canonical": entry.get("canonical"),
            "cyrillic": entry.get("cyrillic"),
            "aliases": list(entry.get("aliases") or [])[:6],
            "score": round(score, 1),
        }
        for _, score, entry in results[: limit or None]
    ]

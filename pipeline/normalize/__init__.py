"""Normalisation: one id for every spelling of a person, English names for
organisations, places and trials, and EDTF for Dutch dates.

Public API:

- ``normalize_mention(text, label, *, context=None, kb=None)``: one mention
  → dict (used by ``terreur normalize`` and by the component);
- ``name_key``, ``transliterate``, ``SYSTEMS``: the transliteration engine;
- ``parse_dutch_date(text, *, doc_year=None)``: date (Dutch and the foreign
  forms quoted in Dutch texts) → EDTF; ``parse_date`` also gives the
  qualifier EDTF cannot express (``eind 1937`` → late);
- ``KnowledgeBase``, ``load_kb``, ``default_kb``: the knowledge base;
- ``make_normalizer``/``Normalizer``: the ``terreur_normalizer`` component
  (imported on first use, so that the pure functions load without spaCy).

See ``pipeline/normalize/README.md`` for the systems, the key and the
linking rules.
"""
from __future__ import annotations

from typing import Any

from .dates import is_valid_edtf, parse_date, parse_dutch_date
from .kb import DEFAULT_KB_DIR, KBEntry, KnowledgeBase, default_kb, load_kb
from .link import LABELS, Linker, MentionContext, get_linker, normalize_mention
from .translit import SYSTEMS, latin_to_cyrillic, name_key, romanize_english, transliterate

_COMPONENT_NAMES = ("make_normalizer", "Normalizer", "SPAN_EXTENSIONS", "register_span_extensions")


def __getattr__(name: str) -> Any:
    # The component needs spaCy; import it only when asked for (entry point,
    # spacy.load) so that `terreur normalize` starts fast.
    if name in _COMPONENT_NAMES:
        from . import component

        return getattr(component, name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


__all__ = [
    "DEFAULT_KB_DIR",
    "KBEntry",
    "KnowledgeBase",
    "LABELS",
    "Linker",
    "MentionContext",
    "SYSTEMS",
    "default_kb",
    "get_linker",
    "is_valid_edtf",
    "latin_to_cyrillic",
    "load_kb",
    "name_key",
    "normalize_mention",
    "parse_date",
    "parse_dutch_date",
    "romanize_english",
    "transliterate",
    *_COMPONENT_NAMES,
]

"""Rule components: knowledge-base names, date patterns and span boundaries.

``terreur_names`` and ``terreur_dates`` are spaCy ``span_ruler``s whose
patterns are built here, from the knowledge base and the date grammar,
when a pipeline is initialized (``@misc = "terreur.rule_patterns.v1"``), and
then saved with the model. ``terreur_boundaries`` applies the guidelines'
span rules to whatever the model and the rules found: no leading article,
no punctuation at the edges, no apostrophe genitive. The vocabulary (date
words, articles, edge punctuation) is ``pipeline.guidelines``'.
"""
from __future__ import annotations

from typing import Any, Dict, List, Optional, Tuple

import spacy
from spacy.language import Language
from spacy.tokens import Doc, Span

from .guidelines import (
    APPROXIMATIONS,
    DECADES,
    DUTCH_MONTHS,
    EDGE_PUNCT,
    GENITIVES,
    LEADING_ARTICLES,
    MONTH_ABBREVIATIONS,
    PAIRS,
    SEASONS,
    WEEKDAYS,
)
from .normalize import SYSTEMS, KnowledgeBase, load_kb, transliterate

# --- rule patterns ------------------------------------------------------------------

# Token patterns match whole tokens: an abbreviated month is one token with its full stop ("aug.").
MONTHS = list(DUTCH_MONTHS) + [f"{abbreviation}." for abbreviation in MONTH_ABBREVIATIONS]
YEAR = {"TEXT": {"REGEX": r"^1[5-9]\d\d$|^20[0-2]\d$"}}
DAY = {"TEXT": {"REGEX": r"^(0?[1-9]|[12]\d|3[01])(e|ste|de|sten|den)?$"}}
MONTH = {"LOWER": {"IN": MONTHS}}
DASH = {"TEXT": {"IN": ["-", "–", "—", "/"]}}


def date_patterns() -> List[Dict[str, Any]]:
    """Token patterns for the date expressions the guidelines mark (DATE)."""
    weekday = {"LOWER": {"IN": list(WEEKDAYS)}, "OP": "?"}
    approx = {"LOWER": {"IN": list(APPROXIMATIONS)}, "OP": "?"}
    shapes: List[List[Dict[str, Any]]] = [
        [approx, weekday, DAY, MONTH, YEAR],  # (rond) (zaterdag) 22 augustus 1936, 24sten Augustus 1936
        [DAY, {"LOWER": {"IN": ["tot", "en", "-", "–"]}}, DAY, MONTH, YEAR],  # 23 tot 29 januari 1937
        [DAY, MONTH, {"LOWER": {"IN": ["tot", "-", "–"]}}, DAY, MONTH, YEAR],
        [MONTH, YEAR],  # maart 1934
        [{"LOWER": {"IN": list(SEASONS)}}, {"LOWER": "van"}, YEAR],  # zomer van 1937
        [{"LOWER": {"IN": ["begin", "midden", "eind", "einde"]}}, {"LOWER": "jaren"}, {"LOWER": {"IN": list(DECADES)}}],
        [{"LOWER": "jaren"}, {"LOWER": {"IN": list(DECADES)}}],
        [YEAR, DASH, YEAR],  # 1936-1938
        [YEAR, {"LOWER": "tot"}, YEAR],  # 1920 tot 1921
        [DAY, MONTH, YEAR, DASH, DAY, MONTH, YEAR],  # 5 november 1926 - 10 november 1930
        [DAY, MONTH, YEAR, {"LOWER": "tot"}, DAY, MONTH, YEAR],
        [{"TEXT": {"REGEX": r"^\d{1,2}$"}}, DASH, {"TEXT": {"REGEX": r"^\d{1,2}$"}}, DASH, YEAR],  # 19-8-1936
        [approx, YEAR],
    ]
    return [{"label": "DATE", "pattern": shape, "id": "date"} for shape in shapes]


def kb_phrase_patterns(kb: KnowledgeBase, *, min_length: int = 3) -> List[Dict[str, Any]]:
    """Phrase patterns (case-sensitive) for the knowledge base's names.

    A one-word name needs a capital letter and ``min_length`` characters:
    ``Jezjov``, ``NKVD`` and ``Zinovjev-Kamenev-proces`` are names, while
    ``showprocessen`` or ``goelag`` are ordinary words that are an entity
    only in some sentences, which is the statistical model's call. On the
    dev split, adding the one-word names raised F1 over all labels from
    0.834 to 0.870 (`terreur evaluate ... --ablation` before and after).
    """
    patterns, seen = [], set()
    for label, name, kb_id in list(kb.iter_names()) + transliterated_names(kb):
        one_word = len(name.split()) == 1
        if one_word and (len(name) < min_length or name.islower() or not any(c.isupper() for c in name)):
            continue
        if (label, name) in seen:
            continue
        seen.add((label, name))
        patterns.append({"label": label, "pattern": name, "id": kb_id})
    return patterns


def transliterated_names(kb: KnowledgeBase) -> List[Tuple[str, str, str]]:
    """Each Soviet person's name as every transliteration system writes it.

    ``Николай Иванович Ежов`` gives ``Nikolaj Ivanovitsj Jezjov``, ``Nikolai
    Yezhov``, ``Jeschow``, ``Iejov``, ``Ežov``… in full, as given name and
    surname, and (where no other person has the surname) as the surname
    alone, in Cyrillic too: an archive names people by surname. A surname
    two people share is left to the linker's context rules.
    """
    owners: Dict[str, List[str]] = {}
    for entry in kb.entries.values():
        if entry.label == "PERSON" and entry.surname_cyrillic:
            owners.setdefault(entry.surname_cyrillic, []).append(entry.kb_id)
    names = []
    for entry in kb.entries.values():
        if entry.label != "PERSON" or not entry.cyrillic:
            continue
        words = entry.cyrillic.split()
        forms = [entry.cyrillic] + ([f"{words[0]} {words[-1]}"] if len(words) > 2 else [])
        if entry.surname_cyrillic and len(owners.get(entry.surname_cyrillic, [])) == 1:
            forms.append(entry.surname_cyrillic)
        for form in forms:
            names.append(("PERSON", form, entry.kb_id))
            names.extend(("PERSON", transliterate(form, system), entry.kb_id) for system in SYSTEMS)
    return names


def build_rule_patterns(kb: Optional[KnowledgeBase] = None, *, dates: bool = True, names: bool = True) -> List[Dict[str, Any]]:
    """Patterns for the rule components: dates (``terreur_dates``) and names (``terreur_names``)."""
    if kb is None and names:
        kb = load_kb()
    return (date_patterns() if dates else []) + (kb_phrase_patterns(kb) if names and kb is not None else [])


@spacy.registry.misc("terreur.rule_patterns.v1")
def create_rule_patterns(dates: bool = True, names: bool = True) -> List[Dict[str, Any]]:
    """Registered: ``[initialize.components.terreur_names.patterns] @misc = "terreur.rule_patterns.v1"``.

    The patterns are built from the knowledge base when the pipeline is
    initialized, and saved with the model, so the KB is their one source.
    """
    return build_rule_patterns(dates=dates, names=names)



# --- span boundaries -----------------------------------------------------------------

# guidelines.EDGE_PUNCT is never the first or last token of a name; a closing
# bracket or quote (guidelines.PAIRS) stays when its opening one is inside the
# span ("RSDLP (b)", 'zaak van het "Blok van Rechtsen en Trotskisten"').


@Language.factory(
    "terreur_boundaries",
    assigns=["doc.ents"],
    default_config={},
)
def make_boundaries(nlp: Language, name: str) -> "SpanBoundaries":
    """Registered factory: trims entity spans to the guidelines' boundaries."""
    return SpanBoundaries()


class SpanBoundaries:
    """Trim every entity to the name itself, as the guidelines define it.

    Statistical models put the edges of a span where the training data
    usually had them, which is not always where the guidelines do: a
    leading "de", a dash before a date ("– 9 juli 2012"), a genitive "’s".
    This component moves the edges inward; it never adds or relabels.
    """

    def __call__(self, doc: Doc) -> Doc:
        ents = []
        for ent in doc.ents:
            trimmed = trim_span(ent)
            if trimmed is not None:
                ents.append(trimmed)
        doc.ents = ents
        return doc


def trim_span(span: Span) -> Optional[Span]:
    """The span without leading articles, edge punctuation or a genitive ending; None if nothing is left."""
    start, end = span.start, span.end
    doc = span.doc
    while end - start > 2 and PAIRS.get(doc[end - 1].text) == doc[start].text:
        start, end = start + 1, end - 1  # "(Moskou)": brackets around the whole name
    while start < end:
        token = doc[start]
        if token.text in EDGE_PUNCT and not _closes_later(doc, start, end):
            start += 1
        elif token.lower_ in LEADING_ARTICLES and span.label_ != "PERSON" and end - start > 1:
            start += 1
        else:
            break
    while end > start:
        token = doc[end - 1]
        if token.text in GENITIVES:
            end -= 1
        elif token.text in EDGE_PUNCT and not _opened_before(doc, start, end - 1):
            end -= 1
        else:
            break
    if start >= end:
        return None
    if (start, end) == (span.start, span.end):
        return span
    return Span(doc, start, end, label=span.label, kb_id=span.kb_id)


def _opened_before(doc: Doc, start: int, index: int) -> bool:
    opener = PAIRS.get(doc[index].text)
    return opener is not None and any(doc[i].text == opener for i in range(start, index))


def _closes_later(doc: Doc, index: int, end: int) -> bool:
    text = doc[index].text
    closers = [c for c, o in PAIRS.items() if o == text]
    return bool(closers) and any(doc[i].text in closers for i in range(index + 1, end))

"""The annotation guidelines' vocabulary, in one place (``annotations/GUIDELINES.md``).

What a span may be and where its edges go is read from here by the rule
components (``rules``), validation (``validate``), the IOB conversion
(``iob``), the training reader (``training``) and the dates parser
(``normalize.dates``), so a change to the guidelines is a change to this
module only. Nothing here imports anything: it is data.
"""
from __future__ import annotations

from typing import Dict, FrozenSet, Tuple

# --- labels --------------------------------------------------------------------

LABELS: Tuple[str, ...] = ("PERSON", "ORG", "LOC", "DATE", "TRIAL")
"""The guidelines' labels, in their order (tables and the review app use it)."""

# --- span edges ------------------------------------------------------------------

LEADING_ARTICLES: FrozenSet[str] = frozenset({"de", "het", "een", "den", "der", "des", "'t", "’t"})
"""Articles the guidelines leave out of a name (``de NKVD`` → ``NKVD``); a person's ``de`` stays."""

EDGE_PUNCT: FrozenSet[str] = frozenset(".,;:!?-–—/|¬*•·'’‘\"“”„«»()[]{}")
"""Punctuation that is never the first or last token of a name (the boundaries component)."""

OCR_EDGE_PUNCT: FrozenSet[str] = (EDGE_PUNCT - {"/", "•", "·"}) | {"`", "´"}
"""The same rule for the characters at the edges of an OCR'd IOB token (``Amsterdam,``).

It differs from ``EDGE_PUNCT`` on purpose, and only here: OCR glues
separators to words (``//Italië``) that the tokenizer keeps as one token,
so trimming ``/`` there would leave a span off the tokens and lose the
name; and OCR reads stray accents and backquotes (`` ` ´``) where there is
no punctuation in print.
"""


FIXED_ARTICLE_PLACES: FrozenSet[str] = frozenset({
    "de bilt", "de panne", "de haan", "de lier", "de meern", "de koog", "de wijk", "de rijp", "de steeg",
    "de krim", "het gooi", "het zoute", "het bildt",
})
"""Place names whose article is part of the name, beside every ``Den`` one (lower case, article and first word)."""


def starts_with_article(first: str, following: str, label: str) -> bool:
    """Whether a span of ``label`` whose first word is ``first`` (and next ``following``) starts with an article.

    A person's ``de`` is part of the surname (Erik de Jonge, de Lesseps). A
    trial or date never starts with one; for other names the next word
    must be capitalised: "De venter" is an OCR-split "Deventer", not an
    article before a name. The fixed article of a place name is part of it
    (``Den Haag``, ``DEN HELDER``, 1930s ``den Haag``, ``De Bilt``; round-2
    additions): ``den`` before a place is that article (it is no longer an
    everyday one), the others are listed in ``FIXED_ARTICLE_PLACES``, so that
    a sentence-initial ``Het Kremlin`` still loses its article.
    """
    if label == "PERSON" or first.lower() not in LEADING_ARTICLES:
        return False
    if label == "LOC" and (first.lower() == "den" or f"{first} {following}".lower() in FIXED_ARTICLE_PLACES):
        return False
    return label in ("TRIAL", "DATE") or following[:1].isupper()


PAIRS: Dict[str, str] = {")": "(", "]": "[", "”": "“", "»": "«", '"': '"', "’": "‘"}
"""Closing → opening bracket or quote: a closer stays when its opener is inside the span."""

GENITIVES: FrozenSet[str] = frozenset({"'s", "’s", "'S", "’S"})
"""The apostrophe genitive, never part of a name (``Stalin ’s``)."""

# --- date words --------------------------------------------------------------------

MONTHS: Dict[str, int] = {
    "januari": 1, "jan": 1, "january": 1,
    "februari": 2, "febr": 2, "feb": 2, "february": 2,
    "maart": 3, "mrt": 3, "mar": 3, "march": 3,
    "april": 4, "apr": 4,
    "mei": 5, "may": 5,
    "juni": 6, "jun": 6, "june": 6,
    "juli": 7, "jul": 7, "july": 7,
    "augustus": 8, "aug": 8, "august": 8,
    "september": 9, "sept": 9, "sep": 9,
    "oktober": 10, "october": 10, "okt": 10, "oct": 10,
    "november": 11, "nov": 11,
    "december": 12, "dec": 12,
}  # fmt: skip
"""Every month word the dates parser reads (Dutch, abbreviated, English) → its number."""

DUTCH_MONTHS: Tuple[str, ...] = (
    "januari", "februari", "maart", "april", "mei", "juni", "juli", "augustus", "september",
    "oktober", "october", "november", "december",
)  # fmt: skip
"""The month names the date patterns match (``october`` is a 1930s Dutch spelling)."""

MONTH_ABBREVIATIONS: Tuple[str, ...] = ("jan", "feb", "febr", "mrt", "apr", "aug", "sept", "sep", "okt", "oct", "nov", "dec")
"""Abbreviated months as Dutch texts write them (with a full stop: ``aug.``)."""

WEEKDAYS: Tuple[str, ...] = ("maandag", "dinsdag", "woensdag", "donderdag", "vrijdag", "zaterdag", "zondag")
SEASONS: Tuple[str, ...] = ("lente", "voorjaar", "zomer", "herfst", "najaar", "winter")
DECADES: Tuple[str, ...] = ("twintig", "dertig", "veertig", "vijftig", "zestig", "zeventig", "tachtig", "negentig")
APPROXIMATIONS: Tuple[str, ...] = ("circa", "ca.", "rond", "omstreeks", "ongeveer")

assert all(name in MONTHS for name in DUTCH_MONTHS + MONTH_ABBREVIATIONS), "every month word has a number"

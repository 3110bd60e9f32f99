"""Stage 2: spaCy's Dutch tokenizer with the rules the guidelines need.

The guidelines let a span cover part of a hyphenated compound
(``NKVD-agenten`` → ``NKVD``; ``Stalin-deskundige`` → ``Stalin``) while
other compounds are one span as a whole (``Sovjet-Unie``,
``Zinovjev-Kamenev-proces``, ``1936-1938``). Both are token-aligned only if
every hyphen is a token of its own: the whole compound is then a span of
several tokens, and each part can be a span by itself. The same goes for
the genitive apostrophe (``Trotski’s`` → ``Trotski``), which spaCy splits
only in its curly form, and for the debris of OCR'd newspapers (``„``,
``¬``, ``|``, runs of dots or commas glued to words).

Registered as ``terreur.DutchTokenizer.v1``, so a config names it under
``[nlp.tokenizer]`` and a saved model rebuilds it without our code on a
path (the package's ``spacy_tokenizers`` entry point finds it).
"""
from __future__ import annotations

import re
from typing import Callable

import spacy
from spacy.lang.char_classes import ALPHA, ALPHA_LOWER, ALPHA_UPPER, LIST_ELLIPSES, LIST_ICONS
from spacy.language import Language
from spacy.tokenizer import Tokenizer
from spacy.util import compile_infix_regex, compile_prefix_regex, compile_suffix_regex

# Hyphens and dashes of every kind an OCR engine or a web page produces.
HYPHENS = r"\-‐‑‒–—―"
APOSTROPHES = r"'’‘`´"
# Characters OCR leaves glued to words that are never part of a name.
OCR_DEBRIS = r"„‚«»¬|¦•·■□▪*^~=_"

GENITIVE_SUFFIXES = [rf"(?<=[{ALPHA}])[{APOSTROPHES}][sS]$"]
EXTRA_PREFIXES = [rf"[{OCR_DEBRIS}]", rf"[{HYPHENS}]"]
# image file names in captions ("Karl Radek.jpg"): the name is a span, the extension is not
FILE_EXTENSION_SUFFIXES = [rf"(?<=[{ALPHA}0-9])\.(?:jpe?g|png|gif|svg|tiff?|webp|JPE?G|PNG)$"]
EXTRA_SUFFIXES = GENITIVE_SUFFIXES + FILE_EXTENSION_SUFFIXES + [
    # the full stop after an acronym at a sentence end ("de VS."), but not an initial ("N.I.")
    rf"(?<=[{ALPHA_UPPER}][{ALPHA_UPPER}])\.$",rf"[{OCR_DEBRIS}]", rf"[{HYPHENS}]", r",+", r"\.{2,}"]
EXTRA_INFIXES = [
    # every hyphen between letters or digits is a token of its own
    rf"(?<=[{ALPHA}0-9\"”’)\]])[{HYPHENS}](?=[{ALPHA}0-9\"“„(])",
    # a slash between words or numbers (1936/1937, NKVD/OGPU)
    rf"(?<=[{ALPHA}0-9])/(?=[{ALPHA}0-9])",
    # OCR debris between words
    rf"(?<=[{ALPHA}0-9])[{OCR_DEBRIS}](?=[{ALPHA}0-9])",
    # a comma or semicolon with no space after it, OCR's favourite (Moskou,Leningrad)
    rf"(?<=[{ALPHA}.])[,;](?=[{ALPHA}])",
    # brackets and straight or curly quotes glued to words ("1934.[1]", "1938/03/15)(49", '"Dneprovsky"-mijn')
    r"[\[\]()\{\}\"“”„«»]",
    # a full stop glued to what follows: "Moskou.,op", "Bucharin.bra.jpg" (not "d.w.z." or "N.I.")
    rf"(?<=[{ALPHA}0-9])\.(?=[,;:\[\](){{}}])",
    rf"(?<=[{ALPHA}]{{3}})\.(?=[{ALPHA}]{{2}})",
    # words run together where a web page lost its line breaks ("AmbtstermijnNovember",
    # "1899Moskou", "Vinnycia16.jpg"); these are zero-width splits
    rf"(?<=[{ALPHA_LOWER}]{{2}})(?=[{ALPHA_UPPER}][{ALPHA_LOWER}])",
    rf"(?<=[0-9])(?=[{ALPHA_UPPER}][{ALPHA_LOWER}])",
    rf"(?<=[{ALPHA_LOWER}]{{3}})(?=[0-9])",
]


# Only real web addresses are kept whole: spaCy's default also takes
# "Bucharin.bra" (an image file name in a caption) for a domain.
URL_MATCH = re.compile(r"^(?:https?://|www\.)\S+$", re.IGNORECASE).match


def build_dutch_tokenizer(nlp: Language) -> Tokenizer:
    """The Dutch tokenizer, with hyphens, genitive apostrophes and OCR debris split off.

    nlp (Language): a Dutch pipeline, whose defaults supply the base rules.
    RETURNS (Tokenizer): the tokenizer.
    """
    defaults = nlp.Defaults
    prefixes = list(defaults.prefixes or []) + EXTRA_PREFIXES
    suffixes = EXTRA_SUFFIXES + list(defaults.suffixes or [])
    infixes = list(defaults.infixes or []) + EXTRA_INFIXES + LIST_ELLIPSES + LIST_ICONS
    rules = {
        text: attrs
        for text, attrs in (defaults.tokenizer_exceptions or {}).items()
        if not _has_internal_hyphen(text) and not _is_acronym_with_stop(text)
    }
    return Tokenizer(
        nlp.vocab,
        rules=rules,
        prefix_search=compile_prefix_regex(prefixes).search,
        suffix_search=compile_suffix_regex(suffixes).search,
        infix_finditer=compile_infix_regex(infixes).finditer,
        token_match=None,
        url_match=URL_MATCH,
    )


def _is_acronym_with_stop(text: str) -> bool:
    # "VS." or "USSR." are acronyms at a sentence end far more often than
    # abbreviations in these texts; the stop must be a token of its own.
    return len(text) > 2 and text.endswith(".") and text[:-1].isalpha() and text[:-1].isupper()


def _has_internal_hyphen(text: str) -> bool:
    # Exceptions like "'s-Gravenhage" or "St.-Petersburg" would keep a hyphen
    # inside a token, and with it a span boundary we need.
    return any(h in text[1:-1] for h in "-‐‑‒–—―")


@spacy.registry.tokenizers("terreur.DutchTokenizer.v1")
def create_dutch_tokenizer() -> Callable[[Language], Tokenizer]:
    """Registered factory: ``[nlp.tokenizer] @tokenizers = "terreur.DutchTokenizer.v1"``."""
    return build_dutch_tokenizer


def make_blank_dutch() -> Language:
    """A blank Dutch pipeline with our tokenizer."""
    config = {"nlp": {"tokenizer": {"@tokenizers": "terreur.DutchTokenizer.v1"}}}
    return spacy.blank("nl", config=config)

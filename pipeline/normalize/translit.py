"""Transliteration engine: Cyrillic to the Latin systems archives use, and back.

The tables are data, not code: one JSON file per system in
``pipeline/data/translit/<system>.json``. A table has

- ``letters``: one target string per source letter (lower case);
- ``rules``: sequences and letters whose rendering depends on where they
  stand, tried longest first (and in file order for the same length)
  before ``letters``. A rule matches when all of its conditions hold:
  ``at`` ("start" or "end" of the word), ``not_at``, ``after`` and
  ``before`` (characters the previous / next letter must be one of;
  ``@X`` expands to the table's class ``X``; a word boundary never
  matches ``after``/``before``);
- ``classes``: named sets of letters used in the conditions.

Case is restored from the source: a capital gives a capitalised rendering
(``Щ`` → ``Sjtsj``), a word in capitals stays in capitals (``ЦК`` → ``TSK``).

``name_key`` maps any spelling, Latin or Cyrillic, to one key, so that
``Jezjov``, ``Jeschow``, ``Yezhov``, ``Iejov``, ``Ježov``, ``Ežov`` and
``Ежов`` meet. Its rewrite steps are data too (``key.json``).
"""
from __future__ import annotations

import json
import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Dict, List, Optional, Tuple

from unidecode import unidecode

TABLES_DIR = Path(__file__).resolve().parent.parent / "data" / "translit"

# The Cyrillic-to-Latin systems, in the order their renderings are indexed.
SYSTEMS: Tuple[str, ...] = (
    "nl",
    "nl1930",
    "de",
    "fr",
    "en",
    "bgn_pcgn",
    "iso9",
    "alalc",
    "scholarly",
    "pl",
    "cs",
    "it",
    "es",
    "pt",
    "sv",
    "lt",
    "lv",
    "hu",
    "ro",
    "sh",
    "uk",
    "bg",
)

# The systems whose renderings fold to the same ``name_key`` as the Cyrillic
# (the key's rewrite steps were written for them). The other national tables
# (Italian c/sc, Spanish j for х, Swedish tj, Hungarian s/sz/cs, Romanian ci)
# spell sounds the key folds differently; the knowledge base indexes the key
# of their renderings too, so their spellings are found all the same.
KEY_SYSTEMS: Tuple[str, ...] = tuple(s for s in SYSTEMS if s not in ("it", "es", "sv", "hu", "ro"))

_SPACES = re.compile(r"(\s+)")
CYRILLIC_RE = re.compile(r"[\u0400-\u04FF]")
# Marks that BGN/PCGN and the scholarly systems write but English prose drops.
_ENGLISH_DROP = str.maketrans({"ʹ": "", "ʺ": "", "·": "", "ë": "e", "Ë": "E"})


@dataclass(frozen=True)
class _Rule:
    source: str
    target: str
    at: Optional[str]
    not_at: Optional[str]
    after: Optional[frozenset]
    before: Optional[frozenset]


class TranslitTable:
    """A compiled transliteration table.

    system (str): the table's name, e.g. "nl".
    data (dict): the parsed JSON table.
    """

    def __init__(self, system: str, data: dict) -> None:
        self.system = system
        self.title = data.get("title", system)
        self.source = data.get("source", "")
        classes = data.get("classes", {})
        self.letters: Dict[str, str] = dict(data.get("letters", {}))
        rules = [self._compile_rule(rule, classes) for rule in data.get("rules", [])]
        # Longest source first; sorted() is stable, so file order decides ties.
        rules = sorted(rules, key=lambda rule: -len(rule.source))
        self._word_cache: Dict[str, str] = {}
        self.rules_by_first: Dict[str, List[_Rule]] = {}
        for rule in rules:
            self.rules_by_first.setdefault(rule.source[0], []).append(rule)

    @staticmethod
    def _compile_rule(rule: dict, classes: Dict[str, str]) -> _Rule:
        def expand(spec: Optional[str]) -> Optional[frozenset]:
            if spec is None:
                return None
            chars = re.sub(r"@(\w)", lambda m: classes[m.group(1)], spec)
            return frozenset(chars)

        return _Rule(
            source=rule["from"],
            target=rule["to"],
            at=rule.get("at"),
            not_at=rule.get("not_at"),
            after=expand(rule.get("after")),
            before=expand(rule.get("before")),
        )

    def transliterate(self, text: str) -> str:
        """Render a text in this system; characters the table lacks pass through.

        Rules only look at the letters of their own word (a space is a word
        boundary), so words are rendered one at a time and cached: the
        knowledge base renders the same given names and patronymics in every
        system for hundreds of people.

        text (str): the text, in the table's source script.
        RETURNS (str): the rendering.
        """
        cache = self._word_cache
        parts = _SPACES.split(text)
        for index in range(0, len(parts), 2):
            word = parts[index]
            rendered = cache.get(word)
            if rendered is None:
                rendered = self._transliterate_word(word)
                if len(cache) < 65536:
                    cache[word] = rendered
            parts[index] = rendered
        return "".join(parts)

    def _transliterate_word(self, text: str) -> str:
        lower = text.lower()
        out: List[str] = []
        i, n = 0, len(text)
        while i < n:
            char = lower[i]
            target, length = None, 1
            for rule in self.rules_by_first.get(char, ()):
                if self._matches(rule, lower, i):
                    target, length = rule.target, len(rule.source)
                    break
            if target is None:
                target = self.letters.get(char)
            if target is None:
                out.append(text[i])
                i += 1
                continue
            out.append(_restore_case(text, i, length, target))
            i += length
        return "".join(out)

    @staticmethod
    def _matches(rule: _Rule, lower: str, i: int) -> bool:
        end = i + len(rule.source)
        if lower[i:end] != rule.source:
            return False
        prev = lower[i - 1] if i > 0 else ""
        nxt = lower[end] if end < len(lower) else ""
        at_start = not prev.isalpha()
        at_end = not nxt.isalpha()
        if rule.at == "start" and not at_start or rule.at == "end" and not at_end:
            return False
        if rule.not_at == "start" and at_start or rule.not_at == "end" and at_end:
            return False
        if rule.after is not None and (at_start or prev not in rule.after):
            return False
        if rule.before is not None and (at_end or nxt not in rule.before):
            return False
        return True


def _restore_case(text: str, i: int, length: int, target: str) -> str:
    if not target or not text[i].isupper():
        return target
    # A word in capitals (an acronym such as ЦК) stays in capitals.
    neighbour = text[i + length] if i + length < len(text) else (text[i - 1] if i > 0 else "")
    if neighbour.isalpha() and neighbour.isupper():
        return target.upper()
    return target[0].upper() + target[1:]


@lru_cache(maxsize=None)
def load_table(system: str) -> TranslitTable:
    """Load and compile one table from ``pipeline/data/translit/``.

    system (str): the table's file name without ``.json``, e.g. "de".
    RETURNS (TranslitTable): the compiled table, cached.
    """
    path = TABLES_DIR / f"{system}.json"
    if not path.exists():
        known = ", ".join(sorted(p.stem for p in TABLES_DIR.glob("*.json") if p.stem != "key"))
        raise ValueError(f"no transliteration table {system!r} in {TABLES_DIR} (known: {known})")
    return TranslitTable(system, json.loads(path.read_text(encoding="utf8")))


def has_cyrillic(text: str) -> bool:
    """Whether a text contains a Cyrillic letter."""
    return CYRILLIC_RE.search(text) is not None


def transliterate(text: str, system: str) -> str:
    """Render the Cyrillic in a text in one of the ``SYSTEMS``.

    text (str): the text; Latin parts pass through unchanged.
    system (str): e.g. "nl", "de", "bgn_pcgn", "iso9".
    RETURNS (str): the rendering.
    """
    return load_table(system).transliterate(text)


def transliterations(text: str) -> Dict[str, str]:
    """Render a Cyrillic text in every system.

    text (str): the Cyrillic text.
    RETURNS (Dict[str, str]): system name → rendering.
    """
    return {system: transliterate(text, system) for system in SYSTEMS}


def romanize_english(cyrillic: str) -> str:
    """The English (BGN/PCGN-style) romanisation the guidelines use for people
    without an English Wikipedia article: BGN/PCGN without its primes and dots.

    cyrillic (str): the Russian name.
    RETURNS (str): e.g. "Nikolay Ivanovich Yezhov".
    """
    return transliterate(cyrillic, "bgn_pcgn").translate(_ENGLISH_DROP)


def latin_to_cyrillic(text: str) -> str:
    """Guess the Russian Cyrillic behind a Latin spelling in any of the systems.

    Dutch readings win where systems disagree (``ch`` is х, ``j`` is й), since
    the corpus is Dutch. Only for names that are not in the knowledge base.

    text (str): e.g. "Leonid Nikolayev".
    RETURNS (str): e.g. "Леонид Николаев".
    """
    table = load_table("latin_ru")
    return table.transliterate(unicodedata.normalize("NFC", text))


@dataclass(frozen=True)
class _KeySteps:
    letter_steps: Tuple[Tuple[re.Pattern, str], ...]
    fold_steps: Tuple[Tuple[re.Pattern, str], ...]
    french_markers: re.Pattern
    french_j: str


@lru_cache(maxsize=1)
def _key_steps() -> _KeySteps:
    data = json.loads((TABLES_DIR / "key.json").read_text(encoding="utf8"))

    def compile_steps(steps: List[dict]) -> Tuple[Tuple[re.Pattern, str], ...]:
        return tuple((re.compile(step["pattern"]), step["repl"]) for step in steps)

    return _KeySteps(
        letter_steps=compile_steps(data["letter_steps"]),
        fold_steps=compile_steps(data["fold_steps"]),
        french_markers=re.compile(data["french_markers"]),
        french_j=data["french_j"],
    )


def _strip_diacritics(text: str) -> str:
    decomposed = unicodedata.normalize("NFD", text)
    stripped = "".join(c for c in decomposed if not unicodedata.combining(c))
    # unidecode only touches what is still not ASCII (ß, ø, æ, stray scripts).
    return stripped if stripped.isascii() else unidecode(stripped)


@lru_cache(maxsize=65536)
def name_key(text: str) -> str:
    """The transliteration-invariant key of a name, Latin or Cyrillic.

    Cyrillic is transliterated with ISO 9 first (one Latin letter per
    Cyrillic letter, so nothing is lost), then the Latin is folded by the
    steps in ``key.json``: hushing sounds and х become ``H``, з/с/ц become
    ``S``, glides before vowels go, doubled letters are undone. In a word
    marked as French (``ie-`` at the start, ``ou``, ``tch``, ``ï``, ``-ine``)
    ``j`` is ж. Tokens are kept apart by single spaces.

    text (str): the name, e.g. "Nikolaj Ivanovitsj Jezjov" or "Ежов".
    RETURNS (str): the key, e.g. "nikolai ivanoviH eHov" or "eHov".
    """
    steps = _key_steps()
    text = unicodedata.normalize("NFC", text)
    if has_cyrillic(text):
        text = transliterate(text, "iso9")
    text = text.lower()
    words = []
    for word in text.split():
        if steps.french_markers.search(word):
            word = word.replace("j", steps.french_j)
        words.append(word)
    text = " ".join(words)
    for pattern, repl in steps.letter_steps:
        text = pattern.sub(repl, text)
    text = _strip_diacritics(text)
    for pattern, repl in steps.fold_steps:
        text = pattern.sub(repl, text)
    return " ".join(text.split())

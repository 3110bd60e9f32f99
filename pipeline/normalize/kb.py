"""The knowledge base: people, organisations, places and trials, with every
spelling they are found under.

The data lives in ``pipeline/data/kb/{persons,orgs,places,trials}.jsonl``
(schema in ``pipeline/data/kb/README.md``). Records are read with srsly,
checked, and indexed once:

- ``exact``: the case-folded text of every canonical name, Cyrillic name,
  alias and (for trials) every name in ``names``;
- ``keys``: the ``name_key`` of all of these, and of the Cyrillic name
  rendered in every transliteration system, so that a spelling a table
  produces is found even when no alias lists it. For people, the key of
  given name + surname (without the patronymic) is indexed too;
- ``surnames`` (people only): the key of the surname in every system, of the
  last word of the canonical name, and of every one-word alias (nicknames
  such as ``Koba``); ``alias_surnames``: the last words of the other Latin
  aliases (``Natalia Trotsky``), consulted only when ``surnames`` has none;
- ``given``: the keys of every given name, used to check ``Nikolaj Jezjov``
  against the surname's candidates and to tell Russian names from others.

``load_kb`` caches one instance per directory, so the packaged knowledge
base is read once per process.
"""
from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Dict, FrozenSet, Iterable, Iterator, List, Optional, Set, Tuple, Union

import srsly

from ..errors import InputError, TerreurError
from .names import given_groups, group_forms
from .translit import SYSTEMS, has_cyrillic, name_key, transliterate

DEFAULT_KB_DIR = Path(__file__).resolve().parent.parent / "data" / "kb"
KB_FILES: Dict[str, str] = {
    "PERSON": "persons.jsonl",
    "ORG": "orgs.jsonl",
    "LOC": "places.jsonl",
    "TRIAL": "trials.jsonl",
}
ID_PREFIXES: Dict[str, str] = {"per": "PERSON", "org": "ORG", "loc": "LOC", "trial": "TRIAL"}
KB_LABELS: Tuple[str, ...] = tuple(KB_FILES)

_PARENTHESIS = re.compile(r"\s*\([^)]*\)")
_WORD = re.compile(r"[^\W\d_][\w.'’-]*")


def fold_text(text: str) -> str:
    """Case-fold a name for exact matching: NFC, one kind of apostrophe,
    single spaces.

    text (str): the name.
    RETURNS (str): the folded form.
    """
    text = unicodedata.normalize("NFC", text).replace("’", "'").replace("‘", "'")
    return " ".join(text.casefold().split())


def fuzzy_text(text: str) -> str:
    """Fold a Latin spelling for fuzzy matching of OCR noise: lower case, no
    diacritics, letters and spaces only (``Zinovjcv`` stays close to ``Zinovjev``,
    which its ``name_key`` would not be).

    text (str): the spelling.
    RETURNS (str): the folded form.
    """
    decomposed = unicodedata.normalize("NFD", text.casefold())
    letters = "".join(c if c.isalnum() else " " for c in decomposed if not unicodedata.combining(c))
    return " ".join(letters.split())


@dataclass(frozen=True)
class KBEntry:
    """One entity of the knowledge base.

    kb_id (str): the stable id, e.g. "per-nikolai-yezhov".
    label (str): the guidelines label the id is linked from: PERSON, ORG, LOC, TRIAL.
    kb_type (str): the record's own ``type`` (ORG and LOC records may say
        which they are), else the label.
    canonical (str): the English name (English Wikipedia title for people).
    cyrillic (Optional[str]): the Russian name in Cyrillic.
    surname_cyrillic (Optional[str]): a person's surname in Cyrillic.
    aliases (Tuple[str, ...]): other spellings and names.
    record (dict): the record as read, for fields the linker does not use.
    """

    kb_id: str
    label: str
    kb_type: str
    canonical: str
    cyrillic: Optional[str]
    surname_cyrillic: Optional[str]
    aliases: Tuple[str, ...]
    record: dict = field(compare=False, hash=False, repr=False)

    def names(self) -> List[str]:
        """Every written name of the entry: canonical, Cyrillic, aliases and
        (for trials) the names in every language."""
        names = [self.canonical, *(n for n in (self.cyrillic,) if n), *self.aliases]
        for values in (self.record.get("names") or {}).values():
            names.extend(v for v in values if isinstance(v, str))
        return [n for n in names if n and n.strip()]


def entry_from_record(record: dict) -> KBEntry:
    """Build an entry from one JSONL record; raises ValueError if it is unusable.

    record (dict): the record.
    RETURNS (KBEntry): the entry.
    """
    if not isinstance(record, dict):
        raise ValueError(f"record is {type(record).__name__}, expected a JSON object")
    kb_id = record.get("kb_id")
    canonical = record.get("canonical")
    if not isinstance(kb_id, str) or not kb_id:
        raise ValueError("record has no 'kb_id'")
    if not isinstance(canonical, str) or not canonical.strip():
        raise ValueError(f"{kb_id}: record has no 'canonical' name")
    label = ID_PREFIXES.get(kb_id.split("-", 1)[0])
    if label is None:
        raise ValueError(f"{kb_id}: kb_id must start with one of {', '.join(p + '-' for p in ID_PREFIXES)}")
    aliases = record.get("aliases") or []
    if not isinstance(aliases, list):
        raise ValueError(f"{kb_id}: 'aliases' must be a list of strings")
    kb_type = record.get("type") if label in ("ORG", "LOC") and record.get("type") in ("ORG", "LOC") else label
    return KBEntry(
        kb_id=kb_id,
        label=label,
        kb_type=kb_type,
        canonical=canonical.strip(),
        cyrillic=(record.get("cyrillic") or None),
        surname_cyrillic=(record.get("surname_cyrillic") or None),
        aliases=tuple(a for a in aliases if isinstance(a, str) and a.strip()),
        record=record,
    )


class KnowledgeBase:
    """People, organisations, places and trials, indexed by every spelling.

    records (Iterable[dict]): KB records in the documented schema.
    """

    def __init__(self, records: Iterable[dict] = ()) -> None:
        self.entries: Dict[str, KBEntry] = {}
        for record in records:
            entry = entry_from_record(record)
            if entry.kb_id in self.entries:
                raise ValueError(f"{entry.kb_id}: kb_id occurs twice")
            self.entries[entry.kb_id] = entry
        self._build_index()

    # --- reading and writing -------------------------------------------------

    @classmethod
    def from_dir(cls, kb_dir: Union[str, Path]) -> "KnowledgeBase":
        """Read ``persons.jsonl``, ``orgs.jsonl``, ``places.jsonl`` and
        ``trials.jsonl`` from a directory; a missing file counts as empty.

        kb_dir (Union[str, Path]): the directory.
        RETURNS (KnowledgeBase): the loaded knowledge base.
        """
        kb_dir = Path(kb_dir)
        if not kb_dir.is_dir():
            raise TerreurError(f"{kb_dir}: knowledge base directory not found (set kb_path to a folder with {', '.join(KB_FILES.values())})")
        records: List[dict] = []
        seen: Dict[str, Tuple[Path, int]] = {}
        for file_name in KB_FILES.values():
            path = kb_dir / file_name
            if not path.exists():
                continue
            for line_no, record in enumerate(srsly.read_jsonl(path), start=1):
                try:
                    entry = entry_from_record(record)
                except ValueError as err:
                    raise InputError(path, line_no, str(err)) from None
                if entry.kb_id in seen:
                    other = seen[entry.kb_id]
                    raise InputError(path, line_no, f"kb_id {entry.kb_id!r} also in {other[0].name}:{other[1]}")
                seen[entry.kb_id] = (path, line_no)
                records.append(record)
        return cls(records)

    def to_dir(self, kb_dir: Union[str, Path]) -> None:
        """Write the records back as JSONL, one file per label.

        kb_dir (Union[str, Path]): the directory, created if missing.
        """
        kb_dir = Path(kb_dir)
        kb_dir.mkdir(parents=True, exist_ok=True)
        for label, file_name in KB_FILES.items():
            records = [e.record for e in self.entries.values() if e.label == label]
            srsly.write_jsonl(kb_dir / file_name, records)

    @property
    def records(self) -> List[dict]:
        """The records, in the order they were read."""
        return [entry.record for entry in self.entries.values()]

    def __len__(self) -> int:
        return len(self.entries)

    def __contains__(self, kb_id: object) -> bool:
        return kb_id in self.entries

    def iter_names(self) -> Iterator[Tuple[str, str, str]]:
        """Every written name of every entry, as (label, name, kb_id)."""
        for entry in self.entries.values():
            for name in entry.names():
                yield entry.label, name, entry.kb_id

    def get(self, kb_id: str) -> Optional[KBEntry]:
        """The entry with this id, or None."""
        return self.entries.get(kb_id)

    # --- look-ups --------------------------------------------------------------

    def by_text(self, label: str, text: str) -> Tuple[str, ...]:
        """Ids whose canonical name, Cyrillic or alias is this text (case-folded)."""
        return self.exact.get((label, fold_text(text)), ())

    def by_key(self, label: str, key: str) -> Tuple[str, ...]:
        """Ids with a name of this ``name_key`` (people: full names)."""
        return self.keys.get((label, key), ())

    def by_surname(self, key: str) -> Tuple[str, ...]:
        """People whose surname (or one-word name) has this key; only where
        no one has it as their own surname, people with an alias ending in it."""
        return self.surnames.get(key) or self.alias_surnames.get(key, ())

    # --- index -----------------------------------------------------------------

    def _build_index(self) -> None:
        exact: Dict[Tuple[str, str], Set[str]] = {}
        keys: Dict[Tuple[str, str], Set[str]] = {}
        surnames: Dict[str, Set[str]] = {}
        alias_surnames: Dict[str, Set[str]] = {}
        # Spellings as written (folded), for fuzzy matching next to the keys.
        texts: Dict[Tuple[str, str], Set[str]] = {}
        surname_texts: Dict[str, Set[str]] = {}
        self.given: Set[str] = set()
        self.given_by_id: Dict[str, Set[str]] = {}
        # For checking a full name's given name, patronymic and initials
        # against the person its surname found (another Petrov is not ours).
        self.patronymic_by_id: Dict[str, Set[str]] = {}
        self.initials_by_id: Dict[str, Set[str]] = {}
        self.patronymic_initials_by_id: Dict[str, Set[str]] = {}
        self.groups_by_id: Dict[str, FrozenSet[str]] = {}

        def add(index: dict, item, kb_id: str) -> None:
            if item and (not isinstance(item, tuple) or item[1]):
                index.setdefault(item, set()).add(kb_id)

        for entry in self.entries.values():
            label, kb_id = entry.label, entry.kb_id
            for name in entry.names():
                add(exact, (label, fold_text(name)), kb_id)
                words = name.split()
                if label == "PERSON" and len(words) == 1:
                    add(surnames, name_key(name), kb_id)
                    add(surname_texts, fuzzy_text(name), kb_id)
                else:
                    add(keys, (label, name_key(name)), kb_id)
                    add(texts, (label, fuzzy_text(name)), kb_id)
            for rendering in _renderings(entry.cyrillic):
                add(keys, (label, name_key(rendering)), kb_id)
                add(texts, (label, fuzzy_text(rendering)), kb_id)
            if label == "PERSON":
                surname_cyr = entry.surname_cyrillic or ((entry.cyrillic or "").split() or [None])[-1]
                for rendering in _renderings(surname_cyr):
                    add(surname_texts, fuzzy_text(rendering), kb_id)
            if label == "PERSON":
                given = self._index_person(entry, keys, surnames, alias_surnames)
                self.given_by_id[kb_id] = given
                self.given |= given
                self._index_given(entry, given)

        freeze = lambda index: {k: tuple(sorted(v)) for k, v in index.items()}  # noqa: E731
        self.exact = freeze(exact)
        self.keys = freeze(keys)
        self.surnames = freeze(surnames)
        self.surname_keys_by_id: Dict[str, Set[str]] = {}
        for key, ids in self.surnames.items():
            for kb_id in ids:
                self.surname_keys_by_id.setdefault(kb_id, set()).add(key)
        self.alias_surnames = freeze(alias_surnames)
        # Fuzzy matching compares a mention's key with these, per label.
        self.fuzzy_full: Dict[str, Tuple[List[str], List[Tuple[str, ...]]]] = {}
        for label in KB_LABELS:
            items = [(key, ids) for (lab, key), ids in self.keys.items() if lab == label]
            self.fuzzy_full[label] = ([k for k, _ in items], [ids for _, ids in items])
        self.fuzzy_surname = (list(self.surnames), list(self.surnames.values()))
        frozen_texts = freeze(texts)
        self.fuzzy_text_full: Dict[str, Tuple[List[str], List[Tuple[str, ...]]]] = {}
        for label in KB_LABELS:
            items = [(text, ids) for (lab, text), ids in frozen_texts.items() if lab == label]
            self.fuzzy_text_full[label] = ([t for t, _ in items], [ids for _, ids in items])
        frozen_surname_texts = freeze(surname_texts)
        self.fuzzy_text_surname = (list(frozen_surname_texts), list(frozen_surname_texts.values()))

    def _index_given(self, entry: KBEntry, given: Set[str]) -> None:
        kb_id = entry.kb_id
        cyr_words = (entry.cyrillic or "").split()
        self.patronymic_by_id[kb_id] = (
            {name_key(r) for r in _renderings(cyr_words[1])} if len(cyr_words) > 2 else set()
        )
        self.patronymic_initials_by_id[kb_id] = (
            {_initial(r) for r in _renderings(cyr_words[1])} - {""} if len(cyr_words) > 2 else set()
        )
        initials: Set[str] = set()
        if len(cyr_words) > 1:
            initials.update(_initial(r) for r in _renderings(cyr_words[0]))
        for name in [_PARENTHESIS.sub("", entry.canonical), *entry.aliases]:
            words = _WORD.findall(name)
            if len(words) >= 2:
                initials.add(_initial(words[0]))
        groups: Set[str] = set()
        for key in given:
            groups |= given_groups(key)
        for group in groups:
            initials.update(_initial(form) for form in group_forms(group))
        initials.discard("")
        self.initials_by_id[kb_id] = initials
        self.groups_by_id[kb_id] = frozenset(groups)

    def _index_person(self, entry: KBEntry, keys: dict, surnames: dict, alias_surnames: dict) -> Set[str]:
        kb_id = entry.kb_id
        given: Set[str] = set()
        cyr_words = (entry.cyrillic or "").split()
        surname_cyr = entry.surname_cyrillic or (cyr_words[-1] if len(cyr_words) > 1 else None)
        for rendering in _renderings(surname_cyr):
            surnames.setdefault(name_key(rendering), set()).add(kb_id)
        if len(cyr_words) > 2:  # given name + surname, without the patronymic
            for rendering in _renderings(f"{cyr_words[0]} {cyr_words[-1]}"):
                keys.setdefault(("PERSON", name_key(rendering)), set()).add(kb_id)
        if len(cyr_words) > 1:
            given.update(name_key(r) for r in _renderings(cyr_words[0]))
        latin_names = [_PARENTHESIS.sub("", entry.canonical)] + [a for a in entry.aliases if not has_cyrillic(a)]
        for i, name in enumerate(latin_names):
            words = _WORD.findall(name)
            if 2 <= len(words) <= 4 and words[-1][:1].isupper():
                # The canonical name's surname is the person's own; an alias's
                # last word may be a married or former name ("Natalia Trotsky").
                index = surnames if i == 0 else alias_surnames
                index.setdefault(name_key(words[-1]), set()).add(kb_id)
                if len(words[0].strip(".")) > 1:
                    given.add(name_key(words[0]))
                if len(words) > 2:
                    keys.setdefault(("PERSON", name_key(f"{words[0]} {words[-1]}")), set()).add(kb_id)
        given.discard("")
        return given


def _initial(word: str) -> str:
    """The first letter of a word, lower case, without diacritics."""
    decomposed = unicodedata.normalize("NFD", word.strip(".").casefold())
    letters = [c for c in decomposed if c.isalpha()]
    return letters[0] if letters else ""


@lru_cache(maxsize=65536)
def _renderings(cyrillic: Optional[str]) -> Tuple[str, ...]:
    """The Cyrillic and its rendering in every system (cached: a name is
    rendered once however many indexes use it)."""
    if not cyrillic or not has_cyrillic(cyrillic):
        return ()
    return (cyrillic, *(transliterate(cyrillic, system) for system in SYSTEMS))


@lru_cache(maxsize=8)
def _load_kb_cached(kb_dir: Path, mtimes: Tuple[float, ...]) -> KnowledgeBase:
    return KnowledgeBase.from_dir(kb_dir)


def load_kb(kb_dir: Union[str, Path, None] = None) -> KnowledgeBase:
    """Load a knowledge base directory, once per process.

    The cache is keyed on the directory and its files' modification times, so
    an edited file is read again and an unchanged one never is.

    kb_dir (Union[str, Path, None]): the directory; None for the packaged
        ``pipeline/data/kb/``.
    RETURNS (KnowledgeBase): the (shared) knowledge base.
    """
    kb_dir = Path(kb_dir).resolve() if kb_dir is not None else DEFAULT_KB_DIR
    mtimes = tuple((kb_dir / name).stat().st_mtime if (kb_dir / name).exists() else 0.0 for name in KB_FILES.values())
    return _load_kb_cached(kb_dir, mtimes)


@lru_cache(maxsize=1)
def default_kb() -> KnowledgeBase:
    """The packaged knowledge base in ``pipeline/data/kb/``, loaded once per
    process (call ``default_kb.cache_clear()`` after editing its files)."""
    return KnowledgeBase.from_dir(DEFAULT_KB_DIR)

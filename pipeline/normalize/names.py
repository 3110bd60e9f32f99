"""Name forms: case endings, given-name equivalents, initials and word order.

The data are tables in ``pipeline/data/translit/names/``:

- ``inflection.json``: case and nominative endings by language (Russian
  ``Ежова``/``Рыковым``, Polish ``Trockiego``/``Bucharinem``, Czech
  ``Zinověva``, Lithuanian ``Buharinas``, Latvian ``Buharins``, Hungarian
  ``Buharint``) and irregular forms (``Льва``, ``Lwa``);
- ``given_names.json``: the forms of one given name in the languages the
  archives use (``Mikołaj``, ``Nikolaus``, ``Miklós`` for Николай).

``base_forms`` gives a word and its possible base forms; the linker tries
the written form first and a base form only where the written one is not a
name, so an ending never makes a different person.
"""
from __future__ import annotations

import json
import re
from dataclasses import dataclass
from functools import lru_cache
from typing import Dict, FrozenSet, List, Sequence, Tuple

from .translit import TABLES_DIR, has_cyrillic, name_key

NAMES_DIR = TABLES_DIR / "names"

# "N.I.Boecharin", "A.I.Rykov": initials written together with the surname.
_GLUED_INITIALS = re.compile(r"(?<=\b[^\W\d_]\.)(?=[^\W\d_])|(?<=\b[^\W\d_][^\W\d_]\.)(?=[^\W\d_]{2})")
# Russian patronymics in Cyrillic and in the Latin systems.
_PATRONYMIC = re.compile(
    r"(?:ович|евич|ич|овна|евна|ична|инична"
    r"|ovich|evich|ovitch|evitch|ovitsj|evitsj|owitsch|ewitsch|owicz|ewicz|ovič|evič|ovic|evic|ovici|ovitš"
    r"|ovna|evna|ovnja|owna|ewna|ichna|itsjna)$",
    re.I,
)


@dataclass(frozen=True)
class _Inflection:
    min_stem: int
    irregular: Dict[str, str]
    cyrillic: Tuple[Tuple[str, str], ...]
    latin: Tuple[Tuple[str, str], ...]


@lru_cache(maxsize=1)
def _inflection() -> _Inflection:
    data = json.loads((NAMES_DIR / "inflection.json").read_text(encoding="utf8"))
    cyrillic: List[Tuple[str, str]] = []
    latin: List[Tuple[str, str]] = []
    for spec in data["languages"].values():
        target = cyrillic if spec["script"] == "cyrillic" else latin
        for ending, base in spec["endings"]:
            if (ending, base) not in target:
                target.append((ending, base))
    # Longest ending first: "Тухачевским" is Тухачевский before it is "Тухачевски".
    order = lambda rules: tuple(sorted(rules, key=lambda r: -len(r[0])))  # noqa: E731
    return _Inflection(int(data.get("min_stem", 3)), dict(data.get("irregular", {})), order(cyrillic), order(latin))


@lru_cache(maxsize=65536)
def base_forms(word: str) -> Tuple[str, ...]:
    """The word, then the base forms its ending may stand for.

    word (str): one word of a name, e.g. "Бухарина", "Trockiego", "Buharinas".
    RETURNS (Tuple[str, ...]): e.g. ("Бухарина", "Бухарин", …); the word
        itself first, then the candidates, longest ending first.
    """
    table = _inflection()
    folded = word.casefold()
    forms: List[str] = [word]
    irregular = table.irregular.get(folded)
    if irregular:
        forms.append(irregular.capitalize() if word[:1].isupper() else irregular)
    rules = table.cyrillic if has_cyrillic(word) else table.latin
    for ending, base in rules:
        if folded.endswith(ending) and len(folded) - len(ending) >= table.min_stem:
            form = word[: len(word) - len(ending)] + base
            if form and form not in forms:
                forms.append(form)
    return tuple(forms)


@lru_cache(maxsize=1)
def _given_groups() -> Dict[str, FrozenSet[str]]:
    data = json.loads((NAMES_DIR / "given_names.json").read_text(encoding="utf8"))
    groups: Dict[str, set] = {}
    for group, forms in data["groups"].items():
        for form in forms:
            groups.setdefault(name_key(form), set()).add(group)
    return {key: frozenset(value) for key, value in groups.items()}


@lru_cache(maxsize=1)
def _group_forms() -> Dict[str, Tuple[str, ...]]:
    data = json.loads((NAMES_DIR / "given_names.json").read_text(encoding="utf8"))
    return {group: tuple(forms) for group, forms in data["groups"].items()}


def group_forms(group: str) -> Tuple[str, ...]:
    """The written forms of one given-name group."""
    return _group_forms().get(group, ())


def given_groups(key: str) -> FrozenSet[str]:
    """The equivalence groups (``nikolai``, ``lev``…) a given name's key belongs to."""
    return _given_groups().get(key, frozenset())


def split_glued_initials(name: str) -> str:
    """``N.I.Boecharin`` → ``N. I. Boecharin``; ``A.I.Rykov`` → ``A. I. Rykov``."""
    return _GLUED_INITIALS.sub(" ", name)


def is_patronymic(word: str) -> bool:
    """Whether a word looks like a Russian patronymic (``Ivanovich``, ``Ивановна``)."""
    return len(word) > 5 and _PATRONYMIC.search(word) is not None


def word_orders(words: Sequence[str]) -> List[List[str]]:
    """Other orders a name's words may stand for, most likely first:
    surname first with a patronymic last (``Бухарин Николай Иванович``),
    surname first (``Boukharine Nikolaï``), surname last."""
    words = list(words)
    if len(words) < 2:
        return []
    orders: List[List[str]] = []
    if len(words) == 3 and is_patronymic(words[2]):
        orders.append(words[1:] + words[:1])
    rotated = words[1:] + words[:1]
    if rotated not in orders:
        orders.append(rotated)
    back = words[-1:] + words[:-1]
    if back not in orders and back != words:
        orders.append(back)
    return orders

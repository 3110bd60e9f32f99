"""Linking mentions to the knowledge base, and the result every interface returns.

A PERSON mention is tried in this order; the first step that finds
something decides (``method`` and ``confidence`` in the result say which):

1. ``exact`` (1.0): the text is a canonical name, Cyrillic name or alias.
2. ``translit`` (0.95): its ``name_key`` is the key of a full name, in any
   transliteration system (``Nikolaj Ivanovitsj Jezjov``, ``Николай Ежов``).
3. A surname alone (one word, or a name whose other words are initials):
   ``context`` (0.9): the person named in full earlier in the same
   document; else ``alias`` (1.0) when the word is an alias of exactly one
   person; else ``surname`` (0.9) when exactly one person in the knowledge
   base has that surname; else ``ambiguous``: ``kb_id`` null and the
   ``candidates``.
4. ``given+surname`` (0.9): a full name whose given name and surname match
   one person though its exact form is not listed (``Nikolaj Jezjov``); if
   the given name matches nobody and one person has the surname, ``surname``
   (0.7).
5. ``ocr-join`` (0.8): the words run together are a known surname
   (``Jez jov``).
6. ``fuzzy`` (0.85 × similarity): rapidfuzz's ratio between the key and the
   knowledge base's keys is at least ``fuzzy_threshold`` (``Stalln``).
7. ``unknown``: ``kb_id`` null; a Cyrillic name is romanised (BGN/PCGN, 0.5),
   a Latin name that looks Russian gets a guessed Cyrillic and its
   romanisation (0.3), any other name is kept as written (0.2).

Dutch genitives are stripped first: ``Trotski’s`` always, ``Stalins`` when
``Stalins`` itself is not a name. ORG, LOC and TRIAL use steps 1, 2, 6 and 7
(ORG and LOC also look in each other's entries, since taggers confuse them;
``kb_type`` says which the entry is), and a trial named after its
defendants (``Zinovjev-Kamenev-proces``) is found through them. DATE
mentions get ``edtf`` from ``parse_dutch_date``.
"""
from __future__ import annotations

import re
import unicodedata
import weakref
from dataclasses import dataclass, field
from typing import Dict, List, Optional, Sequence, Tuple

from rapidfuzz import fuzz, process

from .dates import parse_date
from .kb import KnowledgeBase, default_kb, fuzzy_text
from .names import base_forms, given_groups, is_patronymic, split_glued_initials, word_orders
from .translit import has_cyrillic, latin_to_cyrillic, name_key, romanize_english, transliterate

LABELS: Tuple[str, ...] = ("PERSON", "ORG", "LOC", "DATE", "TRIAL")
DEFAULT_FUZZY_THRESHOLD = 85.0
MIN_FUZZY_KEY_LENGTH = 4

_APOSTROPHE_GENITIVE = re.compile(r"['’`´]s?$")
# "N.", "N.I.", "Kh.", "Ya." (Russian digraph initials), "N"
_INITIAL = re.compile(r"^(?:[^\W\d_][^\W\d_A-ZА-Я]?\.)+$|^[^\W\d_]$")
_QUOTES = re.compile(r"^[\s\"'‘’“”„«»(]+|[\s\"'‘’“”„«»),.;:]+$")
_DUTCH_PARTICLES = {"van", "de", "der", "den", "ter", "ten", "te", "von", "zu", "le", "la", "du", "di", "da", "'t"}
_RUSSIAN_ENDINGS = re.compile(
    r"(?:ov|ev|ova|eva|ow|ew|owa|ewa|off|in|ina|ine|ski|sky|skij|skiy|skaja|skaya|cki|ckij|tskij|itsj|itch|itsch|ich|icz|ič"
    r"|enko|dze|vili|jan|yan|nyj|nyi|ny|iy|ij|oj|ej|aj|ei|ai|jov|yov|jev|yev)$"
)
_TRIAL_OF_BODY = re.compile(
    r"^(?:de\s+|het\s+)?(?:zaak|proces|rechtszaak|showproces|schijnproces|process|trial|case|procès|affaire|prozess)"
    r"\s+(?:van|tegen|over|of|against|du|de|contre|gegen)\s+(?:het\s+|de\s+|the\s+|la\s+|le\s+|l'|das\s+|den\s+)?(?P<body>.+)$",
    re.I,
)
_TRIAL_WORDS = re.compile(r"[-\s]*(?:proces|processen|showproces|schijnproces|prozess|trial|procès)$", re.I)


@dataclass
class MentionContext:
    """What the mentions of one document know about each other.

    doc_year (Optional[int]): the one year the document states, for dates
        without a year; None to give such dates no ``edtf``.
    persons (Dict[str, List[dict]]): surname key → results of the people
        named in full so far, in document order.
    """

    doc_year: Optional[int] = None
    persons: Dict[str, List[dict]] = field(default_factory=dict)

    def remember(self, surname: str, result: dict) -> None:
        """Record a person named in full, for later mentions of the surname alone."""
        key = name_key(surname)
        if key:
            self.persons.setdefault(key, []).append(result)

    def recall(self, key: str) -> List[dict]:
        """The distinct people named in full earlier whose surname has this key."""
        distinct: Dict[str, dict] = {}
        for result in self.persons.get(key, ()):
            identity = result.get("kb_id") or f"text:{result.get('canonical')}"
            distinct[identity] = result
        return list(distinct.values())


class Linker:
    """Links mentions to one knowledge base.

    kb (KnowledgeBase): the knowledge base.
    fuzzy_threshold (float): the least rapidfuzz ratio (0-100) for a fuzzy link.
    """

    def __init__(self, kb: KnowledgeBase, *, fuzzy_threshold: float = DEFAULT_FUZZY_THRESHOLD) -> None:
        self.kb = kb
        self.fuzzy_threshold = fuzzy_threshold
        # Results that do not depend on the document, by (label, text).
        self._cache: Dict[Tuple[str, str], dict] = {}

    def normalize(self, text: str, label: str, *, context: Optional[MentionContext] = None) -> dict:
        """Normalise one mention.

        text (str): the mention as written.
        label (str): PERSON, ORG, LOC, DATE or TRIAL.
        context (Optional[MentionContext]): the document's context; it is
            updated with what this mention teaches (a full name).
        RETURNS (dict): text, label, kb_id, canonical, cyrillic (PERSON), edtf
            (DATE), confidence, method, kb_type, and candidates when ambiguous.
        """
        if label not in LABELS:
            raise ValueError(f"unknown label {label!r} (guidelines labels: {', '.join(LABELS)})")
        if not text.strip():
            return _empty(text, label)
        if label == "DATE":
            return self._normalize_date(text, context)
        if label == "PERSON":
            return self._normalize_person(text, context)
        cache_key = (label, text)
        result = self._cache.get(cache_key)
        if result is None:
            result = self._link_named(text, label)
            result["text"] = text
            self._cache[cache_key] = result
        return dict(result)

    # --- PERSON ----------------------------------------------------------------

    def _normalize_person(self, text: str, context: Optional[MentionContext]) -> dict:
        name = clean_person_name(text)
        words = [w for w in name.split() if not _INITIAL.match(w)]
        if context is not None and len(words) == 1:
            found = self._from_context(words[0], context)
            if found is not None:
                return _as_mention(found, text)
        cache_key = ("PERSON", text)
        result = self._cache.get(cache_key)
        if result is None:
            result = self._link_person(name)
            result["text"] = text
            self._cache[cache_key] = result
        result = dict(result)
        if context is not None and len(name.split()) > 1 and result["method"] != "ambiguous":
            context.remember(name.split()[-1], result)
            entry = self.kb.get(result["kb_id"]) if result["kb_id"] else None
            if entry is not None and entry.surname_cyrillic:
                context.remember(entry.surname_cyrillic, result)
        return result

    def _from_context(self, word: str, context: MentionContext) -> Optional[dict]:
        forms = list(dict.fromkeys(f for variant in _genitive_variants(word) for f in base_forms(variant)))
        for form in forms:
            found = context.recall(name_key(form))
            if len(found) == 1:
                return dict(found[0], method="context", confidence=0.9)
            if len(found) > 1 and all(r.get("kb_id") for r in found):
                return _ambiguous("PERSON", sorted(r["kb_id"] for r in found))
        return None

    def _link_person(self, name: str) -> dict:
        variants = _genitive_variants(name)
        for variant in variants:
            result = self._resolve_person(variant)
            if result is not None:
                return self._prefer_base_form(name, result, stripped=variant != name)
        result = self._resolve_forms(name)
        if result is not None:
            return result
        for variant in variants:
            result = self._fuzzy_person(variant)
            if result is not None:
                return result
        # An unknown "Nikolayevs" is Nikolayev's genitive; an unknown "Bos" is Bos.
        stripped = variants[-1]
        if len(variants) > 1 and _RUSSIAN_ENDINGS.search(stripped.casefold()) and not _RUSSIAN_ENDINGS.search(name.casefold()):
            return self._unknown_person(stripped)
        return self._unknown_person(name)

    def _resolve_forms(self, name: str) -> Optional[dict]:
        """Case endings and word order: ``Lwa Trockiego``, ``Рыковым``,
        ``Boukharine Nikolaï``, ``Бухарин Николай Иванович``. The first form
        that links one person wins; else the first that is ambiguous."""
        words = name.split()
        if not words or len(words) > 4:
            return None
        ambiguous = None
        orders = [words] + word_orders(words)
        # "Ramón Mercader del Río": a Spanish or Portuguese second surname
        cut = next((i for i, w in enumerate(words) if i >= 2 and w.casefold() in ("de", "del", "y", "da", "dos", "das", "e")), None)
        if cut is not None:
            orders.insert(1, words[:cut])
        for order in orders:
            options = [_word_options(w) for w in order]
            for combo in _combinations(options, limit=48):
                if list(combo) == words:
                    continue
                result = self._resolve_person(" ".join(combo), ocr_join=False)
                if result is None:
                    continue
                if result["kb_id"]:
                    if result["method"] not in ("exact", "translit"):
                        result["method"] = f"{result['method']}+form"
                    result["confidence"] = round(min(result["confidence"], 0.9), 3)
                    return result
                if ambiguous is None:
                    ambiguous = result
        return ambiguous

    def _prefer_base_form(self, name: str, result: dict, *, stripped: bool = False) -> dict:
        """A bare surname that is a woman's surname in the KB (``Бухарина``,
        Polish ``Kamieniewa``) is more often the genitive of a man's:
        where a base form links another person, that person is returned with
        a low confidence and both as candidates."""
        if result["method"] != "surname" or len(name.split()) != 1:
            return result
        if not stripped and not name.casefold().endswith(("a", "а")):
            return result  # "Volkovą" is a woman's name in the instrumental, not a man's genitive
        for form in base_forms(name)[1:]:
            if not stripped and form.casefold() != name.casefold()[:-1]:
                continue
            other = self._resolve_surname(form, explicit=self.kb.by_text("PERSON", form), confidence=0.9)
            if other is None:
                continue
            if other["kb_id"] and other["kb_id"] != result["kb_id"]:
                chosen = self._linked(other["kb_id"], "PERSON", "surname+form", 0.6)
                chosen["candidates"] = sorted({other["kb_id"], result["kb_id"]})
                return chosen
            if not other["kb_id"]:
                # "Седова": Natalia Sedova, or the genitive of Lev or Sergei Sedov
                return _ambiguous("PERSON", sorted({result["kb_id"], *other.get("candidates", ())}))
        return result

    def _resolve_person(self, name: str, *, ocr_join: bool = True) -> Optional[dict]:
        kb = self.kb
        ids = kb.by_text("PERSON", name)
        if len(ids) == 1:
            return self._linked(ids[0], "PERSON", "exact", 1.0)
        words = name.split()
        content = [w for w in words if not _INITIAL.match(w)]
        initials = [w for w in words if _INITIAL.match(w)]
        if len(content) == 1:
            return self._surname_with_initials(content[0], ids, initials, confidence=1.0 if len(content) == len(words) else 0.9)
        key = name_key(name)
        by_key = kb.by_key("PERSON", key) or ids
        if len(by_key) == 1:
            return self._linked(by_key[0], "PERSON", "translit", 0.95)
        if len(by_key) > 1:
            return _ambiguous("PERSON", by_key)
        if not content:
            return None  # initials only ("H.", "E. W."): nothing to link them by
        surname_ids = kb.by_surname(name_key(content[-1]))
        if surname_ids:
            # Another Petrov is not ours: the given name (in any language's
            # form), the patronymic and the initials must fit the person.
            matching = [i for i in surname_ids if self._given_fits(i, words[:-1] if words[-1] == content[-1] else words)]
            if len(matching) == 1:
                return self._linked(matching[0], "PERSON", "given+surname", 0.9)
            if len(matching) > 1:
                return _ambiguous("PERSON", matching)
        joined = "".join(words)
        if ocr_join and len(words) <= 3 and len(joined) >= MIN_FUZZY_KEY_LENGTH:
            ids = kb.by_text("PERSON", joined) or kb.by_surname(name_key(joined))
            if len(ids) == 1:
                return self._linked(ids[0], "PERSON", "ocr-join", 0.8)
        return None

    def _surname_with_initials(self, word: str, explicit: Sequence[str], initials: Sequence[str], *, confidence: float) -> Optional[dict]:
        result = self._resolve_surname(word, explicit=explicit, confidence=confidence)
        if result is None or not initials:
            return result
        if result["kb_id"]:
            return result if self._initials_fit(result["kb_id"], initials) else None
        # "A. Orlov": the initial tells the candidates apart.
        fitting = [i for i in result.get("candidates", ()) if self._initials_fit(i, initials)]
        if len(fitting) == 1:
            return self._linked(fitting[0], "PERSON", "initials+surname", 0.85)
        if not fitting:
            return None
        return _ambiguous("PERSON", fitting)

    def _initials_fit(self, kb_id: str, initials: Sequence[str]) -> bool:
        """The first initial must be the person's (in some language's form);
        a second one, where the person has a patronymic, the patronymic's or
        another of the person's given names (``V. S. Molotov`` is not
        Vyacheslav Mikhailovich)."""
        letters = self.kb.initials_by_id.get(kb_id)
        found = [_initial_letter(part) for token in initials for part in token.split(".") if part.strip()]
        found = [letter for letter in found if letter]
        if not letters or not found:
            return True

        def fits(letter: str, allowed: set) -> bool:
            # a Cyrillic initial also counts as its ISO 9 letter (Ukrainian "М." for Mykyta)
            return letter in allowed or (has_cyrillic(letter) and _initial_letter(transliterate(letter, "iso9")) in allowed)

        if not fits(found[0], letters):
            return False
        patronymic = self.kb.patronymic_initials_by_id.get(kb_id)
        if len(found) >= 2 and patronymic and not fits(found[1], patronymic) and not fits(found[1], letters):
            return False
        return True

    def _given_fits(self, kb_id: str, given_words: Sequence[str]) -> bool:
        """Whether the words before a surname fit the person: the first given
        name is one of theirs (or the same name in another language, or a
        close spelling), a patronymic is theirs, an initial is theirs."""
        if not given_words:
            return True
        kb = self.kb
        first = given_words[0]
        if _INITIAL.match(first):
            return self._initials_fit(kb_id, [first])
        if first.casefold() in _DUTCH_PARTICLES:
            return False
        own = kb.given_by_id.get(kb_id) or set()
        if not own:
            return True
        if not self._word_fits(first, own, kb.groups_by_id.get(kb_id, frozenset())):
            return False
        patronymics = kb.patronymic_by_id.get(kb_id)
        for word in given_words[1:]:
            if patronymics and is_patronymic(word) and not self._word_fits(word, patronymics, frozenset()):
                return False
        return True

    @staticmethod
    def _word_fits(word: str, keys: set, groups: frozenset) -> bool:
        for form in base_forms(word):
            key = name_key(form)
            if key in keys or (groups and given_groups(key) & groups):
                return True
            if len(key) >= 4 and any(fuzz.ratio(key, k) >= 80 for k in keys if k):
                return True
        return False

    def _resolve_surname(self, word: str, *, explicit: Sequence[str], confidence: float) -> Optional[dict]:
        if len(explicit) == 1:
            return self._linked(explicit[0], "PERSON", "alias", confidence)
        ids = self.kb.by_surname(name_key(word))
        if len(ids) == 1:
            return self._linked(ids[0], "PERSON", "surname", min(confidence, 0.9))
        if len(ids) > 1:
            return _ambiguous("PERSON", ids)
        return None

    def _fuzzy_person(self, name: str) -> Optional[dict]:
        words = [w for w in name.split() if not _INITIAL.match(w)]
        if not words:
            return None
        joined = " ".join(words)
        if len(words) == 1:
            result = self._fuzzy_best(joined, self.kb.fuzzy_surname, self.kb.fuzzy_text_surname, "PERSON")
            initials = [w for w in name.split() if _INITIAL.match(w)]
            if result is not None and result["kb_id"] and not self._initials_fit(result["kb_id"], initials):
                return None
            return result
        result = self._fuzzy_best(joined, self.kb.fuzzy_full["PERSON"], self.kb.fuzzy_text_full["PERSON"], "PERSON")
        if result is not None and result["kb_id"] and not self._fuzzy_person_fits(result["kb_id"], name.split()):
            # "Nikolai Petrov" is close to "Nikita Petrov" as a string, not as a person
            return None
        return result

    def _fuzzy_person_fits(self, kb_id: str, words: Sequence[str]) -> bool:
        """A fuzzy full-name match must be close in the surname too (``Ivan
        Petrov`` is not Ivan Serov) and fit the given name."""
        surname = name_key(words[-1])
        own = self.kb.surname_keys_by_id.get(kb_id) or set()
        if own and not any(fuzz.ratio(surname, key) >= 75 for key in own):
            return False
        return self._given_fits(kb_id, words[:-1])

    def _unknown_person(self, name: str) -> dict:
        if has_cyrillic(name):
            return _result("PERSON", canonical=romanize_english(name), cyrillic=name, confidence=0.5, method="unknown")
        if self._looks_russian(name):
            cyrillic = latin_to_cyrillic(name)
            return _result("PERSON", canonical=romanize_english(cyrillic), cyrillic=cyrillic, confidence=0.3, method="unknown")
        return _result("PERSON", canonical=name, cyrillic=None, confidence=0.2, method="unknown")

    def _looks_russian(self, name: str) -> bool:
        words = [w for w in name.split() if not _INITIAL.match(w)]
        if not words or _has_particle(words):
            return False
        if any(name_key(w) in self.kb.given for w in words[:-1]):
            return True
        return bool(_RUSSIAN_ENDINGS.search(words[-1].casefold()))

    # --- ORG, LOC, TRIAL -------------------------------------------------------------

    def _link_named(self, text: str, label: str) -> dict:
        name = _QUOTES.sub("", _APOSTROPHE_GENITIVE.sub("", text.strip()))
        name = re.sub(r"^(?:de|het|der|die|das|the|la|le)\s+", "", name, flags=re.I)
        labels = (label, "LOC" if label == "ORG" else "ORG") if label in ("ORG", "LOC") else (label,)
        key = name_key(name)
        for lookup_label in labels:
            ids = self.kb.by_text(lookup_label, name)
            method, confidence = "exact", 1.0
            if not ids:
                ids, method, confidence = self.kb.by_key(lookup_label, key), "translit", 0.95
            if lookup_label != label:
                confidence -= 0.1
            if len(ids) == 1:
                return self._linked(ids[0], label, method, confidence)
            if len(ids) > 1:
                return _ambiguous(label, ids)
        if label == "TRIAL":
            result = self._trial_by_defendants(name) or self._trial_by_organisation(name)
            if result is not None:
                return result
        result = self._fuzzy_best(name, self.kb.fuzzy_full[label], self.kb.fuzzy_text_full[label], label)
        if result is not None:
            return result
        # Outside the KB there is no English name to give: canonical stays null
        # rather than the mention's own text, so exports never mix the two.
        return _result(label, canonical=None, confidence=0.2, method="unknown")

    def _trial_by_organisation(self, name: str) -> Optional[dict]:
        """``de zaak van het Parallelle Centrum``: the trial of the body the
        trial was about (``organisations`` in trials.jsonl)."""
        match = _TRIAL_OF_BODY.match(name)
        if not match:
            return None
        body = match["body"]
        ids = self.kb.by_text("ORG", body) or self.kb.by_key("ORG", name_key(body))
        if len(ids) != 1:
            found = self._fuzzy_best(body, self.kb.fuzzy_full["ORG"], self.kb.fuzzy_text_full["ORG"], "ORG")
            ids = (found["kb_id"],) if found and found["kb_id"] else ()
        if len(ids) != 1:
            return None
        trials = [e.kb_id for e in self.kb.entries.values() if e.label == "TRIAL" and ids[0] in (e.record.get("organisations") or ())]
        if len(trials) == 1:
            return self._linked(trials[0], "TRIAL", "organisation", 0.85)
        return None

    def _trial_by_defendants(self, name: str) -> Optional[dict]:
        stem = _TRIAL_WORDS.sub("", name)
        if stem == name:
            return None
        # Each named defendant may still be ambiguous ("Kamenev"): the trial
        # must have one of each name's candidates among its defendants.
        people: List[set] = []
        for part in re.split(r"\s+en\s+|[-\s]+", stem):
            if part:
                found = self._resolve_person(part)
                if found is None:
                    return None
                people.append({found["kb_id"]} if found["kb_id"] else set(found.get("candidates", ())))
        trials = [
            e.kb_id for e in self.kb.entries.values()
            if e.label == "TRIAL" and people
            and all(ids & set(e.record.get("defendants") or ()) for ids in people)
        ]
        if len(trials) == 1:
            return self._linked(trials[0], "TRIAL", "defendants", 0.85)
        return _ambiguous("TRIAL", trials) if trials else None

    # --- shared ------------------------------------------------------------------------

    def _fuzzy_best(self, name: str, by_key: tuple, by_text: tuple, label: str) -> Optional[dict]:
        """Fuzzy-match both the key (spelling systems apart) and the folded
        spelling (OCR confusions such as e/c that the key would blur); the
        better score wins."""
        best = None
        for query, (choices, ids) in ((name_key(name), by_key), (fuzzy_text(name), by_text)):
            if len(query.replace(" ", "")) < MIN_FUZZY_KEY_LENGTH or not choices:
                continue
            match = process.extractOne(query, choices, scorer=fuzz.ratio, score_cutoff=self.fuzzy_threshold)
            if match is not None and (best is None or match[1] > best[0]):
                best = (match[1], ids[match[2]])
        if best is None:
            return None
        score, found = best
        if len(found) > 1:
            return _ambiguous(label, found)
        return self._linked(found[0], label, "fuzzy", round(0.85 * score / 100, 3))

    def _linked(self, kb_id: str, label: str, method: str, confidence: float) -> dict:
        entry = self.kb.entries[kb_id]
        result = _result(label, kb_id=kb_id, canonical=entry.canonical, confidence=confidence, method=method, kb_type=entry.kb_type)
        if label == "PERSON":
            result["cyrillic"] = entry.cyrillic
        return result

    def _normalize_date(self, text: str, context: Optional[MentionContext]) -> dict:
        edtf, qualifier = parse_date(text)
        confidence = 1.0
        if edtf is None and context is not None and context.doc_year is not None:
            edtf, qualifier = parse_date(text, doc_year=context.doc_year)
            confidence = 0.8
        result = _result("DATE", canonical=edtf, confidence=confidence if edtf else 0.0, method="date" if edtf else "unknown")
        result.pop("kb_type")
        result["edtf"] = edtf
        # What EDTF cannot say ("eind 1937" is "1937", late in it)
        result["qualifier"] = qualifier
        result["text"] = text
        return result


def clean_person_name(text: str) -> str:
    """Undo what Dutch writing adds to a name: quotes, an apostrophe genitive
    (``Trotski’s``), and surname-first order (``Radek, Karl Bernhardovitsj``).

    text (str): the mention.
    RETURNS (str): the name.
    """
    name = _QUOTES.sub("", " ".join(split_glued_initials(text).split()))
    name = _APOSTROPHE_GENITIVE.sub("", name)
    if name.count(",") == 1:
        surname, given = (part.strip() for part in name.split(","))
        if surname and given:
            name = f"{given} {surname}"
    return name


def _initial_letter(initial: str) -> str:
    decomposed = unicodedata.normalize("NFD", initial.strip(".").casefold())
    letters = [c for c in decomposed if c.isalpha()]
    return letters[0] if letters else ""


def _word_options(word: str) -> Tuple[str, ...]:
    """A word's base forms; for a double surname (``Yakovlev-Epshtein``) also
    each of its parts."""
    if _INITIAL.match(word):
        return (word,)
    forms = list(base_forms(word))
    if "-" in word.strip("-"):
        for part in word.split("-"):
            if len(part) > 2:
                forms.extend(f for f in base_forms(part) if f not in forms)
    return tuple(forms)


def _combinations(options: Sequence[Sequence[str]], *, limit: int) -> List[Tuple[str, ...]]:
    """The product of each word's forms, the written forms first, at most ``limit``."""
    combos: List[Tuple[str, ...]] = [()]
    for forms in options:
        combos = [c + (f,) for c in combos for f in forms][:limit]
    return combos


def _genitive_variants(name: str) -> List[str]:
    """The name, then the name without a Dutch genitive -s (``Stalins``)."""
    if len(name) > 3 and name.endswith("s") and not name.endswith("ss"):
        return [name, name[:-1]]
    return [name]


def _has_particle(words: Sequence[str]) -> bool:
    return any(w.casefold() in _DUTCH_PARTICLES for w in words)


def _result(label: str, *, kb_id: Optional[str] = None, canonical: Optional[str] = None, cyrillic: Optional[str] = None,
            confidence: float = 0.0, method: str = "unknown", kb_type: Optional[str] = None) -> dict:
    result = {"text": "", "label": label, "kb_id": kb_id, "canonical": canonical}
    if label == "PERSON":
        result["cyrillic"] = cyrillic
    result.update(confidence=confidence, method=method, kb_type=kb_type)
    return result


def _ambiguous(label: str, candidates: Sequence[str]) -> dict:
    result = _result(label, confidence=round(1 / len(candidates), 3), method="ambiguous")
    result["candidates"] = sorted(candidates)
    return result


def _empty(text: str, label: str) -> dict:
    result = _result(label, method="empty")
    result["text"] = text
    if label == "DATE":
        result.pop("kb_type")
        result["edtf"] = None
        result["qualifier"] = None
    return result


def _as_mention(result: dict, text: str) -> dict:
    result = dict(result)
    result["text"] = text
    return result


_LINKERS: "weakref.WeakKeyDictionary[KnowledgeBase, Dict[float, Linker]]" = weakref.WeakKeyDictionary()


def get_linker(kb: Optional[KnowledgeBase] = None, *, fuzzy_threshold: float = DEFAULT_FUZZY_THRESHOLD) -> Linker:
    """The shared linker of a knowledge base (its cache lives as long as the KB).

    kb (Optional[KnowledgeBase]): the knowledge base; None for the packaged one.
    fuzzy_threshold (float): the least rapidfuzz ratio for a fuzzy link.
    RETURNS (Linker): the linker.
    """
    kb = kb if kb is not None else default_kb()
    linkers = _LINKERS.setdefault(kb, {})
    if fuzzy_threshold not in linkers:
        linkers[fuzzy_threshold] = Linker(kb, fuzzy_threshold=fuzzy_threshold)
    return linkers[fuzzy_threshold]


def normalize_mention(text: str, label: str, *, context: Optional[MentionContext] = None, kb: Optional[KnowledgeBase] = None,
                      fuzzy_threshold: float = DEFAULT_FUZZY_THRESHOLD) -> dict:
    """Normalise one mention: link it to the knowledge base, or romanise it, or
    read its date.

    text (str): the mention as written, e.g. "Jezjovs" or "19 augustus 1936".
    label (str): PERSON, ORG, LOC, DATE or TRIAL.
    context (Optional[MentionContext]): the document's context, for surnames
        named in full earlier and for the document year; None for none.
    kb (Optional[KnowledgeBase]): the knowledge base; None for the packaged one.
    fuzzy_threshold (float): the least rapidfuzz ratio (0-100) for a fuzzy link.
    RETURNS (dict): {"text", "label", "kb_id", "canonical", "cyrillic" (PERSON),
        "edtf" (DATE), "confidence", "method", "kb_type", "candidates" (when
        ambiguous)}.
    """
    return get_linker(kb, fuzzy_threshold=fuzzy_threshold).normalize(text, label, context=context)

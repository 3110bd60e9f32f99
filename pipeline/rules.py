"""Rule components: knowledge-base names, date patterns and span boundaries.

``terreur_names`` and ``terreur_dates`` are spaCy ``span_ruler``s whose
patterns are built here, from the knowledge base and the date grammar,
when a pipeline is initialized (``@misc = "terreur.rule_patterns.v1"``), and
then saved with the model. ``terreur_boundaries`` applies the guidelines'
span rules to whatever the model and the rules found: no leading article,
no punctuation at the edges, no apostrophe genitive.
"""
from __future__ import annotations

import random
from pathlib import Path
from typing import Any, Callable, Dict, Iterator, List, Optional, Tuple

import spacy
import srsly
from spacy.language import Language
from spacy.tokens import Doc, Span
from spacy.training import Example

from .convert import LEADING_ARTICLES
from .normalize import SYSTEMS, KnowledgeBase, load_kb, transliterate

# --- rule patterns ------------------------------------------------------------------

MONTHS = [
    "januari", "februari", "maart", "april", "mei", "juni", "juli", "augustus", "september",
    "oktober", "october", "november", "december", "jan.", "feb.", "febr.", "mrt.", "apr.", "aug.",
    "sept.", "sep.", "okt.", "oct.", "nov.", "dec.",
]
WEEKDAYS = ["maandag", "dinsdag", "woensdag", "donderdag", "vrijdag", "zaterdag", "zondag"]
SEASONS = ["lente", "voorjaar", "zomer", "herfst", "najaar", "winter"]
DECADES = ["twintig", "dertig", "veertig", "vijftig", "zestig", "zeventig", "tachtig", "negentig"]
APPROX = ["circa", "ca.", "rond", "omstreeks", "ongeveer"]
YEAR = {"TEXT": {"REGEX": r"^1[5-9]\d\d$|^20[0-2]\d$"}}
DAY = {"TEXT": {"REGEX": r"^(0?[1-9]|[12]\d|3[01])(e|ste|de|sten|den)?$"}}
MONTH = {"LOWER": {"IN": MONTHS}}
DASH = {"TEXT": {"IN": ["-", "–", "—", "/"]}}


def date_patterns() -> List[Dict[str, Any]]:
    """Token patterns for the date expressions the guidelines mark (DATE)."""
    weekday = {"LOWER": {"IN": WEEKDAYS}, "OP": "?"}
    approx = {"LOWER": {"IN": APPROX}, "OP": "?"}
    shapes: List[List[Dict[str, Any]]] = [
        [approx, weekday, DAY, MONTH, YEAR],  # (rond) (zaterdag) 22 augustus 1936, 24sten Augustus 1936
        [DAY, {"LOWER": {"IN": ["tot", "en", "-", "–"]}}, DAY, MONTH, YEAR],  # 23 tot 29 januari 1937
        [DAY, MONTH, {"LOWER": {"IN": ["tot", "-", "–"]}}, DAY, MONTH, YEAR],
        [MONTH, YEAR],  # maart 1934
        [{"LOWER": {"IN": SEASONS}}, {"LOWER": "van"}, YEAR],  # zomer van 1937
        [{"LOWER": {"IN": ["begin", "midden", "eind", "einde"]}}, {"LOWER": "jaren"}, {"LOWER": {"IN": DECADES}}],
        [{"LOWER": "jaren"}, {"LOWER": {"IN": DECADES}}],
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
    return (date_patterns() if dates else []) + (kb_phrase_patterns(kb) if names else [])


@spacy.registry.misc("terreur.rule_patterns.v1")
def create_rule_patterns(dates: bool = True, names: bool = True) -> List[Dict[str, Any]]:
    """Registered: ``[initialize.components.terreur_names.patterns] @misc = "terreur.rule_patterns.v1"``.

    The patterns are built from the knowledge base when the pipeline is
    initialized, and saved with the model, so the KB is their one source.
    """
    return build_rule_patterns(dates=dates, names=names)


def write_rule_patterns(output_path: Path, **kwargs: Any) -> int:
    patterns = build_rule_patterns(**kwargs)
    output_path.parent.mkdir(parents=True, exist_ok=True)
    srsly.write_jsonl(output_path, patterns)
    return len(patterns)




# --- span boundaries -----------------------------------------------------------------

# Punctuation that is never the first or last character of a name. A closing
# bracket or quote stays when its opening one is inside the span
# ("RSDLP (b)", 'zaak van het "Blok van Rechtsen en Trotskisten"').
EDGE_PUNCT = set(".,;:!?-–—/|¬*•·'’‘\"“”„«»()[]{}")
PAIRS = {")": "(", "]": "[", "”": "“", "»": "«", '"': '"', "’": "‘"}
GENITIVES = {"'s", "’s", "'S", "’S"}


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


# --- training data: names in other spellings ---------------------------------------------


@spacy.registry.augmenters("terreur.name_swap_augmenter.v1")
def create_name_swap_augmenter(level: float = 0.5, seed: int = 0) -> Callable[[Language, Example], Iterator[Example]]:
    """Registered: ``[corpora.train.augmenter] @augmenters = "terreur.name_swap_augmenter.v1"``.

    With probability ``level`` an example gets a twin in which every PERSON
    is another Soviet person of the knowledge base, spelt in a randomly
    chosen transliteration system (``Jeschow``, ``Iejov``, ``Ежов``…), as a
    full name or a surname. The gold corpus names a few dozen people in a
    few spellings; archives name hundreds in a dozen, and the model should
    recognise a person by the context and the shape of a Russian name, not
    by having seen the spelling. Examples with unannotated labels
    (Europeana) and genitive forms (``Stalins``) are left as they are.

    level (float): the share of examples that get a twin.
    seed (int): for repeatable training.
    """
    rng = random.Random(seed)
    renderings = _person_renderings(load_kb())

    def augment(nlp: Language, example: Example) -> Iterator[Example]:
        yield example
        reference = example.reference
        if rng.random() >= level or any(t.ent_iob == 0 for t in reference):
            return
        if not any(_swappable(e) for e in reference.ents):
            return
        twin = _swap_person_names(nlp, reference, lambda: rng.choice(renderings[rng.randrange(len(renderings))]))
        if twin is not None:
            yield Example(nlp.make_doc(twin.text), twin)

    return augment


def _person_renderings(kb: KnowledgeBase) -> List[List[str]]:
    people = []
    for entry in kb.entries.values():
        if entry.label == "PERSON" and entry.cyrillic and entry.surname_cyrillic:
            words = entry.cyrillic.split()
            forms = [f"{words[0]} {words[-1]}", entry.surname_cyrillic]
            people.append([transliterate(form, system) for form in forms for system in SYSTEMS] + forms)
    return people


def _swappable(ent: Span) -> bool:
    # a genitive ("Stalins", "Trotski’s") would lose its ending in another spelling
    return ent.label_ == "PERSON" and not ent.text.endswith(("s", "’", "'"))


def _swap_person_names(nlp: Language, reference: Doc, new_name: Callable[[], str]) -> Optional[Doc]:
    text, pieces, spans, position = reference.text, [], [], 0
    length = 0
    for ent in reference.ents:
        pieces.append(text[position : ent.start_char])
        length += ent.start_char - position
        name = new_name() if _swappable(ent) else ent.text
        spans.append((length, length + len(name), ent.label_))
        pieces.append(name)
        length += len(name)
        position = ent.end_char
    pieces.append(text[position:])
    doc = nlp.make_doc("".join(pieces))
    ents = [doc.char_span(start, end, label=label) for start, end, label in spans]
    if any(ent is None for ent in ents):
        return None
    doc.ents = ents
    return doc

"""The name-swap augmenter ``terreur.name_swap_augmenter.v1``, as spaCy's ``spacy/training/augment.py``."""
from __future__ import annotations

import random
from typing import Callable, Iterator, List, Optional

import spacy
from spacy.language import Language
from spacy.tokens import Doc, Span
from spacy.training import Example

from ..normalize import SYSTEMS, KnowledgeBase, load_kb, transliterate


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
    doc.ents = [ent for ent in ents if ent is not None]
    return doc

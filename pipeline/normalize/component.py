"""The ``terreur_normalizer`` spaCy component.

It adds to every entity in ``doc.ents`` the Span extensions ``kb_id``,
``canonical``, ``cyrillic``, ``edtf``, ``confidence``, ``candidates`` and
``kb_type`` (what ``normalize_mention`` returns), reading the document's
entities in order so that a surname alone finds the person named in full
earlier. A document whose DATE entities state exactly one distinct year
lends that year to its dates without one.

It is a ``spacy.pipeline.Pipe``: an entity that cannot be normalised
raises, and spaCy's error handler decides what happens (the default
raises; ``nlp.set_error_handler`` or the pipe's own ``set_error_handler``
can log and go on, as for any spaCy component).

Its knowledge base is the packaged one unless ``kb_path`` (factory) or
``[initialize.components.terreur_normalizer] kb_path`` names a directory;
``to_disk`` writes it into the model directory as JSONL, so a saved model
carries its own knowledge base, like ``span_ruler`` carries its patterns.
"""

from pathlib import Path
from typing import Callable, Dict, Iterable, Optional, Union

import srsly
from spacy.language import Language
from spacy.pipeline import Pipe
from spacy.tokens import Doc, Span
from spacy.training import Example
from spacy.util import ensure_path, from_bytes, from_disk, to_bytes, to_disk

from .dates import years_in
from .kb import KnowledgeBase, default_kb, load_kb
from .link import DEFAULT_FUZZY_THRESHOLD, LABELS, Linker, MentionContext

SPAN_EXTENSIONS = ("kb_id", "canonical", "cyrillic", "edtf", "confidence", "candidates", "kb_type")


def register_span_extensions() -> None:
    """Register the Span extensions the component writes (idempotent)."""
    for name in SPAN_EXTENSIONS:
        if not Span.has_extension(name):
            Span.set_extension(name, default=None)


register_span_extensions()


@Language.factory(
    "terreur_normalizer",
    default_config={"fuzzy_threshold": DEFAULT_FUZZY_THRESHOLD, "kb_path": None, "use_doc_year": True},
    assigns=[f"span._.{name}" for name in SPAN_EXTENSIONS],
    requires=["doc.ents"],
    default_score_weights={},
)
def make_normalizer(
    nlp: Language,
    name: str,
    *,
    fuzzy_threshold: float,
    kb_path: Optional[str],
    use_doc_year: bool,
) -> "Normalizer":
    """Create a terreur_normalizer.

    fuzzy_threshold (float): the least rapidfuzz ratio (0-100) for a fuzzy link.
    kb_path (Optional[str]): a knowledge base directory; None for the packaged one.
    use_doc_year (bool): lend a document's one stated year to dates without one.
    RETURNS (Normalizer): the component.
    """
    return Normalizer(nlp, name, fuzzy_threshold=fuzzy_threshold, kb_path=kb_path, use_doc_year=use_doc_year)


class Normalizer(Pipe):
    """Links entities to the knowledge base and normalises dates.

    nlp (Language): the pipeline.
    name (str): the component's name.
    fuzzy_threshold (float): the least rapidfuzz ratio (0-100) for a fuzzy link.
    kb_path (Optional[Union[str, Path]]): a knowledge base directory; None for
        the packaged one (loaded at the first document).
    use_doc_year (bool): lend a document's one stated year to dates without one.
    """

    def __init__(
        self,
        nlp: Language,
        name: str = "terreur_normalizer",
        *,
        fuzzy_threshold: float = DEFAULT_FUZZY_THRESHOLD,
        kb_path: Optional[Union[str, Path]] = None,
        use_doc_year: bool = True,
    ) -> None:
        self.nlp = nlp
        self.name = name
        self.fuzzy_threshold = fuzzy_threshold
        self.use_doc_year = use_doc_year
        self._kb: Optional[KnowledgeBase] = load_kb(kb_path) if kb_path else None
        self._linker: Optional[Linker] = None

    @property
    def kb(self) -> KnowledgeBase:
        """The knowledge base (the packaged one unless another was set)."""
        if self._kb is None:
            self._kb = default_kb()
        return self._kb

    @kb.setter
    def kb(self, kb: KnowledgeBase) -> None:
        self._kb = kb
        self._linker = None

    @property
    def linker(self) -> Linker:
        if self._linker is None:
            self._linker = Linker(self.kb, fuzzy_threshold=self.fuzzy_threshold)
        return self._linker

    def __call__(self, doc: Doc) -> Doc:
        """Add the normalisation fields to every entity of a document.

        doc (Doc): the document, with ``doc.ents`` set.
        RETURNS (Doc): the same document.
        """
        context = MentionContext(doc_year=self.doc_year(doc) if self.use_doc_year else None)
        for ent in doc.ents:
            if ent.label_ in LABELS:
                set_span_fields(ent, self.linker.normalize(ent.text, ent.label_, context=context))
        return doc

    @staticmethod
    def doc_year(doc: Doc) -> Optional[int]:
        """The year a document states, if its DATE entities state exactly one.

        doc (Doc): the document.
        RETURNS (Optional[int]): the year, or None.
        """
        years = years_in(ent.text for ent in doc.ents if ent.label_ == "DATE")
        return next(iter(years)) if len(years) == 1 else None

    def initialize(
        self,
        get_examples: Callable[[], Iterable[Example]],
        *,
        nlp: Optional[Language] = None,
        kb_path: Optional[Union[str, Path]] = None,
    ) -> None:
        """Load the knowledge base: from kb_path, else the packaged one.

        get_examples (Callable[[], Iterable[Example]]): unused; the component
            learns nothing from examples.
        nlp (Optional[Language]): the pipeline.
        kb_path (Optional[Union[str, Path]]): a knowledge base directory.
        """
        self.kb = load_kb(kb_path) if kb_path else self.kb

    # --- serialization: the knowledge base travels with the model as JSONL ------

    def _cfg(self) -> dict:
        return {"fuzzy_threshold": self.fuzzy_threshold, "use_doc_year": self.use_doc_year}

    def _set_cfg(self, cfg: dict) -> None:
        self.fuzzy_threshold = float(cfg.get("fuzzy_threshold", self.fuzzy_threshold))
        self.use_doc_year = bool(cfg.get("use_doc_year", self.use_doc_year))
        self._linker = None

    def to_disk(self, path: Union[str, Path], *, exclude: Iterable[str] = ()) -> None:
        """Save the settings and the knowledge base (one JSONL file per label).

        path (Union[str, Path]): the component's directory.
        exclude (Iterable[str]): "cfg" and/or "kb" to leave out.
        """
        path = ensure_path(path)
        serializers: Dict[str, Callable] = {
            "cfg": lambda p: srsly.write_json(p, self._cfg()),
            "kb": lambda p: self.kb.to_dir(p),
        }
        to_disk(path, serializers, exclude)

    def from_disk(self, path: Union[str, Path], *, exclude: Iterable[str] = ()) -> "Normalizer":
        """Load what ``to_disk`` saved; state is replaced, not merged.

        path (Union[str, Path]): the component's directory.
        exclude (Iterable[str]): "cfg" and/or "kb" to leave out.
        RETURNS (Normalizer): self.
        """
        path = ensure_path(path)
        deserializers: Dict[str, Callable] = {
            "cfg": lambda p: self._set_cfg(srsly.read_json(p)) if p.exists() else None,
            "kb": lambda p: setattr(self, "kb", KnowledgeBase.from_dir(p)) if p.exists() else None,
        }
        from_disk(path, deserializers, exclude)
        return self

    def to_bytes(self, *, exclude: Iterable[str] = ()) -> bytes:
        """Serialize the settings and the knowledge base's records.

        exclude (Iterable[str]): "cfg" and/or "kb" to leave out.
        RETURNS (bytes): the serialized component.
        """
        serializers: Dict[str, Callable] = {
            "cfg": lambda: srsly.json_dumps(self._cfg()),
            "kb": lambda: srsly.msgpack_dumps(self.kb.records),
        }
        return to_bytes(serializers, exclude)

    def from_bytes(self, bytes_data: bytes, *, exclude: Iterable[str] = ()) -> "Normalizer":
        """Load what ``to_bytes`` produced.

        bytes_data (bytes): the data.
        exclude (Iterable[str]): "cfg" and/or "kb" to leave out.
        RETURNS (Normalizer): self.
        """
        deserializers: Dict[str, Callable] = {
            "cfg": lambda b: self._set_cfg(srsly.json_loads(b)),
            "kb": lambda b: setattr(self, "kb", KnowledgeBase(srsly.msgpack_loads(b))),
        }
        from_bytes(bytes_data, deserializers, exclude)
        return self


def set_span_fields(span: Span, result: dict) -> None:
    """Copy a ``normalize_mention`` result onto a span's extensions.

    span (Span): the entity.
    result (dict): the result.
    """
    for name in SPAN_EXTENSIONS:
        setattr(span._, name, result.get(name))

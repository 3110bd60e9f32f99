"""The training reader ``terreur.ProdigyJsonl.v1``, as spaCy's ``spacy/training/corpus.py``.

Examples come from Prodigy JSONL files (a file or a directory of them),
with an extra corpus (Europeana's newspapers) mixed in at a fraction of its
size, and an augmenter (``augment.py``) making extra examples from each.
"""
from __future__ import annotations

import re
from pathlib import Path
from typing import Any, Callable, Dict, Iterable, Iterator, List, Optional, Tuple, Union

import spacy
from spacy.language import Language
from spacy.tokens import Doc, Span
from spacy.training import Example

from ..errors import InputError, Messages
from ..guidelines import DUTCH_MONTHS, LABELS, MONTH_ABBREVIATIONS, SEASONS, WEEKDAYS
from ..tasks import is_accepted, read_tasks, task_to_doc

# A token that may be part of a date: a number, a month, a weekday, a season
# or a word of a date phrase (Europeana's "O" on these means "not looked at").
DATE_WORDS = (
    "jaren", "eeuw", "begin", "eind", "midden", "circa", "ca", "rond", "omstreeks", "tot", "en", "van", "den", "der",
)  # fmt: skip
DATE_LIKE = re.compile(
    r"^(\d{1,4}(ste|de|e|sten)?|"
    + "|".join(DUTCH_MONTHS + MONTH_ABBREVIATIONS + WEEKDAYS + SEASONS + DATE_WORDS)
    + r"|-|/)\.?$",
    re.IGNORECASE,
)


def doc_for_training(nlp: Language, task: Dict[str, Any], *, source: str, line: Optional[int]) -> Doc:
    """The reference Doc for training: tokens outside a partially annotated task's labels are missing.

    Europeana marks PER, LOC and ORG but not DATE or TRIAL: its "O" on a date
    word means "not looked at", not "not a date". Those tokens are set to
    missing (spaCy's "-" tag), so the model is not taught that dates are not
    entities. The same holds for names that a source marks without saying of
    which kind they are (``meta.unknown_spans``, from ``pipeline.brat``).
    """
    doc = task_to_doc(nlp, task, source=source, line=line)
    meta = task.get("meta") or {}
    annotated = set(meta.get("labels_annotated") or LABELS)
    unknown = {t.i for t in doc if not {"DATE", "TRIAL"} <= annotated and DATE_LIKE.match(t.text)}
    for start, end in meta.get("unknown_spans") or []:
        span = doc.char_span(start, end, alignment_mode="expand")
        unknown.update(t.i for t in span or [])
    missing = [Span(doc, i, i + 1) for i in sorted(unknown) if doc[i].ent_iob_ == "O"]
    if missing:
        doc.set_ents(list(doc.ents), missing=missing)
    return doc


class ProdigyJsonlCorpus:
    """Iterate over Examples from Prodigy JSONL files (a file or a directory of them).

    An extra corpus (Europeana's newspapers) can be mixed in at a fraction of
    its size: every k-th task, so runs are repeatable.
    """

    def __init__(
        self,
        path: Optional[Union[Path, str]],
        *,
        limit: int = 0,
        accepted_only: bool = True,
        extra_path: Optional[Union[Path, str]] = None,
        extra_fraction: float = 1.0,
        augmenter: Optional[Callable[[Language, Example], Iterable[Example]]] = None,
    ) -> None:
        self.augmenter = augmenter
        self.paths = [_existing_path(path, "paths.train / paths.dev")]
        self.limit = limit
        self.accepted_only = accepted_only
        self.extra_path = _existing_path(extra_path, "paths.extra") if extra_path else None
        self.extra_fraction = extra_fraction

    def __call__(self, nlp: Language) -> Iterator[Example]:
        count = 0
        sources = [(p, 1.0) for p in self.paths]
        if self.extra_path is not None and self.extra_fraction > 0:
            sources.append((self.extra_path, self.extra_fraction))
        for path, fraction in sources:
            for file_path, line, task in self._tasks(path, fraction):
                reference = doc_for_training(nlp, task, source=str(file_path), line=line)
                example = Example(nlp.make_doc(reference.text), reference)
                yield from (self.augmenter(nlp, example) if self.augmenter else [example])
                count += 1
                if self.limit and count >= self.limit:
                    return

    def _tasks(self, path: Path, fraction: float) -> Iterator[Tuple[Path, int, Dict[str, Any]]]:
        step = max(1, round(1 / fraction)) if fraction < 1 else 1
        index = 0
        for file_path in _jsonl_files(path):
            for line, task in read_tasks(file_path):
                if self.accepted_only and not is_accepted(task):
                    continue
                if index % step == 0:
                    yield file_path, line, task
                index += 1


def _existing_path(path: Optional[Union[Path, str]], setting: str) -> Path:
    if path is None:
        raise InputError(setting, None, Messages.E023)
    path = Path(path)
    if not path.exists():
        raise InputError(path, None, f"{Messages.E019} (set by {setting})")
    return path


def _jsonl_files(path: Path) -> List[Path]:
    if path.is_file():
        return [path]
    return sorted(p for p in path.rglob("*.jsonl") if not p.name.startswith("."))


@spacy.registry.readers("terreur.ProdigyJsonl.v1")
def create_prodigy_reader(
    path: Optional[Path],
    limit: int = 0,
    accepted_only: bool = True,
    extra_path: Optional[Path] = None,
    extra_fraction: float = 1.0,
    augmenter: Optional[Callable[[Language, Example], Iterable[Example]]] = None,
) -> Callable[[Language], Iterable[Example]]:
    """Registered reader: ``[corpora.train] @readers = "terreur.ProdigyJsonl.v1"``.

    path (Path): a JSONL file or a directory of them (read in sorted order).
    limit (int): stop after this many examples; 0 means no limit.
    accepted_only (bool): skip tasks whose answer is reject or ignore.
    extra_path (Path | None): a second corpus to mix in (e.g. Europeana).
    extra_fraction (float): the share of the extra corpus to use (every k-th task).
    augmenter (Callable | None): makes extra examples from each one, as in spaCy's own reader.
    """
    return ProdigyJsonlCorpus(
        path, limit=limit, accepted_only=accepted_only, extra_path=extra_path, extra_fraction=extra_fraction,
        augmenter=augmenter,
    )

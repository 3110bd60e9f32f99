"""Training data: the corpus reader and the augmenter a config names (``[corpora.*]``).

Importing the package registers ``terreur.ProdigyJsonl.v1`` and
``terreur.name_swap_augmenter.v1`` (the entry points in pyproject.toml point
here too, so a config resolves them without importing ``pipeline``).
"""
from .augment import create_name_swap_augmenter
from .corpus import DATE_LIKE, ProdigyJsonlCorpus, create_prodigy_reader, doc_for_training

__all__ = ["DATE_LIKE", "ProdigyJsonlCorpus", "create_name_swap_augmenter", "create_prodigy_reader", "doc_for_training"]

"""terreur: named entities in Dutch texts on the Soviet Great Terror.

The package is a pipeline whose modules are its stages, in the order the
data flows: ingest -> tokenizer -> tasks/iob/validate -> normalize -> rules
-> scoring/corpus -> training/train -> tag -> export / review / report. A
module imports only earlier stages and the base modules ``guidelines``,
``errors`` and ``files``.
"""
from importlib.metadata import PackageNotFoundError, version

try:
    __version__ = version("terreur")
except PackageNotFoundError:  # running from a source tree that was not installed
    __version__ = "0.0.0+source"

from .guidelines import LABELS

__all__ = ["LABELS", "__version__"]

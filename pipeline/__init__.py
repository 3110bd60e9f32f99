"""terreur: named entities in Dutch texts on the Soviet Great Terror.

The package is a pipeline whose modules are its stages, in the order the
data flows: ingest -> tokenizer -> convert -> normalize -> train -> tag ->
export / review. A module imports only earlier stages and ``errors``.
"""
from importlib.metadata import PackageNotFoundError, version

try:
    __version__ = version("terreur")
except PackageNotFoundError:  # running from a source tree that was not installed
    __version__ = "0.0.0+source"

LABELS = ("PERSON", "ORG", "LOC", "DATE", "TRIAL")

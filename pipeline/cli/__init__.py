"""The `terreur` command line: one thin file per command over library code."""
from ._util import app

# Importing a command module registers its command on `app`.
from . import tokenize, convert, validate, review, report, train, tag, export, normalize, corpus  # noqa: E402,F401

__all__ = ["app"]

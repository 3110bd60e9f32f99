"""Export targets: what ``--to`` says (``sqlite:///entities.db``, ``csv:DIR``…) and what an export did."""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import List

from ..errors import InputError, Messages, TerreurError

DEFAULT_TARGET = "sqlite:///entities.db"
STDIN = "-"
TARGET_FORMS = "sqlite:///PATH.db, postgresql://USER@HOST/DB, csv:DIR, tei:DIR, jsonl:PATH or jsonl (stdout)"
SQLITE_SUFFIXES = (".db", ".sqlite", ".sqlite3")


@dataclass
class ExportStats:
    """What an export did.

    target (str): the target, with any password hidden.
    records (int): non-blank input lines (or records) read.
    documents (int): documents written (new, or replaced because their annotations changed).
    unchanged (int): documents already in the target with the same annotations, left alone.
    duplicates (int): documents whose text occurred earlier in the same input.
    mentions (int): mentions written.
    entities (int): distinct knowledge-base records written or updated.
    rejected (int): tasks whose ``answer`` is reject or ignore, not exported.
    batches (int): transactions committed (databases) or batches written (files).
    errors (List[InputError]): the bad records skipped with ``skip_errors``.
    """

    target: str = ""
    records: int = 0
    documents: int = 0
    unchanged: int = 0
    duplicates: int = 0
    mentions: int = 0
    entities: int = 0
    rejected: int = 0
    batches: int = 0
    errors: List[InputError] = field(default_factory=list)


@dataclass(frozen=True)
class Target:
    """A parsed ``--to`` value.

    kind (str): "sqlite", "postgresql", "csv", "tei" or "jsonl".
    location (str): the SQLAlchemy URL, the directory, the file, or "-" for stdout.
    """

    kind: str
    location: str

    @property
    def display(self) -> str:
        if self.kind in ("sqlite", "postgresql"):
            from sqlalchemy.engine import make_url

            return make_url(self.location).render_as_string(hide_password=True)
        return f"{self.kind}:{self.location}"


def parse_target(target: str) -> Target:
    """Parse a ``--to`` value into a Target; a value of no known form raises TerreurError.

    target (str): e.g. ``sqlite:///entities.db``, ``postgresql://me@localhost/terror``,
        ``csv:out/``, ``tei:out/tei``, ``jsonl:clean.jsonl``; a bare ``*.db`` path means SQLite.
    RETURNS (Target): the kind and location.
    """
    value = target.strip()
    scheme, sep, rest = value.partition(":")
    scheme = scheme.lower()
    if scheme.startswith("sqlite") and sep:
        if not rest.startswith("//"):
            raise TerreurError(Messages.E104.format(target=target))
        return Target("sqlite", value)
    if scheme in ("postgresql", "postgres") or scheme.startswith("postgresql+"):
        if not rest.startswith("//"):
            raise TerreurError(Messages.E105.format(target=target))
        if scheme in ("postgresql", "postgres"):
            # SQLAlchemy's default driver is psycopg2; the `postgres` extra installs psycopg 3.
            value = "postgresql+psycopg:" + rest
        return Target("postgresql", value)
    if scheme in ("csv", "tei") and sep:
        if not rest.strip():
            raise TerreurError(Messages.E106.format(scheme=scheme))
        return Target(scheme, rest)
    if scheme == "jsonl":
        return Target("jsonl", rest if sep and rest else STDIN)
    if not sep and value.lower().endswith(SQLITE_SUFFIXES):
        return Target("sqlite", f"sqlite:///{value}")
    raise TerreurError(Messages.E107.format(target=target, forms=TARGET_FORMS))

"""Errors and the message catalogue.

Every problem with a user's input is an ``InputError`` that names the file
and the line (or the record id and field for JSON sources), so that the CLI
can print one line the user can act on, and ``--skip-errors`` can report it
and carry on.
"""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Optional, Union


class _WithCodes(type):
    """Catalogue entries read with their code in front (``[E005] span …``), as spaCy's ``Errors`` do."""

    def __getattribute__(cls, code: str) -> str:
        message = super().__getattribute__(code)
        if code[:1] in "EW" and code[1:].isdigit():
            return f"[{code}] {message}"
        return message


class Messages(metaclass=_WithCodes):
    """Message templates, filled in with the values that caused them; every user-facing input problem is one of these."""

    E001 = "not valid JSON: {detail}"
    E002 = "record has no 'text' field (a task needs the text it annotates)"
    E003 = "'text' must be a string, got {type}"
    E004 = "span {start}-{end} lies outside the text (length {length})"
    E005 = "span {start}-{end} {text!r} is not on token boundaries{hint}"
    E006 = "span {start}-{end} {text!r} overlaps span {ostart}-{oend} {otext!r}"
    E007 = "unknown label {label!r} (guidelines labels: {labels})"
    E008 = "span {start}-{end} has token_end {token_end} < token_start {token_start}"
    E009 = "span {start}-{end} says text {given!r} but the text there is {actual!r}"
    E010 = "_input_hash {input_hash} also on line {other_line} with different spans"
    E011 = "span needs integer 'start' and 'end', got {span!r}"
    E012 = "span {start}-{end} token_start/token_end {token_start}-{token_end} do not match the tokens ({expected_start}-{expected_end})"
    E013 = "cannot decode the file as UTF-8, cp1252 or latin-1"
    E014 = "looks like a binary file, not text"
    E015 = "empty document"
    E016 = "'answer' must be accept, reject or ignore, got {answer!r}"
    E017 = "record is {type}, expected a JSON object"
    E018 = "IOB tag {tag!r} is not O, B-X or I-X"
    E019 = "no such file or directory"
    E020 = "span {start}-{end} {text!r} starts or ends with whitespace"
    E021 = "span {start}-{end} {text!r} starts with the article {article!r} (guidelines: no article; expected {expected_start}-{expected_end} {expected!r})"
    E022 = "'spans' must be a list of spans, got {type}"
    E023 = "the corpus path is not set: fill it in in the config or pass it as an override (e.g. --paths.train PATH)"
    E024 = "expected a token and its IOB tag separated by whitespace"
    E025 = "no documents to {what}"
    E026 = "no manifest"
    E027 = "document {doc_id!r} is not in the manifest {manifest}"
    E028 = "no accepted tasks to evaluate on"
    E029 = "the task's tokens do not spell out its text"
    E030 = "overlapping spans: {detail}"
    E031 = "malformed tokens: {detail}"
    E032 = "document {doc_id!r} has split {split!r} in the manifest, not one of {splits}: it must never reach a training file"
    E033 = "expected 'T<n>\\t<type> <start> <end>[;<start> <end>...]\\t<text>' (BRAT text-bound annotation)"
    E034 = "bad BRAT offsets {offsets!r}"
    # problems with a setting, not one record (TerreurError)
    E101 = "no trained model at {path}: pass --model PATH, set TERREUR_MODEL, or rebuild it with `weasel run all`"
    E102 = "the dask engine needs Dask: pip install 'terreur[dask]'"
    E103 = "{path}: no such config"
    E104 = "bad SQLite URL {target!r}: expected sqlite:///PATH.db (three slashes for a relative path)"
    E105 = "bad PostgreSQL URL {target!r}: expected postgresql://USER[:PASSWORD]@HOST[:PORT]/DATABASE"
    E106 = "{scheme} target needs a directory: expected {scheme}:DIR"
    E107 = "unknown export target {target!r}: expected {forms}"
    E108 = "batch size must be at least 1, got {batch_size}"
    E109 = "PostgreSQL needs a driver ({module} is missing): pip install 'terreur[postgres]'"
    E110 = "cannot open {target}: {detail}"
    E111 = "no upsert for the {dialect} dialect"
    E112 = "{target}: {detail} (the {batches} batches before this one are committed; run the export again to finish)"
    E113 = "cannot serve on {host}:{port} ({detail}); pass another --port"


@dataclass
class InputError(Exception):
    """A problem with one record of the user's input.

    path (Path | str): the file, or "<stdin>".
    line (int | None): the 1-based line number, where the input has lines.
    reason (str): what is wrong and what was expected.
    """

    path: Union[Path, str]
    line: Optional[int]
    reason: str

    def __str__(self) -> str:
        where = str(self.path)
        if self.line is not None:
            where = f"{where}:{self.line}"
        return f"{where}: {self.reason}"


class TerreurError(Exception):
    """A problem that is not tied to one input record (a missing model, a bad setting)."""

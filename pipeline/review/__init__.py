"""Stage 7: review what a model or an annotator found, and compare two annotations.

The review app is a local web server (stdlib ``http.server``, bound to
127.0.0.1) over a ``ReviewSession``: the documents to review and an
append-only log, the output file. Every change the reviewer makes (accept
a span, relabel, move a boundary, add, delete, link to the knowledge base,
answer the document) appends one full Prodigy ``ner_manual`` task line with
``answer``, ``_timestamp`` and ``_annotator_id``, flushed and fsynced, so a
crash or a closed tab loses nothing. The latest line per ``_input_hash`` is
the document's state; reopening the file resumes at the first document
whose latest line is not answered.

Each line written here also carries ``_review``::

    {"status": "draft" | "done" | "new", "action": "relabel", "undo": false}

``done`` lines are answered documents (``answer`` is the reviewer's
accept/reject/ignore). ``draft`` lines are edits to a document not yet
answered; their ``answer`` is ``ignore`` so that Prodigy and our training
reader leave them out. Undo never rewrites the file: it appends the line
that was the document's state before the last change, marked
``"undo": true`` (``status: "new"`` when that was the untouched input). The
undo stack is rebuilt from the log on start, so undo works after a restart.

The package: ``session`` (the documents and the log), ``compare`` (two
annotations side by side), ``kb`` (knowledge-base search for linking),
``server`` (the HTTP app). The HTML error report is ``pipeline.report``.
"""
from .compare import agreement_path, compare_docs, open_compare
from .kb import load_kb, search_kb
from .server import ReviewServer, make_review_server
from .session import LABEL_COLORS, DocState, ReviewSession, default_output_path, normalize_spans, open_review
from .session import prepare_task, pretag_tasks, read_review_tasks

__all__ = [
    "LABEL_COLORS", "DocState", "ReviewServer", "ReviewSession", "agreement_path", "compare_docs", "default_output_path",
    "load_kb", "make_review_server", "normalize_spans", "open_compare", "open_review", "prepare_task", "pretag_tasks",
    "read_review_tasks", "search_kb",
]  # fmt: skip

"""`terreur review`: the browser review app, and its compare mode."""
from __future__ import annotations

from pathlib import Path
from typing import Optional, Tuple

import typer

from ..tag import load_model
from ..review import agreement_path, make_review_server, open_compare, open_review
from ..scoring import micro_average
from ..tokenizer import make_blank_dutch
from ._util import Arg, Opt, app, echo_err, user_errors


@app.command("review")
def review_cli(
    # fmt: off
    path: Optional[Path] = Arg(None, help="Tagged JSONL file to review (Prodigy ner_manual tasks)", exists=True, dir_okay=False),
    compare: Optional[Tuple[Path, Path]] = Opt(None, "--compare", help="Compare two annotations of the same documents, A (the reference) and B, and merge them", exists=True, dir_okay=False),
    output_path: Optional[Path] = Opt(None, "--output", "-o", help="The JSONL every decision is appended to; default <FILE stem>.reviewed.jsonl (compare: <A stem>.merged.jsonl) beside the input", dir_okay=False),
    model: Optional[str] = Opt(None, "--model", "-m", help="spaCy model (name or path) that pre-tags documents without spans"),
    port: int = Opt(8080, "--port", "-p", help="Port on 127.0.0.1 to serve the app on (0: any free port)"),
    annotator: Optional[str] = Opt(None, "--annotator", "-a", help="Written as _annotator_id with every decision; default the OS user"),
    verbose: bool = Opt(False, "--verbose", "-V", help="Show tracebacks"),
    # fmt: on
) -> None:
    """Review a tagged file in the browser, keyboard first, saving every decision as it is made.

    Serves a local web app on http://127.0.0.1:PORT/ (press ? in it for the
    keys). Every change is appended to the output as a full Prodigy task with
    answer, _timestamp and _annotator_id; reopening the same file resumes at
    the first document not yet answered. With --compare, the app shows where
    A and B disagree, lets you take either side, and writes the per-label
    agreement to <output stem>.agreement.json.

    Example: terreur review tagged.jsonl --annotator anna
    Example: terreur review --compare pass_a.jsonl pass_b.jsonl -o merged.jsonl
    """
    with user_errors(verbose):
        if (path is None) == (compare is None):
            raise typer.BadParameter("give one FILE to review, or --compare A.jsonl B.jsonl")
        nlp = make_blank_dutch()
        if compare is not None:
            session = open_compare(nlp, compare[0], compare[1], output_path=output_path, annotator=annotator)
        else:
            assert path is not None  # one of the two, checked above
            session = open_review(nlp, path, output_path=output_path, annotator=annotator, model=load_model(model) if model else None)
        server = make_review_server(session, port=port)
        progress = session.progress()
        if session.agreement is not None:
            all_f = micro_average(session.agreement)["f"]
            echo_err(f"ℹ Agreement (F1, all labels) {all_f:.3f}; per label in {agreement_path(session.output_path)}")
        echo_err(
            f"✔ Reviewing {progress['total']} document(s), {progress['reviewed']} done, "
            f"saving to {session.output_path}"
        )
        echo_err(f"  Open {server.url}  (Ctrl+C to stop)")
        try:
            server.serve_forever()
        except KeyboardInterrupt:
            pass
        finally:
            server.server_close()
        progress = session.progress()
        echo_err(f"✔ Stopped: {progress['reviewed']} of {progress['total']} reviewed, in {session.output_path}")

"""What every command shares: the app, option helpers, error handling, stderr output.

Data goes to stdout or the named file; everything else goes to stderr
through ``echo_err``, so that output can be piped into another tool.
"""
from __future__ import annotations

import contextlib
from typing import Iterator, List

import typer

from .. import __version__
from ..errors import InputError, TerreurError

HELP = """terreur: named entities in Dutch texts on the Soviet Great Terror.

Tag archives, normalize names across transliterations, review annotations and
export entities. Run a command with --help for its options and an example.
"""

app = typer.Typer(
    name="terreur",
    help=HELP,
    no_args_is_help=True,
    add_completion=False,
    context_settings={"help_option_names": ["-h", "--help"]},
)

Arg = typer.Argument
Opt = typer.Option

# Commands that pass unknown "--section.key value" pairs on as config overrides.
OVERRIDES_CONTEXT = {"allow_extra_args": True, "ignore_unknown_options": True}


def echo_err(message: str = "") -> None:
    """Print a status message to stderr (never stdout, which carries data)."""
    typer.echo(message, err=True)


@contextlib.contextmanager
def user_errors(verbose: bool = False) -> Iterator[None]:
    """Turn input and setting errors into one line on stderr and exit code 1."""
    try:
        yield
    except (InputError, TerreurError) as err:
        if verbose:
            raise
        echo_err(f"✘ {err}")
        raise typer.Exit(1)


def parse_overrides(args: List[str]) -> dict:
    """Parse "--section.key value" pairs the way `spacy train` does."""
    from spacy.cli._util import parse_config_overrides

    return parse_config_overrides(args)


def version_callback(value: bool) -> None:
    if value:
        typer.echo(f"terreur {__version__}")
        raise typer.Exit()


@app.callback()
def main(
    version: bool = Opt(False, "--version", callback=version_callback, is_eager=True, help="Print the version and exit."),
) -> None:
    """terreur: named entities in Dutch texts on the Soviet Great Terror."""

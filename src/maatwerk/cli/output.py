"""What every `maatwerk` file command shares: errors on stderr and writing results."""

from __future__ import annotations

import sys
from pathlib import Path

import typer
from rich.console import Console
from rich.markup import escape

EXIT_BAD_INPUT = 2

err = Console(stderr=True, soft_wrap=True)


def fail(message: str) -> typer.Exit:
    """Print ``message`` as an error and return the exit to raise (code 2: bad input)."""
    err.print(f"[red]Error:[/red] {escape(message)}")
    return typer.Exit(EXIT_BAD_INPUT)


def write_text(text: str, output: Path | None, *, what: str) -> None:
    """Write ``text`` to ``output``, or to stdout when no file is given."""
    if output is None:
        sys.stdout.write(text)
        return
    try:
        output.write_text(text, encoding="utf-8")
    except OSError as problem:
        raise fail(f"cannot write {output}: {problem.strerror or problem}") from None
    err.print(f"{escape(what)} written to {escape(str(output))}")

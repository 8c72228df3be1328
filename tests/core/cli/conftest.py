"""Run the `maatwerk` command in-process (typer's CliRunner), without Django."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from typer.testing import CliRunner, Result

from maatwerk.cli.instruments import out
from maatwerk.cli.main import app
from maatwerk.cli.output import err


@pytest.fixture(autouse=True)
def wide_console() -> Iterator[None]:
    """Rich wraps at 80 columns without a terminal; tests read whole lines."""
    widths = (out.width, err.width)
    out.width = err.width = 250
    yield
    out.width, err.width = widths


class Maatwerk:
    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self.runner = CliRunner()

    def __call__(self, *args: str) -> Result:
        return self.runner.invoke(app, list(args))

    def file(self, name: str, content: str | bytes) -> Path:
        path = self.folder / name
        if isinstance(content, bytes):
            path.write_bytes(content)
        else:
            path.write_text(content, encoding="utf-8")
        return path


@pytest.fixture
def maatwerk(tmp_path: Path) -> Maatwerk:
    return Maatwerk(tmp_path)

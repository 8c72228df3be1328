"""No module of the package grows past 500 lines without saying why.

A long module that mixes sub-domains is split into a package with one module per
sub-domain (as ``web/treatment/services/``). A module that is long but about one thing
keeps its length when its docstring has a line starting with ``Size:`` that gives the
reason. Migrations are generated and excluded.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

import maatwerk

MAX_LINES = 500
PACKAGE = Path(maatwerk.__file__).parent


def _modules() -> list[Path]:
    paths = PACKAGE.rglob("*.py")
    return sorted(path for path in paths if "migrations" not in path.relative_to(PACKAGE).parts)


def _size_reason(source: str) -> str | None:
    docstring = ast.get_docstring(ast.parse(source)) or ""
    for line in docstring.splitlines():
        if line.strip().startswith("Size:") and line.strip().removeprefix("Size:").strip():
            return line.strip()
    return None


def test_the_package_is_found_with_its_modules() -> None:
    # Guards the test below against passing vacuously on an empty or wrong folder.
    names = {path.relative_to(PACKAGE).as_posix() for path in _modules()}
    assert "web/treatment/services/__init__.py" in names
    assert not any("/migrations/" in name for name in names)


def test_a_size_reason_is_read_only_from_the_module_docstring() -> None:
    assert _size_reason('"""Scoring.\n\nSize: one method with its helpers."""\n') is not None
    assert _size_reason('"""Scoring.\n\nSize:"""\n') is None
    assert _size_reason('"""Scoring."""\n# Size: a comment is not the docstring\n') is None
    assert _size_reason('X = 1\n"""Size: not the first statement."""\n') is None


@pytest.mark.parametrize("path", _modules(), ids=lambda path: path.relative_to(PACKAGE).as_posix())
def test_a_long_module_says_why_it_is_long(path: Path) -> None:
    source = path.read_text(encoding="utf-8")
    lines = len(source.splitlines())
    if lines <= MAX_LINES:
        return
    assert _size_reason(source) is not None, (
        f"{path.relative_to(PACKAGE)} has {lines} lines (more than {MAX_LINES}): split it into "
        "modules per sub-domain, or give the reason in a docstring line starting with 'Size:'"
    )

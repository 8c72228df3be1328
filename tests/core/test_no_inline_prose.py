"""The core writes no prose inline: a text for a person lives in ``content/prose/`` (or in
other content), never in a ``{"nl": …, "en": …}`` dictionary in a core module
(docs/content.md, "Prose"). An AST check over ``src/maatwerk/core`` keeps it that way."""

from __future__ import annotations

import ast
from collections.abc import Iterator
from pathlib import Path

CORE = Path(__file__).resolve().parents[2] / "src" / "maatwerk" / "core"
LANGUAGE_KEYS = frozenset({"nl", "en"})

# Modules allowed an inline {"nl": …, "en": …} dictionary, each with its reason. None:
# every such text moved to content/prose/ (issue 11, item 5).
ALLOWED: dict[str, str] = {}


def _language_keys(node: ast.AST) -> set[str]:
    """The string keys of a ``{…}`` display or the keywords of a ``dict(…)`` call."""
    if isinstance(node, ast.Dict):
        return {
            key.value
            for key in node.keys
            if isinstance(key, ast.Constant) and isinstance(key.value, str)
        }
    if isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id == "dict":
        return {keyword.arg for keyword in node.keywords if keyword.arg is not None}
    return set()


def inline_prose(source: str) -> Iterator[int]:
    """The line of every dictionary with both an ``"nl"`` and an ``"en"`` string key: a
    ``{…}`` display or a ``dict(nl=…, en=…)`` call."""
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.expr) and _language_keys(node) >= LANGUAGE_KEYS:
            yield node.lineno


def test_the_check_finds_an_inline_text_in_each_form() -> None:
    source = (
        'A = {"nl": "Hallo", "en": "Hello"}\n'
        'B = {"en": f"{x}", "id": 1, "nl": f"{x}"}\n'
        'C = dict(nl="Hallo", en="Hello")\n'
        'D = {"nl": 1}\n'
        'E = {language: "x" for language in ("nl", "en")}\n'
        'F = {"nl", "en"}\n'
    )
    assert list(inline_prose(source)) == [1, 2, 3]


def test_no_core_module_holds_an_inline_dutch_and_english_text() -> None:
    found = [
        f"{path.relative_to(CORE.parent)}:{line}"
        for path in sorted(CORE.rglob("*.py"))
        if str(path.relative_to(CORE)) not in ALLOWED
        for line in inline_prose(path.read_text(encoding="utf-8"))
    ]
    assert found == [], (
        "inline {'nl': …, 'en': …} text in the core; move it to content/prose/ "
        "(docs/content.md, 'Prose'):\n" + "\n".join(found)
    )


def test_every_allowed_module_exists_and_still_needs_its_exception() -> None:
    for module in ALLOWED:
        path = CORE / module
        assert path.is_file(), module
        assert list(inline_prose(path.read_text(encoding="utf-8"))), module

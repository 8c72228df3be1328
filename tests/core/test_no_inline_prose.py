"""The core writes no prose inline: a text for a person lives in ``content/prose/`` (or in
other content), never as Dutch and English literals in a core module (docs/content.md,
"Prose"). An AST check over ``src/maatwerk/core`` keeps it that way; it finds three forms:

* a ``{"nl": …, "en": …}`` dictionary (a display or ``dict(nl=…, en=…)``);
* a call with string literals for both languages as keywords: ``nl="…", en="…"``
  (``LocalizedText(nl="Ja", en="Yes")``) or ``<name>_nl="…", <name>_en="…"``;
* a function that takes a Dutch and an English text side by side (parameters ``nl`` and
  ``en``, or ``<name>_nl`` and ``<name>_en``): every call of it passes the two texts as
  literals, as ``where.problem(code, "vul dit in.", "please fill this in.")`` did.

Two adjacent positional string literals are not enough on their own: the core has some
two hundred such pairs (a JSON path and its message, a code and its field), and telling a
Dutch literal from an English one would mean guessing the language of a string. The third
form catches the helper that such pairs are passed to instead.
"""

from __future__ import annotations

import ast
from collections.abc import Iterable, Iterator
from pathlib import Path

CORE = Path(__file__).resolve().parents[2] / "src" / "maatwerk" / "core"
LANGUAGE_KEYS = frozenset({"nl", "en"})

# Modules allowed inline Dutch and English, each with its reason.
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


def _is_text_literal(node: ast.AST) -> bool:
    """A string literal, with or without ``{…}`` fields."""
    return isinstance(node, ast.JoinedStr) or (
        isinstance(node, ast.Constant) and isinstance(node.value, str)
    )


def _has_language_pair(names: Iterable[str]) -> bool:
    """``nl`` and ``en``, or ``<stem>_nl`` and ``<stem>_en`` for one stem."""
    stems: dict[str, set[str]] = {}
    for name in names:
        stem, _, suffix = name.rpartition("_")
        if suffix in LANGUAGE_KEYS:
            stems.setdefault(stem, set()).add(suffix)
    return any(found >= LANGUAGE_KEYS for found in stems.values())


def _literal_keywords(node: ast.Call) -> list[str]:
    return [
        keyword.arg
        for keyword in node.keywords
        if keyword.arg is not None and _is_text_literal(keyword.value)
    ]


def _parameters(node: ast.FunctionDef | ast.AsyncFunctionDef | ast.Lambda) -> list[str]:
    arguments = node.args
    return [a.arg for a in (*arguments.posonlyargs, *arguments.args, *arguments.kwonlyargs)]


def inline_prose(source: str) -> Iterator[int]:
    """The line of every inline Dutch and English text, in any of the three forms."""
    lines: set[int] = set()
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.expr) and _language_keys(node) >= LANGUAGE_KEYS:
            lines.add(node.lineno)
        if isinstance(node, ast.Call) and _has_language_pair(_literal_keywords(node)):
            lines.add(node.lineno)
        if isinstance(
            node, ast.FunctionDef | ast.AsyncFunctionDef | ast.Lambda
        ) and _has_language_pair(_parameters(node)):
            lines.add(node.lineno)
    yield from sorted(lines)


def test_the_check_finds_an_inline_dictionary_in_each_form() -> None:
    source = (
        'A = {"nl": "Hallo", "en": "Hello"}\n'
        'B = {"en": f"{x}", "id": 1, "nl": f"{x}"}\n'
        'C = dict(nl="Hallo", en="Hello")\n'
        'D = {"nl": 1}\n'
        'E = {language: "x" for language in ("nl", "en")}\n'
        'F = {"nl", "en"}\n'
    )
    assert list(inline_prose(source)) == [1, 2, 3]


def test_the_check_finds_literals_for_both_languages_passed_as_keywords() -> None:
    source = (
        'A = LocalizedText(nl="Dit geldt niet voor mij", en="This does not apply to me")\n'
        'B = LocalizedText(en=f"Row {row}", nl=f"Regel {row}")\n'
        'C = Measure(code="gas", name_nl="Doelbereik", name_en="Goal attainment")\n'
        "D = LocalizedText(nl=dutch, en=english)\n"
        'E = LocalizedText.model_validate(prose.bilingual("not_applicable"))\n'
        'F = Measure(name_nl="Doelbereik", title_en="Goal attainment")\n'
        'G = LocalizedText(nl="Alleen Nederlands")\n'
    )
    assert list(inline_prose(source)) == [1, 2, 3]


def test_the_check_finds_a_function_that_takes_dutch_and_english_side_by_side() -> None:
    source = (
        "def problem(code, nl, en): ...\n"
        "async def message(*, en, nl=''): ...\n"
        "LABEL = lambda label_nl, label_en: label_nl\n"
        "def problem(code, key, **values): ...\n"
        "def pick(text_nl, label_en): ...\n"
        "def text(language, nl_first): ...\n"
    )
    assert list(inline_prose(source)) == [1, 2, 3]


def test_no_core_module_holds_an_inline_dutch_and_english_text() -> None:
    found = [
        f"{path.relative_to(CORE.parent)}:{line}"
        for path in sorted(CORE.rglob("*.py"))
        if path.relative_to(CORE).as_posix() not in ALLOWED
        for line in inline_prose(path.read_text(encoding="utf-8"))
    ]
    assert found == [], (
        "inline Dutch and English text in the core; move it to content/prose/ "
        "(docs/content.md, 'Prose'):\n" + "\n".join(found)
    )


def test_every_allowed_module_exists_and_still_needs_its_exception() -> None:
    for module, reason in ALLOWED.items():
        path = CORE / module
        assert path.is_file(), module
        assert reason.strip(), module
        assert list(inline_prose(path.read_text(encoding="utf-8"))), module

"""The one web path (issue 11), checked on the source itself.

typed input → one scoped opener (``maatwerk.web.patients.opening``) → one service call
that writes exactly one audit event (``maatwerk.web.audit.audited``) → render.

These tests read the code: who calls ``audit_record``, which selectors take raw ids,
which template tags query. Every module is on the path; there are no exceptions.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parents[2] / "src" / "maatwerk"

# Writers of audit events: the audit package itself (the chain, ``audited``,
# ``record_denial``) and nothing else.
AUDIT_WRITERS = ("web/audit/",)


def _modules() -> list[tuple[str, ast.Module, str]]:
    found = []
    for path in sorted(PACKAGE.rglob("*.py")):
        if "migrations" in path.parts:
            continue
        source = path.read_text(encoding="utf-8")
        found.append((path.relative_to(PACKAGE).as_posix(), ast.parse(source), source))
    return found


def _called_names(tree: ast.Module) -> set[str]:
    names: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Call):
            function = node.func
            if isinstance(function, ast.Name):
                names.add(function.id)
            elif isinstance(function, ast.Attribute):
                names.add(function.attr)
    return names


def _audit_writers_outside_the_audit_package() -> set[str]:
    return {
        module
        for module, tree, _ in _modules()
        if not module.startswith(AUDIT_WRITERS) and "audit_record" in _called_names(tree)
    }


def _id_taking_selectors() -> set[str]:
    """Public selector functions that take a primary key, or an actor and a raw id:
    both open patient data without the opener."""
    found: set[str] = set()
    for module, tree, _ in _modules():
        if not (module.startswith("web/") and module.endswith("selectors.py")):
            continue
        for node in tree.body:
            if not isinstance(node, ast.FunctionDef) or node.name.startswith("_"):
                continue
            arguments = [a.arg for a in (*node.args.args, *node.args.kwonlyargs)]
            takes_pk = any(a.endswith("_pk") for a in arguments)
            opens_by_id = "actor" in arguments and any(a.endswith("_id") for a in arguments)
            if takes_pk or opens_by_id:
                found.add(f"{module}:{node.name}")
    return found


def _querying_template_tags() -> set[str]:
    found: set[str] = set()
    for module, tree, _ in _modules():
        if "/templatetags/" not in module:
            continue
        for node in ast.walk(tree):
            imported = (
                node.module or ""
                if isinstance(node, ast.ImportFrom)
                else " ".join(a.name for a in node.names)
                if isinstance(node, ast.Import)
                else ""
            )
            queries = isinstance(node, ast.Attribute) and node.attr == "objects"
            if queries or imported.endswith((".models", ".selectors")):
                found.add(module)
    return found


@pytest.mark.parametrize(
    ("found", "rule"),
    [
        (_audit_writers_outside_the_audit_package, "audit_record"),
        (_id_taking_selectors, "id-taking selector"),
        (_querying_template_tags, "querying template tag"),
    ],
    ids=["audit-only-through-audited", "selectors-take-access", "tags-do-not-query"],
)
def test_the_one_web_path_holds(found, rule):
    breaking = sorted(found())
    assert not breaking, (
        f"{rule} outside the one web path (use maatwerk.web.patients.opening and "
        f"maatwerk.web.audit.audited): {breaking}"
    )

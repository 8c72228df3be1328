"""Every write URL of the platform has a refusal test (issue 11).

A write URL is one whose view takes a POST. Each app's refusal tests live beside this
file as ``test_<app>.py`` and name the URLs they cover in ``COVERED_URL_NAMES``: invalid
input there gives field errors, saves nothing and writes exactly one ``refused`` audit
event. URLs whose POST carries no input at all (a button: pick up, close, revoke …) can
only be allowed or denied, never refused; they are listed in ``WITHOUT_INPUT`` with that
reason, and the authorization matrix and audit coverage tests cover them.
"""

from __future__ import annotations

import importlib
import inspect
import pkgutil
import re

from django.urls import URLPattern, URLResolver, get_resolver

import tests.web.refusals as refusals

POSTS = re.compile(r"require_POST|request\.POST|request\.method\s*==\s*\"POST\"|\"POST\"")

# Write URLs whose POST has no fields: there is nothing to refuse.
WITHOUT_INPUT: dict[str, str] = {
    "formulation:share": "one button: share the current version with the patient",
    "formulation:diary": "one button: give the complaints diary as the first homework",
    "records:mine_copy": "one button: make a copy of my file",
    "records:patient_copy": "one button: make a copy of the patient's file",
}


def _write_url_names() -> set[str]:
    names: set[str] = set()

    def walk(patterns: list[URLPattern | URLResolver], namespace: str) -> None:
        for pattern in patterns:
            if isinstance(pattern, URLResolver):
                inner = pattern.namespace or ""
                full = f"{namespace}:{inner}" if namespace and inner else inner or namespace
                walk(pattern.url_patterns, full)
                continue
            view = inspect.unwrap(pattern.callback)
            if not getattr(view, "__module__", "").startswith("maatwerk.web"):
                continue
            if pattern.name and POSTS.search(inspect.getsource(view)):
                names.add(f"{namespace}:{pattern.name}" if namespace else pattern.name)

    walk(get_resolver().url_patterns, "")
    return names


def _covered() -> set[str]:
    covered: set[str] = set()
    for module in pkgutil.iter_modules(refusals.__path__):
        if module.name.startswith("test_") and module.name != "test_completeness":
            imported = importlib.import_module(f"{refusals.__name__}.{module.name}")
            covered |= set(getattr(imported, "COVERED_URL_NAMES", ()))
    return covered


def test_every_write_url_has_a_refusal_test() -> None:
    missing = sorted(_write_url_names() - _covered() - set(WITHOUT_INPUT))
    assert not missing, "write URLs without a refusal test:\n  " + "\n  ".join(missing)


def test_the_lists_name_only_write_urls() -> None:
    stale = sorted((_covered() | set(WITHOUT_INPUT)) - _write_url_names())
    assert not stale, f"not write URLs (renamed or removed?): {stale}"

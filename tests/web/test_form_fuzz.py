"""The form fuzzer (issue 16): every URL of the URLconf, posted to with hostile input by
two patients and two clinicians, on SQLite and PostgreSQL.

For each URL the fuzzer first asks for the page (to learn the names of the form fields it
renders), then posts NUL bytes, control characters, over-long values, Unicode digits,
JSON nested without end, bytes that are not UTF-8, broken percent-encoding and content
types the endpoint does not take. It asserts:

- never a server error (5xx) and never a traceback in the answer;
- nothing half-saved: a refused request (4xx, or the form shown again) leaves the number
  of rows of every table of patient and organization data as it was (the audit trail,
  sessions, caches and the task queue are allowed to grow — a refusal is audited).

`make fuzz` adds schemathesis against a running server; this part runs in every CI run.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

import pytest
from django.apps import apps
from django.db import connection
from django.test import Client
from django.test.client import MULTIPART_CONTENT

from tests.web.test_authorization_matrix import (
    ADMIN_PREFIX,
    MATRIX,
    PARAMETER,
    build_path,
    iter_patterns,
    parameter_values,
)
from tests.web.world import World

FUZZ_ROLES = ("patient_a", "patient_b", "clinician_treating", "clinician_other_team")

# Tables that may grow on a refused request: the refusal's own audit event, the session,
# the security-state cache (throttling) and queued background work.
MAY_GROW = (
    "audit_",
    "django_session",
    "usersessions_",
    "maatwerk_cache",
    "django_tasks",
    "background_",
)

# Routes whose own purpose is to log out or switch language: fuzzing them only ends the
# fuzzing session. Their input is checked by Django itself.
SKIPPED = re.compile(r"^(accounts/logout/|i18n/)")

FIELD = re.compile(r"""<(?:input|textarea|select)[^>]*\bname=["']([^"']+)["']""", re.IGNORECASE)

HOSTILE_VALUES = (
    "nul\x00byte",
    "bell\x07and escape\x1b[31m",
    "x" * 20_000,
    "²",
    "١٢٣",
    "9" * 60,
    "-1",
    "[" * 50_000 + "]" * 50_000,
    "<script>alert(1)</script>",
    "\u202etekst andersom",
)


def _routes() -> list[tuple[str, str]]:
    return sorted(
        (name, route)
        for name, route in iter_patterns()
        if not route.startswith(ADMIN_PREFIX) and not SKIPPED.match(route)
    )


def _table_sizes() -> dict[str, int]:
    tables = sorted(
        model._meta.db_table
        for model in apps.get_models()
        if model._meta.managed and not model._meta.db_table.startswith(MAY_GROW)
    )
    existing = set(connection.introspection.table_names())
    tables = [table for table in tables if table in existing]
    quote = connection.ops.quote_name
    # Table names come from the models, never from input.
    sql = "SELECT " + ", ".join(f"(SELECT COUNT(*) FROM {quote(t)})" for t in tables)  # noqa: S608
    with connection.cursor() as cursor:
        cursor.execute(sql)
        row = cursor.fetchone()
    return dict(zip(tables, row, strict=True))


def _field_names(client: Client, path: str, known: list[str]) -> list[str]:
    names = set(known) | {"text", "note", "value", "reason"}
    response = client.get(path)
    if response.status_code >= 500:
        raise AssertionError(f"GET {path}: {response.status_code}")
    if response.status_code == 200 and "html" in response.get("Content-Type", ""):
        names |= set(FIELD.findall(response.content.decode("utf-8", "replace")))
    names.discard("csrfmiddlewaretoken")
    return sorted(names)


def _bodies(fields: list[str]) -> Iterator[tuple[str, bytes | dict[str, str], str]]:
    """(what, body, content type) for every hostile request to one URL."""
    for value in HOSTILE_VALUES:
        yield f"value {value[:12]!r}", dict.fromkeys(fields, value), MULTIPART_CONTENT
    yield "not UTF-8", b"text=%ff%fe%00&value=%c3%28", "application/x-www-form-urlencoded"
    yield "broken percent-encoding", b"text=%zz%&=&&value=%", "application/x-www-form-urlencoded"
    yield "deep JSON body", b'{"a": ' + b"[" * 50_000 + b"]" * 50_000 + b"}", "application/json"
    yield "JSON to a form", b'{"text": "hallo"}', "application/json"
    yield "multipart without boundary", b"--x\r\n\r\n", "multipart/form-data"
    yield "plain text", b"text=hallo", "text/plain"


def _post(client: Client, path: str, body: bytes | dict[str, str], content_type: str):  # type: ignore[no-untyped-def]
    if isinstance(body, dict):
        return client.post(path, body)
    return client.generic("POST", path, body, content_type=content_type)


def _refused(response) -> bool:  # type: ignore[no-untyped-def]
    """A 4xx, or a form shown again (200 with errors on it)."""
    if 400 <= response.status_code < 500:
        return True
    context = getattr(response, "context", None)
    if response.status_code == 200 and context is not None:
        form = context.get("form") if hasattr(context, "get") else None
        return bool(form is not None and getattr(form, "errors", None))
    return False


@pytest.mark.parametrize("role", FUZZ_ROLES)
def test_no_url_gives_a_server_error_or_saves_half_on_hostile_input(
    world: World, role: str
) -> None:
    values = parameter_values(world)
    # The field names the authorization matrix posts, learnt before fuzzing changes the
    # world's state (some builders need a plan in a given stage).
    known_fields = {
        name: sorted(entry.data(world)) for name, entry in MATRIX.items() if entry.method == "POST"
    }
    client = world.client_for(role)
    problems: list[str] = []
    for name, route in _routes():
        if PARAMETER.search(route) and any(
            (m.group(1) or m.group(2)) not in values for m in PARAMETER.finditer(route)
        ):
            problems.append(f"{name}: no value for a parameter of {route}")
            continue
        path = build_path(route, values)
        probe = client.post(path, {})
        if probe.status_code >= 500:
            problems.append(f"{role} {path} empty POST: {probe.status_code}")
            continue
        if probe.status_code in (404, 405):
            # Not a form this role may post to (or no form at all): the authorization
            # matrix checks the 404s; hostile bodies would only meet the same refusal.
            continue
        known = known_fields.get(name, [])
        for what, body, content_type in _bodies(_field_names(client, path, known)):
            before = _table_sizes()
            response = _post(client, path, body, content_type)
            text = response.content.decode("utf-8", "replace") if response.content else ""
            if response.status_code >= 500 or "Traceback" in text:
                problems.append(f"{role} {path} {what}: {response.status_code}")
                continue
            if _refused(response):
                after = _table_sizes()
                grown = {t: (before[t], after[t]) for t in before if before[t] != after[t]}
                if grown:
                    problems.append(f"{role} {path} {what}: refused but changed {grown}")
            if response.status_code in (301, 302) and "/accounts/login/" in response.get(
                "Location", ""
            ):
                # The session ended (an idle or security logout): sign in again.
                world.clients.pop(role, None)
                client = world.client_for(role)
    assert not problems, "\n".join(problems[:60])

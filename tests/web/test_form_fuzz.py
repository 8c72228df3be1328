"""The form fuzzer (issue 16): every URL of the URLconf that takes a POST, posted to with
hostile input by the roles whose form it is, on SQLite and PostgreSQL.

One test per URL and role (``-k orgadmin`` fuzzes the organization admin's forms, ``-k
records`` the records pages). The role is the one that gets past authorization into the
form: :data:`FORM_ROLES` names it where the authorization matrix does not (pages without
an id, the account pages, the platform-admin site), and the test fails when that role
only meets a refusal (403/404/405 or the login page), so a form that nobody reaches
counts as not fuzzed. Refused roles are posted to as well, with a few bodies only
(:func:`test_refused_roles_meet_no_server_error`).

For each URL the fuzzer first asks for the page (to learn the names of the form fields it
renders), then posts NUL bytes, control characters, over-long values, Unicode digits,
JSON nested without end, bytes that are not UTF-8, broken percent-encoding and content
types the endpoint does not take. It asserts:

- never a server error (5xx) and never a traceback in the answer;
- nothing half-saved: a refused request (4xx, or the form shown again) leaves the number
  of rows of every table of patient and organization data as it was (the audit trail,
  sessions, caches and the task queue are allowed to grow — a refusal is audited).

`make fuzz` adds schemathesis against a running server; this part runs in every CI run.

Size: over 500 lines so that the POST URLs, the roles whose forms they are, the roles'
set-up and the listed exceptions are read in one place.
"""

from __future__ import annotations

import inspect
import re
import sys
from collections.abc import Callable, Iterator
from types import CodeType, FrameType
from typing import Any

import pytest
from allauth.account.forms import default_token_generator
from allauth.account.internal.flows.login import record_authentication
from allauth.account.models import EmailAddress, EmailConfirmationHMAC
from allauth.account.utils import user_pk_to_url_str
from django.apps import apps
from django.contrib import admin
from django.db import connection
from django.http import HttpResponse
from django.test import Client, RequestFactory
from django.test.client import MULTIPART_CONTENT

from maatwerk.web.common.actor import actor_for_user
from maatwerk.web.knowledge.models import KnowledgeRevision
from maatwerk.web.patients.opening import open_patient
from maatwerk.web.treatment.services import relative_invite
from tests.web.test_authorization_matrix import (
    ADMIN_PREFIX,
    LOGIN_PATHS,
    MATRIX,
    PARAMETER,
    build_path,
    iter_views,
    parameter_values,
)
from tests.web.test_monitoring_answering import _schedule as ema_schedule
from tests.web.test_records_destruction import with_gp
from tests.web.world import ROLES, World, make_user, sign_in

# Roles beyond the world's: the GP who decides on destruction requests (the world's
# treating clinician is a POH-GGZ), the platform admin (staff, the admin site) and someone
# half-way through logging in (password given, second factor asked), and the treating
# clinician just after confirming their password again (allauth asks for that before a
# second factor is switched off or new recovery codes are made).
EXTRA_ROLES = ("gp", "platform_admin", "signing_in", "clinician_reauthenticated")
ALL_ROLES = (*ROLES, *EXTRA_ROLES)

# The roles whose forms these are, for POST URLs the authorization matrix does not name
# an allowed role for (or names more roles than the form needs fuzzing by).
FORM_ROLES: dict[str, tuple[str, ...]] = {
    "account_login": ("anonymous",),
    "account_reauthenticate": ("clinician_treating",),
    "account_email": ("clinician_treating",),
    "account_change_password": ("clinician_treating",),
    "account_set_password": ("patient_a",),
    "account_reset_password": ("anonymous",),
    "account_confirm_email": ("anonymous",),
    "account_reset_password_from_key": ("anonymous",),
    "mfa_authenticate": ("signing_in",),
    "mfa_reauthenticate": ("clinician_treating",),
    "mfa_activate_totp": ("patient_a",),
    "mfa_deactivate_totp": ("clinician_reauthenticated",),
    "mfa_generate_recovery_codes": ("clinician_reauthenticated",),
    "usersessions_list": ("patient_a",),
    "invitation": ("anonymous",),
    "clinic:patient_register": ("clinician_treating",),
    "portal:privacy": ("patient_a",),
    "portal:own_result_note": ("patient_a",),
    "portal:safety_plan_edit": ("patient_a",),
    "safety:help_now": ("patient_a",),
    "questionnaires:answer": ("patient_a", "clinician_treating"),
    "treatment:messages": ("patient_a",),
    "treatment:relative_accept": ("anonymous",),
    "providers:directory_import": ("org_admin",),
    "providers:provider_create": ("org_admin",),
    "providers:gazetteer": ("org_admin",),
    "knowledge:stepped_care_switches": ("org_admin",),
    "orgadmin:instruments": ("org_admin",),
    "monitoring:start_entry": ("patient_a",),
    "monitoring:notifications": ("patient_a",),
    "monitoring:push_device": ("patient_a",),
    "records:mine_copy": ("patient_a",),
    "records:mine_destruction": ("patient_a",),
    "records:decide": ("gp",),
    "api:fhir_questionnaire_response_create": ("patient_a",),
    "admin:password_change": ("platform_admin",),
}

# Fields that name the object a form is about in the body rather than the URL: they keep
# a real value while the other fields are hostile (or every body would meet a 404).
FIXED_FIELDS: dict[str, Callable[[World], dict[str, str]]] = {
    "monitoring:start_entry": lambda world: {"schedule": str(ema_schedule(world).public_id)},
}

# POST URLs that no role fills in, with the reason; each must refuse every role.
_READ_ONLY_REVISIONS = (
    "knowledge revisions are read-only on the platform-admin site (KnowledgeRevisionAdmin): "
    "an edit must pass the organization pages' full validation"
)
NO_FORM: dict[str, str] = {
    "account_signup": (
        "nobody signs up: clinicians register patients and admins add staff "
        "(AccountAdapter.is_open_for_signup), so allauth shows 'sign-up closed'"
    ),
    "account_confirm_login_code": (
        "logging in with a code sent by e-mail is off (ACCOUNT_LOGIN_BY_CODE_ENABLED is not "
        "set): allauth sends everyone to the login form"
    ),
    "admin:knowledge_knowledgerevision_add": _READ_ONLY_REVISIONS,
    "admin:knowledge_knowledgerevision_change": _READ_ONLY_REVISIONS,
    "admin:knowledge_knowledgerevision_delete": _READ_ONLY_REVISIONS,
}

# Routes whose own purpose is to log out or switch language: fuzzing them only ends the
# fuzzing session. Their input is checked by Django itself.
SKIPPED = re.compile(r"^(accounts/logout/|i18n/|platform-admin/logout/)")

# The platform-admin site's forms that are Maatwerk's own: the models it registers.
ADMIN_ACTIONS = ("add", "change", "delete", "changelist")

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

REFUSED = (401, 403, 404, 405)


# ------------------------------------------------------------------ which URLs take a POST


def _methods(view: Callable[..., Any]) -> set[str] | None:
    """The HTTP methods a view takes, read from ``require_http_methods`` (a closure), a
    class-based view or a django-ninja path; None when the view does not say."""
    view_class = getattr(view, "view_class", None)
    if view_class is not None:
        return {m.upper() for m in view_class.http_method_names if hasattr(view_class, m)}
    seen: set[int] = set()
    stack = [view]
    while stack:
        function = stack.pop()
        if id(function) in seen:
            continue
        seen.add(id(function))
        for cell in getattr(function, "__closure__", None) or ():
            value = cell.cell_contents
            operations = getattr(value, "operations", None)  # a django-ninja path
            if operations is not None:
                return {method for operation in operations for method in operation.methods}
            if (
                isinstance(value, (list, tuple))
                and value
                and all(isinstance(m, str) and m.isupper() for m in value)
            ):
                return set(value)
            if callable(value):
                stack.append(value)
        wrapped = getattr(function, "__wrapped__", None)
        if wrapped is not None:
            stack.append(wrapped)
    return None


def form_code(view: Callable[..., Any]) -> CodeType:
    """The code that runs once a request is past authorization: the function under a
    view's decorators, a class-based view's ``post``, a django-ninja POST operation or an
    admin view method."""
    view_class = getattr(view, "view_class", None)
    if view_class is not None:
        return inspect.unwrap(view_class.post).__code__  # type: ignore[no-any-return]
    for cell in getattr(view, "__closure__", None) or ():
        operations = getattr(cell.cell_contents, "operations", None)
        if operations is not None:
            (operation,) = [o for o in operations if "POST" in o.methods]
            return inspect.unwrap(operation.view_func).__code__  # type: ignore[no-any-return]
    inner = inspect.unwrap(view)
    return getattr(inner, "__func__", inner).__code__  # type: ignore[no-any-return]


def post_reaches_the_form(
    client: Client, path: str, code: CodeType, data: dict[str, str] | None = None
) -> tuple[HttpResponse, bool]:
    """POST an empty form (``data`` only): (the response, whether the view's own code ran
    and did not answer with a refusal)."""
    reached = False

    def watch(frame: FrameType, event: str, arg: object) -> None:
        nonlocal reached
        if event == "call" and frame.f_code is code:
            reached = True

    sys.setprofile(watch)
    try:
        response = client.post(path, data or {})
    finally:
        sys.setprofile(None)
    return response, reached and response.status_code not in REFUSED


def _own_admin_models() -> dict[str, type]:
    """URL-name prefix (``organizations_team``) -> model, for Maatwerk's own models on the
    platform-admin site."""
    return {
        f"{model._meta.app_label}_{model._meta.model_name}": model
        for model in admin.site._registry
        if model.__module__.startswith("maatwerk.")
    }


def _takes_post(name: str, route: str, view: Callable[..., Any]) -> bool:
    if route.startswith(ADMIN_PREFIX):
        if name == "admin:password_change":
            return True
        model_part, _, action = name.removeprefix("admin:").rpartition("_")
        return action in ADMIN_ACTIONS and model_part in _own_admin_models()
    methods = _methods(view)
    return methods is not None and "POST" in methods


def post_routes() -> list[tuple[str, str]]:
    """(name, route) of every URL that takes a POST, sorted."""
    return sorted((name, route) for name, route in VIEWS)


VIEWS = {
    (name, route): view
    for name, route, view in iter_views()
    if not SKIPPED.match(route) and _takes_post(name, route, view)
}


def form_roles(name: str, route: str) -> tuple[str, ...]:
    if name in NO_FORM:
        return ()
    if name in FORM_ROLES:
        return FORM_ROLES[name]
    if route.startswith(ADMIN_PREFIX):
        return ("platform_admin",)
    entry = MATRIX.get(name)
    if entry is None or not entry.allowed or entry.allowed == frozenset(ROLES):
        return ()
    return tuple(sorted(entry.allowed))


POST_ROUTES = post_routes()
CASES = [
    pytest.param(name, route, role, id=f"{name}-by-{role.replace('_', '')}")
    for name, route in POST_ROUTES
    for role in form_roles(name, route)
]


# ------------------------------------------------------------------ the world's extra roles


def _platform_admin(world: World) -> None:
    if "platform_admin" not in world.users:
        user = make_user("platform@maatwerk.test", "Platform Admin", second_factor=True)
        user.is_staff = True
        user.is_superuser = True
        user.save(update_fields=["is_staff", "is_superuser"])
        world.users["platform_admin"] = user


def client_for(world: World, role: str) -> Client:
    """The world's client for ``role``, signing in the extra roles too."""
    if role in world.clients or role in ROLES:
        return world.client_for(role)
    if role == "signing_in":
        client = Client()
        response = client.post(
            "/accounts/login/", {"login": "other@b.test", "password": "a-long-test-password"}
        )
        assert response.status_code == 302, "the password step of the login"
        world.clients[role] = client
        return client
    if role == "clinician_reauthenticated":
        user = world.users["clinician_treating"]
        client = sign_in(Client(), user)
        request = RequestFactory().get("/")
        request.session = client.session
        request.user = user
        record_authentication(request, user, "password", reauthenticated=True)
        request.session.save()
        world.clients[role] = client
        return client
    if role == "gp":
        with_gp(world)
    elif role == "platform_admin":
        _platform_admin(world)
    world.clients[role] = sign_in(Client(), world.users[role])
    return world.clients[role]


def _relative_token(world: World) -> str:
    """A fresh, unused partner invitation of patient A (the key e-mailed to the partner)."""
    patient = actor_for_user(world.users["patient_a"], access_point="test")
    access = open_patient(actor=patient, patient_id=str(world.patient_a.public_id), action="create")
    invited = relative_invite(
        actor=patient,
        access=access,
        email="fuzz.partner@a.test",
        full_name="Fuzz Partner",
        relation="partner",
        consent=True,
    )
    return invited.token


def _account_keys(world: World, name: str) -> dict[str, str]:
    """Real keys for allauth's key-based pages (as the e-mail would carry them)."""
    if name == "account_confirm_email":
        user = world.users["patient_b"]
        address = EmailAddress.objects.create(user=user, email=user.email, verified=False)
        return {"key": EmailConfirmationHMAC(address).key}
    user = world.users["clinician_other_org"]
    return {"uidb36": user_pk_to_url_str(user), "key": default_token_generator.make_token(user)}


def _admin_object_id(world: World, name: str) -> str:
    model_part = name.removeprefix("admin:").rpartition("_")[0]
    model = _own_admin_models()[model_part]
    found = model._default_manager.order_by("pk").first()
    if found is None and model is KnowledgeRevision:
        # An earlier, inactive revision: the admin shows it read-only.
        found = KnowledgeRevision.objects.create(
            organization=world.org_a,
            content_set="knowledge",
            collection="factors",
            document="{}",
            version="0.1",
            based_on_bundled_version="0.1",
            saved_by=world.users["org_admin"],
            comment="an earlier version",
            is_active=False,
        )
    assert found is not None, f"no {model_part} in the world to fuzz {name} with"
    return str(found.pk)


def path_for(world: World, name: str, route: str) -> str:
    names = {m.group(1) or m.group(2) for m in PARAMETER.finditer(route)}
    values = parameter_values(world, names)
    if name == "treatment:relative_accept":
        values["token"] = _relative_token(world)
    if name in ("account_confirm_email", "account_reset_password_from_key"):
        values |= _account_keys(world, name)
    if route.startswith(ADMIN_PREFIX) and "object_id" in names:
        values["object_id"] = _admin_object_id(world, name)
    return build_path(route, values)


# ------------------------------------------------------------------ posting


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


def _bodies(
    fields: list[str], fixed: dict[str, str]
) -> Iterator[tuple[str, bytes | dict[str, str], str]]:
    """(what, body, content type) for every hostile request to one URL."""
    for value in HOSTILE_VALUES:
        yield f"value {value[:12]!r}", dict.fromkeys(fields, value) | fixed, MULTIPART_CONTENT
    yield from _raw_bodies()


def _raw_bodies() -> Iterator[tuple[str, bytes | dict[str, str], str]]:
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


def refused_before_the_form(response: HttpResponse) -> bool:
    """Not let in: 401/403/404/405, or sent to log in."""
    if response.status_code in REFUSED:
        return True
    location = response.get("Location", "") if response.status_code in (301, 302, 303) else ""
    return location.startswith(LOGIN_PATHS) or "/login/" in location


def _refused(response) -> bool:  # type: ignore[no-untyped-def]
    """A 4xx, or a form shown again (200 with errors on it)."""
    if 400 <= response.status_code < 500:
        return True
    context = getattr(response, "context", None)
    if response.status_code == 200 and context is not None:
        form = context.get("form") if hasattr(context, "get") else None
        return bool(form is not None and getattr(form, "errors", None))
    return False


def _known_fields(world: World, name: str) -> list[str]:
    """The field names the authorization matrix posts (learnt before fuzzing changes the
    world's state: some builders need a plan in a given stage)."""
    entry = MATRIX.get(name)
    return sorted(entry.data(world)) if entry is not None and entry.method == "POST" else []


def fuzz(
    world: World,
    role: str,
    path: str,
    bodies: Iterator[tuple[str, bytes | dict[str, str], str]],
) -> tuple[list[str], bool]:
    """Post every body to ``path`` as ``role``: (problems, whether any got past
    authorization)."""
    client = client_for(world, role)
    problems: list[str] = []
    let_in = False
    for what, body, content_type in bodies:
        before = _table_sizes()
        response = _post(client, path, body, content_type)
        text = response.content.decode("utf-8", "replace") if response.content else ""
        if response.status_code >= 500 or "Traceback" in text:
            problems.append(f"{role} {path} {what}: {response.status_code}")
            continue
        let_in = let_in or not refused_before_the_form(response)
        if _refused(response):
            after = _table_sizes()
            grown = {t: (before[t], after[t]) for t in before if before[t] != after[t]}
            if grown:
                problems.append(f"{role} {path} {what}: refused but changed {grown}")
        if response.status_code in (301, 302) and "/login/" in response.get("Location", ""):
            # The session ended (an idle or security logout): sign in again.
            world.clients.pop(role, None)
            client = client_for(world, role)
    return problems, let_in


# ------------------------------------------------------------------ the tests


def test_every_post_url_is_fuzzed_by_a_role_or_listed_with_a_reason() -> None:
    missing = [
        f"{name}  ({route})"
        for name, route in POST_ROUTES
        if not form_roles(name, route) and name not in NO_FORM
    ]
    assert not missing, (
        "Nobody fuzzes these POST URLs: name the role whose form it is in FORM_ROLES "
        "(tests/web/test_form_fuzz.py) or its allowed roles in the authorization matrix:\n  "
        + "\n  ".join(missing)
    )
    names = {name for name, _ in POST_ROUTES}
    assert set(FORM_ROLES) <= names, set(FORM_ROLES) - names
    assert set(NO_FORM) <= names, set(NO_FORM) - names
    assert {role for case in CASES for role in case.values[2:]} <= set(ALL_ROLES)


@pytest.mark.parametrize(("name", "route", "role"), CASES)
def test_no_form_gives_a_server_error_or_saves_half_on_hostile_input(
    world: World, name: str, route: str, role: str
) -> None:
    path = path_for(world, name, route)
    known = _known_fields(world, name)
    client = client_for(world, role)
    if name == "account_reset_password_from_key":
        # allauth keeps the key in the session and sends the browser on to a key-less URL.
        path = client.get(path)["Location"]
    fixed = FIXED_FIELDS[name](world) if name in FIXED_FIELDS else {}
    code = form_code(VIEWS[name, route])
    probe, reached = post_reaches_the_form(client, path, code, fixed)
    assert probe.status_code < 500, f"{role} {path} empty POST: {probe.status_code}"
    fields = _field_names(client, path, known)
    problems, let_in = fuzz(world, role, path, _bodies(fields, fixed))
    assert not problems, "\n".join(problems[:60])
    assert reached and let_in, (
        f"{role} never got past authorization into {path} ({probe.status_code}): "
        "the form was not fuzzed; fuzz it by a role that may post it"
    )


APPS = sorted({name.partition(":")[0] if ":" in name else "accounts" for name, _ in POST_ROUTES})


# The roles posted to forms that are not theirs (with the unparsable bodies only): one of
# each kind of refusal (not signed in, another patient, another organization, a role
# without patients, the form's owner's neighbours).
REFUSED_ROLES = ("anonymous", "patient_a", "patient_b", "clinician_treating", "org_admin")


def _app(name: str) -> str:
    return name.partition(":")[0] if ":" in name else "accounts"


APPS = sorted({_app(name) for name, _ in POST_ROUTES})


@pytest.mark.parametrize("app", APPS)
def test_refused_roles_meet_no_server_error(world: World, app: str) -> None:
    """The roles that may not post a form get a refusal, also for bodies that cannot be
    parsed (a middleware or decorator that reads the body first must not crash); a URL
    listed in :data:`NO_FORM` refuses every role."""
    problems: list[str] = []
    for name, route in POST_ROUTES:
        if _app(name) != app:
            continue
        path = path_for(world, name, route)
        roles = ALL_ROLES if name in NO_FORM else REFUSED_ROLES
        for role in roles:
            if role in form_roles(name, route):
                continue
            if name in NO_FORM:
                code = form_code(VIEWS[name, route])
                if post_reaches_the_form(client_for(world, role), path, code)[1]:
                    problems.append(f"{role} got into {path}, listed in NO_FORM")
            problems += fuzz(world, role, path, _raw_bodies())[0]
    assert not problems, "\n".join(problems[:60])

"""Authorization matrix: every URL that takes an id × every role → allow or deny.

The URL patterns are enumerated from the URLconf, so a new URL with a parameter that
has no entry here fails ``test_every_parameterized_url_has_an_entry``. The matrix
test then counts unexpected allows (must be 0) and unexpected denials.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Any

import pytest
from django.http import HttpResponse
from django.urls import URLPattern, URLResolver, get_resolver

from tests.web.test_formulation import world_formulation
from tests.web.test_monitoring_answering import world_prompt
from tests.web.test_monitoring_charts import world_note
from tests.web.test_planning import GOALS, with_plan
from tests.web.test_planning_revision import discard_data, step_up_data, with_active_plan
from tests.web.test_records_copy import world_record_copy
from tests.web.test_records_destruction import world_destruction_request
from tests.web.test_referrals import world_provider, world_referral
from tests.web.test_safety_plan import CLINICIAN_PLAN, ensure_safety_plan
from tests.web.test_screening import world_screening, world_snapshot_id
from tests.web.test_treatment import world_module, world_relative, world_response
from tests.web.world import ROLES, World

PARAMETER = re.compile(r"<(?:\w+:)?(\w+)>|\(\?P<(\w+)>[^)]*\)")


def iter_views(
    patterns: list[URLPattern | URLResolver] | None = None, prefix: str = "", namespace: str = ""
) -> Iterator[tuple[str, str, Callable[..., Any]]]:
    """(name, route, view) for every URL pattern; unnamed patterns are named by their route."""
    for pattern in get_resolver().url_patterns if patterns is None else patterns:
        route = prefix + str(pattern.pattern)
        if isinstance(pattern, URLResolver):
            inner = pattern.namespace or ""
            full = f"{namespace}:{inner}" if namespace and inner else inner or namespace
            yield from iter_views(pattern.url_patterns, route, full)
        else:
            name = pattern.name or route
            yield (f"{namespace}:{name}" if namespace else name), route, pattern.callback


def iter_patterns() -> Iterator[tuple[str, str]]:
    """(name, route) for every URL pattern; unnamed patterns are named by their route."""
    for name, route, _view in iter_views():
        yield name, route


def parameterized_routes() -> dict[str, str]:
    return {route: name for name, route in iter_patterns() if PARAMETER.search(route)}


def build_path(route: str, values: dict[str, str]) -> str:
    def substitute(match: re.Match[str]) -> str:
        return values[match.group(1) or match.group(2)]

    path = PARAMETER.sub(substitute, route).replace("^", "").replace("$", "")
    return "/" + path


@dataclass(frozen=True)
class Entry:
    """Expected access for one URL: the roles allowed, and how to call it."""

    allowed: frozenset[str]
    method: str = "GET"
    data: Callable[[World], dict[str, str]] = field(default=lambda world: {})


NOBODY: frozenset[str] = frozenset()
EVERYONE = frozenset(ROLES)

MATRIX: dict[str, Entry] = {
    "clinic:patient_detail": Entry(frozenset({"clinician_treating"})),
    "clinic:patient_invitation": Entry(frozenset({"clinician_treating"}), method="POST"),
    "clinic:patient_edit": Entry(frozenset({"clinician_treating"})),
    # The noodknop is open to every clinician of the patient's organization; using it
    # is logged and reviewed. Clinicians of another organization cannot.
    "clinic:emergency_access": Entry(frozenset({"clinician_treating", "clinician_other_team"})),
    "orgadmin:patient_access_report": Entry(frozenset({"org_admin"})),
    "orgadmin:user_access_report": Entry(frozenset({"org_admin"})),
    "orgadmin:emergency_review": Entry(
        frozenset({"org_admin"}), method="POST", data=lambda world: {"note": "checked"}
    ),
    "orgadmin:user_disable": Entry(frozenset({"org_admin"}), method="POST"),
    # A team's backup clinician for safety signals: the admin of the team's organization.
    "orgadmin:team_backup": Entry(
        frozenset({"org_admin"}),
        method="POST",
        data=lambda world: {"backup": str(world.memberships["clinician_treating"].pk)},
    ),
    # A patient reads their own record through the API; clinicians only in care.
    "api:patient_detail": Entry(frozenset({"clinician_treating", "patient_a"})),
    "clinic:assignment_create": Entry(
        frozenset({"clinician_treating"}),
        method="POST",
        data=lambda world: {"instrument": "phq9", "mode": "self"},
    ),
    "clinic:patient_results": Entry(frozenset({"clinician_treating"})),
    # Safety signals: only the treating clinician acts on them (a backup clinician of
    # another team opens the patient with emergency access first).
    "safety:signal": Entry(frozenset({"clinician_treating"})),
    "safety:pick_up": Entry(frozenset({"clinician_treating"}), method="POST"),
    "safety:follow_up": Entry(
        frozenset({"clinician_treating"}), method="POST", data=lambda world: {"contact_by": "x"}
    ),
    "safety:close": Entry(frozenset({"clinician_treating"}), method="POST"),
    "safety:raise": Entry(frozenset({"clinician_treating"})),
    # The patient fills in their own questionnaire; the treating clinician can fill it
    # in together with them during a consult.
    "questionnaires:fill": Entry(frozenset({"patient_a", "clinician_treating"})),
    "questionnaires:answer": Entry(
        frozenset({"patient_a", "clinician_treating"}),
        method="POST",
        data=lambda world: {"item": "phq9_1", "value": "1"},
    ),
    "questionnaires:submit": Entry(frozenset({"patient_a", "clinician_treating"}), method="POST"),
    # Holding the single-use token is the authorization to set the first password.
    "invitation": Entry(EVERYONE),
    # An instrument definition holds no patient data: every logged-in user may read it.
    "api:fhir_questionnaire": Entry(EVERYONE - {"anonymous"}),
    # Maatwerk's own code systems hold no patient data either: every logged-in user.
    "api:fhir_code_system": Entry(EVERYONE - {"anonymous"}),
    # A patient's answers as FHIR: the patient themself and the treating clinician.
    "api:fhir_questionnaire_response_read": Entry(frozenset({"patient_a", "clinician_treating"})),
    # Personal measures: the patient their own, the treating clinician in care. Choosing
    # PSK activities and GAS goals and reading the results table are the clinician's.
    "personalized:overview": Entry(frozenset({"patient_a", "clinician_treating"})),
    "personalized:psk_create": Entry(
        frozenset({"clinician_treating"}),
        method="POST",
        data=lambda world: {"activity-0": "lopen", "activity-1": "koken", "activity-2": "werken"},
    ),
    "personalized:top_problems_create": Entry(
        frozenset({"patient_a", "clinician_treating"}),
        method="POST",
        data=lambda world: {"problem-name-0": "moe", "problem-rating-0": "6"},
    ),
    "personalized:gas_create": Entry(
        frozenset({"clinician_treating"}),
        method="POST",
        data=lambda world: {
            "goal-0-name": "wandelen",
            "goal-0-expected": "30 minuten",
            "goal-0-baseline": "-1",
        },
    ),
    "personalized:results": Entry(frozenset({"clinician_treating"})),
    # An organization's knowledge base: its admins only (the organization is theirs, never
    # taken from the URL). POSTs without a reason are refused with 400 (allowed in).
    "knowledge:collection": Entry(frozenset({"org_admin"})),
    "knowledge:edit": Entry(frozenset({"org_admin"}), method="POST"),
    "knowledge:history": Entry(frozenset({"org_admin"})),
    "knowledge:download": Entry(frozenset({"org_admin"})),
    "knowledge:restore_bundled": Entry(frozenset({"org_admin"}), method="POST"),
    "knowledge:factor_thresholds": Entry(frozenset({"org_admin"})),
    "personalized:rate": Entry(
        frozenset({"patient_a", "clinician_treating"}),
        method="POST",
        data=lambda world: {f"item-{i.public_id}": "5" for i in world.psk_set.items.all()},
    ),
    # Screening: the treating clinician assigns, explores (SCEGS), computes and decides;
    # the patient fills in the intake (or the clinician with them) and reads the summary.
    "screening:patient_screenings": Entry(frozenset({"clinician_treating"})),
    "screening:assign": Entry(
        frozenset({"clinician_treating"}), method="POST", data=lambda world: {"battery": "x"}
    ),
    "screening:detail": Entry(frozenset({"clinician_treating"})),
    "screening:intake": Entry(
        frozenset({"patient_a", "clinician_treating"}),
        method="POST",
        data=lambda world: {"own_words": "moe"},
    ),
    "screening:scegs": Entry(
        frozenset({"clinician_treating"}), method="POST", data=lambda world: {"notes": "x"}
    ),
    "screening:profile": Entry(frozenset({"clinician_treating"})),
    "screening:profile_compute": Entry(frozenset({"clinician_treating"}), method="POST"),
    "screening:care_level_decide": Entry(
        frozenset({"clinician_treating"}),
        method="POST",
        data=lambda world: {
            "snapshot": world_snapshot_id(world),
            "decision": "accept",
            "reason": "Risico besproken",
        },
    ),
    "screening:profile_pdf": Entry(frozenset({"clinician_treating"})),
    "screening:summary": Entry(frozenset({"patient_a", "clinician_treating"})),
    # Referrals: the treating clinician only (the patient's own view is not built). Sending
    # without consent is refused with 400, which counts as allowed in.
    "providers:referral_create": Entry(frozenset({"clinician_treating"})),
    "providers:referral_detail": Entry(frozenset({"clinician_treating"})),
    "providers:referral_consent": Entry(
        frozenset({"clinician_treating"}),
        method="POST",
        data=lambda world: {"consent_method": "verbal_in_consult"},
    ),
    "providers:referral_send": Entry(frozenset({"clinician_treating"}), method="POST"),
    "providers:referral_cancel": Entry(frozenset({"clinician_treating"}), method="POST"),
    "providers:referral_letter": Entry(frozenset({"clinician_treating"})),
    "providers:referral_fhir": Entry(frozenset({"clinician_treating"})),
    # The provider directory: the organization's admins manage it.
    "providers:provider_edit": Entry(frozenset({"org_admin"})),
    "providers:provider_active": Entry(frozenset({"org_admin"}), method="POST"),
    # The plan: the treating clinician makes, decides, activates and exports it; the
    # patient reads "My plan" (a draft shows nothing of it).
    "planning:plan": Entry(frozenset({"clinician_treating"})),
    "planning:prepare": Entry(
        frozenset({"clinician_treating"}),
        method="POST",
        data=lambda world: {"modality": "online"},
    ),
    "planning:decide": Entry(
        frozenset({"clinician_treating"}),
        method="POST",
        data=lambda world: with_plan(
            world, {"module": "sleep", "action": "add", "reason": "slaapt slecht"}
        ),
    ),
    "planning:goals": Entry(
        frozenset({"clinician_treating"}), method="POST", data=lambda world: with_plan(world, GOALS)
    ),
    "planning:activate": Entry(
        frozenset({"clinician_treating"}),
        method="POST",
        data=lambda world: with_plan(world, goals=True),
    ),
    "planning:fhir": Entry(frozenset({"clinician_treating"}), data=lambda world: with_plan(world)),
    "planning:pdf": Entry(frozenset({"clinician_treating"}), data=lambda world: with_plan(world)),
    "planning:mine": Entry(frozenset({"patient_a", "clinician_treating"})),
    "planning:revise": Entry(
        frozenset({"clinician_treating"}),
        method="POST",
        data=lambda world: with_active_plan(world, {"revision_reason": "Evaluatie"}),
    ),
    "planning:step_up": Entry(
        frozenset({"clinician_treating"}), method="POST", data=lambda world: step_up_data(world)
    ),
    "planning:complete": Entry(
        frozenset({"clinician_treating"}),
        method="POST",
        data=lambda world: with_active_plan(world, {"end_note": "Afgesloten"}),
    ),
    "planning:regiebehandelaar": Entry(
        frozenset({"clinician_treating"}),
        method="POST",
        data=lambda world: with_plan(world, {"member": ""}),
    ),
    "planning:discard_revision": Entry(
        frozenset({"clinician_treating"}), method="POST", data=lambda world: discard_data(world)
    ),
    # Formulation: the treating clinician builds it (the patient page redirects to the
    # existing formulation, starting again too); the patient reads the shared explanation
    # and answers it; the clinician may read the patient's page but not answer for them.
    "formulation:patient": Entry(frozenset({"clinician_treating"})),
    "formulation:start": Entry(
        frozenset({"clinician_treating"}), method="POST", data=lambda world: {"source": "empty"}
    ),
    "formulation:detail": Entry(frozenset({"clinician_treating"})),
    "formulation:complaints": Entry(frozenset({"clinician_treating"})),
    "formulation:consequences": Entry(frozenset({"clinician_treating"})),
    "formulation:goals": Entry(frozenset({"clinician_treating"})),
    "formulation:plan": Entry(frozenset({"clinician_treating"})),
    "formulation:diary": Entry(frozenset({"clinician_treating"}), method="POST"),
    "formulation:circle": Entry(
        frozenset({"clinician_treating"}),
        method="POST",
        data=lambda world: {"action": "add_node", "node-kind": "thought", "node-label": "x"},
    ),
    "formulation:share": Entry(frozenset({"clinician_treating"}), method="POST"),
    # The personal network (issue 15): the treating clinician only.
    "analysis:network": Entry(frozenset({"clinician_treating"})),
    "analysis:network_pdf": Entry(frozenset({"clinician_treating"})),
    "analysis:upload": Entry(frozenset({"clinician_treating"}), method="POST"),
    "analysis:links": Entry(frozenset({"clinician_treating"}), method="POST"),
    "analysis:share": Entry(frozenset({"clinician_treating"}), method="POST"),
    "analysis:add_arrows": Entry(
        frozenset({"clinician_treating"}),
        method="POST",
        data=lambda world: (world_formulation(world), {"edge": "pain|rest"})[1],
    ),
    "analysis:norm_choice": Entry(
        frozenset({"clinician_treating"}), method="POST", data=lambda world: {"norm": "female"}
    ),
    "formulation:shared": Entry(frozenset({"patient_a", "clinician_treating"})),
    "formulation:respond": Entry(
        frozenset({"patient_a"}), method="POST", data=lambda world: {"answer": "agree"}
    ),
    # Treatment: the patient works on their own modules (only they write answers); the
    # treating clinician reads them, gives feedback, assigns and messages. A partner's
    # or parent's view is for that person only, who is none of the world's roles.
    "treatment:module": Entry(frozenset({"patient_a", "clinician_treating"})),
    "treatment:exercise": Entry(frozenset({"patient_a", "clinician_treating"})),
    "treatment:exercise_save": Entry(
        frozenset({"patient_a"}),
        method="POST",
        data=lambda world: {"field": "event", "value": '"x"', "stamp": "1"},
    ),
    "treatment:exercise_submit": Entry(
        frozenset({"patient_a"}), method="POST", data=lambda world: {"action": "reopen"}
    ),
    "treatment:activity_target": Entry(
        frozenset({"clinician_treating"}), method="POST", data=lambda world: {"target": "60"}
    ),
    "treatment:review": Entry(frozenset({"clinician_treating"})),
    "treatment:patient_modules": Entry(frozenset({"clinician_treating"})),
    "treatment:patient_messages": Entry(frozenset({"clinician_treating"})),
    "treatment:relatives": Entry(frozenset({"patient_a", "clinician_treating"})),
    "treatment:relative_revoke": Entry(
        frozenset({"patient_a", "clinician_treating"}), method="POST"
    ),
    "treatment:shared_detail": Entry(NOBODY),
    # The parent view: only a parent with an active access (none of the world's roles).
    "treatment:parent_view": Entry(NOBODY),
    # Opening a module that waits for a later round of the plan: the treating clinician.
    "treatment:module_open": Entry(frozenset({"clinician_treating"}), method="POST"),
    # Key-based: the key is a secret e-mailed to the invited partner or parent; the
    # world's token (a patient's invitation) opens no partner invitation, for anyone.
    "treatment:relative_accept": Entry(NOBODY),
    # The safety plan: the treating clinician makes, changes, reads its versions and
    # prints it (emergency access reads it; see tests/web/test_safety_plan.py). The
    # patient's own pages are in the portal and take no id.
    "safetyplan:plan": Entry(frozenset({"clinician_treating"})),
    "safetyplan:edit": Entry(
        frozenset({"clinician_treating"}), method="POST", data=lambda world: CLINICIAN_PLAN
    ),
    "safetyplan:versions": Entry(frozenset({"clinician_treating"})),
    "safetyplan:version": Entry(frozenset({"clinician_treating"}), data=ensure_safety_plan),
    "safetyplan:pdf": Entry(frozenset({"clinician_treating"}), data=ensure_safety_plan),
    # Records (F26): the care team's page of a patient and a copy made there; a copy is
    # downloaded only by whoever asked for it (the world's copy: patient A). A destruction
    # request is decided by the responsible clinician: not a POH-GGZ (the world's treating
    # clinician), whose care the GP is responsible for; the GP's decision is tested in
    # tests/web/test_records_destruction.py.
    "records:patient": Entry(frozenset({"clinician_treating"})),
    "records:patient_copy": Entry(frozenset({"clinician_treating"}), method="POST"),
    "records:copy_fhir": Entry(frozenset({"patient_a"})),
    "records:copy_pdf": Entry(frozenset({"patient_a"})),
    "records:decide": Entry(NOBODY, method="POST", data=lambda world: {"decision": "refuse"}),
    # Monitoring: the patient answers their own prompt; the care team reads the overview.
    "monitoring:answer": Entry(frozenset({"patient_a"})),
    "monitoring:patient": Entry(frozenset({"clinician_treating"})),
    "monitoring:patient_pdf": Entry(frozenset({"clinician_treating"})),
    # The patient's own notes on their charts: only the patient changes or removes them
    # (the matrix posts no confirmation, so an allowed remove is refused and keeps it).
    "portal:own_result_note_change": Entry(frozenset({"patient_a"})),
    "portal:own_result_note_remove": Entry(frozenset({"patient_a"}), method="POST"),
}

# django-allauth's own key-based pages: the key is a secret sent by e-mail, not an
# object id, and the pages show no patient data. Listed so that they are a decision.
KEY_BASED_ACCOUNT_PAGES = {"account_confirm_email", "account_reset_password_from_key"}

ADMIN_PREFIX = "platform-admin/"


def expected_entry(name: str, route: str) -> Entry | None:
    if name in MATRIX:
        return MATRIX[name]
    if route.startswith(ADMIN_PREFIX):
        # The platform-admin site is for staff users only; none of the roles is staff.
        return Entry(NOBODY)
    return None


# How each URL parameter is filled in from the world (built only when a route needs it:
# some builders make a screening, a referral or a formulation).
PARAMETER_VALUES: dict[str, Callable[[World], str]] = {
    "patient_id": lambda world: str(world.patient_a.public_id),
    "user_id": lambda world: str(world.users["clinician_treating"].public_id),
    "grant_id": lambda world: str(world.expired_grant.public_id),
    "team_id": lambda world: str(world.team_treating.public_id),
    "assignment_id": lambda world: str(world.assignment.public_id),
    "alert_id": lambda world: str(world.alert.public_id),
    "token": lambda world: world.invitation.token,
    "object_id": lambda world: str(world.memberships["clinician_treating"].pk),
    "content_type_id": lambda world: "1",
    "app_label": lambda world: "organizations",
    "url": lambda world: "organizations/membership/",
    "key": lambda world: "not-a-real-key",
    "uidb36": lambda world: "1",
    "instrument_code": lambda world: "phq9",
    "code_system_id": lambda world: "care-level",
    "set_id": lambda world: str(world.psk_set.public_id),
    "screening_id": lambda world: str(world_screening(world).public_id),
    "content_set": lambda world: "knowledge",
    "collection": lambda world: "factors",
    "factor_id": lambda world: "fear_of_movement",
    "provider_id": lambda world: str(world_provider(world).public_id),
    "referral_id": lambda world: str(world_referral(world).public_id),
    "formulation_id": lambda world: str(world_formulation(world).public_id),
    "module_assignment_id": lambda world: str(world_module(world).public_id),
    "exercise_id": lambda world: "g_schema",
    "response_id": lambda world: str(world_response(world).public_id),
    "relative_id": lambda world: str(world_relative(world).public_id),
    "number": lambda world: "1",
    "prompt_id": lambda world: str(world_prompt(world).public_id),
    "copy_id": lambda world: str(world_record_copy(world).public_id),
    "request_id": lambda world: str(world_destruction_request(world).public_id),
    "note_id": lambda world: str(world_note(world).public_id),
}


def parameter_values(world: World, names: set[str] | None = None) -> dict[str, str]:
    """The value of every URL parameter (or only of ``names``) in ``world``."""
    return {
        name: build(world)
        for name, build in PARAMETER_VALUES.items()
        if names is None or name in names
    }


LOGIN_PATHS = ("/accounts/login/", "/platform-admin/login/")


def was_allowed(response: HttpResponse) -> bool:
    status = response.status_code
    if status >= 500:
        raise AssertionError(f"server error {status}")
    if status in (200, 201, 400):  # 400: allowed in, but the submitted data was refused
        return True
    if status in (301, 302, 303):
        return (
            not response["Location"].startswith(LOGIN_PATHS)
            and "/login/" not in response["Location"]
        )
    if status in (401, 403, 404, 405):
        return False
    raise AssertionError(f"unexpected status {status}")


def test_every_parameterized_url_has_an_entry() -> None:
    missing = [
        f"{name}  ({route})"
        for route, name in parameterized_routes().items()
        if expected_entry(name, route) is None and name not in KEY_BASED_ACCOUNT_PAGES
    ]
    assert not missing, (
        "These URLs take an id but have no entry in the authorization matrix; "
        "add one to MATRIX in tests/web/test_authorization_matrix.py:\n  " + "\n  ".join(missing)
    )


def test_matrix_has_no_stale_entries() -> None:
    names = set(parameterized_routes().values())
    assert set(MATRIX) <= names, set(MATRIX) - names


MATRIX_CASES = [
    (name, route)
    for route, name in sorted(parameterized_routes().items())
    if name not in KEY_BASED_ACCOUNT_PAGES
]


@pytest.mark.parametrize(("name", "route"), MATRIX_CASES, ids=[r for _, r in MATRIX_CASES])
def test_authorization_matrix(world: World, name: str, route: str) -> None:
    entry = expected_entry(name, route)
    assert entry is not None
    path = build_path(route, parameter_values(world))
    unexpected_allows: list[str] = []
    unexpected_denials: list[str] = []
    for role in ROLES:
        client = world.client_for(role)
        call = client.post if entry.method == "POST" else client.get
        response = call(path, data=entry.data(world))
        allowed = was_allowed(response)
        if allowed and role not in entry.allowed:
            unexpected_allows.append(f"{role}: {entry.method} {path} → {response.status_code}")
        if not allowed and role in entry.allowed:
            unexpected_denials.append(f"{role}: {entry.method} {path} → {response.status_code}")
    assert not unexpected_allows, "UNEXPECTED ALLOWS:\n" + "\n".join(unexpected_allows)
    assert not unexpected_denials, "unexpected denials:\n" + "\n".join(unexpected_denials)


@pytest.mark.parametrize("name", sorted(KEY_BASED_ACCOUNT_PAGES))
def test_key_based_account_pages_reject_a_forged_key(world: World, name: str) -> None:
    route = next(route for route, n in parameterized_routes().items() if n == name)
    path = build_path(route, parameter_values(world))
    for role in ("anonymous", "patient_a"):
        response = world.client_for(role).get(path, follow=True)
        assert response.status_code < 500
        body = response.content.decode()
        assert "Patient Alpha" not in body


def test_unknown_and_malformed_patient_ids_are_not_found(world: World) -> None:
    client = world.client_for("clinician_treating")
    for bad in ("00000000-0000-0000-0000-000000000000", "not-a-uuid", "1"):
        assert client.get(f"/clinic/patients/{bad}/").status_code == 404
        assert client.get(f"/api/v1/patients/{bad}").status_code == 404

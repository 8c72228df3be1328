"""Refusals (issue 11): every POST of the safety, clinic and organization-admin screens
refuses invalid input with errors on the fields, saves nothing, and writes exactly one
``refused`` audit event."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import pytest

from maatwerk.web.accounts.models import User
from maatwerk.web.audit.models import AuditEvent
from maatwerk.web.patients.models import EmergencyAccess, Patient
from maatwerk.web.questionnaires.models import (
    ImportedInstrument,
    LicensedTexts,
    SafetyAlert,
    SafetyFollowUp,
)
from maatwerk.web.safetyplan.models import SafetyPlanVersion
from tests.web.world import World

COVERED_URL_NAMES = {
    "safety:raise",
    "safety:follow_up",
    "safety:close",
    "safety:pick_up",
    "safety:help_now",
    "clinic:patient_register",
    "clinic:patient_edit",
    "clinic:patient_invitation",
    "clinic:emergency_access",
    "orgadmin:team_backup",
    "orgadmin:user_disable",
    "orgadmin:emergency_review",
    "orgadmin:instruments",
    "safetyplan:edit",
    "portal:safety_plan_edit",
}


@dataclass(frozen=True)
class Refusal:
    role: str
    path: Callable[[World], str]
    data: Callable[[World], dict[str, str]]
    fields: set[str]  # the fields named in the refusal ("" for none: a message)
    unchanged: Callable[[World], object]  # a snapshot that must not change
    form_status: int = 400  # 302 where the refusal is a message on the next page


def _alert_state(world: World) -> object:
    world.alert.refresh_from_db()
    return (world.alert.status, SafetyFollowUp.objects.filter(alert=world.alert).count())


def _patients(world: World) -> object:
    return (Patient.objects.count(), SafetyAlert.objects.count(), EmergencyAccess.objects.count())


def _alpha(world: World) -> object:
    world.patient_a.refresh_from_db()
    return (world.patient_a.full_name, world.patient_a.birth_year, world.patient_a.postcode)


def _a(world: World) -> str:
    return str(world.patient_a.public_id)


def _picked_up(world: World) -> str:
    SafetyAlert.objects.filter(pk=world.alert.pk).update(status=SafetyAlert.Status.PICKED_UP)
    return f"/safety/signals/{world.alert.public_id}/pick-up/"


def _closed(world: World) -> str:
    SafetyAlert.objects.filter(pk=world.alert.pk).update(status=SafetyAlert.Status.CLOSED)
    return f"/safety/signals/{world.alert.public_id}/close/"


def _with_password(world: World) -> str:
    user = world.patient_a.user
    assert user is not None
    user.set_password("a long enough password 1")
    user.save()
    return f"/clinic/patients/{_a(world)}/invitation/"


def _grant(world: World) -> object:
    world.expired_grant.refresh_from_db()
    return (world.expired_grant.reviewed_at, world.expired_grant.review_note)


def _imports(world: World) -> object:
    return (LicensedTexts.objects.count(), ImportedInstrument.objects.count())


def _plans(world: World) -> object:
    return SafetyPlanVersion.objects.count()


REFUSALS: dict[str, Refusal] = {
    "safetyplan:edit": Refusal(
        "clinician_treating",
        lambda w: f"/safety-plan/patients/{_a(w)}/edit/",
        lambda w: {"coping-0-text": "x" * 301, "help_people-0-phone": "bel me"},
        {"coping", "help_people"},
        _plans,
    ),
    "portal:safety_plan_edit": Refusal(
        "patient_a",
        lambda w: "/portal/safety-plan/edit/",
        lambda w: {"reasons_to_live-0-text": "x" * 301},
        {"reasons_to_live"},
        _plans,
    ),
    "safety:raise": Refusal(
        "clinician_treating",
        lambda w: f"/safety/patients/{_a(w)}/raise/",
        lambda w: {"raised_from": "nowhere", "quote": "x" * 4001},
        {"raised_from", "quote"},
        _patients,
    ),
    "safety:follow_up": Refusal(
        "clinician_treating",
        lambda w: f"/safety/signals/{w.alert.public_id}/follow-up/",
        lambda w: {"contact_at": "yesterday-ish", "contact_by": "x" * 201},
        {"contact_at", "contact_by"},
        _alert_state,
    ),
    "safety:close": Refusal(
        "clinician_treating",
        lambda w: f"/safety/signals/{w.alert.public_id}/close/",
        lambda w: {},
        {"contact_outcome", "contact_at", "contact_method", "contact_by"},
        _alert_state,
    ),
    "safety:close (already closed)": Refusal(
        "clinician_treating", _closed, lambda w: {}, {"__all__"}, _alert_state, 302
    ),
    "safety:pick_up (already picked up)": Refusal(
        "clinician_treating", _picked_up, lambda w: {}, {"__all__"}, _alert_state, 302
    ),
    "safety:help_now": Refusal(
        "patient_a",
        lambda w: "/safety/help/",
        lambda w: {"words": "x" * 4001},
        {"words"},
        _patients,
    ),
    "clinic:patient_register": Refusal(
        "clinician_treating",
        lambda w: "/clinic/patients/new/",
        lambda w: {"full_name": "", "email": "not an address", "birth_year": "19x0", "sex": "?"},
        {"full_name", "email", "birth_year", "sex"},
        _patients,
    ),
    "clinic:patient_edit": Refusal(
        "clinician_treating",
        lambda w: f"/clinic/patients/{_a(w)}/edit/",
        lambda w: {"full_name": "", "birth_year": "1850", "sex": "female", "language": "nl"},
        {"full_name", "birth_year"},
        _alpha,
    ),
    "clinic:patient_invitation (password set)": Refusal(
        "clinician_treating", _with_password, lambda w: {}, {"__all__"}, _patients, 302
    ),
    "clinic:emergency_access": Refusal(
        "clinician_other_team",
        lambda w: f"/clinic/emergency/{_a(w)}/",
        lambda w: {"reason": "short"},
        {"reason"},
        _patients,
    ),
    "orgadmin:team_backup": Refusal(
        "org_admin",
        lambda w: f"/organization/teams/{w.team_treating.public_id}/backup/",
        lambda w: {"backup": "not a number"},
        {"backup"},
        lambda w: w.team_treating.__class__.objects.get(pk=w.team_treating.pk).backup_clinician_id,
    ),
    "orgadmin:emergency_review": Refusal(
        "org_admin",
        lambda w: f"/organization/emergency-access/{w.expired_grant.public_id}/review/",
        lambda w: {"note": "x" * 1001},
        {"note"},
        _grant,
        302,
    ),
    "orgadmin:instruments (no texts file)": Refusal(
        "org_admin", lambda w: "/organization/instruments/", lambda w: {}, {"texts"}, _imports
    ),
    "orgadmin:instruments (no questionnaire file)": Refusal(
        "org_admin",
        lambda w: "/organization/instruments/",
        lambda w: {"form": "questionnaire"},
        {"questionnaire"},
        _imports,
    ),
    "orgadmin:instruments (unknown form)": Refusal(
        "org_admin",
        lambda w: "/organization/instruments/",
        lambda w: {"form": "x"},
        {"form"},
        _imports,
    ),
    "orgadmin:user_disable (own account)": Refusal(
        "org_admin",
        lambda w: f"/organization/users/{w.users['org_admin'].public_id}/disable/",
        lambda w: {},
        {"__all__"},
        lambda w: User.objects.get(pk=w.users["org_admin"].pk).is_active,
        302,
    ),
}


def test_every_covered_url_has_a_refusal_case() -> None:
    assert {name.split(" ")[0] for name in REFUSALS} == COVERED_URL_NAMES


@pytest.mark.parametrize("case", sorted(REFUSALS))
def test_invalid_input_is_refused_on_its_fields_and_audited_once(world: World, case: str) -> None:
    refusal = REFUSALS[case]
    client = world.client_for(refusal.role)
    path = refusal.path(world)
    before = refusal.unchanged(world)
    last = AuditEvent.objects.order_by("-sequence").first()
    response = client.post(path, refusal.data(world))
    assert response.status_code == refusal.form_status, response.content[:300]
    if refusal.form_status == 400 and "sections" in response.context:
        # The safety plan shows each problem on its row, from the core's refusal.
        problems = {
            section.id
            for section in response.context["sections"]
            if section.errors or any(row.text_error or row.phone_error for row in section.rows)
        }
        assert refusal.fields <= problems, problems
    elif refusal.form_status == 400:
        form = (
            response.context["form"]
            # The teams page shows one form per row; the instruments page one form.
            if "rows" not in response.context or "own_rows" in response.context
            else next(form for _, form in response.context["rows"] if form.is_bound)
        )
        assert refusal.fields <= set(form.errors), form.errors
    assert refusal.unchanged(world) == before
    events = list(
        AuditEvent.objects.filter(sequence__gt=last.sequence if last else 0).order_by("sequence")
    )
    assert [e.outcome for e in events] == ["refused"], [
        (e.action, e.object_type, e.outcome, e.detail) for e in events
    ]
    for field in refusal.fields:
        assert field in events[0].detail

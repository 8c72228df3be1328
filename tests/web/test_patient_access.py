"""The database form of the access rule agrees with the core rule, and the noodknop flow."""

from __future__ import annotations

from datetime import timedelta

import time_machine
from django.test import Client
from django.utils import timezone

from maatwerk.core.access import AccessBasis
from maatwerk.web.audit.models import AuditEvent
from maatwerk.web.common.actor import actor_for_user
from maatwerk.web.patients.models import CareEpisode, CareTeamMember, EmergencyAccess, Patient
from maatwerk.web.patients.opening import _access_basis
from maatwerk.web.patients.selectors import patients_visible_to
from tests.web.world import ROLES, World, sign_in


def _assert_selector_agrees_with_core(world: World) -> None:
    for role in ROLES:
        if role == "anonymous":
            continue
        actor = actor_for_user(world.users[role], access_point="test")
        visible = set(patients_visible_to(actor).values_list("pk", flat=True))
        for patient in Patient.objects.all():
            decided = _access_basis(actor, patient) is not AccessBasis.NONE
            assert (patient.pk in visible) == decided, (role, patient.full_name)


def test_selector_agrees_with_core_rule_in_many_situations(world: World) -> None:
    _assert_selector_agrees_with_core(world)
    # Close patient A's episode: the treating clinician loses access.
    CareEpisode.objects.filter(patient=world.patient_a).update(status="closed")
    _assert_selector_agrees_with_core(world)
    # Reopen, but deactivate the care-team entry.
    CareEpisode.objects.filter(patient=world.patient_a).update(status="active")
    CareTeamMember.objects.filter(episode__patient=world.patient_a).update(is_active=False)
    _assert_selector_agrees_with_core(world)
    # A current emergency grant for a clinician of the other team.
    now = timezone.now()
    EmergencyAccess.objects.create(
        patient=world.patient_b,
        membership=world.memberships["clinician_treating"],
        reason="Acute crisis while the team is away",
        granted_at=now,
        expires_at=now + timedelta(hours=1),
    )
    _assert_selector_agrees_with_core(world)
    with time_machine.travel(now + timedelta(hours=2)):
        _assert_selector_agrees_with_core(world)


def test_noodknop_grants_flagged_time_limited_access_for_review(world: World) -> None:
    client = world.client_for("clinician_other_team")
    detail = f"/clinic/patients/{world.patient_a.public_id}/"
    assert client.get(detail).status_code == 404
    response = client.post(
        f"/clinic/emergency/{world.patient_a.public_id}/",
        {"reason": "Patient is at the front desk in crisis"},
    )
    assert response.status_code == 302
    page = client.get(detail)
    assert page.status_code == 200
    assert AuditEvent.objects.order_by("-sequence").first().emergency is True  # type: ignore[union-attr]
    admin_page = world.client_for("org_admin").get("/organization/")
    assert "Patient is at the front desk in crisis" in admin_page.content.decode()
    with time_machine.travel(timezone.now() + timedelta(hours=5)):
        later = Client()
        sign_in(later, world.users["clinician_other_team"])
        assert later.get(detail).status_code == 404


def test_noodknop_needs_a_reason(world: World) -> None:
    client = world.client_for("clinician_other_team")
    response = client.post(f"/clinic/emergency/{world.patient_a.public_id}/", {"reason": "x"})
    assert response.status_code == 200
    assert (
        not EmergencyAccess.objects.filter(
            membership=world.memberships["clinician_other_team"], reviewed_at__isnull=True
        )
        .exclude(pk=world.expired_grant.pk)
        .exists()
    )


def test_register_patient_with_an_address_in_use_keeps_the_form(world: World) -> None:
    client = world.client_for("clinician_treating")
    before = Patient.objects.count()
    response = client.post(
        "/clinic/patients/new/",
        {
            "full_name": "Dup",
            "email": "patient.b@a.test",
            "birth_year": "1990",
            "sex": "male",
            "language": "nl",
        },
    )
    assert response.status_code == 200
    assert Patient.objects.count() == before
    assert response.context["form"].errors["email"]


def test_caseload_search_filters_by_name(world: World) -> None:
    client = world.client_for("clinician_treating")
    assert "Patient Alpha" in client.get("/clinic/?q=alp").content.decode()
    assert "Patient Alpha" not in client.get("/clinic/?q=zzz").content.decode()
    partial = client.get("/clinic/?q=alp", HTTP_HX_REQUEST="true")
    assert "<html" not in partial.content.decode()

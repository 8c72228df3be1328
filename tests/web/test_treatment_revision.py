"""Revising a plan in the treatment app (``modules_revise``): the modules new in the
plan are given, the modules the plan no longer holds are closed, their answers stay
readable, and the change is one audit event."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from maatwerk.web.audit.models import AuditEvent
from maatwerk.web.common.actor import actor_for_user
from maatwerk.web.patients.selectors import patient_access
from maatwerk.web.treatment import services
from maatwerk.web.treatment.models import ExerciseResponse, ModuleAssignment
from tests.web.test_treatment import world_module, world_response
from tests.web.world import World

pytestmark = pytest.mark.django_db


def _access(world: World, role: str = "clinician_treating"):  # type: ignore[no-untyped-def]
    actor = actor_for_user(world.users[role], access_point="test")
    access = patient_access(actor=actor, patient_id=str(world.patient_a.public_id), action="update")
    return actor, access


def test_new_modules_are_given_and_removed_ones_closed_with_their_answers(world: World) -> None:
    handed_in = world_response(world)  # patient A's G-schema, handed in
    kept = world_module(world, "psychoeducation_vicious_circle")
    g_schema = handed_in.assignment
    actor, access = _access(world)
    before = AuditEvent.objects.count()

    given, closed = services.modules_revise(
        actor=actor,
        access=access,
        give_ids=["sleep", "psychoeducation_vicious_circle"],
        close_ids=["g_schema"],
        plan_ref="plan-2",
    )

    assert [a.module_id for a in given] == ["sleep"]  # the open one is kept as it is
    assert [a.pk for a in closed] == [g_schema.pk]
    g_schema.refresh_from_db()
    assert g_schema.status == ModuleAssignment.Status.COMPLETED and g_schema.completed_at
    assert ExerciseResponse.objects.filter(pk=handed_in.pk).exists()  # answers stay
    kept.refresh_from_db()
    assert kept.is_open and kept.plan_ref == ""
    sleep = ModuleAssignment.objects.get(patient=world.patient_a, module_id="sleep")
    assert sleep.plan_ref == "plan-2" and sleep.is_open
    # One event for the whole change.
    assert AuditEvent.objects.count() - before == 1
    event = AuditEvent.objects.order_by("-sequence").first()
    assert event is not None
    assert (event.action, event.object_type) == ("update", "treatment_module")
    assert event.detail == "assigned: sleep; closed: g_schema; plan plan-2"
    # The clinician still reads the handed-in answers of the closed module.
    client = world.client_for("clinician_treating")
    assert client.get(f"/treatment/responses/{handed_in.public_id}/").status_code == 200


def test_a_module_given_and_closed_at_once_is_given_and_unknown_ones_refused(
    world: World,
) -> None:
    actor, access = _access(world)
    with pytest.raises(ValidationError):
        services.modules_revise(
            actor=actor, access=access, give_ids=["no_such_module"], close_ids=[], plan_ref="p"
        )
    assert not ModuleAssignment.objects.filter(patient=world.patient_a).exists()
    given, closed = services.modules_revise(
        actor=actor, access=access, give_ids=["sleep"], close_ids=["sleep"], plan_ref="p"
    )
    assert [a.module_id for a in given] == ["sleep"] and closed == []


def test_only_a_clinician_revises(world: World) -> None:
    world_module(world)
    actor, access = _access(world, "patient_a")
    with pytest.raises(PermissionDenied):
        services.modules_revise(
            actor=actor, access=access, give_ids=[], close_ids=["g_schema"], plan_ref="p"
        )
    assert ModuleAssignment.objects.get(patient=world.patient_a).is_open

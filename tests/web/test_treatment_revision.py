"""Revising a plan in the treatment app (``modules_revise``): the modules new in the
plan are given, the modules the plan no longer holds are stopped, their answers stay
readable but can no longer be changed, and the change is one audit event."""

from __future__ import annotations

import json

import pytest
from django.core.exceptions import PermissionDenied

from maatwerk.web.audit.audited import InputRefused
from maatwerk.web.audit.models import AuditEvent
from maatwerk.web.clinic.badges import badges_of
from maatwerk.web.common.actor import actor_for_user
from maatwerk.web.patients.opening import open_patient
from maatwerk.web.treatment import selectors, services
from maatwerk.web.treatment.models import ExerciseResponse, ModuleAssignment
from tests.web.test_treatment import G_SCHEMA_ANSWERS, said, world_module, world_response
from tests.web.world import World

pytestmark = pytest.mark.django_db


def _access(world: World, role: str = "clinician_treating"):  # type: ignore[no-untyped-def]
    actor = actor_for_user(world.users[role], access_point="test")
    access = open_patient(actor=actor, patient_id=str(world.patient_a.public_id), action="update")
    return actor, access


def test_new_modules_are_given_and_removed_ones_stopped_with_their_answers(world: World) -> None:
    handed_in = world_response(world)  # patient A's G-schema, handed in
    kept = world_module(world, "psychoeducation_vicious_circle")
    g_schema = handed_in.assignment
    actor, access = _access(world)
    before = AuditEvent.objects.count()

    given, stopped = services.modules_revise(
        actor=actor,
        access=access,
        give_ids=["sleep", "psychoeducation_vicious_circle"],
        close_ids=["g_schema"],
        plan_ref="plan-2",
    )

    assert [a.module_id for a in given] == ["sleep"]  # the open one is kept as it is
    assert [a.pk for a in stopped] == [g_schema.pk]
    g_schema.refresh_from_db()
    # Stopped, not completed: the patient did not finish it.
    assert g_schema.status == ModuleAssignment.Status.STOPPED and g_schema.completed_at is None
    assert (
        g_schema.stopped_at is not None
        and g_schema.stopped_by == world.memberships["clinician_treating"]
    )
    assert not g_schema.is_open
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
    assert event.detail == "assigned: sleep; stopped: g_schema; plan plan-2"
    # The clinician still reads the handed-in answers of the stopped module.
    client = world.client_for("clinician_treating")
    assert client.get(f"/treatment/responses/{handed_in.public_id}/").status_code == 200


def test_a_module_given_and_closed_at_once_is_given_and_unknown_ones_refused(
    world: World,
) -> None:
    actor, access = _access(world)
    with pytest.raises(InputRefused):
        services.modules_revise(
            actor=actor, access=access, give_ids=["no_such_module"], close_ids=[], plan_ref="p"
        )
    assert not ModuleAssignment.objects.filter(patient=world.patient_a).exists()
    given, stopped = services.modules_revise(
        actor=actor, access=access, give_ids=["sleep"], close_ids=["sleep"], plan_ref="p"
    )
    assert [a.module_id for a in given] == ["sleep"] and stopped == []


def test_only_a_clinician_revises(world: World) -> None:
    world_module(world)
    actor, access = _access(world, "patient_a")
    with pytest.raises(PermissionDenied):
        services.modules_revise(
            actor=actor, access=access, give_ids=[], close_ids=["g_schema"], plan_ref="p"
        )
    assert ModuleAssignment.objects.get(patient=world.patient_a).is_open


def test_a_stopped_module_can_be_read_but_its_exercises_not_changed(world: World) -> None:
    handed_in = world_response(world)  # patient A's G-schema, handed in
    assignment = handed_in.assignment
    actor, access = _access(world)
    services.modules_revise(
        actor=actor, access=access, give_ids=[], close_ids=["g_schema"], plan_ref="plan-2"
    )
    patient = world.client_for("patient_a")
    exercise_url = f"/treatment/modules/{assignment.public_id}/exercises/g_schema/"
    stopped_message = "This module was stopped when your treatment plan changed."
    stopped_message_nl = "Deze module is gestopt"
    before = ExerciseResponse.objects.get(pk=handed_in.pk)

    # Autosave of one field: refused with the reason, nothing written.
    saved = patient.post(
        exercise_url + "save/", {"field": "event", "value": json.dumps("Nieuw"), "stamp": "1"}
    )
    assert saved.status_code == 400
    (problem,) = saved.json()["errors"][""]
    assert said(problem, stopped_message, stopped_message_nl)
    # Reopening handed-in work and handing in again: refused the same way.
    reopened = patient.post(exercise_url + "submit/", {"action": "reopen"}, follow=True)
    assert said(reopened.content.decode(), stopped_message, stopped_message_nl)
    posted = {f"f-{key}": value for key, value in G_SCHEMA_ANSWERS.items()}
    handed = patient.post(exercise_url + "submit/", {"action": "hand_in", **posted})
    assert handed.status_code == 400
    assert said(handed.content.decode(), stopped_message, stopped_message_nl)
    after = ExerciseResponse.objects.get(pk=handed_in.pk)
    assert (after.answers, after.version, after.status) == (
        before.answers,
        before.version,
        ExerciseResponse.Status.SUBMITTED,
    )

    # Reading still works, without a form or a "change" button, and says why.
    page = patient.get(exercise_url)
    assert page.status_code == 200
    body = page.content.decode()
    assert G_SCHEMA_ANSWERS["event"] in body
    assert "exercise_submit" not in body and 'value="reopen"' not in body
    assert 'name="action"' not in body
    assert said(body, "Stopped — your answers are kept", "Gestopt — je antwoorden blijven bewaard")
    overview = patient.get("/treatment/my/").content.decode()
    assert said(
        overview, "Stopped — your answers are kept", "Gestopt — je antwoorden blijven bewaard"
    )


def test_a_stopped_module_leaves_the_inbox_and_the_portal_count(world: World) -> None:
    world_response(world)  # guided G-schema handed in: waits for feedback
    clinician = actor_for_user(world.users["clinician_treating"], access_point="test")
    assert badges_of(clinician).inbox == 1
    actor, access = _access(world)
    services.modules_revise(
        actor=actor, access=access, give_ids=[], close_ids=["g_schema"], plan_ref="plan-2"
    )
    assert badges_of(clinician).inbox == 0
    assert list(selectors.homework_waiting_for(clinician)) == []
    # The clinician sees when and by whom it was stopped.
    page = world.client_for("clinician_treating").get(
        f"/treatment/patients/{world.patient_a.public_id}/modules/"
    )
    assert page.status_code == 200
    name = world.users["clinician_treating"].full_name
    assert f"by {name}" in page.content.decode() or f"door {name}" in page.content.decode()

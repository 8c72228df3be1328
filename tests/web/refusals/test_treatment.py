"""Refusals in the treatment app: every POST URL given invalid input answers with the
problem on its field (400, or the form again), saves nothing and writes exactly one
``refused`` audit event."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import pytest
from django.test import Client

from maatwerk.web.audit.models import AuditEvent
from maatwerk.web.treatment.models import (
    ExerciseResponse,
    Feedback,
    Message,
    ModuleAssignment,
    RelativeAccess,
)
from tests.web.test_treatment import world_module, world_relative, world_response
from tests.web.world import World

pytestmark = pytest.mark.django_db

COVERED_URL_NAMES = {
    "treatment:exercise_save",
    "treatment:exercise_submit",
    "treatment:activity_target",
    "treatment:module_open",
    "treatment:messages",
    "treatment:patient_messages",
    "treatment:review",
    "treatment:patient_modules",
    "treatment:relatives",
    "treatment:relative_revoke",
    "treatment:relative_accept",
}


def _a(world: World) -> str:
    return str(world.patient_a.public_id)


def _count(world: World) -> tuple[int, ...]:
    return (
        ExerciseResponse.objects.count(),
        sum(len(r.answers) for r in ExerciseResponse.objects.all()),
        Feedback.objects.count(),
        Message.objects.count(),
        ModuleAssignment.objects.count(),
        RelativeAccess.objects.filter(revoked_at__isnull=True).count(),
        sum(a.activity_target_minutes or 0 for a in ModuleAssignment.objects.all()),
    )


@dataclass(frozen=True)
class Refusal:
    role: str
    path: Callable[[World], str]
    data: Callable[[World], dict[str, str]]
    field: str  # where the message is: a field name, or "" for the page/JSON as a whole
    status: int = 400


CASES: dict[str, Refusal] = {
    "exercise_save: value is not JSON": Refusal(
        "patient_a",
        lambda w: f"/treatment/modules/{world_module(w).public_id}/exercises/g_schema/save/",
        lambda w: {"field": "event", "value": "{not json", "stamp": "1"},
        "value",
    ),
    "exercise_save: stamp in other digits": Refusal(
        "patient_a",
        lambda w: f"/treatment/modules/{world_module(w).public_id}/exercises/g_schema/save/",
        lambda w: {"field": "event", "value": '"x"', "stamp": "١٢"},
        "stamp",
    ),
    "exercise_save: an entry in the address that is no number": Refusal(
        "patient_a",
        lambda w: (
            f"/treatment/modules/{world_module(w).public_id}/exercises/g_schema/save/?entry=twee"
        ),
        lambda w: {"field": "event", "value": '"x"', "stamp": "1"},
        "entry",
    ),
    "exercise_submit: a scale answer that is no number": Refusal(
        "patient_a",
        lambda w: f"/treatment/modules/{world_module(w).public_id}/exercises/g_schema/submit/",
        lambda w: {"action": "hand_in", "f-event": "x", "f-feeling_strength": "veel"},
        "feeling_strength",
    ),
    "exercise_submit: unknown action": Refusal(
        "patient_a",
        lambda w: f"/treatment/modules/{world_module(w).public_id}/exercises/g_schema/submit/",
        lambda w: {"action": "delete_everything", "f-event": "x"},
        "action",
    ),
    "activity_target: not a whole number": Refusal(
        "clinician_treating",
        lambda w: f"/treatment/modules/{world_module(w, 'graded_activity').public_id}/target/",
        lambda w: {"target": "²"},
        "",
        status=302,
    ),
    "module_open: a module that is already open": Refusal(
        "clinician_treating",
        lambda w: f"/treatment/modules/{world_module(w).public_id}/open/",
        lambda w: {},
        "",
        status=302,
    ),
    "messages: empty": Refusal(
        "patient_a", lambda w: "/treatment/messages/", lambda w: {"text": "   "}, "text"
    ),
    "patient_messages: too long": Refusal(
        "clinician_treating",
        lambda w: f"/treatment/patients/{_a(w)}/messages/",
        lambda w: {"text": "x" * 5001},
        "text",
    ),
    "review: empty feedback": Refusal(
        "clinician_treating",
        lambda w: f"/treatment/responses/{world_response(w).public_id}/",
        lambda w: {"text": ""},
        "text",
    ),
    "patient_modules: unknown module": Refusal(
        "clinician_treating",
        lambda w: f"/treatment/patients/{_a(w)}/modules/",
        lambda w: {"modules": "no_such_module"},
        "modules",
    ),
    "relatives: invalid address and no consent": Refusal(
        "patient_a",
        lambda w: f"/treatment/patients/{_a(w)}/relatives/",
        lambda w: {"email": "geen-adres", "full_name": "X", "relation": "partner"},
        "email",
    ),
    "relative_revoke: already ended": Refusal(
        "patient_a",
        lambda w: _revoked_relative_path(w),
        lambda w: {},
        "",
        status=302,
    ),
    "relative_accept: passwords differ": Refusal(
        "anonymous",
        lambda w: _pending_invitation_path(w),
        lambda w: {"password1": "Zonnebloem-Tuin-2026", "password2": "Anders-Tuin-2026"},
        "password2",
    ),
}


def _revoked_relative_path(world: World) -> str:
    relative = world_relative(world)
    RelativeAccess.objects.filter(pk=relative.pk).update(revoked_at=relative.consent_given_at)
    return f"/treatment/relatives/{relative.public_id}/revoke/"


def _pending_invitation_path(world: World) -> str:
    from maatwerk.web.common.actor import actor_for_user
    from maatwerk.web.patients.opening import open_patient
    from maatwerk.web.treatment import services

    patient = actor_for_user(world.users["patient_a"], access_point="test")
    access = open_patient(actor=patient, patient_id=_a(world), action="create")
    invited = services.relative_invite(
        actor=patient,
        access=access,
        email="uitgenodigd@a.test",
        full_name="Uitgenodigd",
        relation="parent",
        consent=True,
    )
    return invited.path


@pytest.mark.parametrize("case", sorted(CASES))
def test_invalid_input_is_refused_on_its_field_saves_nothing_and_is_audited_once(
    world: World, case: str
) -> None:
    refusal = CASES[case]
    path = refusal.path(world)
    client = Client() if refusal.role == "anonymous" else world.client_for(refusal.role)
    before = _count(world)
    last = AuditEvent.objects.order_by("-sequence").first()
    response = client.post(path, refusal.data(world))
    assert response.status_code == refusal.status, response.content[:600]
    if refusal.field and response["Content-Type"].startswith("application/json"):
        assert refusal.field in response.json()["errors"], response.json()
    elif refusal.field:
        body = response.content.decode()
        assert 'class="errorlist"' in body
        assert (
            f'id="{refusal.field}' in body
            or f'name="{refusal.field}"' in body
            or (f"-{refusal.field}-error" in body)
        )
    assert _count(world) == before
    events = list(
        AuditEvent.objects.filter(sequence__gt=last.sequence if last else 0).order_by("sequence")
    )
    assert [e.outcome for e in events] == ["refused"], [
        (e.action, e.object_type, e.outcome, e.detail) for e in events
    ]

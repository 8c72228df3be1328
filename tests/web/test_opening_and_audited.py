"""The scoped opener and the audited service call: one refusal mechanism, one event."""

from __future__ import annotations

import pytest
from django import forms
from django.core.exceptions import ValidationError

from maatwerk.web.audit.audited import (
    InputRefused,
    Refused,
    attempt,
    audited,
    show_refusal,
    valid_form,
)
from maatwerk.web.audit.models import AuditEvent
from maatwerk.web.common.actor import Actor, actor_for_user
from maatwerk.web.patients.opening import (
    Audience,
    NotForThisRole,
    PatientNotAccessible,
    open_child,
    open_own_record,
    open_patient,
)
from maatwerk.web.personalized.models import MeasureItem, MeasureSet
from maatwerk.web.questionnaires.models import Assignment
from tests.web.world import World

pytestmark = pytest.mark.django_db


def _actor(world: World, role: str) -> Actor:
    return actor_for_user(world.users[role], access_point="test")


_BASELINE: dict[str, int] = {}


@pytest.fixture(autouse=True)
def _only_new_events(world: World) -> None:
    """Building the world writes events of its own; the tests look only at newer ones."""
    _BASELINE["sequence"] = max(AuditEvent.objects.values_list("sequence", flat=True), default=0)


def _events() -> list[AuditEvent]:
    return list(AuditEvent.objects.filter(sequence__gt=_BASELINE["sequence"]).order_by("sequence"))


def test_open_patient_gives_access_to_the_care_team_and_the_patient(world: World) -> None:
    patient_id = str(world.patient_a.public_id)
    clinician = open_patient(
        actor=_actor(world, "clinician_treating"), patient_id=patient_id, action="update"
    )
    own = open_patient(actor=_actor(world, "patient_a"), patient_id=patient_id, action="read")
    assert clinician.patient == world.patient_a and not clinician.by_patient
    assert own.by_patient
    assert _events() == [], "a success is audited by the service, not by the opener"


@pytest.mark.parametrize(
    "role", ["patient_b", "clinician_other_team", "clinician_other_org", "org_admin"]
)
def test_out_of_scope_is_a_404_and_one_denied_event(world: World, role: str) -> None:
    with pytest.raises(PatientNotAccessible):
        open_patient(
            actor=_actor(world, role), patient_id=str(world.patient_a.public_id), action="read"
        )
    (event,) = _events()
    assert event.outcome == "denied"
    assert event.patient_ref == str(world.patient_a.public_id)


def test_an_unknown_or_malformed_id_is_the_same_404(world: World) -> None:
    actor = _actor(world, "clinician_treating")
    for asked in ["00000000-0000-0000-0000-000000000000", "not-a-uuid", "1 OR 1=1"]:
        with pytest.raises(PatientNotAccessible):
            open_patient(actor=actor, patient_id=asked, action="read")
    assert [e.outcome for e in _events()] == ["denied"] * 3
    assert all(e.patient_ref == "" for e in _events())


def test_the_patient_asking_for_a_care_team_action_is_a_403_and_audited(world: World) -> None:
    with pytest.raises(NotForThisRole):
        open_patient(
            actor=_actor(world, "patient_a"),
            patient_id=str(world.patient_a.public_id),
            action="update",
            audience=Audience.CARE_TEAM,
        )
    (event,) = _events()
    assert event.outcome == "denied" and "care_team" in event.detail


def test_a_clinician_asking_for_a_patient_only_action_is_refused(world: World) -> None:
    with pytest.raises(NotForThisRole):
        open_patient(
            actor=_actor(world, "clinician_treating"),
            patient_id=str(world.patient_a.public_id),
            action="update",
            audience=Audience.PATIENT,
        )


def test_open_own_record_needs_a_patient(world: World) -> None:
    assert open_own_record(actor=_actor(world, "patient_a"), action="read").by_patient
    with pytest.raises(PatientNotAccessible):
        open_own_record(actor=_actor(world, "clinician_treating"), action="read")


def test_open_child_reaches_the_object_through_its_patient(world: World) -> None:
    opened = open_child(
        actor=_actor(world, "clinician_treating"),
        model=Assignment,
        object_id=str(world.assignment.public_id),
        action="read",
        object_type="questionnaire_assignment",
    )
    assert opened.object == world.assignment and opened.access.patient == world.patient_a
    assert opened.subject("questionnaire_assignment").object_ref == str(world.assignment.public_id)


def test_open_child_decides_the_audience_from_the_loaded_object(world: World) -> None:
    asked: list[MeasureSet] = []

    def care_team_only(measure_set: MeasureSet) -> Audience:
        asked.append(measure_set)
        return Audience.CARE_TEAM

    with pytest.raises(NotForThisRole):
        open_child(
            actor=_actor(world, "patient_a"),
            model=MeasureSet,
            object_id=str(world.psk_set.public_id),
            action="update",
            object_type="measure_set",
            audience=care_team_only,
        )
    assert asked == [world.psk_set]
    (event,) = _events()
    assert event.outcome == "denied" and "care_team" in event.detail
    # An unknown id is not looked at: the same denial as for any id.
    with pytest.raises(PatientNotAccessible):
        open_child(
            actor=_actor(world, "patient_a"),
            model=MeasureSet,
            object_id="00000000-0000-0000-0000-000000000000",
            action="update",
            object_type="measure_set",
            audience=care_team_only,
        )
    assert asked == [world.psk_set]


def test_open_child_refuses_the_objects_of_patients_out_of_scope(world: World) -> None:
    with pytest.raises(PatientNotAccessible):
        open_child(
            actor=_actor(world, "clinician_other_team"),
            model=MeasureSet,
            object_id=str(world.psk_set.public_id),
            action="read",
            object_type="measure_set",
        )
    (event,) = _events()
    assert event.outcome == "denied"
    assert event.object_ref == str(world.psk_set.public_id)
    assert event.patient_ref == str(world.patient_a.public_id)


class _GoalForm(forms.Form):
    text = forms.CharField(max_length=20)


def _save_goal(actor: Actor, world: World, data: dict[str, str]) -> str:
    access = open_patient(actor=actor, patient_id=str(world.patient_a.public_id), action="update")
    with audited(actor=actor, action="update", subject=access.subject("goal")) as note:
        cleaned = valid_form(_GoalForm(data))
        # A real change inside the transaction: it must disappear when the block fails.
        MeasureItem.objects.create(measure_set=world.psk_set, position=9, name=cleaned["text"])
        note.about(object_ref="goal-1")
        if cleaned["text"] == "model says no":
            raise ValidationError({"text": ["The model refused this."]})
        return str(cleaned["text"])


def test_audited_writes_one_success_event_with_what_the_service_filled_in(world: World) -> None:
    actor = _actor(world, "clinician_treating")
    assert _save_goal(actor, world, {"text": "walk"}) == "walk"
    (event,) = _events()
    assert (event.outcome, event.action, event.object_type, event.object_ref) == (
        "success",
        "update",
        "goal",
        "goal-1",
    )
    assert event.patient_ref == str(world.patient_a.public_id)


@pytest.mark.parametrize(
    ("data", "field"),
    [({"text": ""}, "text"), ({"text": "x" * 21}, "text"), ({"text": "model says no"}, "text")],
)
def test_refused_input_rolls_back_and_writes_one_refused_event(
    world: World, data: dict[str, str], field: str
) -> None:
    actor = _actor(world, "clinician_treating")
    items_before = MeasureItem.objects.count()
    with pytest.raises(InputRefused) as refused:
        _save_goal(actor, world, data)
    assert field in refused.value.errors
    assert MeasureItem.objects.count() == items_before, "nothing half-saved"
    (event,) = _events()
    assert event.outcome == "refused"
    assert event.detail == f"refused: {field}", "the fields, never the values typed"


def test_a_denial_inside_the_block_is_one_denied_event(world: World) -> None:
    actor = _actor(world, "clinician_treating")
    access = open_patient(actor=actor, patient_id=str(world.patient_a.public_id), action="x")
    with (
        pytest.raises(NotForThisRole),
        audited(actor=actor, action="delete", subject=access.subject("goal")),
    ):
        raise NotForThisRole("goal")
    assert [e.outcome for e in _events()] == ["denied"]


def test_an_unexpected_error_writes_nothing_and_keeps_nothing(world: World) -> None:
    actor = _actor(world, "clinician_treating")
    access = open_patient(actor=actor, patient_id=str(world.patient_a.public_id), action="x")
    before = MeasureItem.objects.count()
    with (
        pytest.raises(ZeroDivisionError),
        audited(actor=actor, action="update", subject=access.subject("goal")),
    ):
        MeasureItem.objects.create(measure_set=world.psk_set, position=8, name="half")
        _ = 1 / 0
    assert MeasureItem.objects.count() == before
    assert _events() == []


def test_show_refusal_puts_each_error_on_its_field() -> None:
    form = _GoalForm({"text": "ok"})
    assert form.is_valid()
    show_refusal(form, InputRefused({"text": ["Too vague."], "other": ["Stale page."]}))
    assert form.errors["text"] == ["Too vague."]
    assert form.non_field_errors() == ["Stale page."]


def test_attempt_returns_the_result_or_the_refusal_put_on_the_form() -> None:
    form = _GoalForm({"text": "ok"})
    assert form.is_valid()
    assert attempt(form, lambda: "saved") == "saved"
    assert not form.errors

    def refuse() -> str:
        raise InputRefused({"text": ["Too vague."]})

    refused = attempt(form, refuse)
    assert refused == Refused({"text": ["Too vague."]})
    assert refused.status == 400
    assert form.errors["text"] == ["Too vague."]


def test_a_page_closed_to_the_role_is_a_404_and_an_audited_denial(world: World) -> None:
    response = world.client_for("patient_a").get("/clinic/")
    assert response.status_code == 404
    (event,) = _events()
    assert (event.outcome, event.object_type, event.object_ref) == ("denied", "page", "/clinic/")
    assert event.user_ref == str(world.users["patient_a"].public_id)

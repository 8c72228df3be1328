"""Every write of the screening refuses bad input (issue 11): the error on its field,
nothing saved, and exactly one ``refused`` audit event."""

from __future__ import annotations

import pytest

from maatwerk.web.audit.models import AuditEvent
from maatwerk.web.screening.models import (
    CareLevelDecision,
    ScegsAssessment,
    Screening,
    ScreeningIntake,
    ScreeningProfileSnapshot,
)
from tests.web.test_screening import assigned, world_screening, world_snapshot_id
from tests.web.world import World

pytestmark = pytest.mark.django_db

COVERED_URL_NAMES = {
    "screening:assign",
    "screening:intake",
    "screening:scegs",
    "screening:profile_compute",
    "screening:care_level_decide",
}


def _refused_once(before: int, object_type: str) -> None:
    events = list(AuditEvent.objects.filter(sequence__gt=before))
    assert [(e.outcome, e.object_type) for e in events] == [("refused", object_type)]


def _last() -> int:
    last = AuditEvent.objects.order_by("-sequence").first()
    return last.sequence if last else 0


def test_an_unknown_battery(world: World) -> None:
    before = _last()
    response = world.client_for("clinician_treating").post(
        f"/screening/patients/{world.patient_a.public_id}/assign/", {"battery": "no_such"}
    )
    assert response.status_code == 400
    assert 'id="err-battery"' in response.content.decode()
    assert not Screening.objects.exists()
    _refused_once(before, "screening")


def test_an_intake_with_an_unknown_complaint_and_too_many_words(world: World) -> None:
    screening = assigned(world)
    before = _last()
    response = world.client_for("patient_a").post(
        f"/screening/{screening.public_id}/intake/",
        {"complaints": "not_a_complaint", "own_words": "x" * 2001, "wants_help_now": "maybe"},
    )
    assert response.status_code == 400
    body = response.content.decode()
    for field in ("complaints", "own_words", "wants_help_now"):
        assert f'id="err-{field}"' in body
    assert not ScreeningIntake.objects.exists()
    _refused_once(before, "screening_intake")


def test_an_intake_with_an_unknown_button(world: World) -> None:
    screening = assigned(world)
    before = _last()
    response = world.client_for("patient_a").post(
        f"/screening/{screening.public_id}/intake/",
        {"own_words": "Ik slaap slecht.", "action": "send_everywhere"},
    )
    assert response.status_code == 400
    body = response.content.decode()
    assert 'id="err-action"' in body
    assert "Ik slaap slecht." in body  # shown again as typed
    assert not ScreeningIntake.objects.exists()
    _refused_once(before, "screening_intake")


def test_a_scegs_exploration_with_a_duration_in_letters(world: World) -> None:
    screening = assigned(world)
    before = _last()
    response = world.client_for("clinician_treating").post(
        f"/screening/{screening.public_id}/scegs/",
        {"duration_weeks": "twaalf", "conditions": "no_such_condition", "notes": "n" * 4001},
    )
    assert response.status_code == 400
    body = response.content.decode()
    for field in ("duration_weeks", "conditions", "notes"):
        assert f'id="err-{field}"' in body
    assert not ScegsAssessment.objects.exists()
    _refused_once(before, "screening_assessment")


def test_a_profile_the_content_no_longer_knows(world: World) -> None:
    screening = world_screening(world)
    ScegsAssessment.objects.filter(screening=screening).update(conditions=["gone_condition"])
    snapshots = ScreeningProfileSnapshot.objects.count()
    before = _last()
    response = world.client_for("clinician_treating").post(
        f"/screening/{screening.public_id}/profile/compute/"
    )
    assert response.status_code == 400
    assert 'id="form-errors"' in response.content.decode()
    assert ScreeningProfileSnapshot.objects.count() == snapshots
    _refused_once(before, "screening_profile")


def test_an_override_without_a_level_or_reason(world: World) -> None:
    screening = world_screening(world)
    before = _last()
    response = world.client_for("clinician_treating").post(
        f"/screening/{screening.public_id}/profile/decision/",
        {"snapshot": world_snapshot_id(world), "decision": "override", "care_level": "nope"},
    )
    assert response.status_code == 400
    body = response.content.decode()
    assert 'id="err-care_level"' in body and 'id="err-reason"' in body
    assert not CareLevelDecision.objects.exists()
    _refused_once(before, "care_level_decision")

"""Refusals of the patient's results page (Mijn uitslagen): every POST with bad input
shows the error on its field, saves nothing and writes exactly one refused event."""

from __future__ import annotations

import pytest

from maatwerk.web.audit.models import AuditEvent
from maatwerk.web.ownresults.models import ResultNote
from tests.web.test_own_results import NOTE, PHQ9_TOPIC, phq9_completed
from tests.web.world import World

COVERED_URL_NAMES = {"portal:own_result_note"}


@pytest.fixture
def course(world: World) -> World:
    phq9_completed(world, "patient_a", 2, days_ago=42)
    phq9_completed(world, "patient_a", 1, days_ago=1)
    return world


@pytest.mark.parametrize(
    ("data", "error"),
    [
        ({"topic": PHQ9_TOPIC, "text": "   "}, "Schrijf eerst iets"),
        ({"topic": PHQ9_TOPIC, "text": "x" * 501}, "Je notitie is te lang"),
        ({"topic": "scale:gad7:total", "text": "ok"}, "Deze uitslag is niet van jou."),
        ({"topic": "measure:not-a-uuid", "text": "ok"}, "Deze uitslag is niet van jou."),
        ({"text": "ok"}, "Dit veld ontbreekt."),
    ],
)
def test_a_refused_note_shows_the_error_saves_nothing_and_is_audited_once(
    course: World, data: dict[str, str], error: str
) -> None:
    before = AuditEvent.objects.count()
    response = course.client_for("patient_a").post(NOTE, data)
    assert response.status_code == 400
    assert error in response.content.decode()
    assert not ResultNote.objects.exists()
    events = list(AuditEvent.objects.order_by("sequence"))[before:]
    assert [(e.action, e.object_type, e.outcome) for e in events] == [
        ("create", "result_note", "refused")
    ]

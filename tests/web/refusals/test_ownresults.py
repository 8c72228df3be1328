"""Refusals of the patient's results page (Mijn uitslagen): every POST with bad input
shows the error on its field, saves nothing and writes exactly one refused event."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from maatwerk.web.audit.models import AuditEvent
from maatwerk.web.monitoring.models import MonitoringSchedule
from maatwerk.web.ownresults.models import DAY_TOPIC, ResultNote
from tests.web.test_own_results import NOTE, PHQ9_TOPIC, phq9_completed
from tests.web.world import World

COVERED_URL_NAMES = {
    "portal:own_result_note",
    "portal:own_result_note_change",
    "portal:own_result_note_remove",
}


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


def _tomorrow() -> str:
    return (timezone.localdate() + timedelta(days=1)).isoformat()


@pytest.mark.parametrize(
    ("data", "error"),
    [
        ({"topic": DAY_TOPIC, "text": "Ruzie"}, "Kies de dag waar je notitie over gaat."),
        ({"topic": DAY_TOPIC, "day": "gisteren", "text": "Ruzie"}, "Geef een datum"),
        ({"topic": DAY_TOPIC, "day": "tomorrow", "text": "Ruzie"}, "Die dag is nog niet geweest."),
        ({"topic": PHQ9_TOPIC, "day": "tomorrow", "text": "ok"}, "Die dag is nog niet geweest."),
    ],
)
def test_a_refused_note_on_a_day_saves_nothing_and_is_audited_once(
    course: World, data: dict[str, str], error: str
) -> None:
    MonitoringSchedule.objects.create(
        patient=course.patient_a, kind=MonitoringSchedule.Kind.EMA, items=[]
    )
    if data.get("day") == "tomorrow":
        data = {**data, "day": _tomorrow()}
    before = AuditEvent.objects.count()
    response = course.client_for("patient_a").post(NOTE, data)
    assert response.status_code == 400
    assert error in response.content.decode()
    assert not ResultNote.objects.exists()
    events = list(AuditEvent.objects.order_by("sequence"))[before:]
    assert [(e.action, e.object_type, e.outcome) for e in events] == [
        ("create", "result_note", "refused")
    ]


def test_a_note_on_a_day_without_daily_questions_is_refused(course: World) -> None:
    day = timezone.localdate().isoformat()
    response = course.client_for("patient_a").post(
        NOTE, {"topic": DAY_TOPIC, "day": day, "text": "Ruzie"}
    )
    assert response.status_code == 400
    assert "Deze uitslag is niet van jou." in response.content.decode()
    assert not ResultNote.objects.exists()


@pytest.mark.parametrize(
    ("data", "error"),
    [
        ({"day": "", "text": "  "}, "Schrijf eerst iets"),
        ({"day": "", "text": "x" * 501}, "Je notitie is te lang"),
        ({"day": "tomorrow", "text": "ok"}, "Die dag is nog niet geweest."),
        ({"day": "", "text": "ok"}, "Kies de dag waar je notitie over gaat."),
    ],
)
def test_a_refused_change_keeps_the_note_and_is_audited_once(
    course: World, data: dict[str, str], error: str
) -> None:
    day = timezone.localdate()
    note = ResultNote.objects.create(
        patient=course.patient_a, topic=DAY_TOPIC, day=day, text="Slecht geslapen"
    )
    if data.get("day") == "tomorrow":
        data = {**data, "day": _tomorrow()}
    before = AuditEvent.objects.count()
    url = reverse("portal:own_result_note_change", args=[note.public_id])
    response = course.client_for("patient_a").post(url, data)
    assert response.status_code == 400
    assert error in response.content.decode()
    note.refresh_from_db()
    assert (note.text, note.day, note.changed_at) == ("Slecht geslapen", day, None)
    events = list(AuditEvent.objects.order_by("sequence"))[before:]
    assert [(e.action, e.object_type, e.outcome) for e in events] == [
        ("update", "result_note", "refused")
    ]


def test_removing_without_confirming_is_refused_and_keeps_the_note(course: World) -> None:
    note = ResultNote.objects.create(patient=course.patient_a, topic=PHQ9_TOPIC, text="ok")
    before = AuditEvent.objects.count()
    url = reverse("portal:own_result_note_remove", args=[note.public_id])
    response = course.client_for("patient_a").post(url, {})
    assert response.status_code == 400
    assert "Bevestig dat je deze notitie wilt weghalen." in response.content.decode()
    assert ResultNote.objects.filter(pk=note.pk).exists()
    events = list(AuditEvent.objects.order_by("sequence"))[before:]
    assert [(e.action, e.object_type, e.outcome) for e in events] == [
        ("delete", "result_note", "refused")
    ]

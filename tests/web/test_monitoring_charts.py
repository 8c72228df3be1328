"""Feedback charts (issue 14 items 5 and 6): the patient's daily-life charts, pairings
and questionnaire course as Vega-Lite in the page and in a PDF, the patient's notes on
days ("what happened here?") as marks on the charts and in the list for patient and
clinician, changed and removed by the patient only, and the clinician's page within a
fixed number of queries."""

from __future__ import annotations

import io
import uuid
from datetime import datetime, time, timedelta
from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from pypdf import PdfReader

from maatwerk.core.monitoring.chart_specs import Spec
from maatwerk.web.audit.models import AuditEvent
from maatwerk.web.monitoring.chart_render import chart_svg
from maatwerk.web.monitoring.models import Channel, MonitoringSchedule, Prompt, PromptState
from maatwerk.web.ownresults.models import DAY_TOPIC, ResultNote
from tests.web.test_own_results import phq9_completed
from tests.web.world import World

PAGE = "/portal/results/"
NOTE = "/portal/results/notes/"
ITEMS = [{"key": "bank:pain"}, {"key": "bank:physical_activity"}, {"key": "bank:mood_cheerful"}]


def _answer(schedule: MonitoringSchedule, at: datetime, answers: dict[str, Any]) -> None:
    Prompt.objects.create(
        schedule=schedule,
        patient=schedule.patient,
        kind=Prompt.Kind.EMA,
        key=f"test:{uuid.uuid4()}",
        due_at=at - timedelta(minutes=5),
        expires_at=at + timedelta(minutes=30),
        answered_at=at,
        answers=answers,
        state=PromptState.ANSWERED,
        channel=Channel.FILE,
    )


@pytest.fixture
def answered(world: World) -> World:
    """Patient A answered three times a day on days -6..-1 (none on day -3): morning
    inactive, midday active, evening inactive; mood rises after the active period."""
    schedule = MonitoringSchedule.objects.create(
        patient=world.patient_a, kind=MonitoringSchedule.Kind.EMA, items=ITEMS
    )
    today = timezone.localdate()
    for days_ago in (6, 5, 4, 2, 1):
        day = today - timedelta(days=days_ago)
        base = datetime.combine(day, time(9), tzinfo=timezone.get_current_timezone())
        for hour, activity, mood in ((0, 1, 30), (4, 8, 60), (9, 2, 50)):
            _answer(
                schedule,
                base + timedelta(hours=hour),
                {
                    "bank:pain": 40 + days_ago * 5,
                    "bank:physical_activity": activity,
                    "bank:mood_cheerful": mood,
                },
            )
    return world


def world_note(world: World) -> ResultNote:
    """A note of patient A on their PSK (made directly, so that making it writes no audit
    event), for the authorization matrix and the audit coverage."""
    found = ResultNote.objects.filter(patient=world.patient_a, text="world").first()
    if found is not None:
        return found
    return ResultNote.objects.create(
        patient=world.patient_a, topic=f"measure:{world.psk_set.public_id}", text="world"
    )


def _events_since(before: int) -> list[tuple[str, str, str]]:
    return [
        (e.action, e.object_type, e.outcome)
        for e in list(AuditEvent.objects.order_by("sequence"))[before:]
    ]


def _layer_values(spec: Spec, index: int) -> list[Any]:
    layer = spec["layer"]
    assert isinstance(layer, list)
    found = layer[index]
    assert isinstance(found, dict) and isinstance(found["data"], dict)
    values = found["data"]["values"]
    assert isinstance(values, list)
    return values


def test_the_patient_sees_daily_charts_and_pairings_with_a_text_alternative(
    answered: World,
) -> None:
    response = answered.client_for("patient_a").get(PAGE, HTTP_ACCEPT_LANGUAGE="nl")
    assert response.status_code == 200
    html = response.content.decode()
    page = response.context["page"]
    assert [c.title for c in page.daily] == [
        "Hoeveel pijn heb je nu?",
        "Hoe actief was je sinds de vorige vraag?",
        "Ik voel me vrolijk.",
    ]
    pain = page.daily[0]
    # Days -6, -5, -4, -2, -1 answered: 5 of 28 days, the mean per day in the table.
    assert "je hebt op 5 van de 28 dagen geantwoord" in pain.summary
    assert pain.rows[0][1] == "70"
    values = _layer_values(pain.spec, 0)
    assert len(values) == 28 and [v["value"] for v in values[-4:]] == [None, 50, 45, None]
    assert [c.key for c in page.pairings] == ["pairing-pain-activity", "pairing-mood-activity"]
    mood = page.pairings[1]
    # One active period a day (midday, activity 8 of 10): mood 30 before and 60 after.
    assert len(mood.rows) == 5 and mood.rows[0][1:] == ("30", "60", "8")
    assert "gemiddeld 30 ervoor en 60 erna" in mood.summary
    for chart in (*page.daily, *page.pairings):
        assert f'data-vega-spec="spec-{chart.key}"' in html
        assert f'id="spec-{chart.key}" type="application/json"' in html
    assert html.count("<table>") >= 5  # every chart has its numbers in a table
    assert "vendor/vega-interpreter.js" in html and "<script>" not in html


def test_a_note_on_a_day_is_a_mark_on_the_charts_and_in_both_lists(answered: World) -> None:
    patient = answered.client_for("patient_a")
    day = timezone.localdate() - timedelta(days=2)
    before = AuditEvent.objects.count()
    response = patient.post(NOTE, {"topic": DAY_TOPIC, "day": day.isoformat(), "text": "Ruzie"})
    assert response.status_code == 302
    assert _events_since(before) == [("create", "result_note", "success")]
    page = patient.get(PAGE).context["page"]
    assert [(n.day, n.text, n.editable) for n in page.day_notes] == [(day, "Ruzie", True)]
    marks = _layer_values(page.daily[0].spec, 2)
    assert [(m["day"], m["note"]) for m in marks] == [(day.isoformat(), "Ruzie")]
    clinician = answered.client_for("clinician_treating")
    url = reverse("monitoring:patient", args=[answered.patient_a.public_id])
    html = clinician.get(url).content.decode()
    assert "Ruzie" in html and "spec-daily-0" in html
    assert reverse("portal:own_result_note_change", args=["x"]).rsplit("x", 1)[0] not in html


def test_the_answering_app_points_to_where_the_notes_are(answered: World) -> None:
    """The answering app's charts show the triangles but not the notes: their text says
    where the notes are and links there; pages that list the notes keep saying so."""
    day = timezone.localdate() - timedelta(days=2)
    ResultNote.objects.create(
        patient=answered.patient_a, topic=DAY_TOPIC, day=day, text="Slecht geslapen"
    )
    patient = answered.client_for("patient_a")
    mine = patient.get(reverse("monitoring:mine"), HTTP_ACCEPT_LANGUAGE="nl")
    html = mine.content.decode()
    assert 'class="chart-notes"' not in html  # only the marks: no list of notes here
    assert "op deze pagina" not in html
    assert f'href="{reverse("portal:own_results")}#day-notes"' in html
    assert "Lees je notities op de pagina Mijn uitslagen" in html
    results = patient.get(PAGE, HTTP_ACCEPT_LANGUAGE="nl").content.decode()
    assert 'id="day-notes"' in results and "Slecht geslapen" in results
    assert "De notities staan in de lijst met notities op deze pagina" in results


def test_the_patient_changes_and_removes_their_note_and_nobody_else_can(
    answered: World,
) -> None:
    day = timezone.localdate() - timedelta(days=1)
    note = ResultNote.objects.create(
        patient=answered.patient_a, topic=DAY_TOPIC, day=day, text="Slecht geslapen"
    )
    change = reverse("portal:own_result_note_change", args=[note.public_id])
    remove = reverse("portal:own_result_note_remove", args=[note.public_id])
    other = answered.client_for("patient_b")
    before = AuditEvent.objects.count()
    assert other.get(change).status_code == 404
    assert other.post(change, {"day": day.isoformat(), "text": "van mij"}).status_code == 404
    assert other.post(remove, {"confirm": "on"}).status_code == 404
    assert [outcome for *_, outcome in _events_since(before)] == ["denied"] * 3
    assert answered.client_for("clinician_treating").post(
        remove, {"confirm": "on"}
    ).status_code in (
        403,
        404,
    )
    patient = answered.client_for("patient_a")
    assert "Slecht geslapen" in patient.get(change).content.decode()
    before = AuditEvent.objects.count()
    earlier = day - timedelta(days=1)
    response = patient.post(change, {"day": earlier.isoformat(), "text": "Heel slecht geslapen"})
    assert response.status_code == 302
    note.refresh_from_db()
    assert (note.text, note.day) == ("Heel slecht geslapen", earlier)
    assert note.changed_at is not None
    assert patient.post(remove, {"confirm": "on"}).status_code == 302
    assert not ResultNote.objects.filter(pk=note.pk).exists()
    assert _events_since(before) == [
        ("update", "result_note", "success"),
        ("delete", "result_note", "success"),
    ]


def test_the_questionnaire_course_has_its_reliable_change_band(world: World) -> None:
    phq9_completed(world, "patient_a", 2, days_ago=42)
    phq9_completed(world, "patient_a", 1, days_ago=1)
    page = world.client_for("patient_a").get(PAGE).context["page"]
    chart = page.scales[0].chart
    band = _layer_values(chart.spec, 0)[0]
    # Around the first score (16), inside the scale 0..27, from the PHQ-9's own SD and
    # reliability in its instrument file (the core's minimal reliable difference).
    assert band["lower"] < 16 < band["upper"] <= 27
    assert [v["value"] for v in _layer_values(chart.spec, 1)] == [16, 8]
    assert "De gekleurde strook loopt van" in chart.summary


def test_the_pdfs_draw_the_same_charts_and_are_audited(answered: World) -> None:
    phq9_completed(answered, "patient_a", 2, days_ago=20)
    patient = answered.client_for("patient_a")
    before = AuditEvent.objects.count()
    response = patient.get(reverse("portal:own_results_pdf"), HTTP_ACCEPT_LANGUAGE="nl")
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    text = "".join(page.extract_text() for page in PdfReader(io.BytesIO(response.content)).pages)
    assert "Hoeveel pijn heb je nu?" in text and "Pijn en activiteit per dag" in text
    assert _events_since(before) == [("print", "questionnaire_results", "success")]
    clinician = answered.client_for("clinician_treating")
    url = reverse("monitoring:patient_pdf", args=[answered.patient_a.public_id])
    before = AuditEvent.objects.count()
    response = clinician.get(url, HTTP_ACCEPT_LANGUAGE="nl")
    assert response.status_code == 200 and response.content.startswith(b"%PDF")
    assert _events_since(before) == [("print", "monitoring_overview", "success")]
    other = answered.client_for("clinician_other_org")
    assert other.get(url).status_code == 404


def test_the_server_draws_the_specification_as_svg(answered: World) -> None:
    page = answered.client_for("patient_a").get(PAGE).context["page"]
    svg = chart_svg(page.daily[0].spec)
    assert svg.startswith("<svg") and "Gemiddelde" in svg  # the axis title, drawn as text


def _queries(client: Any, url: str) -> int:
    with CaptureQueriesContext(connection) as context:
        assert client.get(url).status_code == 200
    return len(context)


def test_the_chart_pages_keep_their_query_count(answered: World) -> None:
    """A fixed number of queries, whatever the number of charts, answers and notes."""
    phq9_completed(answered, "patient_a", 2, days_ago=20)
    patient = answered.client_for("patient_a")
    clinician = answered.client_for("clinician_treating")
    clinic_url = reverse("monitoring:patient", args=[answered.patient_a.public_id])
    patient.get(PAGE)
    clinician.get(clinic_url)
    first = (_queries(patient, PAGE), _queries(clinician, clinic_url))
    assert first[0] <= 30 and first[1] <= 40
    schedule = MonitoringSchedule.objects.get(patient=answered.patient_a)
    for days_ago in range(7, 20):
        at = timezone.now() - timedelta(days=days_ago)
        _answer(schedule, at, {"bank:pain": 50, "bank:physical_activity": 6})
        ResultNote.objects.create(
            patient=answered.patient_a, topic=DAY_TOPIC, day=at.date(), text="notitie"
        )
    phq9_completed(answered, "patient_a", 1, days_ago=2)
    assert (_queries(patient, PAGE), _queries(clinician, clinic_url)) == first

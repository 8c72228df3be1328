"""Mijn uitslagen (issue 12 item 7): the patient sees their own scores and course in
plain words, beside their personal measures, and adds their own notes."""

from __future__ import annotations

import re
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
from django.urls import reverse
from django.utils import timezone

from maatwerk.core.instruments.registry import get_instrument
from maatwerk.web.audit.models import AuditEvent
from maatwerk.web.common.actor import actor_for_user
from maatwerk.web.ownresults.models import ResultNote
from maatwerk.web.personalized.models import Measurement, MeasurementValue
from maatwerk.web.questionnaires.models import Assignment
from maatwerk.web.questionnaires.services import assignment_record_completed
from tests.web.world import World

PAGE = "/portal/results/"
NOTE = "/portal/results/notes/"
PHQ9_TOPIC = "scale:phq9:total"


def phq9_completed(world: World, patient_key: str, value_per_item: int, days_ago: int) -> None:
    """A PHQ-9 of the patient, scored by the real scoring service."""
    patient = getattr(world, patient_key)
    assignment = Assignment.objects.create(
        patient=patient,
        instrument_code="phq9",
        instrument_version=get_instrument("phq9").version,
        assigned_by=world.memberships["clinician_treating"],
    )
    assignment_record_completed(
        actor=actor_for_user(world.users["clinician_treating"], access_point="test"),
        assignment=assignment,
        answers={f"phq9_{n}": value_per_item if n != 9 else 0 for n in range(1, 10)},
        completed_at=timezone.now() - timedelta(days=days_ago),
    )


@pytest.fixture
def course(world: World) -> World:
    # 8 x 2 = 16 (moderately severe) six weeks ago, then 8 x 1 = 8 (mild) now: 8 points
    # lower, more than the PHQ-9's reliable change threshold.
    phq9_completed(world, "patient_a", 2, days_ago=42)
    phq9_completed(world, "patient_a", 1, days_ago=1)
    return world


def test_the_patient_sees_their_phq9_course_in_plain_words(course: World) -> None:
    response = course.client_for("patient_a").get(PAGE)
    assert response.status_code == 200
    page = response.content.decode()
    assert "Vragenlijst over somberheid" in page  # the patient name, not the code
    assert "phq9" not in page.replace(PHQ9_TOPIC, "")  # the code only as the form's topic
    assert "Je laatste score: 8 (de schaal loopt van 0 tot 27)." in page
    assert "Dat betekent: mild." in page
    assert "Het gaat beter dan de eerste keer." in page
    assert "Hoe hoger de score, hoe meer klachten." in page
    # The course as a Vega-Lite chart with a text alternative: a summary and the table.
    assert 'data-vega-spec="spec-course-0"' in page and 'id="spec-course-0"' in page
    assert '<caption class="visually-hidden">' in page and "de schaal loopt van 0 tot 27" in page
    event = AuditEvent.objects.order_by("-sequence").first()
    assert event is not None
    assert (event.action, event.object_type, event.outcome) == (
        "read",
        "questionnaire_results",
        "success",
    )
    assert event.patient_ref == str(course.patient_a.public_id)


def test_a_worse_score_is_said_plainly(world: World) -> None:
    phq9_completed(world, "patient_a", 0, days_ago=30)
    phq9_completed(world, "patient_a", 2, days_ago=1)
    page = world.client_for("patient_a").get(PAGE).content.decode()
    assert "Het gaat slechter dan de eerste keer." in page
    assert "Bespreek het met je zorgverlener." in page


def test_the_first_score_says_it_is_the_first_time(world: World) -> None:
    phq9_completed(world, "patient_a", 1, days_ago=1)
    page = world.client_for("patient_a").get(PAGE).content.decode()
    assert "Dit is de eerste keer." in page


def test_a_patient_never_sees_another_patients_results(course: World) -> None:
    page = course.client_for("patient_b").get(PAGE).content.decode()
    assert "Je laatste score" not in page
    assert "Je hebt nog geen vragenlijst afgerond." in page
    # and cannot write a note on patient A's result
    before = ResultNote.objects.count()
    response = course.client_for("patient_b").post(
        NOTE, {"topic": PHQ9_TOPIC, "text": "niet van mij"}
    )
    assert response.status_code == 400
    assert ResultNote.objects.count() == before


@pytest.mark.parametrize("role", ["clinician_treating", "anonymous", "org_admin"])
def test_the_page_is_for_patients_only(course: World, role: str) -> None:
    response = course.client_for(role).get(PAGE)
    assert response.status_code in (302, 404)
    assert "Je laatste score" not in response.content.decode()


def test_the_patient_adds_a_note_to_a_result(course: World) -> None:
    client = course.client_for("patient_a")
    before = AuditEvent.objects.count()
    response = client.post(NOTE, {"topic": PHQ9_TOPIC, "text": "  Wandelen hielp.  "})
    assert response.status_code == 302
    note = ResultNote.objects.get(patient=course.patient_a)
    assert (note.topic, note.text) == (PHQ9_TOPIC, "Wandelen hielp.")
    events = list(AuditEvent.objects.order_by("sequence"))[before:]
    assert [(e.action, e.object_type, e.outcome) for e in events] == [
        ("create", "result_note", "success")
    ]
    assert "Wandelen hielp." in client.get(PAGE).content.decode()


def test_personal_measures_are_shown_beside_the_questionnaires(course: World) -> None:
    items = list(course.psk_set.items.order_by("position"))
    for days_ago, ratings in ((30, [8, 6, 5]), (1, [5, 6, 7])):
        measurement = Measurement.objects.create(
            measure_set=course.psk_set,
            measured_on=timezone.localdate() - timedelta(days=days_ago),
            entered_by=course.users["patient_a"],
            score=sum(ratings),
        )
        for item, rating in zip(items, ratings, strict=True):
            MeasurementValue.objects.create(measurement=measurement, item=item, value=rating)
    page = course.client_for("patient_a").get(PAGE).content.decode()
    assert "Patiënt Specifieke Klachten" in page
    assert "traplopen" in page and "3 punten beter dan de eerste keer." in page
    assert "fietsen" in page and "2 punten slechter dan de eerste keer." in page
    response = course.client_for("patient_a").post(
        NOTE, {"topic": f"measure:{course.psk_set.public_id}", "text": "Fietsen ging zwaar."}
    )
    assert response.status_code == 302


def test_the_page_takes_a_fixed_number_of_queries(
    course: World, django_assert_max_num_queries: Any
) -> None:
    client = course.client_for("patient_a")
    client.post(NOTE, {"topic": PHQ9_TOPIC, "text": "een"})
    client.get(PAGE)
    # 26 on the day this was written, whatever the number of results and notes; 18 after
    # the write-path work, then one more (19) for the patient's open safety signals, read
    # in one query with whether they have a safety plan (the page leads with them).
    with django_assert_max_num_queries(30):
        assert client.get(PAGE).status_code == 200
    phq9_completed(course, "patient_a", 1, days_ago=0)
    phq9_completed(course, "patient_a", 0, days_ago=0)
    client.post(NOTE, {"topic": PHQ9_TOPIC, "text": "twee"})
    with django_assert_max_num_queries(30):
        assert client.get(PAGE).status_code == 200


def test_patient_texts_can_be_read_aloud_only_with_the_browsers_speech(course: World) -> None:
    # Issue 12 item 8: the server sends no button (without JavaScript there is nothing to
    # press); the script adds one to each marked text when the browser can speak, in Dutch.
    page = course.client_for("patient_a").get(PAGE).content.decode()
    assert "data-read-aloud>" in page
    assert 'class="secondary read-aloud"' not in page
    assert 'data-label="Lees voor" data-stop="Stop met voorlezen"' in page
    script = (Path(__file__).parents[2] / "src/maatwerk/web/static/js/read-aloud.js").read_text()
    assert '"nl-NL"' in script and '"speechSynthesis" in window' in script


def test_the_page_in_english(course: World) -> None:
    course.users["patient_a"].language = "en"
    course.users["patient_a"].save(update_fields=["language"])
    page = course.client_for("patient_a").get(PAGE).content.decode()
    assert "Your latest score: 8 (the scale runs from 0 to 27)." in page
    assert "That means: mild." in page
    assert "It goes better than the first time." in page


def _status(response: object) -> str:
    """The page's status region (Django messages, role="status") after a redirect."""
    html = response.content.decode()  # type: ignore[attr-defined]
    found = re.search(r'<div class="messages" role="status">(.*?)</div>', html, re.S)
    assert found is not None, "no confirmation after saving"
    return found.group(1)


def test_saving_changing_and_removing_a_note_is_confirmed(course: World) -> None:
    client = course.client_for("patient_a")
    client.cookies["django_language"] = "en"
    added = client.post(NOTE, {"topic": PHQ9_TOPIC, "text": "Wandelen hielp."}, follow=True)
    assert "Your note is saved." in _status(added)
    note = ResultNote.objects.get(patient=course.patient_a)
    url = reverse("portal:own_result_note_change", args=[note.public_id])
    changed = client.post(url, {"text": "Fietsen hielp."}, follow=True)
    assert "Your note is changed." in _status(changed)
    removed = client.post(
        reverse("portal:own_result_note_remove", args=[note.public_id]),
        {"confirm": "on"},
        follow=True,
    )
    assert "Your note is removed." in _status(removed)

"""The clinician's monitoring pages agree: the patient page and the caseload count the
questionnaires filled in and late by one definition, over one labelled window, and the
count filled in matches the points on the course chart below it."""

from __future__ import annotations

import uuid
from datetime import timedelta

from django.urls import reverse
from django.utils import timezone

from maatwerk.web.monitoring.models import Channel, MonitoringSchedule, Prompt, PromptState
from maatwerk.web.monitoring.selectors import ROM_LOOKBACK_DAYS
from maatwerk.web.questionnaires.models import Assignment
from tests.web.test_own_results import phq9_completed
from tests.web.world import World


def _rom_prompt(
    schedule: MonitoringSchedule, *, days_ago: int, assignment: Assignment | None = None
) -> Prompt:
    due = timezone.now() - timedelta(days=days_ago)
    return Prompt.objects.create(
        schedule=schedule,
        patient=schedule.patient,
        kind=Prompt.Kind.ROM,
        instrument="phq9",
        key=f"test:{uuid.uuid4()}",
        due_at=due,
        expires_at=due + timedelta(days=2),
        state=PromptState.SENT,
        channel=Channel.FILE,
        assignment=assignment,
    )


def test_the_patient_page_and_the_caseload_give_the_same_counts(world: World) -> None:
    # Three PHQ-9s filled in through questionnaire assignments in the window, one older.
    for days_ago in (20, 10, 2):
        phq9_completed(world, "patient_a", 2, days_ago=days_ago)
    phq9_completed(world, "patient_a", 1, days_ago=ROM_LOOKBACK_DAYS + 10)
    schedule = MonitoringSchedule.objects.create(
        patient=world.patient_a, kind=MonitoringSchedule.Kind.ROM, channel=Channel.FILE
    )
    # Two late in the window, one late before it; one whose questionnaire was filled in
    # (its prompt not yet closed by the periodic run) is not late.
    _rom_prompt(schedule, days_ago=3)
    _rom_prompt(schedule, days_ago=9)
    _rom_prompt(schedule, days_ago=ROM_LOOKBACK_DAYS + 5)
    done = Assignment.objects.filter(
        patient=world.patient_a, status=Assignment.Status.COMPLETED
    ).latest("completed_at")
    _rom_prompt(schedule, days_ago=2, assignment=done)

    clinician = world.client_for("clinician_treating")
    response = clinician.get(
        reverse("monitoring:patient", args=[world.patient_a.public_id]),
        HTTP_ACCEPT_LANGUAGE="nl",
    )
    page = response.context["page"]
    assert (page.rom.done, page.rom.overdue) == (3, 2)
    html = response.content.decode()
    assert "3 vragenlijsten ingevuld in de afgelopen 4 weken" in html
    assert "2 vragenlijsten te laat in de afgelopen 4 weken" in html

    caseload = clinician.get(reverse("monitoring:caseload"), HTTP_ACCEPT_LANGUAGE="nl")
    rows = caseload.context["page"].overdue
    assert [(r.patient_name, r.rom_overdue) for r in rows] == [(world.patient_a.full_name, 2)]
    assert "in de afgelopen 4 weken" in caseload.content.decode()

    # The course chart has a point for each of them, and the older one.
    course = next(c for c in page.charts.courses if "PHQ-9" in c.title)
    assert len(course.rows) == page.rom.done + 1


def test_a_questionnaire_filled_in_in_the_consult_counts_as_filled_in(world: World) -> None:
    phq9_completed(world, "patient_a", 1, days_ago=1)
    MonitoringSchedule.objects.create(
        patient=world.patient_a, kind=MonitoringSchedule.Kind.ROM, channel=Channel.FILE
    )
    clinician = world.client_for("clinician_treating")
    url = reverse("monitoring:patient", args=[world.patient_a.public_id])
    page = clinician.get(url).context["page"]
    assert (page.rom.done, page.rom.overdue) == (1, 0)
    assert clinician.get(reverse("monitoring:caseload")).context["page"].overdue == ()

"""The feedback charts in a real browser under the app's own Content-Security-Policy
(no 'unsafe-eval', no inline script): Vega draws each Vega-Lite chart as SVG with the
patient's note as a mark, the patient adds a note on a day from the chart page, and axe
finds no serious or critical violation."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime, time, timedelta

import pytest
from playwright.sync_api import BrowserContext, expect

from tests.e2e.conftest import Person, assert_accessible, log_in

pytestmark = pytest.mark.e2e

RESULTS = "/portal/results/"


def _answers(patient: Person) -> None:
    """Five days of answers, three a day."""
    import uuid

    from django.utils import timezone

    from maatwerk.web.monitoring.models import Channel, MonitoringSchedule, Prompt, PromptState
    from maatwerk.web.patients.models import Patient

    record = Patient.objects.get(user__email=patient.email)
    schedule = MonitoringSchedule.objects.create(
        patient=record,
        kind=MonitoringSchedule.Kind.EMA,
        items=[
            {"key": "bank:pain"},
            {"key": "bank:physical_activity"},
            {"key": "bank:mood_cheerful"},
        ],
        channel=Channel.FILE,
    )
    today = timezone.localdate()
    for days_ago in range(1, 6):
        day = today - timedelta(days=days_ago)
        for hour, activity in ((9, 1), (13, 8), (18, 2)):
            at = datetime.combine(day, time(hour), tzinfo=timezone.get_current_timezone())
            Prompt.objects.create(
                schedule=schedule,
                patient=record,
                kind=Prompt.Kind.EMA,
                key=f"e2e:{uuid.uuid4()}",
                due_at=at,
                expires_at=at + timedelta(hours=1),
                answered_at=at + timedelta(minutes=3),
                answers={
                    "bank:pain": 70 - 5 * activity,
                    "bank:physical_activity": activity,
                    "bank:mood_cheerful": 30 + 4 * activity,
                },
                state=PromptState.ANSWERED,
                channel=Channel.FILE,
            )


def test_the_charts_draw_under_the_csp_and_a_note_on_a_day_becomes_a_mark(
    new_context: Callable[..., BrowserContext],
    make_clinician: Callable[..., Person],
    make_patient_in_care: Callable[..., Person],
) -> None:
    clinician = make_clinician()
    patient = make_patient_in_care(clinician)
    _answers(patient)

    # The app's own policy, enforced: any violation or script error would show here.
    page = new_context(csp_enforced=True).new_page()
    problems: list[str] = []
    page.on("console", lambda m: problems.append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda error: problems.append(str(error)))
    log_in(page, patient.email, patient.password)
    page.goto(RESULTS)
    charts = page.locator("main figure.feedback-chart.vega-drawn svg[role=img]")
    expect(charts).to_have_count(5)  # three daily lines and two pairings
    # Each point of the pain line is drawn (one symbol per day with answers).
    expect(page.locator("#title-daily-0")).to_have_text("Hoeveel pijn heb je nu?")

    day = page.locator("#day-note-day")
    yesterday = page.evaluate("() => document.getElementById('day-note-day').max")
    day.fill(yesterday)
    page.fill("#day-note-text", "Lange wandeling gemaakt")
    page.click("#day-notes button[type=submit]")
    expect(page.locator("#day-notes .chart-notes")).to_contain_text("Lange wandeling gemaakt")
    expect(charts).to_have_count(5)
    # The note's mark: a dashed rule and a triangle on each daily line.
    marks = page.locator("figure[data-vega-spec=spec-daily-0] svg path[aria-roledescription]")
    assert marks.count() >= 1
    assert problems == []

    axe = new_context().new_page()
    log_in(axe, patient.email, patient.password)
    axe.goto(RESULTS)
    expect(axe.locator("main figure.feedback-chart.vega-drawn").first).to_be_visible()
    assert_accessible(axe, "the patient's charts with a note")

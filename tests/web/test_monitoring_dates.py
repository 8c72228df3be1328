"""Dates written short: Dutch writes the month abbreviation in lower case ("ma 7 dec"),
English capitalizes it ("Mon 7 Dec"). Django's ``M`` capitalizes in every language, so
the pages use the named ``MONTH_DAY_FORMAT`` of the project's format modules."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from maatwerk.web.monitoring.models import MonitoringSchedule
from maatwerk.web.ownresults.models import DAY_TOPIC, ResultNote
from tests.web.world import World

pytestmark = pytest.mark.django_db

# Written out here rather than taken from Django, so the test fails when the format
# changes: Dutch weekday and month abbreviations are lower case.
DUTCH_DAYS = ("ma", "di", "wo", "do", "vr", "za", "zo")
DUTCH_MONTHS = ("jan", "feb", "mrt", "apr", "mei", "jun", "jul", "aug", "sep", "okt", "nov", "dec")
ENGLISH_DAYS = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")
ENGLISH_MONTHS = (
    "Jan",
    "Feb",
    "Mar",
    "Apr",
    "May",
    "Jun",
    "Jul",
    "Aug",
    "Sep",
    "Oct",
    "Nov",
    "Dec",
)


def _dutch(day: date) -> str:
    return f"{DUTCH_DAYS[day.weekday()]} {day.day} {DUTCH_MONTHS[day.month - 1]}"


def _english(day: date) -> str:
    return f"{ENGLISH_DAYS[day.weekday()]} {day.day} {ENGLISH_MONTHS[day.month - 1]}"


@pytest.mark.parametrize("language", ["nl", "en"])
def test_the_monitoring_page_writes_a_day_as_its_language_does(world: World, language: str) -> None:
    MonitoringSchedule.objects.create(
        patient=world.patient_a,
        kind=MonitoringSchedule.Kind.EMA,
        items=[{"key": "bank:pain"}],
    )
    day = timezone.localdate() - timedelta(days=3)
    ResultNote.objects.create(patient=world.patient_a, topic=DAY_TOPIC, day=day, text="Druk")
    world.users["clinician_treating"].language = language
    world.users["clinician_treating"].save(update_fields=["language"])
    url = reverse("monitoring:patient", args=[world.patient_a.public_id])
    html = world.client_for("clinician_treating").get(url).content.decode()
    expected = _dutch(day) if language == "nl" else _english(day)
    assert f"<strong>{expected}</strong>: Druk" in html
    # The table of days writes every day the same way.
    assert f'<th scope="row">{expected}</th>' in html
    if language == "nl":  # never the capitalized month ("7 Dec") on a Dutch page
        assert f"{day.day} {ENGLISH_MONTHS[day.month - 1]}" not in html

"""Dates are written day first in both languages: Dutch "7 december 2026" and
"07-12-2026", English (as used in the Netherlands, British style) "7 Dec 2026" and
"07/12/2026" - never Django's American "Dec. 7, 2026" or "12/07/2026"."""

from __future__ import annotations

import io
from datetime import UTC, date, datetime, timedelta

import pytest
from django.urls import reverse
from django.utils import formats, timezone, translation
from pypdf import PdfReader

from maatwerk.web.ownresults.models import ResultNote
from maatwerk.web.questionnaires.models import Assignment
from tests.web.test_monitoring_dates import ENGLISH_MONTHS
from tests.web.test_results_change_rule import phq9_v1
from tests.web.world import World

pytestmark = pytest.mark.django_db

# Written out here rather than taken from Django, so the test fails when a format changes.
DUTCH_MONTHS = (
    "januari",
    "februari",
    "maart",
    "april",
    "mei",
    "juni",
    "juli",
    "augustus",
    "september",
    "oktober",
    "november",
    "december",
)


@pytest.mark.parametrize(
    ("language", "long", "short"),
    [
        ("nl", "7 december 2026", "07-12-2026"),
        ("en", "7 Dec 2026", "07/12/2026"),
    ],
)
def test_the_formats_are_day_first(language: str, long: str, short: str) -> None:
    day = date(2026, 12, 7)
    with translation.override(language):
        assert formats.date_format(day, "DATE_FORMAT") == long
        assert formats.date_format(day, "SHORT_DATE_FORMAT") == short
        moment = datetime(2026, 12, 7, 14, 30, tzinfo=UTC)
        assert (
            formats.date_format(moment, "SHORT_DATETIME_FORMAT", use_l10n=True) == f"{short} 14:30"
        )


def speaks(world: World, user: str, language: str) -> None:
    """The interface language is the user's own choice."""
    world.users[user].language = language
    world.users[user].save(update_fields=["language"])


def _short(day: date, separator: str) -> str:
    return f"{day.day:02d}{separator}{day.month:02d}{separator}{day.year}"


@pytest.mark.parametrize(("language", "separator"), [("nl", "-"), ("en", "/")])
def test_the_clinicians_results_page_writes_its_dates_day_first(
    world: World, language: str, separator: str
) -> None:
    speaks(world, "clinician_treating", language)
    phq9_v1(world, [1] * 8 + [0], days_ago=20)
    done = (
        Assignment.objects.filter(patient=world.patient_a, instrument_version="1.0")
        .latest("completed_at")
        .completed_at
    )
    assert done is not None
    html = (
        world.client_for("clinician_treating")
        .get(
            reverse("clinic:patient_results", args=[world.patient_a.public_id]),
        )
        .content.decode()
    )
    assert _short(timezone.localdate(done), separator) in html


@pytest.mark.parametrize("language", ["nl", "en"])
def test_the_patients_pdf_says_when_it_was_printed_day_first(world: World, language: str) -> None:
    speaks(world, "patient_a", language)
    response = world.client_for("patient_a").get(reverse("portal:own_results_pdf"))
    text = " ".join(
        " ".join((page.extract_text() or "").split())
        for page in PdfReader(io.BytesIO(response.content)).pages
    )
    today = timezone.localdate()
    month = (DUTCH_MONTHS if language == "nl" else ENGLISH_MONTHS)[today.month - 1]
    assert f"{today.day} {month} {today.year}" in text


def test_a_notes_day_is_given_to_the_date_picker_as_an_iso_date(world: World) -> None:
    """A date picker reads only ISO dates: in Dutch, whose input format is day first,
    the day of a note being changed must still be shown in it."""
    phq9_v1(world, [1] * 8 + [0], days_ago=3)
    day = timezone.localdate() - timedelta(days=1)
    note = ResultNote.objects.create(
        patient=world.patient_a, topic="scale:phq9:total", text="Slecht geslapen", day=day
    )
    html = (
        world.client_for("patient_a")
        .get(reverse("portal:own_result_note_change", args=[note.public_id]))
        .content.decode()
    )
    assert f'value="{day.isoformat()}"' in html

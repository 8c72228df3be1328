"""The results pages list an instrument's total before its subscales, and each chart has
one accessible table (its text alternative) that keeps every column of the old table."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from maatwerk.web.common.actor import actor_for_user
from maatwerk.web.questionnaires.models import Assignment
from maatwerk.web.questionnaires.services import assignment_record_completed
from tests.web.test_own_results import phq9_completed
from tests.web.world import World

pytestmark = pytest.mark.django_db

PAGE = "/portal/results/"


def phq15_completed(world: World, days_ago: int) -> None:
    """A PHQ-15 of patient A (a woman), every item "a little bothered" (1): total 15,
    no item with a lot of bother."""
    assignment = Assignment.objects.create(
        patient=world.patient_a,
        instrument_code="phq15",
        instrument_version="1.0",
        assigned_by=world.memberships["clinician_treating"],
    )
    assignment_record_completed(
        actor=actor_for_user(world.users["clinician_treating"], access_point="test"),
        assignment=assignment,
        answers={f"phq15_{n}": 1 for n in range(1, 16)},
        completed_at=timezone.now() - timedelta(days=days_ago),
    )


def test_the_total_comes_before_the_subscales_on_every_results_page(world: World) -> None:
    phq15_completed(world, days_ago=10)
    phq15_completed(world, days_ago=1)
    own = world.client_for("patient_a").get(PAGE).context["page"]
    # "items_scored_2" sorts before "total" by its code; the instrument lists total first.
    assert [s.topic for s in own.scales] == ["scale:phq15:total", "scale:phq15:items_scored_2"]
    clinician = world.client_for("clinician_treating")
    results = clinician.get(f"/clinic/patients/{world.patient_a.public_id}/results/")
    assert [h.rows[0].scale_key for h in results.context["histories"]] == [
        ("phq15", "total"),
        ("phq15", "items_scored_2"),
    ]
    monitoring = clinician.get(reverse("monitoring:patient", args=[world.patient_a.public_id]))
    assert [c.topic for c in monitoring.context["page"].charts.courses] == [
        "scale:phq15:total",
        "scale:phq15:items_scored_2",
    ]


def test_each_chart_has_one_table_with_the_meaning_of_each_score(world: World) -> None:
    phq9_completed(world, "patient_a", 2, days_ago=42)  # 16: moderately severe
    phq9_completed(world, "patient_a", 1, days_ago=1)  # 8: mild
    response = world.client_for("patient_a").get(PAGE, HTTP_ACCEPT_LANGUAGE="nl")
    html = response.content.decode()
    section = re.search(r'<section class="card" aria-labelledby="scale-1".*?</section>', html, re.S)
    assert section is not None
    assert section.group(0).count("<table") == 1
    chart = response.context["page"].scales[0].chart
    assert chart.head == ("Datum", "Score", "Betekenis")
    assert [row[1:] for row in chart.rows] == [("16", "matig ernstig"), ("8", "mild")]
    clinician = world.client_for("clinician_treating")
    monitoring = clinician.get(reverse("monitoring:patient", args=[world.patient_a.public_id]))
    course = monitoring.context["page"].charts.courses[0]
    assert course.head == ("Datum", "Score", "Betekenis")
    assert course.rows == chart.rows

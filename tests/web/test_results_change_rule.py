"""Every results row judges change by the one rule the chart's band shows
(:func:`maatwerk.core.analysis.change.change_rule`): a scale without a norm SD, PHQ-9
1.0, is judged by the fixed IAPT threshold of 6 points on the patient's page, the
clinician's page and the patient's PDF, and the band is as wide as that threshold."""

from __future__ import annotations

import io
from typing import Any

import pytest
from django.urls import reverse
from pypdf import PdfReader

from tests.web.test_chart_norms import questionnaire_completed
from tests.web.world import World

pytestmark = pytest.mark.django_db

PAGE = "/portal/results/"
RULE_NL = "NHS Talking Therapies (IAPT): betrouwbare verandering bij 6 punten, caseness boven 9"


def phq9_v1(world: World, items: list[int], days_ago: int) -> None:
    """A PHQ-9 1.0 of patient A (no norm SD: the fixed threshold judges it)."""
    questionnaire_completed(world, "phq9", "1.0", items, days_ago)


def _drop(world: World, latest: list[int]) -> World:
    phq9_v1(world, [2, 2, 2, 2, 2, 2, 2, 2, 0], days_ago=30)  # 16: a case (above 9)
    phq9_v1(world, latest, days_ago=2)
    return world


@pytest.fixture
def seven_lower(world: World) -> World:
    return _drop(world, [2, 1, 1, 1, 1, 1, 1, 1, 0])  # 9: 7 points lower, no longer a case


@pytest.fixture
def five_lower(world: World) -> World:
    return _drop(world, [2, 2, 2, 1, 1, 1, 1, 1, 0])  # 11: 5 points lower, still a case


def _clinician_page(world: World, language: str = "nl") -> Any:
    world.users["clinician_treating"].language = language
    world.users["clinician_treating"].save(update_fields=["language"])
    return world.client_for("clinician_treating").get(
        reverse("clinic:patient_results", args=[world.patient_a.public_id])
    )


def _latest_row(response: Any) -> Any:
    return response.context["histories"][0].rows[-1]


def test_seven_points_lower_is_a_reliable_improvement_for_the_patient(seven_lower: World) -> None:
    page = seven_lower.client_for("patient_a").get(PAGE)
    course = page.context["page"].scales[0]
    assert course.course.startswith("Het gaat beter dan de eerste keer.")
    assert "Je score is ook over de grens gegaan" in course.course
    assert RULE_NL in course.rule
    assert "phq9" not in course.rule and "iapt_" not in course.rule


def test_seven_points_lower_is_a_reliable_improvement_for_the_clinician(
    seven_lower: World,
) -> None:
    response = _clinician_page(seven_lower)
    row = _latest_row(response)
    assert row.reliable_change == "reliable_improvement"
    assert row.clinical_significance is not None
    assert row.clinical_significance.category == "recovered"
    assert row.threshold_points == 6
    html = response.content.decode()
    assert "betrouwbare verbetering" in html
    assert RULE_NL in html
    assert "not available: no verified reliability" not in html
    assert "niet beschikbaar: geen geverifieerde betrouwbaarheid" not in html


def test_five_points_lower_is_no_reliable_change_on_both_pages(five_lower: World) -> None:
    course = five_lower.client_for("patient_a").get(PAGE).context["page"].scales[0]
    assert course.course.startswith("Ongeveer hetzelfde als de eerste keer.")
    row = _latest_row(_clinician_page(five_lower))
    assert row.reliable_change == "no_reliable_change"
    assert row.clinical_significance is not None
    assert row.clinical_significance.category == "unchanged"


def test_the_band_is_as_wide_as_the_verdicts_threshold(seven_lower: World) -> None:
    course = seven_lower.client_for("patient_a").get(PAGE).context["page"].scales[0]
    row = _latest_row(_clinician_page(seven_lower))
    band = course.chart.spec["layer"][0]["data"]["values"][0]
    assert band["upper"] - band["lower"] == 2 * row.threshold_points == 12


def test_the_patients_pdf_says_the_verdict_and_the_rule(seven_lower: World) -> None:
    response = seven_lower.client_for("patient_a").get(reverse("portal:own_results_pdf"))
    text = " ".join(
        " ".join((page.extract_text() or "").split())
        for page in PdfReader(io.BytesIO(response.content)).pages
    )
    assert "Het gaat beter dan de eerste keer." in text
    assert "NHS Talking Therapies (IAPT)" in text


def test_the_clinicians_rule_is_named_in_english(seven_lower: World) -> None:
    html = _clinician_page(seven_lower, "en").content.decode()
    assert "reliable improvement" in html
    assert "NHS Talking Therapies (IAPT): reliable change at 6 points, caseness above 9" in html


def test_the_clinicians_page_draws_the_same_chart_with_the_band(seven_lower: World) -> None:
    """The clinician's results page reuses the monitoring page's Vega-Lite course (drawn
    by the same CSP-safe script), so it shows the reliable-change band too."""
    response = _clinician_page(seven_lower)
    chart = response.context["histories"][0].chart
    patient = seven_lower.client_for("patient_a").get(PAGE).context["page"].scales[0].chart
    assert chart.spec["layer"][0]["data"] == patient.spec["layer"][0]["data"]
    html = response.content.decode()
    assert 'data-vega-spec="spec-course-0"' in html and 'id="spec-course-0"' in html
    assert "js/charts.js" in html and "<svg" not in html

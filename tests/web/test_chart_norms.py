"""The reliable-change band of a questionnaire chart uses the same norm as the verdict
(issue 14): the norm chosen for a patient without a sex, on the patient's own results
page, the clinician's monitoring page and the PDF, named in the chart's text."""

from __future__ import annotations

import io
from datetime import timedelta
from typing import Any

import pytest
from django.urls import reverse
from django.utils import timezone
from pypdf import PdfReader

from maatwerk.web.analysis.models import ChangeNormChoice
from maatwerk.web.common.actor import actor_for_user
from maatwerk.web.questionnaires.models import Assignment
from maatwerk.web.questionnaires.services import assignment_record_completed
from tests.web.world import World

pytestmark = pytest.mark.django_db

PAGE = "/portal/results/"


def questionnaire_completed(
    world: World, code: str, version: str, answers: list[int], days_ago: int
) -> None:
    """Patient A filled in ``code`` ``version`` ``days_ago`` days ago, scored by the service
    (item ids ``<code>_1`` … in order)."""
    assignment = Assignment.objects.create(
        patient=world.patient_a,
        instrument_code=code,
        instrument_version=version,
        assigned_by=world.memberships["clinician_treating"],
    )
    assignment_record_completed(
        actor=actor_for_user(world.users["clinician_treating"], access_point="test"),
        assignment=assignment,
        answers={f"{code}_{n}": value for n, value in enumerate(answers, start=1)},
        completed_at=timezone.now() - timedelta(days=days_ago),
    )


def gad7_completed(world: World, answers: list[int], days_ago: int) -> None:
    """A GAD-7 1.0 (norms only per sex: Löwe 2008) of patient A."""
    questionnaire_completed(world, "gad7", "1.0", answers, days_ago)


@pytest.fixture
def no_sex_men_norm(world: World) -> World:
    """Patient A's sex is unknown and the clinician chose the norm for men; GAD-7 went
    from 7 to 4 (3 points lower)."""
    world.patient_a.sex = "unknown"
    world.patient_a.save(update_fields=["sex"])
    ChangeNormChoice.objects.create(
        patient=world.patient_a, choice="male", chosen_by=world.users["clinician_treating"]
    )
    gad7_completed(world, [1] * 7, days_ago=30)
    gad7_completed(world, [1, 1, 1, 1, 0, 0, 0], days_ago=2)
    return world


def _band(chart: Any) -> dict[str, Any]:
    band = chart.spec["layer"][0]
    assert band["mark"]["type"] == "rect"
    values: list[dict[str, Any]] = band["data"]["values"]
    return values[0]


def test_the_band_uses_the_norm_chosen_for_a_patient_without_a_sex(
    no_sex_men_norm: World,
) -> None:
    """Men's SD 3.2, alpha 0.89: MRD = 1.96 x 3.2 x sqrt(0.22) = 2.941829, so around the
    first score 7 the band runs from 4.058171 to 9.941829 (with the conservative women's
    SD 3.5 it would be 3.217625 wide, and 4 would lie inside it). The 4 lies outside the
    band, and the verdict under the same norm is a reliable improvement."""
    world = no_sex_men_norm
    page = world.client_for("patient_a").get(PAGE, HTTP_ACCEPT_LANGUAGE="nl").context["page"]
    course = page.scales[0]
    band = _band(course.chart)
    assert (band["lower"], band["upper"]) == (pytest.approx(4.058171), pytest.approx(9.941829))
    assert course.course.startswith("Het gaat beter dan de eerste keer.")
    assert "De strook is berekend met de norm van Löwe et al. (2008), mannen." in (
        course.chart.summary
    )

    clinician = world.client_for("clinician_treating")
    url = reverse("monitoring:patient", args=[world.patient_a.public_id])
    monitoring = clinician.get(url, HTTP_ACCEPT_LANGUAGE="nl").context["page"]
    chart = monitoring.charts.courses[0]
    assert (_band(chart)["lower"], _band(chart)["upper"]) == (band["lower"], band["upper"])
    assert "De strook is berekend met de norm van Löwe et al. (2008), mannen." in chart.summary
    results = clinician.get(
        f"/clinic/patients/{world.patient_a.public_id}/results/", HTTP_ACCEPT_LANGUAGE="nl"
    )
    assert [row.reliable_change for h in results.context["histories"] for row in h.rows] == [
        "",
        "reliable_improvement",
    ]

    pdf = world.client_for("patient_a").get(
        reverse("portal:own_results_pdf"), HTTP_ACCEPT_LANGUAGE="nl"
    )
    text = "".join(p.extract_text() for p in PdfReader(io.BytesIO(pdf.content)).pages)
    assert "Löwe et al. (2008), mannen" in " ".join(text.split())


def test_without_a_choice_the_band_is_the_conservative_norms(no_sex_men_norm: World) -> None:
    ChangeNormChoice.objects.all().delete()
    page = no_sex_men_norm.client_for("patient_a").get(PAGE).context["page"]
    course = page.scales[0]
    band = _band(course.chart)
    assert (band["lower"], band["upper"]) == (pytest.approx(3.782375), pytest.approx(10.217625))
    assert course.course.startswith("Ongeveer hetzelfde als de eerste keer.")
    assert "Löwe et al. (2008), vrouwen" in course.chart.summary


def test_a_scale_without_a_norm_sd_has_the_fixed_threshold_band(world: World) -> None:
    """PHQ-9 1.0 has no norm SD: its change is judged by the IAPT threshold of 6 points
    (the monitoring content), so around the first score 16 the band runs from 10 to 22."""
    assignment = Assignment.objects.create(
        patient=world.patient_a,
        instrument_code="phq9",
        instrument_version="1.0",
        assigned_by=world.memberships["clinician_treating"],
    )
    assignment_record_completed(
        actor=actor_for_user(world.users["clinician_treating"], access_point="test"),
        assignment=assignment,
        answers={f"phq9_{n}": 2 if n != 9 else 0 for n in range(1, 10)},
        completed_at=timezone.now() - timedelta(days=2),
    )
    chart = world.client_for("patient_a").get(PAGE).context["page"].scales[0].chart
    assert (_band(chart)["lower"], _band(chart)["upper"]) == (10, 22)
    assert (
        "De strook is de vaste grens van 6 punten: NHS Talking Therapies (IAPT): "
        "betrouwbare verandering bij 6 punten, caseness boven 9"
    ) in chart.summary

"""Monitoring on the results page. A reliable deterioration from baseline (Jacobson–Truax;
PHQ-9 1.1 uses the clinical SD of Kroenke 2001, so a change of 6 points or more) is shown
with a link to the plan, and on the plan page it starts the reason for a revision or a step
up. Each later result also gets its clinical-significance category (cut-off c)."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from maatwerk.core.instruments.registry import get_instrument
from maatwerk.web.common.actor import actor_for_user
from maatwerk.web.questionnaires.models import Assignment
from maatwerk.web.questionnaires.services import assignment_record_completed
from tests.web.test_planning_revision import with_active_plan, with_revision
from tests.web.world import World

pytestmark = pytest.mark.django_db


def _phq9(world: World, totals: list[int]) -> None:
    """Completed PHQ-9s for patient A (a woman for the norm), one a month, item 9 at 0."""
    actor = actor_for_user(world.users["clinician_treating"], access_point="test")
    world.patient_a.sex = "female"
    world.patient_a.save(update_fields=["sex"])
    start = timezone.now() - timedelta(days=30 * len(totals))
    for month, total in enumerate(totals):
        answers = {f"phq9_{n}": 0 for n in range(1, 10)}
        for n in range(1, 9):
            answers[f"phq9_{n}"] = min(3, max(0, total - 3 * (n - 1)))
        assert sum(answers.values()) == total
        when = start + timedelta(days=30 * month)
        assignment = Assignment.objects.create(
            patient=world.patient_a,
            instrument_code="phq9",
            instrument_version=get_instrument("phq9").version,
            assigned_by=world.memberships["clinician_treating"],
            assigned_at=when - timedelta(days=1),
        )
        assignment_record_completed(
            actor=actor, assignment=assignment, answers=answers, completed_at=when
        )


def _results(world: World) -> str:
    return (
        world.client_for("clinician_treating")
        .get(f"/clinic/patients/{world.patient_a.public_id}/results/")
        .content.decode()
    )


def _plan(world: World) -> str:
    return (
        world.client_for("clinician_treating")
        .get(f"/plan/patients/{world.patient_a.public_id}/")
        .content.decode()
    )


def test_a_reliable_deterioration_is_flagged_with_a_link_to_the_plan(world: World) -> None:
    # 6 -> 9 -> 12: +6 from baseline, above 1.96 x 3.5 x sqrt(2) x sqrt(0.11) = 3.2.
    _phq9(world, [6, 9, 12])
    page = _results(world)
    assert "Monitoring: betrouwbaar slechter dan bij de start" in page
    assert "PHQ-9 totaalscore: 6 → 12" in page
    assert f"/plan/patients/{world.patient_a.public_id}/" in page


def test_a_deterioration_that_recovered_is_not_flagged(world: World) -> None:
    _phq9(world, [6, 12, 7])  # worse in between, now within 3.2 of baseline
    assert "betrouwbaar slechter dan bij de start" not in _results(world)


def test_an_improvement_is_not_flagged(world: World) -> None:
    _phq9(world, [15, 8])
    page = _results(world)
    assert "betrouwbaar slechter dan bij de start" not in page
    assert "betrouwbare verbetering" in page


def test_the_plan_page_offers_a_revision_with_the_finding_as_its_reason(world: World) -> None:
    with_active_plan(world)
    _phq9(world, [5, 13])
    page = _plan(world)
    assert "Monitoring: betrouwbaar slechter dan bij de start" in page
    assert (
        "PHQ-9 totaalscore: betrouwbaar slechter dan bij de eerste meting (5 → 13).</textarea>"
        in page
    )


def test_the_plan_page_is_quiet_without_a_deterioration(world: World) -> None:
    with_active_plan(world)
    _phq9(world, [9, 8])
    assert "betrouwbaar slechter dan bij de start" not in _plan(world)


def test_in_a_revision_the_step_up_reason_starts_with_the_finding(world: World) -> None:
    with_revision(world)
    _phq9(world, [5, 13])
    page = _plan(world)
    step_up = page[page.index('id="step_reason"') :]
    assert step_up.split("</textarea>")[0].endswith(
        "PHQ-9 totaalscore: betrouwbaar slechter dan bij de eerste meting (5 → 13)."
    )


def _significance_cells(page: str) -> list[str]:
    cells = page.split('data-label="Klinische significantie">')[1:]
    return [cell.split("</td>")[0] for cell in cells]


def test_phq9_clinical_significance_with_cut_off_c(world: World) -> None:
    # Woman: c = (3.5 x 17.1 + 6.1 x 3.1) / 9.6 = 8.2; reliable change needs 5.6 points.
    # 17 -> 10: reliably better but still above c: improved. 17 -> 5: below c: recovered.
    _phq9(world, [17, 10, 5])
    cells = _significance_cells(_results(world))
    assert cells[0].strip() == "—"  # the baseline itself
    assert cells[1].strip().startswith("verbeterd")
    assert cells[2].strip().startswith("hersteld")
    assert "grens 8,2 (criterium c)" in cells[2]
    assert "(niet-geverifieerde waarde)" in cells[2]  # the clinical norm is unverified

"""The walk of the demo: a not-on-track signal offers "Revise the treatment plan"
(``/plan/<patient>/#revise``). For a patient without a plan the plan page must land
the clinician on what to do first, not on a page without that anchor."""

from __future__ import annotations

import re

import pytest
from django.urls import reverse

from tests.web.test_planning import MOOD_PHQ9
from tests.web.test_screening import compute, record_scegs, said, screened
from tests.web.world import World

pytestmark = pytest.mark.django_db


def _revise_card(world: World) -> str:
    page = world.client_for("clinician_treating").get(
        f"/plan/patients/{world.patient_a.public_id}/"
    )
    assert page.status_code == 200
    found = re.search(r'<div class="card" id="revise">(.*?)</div>', page.content.decode(), re.S)
    assert found is not None, "the #revise anchor of the not-on-track signal is missing"
    return found.group(1)


def test_without_a_screening_profile_the_revise_link_says_to_screen_first(world: World) -> None:
    card = _revise_card(world)
    assert said(card, "no plan to revise", "geen plan om te herzien")
    assert reverse("screening:patient_screenings", args=[world.patient_a.public_id]) in card
    assert 'href="#make"' not in card


def test_with_a_profile_but_no_plan_the_revise_link_points_to_making_one(world: World) -> None:
    screening = screened(world, phq9=MOOD_PHQ9)
    record_scegs(world, screening)
    compute(world, screening)
    card = _revise_card(world)
    assert said(card, "no plan to revise", "geen plan om te herzien")
    assert 'href="#make"' in card

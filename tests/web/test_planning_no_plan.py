"""The walk of the demo: a not-on-track signal offers "Revise the treatment plan"
(``/plan/<patient>/#revise``). For a patient without a plan the plan page must land
the clinician on what to do first, not on a page without that anchor."""

from __future__ import annotations

import re

import pytest
from django.urls import reverse

from tests.web.test_planning import MOOD_PHQ9, _active_mood_plan, _post, world_plan
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


def _anchors_land(world: World) -> str:
    """Every in-page link of the plan page, and the not-on-track signal's ``#revise``,
    lands on an element of the page."""
    html = (
        world.client_for("clinician_treating")
        .get(f"/plan/patients/{world.patient_a.public_id}/")
        .content.decode()
    )
    ids = set(re.findall(r'\bid="([^"]+)"', html))
    wanted = set(re.findall(r'href="[^"#]*#([^"]+)"', html)) | {"revise"}
    assert wanted - {"main"} <= ids, f"links to missing sections: {wanted - ids}"
    return html


def test_a_draft_plan_has_the_revise_section_the_signal_links_to(world: World) -> None:
    world_plan(world)
    html = _anchors_land(world)
    assert said(html, "still a draft", "nog een concept")


def test_a_revision_draft_links_only_to_sections_it_renders(world: World) -> None:
    _active_mood_plan(world)
    assert _post(world, "revise/", {"revision_reason": "Evaluatie"}).status_code == 302
    _anchors_land(world)


def test_a_completed_plan_has_the_revise_section_the_signal_links_to(world: World) -> None:
    _active_mood_plan(world)
    assert _post(world, "complete/", {"end_note": "Doelen bereikt"}).status_code == 302
    html = _anchors_land(world)
    assert said(html, "has ended", "is afgesloten")

"""Found walking the demo on a phone (issue 12): a 0-100 scale was drawn as 101 radio
buttons, dates in handed-in answers were shown as stored (2026-11-23), and the home
page kept asking whether the explanation fits after the patient had said it does."""

from __future__ import annotations

import re

from django.utils.translation import override

from maatwerk.core.modules.registry import bundled_catalogue
from maatwerk.web.treatment.presenters import readable_value
from tests.web.test_formulation import world_formulation
from tests.web.test_treatment import world_module
from tests.web.world import World


def test_a_wide_scale_is_one_number_field_with_its_ends_in_words(world: World) -> None:
    assignment = world_module(world)
    body = (
        world.client_for("patient_a")
        .get(f"/treatment/modules/{assignment.public_id}/exercises/challenge_thought/")
        .content.decode()
    )
    assert 'type="radio" name="f-belief_before"' not in body
    assert len(re.findall(r'name="f-belief_before"', body)) == 1
    field = re.search(r'<input id="[^"]*belief_before"[^>]*>', body, re.S)
    assert field is not None
    assert 'type="number"' in field.group(0)
    assert 'min="0" max="100" step="1"' in field.group(0)
    assert "0 = helemaal niet, 100 = helemaal" in body
    # A 0-10 scale stays a row of buttons.
    g_schema = (
        world.client_for("patient_a")
        .get(f"/treatment/modules/{assignment.public_id}/exercises/g_schema/")
        .content.decode()
    )
    assert len(re.findall(r'type="radio" name="f-feeling_strength"', g_schema)) == 11


def test_a_date_answer_is_read_as_people_write_a_date() -> None:
    diary = bundled_catalogue().module("complaints_diary").exercise("diary")
    (entries,) = diary.form
    date_field = entries.fields[0]  # type: ignore[attr-defined]
    with override("nl"):
        assert readable_value(date_field, "2026-11-23", "nl") == "23 november 2026"
    with override("en"):
        assert "2026-11-23" not in readable_value(date_field, "2026-11-23", "en")
    assert readable_value(date_field, "not a date", "nl") == "not a date"


def test_after_agreeing_the_home_page_does_not_ask_again(world: World) -> None:
    """Found walking the demo: the home page kept asking "tell us if it fits you" after
    the patient had said it does."""
    formulation = world_formulation(world)
    patient = world.client_for("patient_a")
    assert (
        "Lees het en laat ons weten of het bij je past." in patient.get("/portal/").content.decode()
    )
    response = patient.post(f"/formulation/{formulation.public_id}/respond/", {"answer": "agree"})
    assert response.status_code == 302
    home = patient.get("/portal/").content.decode()
    assert "Je zei dat deze uitleg bij je past." in home
    assert "Lees het en laat ons weten of het bij je past." not in home

"""Low literacy (issue 12 item 8): when the care team notes low (health) literacy at the
screening, the patient reads the shorter introductions of their modules and the shorter
explanation of their circle, and our own answer scales carry pictograms with a text
alternative; without the flag, nothing changes."""

from __future__ import annotations

import re

import pytest

from maatwerk.web.screening.models import ScegsAssessment, Screening
from tests.web.test_formulation import world_formulation
from tests.web.test_treatment import world_module
from tests.web.world import World

G_SCHEMA_SHORT = "Je kijkt naar je gedachten. Ze maken je gevoel."
G_SCHEMA_FULL = "Je leert hoe gedachten je gevoel en gedrag beïnvloeden."


def note_low_literacy(world: World) -> None:
    screening = Screening.objects.create(
        patient=world.patient_a,
        battery_id="gp_short",
        content_version="1",
        assigned_by=world.memberships["clinician_treating"],
    )
    ScegsAssessment.objects.create(
        screening=screening, low_literacy=True, assessed_by=world.users["clinician_treating"]
    )


@pytest.mark.parametrize("low_literacy", [True, False])
def test_module_introductions_are_shorter_with_low_literacy(
    world: World, low_literacy: bool
) -> None:
    assignment = world_module(world)
    if low_literacy:
        note_low_literacy(world)
    client = world.client_for("patient_a")
    for page in ("/treatment/my/", f"/treatment/modules/{assignment.public_id}/"):
        body = client.get(page).content.decode()
        assert (G_SCHEMA_SHORT in body) is low_literacy, page
        assert (G_SCHEMA_FULL in body) is not low_literacy, page
    # The module page can still be read aloud.
    module_page = client.get(f"/treatment/modules/{assignment.public_id}/").content.decode()
    assert "data-read-aloud" in module_page


@pytest.mark.parametrize("low_literacy", [True, False])
def test_our_own_answer_scales_get_pictograms_with_a_text_alternative(
    world: World, low_literacy: bool
) -> None:
    assignment = world_module(world)
    if low_literacy:
        note_low_literacy(world)
    body = (
        world.client_for("patient_a")
        .get(f"/treatment/modules/{assignment.public_id}/exercises/g_schema/")
        .content.decode()
    )
    pictograms = re.findall(r'<svg class="scale-pictogram" role="img"\s+aria-label="([^"]+)"', body)
    if low_literacy:
        # "How strong was that feeling?" 0-10: one pictogram per answer, each named.
        assert pictograms == [f"{n} van 10" for n in range(11)]
        assert 'name="f-feeling_strength" value="7"' in body  # still a plain radio button
    else:
        assert pictograms == []


def test_the_explanation_is_shorter_with_low_literacy(world: World) -> None:
    formulation = world_formulation(world)
    client = world.client_for("patient_a")
    page = f"/formulation/{formulation.public_id}/shared/"
    before = client.get(page).content.decode()
    assert "De cirkel laat zien waarom ze blijven." in before
    note_low_literacy(world)
    after = client.get(page).content.decode()
    assert "Samen gaan we deze cirkel doorbreken." in after
    assert "De cirkel laat zien waarom ze blijven." not in after
    assert "Ik ben bang dat het erger wordt" in after  # the patient's own words stay
    assert "data-read-aloud" in after


def test_my_plan_shows_the_short_introductions_with_low_literacy(world: World) -> None:
    from maatwerk.core.modules.registry import bundled_catalogue
    from maatwerk.web.planning.selectors import planned_modules_of
    from tests.web.test_planning import world_plan

    plan = world_plan(world)
    page = f"/plan/patients/{world.patient_a.public_id}/mine/"
    modules = [bundled_catalogue().module(row.module_id) for row in planned_modules_of(plan)]
    assert modules
    before = world.client_for("clinician_treating").get(page).content.decode()
    note_low_literacy(world)
    after = world.client_for("clinician_treating").get(page).content.decode()
    for module in modules:
        assert module.summary_short is not None
        short = module.summary_short.get("nl") or ""
        assert short not in before and short in after

"""Issue 12, one truth: every view of the formulation is computed from its current
version. Editing step 1 or 2 changes the diagram, its text alternative and the patient's
explanation at once; an agreement with an earlier text is marked as changed and asked
again. And the explanation a patient reads: one circle, short, legible on a phone.

(The formulation has no PDF or FHIR output of its own: the screening profile PDF and the
referral letter do not quote it.)
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from maatwerk.core.formulation import CircleGraph, Complaint, Consequence, Edge, Formulation, Node
from maatwerk.web.formulation import presenters
from maatwerk.web.formulation.models import Formulation as FormulationRow
from tests.web.test_formulation import newest, url, world_formulation
from tests.web.world import World

pytestmark = pytest.mark.django_db

NEW_COMPLAINT = "Als ik buk denk ik dat er iets kapot gaat in mijn rug"
NEW_FEAR = "Ik durf niet meer te bukken"
CSS = Path(__file__).resolve().parents[2] / "src/maatwerk/web/static/css/maatwerk.css"


def _edit_steps_1_and_2(world: World, formulation: FormulationRow) -> None:
    client = world.client_for("clinician_treating")
    response = client.post(
        url(formulation, "complaints"),
        {
            "complaint-TOTAL_FORMS": "1",
            "complaint-INITIAL_FORMS": "0",
            "complaint-0-id": "pain",
            "complaint-0-text": NEW_COMPLAINT,
        },
    )
    assert response.status_code == 302
    response = client.post(
        url(formulation, "consequences"),
        {
            "consequence-TOTAL_FORMS": "1",
            "consequence-INITIAL_FORMS": "0",
            "consequence-0-id": "fear",
            "consequence-0-domain": "emotional",
            "consequence-0-words": NEW_FEAR,
            "consequence-0-maintaining": "on",
            "analysis-TOTAL_FORMS": "0",
            "analysis-INITIAL_FORMS": "0",
        },
    )
    assert response.status_code == 302


def test_an_edit_of_steps_1_and_2_shows_everywhere(world: World) -> None:
    formulation = world_formulation(world)
    patient = world.client_for("patient_a")
    assert patient.post(url(formulation, "respond"), {"answer": "agree"}).status_code == 302
    _edit_steps_1_and_2(world, formulation)

    # The stored version speaks the new words in its circle too.
    stored = newest(formulation)
    assert stored.circle.node("pain").label == NEW_COMPLAINT
    assert stored.circle.node("fear").label == NEW_FEAR

    clinician = world.client_for("clinician_treating")
    page = clinician.get(url(formulation)).content.decode()
    svg = page[page.index("<svg") : page.index("</svg>")]
    assert "Als ik buk denk ik dat" in svg and "Ik durf niet meer te" in svg
    assert "Pijn in mijn rug" not in svg and "Ik ben bang dat het erger" not in svg
    description = page[page.index('id="circle-text"') :]
    assert NEW_COMPLAINT in description and NEW_FEAR in description
    # The explanation the patient will read, on the clinician's overview.
    assert (
        f"&quot;{NEW_COMPLAINT}&quot;" in page
        or f"“{NEW_COMPLAINT}" in page
        or NEW_COMPLAINT in page
    )
    # Only the version history may still name the old words (what version 2 added).
    current = page[: page.find('<td data-label="Versie">')]
    assert "Pijn in mijn rug" not in current
    # The patient agreed with the earlier text: the clinician is told to ask again.
    assert "agreed with an earlier text" in page or "eerdere tekst" in page
    formulation.refresh_from_db()
    assert formulation.status == FormulationRow.Status.SHARED

    # The patient still reads the version that was shared, until the new one is shared.
    assert "Pijn in mijn rug" in patient.get(url(formulation, "shared")).content.decode()
    assert clinician.post(url(formulation, "share")).status_code == 302
    shared = patient.get(url(formulation, "shared")).content.decode()
    assert NEW_COMPLAINT in shared and NEW_FEAR in shared
    assert "Pijn in mijn rug" not in shared
    # Marked as changed and asked again.
    assert "Something changed since you said this fits you" in shared or (
        "veranderd sinds je zei" in shared
    )
    assert 'name="answer" value="agree"' in shared
    assert patient.post(url(formulation, "respond"), {"answer": "agree"}).status_code == 302
    again = patient.get(url(formulation, "shared")).content.decode()
    assert "Something changed since you said this fits you" not in again
    assert "veranderd sinds je zei" not in again


def test_renaming_a_box_renames_its_source(world: World) -> None:
    formulation = world_formulation(world)
    document = newest(formulation)
    index = [n.id for n in document.circle.nodes].index("pain")
    response = world.client_for("clinician_treating").post(
        url(formulation, "circle"),
        {"action": "rename_node", "node": "pain", f"node-{index}-label": NEW_COMPLAINT},
    )
    assert response.status_code == 302
    changed = newest(formulation)
    assert changed.complaints[0].text == NEW_COMPLAINT
    assert changed.circle.node("pain").label == NEW_COMPLAINT


TWO_CIRCLES = Formulation(
    complaints=(Complaint("pain", "Pijn in mijn rug"),),
    consequences=(
        Consequence("fear", "emotional", "Ik ben bang dat het erger wordt", True),
        Consequence("rest", "behavioural", "Ik beweeg minder", True),
        Consequence("alone", "social", "Ik zie mijn vrienden minder", True),
    ),
    circle=CircleGraph(
        nodes=(
            Node("pain", "complaint", "Pijn in mijn rug"),
            Node("fear", "feeling", "bang", consequence_id="fear"),
            Node("rest", "behaviour", "minder bewegen", consequence_id="rest"),
            Node("alone", "social", "alleen", consequence_id="alone"),
        ),
        edges=(
            Edge("pain", "fear"),
            Edge("fear", "rest"),
            Edge("rest", "pain", "maakt erger"),
            Edge("pain", "alone"),
            Edge("alone", "pain"),
        ),
    ),
)


def _font_pixels(svg: str) -> list[float]:
    """Every font size in the SVG in CSS pixels as drawn at its own size (the page keeps
    that size: ``.chart.diagram svg { width: auto; max-width: none }``)."""
    width = re.search(r'<svg[^>]*\bwidth="([\d.]+)pt"', svg)
    view_box = re.search(r'viewBox="[\d.\-]+ [\d.\-]+ ([\d.]+) [\d.]+"', svg)
    assert width is not None and view_box is not None
    scale = float(width.group(1)) * 4 / 3 / float(view_box.group(1))  # 1 pt = 4/3 px
    return [float(size) * scale for size in re.findall(r'font-size="([\d.]+)"', svg)]


def test_the_patient_reads_one_circle_legible_on_a_phone(world: World) -> None:
    formulation = world_formulation(world)
    clinician = world.client_for("clinician_treating")
    from maatwerk.web.common.actor import actor_for_user
    from maatwerk.web.formulation import services
    from maatwerk.web.patients.opening import Opened, open_patient

    actor = actor_for_user(world.users["clinician_treating"], access_point="test")
    access = open_patient(actor=actor, patient_id=str(world.patient_a.public_id), action="x")
    opened = Opened(object=formulation, access=access)
    services.formulation_save(actor=actor, opened=opened, document=TWO_CIRCLES, note="two")
    assert clinician.post(url(formulation, "share")).status_code == 302

    page = world.client_for("patient_a").get(url(formulation, "shared")).content.decode()
    svg = page[page.index("<svg") : page.index("</svg>")]
    # One circle drawn: the strongest (two maintaining consequences), not the other one.
    assert "Ik beweeg minder" in svg and "Ik zie mijn vrienden" not in svg
    # The other circle is there on request, in words.
    details = page[page.index("<details") : page.index("</details>")]
    assert "Ik zie mijn vrienden minder" in details
    # No text below 12 px, and the page does not shrink the drawing.
    assert min(_font_pixels(svg)) >= 12
    assert ".chart.diagram svg { width: auto; max-width: none; }" in CSS.read_text()
    # With a text alternative.
    assert 'id="circle-text"' in page
    # Short: what is read first stays under about 150 words.
    view = presenters.explanation(newest(formulation), "nl")
    assert view.words <= 150


def test_a_meaning_analysis_and_several_functional_analyses(world: World) -> None:
    # Issue 12: the meaning analysis (what the complaint means to the patient) in step 1,
    # and several functional-analysis rows in one save of step 2.
    formulation = world_formulation(world)
    client = world.client_for("clinician_treating")
    response = client.post(
        url(formulation, "complaints"),
        {
            "complaint-TOTAL_FORMS": "1",
            "complaint-INITIAL_FORMS": "0",
            "complaint-0-id": "pain",
            "complaint-0-text": "Pijn in mijn rug",
            "complaint-0-meaning": "Ik ben bang dat ik in een rolstoel beland",
        },
    )
    assert response.status_code == 302
    response = client.post(
        url(formulation, "consequences"),
        {
            "consequence-TOTAL_FORMS": "1",
            "consequence-INITIAL_FORMS": "0",
            "consequence-0-id": "fear",
            "consequence-0-domain": "emotional",
            "consequence-0-words": "Ik ben bang dat het erger wordt",
            "consequence-0-maintaining": "on",
            "analysis-TOTAL_FORMS": "2",
            "analysis-INITIAL_FORMS": "0",
            "analysis-0-situation": "Boodschappen tillen",
            "analysis-0-behaviour": "Ik laat het mijn man doen",
            "analysis-1-situation": "Verjaardag bij vrienden",
            "analysis-1-behaviour": "Ik blijf thuis",
        },
    )
    assert response.status_code == 302
    stored = newest(formulation)
    assert stored.complaints[0].meaning == "Ik ben bang dat ik in een rolstoel beland"
    assert [a.situation for a in stored.functional_analyses] == [
        "Boodschappen tillen",
        "Verjaardag bij vrienden",
    ]
    overview = client.get(url(formulation)).content.decode()
    assert "Ik ben bang dat ik in een rolstoel beland" in overview
    step_2 = client.get(url(formulation, "consequences")).content.decode()
    # Both analyses and a blank row to add a third.
    assert 'name="analysis-TOTAL_FORMS" value="3"' in step_2


def test_step_4_gives_the_complaints_diary_as_homework(world: World) -> None:
    from maatwerk.web.treatment.models import ModuleAssignment

    formulation = world_formulation(world)
    client = world.client_for("clinician_treating")
    page = client.get(url(formulation, "plan")).content.decode()
    assert f'action="/formulation/{formulation.public_id}/plan/diary/"' in page
    for _ in range(2):  # twice: the open diary is kept, not doubled
        response = client.post(url(formulation, "plan") + "diary/")
        assert response.status_code == 302
    diaries = ModuleAssignment.objects.filter(patient=world.patient_a, module_id="complaints_diary")
    assert diaries.count() == 1
    assert diaries.get().plan_ref.startswith("formulation step 4")


def test_step_4_makes_an_activity_plan(world: World) -> None:
    formulation = world_formulation(world)
    client = world.client_for("clinician_treating")
    response = client.post(
        url(formulation, "goals"),
        {"goal-TOTAL_FORMS": "1", "goal-INITIAL_FORMS": "0", "goal-0-text": "Weer wandelen"},
    )
    assert response.status_code == 302
    goal_id = newest(formulation).goals[0].id
    response = client.post(
        url(formulation, "plan"),
        {
            "activity-TOTAL_FORMS": "1",
            "activity-INITIAL_FORMS": "0",
            "activity-0-text": "Tien minuten wandelen",
            "activity-0-when": "na het ontbijt",
            "activity-0-goal": goal_id,
        },
    )
    assert response.status_code == 302
    [activity] = newest(formulation).activities
    assert (activity.text, activity.when, activity.goal_id) == (
        "Tien minuten wandelen",
        "na het ontbijt",
        goal_id,
    )
    page = client.get(url(formulation, "plan")).content.decode()
    assert "Tien minuten wandelen" in page and 'name="activity-TOTAL_FORMS" value="2"' in page


ASKS = "Lees het en laat ons weten of het bij je past."
AGREED = "Je zei dat deze uitleg bij je past."
SAID_IT_FITS = "Je zei: ik herken mij hierin."


@pytest.mark.parametrize("saved_in_between", [False, True], ids=["same version", "goal added"])
def test_sharing_what_the_patient_agreed_with_does_not_ask_again(
    world: World, saved_in_between: bool
) -> None:
    """Seen by a clinician: sharing a formulation that had not changed since the patient
    agreed asked the patient to agree again. A change the patient does not read (a goal)
    is no change for the agreement either."""
    formulation = world_formulation(world)
    patient = world.client_for("patient_a")
    clinician = world.client_for("clinician_treating")
    assert patient.post(url(formulation, "respond"), {"answer": "agree"}).status_code == 302
    if saved_in_between:
        response = clinician.post(
            url(formulation, "goals"),
            {"goal-TOTAL_FORMS": "1", "goal-INITIAL_FORMS": "0", "goal-0-text": "Weer wandelen"},
        )
        assert response.status_code == 302
    assert clinician.post(url(formulation, "share")).status_code == 302

    formulation.refresh_from_db()
    assert formulation.status == FormulationRow.Status.AGREED
    home = patient.get("/portal/").content.decode()
    assert AGREED in home and ASKS not in home
    shared = patient.get(url(formulation, "shared")).content.decode()
    assert SAID_IT_FITS in shared
    assert "veranderd sinds je zei" not in shared


def test_sharing_a_changed_text_after_agreeing_asks_again(world: World) -> None:
    formulation = world_formulation(world)
    patient = world.client_for("patient_a")
    clinician = world.client_for("clinician_treating")
    assert patient.post(url(formulation, "respond"), {"answer": "agree"}).status_code == 302
    _edit_steps_1_and_2(world, formulation)
    assert clinician.post(url(formulation, "share")).status_code == 302

    formulation.refresh_from_db()
    assert formulation.status == FormulationRow.Status.SHARED
    home = patient.get("/portal/").content.decode()
    assert ASKS in home and AGREED not in home
    shared = patient.get(url(formulation, "shared")).content.decode()
    assert SAID_IT_FITS not in shared and "veranderd sinds je zei" in shared


def test_sharing_again_after_a_comment_keeps_asking(world: World) -> None:
    """A comment after an agreement: the patient's last word is that something is not
    right, so sharing the same text again still asks."""
    formulation = world_formulation(world)
    patient = world.client_for("patient_a")
    clinician = world.client_for("clinician_treating")
    assert patient.post(url(formulation, "respond"), {"answer": "agree"}).status_code == 302
    response = patient.post(
        url(formulation, "respond"), {"answer": "comment", "comment": "Toch niet"}
    )
    assert response.status_code == 302
    assert clinician.post(url(formulation, "share")).status_code == 302
    formulation.refresh_from_db()
    assert formulation.status == FormulationRow.Status.SHARED
    assert ASKS in patient.get("/portal/").content.decode()

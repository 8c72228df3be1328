"""Every patient can finish the PHQ-15. Item 4 (menstrual problems) is asked of women
only (Kroenke, Spitzer & Williams 2002, "The PHQ-15: validity of a new measure for
evaluating the severity of somatic symptoms"); with the sex not recorded or "other" the
patient answers it or says "Dit geldt niet voor mij". Answered, it counts (range 0-30);
marked as not applying, it is left out (range 0-28). The numbering never shifts. Reliable
change says which norm it used and why."""

from __future__ import annotations

import json
from decimal import Decimal
from typing import Any

import pytest

from maatwerk.web.questionnaires.models import Answer, Assignment, ScaleResult
from tests.web.world import World

pytestmark = pytest.mark.django_db

NOT_APPLYING_NL = "Dit geldt niet voor mij"


def _phq15(world: World, sex: str) -> Assignment:
    world.patient_a.sex = sex
    world.patient_a.save(update_fields=["sex"])
    return Assignment.objects.create(
        patient=world.patient_a,
        instrument_code="phq15",
        instrument_version="1.0",
        assigned_by=world.memberships["clinician_treating"],
    )


def _page(world: World, role: str, assignment: Assignment) -> str:
    return world.client_for(role).get(f"/questionnaires/{assignment.public_id}/").content.decode()


def _results(world: World) -> str:
    return (
        world.client_for("clinician_treating")
        .get(f"/clinic/patients/{world.patient_a.public_id}/results/")
        .content.decode()
    )


@pytest.mark.parametrize("sex", ["other", "unknown"])
@pytest.mark.parametrize("role", ["patient_a", "clinician_treating"])
def test_item_4_can_be_marked_as_not_applying_and_is_left_out(
    world: World, sex: str, role: str
) -> None:
    assignment = _phq15(world, sex)
    page = _page(world, role, assignment)
    assert '<span class="q-number">4.</span>' in page
    assert 'name="item-phq15_4" value="nvt"' in page
    assert NOT_APPLYING_NL in page
    # Autosaved like any answer, and shown again on return.
    client = world.client_for(role)
    saved = client.post(
        f"/questionnaires/{assignment.public_id}/answer/", {"item": "phq15_4", "value": "nvt"}
    )
    assert saved.status_code == 200, saved.content
    answer = Answer.objects.get(assignment=assignment, item_id="phq15_4")
    assert answer.not_applicable and answer.value is None
    assert 'name="item-phq15_4" value="nvt" checked' in _page(world, role, assignment)
    # Sent in with the other 14 answers (the form sends the saved mark again): 14 x 1.
    answers = {f"item-phq15_{n}": "1" for n in range(1, 16) if n != 4}
    answers["item-phq15_4"] = "nvt"
    response = client.post(f"/questionnaires/{assignment.public_id}/submit/", answers)
    assert response.status_code == 302, response.content.decode()
    result = ScaleResult.objects.get(assignment=assignment, scale_id="total")
    assert result.value == Decimal(14)
    assert result.explanation["range"] == ["0", "28"]
    assert result.explanation["items_not_applicable"] == ["phq15_4"]
    results = _results(world)
    assert "item 4 (voor één geslacht) is aangegeven als niet van toepassing" in results
    assert "0–28" in results
    assert "phq15_4" not in results


@pytest.mark.parametrize("sex", ["other", "unknown"])
def test_item_4_answered_counts_with_the_full_range(world: World, sex: str) -> None:
    assignment = _phq15(world, sex)
    client = world.client_for("patient_a")
    # First marked as not applying, then answered after all: the answer replaces the mark.
    client.post(
        f"/questionnaires/{assignment.public_id}/answer/", {"item": "phq15_4", "value": "nvt"}
    )
    assert (
        client.post(
            f"/questionnaires/{assignment.public_id}/answer/", {"item": "phq15_4", "value": "2"}
        ).status_code
        == 200
    )
    answer = Answer.objects.get(assignment=assignment, item_id="phq15_4")
    assert not answer.not_applicable and answer.value == Decimal(2)
    answers = {f"item-phq15_{n}": "1" for n in range(1, 16) if n != 4}
    response = client.post(f"/questionnaires/{assignment.public_id}/submit/", answers)
    assert response.status_code == 302
    result = ScaleResult.objects.get(assignment=assignment, scale_id="total")
    assert result.value == Decimal(16)  # 14 x 1 + 2
    assert result.explanation["range"] == ["0", "30"]
    assert "item 4 (voor één geslacht) is beantwoord en telt dus mee" in _results(world)


@pytest.mark.parametrize("sex", ["other", "unknown"])
def test_item_4_left_open_cannot_be_sent_in_and_says_so(world: World, sex: str) -> None:
    assignment = _phq15(world, sex)
    answers = {f"item-phq15_{n}": "1" for n in range(1, 16) if n != 4}
    response = world.client_for("patient_a").post(
        f"/questionnaires/{assignment.public_id}/submit/", answers
    )
    assert response.status_code == 400
    assert 'id="err-phq15_4"' in response.content.decode()
    assert not ScaleResult.objects.filter(assignment=assignment).exists()


@pytest.mark.parametrize("sex", ["female", "male"])
def test_women_and_men_are_never_offered_not_applying(world: World, sex: str) -> None:
    assignment = _phq15(world, sex)
    page = _page(world, "patient_a", assignment)
    assert NOT_APPLYING_NL not in page
    assert ('name="item-phq15_4"' in page) == (sex == "female")
    assert '<span class="q-number">5.</span>' in page
    refused = world.client_for("patient_a").post(
        f"/questionnaires/{assignment.public_id}/answer/", {"item": "phq15_4", "value": "nvt"}
    )
    assert refused.status_code == 400
    assert not Answer.objects.filter(assignment=assignment, item_id="phq15_4").exists()
    answers = {f"item-phq15_{n}": "1" for n in range(1, 16) if sex == "female" or n != 4}
    world.client_for("patient_a").post(f"/questionnaires/{assignment.public_id}/submit/", answers)
    result = ScaleResult.objects.get(assignment=assignment, scale_id="total")
    assert result.value == Decimal(15 if sex == "female" else 14)
    assert "(voor één geslacht)" not in _results(world)


def test_an_item_for_everyone_cannot_be_marked_as_not_applying(world: World) -> None:
    assignment = _phq15(world, "unknown")
    refused = world.client_for("patient_a").post(
        f"/questionnaires/{assignment.public_id}/answer/", {"item": "phq15_1", "value": "nvt"}
    )
    assert refused.status_code == 400
    assert refused.json()["errors"] == ["Deze vraag geldt voor jou; kies een van de antwoorden."]


def _gad7_twice(world: World, sex: str) -> None:
    world.patient_a.sex = sex
    world.patient_a.save(update_fields=["sex"])
    for value in ("3", "1"):
        assignment = Assignment.objects.create(
            patient=world.patient_a,
            instrument_code="gad7",
            instrument_version="1.0",
            assigned_by=world.memberships["clinician_treating"],
        )
        answers = {f"item-gad7_{n}": value for n in range(1, 8)}
        world.client_for("patient_a").post(
            f"/questionnaires/{assignment.public_id}/submit/", answers
        )


def test_reliable_change_says_which_norm_it_used_and_why(world: World) -> None:
    # GAD-7 1.0 has general-population SDs by sex only (Löwe et al. 2008, "Validation and
    # standardization of the GAD-7 in the general population": women 3.5, men 3.2).
    _gad7_twice(world, "unknown")
    page = _results(world)
    assert (
        "norm: Löwe et al. (2008), vrouwen — geslacht onbekend, de norm met de grootste spreiding"
    ) in page
    assert "larger_sd" not in page


def test_reliable_change_for_a_man_uses_the_mens_norm(world: World) -> None:
    _gad7_twice(world, "male")
    assert (
        "norm: Löwe et al. (2008), mannen — de norm voor het geslacht van de patiënt"
    ) in _results(world)


def _post_response(world: World, assignment: Assignment, not_applicable: set[str]) -> Any:
    from maatwerk.core.fhir.response import response_to_questionnaire_response
    from maatwerk.core.instruments.registry import get_instrument

    resource = response_to_questionnaire_response(
        get_instrument("phq15", "1.0"),
        {f"phq15_{n}": 1 for n in range(1, 16) if f"phq15_{n}" not in not_applicable},
        assignment_id=str(assignment.public_id),
        subject_id=str(world.patient_a.public_id),
        not_applicable=not_applicable,
    )
    return world.client_for("patient_a").post(
        "/api/v1/fhir/QuestionnaireResponse",
        data=json.dumps(resource),
        content_type="application/fhir+json",
    )


@pytest.mark.parametrize("sex", ["other", "unknown"])
def test_not_applying_through_the_fhir_api_and_back(world: World, sex: str) -> None:
    assignment = _phq15(world, sex)
    response = _post_response(world, assignment, {"phq15_4"})
    assert response.status_code == 201, response.content.decode()
    assert ScaleResult.objects.get(assignment=assignment, scale_id="total").value == 14
    assert Answer.objects.get(assignment=assignment, item_id="phq15_4").not_applicable
    exported = world.client_for("clinician_treating").get(
        f"/api/v1/fhir/QuestionnaireResponse/{assignment.public_id}"
    )
    [item_4] = [item for item in exported.json()["item"] if item["linkId"] == "phq15_4"]
    assert item_4["answer"][0]["valueCoding"]["code"] == "not-applicable"


def test_a_woman_cannot_mark_item_4_as_not_applying_through_the_fhir_api(world: World) -> None:
    assignment = _phq15(world, "female")
    response = _post_response(world, assignment, {"phq15_4"})
    assert response.status_code == 400
    assert not ScaleResult.objects.filter(assignment=assignment).exists()

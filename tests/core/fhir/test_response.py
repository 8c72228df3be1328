"""Answers as a QuestionnaireResponse and back, with a clear error for every bad answer."""

from __future__ import annotations

import copy
import json
from datetime import UTC, datetime
from decimal import Decimal
from typing import Any

import pytest
from fhir.resources.R4B.questionnaireresponse import QuestionnaireResponse

from maatwerk.core.fhir.constants import ORDINAL_VALUE
from maatwerk.core.fhir.errors import FhirMappingError
from maatwerk.core.fhir.response import (
    assignment_ids,
    questionnaire_reference,
    questionnaire_response_to_answers,
    response_to_questionnaire_response,
    subject_patient_ids,
)
from maatwerk.core.instruments.model import Instrument
from maatwerk.core.instruments.registry import bundled_instruments, get_instrument
from maatwerk.core.instruments.transforms import possible_answers
from tests.core.instruments.factories import build, definition

PHQ9 = get_instrument("phq9")
ASSIGNMENT = "5f0c6b1e-8d4e-4a7c-9b0a-2f1e3d4c5b6a"
PATIENT = "0b7e6f2a-1c3d-4e5f-8a9b-0c1d2e3f4a5b"


def phq9_answers() -> dict[str, int]:
    return {f"phq9_{n}": n % 4 for n in range(1, 11)}


def phq9_response() -> dict[str, Any]:
    return copy.deepcopy(
        response_to_questionnaire_response(
            PHQ9,
            phq9_answers(),
            assignment_id=ASSIGNMENT,
            subject_id=PATIENT,
            authored=datetime(2026, 11, 23, 10, 30, tzinfo=UTC),
            resource_id=ASSIGNMENT,
            language="en",
        )
    )


def every_answer(instrument: Instrument, index: int) -> dict[str, Decimal]:
    """One valid answer per item (the index-th possible value, cycling)."""
    answers: dict[str, Decimal] = {}
    for item in instrument.items:
        if (
            item.applies_to is not None
            and item.applies_to.sex
            and "female" not in item.applies_to.sex
        ):
            continue
        values = possible_answers(instrument.response_set(item.response_set))
        value = values[index % len(values)]
        answers[item.id] = Decimal(value.numerator) / Decimal(value.denominator)
    return answers


@pytest.mark.parametrize("index", [0, 1, 5])
@pytest.mark.parametrize(
    "instrument", bundled_instruments(), ids=[i.code for i in bundled_instruments()]
)
def test_answers_round_trip_through_a_questionnaire_response(
    instrument: Instrument, index: int
) -> None:
    answers = every_answer(instrument, index)
    resource = response_to_questionnaire_response(instrument, answers, status="in-progress")
    QuestionnaireResponse.model_validate(resource)
    received = json.loads(json.dumps(resource))
    assert questionnaire_response_to_answers(received, instrument) == answers


def test_the_shape_of_an_exported_response() -> None:
    resource = phq9_response()
    assert resource["resourceType"] == "QuestionnaireResponse"
    assert resource["status"] == "completed"
    assert resource["questionnaire"] == "https://maatwerk.example/fhir/Questionnaire/phq9|1.2"
    assert resource["basedOn"] == [
        {"identifier": {"system": "https://maatwerk.example/fhir/assignment", "value": ASSIGNMENT}}
    ]
    assert resource["subject"] == {
        "identifier": {"system": "https://maatwerk.example/fhir/patient", "value": PATIENT}
    }
    assert resource["authored"] == "2026-11-23T10:30:00+00:00"
    first = resource["item"][0]
    assert first["linkId"] == "phq9_1"
    assert first["text"] == "Little interest or pleasure in doing things"
    assert first["answer"] == [
        {
            "valueCoding": {
                "extension": [{"url": ORDINAL_VALUE, "valueDecimal": 1}],
                "system": "https://maatwerk.example/fhir/CodeSystem/phq9/frequency_0_3",
                "code": "1",
                "display": "Several days",
            }
        }
    ]
    assert questionnaire_reference(resource) == ("phq9", "1.2")
    assert assignment_ids(resource) == [ASSIGNMENT]
    assert subject_patient_ids(resource) == [PATIENT]


def test_unanswered_items_are_left_out_and_unknown_ones_refused() -> None:
    resource = response_to_questionnaire_response(PHQ9, {"phq9_1": 2, "phq9_2": None})
    assert [item["linkId"] for item in resource["item"]] == ["phq9_1"]
    with pytest.raises(ValueError, match="nonsense"):
        response_to_questionnaire_response(PHQ9, {"nonsense": 1})
    with pytest.raises(ValueError, match="not one of the options"):
        response_to_questionnaire_response(PHQ9, {"phq9_1": 7})
    with pytest.raises(ValueError, match="timezone"):
        response_to_questionnaire_response(PHQ9, {}, authored=datetime(2026, 1, 1))  # noqa: DTZ001


def numeric_instrument(n_items: int, maximum: int, step: Decimal | int) -> Instrument:
    response_set = {
        "id": "nrs",
        "kind": "numeric",
        "min": 0,
        "max": maximum,
        "step": step,
        "source": "fixture",
    }
    item_ids = [f"q{n}" for n in range(1, n_items + 1)]
    total = {
        "id": "total",
        "name": {"en": "Total"},
        "items": item_ids,
        "method": "sum",
        "missing": {"rule": "complete_only", "source": "fixture"},
        "range": {"min": 0, "max": maximum * n_items},
        "direction": "higher_is_worse",
        "source": "fixture",
    }
    return build(definition(n_items=n_items, response_set=response_set, scales=[total]))


def test_numeric_answers_are_integers_or_decimals() -> None:
    halves = numeric_instrument(1, 5, Decimal("0.5"))
    resource = response_to_questionnaire_response(halves, {"q1": Decimal("2.5")})
    assert resource["item"][0]["answer"] == [{"valueDecimal": 2.5}]
    whole = numeric_instrument(1, 10, 1)
    resource = response_to_questionnaire_response(whole, {"q1": Decimal(7)})
    assert resource["item"][0]["answer"] == [{"valueInteger": 7}]


# ------------------------------------------------------------------------ reading


def read_problems(resource: object, instrument: Instrument = PHQ9) -> list[str]:
    with pytest.raises(FhirMappingError) as caught:
        questionnaire_response_to_answers(resource, instrument)  # type: ignore[arg-type]
    return [str(problem) for problem in caught.value.problems]


def test_a_coding_is_read_by_its_code_or_else_its_ordinal_value() -> None:
    resource = phq9_response()
    coding = resource["item"][0]["answer"][0]["valueCoding"]
    del coding["code"]  # the ordinalValue (1) remains
    resource["item"][1]["answer"][0]["valueCoding"] = {"code": "2"}  # code only
    resource["item"][2]["answer"][0] = {"valueInteger": 3}  # the value as a number
    answers = questionnaire_response_to_answers(resource, PHQ9)
    assert answers == {k: Decimal(v) for k, v in phq9_answers().items()}


def test_score_and_display_items_and_empty_items_are_ignored() -> None:
    resource = phq9_response()
    resource["item"].append({"linkId": "score.total", "answer": [{"valueInteger": 99}]})
    resource["item"].append({"linkId": "display.instructions"})
    resource["item"][9].pop("answer")  # phq9_10 shown but not answered
    answers = questionnaire_response_to_answers(resource, PHQ9)
    assert "phq9_10" not in answers
    assert len(answers) == 9


def test_nested_items_are_read() -> None:
    resource = phq9_response()
    resource["item"] = [{"linkId": "group", "item": resource["item"]}]
    problems = read_problems(resource)
    assert problems == ["QuestionnaireResponse.item[0].linkId: 'group' is not an item of phq9 1.2"]


def test_every_bad_answer_is_reported_at_once() -> None:
    resource = phq9_response()
    items = resource["item"]
    items[0]["answer"][0]["valueCoding"]["code"] = "7"
    items[0]["answer"][0]["valueCoding"].pop("extension")
    items[1]["answer"][0]["valueCoding"]["system"] = "http://loinc.org"
    items[2]["answer"][0]["valueCoding"]["extension"][0]["valueDecimal"] = 0
    items[3]["answer"] = [{"valueString": "often"}]
    items[4]["answer"].append(items[4]["answer"][0])
    items[5]["answer"] = [{"valueInteger": 9}]
    items[6]["answer"] = [{"valueCoding": {"display": "no code"}}]
    items.append({"linkId": "phq9_8", "answer": [{"valueInteger": 1}]})
    items.append({"linkId": "nonsense", "answer": [{"valueInteger": 1}]})
    assert read_problems(resource) == [
        "QuestionnaireResponse.item[0].answer[0].valueCoding.code: '7' is not one of the "
        "options 0, 1, 2, 3",
        "QuestionnaireResponse.item[1].answer[0].valueCoding.system: 'http://loinc.org' is not "
        "'https://maatwerk.example/fhir/CodeSystem/phq9/frequency_0_3'",
        "QuestionnaireResponse.item[2].answer[0].valueCoding.extension: ordinalValue 0 "
        "contradicts the code '3'",
        "QuestionnaireResponse.item[3].answer[0].valueString: expected valueCoding (or the "
        "option's value as a number)",
        "QuestionnaireResponse.item[4].answer: one answer expected per item",
        "QuestionnaireResponse.item[5].answer[0].valueInteger: 9 is not one of the options "
        "0, 1, 2, 3",
        "QuestionnaireResponse.item[6].answer[0].valueCoding: the Coding needs a code (or an "
        "ordinalValue extension)",
        "QuestionnaireResponse.item[10].linkId: 'phq9_8' occurs twice (also at "
        "QuestionnaireResponse.item[7])",
        "QuestionnaireResponse.item[11].linkId: 'nonsense' is not an item of phq9 1.2",
    ]


def test_numeric_answers_are_checked_against_range_and_step() -> None:
    instrument = numeric_instrument(4, 10, 1)
    resource = {
        "resourceType": "QuestionnaireResponse",
        "status": "completed",
        "item": [
            {"linkId": "q1", "answer": [{"valueInteger": 11}]},
            {"linkId": "q2", "answer": [{"valueDecimal": 2.5}]},
            {"linkId": "q3", "answer": [{"valueInteger": True}]},
            {"linkId": "q4", "answer": [{"valueCoding": {"code": "4"}}]},
        ],
    }
    assert read_problems(resource, instrument) == [
        "QuestionnaireResponse.item[0].answer[0].valueInteger: 11 is outside 0-10",
        "QuestionnaireResponse.item[1].answer[0].valueDecimal: 2.5 is not 0 plus a whole "
        "number of 1 steps",
        "QuestionnaireResponse.item[2].answer[0].valueInteger: True is not a number",
        "QuestionnaireResponse.item[3].answer[0].valueCoding: expected valueInteger or "
        "valueDecimal",
    ]
    resource["item"] = [{"linkId": "q1", "answer": [{"valueDecimal": 7.0}]}]
    assert questionnaire_response_to_answers(resource, instrument) == {"q1": Decimal("7.0")}


def test_a_response_to_another_questionnaire_is_refused() -> None:
    resource = phq9_response()
    resource["questionnaire"] = "https://maatwerk.example/fhir/Questionnaire/gad7|1.0"
    [problem] = read_problems(resource)
    assert problem.startswith("QuestionnaireResponse.questionnaire: ")
    resource["questionnaire"] = "https://maatwerk.example/fhir/Questionnaire/phq9|2.0"
    assert read_problems(resource) == [
        "QuestionnaireResponse.questionnaire: version '2.0' is not phq9's version 1.2"
    ]
    resource["questionnaire"] = "https://maatwerk.example/fhir/Questionnaire/phq9"
    assert len(questionnaire_response_to_answers(resource, PHQ9)) == 10
    del resource["questionnaire"]
    assert len(questionnaire_response_to_answers(resource, PHQ9)) == 10


def test_invalid_fhir_is_refused_before_reading() -> None:
    assert read_problems({"resourceType": "QuestionnaireResponse"}) == [
        "QuestionnaireResponse.status: Value for the field 'status' is required."
    ]
    resource = phq9_response()
    resource["item"][0]["answer"][0]["valueInteger"] = 1  # two value[x]
    [problem] = read_problems(resource)
    assert problem.startswith("QuestionnaireResponse.item[0].answer[0]: Any of one field value")


def test_references_that_are_not_maatwerk_ones_are_not_read() -> None:
    assert questionnaire_reference({"questionnaire": "http://loinc.org/q/44249-1"}) is None
    assert questionnaire_reference({}) is None
    assert assignment_ids({"basedOn": [{"reference": "CarePlan/1"}]}) == []
    assert subject_patient_ids({"subject": {"reference": "Patient/1"}}) == []

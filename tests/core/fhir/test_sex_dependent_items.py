"""PHQ-15 item 4 (menstrual problems; women only, Kroenke, Spitzer & Williams 2002, "The
PHQ-15: validity of a new measure for evaluating the severity of somatic symptoms") in
FHIR: an SDC ``enableWhenExpression`` on the ``%patient`` launch context asks it in the
same cases as Maatwerk, evaluated here by an independent FHIRPath engine (fhirpathpy);
"Dit geldt niet voor mij" is the answer ``data-absent-reason#not-applicable``, exported,
read back and scored by the core as not applying."""

from __future__ import annotations

import json
from fractions import Fraction
from typing import Any

import pytest
from fhirpathpy import evaluate
from fhirpathpy.models import models

from maatwerk.core.fhir.constants import (
    CALCULATED_EXPRESSION,
    DATA_ABSENT_REASON_SYSTEM,
    ENABLE_WHEN_EXPRESSION,
    LAUNCH_CONTEXT,
    NOT_APPLICABLE_CODE,
)
from maatwerk.core.fhir.errors import FhirMappingError
from maatwerk.core.fhir.questionnaire import (
    instrument_to_questionnaire,
    questionnaire_to_instrument,
)
from maatwerk.core.fhir.response import (
    questionnaire_response_not_applicable,
    questionnaire_response_to_answers,
    response_to_questionnaire_response,
)
from maatwerk.core.instruments.answers import Respondent, applies_to_respondent
from maatwerk.core.instruments.registry import get_instrument
from maatwerk.core.instruments.scoring import score_response

R4 = models["r4"]
PHQ15 = get_instrument("phq15")
# Maatwerk's sex -> the FHIR Patient.gender (R4 AdministrativeGender) of the same patient.
GENDER = {"female": "female", "male": "male", "other": "other", "unknown": "unknown"}


def _items(language: str = "nl") -> dict[str, dict[str, Any]]:
    resource = instrument_to_questionnaire(PHQ15, language=language)
    return {item["linkId"]: item for item in resource["item"]}


def _enable_when(item: dict[str, Any]) -> str | None:
    found = [e for e in item.get("extension", []) if e["url"] == ENABLE_WHEN_EXPRESSION]
    return found[0]["valueExpression"]["expression"] if found else None


def _enabled(expression: str, patient: dict[str, Any] | None) -> bool:
    context = {"patient": patient} if patient is not None else {"patient": []}
    result = evaluate({}, expression, context, R4)
    return result == [True]


@pytest.mark.parametrize("sex", ["female", "male", "other", "unknown"])
def test_an_sdc_client_asks_item_4_exactly_when_maatwerk_does(sex: str) -> None:
    expression = _enable_when(_items()["phq15_4"])
    assert expression is not None
    patient = {"resourceType": "Patient", "gender": GENDER[sex]}
    maatwerk_asks = sex != "male"  # women, and anyone whose sex is not recorded
    assert _enabled(expression, patient) is maatwerk_asks
    item = PHQ15.item("phq15_4")
    core_sex = sex if sex in ("female", "male") else None
    # The core's rule before an answer: it applies unless it is another sex's item.
    asked = applies_to_respondent(item, Respondent(sex=core_sex), answered=True)  # type: ignore[arg-type]
    assert asked is maatwerk_asks


def test_without_a_patient_or_gender_item_4_is_asked() -> None:
    expression = _enable_when(_items()["phq15_4"])
    assert expression is not None
    assert _enabled(expression, None)
    assert _enabled(expression, {"resourceType": "Patient"})


def test_items_for_everyone_have_no_enable_rule_and_the_launch_context_is_declared() -> None:
    items = _items()
    assert [link for link, item in items.items() if _enable_when(item)] == ["phq15_4"]
    resource = instrument_to_questionnaire(PHQ15, language="en")
    [context] = [e for e in resource["extension"] if e["url"] == LAUNCH_CONTEXT]
    assert {"url": "type", "valueCode": "Patient"} in context["extension"]
    phq9 = instrument_to_questionnaire(get_instrument("phq9"), language="en")
    assert not [e for e in phq9["extension"] if e["url"] == LAUNCH_CONTEXT]


@pytest.mark.parametrize(
    ("language", "text"), [("nl", "Dit geldt niet voor mij"), ("en", "This does not apply to me")]
)
def test_item_4_offers_not_applying_as_an_answer(language: str, text: str) -> None:
    options = [o["valueCoding"] for o in _items(language)["phq15_4"]["answerOption"]]
    assert [o["code"] for o in options] == ["0", "1", "2", NOT_APPLICABLE_CODE]
    assert options[-1]["system"] == DATA_ABSENT_REASON_SYSTEM
    assert options[-1]["display"] == text
    assert [o["valueCoding"]["code"] for o in _items()["phq15_3"]["answerOption"]] == [
        "0",
        "1",
        "2",
    ]
    # The export still reads back as the same instrument.
    assert questionnaire_to_instrument(instrument_to_questionnaire(PHQ15, language=language)) == (
        PHQ15
    )


def _wire(resource: dict[str, Any]) -> dict[str, Any]:
    loaded: dict[str, Any] = json.loads(json.dumps(resource))
    return loaded


def test_not_applying_round_trips_and_scores_on_the_range_0_28() -> None:
    answers = {f"phq15_{n}": 1 for n in range(1, 16) if n != 4}
    resource = _wire(response_to_questionnaire_response(PHQ15, answers, not_applicable={"phq15_4"}))
    [item_4] = [item for item in resource["item"] if item["linkId"] == "phq15_4"]
    assert item_4["answer"][0]["valueCoding"]["code"] == NOT_APPLICABLE_CODE
    values = questionnaire_response_to_answers(resource, PHQ15)
    assert "phq15_4" not in values
    marked = questionnaire_response_not_applicable(resource, PHQ15)
    assert marked == {"phq15_4"}
    score = score_response(
        PHQ15, values, respondent=Respondent(sex=None, declared_not_applicable=marked)
    )
    total = score.scale("total")
    assert (total.value, total.range_min, total.range_max) == (14, 0, 28)
    # The SDC calculatedExpression skips the mark too: 14 x 1 (fhirpathpy).
    [score_item] = _items()["score.total"]["extension"]
    assert score_item["url"] == CALCULATED_EXPRESSION
    expression = score_item["valueExpression"]["expression"]
    result = evaluate(resource, expression, {"resource": resource}, R4)
    assert [Fraction(str(v)) for v in result] == [14]


def test_an_item_for_everyone_cannot_be_marked_as_not_applying() -> None:
    with pytest.raises(ValueError, match="phq15_1"):
        response_to_questionnaire_response(PHQ15, {}, not_applicable={"phq15_1"})
    resource = _wire(response_to_questionnaire_response(PHQ15, {}, not_applicable={"phq15_4"}))
    resource["item"][0]["linkId"] = "phq15_1"
    with pytest.raises(FhirMappingError) as raised:
        questionnaire_response_to_answers(resource, PHQ15)
    assert "applies to every respondent" in raised.value.problems[0].message

"""The SDC calculatedExpression, evaluated by an independent FHIRPath engine (fhirpathpy)
on a filled-in QuestionnaireResponse, gives the core's total."""

from __future__ import annotations

import json
from decimal import Decimal
from fractions import Fraction
from typing import Any

import pytest
from fhirpathpy import evaluate
from fhirpathpy.models import models
from hypothesis import given, settings
from hypothesis import strategies as st

from maatwerk.core.fhir.constants import CALCULATED_EXPRESSION
from maatwerk.core.fhir.expressions import scale_expression
from maatwerk.core.fhir.questionnaire import instrument_to_questionnaire
from maatwerk.core.fhir.response import response_to_questionnaire_response
from maatwerk.core.instruments.model import Instrument, Sex
from maatwerk.core.instruments.registry import bundled_instruments, get_instrument
from maatwerk.core.instruments.scoring import Respondent, score_response
from maatwerk.core.instruments.transforms import possible_answers
from tests.core.instruments.factories import build, definition, options, scale

R4 = models["r4"]


def calculated(instrument: Instrument, scale_id: str) -> str:
    """The expression as exported in the Questionnaire (not taken from the helper)."""
    resource = instrument_to_questionnaire(instrument, language="en")
    [item] = [i for i in resource["item"] if i["linkId"] == f"score.{scale_id}"]
    [found] = [e for e in item["extension"] if e["url"] == CALCULATED_EXPRESSION]
    expression: str = found["valueExpression"]["expression"]
    return expression


def fhirpath_total(expression: str, response: dict[str, Any]) -> Fraction | None:
    response = json.loads(json.dumps(response))  # as received over the wire
    result = evaluate(response, expression, {"resource": response}, R4)
    if not result:
        return None
    [value] = result
    return Fraction(str(value))


def lhc_style(instrument: Instrument, answers: dict[str, int]) -> dict[str, Any]:
    """A QuestionnaireResponse as a form client produces it: the code and display of the
    chosen option, no ordinalValue, no system."""
    return {
        "resourceType": "QuestionnaireResponse",
        "status": "completed",
        "item": [
            {"linkId": item_id, "answer": [{"valueCoding": {"code": str(value), "display": "x"}}]}
            for item_id, value in answers.items()
        ],
    }


def core_total(
    instrument: Instrument, answers: dict[str, int], sex: Sex | None, scale_id: str = "total"
) -> Fraction | None:
    score = score_response(instrument, answers, respondent=Respondent(sex=sex))
    return score.scale(scale_id).value


PHQ9_SETS = [
    [0] * 9,
    [3] * 9,
    [1, 2, 3, 0, 1, 2, 3, 0, 1],
    [2, 2, 2, 1, 1, 1, 0, 0, 0],
    [0, 0, 0, 0, 0, 0, 0, 0, 3],
]
GAD7_SETS = [[0] * 7, [3] * 7, [1, 2, 3, 0, 1, 2, 3], [2, 0, 2, 0, 2, 0, 1]]
PHQ15_SETS = [[0] * 15, [2] * 15, [1, 2, 0, 1, 2, 0, 1, 2, 0, 1, 2, 0, 1, 2, 0], [1] * 15]


def _answers(prefix: str, values: list[int]) -> dict[str, int]:
    return {f"{prefix}_{n}": value for n, value in enumerate(values, start=1)}


@pytest.mark.parametrize("values", PHQ9_SETS)
def test_phq9_total(values: list[int]) -> None:
    instrument = get_instrument("phq9")
    expression = calculated(instrument, "total")
    answers = _answers("phq9", values) | {"phq9_10": 1}  # item 10 is asked, not scored
    expected = core_total(instrument, answers, None)
    assert expected == sum(values)
    for response in (
        response_to_questionnaire_response(instrument, answers),
        lhc_style(instrument, answers),
    ):
        assert fhirpath_total(expression, response) == expected


@pytest.mark.parametrize("values", GAD7_SETS)
def test_gad7_total(values: list[int]) -> None:
    instrument = get_instrument("gad7")
    expression = calculated(instrument, "total")
    answers = _answers("gad7", values)
    expected = core_total(instrument, answers, "male")
    for response in (
        response_to_questionnaire_response(instrument, answers),
        lhc_style(instrument, answers),
    ):
        assert fhirpath_total(expression, response) == expected == sum(values)


@pytest.mark.parametrize("values", PHQ15_SETS)
@pytest.mark.parametrize("sex", ["female", "male"])
def test_phq15_total_for_women_and_men(values: list[int], sex: Sex) -> None:
    instrument = get_instrument("phq15")
    expression = calculated(instrument, "total")
    answers = _answers("phq15", values)
    if sex == "male":
        del answers["phq15_4"]  # women only
    expected = core_total(instrument, answers, sex)
    assert expected == sum(answers.values())
    for response in (
        response_to_questionnaire_response(instrument, answers),
        lhc_style(instrument, answers),
    ):
        assert fhirpath_total(expression, response) == expected


@pytest.mark.parametrize("code", ["phq9", "gad7", "phq15"])
def test_no_total_while_an_item_is_missing(code: str) -> None:
    instrument = get_instrument(code)
    expression = calculated(instrument, "total")
    scale = instrument.scale("total")
    answers = dict.fromkeys(scale.items[1:], 1)  # the first item is missing
    assert core_total(instrument, answers, "female") is None
    response = response_to_questionnaire_response(instrument, answers)
    assert fhirpath_total(expression, response) is None
    empty = response_to_questionnaire_response(instrument, {})
    assert fhirpath_total(expression, empty) is None


def test_the_clients_own_calculated_total_is_not_counted() -> None:
    instrument = get_instrument("phq9")
    answers = _answers("phq9", [1] * 9)
    response = lhc_style(instrument, answers)
    response["item"].append({"linkId": "score.total", "answer": [{"valueInteger": 9}]})
    assert fhirpath_total(calculated(instrument, "total"), response) == 9


def expressible(instrument: Instrument) -> list[str]:
    return [
        scale.id
        for scale in instrument.scales
        if scale_expression(instrument, scale).expression is not None
    ]


CASES = [(i, s) for i in bundled_instruments() for s in expressible(i)]


@pytest.mark.parametrize(("instrument", "scale_id"), CASES, ids=[f"{i.code}.{s}" for i, s in CASES])
@settings(max_examples=15, deadline=None)
@given(data=st.data())
def test_every_expressible_scale_agrees_with_the_engine(
    instrument: Instrument, scale_id: str, data: st.DataObject
) -> None:
    sex: Sex = data.draw(st.sampled_from(["female", "male"]))
    respondent = Respondent(sex=sex)
    answers: dict[str, Decimal] = {}
    for item in instrument.items:
        if item.applies_to is not None and item.applies_to.sex and sex not in item.applies_to.sex:
            continue
        values = possible_answers(instrument.response_set(item.response_set))
        answers[item.id] = Decimal(data.draw(st.sampled_from(values)).numerator)
    expected = score_response(instrument, answers, respondent=respondent).scale(scale_id).value
    response = response_to_questionnaire_response(instrument, answers)
    assert fhirpath_total(calculated(instrument, scale_id), response) == expected


def test_decimal_and_mixed_response_sets() -> None:
    halves = {
        "id": "halves",
        "kind": "numeric",
        "min": 0,
        "max": Decimal("2.5"),
        "step": Decimal("0.5"),
        "source": "fixture",
    }
    data = definition(n_items=3, scales=[scale(["q1", "q2", "q3"], range={"min": 0, "max": 8})])
    data["response_sets"] = [options(range(4)), halves]
    data["items"][2]["response_set"] = "halves"
    data["scales"][0]["range"] = {"min": 0, "max": Decimal("8.5")}
    instrument = build(data)
    expression = calculated(instrument, "total")
    assert "iif(code.exists(), code.toDecimal(), $this.toDecimal())" in expression
    answers = {"q1": Decimal(2), "q2": Decimal(3), "q3": Decimal("1.5")}
    response = response_to_questionnaire_response(instrument, answers)
    expected = core_total(instrument, answers, None)  # type: ignore[arg-type]
    assert expected == Fraction(13, 2)
    assert fhirpath_total(expression, response) == expected


@pytest.mark.parametrize(
    ("answers", "total"),
    [
        # q1 and q2 swap 1 <-> 2; q3 is reversed (3 - x) after the swap: the engine's order.
        ({"q1": 1, "q2": 2, "q3": 0}, 2 + 1 + 3),
        ({"q1": 2, "q2": 2, "q3": 1}, 1 + 1 + (3 - 2)),
        ({"q1": 0, "q2": 3, "q3": 3}, 0 + 3 + 0),
    ],
)
def test_a_swapping_value_recode_and_reversal_match_the_engine(
    answers: dict[str, int], total: int
) -> None:
    recoded = scale(
        ["q1", "q2", "q3"],
        value_recode=[{"answer": 1, "score": 2}, {"answer": 2, "score": 1}],
        reverse={"items": ["q3"], "constant": 3},
        range={"min": 0, "max": 9},
    )
    instrument = build(definition(n_items=3, scales=[recoded]))
    assert core_total(instrument, answers, None) == total  # type: ignore[arg-type]
    response = response_to_questionnaire_response(instrument, answers)
    assert fhirpath_total(calculated(instrument, "total"), response) == total
    assert fhirpath_total(calculated(instrument, "total"), lhc_style(instrument, answers)) == total

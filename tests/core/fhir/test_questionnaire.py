"""Instruments as FHIR Questionnaires: every export validates with fhir.resources, and an
import of the export gives back an equal instrument."""

from __future__ import annotations

import copy
import json
from decimal import Decimal
from typing import Any

import pytest
from fhir.resources.R4B.questionnaire import Questionnaire

from maatwerk.core.fhir.constants import (
    CALCULATED_EXPRESSION,
    DATA_ABSENT_REASON_SYSTEM,
    EXT_APPLIES_TO,
    EXT_INSTRUMENT_DEFINITION,
    EXT_SCORE_NOT_CALCULATED,
    EXT_TEXT_UNVERIFIED,
    LICENSED_TEXT_PLACEHOLDER,
    MAX_VALUE,
    MIN_VALUE,
    ORDINAL_VALUE,
    TRANSLATION,
)
from maatwerk.core.fhir.errors import FhirMappingError
from maatwerk.core.fhir.questionnaire import (
    instrument_to_questionnaire,
    questionnaire_to_instrument,
)
from maatwerk.core.fhir.values import definition_json
from maatwerk.core.instruments.licensed_texts import apply_licensed_texts, load_licensed_texts_json
from maatwerk.core.instruments.model import Instrument, NumericResponseSet, OptionsResponseSet
from maatwerk.core.instruments.registry import bundled_instruments, get_instrument
from tests.core.instruments.factories import build, definition, scale
from tests.core.instruments.test_licensed_texts import tsk_texts

BUNDLED = bundled_instruments()
IDS = [f"{i.code}-{i.version}" for i in BUNDLED]


def items_by_link_id(resource: dict[str, Any]) -> dict[str, dict[str, Any]]:
    return {item["linkId"]: item for item in resource["item"]}


def extension(element: dict[str, Any], url: str) -> dict[str, Any] | None:
    found = [e for e in element.get("extension", []) if e["url"] == url]
    assert len(found) <= 1
    return found[0] if found else None


def through_json(resource: dict[str, Any], *, exact: bool = False) -> dict[str, Any]:
    """As another system would store and send it back."""
    text = json.dumps(resource)
    loaded: dict[str, Any] = json.loads(text, parse_float=Decimal) if exact else json.loads(text)
    return loaded


@pytest.mark.parametrize("language", ["nl", "en"])
@pytest.mark.parametrize("instrument", BUNDLED, ids=IDS)
def test_every_export_validates_and_round_trips(instrument: Instrument, language: str) -> None:
    resource = instrument_to_questionnaire(instrument, language=language)
    Questionnaire.model_validate(resource)
    assert questionnaire_to_instrument(through_json(resource)) == instrument
    assert questionnaire_to_instrument(through_json(resource, exact=True)) == instrument


@pytest.mark.parametrize("instrument", BUNDLED, ids=IDS)
def test_identity_items_and_options(instrument: Instrument) -> None:
    resource = instrument_to_questionnaire(instrument, language="en")
    assert resource["url"] == f"https://maatwerk.example/fhir/Questionnaire/{instrument.code}"
    assert resource["version"] == instrument.version
    assert resource["identifier"] == [
        {
            "system": "https://maatwerk.example/fhir/instrument",
            "value": f"{instrument.code}-{instrument.version}",
        }
    ]
    assert resource["status"] == "active"
    assert resource["title"] == instrument.name.get("en", fallback=True)
    questions = [i for i in resource["item"] if i["type"] not in ("display",)]
    link_ids = [i["linkId"] for i in questions]
    assert link_ids == [item.id for item in instrument.items] + [
        f"score.{s.id}" for s in instrument.scales
    ]
    by_id = items_by_link_id(resource)
    for item in instrument.items:
        exported = by_id[item.id]
        assert "enableWhen" not in exported
        response_set = instrument.response_set(item.response_set)
        if isinstance(response_set, OptionsResponseSet):
            assert exported["type"] == "choice"
            # An item for one sex only has one more option, "Dit geldt niet voor mij"
            # (data-absent-reason#not-applicable, tests/core/fhir/test_sex_dependent_items).
            scored = [
                o
                for o in exported["answerOption"]
                if o["valueCoding"]["system"] != DATA_ABSENT_REASON_SYSTEM
            ]
            assert len(exported["answerOption"]) - len(scored) == (
                1 if item.applies_to is not None and item.applies_to.sex else 0
            )
            codes = [o["valueCoding"]["code"] for o in scored]
            ordinals = [extension(o, ORDINAL_VALUE) for o in scored]
            values = [Decimal(str(o["valueDecimal"])) for o in ordinals if o is not None]
            assert values == list(response_set.values())
            assert [Decimal(code) for code in codes] == list(response_set.values())
        else:
            assert isinstance(response_set, NumericResponseSet)
            assert exported["type"] in ("integer", "decimal")
            kind = "valueInteger" if exported["type"] == "integer" else "valueDecimal"
            low, high = extension(exported, MIN_VALUE), extension(exported, MAX_VALUE)
            assert low is not None and high is not None
            assert (Decimal(str(low[kind])), Decimal(str(high[kind]))) == (
                response_set.min,
                response_set.max,
            )
        if not instrument.licence.item_texts_shipped:
            assert exported["text"] == LICENSED_TEXT_PLACEHOLDER


def test_phq9_in_dutch() -> None:
    resource = instrument_to_questionnaire(get_instrument("phq9"), language="nl")
    by_id = items_by_link_id(resource)
    assert resource["language"] == "nl"
    assert by_id["display.instructions"]["type"] == "display"
    item = by_id["phq9_1"]
    # From 1.2 items 1-9 are the published Dutch text (awell-score): not marked unverified;
    # item 10 is still Maatwerk's own translation and keeps the mark.
    assert item["text"] == "Weinig interesse of plezier in activiteiten"
    assert extension(item, EXT_TEXT_UNVERIFIED) is None
    assert extension(by_id["phq9_10"], EXT_TEXT_UNVERIFIED) == {
        "url": EXT_TEXT_UNVERIFIED,
        "valueBoolean": True,
    }
    first = item["answerOption"][0]
    assert first["valueCoding"] == {
        "system": "https://maatwerk.example/fhir/CodeSystem/phq9/frequency_0_3",
        "code": "0",
        "display": "Helemaal niet",
        "_display": {
            "extension": [
                {
                    "url": TRANSLATION,
                    "extension": [
                        {"url": "lang", "valueCode": "en"},
                        {"url": "content", "valueString": "Not at all"},
                    ],
                }
            ]
        },
    }
    assert first["extension"] == [{"url": ORDINAL_VALUE, "valueDecimal": 0}]
    english = items_by_link_id(instrument_to_questionnaire(get_instrument("phq9"), language="en"))
    assert english["phq9_1"]["text"] == "Little interest or pleasure in doing things"
    assert extension(english["phq9_1"], EXT_TEXT_UNVERIFIED) is None


def _translations(element: dict[str, Any]) -> dict[str, str]:
    found: dict[str, str] = {}
    for ext in element.get("extension", []):
        assert ext["url"] == TRANSLATION
        parts = {part["url"]: part for part in ext["extension"]}
        found[parts["lang"]["valueCode"]] = parts["content"]["valueString"]
    return found


@pytest.mark.parametrize("instrument", BUNDLED, ids=IDS)
def test_both_languages_carry_every_text_of_the_other_as_a_translation(
    instrument: Instrument,
) -> None:
    """One canonical url|version, one content: the Dutch and the English export hold the
    same texts, each with the other language as a FHIR translation extension."""
    dutch = instrument_to_questionnaire(instrument, language="nl")
    english = instrument_to_questionnaire(instrument, language="en")
    assert (dutch["url"], dutch["version"]) == (english["url"], english["version"])

    def texts(resource: dict[str, Any]) -> dict[str, set[str]]:
        return {
            item["linkId"]: {item["text"], *_translations(item.get("_text", {})).values()}
            for item in items_by_link_id(resource).values()
        }

    assert texts(dutch) == texts(english)
    for item in instrument.items:
        own_nl = item.text.get("nl") if item.text is not None else None
        own_en = item.text.get("en") if item.text is not None else None
        if own_nl is None or own_en is None:
            continue
        nl_item = items_by_link_id(dutch)[item.id]
        en_item = items_by_link_id(english)[item.id]
        assert (nl_item["text"], _translations(nl_item["_text"])) == (own_nl, {"en": own_en})
        assert (en_item["text"], _translations(en_item["_text"])) == (own_en, {"nl": own_nl})
    if instrument.name.get("nl") and instrument.name.get("en"):
        assert _translations(dutch["_title"]) == {"en": instrument.name.get("en")}


def test_applicability_is_an_extension_and_an_sdc_expression_not_enable_when() -> None:
    by_id = items_by_link_id(instrument_to_questionnaire(get_instrument("phq15"), language="en"))
    assert extension(by_id["phq15_4"], EXT_APPLIES_TO) == {
        "url": EXT_APPLIES_TO,
        "extension": [{"url": "sex", "valueCode": "female"}],
    }
    assert extension(by_id["phq15_3"], EXT_APPLIES_TO) is None


@pytest.mark.parametrize(
    ("code", "scale_id"), [("phq9", "total"), ("gad7", "total"), ("phq15", "total")]
)
def test_plain_sums_get_a_calculated_expression(code: str, scale_id: str) -> None:
    by_id = items_by_link_id(instrument_to_questionnaire(get_instrument(code), language="en"))
    score = by_id[f"score.{scale_id}"]
    assert score["readOnly"] is True
    assert score["type"] == "integer"
    found = extension(score, CALCULATED_EXPRESSION)
    assert found is not None
    assert found["valueExpression"]["language"] == "text/fhirpath"
    assert extension(score, EXT_SCORE_NOT_CALCULATED) is None


@pytest.mark.parametrize(
    ("code", "scale_id", "fragment"),
    [
        # Reversal: 5 - answer for the reverse-keyed TSK items only.
        ("tsk", "total", "iif(linkId in ('tsk_4' | 'tsk_8' | 'tsk_12' | 'tsk_16'), 5 - ("),
        # A value recode tests the answer itself in every step.
        (
            "phq15",
            "items_scored_2",
            "iif(answer.value.code.toInteger() = 1, 0, "
            "iif(answer.value.code.toInteger() = 2, 1, answer.value.code.toInteger()))",
        ),
        ("fourdsq", "depression", "= 3, 2, iif(answer.value.code.toInteger() = 4, 2,"),
        ("cis", "fatigue_severity", "8 - (answer.value.code.toInteger())"),
    ],
)
def test_recoded_and_reversed_sums_get_an_expression(
    code: str, scale_id: str, fragment: str
) -> None:
    # That fhirpathpy evaluates them to the engine's score is checked in test_expressions.
    by_id = items_by_link_id(instrument_to_questionnaire(get_instrument(code), language="en"))
    score = by_id[f"score.{scale_id}"]
    found = extension(score, CALCULATED_EXPRESSION)
    assert found is not None and fragment in found["valueExpression"]["expression"]
    assert extension(score, EXT_SCORE_NOT_CALCULATED) is None


@pytest.mark.parametrize(
    ("code", "scale_id", "reason"),
    [
        ("tfi", "overall", "method 'linear_0_100'"),
        ("tfi", "overall", "proration of missing answers (prorate_min_k)"),
        ("tfi", "intrusive", "item recodes (tfi_1, tfi_3)"),
        ("rand36", "physical_functioning", "the mean of the answered items (mean_of_answered)"),
        # The Dutch EQ-5D-5L value set (a constant once any dimension is above level 1, then
        # a decrement per level) is not a plain sum, so no calculatedExpression is claimed.
        ("eq5d5l", "utility_nl", "method 'utility'"),
    ],
)
def test_other_scales_say_why_they_have_none(code: str, scale_id: str, reason: str) -> None:
    by_id = items_by_link_id(instrument_to_questionnaire(get_instrument(code), language="en"))
    score = by_id[f"score.{scale_id}"]
    assert extension(score, CALCULATED_EXPRESSION) is None
    found = extension(score, EXT_SCORE_NOT_CALCULATED)
    assert found is not None and reason in found["valueString"]


def test_prorated_and_mean_scales_have_no_expression() -> None:
    data = definition(
        scales=[
            scale(
                ["q1", "q2", "q3", "q4"],
                id="prorated",
                missing={"rule": "prorate_min_k", "min_answered": 3, "source": "fixture"},
            ),
            scale(
                ["q1", "q2", "q3", "q4"],
                id="average",
                method="mean",
                range={"min": 0, "max": 3},
            ),
        ]
    )
    by_id = items_by_link_id(instrument_to_questionnaire(build(data), language="en"))
    prorated = extension(by_id["score.prorated"], EXT_SCORE_NOT_CALCULATED)
    average = extension(by_id["score.average"], EXT_SCORE_NOT_CALCULATED)
    assert prorated is not None and "prorate_min_k" in prorated["valueString"]
    assert average is not None and "'mean'" in average["valueString"]
    assert by_id["score.prorated"]["type"] == "decimal"  # 4/3 x 5 is not whole
    assert by_id["score.average"]["type"] == "decimal"


def test_decimal_numeric_items_and_exact_numbers_round_trip() -> None:
    response_set = {
        "id": "half_points",
        "kind": "numeric",
        "min": 0,
        "max": Decimal("2.5"),
        "step": Decimal("0.5"),
        "source": "fixture",
    }
    data = definition(
        n_items=2,
        response_set=response_set,
        scales=[scale(["q1", "q2"], range={"min": 0, "max": 5})],
    )
    data["scales"][0]["reliability"] = [
        {"kind": "cronbach_alpha", "value": Decimal("0.30"), "source": "fixture"}
    ]
    instrument = build(data)
    resource = instrument_to_questionnaire(instrument, language="nl")
    q1 = items_by_link_id(resource)["q1"]
    assert q1["type"] == "decimal"
    assert extension(q1, MAX_VALUE) == {"url": MAX_VALUE, "valueDecimal": 2.5}
    assert '"value":0.30' in definition_json(instrument)
    back = questionnaire_to_instrument(through_json(resource))
    assert back == instrument
    assert str(back.scales[0].reliability[0].value) == "0.30"


def test_an_organizations_licensed_texts_are_exported_and_round_trip() -> None:
    texts = load_licensed_texts_json(json.dumps(tsk_texts()), origin="org.json")
    instrument = apply_licensed_texts(get_instrument("tsk"), texts)
    resource = instrument_to_questionnaire(instrument, language="nl")
    by_id = items_by_link_id(resource)
    assert by_id["tsk_3"]["text"] == "Stelling 3"
    assert by_id["tsk_3"]["answerOption"][0]["valueCoding"]["display"] == "helemaal oneens"
    assert "Praktijk De Linde" in resource["copyright"]
    assert questionnaire_to_instrument(through_json(resource)) == instrument


def test_an_unknown_language_is_refused() -> None:
    with pytest.raises(ValueError, match="'de'"):
        instrument_to_questionnaire(get_instrument("phq9"), language="de")


# ------------------------------------------------------------------------- import


def phq9_resource() -> dict[str, Any]:
    return copy.deepcopy(instrument_to_questionnaire(get_instrument("phq9"), language="en"))


def import_problems(resource: object) -> list[str]:
    with pytest.raises(FhirMappingError) as caught:
        questionnaire_to_instrument(resource)  # type: ignore[arg-type]
    return [str(problem) for problem in caught.value.problems]


def test_import_without_the_definition_extension_names_what_is_missing() -> None:
    resource = phq9_resource()
    del resource["extension"]
    [problem] = import_problems(resource)
    assert problem.startswith("Questionnaire.extension: the extension ")
    assert EXT_INSTRUMENT_DEFINITION in problem
    assert "instrument definition" in problem


def test_import_of_a_foreign_questionnaire_without_scoring_is_refused() -> None:
    foreign = {
        "resourceType": "Questionnaire",
        "status": "active",
        "item": [{"linkId": "1", "text": "How are you?", "type": "string"}],
    }
    [problem] = import_problems(foreign)
    assert EXT_INSTRUMENT_DEFINITION in problem


def test_import_reports_problems_in_the_definition_with_their_paths() -> None:
    resource = phq9_resource()
    data = json.loads(resource["extension"][0]["valueString"])
    data["scales"][0]["range"]["max"] = 30
    data["scales"][0]["method"] = "median"
    resource["extension"][0]["valueString"] = json.dumps(data)
    problems = import_problems(resource)
    assert problems == [
        "Questionnaire.extension[0].valueString $.scales[0].method: Input should be 'sum', "
        "'mean', 'linear_0_100' or 'utility' (got 'median')"
    ]
    resource["extension"][0]["valueString"] = "{not json"
    [problem] = import_problems(resource)
    assert problem.startswith("Questionnaire.extension[0].valueString $: invalid JSON")


def test_import_checks_the_items_against_the_definition() -> None:
    resource = phq9_resource()
    resource["version"] = "2.0"
    resource["item"][1]["linkId"] = "phq9_99"
    resource["item"][2]["answerOption"].pop()
    problems = import_problems(resource)
    assert problems == [
        "Questionnaire.version: '2.0' differs from the definition's version '1.2'",
        "Questionnaire.item[1].linkId: 'phq9_99' is not an item of the instrument definition",
        "Questionnaire.item[2].answerOption: answer codes ['0', '1', '2'] differ from the "
        "definition's values ['0', '1', '2', '3']",
        "Questionnaire.item: the definition's item 'phq9_1' has no item",
    ]


def test_import_of_invalid_fhir_is_refused() -> None:
    resource = phq9_resource()
    del resource["status"]
    assert import_problems(resource) == [
        "Questionnaire.status: Value for the field 'status' is required."
    ]
    resource = phq9_resource()
    resource["item"][1]["type"] = None
    assert import_problems(resource) == [
        "Questionnaire.item[1].type: Value for the field 'type' is required."
    ]
    assert import_problems({"resourceType": "Patient"}) == [
        "Questionnaire.resourceType: must be 'Questionnaire', got 'Patient'"
    ]


def test_two_definition_extensions_are_refused() -> None:
    resource = phq9_resource()
    resource["extension"].append(resource["extension"][0])
    [problem] = import_problems(resource)
    assert "occurs 2 times" in problem

"""Scale scores as FHIR Observations (and safety flags as an OperationOutcome)."""

from __future__ import annotations

from datetime import UTC, datetime
from decimal import Decimal

import pytest
from fhir.resources.R4B.bundle import Bundle
from fhir.resources.R4B.observation import Observation

from maatwerk.core.fhir.observation import collection_bundle, safety_outcome, score_to_observations
from maatwerk.core.fhir.values import definition_json, number_code
from maatwerk.core.instruments.registry import get_instrument
from maatwerk.core.instruments.scoring import Respondent, score_response
from tests.core.instruments.factories import build, definition, scale

WHEN = datetime(2026, 11, 23, 9, 0, tzinfo=UTC)
PATIENT = "0b7e6f2a-1c3d-4e5f-8a9b-0c1d2e3f4a5b"


def test_phq9_total_as_an_observation() -> None:
    instrument = get_instrument("phq9")
    answers = {f"phq9_{n}": v for n, v in enumerate([1, 2, 3, 0, 1, 2, 3, 0, 0, 1], start=1)}
    score = score_response(instrument, answers, respondent=Respondent(sex="female"))
    [observation] = score_to_observations(
        instrument,
        score,
        derived_from="QuestionnaireResponse/abc",
        subject_id=PATIENT,
        effective=WHEN,
        language="en",
    )
    Observation.model_validate(observation)
    assert observation["status"] == "final"
    assert observation["code"]["text"] == "PHQ-9 - PHQ-9 total score"
    assert observation["code"]["coding"][0]["code"] == "phq9.total"
    assert observation["valueInteger"] == 12
    assert observation["interpretation"] == [{"text": "moderate"}]
    assert observation["derivedFrom"] == [{"reference": "QuestionnaireResponse/abc"}]
    assert observation["subject"]["identifier"]["value"] == PATIENT
    assert observation["effectiveDateTime"] == "2026-11-23T09:00:00+00:00"
    assert observation["category"][0]["coding"][0]["code"] == "survey"
    assert "12" in observation["note"][0]["text"]
    dutch = score_to_observations(instrument, score, language="nl")[0]
    assert dutch["interpretation"] == [{"text": "matig"}]
    assert safety_outcome(score) is None


def test_every_scale_of_an_instrument_gets_one() -> None:
    instrument = get_instrument("phq15")
    answers = {f"phq15_{n}": 2 for n in range(1, 16) if n != 4}
    score = score_response(instrument, answers, respondent=Respondent(sex="male"))
    observations = score_to_observations(instrument, score, language="en")
    values = {o["code"]["coding"][0]["code"]: o["valueInteger"] for o in observations}
    assert values == {"phq15.total": 28, "phq15.items_scored_2": 14}
    bundle = collection_bundle(observations)
    Bundle.model_validate(bundle)
    # R4: each entry has a fullUrl, absolute or a urn:uuid, none twice.
    full_urls = [entry["fullUrl"] for entry in bundle["entry"]]
    assert all(url.startswith("urn:uuid:") and len(url) == 45 for url in full_urls)
    assert len(set(full_urls)) == len(full_urls) == len(observations)


def test_fractional_scores_are_quantities_and_unscored_scales_say_why() -> None:
    data = definition(
        scales=[
            scale(
                ["q1", "q2", "q3", "q4"],
                id="prorated",
                missing={"rule": "prorate_min_k", "min_answered": 3, "source": "fixture"},
            ),
            scale(["q1", "q2", "q3", "q4"], id="complete"),
        ]
    )
    instrument = build(data)
    score = score_response(instrument, {"q1": 1, "q2": 1, "q3": 2}, respondent=Respondent())
    prorated, complete = score_to_observations(instrument, score, language="en")
    # (1 + 1 + 2) x 4/3 = 16/3 = 5.3333...
    assert prorated["valueQuantity"] == {
        "value": 5.3333,
        "unit": "score",
        "system": "http://unitsofmeasure.org",
        "code": "{score}",
    }
    assert "valueInteger" not in prorated
    assert complete["dataAbsentReason"] == {
        "text": "1 of 4 items not answered; every item is needed"
    }
    for observation in (prorated, complete):
        Observation.model_validate(observation)


def test_a_safety_flag_becomes_a_warning_with_the_patient_message() -> None:
    instrument = get_instrument("phq9")
    answers = {f"phq9_{n}": 0 for n in range(1, 10)} | {"phq9_9": 1}
    score = score_response(instrument, answers, respondent=Respondent())
    outcome = safety_outcome(score, language="nl")
    assert outcome is not None
    [issue] = outcome["issue"]
    assert issue["severity"] == "warning"
    assert "113" in issue["details"]["text"]
    assert "phq9_item9_self_harm" in issue["diagnostics"]


def test_a_score_of_another_instrument_is_refused() -> None:
    gad7 = get_instrument("gad7")
    score = score_response(gad7, {f"gad7_{n}": 0 for n in range(1, 8)}, respondent=Respondent())
    with pytest.raises(ValueError, match="gad7"):
        score_to_observations(get_instrument("phq9"), score)


def test_number_codes_and_exact_definition_json() -> None:
    assert [number_code(Decimal(v)) for v in ("2", "2.50", "0.25", "10")] == [
        "2",
        "2.5",
        "0.25",
        "10",
    ]
    text = definition_json(get_instrument("gad7", "1.0"))
    assert text.startswith('{"format":1,"code":"gad7","version":"1.0"')

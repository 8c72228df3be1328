"""Scale scores as FHIR ``Observation`` resources, collected in a ``Bundle``.

One Observation per scale: ``status`` final, category ``survey``, ``code.text`` =
"<instrument short name> - <scale name>" with the coding ``<instrument code>.<scale
id>`` in Maatwerk's scale code system, ``valueInteger`` for scales whose every possible
score is a whole number (complete sums), otherwise ``valueQuantity`` (unit ``{score}``,
rounded half up to 4 decimals, or the scale's display decimals when more), a
``dataAbsentReason`` when the scale could not be scored, ``interpretation.text`` = the
band label, a ``note`` with the explanation of the computation, and ``derivedFrom`` =
the QuestionnaireResponse the answers came from.

Safety rules that fired are reported in an ``OperationOutcome`` (severity warning, the
patient message in ``details.text``), so that a client can show where to get help now.
"""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from datetime import datetime

from maatwerk.core.common.json_types import JsonObject
from maatwerk.core.fhir.constants import (
    OBSERVATION_CATEGORY_SYSTEM,
    PATIENT_IDENTIFIER_SYSTEM,
    SCALE_CODE_SYSTEM,
    UCUM,
)
from maatwerk.core.fhir.response import fhir_datetime, identifier_reference
from maatwerk.core.fhir.validation import validate_resource
from maatwerk.core.fhir.values import json_number
from maatwerk.core.instruments.model import Instrument, base_language
from maatwerk.core.instruments.scoring import InstrumentScore, ScaleScore
from maatwerk.core.instruments.transforms import is_integer_valued

QUANTITY_DECIMALS = 4


def _value(instrument: Instrument, scale_score: ScaleScore) -> JsonObject:
    scale = instrument.scale(scale_score.scale_id)
    if scale_score.value is None:
        reason = scale_score.explanation.reason_unscored or "not scored"
        return {"dataAbsentReason": {"text": reason}}
    if is_integer_valued(instrument, scale) and scale_score.value.denominator == 1:
        return {"valueInteger": int(scale_score.value)}
    rounded = scale_score.rounded(max(QUANTITY_DECIMALS, scale_score.display_decimals))
    assert rounded is not None  # noqa: S101 - value is not None
    return {
        "valueQuantity": {
            "value": json_number(rounded),
            "unit": "score",
            "system": UCUM,
            "code": "{score}",
        }
    }


def score_to_observations(
    instrument: Instrument,
    score: InstrumentScore,
    *,
    derived_from: str | None = None,
    subject_id: str | None = None,
    effective: datetime | None = None,
    language: str = "nl",
) -> list[JsonObject]:
    """One Observation per scale of ``score``.

    ``derived_from`` is a reference such as ``"QuestionnaireResponse/<id>"``;
    ``subject_id`` the Maatwerk patient id.
    """
    if (score.instrument_code, score.instrument_version) != (instrument.code, instrument.version):
        raise ValueError(
            f"score of {score.instrument_code} {score.instrument_version}, "
            f"not of {instrument.code} {instrument.version}"
        )
    base = base_language(language) or "nl"
    observations: list[JsonObject] = []
    for scale_score in score.scales:
        scale = instrument.scale(scale_score.scale_id)
        scale_name = scale.name.get(base, fallback=True) or scale.id
        observation: JsonObject = {
            "resourceType": "Observation",
            "language": base,
            "status": "final",
            "category": [
                {
                    "coding": [
                        {
                            "system": OBSERVATION_CATEGORY_SYSTEM,
                            "code": "survey",
                            "display": "Survey",
                        }
                    ]
                }
            ],
            "code": {
                "coding": [
                    {
                        "system": SCALE_CODE_SYSTEM,
                        "code": f"{instrument.code}.{scale.id}",
                        "display": f"{instrument.short_name} - {scale_name}",
                    }
                ],
                "text": f"{instrument.short_name} - {scale_name}",
            },
        }
        if subject_id is not None:
            observation["subject"] = identifier_reference(PATIENT_IDENTIFIER_SYSTEM, subject_id)
        if effective is not None:
            observation["effectiveDateTime"] = fhir_datetime(effective)
        observation.update(_value(instrument, scale_score))
        band = scale_score.band_label(base)
        if band is not None:
            observation["interpretation"] = [{"text": band}]
        explanation = (
            scale_score.explanation.text_nl if base == "nl" else scale_score.explanation.text_en
        )
        observation["note"] = [{"text": explanation}]
        if derived_from is not None:
            observation["derivedFrom"] = [{"reference": derived_from}]
        validate_resource(observation, "Observation")
        observations.append(observation)
    return observations


def safety_outcome(score: InstrumentScore, *, language: str = "nl") -> JsonObject | None:
    """An OperationOutcome with one warning per safety rule that fired, else None."""
    if not score.safety_flags:
        return None
    base = base_language(language) or "nl"
    outcome: JsonObject = {
        "resourceType": "OperationOutcome",
        "issue": [
            {
                "severity": "warning",
                "code": "informational",
                "details": {"text": flag.patient_message.get(base, fallback=True) or flag.rule_id},
                "diagnostics": (
                    f"safety rule {flag.rule_id} ({flag.severity}) on item {flag.item_id}"
                ),
                "expression": [f"QuestionnaireResponse.item.where(linkId='{flag.item_id}')"],
            }
            for flag in score.safety_flags
        ],
    }
    validate_resource(outcome, "OperationOutcome")
    return outcome


def collection_bundle(resources: Sequence[JsonObject]) -> JsonObject:
    """A Bundle of type ``collection`` holding ``resources``.

    Every entry gets a ``fullUrl``: R4 asks one for each entry of a Bundle that is not a
    search result or a transaction without ids, and it must be absolute or a ``urn:uuid:``.
    These resources have no server address, so each gets a fresh random UUID.
    """
    bundle: JsonObject = {
        "resourceType": "Bundle",
        "type": "collection",
        "entry": [
            {"fullUrl": f"urn:uuid:{uuid.uuid4()}", "resource": resource} for resource in resources
        ],
    }
    validate_resource(bundle, "Bundle")
    return bundle

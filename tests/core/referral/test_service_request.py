from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime

import pytest

from maatwerk.core.fhir.errors import FhirMappingError
from maatwerk.core.fhir.service_request import (
    AGB_SYSTEM,
    ReferralFacts,
    referral_to_service_request,
)
from maatwerk.core.fhir.validation import structure_problems, validate_resource

FACTS = ReferralFacts(
    referral_id="7a0c4a52-2f7e-4d1e-9a55-3c1f2b0d9e11",
    patient_id="0b6f1c9e-8f9e-4c07-b4d7-5d6c2b8f0a33",
    state="sent",
    authored_on=datetime(2026, 11, 20, 9, 30, tzinfo=UTC),
    requester="Dr. A. de Vries, huisarts",
    requesting_organization="Gezondheidscentrum De Linde (demo)",
    performer="Drs. B. Kaya, Psychologenpraktijk De Brug",
    performer_agb_code="94012345",
    care_level_id="basis_ggz",
    care_level_name="Generalistische basis-GGZ",
    question="Graag behandeling van catastroferen bij chronische pijn.",
    summary_lines=("Catastroferen verhoogd (PCS 34 ≥ 30).", "Voorkeur: op locatie."),
    consent_statement="De patiënt gaf op 19-11-2026 mondeling toestemming in het consult.",
)


def test_service_request_has_the_referral_and_validates() -> None:
    resource = referral_to_service_request(FACTS)
    validate_resource(resource, "ServiceRequest")
    assert resource["status"] == "active"
    assert resource["intent"] == "order"
    assert resource["subject"]["identifier"]["value"] == FACTS.patient_id
    assert resource["performer"] == [
        {
            "display": FACTS.performer,
            "identifier": {"system": AGB_SYSTEM, "value": "94012345"},
        }
    ]
    assert resource["code"]["coding"][0]["code"] == "basis_ggz"
    assert resource["reasonCode"] == [{"text": FACTS.question}]
    assert [n["text"] for n in resource["note"]] == [*FACTS.summary_lines, FACTS.consent_statement]
    assert resource["authoredOn"] == "2026-11-20T09:30:00+00:00"


@pytest.mark.parametrize(("state", "status"), [("draft", "draft"), ("cancelled", "revoked")])
def test_states_map_to_fhir_status(state: str, status: str) -> None:
    facts = replace(FACTS, state=state, consent_statement="", performer_agb_code="", question="")  # type: ignore[arg-type]
    resource = referral_to_service_request(facts)
    assert structure_problems(resource, "ServiceRequest") == ()
    assert resource["status"] == status
    assert "identifier" not in resource["performer"][0]
    assert "reasonCode" not in resource


def test_the_validator_would_catch_a_broken_resource() -> None:
    resource = referral_to_service_request(FACTS)
    del resource["intent"]
    with pytest.raises(FhirMappingError):
        validate_resource(resource, "ServiceRequest")


def test_naive_time_is_refused() -> None:
    with pytest.raises(ValueError, match="timezone"):
        referral_to_service_request(replace(FACTS, authored_on=datetime(2026, 11, 20)))  # noqa: DTZ001

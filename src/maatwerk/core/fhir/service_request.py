"""A referral as a FHIR R4 ``ServiceRequest`` (pure: immutable values in, a dict out).

What is transmitted to the provider is this resource and the letter PDF; Maatwerk
itself has no transport. The patient is named by their Maatwerk id only (as in every
Maatwerk resource); the letter carries the name. Conventions: docs/referral.md and
docs/adr/0005-fhir-r4b-models.md.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Final, Literal

from maatwerk.core.common.json_types import JsonObject
from maatwerk.core.fhir.constants import BASE, PATIENT_IDENTIFIER_SYSTEM

REFERRAL_IDENTIFIER_SYSTEM: Final = f"{BASE}/referral"
"""``ServiceRequest.identifier``: the Maatwerk referral id (a UUID)."""
CARE_LEVEL_SYSTEM: Final = f"{BASE}/CodeSystem/care-level"
"""``ServiceRequest.code.coding``: the care level id of the knowledge base."""
AGB_SYSTEM: Final = "http://fhir.nl/fhir/NamingSystem/agb-z"
"""The Dutch AGB-Z naming system (Nictiz) for a care provider's AGB code."""

ReferralState = Literal["draft", "sent", "cancelled"]
_FHIR_STATUS: dict[ReferralState, str] = {
    "draft": "draft",
    "sent": "active",
    "cancelled": "revoked",
}


@dataclass(frozen=True, slots=True)
class ReferralFacts:
    referral_id: str
    patient_id: str
    state: ReferralState
    authored_on: datetime  # aware
    requester: str  # "name, discipline"
    requesting_organization: str
    performer: str  # provider name and practice
    performer_agb_code: str  # "" when unknown
    care_level_id: str
    care_level_name: str
    question: str  # the referring clinician's reason and question
    summary_lines: tuple[str, ...]  # screening summary, in the letter's language
    consent_statement: str  # "" before consent was recorded


def referral_to_service_request(facts: ReferralFacts) -> JsonObject:
    """The referral as a ServiceRequest: status draft/active/revoked, intent order."""
    if facts.authored_on.tzinfo is None:
        raise ValueError("authored_on must be timezone-aware")
    performer: JsonObject = {"display": facts.performer}
    if facts.performer_agb_code:
        performer["identifier"] = {"system": AGB_SYSTEM, "value": facts.performer_agb_code}
    notes = [{"text": line} for line in facts.summary_lines]
    if facts.consent_statement:
        notes.append({"text": facts.consent_statement})
    resource: JsonObject = {
        "resourceType": "ServiceRequest",
        "id": facts.referral_id,
        "identifier": [{"system": REFERRAL_IDENTIFIER_SYSTEM, "value": facts.referral_id}],
        "status": _FHIR_STATUS[facts.state],
        "intent": "order",
        "category": [{"text": "Referral"}],
        "code": {
            "coding": [
                {
                    "system": CARE_LEVEL_SYSTEM,
                    "code": facts.care_level_id,
                    "display": facts.care_level_name,
                }
            ],
            "text": facts.care_level_name,
        },
        "subject": {
            "type": "Patient",
            "identifier": {"system": PATIENT_IDENTIFIER_SYSTEM, "value": facts.patient_id},
        },
        "authoredOn": facts.authored_on.isoformat(),
        "requester": {"display": f"{facts.requester} ({facts.requesting_organization})"},
        "performer": [performer],
    }
    if facts.question.strip():
        resource["reasonCode"] = [{"text": facts.question.strip()}]
    if notes:
        resource["note"] = notes
    return resource

"""A referral as a FHIR ServiceRequest."""

from __future__ import annotations

from django.utils.translation import override

from maatwerk.core.common.json_types import JsonObject
from maatwerk.core.fhir.service_request import ReferralFacts, referral_to_service_request
from maatwerk.web.audit.audited import audited
from maatwerk.web.common.actor import Actor
from maatwerk.web.providers.models import Referral
from maatwerk.web.providers.selectors import OBJECT_REFERRAL, ReferralOpened
from maatwerk.web.providers.services.letters import consent_statement, letter_context


def referral_facts(referral: Referral) -> ReferralFacts:
    context = letter_context(referral)
    snapshot = referral.provider_snapshot
    with override(referral.language):
        consent = consent_statement(referral)
    return ReferralFacts(
        referral_id=str(referral.public_id),
        patient_id=str(referral.patient.public_id),
        state=referral.status,  # type: ignore[arg-type]
        authored_on=referral.sent_at or referral.created_at,
        requester=context.referrer,
        requesting_organization=referral.patient.organization.name,
        performer=", ".join(
            x for x in (snapshot.get("name", ""), snapshot.get("practice", "")) if x
        ),
        performer_agb_code=snapshot.get("agb_code", ""),
        care_level_id=referral.care_level,
        care_level_name=context.care_level,
        question=referral.question,
        summary_lines=tuple(referral.summary_lines),
        consent_statement=consent,
    )


def referral_service_request(*, actor: Actor, opened: ReferralOpened) -> JsonObject:
    """The referral as a FHIR ServiceRequest resource (JSON), one audited export."""
    with audited(
        actor=actor,
        action="export",
        subject=opened.subject(OBJECT_REFERRAL),
        emergency=opened.emergency,
        detail="FHIR ServiceRequest",
    ):
        return referral_to_service_request(referral_facts(opened.object))

"""Reading the provider directory and referrals, scoped to the requesting actor.

The directory belongs to an organization: its clinicians search it, its organization
admins manage it; nobody else sees it. Referrals are patient data and are opened only
through the patient access rule.
"""

from __future__ import annotations

import importlib
import logging
from dataclasses import dataclass

from django.db.models import QuerySet

from maatwerk.core.access import AccessBasis, Role
from maatwerk.core.referral import Coordinates, ProviderFacts
from maatwerk.core.referral.roles import REFERRING_DISCIPLINES
from maatwerk.core.screening.model import ReferralContext
from maatwerk.web.audit.services import audit_record
from maatwerk.web.common.actor import Actor
from maatwerk.web.organizations.models import Membership, Organization
from maatwerk.web.patients.models import CareTeamMember
from maatwerk.web.patients.selectors import (
    PatientAccess,
    PatientNotAccessible,
    is_uuid,
    patient_access,
    patient_subject,
)
from maatwerk.web.providers.models import PostcodeArea, Provider, Referral

logger = logging.getLogger(__name__)

OBJECT_REFERRAL = "referral"
"""Audit object type of a referral (and of the patient's screening read for one)."""
OBJECT_DIRECTORY = "provider_directory"
"""Audit object type of a change to the directory or gazetteer (no patient data)."""


class NotInDirectory(Exception):
    """No such provider in a directory this actor may see (shown as a 404)."""


def organization_of(actor: Actor, role: Role) -> Organization | None:
    """The organization whose directory ``actor`` works with in ``role`` (the first)."""
    for membership in actor.memberships_with(role):
        return membership.organization
    return None


def directory_of(organization_id: int) -> QuerySet[Provider]:
    return Provider.objects.filter(organization_id=organization_id).order_by("name")


def provider_for_admin(*, actor: Actor, provider_id: str) -> Provider:
    organization_ids = actor.organization_ids(Role.ORGANIZATION_ADMIN)
    provider = (
        Provider.objects.filter(public_id=provider_id, organization_id__in=organization_ids).first()
        if is_uuid(provider_id) and organization_ids
        else None
    )
    if provider is None:
        raise NotInDirectory(provider_id)
    return provider


def active_provider_in(organization_id: int, provider_id: str) -> Provider:
    provider = (
        Provider.objects.filter(
            public_id=provider_id, organization_id=organization_id, is_active=True
        ).first()
        if is_uuid(provider_id)
        else None
    )
    if provider is None:
        raise NotInDirectory(provider_id)
    return provider


def gazetteer_of(organization_id: int) -> dict[str, PostcodeArea]:
    return {area.pc4: area for area in PostcodeArea.objects.filter(organization_id=organization_id)}


def provider_location(
    provider: Provider, gazetteer: dict[str, PostcodeArea]
) -> tuple[Coordinates | None, str]:
    """The provider's coordinates and where they come from: "own", "pc4" or ""."""
    if provider.latitude is not None and provider.longitude is not None:
        return Coordinates(provider.latitude, provider.longitude), "own"
    area = gazetteer.get(provider.postcode[:4])
    if area is not None:
        return Coordinates(area.latitude, area.longitude), "pc4"
    return None, ""


def provider_facts(provider: Provider, location: Coordinates | None) -> ProviderFacts:
    """The provider as the core's matching sees it, at ``location`` (from
    :func:`provider_location`)."""
    return ProviderFacts(
        key=str(provider.public_id),
        name=provider.name,
        disciplines=tuple(provider.disciplines),
        expertise=tuple(provider.expertise),
        modalities=tuple(provider.modalities),
        languages=tuple(provider.languages),
        location=location,
        waiting_weeks=provider.waiting_weeks,
    )


def referral_context(access: PatientAccess, language: str) -> ReferralContext | None:
    """The care level, factors and summary of the patient's latest screening, or None
    when there is none yet (or the screening app cannot provide it). Not audited here:
    the calling view audits its read of the patient's record."""
    try:
        screening = importlib.import_module("maatwerk.web.screening.selectors")
        context_for = screening.referral_context_for
    except (ImportError, AttributeError):  # pragma: no cover - the screening app is installed
        logger.warning("referral_context_for unavailable; referring without a screening")
        return None
    context: ReferralContext | None = context_for(access, language)
    return context


# ------------------------------------------------------------------ referrals


@dataclass(frozen=True)
class ReferralAccess:
    referral: Referral
    access: PatientAccess

    @property
    def by_patient(self) -> bool:
        return self.access.basis is AccessBasis.OWN_RECORD


def referral_signers(opened: ReferralAccess) -> list[Membership]:
    """Who may sign this referral: the active GPs (huisarts) of the patient's
    organization (``maatwerk.core.referral.roles``), the patient's care team first."""
    patient = opened.access.patient
    memberships = (
        Membership.objects.filter(
            organization_id=patient.organization_id,
            role=Role.CLINICIAN.value,
            is_active=True,
            discipline__in=sorted(REFERRING_DISCIPLINES),
            user__is_active=True,
        )
        .select_related("user")
        .order_by("user__full_name", "pk")
    )
    in_team = set(
        CareTeamMember.objects.filter(
            episode__patient=patient, is_active=True, membership__in=memberships
        ).values_list("membership_id", flat=True)
    )
    return sorted(memberships, key=lambda m: m.pk not in in_team)


def referral_access(*, actor: Actor, referral_id: str, action: str) -> ReferralAccess:
    """The referral, if ``actor`` may open its patient's record as a clinician. A refusal
    is audited (by patient_access) and raises PatientNotAccessible."""
    referral = (
        Referral.objects.select_related("patient", "provider", "created_by")
        .filter(public_id=referral_id)
        .first()
        if is_uuid(referral_id)
        else None
    )
    patient_id = str(referral.patient.public_id) if referral is not None else referral_id
    access = patient_access(
        actor=actor, patient_id=patient_id, action=action, object_type=OBJECT_REFERRAL
    )
    if referral is None:  # pragma: no cover - patient_access already refused
        raise PatientNotAccessible(referral_id)
    if access.basis is AccessBasis.OWN_RECORD:
        # Referring is the clinician's work; the patient's own view is not built yet.
        raise PatientNotAccessible(referral_id)
    return ReferralAccess(referral=referral, access=access)


def referrals_of(access: PatientAccess) -> QuerySet[Referral]:
    # The frozen letter PDF is read only when the letter itself is asked for.
    return (
        Referral.objects.filter(patient=access.patient)
        .select_related("created_by")
        .defer("letter_pdf")
    )


def referral_open(*, actor: Actor, referral_id: str) -> ReferralAccess:
    """Open a referral for reading and write the audit event for it."""
    opened = referral_access(actor=actor, referral_id=referral_id, action="read")
    audit_record(
        actor=actor,
        action="read",
        subject=patient_subject(
            opened.access.patient,
            object_type=OBJECT_REFERRAL,
            object_ref=str(opened.referral.public_id),
        ),
        emergency=opened.access.emergency,
    )
    return opened

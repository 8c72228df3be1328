"""Reading the provider directory and referrals, scoped to the requesting actor.

The directory belongs to an organization: its clinicians search it, its organization
admins manage it; nobody else sees it (:func:`directory_for`). Referrals are patient data:
a view opens one with ``maatwerk.web.patients.opening.open_child`` and the selectors here
take only the :class:`ReferralOpened` (or the patient's ``PatientAccess``) it returns.
"""

from __future__ import annotations

import importlib
import logging
import uuid
from dataclasses import dataclass
from datetime import datetime

from django.db.models import QuerySet
from django.http import Http404

from maatwerk.core.access import Role
from maatwerk.core.referral import Coordinates, ProviderFacts
from maatwerk.core.referral.roles import REFERRING_DISCIPLINES
from maatwerk.core.screening.model import ReferralContext
from maatwerk.web.audit.services import AuditSubject
from maatwerk.web.common.actor import Actor
from maatwerk.web.organizations.models import Membership, Organization
from maatwerk.web.patients.models import CareTeamMember
from maatwerk.web.patients.opening import Opened, PatientAccess
from maatwerk.web.providers.models import PostcodeArea, Provider, Referral

logger = logging.getLogger(__name__)

OBJECT_REFERRAL = "referral"
"""Audit object type of a referral (and of the patient's screening read for one)."""
OBJECT_DIRECTORY = "provider_directory"
"""Audit object type of a change to the directory or gazetteer (no patient data)."""

ReferralOpened = Opened[Referral]
"""A referral opened through its patient's access (``open_child``)."""


class NotInDirectory(Http404):
    """No such provider in a directory this actor may see: a 404, the same answer for a
    provider of another organization and for one that does not exist."""


@dataclass(frozen=True)
class DirectoryAccess:
    """The directory of one organization, opened for an actor with a role there (a
    clinician searches it, an organization admin manages it)."""

    organization: Organization

    def subject(self, object_ref: str = "") -> AuditSubject:
        return AuditSubject(
            object_type=OBJECT_DIRECTORY,
            object_ref=object_ref,
            organization_ref=str(self.organization.public_id),
        )


def directory_for(actor: Actor, role: Role) -> DirectoryAccess:
    """The directory of the (first) organization where ``actor`` has ``role``; the views
    are behind ``role_required(role)``, so a missing membership is a 404."""
    for membership in actor.memberships_with(role):
        return DirectoryAccess(organization=membership.organization)
    raise Http404


def directory_of(directory: DirectoryAccess) -> QuerySet[Provider]:
    return Provider.objects.filter(organization=directory.organization).order_by("name")


def directory_languages(directory: DirectoryAccess) -> set[str]:
    """Every language an active provider of the directory speaks (for the filter)."""
    return {
        code
        for languages in directory_of(directory)
        .filter(is_active=True)
        .values_list("languages", flat=True)
        for code in languages
    }


def directory_regions(directory: DirectoryAccess) -> list[str]:
    return sorted(
        set(
            directory_of(directory)
            .filter(is_active=True)
            .exclude(region="")
            .values_list("region", flat=True)
        )
    )


def active_provider_in(directory: DirectoryAccess, provider_id: uuid.UUID | str) -> Provider:
    """An active provider of the directory, or :class:`NotInDirectory` (404)."""
    try:
        wanted = uuid.UUID(str(provider_id))
    except ValueError:
        raise NotInDirectory(provider_id) from None
    provider = directory_of(directory).filter(public_id=wanted, is_active=True).first()
    if provider is None:
        raise NotInDirectory(provider_id)
    return provider


def gazetteer_of(directory: DirectoryAccess) -> dict[str, PostcodeArea]:
    return {
        area.pc4: area for area in PostcodeArea.objects.filter(organization=directory.organization)
    }


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


def patient_directory(access: PatientAccess) -> DirectoryAccess:
    """The directory a patient is referred from: their own organization's."""
    return DirectoryAccess(organization=access.patient.organization)


def referral_context(access: PatientAccess, language: str) -> ReferralContext | None:
    """The care level, factors and summary of the patient's latest screening, or None
    when there is none yet (or the screening app cannot provide it). Not audited here:
    the calling service audits its read of the patient's record."""
    try:
        screening = importlib.import_module("maatwerk.web.screening.selectors")
        context_for = screening.referral_context_for
    except (ImportError, AttributeError):  # pragma: no cover - the screening app is installed
        logger.warning("referral_context_for unavailable; referring without a screening")
        return None
    context: ReferralContext | None = context_for(access, language)
    return context


# ------------------------------------------------------------------ referrals


def referral_signers(opened: ReferralOpened) -> list[Membership]:
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


def referrals_of(access: PatientAccess) -> QuerySet[Referral]:
    # The frozen letter PDF is read only when the letter itself is asked for.
    return (
        Referral.objects.filter(patient=access.patient)
        .select_related("created_by")
        .defer("letter_pdf")
    )


def latest_referral_sent_for(
    access: PatientAccess, care_level: str, since: datetime
) -> Referral | None:
    """The newest referral of the opened patient sent for ``care_level`` at or after
    ``since`` (a decision's moment), or None."""
    return (
        referrals_of(access)
        .filter(status=Referral.Status.SENT, care_level=care_level, sent_at__gte=since)
        .order_by("-sent_at", "-pk")
        .first()
    )

"""Every query for patient data goes through here, scoped to the requesting actor.

The rule itself is :func:`maatwerk.core.access.patient_record_access`; the queryset
below is its database form, and tests check the two agree.
"""

from __future__ import annotations

from collections.abc import Sequence

from django.db.models import Prefetch, Q, QuerySet
from django.utils import timezone

from maatwerk.core.access import Role
from maatwerk.web.common.actor import Actor
from maatwerk.web.patients.models import CareEpisode, CareTeamMember, EmergencyAccess, Patient
from maatwerk.web.patients.opening import (
    PatientAccess,
    PatientNotAccessible,
    is_uuid,
    patient_subject,
)

__all__ = [
    "PatientAccess",
    "PatientNotAccessible",
    "is_uuid",
    "patient_subject",
]


def patients_visible_to(actor: Actor) -> QuerySet[Patient]:
    """All patients whose clinical record this actor may open, right now."""
    base = Patient.objects.select_related("organization")
    if actor.user is None:
        return base.none()
    visible = Q(pk__in=[])
    if actor.patient is not None:
        visible |= Q(pk=actor.patient.pk)
    clinician_memberships = actor.memberships_with(Role.CLINICIAN)
    if clinician_memberships:
        now = timezone.now()
        membership_ids = [m.pk for m in clinician_memberships]
        organization_ids = actor.organization_ids(Role.CLINICIAN)
        in_care = CareTeamMember.objects.filter(
            membership_id__in=membership_ids,
            is_active=True,
            episode__status=CareEpisode.Status.ACTIVE,
        ).values("episode__patient_id")
        emergency = EmergencyAccess.objects.filter(
            membership_id__in=membership_ids, granted_at__lte=now, expires_at__gt=now
        ).values("patient_id")
        visible |= Q(organization_id__in=organization_ids) & (
            Q(pk__in=in_care) | Q(pk__in=emergency)
        )
    return base.filter(visible)


def patients_in_care_of(actor: Actor) -> QuerySet[Patient]:
    """Patients for whom the actor is on the care team of an active episode (no emergency
    grants): the people whose alerts and tasks this clinician must act on."""
    return patients_in_care_of_memberships([m.pk for m in actor.memberships_with(Role.CLINICIAN)])


def patients_in_care_of_memberships(membership_ids: Sequence[int]) -> QuerySet[Patient]:
    """:func:`patients_in_care_of` for these clinician memberships (the actor's own)."""
    if not membership_ids:
        return Patient.objects.none()
    in_care = CareTeamMember.objects.filter(
        membership_id__in=membership_ids,
        is_active=True,
        episode__status=CareEpisode.Status.ACTIVE,
    ).values("episode__patient_id")
    return Patient.objects.filter(pk__in=in_care)


def caseload_of(actor: Actor, *, query: str = "", limit: int = 50) -> list[Patient]:
    """The clinician's caseload (or the patient's own record), filtered by name."""
    # The rows show the patient's own fields only: no join to the organization.
    patients = patients_visible_to(actor).select_related(None).order_by("full_name")
    query = query.strip()
    if query:
        patients = patients.filter(full_name__icontains=query)
    return list(patients[:limit])


def episodes_for(access: PatientAccess) -> QuerySet[CareEpisode]:
    return (
        CareEpisode.objects.filter(patient=access.patient)
        .select_related("team")
        # The care team with each member's membership and user in one query (not three).
        .prefetch_related(
            Prefetch(
                "care_team",
                queryset=CareTeamMember.objects.select_related("membership__user").order_by("pk"),
            )
        )
        .order_by("-start_date")
    )


def emergency_candidates(
    actor: Actor, *, full_name: str, birth_year: int, limit: int = 10
) -> list[Patient]:
    """Patients outside one's caseload for the "noodknop": exact name and year only, in
    the clinician's own organizations."""
    organization_ids = actor.organization_ids(Role.CLINICIAN)
    return list(
        Patient.objects.filter(
            organization_id__in=organization_ids,
            full_name__iexact=full_name.strip(),
            birth_year=birth_year,
        )
        .select_related("organization")
        .order_by("pk")[:limit]
    )

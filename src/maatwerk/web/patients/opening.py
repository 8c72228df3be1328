"""The one way request code opens patient data: a scoped opener that takes the actor.

Every view that touches a patient's record opens it here first — the record itself
(:func:`open_patient`, :func:`open_own_record`) or any object that belongs to one patient
(:func:`open_child`) — and passes the returned access object to one service. Selectors
for patient data accept only such an access object, never a raw id, so an identifier in a
URL grants nothing by itself.

Refusals are one mechanism:

- **Out of scope** (no such object, or a patient the actor may not open):
  :class:`PatientNotAccessible`, a 404 — the same answer for both, so ids cannot be
  probed.
- **In scope but not for this role** (a patient asking for a clinician-only action on their
  own record, who knows the object exists): :class:`NotForThisRole`, a 403.

Both are written to the audit trail here as one ``denied`` event; the rule that decides
access is :func:`maatwerk.core.access.patient_record_access`.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable
from dataclasses import dataclass
from enum import StrEnum
from functools import cache
from operator import attrgetter
from typing import TYPE_CHECKING, Any, Generic, TypeVar

from django.core.exceptions import PermissionDenied
from django.db.models import Model, QuerySet
from django.http import Http404
from django.utils import timezone

from maatwerk.core.access import (
    AccessBasis,
    CareRelationship,
    EmergencyGrant,
    Role,
    patient_record_access,
)
from maatwerk.web.audit.audited import record_denial
from maatwerk.web.audit.services import AuditSubject
from maatwerk.web.common.actor import Actor
from maatwerk.web.common.prepared import PreparedQuery
from maatwerk.web.patients.models import CareEpisode, CareTeamMember, EmergencyAccess, Patient

if TYPE_CHECKING:
    from maatwerk.web.organizations.models import Membership


class PatientNotAccessible(Http404):
    """The object does not exist or this actor may not open its patient's record.

    Both cases look the same to the caller (a 404), so ids cannot be probed.
    """


class NotForThisRole(PermissionDenied):
    """The actor may open the record but not for this action (a 403: they know the object
    exists, so hiding it would only confuse them)."""


class Audience(StrEnum):
    """Who an action is meant for."""

    # Anyone who may open the record: the patient themselves or their care team.
    RECORD = "record"
    # Only the care team (clinicians with a care relationship or an emergency grant).
    CARE_TEAM = "care_team"
    # Only the patient, on their own record.
    PATIENT = "patient"


@dataclass(frozen=True)
class PatientAccess:
    """A checked right to act on one patient's record, and on what basis."""

    patient: Patient
    basis: AccessBasis

    @property
    def emergency(self) -> bool:
        return self.basis is AccessBasis.EMERGENCY

    @property
    def by_patient(self) -> bool:
        """The patient acts on their own record (not a clinician)."""
        return self.basis is AccessBasis.OWN_RECORD

    def subject(self, object_type: str = "patient", object_ref: str = "") -> AuditSubject:
        return patient_subject(self.patient, object_type=object_type, object_ref=object_ref)


M = TypeVar("M", bound=Model)


@dataclass(frozen=True)
class Opened(Generic[M]):
    """An object that belongs to one patient, opened through that patient's access."""

    object: M
    access: PatientAccess

    @property
    def by_patient(self) -> bool:
        return self.access.by_patient

    @property
    def emergency(self) -> bool:
        return self.access.emergency

    def subject(self, object_type: str) -> AuditSubject:
        ref = str(getattr(self.object, "public_id", self.object.pk))
        return self.access.subject(object_type=object_type, object_ref=ref)


def patient_subject(
    patient: Patient, *, object_type: str = "patient", object_ref: str = ""
) -> AuditSubject:
    return AuditSubject(
        object_type=object_type,
        object_ref=object_ref or str(patient.public_id),
        patient_ref=str(patient.public_id),
        organization_ref=str(patient.organization.public_id),
    )


def is_uuid(value: object) -> bool:
    try:
        uuid.UUID(str(value))
    except ValueError:
        return False
    return True


# The openers' lookups run on nearly every request and differ only in the id: compiled
# once per process (maatwerk.web.common.prepared).
_PATIENT_BY_ID = PreparedQuery(
    lambda public_id: (
        Patient.objects.select_related("organization", "user")
        .filter(public_id=public_id)
        .order_by("pk")[:1]
    ),
    {"public_id": (Patient, "public_id")},
)


@cache
def _child_by_id(model: type[M], patient_path: str, related: tuple[str, ...]) -> PreparedQuery[M]:
    return PreparedQuery(
        lambda public_id: (
            model._default_manager.select_related(f"{patient_path}__organization", *related)
            .filter(public_id=public_id)
            .order_by("pk")[:1]
        ),
        {"public_id": (model, "public_id")},
    )


def open_patient(
    *,
    actor: Actor,
    patient_id: str,
    action: str,
    audience: Audience = Audience.RECORD,
    object_type: str = "patient",
) -> PatientAccess:
    """Open one patient's record for ``action``; the calling service audits the success.

    A refusal is audited here (``denied``) and raised as :class:`PatientNotAccessible`
    (404) or :class:`NotForThisRole` (403).
    """
    patient = _PATIENT_BY_ID.first(public_id=patient_id) if is_uuid(patient_id) else None
    return _check(actor, patient, str(patient_id), action, audience, object_type)


def open_own_record(
    *,
    actor: Actor,
    action: str,
    audience: Audience = Audience.PATIENT,
    object_type: str = "patient",
) -> PatientAccess:
    """The signed-in patient's own record (the portal's pages)."""
    patient = actor.patient
    return _check(actor, patient, "", action, audience, object_type)


def open_child(
    *,
    actor: Actor,
    model: type[M],
    object_id: str,
    action: str,
    object_type: str,
    audience: Audience | Callable[[M], Audience] = Audience.RECORD,
    patient_path: str = "patient",
    related: tuple[str, ...] = (),
) -> Opened[M]:
    """Open an object that belongs to one patient (a formulation, an assignment, a
    response, a referral …) through its patient's access.

    ``patient_path`` is the Django lookup from the object to its patient, e.g.
    ``"assignment__patient"`` for an exercise response. ``audience`` may depend on the
    object (e.g. a GAS measure set is for the care team only): then it is a function of
    the loaded object, and an unknown id gets :attr:`Audience.RECORD` (the widest), so
    its refusal is the same 404 as for any id.
    """
    found = (
        _child_by_id(model, patient_path, related).first(public_id=object_id)
        if is_uuid(object_id)
        else None
    )
    patient: Patient | None = (
        attrgetter(patient_path.replace("__", "."))(found) if found is not None else None
    )
    if isinstance(audience, Audience):
        meant_for = audience
    else:
        meant_for = audience(found) if found is not None else Audience.RECORD
    access = _check(actor, patient, str(object_id), action, meant_for, object_type)
    if found is None:  # pragma: no cover - _check refused already
        raise PatientNotAccessible(object_id)
    return Opened(object=found, access=access)


def open_for_emergency(*, actor: Actor, patient_id: str, action: str) -> Patient:
    """Identify a patient of the actor's own organization for the "noodknop" (emergency
    access): only a clinician of that organization may, and only the identity (name, year
    of birth) is shown until access is granted. Anything else is one audited 404."""
    organization_ids = actor.organization_ids(Role.CLINICIAN)
    patient = (
        Patient.objects.select_related("organization")
        .filter(public_id=patient_id, organization_id__in=organization_ids)
        .first()
        if is_uuid(patient_id) and organization_ids
        else None
    )
    if patient is None:
        record_denial(
            actor=actor,
            action=action,
            subject=AuditSubject(object_type="emergency_access", object_ref=str(patient_id)[:64]),
        )
        raise PatientNotAccessible(patient_id)
    return patient


class NotInOrganization(Http404):
    """The object is not part of an organization this admin manages (or does not exist):
    the same 404 for both, so ids cannot be probed."""


@dataclass(frozen=True)
class OrganizationOpened(Generic[M]):
    """An object of an organization the actor administers (a team, a user, an emergency
    access to review, a patient's access report), opened through that admin role."""

    object: M
    organization_ids: frozenset[int]

    def subject(self, object_type: str, *, patient: Patient | None = None) -> AuditSubject:
        ref = str(getattr(self.object, "public_id", self.object.pk))
        if patient is not None:
            return patient_subject(patient, object_type=object_type, object_ref=ref)
        return AuditSubject(object_type=object_type, object_ref=ref)


def open_in_organization(
    *,
    actor: Actor,
    model: type[M],
    object_id: str,
    action: str,
    object_type: str,
    organization_path: str = "organization",
    related: tuple[str, ...] = (),
) -> OrganizationOpened[M]:
    """Open an object of an organization ``actor`` administers; anything else is one
    audited denial and a 404 (:class:`NotInOrganization`).

    ``organization_path`` is the Django lookup from the object to its organization, e.g.
    ``"patient__organization"`` for an emergency access or ``"memberships__organization"``
    for a user."""
    admin_of = frozenset(actor.organization_ids(Role.ORGANIZATION_ADMIN))
    found = (
        model._default_manager.select_related(*related)
        .filter(public_id=object_id, **{f"{organization_path}__in": admin_of})
        .distinct()
        .first()
        if is_uuid(object_id) and admin_of
        else None
    )
    if found is None:
        record_denial(
            actor=actor,
            action=action,
            subject=AuditSubject(object_type=object_type, object_ref=str(object_id)[:64]),
        )
        raise NotInOrganization(object_id)
    return OrganizationOpened(object=found, organization_ids=admin_of)


def _check(
    actor: Actor,
    patient: Patient | None,
    asked_ref: str,
    action: str,
    audience: Audience,
    object_type: str,
) -> PatientAccess:
    basis = _access_basis(actor, patient) if patient is not None else AccessBasis.NONE
    if patient is None or basis is AccessBasis.NONE:
        record_denial(
            actor=actor,
            action=action,
            subject=AuditSubject(
                object_type=object_type,
                object_ref=asked_ref[:64],
                patient_ref=str(patient.public_id) if patient is not None else "",
            ),
        )
        raise PatientNotAccessible(asked_ref)
    by_patient = basis is AccessBasis.OWN_RECORD
    if (audience is Audience.CARE_TEAM and by_patient) or (
        audience is Audience.PATIENT and not by_patient
    ):
        record_denial(
            actor=actor,
            action=action,
            subject=patient_subject(patient, object_type=object_type, object_ref=asked_ref[:64]),
            detail=f"not for this role ({audience.value} only)",
        )
        raise NotForThisRole(asked_ref)
    return PatientAccess(patient=patient, basis=basis)


def _care_team_entries(patient_id: int, **membership: Any) -> QuerySet[CareTeamMember]:
    return CareTeamMember.objects.filter(
        episode__patient_id=patient_id, **membership
    ).select_related("episode")


def _emergency_grants(patient_id: int, **membership: Any) -> QuerySet[EmergencyAccess]:
    return EmergencyAccess.objects.filter(patient_id=patient_id, **membership)


# A clinician works in an organization through one membership (almost always): the
# access check's two reads for that case are compiled once per process.
_CARE_TEAM_ENTRIES = PreparedQuery(
    lambda membership_id, patient_id: _care_team_entries(patient_id, membership_id=membership_id),
    {"membership_id": (CareTeamMember, "membership"), "patient_id": (CareEpisode, "patient")},
)
_EMERGENCY_GRANTS = PreparedQuery(
    lambda membership_id, patient_id: _emergency_grants(patient_id, membership_id=membership_id),
    {"membership_id": (EmergencyAccess, "membership"), "patient_id": (EmergencyAccess, "patient")},
)


def _for_memberships(
    prepared: PreparedQuery[M],
    build: Callable[..., QuerySet[M]],
    memberships: list[Membership],
    patient: Patient,
) -> list[M]:
    if len(memberships) == 1:
        return prepared.rows(membership_id=memberships[0].pk, patient_id=patient.pk)
    return list(build(patient.pk, membership_id__in=[m.pk for m in memberships]))


def _access_basis(actor: Actor, patient: Patient) -> AccessBasis:
    if actor.user is None:
        return AccessBasis.NONE
    if actor.patient is not None and actor.patient.pk == patient.pk:
        return AccessBasis.OWN_RECORD
    clinician_memberships = [
        m
        for m in actor.memberships_with(Role.CLINICIAN)
        if m.organization_id == patient.organization_id
    ]
    if not clinician_memberships:
        return AccessBasis.NONE
    relationships = tuple(
        CareRelationship(
            episode_active=entry.episode.status == CareEpisode.Status.ACTIVE,
            member_active=entry.is_active,
        )
        for entry in _for_memberships(
            _CARE_TEAM_ENTRIES, _care_team_entries, clinician_memberships, patient
        )
    )
    grants = tuple(
        EmergencyGrant(
            reason=grant.reason, granted_at=grant.granted_at, expires_at=grant.expires_at
        )
        for grant in _for_memberships(
            _EMERGENCY_GRANTS, _emergency_grants, clinician_memberships, patient
        )
    )
    return patient_record_access(
        role=Role.CLINICIAN,
        same_organization=True,
        is_own_record=False,
        relationships=relationships,
        emergency_grants=grants,
        now=timezone.now(),
    )

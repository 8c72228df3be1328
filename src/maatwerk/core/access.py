"""Who may open a patient's record, decided over plain values.

The web layer's selectors turn these decisions into database filters; this module
states the rule once so it can be read and tested without a database.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum


class Role(StrEnum):
    PATIENT = "patient"
    CLINICIAN = "clinician"
    TEAM_LEAD = "team_lead"
    RESEARCHER = "researcher"
    ORGANIZATION_ADMIN = "organization_admin"


class AccessBasis(StrEnum):
    """Why access was granted; recorded on every audit event."""

    OWN_RECORD = "own_record"
    CARE_RELATIONSHIP = "care_relationship"
    EMERGENCY = "emergency"
    NONE = "none"


@dataclass(frozen=True, slots=True)
class CareRelationship:
    """A clinician listed on the care team of one of the patient's care episodes."""

    episode_active: bool
    member_active: bool


@dataclass(frozen=True, slots=True)
class EmergencyGrant:
    """A recorded "noodknop" access with its reason and expiry."""

    reason: str
    granted_at: datetime
    expires_at: datetime


def patient_record_access(
    *,
    role: Role,
    same_organization: bool,
    is_own_record: bool,
    relationships: tuple[CareRelationship, ...],
    emergency_grants: tuple[EmergencyGrant, ...],
    now: datetime,
) -> AccessBasis:
    """Decide whether a user may open a patient's clinical record, and on what basis.

    A patient sees only their own record. A clinician sees a patient only through an
    active care relationship (active episode, active care-team membership) or through a
    current emergency grant with a reason. Team leads, researchers and organization
    admins never open clinical records: they see aggregates, pseudonymized exports and
    access reports through their own screens.
    """
    if role is Role.PATIENT:
        return AccessBasis.OWN_RECORD if is_own_record else AccessBasis.NONE
    if role is not Role.CLINICIAN or not same_organization:
        return AccessBasis.NONE
    if any(rel.episode_active and rel.member_active for rel in relationships):
        return AccessBasis.CARE_RELATIONSHIP
    if any(
        grant.reason.strip() and grant.granted_at <= now < grant.expires_at
        for grant in emergency_grants
    ):
        return AccessBasis.EMERGENCY
    return AccessBasis.NONE


@dataclass(frozen=True, slots=True)
class SessionPolicy:
    """Idle and absolute session limits in seconds, per kind of user."""

    clinician_idle_seconds: int
    patient_idle_seconds: int
    absolute_seconds: int

    def idle_limit(self, role: Role) -> int:
        return self.patient_idle_seconds if role is Role.PATIENT else self.clinician_idle_seconds


def session_expired(
    *,
    policy: SessionPolicy,
    role: Role,
    started_at: float,
    last_activity_at: float,
    now: float,
) -> bool:
    """True when the session has been idle too long or has lived past its absolute limit."""
    if now - last_activity_at >= policy.idle_limit(role):
        return True
    return now - started_at >= policy.absolute_seconds

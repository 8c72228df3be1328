"""Who may open a patient's record, and when a session ends (maatwerk.core.access)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import NamedTuple

import pytest

from maatwerk.core.access import (
    AccessBasis,
    CareRelationship,
    EmergencyGrant,
    Role,
    SessionPolicy,
    patient_record_access,
    session_expired,
)

NOW = datetime(2025, 6, 2, 14, 0, tzinfo=UTC)
HOUR = timedelta(hours=1)

ACTIVE = CareRelationship(episode_active=True, member_active=True)
EPISODE_CLOSED = CareRelationship(episode_active=False, member_active=True)
MEMBER_LEFT = CareRelationship(episode_active=True, member_active=False)
BOTH_INACTIVE = CareRelationship(episode_active=False, member_active=False)

CURRENT = EmergencyGrant(
    "acute suicidaliteit, behandelaar onbereikbaar", NOW - HOUR, NOW + 3 * HOUR
)
STARTS_NOW = EmergencyGrant("crisis", NOW, NOW + 4 * HOUR)
EXPIRED = EmergencyGrant("crisis", NOW - 5 * HOUR, NOW - timedelta(seconds=1))
EXPIRES_NOW = EmergencyGrant("crisis", NOW - 4 * HOUR, NOW)
NOT_YET_STARTED = EmergencyGrant("crisis", NOW + timedelta(seconds=1), NOW + 4 * HOUR)
BLANK_REASON = EmergencyGrant("", NOW - HOUR, NOW + 3 * HOUR)
WHITESPACE_REASON = EmergencyGrant(" \t\n", NOW - HOUR, NOW + 3 * HOUR)


class Case(NamedTuple):
    id: str
    role: Role
    expected: AccessBasis
    own: bool
    same_org: bool
    relationships: tuple[CareRelationship, ...]
    grants: tuple[EmergencyGrant, ...]


def case(
    role: Role,
    expected: AccessBasis,
    *,
    own: bool = False,
    same_org: bool = True,
    rels: tuple[CareRelationship, ...] = (),
    grants: tuple[EmergencyGrant, ...] = (),
    id: str,
) -> Case:
    return Case(id, role, expected, own, same_org, rels, grants)


P, C = Role.PATIENT, Role.CLINICIAN
OWN, CARE, EMERGENCY, NONE = (
    AccessBasis.OWN_RECORD,
    AccessBasis.CARE_RELATIONSHIP,
    AccessBasis.EMERGENCY,
    AccessBasis.NONE,
)

CASES = [
    # --- patient: their own record and nothing else ---
    case(P, OWN, own=True, id="patient-own"),  # a patient always sees their own record
    case(P, NONE, id="patient-other"),  # never another patient's
    # care relationships and emergency grants are clinician routes, not patient ones
    case(P, NONE, rels=(ACTIVE,), grants=(CURRENT,), id="patient-other-with-grant"),
    # --- clinician: care relationship ---
    case(C, CARE, rels=(ACTIVE,), id="clinician-active-care"),  # the normal route in
    case(C, NONE, same_org=False, rels=(ACTIVE,), id="clinician-other-org"),  # org boundary
    case(C, NONE, rels=(EPISODE_CLOSED,), id="clinician-episode-closed"),  # episode ended
    case(C, NONE, rels=(MEMBER_LEFT,), id="clinician-left-team"),  # removed from care team
    case(C, NONE, rels=(BOTH_INACTIVE,), id="clinician-both-inactive"),
    # one active relationship among stale ones is enough
    case(C, CARE, rels=(EPISODE_CLOSED, MEMBER_LEFT, ACTIVE), id="clinician-one-of-many"),
    # episode-active and member-active must hold for the SAME relationship
    case(C, NONE, rels=(EPISODE_CLOSED, MEMBER_LEFT), id="clinician-no-mixing"),
    case(C, NONE, id="clinician-no-relationship"),  # no link to the patient at all
    # a clinician account is not a patient account: is_own_record grants nothing
    case(C, NONE, own=True, id="clinician-own-flag"),
    # --- clinician: emergency access ("noodknop") ---
    case(C, EMERGENCY, grants=(CURRENT,), id="emergency-current"),
    case(C, EMERGENCY, grants=(STARTS_NOW,), id="emergency-starts-now"),  # start inclusive
    case(C, NONE, grants=(EXPIRED,), id="emergency-expired"),
    case(C, NONE, grants=(EXPIRES_NOW,), id="emergency-expires-now"),  # end exclusive
    case(C, NONE, grants=(NOT_YET_STARTED,), id="emergency-not-yet-started"),
    case(C, NONE, grants=(BLANK_REASON,), id="emergency-blank-reason"),  # reason is mandatory
    case(C, NONE, grants=(WHITESPACE_REASON,), id="emergency-whitespace-reason"),
    case(C, EMERGENCY, grants=(EXPIRED, CURRENT), id="emergency-one-current"),
    case(C, NONE, same_org=False, grants=(CURRENT,), id="emergency-other-org"),  # no cross-org
    # a closed episode does not block a current emergency grant
    case(C, EMERGENCY, rels=(EPISODE_CLOSED,), grants=(CURRENT,), id="emergency-after-closed"),
    # --- precedence: an active care relationship is recorded as such, not as emergency ---
    case(C, CARE, rels=(ACTIVE,), grants=(CURRENT,), id="care-over-emergency"),
    # --- roles that never open clinical records, whatever they hold ---
    *[
        case(role, NONE, own=own, rels=(ACTIVE,), grants=(CURRENT,), id=f"{role}-own-{own}")
        for role in (Role.TEAM_LEAD, Role.RESEARCHER, Role.ORGANIZATION_ADMIN)
        for own in (False, True)
    ],
]


@pytest.mark.parametrize("row", CASES, ids=[row.id for row in CASES])
def test_patient_record_access(row: Case) -> None:
    basis = patient_record_access(
        role=row.role,
        same_organization=row.same_org,
        is_own_record=row.own,
        relationships=row.relationships,
        emergency_grants=row.grants,
        now=NOW,
    )

    assert basis is row.expected


def test_access_table_covers_every_role_and_basis() -> None:
    assert {row.role for row in CASES} == set(Role)
    assert {row.expected for row in CASES} == set(AccessBasis)
    assert len({row.id for row in CASES}) == len(CASES)


# --- sessions -------------------------------------------------------------------------

MINUTE = 60.0
POLICY = SessionPolicy(
    clinician_idle_seconds=15 * 60, patient_idle_seconds=30 * 60, absolute_seconds=12 * 3600
)
START = 1_750_000_000.0


@pytest.mark.parametrize(
    ("role", "idle_seconds", "expired"),
    [
        (Role.CLINICIAN, 15 * MINUTE - 1, False),  # just inside the clinician limit
        (Role.CLINICIAN, 15 * MINUTE, True),  # exactly at the limit counts as expired
        (Role.CLINICIAN, 15 * MINUTE + 1, True),
        (Role.PATIENT, 15 * MINUTE, False),  # patients get longer than clinicians
        (Role.PATIENT, 30 * MINUTE - 1, False),
        (Role.PATIENT, 30 * MINUTE, True),  # exactly at the patient limit
        # every non-patient role is held to the stricter clinician limit
        (Role.TEAM_LEAD, 15 * MINUTE, True),
        (Role.RESEARCHER, 15 * MINUTE, True),
        (Role.ORGANIZATION_ADMIN, 15 * MINUTE, True),
        (Role.ORGANIZATION_ADMIN, 15 * MINUTE - 1, False),
    ],
)
def test_idle_limit(role: Role, idle_seconds: float, expired: bool) -> None:
    last_activity = START + HOUR.total_seconds()

    assert (
        session_expired(
            policy=POLICY,
            role=role,
            started_at=START,
            last_activity_at=last_activity,
            now=last_activity + idle_seconds,
        )
        is expired
    )


@pytest.mark.parametrize("role", [Role.CLINICIAN, Role.PATIENT])
@pytest.mark.parametrize(
    ("lifetime", "expired"),
    [
        (12 * 3600 - 1, False),  # active until the last second: still valid
        (12 * 3600, True),  # the absolute limit is reached despite activity
        (13 * 3600, True),
    ],
)
def test_absolute_lifetime_ends_an_active_session(
    role: Role, lifetime: float, expired: bool
) -> None:
    now = START + lifetime

    assert (
        session_expired(
            policy=POLICY,
            role=role,
            started_at=START,
            last_activity_at=now - 1,  # the user clicked a second ago
            now=now,
        )
        is expired
    )


def test_fresh_session_is_not_expired() -> None:
    assert not session_expired(
        policy=POLICY, role=Role.CLINICIAN, started_at=START, last_activity_at=START, now=START
    )

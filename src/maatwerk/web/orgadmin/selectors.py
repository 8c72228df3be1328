"""What an organization admin may see: their organization's people, teams and the access
log."""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Prefetch, QuerySet

from maatwerk.core.access import Role
from maatwerk.web.accounts.models import User
from maatwerk.web.audit.models import AuditEvent
from maatwerk.web.audit.selectors import audit_events_for_patient, audit_events_for_user
from maatwerk.web.audit.services import AuditSubject, audit_record
from maatwerk.web.common.actor import Actor
from maatwerk.web.organizations.models import Membership, Team
from maatwerk.web.patients.models import EmergencyAccess, Patient
from maatwerk.web.patients.selectors import PatientNotAccessible, is_uuid, patient_subject
from maatwerk.web.safety.selectors import reachable_backup


class NotInOrganization(Exception):
    """The object is not part of an organization this admin manages."""


def admin_patients(*, actor: Actor, query: str = "") -> QuerySet[Patient]:
    patients = Patient.objects.filter(
        organization_id__in=actor.organization_ids(Role.ORGANIZATION_ADMIN)
    ).order_by("full_name")
    if query.strip():
        patients = patients.filter(full_name__icontains=query.strip())
    return patients


def admin_patient_search(*, actor: Actor, query: str) -> list[Patient]:
    """Find patients by name to open their access report; audited as a search."""
    result = list(admin_patients(actor=actor, query=query)[:50])
    audit_record(
        actor=actor,
        action="search",
        subject=AuditSubject(object_type="patient_identity"),
        detail=f"access-report search, {len(result)} found",
    )
    return result


def admin_users(*, actor: Actor) -> QuerySet[User]:
    return (
        User.objects.filter(
            memberships__organization_id__in=actor.organization_ids(Role.ORGANIZATION_ADMIN)
        )
        .distinct()
        .order_by("full_name")
        .prefetch_related("memberships__team")
    )


def admin_emergency_accesses(*, actor: Actor, open_only: bool = True) -> QuerySet[EmergencyAccess]:
    grants = EmergencyAccess.objects.filter(
        patient__organization_id__in=actor.organization_ids(Role.ORGANIZATION_ADMIN)
    ).select_related("patient", "membership__user", "reviewed_by")
    if open_only:
        grants = grants.filter(reviewed_at__isnull=True)
    return grants.order_by("-granted_at")


def admin_emergency_access_get(*, actor: Actor, grant_id: str) -> EmergencyAccess:
    grant = (
        admin_emergency_accesses(actor=actor, open_only=False).filter(public_id=grant_id).first()
        if is_uuid(grant_id)
        else None
    )
    if grant is None:
        raise NotInOrganization(grant_id)
    return grant


def admin_user_get(*, actor: Actor, user_id: str) -> User:
    user = admin_users(actor=actor).filter(public_id=user_id).first() if is_uuid(user_id) else None
    if user is None:
        raise NotInOrganization(user_id)
    return user


def access_report_for_patient(
    *, actor: Actor, patient_id: str
) -> tuple[Patient, QuerySet[AuditEvent]]:
    """Every logged access to one patient's file; reading the log is itself logged."""
    patient = (
        admin_patients(actor=actor)
        .select_related("organization")
        .filter(public_id=patient_id)
        .first()
        if is_uuid(patient_id)
        else None
    )
    if patient is None:
        audit_record(
            actor=actor,
            action="read",
            outcome="denied",
            subject=AuditSubject(object_type="access_report", object_ref=str(patient_id)[:64]),
        )
        raise PatientNotAccessible(patient_id)
    audit_record(
        actor=actor, action="read", subject=patient_subject(patient, object_type="access_report")
    )
    return patient, audit_events_for_patient(patient_ref=str(patient.public_id))


def access_report_for_user(*, actor: Actor, user_id: str) -> tuple[User, QuerySet[AuditEvent]]:
    """Every logged action by one user of the admin's organization."""
    try:
        user = admin_user_get(actor=actor, user_id=user_id)
    except NotInOrganization:
        audit_record(
            actor=actor,
            action="read",
            outcome="denied",
            subject=AuditSubject(object_type="access_report_user", object_ref=str(user_id)[:64]),
        )
        raise
    audit_record(
        actor=actor,
        action="read",
        subject=AuditSubject(object_type="access_report_user", object_ref=str(user.public_id)),
    )
    return user, audit_events_for_user(user_ref=str(user.public_id))


def admin_teams(*, actor: Actor) -> QuerySet[Team]:
    """The teams of the admin's organizations, each with its members."""
    members = Membership.objects.select_related("user").order_by("user__full_name", "pk")
    return (
        Team.objects.filter(organization_id__in=actor.organization_ids(Role.ORGANIZATION_ADMIN))
        .select_related("organization", "backup_clinician__user")
        .prefetch_related(Prefetch("memberships", queryset=members))
        .order_by("organization__name", "name")
    )


def admin_team_get(*, actor: Actor, team_id: str) -> Team:
    team = admin_teams(actor=actor).filter(public_id=team_id).first() if is_uuid(team_id) else None
    if team is None:
        raise NotInOrganization(team_id)
    return team


def backup_candidates(team: Team) -> QuerySet[Membership]:
    """Who may be the team's backup clinician: its active clinicians with an active
    account, the only people the escalation e-mail reaches."""
    return (
        Membership.objects.filter(
            team=team, role=Role.CLINICIAN.value, is_active=True, user__is_active=True
        )
        .select_related("user")
        .order_by("user__full_name", "pk")
    )


@dataclass(frozen=True)
class TeamOverview:
    """A team as the admin sees it: its members and who takes over overdue signals."""

    team: Team
    members: list[Membership]
    backup: Membership | None  # reachable by the escalation e-mail
    backup_unreachable: Membership | None  # chosen, but its membership or account is off


def team_overview(team: Team) -> TeamOverview:
    backup = reachable_backup(team)
    return TeamOverview(
        team=team,
        members=list(team.memberships.all()),
        backup=backup,
        backup_unreachable=team.backup_clinician if backup is None else None,
    )

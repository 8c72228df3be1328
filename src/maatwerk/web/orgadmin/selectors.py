"""What an organization admin may see: their organization's people, teams and the access
log."""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Prefetch, QuerySet

from maatwerk.core.access import Role
from maatwerk.web.accounts.models import User
from maatwerk.web.common.actor import Actor
from maatwerk.web.organizations.models import Membership, Team
from maatwerk.web.patients.models import EmergencyAccess, Patient
from maatwerk.web.safety.selectors import reachable_backup


def admin_patients(*, actor: Actor, query: str = "") -> QuerySet[Patient]:
    patients = Patient.objects.filter(
        organization_id__in=actor.organization_ids(Role.ORGANIZATION_ADMIN)
    ).order_by("full_name")
    if query.strip():
        patients = patients.filter(full_name__icontains=query.strip())
    return patients


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


def admin_teams(*, actor: Actor) -> QuerySet[Team]:
    """The teams of the admin's organizations, each with its members."""
    members = Membership.objects.select_related("user").order_by("user__full_name", "pk")
    return (
        Team.objects.filter(organization_id__in=actor.organization_ids(Role.ORGANIZATION_ADMIN))
        .select_related("organization", "backup_clinician__user")
        .prefetch_related(Prefetch("memberships", queryset=members))
        .order_by("organization__name", "name")
    )


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

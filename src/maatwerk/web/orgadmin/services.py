"""Changes an organization admin makes to the organization. Each call owns its
transaction and writes exactly one audit event."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext_lazy

from maatwerk.web.audit.services import AuditSubject, audit_record
from maatwerk.web.common.actor import Actor
from maatwerk.web.orgadmin.selectors import backup_candidates
from maatwerk.web.organizations.models import Membership, Team

BACKUP_NOT_A_CLINICIAN_OF_TEAM = gettext_lazy(
    "Choose an active clinician of this team as backup clinician, or no backup clinician."
)


def _team_subject(team: Team) -> AuditSubject:
    return AuditSubject(
        object_type="team_backup_clinician",
        object_ref=str(team.public_id),
        organization_ref=str(team.organization.public_id),
    )


def team_backup_clinician_set(*, actor: Actor, team: Team, backup: Membership | None) -> None:
    """Make ``backup`` the clinician who takes over the team's overdue safety signals
    (``None``: nobody; escalations then reach only the GPs on the care team).

    The choice is checked again under a lock on the team, so a membership switched off
    between the form and the save is refused rather than stored."""
    with transaction.atomic():
        locked = Team.objects.select_for_update().get(pk=team.pk)
        accepted = backup is None or backup_candidates(locked).filter(pk=backup.pk).exists()
        if accepted:
            locked.backup_clinician = backup
            locked.save(update_fields=["backup_clinician"])
            audit_record(
                actor=actor,
                action="update",
                subject=_team_subject(team),
                detail=(
                    f"backup clinician set: {backup.user.public_id}"
                    if backup is not None
                    else "backup clinician removed"
                ),
            )
    if not accepted:
        # Audited outside the transaction above, which wrote nothing.
        team_backup_clinician_refused(
            actor=actor, team=team, reason="not an active clinician of the team"
        )
        raise ValidationError(BACKUP_NOT_A_CLINICIAN_OF_TEAM)


def team_backup_clinician_refused(*, actor: Actor, team: Team, reason: str) -> None:
    """A choice that is not one of the team's active clinicians: nothing changes, the
    attempt is logged."""
    audit_record(
        actor=actor,
        action="update",
        outcome="error",
        subject=_team_subject(team),
        detail=f"backup clinician refused: {reason}"[:300],
    )

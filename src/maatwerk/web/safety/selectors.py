"""Reading safety signals, always through the patient access rule or the actor's team."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from django.conf import settings
from django.db.models import Exists, OuterRef, Q, QuerySet
from django.utils import timezone

from maatwerk.core.access import Role
from maatwerk.web.common.actor import Actor
from maatwerk.web.organizations.models import Membership, Team
from maatwerk.web.patients.models import Patient
from maatwerk.web.patients.opening import PatientAccess
from maatwerk.web.patients.selectors import patients_in_care_of
from maatwerk.web.questionnaires.models import SafetyAlert
from maatwerk.web.safety.presenters import RiskBanner
from maatwerk.web.safetyplan.models import SafetyPlanVersion

Status = SafetyAlert.Status
ACTIVE = (Status.OPEN, Status.ESCALATED, Status.PICKED_UP, Status.FOLLOWED_UP)


def recent_since(now: datetime | None = None) -> datetime:
    return (now or timezone.now()) - timedelta(days=settings.MAATWERK_SAFETY_RECENT_DAYS)


def risk_signals_for(patient: Patient, *, now: datetime | None = None) -> list[SafetyAlert]:
    """Open signals and those closed recently: what puts a risk banner on the patient's
    pages (dossier, profile, advice, referral letter, plan). Newest first."""
    return list(
        SafetyAlert.objects.filter(patient=patient)
        .filter(Q(status__in=ACTIVE) | Q(closed_at__gte=recent_since(now)))
        .order_by("-raised_at")
    )


def risk_banner_of(patient: Patient) -> RiskBanner:
    """The risk banner of ``patient``'s pages (the tag ``risk_banner`` renders it)."""
    return RiskBanner(patient_id=str(patient.public_id), signals=tuple(risk_signals_for(patient)))


@dataclass(frozen=True)
class OwnOpenSignals:
    """What the patient's own pages need of their signals not yet closed."""

    count: int
    latest: SafetyAlert | None  # the newest: what the patient is told about (its deadline)
    from_questionnaire: bool  # one of them was raised by an answer on a questionnaire
    has_safety_plan: bool  # the patient has a safety plan to read (only known when open)


def own_open_signals(access: PatientAccess) -> OwnOpenSignals:
    """The patient's own signals not yet closed: "open" as on the clinician's results
    page (every state but closed, :attr:`SafetyAlert.is_active`). One query: with the
    signals comes whether the patient has a safety plan to read, which the page offers
    only while a signal is open."""
    signals = list(
        SafetyAlert.objects.filter(patient=access.patient, status__in=ACTIVE)
        .annotate(
            has_safety_plan=Exists(
                SafetyPlanVersion.objects.filter(plan__patient=OuterRef("patient"))
            )
        )
        .order_by("-raised_at", "-pk")
    )
    latest = signals[0] if signals else None
    return OwnOpenSignals(
        count=len(signals),
        latest=latest,
        from_questionnaire=any(s.source == SafetyAlert.Source.QUESTIONNAIRE for s in signals),
        has_safety_plan=bool(latest is not None and latest.has_safety_plan),
    )


def patients_with_risk(patient_ids: list[int]) -> dict[int, str]:
    """Patient pk → "open" or "recent", for the banners on a caseload."""
    found: dict[int, str] = {}
    signals = SafetyAlert.objects.filter(patient_id__in=patient_ids).filter(
        Q(status__in=ACTIVE) | Q(closed_at__gte=recent_since())
    )
    for patient_id, status in signals.values_list("patient_id", "status"):
        if status in ACTIVE:
            found[patient_id] = "open"
        else:
            found.setdefault(patient_id, "recent")
    return found


def signals_for(access: PatientAccess) -> QuerySet[SafetyAlert]:
    return SafetyAlert.objects.filter(patient=access.patient).select_related("assignment")


def open_signals_visible_to(actor: Actor) -> QuerySet[SafetyAlert]:
    """Signals not yet closed of the clinician's own patients (the badge and the list)."""
    if not actor.has_role(Role.CLINICIAN):
        return SafetyAlert.objects.none()
    return (
        SafetyAlert.objects.filter(patient__in=patients_in_care_of(actor), status__in=ACTIVE)
        .select_related("patient", "assignment")
        .order_by("-raised_at")
    )


def team_open_signals(actor: Actor) -> QuerySet[SafetyAlert]:
    """Open and escalated signals of patients treated by the actor's teams: the page a
    backup clinician works from when a colleague is away."""
    team_ids = [m.team_id for m in actor.memberships_with(Role.CLINICIAN) if m.team_id]
    if not team_ids:
        return SafetyAlert.objects.none()
    return (
        SafetyAlert.objects.filter(
            status__in=ACTIVE,
            patient__episodes__team_id__in=team_ids,
            patient__episodes__status="active",
        )
        .distinct()
        .select_related("patient")
        .order_by("pick_up_deadline", "raised_at")
    )


def reachable_backup(team: Team) -> Membership | None:
    """The team's backup clinician if escalations can reach them: a membership or account
    switched off since it was chosen is skipped by the escalation, so it counts as none."""
    backup = team.backup_clinician
    if backup is None or not backup.is_active or not backup.user.is_active:
        return None
    return backup


@dataclass(frozen=True)
class TeamBackup:
    """One of the actor's teams and who takes over its overdue signals."""

    team: Team
    backup: Membership | None
    manageable: bool  # the actor is an admin of the team's organization


def team_backups_of(actor: Actor) -> list[TeamBackup]:
    """The backup clinician of each team the actor works in as clinician."""
    team_ids = {m.team_id for m in actor.memberships_with(Role.CLINICIAN) if m.team_id}
    admin_of = actor.organization_ids(Role.ORGANIZATION_ADMIN)
    teams = (
        Team.objects.filter(pk__in=team_ids)
        .select_related("backup_clinician__user")
        .order_by("name")
    )
    return [
        TeamBackup(
            team=team,
            backup=reachable_backup(team),
            manageable=team.organization_id in admin_of,
        )
        for team in teams
    ]


def latest_open_help_signal(patient: Patient) -> SafetyAlert | None:
    """The signal the patient's last risk answer or help request raised, if still open."""
    return (
        SafetyAlert.objects.filter(patient=patient, status__in=ACTIVE)
        .order_by("-raised_at")
        .first()
    )

"""Reading monitoring data: a patient's prompts and their compliance.

These take an access object from the scoped opener (``PatientAccess``), never a raw id.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from django.db.models import Count, Q, QuerySet

from maatwerk.web.monitoring.models import (
    DeliveryLogEntry,
    MonitoringSchedule,
    Prompt,
    PromptState,
)
from maatwerk.web.patients.opening import PatientAccess
from maatwerk.web.questionnaires.models import Assignment, ScaleResult


def patient_prompts(
    opened: PatientAccess, *, since: datetime | None = None, until: datetime | None = None
) -> QuerySet[Prompt]:
    """The patient's prompts (EMA, ROM and own entries), oldest first."""
    prompts = Prompt.objects.filter(patient=opened.patient)
    if since is not None:
        prompts = prompts.filter(due_at__gte=since)
    if until is not None:
        prompts = prompts.filter(due_at__lt=until)
    return prompts.order_by("due_at", "pk")


def open_prompts(opened: PatientAccess, *, now: datetime) -> QuerySet[Prompt]:
    """What the patient can answer now."""
    return patient_prompts(opened).filter(
        state__in=(PromptState.SENT, PromptState.DELIVERED, PromptState.OPENED),
        due_at__lte=now,
        expires_at__gt=now,
    )


def delivery_log(prompt: Prompt) -> QuerySet[DeliveryLogEntry]:
    return prompt.log.order_by("pk")


@dataclass(frozen=True)
class Compliance:
    """Prompts that fell due in a period (own entries not counted) and what became of
    them. ``rate`` is answered / due (None when nothing was due)."""

    due: int
    answered: int
    expired: int
    undelivered: int  # failed or bounced: the patient never got the chance
    open: int

    @property
    def rate(self) -> float | None:
        return self.answered / self.due if self.due else None


def compliance(opened: PatientAccess, *, since: datetime, until: datetime) -> Compliance:
    counts = dict(
        patient_prompts(opened, since=since, until=until)
        .exclude(kind=Prompt.Kind.EVENT)
        .exclude(state=PromptState.CANCELLED)
        .values_list("state")
        .annotate(n=Count("pk"))
        .values_list("state", "n")
    )
    return Compliance(
        due=sum(counts.values()),
        answered=counts.get(PromptState.ANSWERED, 0),
        expired=counts.get(PromptState.EXPIRED, 0),
        undelivered=counts.get(PromptState.FAILED, 0) + counts.get(PromptState.BOUNCED, 0),
        open=sum(
            counts.get(s, 0)
            for s in (
                PromptState.SCHEDULED,
                PromptState.SENT,
                PromptState.DELIVERED,
                PromptState.OPENED,
            )
        ),
    )


# A ROM prompt's questionnaire in one of these states is not offered any more.
QUESTIONNAIRE_DONE = (Assignment.Status.COMPLETED, Assignment.Status.CANCELLED)

# The clinician's pages count questionnaires filled in and late over this window, so the
# patient page and the caseload give the same numbers (a working rule, not a clinical one).
ROM_LOOKBACK_DAYS = 28
ROM_LOOKBACK_WEEKS = ROM_LOOKBACK_DAYS // 7


def rom_late(*, now: datetime) -> Q:
    """ROM questionnaires that fell due in the look-back window and were not filled in:
    the prompt is not answered or cancelled and its questionnaire is not completed or
    cancelled either (the periodic run closes such a prompt only later)."""
    return (
        Q(
            kind=Prompt.Kind.ROM,
            due_at__lte=now,
            due_at__gt=now - timedelta(days=ROM_LOOKBACK_DAYS),
        )
        & ~Q(state__in=(PromptState.ANSWERED, PromptState.CANCELLED))
        & ~Q(assignment__status__in=QUESTIONNAIRE_DONE)
    )


def questionnaires_filled_in(opened: PatientAccess, *, now: datetime) -> int:
    """Questionnaires the patient completed in the look-back window, whichever way they
    came (a ROM prompt, an assignment by the clinician, together in a consult): the
    administrations with a score, one point each on the course charts."""
    return (
        ScaleResult.objects.filter(
            assignment__patient=opened.patient,
            assignment__status=Assignment.Status.COMPLETED,
            assignment__completed_at__lte=now,
            assignment__completed_at__gt=now - timedelta(days=ROM_LOOKBACK_DAYS),
            value__isnull=False,
        )
        .values("assignment")
        .distinct()
        .count()
    )


FINAL_STATES = frozenset(
    {
        PromptState.ANSWERED,
        PromptState.EXPIRED,
        PromptState.BOUNCED,
        PromptState.FAILED,
        PromptState.CANCELLED,
    }
)


def event_entry_schedules(opened: PatientAccess) -> QuerySet[MonitoringSchedule]:
    """The patient's active EMA schedules that allow entries of their own."""
    return MonitoringSchedule.objects.filter(
        patient=opened.patient,
        kind=MonitoringSchedule.Kind.EMA,
        active=True,
        rules__event_contingent=True,
    ).order_by("pk")


def answered_since(opened: PatientAccess, *, since: datetime) -> int:
    return (
        patient_prompts(opened).filter(state=PromptState.ANSWERED, answered_at__gte=since).count()
    )

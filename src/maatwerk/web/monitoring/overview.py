"""What the clinician reads of monitoring: one patient's ROM and daily-life (EMA)
compliance, and across the caseload who is overdue, who stopped responding and whose
prompts bounce (from the delivery log). Each is one audited read.

The thresholds below are working rules of this page (what to flag for a look), not
clinical values.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from django.db.models import Count, Max, Q

from maatwerk.core.monitoring.clock import DEFAULT_ZONE, local_date
from maatwerk.web.audit.audited import audited
from maatwerk.web.audit.services import AuditSubject
from maatwerk.web.common.actor import Actor
from maatwerk.web.common.pdf import render_pdf
from maatwerk.web.monitoring import selectors
from maatwerk.web.monitoring.chart_book import ChartBook, NoteRow, chart_book
from maatwerk.web.monitoring.chart_render import pdf_figures
from maatwerk.web.monitoring.models import DeliveryLogEntry, MonitoringSchedule, Prompt, PromptState
from maatwerk.web.patients.opening import PatientAccess
from maatwerk.web.patients.selectors import patients_visible_to
from maatwerk.web.safety.presenters import RiskBanner
from maatwerk.web.safety.selectors import risk_banner_of

DAYS_SHOWN = 14
# Flag "stopped responding" when in the last QUIET_DAYS at least QUIET_MIN_SENT prompts went
# out and none was answered; "bounces" counts failed and bounced sends of the last week.
QUIET_DAYS = 3
QUIET_MIN_SENT = 3
BOUNCE_DAYS = 7

WENT_OUT = (
    PromptState.SENT,
    PromptState.DELIVERED,
    PromptState.OPENED,
    PromptState.ANSWERED,
    PromptState.EXPIRED,
)
UNDELIVERED = (PromptState.BOUNCED, PromptState.FAILED)


@dataclass(frozen=True)
class DayCompliance:
    day: date
    sent: int
    answered: int
    expired: int
    undelivered: int


@dataclass(frozen=True)
class RomSummary:
    """``done`` and ``overdue`` count over the last ``weeks`` weeks
    (:data:`selectors.ROM_LOOKBACK_DAYS`), as the caseload does."""

    done: int
    overdue: int
    upcoming: int
    next_due: datetime | None
    weeks: int = selectors.ROM_LOOKBACK_WEEKS


@dataclass(frozen=True)
class PatientMonitoring:
    patient_public_id: str
    patient_name: str
    has_schedules: bool
    rom: RomSummary
    days: tuple[DayCompliance, ...]
    answered: int
    sent: int
    charts: ChartBook | None = None
    notes: tuple[NoteRow, ...] = ()  # the patient's notes on days, newest first
    # The patient's open and recent safety signals: the page leads with them, above
    # every chart and count (a course that looks better never stands alone next to one).
    risk: RiskBanner | None = None

    @property
    def percent_answered(self) -> int | None:
        return round(100 * self.answered / self.sent) if self.sent else None


def _zone(opened: PatientAccess) -> str:
    schedule = MonitoringSchedule.objects.filter(patient=opened.patient).order_by("pk").first()
    return schedule.time_zone if schedule else DEFAULT_ZONE


def patient_monitoring(
    actor: Actor, opened: PatientAccess, *, now: datetime, language: str
) -> PatientMonitoring:
    """One patient's ROM due/done, EMA compliance per day (the last 14 days), their
    feedback charts and their notes."""
    with audited(actor=actor, action="read", subject=opened.subject("monitoring_overview")):
        return _patient_monitoring(opened, now=now, language=language)


def patient_monitoring_pdf(
    actor: Actor, opened: PatientAccess, *, now: datetime, language: str
) -> bytes:
    """The same as a PDF for the consult (one ``print`` event); the charts are the page's
    Vega-Lite specifications drawn on the server."""
    with audited(
        actor=actor,
        action="print",
        subject=opened.subject("monitoring_overview"),
        detail="monitoring charts pdf",
    ):
        page = _patient_monitoring(opened, now=now, language=language)
        figures = pdf_figures(page.charts.charts) if page.charts else ()
        return render_pdf(
            "monitoring/patient_pdf.html",
            {"page": page, "figures": figures, "generated_at": now},
        )


def _patient_monitoring(
    opened: PatientAccess, *, now: datetime, language: str
) -> PatientMonitoring:
    zone = _zone(opened)
    today = local_date(now, zone)
    first_day = today - timedelta(days=DAYS_SHOWN - 1)
    since = now - timedelta(days=DAYS_SHOWN + 1)
    rows = list(
        selectors.patient_prompts(opened, since=since, until=now)
        .filter(kind=Prompt.Kind.EMA)
        .values_list("due_at", "state")
    )
    per_day: dict[date, Counter[str]] = {}
    for due_at, state in rows:
        day = local_date(due_at, zone)
        if day >= first_day:
            per_day.setdefault(day, Counter())[state] += 1
    days = tuple(
        DayCompliance(
            day=day,
            sent=sum(counts[s] for s in WENT_OUT),
            answered=counts[PromptState.ANSWERED],
            expired=counts[PromptState.EXPIRED],
            undelivered=sum(counts[s] for s in UNDELIVERED),
        )
        for day in (first_day + timedelta(days=n) for n in range(DAYS_SHOWN))
        for counts in (per_day.get(day, Counter()),)
    )
    rom = selectors.patient_prompts(opened).filter(kind=Prompt.Kind.ROM)
    upcoming = rom.filter(due_at__gt=now).exclude(state=PromptState.CANCELLED)
    next_prompt = upcoming.order_by("due_at").first()
    book = chart_book(opened, now=now, language=language)
    return PatientMonitoring(
        patient_public_id=str(opened.patient.public_id),
        patient_name=opened.patient.full_name,
        has_schedules=MonitoringSchedule.objects.filter(patient=opened.patient).exists(),
        rom=RomSummary(
            done=selectors.questionnaires_filled_in(opened, now=now),
            overdue=rom.filter(selectors.rom_late(now=now)).count(),
            upcoming=upcoming.count(),
            next_due=next_prompt.due_at if next_prompt else None,
        ),
        days=days,
        answered=sum(d.answered for d in days),
        sent=sum(d.sent for d in days),
        charts=book,
        notes=book.day_notes,
        risk=risk_banner_of(opened.patient),
    )


@dataclass(frozen=True)
class CaseloadRow:
    patient_public_id: str
    patient_name: str
    rom_overdue: int
    stopped_responding: bool
    bounces: int
    last_answer: datetime | None


@dataclass(frozen=True)
class CaseloadMonitoring:
    rows: tuple[CaseloadRow, ...]  # only patients with something to look at
    weeks: int = selectors.ROM_LOOKBACK_WEEKS  # the window of ``rom_overdue``

    @property
    def overdue(self) -> tuple[CaseloadRow, ...]:
        return tuple(r for r in self.rows if r.rom_overdue)

    @property
    def stopped(self) -> tuple[CaseloadRow, ...]:
        return tuple(r for r in self.rows if r.stopped_responding)

    @property
    def bouncing(self) -> tuple[CaseloadRow, ...]:
        return tuple(r for r in self.rows if r.bounces)


def caseload_monitoring(actor: Actor, *, now: datetime) -> CaseloadMonitoring:
    """Across the patients this clinician may open: overdue ROM, stopped responding,
    bouncing prompts. Two aggregate queries whatever the caseload's size."""
    with audited(
        actor=actor, action="read", subject=AuditSubject(object_type="monitoring_caseload")
    ) as note:
        visible = patients_visible_to(actor)
        quiet_since = now - timedelta(days=QUIET_DAYS)
        per_patient = (
            Prompt.objects.filter(patient__in=visible, due_at__lte=now)
            .values("patient__public_id", "patient__full_name")
            .annotate(
                rom_overdue=Count("pk", filter=selectors.rom_late(now=now)),
                recent_sent=Count(
                    "pk",
                    filter=Q(kind=Prompt.Kind.EMA, due_at__gte=quiet_since, state__in=WENT_OUT),
                ),
                recent_answered=Count(
                    "pk",
                    filter=Q(due_at__gte=quiet_since, state=PromptState.ANSWERED),
                ),
            )
        )
        bounces = dict(
            DeliveryLogEntry.objects.filter(
                prompt__patient__in=visible,
                event__in=(DeliveryLogEntry.Event.BOUNCE, DeliveryLogEntry.Event.FAIL),
                at__gte=now - timedelta(days=BOUNCE_DAYS),
            )
            .values("prompt__patient__public_id")
            .annotate(n=Count("pk"))
            .values_list("prompt__patient__public_id", "n")
        )
        last_answers = dict(
            Prompt.objects.filter(patient__in=visible, state=PromptState.ANSWERED)
            .values("patient__public_id")
            .annotate(last=Max("answered_at"))
            .values_list("patient__public_id", "last")
        )
        rows = []
        for row in per_patient:
            public_id = row["patient__public_id"]
            stopped = row["recent_sent"] >= QUIET_MIN_SENT and row["recent_answered"] == 0
            bounced = bounces.get(public_id, 0)
            if row["rom_overdue"] or stopped or bounced:
                rows.append(
                    CaseloadRow(
                        patient_public_id=str(public_id),
                        patient_name=row["patient__full_name"],
                        rom_overdue=row["rom_overdue"],
                        stopped_responding=stopped,
                        bounces=bounced,
                        last_answer=last_answers.get(public_id),
                    )
                )
        rows.sort(key=lambda r: r.patient_name)
        note.detail = f"{len(rows)} flagged"
        return CaseloadMonitoring(rows=tuple(rows))

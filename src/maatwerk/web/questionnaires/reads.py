"""Reading questionnaires: one to fill in, a patient's results, the open safety alerts.
Each read is one audit event."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from maatwerk.core.instruments.reference import UnknownSexNorm
from maatwerk.web.analysis import presenters as analysis
from maatwerk.web.analysis.selectors import norm_choice_of
from maatwerk.web.audit.audited import audited
from maatwerk.web.audit.services import AuditSubject
from maatwerk.web.common.actor import Actor
from maatwerk.web.monitoring.chart_book import FeedbackChart, questionnaire_courses
from maatwerk.web.patients.opening import PatientAccess
from maatwerk.web.questionnaires import selectors
from maatwerk.web.questionnaires.models import SafetyAlert
from maatwerk.web.questionnaires.results import ResultRow, result_rows
from maatwerk.web.questionnaires.selectors import OpenedAssignment

if TYPE_CHECKING:
    from maatwerk.core.contact import PhoneNumber
    from maatwerk.web.safety.presenters import PatientDeadline


def assignment_read(*, actor: Actor, opened: OpenedAssignment) -> bool:
    """Open a questionnaire to fill in (one audit event); returns whether it has raised
    a safety alert already."""
    with audited(
        actor=actor,
        action="read",
        subject=opened.subject("questionnaire"),
        emergency=opened.emergency,
    ):
        return selectors.has_alerts(opened.object)


@dataclass(frozen=True)
class Results:
    rows: list[ResultRow]
    alerts: list[SafetyAlert]
    # The N = 1 additions: norm choice, fixed-threshold alternative, not-on-track signals.
    analysis: dict[str, object]
    # Each scale's course as the monitoring page and the PDFs draw it (Vega-Lite, with
    # the reliable-change band of the rule the rows' verdicts use).
    courses: tuple[FeedbackChart, ...] = ()
    open_safety_signals: int = 0  # the patient's signals not yet closed (the page leads)


def results_read(*, actor: Actor, access: PatientAccess, language: str) -> Results:
    """The patient's scores, alerts and questionnaires for the clinician (one event)."""
    with audited(
        actor=actor,
        action="read",
        subject=access.subject("questionnaire_results"),
        emergency=access.emergency,
    ):
        # The clinician's norm choice, read once for the rows, the panel and the signals.
        norm_choice = norm_choice_of(access)
        unknown_sex = norm_choice or UnknownSexNorm.CONSERVATIVE
        rows = result_rows(
            selectors.results_for(access), language=language, unknown_sex=unknown_sex
        )
        alerts = list(selectors.alerts_for(access))
        open_signals = sum(alert.is_active for alert in alerts)
        return Results(
            rows=rows,
            alerts=alerts,
            analysis=analysis.results_context(
                access,
                rows,
                language,
                open_safety_signals=open_signals,
                norm_choice=norm_choice,
            ),
            courses=questionnaire_courses(
                rows,
                {},  # the patient's notes are on the monitoring page, with the day notes
                sex=access.patient.sex,
                language=language,
                unknown_sex=unknown_sex,
                for_patient=False,
            ),
            open_safety_signals=open_signals,
        )


def alerts_read(*, actor: Actor) -> list[SafetyAlert]:
    """The open safety alerts of the clinician's own patients (audited as a search)."""
    with audited(
        actor=actor, action="search", subject=AuditSubject(object_type="safety_alert")
    ) as note:
        found = list(selectors.open_alerts_visible_to(actor))
        note.detail = f"{len(found)} open alert(s) shown"
    return found


@dataclass(frozen=True)
class HelpNow:
    """What the "help now" page tells the patient besides the crisis numbers."""

    deadline: PatientDeadline | None  # when the care team will have seen the signal
    gp_number: PhoneNumber | None


def help_now_read(*, actor: Actor, access: PatientAccess) -> HelpNow:
    """The patient's own open help signal and their GP's number (one ``read`` event)."""
    from maatwerk.web.safety.presenters import patient_deadline
    from maatwerk.web.safety.selectors import latest_open_help_signal

    with audited(
        actor=actor,
        action="read",
        subject=access.subject("safety_alert"),
        emergency=access.emergency,
    ):
        return HelpNow(
            deadline=patient_deadline(latest_open_help_signal(access.patient)),
            gp_number=access.patient.gp_number,
        )

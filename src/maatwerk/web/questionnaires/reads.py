"""Reading questionnaires: one to fill in, a patient's results, the open safety alerts.
Each read is one audit event."""

from __future__ import annotations

from dataclasses import dataclass

from maatwerk.web.audit.audited import audited
from maatwerk.web.audit.services import AuditSubject
from maatwerk.web.common.actor import Actor
from maatwerk.web.patients.opening import PatientAccess
from maatwerk.web.questionnaires import selectors
from maatwerk.web.questionnaires.models import Assignment, SafetyAlert
from maatwerk.web.questionnaires.results import ResultRow, result_rows
from maatwerk.web.questionnaires.selectors import OpenedAssignment


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
    assignments: list[Assignment]


def results_read(*, actor: Actor, access: PatientAccess, language: str) -> Results:
    """The patient's scores, alerts and questionnaires for the clinician (one event)."""
    with audited(
        actor=actor,
        action="read",
        subject=access.subject("questionnaire_results"),
        emergency=access.emergency,
    ):
        return Results(
            rows=result_rows(selectors.results_for(access), language=language),
            alerts=list(selectors.alerts_for(access)),
            assignments=list(selectors.assignments_for(access)),
        )


def alerts_read(*, actor: Actor) -> list[SafetyAlert]:
    """The open safety alerts of the clinician's own patients (audited as a search)."""
    with audited(
        actor=actor, action="search", subject=AuditSubject(object_type="safety_alert")
    ) as note:
        found = list(selectors.open_alerts_visible_to(actor))
        note.detail = f"{len(found)} open alert(s) shown"
    return found

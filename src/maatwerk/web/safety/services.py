"""The safety-signal workflow: raise, pick up, follow up, close, escalate.

Every function here is one transaction with exactly one audit event (success, or
``error`` when a change is refused). Closing follows the core rule
``maatwerk.core.safety.closure``; the pick-up deadline follows
``maatwerk.core.safety.deadline`` with the installation's policy (``policy.py``).
E-mails never carry clinical content: only that a signal waits, and a link.
"""

from __future__ import annotations

from datetime import datetime
from functools import partial
from typing import Any, Literal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from maatwerk.core.safety.closure import ClosureProblem, FollowUpRecord, closure_problems
from maatwerk.core.safety.content import bundled_follow_up_content
from maatwerk.web.accounts.models import User
from maatwerk.web.audit.services import AuditSubject, audit_record
from maatwerk.web.common.actor import Actor, system_actor
from maatwerk.web.patients.models import Patient
from maatwerk.web.patients.selectors import PatientAccess, patient_subject
from maatwerk.web.questionnaires.models import (
    Assignment,
    SafetyAlert,
    SafetyAlertEvent,
    SafetyFollowUp,
)
from maatwerk.web.safety.policy import deadline_for
from maatwerk.web.safety.selectors import SignalAccess, team_open_signals
from maatwerk.web.safety.tasks import (
    escalation_email_send,
    escalation_recipients,
    signal_email_send,
)

Status = SafetyAlert.Status
ESCALATION_PURPOSE = "safety signal escalation"
QUOTE_LIMIT = 4000


class FollowUpRefused(ValidationError):
    """A follow-up that does not (yet) allow the signal to close: one problem per field."""

    def __init__(self, problems: tuple[ClosureProblem, ...]) -> None:
        self.problems = problems
        super().__init__([f"{problem.field}: {problem.code}" for problem in problems])


def _subject(alert: SafetyAlert) -> AuditSubject:
    return patient_subject(
        alert.patient, object_type="safety_alert", object_ref=str(alert.public_id)
    )


def _move(
    alert: SafetyAlert, status: str, *, at: datetime, by: User | None = None, note: str = ""
) -> None:
    alert.status = status
    if status == Status.CLOSED:
        alert.closed_at = at
    if status == Status.ESCALATED:
        alert.escalated_at = at
    alert.save(update_fields=["status", "closed_at", "escalated_at"])
    SafetyAlertEvent.objects.create(alert=alert, status=status, at=at, by=by, note=note[:2000])


def _create(
    *, raised_at: datetime | None = None, raised_by: User | None = None, **fields: Any
) -> SafetyAlert:
    at = raised_at or timezone.now()
    alert = SafetyAlert.objects.create(
        raised_at=at, raised_by=raised_by, pick_up_deadline=deadline_for(at), **fields
    )
    SafetyAlertEvent.objects.create(alert=alert, status=Status.OPEN, at=at, by=raised_by)
    return alert


# ------------------------------------------------------------------ reading


def team_signals_read(*, actor: Actor) -> list[SafetyAlert]:
    """The team's open signals; the list shows patient names, so it is audited like a
    caseload search."""
    signals = list(team_open_signals(actor))
    audit_record(
        actor=actor,
        action="search",
        subject=AuditSubject(object_type="safety_signals_team"),
        detail=f"{len(signals)} open signal(s) shown",
    )
    return signals


def signal_read(*, actor: Actor, opened: SignalAccess) -> None:
    audit_record(
        actor=actor,
        action="read",
        subject=_subject(opened.alert),
        emergency=opened.access.emergency,
    )


def follow_up_unreadable(*, actor: Actor, opened: SignalAccess) -> None:
    """A follow-up form that could not be read (a malformed date) is refused and audited."""
    _refuse(actor, opened.access, opened.alert, "follow-up refused: unreadable input")


def raise_form_read(*, actor: Actor, access: PatientAccess) -> None:
    audit_record(
        actor=actor,
        action="read",
        subject=patient_subject(access.patient, object_type="safety_alert"),
        emergency=access.emergency,
        detail="raise form",
    )


def raise_refused(*, actor: Actor, access: PatientAccess) -> None:
    audit_record(
        actor=actor,
        action="create",
        subject=patient_subject(access.patient, object_type="safety_alert"),
        emergency=access.emergency,
        outcome="error",
        detail="raising refused: incomplete",
    )


# ------------------------------------------------------------------ raising


def raise_from_rule(
    *,
    assignment: Assignment,
    rule_id: str,
    severity: str,
    message: str,
    evidence_item: str,
    evidence_answer: str,
    at: datetime | None = None,
) -> tuple[SafetyAlert, bool]:
    """One signal per fired rule per questionnaire (the caller audits the answer that
    raised it). Returns the signal and whether it is new."""
    existing = SafetyAlert.objects.filter(assignment=assignment, rule_id=rule_id).first()
    if existing is not None:
        return existing, False
    alert = _create(
        patient=assignment.patient,
        assignment=assignment,
        source=SafetyAlert.Source.QUESTIONNAIRE,
        rule_id=rule_id,
        severity=severity,
        message=message,
        evidence_item=evidence_item,
        evidence_answer=evidence_answer[:300],
        raised_at=at or timezone.now(),
    )
    return alert, True


def signal_raise(
    *,
    actor: Actor,
    access: PatientAccess,
    raised_from: str,
    quote: str,
    source_ref: str = "",
    note: str = "",
) -> SafetyAlert:
    """A clinician raises a signal by hand, quoting the patient's words as evidence."""
    if raised_from not in SafetyAlert.RaisedFrom.values:
        raise ValidationError({"raised_from": [_("Choose where the text comes from.")]})
    if not quote.strip():
        raise ValidationError({"quote": [_("Quote the words that worry you.")]})
    with transaction.atomic():
        alert = _create(
            patient=access.patient,
            source=SafetyAlert.Source.CLINICIAN,
            raised_from=raised_from,
            source_ref=source_ref[:64],
            severity="urgent",
            message=note.strip()[:2000],
            evidence_quote=quote.strip()[:QUOTE_LIMIT],
            raised_by=actor.user,
        )
        audit_record(
            actor=actor,
            action="create",
            subject=_subject(alert),
            emergency=access.emergency,
            detail=f"raised by hand from {raised_from}",
        )
        _notify_after_commit(alert)
    return alert


def help_request(*, actor: Actor, patient: Patient, words: str = "") -> SafetyAlert:
    """The patient pressed "I need help now": a signal for the care team. A second press
    while one is still open adds nothing new (the team already has it)."""
    with transaction.atomic():
        alert = SafetyAlert.objects.filter(
            patient=patient,
            source=SafetyAlert.Source.PATIENT_HELP,
            status__in=[Status.OPEN, Status.ESCALATED],
        ).first()
        created = alert is None
        if alert is None:
            alert = _create(
                patient=patient,
                source=SafetyAlert.Source.PATIENT_HELP,
                severity="urgent",
                message="",
                evidence_quote=words.strip()[:QUOTE_LIMIT],
                raised_by=actor.user,
            )
            _notify_after_commit(alert)
        audit_record(
            actor=actor,
            action="create",
            subject=_subject(alert),
            detail="patient asked for help now" + ("" if created else " (already open)"),
        )
    return alert


# ------------------------------------------------------------------ acting on a signal


def _refuse(actor: Actor, access: PatientAccess, alert: SafetyAlert, detail: str) -> None:
    audit_record(
        actor=actor,
        action="update",
        subject=_subject(alert),
        emergency=access.emergency,
        outcome="error",
        detail=detail,
    )


def signal_pick_up(*, actor: Actor, access: PatientAccess, alert: SafetyAlert) -> None:
    """A clinician takes the signal on: from now on it will not escalate."""
    with transaction.atomic():
        alert = SafetyAlert.objects.select_for_update().get(pk=alert.pk)
        refused = alert.status not in (Status.OPEN, Status.ESCALATED)
        if not refused:
            _move(alert, Status.PICKED_UP, at=timezone.now(), by=actor.user)
            audit_record(
                actor=actor,
                action="update",
                subject=_subject(alert),
                emergency=access.emergency,
                detail="picked up",
            )
    if refused:
        # Audited outside the transaction above, which wrote nothing.
        _refuse(actor, access, alert, f"pick up refused: {alert.status}")
        raise ValidationError(_("This signal has already been picked up."))


def follow_up_record(
    *,
    actor: Actor,
    access: PatientAccess,
    alert: SafetyAlert,
    record: FollowUpRecord,
    close: bool,
) -> SafetyFollowUp:
    """Record the follow-up (and, with ``close``, close the signal). A follow-up that
    does not meet the closing rule is refused whole, with every problem named."""
    content = bundled_follow_up_content()
    now = timezone.now()
    problems: tuple[ClosureProblem, ...] = ()
    with transaction.atomic():
        alert = SafetyAlert.objects.select_for_update().get(pk=alert.pk)
        closed = alert.status == Status.CLOSED
        if not closed:
            problems = closure_problems(record, content, raised_at=alert.raised_at, now=now)
        if not closed and not problems:
            follow_up = _store_follow_up(actor, alert, record, content.version, now)
            if alert.status != Status.FOLLOWED_UP:
                _move(alert, Status.FOLLOWED_UP, at=now, by=actor.user)
            if close:
                _move(alert, Status.CLOSED, at=now, by=actor.user)
            audit_record(
                actor=actor,
                action="update",
                subject=_subject(alert),
                emergency=access.emergency,
                detail="follow-up recorded" + (", closed" if close else ""),
            )
            return follow_up
    # Refused: nothing was written above; the refusal is audited on its own.
    if closed:
        _refuse(actor, access, alert, "follow-up refused: closed")
        raise ValidationError(_("This signal is closed."))
    _refuse(actor, access, alert, "follow-up refused: " + _fields(problems))
    raise FollowUpRefused(problems)


def _fields(problems: tuple[ClosureProblem, ...]) -> str:
    return ", ".join(sorted({problem.field for problem in problems}))


def _store_follow_up(
    actor: Actor, alert: SafetyAlert, record: FollowUpRecord, version: str, now: datetime
) -> SafetyFollowUp:
    if actor.user is None:  # pragma: no cover - clinicians are always users
        raise ValidationError(_("Log in to record a follow-up."))
    follow_up, _created = SafetyFollowUp.objects.update_or_create(
        alert=alert,
        defaults={
            "contact_outcome": record.contact_outcome,
            "contact_at": record.contact_at,
            "contact_method": record.contact_method,
            "contact_by": record.contact_by.strip()[:200],
            "attempts": record.attempts.strip(),
            "assessment": dict(record.assessment),
            "safety_plan": record.safety_plan or "",
            "gp_informed": bool(record.gp_informed),
            "crisis_ggz_involved": bool(record.crisis_ggz_involved),
            "next_contact_at": record.next_contact_at,
            "note": record.note.strip(),
            "content_version": version,
            "recorded_by": actor.user,
            "recorded_at": now,
        },
    )
    return follow_up


def record_of(follow_up: SafetyFollowUp | None) -> FollowUpRecord:
    if follow_up is None:
        return FollowUpRecord()
    outcome: Literal["reached", "not_reached"] | None = None
    if follow_up.contact_outcome == "reached":
        outcome = "reached"
    elif follow_up.contact_outcome == "not_reached":
        outcome = "not_reached"
    return FollowUpRecord(
        contact_outcome=outcome,
        contact_at=follow_up.contact_at,
        contact_method=follow_up.contact_method,
        contact_by=follow_up.contact_by,
        attempts=follow_up.attempts,
        assessment=follow_up.assessment,
        safety_plan=follow_up.safety_plan or None,
        gp_informed=follow_up.gp_informed,
        crisis_ggz_involved=follow_up.crisis_ggz_involved,
        next_contact_at=follow_up.next_contact_at,
        note=follow_up.note,
    )


def signal_close(*, actor: Actor, access: PatientAccess, alert: SafetyAlert) -> None:
    """Close a followed-up signal. Without a complete follow-up it stays open: the
    refusal names every missing field."""
    now = timezone.now()
    problems: tuple[ClosureProblem, ...] = ()
    with transaction.atomic():
        alert = SafetyAlert.objects.select_for_update().get(pk=alert.pk)
        closed = alert.status == Status.CLOSED
        if not closed:
            follow_up = SafetyFollowUp.objects.filter(alert=alert).first()
            problems = closure_problems(
                record_of(follow_up),
                bundled_follow_up_content(),
                raised_at=alert.raised_at,
                # The follow-up was complete when it was recorded: judge it at that time.
                now=max(now, follow_up.recorded_at) if follow_up else now,
            )
        if not closed and not problems:
            _move(alert, Status.CLOSED, at=now, by=actor.user)
            audit_record(
                actor=actor,
                action="update",
                subject=_subject(alert),
                emergency=access.emergency,
                detail="closed",
            )
            return
    if closed:
        _refuse(actor, access, alert, "close refused: already closed")
        raise ValidationError(_("This signal is already closed."))
    _refuse(actor, access, alert, "close refused: " + _fields(problems))
    raise FollowUpRefused(problems)


# ------------------------------------------------------------------ escalation


def escalate_overdue_signals(now: datetime) -> int:
    """Escalate every open signal whose pick-up deadline has passed, exactly once.

    Idempotent: a signal is escalated only from ``open``, under a row lock that skips
    rows another worker holds, so two workers never escalate the same signal twice.
    Each escalation writes one history row and one audit event (actor: the system), and
    e-mails the team's backup clinician and the patient's GPs in the care team a link,
    without any clinical content. Returns the number of signals escalated."""
    actor = system_actor(ESCALATION_PURPOSE)
    escalated = 0
    due = SafetyAlert.objects.filter(status=Status.OPEN, pick_up_deadline__lte=now).values_list(
        "pk", flat=True
    )
    for pk in list(due):
        with transaction.atomic():
            alert = (
                SafetyAlert.objects.select_for_update(skip_locked=True)
                .select_related("patient__organization")
                .filter(pk=pk, status=Status.OPEN)
                .first()
            )
            if alert is None:
                continue
            recipients = escalation_recipients(alert.patient_id)
            _move(
                alert,
                Status.ESCALATED,
                at=now,
                note=f"not picked up by {alert.pick_up_deadline:%Y-%m-%d %H:%M %Z}",
            )
            audit_record(
                actor=actor,
                action="update",
                subject=_subject(alert),
                detail=f"escalated to {len(recipients)} recipient(s)",
            )
            alert_id = str(alert.public_id)
            transaction.on_commit(partial(escalation_email_send.enqueue, alert_id))
            escalated += 1
    return escalated


def _notify_after_commit(alert: SafetyAlert) -> None:
    """Once the signal is committed, a background task e-mails the care team (ids only)."""
    alert_ids = [str(alert.public_id)]
    transaction.on_commit(lambda: signal_email_send.enqueue(alert_ids))

"""The safety-signal workflow: raise, pick up, follow up, close, escalate.

Every function here is one transaction with exactly one audit event (success, refused
or denied, through :func:`maatwerk.web.audit.audited.audited`). Closing follows the core rule
``maatwerk.core.safety.closure``; the pick-up deadline follows
``maatwerk.core.safety.deadline`` with the installation's policy (``policy.py``).
E-mails never carry clinical content: only that a signal waits, and a link.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from functools import partial
from typing import Any, Literal

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from maatwerk.core.contact import PhoneNumber
from maatwerk.core.safety.closure import ClosureProblem, FollowUpRecord, closure_problems
from maatwerk.core.safety.content import FollowUpContent, bundled_follow_up_content
from maatwerk.web.accounts.models import User
from maatwerk.web.audit.audited import InputRefused, audited, valid_form
from maatwerk.web.audit.services import AuditSubject
from maatwerk.web.common.actor import Actor, system_actor
from maatwerk.web.patients.opening import Opened, PatientAccess, patient_subject
from maatwerk.web.questionnaires.models import (
    Assignment,
    SafetyAlert,
    SafetyAlertEvent,
    SafetyFollowUp,
)
from maatwerk.web.safety.forms import (
    FollowUpForm,
    HelpForm,
    RaiseForm,
    form_field_of,
    problem_message,
)
from maatwerk.web.safety.policy import deadline_for
from maatwerk.web.safety.selectors import (
    TeamBackup,
    latest_open_help_signal,
    team_backups_of,
    team_open_signals,
)
from maatwerk.web.safety.tasks import (
    escalation_email_send,
    escalation_recipients,
    signal_email_send,
)

Status = SafetyAlert.Status
ESCALATION_PURPOSE = "safety signal escalation"
QUOTE_LIMIT = 4000


class FollowUpRefused(InputRefused):
    """A follow-up that does not (yet) allow the signal to close: one problem per field,
    each on the form field it belongs to."""

    def __init__(self, problems: tuple[ClosureProblem, ...], content: FollowUpContent) -> None:
        self.problems = problems
        errors: dict[str, list[str]] = {}
        for problem in problems:
            field = form_field_of(problem.field, content)
            message = problem_message(problem, content)
            if message not in errors.setdefault(field, []):
                errors[field].append(message)
        super().__init__(errors)


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


@dataclass(frozen=True)
class TeamPage:
    signals: list[SafetyAlert]
    backups: list[TeamBackup]


def team_signals_read(*, actor: Actor) -> TeamPage:
    """The team's open signals; the list shows patient names, so it is audited like a
    caseload search."""
    with audited(
        actor=actor, action="search", subject=AuditSubject(object_type="safety_signals_team")
    ) as note:
        signals = list(team_open_signals(actor))
        note.detail = f"{len(signals)} open signal(s) shown"
        return TeamPage(signals=signals, backups=team_backups_of(actor))


@dataclass(frozen=True)
class SignalPage:
    alert: SafetyAlert
    access: PatientAccess
    events: list[SafetyAlertEvent]
    follow_up: SafetyFollowUp | None


def signal_page(opened: Opened[SafetyAlert]) -> SignalPage:
    alert = opened.object
    return SignalPage(
        alert=alert,
        access=opened.access,
        events=list(alert.events.select_related("by")),
        follow_up=SafetyFollowUp.objects.filter(alert=alert).first(),
    )


def signal_read(*, actor: Actor, opened: Opened[SafetyAlert]) -> SignalPage:
    with audited(
        actor=actor,
        action="read",
        subject=_subject(opened.object),
        emergency=opened.emergency,
    ):
        return signal_page(opened)


def raise_form_read(*, actor: Actor, access: PatientAccess) -> None:
    with audited(
        actor=actor,
        action="read",
        subject=access.subject("safety_alert"),
        emergency=access.emergency,
        detail="raise form",
    ):
        return


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


def signal_raise(*, actor: Actor, access: PatientAccess, form: RaiseForm) -> SafetyAlert:
    """A clinician raises a signal by hand, quoting the patient's words as evidence."""
    with audited(
        actor=actor,
        action="create",
        subject=access.subject("safety_alert"),
        emergency=access.emergency,
    ) as note:
        data = valid_form(form)
        raised_from = str(data["raised_from"])
        quote = str(data["quote"]).strip()
        if not quote:
            raise InputRefused({"quote": [_("Quote the words that worry you.")]})
        alert = _create(
            patient=access.patient,
            source=SafetyAlert.Source.CLINICIAN,
            raised_from=raised_from,
            source_ref=str(data["source_ref"]),
            severity="urgent",
            message=str(data["note"]).strip(),
            evidence_quote=quote,
            raised_by=actor.user,
        )
        note.about(object_ref=str(alert.public_id))
        note.detail = f"raised by hand from {raised_from}"
        _notify_after_commit(alert)
        return alert


@dataclass(frozen=True)
class HelpPage:
    signal: SafetyAlert | None
    gp_number: PhoneNumber | None


def help_page_read(*, actor: Actor, access: PatientAccess) -> HelpPage:
    """The patient's "I need help now" page: crisis lines and their open signal, if any."""
    with audited(actor=actor, action="read", subject=access.subject("safety_alert")):
        return HelpPage(
            signal=latest_open_help_signal(access.patient), gp_number=access.patient.gp_number
        )


def help_request(*, actor: Actor, access: PatientAccess, form: HelpForm) -> SafetyAlert:
    """The patient pressed "I need help now": a signal for the care team. A second press
    while one is still open adds nothing new (the team already has it)."""
    patient = access.patient
    with audited(actor=actor, action="create", subject=access.subject("safety_alert")) as note:
        data = valid_form(form)
        alert = (
            SafetyAlert.objects.select_for_update()
            .filter(
                patient=patient,
                source=SafetyAlert.Source.PATIENT_HELP,
                status__in=[Status.OPEN, Status.ESCALATED],
            )
            .first()
        )
        created = alert is None
        if alert is None:
            alert = _create(
                patient=patient,
                source=SafetyAlert.Source.PATIENT_HELP,
                severity="urgent",
                message="",
                evidence_quote=str(data["words"]).strip(),
                raised_by=actor.user,
            )
            _notify_after_commit(alert)
        note.about(object_ref=str(alert.public_id))
        note.detail = "patient asked for help now" + ("" if created else " (already open)")
        return alert


# ------------------------------------------------------------------ acting on a signal


def signal_pick_up(*, actor: Actor, opened: Opened[SafetyAlert]) -> None:
    """A clinician takes the signal on: from now on it will not escalate."""
    with audited(
        actor=actor,
        action="update",
        subject=_subject(opened.object),
        emergency=opened.emergency,
        detail="picked up",
    ):
        # The row lock is held until the status change commits.
        alert = SafetyAlert.objects.select_for_update().get(pk=opened.object.pk)
        if alert.status not in (Status.OPEN, Status.ESCALATED):
            raise InputRefused(_("This signal has already been picked up."))
        _move(alert, Status.PICKED_UP, at=timezone.now(), by=actor.user)


def follow_up_record(
    *, actor: Actor, opened: Opened[SafetyAlert], form: FollowUpForm
) -> SafetyFollowUp:
    """Record the follow-up (and, with ``close``, close the signal). A follow-up that
    does not meet the closing rule is refused whole, with every problem named."""
    content = bundled_follow_up_content()
    now = timezone.now()
    with audited(
        actor=actor,
        action="update",
        subject=_subject(opened.object),
        emergency=opened.emergency,
    ) as note:
        data = valid_form(form)
        close = bool(data.get("close"))
        record = form.record()
        alert = SafetyAlert.objects.select_for_update().get(pk=opened.object.pk)
        if alert.status == Status.CLOSED:
            raise InputRefused(_("This signal is closed."))
        problems = closure_problems(record, content, raised_at=alert.raised_at, now=now)
        if problems:
            raise FollowUpRefused(problems, content)
        follow_up = _store_follow_up(actor, alert, record, content.version, now)
        if alert.status != Status.FOLLOWED_UP:
            _move(alert, Status.FOLLOWED_UP, at=now, by=actor.user)
        if close:
            _move(alert, Status.CLOSED, at=now, by=actor.user)
        note.detail = "follow-up recorded" + (", closed" if close else "")
        return follow_up


def _store_follow_up(
    actor: Actor, alert: SafetyAlert, record: FollowUpRecord, version: str, now: datetime
) -> SafetyFollowUp:
    if actor.user is None:  # pragma: no cover - clinicians are always users
        raise InputRefused(_("Log in to record a follow-up."))
    follow_up, _created = SafetyFollowUp.objects.update_or_create(
        alert=alert,
        defaults={
            "contact_outcome": record.contact_outcome,
            "contact_at": record.contact_at,
            "contact_method": record.contact_method,
            "contact_by": record.contact_by.strip(),
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


def signal_close(*, actor: Actor, opened: Opened[SafetyAlert]) -> None:
    """Close a followed-up signal. Without a complete follow-up it stays open: the
    refusal names every missing field."""
    now = timezone.now()
    content = bundled_follow_up_content()
    with audited(
        actor=actor,
        action="update",
        subject=_subject(opened.object),
        emergency=opened.emergency,
        detail="closed",
    ):
        alert = SafetyAlert.objects.select_for_update().get(pk=opened.object.pk)
        if alert.status == Status.CLOSED:
            raise InputRefused(_("This signal is already closed."))
        follow_up = SafetyFollowUp.objects.filter(alert=alert).first()
        problems = closure_problems(
            record_of(follow_up),
            content,
            raised_at=alert.raised_at,
            # The follow-up was complete when it was recorded: judge it at that time.
            now=max(now, follow_up.recorded_at) if follow_up else now,
        )
        if problems:
            raise FollowUpRefused(problems, content)
        _move(alert, Status.CLOSED, at=now, by=actor.user)


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
            with audited(
                actor=actor,
                action="update",
                subject=_subject(alert),
                detail=f"escalated to {len(recipients)} recipient(s)",
            ):
                # No note: the page says "not picked up before <deadline>" in the
                # reader's language and time zone (a stored English sentence in UTC
                # was what Dutch clinicians read).
                _move(alert, Status.ESCALATED, at=now, note="")
            alert_id = str(alert.public_id)
            transaction.on_commit(partial(escalation_email_send.enqueue, alert_id))
            escalated += 1
    return escalated


def _notify_after_commit(alert: SafetyAlert) -> None:
    """Once the signal is committed, a background task e-mails the care team (ids only)."""
    alert_ids = [str(alert.public_id)]
    transaction.on_commit(lambda: signal_email_send.enqueue(alert_ids))

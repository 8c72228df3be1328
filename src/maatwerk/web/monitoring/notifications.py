"""How the patient hears that a question waits: their own choice, paused or not.

The patient chooses on ``/monitoring/me/notifications/``: a notification on the phone
(Web Push: the page subscribes the installed app with the server's VAPID key and sends
the subscription here), an e-mail (only with their consent to e-mail notifications from
the privacy choices), or no messages (they look in the app themselves). They can pause
and resume messages, and choosing "no messages" also forgets the phone's subscriptions.

The worker asks :func:`message_channel` which channel a prompt goes by. ``None`` means
no message: the prompt is still put in the app (its ``send`` event says "app only" and
why), and it gets no reminder.

:func:`notification_page` (read) and :func:`change_notifications` (update) are each one
audited service call; registering a phone is :func:`~.services.subscribe_push`.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, time

from django.conf import settings
from django.utils.translation import gettext as _

from maatwerk.core.monitoring.ema import ScheduleError, ema_schedule_from_data
from maatwerk.web.audit.audited import AuditNote, InputRefused, audited, valid_form
from maatwerk.web.common.actor import Actor
from maatwerk.web.monitoring.channels import web_push_configured
from maatwerk.web.monitoring.forms import NotificationForm
from maatwerk.web.monitoring.models import (
    Channel,
    MonitoringSchedule,
    NotificationChoice,
    NotificationPreference,
    Prompt,
    PushSubscription,
)
from maatwerk.web.patients.models import Patient, PrivacyConsent
from maatwerk.web.patients.opening import PatientAccess

PREFERENCE = "notification_preference"
# Channels that are the patient's own; development channels stay as the schedule says.
PATIENT_CHANNELS = (Channel.EMAIL, Channel.PUSH)


def email_consent(patient: Patient) -> bool:
    """The patient's newest privacy choice allows e-mail notifications."""
    newest = PrivacyConsent.objects.filter(patient=patient).first()
    return newest is not None and newest.email_notifications


def message_channel(prompt: Prompt) -> tuple[str | None, str]:
    """The channel the prompt's message goes by, or ``None`` and the reason there is
    no message ("paused", "no_messages", "no_email_consent")."""
    preference = NotificationPreference.objects.filter(patient_id=prompt.patient_id).first()
    channel = prompt.channel
    if preference is not None:
        if preference.paused_at is not None:
            return None, "paused"
        if preference.choice == NotificationChoice.NONE:
            return None, "no_messages"
        if channel in PATIENT_CHANNELS:
            channel = preference.choice
    if channel == Channel.EMAIL and not email_consent(prompt.patient):
        return None, "no_email_consent"
    return channel, ""


@dataclass(frozen=True)
class ScheduleTimes:
    """What one daily-life schedule sends, in the patient's local time."""

    fixed_times: tuple[time, ...]
    windows: tuple[tuple[time, time], ...]
    quiet_hours: tuple[time, time] | None
    reminder_minutes: int | None


@dataclass(frozen=True)
class NotificationPage:
    choice: str  # a NotificationChoice value, or "" when the patient has not chosen
    channel_label: str  # how messages go now
    paused: bool
    email_consent: bool
    push_available: bool  # the server can send phone notifications (a VAPID key is set)
    vapid_public_key: str
    devices: int
    schedules: tuple[ScheduleTimes, ...]
    questionnaires: bool  # ROM questionnaires are sent too


def _times(schedule: MonitoringSchedule) -> ScheduleTimes | None:
    try:
        rules = ema_schedule_from_data({**schedule.rules, "zone": schedule.time_zone})
    except (ScheduleError, KeyError, TypeError, ValueError):
        return None  # a schedule the core refuses sends nothing to show
    return ScheduleTimes(
        fixed_times=rules.fixed_times,
        windows=tuple((window.start, window.end) for window in rules.windows),
        quiet_hours=(
            (rules.quiet_hours.start, rules.quiet_hours.end) if rules.quiet_hours else None
        ),
        reminder_minutes=(
            int(rules.reminder_after.total_seconds() // 60) if rules.reminder_after else None
        ),
    )


def _page(patient: Patient) -> NotificationPage:
    preference = NotificationPreference.objects.filter(patient=patient).first()
    schedules = list(MonitoringSchedule.objects.filter(patient=patient, active=True))
    channels = {schedule.channel for schedule in schedules}
    consent = email_consent(patient)
    if preference is not None:
        channel = preference.choice
    elif channels & {Channel.PUSH}:
        channel = NotificationChoice.PUSH
    elif channels & {Channel.EMAIL}:
        channel = NotificationChoice.EMAIL
    else:
        channel = NotificationChoice.NONE
    if channel == NotificationChoice.EMAIL and not consent:
        channel = NotificationChoice.NONE
    return NotificationPage(
        choice=preference.choice if preference is not None else "",
        channel_label=str(NotificationChoice(channel).label),
        paused=preference is not None and preference.paused_at is not None,
        email_consent=consent,
        push_available=web_push_configured(),
        vapid_public_key=settings.MAATWERK_VAPID_PUBLIC_KEY,
        devices=PushSubscription.objects.filter(patient=patient, gone_at__isnull=True).count(),
        schedules=tuple(
            times
            for schedule in schedules
            if schedule.kind == MonitoringSchedule.Kind.EMA
            and (times := _times(schedule)) is not None
        ),
        questionnaires=any(s.kind == MonitoringSchedule.Kind.ROM for s in schedules),
    )


def notification_page(actor: Actor, opened: PatientAccess) -> NotificationPage:
    with audited(actor=actor, action="read", subject=opened.subject(PREFERENCE)):
        return _page(opened.patient)


class NotificationsRefused(InputRefused):
    """A refused change, with the page to show the errors on (read in the same audited
    call, so the refused request writes one audit event)."""

    def __init__(self, refusal: InputRefused, page: NotificationPage) -> None:
        super().__init__(refusal.errors)
        self.page = page


def change_notifications(
    actor: Actor, opened: PatientAccess, *, form: NotificationForm, now: datetime
) -> NotificationPreference:
    """Choose how messages come, or pause / resume them. Refused
    (:class:`NotificationsRefused`): e-mail without the patient's consent, phone
    notifications without a registered phone, pausing or resuming before a choice."""
    with audited(actor=actor, action="update", subject=opened.subject(PREFERENCE)) as note:
        try:
            return _change(opened.patient, form, now, note)
        except InputRefused as refusal:
            raise NotificationsRefused(refusal, _page(opened.patient)) from None


def _change(
    patient: Patient, form: NotificationForm, now: datetime, note: AuditNote
) -> NotificationPreference:
    data = valid_form(form)
    preference = NotificationPreference.objects.select_for_update().filter(patient=patient).first()
    action = str(data["action"])
    if action in (NotificationForm.PAUSE, NotificationForm.RESUME):
        if preference is None:
            raise InputRefused(_("Choose first how you want to hear about a question."))
        preference.paused_at = now if action == NotificationForm.PAUSE else None
        preference.updated_at = now
        preference.save(update_fields=["paused_at", "updated_at"])
        note.detail = action
        return preference
    choice = str(data["choice"])
    if choice == NotificationChoice.EMAIL and not email_consent(patient):
        raise InputRefused(
            {
                "choice": [
                    _(
                        "You did not agree to get e-mails from us. If you want e-mails, "
                        "change this first in your privacy choices."
                    )
                ]
            }
        )
    live = PushSubscription.objects.filter(patient=patient, gone_at__isnull=True)
    if choice == NotificationChoice.PUSH and not live.exists():
        raise InputRefused(
            {"choice": [_("First allow notifications on this phone with the button.")]}
        )
    if choice == NotificationChoice.NONE:
        # Unsubscribed: the phone's subscriptions are never used again.
        live.update(gone_at=now)
    preference, _created = NotificationPreference.objects.update_or_create(
        patient=patient, defaults={"choice": choice, "updated_at": now}
    )
    note.detail = f"choice {choice}"
    return preference

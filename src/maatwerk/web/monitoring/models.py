"""Monitoring schedules, the prompts materialized from them, and the delivery log.

- :class:`MonitoringSchedule` - one patient's ROM or EMA schedule; its rule values are
  data (``rules``, the core's ``ema_schedule_to_data`` / ``rom_rule_to_data`` shapes),
  in the patient's own time zone.
- :class:`Prompt` - one prompt that falls due: an EMA beep, a ROM questionnaire, or an
  entry the patient started. Unique per (schedule, due time) and per (schedule, key),
  so materializing the same period twice creates nothing new.
- :class:`DeliveryLogEntry` - one row per event that happened to a prompt (scheduled,
  sent, delivered, opened, answered, expired, reminded, bounced, failed, cancelled).
- :class:`PushSubscription` - one device's Web Push subscription.
- :class:`RomDefault` - an organization's ROM rules for one care level.
"""

from __future__ import annotations

import uuid

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from maatwerk.core.monitoring.clock import DEFAULT_ZONE
from maatwerk.web.organizations.models import Organization
from maatwerk.web.patients.models import Patient
from maatwerk.web.questionnaires.models import Assignment


class Channel(models.TextChoices):
    EMAIL = "email", _("E-mail")
    PUSH = "push", _("Phone notification")
    FILE = "file", _("Development outbox (file)")
    CONSOLE = "console", _("Development console")


class PromptState(models.TextChoices):
    SCHEDULED = "scheduled", _("Scheduled")
    SENT = "sent", _("Sent")
    DELIVERED = "delivered", _("Delivered")
    OPENED = "opened", _("Opened")
    ANSWERED = "answered", _("Answered")
    EXPIRED = "expired", _("Expired")
    BOUNCED = "bounced", _("Bounced")
    FAILED = "failed", _("Failed")
    CANCELLED = "cancelled", _("Cancelled")


class MonitoringSchedule(models.Model):
    class Kind(models.TextChoices):
        EMA = "ema", _("Daily-life questions")
        ROM = "rom", _("Routine outcome monitoring")

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    patient = models.ForeignKey(
        Patient, on_delete=models.PROTECT, related_name="monitoring_schedules"
    )
    kind = models.CharField(_("kind"), max_length=8, choices=Kind.choices)
    time_zone = models.CharField(_("time zone"), max_length=64, default=DEFAULT_ZONE)
    rules = models.JSONField(_("rules"), default=dict)
    # EMA: the patient's item set (keys and texts as proposed and chosen).
    items = models.JSONField(_("items"), default=list, blank=True)
    channel = models.CharField(
        _("channel"), max_length=16, choices=Channel.choices, default=Channel.EMAIL
    )
    active = models.BooleanField(_("active"), default=True)
    # Prompts exist up to here; the materializing job continues from this moment.
    materialized_until = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(default=timezone.now)

    class Meta:
        indexes = [models.Index(fields=["active", "materialized_until"])]

    def __str__(self) -> str:
        return f"{self.kind} schedule of patient {self.patient_id}"


class Prompt(models.Model):
    class Kind(models.TextChoices):
        EMA = "ema", _("Daily-life question")
        ROM = "rom", _("Questionnaire")
        EVENT = "event", _("Own entry")

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    schedule = models.ForeignKey(
        MonitoringSchedule, on_delete=models.CASCADE, related_name="prompts"
    )
    patient = models.ForeignKey(Patient, on_delete=models.PROTECT, related_name="prompts")
    kind = models.CharField(max_length=8, choices=Kind.choices)
    # Unique within the schedule: "2026-03-29:0" (EMA day and slot), "rom:phq9:interval:2".
    key = models.CharField(max_length=120)
    instrument = models.CharField(max_length=60, blank=True)
    due_at = models.DateTimeField()
    reminder_at = models.DateTimeField(null=True, blank=True)
    expires_at = models.DateTimeField()
    state = models.CharField(
        max_length=16, choices=PromptState.choices, default=PromptState.SCHEDULED
    )
    reminded = models.BooleanField(default=False)
    channel = models.CharField(max_length=16, choices=Channel.choices)
    # When the periodic job last enqueued the send / the reminder (its own clock).
    send_enqueued_at = models.DateTimeField(null=True, blank=True)
    reminder_enqueued_at = models.DateTimeField(null=True, blank=True)
    answered_at = models.DateTimeField(null=True, blank=True)
    answers = models.JSONField(null=True, blank=True)
    # The id the answering device gave this answer: an answer that arrives again (an
    # offline retry) with the same id is the same answer, stored once.
    answer_id = models.UUIDField(null=True, blank=True, unique=True)
    # ROM: the questionnaire the patient fills in for this prompt, made when it is sent;
    # the prompt counts as answered when that questionnaire is completed.
    assignment = models.OneToOneField(
        Assignment,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="rom_prompt",
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["due_at"]
        constraints = [
            # EMA prompts have no instrument: one per (schedule, due time); ROM
            # questionnaires of one occasion share a due time, one per instrument.
            models.UniqueConstraint(
                fields=["schedule", "due_at", "instrument"], name="one_prompt_per_due_time"
            ),
            models.UniqueConstraint(fields=["schedule", "key"], name="one_prompt_per_key"),
        ]
        indexes = [
            models.Index(fields=["state", "due_at"]),
            models.Index(fields=["state", "expires_at"]),
            models.Index(fields=["state", "reminder_at"]),
            models.Index(fields=["patient", "due_at"]),
        ]

    def __str__(self) -> str:
        return f"prompt {self.key} of schedule {self.schedule_id}"


class DeliveryLogEntry(models.Model):
    class Event(models.TextChoices):
        SCHEDULED = "scheduled", _("scheduled")
        SEND = "send", _("sent")
        DELIVER = "deliver", _("delivered")
        OPEN = "open", _("opened")
        ANSWER = "answer", _("answered")
        REMIND = "remind", _("reminded")
        EXPIRE = "expire", _("expired")
        BOUNCE = "bounce", _("bounced")
        FAIL = "fail", _("failed")
        CANCEL = "cancel", _("cancelled")

    prompt = models.ForeignKey(Prompt, on_delete=models.CASCADE, related_name="log")
    event = models.CharField(max_length=16, choices=Event.choices)
    state_after = models.CharField(max_length=16, choices=PromptState.choices)
    at = models.DateTimeField()
    channel = models.CharField(max_length=16, blank=True)
    # What the channel said (a status code, an error class); never clinical content.
    detail = models.CharField(max_length=200, blank=True)

    class Meta:
        ordering = ["id"]
        indexes = [models.Index(fields=["prompt", "event"])]

    def __str__(self) -> str:
        return f"{self.event} @ {self.at.isoformat()}"


class PushSubscription(models.Model):
    """One device (browser) of a patient that accepts Web Push messages (RFC 8030/8291)."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    patient = models.ForeignKey(
        Patient, on_delete=models.CASCADE, related_name="push_subscriptions"
    )
    endpoint = models.URLField(max_length=1000, unique=True)
    p256dh = models.CharField(max_length=200)
    auth = models.CharField(max_length=100)
    user_agent = models.CharField(max_length=300, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    last_success_at = models.DateTimeField(null=True, blank=True)
    # The push service said the subscription is gone (404/410): never used again.
    gone_at = models.DateTimeField(null=True, blank=True)

    def __str__(self) -> str:
        return f"push subscription {self.public_id}"


class NotificationChoice(models.TextChoices):
    PUSH = "push", _("A notification on my phone")
    EMAIL = "email", _("An e-mail")
    NONE = "none", _("No messages: I look in the app myself")


class NotificationPreference(models.Model):
    """How the patient wants to hear that a question waits (their own choice; it
    overrides the channel the schedule was made with), and whether messages are paused.
    Without a row the schedule's channel is used. E-mail is only sent with the patient's
    consent to e-mail notifications (the privacy choices)."""

    patient = models.OneToOneField(
        Patient, on_delete=models.CASCADE, related_name="notification_preference"
    )
    choice = models.CharField(
        _("how you hear about a question"), max_length=8, choices=NotificationChoice.choices
    )
    paused_at = models.DateTimeField(null=True, blank=True)
    updated_at = models.DateTimeField(default=timezone.now)

    def __str__(self) -> str:
        return f"notifications of patient {self.patient_id}: {self.choice}"


class RomDefault(models.Model):
    """An organization's ROM rules for one care level (list of core rule data)."""

    organization = models.ForeignKey(
        Organization, on_delete=models.CASCADE, related_name="rom_defaults"
    )
    care_level = models.CharField(_("care level"), max_length=60)
    rules = models.JSONField(_("rules"), default=list)
    updated_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["organization", "care_level"], name="one_rom_default_per_care_level"
            )
        ]

    def __str__(self) -> str:
        return f"ROM defaults of {self.organization_id} for {self.care_level}"

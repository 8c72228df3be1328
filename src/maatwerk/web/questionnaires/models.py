from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from maatwerk.web.organizations.models import Membership
from maatwerk.web.patients.models import Patient


class Assignment(models.Model):
    """A questionnaire a clinician asked a patient to fill in (or fills in together).

    The instrument is referenced by code and version, validated by the core registry;
    not by database choices, so adding an instrument needs no migration.
    """

    class Status(models.TextChoices):
        OPEN = "open", _("Not started")
        IN_PROGRESS = "in_progress", _("In progress")
        COMPLETED = "completed", _("Completed")
        CANCELLED = "cancelled", _("Cancelled")

    class Mode(models.TextChoices):
        SELF = "self", _("Patient fills it in")
        TOGETHER = "together", _("Together during a consult")

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    patient = models.ForeignKey(Patient, on_delete=models.PROTECT, related_name="assignments")
    instrument_code = models.CharField(max_length=40)
    instrument_version = models.CharField(max_length=20)
    assigned_by = models.ForeignKey(
        Membership, on_delete=models.PROTECT, related_name="assignments"
    )
    assigned_at = models.DateTimeField(default=timezone.now)
    due_at = models.DateTimeField(_("due"), null=True, blank=True)
    mode = models.CharField(max_length=16, choices=Mode.choices, default=Mode.SELF)
    status = models.CharField(max_length=16, choices=Status.choices, default=Status.OPEN)
    completed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-assigned_at"]
        indexes = [models.Index(fields=["patient", "status"])]

    def __str__(self) -> str:
        return f"{self.instrument_code} {self.instrument_version} for {self.patient_id}"


class Answer(models.Model):
    """The current answer to one item; saved the moment it is given.

    ``not_applicable`` records "this does not apply to me" for an item asked of one sex
    only (PHQ-15 item 4) when the patient's sex is not recorded: then there is no value,
    and the core leaves the item out instead of counting it as unanswered."""

    assignment = models.ForeignKey(Assignment, on_delete=models.CASCADE, related_name="answers")
    item_id = models.CharField(max_length=40)
    value = models.DecimalField(max_digits=9, decimal_places=3, null=True, blank=True)
    not_applicable = models.BooleanField(default=False)
    answered_at = models.DateTimeField(default=timezone.now)
    answered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["assignment", "item_id"], name="one_answer_per_item"),
            models.CheckConstraint(
                condition=models.Q(not_applicable=False) | models.Q(value__isnull=True),
                name="not_applicable_has_no_value",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.item_id}=" + ("n/a" if self.not_applicable else f"{self.value}")


class ScaleResult(models.Model):
    """A computed scale score, kept with its explanation so a result can be traced."""

    assignment = models.ForeignKey(Assignment, on_delete=models.CASCADE, related_name="results")
    scale_id = models.CharField(max_length=40)
    value = models.DecimalField(max_digits=12, decimal_places=4, null=True, blank=True)
    band = models.CharField(max_length=200, blank=True)
    explanation = models.JSONField(default=dict)
    computed_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["assignment", "scale_id"], name="one_result_per_scale")
        ]

    def __str__(self) -> str:
        return f"{self.scale_id}={self.value}"


class SafetyAlert(models.Model):
    """A safety signal: a risk the care team must act on, with its evidence and history.

    One model for every source: a questionnaire's safety rule (PHQ-9 item 9, 4DKL), a
    clinician raising it by hand from patient text (a message, homework, a consult note,
    the dossier), or the patient pressing "I need help now". It moves open → picked up →
    followed up → closed; an open signal not picked up by ``pick_up_deadline`` becomes
    escalated. Every change is one ``SafetyAlertEvent``; closing needs a complete
    ``SafetyFollowUp`` (the rule is ``maatwerk.core.safety.closure``).
    """

    class Source(models.TextChoices):
        QUESTIONNAIRE = "questionnaire", _("Questionnaire answer")
        CLINICIAN = "clinician", _("Raised by a clinician")
        PATIENT_HELP = "patient_help", _("Patient asked for help now")

    class RaisedFrom(models.TextChoices):
        MESSAGE = "message", _("Message")
        HOMEWORK = "homework", _("Homework answer")
        CONSULT_NOTE = "consult_note", _("Consult note")
        DOSSIER = "dossier", _("Dossier")
        FORMULATION = "formulation", _("Comment on the personal explanation")

    class Status(models.TextChoices):
        OPEN = "open", _("Open")
        ESCALATED = "escalated", _("Escalated")
        PICKED_UP = "picked_up", _("Picked up")
        FOLLOWED_UP = "followed_up", _("Followed up")
        CLOSED = "closed", _("Closed")

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    patient = models.ForeignKey(Patient, on_delete=models.PROTECT, related_name="safety_alerts")
    source = models.CharField(max_length=20, choices=Source.choices, default=Source.QUESTIONNAIRE)
    raised_from = models.CharField(max_length=20, choices=RaisedFrom.choices, blank=True)
    # The public id of the message or homework the quoted text came from.
    source_ref = models.CharField(max_length=64, blank=True)
    assignment = models.ForeignKey(
        Assignment, on_delete=models.PROTECT, related_name="alerts", null=True, blank=True
    )
    rule_id = models.CharField(max_length=60, blank=True)
    severity = models.CharField(max_length=20)
    message = models.TextField()
    evidence_item = models.TextField(blank=True)  # the question as the patient read it
    evidence_answer = models.CharField(max_length=300, blank=True)  # "2 – ..." with its label
    evidence_quote = models.TextField(blank=True)  # the patient's own words
    raised_at = models.DateTimeField(default=timezone.now)
    raised_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="raised_safety_signals",
    )
    status = models.CharField(max_length=16, choices=Status.choices, default=Status.OPEN)
    pick_up_deadline = models.DateTimeField(null=True, blank=True)
    escalated_at = models.DateTimeField(null=True, blank=True)
    closed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-raised_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["assignment", "rule_id"],
                condition=models.Q(assignment__isnull=False),
                name="one_alert_per_rule",
            )
        ]
        indexes = [models.Index(fields=["status", "pick_up_deadline"])]

    def __str__(self) -> str:
        return f"{self.rule_id or self.source} for {self.patient_id}"

    @property
    def is_active(self) -> bool:
        return self.status != self.Status.CLOSED


class SafetyAlertEvent(models.Model):
    """One step in a signal's history: who (or the system) moved it to which status."""

    alert = models.ForeignKey(SafetyAlert, on_delete=models.CASCADE, related_name="events")
    status = models.CharField(max_length=16, choices=SafetyAlert.Status.choices)
    at = models.DateTimeField(default=timezone.now)
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    note = models.TextField(blank=True)

    class Meta:
        ordering = ["at", "pk"]

    def __str__(self) -> str:
        return f"{self.status} at {self.at:%Y-%m-%d %H:%M}"


class SafetyFollowUp(models.Model):
    """The recorded follow-up of a signal: contact, risk assessment and actions taken.

    The assessment holds the answers to the questions of the content file
    ``safety/follow_up.json`` (question id → option id, or text)."""

    class ContactOutcome(models.TextChoices):
        REACHED = "reached", _("Spoke with the patient")
        NOT_REACHED = "not_reached", _("Could not reach the patient")

    alert = models.OneToOneField(SafetyAlert, on_delete=models.CASCADE, related_name="follow_up")
    contact_outcome = models.CharField(max_length=16, choices=ContactOutcome.choices)
    contact_at = models.DateTimeField()
    contact_method = models.CharField(max_length=30)
    contact_by = models.CharField(max_length=200)
    attempts = models.TextField(blank=True)
    assessment = models.JSONField(default=dict)
    safety_plan = models.CharField(max_length=30, blank=True)
    gp_informed = models.BooleanField()
    crisis_ggz_involved = models.BooleanField()
    next_contact_at = models.DateTimeField(null=True, blank=True)
    note = models.TextField(blank=True)
    content_version = models.CharField(max_length=20)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    recorded_at = models.DateTimeField(default=timezone.now)

    def __str__(self) -> str:
        return f"follow-up of {self.alert_id}"


class LicensedTexts(models.Model):
    """An organization's licensed item texts for a structure-only instrument (e.g. TSK).

    Kept with the organization, never in the shipped content; the file is stored as it
    was imported so it can be exported again or re-applied to a newer definition.
    """

    organization = models.ForeignKey(
        "organizations.Organization", on_delete=models.PROTECT, related_name="licensed_texts"
    )
    instrument_code = models.CharField(max_length=40)
    instrument_version = models.CharField(max_length=20)
    licence_holder = models.CharField(max_length=300)
    statement = models.TextField()
    document = models.JSONField()
    imported_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    imported_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["organization", "instrument_code", "instrument_version"],
                name="one_text_set_per_instrument_version",
            )
        ]

    def __str__(self) -> str:
        return f"{self.instrument_code} {self.instrument_version} texts for {self.organization_id}"


class ImportedInstrument(models.Model):
    """An instrument an organization imported as a FHIR Questionnaire (with the Maatwerk
    instrument-definition extension); available to that organization only.

    The resource is kept as it was imported; the instrument is read from it by
    ``maatwerk.core.fhir.questionnaire_to_instrument``. Its code never is a bundled code.
    """

    organization = models.ForeignKey(
        "organizations.Organization",
        on_delete=models.PROTECT,
        related_name="imported_instruments",
    )
    code = models.CharField(max_length=40)
    version = models.CharField(max_length=20)
    resource = models.JSONField()
    imported_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    imported_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["code", "version"]
        constraints = [
            models.UniqueConstraint(
                fields=["organization", "code", "version"],
                name="one_imported_instrument_version",
            )
        ]

    def __str__(self) -> str:
        return f"{self.code} {self.version} of {self.organization_id}"

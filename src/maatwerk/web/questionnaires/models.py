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
    """The current answer to one item; saved the moment it is given."""

    assignment = models.ForeignKey(Assignment, on_delete=models.CASCADE, related_name="answers")
    item_id = models.CharField(max_length=40)
    value = models.DecimalField(max_digits=9, decimal_places=3, null=True, blank=True)
    answered_at = models.DateTimeField(default=timezone.now)
    answered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["assignment", "item_id"], name="one_answer_per_item")
        ]

    def __str__(self) -> str:
        return f"{self.item_id}={self.value}"


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
    """A safety rule fired (e.g. PHQ-9 item 9 > 0): the treating clinicians act on it."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    patient = models.ForeignKey(Patient, on_delete=models.PROTECT, related_name="safety_alerts")
    assignment = models.ForeignKey(Assignment, on_delete=models.PROTECT, related_name="alerts")
    rule_id = models.CharField(max_length=60)
    severity = models.CharField(max_length=20)
    message = models.TextField()
    raised_at = models.DateTimeField(default=timezone.now)
    acknowledged_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="acknowledged_alerts",
    )
    acknowledged_at = models.DateTimeField(null=True, blank=True)
    acknowledgement_note = models.TextField(blank=True)

    class Meta:
        ordering = ["-raised_at"]
        constraints = [
            models.UniqueConstraint(fields=["assignment", "rule_id"], name="one_alert_per_rule")
        ]

    def __str__(self) -> str:
        return f"{self.rule_id} for {self.patient_id}"


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

"""A patient's case formulation, kept as a series of versions, and the patient's answers.

Each save stores the whole formulation as a new ``FormulationVersion`` (the core's JSON
document, ``maatwerk.core.formulation.formulation_to_json``); nothing is overwritten, so
the history shows what changed between consults. A version the clinician shares is what
the patient reads, agrees with or comments on.
"""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from maatwerk.web.patients.models import Patient


class Formulation(models.Model):
    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        SHARED = "shared", _("Shared with the patient")
        AGREED = "agreed", _("The patient agrees")

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    patient = models.ForeignKey(Patient, on_delete=models.PROTECT, related_name="formulations")
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.DRAFT)

    class Meta:
        ordering = ["-created_at"]
        constraints = [
            # One formulation per patient, revised over time through its versions.
            models.UniqueConstraint(fields=["patient"], name="one_formulation_per_patient")
        ]

    def __str__(self) -> str:
        return f"formulation of {self.patient_id}"


class FormulationVersion(models.Model):
    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    formulation = models.ForeignKey(Formulation, on_delete=models.CASCADE, related_name="versions")
    number = models.PositiveIntegerField()
    document = models.TextField(help_text="The core's formulation document (JSON).")
    saved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    saved_at = models.DateTimeField(default=timezone.now)
    note = models.CharField(max_length=200, blank=True)
    shared_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    shared_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-number"]
        constraints = [
            models.UniqueConstraint(
                fields=["formulation", "number"], name="one_formulation_version_per_number"
            )
        ]

    def __str__(self) -> str:
        return f"version {self.number} of {self.formulation_id}"


class PatientResponse(models.Model):
    """The patient recognizes themself in a shared version, or says what is wrong or
    missing."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    version = models.ForeignKey(
        FormulationVersion, on_delete=models.PROTECT, related_name="responses"
    )
    agreed = models.BooleanField()
    comment = models.TextField(blank=True)
    answered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    answered_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-answered_at", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(agreed=True) | ~models.Q(comment=""),
                name="formulation_response_agrees_or_comments",
            )
        ]

    def __str__(self) -> str:
        return f"response to {self.version_id}"

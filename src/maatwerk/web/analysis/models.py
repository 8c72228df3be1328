"""EMA imports, estimated networks and the norm chosen for a patient of unknown sex."""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from maatwerk.web.patients.models import Patient


class EmaImport(models.Model):
    """A CSV file of EMA (diary) data a clinician imported for a patient.

    ``series`` is the parsed :class:`~maatwerk.core.analysis.ema.EmaSeries` (as its
    ``as_dict``); ``links`` maps each variable to a box (node id) of the patient's
    vicious circle, or to nothing. The newest import is the patient's EMA series."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    patient = models.ForeignKey(Patient, on_delete=models.CASCADE, related_name="ema_imports")
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    uploaded_at = models.DateTimeField(default=timezone.now)
    filename = models.CharField(max_length=200, blank=True)
    series = models.JSONField()
    input_hash = models.CharField(max_length=64)
    links = models.JSONField(default=dict, blank=True)
    shared_at = models.DateTimeField(null=True, blank=True)
    """When the clinician shared the network of these data with the patient."""

    class Meta:
        ordering = ["-uploaded_at", "-pk"]

    def __str__(self) -> str:
        return f"EMA import {self.public_id}"


class NetworkEstimate(models.Model):
    """The network estimated from one EMA series, kept under the series' hash so it is
    estimated again only when the data change."""

    class Status(models.TextChoices):
        PENDING = "pending", _("being estimated")
        DONE = "done", _("estimated")
        FAILED = "failed", _("could not be estimated")

    patient = models.ForeignKey(Patient, on_delete=models.CASCADE, related_name="network_estimates")
    input_hash = models.CharField(max_length=64)
    status = models.CharField(max_length=16, choices=Status.choices, default=Status.PENDING)
    result = models.JSONField(null=True, blank=True)
    problem = models.TextField(blank=True)
    """Why the estimation failed, in the technical English of the command line (for
    support; the page says it from ``problem_kind`` and ``problem_params``)."""
    problem_kind = models.CharField(max_length=40, blank=True)
    """A ``NetworkProblemKind``; empty on rows that failed before it was kept."""
    problem_params = models.JSONField(default=dict, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["patient", "input_hash"], name="one_network_per_patient_input"
            )
        ]

    def __str__(self) -> str:
        return f"network {self.input_hash[:8]} ({self.status})"


class ChangeNormChoice(models.Model):
    """For a patient whose sex has no norm of its own (unknown or other): which norm the
    clinician chose for reliable change and clinical significance. Without a row the
    conservative rule applies, and the page says so."""

    class Choice(models.TextChoices):
        CONSERVATIVE = "conservative", _("the stricter norm (larger spread, harder cut-off)")
        FEMALE = "female", _("the norm for women")
        MALE = "male", _("the norm for men")

    patient = models.OneToOneField(
        Patient, on_delete=models.CASCADE, related_name="change_norm_choice"
    )
    choice = models.CharField(max_length=16, choices=Choice.choices)
    chosen_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    chosen_at = models.DateTimeField(default=timezone.now)

    def __str__(self) -> str:
        return f"norm choice {self.choice}"

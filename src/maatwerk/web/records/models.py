"""A copy of the whole record, and a request to destroy (parts of) it (F26)."""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from maatwerk.core.records.destruction import RecordPart, RefusalGround
from maatwerk.web.patients.models import Patient


class RecordCopy(models.Model):
    """A complete copy (FHIR Bundle and PDF) made in the background for the person who
    asked for it; its content is removed when it expires (or when parts are destroyed)."""

    class Status(models.TextChoices):
        PREPARING = "preparing", _("being prepared")
        READY = "ready", _("ready")
        EXPIRED = "expired", _("expired")

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    patient = models.ForeignKey(Patient, on_delete=models.CASCADE, related_name="record_copies")
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    requested_at = models.DateTimeField(default=timezone.now)
    expires_at = models.DateTimeField()
    status = models.CharField(max_length=16, choices=Status.choices, default=Status.PREPARING)
    ready_at = models.DateTimeField(null=True, blank=True)
    fhir_bundle = models.BinaryField(null=True, blank=True, editable=False)
    pdf = models.BinaryField(null=True, blank=True, editable=False)
    rows = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["-requested_at", "-pk"]

    def __str__(self) -> str:
        return f"copy {self.public_id}"


class DestructionRequest(models.Model):
    """The patient's request to destroy parts of the record (BW 7:455), and the decision.

    The request itself is kept after a destruction: it proves that the data were destroyed
    at the patient's request and holds no clinical content."""

    class Status(models.TextChoices):
        OPEN = "open", _("waiting for a decision")
        GRANTED = "granted", _("destroyed")
        REFUSED = "refused", _("refused")

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    patient = models.ForeignKey(
        Patient, on_delete=models.CASCADE, related_name="destruction_requests"
    )
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    requested_at = models.DateTimeField(default=timezone.now)
    deadline = models.DateField()
    parts = models.JSONField(default=list)  # RecordPart values
    patient_note = models.CharField(max_length=1000, blank=True)
    status = models.CharField(max_length=16, choices=Status.choices, default=Status.OPEN)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        null=True,
        blank=True,
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    refusal_ground = models.CharField(
        max_length=32,
        blank=True,
        choices=[(ground.value, ground.value) for ground in RefusalGround],
    )
    refusal_reason = models.CharField(max_length=2000, blank=True)
    destroyed_rows = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["-requested_at", "-pk"]

    def __str__(self) -> str:
        return f"destruction request {self.public_id}"

    @property
    def part_values(self) -> list[str]:
        known = {part.value for part in RecordPart}
        return [str(part) for part in self.parts if part in known]

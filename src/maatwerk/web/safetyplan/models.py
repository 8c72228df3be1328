"""A patient's safety plan (veiligheidsplan), kept as a series of versions.

Each save that changes something stores the whole plan as a new ``SafetyPlanVersion``
(the core's JSON document, ``maatwerk.core.safety_plan.plan_to_json``); nothing is
overwritten, so older versions stay readable and each names who saved it and which
sections changed.
"""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.utils import timezone

from maatwerk.web.patients.models import Patient


class SafetyPlan(models.Model):
    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    patient = models.OneToOneField(Patient, on_delete=models.PROTECT, related_name="safety_plan")
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)

    def __str__(self) -> str:
        return f"safety plan of {self.patient_id}"


class SafetyPlanVersion(models.Model):
    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    plan = models.ForeignKey(SafetyPlan, on_delete=models.CASCADE, related_name="versions")
    number = models.PositiveIntegerField()
    document = models.TextField(help_text="The core's safety-plan document (JSON).")
    content_version = models.CharField(max_length=20)
    saved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    saved_at = models.DateTimeField(default=timezone.now)
    by_patient = models.BooleanField(default=False)
    # Section ids, comma-separated (never the text): what this version changed.
    changed_sections = models.CharField(max_length=300, blank=True)

    class Meta:
        ordering = ["-number"]
        constraints = [
            models.UniqueConstraint(
                fields=["plan", "number"], name="one_safety_plan_version_per_number"
            )
        ]

    def __str__(self) -> str:
        return f"version {self.number} of {self.plan_id}"

    @property
    def changed_section_ids(self) -> tuple[str, ...]:
        return tuple(item for item in self.changed_sections.split(",") if item)

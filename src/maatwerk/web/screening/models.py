"""A screening: a battery of questionnaires, the patient's intake (complaints and
priorities), the clinician's SCEGS exploration, the computed profile with its advice,
and the clinician's decision on the level of care.

Batteries, complaints, factors and rules are referenced by id and validated against the
screening content and the knowledge base (``maatwerk.core``), not by database choices,
so new content needs no migration.
"""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from maatwerk.web.organizations.models import Membership
from maatwerk.web.patients.models import Patient
from maatwerk.web.questionnaires.models import Assignment


class Screening(models.Model):
    class Status(models.TextChoices):
        OPEN = "open", _("Not started")
        IN_PROGRESS = "in_progress", _("In progress")
        COMPLETED = "completed", _("Completed")
        CANCELLED = "cancelled", _("Cancelled")

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    patient = models.ForeignKey(Patient, on_delete=models.PROTECT, related_name="screenings")
    battery_id = models.CharField(max_length=60)
    content_version = models.CharField(
        max_length=40, help_text="Version of the batteries the steps were planned with."
    )
    setting = models.CharField(max_length=60, blank=True)
    assigned_by = models.ForeignKey(Membership, on_delete=models.PROTECT, related_name="+")
    assigned_at = models.DateTimeField(default=timezone.now)
    status = models.CharField(max_length=16, choices=Status.choices, default=Status.OPEN)
    completed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-assigned_at"]
        indexes = [models.Index(fields=["patient", "status"])]

    def __str__(self) -> str:
        return f"{self.battery_id} for {self.patient_id}"


class ScreeningStep(models.Model):
    """One questionnaire of the battery and what became of it."""

    class Status(models.TextChoices):
        PENDING = "pending", _("Waits for the intake")
        ASSIGNED = "assigned", _("Assigned")
        SKIPPED = "skipped", _("Skipped")
        UNAVAILABLE = "unavailable", _("Not available")

    screening = models.ForeignKey(Screening, on_delete=models.CASCADE, related_name="steps")
    position = models.PositiveSmallIntegerField()
    instrument_code = models.CharField(max_length=40)
    status = models.CharField(max_length=16, choices=Status.choices)
    reason = models.JSONField(default=dict, blank=True, help_text="Language -> reason text.")
    assignment = models.ForeignKey(
        Assignment, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["position"]
        constraints = [
            models.UniqueConstraint(
                fields=["screening", "position"], name="one_screening_step_per_position"
            )
        ]

    def __str__(self) -> str:
        return f"{self.instrument_code}: {self.status}"


class ScreeningIntake(models.Model):
    """What the patient says: complaints, own words and priorities.

    Saved field by field while the patient types (every field may be empty until it is
    sent in); ``submitted_at`` marks the moment it was sent in and the battery re-planned.
    """

    class HelpWanted(models.TextChoices):
        YES = "yes", _("Yes")
        NO = "no", _("No")
        UNSURE = "unsure", _("I do not know yet")

    class Modality(models.TextChoices):
        ONLINE = "online", _("Online")
        FACE_TO_FACE = "face_to_face", _("Face to face")
        BLENDED = "blended", _("Both online and face to face")
        NO_PREFERENCE = "no_preference", _("No preference")

    screening = models.OneToOneField(Screening, on_delete=models.CASCADE, related_name="intake")
    complaints = models.JSONField(default=list, blank=True)
    own_words = models.TextField(blank=True)
    first_problem = models.TextField(blank=True)
    wants_help_now = models.CharField(max_length=10, choices=HelpWanted.choices, blank=True)
    modality = models.CharField(max_length=16, choices=Modality.choices, blank=True)
    updated_at = models.DateTimeField(default=timezone.now)
    submitted_at = models.DateTimeField(null=True, blank=True)
    answered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    def __str__(self) -> str:
        return f"intake of {self.screening_id}"


class ScegsAssessment(models.Model):
    """The clinician's SCEGS exploration for one screening."""

    class Limitation(models.TextChoices):
        NONE = "none", _("None")
        LIGHT = "light", _("Light")
        MODERATE = "moderate", _("Moderate")
        SEVERE = "severe", _("Severe")

    class EarlierTreatment(models.TextChoices):
        """Were these complaints treated before? Blank: not asked yet. The values are the
        core's ``EarlierTreatment``."""

        NONE = "none", _("No: first time in general practice with these complaints")
        PRIMARY_CARE = (
            "primary_care",
            _(
                "Yes, in general practice (GP, POH-GGZ, physiotherapist or "
                "primary-care psychologist)"
            ),
        )
        MENTAL_HEALTH_CARE = (
            "mental_health_care",
            _(
                "Yes, in mental health care (basic or specialised GGZ, or a "
                "multidisciplinary centre)"
            ),
        )

    screening = models.OneToOneField(Screening, on_delete=models.CASCADE, related_name="assessment")
    conditions = models.JSONField(default=list, blank=True)
    symptom_clusters = models.JSONField(default=list, blank=True)
    duration_weeks = models.PositiveIntegerField(null=True, blank=True)
    functional_limitation = models.CharField(max_length=10, choices=Limitation.choices, blank=True)
    earlier_treatment = models.CharField(
        max_length=20,
        choices=EarlierTreatment.choices,
        blank=True,
        default="",
        help_text="Blank: not asked yet.",
    )
    comorbidity = models.JSONField(default=list, blank=True)
    medication = models.JSONField(default=list, blank=True)
    judged_factors = models.JSONField(default=dict, blank=True, help_text="factor id -> present")
    low_literacy = models.BooleanField(default=False)
    migration_background = models.BooleanField(default=False)
    parent_involved = models.BooleanField(default=False)
    notes = models.TextField(blank=True)
    assessed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    assessed_at = models.DateTimeField(default=timezone.now)

    def __str__(self) -> str:
        return f"SCEGS of {self.screening_id}"


class ScreeningProfileSnapshot(models.Model):
    """The computed profile and advice, kept as they were shown (history is kept)."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    screening = models.ForeignKey(Screening, on_delete=models.CASCADE, related_name="snapshots")
    inputs = models.JSONField(help_text="The ScreeningInput the profile was computed from.")
    inputs_digest = models.CharField(max_length=64)
    profile = models.JSONField()
    advice = models.JSONField()
    knowledge_versions = models.JSONField(default=dict)
    content_versions = models.JSONField(default=dict)
    computed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    computed_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-computed_at", "-pk"]

    def __str__(self) -> str:
        return f"profile of {self.screening_id} at {self.computed_at}"


class CareLevelDecision(models.Model):
    """The clinician accepts the advised level of care, or chooses another with a reason."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    screening = models.ForeignKey(Screening, on_delete=models.CASCADE, related_name="decisions")
    snapshot = models.ForeignKey(
        ScreeningProfileSnapshot, on_delete=models.PROTECT, related_name="decisions"
    )
    advised_level = models.CharField(max_length=60)
    decided_level = models.CharField(max_length=60)
    overridden = models.BooleanField(default=False)
    reason = models.TextField(blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    decided_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-decided_at", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(overridden=False) | ~models.Q(reason=""),
                name="care_level_override_needs_reason",
            )
        ]

    def __str__(self) -> str:
        return f"{self.decided_level} for {self.screening_id}"

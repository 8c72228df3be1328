"""Personalized outcome measures: PSK, top problems and GAS.

What is measured is chosen per patient, so the items (activities, problems, goals) are
rows, not instrument definitions. Scoring is the core's
(:mod:`maatwerk.core.instruments.personalized`); its result is stored with each
measurement so a score can be traced.
"""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from maatwerk.web.patients.models import Patient


class MeasureSet(models.Model):
    """The activities, problems or goals chosen for one patient, for one measure.

    A patient has at most one active set per kind; starting a new set closes the old
    one, whose measurements stay readable.
    """

    class Kind(models.TextChoices):
        PSK = "psk", _("PSK (Patient-Specific Complaints)")
        TOP_PROBLEMS = "top_problems", _("Top problems")
        GAS = "gas", _("Goal Attainment Scaling")

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    patient = models.ForeignKey(Patient, on_delete=models.PROTECT, related_name="measure_sets")
    kind = models.CharField(max_length=20, choices=Kind.choices)
    rho = models.DecimalField(
        max_digits=4,
        decimal_places=2,
        null=True,
        blank=True,
        help_text="GAS only: the assumed correlation between the goals.",
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)
    is_active = models.BooleanField(default=True)
    closed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["patient", "kind"],
                condition=models.Q(is_active=True),
                name="one_active_measure_set_per_kind",
            )
        ]

    def __str__(self) -> str:
        return f"{self.kind} for {self.patient_id}"


class MeasureItem(models.Model):
    """One activity (PSK), problem (top problems) or goal (GAS), in the patient's words."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    measure_set = models.ForeignKey(MeasureSet, on_delete=models.CASCADE, related_name="items")
    position = models.PositiveSmallIntegerField()
    name = models.CharField(max_length=200)
    weight = models.DecimalField(max_digits=6, decimal_places=2, default=1)
    expected_outcome = models.TextField(blank=True, help_text="GAS: the level 0 description.")
    level_descriptions = models.JSONField(
        default=dict, blank=True, help_text="GAS: optional texts of the levels −2, −1, +1 and +2."
    )

    class Meta:
        ordering = ["position"]
        constraints = [
            models.UniqueConstraint(
                fields=["measure_set", "position"], name="one_measure_item_per_position"
            )
        ]

    def __str__(self) -> str:
        return self.name


class Measurement(models.Model):
    """One administration: a value per item and the core's result."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    measure_set = models.ForeignKey(
        MeasureSet, on_delete=models.CASCADE, related_name="measurements"
    )
    measured_on = models.DateField(default=timezone.localdate)
    entered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    entered_at = models.DateTimeField(default=timezone.now)
    score = models.DecimalField(max_digits=9, decimal_places=4)
    result = models.JSONField(default=dict)

    class Meta:
        ordering = ["measured_on", "entered_at"]

    def __str__(self) -> str:
        return f"{self.measure_set_id} on {self.measured_on}: {self.score}"


class MeasurementValue(models.Model):
    """The rating (PSK, top problems: 0–10) or attained level (GAS: −2 … +2) of one item."""

    measurement = models.ForeignKey(Measurement, on_delete=models.CASCADE, related_name="values")
    item = models.ForeignKey(MeasureItem, on_delete=models.PROTECT, related_name="values")
    value = models.SmallIntegerField()

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["measurement", "item"], name="one_value_per_measure_item"
            )
        ]

    def __str__(self) -> str:
        return f"{self.item_id}={self.value}"

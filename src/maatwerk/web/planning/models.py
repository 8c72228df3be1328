"""The personal plan of a patient: modules, decisions, multidisciplinary parts.

The recommendation is stored as it was computed (``PlanModule.recommendation``, the
core's ``ModuleRecommendation`` as JSON) so a plan can be read and exported later exactly
as it was decided, even after the knowledge base or the catalogue changed. The goals are
GAS goals of the personalized app (``Plan.goal_set``): one goal store, not two.
"""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from maatwerk.web.patients.models import Patient
from maatwerk.web.personalized.models import MeasureSet
from maatwerk.web.screening.models import ScreeningProfileSnapshot


class Plan(models.Model):
    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        ACTIVE = "active", _("Active")
        REVISED = "revised", _("Revised")
        COMPLETED = "completed", _("Completed")
        # A revision thrown away before activation: kept, with its decisions, in the
        # history; the plan it revised stayed active.
        DISCARDED = "discarded", _("Discarded")

    class CareLevelSource(models.TextChoices):
        DECISION = "decision", _("decided by the clinician")
        ADVICE = "advice", _("advised, not yet decided")

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    patient = models.ForeignKey(Patient, on_delete=models.PROTECT, related_name="plans")
    snapshot = models.ForeignKey(
        ScreeningProfileSnapshot,
        on_delete=models.PROTECT,
        related_name="plans",
        help_text="The screening profile the recommendation was computed from.",
    )
    care_level = models.CharField(max_length=60)
    care_level_source = models.CharField(max_length=10, choices=CareLevelSource.choices)
    severity = models.CharField(max_length=20, blank=True)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.DRAFT)
    preferences = models.JSONField(
        default=dict,
        help_text="modality, excluded_modules (module id -> the patient's words), max_at_once.",
    )
    maintaining_factors = models.JSONField(default=list, blank=True)
    clinician_flags = models.JSONField(default=list, blank=True)
    expected_weeks = models.PositiveSmallIntegerField(default=0)
    expected_weeks_unverified = models.BooleanField(default=True)
    duration = models.JSONField(default=dict, help_text="The core's ExpectedDuration.")
    goal_set = models.ForeignKey(
        MeasureSet,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="plans",
        help_text="The GAS goals of this plan (personalized measures).",
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(default=timezone.now)
    activated_at = models.DateTimeField(null=True, blank=True)
    # A revision is a new plan that starts from the active one; the active plan stays
    # active until the revision is activated (then it is ``revised``). A plan has at
    # most one revision that was not discarded (see Meta).
    revises = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="revisions",
        help_text="The plan this plan revises.",
    )
    revision_reason = models.TextField(blank=True, help_text="Why the plan was revised.")
    regiebehandelaar = models.ForeignKey(
        "organizations.Membership",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        help_text=(
            "Chosen explicitly, only at a GGZ level of care (core.planning.roles); at the "
            "GP levels the GP is medically responsible, also for the POH-GGZ's care."
        ),
    )
    ended_at = models.DateTimeField(null=True, blank=True)
    ended_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    end_note = models.TextField(
        blank=True,
        help_text="The note when the plan was completed, or why a revision was discarded.",
    )

    class Meta:
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["patient"],
                condition=models.Q(status="draft"),
                name="one_draft_plan_per_patient",
            ),
            models.UniqueConstraint(
                fields=["patient"],
                condition=models.Q(status="active"),
                name="one_active_plan_per_patient",
            ),
            models.UniqueConstraint(
                fields=["revises"],
                condition=~models.Q(status="discarded"),
                name="one_kept_revision_per_plan",
            ),
        ]

    def __str__(self) -> str:
        return f"plan {self.public_id} ({self.status})"

    @property
    def successor(self) -> Plan | None:
        """The revision of this plan that was not discarded (draft or activated)."""
        return self.revisions.exclude(status=self.Status.DISCARDED).first()


class PlanModule(models.Model):
    """A module the recommendation named, the patient excluded or the clinician added."""

    class Status(models.TextChoices):
        RECOMMENDED = "recommended", _("recommended")
        ACCEPTED = "accepted", _("accepted")
        REMOVED = "removed", _("removed")
        ADDED = "added", _("added")
        EXCLUDED = "excluded", _("not wanted by the patient")

    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="modules")
    module_id = models.CharField(max_length=80)
    module_version = models.CharField(max_length=40)
    status = models.CharField(max_length=12, choices=Status.choices)
    order = models.PositiveSmallIntegerField(
        null=True, blank=True, help_text="Position in the plan; empty when not in the plan."
    )
    rank = models.PositiveSmallIntegerField(
        null=True, blank=True, help_text="Rank in the recommendation; empty when not ranked."
    )
    reason = models.TextField(blank=True, help_text="The clinician's reason for the decision.")
    recommendation = models.JSONField(
        null=True, blank=True, help_text="The core's ModuleRecommendation as computed."
    )
    reason_lines = models.JSONField(
        default=dict, help_text="language -> why the module is in the plan, one line each."
    )

    class Meta:
        ordering = ["order", "rank", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["plan", "module_id"], name="one_row_per_plan_module")
        ]

    def __str__(self) -> str:
        return f"{self.module_id} ({self.status})"

    @property
    def in_plan(self) -> bool:
        return self.order is not None


class PlanDecisionRecord(models.Model):
    """Who decided what about which module, when, and why (kept; never edited)."""

    class Action(models.TextChoices):
        ACCEPT = "accept", _("accepted")
        REMOVE = "remove", _("removed")
        ADD = "add", _("added")

    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="decisions")
    module_id = models.CharField(max_length=80)
    action = models.CharField(max_length=10, choices=Action.choices)
    reason = models.TextField(blank=True)
    deviates = models.BooleanField(
        default=False, help_text="The decision departs from the recommendation."
    )
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    decided_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["decided_at", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(deviates=False) | ~models.Q(reason=""),
                name="plan_deviation_needs_reason",
            )
        ]

    def __str__(self) -> str:
        return f"{self.action} {self.module_id}"


class PlanPart(models.Model):
    """A multidisciplinary part (physiotherapy, EMDR, …) with why and its provenance."""

    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="parts")
    position = models.PositiveSmallIntegerField()
    rule_id = models.CharField(max_length=80)
    intervention_id = models.CharField(max_length=80)
    intervention_name = models.JSONField(default=dict)
    discipline_id = models.CharField(max_length=80, blank=True)
    reason = models.JSONField(default=dict, help_text="language -> why")
    factors = models.JSONField(default=list, blank=True)
    flags = models.JSONField(default=list, blank=True)
    severity = models.CharField(max_length=20, blank=True)
    sources = models.JSONField(default=list, blank=True)
    unverified = models.BooleanField(default=True)
    note = models.TextField(blank=True)

    class Meta:
        ordering = ["position"]
        constraints = [
            models.UniqueConstraint(fields=["plan", "position"], name="one_plan_part_per_position")
        ]

    def __str__(self) -> str:
        return self.intervention_id


class PlanCareLevelStep(models.Model):
    """A step up in the level of care on a revision (stepped care), with the
    clinician's reason and the escalation advice as it was shown (kept; never edited)."""

    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="care_level_steps")
    from_level = models.CharField(max_length=60)
    to_level = models.CharField(max_length=60)
    reason = models.TextField()
    advice = models.JSONField(
        default=list, help_text="The escalation advice's reasons (text, sources, unverified)."
    )
    unverified = models.BooleanField(default=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    decided_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["decided_at", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=~models.Q(reason=""), name="plan_care_level_step_needs_reason"
            )
        ]

    def __str__(self) -> str:
        return f"{self.from_level} -> {self.to_level}"

"""Treatment in the portal: assigned modules, the patient's exercise answers, the
therapist's written feedback, secure messages, and a partner's or parent's limited view.

Modules are referenced by id and version from the core catalogue
(``maatwerk.core.modules``), not by database choices, so a new module needs no migration.
"""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from maatwerk.web.organizations.models import Membership
from maatwerk.web.patients.models import Patient


class ModuleAssignment(models.Model):
    """A module a clinician gave a patient to work through, possibly as part of a plan."""

    class Status(models.TextChoices):
        # Planned for a later round: it opens when the round before it is done or when
        # the clinician opens it (at most a few modules are worked on at once).
        WAITING = "waiting", _("Later in your plan")
        OPEN = "open", _("Not started")
        IN_PROGRESS = "in_progress", _("In progress")
        COMPLETED = "completed", _("Completed")
        # Ended early because a revised plan no longer holds the module: not finished,
        # but no longer to be worked on. The answers stay readable.
        STOPPED = "stopped", _("Stopped")

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    patient = models.ForeignKey(
        Patient, on_delete=models.PROTECT, related_name="module_assignments"
    )
    module_id = models.CharField(max_length=60)
    module_version = models.CharField(max_length=20)
    assigned_by = models.ForeignKey(
        Membership, on_delete=models.PROTECT, related_name="module_assignments"
    )
    assigned_at = models.DateTimeField(default=timezone.now)
    plan_ref = models.CharField(max_length=64, blank=True)
    # The round of the plan this module belongs to (1 first); empty when assigned by hand.
    plan_round = models.PositiveSmallIntegerField(null=True, blank=True)
    opened_at = models.DateTimeField(null=True, blank=True)
    status = models.CharField(max_length=16, choices=Status.choices, default=Status.OPEN)
    guided = models.BooleanField(default=False)
    completed_at = models.DateTimeField(null=True, blank=True)
    stopped_at = models.DateTimeField(null=True, blank=True)
    stopped_by = models.ForeignKey(
        Membership, on_delete=models.PROTECT, related_name="+", null=True, blank=True
    )
    # Graded activity only: the patient's own target in minutes a day, set by the
    # clinician with the patient. Without it the quotas follow the schedule uncapped.
    activity_target_minutes = models.PositiveIntegerField(null=True, blank=True)

    class Meta:
        ordering = ["assigned_at", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["patient", "module_id"],
                condition=Q(status__in=["waiting", "open", "in_progress"]),
                name="one_open_assignment_per_module",
            )
        ]

    def __str__(self) -> str:
        return f"{self.module_id} {self.module_version} for {self.patient_id}"

    @property
    def is_open(self) -> bool:
        return self.status in (self.Status.OPEN, self.Status.IN_PROGRESS)

    @property
    def is_stopped(self) -> bool:
        return self.status == self.Status.STOPPED

    @property
    def is_waiting(self) -> bool:
        return self.status == self.Status.WAITING


class ExerciseResponse(models.Model):
    """The patient's answers to one entry of an exercise, saved field by field as they
    type. An exercise that asks for several entries (three G-schemas) has one response
    per entry (``entry`` 1, 2, 3).

    Handing in keeps a copy (:class:`ExerciseHandIn`) that never changes: continuing
    after hand-in ("Change or add more") makes the response ``changed`` while the
    handed-in version stays what the clinician reads.

    ``answers`` maps field id to value (repeating rows as a list of mappings).
    ``field_stamps`` keeps, per field, the client time of the save that wrote it: a
    save that arrives late (an older value sent again after a newer one) is ignored
    instead of overwriting newer text.
    """

    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        SUBMITTED = "submitted", _("Handed in")
        CHANGED = "changed", _("Changed after handing in")

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    assignment = models.ForeignKey(
        ModuleAssignment, on_delete=models.CASCADE, related_name="responses"
    )
    step_id = models.CharField(max_length=60)
    exercise_id = models.CharField(max_length=60)
    entry = models.PositiveSmallIntegerField(default=1)
    answers = models.JSONField(default=dict)
    field_stamps = models.JSONField(default=dict)
    version = models.PositiveIntegerField(default=0)
    status = models.CharField(max_length=16, choices=Status.choices, default=Status.DRAFT)
    updated_at = models.DateTimeField(default=timezone.now)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", null=True
    )
    # When it was last handed in; it stays set while the patient changes it again.
    submitted_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["assignment", "exercise_id", "entry", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["assignment", "exercise_id", "entry"],
                name="one_response_per_exercise_entry",
            )
        ]

    def __str__(self) -> str:
        return f"{self.exercise_id} #{self.entry} of {self.assignment_id}"

    @property
    def editable_status(self) -> bool:
        return self.status in (self.Status.DRAFT, self.Status.CHANGED)

    @property
    def changed_after_hand_in(self) -> bool:
        return self.status == self.Status.CHANGED


class ExerciseHandIn(models.Model):
    """One handed-in version of a response, kept as it was handed in."""

    response = models.ForeignKey(
        ExerciseResponse, on_delete=models.CASCADE, related_name="hand_ins"
    )
    number = models.PositiveIntegerField()
    answers = models.JSONField(default=dict)
    handed_in_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["response", "number"]
        constraints = [
            models.UniqueConstraint(fields=["response", "number"], name="one_hand_in_per_number")
        ]

    def __str__(self) -> str:
        return f"hand-in {self.number} of {self.response_id}"


class Feedback(models.Model):
    """The therapist's written feedback on handed-in homework (guided online CBT)."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    response = models.ForeignKey(
        ExerciseResponse, on_delete=models.CASCADE, related_name="feedback"
    )
    # The handed-in version the feedback is about.
    hand_in = models.ForeignKey(
        ExerciseHandIn, on_delete=models.CASCADE, related_name="feedback", null=True, blank=True
    )
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    text = models.TextField()
    created_at = models.DateTimeField(default=timezone.now)
    read_by_patient_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["created_at", "pk"]

    def __str__(self) -> str:
        return f"feedback on {self.response_id}"


class Message(models.Model):
    """One message in the patient's thread with their care team.

    The thread is the patient: every message is from the patient or from a clinician
    on their care team. ``read_by_patient_at`` marks team messages the patient opened;
    ``read_by_team_at`` marks patient messages a clinician of the team opened.
    """

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    patient = models.ForeignKey(Patient, on_delete=models.PROTECT, related_name="messages")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    from_patient = models.BooleanField()
    text = models.TextField()
    created_at = models.DateTimeField(default=timezone.now)
    read_by_patient_at = models.DateTimeField(null=True, blank=True)
    read_by_team_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["created_at", "pk"]
        indexes = [models.Index(fields=["patient", "created_at"])]

    def __str__(self) -> str:
        return f"message {self.public_id}"


class RelativeAccess(models.Model):
    """A partner or parent the patient agreed may see a limited part of their care:
    the psycho-education of the assigned modules, the agreed plan and (for a child)
    the parent-report questionnaires. Never answers, feedback or messages.

    The patient's consent is recorded with who gave it and when; revoking ends access
    at once.
    """

    class Relation(models.TextChoices):
        PARTNER = "partner", _("Partner")
        PARENT = "parent", _("Parent")

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    patient = models.ForeignKey(Patient, on_delete=models.PROTECT, related_name="relatives")
    # Empty until the invited person accepts: no account is made for an address before
    # its owner says so (an account made on invitation would block that address from
    # registering as a patient, and whether one existed would tell the inviter whose
    # address it is).
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="relative_of",
        null=True,
        blank=True,
    )
    invited_email = models.EmailField(max_length=254, blank=True)
    invited_name = models.CharField(max_length=200, blank=True)
    token_digest = models.CharField(max_length=64, blank=True, db_index=True)
    invitation_expires_at = models.DateTimeField(null=True, blank=True)
    accepted_at = models.DateTimeField(null=True, blank=True)
    relation = models.CharField(max_length=16, choices=Relation.choices)
    consent_given_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    consent_recorded_by_clinician = models.BooleanField(default=False)
    consent_given_at = models.DateTimeField(default=timezone.now)
    revoked_at = models.DateTimeField(null=True, blank=True)
    revoked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        null=True,
        blank=True,
    )

    class Meta:
        ordering = ["consent_given_at", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["patient", "user"],
                condition=Q(revoked_at__isnull=True),
                name="one_active_relative_access",
            )
        ]

    def __str__(self) -> str:
        return f"{self.relation} of {self.patient_id}"

    @property
    def is_active(self) -> bool:
        return self.revoked_at is None

    @property
    def display_name(self) -> str:
        return self.user.full_name if self.user is not None else self.invited_name

    @property
    def is_pending(self) -> bool:
        """Invited, not yet accepted."""
        return self.user_id is None and self.revoked_at is None


class NotificationSent(models.Model):
    """When a recipient was last e-mailed that something of this kind waits.

    Stored so the quiet period (``maatwerk.core.notifications``) holds across requests
    and web processes: five messages in a row give one e-mail, not five.
    """

    class Kind(models.TextChoices):
        FEEDBACK = "feedback", _("Feedback")
        MESSAGE = "message", _("Message")
        HOMEWORK = "homework", _("Homework")

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    kind = models.CharField(max_length=16, choices=Kind.choices)
    last_sent_at = models.DateTimeField()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["user", "kind"], name="one_notification_time_per_kind")
        ]

    def __str__(self) -> str:
        return f"{self.kind} to {self.user_id}"

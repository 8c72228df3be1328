from __future__ import annotations

import uuid
from datetime import date

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from maatwerk.core.contact import InvalidPhoneNumber, PhoneNumber, parse_phone_number
from maatwerk.web.organizations.models import Membership, Organization, Team


class Patient(models.Model):
    """A patient of an organization, with the minimal data needed to start care."""

    class Sex(models.TextChoices):
        FEMALE = "female", _("Female")
        MALE = "male", _("Male")
        OTHER = "other", _("Other")
        UNKNOWN = "unknown", _("Unknown")

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    organization = models.ForeignKey(
        Organization, on_delete=models.PROTECT, related_name="patients"
    )
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="patient",
        null=True,
        blank=True,
    )
    full_name = models.CharField(_("name"), max_length=200)
    birth_year = models.PositiveSmallIntegerField(_("year of birth"))
    # Optional, for rules that need the exact age (the year alone can be a year off);
    # when known, its year is the birth year (a database constraint keeps the two equal).
    birth_date = models.DateField(_("date of birth"), null=True, blank=True)
    sex = models.CharField(_("sex"), max_length=16, choices=Sex.choices, default=Sex.UNKNOWN)
    language = models.CharField(
        _("language"), max_length=8, choices=[("nl", "Nederlands"), ("en", "English")], default="nl"
    )
    presenting_complaint = models.CharField(_("main complaint"), max_length=300, blank=True)
    # Issue 12 (migration background): the language an interpreter is needed for, if any.
    interpreter_language = models.CharField(_("interpreter needed for"), max_length=60, blank=True)
    # Stored without a space ("3511AB") so equal postcodes compare equal; the referral
    # search uses it as the starting point for distances.
    postcode = models.CharField(_("postcode"), max_length=6, blank=True)
    # Contact data needed to act on a safety signal. Phone numbers are stored in E.164
    # form ("+31612345678", see maatwerk.core.contact) so that they dial from a tel: link.
    phone_mobile = models.CharField(_("mobile phone"), max_length=16, blank=True)
    phone_landline = models.CharField(_("landline phone"), max_length=16, blank=True)
    gp_name = models.CharField(_("GP"), max_length=200, blank=True)
    gp_practice = models.CharField(_("GP practice"), max_length=200, blank=True)
    gp_phone = models.CharField(_("GP phone"), max_length=16, blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("patient")
        verbose_name_plural = _("patients")
        indexes = [models.Index(fields=["organization", "full_name"])]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(birth_date__isnull=True)
                | models.Q(birth_date__year=models.F("birth_year")),
                name="patient_birth_date_in_birth_year",
            )
        ]

    def __str__(self) -> str:
        return self.full_name

    def age_on(self, day: date) -> int | None:
        """The exact age in whole years on ``day``, or None without a date of birth."""
        born = self.birth_date
        if born is None:
            return None
        return day.year - born.year - ((day.month, day.day) < (born.month, born.day))

    @property
    def postcode_written(self) -> str:
        """The postcode as it is written on an envelope: ``3511 AB``."""
        return f"{self.postcode[:4]} {self.postcode[4:]}" if self.postcode else ""

    @staticmethod
    def _phone(stored: str) -> PhoneNumber | None:
        if not stored:
            return None
        try:
            return parse_phone_number(stored)
        except InvalidPhoneNumber:  # pragma: no cover - only normalized numbers are stored
            return None

    @property
    def mobile_number(self) -> PhoneNumber | None:
        return self._phone(self.phone_mobile)

    @property
    def landline_number(self) -> PhoneNumber | None:
        return self._phone(self.phone_landline)

    @property
    def gp_number(self) -> PhoneNumber | None:
        return self._phone(self.gp_phone)


class CareEpisode(models.Model):
    """A period of care for a patient by one team."""

    class Status(models.TextChoices):
        ACTIVE = "active", _("Active")
        ON_HOLD = "on_hold", _("On hold")
        CLOSED = "closed", _("Closed")

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    patient = models.ForeignKey(Patient, on_delete=models.PROTECT, related_name="episodes")
    team = models.ForeignKey(Team, on_delete=models.PROTECT, related_name="episodes")
    condition = models.CharField(_("condition"), max_length=200, blank=True)
    start_date = models.DateField(_("start"), default=timezone.localdate)
    end_date = models.DateField(_("end"), null=True, blank=True)
    status = models.CharField(
        _("status"), max_length=16, choices=Status.choices, default=Status.ACTIVE
    )

    class Meta:
        verbose_name = _("care episode")
        verbose_name_plural = _("care episodes")

    def __str__(self) -> str:
        return f"{self.patient} @ {self.team}"


class CareTeamMember(models.Model):
    """A treating clinician on an episode's care team: the care relationship."""

    episode = models.ForeignKey(CareEpisode, on_delete=models.CASCADE, related_name="care_team")
    membership = models.ForeignKey(
        Membership, on_delete=models.PROTECT, related_name="care_team_entries"
    )
    is_coordinator = models.BooleanField(_("coordinating clinician"), default=False)
    is_active = models.BooleanField(_("active"), default=True)
    added_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("care team member")
        verbose_name_plural = _("care team members")
        constraints = [
            models.UniqueConstraint(
                fields=["episode", "membership"], name="care_team_member_unique"
            )
        ]

    def __str__(self) -> str:
        return f"{self.membership} on {self.episode}"


class EmergencyAccess(models.Model):
    """A "noodknop" access: a clinician without a care relationship opens a record.

    It needs a reason, lasts a limited time, is marked on every audit event made under
    it and waits for review by an organization admin.
    """

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    patient = models.ForeignKey(
        Patient, on_delete=models.PROTECT, related_name="emergency_accesses"
    )
    membership = models.ForeignKey(
        Membership, on_delete=models.PROTECT, related_name="emergency_accesses"
    )
    reason = models.TextField(_("reason"))
    granted_at = models.DateTimeField(default=timezone.now)
    expires_at = models.DateTimeField()
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="emergency_reviews",
    )
    reviewed_at = models.DateTimeField(null=True, blank=True)
    review_note = models.TextField(_("review note"), blank=True)

    class Meta:
        verbose_name = _("emergency access")
        verbose_name_plural = _("emergency accesses")
        constraints = [
            models.CheckConstraint(condition=~models.Q(reason=""), name="emergency_has_reason")
        ]

    def __str__(self) -> str:
        return f"emergency access to {self.patient_id}"


class PrivacyConsent(models.Model):
    """The patient's answer to the privacy statement: read (which version, when) and the
    optional parts given or refused. A new answer is a new row; the newest counts."""

    patient = models.ForeignKey(Patient, on_delete=models.CASCADE, related_name="consents")
    statement_version = models.CharField(_("version of the privacy statement"), max_length=32)
    email_notifications = models.BooleanField(_("e-mail notifications"))
    research_use = models.BooleanField(_("use for research"))
    decided_at = models.DateTimeField(_("decided at"), default=timezone.now)

    class Meta:
        verbose_name = _("privacy consent")
        verbose_name_plural = _("privacy consents")
        ordering = ("-decided_at", "-pk")

    def __str__(self) -> str:
        return f"consent of {self.patient_id} ({self.statement_version})"

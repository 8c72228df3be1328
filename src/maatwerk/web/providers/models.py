"""The provider directory ("sociale kaart") of an organization, its postcode gazetteer,
and referrals of patients to providers.

A referral keeps a snapshot of the provider and of the screening summary as they were
when it was written, so a later change in the directory or a new screening does not
change a letter that was sent. Sending stores the letter PDF itself.
"""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from maatwerk.web.organizations.models import Organization
from maatwerk.web.patients.models import Patient


class PostcodeArea(models.Model):
    """A PC4 area with its centroid, imported by the organization (e.g. from CBS/PDOK).

    Maatwerk has no geocoding service and makes no network calls: distances are computed
    from these centroids.
    """

    organization = models.ForeignKey(
        Organization, on_delete=models.CASCADE, related_name="postcode_areas"
    )
    pc4 = models.CharField(_("postcode area (PC4)"), max_length=4)
    place = models.CharField(_("place"), max_length=100, blank=True)
    latitude = models.FloatField(_("latitude"))
    longitude = models.FloatField(_("longitude"))

    class Meta:
        verbose_name = _("postcode area")
        verbose_name_plural = _("postcode areas")
        ordering = ["pc4"]
        constraints = [
            models.UniqueConstraint(fields=["organization", "pc4"], name="postcode_area_unique")
        ]

    def __str__(self) -> str:
        return f"{self.pc4} {self.place}".strip()


class Provider(models.Model):
    """A care provider the organization refers to: a person, practice or centre."""

    class Modality(models.TextChoices):
        ONLINE = "online", _("Online")
        FACE_TO_FACE = "face_to_face", _("Face to face")
        BLENDED = "blended", _("Blended")

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    organization = models.ForeignKey(
        Organization, on_delete=models.PROTECT, related_name="providers"
    )
    key = models.CharField(
        max_length=320,
        help_text="Stable import key: the AGB code, or the name with the postcode.",
    )
    name = models.CharField(_("name"), max_length=200)
    practice = models.CharField(_("practice or organization"), max_length=200, blank=True)
    street = models.CharField(_("street and number"), max_length=200, blank=True)
    postcode = models.CharField(_("postcode"), max_length=7)
    place = models.CharField(_("place"), max_length=100, blank=True)
    region = models.CharField(_("region"), max_length=100, blank=True)
    latitude = models.FloatField(_("latitude"), null=True, blank=True)
    longitude = models.FloatField(_("longitude"), null=True, blank=True)
    disciplines = models.JSONField(_("disciplines"), default=list)
    expertise = models.JSONField(_("expertise"), default=list, blank=True)
    modalities = models.JSONField(_("modalities"), default=list, blank=True)
    languages = models.JSONField(_("languages"), default=list, blank=True)
    waiting_weeks = models.PositiveSmallIntegerField(
        _("waiting time (weeks)"), null=True, blank=True
    )
    waiting_as_of = models.DateField(_("waiting time as of"), null=True, blank=True)
    phone = models.CharField(_("phone"), max_length=40, blank=True)
    email = models.EmailField(_("email"), blank=True)
    website = models.URLField(_("website"), max_length=300, blank=True)
    agb_code = models.CharField(_("AGB code"), max_length=8, blank=True)
    notes = models.TextField(_("notes"), blank=True)
    is_active = models.BooleanField(_("active"), default=True)
    updated_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("provider")
        verbose_name_plural = _("providers")
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(fields=["organization", "key"], name="provider_key_unique")
        ]

    def __str__(self) -> str:
        return self.name


class Referral(models.Model):
    """A referral of a patient to a provider: a draft until sent with recorded consent."""

    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        SENT = "sent", _("Sent")
        CANCELLED = "cancelled", _("Cancelled")

    class ConsentMethod(models.TextChoices):
        VERBAL = "verbal_in_consult", _("Verbally, in the consultation")
        PORTAL = "portal", _("In the patient portal")

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    patient = models.ForeignKey(Patient, on_delete=models.PROTECT, related_name="referrals")
    provider = models.ForeignKey(Provider, on_delete=models.PROTECT, related_name="referrals")
    provider_snapshot = models.JSONField(default=dict)
    care_level = models.CharField(_("care level"), max_length=64)
    question = models.TextField(_("reason and question"))
    summary_lines = models.JSONField(default=list, blank=True)
    language = models.CharField(max_length=8, default="nl")
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)
    signed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        null=True,
        blank=True,
        help_text="The GP who signs the referral (a POH-GGZ or psychologist prepares it).",
    )
    status = models.CharField(max_length=16, choices=Status.choices, default=Status.DRAFT)
    consent_given = models.BooleanField(default=False)
    consent_recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", null=True, blank=True
    )
    consent_recorded_at = models.DateTimeField(null=True, blank=True)
    consent_method = models.CharField(max_length=32, choices=ConsentMethod.choices, blank=True)
    sent_at = models.DateTimeField(null=True, blank=True)
    sent_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", null=True, blank=True
    )
    letter_pdf = models.BinaryField(
        null=True, blank=True, help_text="The letter as sent; frozen at sending."
    )

    class Meta:
        ordering = ["-created_at"]
        constraints = [
            models.CheckConstraint(
                condition=~models.Q(status="sent") | models.Q(consent_given=True),
                name="referral_sent_only_with_consent",
            )
        ]

    def __str__(self) -> str:
        return f"{self.patient_id} -> {self.provider_id} ({self.status})"

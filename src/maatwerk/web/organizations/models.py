from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from maatwerk.core.access import Role


class Organization(models.Model):
    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    name = models.CharField(_("name"), max_length=200)
    agb_code = models.CharField(_("AGB code"), max_length=8, blank=True)

    class Meta:
        verbose_name = _("organization")
        verbose_name_plural = _("organizations")

    def __str__(self) -> str:
        return self.name


class Team(models.Model):
    class Kind(models.TextChoices):
        GP_PRACTICE = "gp_practice", _("GP practice")
        BASIC_MENTAL_HEALTH = "basis_ggz", _("Basic mental health care (basis-GGZ)")
        SPECIALIST_MENTAL_HEALTH = (
            "specialistische_ggz",
            _("Specialist mental health care (specialistische GGZ)"),
        )
        REHABILITATION = "rehabilitation", _("Rehabilitation")
        PHYSIOTHERAPY = "physiotherapy", _("Physiotherapy practice")
        OTHER = "other", _("Other")

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    organization = models.ForeignKey(Organization, on_delete=models.PROTECT, related_name="teams")
    name = models.CharField(_("name"), max_length=200)
    kind = models.CharField(_("kind"), max_length=32, choices=Kind.choices)
    # Who takes over a safety signal nobody picked up in time (sick leave, holiday).
    backup_clinician = models.ForeignKey(
        "Membership",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="backup_for_teams",
        verbose_name=_("backup clinician for safety signals"),
    )

    class Meta:
        verbose_name = _("team")
        verbose_name_plural = _("teams")
        constraints = [
            models.UniqueConstraint(fields=["organization", "name"], name="team_name_unique_in_org")
        ]

    def __str__(self) -> str:
        return self.name


class Discipline(models.TextChoices):
    HUISARTS = "huisarts", _("General practitioner (huisarts)")
    POH_GGZ = "poh_ggz", _("Mental health practice nurse (POH-GGZ)")
    PSYCHOLOOG = "psycholoog", _("Psychologist")
    GZ_PSYCHOLOOG = "gz_psycholoog", _("Health-care psychologist (GZ-psycholoog)")
    KLINISCH_PSYCHOLOOG = "klinisch_psycholoog", _("Clinical psychologist")
    PSYCHOTHERAPEUT = "psychotherapeut", _("Psychotherapist")
    CGT_THERAPEUT = "cgt_therapeut", _("CBT therapist")
    PSYCHIATER = "psychiater", _("Psychiatrist")
    FYSIOTHERAPEUT = "fysiotherapeut", _("Physiotherapist")
    OEFENTHERAPEUT = "oefentherapeut", _("Exercise therapist")
    VERPLEEGKUNDIGE = "verpleegkundige", _("Nurse")
    OTHER = "other", _("Other")


class Membership(models.Model):
    """A user's role in an organization, in a team for clinicians and team leads."""

    class RoleChoice(models.TextChoices):
        CLINICIAN = Role.CLINICIAN.value, _("Clinician")
        TEAM_LEAD = Role.TEAM_LEAD.value, _("Team lead / quality officer")
        RESEARCHER = Role.RESEARCHER.value, _("Researcher")
        ORGANIZATION_ADMIN = Role.ORGANIZATION_ADMIN.value, _("Organization admin")

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="memberships"
    )
    organization = models.ForeignKey(
        Organization, on_delete=models.PROTECT, related_name="memberships"
    )
    team = models.ForeignKey(
        Team, on_delete=models.PROTECT, related_name="memberships", null=True, blank=True
    )
    role = models.CharField(_("role"), max_length=32, choices=RoleChoice.choices)
    discipline = models.CharField(
        _("discipline"), max_length=32, choices=Discipline.choices, blank=True
    )
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        verbose_name = _("membership")
        verbose_name_plural = _("memberships")
        constraints = [
            models.CheckConstraint(
                condition=~models.Q(role=Role.CLINICIAN.value) | ~models.Q(discipline=""),
                name="clinician_has_discipline",
            ),
            models.CheckConstraint(
                condition=~models.Q(role__in=[Role.CLINICIAN.value, Role.TEAM_LEAD.value])
                | models.Q(team__isnull=False),
                name="clinician_and_lead_in_team",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.user} — {self.get_role_display()}"

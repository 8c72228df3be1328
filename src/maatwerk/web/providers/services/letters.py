"""The referral letter (PDF) and the consent statement in it."""

from __future__ import annotations

from typing import Any

from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import override

from maatwerk.core.access import Role
from maatwerk.web.accounts.models import User
from maatwerk.web.audit.services import audit_record
from maatwerk.web.common.actor import Actor
from maatwerk.web.common.pdf import render_pdf
from maatwerk.web.knowledge.selectors import knowledge_for
from maatwerk.web.organizations.models import Membership
from maatwerk.web.providers.models import Referral
from maatwerk.web.providers.selectors import ReferralAccess
from maatwerk.web.providers.services._common import _referral_subject
from maatwerk.web.safety.selectors import risk_banner_of


def _named(referral: Referral, user: User) -> str:
    """The person's name with their profession in the patient's organization."""
    membership = (
        Membership.objects.filter(
            user=user,
            organization_id=referral.patient.organization_id,
            role=Role.CLINICIAN.value,
        )
        .exclude(discipline="")
        .first()
    )
    name = user.full_name
    return f"{name}, {membership.get_discipline_display()}" if membership is not None else name


def _referrer(referral: Referral) -> str:
    """Who refers: the GP who signed; before signing, who prepared the draft."""
    return _named(referral, referral.signed_by or referral.created_by)


def _prepared_by(referral: Referral) -> str:
    """Who prepared the referral, when that is not the GP who signed it (a POH-GGZ or a
    psychologist)."""
    if referral.signed_by is None or referral.signed_by_id == referral.created_by_id:
        return ""
    return _named(referral, referral.created_by)


def consent_statement(referral: Referral) -> str:
    """The sentence on the letter that says the patient consented, when and how."""
    if not referral.consent_given or referral.consent_recorded_at is None:
        return ""
    return _("The patient consented to this referral on %(date)s (%(method)s).") % {
        "date": date_format(timezone.localtime(referral.consent_recorded_at), "DATE_FORMAT"),
        "method": referral.get_consent_method_display().lower(),
    }


def letter_context(referral: Referral) -> dict[str, Any]:
    knowledge = knowledge_for(referral.patient.organization_id)
    level = next(
        (c for c in knowledge.care_levels.care_levels if c.id == referral.care_level), None
    )
    language = referral.language if referral.language in ("nl", "en") else "nl"
    return {
        "referral": referral,
        "patient": referral.patient,
        "risk": risk_banner_of(referral.patient),
        "organization": referral.patient.organization,
        "provider": referral.provider_snapshot,
        "referrer": _referrer(referral),
        "prepared_by": _prepared_by(referral),
        "signed": referral.signed_by is not None,
        "care_level": (level.name.get(language, fallback=True) if level is not None else None)
        or referral.care_level,
        "consent": consent_statement(referral),
        "draft": referral.status != Referral.Status.SENT,
    }


def _render_letter(referral: Referral) -> bytes:
    with override(referral.language):
        return render_pdf("providers/referral_letter.html", letter_context(referral))


def referral_letter(*, actor: Actor, opened: ReferralAccess) -> bytes:
    """The letter: as sent (frozen), or a draft rendered now."""
    referral = opened.referral
    pdf = bytes(referral.letter_pdf) if referral.letter_pdf else _render_letter(referral)
    audit_record(
        actor=actor,
        action="print",
        subject=_referral_subject(opened),
        emergency=opened.access.emergency,
        detail="letter",
    )
    return pdf

"""The privacy statement and the patient's consent for its optional parts."""

from __future__ import annotations

from dataclasses import dataclass

from django import forms

from maatwerk.web.audit.audited import audited, valid_form
from maatwerk.web.common.actor import Actor
from maatwerk.web.patients.models import (
    PrivacyConsent,
)
from maatwerk.web.patients.opening import PatientAccess

# ------------------------------------------------------------------ privacy statement

# The version of the privacy statement the patient reads (portal/privacy.html); a new
# text gets a new version, and the consent records which one was read.
PRIVACY_STATEMENT_VERSION = "2026-12"


@dataclass(frozen=True)
class PrivacyPage:
    current: PrivacyConsent | None
    version: str


def privacy_read(*, actor: Actor, access: PatientAccess) -> PrivacyPage:
    with audited(actor=actor, action="read", subject=access.subject("consent")):
        return PrivacyPage(
            current=PrivacyConsent.objects.filter(patient=access.patient).first(),
            version=PRIVACY_STATEMENT_VERSION,
        )


def privacy_consent_record(
    *, actor: Actor, access: PatientAccess, form: forms.Form
) -> PrivacyConsent:
    """The patient read the statement and chose the optional parts: stored with the date
    and the statement's version (a new row per answer; the newest counts)."""
    with audited(actor=actor, action="update", subject=access.subject("consent")) as note:
        data = valid_form(form)
        consent = PrivacyConsent.objects.create(
            patient=access.patient,
            statement_version=PRIVACY_STATEMENT_VERSION,
            email_notifications=bool(data["email_notifications"]),
            research_use=bool(data["research_use"]),
        )
        note.about(object_ref=str(consent.pk))
        note.detail = (
            f"statement {PRIVACY_STATEMENT_VERSION}: e-mail "
            f"{'yes' if consent.email_notifications else 'no'}, research "
            f"{'yes' if consent.research_use else 'no'}"
        )
        return consent

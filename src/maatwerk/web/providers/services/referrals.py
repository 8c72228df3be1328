"""Making a referral, recording the patient's consent, sending and cancelling it."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from maatwerk.core.knowledge.model import KnowledgeBase
from maatwerk.core.screening.model import ReferralContext
from maatwerk.web.audit.services import audit_record
from maatwerk.web.common.actor import Actor
from maatwerk.web.knowledge.selectors import knowledge_for
from maatwerk.web.patients.selectors import PatientAccess, patient_subject
from maatwerk.web.providers.models import Provider, Referral
from maatwerk.web.providers.selectors import OBJECT_REFERRAL, ReferralAccess, referral_signers
from maatwerk.web.providers.services._common import NON_FIELD, _referral_subject
from maatwerk.web.providers.services.letters import _render_letter

QUESTION_MAX_LENGTH = 4000


def _snapshot(provider: Provider, knowledge: KnowledgeBase, language: str) -> dict[str, Any]:
    names = {
        d.id: d.name.get(language, fallback=True) or d.id for d in knowledge.disciplines.disciplines
    }
    return {
        "public_id": str(provider.public_id),
        "name": provider.name,
        "practice": provider.practice,
        "street": provider.street,
        "postcode": provider.postcode,
        "place": provider.place,
        "phone": provider.phone,
        "email": provider.email,
        "website": provider.website,
        "agb_code": provider.agb_code,
        "disciplines": [names.get(d, d) for d in provider.disciplines],
    }


def referral_create(
    *,
    actor: Actor,
    access: PatientAccess,
    provider: Provider,
    care_level: str,
    question: str,
    context: ReferralContext | None,
    language: str,
) -> Referral:
    """A draft referral of the patient to ``provider``. Raises ValidationError."""
    patient = access.patient
    knowledge = knowledge_for(patient.organization_id)
    errors: dict[str, list[str]] = {}
    if care_level not in {c.id for c in knowledge.care_levels.care_levels}:
        errors["care_level"] = [_("Choose the care level this referral is for.")]
    question = question.strip()
    if not question:
        errors["question"] = [_("Write the reason for the referral and your question.")]
    elif len(question) > QUESTION_MAX_LENGTH:
        errors["question"] = [_("The text is too long (at most 4000 characters).")]
    if provider.organization_id != patient.organization_id or not provider.is_active:
        errors[NON_FIELD] = [_("This provider is not in your organization's directory.")]
    if errors:
        raise ValidationError(errors)
    if actor.user is None:  # pragma: no cover - views require a logged-in clinician
        raise PermissionDenied
    with transaction.atomic():
        referral = Referral.objects.create(
            patient=patient,
            provider=provider,
            provider_snapshot=_snapshot(provider, knowledge, language),
            care_level=care_level,
            question=question,
            summary_lines=list(context.summary_lines) if context is not None else [],
            language=language,
            created_by=actor.user,
        )
        audit_record(
            actor=actor,
            action="create",
            subject=patient_subject(
                patient, object_type=OBJECT_REFERRAL, object_ref=str(referral.public_id)
            ),
            emergency=access.emergency,
        )
    return referral


def _draft_only(referral: Referral) -> None:
    if referral.status != Referral.Status.DRAFT:
        raise ValidationError(
            {NON_FIELD: [_("This referral was already sent or cancelled; it cannot change.")]}
        )


def referral_consent_record(*, actor: Actor, opened: ReferralAccess, method: str) -> Referral:
    """Record that the patient consented to this referral, and how."""
    referral = opened.referral
    _draft_only(referral)
    if method not in Referral.ConsentMethod.values:
        raise ValidationError({"consent_method": [_("Choose how the patient gave their consent.")]})
    with transaction.atomic():
        referral.consent_given = True
        referral.consent_method = method
        referral.consent_recorded_by = actor.user
        referral.consent_recorded_at = timezone.now()
        referral.save(
            update_fields=[
                "consent_given",
                "consent_method",
                "consent_recorded_by",
                "consent_recorded_at",
            ]
        )
        audit_record(
            actor=actor,
            action="update",
            subject=_referral_subject(opened),
            emergency=opened.access.emergency,
            detail=f"consent recorded: {method}",
        )
    return referral


def referral_send(*, actor: Actor, opened: ReferralAccess, signer: str) -> Referral:
    """Mark the referral sent, signed by a GP, and freeze its letter. Only with recorded
    consent, and only signed by someone who may refer (``core.referral.roles``): a
    POH-GGZ or psychologist prepares the referral, the GP (``signer``, a user id from
    :func:`selectors.referral_signers`) signs it."""
    referral = opened.referral
    _draft_only(referral)
    errors: dict[str, list[str]] = {}
    if not referral.consent_given:
        errors[NON_FIELD] = [
            _(
                "The patient's consent is not recorded. Ask the patient and record "
                "their consent before you send the referral."
            )
        ]
    signers = {str(m.user.public_id): m.user for m in referral_signers(opened)}
    if signer not in signers:
        errors["signer"] = [
            _("Choose the GP who signs this referral.")
            if signers
            else _(
                "Only a GP (huisarts) may sign a referral, and your organization has "
                "no GP in Maatwerk. Ask your administrator to add one."
            )
        ]
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        referral.status = Referral.Status.SENT
        referral.sent_at = timezone.now()
        referral.sent_by = actor.user
        referral.signed_by = signers[signer]
        referral.letter_pdf = _render_letter(referral)
        referral.save(update_fields=["status", "sent_at", "sent_by", "signed_by", "letter_pdf"])
        audit_record(
            actor=actor,
            action="update",
            subject=_referral_subject(opened),
            emergency=opened.access.emergency,
            detail="sent",
        )
    return referral


def referral_cancel(*, actor: Actor, opened: ReferralAccess) -> Referral:
    referral = opened.referral
    _draft_only(referral)
    with transaction.atomic():
        referral.status = Referral.Status.CANCELLED
        referral.save(update_fields=["status"])
        audit_record(
            actor=actor,
            action="update",
            subject=_referral_subject(opened),
            emergency=opened.access.emergency,
            detail="cancelled",
        )
    return referral

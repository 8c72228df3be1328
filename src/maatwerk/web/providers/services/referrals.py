"""Making a referral, recording the patient's consent, sending and cancelling it: each
one audited call on the referral's patient (object type ``referral``)."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.utils import timezone
from django.utils.translation import gettext as _

from maatwerk.core.knowledge.model import KnowledgeBase
from maatwerk.web.audit.audited import NON_FIELD, InputRefused, audited, valid_form
from maatwerk.web.common.actor import Actor
from maatwerk.web.knowledge.selectors import knowledge_for
from maatwerk.web.patients.opening import PatientAccess
from maatwerk.web.providers.forms import (
    ReferralCancelForm,
    ReferralConsentForm,
    ReferralCreateForm,
    ReferralSendForm,
)
from maatwerk.web.providers.models import Provider, Referral
from maatwerk.web.providers.selectors import (
    OBJECT_REFERRAL,
    ReferralOpened,
    active_provider_in,
    patient_directory,
    referral_context,
)
from maatwerk.web.providers.services.letters import render_letter

ProviderSnapshot = dict[str, str | list[str]]


def _snapshot(provider: Provider, knowledge: KnowledgeBase, language: str) -> ProviderSnapshot:
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


def chosen_provider(access: PatientAccess, form: ReferralCreateForm) -> Provider | None:
    """The provider the form names, if it names one: an active provider of the
    patient's organization, or a 404 (:class:`selectors.NotInDirectory`)."""
    form.is_valid()
    chosen = getattr(form, "cleaned_data", {}).get("provider")
    return active_provider_in(patient_directory(access), chosen) if chosen else None


def referral_create(
    *, actor: Actor, access: PatientAccess, form: ReferralCreateForm, language: str
) -> Referral:
    """A draft referral of the patient to the chosen provider, with the findings of the
    patient's latest screening as the letter states them (no rule explanations or
    verification marks). A provider outside the patient's organization's
    directory is a denial (404); everything else wrong with the form is refused."""
    if actor.user is None:  # pragma: no cover - views require a logged-in clinician
        raise PermissionDenied
    with audited(
        actor=actor,
        action="create",
        subject=access.subject(OBJECT_REFERRAL),
        emergency=access.emergency,
    ) as note:
        provider = chosen_provider(access, form)
        data = valid_form(form)
        if provider is None:  # pragma: no cover - the form requires the provider
            raise InputRefused({"provider": [_("Choose a provider in the search.")]})
        context = referral_context(access, language)
        referral = Referral.objects.create(
            patient=access.patient,
            provider=provider,
            provider_snapshot=_snapshot(
                provider, knowledge_for(access.patient.organization_id), language
            ),
            care_level=str(data["care_level"]),
            question=str(data["question"]),
            summary_lines=list(context.letter_lines) if context is not None else [],
            language=language,
            created_by=actor.user,
        )
        note.about(object_ref=str(referral.public_id))
    return referral


def _draft_only(referral: Referral) -> None:
    if referral.status != Referral.Status.DRAFT:
        raise InputRefused(
            {NON_FIELD: [_("This referral was already sent or cancelled; it cannot change.")]}
        )


def referral_consent_record(
    *, actor: Actor, opened: ReferralOpened, form: ReferralConsentForm
) -> Referral:
    """Record that the patient consented to this referral, and how."""
    referral = opened.object
    with audited(
        actor=actor,
        action="update",
        subject=opened.subject(OBJECT_REFERRAL),
        emergency=opened.emergency,
    ) as note:
        _draft_only(referral)
        method = str(valid_form(form)["consent_method"])
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
        note.detail = f"consent recorded: {method}"
    return referral


def referral_send(*, actor: Actor, opened: ReferralOpened, form: ReferralSendForm) -> Referral:
    """Mark the referral sent, signed by a GP, and freeze its letter. Only with recorded
    consent, and only signed by someone who may refer (``core.referral.roles``): a
    POH-GGZ or psychologist prepares the referral, the GP (one of
    :func:`selectors.referral_signers`, the form's choices) signs it."""
    referral = opened.object
    with audited(
        actor=actor,
        action="update",
        subject=opened.subject(OBJECT_REFERRAL),
        emergency=opened.emergency,
        detail="sent",
    ):
        _draft_only(referral)
        form.is_valid()
        errors = {field: [str(m) for m in messages] for field, messages in form.errors.items()}
        if not referral.consent_given:
            errors[NON_FIELD] = [
                _(
                    "The patient's consent is not recorded. Ask the patient and record "
                    "their consent before you send the referral."
                )
            ]
        if errors:
            raise InputRefused(errors)
        signer = next(
            m.user for m in form.signers if str(m.user.public_id) == form.cleaned_data["signer"]
        )
        referral.status = Referral.Status.SENT
        referral.sent_at = timezone.now()
        referral.sent_by = actor.user
        referral.signed_by = signer
        referral.letter_pdf = render_letter(opened)
        referral.save(update_fields=["status", "sent_at", "sent_by", "signed_by", "letter_pdf"])
    return referral


def referral_cancel(*, actor: Actor, opened: ReferralOpened, form: ReferralCancelForm) -> Referral:
    """Cancel a draft; a referral already sent or cancelled is refused."""
    referral = opened.object
    with audited(
        actor=actor,
        action="update",
        subject=opened.subject(OBJECT_REFERRAL),
        emergency=opened.emergency,
        detail="cancelled",
    ):
        _draft_only(referral)
        valid_form(form)
        referral.status = Referral.Status.CANCELLED
        referral.save(update_fields=["status"])
    return referral

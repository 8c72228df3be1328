"""Reading a patient's referral pages: each one audited ``read`` of the referral's
patient (the search for a patient, the referral form, a referral)."""

from __future__ import annotations

from maatwerk.web.audit.audited import audited
from maatwerk.web.common.actor import Actor
from maatwerk.web.patients.opening import PatientAccess
from maatwerk.web.providers import pages
from maatwerk.web.providers.forms import ReferralChoiceForm
from maatwerk.web.providers.selectors import (
    OBJECT_REFERRAL,
    ReferralOpened,
    active_provider_in,
    patient_directory,
    referral_context,
)


def referral_search_read(
    *, actor: Actor, access: PatientAccess, query: pages.SearchQuery, language: str
) -> pages.SearchPage:
    """The directory search from the patient: their screening, postcode and ranking."""
    with audited(
        actor=actor,
        action="read",
        subject=access.subject(OBJECT_REFERRAL),
        emergency=access.emergency,
        detail="referral search",
    ):
        return pages.search_page(
            patient_directory(access),
            query,
            language,
            access=access,
            context=referral_context(access, language),
        )


def referral_form_read(
    *, actor: Actor, access: PatientAccess, choice: ReferralChoiceForm, language: str
) -> pages.ReferralFormPage:
    """The form of a new referral to the provider chosen in the search; a provider
    outside the patient's organization's directory is a denial (404)."""
    with audited(
        actor=actor,
        action="read",
        subject=access.subject(OBJECT_REFERRAL),
        emergency=access.emergency,
        detail="referral form",
    ):
        choice.is_valid()
        chosen = getattr(choice, "cleaned_data", {})
        provider = active_provider_in(patient_directory(access), chosen.get("provider") or "")
        values = {"care_level": str(chosen.get("care_level") or ""), "question": ""}
        page = pages.referral_form_page(access, provider, values, language)
        if not values["care_level"] and page.screening is not None:
            # The care level of the screening's decision, unless the search chose one.
            page.fields["care_level"] = page.screening.care_level or ""
        return page


def referral_read(
    *, actor: Actor, opened: ReferralOpened, language: str
) -> pages.ReferralDetailPage:
    """A referral: its state, letter, consent and who may sign it."""
    with audited(
        actor=actor,
        action="read",
        subject=opened.subject(OBJECT_REFERRAL),
        emergency=opened.emergency,
    ):
        return pages.referral_detail_page(opened, language)

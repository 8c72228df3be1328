"""The clinician's referral pages: the directory search (with or without a patient), the
new referral, and one referral with its consent, sending and cancelling.

Each view binds its form, opens the patient's record through the opener, calls one
audited service and renders; a refusal shows the page again with the errors on their
fields (status 400)."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from maatwerk.core.access import Role
from maatwerk.web.audit.audited import InputRefused
from maatwerk.web.common.decorators import role_required
from maatwerk.web.common.http import ActorRequest
from maatwerk.web.patients.opening import Audience, PatientAccess, open_patient
from maatwerk.web.providers import forms, pages, selectors, services
from maatwerk.web.providers.services import reading
from maatwerk.web.providers.views._common import language, open_referral


def _query(form: forms.SearchForm) -> pages.SearchQuery:
    return pages.SearchQuery(
        fields=form.query(), asked_postcode=form.asked("postcode"), problems=form.problems()
    )


@role_required(Role.CLINICIAN)
@require_http_methods(["GET"])
def search(request: ActorRequest) -> HttpResponse:
    """The directory search without a patient (no patient data is shown)."""
    directory = selectors.directory_for(request.actor, Role.CLINICIAN)
    page = pages.search_page(directory, _query(forms.SearchForm(request.GET)), language())
    return render(request, "providers/search.html", pages.as_context(page))


def _open(request: ActorRequest, patient_id: str, action: str) -> PatientAccess:
    return open_patient(
        actor=request.actor,
        patient_id=patient_id,
        action=action,
        audience=Audience.CARE_TEAM,
        object_type=selectors.OBJECT_REFERRAL,
    )


@role_required(Role.CLINICIAN)
@require_http_methods(["GET", "POST"])
def referral_create(request: ActorRequest, patient_id: str) -> HttpResponse:
    """From the patient: search the directory (GET), fill in the referral for a chosen
    provider (GET ?provider=), save it as a draft (POST)."""
    if request.method == "POST":
        return _referral_save(request, patient_id)
    access = _open(request, patient_id, "read")
    choice = forms.ReferralChoiceForm(request.GET)
    if choice.asked_provider():
        form_page = reading.referral_form_read(
            actor=request.actor, access=access, choice=choice, language=language()
        )
        return render(request, "providers/referral_form.html", pages.as_context(form_page))
    search_page = reading.referral_search_read(
        actor=request.actor,
        access=access,
        query=_query(forms.SearchForm(request.GET)),
        language=language(),
    )
    return render(request, "providers/search.html", pages.as_context(search_page))


def _referral_save(request: ActorRequest, patient_id: str) -> HttpResponse:
    access = _open(request, patient_id, "create")
    form = forms.ReferralCreateForm(request.POST, organization_id=access.patient.organization_id)
    try:
        referral = services.referral_create(
            actor=request.actor, access=access, form=form, language=language()
        )
    except InputRefused as refusal:
        page = pages.referral_form_refused(access, form, language(), refusal.errors)
        return render(request, "providers/referral_form.html", pages.as_context(page), status=400)
    messages.success(request, _("The referral is saved as a draft."))
    return redirect("providers:referral_detail", referral_id=referral.public_id)


def _detail_again(
    request: ActorRequest, opened: selectors.ReferralOpened, refusal: InputRefused
) -> HttpResponse:
    """The referral page again with the refusal's errors (status 400); drawing it reads
    what was already opened and is not a second audited read."""
    page = pages.referral_detail_page(opened, language(), errors=refusal.errors)
    return render(request, "providers/referral_detail.html", pages.as_context(page), status=400)


def _done(request: ActorRequest, opened: selectors.ReferralOpened, message: str) -> HttpResponse:
    messages.success(request, message)
    return redirect("providers:referral_detail", referral_id=opened.object.public_id)


@role_required(Role.CLINICIAN)
@require_http_methods(["GET"])
def referral_detail(request: ActorRequest, referral_id: str) -> HttpResponse:
    opened = open_referral(request, referral_id, "read")
    page = reading.referral_read(actor=request.actor, opened=opened, language=language())
    return render(request, "providers/referral_detail.html", pages.as_context(page))


@role_required(Role.CLINICIAN)
@require_POST
def referral_consent(request: ActorRequest, referral_id: str) -> HttpResponse:
    opened = open_referral(request, referral_id, "update")
    form = forms.ReferralConsentForm(request.POST)
    try:
        services.referral_consent_record(actor=request.actor, opened=opened, form=form)
    except InputRefused as refusal:
        return _detail_again(request, opened, refusal)
    return _done(request, opened, _("The patient's consent is recorded."))


@role_required(Role.CLINICIAN)
@require_POST
def referral_send(request: ActorRequest, referral_id: str) -> HttpResponse:
    opened = open_referral(request, referral_id, "update")
    form = forms.ReferralSendForm(request.POST, opened=opened)
    try:
        services.referral_send(actor=request.actor, opened=opened, form=form)
    except InputRefused as refusal:
        return _detail_again(request, opened, refusal)
    return _done(
        request,
        opened,
        _(
            "The referral is marked as sent and its letter is frozen. Send the letter (PDF) "
            "and, if the provider accepts it, the FHIR file through your usual secure channel."
        ),
    )


@role_required(Role.CLINICIAN)
@require_POST
def referral_cancel(request: ActorRequest, referral_id: str) -> HttpResponse:
    opened = open_referral(request, referral_id, "update")
    form = forms.ReferralCancelForm(request.POST)
    try:
        services.referral_cancel(actor=request.actor, opened=opened, form=form)
    except InputRefused as refusal:
        return _detail_again(request, opened, refusal)
    return _done(request, opened, _("The referral is cancelled."))

"""What the patient sees of a shared formulation, and their response."""

from __future__ import annotations

from typing import TypedDict

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from maatwerk.core.instruments.base import Language
from maatwerk.web.audit.audited import InputRefused
from maatwerk.web.common.http import ActorRequest
from maatwerk.web.formulation import forms, presenters, selectors, services
from maatwerk.web.formulation.models import Formulation, FormulationVersion, PatientResponse
from maatwerk.web.formulation.selectors import FormulationAccess
from maatwerk.web.formulation.views.common import Errors, _opened, _read, _ui_language
from maatwerk.web.patients.models import Patient
from maatwerk.web.patients.opening import Audience
from maatwerk.web.screening.subgroup_flags import reads_short_texts


class SharedContext(TypedDict):
    """What the patient reads: the newest shared version and their last answer."""

    formulation: Formulation
    patient: Patient
    version: FormulationVersion
    explanation: presenters.ExplanationView
    explanation_language: Language
    diagram: presenters.Diagram
    last_response: PatientResponse | None
    changed_since_agreed: bool
    by_patient: bool
    errors: Errors
    comment: str


def _shared_context(
    opened: FormulationAccess, errors: Errors | None = None, comment: str = ""
) -> SharedContext:
    version = selectors.latest_shared_version(opened.object)
    if version is None:
        raise Http404
    document = selectors.document_of(version)
    language = services.patient_language(opened.access)
    responses = selectors.responses_to(version)
    agreed = selectors.last_agreed_version(opened.object)
    return {
        "formulation": opened.object,
        "patient": opened.access.patient,
        "version": version,
        "explanation": presenters.explanation(
            document, language, short=reads_short_texts(opened.access)
        ),
        "explanation_language": language,
        # The box kinds and the text alternative follow the language the page is read in.
        "diagram": presenters.patient_diagram(document, _ui_language()),
        # Shared again unchanged after "this fits me": the agreement still answers it.
        "last_response": responses[0]
        if responses
        else selectors.last_agreement(opened.object)
        if selectors.agreement_holds(opened.object, version, language)
        else None,
        # The patient said "this fits me" to an earlier text: ask again (issue 12).
        "changed_since_agreed": not responses
        and selectors.explanation_changed(agreed, version, language),
        "by_patient": opened.by_patient,
        "errors": errors or {},
        "comment": comment,
    }


@login_required
@require_http_methods(["GET"])
def shared(request: ActorRequest, formulation_id: str) -> HttpResponse:
    """The explanation as the patient reads it: the newest shared version."""
    opened = _read(request, formulation_id, "shared formulation", Audience.RECORD)
    return render(request, "formulation/shared.html", _shared_context(opened))


@login_required
@require_http_methods(["POST"])
def respond(request: ActorRequest, formulation_id: str) -> HttpResponse:
    opened = _opened(request, formulation_id, "create", Audience.PATIENT)
    form = forms.ResponseForm(request.POST)
    try:
        services.response_record(actor=request.actor, opened=opened, form=form)
    except InputRefused as refusal:
        typed = form["comment"].value()
        context = _shared_context(opened, refusal.errors, "" if typed is None else str(typed))
        return render(request, "formulation/shared.html", context, status=400)
    messages.success(request, _("Thank you. Your care provider will read your answer."))
    return redirect("formulation:shared", formulation_id=opened.object.public_id)

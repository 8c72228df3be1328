"""Starting a formulation and its overview."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from maatwerk.core.access import Role
from maatwerk.web.audit.audited import InputRefused
from maatwerk.web.common.decorators import role_required
from maatwerk.web.common.http import ActorRequest
from maatwerk.web.formulation import forms, presenters, selectors, services
from maatwerk.web.formulation.selectors import OBJECT_FORMULATION
from maatwerk.web.formulation.views.common import (
    Errors,
    _base_context,
    _read,
    _ui_language,
    plan_url,
)
from maatwerk.web.knowledge.selectors import knowledge_for
from maatwerk.web.patients.opening import Audience, PatientAccess, open_patient
from maatwerk.web.screening.selectors import latest_profile_of_patient


def _render_start(
    request: ActorRequest, access: PatientAccess, errors: Errors | None = None, status: int = 200
) -> HttpResponse:
    return render(
        request,
        "formulation/start.html",
        {
            "patient": access.patient,
            "access": access,
            "has_profile": latest_profile_of_patient(access) is not None,
            "errors": errors or {},
        },
        status=status,
    )


@role_required(Role.CLINICIAN)
@require_http_methods(["GET"])
def patient(request: ActorRequest, patient_id: str) -> HttpResponse:
    """The patient's formulation, or the page to start one."""
    access = open_patient(
        actor=request.actor,
        patient_id=patient_id,
        action="read",
        audience=Audience.CARE_TEAM,
        object_type=OBJECT_FORMULATION,
    )
    services.patient_read(actor=request.actor, access=access, detail="formulation")
    existing = selectors.formulation_of_patient(access)
    if existing is not None:
        return redirect("formulation:detail", formulation_id=existing.public_id)
    return _render_start(request, access)


@role_required(Role.CLINICIAN)
@require_http_methods(["POST"])
def start(request: ActorRequest, patient_id: str) -> HttpResponse:
    access = open_patient(
        actor=request.actor,
        patient_id=patient_id,
        action="create",
        audience=Audience.CARE_TEAM,
        object_type=OBJECT_FORMULATION,
    )
    existing = selectors.formulation_of_patient(access)
    if existing is not None:
        messages.info(request, _("This patient already has a formulation."))
        return redirect("formulation:detail", formulation_id=existing.public_id)
    form = forms.StartForm(request.POST)
    try:
        formulation = services.formulation_start(actor=request.actor, access=access, form=form)
    except InputRefused as refusal:
        return _render_start(request, access, refusal.errors, status=400)
    messages.success(request, _("The formulation is started. Go through the steps together."))
    return redirect("formulation:complaints", formulation_id=formulation.public_id)


@role_required(Role.CLINICIAN)
@require_http_methods(["GET"])
def detail(request: ActorRequest, formulation_id: str) -> HttpResponse:
    opened = _read(request, formulation_id, "formulation overview")
    base = _base_context(opened, "")
    document = base["document"]
    version = base["version"]
    patient_language = services.patient_language(opened.access)
    organization_id = opened.access.patient.organization_id
    names = presenters.factor_names(knowledge_for(organization_id), _ui_language())
    stored = latest_profile_of_patient(opened.access)
    shared = selectors.latest_shared_version(opened.object)
    context = {
        **base,
        # The clinician's drawing speaks the page's language (its box kinds and the text
        # alternative); the patient's view below stays in the patient's language.
        "diagram": presenters.diagram(document.circle, _ui_language()),
        "scegs": presenters.scegs_sections(document),
        "meanings": [(c.text, c.meaning) for c in document.complaints if c.meaning],
        "three_p": presenters.three_p_sections(document, stored.profile if stored else None, names),
        "explanation": presenters.explanation(document, patient_language, shift=1),
        "patient_diagram": presenters.patient_diagram(document, patient_language),
        "changed_since_agreed": selectors.explanation_changed(
            selectors.last_agreed_version(opened.object), version, patient_language
        ),
        "explanation_language": patient_language,
        "shared": shared,
        "current_is_shared": shared is not None and shared.pk == version.pk,
        "responses": selectors.responses_of(opened.object),
        "history": presenters.history(selectors.versions_of(opened.object)),
        "plan_url": plan_url(str(opened.access.patient.public_id)),
    }
    return render(request, "formulation/detail.html", context)

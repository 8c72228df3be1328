"""The records pages: a complete copy of the file and destruction on request (F26).

Thin views: typed input, the scoped opener, one audited service call, render."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from maatwerk.core.access import Role
from maatwerk.web.audit.audited import InputRefused, show_refusal
from maatwerk.web.common.decorators import role_required
from maatwerk.web.common.http import ActorRequest
from maatwerk.web.common.pdf import PDF_CONTENT_TYPE
from maatwerk.web.patients.opening import (
    Audience,
    PatientAccess,
    open_child,
    open_own_record,
    open_patient,
)
from maatwerk.web.records import copies, destruction
from maatwerk.web.records.forms import DecisionForm, DestructionRequestForm
from maatwerk.web.records.models import DestructionRequest, RecordCopy
from maatwerk.web.records.pages import OBJECT_RIGHTS, rights_page, rights_page_content


def _render_page(
    request: ActorRequest,
    access: PatientAccess,
    *,
    request_form: DestructionRequestForm | None = None,
    decision_forms: dict[str, DecisionForm] | None = None,
    status: int = 200,
) -> HttpResponse:
    page = (
        rights_page(actor=request.actor, access=access)
        if status == 200
        else rights_page_content(actor=request.actor, access=access)
    )
    forms = decision_forms or {}
    context: dict[str, Any] = {
        "patient": access.patient,
        "page": page,
        "for_patient": access.by_patient,
        "request_form": request_form or DestructionRequestForm(),
        "decision_forms": [
            (line, forms.get(str(line.request.public_id), DecisionForm())) for line in page.requests
        ],
    }
    template = "records/mine.html" if access.by_patient else "records/patient.html"
    return render(request, template, context, status=status)


# ------------------------------------------------------------------ the patient's portal


@role_required(Role.PATIENT)
@require_http_methods(["GET"])
def mine(request: ActorRequest) -> HttpResponse:
    access = open_own_record(actor=request.actor, action="read", object_type=OBJECT_RIGHTS)
    return _render_page(request, access)


@role_required(Role.PATIENT)
@require_http_methods(["POST"])
def mine_copy(request: ActorRequest) -> HttpResponse:
    access = open_own_record(actor=request.actor, action="create", object_type=copies.OBJECT_COPY)
    copies.copy_request(actor=request.actor, access=access)
    messages.success(request, _("We are making your copy. It is ready in a few minutes."))
    return redirect("records:mine")


@role_required(Role.PATIENT)
@require_http_methods(["POST"])
def mine_destruction(request: ActorRequest) -> HttpResponse:
    access = open_own_record(
        actor=request.actor, action="create", object_type=destruction.OBJECT_REQUEST
    )
    form = DestructionRequestForm(request.POST)
    try:
        destruction.destruction_request_create(actor=request.actor, access=access, form=form)
    except InputRefused as refusal:
        show_refusal(form, refusal)
        return _render_page(request, access, request_form=form, status=400)
    messages.success(request, _("Your request has been sent to your care provider."))
    return redirect("records:mine")


# ------------------------------------------------------------------ the care team


@role_required(Role.CLINICIAN)
@require_http_methods(["GET"])
def patient(request: ActorRequest, patient_id: str) -> HttpResponse:
    access = open_patient(
        actor=request.actor,
        patient_id=patient_id,
        action="read",
        audience=Audience.CARE_TEAM,
        object_type=OBJECT_RIGHTS,
    )
    return _render_page(request, access)


@role_required(Role.CLINICIAN)
@require_http_methods(["POST"])
def patient_copy(request: ActorRequest, patient_id: str) -> HttpResponse:
    access = open_patient(
        actor=request.actor,
        patient_id=patient_id,
        action="create",
        audience=Audience.CARE_TEAM,
        object_type=copies.OBJECT_COPY,
    )
    copies.copy_request(actor=request.actor, access=access)
    messages.success(request, _("The copy is being made. It is ready in a few minutes."))
    return redirect("records:patient", patient_id=access.patient.public_id)


@role_required(Role.CLINICIAN)
@require_http_methods(["POST"])
def decide(request: ActorRequest, request_id: str) -> HttpResponse:
    opened = open_child(
        actor=request.actor,
        model=DestructionRequest,
        object_id=request_id,
        action="update",
        object_type=destruction.OBJECT_REQUEST,
        audience=Audience.CARE_TEAM,
    )
    form = DecisionForm(request.POST)
    try:
        decided = destruction.destruction_decide(actor=request.actor, opened=opened, form=form)
    except InputRefused as refusal:
        show_refusal(form, refusal)
        return _render_page(request, opened.access, decision_forms={request_id: form}, status=400)
    if decided.status == DestructionRequest.Status.GRANTED:
        messages.success(request, _("The requested parts have been destroyed."))
    else:
        messages.success(request, _("The request has been refused; the patient reads your reason."))
    return redirect("records:patient", patient_id=opened.access.patient.public_id)


@role_required(Role.CLINICIAN)
@require_http_methods(["GET"])
def open_requests(request: ActorRequest) -> HttpResponse:
    found = destruction.open_requests(actor=request.actor)
    return render(request, "records/open_requests.html", {"requests": found})


# ------------------------------------------------------------------ downloads


def _download(request: ActorRequest, copy_id: str, file_format: str) -> HttpResponse:
    opened = open_child(
        actor=request.actor,
        model=RecordCopy,
        object_id=copy_id,
        action="export",
        object_type=copies.OBJECT_COPY,
        audience=Audience.RECORD,
    )
    try:
        body = copies.copy_download(actor=request.actor, opened=opened, file_format=file_format)
    except InputRefused as refusal:
        return HttpResponse(str(refusal), status=410, content_type="text/plain")
    if file_format == "fhir":
        response = HttpResponse(body, content_type=f"{copies.FHIR_JSON}; charset=utf-8")
        name = "dossier.fhir.json"
    else:
        response = HttpResponse(body, content_type=PDF_CONTENT_TYPE)
        name = "dossier.pdf"
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


@login_required
@require_http_methods(["GET"])
def copy_fhir(request: ActorRequest, copy_id: str) -> HttpResponse:
    return _download(request, copy_id, "fhir")


@login_required
@require_http_methods(["GET"])
def copy_pdf(request: ActorRequest, copy_id: str) -> HttpResponse:
    return _download(request, copy_id, "pdf")

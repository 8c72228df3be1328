"""Thin views: typed input → the patient opened for this actor → one service → render."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import get_language, override
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from maatwerk.core.access import Role
from maatwerk.web.analysis import network, services
from maatwerk.web.analysis.forms import ArrowsForm, EmaLinksForm, EmaUploadForm, NormChoiceForm
from maatwerk.web.analysis.selectors import OBJECT_EMA, OBJECT_NETWORK, OBJECT_NORM
from maatwerk.web.audit.audited import InputRefused, show_refusal
from maatwerk.web.common.decorators import role_required
from maatwerk.web.common.http import ActorRequest
from maatwerk.web.common.pdf import PDF_CONTENT_TYPE
from maatwerk.web.formulation import selectors as formulation_selectors
from maatwerk.web.formulation.services import patient_language
from maatwerk.web.patients.opening import (
    Audience,
    Opened,
    PatientAccess,
    open_own_record,
    open_patient,
)


def _language() -> str:
    return "en" if get_language() == "en" else "nl"


def _access(request: ActorRequest, patient_id: str, action: str, object_type: str) -> PatientAccess:
    """The scoped opener: out of scope is a 404, a patient on their own record a 403
    (both audited as denied by the opener)."""
    return open_patient(
        actor=request.actor,
        patient_id=patient_id,
        action=action,
        audience=Audience.CARE_TEAM,
        object_type=object_type,
    )


def _upload_of(form: EmaUploadForm) -> services.EmaUpload:
    """The typed upload, or the form's errors for the service to refuse."""
    if not form.is_valid():
        problems = {name: [str(m) for m in errors] for name, errors in form.errors.items()}
        return services.EmaUpload(b"", "", (), None, None, problems=problems)
    data = form.cleaned_data
    file = data["file"]
    return services.EmaUpload(
        data=b"" if file is None else file.read(services.MAX_UPLOAD_BYTES + 1),
        filename="" if file is None else file.name or "",
        variables=tuple(v.strip() for v in data["variables"].split(",") if v.strip()),
        day=data["day"].strip() or None,
        beep=data["beep"].strip() or None,
    )


class NetworkPage(network.NetworkPageContext):
    """The page around the network: the upload form and what was refused."""

    form: EmaUploadForm
    errors: dict[str, list[str]]
    link_errors: list[str]
    patient_language: str


def _page(
    request: ActorRequest,
    access: PatientAccess,
    context: network.NetworkPageContext,
    *,
    form: EmaUploadForm | None = None,
    errors: dict[str, list[str]] | None = None,
    status: int = 200,
) -> HttpResponse:
    page: NetworkPage = {
        **context,
        "form": form or EmaUploadForm(initial={"day": "day", "beep": "beep"}),
        "errors": errors or {},
        "link_errors": _link_errors(errors or {}),
        "patient_language": patient_language(access),
    }
    return render(request, "analysis/network.html", page, status=status)


def _link_errors(errors: dict[str, list[str]]) -> list[str]:
    """The problems of the link rows (``count``, ``var-N``, ``node-N``), once each."""
    found = [
        message
        for field, messages in errors.items()
        if field == "count" or field.startswith(("var-", "node-"))
        for message in messages
    ]
    return list(dict.fromkeys(found))


@role_required(Role.CLINICIAN)
@require_http_methods(["GET"])
def network_view(request: ActorRequest, patient_id: str) -> HttpResponse:
    access = _access(request, patient_id, "read", OBJECT_NETWORK)
    context = services.network_read(actor=request.actor, access=access, language=_language())
    return _page(request, access, context)


@role_required(Role.CLINICIAN)
def network_pdf(request: ActorRequest, patient_id: str) -> HttpResponse:
    access = _access(request, patient_id, "print", OBJECT_NETWORK)
    pdf = services.network_pdf(actor=request.actor, access=access, language=_language())
    return _pdf_response(pdf, "persoonlijk-netwerk.pdf")


@login_required
def mine_pdf(request: ActorRequest) -> HttpResponse:
    access = open_own_record(actor=request.actor, action="print", object_type=OBJECT_NETWORK)
    try:
        pdf = services.network_pdf_own(actor=request.actor, access=access)
    except InputRefused:
        raise Http404 from None
    return _pdf_response(pdf, "wat-mijn-dagboek-laat-zien.pdf")


def _pdf_response(pdf: bytes, filename: str) -> HttpResponse:
    response = HttpResponse(pdf, content_type=PDF_CONTENT_TYPE)
    response["Content-Disposition"] = f'inline; filename="{filename}"'
    return response


def _refused(
    request: ActorRequest,
    access: PatientAccess,
    refusal: InputRefused,
    form: EmaUploadForm | None = None,
) -> HttpResponse:
    """The page again with the service's refusal (already audited as refused)."""
    if form is not None:
        show_refusal(form, refusal)
    context = network.network_page(access, _language())
    return _page(request, access, context, form=form, errors=refusal.errors, status=400)


@role_required(Role.CLINICIAN)
@require_http_methods(["POST"])
def upload(request: ActorRequest, patient_id: str) -> HttpResponse:
    access = _access(request, patient_id, "create", OBJECT_EMA)
    form = EmaUploadForm(request.POST, request.FILES)
    try:
        services.ema_import(actor=request.actor, access=access, upload=_upload_of(form))
    except InputRefused as refusal:
        return _refused(request, access, refusal, form)
    messages.success(
        request,
        _("The diary data are saved. The network is being estimated; this takes a few seconds."),
    )
    return redirect("analysis:network", patient_id=patient_id)


@role_required(Role.CLINICIAN)
@require_http_methods(["POST"])
def links(request: ActorRequest, patient_id: str) -> HttpResponse:
    access = _access(request, patient_id, "update", OBJECT_EMA)
    try:
        services.ema_links_save(actor=request.actor, access=access, form=EmaLinksForm(request.POST))
    except InputRefused as refusal:
        return _refused(request, access, refusal)
    messages.success(request, _("The variables are linked to the circle."))
    return redirect("analysis:network", patient_id=patient_id)


@role_required(Role.CLINICIAN)
@require_http_methods(["POST"])
def add_arrows(request: ActorRequest, patient_id: str) -> HttpResponse:
    access = _access(request, patient_id, "update", formulation_selectors.OBJECT_FORMULATION)
    formulation = formulation_selectors.formulation_of_patient(access)
    if formulation is None:
        raise Http404
    with override(patient_language(access)):
        label = _("seen in the diary")
    try:
        version = services.network_arrows_add(
            actor=request.actor,
            opened=Opened(object=formulation, access=access),
            form=ArrowsForm(request.POST),
            label=label,
        )
    except InputRefused as refusal:
        return _refused(request, access, refusal)
    messages.success(
        request,
        _("Added to the circle as version %(number)s. Discuss it with the patient.")
        % {"number": version.number},
    )
    return redirect(reverse("formulation:circle", args=[formulation.public_id]))


@role_required(Role.CLINICIAN)
@require_http_methods(["POST"])
def norm_choice(request: ActorRequest, patient_id: str) -> HttpResponse:
    """The norm is chosen on the results page (a panel of radio buttons): a refusal is
    a message there."""
    access = _access(request, patient_id, "update", OBJECT_NORM)
    try:
        services.norm_choice_save(
            actor=request.actor, access=access, form=NormChoiceForm(request.POST)
        )
    except InputRefused as refusal:
        messages.error(request, str(refusal))
        return redirect("clinic:patient_results", patient_id=patient_id)
    messages.success(request, _("The norm is saved; the results use it from now on."))
    return redirect("clinic:patient_results", patient_id=patient_id)


@role_required(Role.CLINICIAN)
@require_http_methods(["POST"])
def share(request: ActorRequest, patient_id: str) -> HttpResponse:
    access = _access(request, patient_id, "update", OBJECT_NETWORK)
    try:
        services.network_share(actor=request.actor, access=access)
    except InputRefused as refusal:
        return _refused(request, access, refusal)
    messages.success(request, _("The patient can now see this network in their portal."))
    return redirect("analysis:network", patient_id=patient_id)


@login_required
@require_http_methods(["GET"])
def mine(request: ActorRequest) -> HttpResponse:
    """The patient's own network, in B1 words, once the clinician shared it."""
    access = open_own_record(actor=request.actor, action="read", object_type=OBJECT_NETWORK)
    context = services.network_read_own(actor=request.actor, access=access)
    return render(request, "analysis/mine.html", context)

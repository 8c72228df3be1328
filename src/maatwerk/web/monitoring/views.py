"""Monitoring pages.

The patient's answering pages live under ``/monitoring/me/`` - the scope of their
service worker (``sw.js``), which keeps answers given without a connection and sends
them later (each with the id the page gave it, so the server stores it once).

Each view binds its form, opens with the scoped opener, calls one service and renders.
"""

from __future__ import annotations

import json

from django.http import HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.templatetags.static import static
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods
from pydantic import ValidationError

from maatwerk.core.access import Role
from maatwerk.web.audit.audited import InputRefused, show_refusal
from maatwerk.web.common.decorators import role_required
from maatwerk.web.common.http import ActorRequest
from maatwerk.web.common.pdf import PDF_CONTENT_TYPE
from maatwerk.web.monitoring import answering, overview, services
from maatwerk.web.monitoring import notifications as notices
from maatwerk.web.monitoring.channels import web_push_configured
from maatwerk.web.monitoring.forms import (
    AnswerForm,
    NotificationForm,
    PushSubscriptionIn,
    StartEntryForm,
)
from maatwerk.web.monitoring.models import MonitoringSchedule, Prompt
from maatwerk.web.monitoring.service_worker import SERVICE_WORKER
from maatwerk.web.patients.opening import Audience, open_child, open_own_record, open_patient


def _wants_json(request: ActorRequest) -> bool:
    return "application/json" in request.headers.get("Accept", "")


def _service_worker_context() -> dict[str, str]:
    return {
        "service_worker_url": reverse("monitoring:sw"),
        "service_worker_scope": reverse("monitoring:mine"),
        "manifest_url": reverse("monitoring:manifest"),
    }


@role_required(Role.PATIENT)
@require_http_methods(["GET"])
def mine(request: ActorRequest) -> HttpResponse:
    """The patient's open questions and the button for an entry of their own."""
    opened = open_own_record(actor=request.actor, action="read", object_type=answering.PROMPTS)
    page = answering.my_prompts(request.actor, opened, now=timezone.now())
    context = {"page": page, "entry_form": StartEntryForm(), **_service_worker_context()}
    return render(request, "monitoring/mine.html", context)


@role_required(Role.PATIENT)
@require_http_methods(["POST"])
def start_entry(request: ActorRequest) -> HttpResponse:
    form = StartEntryForm(request.POST)
    schedule_id = str(form.data.get("schedule", ""))
    opened = open_child(
        actor=request.actor,
        model=MonitoringSchedule,
        object_id=schedule_id,
        action="create",
        object_type=services.PROMPT,
        audience=Audience.PATIENT,
    )
    try:
        prompt = services.start_event_entry(request.actor, opened, now=timezone.now(), form=form)
    except InputRefused as refusal:
        opened_own = open_own_record(
            actor=request.actor, action="read", object_type=answering.PROMPTS
        )
        page = answering.my_prompts(request.actor, opened_own, now=timezone.now())
        show_refusal(form, refusal)
        context = {"page": page, "entry_form": form, **_service_worker_context()}
        return render(request, "monitoring/mine.html", context, status=400)
    return redirect("monitoring:answer", prompt_id=str(prompt.public_id))


@role_required(Role.PATIENT)
@require_http_methods(["GET", "POST"])
def answer(request: ActorRequest, prompt_id: str) -> HttpResponse:
    """One prompt's questions; posting stores the answers once (``answer_id``). A
    questionnaire prompt (ROM) leads on to the questionnaire's own pages."""
    now = timezone.now()
    if request.method == "GET":
        opened = open_child(
            actor=request.actor,
            model=Prompt,
            object_id=prompt_id,
            action="read",
            object_type=services.PROMPT,
            audience=Audience.PATIENT,
            related=("schedule", "assignment"),
        )
        page = answering.opened_prompt_page(request.actor, opened, now=now)
        if page.questionnaire_id:
            # A questionnaire (ROM): opened (logged), then filled in on its own pages.
            return redirect("questionnaires:fill", assignment_id=page.questionnaire_id)
        form = AnswerForm(questions=page.questions)
        return _answer_page(request, page, form)
    opened = open_child(
        actor=request.actor,
        model=Prompt,
        object_id=prompt_id,
        action="update",
        object_type=services.PROMPT,
        audience=Audience.PATIENT,
        related=("schedule",),
    )
    page = answering.prompt_page(opened.object, now=now)
    form = AnswerForm(request.POST, questions=page.questions)
    try:
        services.answer_prompt(request.actor, opened, now=now, form=form)
    except InputRefused as refusal:
        if _wants_json(request):
            return JsonResponse({"saved": False, "errors": refusal.errors}, status=400)
        show_refusal(form, refusal)
        return _answer_page(request, page, form, status=400)
    if _wants_json(request):
        return JsonResponse({"saved": True, "next": reverse("monitoring:mine")})
    return redirect(reverse("monitoring:mine") + "?saved=1")


def _answer_page(
    request: ActorRequest, page: answering.PromptPage, form: AnswerForm, status: int = 200
) -> HttpResponse:
    context = {"page": page, "form": form, **_service_worker_context()}
    return render(request, "monitoring/answer.html", context, status=status)


@role_required(Role.PATIENT)
@require_http_methods(["GET", "POST"])
def notifications(request: ActorRequest) -> HttpResponse:
    """How the patient hears that a question waits: phone, e-mail or nothing; pause."""
    if request.method == "POST":
        form = NotificationForm(request.POST, push_available=web_push_configured())
        opened = open_own_record(
            actor=request.actor, action="update", object_type=notices.PREFERENCE
        )
        try:
            notices.change_notifications(request.actor, opened, form=form, now=timezone.now())
        except notices.NotificationsRefused as refusal:
            show_refusal(form, refusal)
            return _notifications_page(request, refusal.page, form, status=400)
        return redirect(reverse("monitoring:notifications") + "?saved=1")
    opened = open_own_record(actor=request.actor, action="read", object_type=notices.PREFERENCE)
    page = notices.notification_page(request.actor, opened)
    form = NotificationForm(
        initial={"choice": page.choice or None}, push_available=page.push_available
    )
    return _notifications_page(request, page, form)


def _notifications_page(
    request: ActorRequest, page: notices.NotificationPage, form: NotificationForm, status: int = 200
) -> HttpResponse:
    if page.push_available and not page.devices:
        form.hold_phone_until_allowed()
    context = {
        "page": page,
        "form": form,
        "device_url": reverse("monitoring:push_device"),
        **_service_worker_context(),
    }
    return render(request, "monitoring/notifications.html", context, status=status)


@role_required(Role.PATIENT)
@require_http_methods(["POST"])
def push_device(request: ActorRequest) -> HttpResponse:
    """Register this phone for notifications: the browser's push subscription (JSON)."""
    data = None
    # Only a JSON body is read: a form post (multipart) has had its stream consumed by the
    # input checks, and it is no subscription anyway, so it is refused like invalid JSON.
    if request.content_type == "application/json":
        try:
            data = PushSubscriptionIn.model_validate_json(request.body)
        except ValidationError:
            data = None
    opened = open_own_record(
        actor=request.actor, action="create", object_type=services.SUBSCRIPTION
    )
    try:
        services.subscribe_push(
            request.actor,
            opened,
            endpoint=data.endpoint if data else "",
            p256dh=data.keys.p256dh if data else "",
            auth=data.keys.auth if data else "",
            user_agent=request.headers.get("User-Agent", ""),
        )
    except InputRefused as refusal:
        return JsonResponse({"saved": False, "errors": refusal.errors}, status=400)
    return JsonResponse({"saved": True})


@require_http_methods(["GET"])
def service_worker(request: ActorRequest) -> HttpResponse:
    """The answering pages' service worker; its scope is ``/monitoring/me/`` only."""
    body = SERVICE_WORKER % {"static": json.dumps(static(""))}
    response = HttpResponse(body, content_type="text/javascript; charset=utf-8")
    response["Service-Worker-Allowed"] = reverse("monitoring:mine")
    return response


@require_http_methods(["GET"])
def manifest(request: ActorRequest) -> HttpResponse:
    """The web app manifest: the answering pages as an app on the phone's home screen."""
    body = {
        "name": _("Maatwerk - my questions"),
        "short_name": _("My questions"),
        "start_url": reverse("monitoring:mine"),
        "scope": reverse("monitoring:mine"),
        "display": "standalone",
        "background_color": "#ffffff",
        "theme_color": "#1d4f91",
        "lang": request.LANGUAGE_CODE if hasattr(request, "LANGUAGE_CODE") else "nl",
        "icons": [
            {
                "src": static("img/favicon.svg"),
                "sizes": "any",
                "type": "image/svg+xml",
                "purpose": "any",
            }
        ],
    }
    return JsonResponse(body, content_type="application/manifest+json")


# ------------------------------------------------------------------ the clinician's pages


@role_required(Role.CLINICIAN)
@require_http_methods(["GET"])
def patient_overview(request: ActorRequest, patient_id: str) -> HttpResponse:
    """One patient's ROM due/done and daily-life answers per day (linked from the dossier)."""
    opened = open_patient(
        actor=request.actor,
        patient_id=patient_id,
        action="read",
        audience=Audience.CARE_TEAM,
        object_type="monitoring_overview",
    )
    page = overview.patient_monitoring(
        request.actor, opened, now=timezone.now(), language=get_language() or "nl"
    )
    return render(request, "monitoring/patient.html", {"page": page})


@role_required(Role.CLINICIAN)
@require_http_methods(["GET"])
def patient_overview_pdf(request: ActorRequest, patient_id: str) -> HttpResponse:
    """The patient's monitoring and feedback charts as a PDF, for the consult."""
    opened = open_patient(
        actor=request.actor,
        patient_id=patient_id,
        action="print",
        audience=Audience.CARE_TEAM,
        object_type="monitoring_overview",
    )
    pdf = overview.patient_monitoring_pdf(
        request.actor, opened, now=timezone.now(), language=get_language() or "nl"
    )
    response = HttpResponse(pdf, content_type=PDF_CONTENT_TYPE)
    response["Content-Disposition"] = 'inline; filename="monitoring.pdf"'
    return response


@role_required(Role.CLINICIAN)
@require_http_methods(["GET"])
def caseload(request: ActorRequest) -> HttpResponse:
    """Across the caseload: who is overdue, who stopped responding, whose prompts bounce."""
    page = overview.caseload_monitoring(request.actor, now=timezone.now())
    return render(request, "monitoring/caseload.html", {"page": page})

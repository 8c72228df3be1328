"""Messages between the patient and the care team."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from maatwerk.core.access import Role
from maatwerk.web.audit.audited import Refused, attempt
from maatwerk.web.common.decorators import role_required
from maatwerk.web.common.http import ActorRequest
from maatwerk.web.patients.opening import (
    Audience,
    PatientAccess,
    open_own_record,
    open_patient,
)
from maatwerk.web.treatment import forms, selectors, services
from maatwerk.web.treatment.views.common import login_url


def _thread_page(
    request: ActorRequest, access: PatientAccess, template: str, post_url: str
) -> HttpResponse:
    form = forms.MessageForm(request.POST if request.method == "POST" else None)
    if request.method == "POST":
        form.is_valid()
        sent = attempt(
            form,
            lambda: services.message_send(
                actor=request.actor,
                access=access,
                text=str(form.cleaned_data.get("text") or ""),
                login_url=login_url(request),
            ),
        )
        if not isinstance(sent, Refused):
            messages.success(request, _("Your message has been sent."))
            return redirect(post_url)
        thread = list(selectors.thread_for(access))
        status = sent.status
    else:
        thread = services.thread_read(actor=request.actor, access=access)
        status = 200
    return render(
        request,
        template,
        {
            "patient": access.patient,
            "thread": thread,
            "errors": form.errors,
            # What was typed, as it was typed, when the message was refused.
            "draft": form["text"].value() or "",
            "post_url": post_url,
            "is_patient": access.by_patient,
            "max_length": services.MESSAGE_MAX_LENGTH,
        },
        status=status,
    )


@role_required(Role.PATIENT)
@require_http_methods(["GET", "POST"])
def my_messages(request: ActorRequest) -> HttpResponse:
    access = open_own_record(
        actor=request.actor,
        action="create" if request.method == "POST" else "read",
        object_type=selectors.OBJECT_MESSAGES,
    )
    return _thread_page(request, access, "treatment/messages.html", reverse("treatment:messages"))


@role_required(Role.CLINICIAN)
@require_http_methods(["GET", "POST"])
def patient_messages(request: ActorRequest, patient_id: str) -> HttpResponse:
    access = open_patient(
        actor=request.actor,
        patient_id=patient_id,
        action="create" if request.method == "POST" else "read",
        audience=Audience.CARE_TEAM,
        object_type=selectors.OBJECT_MESSAGES,
    )
    return _thread_page(
        request,
        access,
        "treatment/messages.html",
        reverse("treatment:patient_messages", args=[access.patient.public_id]),
    )

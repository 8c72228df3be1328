"""The patient's own pages: home and who opened my file. Each opens the patient's own
record with the scoped opener and calls one audited service."""

from __future__ import annotations

from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import render

from maatwerk.core.access import Role
from maatwerk.web.common.decorators import role_required
from maatwerk.web.common.http import ActorRequest
from maatwerk.web.patients import services
from maatwerk.web.patients.opening import open_own_record


@role_required(Role.PATIENT)
def home(request: ActorRequest) -> HttpResponse:
    access = open_own_record(actor=request.actor, action="read")
    page = services.portal_home_read(actor=request.actor, access=access)
    return render(
        request,
        "portal/home.html",
        {
            "patient": access.patient,
            "episodes": page.episodes,
            "open_questionnaires": page.open_questionnaires,
        },
    )


@role_required(Role.PATIENT)
def access_log(request: ActorRequest) -> HttpResponse:
    """Who opened my file and when (Wabvpz art. 15e; NEN 7513 ch. 9)."""
    access = open_own_record(actor=request.actor, action="read", object_type="access_log")
    events = services.access_log_read(actor=request.actor, access=access)
    page = Paginator(events, 50).get_page(request.GET.get("page"))
    return render(request, "portal/access_log.html", {"page": page, "patient": access.patient})

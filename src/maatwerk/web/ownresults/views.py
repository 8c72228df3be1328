"""Mijn uitslagen: the patient's own scores and course, with their notes."""

from __future__ import annotations

from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import get_language
from django.views.decorators.http import require_GET, require_POST

from maatwerk.core.access import Role
from maatwerk.web.audit.audited import InputRefused, show_refusal
from maatwerk.web.common.decorators import role_required
from maatwerk.web.common.http import ActorRequest
from maatwerk.web.ownresults import services
from maatwerk.web.ownresults.forms import NoteForm
from maatwerk.web.patients.opening import open_own_record


def _language() -> str:
    return "en" if get_language() == "en" else "nl"


@role_required(Role.PATIENT)
@require_GET
def own_results(request: ActorRequest) -> HttpResponse:
    access = open_own_record(actor=request.actor, action="read", object_type=services.OBJECT_PAGE)
    page = services.own_results_read(request.actor, access, language=_language())
    return render(request, "ownresults/page.html", {"page": page, "failed": None})


@role_required(Role.PATIENT)
@require_POST
def note_add(request: ActorRequest) -> HttpResponse:
    access = open_own_record(actor=request.actor, action="create", object_type=services.OBJECT_NOTE)
    form = NoteForm(request.POST)
    try:
        services.note_add(request.actor, access, form)
    except InputRefused as refusal:
        show_refusal(form, refusal)
        page = services.results_page(access, language=_language())
        return render(
            request,
            "ownresults/page.html",
            {"page": page, "failed": form, "failed_topic": form["topic"].value()},
            status=400,
        )
    return redirect("portal:own_results")

"""Mijn uitslagen: the patient's own scores, daily-life charts and course, with their
notes (added from the chart, changed or removed by the patient), and the PDF of it."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from maatwerk.core.access import Role
from maatwerk.web.audit.audited import InputRefused, show_refusal
from maatwerk.web.common.decorators import role_required
from maatwerk.web.common.http import ActorRequest
from maatwerk.web.common.pdf import PDF_CONTENT_TYPE
from maatwerk.web.ownresults import services
from maatwerk.web.ownresults.forms import NoteChangeForm, NoteForm, NoteRemoveForm
from maatwerk.web.ownresults.models import ResultNote
from maatwerk.web.patients.opening import Audience, Opened, open_child, open_own_record


def _language() -> str:
    return "en" if get_language() == "en" else "nl"


@role_required(Role.PATIENT)
@require_GET
def own_results(request: ActorRequest) -> HttpResponse:
    access = open_own_record(actor=request.actor, action="read", object_type=services.OBJECT_PAGE)
    page = services.own_results_read(request.actor, access, language=_language())
    return render(request, "ownresults/page.html", {"page": page, "failed": None})


@role_required(Role.PATIENT)
@require_GET
def own_results_pdf(request: ActorRequest) -> HttpResponse:
    access = open_own_record(actor=request.actor, action="print", object_type=services.OBJECT_PAGE)
    pdf = services.own_results_pdf(request.actor, access, language=_language())
    response = HttpResponse(pdf, content_type=PDF_CONTENT_TYPE)
    response["Content-Disposition"] = 'inline; filename="mijn-uitslagen.pdf"'
    return response


@role_required(Role.PATIENT)
@require_POST
def note_add(request: ActorRequest) -> HttpResponse:
    access = open_own_record(actor=request.actor, action="create", object_type=services.OBJECT_NOTE)
    form = NoteForm(request.POST)
    try:
        services.note_add(request.actor, access, form)
    except InputRefused as refusal:
        show_refusal(form, refusal)
        page = services.results_page(access, language=_language(), now=timezone.now())
        return render(
            request,
            "ownresults/page.html",
            {"page": page, "failed": form, "failed_topic": form["topic"].value()},
            status=400,
        )
    messages.success(request, _("Your note is saved. Your care provider can read it too."))
    return redirect("portal:own_results")


def _open_note(request: ActorRequest, note_id: str, action: str) -> Opened[ResultNote]:
    return open_child(
        actor=request.actor,
        model=ResultNote,
        object_id=note_id,
        action=action,
        object_type=services.OBJECT_NOTE,
        audience=Audience.PATIENT,
    )


@role_required(Role.PATIENT)
@require_http_methods(["GET", "POST"])
def note_change(request: ActorRequest, note_id: str) -> HttpResponse:
    """Change the words or the day of one of the patient's own notes."""
    if request.method == "GET":
        note = services.note_read(request.actor, _open_note(request, note_id, "read"))
        form = NoteChangeForm(initial={"text": note.text, "day": note.day})
        return render(request, "ownresults/note.html", {"note": note, "form": form})
    opened = _open_note(request, note_id, "update")
    form = NoteChangeForm(request.POST)
    try:
        services.note_change(request.actor, opened, form)
    except InputRefused as refusal:
        show_refusal(form, refusal)
        return render(
            request, "ownresults/note.html", {"note": opened.object, "form": form}, status=400
        )
    messages.success(request, _("Your note is changed."))
    return redirect("portal:own_results")


@role_required(Role.PATIENT)
@require_POST
def note_remove(request: ActorRequest, note_id: str) -> HttpResponse:
    opened = _open_note(request, note_id, "delete")
    form = NoteRemoveForm(request.POST)
    try:
        services.note_remove(request.actor, opened, form)
    except InputRefused as refusal:
        show_refusal(form, refusal)
        change = NoteChangeForm(initial={"text": opened.object.text, "day": opened.object.day})
        return render(
            request,
            "ownresults/note.html",
            {"note": opened.object, "form": change, "remove_form": form},
            status=400,
        )
    messages.success(request, _("Your note is removed."))
    return redirect("portal:own_results")

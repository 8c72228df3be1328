"""Changing a collection: the JSON editor, using an earlier version again, and going
back to the bundled version. A refusal shows the page again (400) with every problem on
its field and the admin's input kept."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from maatwerk.core.access import Role
from maatwerk.web.audit.audited import NON_FIELD, InputRefused, show_refusal
from maatwerk.web.common.decorators import role_required
from maatwerk.web.common.http import ActorRequest
from maatwerk.web.knowledge import presenters, services
from maatwerk.web.knowledge.forms import DocumentForm, RestoreBundledForm, RestoreForm
from maatwerk.web.knowledge.models import KnowledgeRevision
from maatwerk.web.knowledge.opening import CollectionAccess, open_collection
from maatwerk.web.knowledge.problems import ShownProblem


def _opened(request: ActorRequest, content_set: str, collection: str) -> CollectionAccess:
    return open_collection(
        actor=request.actor,
        content_set=content_set,
        collection=collection,
        action="update" if request.method == "POST" else "read",
    )


def problems_of(
    refusal: InputRefused | None, access: CollectionAccess, *fields: str
) -> list[ShownProblem]:
    """The problems shown above the form: the content's (with file and JSON path), or
    the form's own errors on ``fields`` (and above all fields) as problems of the file."""
    if refusal is None:
        return []
    if isinstance(refusal, services.ContentRefused):
        return [problem for problem in refusal.problems if problem.path != "comment"]
    return [
        ShownProblem(f"{access.collection}.json", "$", message)
        for name in (*fields, NON_FIELD)
        for message in refusal.errors.get(name, ())
    ]


def comment_context(form: forms.Form) -> dict[str, object]:
    """The reason the admin typed (never lost on a refusal) and its errors."""
    value = form["comment"].value() if form.is_bound else ""
    return {"comment_value": value or "", "comment_errors": form.errors.get("comment", [])}


def say_saved(request: ActorRequest, revision: KnowledgeRevision, collection: str) -> None:
    messages.success(
        request,
        _("Version %(version)s of %(collection)s is saved and in use.")
        % {"version": revision.version, "collection": presenters.collection_label(collection)},
    )


@role_required(Role.ORGANIZATION_ADMIN)
@require_http_methods(["GET", "POST"])
def edit(request: ActorRequest, content_set: str, collection: str) -> HttpResponse:
    access = _opened(request, content_set, collection)
    refusal: InputRefused | None = None
    header: presenters.Header | None = None
    if request.method == "POST":
        form = DocumentForm(request.POST)
        try:
            revision = services.collection_save(actor=request.actor, access=access, form=form)
        except InputRefused as refused:
            refusal = refused
            show_refusal(form, refused)
        else:
            say_saved(request, revision, collection)
            return redirect("knowledge:collection", content_set, collection)
    else:
        header = presenters.header(access)
        form = DocumentForm(
            initial={
                "document": presenters.editor_text(access),
                "base_revision": header.base_revision,
            }
        )
    return render(
        request,
        "knowledge/edit.html",
        {
            "header": header or presenters.header(access),
            "form": form,
            "problems": problems_of(refusal, access, "document", "base_revision"),
            **comment_context(form),
        },
        status=400 if refusal is not None else 200,
    )


@role_required(Role.ORGANIZATION_ADMIN)
@require_http_methods(["GET", "POST"])
def history(request: ActorRequest, content_set: str, collection: str) -> HttpResponse:
    """Every saved version with the ids it changed; POST saves an earlier one again."""
    access = _opened(request, content_set, collection)
    refusal: InputRefused | None = None
    form = RestoreForm(request.POST or None)
    if request.method == "POST":
        try:
            saved = services.revision_restore(actor=request.actor, access=access, form=form)
        except InputRefused as refused:
            refusal = refused
            show_refusal(form, refused)
        else:
            messages.success(
                request,
                _("The earlier version is in use again as version %(version)s.")
                % {"version": saved.version},
            )
            return redirect("knowledge:history", content_set, collection)
    page = presenters.history_page(access)
    restoring = form.cleaned_data.get("revision") if form.is_bound else None
    return render(
        request,
        "knowledge/history.html",
        {
            "header": page.header,
            "entries": page.entries,
            "form": form,
            "problems": problems_of(refusal, access, "revision"),
            "restoring": str(restoring) if restoring else "",
            **comment_context(form),
        },
        status=400 if refusal is not None else 200,
    )


@role_required(Role.ORGANIZATION_ADMIN)
@require_POST
def restore_bundled(request: ActorRequest, content_set: str, collection: str) -> HttpResponse:
    access = _opened(request, content_set, collection)
    form = RestoreBundledForm(request.POST)
    try:
        services.bundled_restore(actor=request.actor, access=access, form=form)
    except InputRefused as refusal:
        show_refusal(form, refusal)
        return render(
            request,
            "knowledge/restore_bundled.html",
            {
                "header": presenters.header(access),
                "form": form,
                "problems": problems_of(refusal, access),
                **comment_context(form),
            },
            status=400,
        )
    messages.success(
        request,
        _("Your organization uses the bundled version of %(collection)s again.")
        % {"collection": presenters.collection_label(collection)},
    )
    return redirect("knowledge:collection", content_set, collection)

"""The two focused forms that change content without editing JSON: a factor's
instrument thresholds, and the stepped-care rules switched on or off with their numbers."""

from __future__ import annotations

from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_http_methods

from maatwerk.core.access import Role
from maatwerk.web.audit.audited import InputRefused, show_refusal
from maatwerk.web.common.decorators import role_required
from maatwerk.web.common.http import ActorRequest
from maatwerk.web.knowledge import presenters, services
from maatwerk.web.knowledge.opening import STEPPED_CARE, open_collection, open_factor
from maatwerk.web.knowledge.views.editing import comment_context, problems_of, say_saved


def _action(request: ActorRequest) -> str:
    return "update" if request.method == "POST" else "read"


@role_required(Role.ORGANIZATION_ADMIN)
@require_http_methods(["GET", "POST"])
def factor_thresholds(request: ActorRequest, factor_id: str) -> HttpResponse:
    """The most common change: a factor's instrument thresholds, without editing JSON."""
    opened = open_factor(actor=request.actor, factor_id=factor_id, action=_action(request))
    form, labels = presenters.thresholds_form(opened, request.POST or None)
    refusal: InputRefused | None = None
    if request.method == "POST":
        try:
            revision = services.factor_thresholds_save(
                actor=request.actor, opened=opened, form=form
            )
        except InputRefused as refused:
            refusal = refused
            form.show(refused)
        else:
            say_saved(request, revision, opened.collection.collection)
            return redirect(
                reverse(
                    "knowledge:collection",
                    args=[opened.collection.content_set, opened.collection.collection],
                )
                + f"#factor-{factor_id}"
            )
    page = presenters.thresholds_page(opened, form, labels)
    return render(
        request,
        "knowledge/factor_thresholds.html",
        {
            "header": page.header,
            "page": page,
            "form": form,
            "problems": problems_of(refusal, opened.collection, "base_revision"),
            **comment_context(form),
        },
        status=400 if refusal is not None else 200,
    )


@role_required(Role.ORGANIZATION_ADMIN)
@require_http_methods(["GET", "POST"])
def stepped_care_switches(request: ActorRequest) -> HttpResponse:
    """Care rules on or off and the configurable numbers, without editing JSON."""
    content_set, collection = STEPPED_CARE
    access = open_collection(
        actor=request.actor,
        content_set=content_set,
        collection=collection,
        action=_action(request),
    )
    form = presenters.switches_form(access, request.POST or None)
    refusal: InputRefused | None = None
    if request.method == "POST":
        try:
            revision = services.stepped_care_switches_save(
                actor=request.actor, access=access, form=form
            )
        except InputRefused as refused:
            refusal = refused
            show_refusal(form, refused)
        else:
            say_saved(request, revision, collection)
            return redirect("knowledge:collection", content_set, collection)
    return render(
        request,
        "knowledge/stepped_care_switches.html",
        {
            "header": presenters.header(access),
            "form": form,
            "problems": problems_of(refusal, access, "base_revision"),
            **comment_context(form),
        },
        status=400 if refusal is not None else 200,
    )

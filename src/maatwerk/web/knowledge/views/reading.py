"""Reading the knowledge content: the overview, a collection as readable rows, and the
document in use as a file."""

from __future__ import annotations

from django.http import HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_http_methods

from maatwerk.core.access import Role
from maatwerk.web.common.decorators import role_required
from maatwerk.web.common.http import ActorRequest
from maatwerk.web.knowledge import presenters, selectors
from maatwerk.web.knowledge.opening import open_collection, open_knowledge


@role_required(Role.ORGANIZATION_ADMIN)
@require_http_methods(["GET"])
def overview(request: ActorRequest) -> HttpResponse:
    access = open_knowledge(actor=request.actor, action="read")
    page = presenters.overview(access)
    return render(
        request,
        "knowledge/overview.html",
        {"organization": access.organization, "rows": page.rows, "set_aside": page.set_aside},
    )


@role_required(Role.ORGANIZATION_ADMIN)
@require_http_methods(["GET"])
def collection(request: ActorRequest, content_set: str, collection: str) -> HttpResponse:
    access = open_collection(
        actor=request.actor, content_set=content_set, collection=collection, action="read"
    )
    page = presenters.collection_page(access)
    return render(request, "knowledge/collection.html", {"header": page.header, "page": page})


@role_required(Role.ORGANIZATION_ADMIN)
@require_http_methods(["GET"])
def download(request: ActorRequest, content_set: str, collection: str) -> HttpResponse:
    """The document in use, as a file (the bundled one when the organization has none)."""
    access = open_collection(
        actor=request.actor, content_set=content_set, collection=collection, action="read"
    )
    response = HttpResponse(
        selectors.text_in_use(access), content_type="application/json; charset=utf-8"
    )
    response["Content-Disposition"] = f'attachment; filename="{content_set}-{collection}.json"'
    return response

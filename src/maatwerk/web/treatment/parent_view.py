"""The parent view of a child's plan and homework (read-only; see
``treatment.services.parent``)."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_http_methods

from maatwerk.web.common.http import ActorRequest
from maatwerk.web.treatment.opening import open_shared
from maatwerk.web.treatment.services.parent import (
    HANDED_IN,
    NOT_STARTED,
    WORKING,
    parent_view_read,
)


@login_required
@require_http_methods(["GET"])
def parent_view(request: ActorRequest, relative_id: str) -> HttpResponse:
    relative = open_shared(actor=request.actor, relative_id=relative_id)
    view = parent_view_read(actor=request.actor, relative=relative, today=timezone.localdate())
    return render(
        request,
        "treatment/parent_view.html",
        {
            "view": view,
            "HANDED_IN": HANDED_IN,
            "WORKING": WORKING,
            "NOT_STARTED": NOT_STARTED,
        },
    )

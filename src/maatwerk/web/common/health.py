"""Liveness: the process answers. No database, no session, no audit event.

Also the baseline of the load benchmark (`make load`): the cost of the Django stack
itself, measured beside the patient pages on the same machine in the same run.
"""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.views.decorators.http import require_GET


@require_GET
def health(request: HttpRequest) -> HttpResponse:
    return HttpResponse("ok", content_type="text/plain")

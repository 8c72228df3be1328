"""A referral's letter (PDF) and its FHIR ServiceRequest (JSON), each one audited
service call on the referral opened through its patient."""

from __future__ import annotations

import json

from django.http import HttpResponse
from django.views.decorators.http import require_http_methods

from maatwerk.core.access import Role
from maatwerk.web.common.decorators import role_required
from maatwerk.web.common.http import ActorRequest
from maatwerk.web.common.pdf import PDF_CONTENT_TYPE
from maatwerk.web.providers import services
from maatwerk.web.providers.views._common import open_referral

FHIR_JSON = "application/fhir+json"


@role_required(Role.CLINICIAN)
@require_http_methods(["GET"])
def referral_letter(request: ActorRequest, referral_id: str) -> HttpResponse:
    opened = open_referral(request, referral_id, "print")
    pdf = services.referral_letter(actor=request.actor, opened=opened)
    response = HttpResponse(pdf, content_type=PDF_CONTENT_TYPE)
    filename = f"referral-{opened.object.public_id}.pdf"
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


@role_required(Role.CLINICIAN)
@require_http_methods(["GET"])
def referral_fhir(request: ActorRequest, referral_id: str) -> HttpResponse:
    opened = open_referral(request, referral_id, "export")
    resource = services.referral_service_request(actor=request.actor, opened=opened)
    response = HttpResponse(
        json.dumps(resource, ensure_ascii=False, indent=2), content_type=FHIR_JSON
    )
    filename = f"ServiceRequest-{opened.object.public_id}.json"
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response

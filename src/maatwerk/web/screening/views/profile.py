"""The profile of a screening, computing it, the care-level decision and its PDF, and the
patient's summary.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import TypedDict

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from maatwerk.core.access import Role
from maatwerk.core.common import codec
from maatwerk.core.screening.summary import patient_summary
from maatwerk.web.audit.audited import InputRefused, Refused, attempt
from maatwerk.web.common.decorators import role_required
from maatwerk.web.common.http import ActorRequest
from maatwerk.web.common.pdf import PDF_CONTENT_TYPE, render_pdf
from maatwerk.web.patients.opening import (
    Audience,
)
from maatwerk.web.safety.selectors import risk_banner_of
from maatwerk.web.screening import selectors, services
from maatwerk.web.screening.forms import (
    DecisionForm,
)
from maatwerk.web.screening.models import (
    CareLevelDecision,
    Screening,
    ScreeningProfileSnapshot,
)
from maatwerk.web.screening.presenters import Namer, localized, profile_view, severity_label
from maatwerk.web.screening.selectors import ScreeningAccess
from maatwerk.web.screening.sources import content_of, knowledge_of
from maatwerk.web.screening.views.common import _language, _namer, _read, _screening
from maatwerk.web.screening.views.screenings import _battery_name


def _referral_url(patient_id: str) -> str | None:
    try:
        return reverse("providers:referral_create", kwargs={"patient_id": patient_id})
    except NoReverseMatch:
        return None


class DecisionRow(TypedDict):
    decision: CareLevelDecision
    advised: str
    decided: str


def _decision_rows(screening: Screening, namer: Namer) -> list[DecisionRow]:
    return [
        {
            "decision": decision,
            "advised": namer.care_level(decision.advised_level),
            "decided": namer.care_level(decision.decided_level),
        }
        for decision in selectors.decisions_of(screening)
    ]


def _profile_context(opened: ScreeningAccess, namer: Namer) -> dict[str, object]:
    screening = opened.object
    snapshot = selectors.latest_snapshot(screening)
    stored = selectors.stored_profile(snapshot) if snapshot is not None else None
    return {
        "patient": opened.access.patient,
        "risk": risk_banner_of(opened.access.patient),
        "screening": screening,
        "battery": _battery_name(screening, namer),
        "snapshot": snapshot,
        "view": profile_view(stored.profile, stored.advice, namer) if stored else None,
        "decisions": _decision_rows(screening, namer),
        "history": [
            {
                "snapshot": earlier,
                "severity": severity_label(earlier.advice.get("severity")),
                "care_level": namer.care_level(earlier.advice.get("care_level")),
            }
            for earlier in screening.snapshots.select_related("computed_by").order_by(
                "-computed_at", "-pk"
            )[1:]
        ],
        "generated_at": timezone.now(),
    }


def _render_profile(
    request: ActorRequest,
    opened: ScreeningAccess,
    errors: Mapping[str, list[str]] | None = None,
    posted: dict[str, str] | None = None,
    status: int = 200,
) -> HttpResponse:
    namer = _namer(opened.access.patient.organization_id)
    context = _profile_context(opened, namer)
    snapshot = context["snapshot"]
    stale = False
    if isinstance(snapshot, ScreeningProfileSnapshot):
        current = services.screening_input_of(opened.object)
        stale = codec.to_json(current) != snapshot.inputs
    posted = posted or {}
    context.update(
        {
            "errors": errors or {},
            "posted": posted,
            "stale": stale,
            "incomplete": selectors.current_status(opened.object) != Screening.Status.COMPLETED,
            "care_levels": [
                (
                    level.id,
                    localized(level.name, namer.language),
                    level.id == posted.get("care_level"),
                )
                for level in sorted(namer.knowledge.care_levels.care_levels, key=lambda x: x.step)
            ],
            "referral_url": _referral_url(str(opened.access.patient.public_id)),
        }
    )
    return render(request, "screening/profile.html", context, status=status)


@role_required(Role.CLINICIAN)
@require_http_methods(["GET"])
def profile(request: ActorRequest, screening_id: str) -> HttpResponse:
    """The screening profile with its reasoning and the stepped-care advice."""
    opened = _read(request, screening_id, selectors.OBJECT_PROFILE)
    return _render_profile(request, opened)


@role_required(Role.CLINICIAN)
@require_http_methods(["POST"])
def profile_compute(request: ActorRequest, screening_id: str) -> HttpResponse:
    opened = _screening(request, screening_id, "create", selectors.OBJECT_PROFILE)
    try:
        services.profile_compute(actor=request.actor, opened=opened)
    except InputRefused as refusal:
        return _render_profile(request, opened, refusal.errors, status=400)
    messages.success(request, _("The profile is computed."))
    return redirect("screening:profile", screening_id=opened.object.public_id)


@role_required(Role.CLINICIAN)
@require_http_methods(["POST"])
def care_level_decide(request: ActorRequest, screening_id: str) -> HttpResponse:
    opened = _screening(request, screening_id, "create", selectors.OBJECT_DECISION)
    form = DecisionForm(request.POST, knowledge=knowledge_of(opened.access.patient.organization_id))
    decided = attempt(
        form, lambda: services.care_level_decide(actor=request.actor, opened=opened, form=form)
    )
    if isinstance(decided, Refused):
        return _render_profile(request, opened, decided.errors, form.posted(), decided.status)
    messages.success(request, _("Your decision on the level of care is recorded."))
    return redirect("screening:profile", screening_id=opened.object.public_id)


@role_required(Role.CLINICIAN)
@require_http_methods(["GET"])
def profile_pdf(request: ActorRequest, screening_id: str) -> HttpResponse:
    """The profile as a PDF, for the file or a referral."""
    opened = _read(request, screening_id, selectors.OBJECT_PROFILE, "profile PDF")
    namer = _namer(opened.access.patient.organization_id)
    context = _profile_context(opened, namer)
    if context["snapshot"] is None:
        raise Http404
    pdf = render_pdf("screening/profile_pdf.html", context)
    response = HttpResponse(pdf, content_type=PDF_CONTENT_TYPE)
    response["Content-Disposition"] = (
        f'attachment; filename="screening-profile-{opened.object.public_id}.pdf"'
    )
    return response


@login_required
@require_http_methods(["GET"])
def summary(request: ActorRequest, screening_id: str) -> HttpResponse:
    """What the screening showed, for the patient: plain language, no scores."""
    opened = _read(
        request, screening_id, selectors.OBJECT_PROFILE, "patient summary", Audience.RECORD
    )
    snapshot = selectors.latest_snapshot(opened.object)
    lines: tuple[str, ...] = ()
    if snapshot is not None:
        stored = selectors.stored_profile(snapshot)
        organization_id = opened.access.patient.organization_id
        lines = patient_summary(
            stored.profile,
            stored.advice,
            language=_language(),
            knowledge=knowledge_of(organization_id),
            content=content_of(organization_id),
            choice=selectors.care_level_choice(snapshot),
        )
    return render(
        request,
        "screening/summary.html",
        {
            "patient": opened.access.patient,
            "screening": opened.object,
            "lines": lines,
            "clinician": not opened.by_patient,
        },
    )

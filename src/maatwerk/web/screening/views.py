"""Screening: thin views over selectors and services.

Size: one sub-domain: a view per URL of the screening app, sharing the app's view helpers.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from maatwerk.core.access import Role
from maatwerk.core.common import codec
from maatwerk.core.screening.judgement import judgeable_factor_ids, judgement_measure
from maatwerk.core.screening.summary import patient_summary
from maatwerk.web.audit.audited import InputRefused, show_refusal
from maatwerk.web.common.decorators import role_required
from maatwerk.web.common.http import ActorRequest
from maatwerk.web.common.pdf import PDF_CONTENT_TYPE, render_pdf
from maatwerk.web.patients.opening import (
    Audience,
    PatientAccess,
    open_child,
    open_patient,
)
from maatwerk.web.safety.selectors import risk_banner_of
from maatwerk.web.screening import selectors, services
from maatwerk.web.screening.forms import (
    EARLIER_TREATMENT_CHOICES,
    AssignForm,
    DecisionForm,
    IntakeForm,
    IntakeInput,
    ScegsForm,
    ScegsInput,
    earlier_treatment_field,
)
from maatwerk.web.screening.models import ScegsAssessment, Screening, ScreeningIntake
from maatwerk.web.screening.presenters import Namer, localized, profile_view, severity_label
from maatwerk.web.screening.selectors import ScreeningAccess
from maatwerk.web.screening.sources import content_of, knowledge_of


def _language() -> str:
    return "en" if get_language() == "en" else "nl"


def _namer(patient_organization_id: int) -> Namer:
    return Namer(
        knowledge=knowledge_of(patient_organization_id),
        content=content_of(patient_organization_id),
        language=_language(),
        organization_id=patient_organization_id,
    )


def _screening(
    request: ActorRequest,
    screening_id: str,
    action: str,
    object_type: str,
    audience: Audience = Audience.CARE_TEAM,
) -> ScreeningAccess:
    """Open a screening through its patient's access (404 out of scope, 403 wrong role)."""
    return open_child(
        actor=request.actor,
        model=Screening,
        object_id=screening_id,
        action=action,
        object_type=object_type,
        audience=audience,
    )


def _read(
    request: ActorRequest,
    screening_id: str,
    object_type: str,
    detail: str = "",
    audience: Audience = Audience.CARE_TEAM,
) -> ScreeningAccess:
    """Open a screening for reading; the read is one audit event."""
    opened = _screening(request, screening_id, "read", object_type, audience)
    services.screening_read(
        actor=request.actor, opened=opened, object_type=object_type, detail=detail
    )
    return opened


def _open_patient(request: ActorRequest, patient_id: str, detail: str) -> PatientAccess:
    """Open the patient's record to read their screenings; the read is one audit event."""
    access = open_patient(
        actor=request.actor,
        patient_id=patient_id,
        action="read",
        audience=Audience.CARE_TEAM,
        object_type=selectors.OBJECT_SCREENING,
    )
    services.screenings_read(actor=request.actor, access=access, detail=detail)
    return access


# ------------------------------------------------------------------ the patient's screenings


def _battery_rows(organization_id: int) -> list[dict[str, str]]:
    content = content_of(organization_id)
    language = _language()
    settings = {
        "general_practice": _("General practice"),
        "ggz_intake": _("GGZ intake"),
        "condition": _("For a condition"),
    }
    return [
        {
            "id": battery.id,
            "name": localized(battery.name, language),
            "description": localized(battery.description, language),
            "setting": str(settings.get(battery.setting, battery.setting)),
            "instruments": ", ".join(step.instrument.upper() for step in battery.steps),
        }
        for battery in content.batteries
    ]


def _battery_name(screening: Screening, namer: Namer) -> str:
    try:
        return localized(namer.content.battery(screening.battery_id).name, namer.language)
    except (KeyError, LookupError):
        return screening.battery_id


@role_required(Role.CLINICIAN)
@require_http_methods(["GET"])
def patient_screenings(request: ActorRequest, patient_id: str) -> HttpResponse:
    """The patient's screenings, newest first."""
    access = _open_patient(request, patient_id, "screenings")
    namer = _namer(access.patient.organization_id)
    rows = [
        {
            "screening": screening,
            "battery": _battery_name(screening, namer),
            "status": Screening.Status(
                selectors.current_status(screening, list(screening.steps.all()))
            ).label,
        }
        for screening in selectors.screenings_for(access)
    ]
    return render(
        request, "screening/patient_screenings.html", {"patient": access.patient, "rows": rows}
    )


def _render_assign(
    request: ActorRequest,
    access: PatientAccess,
    form: AssignForm | None = None,
    status: int = 200,
) -> HttpResponse:
    return render(
        request,
        "screening/assign.html",
        {
            "patient": access.patient,
            "batteries": _battery_rows(access.patient.organization_id),
            "errors": form.errors if form is not None else {},
            "chosen": str(form.data.get("battery", "")) if form is not None else "",
        },
        status=status,
    )


@role_required(Role.CLINICIAN)
@require_http_methods(["GET", "POST"])
def assign(request: ActorRequest, patient_id: str) -> HttpResponse:
    """Choose a screening battery (with its setting and description) and assign it."""
    if request.method == "GET":
        return _render_assign(request, _open_patient(request, patient_id, "assign a screening"))
    access = open_patient(
        actor=request.actor,
        patient_id=patient_id,
        action="create",
        audience=Audience.CARE_TEAM,
        object_type=selectors.OBJECT_SCREENING,
    )
    form = AssignForm(request.POST, organization_id=access.patient.organization_id)
    try:
        screening = services.screening_assign(actor=request.actor, access=access, form=form)
    except InputRefused as refusal:
        show_refusal(form, refusal)
        return _render_assign(request, access, form, status=400)
    messages.success(request, _("The screening is assigned."))
    return redirect("screening:detail", screening_id=screening.public_id)


# ------------------------------------------------------------------ detail


def _step_rows(screening: Screening, namer: Namer) -> list[dict[str, Any]]:
    return [
        {
            "step": step,
            "instrument": namer.instrument(step.instrument_code),
            "reason": localized(step.reason, namer.language),
            "done": selectors.step_done(step),
        }
        for step in selectors.steps_of(screening)
    ]


@role_required(Role.CLINICIAN)
@require_http_methods(["GET"])
def detail(request: ActorRequest, screening_id: str) -> HttpResponse:
    """The steps of the battery with their status and reasons, the intake and SCEGS."""
    opened = _read(request, screening_id, selectors.OBJECT_SCREENING)
    screening = opened.object
    namer = _namer(opened.access.patient.organization_id)
    intake = selectors.intake_of(screening)
    return render(
        request,
        "screening/detail.html",
        {
            "patient": opened.access.patient,
            "screening": screening,
            "battery": _battery_name(screening, namer),
            "status": Screening.Status(selectors.current_status(screening)).label,
            "steps": _step_rows(screening, namer),
            "intake": intake,
            "complaints": [namer.complaint(c) for c in (intake.complaints if intake else [])],
            "assessment": selectors.assessment_of(screening),
            "snapshot": selectors.latest_snapshot(screening),
        },
    )


# ------------------------------------------------------------------ intake


def _intake_from(intake: ScreeningIntake | None) -> IntakeInput:
    if intake is None:
        return IntakeInput()
    return IntakeInput(
        complaints=tuple(intake.complaints),
        own_words=intake.own_words,
        first_problem=intake.first_problem,
        wants_help_now=intake.wants_help_now,
        modality=intake.modality,
    )


def _render_intake(
    request: ActorRequest,
    opened: ScreeningAccess,
    values: IntakeInput,
    errors: Mapping[str, list[str]] | None = None,
    status: int = 200,
) -> HttpResponse:
    screening = opened.object
    namer = _namer(opened.access.patient.organization_id)
    content = namer.content
    intake = selectors.intake_of(screening)
    found = errors or {}
    steps = [
        row
        for row in _step_rows(screening, namer)
        if row["step"].status == "assigned" and row["step"].assignment is not None
    ]
    return render(
        request,
        "screening/intake.html",
        {
            "patient": opened.access.patient,
            "screening": screening,
            "clinician": not opened.by_patient,
            "submitted": intake is not None and intake.submitted_at is not None,
            "intake": intake,
            "complaints": [
                {
                    "id": complaint.id,
                    "name": localized(complaint.patient_name, namer.language),
                    "checked": complaint.id in values.complaints,
                }
                for complaint in content.complaints
            ],
            "values": values,
            "help_choices": [
                (value, label, value == values.wants_help_now)
                for value, label in ScreeningIntake.HelpWanted.choices
            ],
            "modality_choices": [
                (value, label, value == values.modality)
                for value, label in ScreeningIntake.Modality.choices
            ],
            "errors": found,
            "steps": steps,
            "has_profile": selectors.latest_snapshot(screening) is not None,
        },
        status=status,
    )


@login_required
@require_http_methods(["GET", "POST"])
def intake(request: ActorRequest, screening_id: str) -> HttpResponse:
    """The patient's intake: complaints, own words and priorities; saved as they go."""
    if request.method == "GET":
        opened = _read(request, screening_id, selectors.OBJECT_INTAKE, audience=Audience.RECORD)
        return _render_intake(request, opened, _intake_from(selectors.intake_of(opened.object)))
    opened = _screening(
        request, screening_id, "update", selectors.OBJECT_INTAKE, audience=Audience.RECORD
    )
    form = IntakeForm(request.POST, content=content_of(opened.access.patient.organization_id))
    submit = request.POST.get("action") == "submit"
    autosave = request.headers.get("HX-Request") == "true" and not submit
    try:
        services.intake_save(actor=request.actor, opened=opened, form=form, submit=submit)
    except InputRefused as refusal:
        show_refusal(form, refusal)
        if autosave:
            # htmx swaps only successful responses; the message itself says nothing was saved.
            return render(
                request, "screening/_save_status.html", {"saved": False, "errors": refusal.errors}
            )
        return _render_intake(request, opened, form.as_typed(), refusal.errors, status=400)
    if autosave:
        return render(request, "screening/_save_status.html", {"saved": True, "at": timezone.now()})
    if submit:
        messages.success(request, _("Thank you. Your answers are sent in."))
    else:
        messages.success(request, _("Your answers are saved."))
    return redirect("screening:intake", screening_id=opened.object.public_id)


# ------------------------------------------------------------------ SCEGS


def _scegs_from(assessment: ScegsAssessment | None) -> ScegsInput:
    if assessment is None:
        return ScegsInput(judged_factors={})
    return ScegsInput(
        conditions=tuple(assessment.conditions),
        symptom_clusters=tuple(assessment.symptom_clusters),
        duration_weeks="" if assessment.duration_weeks is None else str(assessment.duration_weeks),
        functional_limitation=assessment.functional_limitation,
        earlier_treatment=assessment.earlier_treatment,
        comorbidity=tuple(assessment.comorbidity),
        medication=tuple(assessment.medication),
        judged_factors={
            factor_id: "present" if present else "absent"
            for factor_id, present in assessment.judged_factors.items()
        },
        low_literacy=assessment.low_literacy,
        migration_background=assessment.migration_background,
        parent_involved=assessment.parent_involved,
        notes=assessment.notes,
    )


def _options(items: Any, chosen: Any, language: str) -> list[dict[str, Any]]:
    return [
        {"id": item.id, "name": localized(item.name, language), "checked": item.id in chosen}
        for item in items
    ]


def _render_scegs(
    request: ActorRequest,
    opened: ScreeningAccess,
    values: ScegsInput,
    errors: Mapping[str, list[str]] | None = None,
    status: int = 200,
) -> HttpResponse:
    namer = _namer(opened.access.patient.organization_id)
    knowledge, content, language = namer.knowledge, namer.content, namer.language
    found = errors or {}
    judged = values.judged_factors or {}
    factor_rows = []
    for factor_id in judgeable_factor_ids(knowledge):
        factor = knowledge.factor(factor_id)
        measure = judgement_measure(factor)
        guidance = localized(measure.guidance, language) if measure is not None else ""
        current = judged.get(factor_id) or "not_assessed"
        factor_rows.append(
            {
                "id": factor_id,
                "name": localized(factor.name, language),
                "kind": factor.kind,
                "description": localized(factor.clinician_description, language),
                "guidance": guidance,
                "choices": [
                    ("present", _("present"), current == "present"),
                    ("absent", _("absent"), current == "absent"),
                    ("not_assessed", _("not assessed"), current == "not_assessed"),
                ],
                "error": " ".join(found.get(f"factor-{factor_id}", [])),
            }
        )
    return render(
        request,
        "screening/scegs.html",
        {
            "patient": opened.access.patient,
            "screening": opened.object,
            "values": values,
            "conditions": _options(knowledge.conditions.conditions, values.conditions, language),
            "clusters": _options(content.clusters, values.symptom_clusters, language),
            "comorbidities": _options(content.rules.comorbidities, values.comorbidity, language),
            "medication": _options(knowledge.medication.medication, values.medication, language),
            "limitations": [
                (value, label, value == values.functional_limitation)
                for value, label in ScegsAssessment.Limitation.choices
            ],
            "earlier_treatment": earlier_treatment_field(),
            "earlier_treatments": [
                (value, label, value == values.earlier_treatment)
                for value, label in EARLIER_TREATMENT_CHOICES
            ],
            "factors": factor_rows,
            "errors": found,
        },
        status=status,
    )


@role_required(Role.CLINICIAN)
@require_http_methods(["GET", "POST"])
def scegs(request: ActorRequest, screening_id: str) -> HttpResponse:
    """The clinician's SCEGS exploration."""
    if request.method == "GET":
        opened = _read(request, screening_id, selectors.OBJECT_ASSESSMENT)
        return _render_scegs(request, opened, _scegs_from(selectors.assessment_of(opened.object)))
    opened = _screening(request, screening_id, "update", selectors.OBJECT_ASSESSMENT)
    organization_id = opened.access.patient.organization_id
    form = ScegsForm(
        request.POST, knowledge=knowledge_of(organization_id), content=content_of(organization_id)
    )
    try:
        services.scegs_save(actor=request.actor, opened=opened, form=form)
    except InputRefused as refusal:
        show_refusal(form, refusal)
        return _render_scegs(request, opened, form.as_typed(), refusal.errors, status=400)
    messages.success(request, _("The SCEGS exploration is saved."))
    return redirect("screening:detail", screening_id=opened.object.public_id)


# ------------------------------------------------------------------ profile


def _referral_url(patient_id: str) -> str | None:
    try:
        return reverse("providers:referral_create", kwargs={"patient_id": patient_id})
    except NoReverseMatch:
        return None


def _decision_rows(screening: Screening, namer: Namer) -> list[dict[str, Any]]:
    return [
        {
            "decision": decision,
            "advised": namer.care_level(decision.advised_level),
            "decided": namer.care_level(decision.decided_level),
        }
        for decision in selectors.decisions_of(screening)
    ]


def _profile_context(opened: ScreeningAccess, namer: Namer) -> dict[str, Any]:
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
    if snapshot is not None:
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
    try:
        services.care_level_decide(actor=request.actor, opened=opened, form=form)
    except InputRefused as refusal:
        show_refusal(form, refusal)
        return _render_profile(request, opened, refusal.errors, form.posted(), status=400)
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


# ------------------------------------------------------------------ patient summary


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

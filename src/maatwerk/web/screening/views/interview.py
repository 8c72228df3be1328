"""The intake and the SCEGS interview of a screening."""

from __future__ import annotations

from collections.abc import Collection, Iterable, Mapping
from typing import Protocol, TypedDict

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from maatwerk.core.access import Role
from maatwerk.core.instruments.text import LocalizedText
from maatwerk.core.screening.judgement import judgeable_factor_ids, judgement_measure
from maatwerk.web.audit.audited import Refused, attempt
from maatwerk.web.common.decorators import role_required
from maatwerk.web.common.http import ActorRequest
from maatwerk.web.patients.opening import (
    Audience,
)
from maatwerk.web.screening import selectors, services
from maatwerk.web.screening.forms import (
    EARLIER_TREATMENT_CHOICES,
    IntakeForm,
    IntakeInput,
    ScegsForm,
    ScegsInput,
    earlier_treatment_field,
)
from maatwerk.web.screening.models import ScegsAssessment, ScreeningIntake
from maatwerk.web.screening.presenters import localized
from maatwerk.web.screening.selectors import ScreeningAccess
from maatwerk.web.screening.sources import content_of, knowledge_of
from maatwerk.web.screening.views.common import _namer, _read, _screening
from maatwerk.web.screening.views.screenings import _step_rows


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
        for row in _step_rows(screening, namer, for_patient=opened.by_patient)
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
    submit = form.submits()
    autosave = request.headers.get("HX-Request") == "true" and not submit
    saved = attempt(
        form,
        lambda: services.intake_save(actor=request.actor, opened=opened, form=form, submit=submit),
    )
    if isinstance(saved, Refused):
        if autosave:
            # htmx swaps only successful responses; the message itself says nothing was saved.
            return render(
                request, "screening/_save_status.html", {"saved": False, "errors": saved.errors}
            )
        return _render_intake(request, opened, form.as_typed(), saved.errors, status=saved.status)
    if autosave:
        return render(request, "screening/_save_status.html", {"saved": True, "at": timezone.now()})
    if submit:
        messages.success(request, _("Thank you. Your answers are sent in."))
    else:
        messages.success(request, _("Your answers are saved."))
    return redirect("screening:intake", screening_id=opened.object.public_id)


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


class Choosable(Protocol):
    """An item of the knowledge or content to tick: a condition, a cluster, a drug."""

    @property
    def id(self) -> str: ...

    @property
    def name(self) -> LocalizedText: ...


class Option(TypedDict):
    id: str
    name: str
    checked: bool


def _options(items: Iterable[Choosable], chosen: Collection[str], language: str) -> list[Option]:
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
    saved = attempt(
        form, lambda: services.scegs_save(actor=request.actor, opened=opened, form=form)
    )
    if isinstance(saved, Refused):
        return _render_scegs(request, opened, form.as_typed(), saved.errors, status=saved.status)
    messages.success(request, _("The SCEGS exploration is saved."))
    return redirect("screening:detail", screening_id=opened.object.public_id)

"""Personalized outcome measures: thin views over selectors and services."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import get_language, gettext_lazy
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from maatwerk.core.access import AccessBasis, Role
from maatwerk.core.instruments.personalized import GAS_MAX_GOALS, METADATA, PSK_MAX_ACTIVITIES
from maatwerk.core.instruments.personalized import TOP_PROBLEMS_MAX as TOP_MAX
from maatwerk.web.audit.services import audit_record
from maatwerk.web.common.decorators import role_required
from maatwerk.web.common.http import ActorRequest
from maatwerk.web.patients.opening import open_child
from maatwerk.web.patients.selectors import (
    PatientAccess,
    PatientNotAccessible,
    patient_access,
    patient_open,
    patient_subject,
)
from maatwerk.web.personalized import selectors, services
from maatwerk.web.personalized.models import MeasureSet
from maatwerk.web.personalized.results import previous_of, set_table

Kind = MeasureSet.Kind
GAS_LEVELS = (
    ("-2", gettext_lazy("−2: much less than expected")),
    ("-1", gettext_lazy("−1: less than expected")),
    ("1", gettext_lazy("+1: more than expected")),
    ("2", gettext_lazy("+2: much more than expected")),
)


def _language() -> str:
    return "en" if get_language() == "en" else "nl"


def _is_clinician(access: PatientAccess) -> bool:
    return access.basis is not AccessBasis.OWN_RECORD


def _access(request: ActorRequest, patient_id: str, action: str) -> PatientAccess:
    try:
        return patient_access(
            actor=request.actor,
            patient_id=patient_id,
            action=action,
            object_type=selectors.OBJECT_SET,
        )
    except PatientNotAccessible:
        raise Http404 from None


def _open(request: ActorRequest, patient_id: str, object_type: str, detail: str) -> PatientAccess:
    try:
        return patient_open(
            actor=request.actor, patient_id=patient_id, object_type=object_type, detail=detail
        )
    except PatientNotAccessible:
        raise Http404 from None


def _errors(error: ValidationError) -> dict[str, list[str]]:
    return error.message_dict if hasattr(error, "error_dict") else {"__all__": error.messages}


# ------------------------------------------------------------------ overview


@login_required
@require_http_methods(["GET"])
def overview(request: ActorRequest, patient_id: str) -> HttpResponse:
    """The patient's personal measures: what to fill in, and (clinician) what to set up."""
    access = _open(request, patient_id, selectors.OBJECT_SET, "personal measures")
    active = selectors.active_sets_for(access)
    language = _language()
    cards = [
        {
            "kind": kind,
            "name": METADATA[kind]["name_en" if language == "en" else "name_nl"],
            "measure_set": active.get(kind),
        }
        for kind in (Kind.PSK, Kind.TOP_PROBLEMS, Kind.GAS)
    ]
    return render(
        request,
        "personalized/overview.html",
        {
            "patient": access.patient,
            "access": access,
            "cards": cards,
            "clinician": _is_clinician(access),
        },
    )


# ------------------------------------------------------------------ PSK


@role_required(Role.CLINICIAN)
@require_http_methods(["GET", "POST"])
def psk_create(request: ActorRequest, patient_id: str) -> HttpResponse:
    if request.method == "GET":
        access = _open(request, patient_id, selectors.OBJECT_SET, "new psk activities")
        names = [""] * PSK_MAX_ACTIVITIES
        return _render_psk(request, access, names)
    access = _access(request, patient_id, "create")
    names = [request.POST.get(f"activity-{n}", "")[:1000] for n in range(PSK_MAX_ACTIVITIES)]
    try:
        measure_set = services.psk_set_create(actor=request.actor, access=access, names=names)
    except PermissionDenied:
        raise Http404 from None
    except ValidationError as error:
        return _render_psk(request, access, names, _errors(error), status=400)
    messages.success(request, _("The activities are saved. Now rate them together."))
    return redirect("personalized:rate", set_id=measure_set.public_id)


def _render_psk(
    request: ActorRequest,
    access: PatientAccess,
    names: list[str],
    errors: dict[str, list[str]] | None = None,
    status: int = 200,
) -> HttpResponse:
    return render(
        request,
        "personalized/psk_create.html",
        {
            "patient": access.patient,
            "rows": [{"index": n, "name": name} for n, name in enumerate(names)],
            "errors": errors or {},
            "replaces": selectors.active_sets_for(access).get(Kind.PSK),
        },
        status=status,
    )


# ------------------------------------------------------------------ top problems


@login_required
@require_http_methods(["GET", "POST"])
def top_problems_create(request: ActorRequest, patient_id: str) -> HttpResponse:
    if request.method == "GET":
        access = _open(request, patient_id, selectors.OBJECT_SET, "new top problems")
        return _render_top(request, access, [("", "")] * TOP_MAX)
    access = _access(request, patient_id, "create")
    problems = [
        (
            request.POST.get(f"problem-name-{n}", "")[:1000],
            request.POST.get(f"problem-rating-{n}", "")[:20],
        )
        for n in range(TOP_MAX)
    ]
    try:
        measure_set = services.top_problems_create(
            actor=request.actor, access=access, problems=problems
        )
    except ValidationError as error:
        return _render_top(request, access, problems, _errors(error), status=400)
    messages.success(request, _("Your problems and scores are saved."))
    return redirect("personalized:overview", patient_id=measure_set.patient.public_id)


def _render_top(
    request: ActorRequest,
    access: PatientAccess,
    problems: list[tuple[str, str]],
    errors: dict[str, list[str]] | None = None,
    status: int = 200,
) -> HttpResponse:
    found = errors or {}
    return render(
        request,
        "personalized/top_problems_create.html",
        {
            "patient": access.patient,
            "clinician": _is_clinician(access),
            "rows": [
                {
                    "index": n,
                    "name": name,
                    "choices": [(str(v), str(v) == rating.strip()) for v in range(11)],
                    "error": " ".join(found.get(f"problem-{n}", [])),
                }
                for n, (name, rating) in enumerate(problems)
            ],
            "errors": found,
            "replaces": selectors.active_sets_for(access).get(Kind.TOP_PROBLEMS),
        },
        status=status,
    )


# ------------------------------------------------------------------ GAS


@dataclass
class _GoalRow:
    index: int
    goal: services.GoalInput
    error: str = ""
    levels: list[tuple[str, str, str]] = field(default_factory=list)


def _goal_rows(
    goals: list[services.GoalInput], errors: dict[str, list[str]] | None = None
) -> list[_GoalRow]:
    return [
        _GoalRow(
            index=n,
            goal=goal,
            error=" ".join((errors or {}).get(f"goal-{n}", [])),
            levels=[(key, str(label), goal.levels.get(key, "")) for key, label in GAS_LEVELS],
        )
        for n, goal in enumerate(goals)
    ]


@role_required(Role.CLINICIAN)
@require_http_methods(["GET", "POST"])
def gas_create(request: ActorRequest, patient_id: str) -> HttpResponse:
    if request.method == "GET":
        access = _open(request, patient_id, selectors.OBJECT_SET, "new gas goals")
        blank = [services.GoalInput(name="", weight="1") for _n in range(GAS_MAX_GOALS)]
        return _render_gas(request, access, blank, "")
    access = _access(request, patient_id, "create")
    post = request.POST
    goals = [
        services.GoalInput(
            name=post.get(f"goal-{n}-name", "")[:1000],
            weight=post.get(f"goal-{n}-weight", "")[:20],
            expected_outcome=post.get(f"goal-{n}-expected", "")[:2000],
            levels={key: post.get(f"goal-{n}-level{key}", "")[:2000] for key, _l in GAS_LEVELS},
            baseline=post.get(f"goal-{n}-baseline", "")[:5],
        )
        for n in range(GAS_MAX_GOALS)
    ]
    raw_date = post.get("measured_on", "")[:20]
    try:
        measure_set = services.gas_set_create(
            actor=request.actor, access=access, goals=goals, measured_on=raw_date
        )
    except PermissionDenied:
        raise Http404 from None
    except ValidationError as error:
        return _render_gas(request, access, goals, raw_date, _errors(error), status=400)
    messages.success(request, _("The goals and their starting levels are saved."))
    return redirect("personalized:overview", patient_id=measure_set.patient.public_id)


def _render_gas(
    request: ActorRequest,
    access: PatientAccess,
    goals: list[services.GoalInput],
    raw_date: str,
    errors: dict[str, list[str]] | None = None,
    status: int = 200,
) -> HttpResponse:
    return render(
        request,
        "personalized/gas_create.html",
        {
            "patient": access.patient,
            "rows": _goal_rows(goals, errors),
            "measured_on": raw_date,
            "errors": errors or {},
            "replaces": selectors.active_sets_for(access).get(Kind.GAS),
            "metadata": METADATA["gas"],
        },
        status=status,
    )


# ------------------------------------------------------------------ rating


def _open_set(request: ActorRequest, set_id: str, action: str) -> selectors.MeasureSetAccess:
    """The measure set through the opener. Attained GAS levels are scored by the
    clinician, not by the patient: a GAS set is opened for the care team only (a
    patient asking is refused and audited by the opener)."""
    opened = open_child(
        actor=request.actor,
        model=MeasureSet,
        object_id=set_id,
        action=action,
        object_type=selectors.OBJECT_SET,
        audience=selectors.set_audience(set_id),
    )
    return selectors.MeasureSetAccess(measure_set=opened.object, access=opened.access)


@login_required
@require_http_methods(["GET", "POST"])
def rate(request: ActorRequest, set_id: str) -> HttpResponse:
    """Rate every item of a measure set, seeing the previous scores."""
    if request.method == "GET":
        opened = _open_set(request, set_id, "read")
        audit_record(
            actor=request.actor,
            action="read",
            subject=patient_subject(
                opened.access.patient,
                object_type=selectors.OBJECT_SET,
                object_ref=str(opened.measure_set.public_id),
            ),
            emergency=opened.access.emergency,
        )
        return _render_rate(request, opened, {}, "")
    opened = _open_set(request, set_id, "create")
    posted = {
        key.removeprefix("item-"): str(request.POST.get(key, ""))[:20]
        for key in request.POST
        if key.startswith("item-")
    }
    raw_date = request.POST.get("measured_on", "")[:20] if not opened.by_patient else ""
    try:
        services.measurement_create(
            actor=request.actor,
            opened=opened,
            raw_values=posted,
            measured_on=raw_date,
        )
    except PermissionDenied:
        raise Http404 from None
    except ValidationError as error:
        return _render_rate(request, opened, posted, raw_date, _errors(error), status=400)
    if opened.by_patient:
        messages.success(request, _("Thank you. Your scores are saved."))
    else:
        messages.success(request, _("The scores are saved."))
    return redirect("personalized:overview", patient_id=opened.access.patient.public_id)


def _render_rate(
    request: ActorRequest,
    opened: selectors.MeasureSetAccess,
    posted: dict[str, str],
    raw_date: str,
    errors: dict[str, list[str]] | None = None,
    status: int = 200,
) -> HttpResponse:
    measure_set = opened.measure_set
    previous = previous_of(selectors.measurements_of(measure_set))
    found = errors or {}
    gas = measure_set.kind == Kind.GAS
    items: list[dict[str, Any]] = []
    for item in measure_set.items.all():
        key = str(item.public_id)
        current = posted.get(key, "").strip()
        if gas:
            descriptions = {"0": item.expected_outcome, **item.level_descriptions}
            choices = [
                (str(level), f"{level:+d}" if level else "0", descriptions.get(str(level), ""))
                for level in (-2, -1, 0, 1, 2)
            ]
        else:
            choices = [(str(v), str(v), "") for v in range(11)]
        items.append(
            {
                "item": item,
                "key": key,
                "choices": [(v, label, text, v == current) for v, label, text in choices],
                "previous": previous.values.get(key) if previous else None,
                "error": " ".join(found.get(key, [])),
            }
        )
    language = _language()
    metadata = METADATA[measure_set.kind]
    return render(
        request,
        "personalized/rate.html",
        {
            "patient": opened.access.patient,
            "measure_set": measure_set,
            "name": metadata["name_en" if language == "en" else "name_nl"],
            "items": items,
            "previous": previous,
            "errors": found,
            "non_field": found.get("__all__", []) + found.get("measured_on", []),
            "clinician": not opened.by_patient,
            "gas": gas,
            "measured_on": raw_date,
        },
        status=status,
    )


# ------------------------------------------------------------------ results


@role_required(Role.CLINICIAN)
@require_http_methods(["GET"])
def results(request: ActorRequest, patient_id: str) -> HttpResponse:
    """Per measure a table: values, score and change since the first measurement."""
    access = _open(request, patient_id, selectors.OBJECT_RESULTS, "personal measures")
    language = _language()
    tables = [
        set_table(measure_set, selectors.measurements_of(measure_set), language=language)
        for measure_set in selectors.sets_for(access)
    ]
    return render(
        request,
        "personalized/results.html",
        {"patient": access.patient, "access": access, "tables": tables},
    )

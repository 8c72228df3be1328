"""View helpers shared by the formulation views: opening, the steps bar, the step page."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import TypedDict

from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import NoReverseMatch, reverse
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from maatwerk.core.formulation import Formulation as CoreFormulation
from maatwerk.core.instruments.base import Language
from maatwerk.web.audit.audited import InputRefused
from maatwerk.web.common.http import ActorRequest
from maatwerk.web.formulation import presenters, selectors, services
from maatwerk.web.formulation.editing import Step
from maatwerk.web.formulation.forms import StepRows, StepSubmit, step_rows
from maatwerk.web.formulation.models import Formulation, FormulationVersion
from maatwerk.web.formulation.selectors import OBJECT_FORMULATION, FormulationAccess
from maatwerk.web.knowledge.selectors import knowledge_for
from maatwerk.web.patients.models import Patient
from maatwerk.web.patients.opening import Audience, PatientAccess, open_child

Errors = Mapping[str, list[str]]


def _ui_language() -> Language:
    return "en" if get_language() == "en" else "nl"


def _opened(
    request: ActorRequest,
    formulation_id: str,
    action: str,
    audience: Audience = Audience.CARE_TEAM,
) -> FormulationAccess:
    return open_child(
        actor=request.actor,
        model=Formulation,
        object_id=formulation_id,
        action=action,
        object_type=OBJECT_FORMULATION,
        audience=audience,
    )


def _read(
    request: ActorRequest,
    formulation_id: str,
    detail: str,
    audience: Audience = Audience.CARE_TEAM,
) -> FormulationAccess:
    """Open a formulation for reading; the read is one audit event."""
    opened = _opened(request, formulation_id, "read", audience)
    services.formulation_read(actor=request.actor, opened=opened, detail=detail)
    return opened


def plan_url(patient_public_id: str) -> str | None:
    """Step 4 links to the plan, which another app builds; only when it exists."""
    try:
        return reverse("planning:plan", kwargs={"patient_id": patient_public_id})
    except NoReverseMatch:
        return None


STEPS = (
    (1, "complaints"),
    (2, "consequences"),
    (3, "goals"),
    (4, "plan"),
)


class StepLink(TypedDict):
    number: int
    name: str
    url: str
    current: bool


def _steps(opened: FormulationAccess, current: str) -> list[StepLink]:
    names = {
        "complaints": _("Complaints"),
        "consequences": _("Consequences"),
        "goals": _("Goals"),
        "plan": _("Plan"),
    }
    return [
        {
            "number": number,
            "name": names[name],
            "url": reverse(f"formulation:{name}", args=[opened.object.public_id]),
            "current": name == current,
        }
        for number, name in STEPS
    ]


class BaseContext(TypedDict):
    """What every page of the formulation shows: the steps bar and the current version."""

    formulation: Formulation
    patient: Patient
    access: PatientAccess
    version: FormulationVersion
    document: CoreFormulation
    steps: list[StepLink]
    step: str


def _base_context(opened: FormulationAccess, step: str) -> BaseContext:
    version = selectors.current_version(opened.object)
    return {
        "formulation": opened.object,
        "patient": opened.access.patient,
        "access": opened.access,
        "version": version,
        "document": selectors.document_of(version),
        "steps": _steps(opened, step),
        "step": step,
    }


# ------------------------------------------------------------------ a step's rows


@dataclass(frozen=True)
class RowField:
    """One field of a row as the page shows it."""

    name: str  # the HTML name, e.g. ``complaint-0-text``
    value: object  # what was typed, or what is stored ("" for nothing)
    errors: list[str]


@dataclass(frozen=True)
class RowView:
    id: str  # the entry's id; "" on the row that adds one
    fields: dict[str, RowField]  # by the row form's field name
    hints: list[str]  # what to check in this entry (the goals)


@dataclass(frozen=True)
class RowsView:
    """The rows of one formset, for the template: ``prefix`` names the management
    fields (``complaint-TOTAL_FORMS``)."""

    prefix: str
    rows: list[RowView]

    @property
    def total(self) -> int:
        return len(self.rows)


def row_views(
    formset: StepRows, errors: Errors, hints: Mapping[str, list[str]] | None = None
) -> RowsView:
    """The rows as posted (with their errors) or as stored, each field with its HTML name,
    its value and its errors, whatever the step."""
    rows = []
    for form in formset.forms:
        fields = {}
        for name in form.fields:
            bound = form[name]
            value = bound.value()
            fields[name] = RowField(
                bound.html_name, "" if value is None else value, errors.get(bound.html_name, [])
            )
        entry_id = str(fields["id"].value)
        rows.append(RowView(entry_id, fields, (hints or {}).get(entry_id, [])))
    return RowsView(str(formset.prefix), rows)


Extras = Callable[[FormulationAccess, CoreFormulation], Mapping[str, object]]
Hints = Callable[[CoreFormulation], Mapping[str, list[str]]]


def _step_view(
    request: ActorRequest,
    formulation_id: str,
    step: Step,
    extras: Extras | None = None,
    hints: Hints | None = None,
) -> HttpResponse:
    """A step's page: its rows as stored (GET), or saved as a new version (POST) and shown
    again, as typed and with the errors, when anything is refused. Each formset's rows
    are in the context under its prefix (``complaint``, ``analysis``, …), with what
    ``extras`` adds (the choices of its selects)."""

    def render_step(
        opened: FormulationAccess, formsets: tuple[StepRows, ...], errors: Errors, status: int
    ) -> HttpResponse:
        base = _base_context(opened, step.name)
        document = base["document"]
        notes = hints(document) if hints is not None else {}
        rows = {str(f.prefix): row_views(f, errors, notes) for f in formsets}
        added = extras(opened, document) if extras is not None else {}
        context = {**base, **added, **rows, "errors": errors}
        return render(request, f"formulation/{step.name}.html", context, status=status)

    if request.method == "GET":
        opened = _read(request, formulation_id, f"formulation step {step.name}")
        document = selectors.document_of(selectors.current_version(opened.object))
        return render_step(opened, tuple(step_rows(f, None, document) for f in step.forms), {}, 200)
    opened = _opened(request, formulation_id, "update")
    posted = tuple(step_rows(f, request.POST) for f in step.forms)
    try:
        services.step_save(actor=request.actor, opened=opened, step=step, posted=posted)
    except InputRefused as refusal:
        return render_step(opened, posted, refusal.errors, 400)
    messages.success(request, _("Saved as a new version."))
    target = step.name if StepSubmit(request.POST).stays() else step.next_step
    return redirect(f"formulation:{target}", formulation_id=opened.object.public_id)


def _factor_choices(opened: FormulationAccess) -> list[tuple[str, str]]:
    names = presenters.factor_names(
        knowledge_for(opened.access.patient.organization_id), _ui_language()
    )
    return sorted(names.items(), key=lambda item: item[1].casefold())

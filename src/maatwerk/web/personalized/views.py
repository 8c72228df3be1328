"""Personalized outcome measures: thin views. Each binds its form, opens the record (or
the measure set) through the opener, calls one service and renders; a refusal shows the
page again with the errors on their fields (status 400)."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import TYPE_CHECKING, TypeVar

from django import forms as django_forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse, QueryDict
from django.shortcuts import redirect, render
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from maatwerk.core.access import Role
from maatwerk.web.audit.audited import InputRefused, Refused, attempt
from maatwerk.web.common.decorators import role_required
from maatwerk.web.common.http import ActorRequest
from maatwerk.web.patients.opening import Audience, PatientAccess, open_child, open_patient
from maatwerk.web.personalized import forms, presenters, selectors, services
from maatwerk.web.personalized.models import MeasureSet
from maatwerk.web.personalized.presenters import Language, context

if TYPE_CHECKING:
    from _typeshed import DataclassInstance

F = TypeVar("F", bound=django_forms.Form)


def _language() -> Language:
    return "en" if get_language() == "en" else "nl"


def _open(
    request: ActorRequest,
    patient_id: str,
    action: str,
    *,
    audience: Audience = Audience.RECORD,
    object_type: str = selectors.OBJECT_SET,
) -> PatientAccess:
    return open_patient(
        actor=request.actor,
        patient_id=patient_id,
        action=action,
        audience=audience,
        object_type=object_type,
    )


def _open_set(request: ActorRequest, set_id: str, action: str) -> selectors.OpenedSet:
    """The measure set through the opener. Attained GAS levels are scored by the
    clinician, not by the patient: a GAS set is opened for the care team only (a
    patient asking is refused and audited by the opener)."""
    return open_child(
        actor=request.actor,
        model=MeasureSet,
        object_id=set_id,
        action=action,
        object_type=selectors.OBJECT_SET,
        audience=selectors.set_audience,
    )


def _overview(request: ActorRequest, patient_id: object, message: str) -> HttpResponse:
    messages.success(request, message)
    return redirect("personalized:overview", patient_id=patient_id)


@login_required
@require_http_methods(["GET"])
def overview(request: ActorRequest, patient_id: str) -> HttpResponse:
    """The patient's personal measures: what to fill in, and (clinician) what to set up."""
    access = _open(request, patient_id, "read")
    page = services.overview_read(actor=request.actor, access=access, language=_language())
    return render(request, "personalized/overview.html", context(page))


def _set_up(
    request: ActorRequest,
    patient_id: str,
    *,
    template: str,
    audience: Audience,
    read: Callable[..., DataclassInstance],
    form_class: Callable[[QueryDict], F],
    create: Callable[..., MeasureSet],
    page: Callable[[PatientAccess, F, Mapping[str, list[str]]], DataclassInstance],
) -> HttpResponse | MeasureSet:
    """Setting up a measure: the empty form (one audited read), or the posted form bound
    and handed to one service; the new set, or the form again with its errors (400)."""
    if request.method == "GET":
        access = _open(request, patient_id, "read", audience=audience)
        return render(request, template, context(read(actor=request.actor, access=access)))
    form = form_class(request.POST)
    access = _open(request, patient_id, "create", audience=audience)
    done: MeasureSet | Refused = attempt(
        form, lambda: create(actor=request.actor, access=access, form=form)
    )
    if isinstance(done, Refused):
        shown = context(page(access, form, done.errors))
        return render(request, template, shown, status=done.status)
    return done


@role_required(Role.CLINICIAN)
@require_http_methods(["GET", "POST"])
def psk_create(request: ActorRequest, patient_id: str) -> HttpResponse:
    """Choose the PSK activities with the patient."""
    done = _set_up(
        request,
        patient_id,
        template="personalized/psk_create.html",
        audience=Audience.CARE_TEAM,
        read=services.psk_form_read,
        form_class=forms.PskForm,
        create=services.psk_create,
        page=presenters.psk_page,
    )
    if isinstance(done, HttpResponse):
        return done
    messages.success(request, _("The activities are saved. Now rate them together."))
    return redirect("personalized:rate", set_id=done.public_id)


@login_required
@require_http_methods(["GET", "POST"])
def top_problems_create(request: ActorRequest, patient_id: str) -> HttpResponse:
    """The patient names their top problems and rates each (or the clinician with them)."""
    done = _set_up(
        request,
        patient_id,
        template="personalized/top_problems_create.html",
        audience=Audience.RECORD,
        read=services.top_problems_form_read,
        form_class=forms.TopProblemsForm,
        create=services.top_problems_create,
        page=presenters.top_problems_page,
    )
    if isinstance(done, HttpResponse):
        return done
    return _overview(request, done.patient.public_id, _("Your problems and scores are saved."))


def _gas_page(
    access: PatientAccess, form: forms.GasForm, errors: Mapping[str, list[str]]
) -> presenters.GasPage:
    return presenters.gas_page(access, form, errors)


@role_required(Role.CLINICIAN)
@require_http_methods(["GET", "POST"])
def gas_create(request: ActorRequest, patient_id: str) -> HttpResponse:
    """Set GAS goals with the patient, each with its chosen starting level."""
    done = _set_up(
        request,
        patient_id,
        template="personalized/gas_create.html",
        audience=Audience.CARE_TEAM,
        read=services.gas_form_read,
        form_class=forms.GasForm,
        create=services.gas_create,
        page=_gas_page,
    )
    if isinstance(done, HttpResponse):
        return done
    message = _("The goals and their starting levels are saved.")
    return _overview(request, done.patient.public_id, message)


@login_required
@require_http_methods(["GET", "POST"])
def rate(request: ActorRequest, set_id: str) -> HttpResponse:
    """Rate every item of a measure set, seeing the previous scores."""
    template = "personalized/rate.html"
    if request.method == "GET":
        opened = _open_set(request, set_id, "read")
        page = services.rate_read(actor=request.actor, opened=opened, language=_language())
        return render(request, template, context(page))
    opened = _open_set(request, set_id, "create")
    form = forms.RateForm(request.POST, opened=opened)
    patient_id = opened.access.patient.public_id
    try:
        services.measurement_create(actor=request.actor, opened=opened, form=form)
    except InputRefused as refusal:
        page = presenters.rate_page(opened, form, _language(), refusal.errors)
        return render(request, template, context(page), status=400)
    if opened.by_patient:
        return _overview(request, patient_id, _("Thank you. Your scores are saved."))
    return _overview(request, patient_id, _("The scores are saved."))


@role_required(Role.CLINICIAN)
@require_http_methods(["GET"])
def results(request: ActorRequest, patient_id: str) -> HttpResponse:
    """Per measure a table: values, score and change since the first measurement."""
    access = _open(
        request,
        patient_id,
        "read",
        audience=Audience.CARE_TEAM,
        object_type=selectors.OBJECT_RESULTS,
    )
    page = services.results_read(actor=request.actor, access=access, language=_language())
    return render(request, "personalized/results.html", context(page))

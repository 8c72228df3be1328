"""Helpers shared by the treatment services: the catalogue, the language and the
clinician's membership that a new assignment is recorded under."""

from __future__ import annotations

from django import forms
from django.utils.translation import get_language

from maatwerk.core.access import Role
from maatwerk.core.modules.model import Module, ModuleCatalogue
from maatwerk.core.modules.registry import bundled_catalogue
from maatwerk.web.audit.audited import valid_form
from maatwerk.web.common.actor import Actor
from maatwerk.web.organizations.models import Membership
from maatwerk.web.patients.opening import NotForThisRole, PatientAccess
from maatwerk.web.treatment.models import ModuleAssignment


def catalogue() -> ModuleCatalogue:
    return bundled_catalogue()


def module_of(assignment: ModuleAssignment) -> Module:
    """The module as in the catalogue. The assignment keeps the version it was given
    with; the catalogue holds one version of each module."""
    return catalogue().module(assignment.module_id)


def language() -> str:
    return "en" if (get_language() or "nl").startswith("en") else "nl"


def membership_in_care(actor: Actor, access: PatientAccess) -> Membership:
    """The clinician membership (in the patient's organization) an assignment is made
    under. The opener let only the care team in; a caller that passes a patient's own
    access is a programming error, refused as not for this role."""
    memberships = [
        m
        for m in actor.memberships_with(Role.CLINICIAN)
        if m.organization_id == access.patient.organization_id
    ]
    if access.by_patient or not memberships:
        raise NotForThisRole("clinician only")
    return memberships[0]


def check_input(form: forms.Form | None) -> None:
    """Refuse the call when the typed input the view bound is invalid: called first
    inside the service's ``audited`` block, so the refusal is the request's one event."""
    if form is not None:
        valid_form(form)

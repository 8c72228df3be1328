"""Helpers shared by the treatment services: the catalogue, the language, the audit
subject and who may act."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from maatwerk.core.access import AccessBasis, Role
from maatwerk.core.modules.model import Module, ModuleCatalogue
from maatwerk.core.modules.registry import bundled_catalogue
from maatwerk.web.audit.services import AuditSubject
from maatwerk.web.common.actor import Actor
from maatwerk.web.organizations.models import Membership
from maatwerk.web.patients.selectors import PatientAccess, patient_subject
from maatwerk.web.treatment.models import ModuleAssignment


def catalogue() -> ModuleCatalogue:
    return bundled_catalogue()


def module_of(assignment: ModuleAssignment) -> Module:
    """The module as in the catalogue. The assignment keeps the version it was given
    with; the catalogue holds one version of each module."""
    return catalogue().module(assignment.module_id)


def language() -> str:
    return "en" if (get_language() or "nl").startswith("en") else "nl"


def _subject(access: PatientAccess, object_type: str, object_ref: str = "") -> AuditSubject:
    return patient_subject(access.patient, object_type=object_type, object_ref=object_ref)


def _clinician_membership(actor: Actor, access: PatientAccess) -> Membership:
    """The actor's clinician membership in the patient's organization; a patient (or
    anyone else) is refused."""
    if access.basis is AccessBasis.OWN_RECORD:
        raise PermissionDenied(_("Only a clinician can do this."))
    memberships = [
        m
        for m in actor.memberships_with(Role.CLINICIAN)
        if m.organization_id == access.patient.organization_id
    ]
    if not memberships:
        raise PermissionDenied(_("Only a clinician can do this."))
    return memberships[0]


def _require_patient(access: PatientAccess) -> None:
    if access.basis is not AccessBasis.OWN_RECORD:
        raise PermissionDenied(_("Only the patient can fill in their own exercises."))

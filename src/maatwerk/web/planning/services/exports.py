"""Exporting a plan as a FHIR CarePlan bundle and printing it as a PDF."""

from __future__ import annotations

import json
from typing import Any

from django.utils import timezone
from django.utils.translation import gettext as _

from maatwerk.core.fhir.care_plan import care_plan_bundle
from maatwerk.core.fhir.errors import FhirMappingError
from maatwerk.core.fhir.validation import validate_resource
from maatwerk.core.knowledge.model import KnowledgeBase
from maatwerk.web.audit.audited import InputRefused, audited
from maatwerk.web.common.actor import Actor
from maatwerk.web.common.pdf import render_pdf
from maatwerk.web.patients.selectors import PatientAccess
from maatwerk.web.planning import selectors
from maatwerk.web.planning.models import Plan
from maatwerk.web.planning.presenters import plan_page
from maatwerk.web.planning.services._common import Language, plan_subject


def _author(plan: Plan) -> str:
    return plan.created_by.full_name or str(plan.created_by.public_id)


def fhir_bundle(plan: Plan, knowledge: KnowledgeBase, language: Language) -> dict[str, Any]:
    """The plan as a FHIR collection Bundle (CarePlan + Goals), each resource validated."""
    bundle = care_plan_bundle(
        selectors.core_plan(plan, knowledge),
        patient_ref=str(plan.patient.public_id),
        author_ref=_author(plan),
        timestamp=timezone.now(),
        language=language,
    )
    validate_resource(bundle, "Bundle")
    for entry in bundle["entry"]:
        validate_resource(entry["resource"], entry["resource"]["resourceType"])
    return bundle


def plan_export_fhir(*, actor: Actor, access: PatientAccess, language: Language) -> bytes:
    """The FHIR Bundle as JSON bytes; nothing is served unless every resource validates."""
    with audited(actor=actor, action="export", subject=plan_subject(access)) as note:
        plan = selectors.current_plan(access)
        if plan is None:
            raise InputRefused(_("There is no plan yet."))
        note.about(object_ref=str(plan.public_id))
        try:
            bundle = fhir_bundle(plan, selectors.knowledge_of(access), language)
        except FhirMappingError as error:
            raise InputRefused(_("The plan cannot be exported as FHIR.")) from error
        note.detail = "fhir CarePlan bundle"
        return json.dumps(bundle, ensure_ascii=False, indent=2).encode()


def plan_export_pdf(*, actor: Actor, access: PatientAccess, language: Language) -> bytes:
    """The plan as a PDF: the plan page's content, printed."""
    with audited(actor=actor, action="print", subject=plan_subject(access)) as note:
        page = plan_page(access, language)
        plan = page.get("plan")
        if not isinstance(plan, Plan):
            raise InputRefused(_("There is no plan yet."))
        note.about(object_ref=str(plan.public_id))
        note.detail = "plan pdf"
        return render_pdf("planning/plan_pdf.html", {**page, "generated_at": timezone.now()})

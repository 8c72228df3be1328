"""Exporting a plan as a FHIR CarePlan bundle and printing it as a PDF."""

from __future__ import annotations

import json
from typing import Any

from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _

from maatwerk.core.fhir.care_plan import care_plan_bundle
from maatwerk.core.fhir.errors import FhirMappingError
from maatwerk.core.fhir.validation import validate_resource
from maatwerk.core.knowledge.model import KnowledgeBase
from maatwerk.web.common.actor import Actor
from maatwerk.web.common.pdf import render_pdf
from maatwerk.web.patients.selectors import PatientAccess
from maatwerk.web.planning import selectors
from maatwerk.web.planning.models import Plan
from maatwerk.web.planning.services._common import NON_FIELD, Language, _audit, _clinician_only


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
    _clinician_only(access)
    plan = selectors.current_plan(access)
    if plan is None:
        _audit(actor, access, "export", detail="no plan", outcome="error")
        raise ValidationError({NON_FIELD: [_("There is no plan yet.")]})
    try:
        bundle = fhir_bundle(plan, selectors.knowledge_of(access), language)
    except FhirMappingError:
        _audit(actor, access, "export", plan=plan, detail="fhir invalid", outcome="error")
        raise
    _audit(actor, access, "export", plan=plan, detail="fhir CarePlan bundle")
    return json.dumps(bundle, ensure_ascii=False, indent=2).encode()


def plan_export_pdf(*, actor: Actor, access: PatientAccess, context: dict[str, Any]) -> bytes:
    """The plan as a PDF (the context is the plan page's, built by the view)."""
    _clinician_only(access)
    plan = context.get("plan")
    if plan is None:
        _audit(actor, access, "print", detail="no plan", outcome="error")
        raise ValidationError({NON_FIELD: [_("There is no plan yet.")]})
    pdf = render_pdf("planning/plan_pdf.html", context)
    _audit(actor, access, "print", plan=plan, detail="plan pdf")
    return pdf

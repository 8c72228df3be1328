"""Audit coverage (NEN 7513): every patient-data view and API, called once, writes exactly
one correct audit event; the chain verifies; tampering is detected; the database
refuses UPDATE and DELETE on audit events."""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass

import pytest
from django.db import DatabaseError, connection, transaction
from django.urls import resolve

from maatwerk.core.fhir.response import response_to_questionnaire_response
from maatwerk.core.instruments.registry import get_instrument
from maatwerk.web.audit.models import AuditEvent
from maatwerk.web.audit.selectors import audit_chain_verify
from maatwerk.web.audit.services import AuditSubject, audit_record
from maatwerk.web.common.actor import actor_for_user
from tests.web.test_analysis_network import diary_file, diary_imported, diary_shared
from tests.web.test_authorization_matrix import iter_patterns
from tests.web.test_formulation import world_formulation
from tests.web.test_monitoring_charts import world_note
from tests.web.test_planning import GOALS as PLAN_GOALS
from tests.web.test_planning import plan_path
from tests.web.test_planning_revision import discard_data, revision_path, step_up_data
from tests.web.test_records_copy import world_record_copy
from tests.web.test_referrals import signed, world_referral
from tests.web.test_safety import complete_follow_up, prepared_follow_up
from tests.web.test_safety_plan import CLINICIAN_PLAN, ensure_safety_plan, safety_plan_path
from tests.web.test_screening import world_screening, world_snapshot_id
from tests.web.test_treatment import (
    G_SCHEMA_ANSWERS,
    world_module,
    world_relative,
    world_response,
    world_waiting_module,
)
from tests.web.world import World


@dataclass(frozen=True)
class Call:
    role: str
    method: str
    path: Callable[[World], str]
    action: str
    object_type: str
    patient: str | None  # "a", "b" or None when the event names no patient
    data: Callable[[World], dict[str, str]] = lambda world: {}
    emergency: bool = False
    json_body: Callable[[World], object] | None = None  # sent as application/fhir+json


def _a(world: World) -> str:
    return str(world.patient_a.public_id)


def _screening(world: World) -> str:
    return str(world_screening(world).public_id)


def _phq9_response(world: World, values: list[int]) -> object:
    instrument = get_instrument("phq9")
    return response_to_questionnaire_response(
        instrument,
        {f"phq9_{n}": value for n, value in enumerate(values, start=1)},
        assignment_id=str(world.assignment.public_id),
        subject_id=str(world.patient_a.public_id),
    )


PATIENT_DATA_CALLS: dict[str, Call] = {
    "records:mine": Call(
        "patient_a", "GET", lambda w: "/records/mine/", "read", "record_rights", "a"
    ),
    "records:mine_copy": Call(
        "patient_a", "POST", lambda w: "/records/mine/copy/", "create", "record_copy", "a"
    ),
    "records:mine_destruction": Call(
        "patient_a",
        "POST",
        lambda w: "/records/mine/destruction/",
        "create",
        "destruction_request",
        "a",
        data=lambda w: {"parts": "messages", "confirm": "on"},
    ),
    "records:open_requests": Call(
        "clinician_treating",
        "GET",
        lambda w: "/records/open-requests/",
        "search",
        "destruction_requests",
        None,
    ),
    "records:patient": Call(
        "clinician_treating",
        "GET",
        lambda w: f"/records/patients/{_a(w)}/",
        "read",
        "record_rights",
        "a",
    ),
    "records:patient_copy": Call(
        "clinician_treating",
        "POST",
        lambda w: f"/records/patients/{_a(w)}/copy/",
        "create",
        "record_copy",
        "a",
    ),
    "records:copy_fhir": Call(
        "patient_a",
        "GET",
        lambda w: f"/records/copies/{world_record_copy(w).public_id}/fhir/",
        "export",
        "record_copy",
        "a",
    ),
    "records:copy_pdf": Call(
        "patient_a",
        "GET",
        lambda w: f"/records/copies/{world_record_copy(w).public_id}/pdf/",
        "export",
        "record_copy",
        "a",
    ),
    "clinic:caseload": Call(
        "clinician_treating", "GET", lambda w: "/clinic/", "search", "caseload", None
    ),
    "clinic:patient_detail": Call(
        "clinician_treating", "GET", lambda w: f"/clinic/patients/{_a(w)}/", "read", "patient", "a"
    ),
    "clinic:patient_register": Call(
        "clinician_treating",
        "POST",
        lambda w: "/clinic/patients/new/",
        "create",
        "patient",
        None,
        data=lambda w: {
            "full_name": "New Patient",
            "email": "new.patient@a.test",
            "birth_year": "1990",
            "sex": "male",
            "language": "nl",
            "presenting_complaint": "headache",
            "condition": "tension headache",
        },
    ),
    "clinic:patient_edit": Call(
        "clinician_treating",
        "POST",
        lambda w: f"/clinic/patients/{_a(w)}/edit/",
        "update",
        "patient",
        "a",
        data=lambda w: {
            "full_name": "Patient Alpha",
            "birth_year": "1981",
            "sex": "female",
            "language": "nl",
            "postcode": "3511 AB",
        },
    ),
    "clinic:patient_invitation": Call(
        "clinician_treating",
        "POST",
        lambda w: f"/clinic/patients/{_a(w)}/invitation/",
        "create",
        "invitation",
        "a",
    ),
    "clinic:emergency_search": Call(
        "clinician_other_team",
        "GET",
        lambda w: "/clinic/emergency/?full_name=Patient+Alpha&birth_year=1980",
        "search",
        "patient_identity",
        # Issue 16: the patient found is named, so they see the search in their access log.
        "a",
    ),
    "clinic:emergency_access": Call(
        "clinician_other_team",
        "POST",
        lambda w: f"/clinic/emergency/{_a(w)}/",
        "emergency_access",
        "emergency_access",
        "a",
        data=lambda w: {"reason": "Crisis call, treating team unreachable"},
        emergency=True,
    ),
    "portal:home": Call("patient_a", "GET", lambda w: "/portal/", "read", "patient", "a"),
    "portal:access_log": Call(
        "patient_a", "GET", lambda w: "/portal/access-log/", "read", "access_log", "a"
    ),
    "portal:privacy": Call(
        "patient_a", "GET", lambda w: "/portal/privacy/", "read", "consent", "a"
    ),
    "portal:own_results": Call(
        "patient_a", "GET", lambda w: "/portal/results/", "read", "questionnaire_results", "a"
    ),
    "portal:own_result_note": Call(
        "patient_a",
        "POST",
        lambda w: "/portal/results/notes/",
        "create",
        "result_note",
        "a",
        data=lambda w: {"topic": f"measure:{w.psk_set.public_id}", "text": "Het ging beter."},
    ),
    "portal:own_results_pdf": Call(
        "patient_a", "GET", lambda w: "/portal/results/pdf/", "print", "questionnaire_results", "a"
    ),
    "portal:own_result_note_change": Call(
        "patient_a",
        "POST",
        lambda w: f"/portal/results/notes/{world_note(w).public_id}/",
        "update",
        "result_note",
        "a",
        data=lambda w: {"day": "", "text": "Het ging nog beter."},
    ),
    "portal:own_result_note_remove": Call(
        "patient_a",
        "POST",
        lambda w: f"/portal/results/notes/{world_note(w).public_id}/remove/",
        "delete",
        "result_note",
        "a",
        data=lambda w: {"confirm": "on"},
    ),
    "orgadmin:dashboard": Call(
        "org_admin", "GET", lambda w: "/organization/?q=Alpha", "search", "patient_identity", None
    ),
    "orgadmin:patient_access_report": Call(
        "org_admin",
        "GET",
        lambda w: f"/organization/access-report/patients/{_a(w)}/",
        "read",
        "access_report",
        "a",
    ),
    "orgadmin:emergency_review": Call(
        "org_admin",
        "POST",
        lambda w: f"/organization/emergency-access/{w.expired_grant.public_id}/review/",
        "update",
        "emergency_access",
        "a",
        data=lambda w: {"note": "justified"},
    ),
    # Not patient data, but a change to who is warned about overdue safety signals.
    "orgadmin:team_backup": Call(
        "org_admin",
        "POST",
        lambda w: f"/organization/teams/{w.team_treating.public_id}/backup/",
        "update",
        "team_backup_clinician",
        None,
        data=lambda w: {"backup": str(w.memberships["clinician_treating"].pk)},
    ),
    "api:patient_list": Call(
        "clinician_treating", "GET", lambda w: "/api/v1/patients", "search", "caseload", None
    ),
    "api:patient_detail": Call(
        "clinician_treating", "GET", lambda w: f"/api/v1/patients/{_a(w)}", "read", "patient", "a"
    ),
    "api:my_access_log": Call(
        "patient_a", "GET", lambda w: "/api/v1/me/access-log", "read", "access_log", "a"
    ),
    "clinic:assignment_create": Call(
        "clinician_treating",
        "POST",
        lambda w: f"/clinic/patients/{_a(w)}/questionnaires/assign/",
        "create",
        "questionnaire",
        "a",
        data=lambda w: {"instrument": "gad7", "mode": "self"},
    ),
    "clinic:patient_results": Call(
        "clinician_treating",
        "GET",
        lambda w: f"/clinic/patients/{_a(w)}/results/",
        "read",
        "questionnaire_results",
        "a",
    ),
    "clinic:alerts": Call(
        "clinician_treating", "GET", lambda w: "/clinic/alerts/", "search", "safety_alert", None
    ),
    "safety:team": Call(
        "clinician_treating",
        "GET",
        lambda w: "/safety/team/",
        "search",
        "safety_signals_team",
        None,
    ),
    "safety:signal": Call(
        "clinician_treating",
        "GET",
        lambda w: f"/safety/signals/{w.alert.public_id}/",
        "read",
        "safety_alert",
        "a",
    ),
    "safety:pick_up": Call(
        "clinician_treating",
        "POST",
        lambda w: f"/safety/signals/{w.alert.public_id}/pick-up/",
        "update",
        "safety_alert",
        "a",
    ),
    "safety:follow_up": Call(
        "clinician_treating",
        "POST",
        lambda w: f"/safety/signals/{w.alert.public_id}/follow-up/",
        "update",
        "safety_alert",
        "a",
        data=complete_follow_up,
    ),
    "safety:close": Call(
        "clinician_treating",
        "POST",
        lambda w: f"/safety/signals/{w.alert.public_id}/close/",
        "update",
        "safety_alert",
        "a",
        data=prepared_follow_up,
    ),
    "safety:raise": Call(
        "clinician_treating",
        "POST",
        lambda w: f"/safety/patients/{_a(w)}/raise/",
        "create",
        "safety_alert",
        "a",
        data=lambda w: {"raised_from": "message", "quote": "Ik zie het niet meer zitten."},
    ),
    "safety:help_now": Call(
        "patient_a", "GET", lambda w: "/safety/help/", "read", "safety_alert", "a"
    ),
    "questionnaires:fill": Call(
        "patient_a",
        "GET",
        lambda w: f"/questionnaires/{w.assignment.public_id}/",
        "read",
        "questionnaire",
        "a",
    ),
    "questionnaires:answer": Call(
        "patient_a",
        "POST",
        lambda w: f"/questionnaires/{w.assignment.public_id}/answer/",
        "update",
        "questionnaire_answer",
        "a",
        data=lambda w: {"item": "phq9_1", "value": "2"},
    ),
    "questionnaires:submit": Call(
        "patient_a",
        "POST",
        lambda w: f"/questionnaires/{w.assignment.public_id}/submit/",
        "update",
        "questionnaire",
        "a",
        data=lambda w: {f"item-phq9_{n}": "1" for n in range(1, 11)} | {"item-phq9_9": "0"},
    ),
    "api:fhir_questionnaire_response_read": Call(
        "clinician_treating",
        "GET",
        lambda w: f"/api/v1/fhir/QuestionnaireResponse/{w.assignment.public_id}",
        "read",
        "questionnaire",
        "a",
    ),
    "api:fhir_questionnaire_response_create": Call(
        "patient_a",
        "POST",
        lambda w: "/api/v1/fhir/QuestionnaireResponse",
        "update",
        "questionnaire",
        "a",
        json_body=lambda w: _phq9_response(w, [1, 0, 2, 1, 0, 1, 0, 0, 0]),
    ),
    "personalized:overview": Call(
        "patient_a",
        "GET",
        lambda w: f"/personal-measures/patients/{_a(w)}/",
        "read",
        "questionnaire",
        "a",
    ),
    "personalized:psk_create": Call(
        "clinician_treating",
        "POST",
        lambda w: f"/personal-measures/patients/{_a(w)}/psk/new/",
        "create",
        "questionnaire",
        "a",
        data=lambda w: {"activity-0": "lopen", "activity-1": "koken", "activity-2": "werken"},
    ),
    "personalized:top_problems_create": Call(
        "patient_a",
        "POST",
        lambda w: f"/personal-measures/patients/{_a(w)}/top-problems/new/",
        "create",
        "questionnaire",
        "a",
        data=lambda w: {"problem-name-0": "moe", "problem-rating-0": "6"},
    ),
    "personalized:gas_create": Call(
        "clinician_treating",
        "POST",
        lambda w: f"/personal-measures/patients/{_a(w)}/gas/new/",
        "create",
        "questionnaire",
        "a",
        data=lambda w: {
            "goal-0-name": "wandelen",
            "goal-0-expected": "30 minuten",
            "goal-0-baseline": "-1",
        },
    ),
    "personalized:results": Call(
        "clinician_treating",
        "GET",
        lambda w: f"/personal-measures/patients/{_a(w)}/results/",
        "read",
        "questionnaire_results",
        "a",
    ),
    "personalized:rate": Call(
        "patient_a",
        "POST",
        lambda w: f"/personal-measures/sets/{w.psk_set.public_id}/rate/",
        "create",
        "questionnaire_answer",
        "a",
        data=lambda w: {f"item-{i.public_id}": "5" for i in w.psk_set.items.all()},
    ),
    "screening:patient_screenings": Call(
        "clinician_treating",
        "GET",
        lambda w: f"/screening/patients/{_a(w)}/",
        "read",
        "screening",
        "a",
    ),
    # Assigning (POST) also writes one event per questionnaire it assigns, through the
    # questionnaires app; tests/web/test_screening.py checks those. Here: the form.
    "screening:assign": Call(
        "clinician_treating",
        "GET",
        lambda w: f"/screening/patients/{_a(w)}/assign/",
        "read",
        "screening",
        "a",
    ),
    "screening:detail": Call(
        "clinician_treating",
        "GET",
        lambda w: f"/screening/{_screening(w)}/",
        "read",
        "screening",
        "a",
    ),
    "screening:intake": Call(
        "patient_a",
        "POST",
        lambda w: f"/screening/{_screening(w)}/intake/",
        "create",
        "screening_intake",
        "a",
        data=lambda w: {"own_words": "Altijd moe", "complaints": "fatigue"},
    ),
    "screening:scegs": Call(
        "clinician_treating",
        "POST",
        lambda w: f"/screening/{_screening(w)}/scegs/",
        "update",
        "screening_assessment",
        "a",
        data=lambda w: {"duration_weeks": "26", "functional_limitation": "moderate"},
    ),
    "screening:profile": Call(
        "clinician_treating",
        "GET",
        lambda w: f"/screening/{_screening(w)}/profile/",
        "read",
        "screening_profile",
        "a",
    ),
    # Nothing changed since the world's profile was computed: it is shown again (a read).
    "screening:profile_compute": Call(
        "clinician_treating",
        "POST",
        lambda w: f"/screening/{_screening(w)}/profile/compute/",
        "read",
        "screening_profile",
        "a",
    ),
    "screening:care_level_decide": Call(
        "clinician_treating",
        "POST",
        lambda w: f"/screening/{_screening(w)}/profile/decision/",
        "create",
        "care_level_decision",
        "a",
        data=lambda w: {
            "snapshot": world_snapshot_id(w),
            "decision": "accept",
            "reason": "Risico besproken",
        },
    ),
    "screening:profile_pdf": Call(
        "clinician_treating",
        "GET",
        lambda w: f"/screening/{_screening(w)}/profile.pdf",
        "read",
        "screening_profile",
        "a",
    ),
    "screening:summary": Call(
        "patient_a",
        "GET",
        lambda w: f"/screening/{_screening(w)}/summary/",
        "read",
        "screening_profile",
        "a",
    ),
    "providers:referral_create": Call(
        "clinician_treating",
        "GET",
        lambda w: f"/providers/patients/{_a(w)}/referrals/new/",
        "read",
        "referral",
        "a",
    ),
    "providers:referral_detail": Call(
        "clinician_treating",
        "GET",
        lambda w: f"/providers/referrals/{world_referral(w).public_id}/",
        "read",
        "referral",
        "a",
    ),
    "providers:referral_consent": Call(
        "clinician_treating",
        "POST",
        lambda w: f"/providers/referrals/{world_referral(w).public_id}/consent/",
        "update",
        "referral",
        "a",
        data=lambda w: {"consent_method": "verbal_in_consult"},
    ),
    "providers:referral_send": Call(
        "clinician_treating",
        "POST",
        lambda w: f"/providers/referrals/{world_referral(w, consented=True).public_id}/send/",
        "update",
        "referral",
        "a",
        data=signed,
    ),
    "providers:referral_cancel": Call(
        "clinician_treating",
        "POST",
        lambda w: f"/providers/referrals/{world_referral(w).public_id}/cancel/",
        "update",
        "referral",
        "a",
    ),
    "providers:referral_letter": Call(
        "clinician_treating",
        "GET",
        lambda w: f"/providers/referrals/{world_referral(w).public_id}/letter.pdf",
        "print",
        "referral",
        "a",
    ),
    "providers:referral_fhir": Call(
        "clinician_treating",
        "GET",
        lambda w: f"/providers/referrals/{world_referral(w).public_id}/service-request.json",
        "export",
        "referral",
        "a",
    ),
    "formulation:patient": Call(
        "clinician_treating",
        "GET",
        lambda w: f"/formulation/patients/{_a(w)}/",
        "read",
        "formulation",
        "a",
    ),
    "formulation:start": Call(
        "clinician_treating",
        "POST",
        lambda w: f"/formulation/patients/{_a(w)}/start/",
        "create",
        "formulation",
        "a",
        data=lambda w: {"source": "empty"},
    ),
    "formulation:detail": Call(
        "clinician_treating",
        "GET",
        lambda w: f"/formulation/{world_formulation(w).public_id}/",
        "read",
        "formulation",
        "a",
    ),
    "formulation:complaints": Call(
        "clinician_treating",
        "POST",
        lambda w: f"/formulation/{world_formulation(w).public_id}/complaints/",
        "update",
        "formulation",
        "a",
        data=lambda w: {
            "complaint-TOTAL_FORMS": "1",
            "complaint-INITIAL_FORMS": "0",
            "complaint-0-text": "Hoofdpijn",
        },
    ),
    "formulation:consequences": Call(
        "clinician_treating",
        "POST",
        lambda w: f"/formulation/{world_formulation(w).public_id}/consequences/",
        "update",
        "formulation",
        "a",
        data=lambda w: {
            "consequence-TOTAL_FORMS": "1",
            "consequence-INITIAL_FORMS": "0",
            "consequence-0-domain": "emotional",
            "consequence-0-words": "somber",
            "analysis-TOTAL_FORMS": "0",
            "analysis-INITIAL_FORMS": "0",
        },
    ),
    "formulation:goals": Call(
        "clinician_treating",
        "POST",
        lambda w: f"/formulation/{world_formulation(w).public_id}/goals/",
        "update",
        "formulation",
        "a",
        data=lambda w: {
            "goal-TOTAL_FORMS": "1",
            "goal-INITIAL_FORMS": "0",
            "goal-0-text": "Elke dag wandelen",
        },
    ),
    "formulation:plan": Call(
        "clinician_treating",
        "GET",
        lambda w: f"/formulation/{world_formulation(w).public_id}/plan/",
        "read",
        "formulation",
        "a",
    ),
    # Step 4 gives the complaints diary through the treatment app's service (its event).
    "formulation:diary": Call(
        "clinician_treating",
        "POST",
        lambda w: f"/formulation/{world_formulation(w).public_id}/plan/diary/",
        "create",
        "treatment_module",
        "a",
    ),
    "formulation:circle": Call(
        "clinician_treating",
        "POST",
        lambda w: f"/formulation/{world_formulation(w).public_id}/circle/",
        "update",
        "formulation",
        "a",
        data=lambda w: {"action": "add_node", "node-kind": "thought", "node-label": "Het gaat mis"},
    ),
    "analysis:network": Call(
        "clinician_treating",
        "GET",
        lambda w: f"/analysis/patients/{_a(w)}/network/",
        "read",
        "personal_network",
        "a",
    ),
    "analysis:upload": Call(
        "clinician_treating",
        "POST",
        lambda w: f"/analysis/patients/{_a(w)}/network/upload/",
        "create",
        "ema_import",
        "a",
        data=lambda w: {"file": diary_file()},  # type: ignore[dict-item]
    ),
    "analysis:links": Call(
        "clinician_treating",
        "POST",
        lambda w: (diary_imported(w), f"/analysis/patients/{_a(w)}/network/links/")[1],
        "update",
        "ema_import",
        "a",
        data=lambda w: {"count": "1", "var-0": "somber", "node-0": ""},
    ),
    "analysis:share": Call(
        "clinician_treating",
        "POST",
        lambda w: (diary_imported(w), f"/analysis/patients/{_a(w)}/network/share/")[1],
        "update",
        "personal_network",
        "a",
    ),
    "analysis:mine": Call(
        "patient_a", "GET", lambda w: "/analysis/mine/network/", "read", "personal_network", "a"
    ),
    "analysis:network_pdf": Call(
        "clinician_treating",
        "GET",
        lambda w: f"/analysis/patients/{_a(w)}/network/pdf/",
        "print",
        "personal_network",
        "a",
    ),
    "analysis:mine_pdf": Call(
        "patient_a",
        "GET",
        lambda w: (diary_shared(w), "/analysis/mine/network/pdf/")[1],
        "print",
        "personal_network",
        "a",
    ),
    "analysis:add_arrows": Call(
        "clinician_treating",
        "POST",
        lambda w: (world_formulation(w), f"/analysis/patients/{_a(w)}/network/add/")[1],
        "update",
        "formulation",
        "a",
        data=lambda w: {"edge": "pain|rest"},
    ),
    "analysis:norm_choice": Call(
        "clinician_treating",
        "POST",
        lambda w: f"/analysis/patients/{_a(w)}/norm/",
        "update",
        "change_norm_choice",
        "a",
        data=lambda w: {"norm": "male"},
    ),
    "formulation:share": Call(
        "clinician_treating",
        "POST",
        lambda w: f"/formulation/{world_formulation(w).public_id}/share/",
        "update",
        "formulation",
        "a",
    ),
    "formulation:shared": Call(
        "patient_a",
        "GET",
        lambda w: f"/formulation/{world_formulation(w).public_id}/shared/",
        "read",
        "formulation",
        "a",
    ),
    "formulation:respond": Call(
        "patient_a",
        "POST",
        lambda w: f"/formulation/{world_formulation(w).public_id}/respond/",
        "create",
        "formulation_response",
        "a",
        data=lambda w: {"answer": "agree"},
    ),
    "planning:plan": Call(
        "clinician_treating", "GET", lambda w: plan_path(w), "read", "care_plan", "a"
    ),
    "planning:prepare": Call(
        "clinician_treating",
        "POST",
        lambda w: plan_path(w, "prepare/", plan=False),
        "create",
        "care_plan",
        "a",
        data=lambda w: {"modality": "online"},
    ),
    "planning:decide": Call(
        "clinician_treating",
        "POST",
        lambda w: plan_path(w, "decide/"),
        "update",
        "care_plan",
        "a",
        data=lambda w: {"module": "sleep", "action": "add", "reason": "slaapt slecht"},
    ),
    # The goals are GAS goals: the personalized measures' service writes the one event.
    "planning:goals": Call(
        "clinician_treating",
        "POST",
        lambda w: plan_path(w, "goals/"),
        "create",
        "questionnaire",
        "a",
        data=lambda w: dict(PLAN_GOALS),
    ),
    # Activation gives the modules; the treatment app's event (naming the plan) is the one.
    "planning:activate": Call(
        "clinician_treating",
        "POST",
        lambda w: plan_path(w, "activate/", goals=True),
        "create",
        "treatment_module",
        "a",
    ),
    "planning:fhir": Call(
        "clinician_treating",
        "GET",
        lambda w: plan_path(w, "careplan.json"),
        "export",
        "care_plan",
        "a",
    ),
    "planning:pdf": Call(
        "clinician_treating", "GET", lambda w: plan_path(w, "plan.pdf"), "print", "care_plan", "a"
    ),
    "planning:mine": Call(
        "patient_a", "GET", lambda w: plan_path(w, "mine/"), "read", "care_plan", "a"
    ),
    "planning:regiebehandelaar": Call(
        "clinician_treating",
        "POST",
        lambda w: plan_path(w, "regiebehandelaar/"),
        "update",
        "care_plan",
        "a",
        data=lambda w: {"member": ""},
    ),
    "planning:revise": Call(
        "clinician_treating",
        "POST",
        lambda w: revision_path(w, "revise/"),
        "create",
        "care_plan",
        "a",
        data=lambda w: {"revision_reason": "Evaluatie na 6 weken"},
    ),
    "planning:step_up": Call(
        "clinician_treating",
        "POST",
        lambda w: revision_path(w, "step-up/", revision=True),
        "update",
        "care_plan",
        "a",
        data=step_up_data,
    ),
    "planning:complete": Call(
        "clinician_treating",
        "POST",
        lambda w: revision_path(w, "complete/"),
        "update",
        "care_plan",
        "a",
        data=lambda w: {"end_note": "Doelen bereikt"},
    ),
    "planning:discard_revision": Call(
        "clinician_treating",
        "POST",
        lambda w: revision_path(w, "discard-revision/", revision=True),
        "update",
        "care_plan",
        "a",
        data=discard_data,
    ),
    "invitation": Call(
        "anonymous",
        "POST",
        lambda w: f"/invite/{w.invitation.token}/",
        "update",
        "account",
        "a",
        data=lambda w: {"password1": "Zonnebloem-Tuin-2026", "password2": "Zonnebloem-Tuin-2026"},
    ),
    "treatment:my_modules": Call(
        "patient_a", "GET", lambda w: "/treatment/my/", "read", "treatment_module", "a"
    ),
    "treatment:messages": Call(
        "patient_a", "GET", lambda w: "/treatment/messages/", "read", "messages", "a"
    ),
    "treatment:module": Call(
        "patient_a",
        "GET",
        lambda w: f"/treatment/modules/{world_module(w).public_id}/",
        "read",
        "treatment_module",
        "a",
    ),
    "treatment:exercise": Call(
        "patient_a",
        "GET",
        lambda w: f"/treatment/modules/{world_module(w).public_id}/exercises/g_schema/",
        "read",
        "exercise_response",
        "a",
    ),
    "treatment:exercise_save": Call(
        "patient_a",
        "POST",
        lambda w: f"/treatment/modules/{world_module(w).public_id}/exercises/g_schema/save/",
        "update",
        "exercise_response",
        "a",
        data=lambda w: {"field": "event", "value": '"Ik tilde"', "stamp": "1"},
    ),
    "treatment:exercise_submit": Call(
        "patient_a",
        "POST",
        lambda w: f"/treatment/modules/{world_module(w).public_id}/exercises/g_schema/submit/",
        "update",
        "exercise_response",
        "a",
        data=lambda w: {"action": "hand_in", **{f"f-{k}": v for k, v in G_SCHEMA_ANSWERS.items()}},
    ),
    "treatment:inbox": Call(
        "clinician_treating",
        "GET",
        lambda w: "/treatment/inbox/",
        "search",
        "treatment_inbox",
        None,
    ),
    "treatment:review": Call(
        "clinician_treating",
        "GET",
        lambda w: f"/treatment/responses/{world_response(w).public_id}/",
        "read",
        "exercise_response",
        "a",
    ),
    "treatment:patient_modules": Call(
        "clinician_treating",
        "GET",
        lambda w: f"/treatment/patients/{_a(w)}/modules/",
        "read",
        "treatment_module",
        "a",
    ),
    "treatment:patient_messages": Call(
        "clinician_treating",
        "GET",
        lambda w: f"/treatment/patients/{_a(w)}/messages/",
        "read",
        "messages",
        "a",
    ),
    "treatment:activity_target": Call(
        "clinician_treating",
        "POST",
        lambda w: f"/treatment/modules/{world_module(w, 'graded_activity').public_id}/target/",
        "update",
        "treatment_module",
        "a",
        data=lambda w: {"target": "60"},
    ),
    "treatment:relatives": Call(
        "patient_a",
        "GET",
        lambda w: f"/treatment/patients/{_a(w)}/relatives/",
        "read",
        "relative_access",
        "a",
    ),
    "treatment:module_open": Call(
        "clinician_treating",
        "POST",
        lambda w: f"/treatment/modules/{world_waiting_module(w).public_id}/open/",
        "update",
        "treatment_module",
        "a",
    ),
    "treatment:relative_revoke": Call(
        "patient_a",
        "POST",
        lambda w: f"/treatment/relatives/{world_relative(w).public_id}/revoke/",
        "update",
        "relative_access",
        "a",
    ),
    "safetyplan:plan": Call(
        "clinician_treating",
        "GET",
        lambda w: f"/safety-plan/patients/{_a(w)}/",
        "read",
        "safety_plan",
        "a",
    ),
    "safetyplan:edit": Call(
        "clinician_treating",
        "POST",
        lambda w: f"/safety-plan/patients/{_a(w)}/edit/",
        "create",
        "safety_plan",
        "a",
        data=lambda w: CLINICIAN_PLAN,
    ),
    "safetyplan:versions": Call(
        "clinician_treating",
        "GET",
        lambda w: safety_plan_path(w, "versions/"),
        "read",
        "safety_plan",
        "a",
    ),
    "safetyplan:version": Call(
        "clinician_treating",
        "GET",
        lambda w: safety_plan_path(w, "versions/1/"),
        "read",
        "safety_plan",
        "a",
    ),
    "safetyplan:pdf": Call(
        "clinician_treating",
        "GET",
        lambda w: safety_plan_path(w, "pdf/"),
        "print",
        "safety_plan",
        "a",
    ),
    "portal:safety_plan": Call(
        "patient_a", "GET", lambda w: "/portal/safety-plan/", "read", "safety_plan", "a"
    ),
    "portal:safety_plan_edit": Call(
        "patient_a",
        "POST",
        lambda w: "/portal/safety-plan/edit/",
        "create",
        "safety_plan",
        "a",
        data=lambda w: {"reasons_to_live-0-text": "Mijn hond"},
    ),
    "portal:safety_plan_pdf": Call(
        "patient_a",
        "GET",
        lambda w: (ensure_safety_plan(w), "/portal/safety-plan/pdf/")[1],
        "print",
        "safety_plan",
        "a",
    ),
}

# Views that show or change no patient data, each with the reason.
NOT_PATIENT_DATA = {
    "home": "redirects to the role's start page",
    "set_language": "stores the language choice",
    "orgadmin:user_access_report": "a user's actions; audited as access_report_user",
    "orgadmin:user_disable": "an account, not a patient record; audited as account update",
    "api:api-root": "the API's index",
    "questionnaires:help_now": "where to get help now; the same text for everyone",
    "orgadmin:teams": "the organization's teams and members, no patient data",
    "orgadmin:instruments": "the instrument catalogue; an import is audited as licensed_texts",
    "api:openapi-json": "the OpenAPI schema",
    "api:openapi-view": "the API documentation page",
    "api:fhir_questionnaire": "an instrument definition as a FHIR Questionnaire",
    "api:fhir_code_systems": "Maatwerk's own codes as FHIR CodeSystems, no patient data",
    "api:fhir_code_system": "one of Maatwerk's own code systems, no patient data",
    "knowledge:overview": "the organization's knowledge content, no patient data",
    "providers:search": "the provider directory, searched without a patient",
    "providers:directory": "the provider directory, no patient data",
    "providers:directory_import": "the directory; an import is audited as provider_directory",
    "providers:directory_export": "the directory; audited as provider_directory export",
    "providers:provider_create": "the directory; audited as provider_directory",
    "providers:provider_edit": "the directory; a save is audited as provider_directory",
    "providers:provider_active": "the directory; audited as provider_directory",
    "providers:gazetteer": "postcode areas; an import is audited as provider_directory",
    "providers:gazetteer_export": "postcode areas; audited as provider_directory export",
    "knowledge:collection": "the organization's knowledge content, no patient data",
    "knowledge:edit": "content, not patient data; a save is audited as knowledge_content",
    "knowledge:history": "content history; restoring is audited as knowledge_content",
    "knowledge:download": "the organization's knowledge content, no patient data",
    "knowledge:restore_bundled": "content; audited as knowledge_content",
    "knowledge:factor_thresholds": "content; a save is audited as knowledge_content",
    "knowledge:stepped_care_switches": "content; a save is audited as knowledge_content",
    "treatment:shared": "who shares their care with this user (their own grants only)",
    "portal:safety_plan_sw": "the safety plan's service worker script, the same for everyone",
    # Patient data, audited as relative_view: the partner or parent who opens it is none of
    # the world's roles, so tests/web/test_treatment.py checks its single audit event.
    "treatment:shared_detail": "checked in tests/web/test_treatment.py (relative_view)",
    # Decided by the responsible clinician (a GP on the care team), who is none of the
    # world's roles: the single audit event is checked in tests/web/test_records_destruction.py.
    "records:decide": "checked in tests/web/test_records_destruction.py (destruction_request)",
    "treatment:parent_view": "checked in tests/web/test_parent_view.py (relative_view)",
    # Key-based (the key is e-mailed to the invited person); accepting is audited once,
    # checked in tests/web/test_treatment.py.
    "treatment:relative_accept": "checked in tests/web/test_treatment.py (relative_access)",
}
OUR_NAMESPACES = (
    "records:",
    "analysis:",
    "clinic:",
    "portal:",
    "orgadmin:",
    "api:",
    "personalized:",
    "knowledge:",
    "screening:",
    "providers:",
    "formulation:",
    "treatment:",
    "planning:",
    "safetyplan:",
    "safety:",
)


def test_every_patient_data_view_is_covered() -> None:
    ours = {
        name
        for name, route in iter_patterns()
        if name.startswith(OUR_NAMESPACES) or name in {"home", "invitation"}
    }
    missing = ours - set(PATIENT_DATA_CALLS) - set(NOT_PATIENT_DATA)
    assert not missing, f"add these views to the audit coverage test: {sorted(missing)}"


@pytest.mark.parametrize("name", sorted(PATIENT_DATA_CALLS))
def test_one_call_writes_exactly_one_correct_audit_event(world: World, name: str) -> None:
    call = PATIENT_DATA_CALLS[name]
    client = world.client_for(call.role)
    path = call.path(world)
    assert resolve(path.split("?")[0]).view_name == name
    before = AuditEvent.objects.count()
    last = AuditEvent.objects.order_by("-sequence").first()
    if call.json_body is not None:
        response = client.post(
            path, data=json.dumps(call.json_body(world)), content_type="application/fhir+json"
        )
    else:
        response = (client.post if call.method == "POST" else client.get)(
            path, data=call.data(world)
        )
    assert response.status_code in (200, 201, 302), response.content[:500]
    events = list(
        AuditEvent.objects.filter(sequence__gt=last.sequence if last else 0).order_by("sequence")
    )
    assert AuditEvent.objects.count() - before == 1, [
        (e.action, e.object_type, e.outcome) for e in events
    ]
    event = events[0]
    assert (event.action, event.object_type, event.outcome) == (
        call.action,
        call.object_type,
        "success",
    )
    expected_patient = {"a": str(world.patient_a.public_id), None: ""}[call.patient]
    if call.patient is not None or call.action != "create":
        assert event.patient_ref == expected_patient
    else:
        assert event.patient_ref  # the newly created patient
    assert event.emergency is call.emergency
    acting = world.users.get(call.role)
    expected_user = acting if acting is not None else world.users["patient_a"]
    assert event.user_ref == str(expected_user.public_id)
    assert event.access_point.startswith("api" if path.startswith("/api/") else "web")
    assert event.occurred_at.utcoffset().total_seconds() == 0
    assert audit_chain_verify().ok


def test_denied_attempt_is_audited_as_denied(world: World) -> None:
    client = world.client_for("clinician_other_team")
    assert client.get(f"/clinic/patients/{world.patient_a.public_id}/").status_code == 404
    event = AuditEvent.objects.order_by("-sequence").first()
    assert event is not None
    assert (event.action, event.outcome, event.patient_ref) == (
        "read",
        "denied",
        str(world.patient_a.public_id),
    )


def _write_events(world: World, count: int) -> None:
    actor = actor_for_user(world.users["clinician_treating"], access_point="test")
    for number in range(count):
        audit_record(
            actor=actor,
            action="read",
            subject=AuditSubject(object_type="patient", object_ref=str(number)),
        )


@pytest.mark.django_db
def test_update_and_delete_of_audit_events_fail_in_the_database(world: World) -> None:
    _write_events(world, 3)
    event = AuditEvent.objects.order_by("sequence").first()
    assert event is not None
    with pytest.raises(DatabaseError), transaction.atomic():
        AuditEvent.objects.filter(pk=event.pk).update(detail="changed")
    with pytest.raises(DatabaseError), transaction.atomic():
        AuditEvent.objects.filter(pk=event.pk).delete()
    with pytest.raises(DatabaseError), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("UPDATE audit_auditevent SET role = 'x'")
    with pytest.raises(DatabaseError), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("DELETE FROM audit_auditevent")
    assert AuditEvent.objects.filter(pk=event.pk, detail="").exists()


def _drop_triggers_as_a_database_administrator() -> None:
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            cursor.execute("DROP TRIGGER audit_event_no_update")
            cursor.execute("DROP TRIGGER audit_event_no_delete")
        else:
            cursor.execute("ALTER TABLE audit_auditevent DISABLE TRIGGER USER")


def test_tampering_behind_the_applications_back_is_detected(world: World) -> None:
    _write_events(world, 10)
    assert audit_chain_verify().ok
    target = AuditEvent.objects.order_by("sequence")[4]
    # Triggers are dropped inside the test transaction, which is rolled back afterwards.
    _drop_triggers_as_a_database_administrator()
    with connection.cursor() as cursor:
        cursor.execute(
            "UPDATE audit_auditevent SET user_display = %s WHERE id = %s",
            ["Someone Else", target.pk],
        )
    result = audit_chain_verify()
    assert not result.ok
    assert [b.sequence for b in result.breaks] == [target.sequence]


def test_removing_the_newest_events_is_detected(world: World) -> None:
    _write_events(world, 5)
    newest = AuditEvent.objects.order_by("-sequence").first()
    assert newest is not None
    _drop_triggers_as_a_database_administrator()
    with connection.cursor() as cursor:
        cursor.execute("DELETE FROM audit_auditevent WHERE id = %s", [newest.pk])
    result = audit_chain_verify()
    assert not result.ok
    assert "removed" in result.breaks[-1].reason


def test_every_audit_code_has_a_readable_label() -> None:
    from maatwerk.core.access import Role
    from maatwerk.core.audit import AUDIT_ACTIONS, AUDIT_OUTCOMES
    from maatwerk.web.audit.labels import ACTION_LABELS, OBJECT_LABELS, OUTCOME_LABELS, ROLE_LABELS

    assert set(AUDIT_ACTIONS) <= set(ACTION_LABELS)
    assert set(AUDIT_OUTCOMES) <= set(OUTCOME_LABELS)
    assert {role.value for role in Role} <= set(ROLE_LABELS)
    object_types = {call.object_type for call in PATIENT_DATA_CALLS.values()}
    assert object_types <= set(OBJECT_LABELS)


# Issue 16: every refusal path of these apps writes one "denied" event, not only the
# role-closed pages (``role_required``): objects out of scope in the web pages, the API's
# 404s and the organization admin's objects of another organization.
UNKNOWN = "00000000-0000-4000-8000-000000000000"
DENIALS: dict[str, tuple[str, str, Callable[[World], str]]] = {
    "api patient out of scope": (
        "clinician_other_team",
        "GET",
        lambda w: f"/api/v1/patients/{_a(w)}",
    ),
    "api caseload for a patient": ("patient_a", "GET", lambda w: "/api/v1/patients"),
    "api access log for a clinician": (
        "clinician_treating",
        "GET",
        lambda w: "/api/v1/me/access-log",
    ),
    "signal of another team": (
        "clinician_other_team",
        "GET",
        lambda w: f"/safety/signals/{w.alert.public_id}/",
    ),
    "pick up a signal of another team": (
        "clinician_other_team",
        "POST",
        lambda w: f"/safety/signals/{w.alert.public_id}/pick-up/",
    ),
    "raise for a patient out of scope": (
        "clinician_other_team",
        "POST",
        lambda w: f"/safety/patients/{_a(w)}/raise/",
    ),
    "noodknop in another organization": (
        "clinician_other_org",
        "GET",
        lambda w: f"/clinic/emergency/{_a(w)}/",
    ),
    "details of a patient out of scope": (
        "clinician_other_team",
        "POST",
        lambda w: f"/clinic/patients/{_a(w)}/edit/",
    ),
    "access report of an unknown patient": (
        "org_admin",
        "GET",
        lambda w: f"/organization/access-report/patients/{UNKNOWN}/",
    ),
    "review of an unknown emergency access": (
        "org_admin",
        "POST",
        lambda w: f"/organization/emergency-access/{UNKNOWN}/review/",
    ),
    "backup of another organization's team": (
        "org_admin",
        "POST",
        lambda w: (
            f"/organization/teams/{w.memberships['clinician_other_org'].team.public_id}/backup/"
        ),
    ),
    "disable a user of another organization": (
        "org_admin",
        "POST",
        lambda w: f"/organization/users/{w.users['clinician_other_org'].public_id}/disable/",
    ),
}


@pytest.mark.parametrize("case", sorted(DENIALS))
def test_every_refusal_path_writes_one_denied_event(world: World, case: str) -> None:
    role, method, path = DENIALS[case]
    client = world.client_for(role)
    last = AuditEvent.objects.order_by("-sequence").first()
    response = (client.post if method == "POST" else client.get)(path(world))
    assert response.status_code in (403, 404), response.status_code
    events = list(
        AuditEvent.objects.filter(sequence__gt=last.sequence if last else 0).order_by("sequence")
    )
    assert [e.outcome for e in events] == ["denied"], [
        (e.action, e.object_type, e.outcome) for e in events
    ]
    assert audit_chain_verify().ok

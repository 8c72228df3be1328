"""Readable, translated labels for the codes stored in audit events.

The stored codes never change (they are part of the hash); only their display does.
"""

from __future__ import annotations

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

ACTION_LABELS: dict[str, Promise] = {
    "read": _("viewed"),
    "search": _("searched"),
    "create": _("added"),
    "update": _("changed"),
    "delete": _("deleted"),
    "export": _("exported"),
    "print": _("printed"),
    "emergency_access": _("opened with emergency access"),
}
OUTCOME_LABELS: dict[str, Promise] = {
    "success": _("done"),
    "refused": _("not saved: invalid input"),
    "denied": _("refused"),
    "error": _("failed"),
}
ROLE_LABELS: dict[str, Promise] = {
    "patient": _("patient"),
    "clinician": _("care provider"),
    "team_lead": _("team lead"),
    "researcher": _("researcher"),
    "organization_admin": _("organization admin"),
    "system": _("system"),
    "anonymous": _("not logged in"),
}
OBJECT_LABELS: dict[str, Promise] = {
    "patient": _("file"),
    "caseload": _("caseload"),
    "invitation": _("invitation link"),
    "account": _("account"),
    "consent": _("privacy statement and consent"),
    "access_log": _("access overview"),
    "access_report": _("access report"),
    "access_report_user": _("user access report"),
    "emergency_access": _("emergency access"),
    "patient_identity": _("name and year of birth"),
    "questionnaire": _("questionnaire"),
    "questionnaire_answer": _("answer to a questionnaire"),
    "questionnaire_results": _("questionnaire results"),
    "result_note": _("own note on a result"),
    "safety_alert": _("safety alert"),
    "safety_signals_team": _("open safety signals of the team"),
    "licensed_texts": _("licensed questionnaire texts"),
    "referral": _("referral"),
    "provider_directory": _("provider directory"),
    "screening": _("screening"),
    "screening_intake": _("screening intake"),
    "screening_assessment": _("SCEGS exploration"),
    "screening_profile": _("screening profile"),
    "care_level_decision": _("decision on the level of care"),
    "knowledge_content": _("knowledge base content"),
    "treatment_module": _("treatment module"),
    "exercise_response": _("answers to an exercise"),
    "homework_feedback": _("feedback on homework"),
    "messages": _("messages"),
    "treatment_inbox": _("inbox"),
    "relative_access": _("partner or parent access"),
    "relative_view": _("partner's or parent's view"),
    "care_plan": _("treatment plan"),
    "formulation": _("formulation"),
    "formulation_response": _("response to the formulation"),
    "safety_plan": _("safety plan"),
    "team_backup_clinician": _("backup clinician of a team"),
    "personal_network": _("personal network from diary data"),
    "ema_import": _("imported diary data"),
    "change_norm_choice": _("norm chosen for judging change"),
    "monitoring_schedule": _("monitoring schedule"),
    "monitoring_prompt": _("monitoring question"),
    "push_subscription": _("phone notifications"),
    "notification_preference": _("choice of messages about questions"),
    "monitoring_prompts": _("monitoring questions"),
    "monitoring_schedules": _("monitoring schedules"),
    "monitoring_overview": _("monitoring overview"),
    "monitoring_caseload": _("monitoring of the caseload"),
    "record_rights": _("copy and destruction of the file"),
    "record_copy": _("copy of the file"),
    "destruction_request": _("request to destroy data"),
    "destruction_requests": _("open requests to destroy data"),
}

LABELS = {
    "action": ACTION_LABELS,
    "outcome": OUTCOME_LABELS,
    "role": ROLE_LABELS,
    "object_type": OBJECT_LABELS,
}


def audit_label(kind: str, code: str) -> str:
    """The label for ``code``; an unknown code is shown as it is rather than hidden."""
    label = LABELS[kind].get(code)
    return str(label) if label is not None else code

from __future__ import annotations

from typing import Any

from django.http import HttpRequest

from maatwerk.core.access import Role


def navigation(request: HttpRequest) -> dict[str, Any]:
    actor = getattr(request, "actor", None)
    if actor is None or not actor.is_authenticated:
        return {"nav_roles": frozenset()}
    is_patient = actor.has_role(Role.PATIENT)
    is_clinician = actor.has_role(Role.CLINICIAN)
    return {
        "nav_roles": frozenset(role.value for role in actor.roles),
        "nav_is_patient": is_patient,
        "nav_is_clinician": is_clinician,
        "nav_treatment": _treatment(actor, clinician=is_clinician, patient=is_patient),
        "nav_is_org_admin": actor.has_role(Role.ORGANIZATION_ADMIN),
        "nav_open_alerts": _open_alert_count(actor) if actor.has_role(Role.CLINICIAN) else 0,
    }


def _open_alert_count(actor: Any) -> int:
    from maatwerk.web.questionnaires.selectors import open_alerts_visible_to

    return open_alerts_visible_to(actor).count()


def _treatment(actor: Any, *, clinician: bool, patient: bool) -> Any:
    from maatwerk.web.treatment.services.overview import navigation_for

    return navigation_for(actor, clinician=clinician, patient=patient)

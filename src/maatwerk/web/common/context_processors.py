from __future__ import annotations

from typing import Any

from django.http import HttpRequest

from maatwerk.core.access import Role


def navigation(request: HttpRequest) -> dict[str, Any]:
    actor = getattr(request, "actor", None)
    if actor is None or not actor.is_authenticated:
        return {"nav_roles": frozenset()}
    return {
        "nav_roles": frozenset(role.value for role in actor.roles),
        "nav_is_patient": actor.has_role(Role.PATIENT),
        "nav_is_clinician": actor.has_role(Role.CLINICIAN),
        "nav_is_org_admin": actor.has_role(Role.ORGANIZATION_ADMIN),
    }

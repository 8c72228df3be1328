from __future__ import annotations

from typing import TYPE_CHECKING, TypedDict

from django.http import HttpRequest

from maatwerk.core.access import Role
from maatwerk.web.common.actor import Actor

if TYPE_CHECKING:  # the treatment app imports web.common: only its type here
    from maatwerk.web.treatment.services.overview import Navigation


class NavigationContext(TypedDict, total=False):
    """What every page's menu needs (only ``nav_roles`` for an anonymous visitor)."""

    nav_roles: frozenset[str]
    nav_is_patient: bool
    nav_is_clinician: bool
    nav_treatment: Navigation
    nav_is_org_admin: bool
    nav_open_alerts: int


def navigation(request: HttpRequest) -> NavigationContext:
    actor: Actor | None = getattr(request, "actor", None)
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


def _open_alert_count(actor: Actor) -> int:
    from maatwerk.web.questionnaires.selectors import open_alerts_visible_to

    return open_alerts_visible_to(actor).count()


def _treatment(actor: Actor, *, clinician: bool, patient: bool) -> Navigation:
    from maatwerk.web.treatment.services.overview import navigation_for

    return navigation_for(actor, clinician=clinician, patient=patient)

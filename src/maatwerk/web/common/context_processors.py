from __future__ import annotations

from typing import TYPE_CHECKING, TypedDict

from django.http import HttpRequest

from maatwerk.core.access import Role
from maatwerk.web.common.actor import Actor

if TYPE_CHECKING:  # the clinic and treatment apps import web.common: only their types here
    from maatwerk.web.clinic.badges import Badges
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
    badges = _badges(actor) if is_clinician else None
    return {
        "nav_roles": frozenset(role.value for role in actor.roles),
        "nav_is_patient": is_patient,
        "nav_is_clinician": is_clinician,
        "nav_treatment": _treatment(
            actor, clinician=is_clinician, patient=is_patient, inbox=badges.inbox if badges else 0
        ),
        "nav_is_org_admin": actor.has_role(Role.ORGANIZATION_ADMIN),
        "nav_open_alerts": badges.alerts if badges else 0,
    }


def _badges(actor: Actor) -> Badges:
    from maatwerk.web.clinic.badges import badges_of

    return badges_of(actor)


def _treatment(actor: Actor, *, clinician: bool, patient: bool, inbox: int) -> Navigation:
    from maatwerk.web.treatment.services.overview import navigation_for

    return navigation_for(actor, clinician=clinician, patient=patient, inbox=inbox)

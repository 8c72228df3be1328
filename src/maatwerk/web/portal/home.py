"""The patient's home page, read in one audited call.

Every card on the page (care, questionnaires, screening, treatment, formulation, plan,
diary network) is read here, inside the page's one ``read`` event, so the view only
renders (the one web path: views never query).
"""

from __future__ import annotations

from dataclasses import dataclass

from maatwerk.web.analysis import selectors as analysis_selectors
from maatwerk.web.audit.audited import audited
from maatwerk.web.common.actor import Actor
from maatwerk.web.formulation.presenters import formulation_card
from maatwerk.web.patients.models import CareEpisode
from maatwerk.web.patients.opening import PatientAccess
from maatwerk.web.patients.selectors import episodes_for
from maatwerk.web.planning import selectors as planning_selectors
from maatwerk.web.questionnaires.models import Assignment
from maatwerk.web.questionnaires.selectors import open_assignments_for
from maatwerk.web.screening.presenters import screening_card
from maatwerk.web.treatment.services import overview as treatment_overview


@dataclass(frozen=True)
class PortalHome:
    episodes: list[CareEpisode]
    open_questionnaires: list[Assignment]
    treatment_card: object
    my_plan: object
    screening_card: object
    formulation_card: object
    network_shared: bool


def portal_home_read(*, actor: Actor, access: PatientAccess) -> PortalHome:
    """The patient's home page with all its cards (one ``read`` event)."""
    with audited(actor=actor, action="read", subject=access.subject()):
        return PortalHome(
            episodes=list(episodes_for(access)),
            open_questionnaires=list(open_assignments_for(access)),
            treatment_card=treatment_overview.portal_card(access),
            my_plan=planning_selectors.patient_visible_plan(access),
            screening_card=screening_card(access),
            formulation_card=formulation_card(access),
            network_shared=bool(analysis_selectors.network_shared_with(access)),
        )

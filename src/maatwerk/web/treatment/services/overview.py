"""Counts other pages show about treatment: the card on the patient's portal home and
the clinician's Inbox badge. The page that shows them audits its own read; these are
computed for it, so templates and tags never query."""

from __future__ import annotations

from dataclasses import dataclass

from maatwerk.web.common.actor import Actor
from maatwerk.web.patients.models import Patient
from maatwerk.web.patients.opening import PatientAccess
from maatwerk.web.treatment import selectors


@dataclass(frozen=True)
class PortalCard:
    patient: Patient
    modules: int  # open now (not those waiting for a later round)
    feedback: int  # unread feedback
    messages_unread: int


def portal_card(access: PatientAccess) -> PortalCard:
    return PortalCard(
        patient=access.patient,
        modules=selectors.open_module_count(access),
        feedback=selectors.unread_feedback_count(access),
        messages_unread=selectors.unread_team_messages_count(access),
    )


@dataclass(frozen=True)
class Navigation:
    inbox: int  # the clinician's Inbox badge
    reads_along: bool  # a partner or parent with an active grant


def navigation_for(actor: Actor, *, clinician: bool, patient: bool, inbox: int) -> Navigation:
    """``inbox``: the clinician's Inbox badge (:func:`maatwerk.web.clinic.badges.badges_of`,
    read with the Alerts badge in one statement)."""
    return Navigation(
        inbox=inbox if clinician else 0,
        reads_along=(not clinician and not patient and selectors.shared_with(actor).exists()),
    )

"""Demo safety signals: one open (a worrying message, raised by hand from the inbox),
one escalated (a help request nobody picked up in time), and one closed with a complete
follow-up (its risk assessment records that a safety plan was made). Each team gets a
backup clinician. Lucas Peters' PHQ-9 item 9 answer (from the questionnaire demo) is a
questionnaire signal: open or escalated, depending on the time the demo is loaded."""

from __future__ import annotations

from datetime import timedelta

from django.utils import timezone

from maatwerk.web.accounts.models import User
from maatwerk.web.common.actor import Actor, actor_for_user
from maatwerk.web.organizations.models import Membership, Team
from maatwerk.web.patients.models import Patient
from maatwerk.web.patients.opening import Opened, open_patient
from maatwerk.web.questionnaires.models import SafetyAlert, SafetyAlertEvent
from maatwerk.web.safety.forms import FollowUpForm, RaiseForm
from maatwerk.web.safety.policy import deadline_for
from maatwerk.web.safety.services import (
    escalate_overdue_signals,
    follow_up_record,
    signal_raise,
)
from maatwerk.web.treatment.models import Message

ACCESS_POINT = "demo data loader"
WORRYING_MESSAGE = (
    "Het gaat niet zo goed. Ik slaap slecht en de pijn houdt niet op. "
    "Soms denk ik dat mijn gezin beter af is zonder mij."
)


def demo_safety_load(*, patients: dict[str, Patient], memberships: dict[str, Membership]) -> None:
    now = timezone.now()
    for team in Team.objects.filter(memberships__in=memberships.values()).distinct():
        backup_key = "huisarts" if team.kind == Team.Kind.GP_PRACTICE else "cgt"
        team.backup_clinician = memberships[backup_key]
        team.save(update_fields=["backup_clinician"])

    # Open: a message that worries, raised by hand from the inbox just now.
    anouk = patients["Anouk Willems"]
    gz = memberships["gz"].user
    if anouk.user is None:  # pragma: no cover - every demo patient has an account
        return
    message = Message.objects.create(
        patient=anouk,
        author=anouk.user,
        from_patient=True,
        text=WORRYING_MESSAGE,
        created_at=now - timedelta(minutes=40),
    )
    gz_actor = _actor(gz)
    signal_raise(
        actor=gz_actor,
        access=open_patient(
            actor=gz_actor,
            patient_id=str(anouk.public_id),
            action="create",
            object_type="safety_alert",
        ),
        form=RaiseForm(
            {
                "raised_from": SafetyAlert.RaisedFrom.MESSAGE,
                "quote": message.text,
                "source_ref": str(message.public_id),
            }
        ),
    )

    # Escalated: a help request four days ago that nobody picked up (four calendar days
    # always hold a working day, so its pick-up deadline has passed).
    henk = patients["Henk Bos"]
    raised_at = now - timedelta(days=4)
    help_request = SafetyAlert.objects.create(
        patient=henk,
        source=SafetyAlert.Source.PATIENT_HELP,
        severity="urgent",
        message="",
        evidence_quote="Ik kan het even niet meer aan.",
        raised_at=raised_at,
        raised_by=henk.user,
        pick_up_deadline=deadline_for(raised_at),
    )
    SafetyAlertEvent.objects.create(
        alert=help_request, status=SafetyAlert.Status.OPEN, at=raised_at, by=henk.user
    )
    escalate_overdue_signals(now)

    # Closed: raised from a consult note and followed up in the same consult.
    marieke = patients["Marieke Hendriks"]
    cgt = memberships["cgt"].user
    cgt_actor = _actor(cgt)
    access = open_patient(
        actor=cgt_actor,
        patient_id=str(marieke.public_id),
        action="update",
        object_type="safety_alert",
    )
    closed = signal_raise(
        actor=cgt_actor,
        access=access,
        form=RaiseForm(
            {
                "raised_from": SafetyAlert.RaisedFrom.CONSULT_NOTE,
                "quote": "Vertelt dat ze de laatste weken vaker denkt 'was ik er maar niet meer'.",
            }
        ),
    )
    moment = "%Y-%m-%dT%H:%M"
    follow_up_record(
        actor=cgt_actor,
        opened=Opened(object=closed, access=access),
        form=FollowUpForm(
            {
                "contact_outcome": "reached",
                # In the consult in which it was raised.
                "contact_at": f"{timezone.localtime(closed.raised_at):{moment}}",
                "contact_method": "in_person",
                "contact_by": cgt.full_name,
                "a_ideation": "passive",
                "a_plan": "none",
                "a_intent": "none",
                "a_preparations": "none",
                "a_means": "no_access",
                "a_earlier_attempts": "none",
                "a_protective_factors": "Haar kinderen en kleinzoon; steun van haar zus; "
                "wil graag weer gaan wandelen.",
                "a_overall_estimate": "increased",
                "safety_plan": "made",
                "gp_informed": "yes",
                "crisis_ggz_involved": "no",
                "next_contact_at": f"{timezone.localtime(now + timedelta(days=3)):{moment}}",
                "note": "Veiligheidsplan samen gemaakt; partner weet ervan.",
                "close": "on",
            }
        ),
    )


def _actor(user: User) -> Actor:
    return actor_for_user(user, access_point=ACCESS_POINT)

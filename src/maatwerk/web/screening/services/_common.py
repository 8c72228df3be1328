"""What the screening services share: who acts, and carrying out a battery's steps."""

from __future__ import annotations

from collections.abc import Mapping

from django.core.exceptions import PermissionDenied
from django.utils import timezone
from django.utils.translation import gettext as _

from maatwerk.core.access import Role
from maatwerk.core.instruments.errors import UnknownInstrument
from maatwerk.core.instruments.text import LocalizedText
from maatwerk.core.screening.batteries import StepDecision
from maatwerk.web.accounts.models import User
from maatwerk.web.common.actor import Actor
from maatwerk.web.organizations.models import Membership
from maatwerk.web.patients.models import Patient
from maatwerk.web.patients.opening import PatientAccess
from maatwerk.web.questionnaires.instruments import has_item_texts, instrument_for
from maatwerk.web.questionnaires.services import assignment_create
from maatwerk.web.screening.models import (
    Screening,
    ScreeningStep,
)
from maatwerk.web.screening.selectors import (
    current_status,
)

Step = ScreeningStep.Status


# ------------------------------------------------------------------ helpers


def _membership(actor: Actor, patient: Patient) -> Membership:
    """The actor's clinician membership in the patient's organization (the opener already
    admitted the actor to the care team; this finds who assigns)."""
    for membership in actor.memberships_with(Role.CLINICIAN):
        if membership.organization_id == patient.organization_id:
            return membership
    raise PermissionDenied(_("Only a clinician can do this."))


def _is_clinician_of(actor: Actor, patient: Patient) -> bool:
    return any(
        m.organization_id == patient.organization_id for m in actor.memberships_with(Role.CLINICIAN)
    )


def _user(actor: Actor) -> User:
    if actor.user is None:
        raise PermissionDenied
    return actor.user


def _texts(text: LocalizedText | Mapping[str, object] | None) -> dict[str, str]:
    """A reason in both languages, whatever the core gave (a mapping or LocalizedText)."""
    if text is None:
        return {}
    if isinstance(text, Mapping):
        return {str(k): str(v) for k, v in text.items() if v}
    found = {language: text.get(language) for language in ("nl", "en")}
    return {language: value for language, value in found.items() if value}


def _unavailable_reason(name: str, *, known: bool, licensed: bool) -> dict[str, str]:
    if not known:
        return {
            "nl": f"De vragenlijst {name} bestaat niet in deze installatie.",
            "en": f"The questionnaire {name} does not exist in this installation.",
        }
    if licensed:
        return {
            "nl": f"De vragen van de {name} vallen onder een licentie. Je organisatie heeft de "
            "gelicentieerde teksten nog niet ingevoerd; daarom is deze vragenlijst niet uitgezet.",
            "en": f"The questions of the {name} are licensed. Your organization has not imported "
            "its licensed texts, so this questionnaire was not assigned.",
        }
    return {
        "nl": f"De vragen van de {name} worden niet meegeleverd. Je organisatie heeft ze nog "
        "niet ingevoerd; daarom is deze vragenlijst niet uitgezet.",
        "en": f"The questions of the {name} are not shipped. Your organization has not imported "
        "them, so this questionnaire was not assigned.",
    }


def _battery_actor(screening: Screening, actor: Actor) -> Actor:
    """Who assigns the questionnaires a battery holds back until the intake is in.

    A clinician who sends in the intake with the patient assigns them. When the patient
    sends it in, the platform carries out the clinician's battery: the audit trail names
    no user, and says on whose behalf (a patient cannot assign questionnaires).
    """
    if _is_clinician_of(actor, screening.patient):
        return actor
    clinician = screening.assigned_by
    return Actor(
        user=None,
        roles=frozenset({Role.CLINICIAN}),
        access_point=actor.access_point,
        on_behalf_of=f"screening battery assigned by {clinician.user.full_name}",
        memberships=(clinician,),
        system="screening battery",
    )


def _apply_decision(
    *,
    step: ScreeningStep,
    decision: StepDecision,
    actor: Actor,
    access: PatientAccess,
) -> None:
    """Carry out one planned step: assign its questionnaire, or record why not."""
    step.reason = _texts(decision.reason)
    if decision.status == "skip":
        step.status = Step.SKIPPED
    elif decision.status == "pending":
        step.status = Step.PENDING
    else:
        organization_id = access.patient.organization_id
        try:
            instrument = instrument_for(organization_id, decision.instrument)
        except UnknownInstrument:
            step.status = Step.UNAVAILABLE
            step.reason = _unavailable_reason(decision.instrument, known=False, licensed=False)
        else:
            if not has_item_texts(organization_id, instrument):
                step.status = Step.UNAVAILABLE
                step.reason = _unavailable_reason(
                    instrument.short_name,
                    known=True,
                    licensed=instrument.licence.kind == "licensed",
                )
            else:
                step.assignment = assignment_create(
                    actor=actor, access=access, instrument_code=decision.instrument
                )
                step.status = Step.ASSIGNED
    step.save()


def _set_status(screening: Screening) -> None:
    status = current_status(screening)
    if status != screening.status:
        screening.status = status
        screening.completed_at = timezone.now() if status == Screening.Status.COMPLETED else None
        screening.save(update_fields=["status", "completed_at"])

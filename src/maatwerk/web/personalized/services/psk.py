"""Choosing the PSK activities (Patiënt Specifieke Klachten) with the patient."""

from __future__ import annotations

from maatwerk.core.instruments.personalized import (
    NRS_MIN,
    PersonalizedMeasureError,
    PskActivity,
    psk_score,
)
from maatwerk.web.audit.audited import InputRefused, audited
from maatwerk.web.common.actor import Actor
from maatwerk.web.patients.opening import PatientAccess
from maatwerk.web.personalized.forms import PskForm
from maatwerk.web.personalized.models import MeasureItem, MeasureSet
from maatwerk.web.personalized.services._common import (
    NON_FIELD,
    Kind,
    care_team_user,
    close_active,
    error_message,
    set_subject,
)


def psk_create(*, actor: Actor, access: PatientAccess, form: PskForm) -> MeasureSet:
    """Record the 3–5 activities the patient chose (clinician with the patient).

    Replaces an active PSK set; its measurements stay readable.
    """
    with audited(
        actor=actor, action="create", subject=set_subject(access), emergency=access.emergency
    ) as note:
        user = care_team_user(actor, access)
        chosen = form.names()
        try:
            psk_score([PskActivity(name, NRS_MIN) for name in chosen])
        except PersonalizedMeasureError as error:
            raise InputRefused({NON_FIELD: [error_message(Kind.PSK, error)]}) from error
        close_active(access, Kind.PSK)
        measure_set = MeasureSet.objects.create(
            patient=access.patient, kind=Kind.PSK, created_by=user
        )
        MeasureItem.objects.bulk_create(
            MeasureItem(measure_set=measure_set, position=n, name=name)
            for n, name in enumerate(chosen, start=1)
        )
        note.about(object_ref=str(measure_set.public_id))
        note.detail = f"psk, {len(chosen)} activities"
        return measure_set

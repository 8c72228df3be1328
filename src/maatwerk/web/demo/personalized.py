"""Demo personalized measures: Sophie's PSK activities with ratings over time, and
Marieke's GAS goals with a baseline and a follow-up, entered by their clinicians."""

from __future__ import annotations

from datetime import date, timedelta

from django.utils import timezone

from maatwerk.web.accounts.models import User
from maatwerk.web.common.actor import Actor, actor_for_user
from maatwerk.web.patients.models import Patient
from maatwerk.web.patients.opening import Opened, PatientAccess, open_patient
from maatwerk.web.personalized import services
from maatwerk.web.personalized.forms import PskForm, RateForm
from maatwerk.web.personalized.models import MeasureSet

PSK_ACTIVITIES = ("Stofzuigen", "Een half uur wandelen", "Met de kleinkinderen spelen")
PSK_RATINGS = ((8, 7, 7), (7, 6, 6), (5, 5, 4), (4, 3, 4))  # baseline, then monthly


def demo_personalized_load(*, patients: dict[str, Patient], clinicians: dict[str, User]) -> None:
    today = timezone.localdate()
    sophie = patients["Sophie Jansen"]
    huisarts = actor_for_user(clinicians["huisarts"], access_point="cli demo")
    access = _access(huisarts, sophie)
    names = {f"activity-{n}": name for n, name in enumerate(PSK_ACTIVITIES)}
    psk = services.psk_create(actor=huisarts, access=access, form=PskForm(names))
    opened = Opened(object=psk, access=access)
    for month, ratings in enumerate(PSK_RATINGS):
        measured_on = today - timedelta(days=30 * (len(PSK_RATINGS) - 1 - month))
        services.measurement_create(
            actor=huisarts, opened=opened, form=_ratings(opened, ratings, measured_on)
        )

    marieke = patients["Marieke Hendriks"]
    psychologist = actor_for_user(clinicians["gz"], access_point="cli demo")
    access = _access(psychologist, marieke)
    gas = services.gas_set_create(
        actor=psychologist,
        access=access,
        goals=[
            services.GoalInput(
                name="Twee keer per week een uur in de tuin werken",
                weight="2",
                expected_outcome="Twee keer per week een uur, met pauzes volgens plan",
                levels={"-1": "Eén keer per week", "1": "Drie keer per week"},
                baseline="-1",
            ),
            services.GoalInput(
                name="Weer één middag per week met een vriendin afspreken",
                weight="1",
                expected_outcome="Eén middag per week",
                baseline="-1",
            ),
        ],
        measured_on=today - timedelta(days=60),
    )
    opened = Opened(object=gas, access=access)
    services.measurement_create(
        actor=psychologist,
        opened=opened,
        form=_ratings(opened, (0, 1), today - timedelta(days=3)),
    )


def _ratings(opened: Opened[MeasureSet], values: tuple[int, ...], measured_on: date) -> RateForm:
    """The rating form filled in with ``values`` (in item order) on ``measured_on``."""
    empty = RateForm(opened=opened)
    data = {RateForm.key(item): str(value) for item, value in zip(empty.items, values, strict=True)}
    return RateForm(data | {"measured_on": measured_on.isoformat()}, opened=opened)


def _access(actor: Actor, patient: Patient) -> PatientAccess:
    return open_patient(
        actor=actor,
        patient_id=str(patient.public_id),
        action="update",
        object_type="questionnaire",
    )

"""Demo personalized measures: Sophie's PSK activities with ratings over time, and
Marieke's GAS goals with a baseline and a follow-up, entered by their clinicians."""

from __future__ import annotations

from datetime import timedelta

from django.utils import timezone

from maatwerk.web.accounts.models import User
from maatwerk.web.common.actor import Actor, actor_for_user
from maatwerk.web.patients.models import Patient
from maatwerk.web.patients.selectors import PatientAccess, patient_access
from maatwerk.web.personalized import services
from maatwerk.web.personalized.selectors import MeasureSetAccess

PSK_ACTIVITIES = ("Stofzuigen", "Een half uur wandelen", "Met de kleinkinderen spelen")
PSK_RATINGS = ((8, 7, 7), (7, 6, 6), (5, 5, 4), (4, 3, 4))  # baseline, then monthly


def demo_personalized_load(*, patients: dict[str, Patient], clinicians: dict[str, User]) -> None:
    today = timezone.localdate()
    sophie = patients["Sophie Jansen"]
    huisarts = actor_for_user(clinicians["huisarts"], access_point="cli demo")
    access = _access(huisarts, sophie)
    psk = services.psk_set_create(actor=huisarts, access=access, names=list(PSK_ACTIVITIES))
    opened = MeasureSetAccess(measure_set=psk, access=access)
    items = list(psk.items.all())
    for month, ratings in enumerate(PSK_RATINGS):
        services.measurement_create(
            actor=huisarts,
            opened=opened,
            raw_values={
                str(item.public_id): str(r) for item, r in zip(items, ratings, strict=True)
            },
            measured_on=today - timedelta(days=30 * (len(PSK_RATINGS) - 1 - month)),
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
    items = list(gas.items.all())
    services.measurement_create(
        actor=psychologist,
        opened=MeasureSetAccess(measure_set=gas, access=access),
        raw_values={str(items[0].public_id): "0", str(items[1].public_id): "1"},
        measured_on=today - timedelta(days=3),
    )


def _access(actor: Actor, patient: Patient) -> PatientAccess:
    return patient_access(
        actor=actor,
        patient_id=str(patient.public_id),
        action="update",
        object_type="questionnaire",
    )

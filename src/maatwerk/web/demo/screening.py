"""Demo screenings: four patients went through the short general-practice battery
(intake, questionnaires, SCEGS exploration, computed profile and a decision on the level
of care — one of them overridden, with its reason); Henk has an open GGZ intake battery.

Everything goes through the screening services, so the demo shows what the software
itself computes; only the scores and the clinicians' judgements are invented.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from datetime import timedelta

from django.utils import timezone

from maatwerk.web.accounts.models import User
from maatwerk.web.common.actor import Actor, actor_for_user
from maatwerk.web.demo.questionnaires import INSTRUMENTS, spread
from maatwerk.web.patients.models import Patient
from maatwerk.web.patients.opening import Opened, open_patient
from maatwerk.web.questionnaires.services import assignment_record_completed
from maatwerk.web.screening import services
from maatwerk.web.screening.forms import (
    IntakeInput,
    ScegsInput,
    assign_form,
    decision_form,
    intake_form,
    scegs_form,
)
from maatwerk.web.screening.models import Screening, ScreeningStep
from maatwerk.web.screening.selectors import ScreeningAccess


@dataclass(frozen=True)
class _DemoScreening:
    patient: str
    clinician: str  # staff key of demo.services.STAFF
    complaints: tuple[str, ...]
    own_words: str
    first_problem: str
    wants_help_now: str
    modality: str
    totals: dict[str, int]  # invented total scores per instrument
    scegs: ScegsInput
    override: tuple[str, str] | None = None  # another level of care, and the reason
    judged: dict[str, str] = field(default_factory=dict)


SCREENINGS = (
    _DemoScreening(
        patient="Sophie Jansen",
        clinician="huisarts",
        complaints=("back_neck_pain", "fatigue", "sleep_problems"),
        own_words="Mijn rug doet al twee jaar pijn. Ik durf niet meer goed te bukken of te tillen.",
        first_problem="Weer kunnen wandelen en met de kleinkinderen spelen.",
        wants_help_now="yes",
        modality="blended",
        totals={"phq15": 14, "phq9": 8, "gad7": 6},
        scegs=ScegsInput(
            conditions=("low_back_pain",),
            duration_weeks="104",
            functional_limitation="moderate",
            judged_factors={
                "fear_of_movement": "present",
                "avoidance": "present",
                "social_support": "present",
                "acceptance": "absent",
            },
            notes="Vermijdt bukken en tillen sinds een val in de tuin.",
        ),
    ),
    _DemoScreening(
        patient="Yasmina Ouali",
        clinician="poh",
        complaints=("abdominal_pain", "bowel_complaints", "fatigue"),
        own_words="Buikpijn en een opgeblazen gevoel, vooral als ik gespannen ben.",
        first_problem="Minder piekeren over mijn buik.",
        wants_help_now="yes",
        modality="online",
        totals={"phq15": 12, "phq9": 11, "gad7": 13},
        scegs=ScegsInput(
            conditions=("irritable_bowel_syndrome",),
            duration_weeks="40",
            functional_limitation="moderate",
            comorbidity=("suspected_anxiety_disorder",),
            judged_factors={"symptom_focus": "present", "self_efficacy": "absent"},
        ),
    ),
    _DemoScreening(
        patient="Ahmet Yilmaz",
        clinician="poh",
        complaints=("fatigue", "sleep_problems", "concentration_problems"),
        own_words="Ik ben altijd moe en slaap slecht sinds de diabetes.",
        first_problem="Beter slapen zonder slaappillen.",
        wants_help_now="unsure",
        modality="face_to_face",
        totals={"phq15": 9, "phq9": 7, "gad7": 5},
        scegs=ScegsInput(
            conditions=("diabetes",),
            duration_weeks="60",
            functional_limitation="light",
            comorbidity=("chronic_somatic_disease",),
            medication=("long_term_benzodiazepine_use",),
            judged_factors={"poor_sleep": "present", "social_support": "present"},
            migration_background=True,
        ),
        override=(
            "huisarts",
            "Meneer wil eerst met zijn huisarts het afbouwen van de slaapmiddelen bespreken; "
            "daarna bekijken we samen opnieuw of begeleiding door de POH-GGZ nodig is.",
        ),
    ),
    _DemoScreening(
        patient="Bram Smits",
        clinician="huisarts",
        complaints=("headache",),
        own_words="Bijna elke dag hoofdpijn, vooral na het studeren.",
        first_problem="Weten wat ik zelf kan doen.",
        wants_help_now="yes",
        modality="online",
        totals={"phq15": 7, "phq9": 4, "gad7": 3},
        scegs=ScegsInput(
            conditions=("tension_headache",),
            duration_weeks="20",
            functional_limitation="light",
            judged_factors={"acceptance": "present", "self_efficacy": "present"},
        ),
    ),
)


def _answers(code: str, total: int, patient: Patient, rng: random.Random) -> dict[str, int]:
    _code, items, top = INSTRUMENTS[code]
    usable = [
        item
        for item in items
        # Item 9 of the PHQ-9 (self-harm) stays 0 in the demo: an alert is shown elsewhere.
        # PHQ-15 item 4 (menstrual complaints) is asked of women only.
        if item != "phq9_9" and not (item == "phq15_4" and patient.sex != "female")
    ]
    answers = spread(total, usable, top, rng)
    if code == "phq9":
        answers["phq9_9"] = 0
    return answers


def _actor(user: User) -> Actor:
    return actor_for_user(user, access_point="cli demo")


def _opened(actor: Actor, patient: Patient, screening: Screening) -> ScreeningAccess:
    access = open_patient(actor=actor, patient_id=str(patient.public_id), action="update")
    return Opened(object=screening, access=access)


def demo_screening_load(*, patients: dict[str, Patient], clinicians: dict[str, User]) -> int:
    """Create the demo screenings; returns how many profiles were computed."""
    rng = random.Random(4)
    computed = 0
    for demo in SCREENINGS:
        patient = patients[demo.patient]
        clinician = _actor(clinicians[demo.clinician])
        if patient.user is None:  # pragma: no cover - every demo patient has an account
            continue
        patient_actor = _actor(patient.user)
        access = open_patient(actor=clinician, patient_id=str(patient.public_id), action="create")
        screening = services.screening_assign(
            actor=clinician, access=access, form=assign_form(patient.organization_id, "gp_short")
        )
        services.intake_save(
            actor=patient_actor,
            opened=_opened(patient_actor, patient, screening),
            form=intake_form(
                patient.organization_id,
                IntakeInput(
                    complaints=demo.complaints,
                    own_words=demo.own_words,
                    first_problem=demo.first_problem,
                    wants_help_now=demo.wants_help_now,
                    modality=demo.modality,
                ),
            ),
            submit=True,
        )
        completed_at = timezone.now() - timedelta(days=3)
        for step in screening.steps.filter(status=ScreeningStep.Status.ASSIGNED):
            code = step.instrument_code
            if step.assignment is None or code not in demo.totals:
                continue
            assignment_record_completed(
                actor=patient_actor,
                assignment=step.assignment,
                answers=_answers(code, demo.totals[code], patient, rng),
                completed_at=completed_at,
            )
        opened = _opened(clinician, patient, screening)
        services.scegs_save(
            actor=clinician, opened=opened, form=scegs_form(patient.organization_id, demo.scegs)
        )
        snapshot = services.profile_compute(actor=clinician, opened=opened)
        computed += 1
        advised = str(snapshot.advice.get("care_level", ""))
        if demo.override is not None and demo.override[0] != advised:
            level, reason = demo.override
            services.care_level_decide(
                actor=clinician,
                opened=opened,
                form=decision_form(
                    patient.organization_id,
                    snapshot_id=str(snapshot.public_id),
                    decision="override",
                    care_level=level,
                    reason=reason,
                ),
            )
        else:
            services.care_level_decide(
                actor=clinician,
                opened=opened,
                form=decision_form(
                    patient.organization_id, snapshot_id=str(snapshot.public_id), decision="accept"
                ),
            )
    # An open screening: Henk has not started his GGZ intake yet.
    henk = patients["Henk Bos"]
    psychologist = _actor(clinicians["gz"])
    services.screening_assign(
        actor=psychologist,
        access=open_patient(actor=psychologist, patient_id=str(henk.public_id), action="create"),
        form=assign_form(henk.organization_id, "ggz_intake_full"),
    )
    return computed

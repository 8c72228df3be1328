"""Demo plans: Sophie and Yasmina have an active plan with three modules and two GAS
goals; Ahmet has a draft plan in which his POH-GGZ removed a recommended module, with
the reason recorded. The modules kept match the ones the treatment demo already gave
(the G-schema for both, graded activity for Sophie); activation keeps those open
assignments as they are.

Everything goes through the planning services, on the profiles the demo screenings
computed, so the recommendation shown is the software's own; the preferences, the
decisions and the goals (in the patients' words) are invented.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from maatwerk.web.accounts.models import User
from maatwerk.web.common.actor import actor_for_user
from maatwerk.web.patients.models import Patient
from maatwerk.web.patients.opening import open_patient
from maatwerk.web.personalized.services import GoalInput
from maatwerk.web.planning import services
from maatwerk.web.planning.forms import DecideForm, GoalsForm, Preferences
from maatwerk.web.planning.selectors import OBJECT_PLAN, planned_modules_of


@dataclass(frozen=True)
class _DemoPlan:
    patient: str
    clinician: str  # staff key of demo.services.STAFF
    preferences: Preferences
    removals: dict[str, str] = field(default_factory=dict)  # module id -> reason
    keep: tuple[str, ...] | None = None  # None: every module the recommendation names
    goals: tuple[GoalInput, ...] = ()
    activate: bool = False


LATER = "Plannen we als de eerste modules klaar zijn."
CHOSEN = "Samen gekozen: past bij de eigen doelen van de patiënt."


def _goal(name: str, weight: str, levels: tuple[str, str, str, str, str]) -> GoalInput:
    much_less, less, expected, more, much_more = levels
    return GoalInput(
        name=name,
        weight=weight,
        expected_outcome=expected,
        levels={"-2": much_less, "-1": less, "1": more, "2": much_more},
        baseline="-1",  # chosen with the patient: below the expected outcome
    )


PLANS = (
    _DemoPlan(
        patient="Sophie Jansen",
        clinician="huisarts",
        preferences=Preferences(
            modality="blended",
            excluded={
                "acceptance_values": "Ik wil eerst weer in beweging komen.",
            },
        ),
        keep=("psychoeducation_vicious_circle", "graded_activity", "g_schema"),
        removals={
            "exposure_hierarchy": "Eerst stap voor stap actiever; de oefenladder voor bukken "
            "en tillen volgt daarna.",
            "behavioural_experiments": "Later, als dat dan nog nodig is.",
            "relapse_prevention": LATER,
        },
        goals=(
            _goal(
                "Weer een half uur wandelen met de kleinkinderen",
                "2",
                (
                    "Niet wandelen",
                    "Tien minuten rond het huis",
                    "Twee keer per week een half uur",
                    "Drie keer per week een half uur",
                    "Elke dag een half uur",
                ),
            ),
            _goal(
                "De boodschappen zelf weer in de kast zetten",
                "1",
                (
                    "Mijn man doet alles",
                    "Alleen de lichte dingen",
                    "Alles, met pauzes",
                    "Alles, zonder pauze",
                    "Ook de kratten water tillen",
                ),
            ),
        ),
        activate=True,
    ),
    _DemoPlan(
        patient="Yasmina Ouali",
        clinician="poh",
        preferences=Preferences(
            modality="online",
            excluded={"strengths_success": "Daar heb ik nu geen behoefte aan."},
        ),
        keep=("psychoeducation_vicious_circle", "g_schema", "relapse_prevention"),
        goals=(
            _goal(
                "Minder piekeren over mijn buik",
                "2",
                (
                    "De hele dag piekeren",
                    "Meer dan drie uur per dag",
                    "Hooguit een uur per dag",
                    "Hooguit een half uur per dag",
                    "Bijna niet meer",
                ),
            ),
            _goal(
                "Weer met collega's gaan lunchen",
                "1",
                (
                    "Nooit",
                    "Eén keer per maand",
                    "Eén keer per week",
                    "Twee keer per week",
                    "Bijna elke werkdag",
                ),
            ),
        ),
        activate=True,
    ),
    _DemoPlan(
        patient="Ahmet Yilmaz",
        clinician="poh",
        preferences=Preferences(modality="face_to_face"),
        removals={
            "sleep": "Meneer bespreekt eerst met zijn huisarts het afbouwen van de "
            "slaapmiddelen; de slaapmodule volgt daarna.",
        },
    ),
)


def demo_planning_load(*, patients: dict[str, Patient], clinicians: dict[str, User]) -> None:
    for demo in PLANS:
        patient = patients[demo.patient]
        actor = actor_for_user(clinicians[demo.clinician], access_point="cli demo")
        access = open_patient(
            actor=actor, patient_id=str(patient.public_id), action="update", object_type=OBJECT_PLAN
        )
        plan = services.plan_prepare(actor=actor, access=access, form=demo.preferences.form())
        in_plan = [row.module_id for row in planned_modules_of(plan)]
        removals = dict(demo.removals)
        if demo.keep is not None:
            # The recommendation follows the demo screening and formulation; whatever
            # else it names is planned for later, with that reason recorded.
            removals = {m: removals.get(m, LATER) for m in in_plan if m not in demo.keep}
        for module_id, reason in removals.items():
            if module_id in in_plan:
                services.plan_decide(
                    actor=actor,
                    access=access,
                    form=DecideForm({"module": module_id, "action": "remove", "reason": reason}),
                )
        for module_id in demo.keep or ():
            if module_id not in in_plan:
                services.plan_decide(
                    actor=actor,
                    access=access,
                    form=DecideForm({"module": module_id, "action": "add", "reason": CHOSEN}),
                )
        if demo.goals:
            services.plan_goals_set(actor=actor, access=access, form=GoalsForm.of(demo.goals))
        if demo.activate:
            services.plan_activate(actor=actor, access=access)

"""Demo formulations: Sophie, Yasmina and Ahmet built a formulation with their clinician.

Each starts from the patient's screening (``prefill_from_profile``, version 1), then the
clinician writes down the patient's own words and closes the vicious circle (version 2),
shares the explanation, and the patient answers: Sophie and Ahmet recognize themselves,
Yasmina comments. Everything goes through the formulation services; only the words and
the circles are invented.
"""

from __future__ import annotations

from dataclasses import dataclass

from maatwerk.core.formulation import (
    CircleGraph,
    Complaint,
    Consequence,
    Edge,
    Formulation,
    FunctionalAnalysis,
    Goal,
    Node,
)
from maatwerk.web.accounts.models import User
from maatwerk.web.common.actor import Actor, actor_for_user
from maatwerk.web.demo.screening import SCREENINGS
from maatwerk.web.formulation import services
from maatwerk.web.formulation.forms import response_form, start_form
from maatwerk.web.patients.models import Patient
from maatwerk.web.patients.opening import Opened, open_patient


@dataclass(frozen=True)
class _DemoFormulation:
    patient: str
    document: Formulation
    agreed: bool
    comment: str = ""


FORMULATIONS = (
    _DemoFormulation(
        patient="Sophie Jansen",
        document=Formulation(
            complaints=(
                Complaint("complaint", "Mijn rug doet al twee jaar pijn", "back_neck_pain"),
                Complaint("tired", "Ik ben snel moe"),
            ),
            consequences=(
                Consequence(
                    "fear_of_movement",
                    "emotional",
                    "Ik ben bang dat bukken mijn rug kapot maakt",
                    True,
                    "fear_of_movement",
                ),
                Consequence(
                    "avoidance", "behavioural", "Ik til en buk niet meer", True, "avoidance"
                ),
                Consequence(
                    "deconditioning",
                    "physical",
                    "Mijn spieren zijn slapper geworden",
                    True,
                    "deconditioning",
                ),
                Consequence(
                    "grandchildren", "social", "Ik pas niet meer op de kleinkinderen", False
                ),
            ),
            goals=(
                Goal("walk", "Elke dag tien minuten wandelen", True, True, True),
                Goal("play", "Weer met de kleinkinderen spelen", True, False, None),
            ),
            functional_analyses=(
                FunctionalAnalysis(
                    "garden",
                    "Onkruid wieden in de tuin",
                    thoughts=("Straks schiet het weer in mijn rug",),
                    feelings=("bang",),
                    behaviour=("Ik laat het liggen",),
                    short_term=("Geen pijn, opgelucht",),
                    long_term=("De tuin groeit dicht en ik beweeg nog minder",),
                ),
            ),
            circle=CircleGraph(
                nodes=(
                    Node("complaint", "complaint", "Pijn in mijn rug"),
                    Node(
                        "fear_of_movement",
                        "feeling",
                        "Bang dat bukken mijn rug kapot maakt",
                        "fear_of_movement",
                        "fear_of_movement",
                    ),
                    Node(
                        "avoidance",
                        "behaviour",
                        "Ik til en buk niet meer",
                        "avoidance",
                        "avoidance",
                    ),
                    Node(
                        "deconditioning",
                        "physical",
                        "Slappere spieren",
                        "deconditioning",
                        "deconditioning",
                    ),
                ),
                edges=(
                    Edge("complaint", "fear_of_movement", "maakt me bang"),
                    Edge("fear_of_movement", "avoidance"),
                    Edge("avoidance", "deconditioning"),
                    Edge("deconditioning", "complaint", "maakt erger"),
                ),
            ),
        ),
        agreed=True,
    ),
    _DemoFormulation(
        patient="Yasmina Ouali",
        document=Formulation(
            complaints=(Complaint("complaint", "Buikpijn en een opgeblazen gevoel"),),
            consequences=(
                Consequence(
                    "symptom_focus",
                    "cognitive",
                    "Ik let de hele dag op mijn buik",
                    True,
                    "symptom_focus",
                ),
                Consequence(
                    "tension", "emotional", "Ik word gespannen als ik iets voel", True, None
                ),
                Consequence("eating", "behavioural", "Ik sla maaltijden over", True),
            ),
            goals=(Goal("worry", "Minder piekeren over mijn buik", True, False, None),),
            circle=CircleGraph(
                nodes=(
                    Node("complaint", "complaint", "Buikpijn"),
                    Node(
                        "symptom_focus",
                        "thought",
                        "Ik let steeds op mijn buik",
                        "symptom_focus",
                        "symptom_focus",
                    ),
                    Node("tension", "feeling", "Gespannen", consequence_id="tension"),
                    Node("eating", "behaviour", "Maaltijden overslaan", consequence_id="eating"),
                ),
                edges=(
                    Edge("complaint", "symptom_focus"),
                    Edge("symptom_focus", "tension"),
                    Edge("tension", "complaint", "maakt erger"),
                    Edge("tension", "eating"),
                ),
            ),
        ),
        agreed=False,
        comment="Het klopt, maar het begint bij mij vaak met stress op mijn werk.",
    ),
    _DemoFormulation(
        patient="Ahmet Yilmaz",
        document=Formulation(
            complaints=(Complaint("complaint", "Ik ben altijd moe"),),
            consequences=(
                Consequence("poor_sleep", "physical", "Ik slaap slecht", True, "poor_sleep"),
                Consequence("naps", "behavioural", "Ik slaap overdag", True),
            ),
            goals=(Goal("sleep", "Om elf uur naar bed en om zeven uur op", True, True, True),),
            circle=CircleGraph(
                nodes=(
                    Node("complaint", "complaint", "Altijd moe"),
                    Node("naps", "behaviour", "Overdag slapen", consequence_id="naps"),
                    Node(
                        "poor_sleep",
                        "physical",
                        "'s Nachts slecht slapen",
                        "poor_sleep",
                        "poor_sleep",
                    ),
                ),
                edges=(
                    Edge("complaint", "naps"),
                    Edge("naps", "poor_sleep"),
                    Edge("poor_sleep", "complaint", "maakt erger"),
                ),
            ),
        ),
        agreed=True,
    ),
)


def _actor(user: User) -> Actor:
    return actor_for_user(user, access_point="cli demo")


def demo_formulation_load(*, patients: dict[str, Patient], clinicians: dict[str, User]) -> int:
    """Create the demo formulations; returns how many were made."""
    clinician_of = {demo.patient: demo.clinician for demo in SCREENINGS}
    made = 0
    for demo in FORMULATIONS:
        patient = patients[demo.patient]
        if patient.user is None:  # pragma: no cover - every demo patient has an account
            continue
        clinician = _actor(clinicians[clinician_of[demo.patient]])
        access = open_patient(actor=clinician, patient_id=str(patient.public_id), action="create")
        formulation = services.formulation_start(
            actor=clinician, access=access, form=start_form(from_screening=True)
        )
        opened = Opened(object=formulation, access=access)
        services.formulation_save(
            actor=clinician, opened=opened, document=demo.document, note="consult"
        )
        services.formulation_share(actor=clinician, opened=opened)
        patient_actor = _actor(patient.user)
        services.response_record(
            actor=patient_actor,
            opened=Opened(
                object=formulation,
                access=open_patient(
                    actor=patient_actor, patient_id=str(patient.public_id), action="create"
                ),
            ),
            form=response_form(agreed=demo.agreed, comment=demo.comment),
        )
        made += 1
    return made

"""Demo treatment: Sophie works on the G-schema and graded-activity modules. She handed
in a G-schema and got written feedback from her POH-GGZ, handed in a baseline week and
keeps an activity log, and has a short message thread with her care team. Yasmina
handed in a G-schema that is still waiting for feedback, so the POH-GGZ's inbox shows a
badge.

Everything goes through the treatment services, so the demo shows what the software
itself does (quotas are computed by the planning core); only the texts are invented.
"""

from __future__ import annotations

from datetime import date, timedelta

from django.utils import timezone

from maatwerk.web.accounts.models import User
from maatwerk.web.common.actor import Actor, actor_for_user
from maatwerk.web.patients.models import Patient
from maatwerk.web.patients.opening import Opened, PatientAccess, open_patient
from maatwerk.web.treatment import services
from maatwerk.web.treatment.forms import ExerciseFieldForm
from maatwerk.web.treatment.models import ExerciseResponse, Feedback, Message, ModuleAssignment

BASELINE_MINUTES = (20, 35, 15, 30, 25, 10, 40)  # a week of up and down: mean 25
LOGGED_MINUTES = (20, 20, 30, 20, 15, 20)  # one day over, one day under the quota


def _access(actor: Actor, patient: Patient, action: str = "create") -> PatientAccess:
    return open_patient(actor=actor, patient_id=str(patient.public_id), action=action)


def _patient_actor(patient: Patient) -> Actor:
    if patient.user is None:  # every demo patient has an account
        raise LookupError(patient.full_name)
    return actor_for_user(patient.user, access_point="cli demo")


def _hand_in(
    patient_actor: Actor,
    opened: Opened[ModuleAssignment],
    exercise_id: str,
    answers: dict[str, object],
) -> ExerciseResponse:
    handed = services.exercise_hand_in(
        actor=patient_actor, opened=opened, exercise_id=exercise_id, posted=answers
    )
    if not handed.handed_in:  # the demo answers are complete; this is a programming error
        raise ValueError(handed.problems)
    return handed.response


def _days(first: date, minutes: tuple[int, ...], activity: str) -> list[dict[str, object]]:
    return [
        {
            "date": (first + timedelta(days=offset)).isoformat(),
            "activity": activity,
            "minutes": str(value),
        }
        for offset, value in enumerate(minutes)
    ]


def demo_treatment_load(*, patients: dict[str, Patient], clinicians: dict[str, User]) -> None:
    today = timezone.localdate()
    now = timezone.now()
    poh = actor_for_user(clinicians["poh"], access_point="cli demo")

    sophie = patients["Sophie Jansen"]
    sophie_actor = _patient_actor(sophie)
    g_schema, graded = services.modules_assign(
        actor=poh,
        access=_access(poh, sophie),
        module_ids=["g_schema", "graded_activity"],
    )
    own = _access(sophie_actor, sophie, "update")
    g_response = _hand_in(
        sophie_actor,
        Opened(object=g_schema, access=own),
        "g_schema",
        {
            "event": "Ik wilde de was ophangen en voelde een steek in mijn onderrug.",
            "thoughts": "Nu is het mis. Als ik doorga, maak ik mijn rug kapot.",
            "feeling": "bang en somber",
            "feeling_strength": "8",
            "behaviour": "Ik ben gaan liggen en heb de rest van de middag niets meer gedaan.",
            "result": "Mijn rug werd stijver en ik voelde me nutteloos.",
        },
    )
    ExerciseResponse.objects.filter(pk=g_response.pk).update(
        submitted_at=now - timedelta(days=5), updated_at=now - timedelta(days=5)
    )
    feedback = services.feedback_give(
        actor=poh,
        opened=Opened(object=g_response, access=_access(poh, sophie, "create")),
        text=(
            "Wat goed dat je dit moment zo precies hebt opgeschreven, Sophie. Je ziet hier "
            "de vicieuze cirkel: de gedachte ‘ik maak mijn rug kapot’ maakt je bang, en "
            "liggen maakt je rug juist stijver. Kijk deze week bij stap 2 naar de "
            "uitdaagvragen: welk bewijs heb je voor die gedachte?"
        ),
    )
    Feedback.objects.filter(pk=feedback.pk).update(created_at=now - timedelta(days=4))

    graded_opened = Opened(object=graded, access=own)
    baseline_first = today - timedelta(days=14)
    _hand_in(
        sophie_actor,
        graded_opened,
        "baseline_log",
        {"days": _days(baseline_first, BASELINE_MINUTES, "wandelen")},
    )
    services.activity_target_set(
        actor=poh, opened=Opened(object=graded, access=_access(poh, sophie)), minutes=60
    )
    log_first = baseline_first + timedelta(days=len(BASELINE_MINUTES))
    services.exercise_field_save(
        actor=sophie_actor,
        opened=graded_opened,
        exercise_id="activity_log",
        form=ExerciseFieldForm.of(
            "days",
            [
                {**row, "planned_minutes": "20", "kept_to_plan": kept}
                for row, kept in zip(
                    _days(log_first, LOGGED_MINUTES, "wandelen"),
                    ("yes", "yes", "more", "yes", "less", "yes"),
                    strict=True,
                )
            ],
            stamp=int(now.timestamp() * 1000),
        ),
    )

    thread = _access(sophie_actor, sophie, "create")
    services.message_send(
        actor=sophie_actor,
        access=thread,
        text="Mag ik op een goede dag toch wat langer wandelen? Het ging gisteren zo goed.",
    )
    services.message_send(
        actor=poh,
        access=_access(poh, sophie),
        text=(
            "Fijn dat het goed ging! Houd je toch aan je 20 minuten. Zo voorkom je dat je "
            "na een goede dag weer een paar slechte dagen hebt. Volgende week gaat je tijd "
            "omhoog."
        ),
    )
    services.message_send(
        actor=sophie_actor, access=thread, text="Dank je, dan houd ik het bij 20 minuten."
    )
    for offset, message in enumerate(Message.objects.filter(patient=sophie).order_by("pk")):
        Message.objects.filter(pk=message.pk).update(
            created_at=now - timedelta(days=3 - offset, hours=2)
        )

    yasmina = patients["Yasmina Ouali"]
    yasmina_actor = _patient_actor(yasmina)
    (assignment,) = services.modules_assign(
        actor=poh, access=_access(poh, yasmina), module_ids=["g_schema"]
    )
    _hand_in(
        yasmina_actor,
        Opened(object=assignment, access=_access(yasmina_actor, yasmina, "update")),
        "g_schema",
        {
            "event": "Na de lunch op mijn werk kreeg ik buikpijn en een opgeblazen gevoel.",
            "thoughts": "Iedereen ziet het. Straks moet ik weer naar huis.",
            "feeling": "gespannen",
            "feeling_strength": "7",
            "behaviour": "Ik ben de rest van de dag niet meer naar de kantine gegaan.",
            "result": "Ik at niets meer en voelde me alleen.",
        },
    )

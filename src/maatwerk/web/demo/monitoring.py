"""Demo monitoring: four weeks of daily-life questions (EMA) and ROM for three patients,
with their notes on the charts, made through the real services with a fixed seed.
(Every questionnaire course of the demo comes from :mod:`.questionnaires`.)

* Sophie Jansen answers most questions; on active afternoons her pain is lower and her
  mood rises. She wrote notes on two days ("what happened here?").
* Henk Bos answered for three weeks and then stopped: the last five days went out
  unanswered, and his four-weekly ROM questionnaire is overdue (the caseload shows both).
* Yasmina Ouali answers about half; a few of her e-mails bounced last week.

The schedules are created by the monitoring services, their prompts by the real
materializing step, every state change goes through the delivery state machine
(``record_event``), and each answer through the patient's own answer service (audited
as the patient). All values are invented; the generator is seeded, so every demo has the
same data. About 250 answers: a second or two of `make demo`.
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import datetime, time, timedelta

from django.utils import timezone

from maatwerk.core.monitoring.delivery import DeliveryEvent
from maatwerk.core.monitoring.ema import EmaSchedule
from maatwerk.core.monitoring.rom import RomCourse, RomRule, rom_rule_to_data
from maatwerk.web.accounts.models import User
from maatwerk.web.common.actor import actor_for_user
from maatwerk.web.monitoring import services
from maatwerk.web.monitoring.delivery import materialize_schedule, record_event
from maatwerk.web.monitoring.models import Channel, Prompt, RomDefault
from maatwerk.web.ownresults import services as result_services
from maatwerk.web.ownresults.forms import NoteForm
from maatwerk.web.ownresults.models import DAY_TOPIC
from maatwerk.web.patients.models import Patient
from maatwerk.web.patients.opening import Audience, open_child, open_own_record, open_patient

SEED = 1414
DAYS = 28
TIMES = (time(9, 0), time(13, 30), time(19, 0))
CARE_LEVEL = "basic"


@dataclass(frozen=True)
class _Plan:
    patient: str
    clinician: str  # who starts the schedules: one of the patient's care team
    items: tuple[str, ...]
    answer_rate: float
    stopped_days: int = 0  # the last days without any answer
    bounced_days: int = 0  # the last days on which some e-mails bounced


PLANS = (
    _Plan(
        "Sophie Jansen",
        "poh",
        ("bank:pain", "bank:physical_activity", "bank:mood_cheerful", "bank:fatigue"),
        0.85,
    ),
    _Plan(
        "Henk Bos",
        "gz",
        ("bank:fatigue", "bank:physical_activity", "bank:mood_down"),
        0.75,
        stopped_days=5,
    ),
    _Plan(
        "Yasmina Ouali",
        "poh",
        ("bank:pain", "bank:physical_activity", "bank:worry", "bank:mood_cheerful"),
        0.5,
        bounced_days=6,
    ),
)

# Sophie's notes on her charts: (days ago, text).
NOTES = (
    (17, "Verjaardag van mijn zus, lang gestaan en daarna veel pijn."),
    (6, "Eerste keer weer een half uur gewandeld. Ging beter dan gedacht."),
)


def _answers(
    plan: _Plan, rng: random.Random, day_index: int, slot: int, active: bool
) -> dict[str, int]:
    """Invented answers: pain slowly falls over the weeks and is lower on active
    moments; mood is better after being active."""
    trend = day_index / DAYS
    found: dict[str, int] = {}
    for key in plan.items:
        if key == "bank:physical_activity":
            value = rng.randint(6, 9) if active else rng.randint(0, 4)
            found[key] = value
            continue
        if key == "bank:pain":
            base = 65 - 20 * trend - (15 if active else 0)
        elif key in ("bank:mood_cheerful",):
            base = 35 + 15 * trend + (15 if active else 0)
        elif key == "bank:mood_down":
            base = 55 - (10 if active else 0)
        elif key == "bank:fatigue":
            base = 60 + 5 * slot - (5 if active else 0)
        else:  # worry
            base = 50 - 10 * trend
        found[key] = max(0, min(100, round(base + rng.gauss(0, 8))))
    return found


def _run_prompts(
    plan: _Plan, patient: Patient, prompts: list[Prompt], rng: random.Random, now: datetime
) -> int:
    """Send, deliver, answer or expire each prompt that is over (as the worker and the
    patient would have); the open and future ones are left to the real worker."""
    if patient.user is None:  # pragma: no cover - every demo patient has an account
        return 0
    actor = actor_for_user(patient.user, access_point="cli demo")
    first_day = timezone.localdate(now - timedelta(days=DAYS))
    answered = 0
    for prompt in prompts:
        if prompt.expires_at > now:
            continue
        days_left = (timezone.localdate(now) - timezone.localdate(prompt.due_at)).days
        record_event(prompt.pk, DeliveryEvent.SEND, at=prompt.due_at, channel=prompt.channel)
        if plan.bounced_days and days_left < plan.bounced_days and rng.random() < 0.3:
            record_event(
                prompt.pk,
                DeliveryEvent.BOUNCE,
                at=prompt.due_at + timedelta(seconds=20),
                channel=Channel.EMAIL,
                detail="address refused the message",
            )
            continue
        if prompt.channel == Channel.CONSOLE:  # the console channel reports delivery
            record_event(prompt.pk, DeliveryEvent.DELIVER, at=prompt.due_at, channel="console")
        if days_left < plan.stopped_days or rng.random() > plan.answer_rate:
            record_event(prompt.pk, DeliveryEvent.EXPIRE, at=prompt.expires_at)
            continue
        at = prompt.due_at + timedelta(minutes=rng.randint(1, 20))
        slot = int(prompt.key.rsplit(":", 1)[1])
        day_index = (timezone.localdate(prompt.due_at) - first_day).days
        opened = open_child(
            actor=actor,
            model=Prompt,
            object_id=str(prompt.public_id),
            action="update",
            object_type=services.PROMPT,
            audience=Audience.PATIENT,
            related=("schedule",),
        )
        # Afternoons are the active moments on most days.
        active = slot == 1 and rng.random() < 0.7
        services.answer_prompt(actor, opened, _answers(plan, rng, day_index, slot, active), now=at)
        answered += 1
    return answered


def demo_monitoring_load(
    *, patients: dict[str, Patient], clinicians: dict[str, User], now: datetime | None = None
) -> int:
    """Create the demo's monitoring; returns how many answers were given."""
    now = now or timezone.now()
    rng = random.Random(SEED)
    start = now - timedelta(days=DAYS)
    organization_id = next(iter(patients.values())).organization_id
    RomDefault.objects.get_or_create(
        organization_id=organization_id,
        care_level=CARE_LEVEL,
        defaults={
            "rules": [
                rom_rule_to_data(RomRule("phq9", every_weeks=4)),
                rom_rule_to_data(RomRule("gad7", every_weeks=4)),
            ]
        },
    )
    answered = 0
    for plan in PLANS:
        patient = patients[plan.patient]
        actor = actor_for_user(clinicians[plan.clinician], access_point="cli demo")
        opened = open_patient(
            actor=actor,
            patient_id=str(patient.public_id),
            action="create",
            audience=Audience.CARE_TEAM,
        )
        schedule = services.create_ema_schedule(
            actor,
            opened,
            schedule=EmaSchedule(
                start_date=start.date(),
                days=DAYS + 14,
                seed=SEED,
                fixed_times=TIMES,
                response_window=timedelta(minutes=60),
                reminder_after=timedelta(minutes=20),
            ),
            items=[{"key": key} for key in plan.items],
            channel=Channel.EMAIL if plan.bounced_days else Channel.CONSOLE,
            now=start - timedelta(hours=1),
        )
        materialize_schedule(schedule, now=now)
        prompts = list(schedule.prompts.order_by("due_at"))
        answered += _run_prompts(plan, patient, prompts, rng, now)
        if plan.patient == "Henk Bos":
            rom = services.create_rom_schedule(
                actor,
                opened,
                care_level=CARE_LEVEL,
                course=RomCourse(
                    started_on=(start - timedelta(days=6)).date(),
                    anchors=((start - timedelta(days=6)).date(),),
                ),
                channel=Channel.CONSOLE,
                now=start - timedelta(days=7),
            )
            materialize_schedule(rom, now=now)
            for prompt in rom.prompts.filter(due_at__lte=now).order_by("due_at"):
                record_event(prompt.pk, DeliveryEvent.SEND, at=prompt.due_at, channel="console")
    sophie = patients["Sophie Jansen"]
    if sophie.user is None:  # pragma: no cover - every demo patient has an account
        return answered
    patient_actor = actor_for_user(sophie.user, access_point="cli demo")
    for days_ago, text in NOTES:
        access = open_own_record(
            actor=patient_actor, action="create", object_type=result_services.OBJECT_NOTE
        )
        day = timezone.localdate(now - timedelta(days=days_ago))
        result_services.note_add(
            patient_actor,
            access,
            NoteForm({"topic": DAY_TOPIC, "day": day.isoformat(), "text": text}),
        )
    return answered

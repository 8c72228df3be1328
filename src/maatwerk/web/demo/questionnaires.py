"""Demo questionnaire history: a baseline and monthly repeats that follow an invented
course per patient, and one safety alert waiting for the GP.

The history is answered only. A patient's open questionnaires come from the screenings
assigned later (Sophie's chronic-pain battery, Henk's GGZ intake): an open PHQ-9 here as
well gave Sophie the same questionnaire open twice.
"""

from __future__ import annotations

import random
from datetime import datetime, timedelta

from django.utils import timezone

from maatwerk.core.instruments.registry import get_instrument
from maatwerk.web.common.actor import Actor
from maatwerk.web.patients.models import Patient
from maatwerk.web.questionnaires.models import Assignment
from maatwerk.web.questionnaires.services import assignment_record_completed

# (instrument, item ids, highest answer) for the bundled public-domain questionnaires.
PHQ9 = ("phq9", [f"phq9_{n}" for n in range(1, 10)], 3)
GAD7 = ("gad7", [f"gad7_{n}" for n in range(1, 8)], 3)
PHQ15 = ("phq15", [f"phq15_{n}" for n in range(1, 16)], 2)

# Invented courses: total scores at baseline and each month after.
COURSES: dict[str, dict[str, list[int]]] = {
    "Sophie Jansen": {"phq9": [14, 12, 9, 7], "phq15": [17, 15, 12, 10]},
    "Henk Bos": {"phq9": [11, 11, 12, 11, 12, 11], "gad7": [6, 7, 6, 6, 7, 6]},
    "Yasmina Ouali": {"gad7": [13, 10], "phq15": [14, 12]},
    "Kees van Dijk": {"gad7": [15, 12, 8]},
    "Marieke Hendriks": {"phq9": [18, 17, 15, 13, 10, 9, 8, 7]},
    "Lucas Peters": {"gad7": [16]},
    "Anouk Willems": {"phq9": [9, 10, 12, 13, 15], "phq15": [20, 21, 22, 22, 23]},
    "Ahmet Yilmaz": {"phq9": [12, 10, 9, 8, 8, 7, 6]},
    "Eva de Graaf": {"phq9": [10, 8, 7], "gad7": [9, 7, 6]},
    "Bram Smits": {"phq15": [11, 9]},
}
INSTRUMENTS = {code: (code, items, top) for code, items, top in (PHQ9, GAD7, PHQ15)}


def spread(total: int, items: list[str], top: int, rng: random.Random) -> dict[str, int]:
    """Answers that add up to ``total``: each item 0..top, filled in a random order."""
    if not 0 <= total <= top * len(items):
        raise ValueError(f"{total} cannot be reached with {len(items)} items of 0..{top}")
    answers = dict.fromkeys(items, 0)
    remaining = total
    while remaining:
        item = rng.choice([i for i in items if answers[i] < top])
        answers[item] += 1
        remaining -= 1
    return answers


def demo_questionnaires_load(*, actor: Actor, patients: dict[str, Patient]) -> int:
    """Create the history; returns how many questionnaires were recorded."""
    rng = random.Random(2026)
    now = timezone.now()
    recorded = 0
    for name, courses in COURSES.items():
        patient = patients[name]
        episode = patient.episodes.filter(status="active").first()
        first_member = episode.care_team.first() if episode else None
        if episode is None or first_member is None:
            continue
        membership = first_member.membership
        start = datetime.combine(episode.start_date, datetime.min.time(), tzinfo=now.tzinfo)
        for code, totals in courses.items():
            _, items, top = INSTRUMENTS[code]
            for month, total in enumerate(totals):
                when = min(start + timedelta(days=30 * month + 2), now - timedelta(days=1))
                answers = spread(total, items, top, rng)
                if code == "phq9":
                    answers["phq9_9"] = 0
                    answers = _rebalance(answers, total, top, rng)
                if code == "phq15" and patient.sex != "female":
                    answers.pop("phq15_4", None)
                    answers = _rebalance(answers, min(total, top * len(answers)), top, rng)
                assignment = Assignment.objects.create(
                    patient=patient,
                    instrument_code=code,
                    instrument_version=get_instrument(code).version,
                    assigned_by=membership,
                    assigned_at=when - timedelta(days=1),
                    status=Assignment.Status.OPEN,
                )
                assignment_record_completed(
                    actor=actor, assignment=assignment, answers=answers, completed_at=when
                )
                recorded += 1
    _alert(actor=actor, patients=patients, now=now)
    return recorded


def _rebalance(answers: dict[str, int], total: int, top: int, rng: random.Random) -> dict[str, int]:
    free = [i for i in answers if i != "phq9_9"]
    return {**spread(total, free, top, rng), **{k: v for k, v in answers.items() if k not in free}}


def _alert(*, actor: Actor, patients: dict[str, Patient], now: datetime) -> None:
    """Lucas answered item 9 of the PHQ-9 above zero: an alert waits for his GP."""
    lucas = patients["Lucas Peters"]
    lucas_coordinator = (
        lucas.episodes.get(status="active").care_team.get(is_coordinator=True).membership
    )
    worrying = Assignment.objects.create(
        patient=lucas,
        instrument_code="phq9",
        instrument_version=get_instrument("phq9").version,
        assigned_by=lucas_coordinator,
        assigned_at=now - timedelta(days=2),
    )
    answers = {
        f"phq9_{n}": v for n, v in zip(range(1, 10), [2, 2, 1, 2, 1, 2, 1, 1, 1], strict=True)
    }
    assignment_record_completed(
        actor=actor, assignment=worrying, answers=answers, completed_at=now - timedelta(hours=3)
    )

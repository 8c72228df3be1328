"""Skip logic of the screening batteries."""

from __future__ import annotations

import pytest

from maatwerk.core.instruments.registry import get_instrument
from maatwerk.core.screening.batteries import plan_battery
from maatwerk.core.screening.definitions import Battery
from maatwerk.core.screening.errors import ScreeningInputError
from maatwerk.core.screening.model import PatientPriorities
from tests.core.screening.patients import CONTENT


def statuses(battery: str, priorities: PatientPriorities | None) -> dict[str, str]:
    return {d.instrument: d.status for d in plan_battery(battery, priorities, content=CONTENT)}


def test_pain_includes_fear_of_movement_and_catastrophizing() -> None:
    # Back pain is a pain complaint, so TSK and PCS are part of the GP battery.
    decisions = plan_battery(
        "gp_short", PatientPriorities(complaints=("back_neck_pain", "fatigue")), content=CONTENT
    )
    assert [(d.instrument, d.status) for d in decisions] == [
        ("phq15", "include"),
        ("phq9", "include"),
        ("gad7", "include"),
        ("tsk", "include"),
        ("pcs", "include"),
    ]
    assert decisions[3].reason["en"] == "Fear of movement: the patient reports pain."


def test_no_pain_skips_them_with_a_reason_in_both_languages() -> None:
    # Fatigue and tinnitus are not pain complaints.
    decisions = plan_battery(
        "ggz_intake_full", PatientPriorities(complaints=("fatigue", "tinnitus")), content=CONTENT
    )
    skipped = {d.instrument: d.reason for d in decisions if d.status == "skip"}
    assert set(skipped) == {"tsk", "pcs"}
    assert skipped["tsk"]["nl"].startswith("Overgeslagen: de patiënt meldt geen pijn")
    assert skipped["pcs"]["en"].startswith("Skipped: the patient reports no pain")
    assert [d.instrument for d in decisions if d.status == "include"] == [
        "phq15",
        "phq9",
        "gad7",
        "rand36",
        "sss8",
        "bipq",
        "eq5d5l",
        "cis",  # fatigue
        "tfi",  # tinnitus
    ]


def test_fatigue_and_tinnitus_steps_follow_the_complaints() -> None:
    decisions = plan_battery(
        "ggz_intake_full",
        PatientPriorities(complaints=("concentration_problems",)),
        content=CONTENT,
    )
    status = {d.instrument: (d.status, d.reason["en"]) for d in decisions}
    assert status["cis"][0] == "include"
    assert status["tfi"] == ("skip", "Skipped: the patient reports no tinnitus.")
    assert statuses("ggz_intake_full", None)["cis"] == "pending"


def test_without_intake_conditional_steps_are_pending() -> None:
    assert statuses("gp_short", None) == {
        "phq15": "include",
        "phq9": "include",
        "gad7": "include",
        "tsk": "pending",
        "pcs": "pending",
    }


def test_condition_battery_has_no_conditions_so_nothing_is_pending() -> None:
    assert set(statuses("chronic_pain", None).values()) == {"include"}


def test_complaint_any_condition() -> None:
    battery = Battery.model_validate(
        {
            "id": "bowel",
            "name": {"en": "Bowel"},
            "description": {"en": "Test battery"},
            "setting": "general_practice",
            "unverified": True,
            "steps": [
                {
                    "instrument": "phq15",
                    "when": {"complaint_any": ["abdominal_pain", "bowel_complaints"]},
                    "reason": {"en": "bowel complaint"},
                    "skip_reason": {"en": "no bowel complaint"},
                }
            ],
        }
    )
    with_bowel = plan_battery(
        battery, PatientPriorities(complaints=("bowel_complaints",)), content=CONTENT
    )
    without = plan_battery(battery, PatientPriorities(complaints=("headache",)), content=CONTENT)
    assert (with_bowel[0].status, without[0].status) == ("include", "skip")
    assert without[0].reason == {"en": "no bowel complaint"}


def test_unknown_complaint_and_battery() -> None:
    with pytest.raises(ScreeningInputError, match="unknown complaint 'elbow'"):
        plan_battery("gp_short", PatientPriorities(complaints=("elbow",)), content=CONTENT)
    with pytest.raises(KeyError):
        plan_battery("nope", None, content=CONTENT)


def test_every_battery_step_is_a_bundled_instrument() -> None:
    for battery in CONTENT.batteries:
        for step in battery.steps:
            assert get_instrument(step.instrument, step.instrument_version).code == step.instrument

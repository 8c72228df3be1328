"""Not-on-track signals on the results page and in the plan (issue 15).

A synthetic organization history of PHQ-9 episodes, with slow responders planted among
typical ones. With fewer episodes than the monitoring content's minimum (100), the
clinician-defined rule applies and says so: flag when the 2 latest follow-ups both show
no reliable improvement from the intake, never before the 4th measurement (content
``analysis/monitoring.json``, ``clinician_rule``). With enough episodes, the
organization's expected-recovery curves (Finch, Lambert & Schaalje 2001) take over.

For a woman, PHQ-9 reliable change needs more than 3.2 points (Jacobson–Truax,
tests/web/test_monitoring_signal.py). A planted slow responder goes 18 → 17 → 18 → 17:
flagged at the 4th measurement. A late responder who is at 18 → 17 → 18 after three
measurements is not flagged: too early (IAPT late responders, PMC6428692).
"""

from __future__ import annotations

import math
import random
from datetime import timedelta

import pytest
from django.utils import timezone

from maatwerk.core.instruments.registry import get_instrument
from maatwerk.web.analysis.models import ChangeNormChoice
from maatwerk.web.patients.models import Patient
from maatwerk.web.planning.models import Plan
from maatwerk.web.questionnaires.models import Assignment, ScaleResult
from tests.web.test_monitoring_signal import _phq9
from tests.web.test_planning_revision import with_active_plan
from tests.web.world import World

pytestmark = pytest.mark.django_db


def history(world: World, *, typical: int, slow: int, seed: int = 15) -> None:
    """Other patients of organization A with PHQ-9 totals every two weeks: typical
    responders fall along 18 − 3.5·log(week + 1), slow ones stay near their intake."""
    rng = random.Random(seed)
    version = get_instrument("phq9").version
    start = timezone.now() - timedelta(days=200)
    for n in range(typical + slow):
        patient = Patient.objects.create(
            organization=world.patient_a.organization,
            full_name=f"History {n}",
            birth_year=1980,
            sex="female",
        )
        intake = rng.randint(14, 22)
        for visit in range(5):
            week = 2 * visit
            if n < typical:
                score = intake - 3.5 * math.log(week + 1) + rng.gauss(0, 1.5)
            else:
                score = intake + rng.gauss(0, 1.0)
            when = start + timedelta(weeks=week)
            assignment = Assignment.objects.create(
                patient=patient,
                instrument_code="phq9",
                instrument_version=version,
                assigned_by=world.memberships["clinician_treating"],
                assigned_at=when,
                status=Assignment.Status.COMPLETED,
                completed_at=when,
            )
            ScaleResult.objects.create(
                assignment=assignment, scale_id="total", value=max(0, min(27, round(score)))
            )


def results(world: World) -> str:
    return (
        world.client_for("clinician_treating")
        .get(f"/clinic/patients/{world.patient_a.public_id}/results/")
        .content.decode()
    )


def plan(world: World) -> str:
    return (
        world.client_for("clinician_treating")
        .get(f"/plan/patients/{world.patient_a.public_id}/")
        .content.decode()
    )


def test_a_slow_responder_is_flagged_by_the_clinician_rule_with_escalation_options(
    world: World,
) -> None:
    history(world, typical=30, slow=6)
    _phq9(world, [18, 17, 18, 17])
    page = results(world)
    assert "Niet op koers: Patient Health Questionnaire-9 (PHQ-9)" in page
    assert "door de behandelaar gekozen regel" in page
    assert "nog niet genoeg behandelde patiënten voor verwachte herstelcurves" in page
    # The evidence: the two latest follow-ups and how they were judged.
    assert "17 — geen betrouwbare verandering" in page
    assert "18 — geen betrouwbare verandering" in page
    assert "Score bij de start: 18." in page
    # The escalation options of the stepped-care rules; EMDR only with the trauma flag.
    assert "Opschalen naar een volgende stap in de zorg" in page
    assert "Overstappen op ACT" in page
    assert "Overstappen op L-MBT" in page
    assert "Partner of gezin betrekken" in page
    assert "EMDR toevoegen" not in page
    assert f'href="/plan/patients/{world.patient_a.public_id}/#revise"' in page


def test_a_late_responder_is_not_flagged_at_the_third_measurement(world: World) -> None:
    history(world, typical=30, slow=6)
    _phq9(world, [18, 17, 18])
    page = results(world)
    assert "Niet op koers" not in page
    assert "te vroeg om te beoordelen" in page


def test_a_patient_who_starts_below_caseness_is_not_judged(world: World) -> None:
    """PHQ-9 8, 8, 9, 8: below the IAPT caseness cut-off (> 9) from the start, so no
    "not on track" with escalation options for a mild score that cannot drop far."""
    history(world, typical=30, slow=6)
    _phq9(world, [8, 8, 9, 8])
    page = results(world)
    assert "Niet op koers" not in page
    assert "niet beoordeeld: de score bij de start ligt onder het klinische gebied" in page


def test_a_late_responder_who_improves_at_the_fourth_is_on_track(world: World) -> None:
    _phq9(world, [18, 17, 18, 9])
    page = results(world)
    assert "Niet op koers" not in page
    assert "<strong>op koers</strong>" in page


def test_the_plan_shows_the_signal_with_emdr_when_trauma_maintains_the_complaints(
    world: World,
) -> None:
    with_active_plan(world)
    Plan.objects.filter(patient=world.patient_a).update(clinician_flags=["trauma_maintains"])
    _phq9(world, [18, 17, 18, 17])
    page = plan(world)
    assert "Niet op koers: Patient Health Questionnaire-9 (PHQ-9)" in page
    assert "EMDR toevoegen, omdat trauma de klachten in stand houdt" in page
    assert 'id="revise"' in page
    # The reason of the revision starts with the signal's evidence.
    assert "niet op koers volgens de door de behandelaar gekozen regel" in page


def test_with_enough_history_the_organizations_expected_recovery_curves_decide(
    world: World,
) -> None:
    history(world, typical=100, slow=10)
    _phq9(world, [18, 17, 18, 17])
    page = results(world)
    assert "Niet op koers: Patient Health Questionnaire-9 (PHQ-9)" in page
    assert "verwachte herstelcurves van je organisatie" in page
    assert "door de behandelaar gekozen regel" not in page
    assert "verwacht " in page and ", grens " in page


def test_a_typical_responder_is_on_track_by_the_expected_recovery_curves(world: World) -> None:
    history(world, typical=100, slow=10)
    _phq9(world, [18, 14, 12, 11])
    page = results(world)
    assert "Niet op koers" not in page
    assert '<strong>op koers</strong> <span class="muted">(verwachte herstelcurves' in page


# ------------------------------------------------------------------ the norm


def test_the_clinician_sees_and_chooses_the_norm_when_the_sex_is_unknown(world: World) -> None:
    _phq9(world, [6, 12])  # sets "female"; the patient's sex is then made unknown
    world.patient_a.sex = "unknown"
    world.patient_a.save(update_fields=["sex"])
    page = results(world)
    # Never silently the first norm: the page names the cautious default and offers a choice.
    assert "Met welke norm de verandering wordt beoordeeld" in page
    assert "de strengere norm (grootste spreiding, grens die het moeilijkst te halen is)" in page
    assert "Er is nog niet gekozen: dit is de voorzichtige standaard." in page
    assert 'value="conservative" checked' in page
    client = world.client_for("clinician_treating")
    url = f"/analysis/patients/{world.patient_a.public_id}/norm/"
    assert client.post(url, {"norm": "nonsense"}).status_code == 302
    assert not ChangeNormChoice.objects.exists()
    assert client.post(url, {"norm": "female"}).status_code == 302
    assert ChangeNormChoice.objects.get(patient=world.patient_a).choice == "female"
    page = results(world)
    assert 'value="female" checked' in page
    assert "Er is nog niet gekozen" not in page
    assert "geslacht niet vastgelegd, de voor deze patiënt gekozen norm" in page
    # Another clinician cannot choose for this patient.
    other = world.client_for("clinician_other_team")
    assert other.post(url, {"norm": "male"}).status_code == 404
    assert ChangeNormChoice.objects.get(patient=world.patient_a).choice == "female"


def test_no_norm_choice_for_a_patient_with_a_recorded_sex(world: World) -> None:
    _phq9(world, [6, 12])
    assert "Met welke norm de verandering wordt beoordeeld" not in results(world)

"""The screening profile: evidence per factor, functioning per domain, risk profile,
medication, subgroups and input errors."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from maatwerk.core.screening.errors import ScreeningInputError
from maatwerk.core.screening.model import (
    JudgementEvidence,
    PatientPriorities,
    ScaleEvidence,
    ScaleObservation,
    ScegsAssessment,
    ScreeningInput,
)
from maatwerk.core.screening.profile import derived_clusters, symptom_clusters
from tests.core.screening.patients import CONTENT, Patient, run


def test_scale_evidence_carries_value_operator_threshold_and_source() -> None:
    # TSK 38 > 37 (awell-tampa, Vlaeyen 1995): elevated.
    profile, _ = run(Patient(scores={"tsk": 38}))
    finding = profile.factor("fear_of_movement")
    assert finding.status == "elevated"
    assert finding.evidence == (
        ScaleEvidence(
            "tsk", "1.0", "total", Decimal(38), ">", Decimal(37), True, "awell-tampa", False
        ),
    )


def test_met_threshold_stays_elevated_when_judged_absent_and_both_are_shown() -> None:
    profile, _ = run(Patient(scores={"tsk": 45}, judged={"fear_of_movement": False}))
    finding = profile.factor("fear_of_movement")
    assert finding.status == "elevated"
    assert [type(e).__name__ for e in finding.evidence] == ["ScaleEvidence", "JudgementEvidence"]
    assert finding.evidence[1] == JudgementEvidence(False, "nhg-m102-henw", False)


def test_judgement_replaces_not_assessed() -> None:
    before, _ = run(Patient())
    after, _ = run(Patient(judged={"avoidance": True, "acceptance": False}))
    assert before.factor("avoidance").status == "not_assessed"
    assert after.factor("avoidance").status == "elevated"
    assert after.factor("acceptance").status == "low"
    assert before.factor("acceptance").status == "not_assessed"


def test_below_threshold_is_not_elevated_and_unmeasured_is_not_assessed() -> None:
    profile, _ = run(Patient(scores={"phq9": 9}))
    assert profile.factor("negative_mood").status == "not_elevated"
    assert profile.factor("catastrophizing").status == "not_assessed"


def test_judging_a_factor_without_a_judgement_measure_is_kept_but_unverified() -> None:
    # negative_mood is measured by PHQ-9/GAD-7 only; a clinician's judgement still counts.
    profile, _ = run(Patient(judged={"negative_mood": True}))
    finding = profile.factor("negative_mood")
    assert finding.status == "elevated"
    assert finding.evidence == (JudgementEvidence(True, None, True),)
    assert finding.unverified


def test_latest_observation_wins() -> None:
    # PHQ-9 was 14 in January and 6 in March: the March score decides.
    screening = ScreeningInput(
        observations=(
            ScaleObservation("phq9", "1.0", "total", Decimal(6), date(2026, 3, 1)),
            ScaleObservation("phq9", "1.0", "total", Decimal(14), date(2026, 1, 1)),
        )
    )
    profile, _ = run(screening)
    assert profile.factor("negative_mood").status == "not_elevated"
    psychological = next(d for d in profile.domains if d.domain == "psychological")
    assert [f.value for f in psychological.findings] == [Decimal(6)]


def test_domains_follow_the_instrument_files() -> None:
    profile, _ = run(
        Patient(
            scores={
                "phq15": 12,
                "phq9": 16,
                "rand36.social_functioning": "62.5",
                "eq5d5l.usual_activities": 3,
            }
        )
    )
    by_domain = {d.domain: d for d in profile.domains}
    physical = {(f.instrument, f.scale) for f in by_domain["physical"].findings}
    social = {(f.instrument, f.scale) for f in by_domain["social"].findings}
    assert physical == {("phq15", "total"), ("eq5d5l", "usual_activities")}
    assert social == {("rand36", "social_functioning"), ("eq5d5l", "usual_activities")}
    phq9 = next(f for f in by_domain["psychological"].findings if f.instrument == "phq9")
    # PHQ-9 16: band 15-19 "moderately severe"; cut-off major depression (>= 10) met.
    assert phq9.band_label["en"] == "moderately severe"
    assert phq9.band_id == "moderately_severe"
    assert phq9.cutoffs_met == ("major_depression",)
    phq15 = next(f for f in by_domain["physical"].findings if f.instrument == "phq15")
    assert phq15.band_label["en"] == "medium"
    # PHQ-15 12 >= 10 elevates symptom focus, PHQ-9 16 >= 10 negative mood: both are
    # psychological factors in the knowledge base.
    assert by_domain["psychological"].risk_factors_elevated == ("symptom_focus", "negative_mood")
    assert by_domain["psychological"].findings[0].instrument == "phq9"


def test_derived_clusters_from_complaints_in_content_order() -> None:
    priorities = PatientPriorities(complaints=("itch", "fatigue", "back_neck_pain", "headache"))
    assert derived_clusters(priorities, CONTENT) == (
        "musculoskeletal",
        "neurological",
        "general",
        "skin",
    )
    with_clinician = ScreeningInput(
        priorities=priorities, scegs=ScegsAssessment(symptom_clusters=("gastrointestinal",))
    )
    assert symptom_clusters(with_clinician, CONTENT) == ("gastrointestinal",)


def test_child_without_parent_gets_the_invite_a_parent_text() -> None:
    with_parent, _ = run(Patient(age=8, parent_involved=True))
    without, _ = run(Patient(age=8))
    assert "invite a parent" not in with_parent.subgroups[0].text["en"]
    assert "invite a parent" in without.subgroups[0].text["en"]
    assert without.subgroups[0].patient_text["nl"].startswith("Teksten samen met een ouder")


def test_subgroup_age_bounds() -> None:
    def groups(age: int) -> tuple[str, ...]:
        return tuple(s.subgroup_id for s in run(Patient(age=age))[0].subgroups)

    assert (groups(11), groups(12), groups(17), groups(18), groups(64), groups(65)) == (
        ("child",),
        ("adolescent",),
        ("adolescent",),
        (),
        (),
        ("older_adult",),
    )


def test_unknown_ids_are_all_reported() -> None:
    patient = Patient(
        complaints=("elbow",),
        conditions=("gout",),
        medication=("aspirin",),
        judged={"grit": True},
        comorbidity=("flu",),
        duration_weeks=-1,
    )
    with pytest.raises(ScreeningInputError) as caught:
        run(patient)
    assert caught.value.problems == (
        "complaints: unknown complaint 'elbow'",
        "conditions: unknown condition 'gout'",
        "comorbidity: unknown comorbidity 'flu'",
        "medication: unknown medication flag 'aspirin'",
        "judged_factors: unknown factor 'grit'",
        "duration_weeks: must not be negative (got -1)",
    )


def test_unknown_instrument_scale_is_an_input_error() -> None:
    screening = ScreeningInput(observations=(ScaleObservation("phq9", "1.0", "sum", Decimal(3)),))
    with pytest.raises(ScreeningInputError, match=r"unknown instrument scale phq9 1\.0 'sum'"):
        run(screening)


def test_profile_records_the_content_versions() -> None:
    profile, _ = run(Patient())
    assert profile.knowledge_versions["factors"] == "1.0"
    assert profile.knowledge_versions["screening.stepped_care"] == "1.1"

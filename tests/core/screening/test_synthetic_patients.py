"""Synthetic patients through the whole screening: profile, risk flag, severity, care level.

Every patient is a small record with the reasoning written out. The rules are those of
the bundled content (docs/screening/README.md), in short:

* factors (knowledge base): TSK total > 37 -> fear of movement; PCS total > 30 ->
  catastrophizing; PHQ-9 total >= 10 or GAD-7 total >= 10 -> negative mood; PHQ-15
  total >= 10 -> symptom focus (unverified threshold); the rest by clinician judgement;
* risk profile: negative mood elevated, or >= 2 of the 7 psychological risk factors;
* clusters (6, by body system): musculoskeletal, gastrointestinal, cardiorespiratory,
  neurological, general (fatigue, sleep), skin;
* severity = max(clusters: 1-2 mild, >= 3 moderate, all 6 severe but capped at moderate;
  limitation: none/light mild, moderate, severe), +1 step for any comorbidity (recorded,
  a chronic disease among the conditions, PHQ-9 >= 10 or GAD-7 >= 10) but not above
  moderate, and "severe" only when the duration is > 13 weeks and the complaints are not
  a first presentation (else moderate; an unknown earlier treatment is listed as missing);
  not estimable without clusters, limitation and duration;
* care level: severe + deconditioning -> multidisciplinary rehabilitation; severe ->
  specialistische GGZ; moderate + risk profile + suspected DSM disorder -> basis-GGZ;
  moderate -> POH-GGZ; mild -> huisarts; not estimable -> huisarts ("assess first").
"""

from __future__ import annotations

from dataclasses import dataclass

import pytest

from tests.core.screening.patients import Patient, run


@dataclass(frozen=True)
class Expected:
    elevated: frozenset[str]
    risk_profile: bool
    severity: str | None
    care_level: str
    present: frozenset[str] = frozenset()
    low: frozenset[str] = frozenset()
    missing: tuple[str, ...] = ()
    subgroups: tuple[str, ...] = ()
    medication: tuple[str, ...] = ()
    notes: tuple[str, ...] = ()  # preference rule ids
    unverified_factors: frozenset[str] | None = None  # checked when given


def expect(
    elevated: set[str],
    risk: bool,
    severity: str | None,
    care: str,
    *,
    present: frozenset[str] = frozenset(),
    low: frozenset[str] = frozenset(),
    missing: tuple[str, ...] = (),
    subgroups: tuple[str, ...] = (),
    medication: tuple[str, ...] = (),
    notes: tuple[str, ...] = (),
    unverified_factors: frozenset[str] | None = None,
) -> Expected:
    return Expected(
        frozenset(elevated),
        risk,
        severity,
        care,
        present=present,
        low=low,
        missing=missing,
        subgroups=subgroups,
        medication=medication,
        notes=notes,
        unverified_factors=unverified_factors,
    )


PATIENTS: dict[str, tuple[Patient, Expected]] = {
    # Headache only (1 cluster), light limitation, 6 weeks, low mood and anxiety scores,
    # accepts the complaints and has support: nothing elevated, mild, stays with the GP
    # with self-help advice — a well-adjusted patient is not pushed into treatment.
    "well_adjusted_mild": (
        Patient(
            scores={"phq9": 3, "gad7": 2, "phq15": 6},
            complaints=("headache",),
            duration_weeks=6,
            limitation="light",
            judged={"acceptance": True, "social_support": True},
        ),
        expect(
            set(), False, "mild", "huisarts", present=frozenset({"acceptance", "social_support"})
        ),
    ),
    # Back and joint pain (1 cluster: musculoskeletal). TSK 44 > 37 and PCS 33 > 30:
    # fear of movement and catastrophizing -> 2 psychological risk factors -> risk
    # profile. Moderate limitation -> moderate; PHQ-9 7 and GAD-7 6 are below 10, so no
    # suspected DSM disorder -> POH-GGZ. Social support judged absent: a low resilience
    # factor, which does not change the level.
    "pain_fear_and_catastrophizing": (
        Patient(
            scores={"tsk": 44, "pcs": 33, "phq9": 7, "gad7": 6, "phq15": 9},
            complaints=("back_neck_pain", "joint_muscle_pain"),
            duration_weeks=26,
            limitation="moderate",
            judged={"social_support": False},
        ),
        expect(
            {"fear_of_movement", "catastrophizing"},
            True,
            "moderate",
            "poh_ggz",
            low=frozenset({"social_support"}),
        ),
    ),
    # Fatigue, sleep and headache (2 clusters) with light limitation -> mild; PHQ-9 14
    # elevates negative mood (risk profile by distress) and suggests a depressive
    # disorder: comorbidity raises mild -> moderate; moderate + risk profile + suspected
    # DSM disorder -> basis-GGZ.
    "negative_mood_risk_profile": (
        Patient(
            scores={"phq9": 14, "gad7": 11},
            complaints=("fatigue", "sleep_problems", "headache"),
            duration_weeks=10,
            limitation="light",
        ),
        expect({"negative_mood"}, True, "moderate", "basis_ggz"),
    ),
    # Complaints in all 6 clusters, severe limitation, a year, treated before in general
    # practice: severe. PHQ-15 18 >= 10 elevates symptom focus (1 factor: no risk profile);
    # deconditioning judged absent -> specialised GGZ, nothing left to assess.
    "severe_multi_cluster_long_duration": (
        Patient(
            scores={"phq9": 8, "gad7": 7, "phq15": 18},
            complaints=(
                "back_neck_pain",
                "abdominal_pain",
                "chest_pain",
                "dizziness",
                "fatigue",
                "itch",
            ),
            duration_weeks=52,
            limitation="severe",
            earlier_treatment="primary_care",
            judged={"deconditioning": False},
        ),
        expect({"symptom_focus"}, False, "severe", "specialistische_ggz"),
    ),
    # 3 clusters (moderate) but severe limitation for 40 weeks, treated before by the
    # POH-GGZ -> severe; the clinician judges deconditioning present -> multidisciplinary
    # rehabilitation. Deconditioning is a biological factor, not counted for the
    # psychological risk profile.
    "deconditioning_rehabilitation": (
        Patient(
            scores={"phq9": 6, "gad7": 4},
            complaints=("joint_muscle_pain", "fatigue", "shortness_of_breath"),
            duration_weeks=40,
            limitation="severe",
            earlier_treatment="primary_care",
            judged={"deconditioning": True},
        ),
        expect(
            {"deconditioning"},
            False,
            "severe",
            "multidisciplinary_rehabilitation",
            unverified_factors=frozenset({"deconditioning"}),
        ),
    ),
    # Limitation known, duration not asked yet: severity cannot be estimated; the advice
    # names the duration as missing and defaults to the least intensive level.
    "duration_not_assessed": (
        Patient(
            scores={"phq9": 5},
            complaints=("back_neck_pain", "headache"),
            limitation="moderate",
        ),
        expect(set(), False, None, "huisarts", missing=("duration",)),
    ),
    # Mild (1 cluster, light, 8 weeks) and does not want help now: the advice stays
    # "huisarts" and notes watchful waiting with monitoring.
    "does_not_want_help_now": (
        Patient(
            scores={"phq9": 4, "gad7": 3},
            complaints=("abdominal_pain", "bowel_complaints"),
            duration_weeks=8,
            limitation="light",
            wants_help_now="no",
        ),
        expect(set(), False, "mild", "huisarts", notes=("preference.help_no",)),
    ),
    # 3 clusters (general, neurological, cardiorespiratory) -> moderate; scores below the
    # thresholds; prefers online: POH-GGZ offers guided iCBT, so the note says it fits.
    "online_preference": (
        Patient(
            scores={"phq9": 8, "gad7": 9},
            complaints=("fatigue", "dizziness", "palpitations"),
            duration_weeks=20,
            limitation="moderate",
            modality="online",
        ),
        expect(set(), False, "moderate", "poh_ggz", notes=("preference.online",)),
    ),
    # A 9-year-old with a parent: 2 clusters, light -> mild. No questionnaires: negative
    # mood is not assessed (not "fine"), no risk profile. Child adaptation applies.
    "child_with_parent": (
        Patient(
            complaints=("abdominal_pain", "headache"),
            duration_weeks=12,
            limitation="light",
            age=9,
            parent_involved=True,
        ),
        expect(set(), False, "mild", "huisarts", subgroups=("child",)),
    ),
    # A 15-year-old without a parent yet: PHQ-9 11 -> negative mood, risk profile and a
    # suspected depressive disorder. 2 clusters (mild), moderate limitation -> moderate;
    # the comorbidity raises at most to moderate, so it stays moderate (it used to become
    # "severe" -> specialised GGZ, which the NHG stepping would not advise without a
    # severe limitation). Moderate + risk profile + suspected DSM disorder -> basis-GGZ.
    "adolescent_without_parent": (
        Patient(
            scores={"phq9": 11},
            complaints=("headache", "fatigue"),
            duration_weeks=16,
            limitation="moderate",
            age=15,
        ),
        expect({"negative_mood"}, True, "moderate", "basis_ggz", subgroups=("adolescent",)),
    ),
    # A 78-year-old with 3 clusters (moderate), light limitation, scores low; long-term
    # benzodiazepine use is flagged to discuss. Older-adult adaptation applies.
    "older_adult_with_benzodiazepines": (
        Patient(
            scores={"phq9": 6, "gad7": 3},
            complaints=("joint_muscle_pain", "dizziness", "sleep_problems"),
            duration_weeks=30,
            limitation="light",
            medication=("long_term_benzodiazepine_use",),
            age=78,
        ),
        expect(
            set(),
            False,
            "moderate",
            "poh_ggz",
            subgroups=("older_adult",),
            medication=("long_term_benzodiazepine_use",),
        ),
    ),
    # Low literacy, 1 cluster, light, 5 weeks, low scores: mild, huisarts; the
    # low-literacy adaptation (read aloud, pictures) applies.
    "low_literacy": (
        Patient(
            scores={"phq9": 2, "gad7": 1},
            complaints=("back_neck_pain",),
            duration_weeks=5,
            limitation="light",
            low_literacy=True,
        ),
        expect(set(), False, "mild", "huisarts", subgroups=("low_literacy",)),
    ),
    # Migration background: 2 clusters (cardiorespiratory, neurological) with moderate
    # limitation -> moderate; GAD-7 8 < 10, no comorbidity -> POH-GGZ; interpreter and
    # translated material are offered.
    "migration_background": (
        Patient(
            scores={"phq9": 5, "gad7": 8},
            complaints=("chest_pain", "palpitations", "headache"),
            duration_weeks=14,
            limitation="moderate",
            migration_background=True,
        ),
        expect(set(), False, "moderate", "poh_ggz", subgroups=("migration",)),
    ),
    # Sleep problems and fatigue (1 cluster), light, long-term benzodiazepines; poor sleep
    # judged present (a biological factor: no risk profile). Mild, huisarts; the
    # medication is flagged to discuss.
    "long_term_benzodiazepine_use": (
        Patient(
            scores={"phq9": 4},
            complaints=("sleep_problems", "fatigue"),
            duration_weeks=30,
            limitation="light",
            medication=("long_term_benzodiazepine_use",),
            judged={"poor_sleep": True},
            age=55,
        ),
        expect(
            {"poor_sleep"},
            False,
            "mild",
            "huisarts",
            medication=("long_term_benzodiazepine_use",),
        ),
    ),
    # Boundaries just below: TSK 37 is not > 37, PCS 29 is not >= 30 (the PCS manual's
    # reading), PHQ-9 9 and GAD-7 9 are not >= 10: nothing elevated, mild, huisarts.
    "boundaries_just_below": (
        Patient(
            scores={"tsk": 37, "pcs": 29, "phq9": 9, "gad7": 9},
            complaints=("back_neck_pain",),
            duration_weeks=10,
            limitation="light",
        ),
        expect(set(), False, "mild", "huisarts"),
    ),
    # Boundaries just met: TSK 38 > 37, PCS 30 >= 30, PHQ-9 10 >= 10: three factors, risk
    # profile; PHQ-9 10 suggests a depressive disorder -> mild + 1 = moderate; moderate +
    # risk profile + suspected DSM disorder -> basis-GGZ.
    "boundaries_just_met": (
        Patient(
            scores={"tsk": 38, "pcs": 30, "phq9": 10, "gad7": 9},
            complaints=("back_neck_pain",),
            duration_weeks=10,
            limitation="light",
        ),
        expect(
            {"fear_of_movement", "catastrophizing", "negative_mood"}, True, "moderate", "basis_ggz"
        ),
    ),
    # PHQ-15 10 meets the symptom-focus threshold, which is unverified in the knowledge
    # base: the factor is elevated and its finding says unverified. Mild, huisarts.
    "unverified_threshold_carried_through": (
        Patient(
            scores={"phq15": 10, "phq9": 3},
            complaints=("fatigue",),
            duration_weeks=4,
            limitation="light",
        ),
        expect(
            {"symptom_focus"},
            False,
            "mild",
            "huisarts",
            unverified_factors=frozenset({"symptom_focus"}),
        ),
    ),
    # Rheumatoid arthritis with distress (the e-Coach group): 2 clusters, light -> mild;
    # comorbidity (a chronic disease, and PHQ-9 13) raises one step -> moderate; negative
    # mood -> risk profile; suspected depressive disorder -> basis-GGZ, where guided iCBT
    # fits the online preference.
    "rheumatoid_arthritis_with_distress": (
        Patient(
            scores={"phq9": 13, "gad7": 7},
            complaints=("joint_muscle_pain", "fatigue"),
            conditions=("rheumatoid_arthritis",),
            duration_weeks=104,
            limitation="light",
            modality="online",
        ),
        expect({"negative_mood"}, True, "moderate", "basis_ggz", notes=("preference.online",)),
    ),
    # TSK 45 meets the threshold while the clinician judged fear of movement absent: the
    # factor stays elevated and both pieces of evidence are kept (documented decision).
    "threshold_met_but_judged_absent": (
        Patient(
            scores={"tsk": 45, "phq9": 2},
            complaints=("back_neck_pain",),
            duration_weeks=8,
            limitation="light",
            judged={"fear_of_movement": False},
        ),
        expect({"fear_of_movement"}, False, "mild", "huisarts"),
    ),
    # No questionnaires; the clinician judges helplessness and avoidance present: 2
    # psychological factors -> risk profile. 1 cluster, moderate limitation -> moderate;
    # no suspected DSM disorder -> POH-GGZ.
    "judgement_only_risk_profile": (
        Patient(
            complaints=("bowel_complaints", "abdominal_pain", "nausea"),
            duration_weeks=20,
            limitation="moderate",
            judged={"helplessness": True, "avoidance": True},
        ),
        expect({"helplessness", "avoidance"}, True, "moderate", "poh_ggz"),
    ),
    # All clusters and severe limitation but only 10 weeks: severe is capped to moderate.
    # A recorded anxiety disorder is a suspected DSM disorder, but without a risk profile
    # (no scores, nothing judged) the basis-GGZ rule does not fire -> POH-GGZ.
    "severe_capped_by_short_duration": (
        Patient(
            complaints=(
                "back_neck_pain",
                "abdominal_pain",
                "chest_pain",
                "dizziness",
                "fatigue",
                "itch",
            ),
            duration_weeks=10,
            limitation="severe",
            comorbidity=("suspected_anxiety_disorder",),
        ),
        expect(set(), False, "moderate", "poh_ggz"),
    ),
    # Duration boundary: exactly 13 weeks is not "> 3 months" -> moderate.
    "duration_exactly_13_weeks": (
        Patient(
            scores={"phq9": 4},
            complaints=("back_neck_pain", "abdominal_pain", "chest_pain"),
            duration_weeks=13,
            limitation="severe",
        ),
        expect(set(), False, "moderate", "poh_ggz"),
    ),
    # 14 weeks is > 13: severe; earlier treatment not asked yet (severe stands, listed) and
    # deconditioning not assessed -> specialised GGZ and both listed.
    "duration_14_weeks": (
        Patient(
            scores={"phq9": 4},
            complaints=("back_neck_pain", "abdominal_pain", "chest_pain"),
            duration_weeks=14,
            limitation="severe",
        ),
        expect(
            set(),
            False,
            "severe",
            "specialistische_ggz",
            missing=("earlier_treatment", "factor:deconditioning"),
        ),
    ),
    # Nothing known yet: severity not estimable, every SCEGS criterion missing.
    "nothing_assessed": (
        Patient(),
        expect(
            set(),
            False,
            None,
            "huisarts",
            missing=("symptom_clusters", "functional_limitation", "duration"),
        ),
    ),
    # The clinician's clusters override those derived from the complaints: back pain only
    # (1 cluster) but the clinician recorded 3 clusters -> moderate.
    "clinician_clusters_override_complaints": (
        Patient(
            scores={"phq9": 3},
            complaints=("back_neck_pain",),
            clusters=("musculoskeletal", "gastrointestinal", "general"),
            duration_weeks=30,
            limitation="light",
        ),
        expect(set(), False, "moderate", "poh_ggz"),
    ),
}


@pytest.mark.parametrize("name", sorted(PATIENTS))
def test_synthetic_patient(name: str) -> None:
    patient, expected = PATIENTS[name]
    profile, advice = run(patient)
    assert set(profile.elevated_risk_factors) == expected.elevated
    assert profile.risk_profile.flagged is expected.risk_profile
    assert advice.severity == expected.severity
    assert advice.care_level == expected.care_level
    assert advice.missing == expected.missing
    present = {f.factor_id for f in profile.factors if f.status == "present"}
    assert present == expected.present
    assert set(profile.low_resilience_factors) == expected.low
    assert tuple(s.subgroup_id for s in profile.subgroups) == expected.subgroups
    assert tuple(m.medication_id for m in profile.medication) == expected.medication
    notes = {note.rule_id for note in advice.preference_notes}
    assert set(expected.notes) <= notes
    if expected.unverified_factors is not None:
        unverified = {
            f.factor_id for f in profile.factors if f.unverified and f.status != "not_assessed"
        }
        assert unverified == expected.unverified_factors


def test_there_are_at_least_twenty_patients() -> None:
    assert len(PATIENTS) >= 20

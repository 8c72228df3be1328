"""Three worked cases for the severity rule and the care level it advises.

Each case is written out as a clinician would present it, with the expected severity and
care level and the source for that expectation. The sources (full citations in
docs/sources.md):

* nhg-m102 — NHG-Standaard SOLK M102 (Olde Hartman et al., 2013): severity (mild,
  moderate, severe) is estimated after the SCEGS exploration and determines the policy;
  its severity table (read only in the secondary summary worldsupporter-nhg) puts mild
  SOLK with the GP, moderate SOLK (moderate limitation, >= 3 clusters, longer than
  expected) with the GP and other primary-care providers, and severe SOLK (severe
  limitation, all clusters, > 3 months) with secondary-care providers.
* zorginzicht-solk — Zorgstandaard SOLK (2018): short-lasting complaints are treated in
  primary care; severe, long-lasting complaints in secondary care, GGZ and
  multidisciplinary centres.
* psycholoog-2014 — the GP refers to the basis-GGZ only with a DSM disorder; less complex
  problems go to the basis-GGZ, complex ones to specialised GGZ.
* hoedeman-2014 — a stepwise approach: explanation first, then a single-discipline
  intervention, a multidisciplinary one for heavier problems; severe SOLK plays a part in
  15% of long-term sick leave.
* kroenke-2001 — PHQ-9 >= 10: major depression (sensitivity and specificity 88%), a
  screening result for the clinician to confirm.
"""

from __future__ import annotations

from tests.core.screening.patients import Patient, run


def test_case_a_first_presentation_in_general_practice_is_moderate() -> None:
    # A 34-year-old presents to her GP for the first time with headaches and fatigue for
    # 20 weeks (2 clusters: neurological, general), moderately limited at work and home,
    # PHQ-9 12 (suspected depressive disorder, kroenke-2001); the GP judges her
    # deconditioned. Not treated before.
    patient = Patient(
        scores={"phq9": 12},
        complaints=("headache", "fatigue"),
        duration_weeks=20,
        limitation="moderate",
        earlier_treatment="none",
        judged={"deconditioning": True},
        age=34,
    )
    _, advice = run(patient)
    # Expected: moderate (moderate limitation; 2 clusters fit mild SOLK; a suspected
    # depression does not make a first presentation severe: nhg-m102 severity table) and
    # basis-GGZ (moderate, with a suspected DSM disorder the GP can refer to the basis-GGZ:
    # psycholoog-2014). The old rule raised this case one step to "severe" and advised
    # multidisciplinary rehabilitation.
    assert advice.severity == "moderate"
    assert advice.care_level == "basis_ggz"
    rule_ids = [reason.rule_id for reason in advice.severity_reasons]
    assert "severity.comorbidity" in rule_ids
    assert "comorbidity.suspected_depressive_disorder" in rule_ids
    assert advice.missing == ()


def test_case_b_long_standing_two_clusters_and_depression_is_moderate() -> None:
    # A 52-year-old man with back pain and abdominal complaints for two years
    # (2 clusters: musculoskeletal, gastrointestinal), moderately limited, PHQ-9 14
    # (suspected depressive disorder, kroenke-2001). Treated before by the GP and the
    # POH-GGZ without enough result.
    patient = Patient(
        scores={"phq9": 14},
        complaints=("back_neck_pain", "abdominal_pain"),
        duration_weeks=104,
        limitation="moderate",
        earlier_treatment="primary_care",
        age=52,
    )
    _, advice = run(patient)
    # Expected: moderate — long duration and depression do not make SOLK severe without a
    # severe limitation in functioning (nhg-m102 severity table: severe SOLK has severe
    # limitation, all clusters and > 3 months) — and basis-GGZ: with a suspected DSM
    # disorder the GP refers to the basis-GGZ (psycholoog-2014), the next step after the
    # POH-GGZ (hoedeman-2014, stepwise approach).
    assert advice.severity == "moderate"
    assert advice.care_level == "basis_ggz"
    assert advice.missing == ()


def test_case_c_severe_with_high_work_loss_is_multidisciplinary() -> None:
    # A 45-year-old on full sick leave for over a year (severe limitation in functioning)
    # with pain in muscles and joints, fatigue, palpitations and dizziness (4 clusters)
    # for 60 weeks; PHQ-9 8. Treated before in basis-GGZ without enough result; the
    # clinician judges him deconditioned.
    patient = Patient(
        scores={"phq9": 8},
        complaints=("joint_muscle_pain", "fatigue", "palpitations", "dizziness"),
        duration_weeks=60,
        limitation="severe",
        earlier_treatment="mental_health_care",
        judged={"deconditioning": True},
        age=45,
    )
    _, advice = run(patient)
    # Expected: severe (severe limitation, > 3 months, treated before: nhg-m102 severity
    # table; severe, long-lasting SOLK is treated in secondary care and multidisciplinary
    # centres: zorginzicht-solk) and multidisciplinary rehabilitation (a multidisciplinary
    # intervention for heavier problems, in the occupational-health setting of long-term
    # sick leave: hoedeman-2014).
    assert advice.severity == "severe"
    assert advice.care_level == "multidisciplinary_rehabilitation"
    assert advice.missing == ()
    treated = next(r for r in advice.severity_reasons if r.rule_id == "severity.earlier_treatment")
    assert treated.text["en"].endswith("Treated before in mental health care: met.")
    assert treated.text["nl"].endswith("Eerder behandeld in de GGZ: voldoet.")


def test_a_first_presentation_is_not_severe_even_with_a_severe_limitation() -> None:
    # Case c at a first presentation: the same facts, not treated before. The stepped
    # approach starts in primary care (hoedeman-2014, zorginzicht-solk): moderate.
    patient = Patient(
        scores={"phq9": 8},
        complaints=("joint_muscle_pain", "fatigue", "palpitations", "dizziness"),
        duration_weeks=60,
        limitation="severe",
        earlier_treatment="none",
        judged={"deconditioning": True},
    )
    _, advice = run(patient)
    assert advice.severity == "moderate"
    assert advice.care_level == "poh_ggz"
    reason = next(r for r in advice.severity_reasons if r.rule_id == "severity.earlier_treatment")
    assert reason.unverified
    assert reason.text["en"].endswith(
        "First presentation (first time in general practice with these complaints), "
        "not treated before: so moderate."
    )
    assert reason.text["nl"].endswith(
        "Eerste presentatie (eerste keer in de huisartsenpraktijk met deze klachten), "
        "nog niet eerder behandeld: daarom matig ernstig."
    )


def test_all_clusters_with_a_light_limitation_is_moderate_not_severe() -> None:
    # Complaints in all 6 clusters but only lightly limited for 30 weeks: the clusters
    # alone give at most moderate (nhg-m102 severity table: severe SOLK also has a severe
    # limitation), so POH-GGZ, not specialised care.
    patient = Patient(
        scores={"phq9": 4},
        complaints=(
            "back_neck_pain",
            "abdominal_pain",
            "chest_pain",
            "dizziness",
            "fatigue",
            "itch",
        ),
        duration_weeks=30,
        limitation="light",
        earlier_treatment="primary_care",
    )
    _, advice = run(patient)
    assert advice.severity == "moderate"
    assert advice.care_level == "poh_ggz"
    clusters = next(r for r in advice.severity_reasons if r.rule_id == "severity.clusters")
    assert clusters.text["en"].endswith("On the clusters alone at most moderate.")

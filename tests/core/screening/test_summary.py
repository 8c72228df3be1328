"""Patient (B1) and clinician summaries and the referral context."""

from __future__ import annotations

import re

import pytest

from maatwerk.core.screening.summary import (
    CareLevelChoice,
    clinician_summary,
    letter_summary,
    patient_summary,
    referral_context,
)
from tests.core.screening.patients import CONTENT, KNOWLEDGE, Patient, run
from tests.core.screening.test_synthetic_patients import PATIENTS

# Pain with fear of movement and low mood, accepts the complaints, lacks support,
# long-term opioid use, wants to start with walking, prefers online.
PATIENT = Patient(
    scores={"tsk": 42, "phq9": 12, "gad7": 5},
    complaints=("back_neck_pain", "fatigue"),
    duration_weeks=20,
    limitation="light",
    judged={"acceptance": True, "social_support": False},
    medication=("long_term_opioid_use",),
    first_problem="weer wandelen",
    modality="online",
)
JARGON = ("SOLK", "catastro", "kinesio", "comorbid", "DSM", "PHQ", "TSK", "GAD", "risicoprofiel")


@pytest.mark.parametrize("language", ["nl", "en"])
def test_patient_summary_has_no_scores_and_no_jargon(language: str) -> None:
    profile, advice = run(PATIENT)
    lines = patient_summary(
        profile, advice, language=language, knowledge=KNOWLEDGE, content=CONTENT
    )
    text = " ".join(lines)
    assert not re.search(r"\d", text), text
    for word in JARGON:
        assert word.lower() not in text.lower(), word


def test_patient_summary_in_dutch_says_what_and_why() -> None:
    profile, advice = run(PATIENT)
    lines = patient_summary(profile, advice, language="nl", knowledge=KNOWLEDGE, content=CONTENT)
    # 2 clusters, light -> mild; PHQ-9 12 suggests a depressive disorder -> moderate; risk
    # profile + suspected DSM disorder -> basis-GGZ.
    assert lines == (
        "Je hebt veel last van: pijn in je rug of nek en erg moe zijn.",
        "Dit kan je klachten langer laten duren: bang zijn dat bewegen je pijn erger maakt "
        "en je somber of angstig voelen.",
        "Wat je al helpt: je klachten een plek kunnen geven.",
        "Hier kun je nog sterker in worden: steun van mensen om je heen.",
        "Je gebruikt al lang bepaalde medicijnen. Je zorgverlener wil dat graag met je "
        "bespreken. Er zijn ook manieren zonder medicijnen.",
        "Je klachten zijn best zwaar.",
        "Je klachten hebben ook invloed op hoe je je voelt en wat je denkt. Daar kun je hulp "
        "bij krijgen.",
        "Ons advies: Je krijgt een korte behandeling bij een psycholoog. Dat kan ook online.",
        "Je wilt het liefst online hulp.",
        "Je wilt eerst werken aan: weer wandelen.",
    )


def test_patient_summary_when_severity_is_unknown() -> None:
    profile, advice = run(Patient(complaints=("headache",)))
    lines = patient_summary(profile, advice, language="en", knowledge=KNOWLEDGE, content=CONTENT)
    assert "We don't know enough yet for good advice." in lines[1]


def test_clinician_summary_shows_evidence_and_provenance() -> None:
    profile, advice = run(PATIENT)
    lines = clinician_summary(profile, advice, language="en", knowledge=KNOWLEDGE, content=CONTENT)
    assert "Severity: moderate" in lines
    assert "Advised care level: Basic mental health care (GB-GGZ)" in lines
    assert "Psychological risk profile: yes" in lines
    assert any(
        line.startswith("Elevated: Fear of movement (kinesiophobia) — TSK total score")
        and "42, above 37 (awell-score" in line
        for line in lines
    )
    assert (
        "Elevated: Negative mood — PHQ-9 total score 12, at or above 10 (Kroenke et al. (2001)); "
        "GAD-7 total score 5, at or above 10 (not met) (Spitzer et al. (2006))"
    ) in lines
    assert any(line.startswith("To discuss: Long-term opioid use.") for line in lines)
    assert (
        "Functioning psychological: TSK total score (fear of movement) 42 (high fear of movement);"
        " PHQ-9 total score 12 (moderate, possible major depression (screen positive));"
        " GAD-7 total score 5 (mild)"
    ) in lines
    risk = lines.index("Psychological risk profile: yes")
    assert lines[risk + 1].startswith("  - Elevated distress: the factor negative mood")
    assert any(line.endswith("(unverified)") for line in lines)
    assert lines[-1] == "Rules version 1.1; knowledge base 1.0."


def test_referral_context() -> None:
    profile, advice = run(PATIENT)
    context = referral_context(profile, advice, language="nl", knowledge=KNOWLEDGE, content=CONTENT)
    assert context.care_level == "basis_ggz"
    assert context.severity == "moderate"
    assert context.factor_ids == ("fear_of_movement", "negative_mood", "social_support")
    assert context.modality == "online"
    assert "Ernst: matig ernstig" in context.summary_lines


def test_the_letter_states_findings_without_rule_internals_or_marks() -> None:
    """The referral letter to a colleague: the scores with their instrument and meaning,
    the profile and the level of care, without the rules' explanations, sources,
    versions or the '(unverified)' mark the clinician's summary carries."""
    profile, advice = run(PATIENT)
    lines = letter_summary(profile, advice, language="en", knowledge=KNOWLEDGE, content=CONTENT)
    assert "Severity: moderate" in lines
    assert "Advised care level: Basic mental health care (GB-GGZ)" in lines
    assert "Psychological risk profile: yes" in lines
    assert "Elevated: Negative mood — PHQ-9 total score 12" in lines
    assert (
        "Functioning psychological: TSK total score (fear of movement) 42 (high fear of movement);"
        " PHQ-9 total score 12 (moderate, possible major depression (screen positive));"
        " GAD-7 total score 5 (mild)"
    ) in lines
    text = "\n".join(lines)
    for internal in (
        "(unverified)",
        "Rules version",
        "  - ",
        "Kroenke",
        "at or above",
        "(not met)",
    ):
        assert internal not in text, internal
    context = referral_context(profile, advice, language="en", knowledge=KNOWLEDGE, content=CONTENT)
    assert context.letter_lines == lines
    for language in ("nl", "en"):
        for name in sorted(PATIENTS):
            found, given = run(PATIENTS[name][0])
            letter = letter_summary(
                found, given, language=language, knowledge=KNOWLEDGE, content=CONTENT
            )
            assert not any("onbevestigd" in line or "unverified" in line for line in letter)


def test_the_letter_says_a_decision_that_follows_the_advice_in_words() -> None:
    profile, advice = run(PATIENT)
    same = CareLevelChoice(decided=advice.care_level, advised=advice.care_level)
    lines = letter_summary(
        profile, advice, language="nl", knowledge=KNOWLEDGE, content=CONTENT, choice=same
    )
    assert any(
        line.startswith("Besloten zorgniveau:") and "conform het advies van de screening" in line
        for line in lines
    )
    other = CareLevelChoice(
        decided="huisarts", advised=advice.care_level, reason="Wil eerst bij de huisarts blijven."
    )
    lines = letter_summary(
        profile, advice, language="nl", knowledge=KNOWLEDGE, content=CONTENT, choice=other
    )
    assert any(
        "Afgeweken van het advies omdat: Wil eerst bij de huisarts blijven." in line
        for line in lines
    )


@pytest.mark.parametrize("name", sorted(PATIENTS))
def test_every_synthetic_patient_gets_a_score_free_patient_summary(name: str) -> None:
    profile, advice = run(PATIENTS[name][0])
    for language in ("nl", "en"):
        lines = patient_summary(
            profile, advice, language=language, knowledge=KNOWLEDGE, content=CONTENT
        )
        assert lines and not re.search(r"\d", " ".join(lines))
        clinician = clinician_summary(
            profile, advice, language=language, knowledge=KNOWLEDGE, content=CONTENT
        )
        assert clinician[-1].startswith(("Rules version", "Regels versie"))


def test_the_patients_own_sentence_keeps_a_single_full_stop() -> None:
    # A patient who ends their sentence with a full stop must not read "…spelen.." back.
    profile, advice = run(
        Patient(scores={"phq9": 3}, first_problem="Weer met mijn kinderen spelen.")
    )
    summary = patient_summary(
        profile,
        advice,
        language="nl",
        knowledge=KNOWLEDGE,
        content=CONTENT,
    )
    assert "Je wilt eerst werken aan: Weer met mijn kinderen spelen." in summary
    assert not any(".." in line for line in summary)


def test_scores_read_as_people_write_them_and_unverified_is_said_once() -> None:
    # Scores come back from the database as Decimal("14.0000"); the letter says "14".
    patient = Patient(scores={"phq15": "14.0000"}, complaints=("back_neck_pain",))
    profile, advice = run(patient)
    lines = clinician_summary(profile, advice, language="nl", knowledge=KNOWLEDGE, content=CONTENT)
    focus = next(line for line in lines if "PHQ-15" in line and "grens 10" in line)
    assert "14, grens 10 of hoger" in focus
    assert ".0000" not in focus
    assert focus.count("(onbevestigd)") == 1


def _patient_lines(patient: Patient) -> tuple[str, ...]:
    profile, advice = run(patient)
    return patient_summary(profile, advice, language="nl", knowledge=KNOWLEDGE, content=CONTENT)


# The same answers, once for an adult and once per subgroup: PHQ-9 12 (negative mood,
# hence the risk profile), avoidance judged present, social support present.
def same_answers(**subgroup: object) -> Patient:
    return Patient(
        scores={"phq9": 12, "gad7": 4},
        complaints=("back_neck_pain",),
        judged={"avoidance": True, "social_support": True},
        **subgroup,  # type: ignore[arg-type]
    )


def test_low_literacy_keeps_the_essentials_and_offers_reading_together() -> None:
    adult = _patient_lines(same_answers())
    low_literacy = _patient_lines(same_answers(low_literacy=True))
    # The adult reads what keeps the complaints going and the risk-profile sentence; the
    # reader with low literacy gets fewer lines: no list of risk factors, no risk profile,
    # but what already helps, the advice, and the offer to read it together.
    assert len(low_literacy) < len(adult)
    risk_line = next(line for line in adult if line.startswith("Dit kan je klachten"))
    assert risk_line not in low_literacy
    assert any("Vraag het aan je zorgverlener" in line for line in low_literacy)
    assert not any("Vraag het aan je zorgverlener" in line for line in adult)


def test_a_child_reads_with_a_parent_and_a_migrant_is_offered_an_interpreter() -> None:
    child = _patient_lines(same_answers(age=10, parent_involved=True))
    assert child[-1] == "Lees dit samen met je vader, moeder of iemand anders die voor je zorgt."
    migrant = _patient_lines(same_answers(migration_background=True))
    assert migrant[-1].startswith("Wil je hierover praten met een tolk erbij?")


def test_a_decision_that_overrules_the_advice_wins_in_every_summary() -> None:
    """Issue 12: the patient reads what was decided (never the overruled advice); the
    clinician reads the decision, then what was advised and why it was overruled; the
    referral is for the decided level."""
    profile, advice = run(PATIENT)
    assert advice.care_level == "basis_ggz"
    choice = CareLevelChoice(
        decided="poh_ggz", advised="basis_ggz", reason="Wil eerst  hulp in de praktijk."
    )
    patient = patient_summary(
        profile, advice, language="nl", knowledge=KNOWLEDGE, content=CONTENT, choice=choice
    )
    assert (
        "Ons advies: Je krijgt hulp in de huisartsenpraktijk, van de praktijkondersteuner "
        "(POH-GGZ). Dat kan ook online."
    ) in patient
    assert not any("psycholoog" in line for line in patient)
    assert not any("Wil eerst" in line for line in patient)  # the reason is the team's
    clinician = clinician_summary(
        profile, advice, language="nl", knowledge=KNOWLEDGE, content=CONTENT, choice=choice
    )
    decided = clinician.index("Besloten zorgniveau: POH-GGZ")
    assert clinician[decided + 1] == (
        "Geadviseerd was: Generalistische basis-GGZ. Afgeweken van het advies omdat: "
        "Wil eerst hulp in de praktijk."
    )
    assert not any(line.startswith("Geadviseerd zorgniveau") for line in clinician)
    context = referral_context(
        profile, advice, language="en", knowledge=KNOWLEDGE, content=CONTENT, choice=choice
    )
    assert context.care_level == "poh_ggz"
    assert "Decided care level: Mental-health nurse practitioner (POH-GGZ)" in context.summary_lines


def test_a_decision_that_accepts_the_advice_says_decided_without_an_overrule_line() -> None:
    profile, advice = run(PATIENT)
    choice = CareLevelChoice(decided=advice.care_level, advised=advice.care_level)
    lines = clinician_summary(
        profile, advice, language="en", knowledge=KNOWLEDGE, content=CONTENT, choice=choice
    )
    assert "Decided care level: Basic mental health care (GB-GGZ)" in lines
    assert not any("overruled" in line for line in lines)

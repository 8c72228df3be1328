"""Severity, care level, preferences and escalation; a property test of monotonicity."""

from __future__ import annotations

from dataclasses import dataclass
from typing import get_args

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from maatwerk.core.screening.errors import ScreeningInputError
from maatwerk.core.screening.model import (
    EarlierTreatment,
    FunctionalLimitation,
    ScegsAssessment,
    ScreeningInput,
)
from maatwerk.core.screening.stepped_care import escalate
from tests.core.screening.patients import CONTENT, KNOWLEDGE, Patient, run

LEVELS = ("mild", "moderate", "severe")
LIMITATIONS: tuple[FunctionalLimitation, ...] = get_args(FunctionalLimitation)
CLUSTERS = tuple(cluster.id for cluster in CONTENT.clusters)
COMORBIDITIES = tuple(c.id for c in CONTENT.rules.comorbidities)
# From least to most in favour of "severe": a first presentation, not asked yet, treated
# before (in primary care, in mental health care).
EARLIER_TREATMENT: tuple[EarlierTreatment | None, ...] = (
    "none",
    None,
    "primary_care",
    "mental_health_care",
)


def test_not_estimable_advice_says_assess_first() -> None:
    _, advice = run(Patient(complaints=("headache",), limitation="light"))
    assert advice.severity is None
    assert advice.missing == ("duration",)
    assert advice.care_level == "huisarts"
    assert advice.care_level_reasons[0].rule_id == "care.assess_first"
    assert advice.severity_reasons[0].text["en"] == (
        "Severity cannot be estimated: not yet assessed: duration."
    )


def test_severity_reasons_name_each_criterion_and_are_marked_unverified() -> None:
    _, advice = run(
        Patient(complaints=("back_neck_pain",), duration_weeks=20, limitation="moderate")
    )
    rule_ids = [reason.rule_id for reason in advice.severity_reasons]
    assert rule_ids == [
        "severity.combination",
        "severity.clusters",
        "severity.functional_limitation",
    ]
    assert all(reason.unverified for reason in advice.severity_reasons)
    assert advice.unverified
    assert "1 of 6 clusters: Muscles and joints." in advice.severity_reasons[1].text["en"]


def test_comorbidity_from_a_chronic_disease_names_the_condition() -> None:
    _, advice = run(
        Patient(
            complaints=("itch",),
            conditions=("psoriasis",),
            duration_weeks=30,
            limitation="light",
        )
    )
    assert advice.severity == "moderate"
    texts = [r.text["en"] for r in advice.severity_reasons if r.rule_id.startswith("comorbidity.")]
    assert texts == ["Chronic somatic disease (Psoriasis)"]


def test_unsure_and_first_problem_are_noted() -> None:
    _, advice = run(
        Patient(
            complaints=("fatigue",),
            duration_weeks=5,
            limitation="light",
            wants_help_now="unsure",
            modality="online",
            first_problem="beter slapen",
        )
    )
    # Mild -> huisarts, where guided iCBT is not offered: the online note says so.
    assert [n.rule_id for n in advice.preference_notes] == [
        "preference.help_unsure",
        "preference.online_not_offered",
        "preference.first_problem",
    ]
    assert advice.preference_notes[2].text["nl"] == "Wil eerst werken aan: beter slapen"


@pytest.mark.parametrize(
    ("level", "expected"),
    [
        ("huisarts", "poh_ggz"),
        ("poh_ggz", "basis_ggz"),
        ("basis_ggz", "specialistische_ggz"),
        ("specialistische_ggz", "topggz"),
        ("multidisciplinary_rehabilitation", "topggz"),
        ("topggz", None),
    ],
)
def test_escalation_goes_one_level_up(level: str, expected: str | None) -> None:
    advice = escalate(level, reason="not on track", knowledge=KNOWLEDGE, content=CONTENT)
    assert advice.to_level == expected
    assert advice.reasons[0].text == {"nl": "not on track", "en": "not on track"}
    if expected is not None:
        assert KNOWLEDGE.care_level(expected).step > KNOWLEDGE.care_level(level).step


def test_topggz_only_on_escalation_with_the_l_mbt_reason() -> None:
    advice = escalate(
        "specialistische_ggz", reason="stagnation", knowledge=KNOWLEDGE, content=CONTENT
    )
    assert advice.unverified
    assert "L-MBT" in advice.reasons[1].text["en"]
    assert advice.reasons[1].sources == ("alknieuws-lmbt", "spaans-2010")
    assert all(rule.care_level != "topggz" for rule in CONTENT.rules.care_rules)


def test_escalating_an_unknown_level_is_an_input_error() -> None:
    with pytest.raises(ScreeningInputError, match="unknown care level 'ic'"):
        escalate("ic", reason="x", knowledge=KNOWLEDGE, content=CONTENT)


# ------------------------------------------------------------------ properties


@dataclass(frozen=True)
class Facts:
    clusters: frozenset[str]
    weeks: int
    limitation: FunctionalLimitation
    comorbidity: frozenset[str]
    earlier_treatment: EarlierTreatment | None = None

    def severity(self) -> str | None:
        screening = ScreeningInput(
            scegs=ScegsAssessment(
                symptom_clusters=tuple(sorted(self.clusters)),
                duration_weeks=self.weeks,
                functional_limitation=self.limitation,
                comorbidity=tuple(sorted(self.comorbidity)),
                earlier_treatment=self.earlier_treatment,
            )
        )
        return run(screening)[1].severity

    def worse_of(self, other: Facts) -> Facts:
        """At least as bad as both on every criterion."""
        return Facts(
            self.clusters | other.clusters,
            max(self.weeks, other.weeks),
            max(self.limitation, other.limitation, key=LIMITATIONS.index),
            self.comorbidity | other.comorbidity,
            max(self.earlier_treatment, other.earlier_treatment, key=EARLIER_TREATMENT.index),
        )


facts = st.builds(
    Facts,
    clusters=st.frozensets(st.sampled_from(CLUSTERS)),
    weeks=st.integers(min_value=0, max_value=200),
    limitation=st.sampled_from(LIMITATIONS),
    comorbidity=st.frozensets(st.sampled_from(COMORBIDITIES)),
    earlier_treatment=st.sampled_from(EARLIER_TREATMENT),
)


@settings(max_examples=150, deadline=None)
@given(facts, facts)
def test_more_clusters_longer_duration_worse_limitation_never_lower_severity(
    first: Facts, second: Facts
) -> None:
    before, after = first.severity(), first.worse_of(second).severity()
    if before is None:
        return  # no clusters: not estimable
    assert after is not None
    assert LEVELS.index(after) >= LEVELS.index(before)


@settings(max_examples=100, deadline=None)
@given(facts)
def test_severe_always_has_more_than_13_weeks_and_estimable_iff_clusters(facts: Facts) -> None:
    severity = facts.severity()
    assert (severity is None) == (not facts.clusters)
    if severity == "severe":
        assert facts.weeks > 13


@settings(max_examples=100, deadline=None)
@given(facts)
def test_severe_only_with_a_severe_limitation_and_never_at_a_first_presentation(
    facts: Facts,
) -> None:
    # Neither the number of clusters nor a comorbidity makes SOLK severe on its own, and
    # care starts in primary care at a first presentation (see the worked cases).
    if facts.severity() == "severe":
        assert facts.limitation == "severe"
        assert facts.earlier_treatment != "none"

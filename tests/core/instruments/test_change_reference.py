"""Which norm the RCI and clinical significance use (PHQ-9 Kroenke 2001, GAD-7 Löwe 2008)."""

from __future__ import annotations

from maatwerk.core.analysis.reliable_change import (
    NormGroup,
    clinical_significance_cutoffs,
    minimal_reliable_difference,
)
from maatwerk.core.instruments.reference import change_reference, significance_reference
from maatwerk.core.instruments.registry import get_instrument


def test_gad7_1_0_used_the_norm_of_the_respondents_sex() -> None:
    total = get_instrument("gad7", "1.0").scale("total")
    women = change_reference(total, sex="female")
    men = change_reference(total, sex="male")
    assert women is not None and men is not None
    assert (women.sd, men.sd) == (3.5, 3.2)
    assert women.reliability == 0.89


def test_gad7_from_version_1_1_uses_one_sd_for_everyone_as_the_phq9_does() -> None:
    # Löwe et al. 2008 (Med Care 46:266): women SD 3.5, men 3.2, alpha 0.89. Version 1.0 gave
    # men a 3-point threshold (1.96 x 3.2 x sqrt(2) x sqrt(0.11) = 2.94) and women 4 points
    # (3.22). Version 1.1 takes the larger SD, 3.5, for every respondent: 4 points for all, the
    # GAD-7 threshold of the NHS Talking Therapies convention (Gyani et al., Behav Res Ther
    # 2013;51:597: reliable improvement GAD-7 >= 4, PHQ-9 >= 6).
    total = get_instrument("gad7").scale("total")
    references = {sex: change_reference(total, sex=sex) for sex in ("female", "male", None)}
    assert {(r.sd, r.reliability) for r in references.values() if r is not None} == {(3.5, 0.89)}
    assert None not in references.values()
    threshold = minimal_reliable_difference(sd=3.5, reliability=0.89)
    assert (round(threshold.points, 2), threshold.whole_points) == (3.22, 4)
    phq9_total = get_instrument("phq9").scale("total")
    phq9 = {change_reference(phq9_total, sex=sex) for sex in ("female", "male", None)}
    assert {(r.sd, r.reliability) for r in phq9 if r is not None} == {(6.1, 0.89)}


def test_phq9_from_version_1_1_uses_the_clinical_sd_of_kroenke_2001() -> None:
    # Jacobson & Truax: the clinical SD. 1.96 x 6.1 x sqrt(2) x sqrt(1 - 0.89) = 5.6, so a
    # change of 6 points is reliable (as the NHS Talking Therapies convention).
    women = change_reference(get_instrument("phq9").scale("total"), sex="female")
    assert women is not None
    assert (women.sd, women.reliability, women.unverified) == (6.1, 0.89, True)
    assert "Kroenke 2001" in women.basis
    assert change_reference(get_instrument("phq9", "1.0").scale("total"), sex="female") is None


def test_phq9_clinical_significance_uses_cut_off_c_per_sex() -> None:
    total = get_instrument("phq9").scale("total")
    women = significance_reference(total, sex="female")
    men = significance_reference(total, sex="male")
    assert women is not None and men is not None
    assert (women.clinical.mean, women.clinical.sd) == (17.1, 6.1)
    assert women.functional is not None and men.functional is not None
    assert (women.functional.mean, men.functional.mean) == (3.1, 2.7)
    assert (women.criterion, women.unverified) == ("c", True)
    # c = (3.5 x 17.1 + 6.1 x 3.1) / (3.5 + 6.1) = 8.20 for women, 7.95 for men
    cut = clinical_significance_cutoffs(
        clinical=NormGroup(women.clinical.mean, women.clinical.sd),
        functional=NormGroup(women.functional.mean, women.functional.sd),
        direction="higher_is_worse",
    )
    assert cut.c is not None and round(cut.c, 2) == 8.20


def test_gad7_has_no_clinical_norm_so_no_clinical_significance() -> None:
    assert significance_reference(get_instrument("gad7").scale("total"), sex="female") is None


def test_no_reference_without_a_norm() -> None:
    # The SSS-8 has a (unverified) reliability but no norm.
    assert change_reference(get_instrument("sss8").scale("total"), sex="female") is None

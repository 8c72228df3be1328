"""The RCI reference group follows the respondent's sex (GAD-7, Löwe 2008)."""

from __future__ import annotations

from maatwerk.core.analysis.reliable_change import NormGroup, clinical_significance_cutoffs
from maatwerk.core.instruments.reference import change_reference, significance_reference
from maatwerk.core.instruments.registry import get_instrument


def test_gad7_uses_the_norm_of_the_respondents_sex() -> None:
    total = get_instrument("gad7").scale("total")
    women = change_reference(total, sex="female")
    men = change_reference(total, sex="male")
    assert women is not None and men is not None
    assert (women.sd, men.sd) == (3.5, 3.2)
    assert women.reliability == 0.89


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

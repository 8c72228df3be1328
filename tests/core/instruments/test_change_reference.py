"""Which norm the RCI and clinical significance use (PHQ-9 Kroenke 2001, GAD-7 Löwe 2008).

The reference group follows the respondent's sex; when the sex has no norm of its own,
the choice is explicit and reported."""

from __future__ import annotations

import pytest

from maatwerk.core.analysis.reliable_change import (
    NormGroup,
    clinical_significance_cutoffs,
    minimal_reliable_difference,
)
from maatwerk.core.instruments.model import Scale
from maatwerk.core.instruments.reference import (
    NormChoice,
    NormSelection,
    UnknownSexNorm,
    change_reference,
    significance_reference,
)
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
    assert "Kroenke et al. (2001)" in women.norm.population
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


# --- the norm when the respondent's sex has none of its own (unknown or other) ---------


@pytest.mark.parametrize("sex", [None, "unknown", "other"])
def test_gad7_unknown_sex_uses_the_larger_sd_and_says_so(sex: str | None) -> None:
    # GAD-7 1.0 keeps Löwe 2008's norms by sex (women SD 3.5, men SD 3.2; no pooled norm);
    # 1.1 has one norm for everyone (see above), so the choice is shown on 1.0.
    reference = change_reference(get_instrument("gad7", "1.0").scale("total"), sex=sex)
    assert reference is not None
    assert reference.sd == 3.5
    assert reference.norm.selection is NormSelection.LARGER_SD
    assert reference.norm.sex == "female"


def test_gad7_known_sex_says_it_used_the_respondents_norm() -> None:
    reference = change_reference(get_instrument("gad7", "1.0").scale("total"), sex="male")
    assert reference is not None
    assert reference.norm == NormChoice(
        population="Löwe et al. (2008)",  # the norm's source; the screen adds the sex
        sex="male",
        selection=NormSelection.RESPONDENT_SEX,
    )


def test_the_clinician_can_choose_the_norm_for_an_unknown_sex() -> None:
    total = get_instrument("gad7", "1.0").scale("total")
    reference = change_reference(total, sex="other", unknown_sex=UnknownSexNorm.MALE)
    assert reference is not None
    assert (reference.sd, reference.norm.selection) == (3.2, NormSelection.CHOSEN_SEX)
    # the choice never overrides a known sex
    women = change_reference(total, sex="female", unknown_sex=UnknownSexNorm.MALE)
    assert women is not None and women.sd == 3.5


def test_phq9_unknown_sex_rci_uses_the_clinical_norm_for_everyone() -> None:
    reference = change_reference(get_instrument("phq9").scale("total"), sex="unknown")
    assert reference is not None
    assert (reference.sd, reference.norm.selection) == (6.1, NormSelection.FOR_EVERYONE)


def test_phq9_unknown_sex_clinical_significance_uses_the_stricter_cutoff() -> None:
    # c(women) = (3.5 x 17.1 + 6.1 x 3.1) / 9.6 = 8.20; c(men) = (3.5 x 17.1 + 6.1 x 2.7)
    # / 9.6 = 7.95. Lower is harder to cross on a scale where higher is worse: men's norm.
    total = get_instrument("phq9").scale("total")
    reference = significance_reference(total, sex=None)
    assert reference is not None and reference.functional is not None
    assert reference.functional.mean == 2.7
    assert reference.functional_norm is not None
    assert reference.functional_norm.selection is NormSelection.STRICTER_CUTOFF
    assert reference.clinical_norm.selection is NormSelection.FOR_EVERYONE
    chosen = significance_reference(total, sex="other", unknown_sex=UnknownSexNorm.FEMALE)
    assert chosen is not None and chosen.functional is not None
    assert chosen.functional.mean == 3.1


def _scale_with_norms(*norms: dict[str, object], direction: str = "higher_is_worse") -> Scale:
    base = get_instrument("gad7", "1.0").scale("total").model_dump(mode="python")
    base["direction"] = direction
    base["norms"] = norms
    return Scale.model_validate(base)


def test_a_pooled_norm_wins_over_the_sex_specific_ones_for_an_unknown_sex() -> None:
    scale = _scale_with_norms(
        {"population": "women", "sex": "female", "mean": 3, "sd": 4, "unverified": True},
        {"population": "everyone", "mean": 3, "sd": 3, "unverified": True},
        {"population": "men", "sex": "male", "mean": 3, "sd": 5, "unverified": True},
    )
    unknown = change_reference(scale, sex=None)
    assert unknown is not None
    assert (unknown.sd, unknown.norm.selection) == (3.0, NormSelection.FOR_EVERYONE)
    men = change_reference(scale, sex="male")
    assert men is not None and men.sd == 5.0


def test_one_sex_only_is_used_and_named_as_the_only_norm() -> None:
    scale = _scale_with_norms(
        {"population": "women", "sex": "female", "mean": 3, "sd": 4, "unverified": True},
    )
    men = change_reference(scale, sex="male")
    assert men is not None
    assert (men.sd, men.norm.selection, men.norm.sex) == (4.0, NormSelection.ONLY_NORM, "female")


def test_stricter_cutoff_on_a_higher_is_better_scale_is_the_higher_one() -> None:
    scale = _scale_with_norms(
        {"population": "clin", "group": "clinical", "mean": 30, "sd": 10, "unverified": True},
        {"population": "w", "group": "functional", "sex": "female", "mean": 70, "sd": 10,
         "unverified": True},
        {"population": "m", "group": "functional", "sex": "male", "mean": 80, "sd": 10,
         "unverified": True},
        direction="higher_is_better",
    )  # fmt: skip
    reference = significance_reference(scale, sex="unknown")
    assert reference is not None and reference.functional is not None
    assert reference.functional.mean == 80.0  # c = 55 rather than 50

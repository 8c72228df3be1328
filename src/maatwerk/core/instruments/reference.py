"""Which norms a scale's reliable change and clinical significance are computed with.

Jacobson & Truax (1991) compute the reliable change index with the SD of the clinical
(pre-treatment) population; without a clinical norm the functional (general-population)
SD stands in, which gives a smaller threshold. Clinical significance needs a clinical norm
(cut-off *a*) and, for the recommended cut-off *c*, a functional one as well.

**Which norm when the file has one per sex.** The respondent's sex picks the norm. When
the sex is unknown or "other", or the file has no norm for it, the choice is explicit (the
``unknown_sex`` parameter) and reported (:class:`NormChoice`), never silent:

1. a norm for everyone (no sex: a pooled or total-sample norm) when the file has one;
2. else, with ``unknown_sex="female"`` or ``"male"``, that sex's norm (the clinician's
   choice, e.g. for a patient whose reference group is known);
3. else (the default, ``"conservative"``): for reliable change the norm with the *larger
   SD*, so a change is only called reliable when it is reliable against either norm; for
   clinical significance the functional norm whose cut-off is *hardest to cross*, so
   "recovered" only counts when it would count with either norm.

The conservative rule is Maatwerk's choice: no source gives pooled PHQ-9 or GAD-7 norms
(Kocalevent et al. 2013 and Löwe et al. 2008 report women and men separately).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from enum import StrEnum
from typing import Literal

from maatwerk.core.analysis.reliable_change import NormGroup, clinical_significance_cutoffs
from maatwerk.core.bibliography import short_citation
from maatwerk.core.instruments.model import Norm, Scale

SEXES_WITH_NORMS = ("female", "male")


class UnknownSexNorm(StrEnum):
    """Which norm to use when the respondent's sex has no norm of its own."""

    CONSERVATIVE = "conservative"
    """The larger SD (reliable change) or the stricter cut-off (clinical significance)."""
    FEMALE = "female"
    MALE = "male"


class NormSelection(StrEnum):
    """Why a norm was used; a code for the web to translate."""

    RESPONDENT_SEX = "respondent_sex"
    """The norm of the respondent's sex."""
    FOR_EVERYONE = "for_everyone"
    """A norm without sex (a pooled or total-sample norm)."""
    ONLY_NORM = "only_norm"
    """The only norm of this kind in the file (of another sex than the respondent's)."""
    CHOSEN_SEX = "chosen_sex"
    """The sex chosen with ``unknown_sex``, because the respondent's has no norm."""
    LARGER_SD = "larger_sd"
    """Sex unknown or without a norm: the norm with the larger SD (conservative)."""
    STRICTER_CUTOFF = "stricter_cutoff"
    """Sex unknown or without a norm: the functional norm whose cut-off is hardest to
    cross (conservative)."""


@dataclass(frozen=True, slots=True)
class NormChoice:
    """Which norm was used and why, for display next to a result."""

    population: str
    sex: str | None
    selection: NormSelection


@dataclass(frozen=True, slots=True)
class ChangeReference:
    """The reference SD and reliability for a Jacobson–Truax RCI, with their provenance."""

    sd: float
    reliability: float
    unverified: bool
    norm: NormChoice


@dataclass(frozen=True, slots=True)
class NormValues:
    mean: float
    sd: float


@dataclass(frozen=True, slots=True)
class SignificanceReference:
    """The norms for Jacobson–Truax clinical significance of one respondent.

    ``criterion`` is ``"c"`` when a functional norm exists, else ``"a"``."""

    clinical: NormValues
    functional: NormValues | None
    criterion: Literal["a", "c"]
    unverified: bool
    clinical_norm: NormChoice
    functional_norm: NormChoice | None


def _settled(
    norms: Sequence[Norm], sex: str | None, unknown_sex: UnknownSexNorm
) -> tuple[Norm, NormSelection] | None:
    """The norm the rule picks without comparing norms; ``None`` when the conservative
    comparison decides (or there is no norm)."""
    own = next((n for n in norms if n.sex is not None and n.sex == sex), None)
    if own is not None:
        return own, NormSelection.RESPONDENT_SEX
    everyone = next((n for n in norms if n.sex is None), None)
    if everyone is not None:
        return everyone, NormSelection.FOR_EVERYONE
    if len(norms) == 1:
        return norms[0], NormSelection.ONLY_NORM
    chosen = next((n for n in norms if n.sex == unknown_sex.value), None)
    if chosen is not None:
        return chosen, NormSelection.CHOSEN_SEX
    return None


def _larger_sd(
    norms: Sequence[Norm], sex: str | None, unknown_sex: UnknownSexNorm
) -> tuple[Norm, NormSelection] | None:
    if not norms:
        return None
    settled = _settled(norms, sex, unknown_sex)
    if settled is not None:
        return settled
    return max(norms, key=lambda n: n.sd), NormSelection.LARGER_SD


def _choice(norm: Norm, selection: NormSelection) -> NormChoice:
    return NormChoice(population=norm_label(norm), sex=norm.sex, selection=selection)


def norm_label(norm: Norm) -> str:
    """A norm as a screen names it in any language: its source's short citation with the
    group's size ("Kroenke et al. (2001), n = 41"); the content's population description
    (English) when the norm has no source."""
    if norm.source is None:
        return norm.population
    label = short_citation(norm.source)
    return f"{label}, n = {norm.n}" if norm.n is not None else label


def _clinical_norms(scale: Scale) -> list[Norm]:
    return [n for n in scale.norms if n.group == "clinical"]


def _functional_norms(scale: Scale) -> list[Norm]:
    return [n for n in scale.norms if n.group != "clinical"]


def change_reference(
    scale: Scale,
    *,
    sex: str | None,
    unknown_sex: UnknownSexNorm = UnknownSexNorm.CONSERVATIVE,
) -> ChangeReference | None:
    """The clinical norm's SD when the file has one, else the functional (or unmarked)
    norm's, chosen by the rule in the module docstring; with the first reliability
    listed. ``None`` when the scale has no norm or no reliability (then reliable change
    cannot be computed)."""
    found = _larger_sd(_clinical_norms(scale), sex, unknown_sex) or _larger_sd(
        _functional_norms(scale), sex, unknown_sex
    )
    if found is None or not scale.reliability:
        return None
    norm, selection = found
    reliability = scale.reliability[0]
    return ChangeReference(
        sd=float(norm.sd),
        reliability=float(reliability.value),
        unverified=norm.unverified or reliability.unverified,
        norm=_choice(norm, selection),
    )


def _stricter_functional(scale: Scale, clinical: Norm, candidates: Sequence[Norm]) -> Norm:
    """The functional norm whose cut-off c lies furthest towards the healthy end."""

    def cutoff_c(norm: Norm) -> float:
        cut = clinical_significance_cutoffs(
            clinical=NormGroup(float(clinical.mean), float(clinical.sd)),
            functional=NormGroup(float(norm.mean), float(norm.sd)),
            direction=scale.direction,
        )
        return cut.value("c")

    healthy_low = scale.direction == "higher_is_worse"
    return (min if healthy_low else max)(candidates, key=cutoff_c)


def significance_reference(
    scale: Scale,
    *,
    sex: str | None,
    unknown_sex: UnknownSexNorm = UnknownSexNorm.CONSERVATIVE,
) -> SignificanceReference | None:
    """The clinical norm and, when there is one, the functional norm, chosen by the rule
    in the module docstring. ``None`` without a clinical norm: then only reliable change
    is reported."""
    clinical_found = _larger_sd(_clinical_norms(scale), sex, unknown_sex)
    if clinical_found is None:
        return None
    clinical, clinical_selection = clinical_found
    candidates = _functional_norms(scale)
    functional: Norm | None = None
    functional_selection = NormSelection.STRICTER_CUTOFF
    if candidates:
        settled = _settled(candidates, sex, unknown_sex)
        if settled is None:
            functional = _stricter_functional(scale, clinical, candidates)
        else:
            functional, functional_selection = settled
    used = [clinical] if functional is None else [clinical, functional]
    return SignificanceReference(
        clinical=NormValues(float(clinical.mean), float(clinical.sd)),
        functional=None
        if functional is None
        else NormValues(float(functional.mean), float(functional.sd)),
        criterion="a" if functional is None else "c",
        unverified=any(n.unverified for n in used),
        clinical_norm=_choice(clinical, clinical_selection),
        functional_norm=None if functional is None else _choice(functional, functional_selection),
    )

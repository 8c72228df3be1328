"""Which norms a scale's reliable change and clinical significance are computed with.

Jacobson & Truax (1991) compute the reliable change index with the SD of the clinical
(pre-treatment) population; without a clinical norm the functional (general-population)
SD stands in, which gives a smaller threshold. Clinical significance needs a clinical norm
(cut-off *a*) and, for the recommended cut-off *c*, a functional one as well.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from maatwerk.core.instruments.model import Norm, Scale


@dataclass(frozen=True, slots=True)
class ChangeReference:
    """The reference SD and reliability for a Jacobson–Truax RCI, with their provenance."""

    sd: float
    reliability: float
    basis: str
    unverified: bool


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
    basis: str
    unverified: bool


def _for_sex(norms: list[Norm], sex: str | None) -> Norm | None:
    """The norm of the respondent's sex, else one for everyone, else the first."""
    if not norms:
        return None
    return next(
        (n for n in norms if n.sex is not None and n.sex == sex),
        next((n for n in norms if n.sex is None), norms[0]),
    )


def _clinical(scale: Scale, sex: str | None) -> Norm | None:
    return _for_sex([n for n in scale.norms if n.group == "clinical"], sex)


def _functional(scale: Scale, sex: str | None) -> Norm | None:
    return _for_sex([n for n in scale.norms if n.group != "clinical"], sex)


def change_reference(scale: Scale, *, sex: str | None) -> ChangeReference | None:
    """The clinical norm's SD when the file has one, else the functional (or unmarked)
    norm's, each for the respondent's sex where possible; with the first reliability
    listed. ``None`` when the scale has no norm or no reliability (then reliable change
    cannot be computed)."""
    norm = _clinical(scale, sex) or _functional(scale, sex)
    if norm is None or not scale.reliability:
        return None
    reliability = scale.reliability[0]
    return ChangeReference(
        sd=float(norm.sd),
        reliability=float(reliability.value),
        basis=f"SD {norm.sd} ({norm.population}); {reliability.kind} {reliability.value}",
        unverified=norm.unverified or reliability.unverified,
    )


def significance_reference(scale: Scale, *, sex: str | None) -> SignificanceReference | None:
    """The clinical norm and, when there is one, the functional norm for the respondent's
    sex. ``None`` without a clinical norm: then only reliable change is reported."""
    clinical = _clinical(scale, sex)
    if clinical is None:
        return None
    functional = _functional(scale, sex)
    used = [clinical] if functional is None else [clinical, functional]
    return SignificanceReference(
        clinical=NormValues(float(clinical.mean), float(clinical.sd)),
        functional=None
        if functional is None
        else NormValues(float(functional.mean), float(functional.sd)),
        criterion="a" if functional is None else "c",
        basis="; ".join(f"{n.population}: {n.mean} ± {n.sd}" for n in used),
        unverified=any(n.unverified for n in used),
    )

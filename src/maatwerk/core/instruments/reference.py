"""Which norm SD and reliability a scale's reliable change is computed with."""

from __future__ import annotations

from dataclasses import dataclass

from maatwerk.core.instruments.model import Scale


@dataclass(frozen=True, slots=True)
class ChangeReference:
    """The reference SD and reliability for a Jacobson–Truax RCI, with their provenance."""

    sd: float
    reliability: float
    basis: str
    unverified: bool


def change_reference(scale: Scale, *, sex: str | None) -> ChangeReference | None:
    """The norm group of the respondent's sex when the file has one, else a norm for
    everyone, else the first norm; with the first reliability listed. ``None`` when the
    scale has no norm or no reliability (then reliable change cannot be computed)."""
    if not scale.norms or not scale.reliability:
        return None
    norm = next(
        (n for n in scale.norms if n.sex is not None and n.sex == sex),
        next((n for n in scale.norms if n.sex is None), scale.norms[0]),
    )
    reliability = scale.reliability[0]
    return ChangeReference(
        sd=float(norm.sd),
        reliability=float(reliability.value),
        basis=f"SD {norm.sd} ({norm.population}); {reliability.kind} {reliability.value}",
        unverified=norm.unverified or reliability.unverified,
    )

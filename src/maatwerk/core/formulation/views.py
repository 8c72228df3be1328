"""The same formulation seen as SCEGS and as the biopsychosocial 3P model.

Both are views: they add nothing and lose nothing the clinician needs to see, and are
recomputed from the formulation every time.

**SCEGS** (the GP's exploration: somatisch, cognitief, emotioneel, gedragsmatig,
sociaal; nhg-m102-henw; SCEGS extends the biopsychosocial model, gevolgenmodel.nl). The
mapping from the five gevolgenmodel domains is one to one, and the complaints
themselves are somatic: *editorial*, because no source maps the two models
onto each other field by field.

**3P** (predisposing, precipitating, perpetuating; cbm-vicious-cycle).
A consequence's ``role`` places it; without a role, a maintaining consequence is
perpetuating (the gevolgenmodel's maintaining consequences are the model's perpetuating
factors - the mapping is editorial) and a non-maintaining one is listed as ``unplaced``.
The clinician's tagged factors go where they are tagged. With a screening profile, every
elevated risk factor that no consequence or tagged factor already expresses is added as
perpetuating (the knowledge base's risk factors are maintaining factors); low resilience
factors are not placed, because they are missing strengths rather than factors that keep
the complaint going.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Literal

from maatwerk.core.formulation.model import ConsequenceDomain, Formulation, Role
from maatwerk.core.knowledge.model import ScegsDimension
from maatwerk.core.screening.model import ScreeningProfile

__all__ = [
    "DOMAIN_TO_SCEGS",
    "SCEGS_DIMENSIONS",
    "ScegsEntry",
    "ScegsView",
    "ThreePEntry",
    "ThreePView",
    "as_scegs",
    "as_three_p",
]

SCEGS_DIMENSIONS: tuple[ScegsDimension, ...] = (
    "somatisch",
    "cognitief",
    "emotioneel",
    "gedragsmatig",
    "sociaal",
)
DOMAIN_TO_SCEGS: Mapping[ConsequenceDomain, ScegsDimension] = {
    "physical": "somatisch",
    "cognitive": "cognitief",
    "emotional": "emotioneel",
    "behavioural": "gedragsmatig",
    "social": "sociaal",
}


@dataclass(frozen=True, slots=True)
class ScegsEntry:
    origin: Literal["complaint", "consequence"]
    id: str
    text: str
    maintaining: bool  # complaints: False (they are what is maintained)


@dataclass(frozen=True, slots=True)
class ScegsView:
    somatisch: tuple[ScegsEntry, ...]
    cognitief: tuple[ScegsEntry, ...]
    emotioneel: tuple[ScegsEntry, ...]
    gedragsmatig: tuple[ScegsEntry, ...]
    sociaal: tuple[ScegsEntry, ...]

    def dimension(self, name: ScegsDimension) -> tuple[ScegsEntry, ...]:
        entries: tuple[ScegsEntry, ...] = getattr(self, name)
        return entries


def as_scegs(formulation: Formulation) -> ScegsView:
    """Complaints and physical consequences under somatisch, each other domain under its
    SCEGS dimension, in the formulation's order."""
    found: dict[ScegsDimension, list[ScegsEntry]] = {name: [] for name in SCEGS_DIMENSIONS}
    for complaint in formulation.complaints:
        found["somatisch"].append(ScegsEntry("complaint", complaint.id, complaint.text, False))
    for consequence in formulation.consequences:
        found[DOMAIN_TO_SCEGS[consequence.domain]].append(
            ScegsEntry("consequence", consequence.id, consequence.words, consequence.maintaining)
        )
    return ScegsView(*(tuple(found[name]) for name in SCEGS_DIMENSIONS))


@dataclass(frozen=True, slots=True)
class ThreePEntry:
    origin: Literal["consequence", "tagged", "screening"]
    id: str  # consequence or tagged-factor id; the factor id for screening entries
    text: str | None  # the patient's words; None for a screening factor (show its name)
    factor_id: str | None


@dataclass(frozen=True, slots=True)
class ThreePView:
    predisposing: tuple[ThreePEntry, ...]
    precipitating: tuple[ThreePEntry, ...]
    perpetuating: tuple[ThreePEntry, ...]
    unplaced: tuple[ThreePEntry, ...]  # consequences neither maintaining nor tagged


def as_three_p(formulation: Formulation, profile: ScreeningProfile | None = None) -> ThreePView:
    """Predisposing / precipitating / perpetuating (see the module docstring)."""
    found: dict[Role | None, list[ThreePEntry]] = {
        "predisposing": [],
        "precipitating": [],
        "perpetuating": [],
        None: [],
    }
    for consequence in formulation.consequences:
        entry = ThreePEntry("consequence", consequence.id, consequence.words, consequence.factor_id)
        found[consequence.effective_role].append(entry)
    for tagged in formulation.tagged_factors:
        found[tagged.role].append(ThreePEntry("tagged", tagged.id, tagged.text, tagged.factor_id))
    if profile is not None:
        expressed = {c.factor_id for c in formulation.consequences} | {
            t.factor_id for t in formulation.tagged_factors
        }
        for factor_id in profile.elevated_risk_factors:
            if factor_id not in expressed:
                found["perpetuating"].append(ThreePEntry("screening", factor_id, None, factor_id))
    return ThreePView(
        tuple(found["predisposing"]),
        tuple(found["precipitating"]),
        tuple(found["perpetuating"]),
        tuple(found[None]),
    )

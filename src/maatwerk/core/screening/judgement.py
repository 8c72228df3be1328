"""Which factors the clinician judges in the SCEGS exploration, and with what guidance.

A factor is judged by the clinician when the knowledge base gives it a
``clinician_judgement`` measure; that measure carries the guidance shown next to it.
"""

from __future__ import annotations

from maatwerk.core.knowledge.model import ClinicianJudgement, Factor, KnowledgeBase


def judgement_measure(factor: Factor) -> ClinicianJudgement | None:
    """The factor's clinician-judgement measure, or None when only questionnaires
    measure it."""
    return next((m for m in factor.measures if isinstance(m, ClinicianJudgement)), None)


def judgeable_factor_ids(knowledge: KnowledgeBase) -> tuple[str, ...]:
    """The factors the clinician can judge, in the knowledge base's order."""
    return tuple(
        factor.id for factor in knowledge.factors.factors if judgement_measure(factor) is not None
    )

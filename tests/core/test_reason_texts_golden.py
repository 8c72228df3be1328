"""Every reason the core writes for stepped care and for a plan, in Dutch and English,
compared byte for byte with a golden file.

Provenance of ``golden/reason_texts.json``: written by this module's ``render_all()`` from
the code at commit 45fed97 (branch ``core-prose``, before these texts moved from inline
``{"nl": …, "en": …}`` dictionaries in ``core/screening/stepped_care.py`` and
``core/planning/plan.py`` to ``content/prose/``). The move had to keep every string the
same. Regenerate (``python -m tests.core.test_reason_texts_golden``) only when a text is
changed on purpose, and review the diff.
"""

from __future__ import annotations

import json
from dataclasses import replace
from decimal import Decimal
from pathlib import Path
from typing import Any

from maatwerk.core.modules.registry import bundled_catalogue
from maatwerk.core.planning.content import bundled_planning_rules
from maatwerk.core.planning.decisions import AcceptedModule, PlanDecision
from maatwerk.core.planning.matching import MatchReason, PlanPreferences, recommend_modules
from maatwerk.core.planning.plan import reason_lines
from maatwerk.core.screening.model import JudgementEvidence, RuleReason, ScaleEvidence
from maatwerk.core.screening.stepped_care import escalate
from tests.core.screening.patients import CONTENT, KNOWLEDGE, Patient, run
from tests.core.screening.test_synthetic_patients import PATIENTS

GOLDEN = Path(__file__).parent / "golden" / "reason_texts.json"
CATALOGUE = bundled_catalogue()
RULES = bundled_planning_rules()

# Synthetic screenings that between them reach every sentence of stepped_care.py.
SCREENINGS: dict[str, Patient] = {
    "nothing_assessed": Patient(),
    "duration_missing": Patient(complaints=("headache",), limitation="light"),
    "capped_by_clusters": Patient(
        scores={"phq9": 4},
        complaints=("back_neck_pain", "abdominal_pain", "chest_pain", "dizziness", "fatigue"),
        duration_weeks=30,
        limitation="light",
        earlier_treatment="primary_care",
    ),
    "severe_short_duration": Patient(
        complaints=("fatigue", "palpitations"), duration_weeks=8, limitation="severe"
    ),
    "severe_first_presentation": Patient(
        complaints=("fatigue", "dizziness"),
        duration_weeks=60,
        limitation="severe",
        earlier_treatment="none",
    ),
    "severe_earlier_treatment_unknown": Patient(
        complaints=("fatigue", "dizziness"), duration_weeks=60, limitation="severe"
    ),
    "severe_treated_in_primary_care": Patient(
        complaints=("fatigue",),
        duration_weeks=40,
        limitation="severe",
        earlier_treatment="primary_care",
    ),
    "severe_treated_in_mental_health_care": Patient(
        scores={"phq9": 14, "gad7": 12},
        complaints=("fatigue", "itch"),
        conditions=("psoriasis",),
        duration_weeks=40,
        limitation="severe",
        earlier_treatment="mental_health_care",
        wants_help_now="unsure",
        modality="online",
        first_problem="beter slapen",
    ),
    "recorded_comorbidity": Patient(
        complaints=("itch",),
        comorbidity=("suspected_depressive_disorder",),
        duration_weeks=20,
        limitation="moderate",
        wants_help_now="no",
        modality="face_to_face",
        first_problem="weer werken",
    ),
}


def _reason(reason: RuleReason) -> dict[str, Any]:
    return {"rule_id": reason.rule_id, "text": dict(reason.text)}


def _screening_texts() -> dict[str, Any]:
    patients = {
        **SCREENINGS,
        **{f"synthetic.{name}": patient for name, (patient, _) in PATIENTS.items()},
    }
    rendered: dict[str, Any] = {}
    for name, patient in sorted(patients.items()):
        _, advice = run(patient)
        rendered[name] = [
            _reason(reason)
            for reason in (
                *advice.severity_reasons,
                *advice.care_level_reasons,
                *advice.preference_notes,
            )
        ]
    for level in sorted(c.id for c in KNOWLEDGE.care_levels.care_levels):
        advice = escalate(level, reason="stagnatie", knowledge=KNOWLEDGE, content=CONTENT)
        rendered[f"escalate.{level}"] = [_reason(reason) for reason in advice.reasons]
    return rendered


def _variants(reason: MatchReason) -> tuple[MatchReason, ...]:
    """The reason as matched, and as it would read from the formulation, on a target,
    without interventions and without provenance."""
    return (
        reason,
        replace(reason, origins=(*reason.origins, "formulation")),
        replace(reason, factor_status="maintaining", origins=("formulation",), evidence=()),
        replace(reason, via="module_target", interventions=()),
        replace(reason, via="planning_link", interventions=(), sources=(), unverified=False),
        replace(
            reason,
            factor_status="unknown_status",
            evidence=(
                JudgementEvidence(True, None, False),
                JudgementEvidence(False, None, False),
                ScaleEvidence(
                    "phq9", "1", "total", Decimal("7.5"), ">=", Decimal(10), False, None, False
                ),
            ),
        ),
    )


def _plan_texts() -> dict[str, Any]:
    rendered: dict[str, Any] = {}
    for name, (patient, _) in sorted(PATIENTS.items()):
        profile, _advice = run(patient)
        recommendations = recommend_modules(
            profile,
            preferences=PlanPreferences(modality="blended"),
            catalogue=CATALOGUE,
            knowledge=KNOWLEDGE,
            rules=RULES,
        )
        varied = False
        for rec in recommendations:
            items = [
                AcceptedModule(rec.module_id, 1, rec, None),
                AcceptedModule(
                    rec.module_id, 1, rec, PlanDecision(rec.module_id, "accept", " Past. ")
                ),
            ]
            if rec.reasons and not varied:
                varied = True
                variants = tuple(v for r in rec.reasons for v in _variants(r))
                items.append(AcceptedModule(rec.module_id, 1, replace(rec, reasons=variants), None))
                excluded = replace(rec, status="excluded_by_patient")
                decision = PlanDecision(rec.module_id, "accept", "Toch nodig.")
                items.append(AcceptedModule(rec.module_id, 1, excluded, decision))
            for index, item in enumerate(items):
                rendered[f"{name}.{rec.module_id}.{index}"] = {
                    language: list(reason_lines(item, language, KNOWLEDGE))
                    for language in ("nl", "en")
                }
    added = AcceptedModule("g_schema", 1, None, PlanDecision("g_schema", "add", "Op verzoek."))
    rendered["added_by_the_clinician"] = {
        language: list(reason_lines(added, language, KNOWLEDGE)) for language in ("nl", "en")
    }
    return rendered


def render_all() -> dict[str, Any]:
    return {"stepped_care": _screening_texts(), "plan": _plan_texts()}


def test_every_reason_reads_as_before_in_both_languages() -> None:
    golden = json.loads(GOLDEN.read_text(encoding="utf-8"))
    rendered = render_all()
    assert rendered["stepped_care"] == golden["stepped_care"]
    assert rendered["plan"] == golden["plan"]


def test_the_golden_file_reaches_every_kind_of_sentence() -> None:
    # A guard against a golden file that silently stopped covering a branch.
    golden = json.loads(GOLDEN.read_text(encoding="utf-8"))
    english = json.dumps(golden, ensure_ascii=False)
    for fragment in (
        "Severity cannot be estimated",
        "On the clusters alone at most",
        "(recorded by the clinician)",
        "(suggested by ",
        "(Psoriasis)",
        "so moderate, not severe.",
        "weeks: met.",
        "First presentation",
        "Earlier treatment not assessed yet",
        "Treated before in general practice: met.",
        "Treated before in mental health care: met.",
        "Wants to work on this first: ",
        "already the most intensive level",
        "added by the clinician: ",
        "not wanted by the patient, chosen by the clinician anyway: ",
        "clinician: Past.",
        "clinician's judgement: present",
        "clinician's judgement: absent",
        ": not met",
        "the module targets this factor",
        "knowledge-base link →",
        "maintaining according to the formulation",
        "; formulation",
        "unknown_status",
        "sources: ",
        "unverified",
    ):
        assert fragment in english, fragment


if __name__ == "__main__":
    GOLDEN.write_text(
        json.dumps(render_all(), ensure_ascii=False, indent=1, sort_keys=True) + "\n",
        encoding="utf-8",
    )

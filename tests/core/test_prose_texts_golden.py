"""Every text of a FHIR CarePlan export, of a risk profile and of a battery's steps, in
Dutch and English, compared byte for byte with a golden file.

Provenance of ``golden/prose_texts.json``: written by this module's ``render_all()`` from
the code at commit 52a1b85 (branch ``prose``, before these texts moved from inline
``{"nl": …, "en": …}`` dictionaries in ``core/fhir/care_plan.py``,
``core/screening/profile.py`` and ``core/screening/batteries.py`` to ``content/prose/``).
The move had to keep every string the same. Regenerate
(``python -m tests.core.test_prose_texts_golden``) only when a text is changed on purpose,
and review the diff.
"""

from __future__ import annotations

import json
from dataclasses import replace
from datetime import date
from pathlib import Path
from typing import Any

from maatwerk.core.fhir.care_plan import plan_to_fhir
from maatwerk.core.instruments.base import Language
from maatwerk.core.instruments.personalized import GasGoal
from maatwerk.core.modules.registry import bundled_catalogue
from maatwerk.core.planning.content import bundled_planning_rules
from maatwerk.core.planning.decisions import PlanDecision, apply_decisions
from maatwerk.core.planning.duration import expected_duration
from maatwerk.core.planning.matching import PlanPreferences, recommend_modules
from maatwerk.core.planning.multidisciplinary import multidisciplinary_parts
from maatwerk.core.planning.plan import Plan, PlanGoal, build_plan
from maatwerk.core.screening.batteries import plan_battery
from maatwerk.core.screening.model import FactorFinding, PatientPriorities
from maatwerk.core.screening.profile import risk_profile
from tests.core.screening.patients import CONTENT, KNOWLEDGE, Patient, run
from tests.core.screening.test_synthetic_patients import PATIENTS

GOLDEN = Path(__file__).parent / "golden" / "prose_texts.json"
CATALOGUE = bundled_catalogue()
RULES = bundled_planning_rules()
LANGUAGES: tuple[Language, ...] = ("nl", "en")

# ------------------------------------------------------------------ the care plan

LEVELS = {
    -2: "Ik loop niet meer naar de bakker.",
    -1: "Ik loop met pauzes tot de hoek.",
    0: " Ik loop in 10 minuten naar de bakker. ",
    1: "Ik loop naar de bakker en terug.",
    2: "Ik loop elke dag een half uur.",
}


def _plan(patient: str, *, modality: str, decisions: tuple[PlanDecision, ...]) -> Plan:
    profile, advice = run(PATIENTS[patient][0])
    recommendations = recommend_modules(
        profile,
        preferences=PlanPreferences(),
        catalogue=CATALOGUE,
        knowledge=KNOWLEDGE,
        rules=RULES,
    )
    accepted = apply_decisions(recommendations, decisions)
    return build_plan(
        plan_id=f"golden-{patient}",
        care_level=advice.care_level,
        modality=modality,  # type: ignore[arg-type]
        accepted=accepted,
        goals=(PlanGoal(GasGoal("Weer naar de bakker lopen", 1), LEVELS),),
        multidisciplinary=multidisciplinary_parts(
            profile, severity=advice.severity, rules=RULES, knowledge=KNOWLEDGE
        ),
        duration=expected_duration(
            [a.module_id for a in accepted],
            catalogue=CATALOGUE,
            care_level=advice.care_level,
            max_at_once=1,
            rules=RULES,
        ),
        decisions=decisions,
        created=date(2026, 11, 25),
        status="active",
        catalogue=CATALOGUE,
        knowledge=KNOWLEDGE,
    )


def _plans() -> dict[str, Plan]:
    """Plans that between them reach every word of the CarePlan export: each modality,
    each decision with and without a reason, a capped and an uncapped duration, a
    multidisciplinary part."""
    pain = _plan(
        "pain_fear_and_catastrophizing",
        modality="blended",
        decisions=(PlanDecision("exposure_hierarchy", "remove", "Later, eerst experimenten."),),
    )
    # The export writes whatever decisions the plan carries: one of each action, one
    # with a blank reason.
    pain = replace(
        pain,
        decisions=(
            *pain.decisions,
            PlanDecision("behavioural_experiments", "remove", "  "),
            PlanDecision("sleep", "add", "Slaapt slecht."),
            PlanDecision("g_schema", "accept"),
        ),
    )
    rehabilitation = _plan("deconditioning_rehabilitation", modality="face_to_face", decisions=())
    capped = replace(
        pain.duration, weeks=26, ceiling_weeks=26, capped=True, waves=(8, 6, 4, 4, 4, 2)
    )
    return {
        "pain.blended": pain,
        "pain.online.capped": replace(pain, modality="online", duration=capped),
        "pain.no_preference": replace(pain, modality="no_preference", status="draft"),
        "rehabilitation.face_to_face": rehabilitation,
        "rehabilitation.revoked.no_modules": replace(
            rehabilitation,
            status="revoked",
            modules=(),
            duration=replace(rehabilitation.duration, weeks=0, waves=()),
        ),
    }


def _care_plans() -> dict[str, Any]:
    rendered: dict[str, Any] = {}
    for name, plan in _plans().items():
        for language in LANGUAGES:
            care_plan, goals = plan_to_fhir(
                plan, patient_ref="p-1", author_ref="J. de Vries, POH-GGZ", language=language
            )
            rendered[f"{name}.{language}"] = {"care_plan": care_plan, "goals": goals}
    return rendered


# ------------------------------------------------------------------ the risk profile


def _with_statuses(
    factors: tuple[FactorFinding, ...], statuses: dict[str, str]
) -> tuple[FactorFinding, ...]:
    return tuple(
        replace(f, status=statuses[f.factor_id]) if f.factor_id in statuses else f  # type: ignore[arg-type]
        for f in factors
    )


def _risk_profiles() -> dict[str, Any]:
    rule = CONTENT.rules.risk_profile
    counted = [f for f in rule.counted_factors if f != rule.distress_factor]
    base, _ = run(Patient(scores={"phq9": 3}))
    rendered: dict[str, Any] = {}
    for distress in ("elevated", "not_elevated", "not_assessed"):
        for count in range(len(counted) + 1):
            statuses = {
                f: ("elevated" if i < count else "not_elevated") for i, f in enumerate(counted)
            }
            statuses[rule.distress_factor] = distress
            found = risk_profile(_with_statuses(base.factors, statuses), KNOWLEDGE, CONTENT)
            rendered[f"distress_{distress}.{count}_counted"] = [
                {"rule_id": r.rule_id, "text": dict(r.text)} for r in found.reasons
            ]
    for name, (patient, _) in sorted(PATIENTS.items()):
        profile, _ = run(patient)
        rendered[f"synthetic.{name}"] = [
            {"rule_id": r.rule_id, "text": dict(r.text)} for r in profile.risk_profile.reasons
        ]
    return rendered


# ------------------------------------------------------------------ batteries


def _batteries() -> dict[str, Any]:
    complaint_sets: dict[str, PatientPriorities | None] = {
        "before_intake": None,
        "no_complaints": PatientPriorities(complaints=()),
        **{f"complaint.{c.id}": PatientPriorities(complaints=(c.id,)) for c in CONTENT.complaints},
    }
    rendered: dict[str, Any] = {}
    for battery in CONTENT.batteries:
        for name, priorities in complaint_sets.items():
            rendered[f"{battery.id}.{name}"] = [
                {"instrument": d.instrument, "status": d.status, "reason": dict(d.reason)}
                for d in plan_battery(battery, priorities, content=CONTENT)
            ]
    return rendered


def render_all() -> dict[str, Any]:
    return {
        "care_plan": _care_plans(),
        "risk_profile": _risk_profiles(),
        "batteries": _batteries(),
    }


def _text(rendered: dict[str, Any]) -> str:
    return json.dumps(rendered, ensure_ascii=False, indent=1, sort_keys=True) + "\n"


def test_every_text_reads_as_before_in_both_languages_byte_for_byte() -> None:
    assert _text(render_all()) == GOLDEN.read_text(encoding="utf-8")


def test_the_golden_file_reaches_every_kind_of_sentence() -> None:
    # A guard against a golden file that silently stopped covering a branch.
    golden = GOLDEN.read_text(encoding="utf-8")
    for fragment in (
        # the CarePlan export, Dutch and English
        "Behandelplan",
        "Treatment plan",
        "Verwachte duur: ",
        "Expected duration: ",
        " — begrensd op 26 weken voor dit zorgniveau",
        " — capped at 26 weeks for this care level",
        "Besluit behandelaar: verwijderen exposure_hierarchy: Later, eerst experimenten.",
        'Besluit behandelaar: verwijderen behavioural_experiments"',
        "Besluit behandelaar: toevoegen sleep: Slaapt slecht.",
        'Besluit behandelaar: accepteren g_schema"',
        "Clinician's decision: remove exposure_hierarchy: ",
        "Clinician's decision: add sleep",
        "Clinician's decision: accept g_schema",
        'Vorm: online"',
        "Vorm: face-to-face (in de praktijk)",
        "Vorm: blended (online en in de praktijk)",
        'Format: online"',
        'Format: face to face"',
        "Format: blended (online and face to face)",
        "GAS-doelbereik",
        "GAS attainment level",
        "Niveau -2: ",
        "Level +2: ",
        "Huidig niveau: +1",
        "Current level: +1",
        'Verwachte uitkomst (0): Ik loop in 10 minuten naar de bakker."',
        "Expected outcome (0): ",
        "[unverified]",
        # the risk profile
        "Geen psychologisch risicoprofiel: negatieve stemming niet verhoogd en 0 van minimaal 2",
        "No psychological risk profile: negative mood not elevated and 1 of at least 2",
        " Let op: negatieve stemming is niet gemeten.",
        " Note: negative mood was not assessed.",
        "zijn verhoogd. (",
        "are elevated. (",
        # the battery steps
        "Wacht op de intake: of deze vragenlijst nodig is hangt af van de klachten.",
        "Waiting for the intake: whether this questionnaire is needed depends on the complaints.",
        '"skip"',
    ):
        assert fragment in golden, fragment


if __name__ == "__main__":
    GOLDEN.write_text(_text(render_all()), encoding="utf-8")

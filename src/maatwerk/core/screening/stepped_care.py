"""Severity and the stepped-care advice, from the rules in ``stepped_care.json``.

Severity combines the SCEGS-informed criteria as the data file says (see
docs/screening/README.md): the highest level supported by the functional limitation and
the number of symptom clusters, where the clusters alone support at most "moderate"; a
comorbidity raises it one step but not above "moderate"; "severe" only with a duration
above the duration rule's weeks and not at a first presentation (otherwise "moderate").
So "severe" always rests on a severe limitation in functioning. When a required
criterion was not assessed, severity is ``None``, the advice names what is missing and
the care level is the ``unassessed`` rule's (the least intensive). An unknown earlier
treatment does not lower "severe" but is named as still to assess.

Every sentence this module adds to the data's own texts is prose in
``content/prose/stepped_care_reasons.json``, rendered in both languages by :func:`_texts`.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from functools import cache

from maatwerk.core.common.prose import Prose, load_prose
from maatwerk.core.instruments.explain import comparison_text
from maatwerk.core.instruments.registry import scale_label
from maatwerk.core.knowledge.model import KnowledgeBase, Provenance
from maatwerk.core.screening.content import ScreeningContent
from maatwerk.core.screening.definitions import CareRule, Comorbidity
from maatwerk.core.screening.errors import ScreeningInputError
from maatwerk.core.screening.model import (
    EscalationAdvice,
    RuleReason,
    ScreeningInput,
    ScreeningProfile,
    Severity,
    SteppedCareAdvice,
)
from maatwerk.core.screening.profile import (
    check_screening_input,
    symptom_clusters,
    threshold_evidence,
)
from maatwerk.core.screening.texts import LANGUAGES, join, localized

__all__ = [
    "ComorbidityFinding",
    "SeverityEstimate",
    "advise",
    "comorbidities",
    "escalate",
    "estimate_severity",
]

LEVELS: tuple[Severity, ...] = ("mild", "moderate", "severe")

PROSE_FILE = "stepped_care_reasons.json"


@cache
def _prose() -> Prose:
    return load_prose(PROSE_FILE)


def _texts(key: str, **values: str | Mapping[str, str]) -> dict[str, str]:
    """``{"nl": …, "en": …}`` of the prose text ``key``; a value given per language (a
    mapping) fills each language's placeholder with its own language."""
    return {
        language: _prose().text(
            key,
            language,
            **{
                name: value if isinstance(value, str) else value[language]
                for name, value in values.items()
            },
        )
        for language in LANGUAGES
    }


@dataclass(frozen=True, slots=True)
class ComorbidityFinding:
    comorbidity: Comorbidity
    how: str  # "recorded" | "condition" | "score"
    reason: RuleReason


@dataclass(frozen=True, slots=True)
class SeverityEstimate:
    severity: Severity | None
    reasons: tuple[RuleReason, ...]
    missing: tuple[str, ...]


def comorbidities(
    screening: ScreeningInput, *, knowledge: KnowledgeBase, content: ScreeningContent
) -> tuple[ComorbidityFinding, ...]:
    """Comorbidities recorded by the clinician, implied by a SCEGS condition's kind, or
    suggested by a score (a screening result for the clinician to confirm)."""
    found: list[ComorbidityFinding] = []
    scegs = screening.scegs
    for comorbidity in content.rules.comorbidities:
        name = localized(comorbidity.name)
        sources = tuple(comorbidity.sources)
        if comorbidity.id in scegs.comorbidity:
            text = join(name, _texts("comorbidity.recorded"))
            reason = RuleReason(
                f"comorbidity.{comorbidity.id}", text, sources, comorbidity.unverified
            )
            found.append(ComorbidityFinding(comorbidity, "recorded", reason))
            continue
        matching = [
            knowledge.condition(c)
            for c in scegs.conditions
            if knowledge.condition(c).kind in comorbidity.from_condition_kinds
        ]
        if matching:
            condition_names = {
                language: ", ".join(c.name.get(language, fallback=True) or c.id for c in matching)
                for language in LANGUAGES
            }
            text = join(name, _texts("comorbidity.condition", conditions=condition_names))
            reason = RuleReason(
                f"comorbidity.{comorbidity.id}", text, sources, comorbidity.unverified
            )
            found.append(ComorbidityFinding(comorbidity, "condition", reason))
            continue
        for threshold in comorbidity.suggested_by:
            evidence = threshold_evidence(threshold, screening.observations)
            if evidence is None or not evidence.met:
                continue
            scale = {
                language: scale_label(
                    evidence.instrument, evidence.instrument_version, evidence.scale, language
                )
                for language in LANGUAGES
            }
            suggestion = _texts(
                "comorbidity.suggested",
                scale=scale,
                comparison={
                    language: comparison_text(
                        evidence.value, evidence.operator, evidence.threshold, language
                    )
                    for language in LANGUAGES
                },
            )
            text = join(name, suggestion)
            reason = RuleReason(
                f"comorbidity.{comorbidity.id}",
                text,
                tuple(
                    dict.fromkeys((*sources, *((threshold.source,) if threshold.source else ())))
                ),
                comorbidity.unverified or threshold.unverified,
            )
            found.append(ComorbidityFinding(comorbidity, "score", reason))
            break
    return tuple(found)


def _reason(rule_id: str, text: dict[str, str], rule: Provenance) -> RuleReason:
    return RuleReason(rule_id, text, tuple(rule.sources), rule.unverified)


def estimate_severity(
    screening: ScreeningInput, *, knowledge: KnowledgeBase, content: ScreeningContent
) -> SeverityEstimate:
    rules = content.rules.severity
    scegs = screening.scegs
    clusters = symptom_clusters(screening, content)
    combination = rules.combination
    missing = []
    if not clusters:
        missing.append("symptom_clusters")
    if scegs.functional_limitation is None:
        missing.append("functional_limitation")
    if scegs.duration_weeks is None:
        missing.append("duration")
    missing_required = tuple(m for m in missing if m in combination.required_criteria)
    combination_reason = _reason("severity.combination", localized(combination.text), combination)
    if missing_required:
        labels = [_texts(f"missing.{m}") for m in missing_required]
        names = {language: ", ".join(label[language] for label in labels) for language in LANGUAGES}
        text = _texts("severity.not_estimable", missing=names)
        not_estimable = RuleReason("severity.not_estimable", text, (), False)
        return SeverityEstimate(None, (not_estimable, combination_reason), missing_required)

    reasons: list[RuleReason] = [combination_reason]
    index = 0
    if clusters:
        count = len(clusters)
        total = len(content.clusters)
        cluster_names = {
            language: ", ".join(
                content.cluster(c).name.get(language, fallback=True) or c for c in clusters
            )
            for language in LANGUAGES
        }
        fact = _texts(
            "severity.clusters", count=str(count), total=str(total), clusters=cluster_names
        )
        chosen = None
        for criterion in rules.clusters:
            matches = (
                count == total
                if criterion.all_clusters
                else (criterion.min_clusters is None or count >= criterion.min_clusters)
                and (criterion.max_clusters is None or count <= criterion.max_clusters)
            )
            if matches and LEVELS.index(criterion.level) >= index:
                index = LEVELS.index(criterion.level)
                chosen = criterion
        cap = LEVELS.index(combination.clusters_at_most)
        if index > cap:
            # The clusters alone never make SOLK more severe than the cap; the functional
            # limitation has to support the higher level.
            index = cap
            at_most = _texts(f"level.{LEVELS[cap]}")
            fact = join(fact, _texts("severity.clusters_at_most", level=at_most))
        if chosen is not None:
            reasons.append(_reason("severity.clusters", join(localized(chosen.text), fact), chosen))
    if scegs.functional_limitation is not None:
        limitation = next(
            item
            for item in rules.functional_limitation
            if item.limitation == scegs.functional_limitation
        )
        index = max(index, LEVELS.index(limitation.level))
        reasons.append(
            _reason("severity.functional_limitation", localized(limitation.text), limitation)
        )
    found = comorbidities(screening, knowledge=knowledge, content=content)
    comorbidity = rules.comorbidity
    if found and comorbidity.raise_steps:
        raised = min(index + comorbidity.raise_steps, LEVELS.index(comorbidity.raise_at_most))
        index = max(index, raised)
        reasons.append(_reason("severity.comorbidity", localized(comorbidity.text), comorbidity))
        reasons.extend(item.reason for item in found)
    duration = rules.duration
    if LEVELS[index] == "severe":
        weeks = scegs.duration_weeks
        if weeks is None or weeks <= duration.severe_more_than_weeks:
            index = LEVELS.index("moderate")
            shown = _texts("severity.duration_unknown_weeks") if weeks is None else str(weeks)
            fact = _texts("severity.duration_too_short", weeks=shown)
        else:
            fact = _texts("severity.duration_met", weeks=str(weeks))
        reasons.append(_reason("severity.duration", join(localized(duration.text), fact), duration))
    earlier = rules.earlier_treatment
    if earlier is not None and LEVELS[index] == "severe":
        treated = scegs.earlier_treatment
        if treated == "none":
            index = min(index, LEVELS.index(earlier.first_presentation_at_most))
            level = _texts(f"level.{LEVELS[index]}")
            fact = _texts("severity.first_presentation", level=level)
        elif treated is None:
            missing.append("earlier_treatment")
            fact = _texts("severity.earlier_treatment_not_assessed")
        elif treated == "primary_care":
            fact = _texts("severity.treated_in_primary_care")
        else:
            fact = _texts("severity.treated_in_mental_health_care")
        reasons.append(
            _reason("severity.earlier_treatment", join(localized(earlier.text), fact), earlier)
        )
    return SeverityEstimate(LEVELS[index], tuple(reasons), tuple(missing))


def _rule_matches(
    rule: CareRule,
    severity: Severity,
    profile: ScreeningProfile,
    dsm_suspected: bool,
) -> bool:
    condition = rule.when
    if condition.severity and severity not in condition.severity:
        return False
    if (
        condition.risk_profile is not None
        and condition.risk_profile != profile.risk_profile.flagged
    ):
        return False
    if (
        condition.dsm_disorder_suspected is not None
        and condition.dsm_disorder_suspected != dsm_suspected
    ):
        return False
    if condition.factors_elevated_any:
        elevated = set(profile.elevated_risk_factors)
        return any(f in elevated for f in condition.factors_elevated_any)
    return True


def advise(
    screening: ScreeningInput,
    profile: ScreeningProfile,
    *,
    knowledge: KnowledgeBase,
    content: ScreeningContent,
) -> SteppedCareAdvice:
    """The severity and the recommended care level with their reasons, the patient's
    preferences and what the clinician still needs to assess."""
    check_screening_input(screening, knowledge=knowledge, content=content)
    rules = content.rules
    estimate = estimate_severity(screening, knowledge=knowledge, content=content)
    missing = list(estimate.missing)
    care_reasons: list[RuleReason] = []
    if estimate.severity is None:
        rule = rules.unassessed
    else:
        found = comorbidities(screening, knowledge=knowledge, content=content)
        dsm_suspected = any(item.comorbidity.dsm_disorder_suspected for item in found)
        rule = next(
            r
            for r in rules.care_rules
            if _rule_matches(r, estimate.severity, profile, dsm_suspected)
        )
        # A factor that would change the level but was not assessed is still to assess.
        missing.extend(
            f"factor:{factor_id}"
            for other in rules.care_rules
            if estimate.severity in other.when.severity
            for factor_id in other.when.factors_elevated_any
            if profile.factor(factor_id).status == "not_assessed"
        )
        if rule.when.risk_profile:
            care_reasons.extend(profile.risk_profile.reasons)
        if rule.when.dsm_disorder_suspected:
            care_reasons.extend(
                item.reason for item in found if item.comorbidity.dsm_disorder_suspected
            )
    care_reasons.insert(0, _reason(f"care.{rule.id}", localized(rule.text), rule))
    preference_notes = _preference_notes(screening, rule.care_level, content)
    every_reason = (*estimate.reasons, *care_reasons, *preference_notes)
    return SteppedCareAdvice(
        severity=estimate.severity,
        severity_reasons=estimate.reasons,
        care_level=rule.care_level,
        care_level_reasons=tuple(care_reasons),
        preference_notes=preference_notes,
        missing=tuple(dict.fromkeys(missing)),
        unverified=any(reason.unverified for reason in every_reason),
        rules_version=rules.version,
    )


def _preference_notes(
    screening: ScreeningInput, care_level: str, content: ScreeningContent
) -> tuple[RuleReason, ...]:
    priorities = screening.priorities
    notes: list[RuleReason] = [
        _reason(
            f"preference.help_{help_preference.wants_help_now}",
            localized(help_preference.text),
            help_preference,
        )
        for help_preference in content.rules.help_preferences
        if help_preference.wants_help_now == priorities.wants_help_now
    ]
    for modality in content.rules.modality_preferences:
        if modality.modality == priorities.modality:
            offered = care_level in modality.care_levels
            text = modality.text if offered else modality.text_not_offered
            notes.append(
                _reason(
                    f"preference.{modality.modality}{'' if offered else '_not_offered'}",
                    localized(text),
                    modality,
                )
            )
    if priorities.first_problem:
        notes.append(
            RuleReason(
                "preference.first_problem",
                _texts("preference.first_problem", problem=priorities.first_problem),
                (),
                False,
            )
        )
    return tuple(notes)


def escalate(
    current_level: str,
    *,
    reason: str,
    knowledge: KnowledgeBase,
    content: ScreeningContent,
) -> EscalationAdvice:
    """The next care level up when treatment stagnates at ``current_level``; ``reason``
    (e.g. the monitoring finding) is kept as the first reason."""
    try:
        knowledge.care_level(current_level)
    except KeyError:
        raise ScreeningInputError((f"care_level: unknown care level {current_level!r}",)) from None
    trigger = RuleReason("escalation.trigger", dict.fromkeys(LANGUAGES, reason), (), False)
    step = next((s for s in content.rules.escalation if s.from_level == current_level), None)
    if step is None:
        top = RuleReason(
            "escalation.none",
            _texts("escalation.none"),
            (),
            False,
        )
        return EscalationAdvice(current_level, None, (trigger, top), False)
    return EscalationAdvice(
        from_level=current_level,
        to_level=step.to_level,
        reasons=(trigger, _reason(f"escalation.{step.from_level}", localized(step.text), step)),
        unverified=step.unverified,
    )

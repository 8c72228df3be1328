"""The biopsychosocial screening profile: factors, functioning per domain, the
psychological risk profile, medication to discuss and subgroup adaptations.

How a factor's status is decided (documented in docs/screening/README.md):

* Every ``instrument_scale`` measure is evaluated on the latest observation of that
  instrument and scale (exact ``Decimal`` comparison with the measure's operator and
  threshold). Every ``clinician_judgement`` is taken from ``scegs.judged_factors``.
* A risk factor is ``elevated`` when any evidence says so: a met threshold or a judgement
  "present". A judgement "absent" does not cancel a met threshold; both are kept as
  evidence so the clinician sees the disagreement (and can overrule the advice, which the
  web layer records). ``not_elevated`` needs at least one evidence and none positive;
  without any evidence the factor is ``not_assessed`` — never silently "fine".
* A resilience factor is ``present`` on any positive evidence, ``low`` when assessed and
  none is positive, else ``not_assessed``.
* A finding is ``unverified`` when the factor itself or the evidence its status rests on
  is unverified.
"""

from __future__ import annotations

import operator as op
from collections.abc import Callable, Iterable, Mapping
from datetime import date
from decimal import Decimal
from functools import cache

from maatwerk.core.common.prose import Prose, load_prose
from maatwerk.core.instruments.errors import UnknownInstrument
from maatwerk.core.instruments.model import Instrument
from maatwerk.core.knowledge.model import (
    ClinicianJudgement,
    Factor,
    InstrumentThreshold,
    KnowledgeBase,
)
from maatwerk.core.screening.content import ScreeningContent
from maatwerk.core.screening.definitions import ScoreThreshold, Subgroup
from maatwerk.core.screening.errors import ScreeningInputError
from maatwerk.core.screening.model import (
    Domain,
    DomainFunctioning,
    Evidence,
    FactorFinding,
    FactorStatus,
    JudgementEvidence,
    MedicationFinding,
    Operator,
    PatientPriorities,
    RiskProfile,
    RuleReason,
    ScaleEvidence,
    ScaleFinding,
    ScaleObservation,
    ScreeningInput,
    ScreeningProfile,
    SubgroupAdaptation,
    SubgroupFacts,
)
from maatwerk.core.screening.texts import LANGUAGES, join, localized

__all__ = [
    "InstrumentLookup",
    "build_profile",
    "check_screening_input",
    "compare",
    "derived_clusters",
    "latest_observations",
    "matching_subgroups",
    "observation_for",
    "symptom_clusters",
]

InstrumentLookup = Callable[[str, str], Instrument]

DOMAINS: tuple[Domain, ...] = ("physical", "psychological", "social")
FACTOR_DOMAIN: dict[str, Domain] = {
    "biological": "physical",
    "psychological": "psychological",
    "social": "social",
}
_OPERATORS: dict[str, Callable[[Decimal, Decimal], bool]] = {
    ">": op.gt,
    ">=": op.ge,
    "<": op.lt,
    "<=": op.le,
    "==": op.eq,
}


def compare(value: Decimal, operator: Operator | str, threshold: Decimal) -> bool:
    """``value operator threshold`` with exact decimals."""
    return _OPERATORS[operator](Decimal(value), Decimal(threshold))


# ------------------------------------------------------------------ inputs


def check_screening_input(
    screening: ScreeningInput, *, knowledge: KnowledgeBase, content: ScreeningContent
) -> None:
    """Raise ``ScreeningInputError`` naming every id the content or knowledge base does
    not know (complaints, clusters, conditions, comorbidities, medication, factors)."""
    problems: list[str] = []

    def check(field: str, values: Iterable[str], known: Iterable[str], what: str) -> None:
        known_ids = set(known)
        problems.extend(
            f"{field}: unknown {what} {value!r}" for value in values if value not in known_ids
        )

    scegs = screening.scegs
    check(
        "complaints",
        screening.priorities.complaints,
        (c.id for c in content.complaints),
        "complaint",
    )
    check("symptom_clusters", scegs.symptom_clusters, (c.id for c in content.clusters), "cluster")
    check(
        "conditions",
        scegs.conditions,
        (c.id for c in knowledge.conditions.conditions),
        "condition",
    )
    check(
        "comorbidity",
        scegs.comorbidity,
        (c.id for c in content.rules.comorbidities),
        "comorbidity",
    )
    check(
        "medication",
        scegs.medication,
        (m.id for m in knowledge.medication.medication),
        "medication flag",
    )
    check(
        "judged_factors", scegs.judged_factors, (f.id for f in knowledge.factors.factors), "factor"
    )
    if scegs.duration_weeks is not None and scegs.duration_weeks < 0:
        problems.append(f"duration_weeks: must not be negative (got {scegs.duration_weeks})")
    age = screening.subgroups.age_years
    if age is not None and not 0 <= age <= 130:
        problems.append(f"age_years: must be between 0 and 130 (got {age})")
    if problems:
        raise ScreeningInputError(tuple(problems))


def derived_clusters(priorities: PatientPriorities, content: ScreeningContent) -> tuple[str, ...]:
    """The clusters of the patient's complaints, in the content's cluster order."""
    used = {content.complaint(complaint_id).cluster for complaint_id in priorities.complaints}
    return tuple(cluster.id for cluster in content.clusters if cluster.id in used)


def symptom_clusters(screening: ScreeningInput, content: ScreeningContent) -> tuple[str, ...]:
    """The clinician's clusters (SCEGS), or those derived from the patient's complaints
    when the clinician recorded none."""
    if screening.scegs.symptom_clusters:
        chosen = set(screening.scegs.symptom_clusters)
        return tuple(cluster.id for cluster in content.clusters if cluster.id in chosen)
    return derived_clusters(screening.priorities, content)


def latest_observations(
    observations: Iterable[ScaleObservation],
) -> dict[tuple[str, str], ScaleObservation]:
    """The latest observation per (instrument, scale): by ``measured_on`` (undated counts
    as oldest), and among equals the later one in the sequence."""
    ordered = sorted(
        enumerate(observations),
        key=lambda pair: (pair[1].measured_on or date.min, pair[0]),
    )
    return {(o.instrument, o.scale): o for _, o in ordered}


def observation_for(
    observations: Iterable[ScaleObservation],
    instrument: str,
    scale: str,
    version: str | None = None,
) -> ScaleObservation | None:
    """The latest scored observation of ``instrument``/``scale`` (at ``version`` if given)."""
    scored = [
        o
        for o in observations
        if o.instrument == instrument
        and o.scale == scale
        and o.value is not None
        and (version is None or o.instrument_version == version)
    ]
    return latest_observations(scored).get((instrument, scale))


def threshold_evidence(
    threshold: InstrumentThreshold | ScoreThreshold, observations: Iterable[ScaleObservation]
) -> ScaleEvidence | None:
    observation = observation_for(
        observations, threshold.instrument, threshold.scale, threshold.instrument_version
    )
    if observation is None or observation.value is None:
        return None
    return ScaleEvidence(
        instrument=observation.instrument,
        instrument_version=observation.instrument_version,
        scale=observation.scale,
        value=observation.value,
        operator=threshold.operator,
        threshold=threshold.threshold,
        met=compare(observation.value, threshold.operator, threshold.threshold),
        source=threshold.source,
        unverified=threshold.unverified,
    )


# ------------------------------------------------------------------ factors


def evaluate_factor(
    factor: Factor, observations: tuple[ScaleObservation, ...], judged: Mapping[str, bool]
) -> FactorFinding:
    evidence: list[Evidence] = []
    judgement_measure: ClinicianJudgement | None = None
    for measure in factor.measures:
        if isinstance(measure, InstrumentThreshold):
            found = threshold_evidence(measure, observations)
            if found is not None:
                evidence.append(found)
        elif judgement_measure is None:
            judgement_measure = measure
    if factor.id in judged:
        if judgement_measure is not None:
            source, unverified = judgement_measure.source, judgement_measure.unverified
        else:
            # The clinician may judge any factor; without a judgement measure in the
            # knowledge base there is no sourced basis, so it is marked unverified.
            source, unverified = None, True
        evidence.append(JudgementEvidence(bool(judged[factor.id]), source, unverified))
    positive = [e for e in evidence if _is_positive(e)]
    status: FactorStatus
    if not evidence:
        status = "not_assessed"
    elif factor.kind == "risk":
        status = "elevated" if positive else "not_elevated"
    else:
        status = "present" if positive else "low"
    basis = positive or evidence
    return FactorFinding(
        factor_id=factor.id,
        kind=factor.kind,
        domain=factor.domain,
        scegs=factor.scegs,
        status=status,
        evidence=tuple(evidence),
        unverified=factor.unverified or any(e.unverified for e in basis),
    )


def _is_positive(evidence: Evidence) -> bool:
    if isinstance(evidence, ScaleEvidence):
        return evidence.met
    return evidence.present


# ------------------------------------------------------------------ domains


def scale_findings(
    observations: tuple[ScaleObservation, ...], instruments: InstrumentLookup
) -> tuple[tuple[ScaleFinding, tuple[Domain, ...]], ...]:
    """Each latest observation against its scale's bands and cut-offs, with the domains
    the instrument file says the scale measures."""
    found: list[tuple[ScaleFinding, tuple[Domain, ...]]] = []
    problems: list[str] = []
    for observation in latest_observations(observations).values():
        try:
            instrument = instruments(observation.instrument, observation.instrument_version)
            scale = instrument.scale(observation.scale)
        except (UnknownInstrument, KeyError):
            problems.append(
                f"observations: unknown instrument scale {observation.instrument} "
                f"{observation.instrument_version} {observation.scale!r}"
            )
            continue
        value = observation.value
        band = None
        cutoffs: tuple[str, ...] = ()
        unverified = False
        if value is not None:
            band = next((b for b in scale.bands if b.min <= value <= b.max), None)
            met = [c for c in scale.cutoffs if compare(value, c.operator, c.value)]
            cutoffs = tuple(c.id for c in met)
            unverified = (band is not None and band.unverified) or any(c.unverified for c in met)
        finding = ScaleFinding(
            instrument=observation.instrument,
            instrument_version=observation.instrument_version,
            scale=observation.scale,
            value=value,
            band_id=_band_id(band.label.get("en")) if band is not None else None,
            band_label=localized(band.label) if band is not None else {},
            cutoffs_met=cutoffs,
            unverified=unverified,
        )
        found.append((finding, tuple(scale.domains)))
    if problems:
        raise ScreeningInputError(tuple(problems))
    return tuple(found)


def _band_id(label: str | None) -> str | None:
    if label is None:
        return None
    return "_".join(label.lower().split())


def domain_functioning(
    findings: tuple[tuple[ScaleFinding, tuple[Domain, ...]], ...],
    factors: tuple[FactorFinding, ...],
) -> tuple[DomainFunctioning, ...]:
    result = []
    for domain in DOMAINS:
        in_domain = [f for f in factors if FACTOR_DOMAIN[f.domain] == domain]
        result.append(
            DomainFunctioning(
                domain=domain,
                findings=tuple(finding for finding, domains in findings if domain in domains),
                risk_factors_elevated=tuple(
                    f.factor_id for f in in_domain if f.status == "elevated"
                ),
                resilience_low=tuple(f.factor_id for f in in_domain if f.status == "low"),
                resilience_present=tuple(f.factor_id for f in in_domain if f.status == "present"),
            )
        )
    return tuple(result)


# ------------------------------------------------------------------ risk profile


def risk_profile(
    factors: tuple[FactorFinding, ...], knowledge: KnowledgeBase, content: ScreeningContent
) -> RiskProfile:
    rule = content.rules.risk_profile
    by_id = {finding.factor_id: finding for finding in factors}
    reasons: list[RuleReason] = []
    distress = by_id[rule.distress_factor]
    if distress.status == "elevated":
        reasons.append(
            RuleReason(
                "risk_profile.distress",
                localized(rule.distress_text),
                tuple(rule.sources),
                rule.unverified or distress.unverified,
            )
        )
    counted = [by_id[f] for f in rule.counted_factors if by_id[f].status == "elevated"]
    names = _factor_names((f.factor_id for f in counted), knowledge)
    if len(counted) >= rule.min_elevated:
        reasons.append(
            RuleReason(
                "risk_profile.count",
                join(localized(rule.count_text), names),
                tuple(rule.sources),
                rule.unverified or rule.count_unverified or any(f.unverified for f in counted),
            )
        )
    flagged = bool(reasons)
    if not flagged:
        not_assessed = distress.status == "not_assessed"
        reasons.append(
            RuleReason(
                "risk_profile.not_flagged",
                _not_flagged_text(len(counted), rule.min_elevated, not_assessed),
                tuple(rule.sources),
                rule.unverified,
            )
        )
    return RiskProfile(
        flagged=flagged,
        reasons=tuple(reasons),
        unverified=rule.unverified or any(r.unverified for r in reasons),
    )


# The sentences of a risk profile that are not in the stepped-care rules are prose in
# ``content/prose/risk_profile.json``.
PROSE_FILE = "risk_profile.json"


@cache
def _prose() -> Prose:
    return load_prose(PROSE_FILE)


def _factor_names(factor_ids: Iterable[str], knowledge: KnowledgeBase) -> dict[str, str]:
    ids = list(factor_ids)
    if not ids:
        return {}
    return {
        language: _prose().text(
            "counted_factors",
            language,
            names=", ".join(
                (knowledge.factor(f).name.get(language, fallback=True) or f).lower() for f in ids
            ),
        )
        for language in LANGUAGES
    }


def _not_flagged_text(count: int, minimum: int, distress_not_assessed: bool) -> dict[str, str]:
    text = _prose().bilingual("not_flagged", count=str(count), minimum=str(minimum))
    if distress_not_assessed:
        text = join(text, _prose().bilingual("not_flagged.distress_not_assessed"))
    return text


# ------------------------------------------------------------------ subgroups


def _matches(subgroup: Subgroup, facts: SubgroupFacts) -> bool:
    match = subgroup.match
    if match.flag is not None:
        return bool(getattr(facts, match.flag))
    if facts.age_years is None:
        return False
    if match.min_age is not None and facts.age_years < match.min_age:
        return False
    return match.max_age is None or facts.age_years <= match.max_age


def matching_subgroups(
    facts: SubgroupFacts, content: ScreeningContent
) -> tuple[SubgroupAdaptation, ...]:
    """The adaptations for every subgroup the patient belongs to."""
    adaptations = []
    for subgroup in content.subgroups:
        if not _matches(subgroup, facts):
            continue
        text = localized(subgroup.clinician_text)
        if subgroup.parent_missing_text is not None and not facts.parent_involved:
            text = join(text, localized(subgroup.parent_missing_text))
        adaptations.append(
            SubgroupAdaptation(
                subgroup_id=subgroup.id,
                text=text,
                sources=tuple(subgroup.sources),
                unverified=subgroup.unverified,
                patient_text=localized(subgroup.patient_text),
            )
        )
    return tuple(adaptations)


# ------------------------------------------------------------------ the profile


def build_profile(
    screening: ScreeningInput,
    *,
    knowledge: KnowledgeBase,
    content: ScreeningContent,
    instruments: InstrumentLookup,
) -> ScreeningProfile:
    """The profile of one screening. Raises ``ScreeningInputError`` for unknown ids."""
    check_screening_input(screening, knowledge=knowledge, content=content)
    observations = tuple(screening.observations)
    judged = screening.scegs.judged_factors
    factors = tuple(
        evaluate_factor(factor, observations, judged) for factor in knowledge.factors.factors
    )
    findings = scale_findings(observations, instruments)
    return ScreeningProfile(
        domains=domain_functioning(findings, factors),
        factors=factors,
        risk_profile=risk_profile(factors, knowledge, content),
        medication=tuple(
            MedicationFinding(flag.id, flag.flag)
            for flag in knowledge.medication.medication
            if flag.id in screening.scegs.medication
        ),
        priorities=screening.priorities,
        subgroups=matching_subgroups(screening.subgroups, content),
        knowledge_versions={
            **knowledge.versions,
            **{f"screening.{name}": v for name, v in content.versions.items()},
        },
    )

"""The referral letter (PDF) and the consent statement in it."""

from __future__ import annotations

from dataclasses import dataclass, fields
from datetime import datetime

from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import override

from maatwerk.core.access import Role
from maatwerk.core.instruments.errors import UnknownInstrument
from maatwerk.core.instruments.numbers import display_number
from maatwerk.web.accounts.models import User
from maatwerk.web.analysis.presenters import RELIABLE_CHANGE_LABELS, unknown_sex_norm
from maatwerk.web.audit.audited import audited
from maatwerk.web.common.actor import Actor
from maatwerk.web.common.pdf import render_pdf
from maatwerk.web.knowledge.selectors import knowledge_for
from maatwerk.web.organizations.models import Membership, Organization
from maatwerk.web.patients.models import Patient
from maatwerk.web.patients.opening import PatientAccess
from maatwerk.web.providers.models import Referral
from maatwerk.web.providers.selectors import OBJECT_REFERRAL, ReferralOpened
from maatwerk.web.questionnaires.instruments import instrument_for
from maatwerk.web.questionnaires.results import ResultRow, result_rows
from maatwerk.web.questionnaires.selectors import results_for
from maatwerk.web.safety.presenters import RiskBanner
from maatwerk.web.safety.selectors import risk_banner_of


def _named(referral: Referral, user: User) -> str:
    """The person's name with their profession in the patient's organization."""
    membership = (
        Membership.objects.filter(
            user=user,
            organization_id=referral.patient.organization_id,
            role=Role.CLINICIAN.value,
        )
        .exclude(discipline="")
        .first()
    )
    name = user.full_name
    return f"{name}, {membership.get_discipline_display()}" if membership is not None else name


def _referrer(referral: Referral) -> str:
    """Who refers: the GP who signed; before signing, who prepared the draft."""
    return _named(referral, referral.signed_by or referral.created_by)


def _sent_by(referral: Referral) -> str:
    """Who sent the referral, when that is not the GP who signed it (a POH-GGZ who
    sends with the GP's signature, or another GP of the practice)."""
    if referral.sent_by_id is None or referral.sent_by_id == referral.signed_by_id:
        return ""
    return _named(referral, referral.sent_by)  # type: ignore[arg-type]


def _prepared_by(referral: Referral) -> str:
    """Who prepared the referral, when that is neither the GP who signed it nor the
    person who sent it (a POH-GGZ or a psychologist)."""
    if referral.signed_by is None or referral.created_by_id in (
        referral.signed_by_id,
        referral.sent_by_id,
    ):
        return ""
    return _named(referral, referral.created_by)


@dataclass(frozen=True)
class CourseLine:
    """The course of one questionnaire scale measured more than once: the first and the
    latest score with their dates, and the reliable-change verdict on that change as the
    results pages give it ("" when no rule for this scale is known)."""

    instrument: str
    scale: str
    first: str
    first_on: datetime | None
    latest: str
    latest_on: datetime | None
    verdict: str


def _scale_label(row: ResultRow) -> str:
    """The scale as people write it: "PHQ-15 totaalscore", the instrument's short name
    before the scale's own name unless that starts with it (as ``scale_label``)."""
    try:
        short = instrument_for(row.organization_id or 0, row.scale_key[0]).short_name
    except UnknownInstrument:
        return f"{row.scale_name} ({row.instrument_name})"
    name = row.scale_name
    return name if not short or name.startswith(short) else f"{short} {name}"


def treatment_course(access: PatientAccess, language: str) -> tuple[CourseLine, ...]:
    """The patient's ROM course: every scale with more than one completed measurement,
    from :func:`maatwerk.web.questionnaires.results.result_rows` (the clinician's
    results page's rows, with the same norm for the patient's sex). Nothing is computed
    here beyond choosing the first and the latest row."""
    rows = result_rows(results_for(access), language=language, unknown_sex=unknown_sex_norm(access))
    by_scale: dict[tuple[str, str], list[ResultRow]] = {}
    for row in rows:
        if row.value is not None:
            by_scale.setdefault(row.scale_key, []).append(row)
    course = []
    for scale_rows in by_scale.values():
        if len(scale_rows) < 2:
            continue
        first, latest = scale_rows[0], scale_rows[-1]
        label = RELIABLE_CHANGE_LABELS.get(latest.reliable_change)  # type: ignore[call-overload]
        course.append(
            CourseLine(
                instrument=first.instrument_name,
                scale=_scale_label(first),
                first=display_number(first.value, language),  # type: ignore[arg-type]
                first_on=first.completed_at,
                latest=display_number(latest.value, language),  # type: ignore[arg-type]
                latest_on=latest.completed_at,
                verdict=str(label) if label is not None else "",
            )
        )
    return tuple(course)


def consent_statement(referral: Referral) -> str:
    """The sentence on the letter that says the patient consented, when and how."""
    if not referral.consent_given or referral.consent_recorded_at is None:
        return ""
    return _("The patient consented to this referral on %(date)s (%(method)s).") % {
        "date": date_format(timezone.localtime(referral.consent_recorded_at), "DATE_FORMAT"),
        "method": referral.get_consent_method_display().lower(),
    }


@dataclass(frozen=True)
class LetterContext:
    """What the referral letter (and the FHIR ServiceRequest) says."""

    referral: Referral
    patient: Patient
    risk: RiskBanner
    organization: Organization
    provider: dict[str, object]
    referrer: str
    sent_by: str
    prepared_by: str
    signed: bool
    care_level: str
    consent: str
    draft: bool
    course: tuple[CourseLine, ...] = ()

    def as_context(self) -> dict[str, object]:
        return {f.name: getattr(self, f.name) for f in fields(self)}


def letter_context(referral: Referral, course: tuple[CourseLine, ...] = ()) -> LetterContext:
    knowledge = knowledge_for(referral.patient.organization_id)
    level = next(
        (c for c in knowledge.care_levels.care_levels if c.id == referral.care_level), None
    )
    language = referral.language if referral.language in ("nl", "en") else "nl"
    return LetterContext(
        referral=referral,
        patient=referral.patient,
        risk=risk_banner_of(referral.patient),
        organization=referral.patient.organization,
        provider=dict(referral.provider_snapshot),
        referrer=_referrer(referral),
        sent_by=_sent_by(referral),
        prepared_by=_prepared_by(referral),
        signed=referral.signed_by is not None,
        care_level=(level.name.get(language, fallback=True) if level is not None else None)
        or referral.care_level,
        consent=consent_statement(referral),
        draft=referral.status != Referral.Status.SENT,
        course=course,
    )


def render_letter(opened: ReferralOpened) -> bytes:
    """The letter in its own language, with the patient's ROM course as it is now."""
    referral = opened.object
    with override(referral.language):
        course = treatment_course(opened.access, referral.language)
        context = letter_context(referral, course)
        return render_pdf("providers/referral_letter.html", context.as_context())


def referral_letter(*, actor: Actor, opened: ReferralOpened) -> bytes:
    """The letter: as sent (frozen), or a draft rendered now."""
    referral = opened.object
    with audited(
        actor=actor,
        action="print",
        subject=opened.subject(OBJECT_REFERRAL),
        emergency=opened.emergency,
        detail="letter",
    ):
        return bytes(referral.letter_pdf) if referral.letter_pdf else render_letter(opened)

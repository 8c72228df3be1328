"""Assigning, answering and scoring questionnaires. Each service is one transaction with
its audit event; scoring itself is the core's (maatwerk.core.instruments)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal, InvalidOperation
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from maatwerk.core.access import Role
from maatwerk.core.instruments.answers import Respondent, applies, check_answers
from maatwerk.core.instruments.errors import AnswerProblem, InvalidResponse, UnknownInstrument
from maatwerk.core.instruments.model import Instrument, Item
from maatwerk.core.instruments.scoring import (
    InstrumentScore,
    SafetyFlag,
    safety_flags,
    score_response,
)
from maatwerk.web.audit.audited import InputRefused, audited, valid_form
from maatwerk.web.common.actor import Actor
from maatwerk.web.common.prepared import PreparedQuery
from maatwerk.web.patients.models import Patient
from maatwerk.web.patients.opening import NotForThisRole, PatientAccess, patient_subject
from maatwerk.web.questionnaires.alerting import (
    _notify_care_team_after_commit,
    _raise_alerts,
    evidence_of,
    instrument_of,
    number_text,
)
from maatwerk.web.questionnaires.instruments import has_item_texts, instrument_for
from maatwerk.web.questionnaires.models import Answer, Assignment, SafetyAlert, ScaleResult
from maatwerk.web.questionnaires.reads import Results, alerts_read, assignment_read, results_read
from maatwerk.web.questionnaires.selectors import OpenedAssignment

__all__ = [
    "Results",
    "alerts_read",
    "answer_save",
    "assignment_create",
    "assignment_read",
    "assignment_record_completed",
    "assignment_submit",
    "evidence_of",
    "instrument_of",
    "number_text",
    "results_read",
]


NOT_APPLICABLE = "nvt"
"""The value the form sends for "this does not apply to me" (an item asked of one sex
only, when the patient's sex is not recorded)."""


def respondent_for(
    patient: Patient, declared_not_applicable: frozenset[str] = frozenset()
) -> Respondent:
    """The core's respondent: the recorded sex (female or male, else not known) and the
    items the patient (or the clinician with them) marked as not applying."""
    if patient.sex == "female":
        return Respondent(sex="female", declared_not_applicable=declared_not_applicable)
    if patient.sex == "male":
        return Respondent(sex="male", declared_not_applicable=declared_not_applicable)
    return Respondent(sex=None, declared_not_applicable=declared_not_applicable)


def may_be_marked_not_applicable(item: Item, patient: Patient) -> bool:
    """Whether the form offers "this does not apply to me": for an item asked of one sex
    only when the patient's sex is not recorded (or neither female nor male), so the
    patient decides; a woman or man is never asked an item that is not theirs."""
    restricted = item.applies_to is not None and item.applies_to.sex is not None
    return restricted and applies(item, respondent_for(patient)) is None


def _declared_not_applicable(assignment: Assignment) -> frozenset[str]:
    return frozenset(answer.item_id for answer in assignment.answers.all() if answer.not_applicable)


def _check_input(form: forms.Form | None) -> None:
    if form is not None:
        valid_form(form)


def assignment_create(
    *,
    actor: Actor,
    access: PatientAccess,
    instrument_code: str,
    due_at: datetime | None = None,
    mode: str = Assignment.Mode.SELF,
    form: forms.Form | None = None,
) -> Assignment:
    """Ask the patient to fill in a questionnaire (now, or by a due date); one audit
    event, also when refused."""
    with audited(
        actor=actor,
        action="create",
        subject=access.subject("questionnaire"),
        emergency=access.emergency,
    ) as note:
        _check_input(form)
        memberships = [
            m
            for m in actor.memberships_with(Role.CLINICIAN)
            if m.organization_id == access.patient.organization_id
        ]
        # A clinician of the patient's organization, or the platform carrying out a
        # clinician's screening battery on their behalf (then the patient's own access
        # is the one the intake was sent with).
        if not memberships:
            raise NotForThisRole(_("Only a clinician can assign a questionnaire."))
        try:
            instrument = instrument_for(access.patient.organization_id, instrument_code)
        except UnknownInstrument:
            raise InputRefused({"instrument": [_("This questionnaire does not exist.")]}) from None
        if not has_item_texts(access.patient.organization_id, instrument):
            raise InputRefused(
                {
                    "instrument": [
                        _(
                            "The questions of this questionnaire are licensed. Your "
                            "organization must import its licensed texts before it can be "
                            "assigned."
                        )
                    ]
                }
            )
        if due_at is not None and due_at < timezone.now():
            raise InputRefused({"due_at": [_("The due date cannot be in the past.")]})
        assignment = Assignment.objects.create(
            patient=access.patient,
            instrument_code=instrument.code,
            instrument_version=instrument.version,
            assigned_by=memberships[0],
            due_at=due_at,
            mode=mode,
        )
        note.about(object_ref=str(assignment.public_id))
        note.detail = f"{instrument.code} {instrument.version}"
    return assignment


def _parse_value(raw: str | None) -> Decimal | None:
    if raw is None or str(raw).strip() == "" or _is_not_applicable(raw):
        return None
    try:
        value = Decimal(str(raw).strip())
    except InvalidOperation:
        raise ValidationError(_("This answer is not a number.")) from None
    if not value.is_finite():
        raise ValidationError(_("This answer is not a number."))
    return value


def _is_not_applicable(raw: str | None) -> bool:
    return raw is not None and str(raw).strip().lower() == NOT_APPLICABLE


ANSWER_PROBLEM_MESSAGES = {
    "required_missing": gettext_lazy("Please answer this question."),
    "not_an_option": gettext_lazy("Choose one of the answers."),
    "out_of_range": gettext_lazy("This answer is outside the possible range."),
    "off_step": gettext_lazy("Choose one of the answers."),
    "wrong_type": gettext_lazy("This answer is not a number."),
    "not_finite": gettext_lazy("This answer is not a number."),
    "unknown_item": gettext_lazy("This question is not part of the questionnaire."),
    "not_applicable": gettext_lazy("This question does not apply to you; leave it empty."),
    "respondent_attribute_missing": gettext_lazy(
        "This question depends on information your care provider has not recorded yet."
    ),
}


def problem_message(problem: AnswerProblem) -> str:
    """The user's-language message for a problem the core found with an answer."""
    return str(ANSWER_PROBLEM_MESSAGES.get(problem.code, problem.message))


def _check_answer(
    instrument: Instrument, patient: Patient, item_id: str, value: Decimal | None
) -> None:
    """Let the core judge one answer (``None``: marked as not applying); problems about
    other (unanswered) items are not this answer's problems."""
    if value is None:
        answers: dict[str, Decimal | None] = {}
        respondent = respondent_for(patient, frozenset({item_id}))
    else:
        answers = {item_id: value}
        respondent = respondent_for(patient)
    try:
        check_answers(instrument, answers, respondent=respondent)
    except InvalidResponse as problem:
        messages = [problem_message(p) for p in problem.problems if p.item_id == item_id]
        if messages:
            raise ValidationError(messages) from None


def _as_number(value: Decimal) -> int | float:
    return int(value) if value == value.to_integral_value() else float(value)


@dataclass(frozen=True)
class SavedAnswer:
    item_id: str
    value: Decimal | None
    not_applicable: bool = False
    safety_alert: bool = False  # this assignment has a safety alert: show where to get help


def _ensure_open(assignment: Assignment) -> None:
    if assignment.status in (Assignment.Status.COMPLETED, Assignment.Status.CANCELLED):
        raise ValidationError(_("This questionnaire is closed; answers can no longer change."))


def _store_answer(
    *, actor: Actor, assignment: Assignment, instrument: Instrument, item_id: str, raw: str | None
) -> SavedAnswer:
    """Validate and store one answer (no audit: the calling service writes one event)."""
    if not instrument.has_item(item_id):
        raise ValidationError(_("This question is not part of the questionnaire."))
    value = _parse_value(raw)
    not_applicable = _is_not_applicable(raw)
    if not_applicable and not may_be_marked_not_applicable(
        instrument.item(item_id), assignment.patient
    ):
        raise ValidationError(_("This question applies to you; choose one of the answers."))
    if value is not None or not_applicable:
        _check_answer(instrument, assignment.patient, item_id, value)
    if actor.user is None:
        raise NotForThisRole(_("Log in to answer."))
    _write_answer(
        assignment,
        item_id,
        value=value,
        not_applicable=not_applicable,
        answered_at=timezone.now(),
        answered_by=actor.user,
    )
    if assignment.status == Assignment.Status.OPEN:
        assignment.status = Assignment.Status.IN_PROGRESS
        assignment.save(update_fields=["status"])
    return SavedAnswer(item_id=item_id, value=value, not_applicable=not_applicable)


def _write_answer(assignment: Assignment, item_id: str, **fields: object) -> None:
    """Replace the item's answer, or store the first one. One UPDATE when the item was
    answered before (the usual autosave), instead of ``update_or_create``'s savepoint,
    locking read and write; a first answer saved twice at the same moment meets the
    one-answer-per-item constraint and becomes the update it should have been."""
    answer = Answer.objects.filter(assignment=assignment, item_id=item_id)
    if answer.update(**fields):
        return
    try:
        with transaction.atomic():
            Answer.objects.create(assignment=assignment, item_id=item_id, **fields)
    except IntegrityError:
        answer.update(**fields)


def answer_save(
    *,
    actor: Actor,
    opened: OpenedAssignment,
    item_id: str,
    raw_value: str | None,
    form: forms.Form | None = None,
) -> SavedAnswer:
    """Save one answer the moment it is given; giving it again replaces it."""
    assignment = opened.object
    with audited(
        actor=actor,
        action="update",
        subject=opened.subject("questionnaire_answer"),
        emergency=opened.emergency,
        detail=f"item {item_id[:40]}",
    ) as note:
        _check_input(form)
        _ensure_open(assignment)
        instrument = instrument_of(assignment)
        saved = _store_answer(
            actor=actor,
            assignment=assignment,
            instrument=instrument,
            item_id=item_id,
            raw=raw_value,
        )
        # Safety rules are checked on every answer, not only when the questionnaire is
        # sent in: a risk signal reaches the care team at once.
        new_alerts = _raise_alerts(assignment, _flags_so_far(instrument, assignment))
        if new_alerts:
            _notify_care_team_after_commit(new_alerts)
            note.detail += ", safety alert raised"
    return SavedAnswer(
        item_id=saved.item_id,
        value=saved.value,
        not_applicable=saved.not_applicable,
        safety_alert=bool(_ALERT_OF.rows(assignment_id=assignment.pk)),
    )


# Every answer save reads the questionnaire's answers so far and whether it has a safety
# alert: both compiled once per process.
_ANSWERS_OF = PreparedQuery(
    lambda assignment_id: Answer.objects.filter(assignment_id=assignment_id),
    {"assignment_id": (Answer, "assignment")},
)
_ALERT_OF: PreparedQuery[Any] = PreparedQuery(
    lambda assignment_id: (
        SafetyAlert.objects.filter(assignment_id=assignment_id)
        .order_by()
        .values_list("pk", flat=True)[:1]
    ),
    {"assignment_id": (SafetyAlert, "assignment")},
)


def _flags_so_far(instrument: Instrument, assignment: Assignment) -> tuple[SafetyFlag, ...]:
    answers = {
        a.item_id: _as_number(a.value)
        for a in _ANSWERS_OF.rows(assignment_id=assignment.pk)
        if a.value is not None
    }
    return safety_flags(instrument, answers, respondent=respondent_for(assignment.patient))


@dataclass(frozen=True)
class Submission:
    score: InstrumentScore
    alerts: tuple[SafetyAlert, ...]


def assignment_submit(
    *,
    actor: Actor,
    opened: OpenedAssignment,
    values: dict[str, str] | None = None,
    form: forms.Form | None = None,
) -> Submission:
    """Send in a questionnaire: store the answers sent with the form (the no-JavaScript
    path), score everything saved, store the results, raise safety alerts and close it.

    Valid answers are kept even when others are missing or invalid: then the request's
    one audit event records the answers saved, and a ValidationError lists one message
    per question (nothing is scored). When nothing could be saved, the refusal itself is
    the event (``InputRefused``).
    """
    assignment = opened.object
    problems: dict[str, list[str]] = {}
    score: InstrumentScore | None = None
    alerts: list[SafetyAlert] = []
    with audited(
        actor=actor,
        action="update",
        subject=opened.subject("questionnaire"),
        emergency=opened.emergency,
    ) as note:
        _check_input(form)
        _ensure_open(assignment)
        instrument = instrument_of(assignment)
        saved = {
            a.item_id: number_text(a.value) if a.value is not None else NOT_APPLICABLE
            for a in assignment.answers.all()
            if a.value is not None or a.not_applicable
        }
        changed = 0
        for item_id, raw in (values or {}).items():
            if saved.get(item_id) == raw.strip().lower():
                continue
            try:
                with transaction.atomic():
                    _store_answer(
                        actor=actor,
                        assignment=assignment,
                        instrument=instrument,
                        item_id=item_id,
                        raw=raw,
                    )
            except ValidationError as error:
                problems[item_id] = error.messages
            else:
                changed += 1
        answers = {
            answer.item_id: _as_number(answer.value)
            for answer in assignment.answers.all()
            if answer.value is not None
        }
        if not problems:
            try:
                score = score_response(
                    instrument,
                    answers,
                    respondent=respondent_for(
                        assignment.patient, _declared_not_applicable(assignment)
                    ),
                )
            except InvalidResponse as problem:
                for found in problem.problems:
                    problems.setdefault(found.item_id, []).append(problem_message(found))
            else:
                # A scale its missing-data rule cannot score needs its missing answers.
                for unscored in (scale for scale in score.scales if scale.value is None):
                    for item_id in unscored.explanation.items_missing:
                        problems.setdefault(
                            item_id, [str(ANSWER_PROBLEM_MESSAGES["required_missing"])]
                        )
                if problems:
                    score = None
        if score is None:
            if not changed:
                raise InputRefused(problems)
            note.about(object_type="questionnaire_answer")
            note.detail = f"{changed} answer(s) saved; not complete"
        else:
            alerts = _store_score(assignment, score)
            note.detail = "submitted and scored" + (
                f", {len(alerts)} safety alert(s)" if alerts else ""
            )
            if alerts:
                _notify_care_team_after_commit(alerts)
    if score is None:
        raise ValidationError(problems)
    return Submission(score=score, alerts=tuple(alerts))


def _store_score(
    assignment: Assignment, score: InstrumentScore, *, at: datetime | None = None
) -> list[SafetyAlert]:
    now = at or timezone.now()
    for scale in score.scales:
        ScaleResult.objects.update_or_create(
            assignment=assignment,
            scale_id=scale.scale_id,
            defaults={
                "value": scale.rounded(4),
                "band": scale.band_label("nl") or "",
                "explanation": scale.explanation_dict(),
                "computed_at": now,
            },
        )
    alerts = _raise_alerts(assignment, score.safety_flags, at=now)
    assignment.status = Assignment.Status.COMPLETED
    assignment.completed_at = now
    assignment.save(update_fields=["status", "completed_at"])
    return alerts


def assignment_record_completed(
    *,
    actor: Actor,
    assignment: Assignment,
    answers: dict[str, int],
    completed_at: datetime,
) -> tuple[SafetyAlert, ...]:
    """Record a questionnaire that was completed elsewhere (paper, an import, demo data):
    answers, scores and alerts at the time it was completed, with one audit event."""
    instrument = instrument_of(assignment)
    patient = assignment.patient
    score = score_response(instrument, answers, respondent=respondent_for(patient))
    if patient.user is None:
        raise ValidationError(_("This patient has no account to record answers for."))
    with audited(
        actor=actor,
        action="create",
        subject=patient_subject(
            patient, object_type="questionnaire", object_ref=str(assignment.public_id)
        ),
        detail="completed questionnaire recorded",
    ):
        for item_id, value in answers.items():
            Answer.objects.update_or_create(
                assignment=assignment,
                item_id=item_id,
                defaults={"value": value, "answered_at": completed_at, "answered_by": patient.user},
            )
        alerts = _store_score(assignment, score, at=completed_at)
    return tuple(alerts)

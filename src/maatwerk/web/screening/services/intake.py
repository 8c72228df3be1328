"""The patient's intake: saved as they go, or sent in (then the waiting questionnaires
are assigned or skipped)."""

from __future__ import annotations

from django.db import IntegrityError
from django.utils import timezone
from django.utils.translation import gettext as _

from maatwerk.core.screening.batteries import plan_battery
from maatwerk.web.audit.audited import InputRefused, audited
from maatwerk.web.common.actor import Actor
from maatwerk.web.patients.opening import Opened, PatientAccess
from maatwerk.web.screening.forms import (
    IntakeForm,
    IntakeInput,
)
from maatwerk.web.screening.models import (
    Screening,
    ScreeningIntake,
)
from maatwerk.web.screening.selectors import (
    OBJECT_INTAKE,
    intake_of,
    priorities_of,
    steps_of,
)
from maatwerk.web.screening.services._common import (
    Step,
    _apply_decision,
    _battery_actor,
    _set_status,
    _user,
)
from maatwerk.web.screening.sources import content_of


def _intake_errors(data: IntakeInput, *, submit: bool) -> dict[str, list[str]]:
    """What sending in needs beyond a valid form: something about the complaints and an
    answer to both questions."""
    errors: dict[str, list[str]] = {}
    if submit:
        if not data.complaints and not data.own_words.strip():
            errors["complaints"] = [
                _("Choose at least one complaint, or describe your complaints in your own words.")
            ]
        if not data.wants_help_now:
            errors["wants_help_now"] = [_("Please answer this question.")]
        if not data.modality:
            errors["modality"] = [_("Please answer this question.")]
    return errors


def intake_save(
    *, actor: Actor, opened: Opened[Screening], form: IntakeForm, submit: bool
) -> ScreeningIntake:
    """Save the intake as the patient goes (``submit=False``), or send it in: then the
    questionnaires that depend on the complaints are assigned or skipped, with reasons.

    The patient fills it in, or a clinician together with the patient.
    """
    # The portal autosaves while the patient types and may still be sending a change when
    # "Send in" is pressed: the screening row is locked and the intake re-read inside the
    # transaction, and a concurrent first save (two inserts) is retried as an update (the
    # failed attempt rolled back without an event).
    for attempt in (1, 2):
        try:
            return _intake_write(actor=actor, opened=opened, form=form, submit=submit)
        except IntegrityError:
            if attempt == 2:
                raise
    raise AssertionError("unreachable")  # pragma: no cover


def _intake_write(
    *, actor: Actor, opened: Opened[Screening], form: IntakeForm, submit: bool
) -> ScreeningIntake:
    screening = opened.object
    access = opened.access
    existing = intake_of(screening)
    with audited(
        actor=actor,
        action="create" if existing is None else "update",
        subject=opened.subject(OBJECT_INTAKE),
        emergency=access.emergency,
    ) as note:
        cleaned = form.typed()
        errors = _intake_errors(cleaned, submit=submit)
        if errors:
            raise InputRefused(errors)
        user = _user(actor)
        now = timezone.now()
        locked = Screening.objects.select_for_update().get(pk=screening.pk)
        existing = intake_of(locked)
        if locked.status in (Screening.Status.CANCELLED, Screening.Status.COMPLETED):
            raise InputRefused(_("This screening is closed; the answers can no longer change."))
        if existing is not None and existing.submitted_at is not None:
            raise InputRefused(_("These answers were already sent in; they can no longer change."))
        intake = existing or ScreeningIntake(screening=locked)
        intake.complaints = list(cleaned.complaints)
        intake.own_words = cleaned.own_words
        intake.first_problem = cleaned.first_problem
        intake.wants_help_now = cleaned.wants_help_now
        intake.modality = cleaned.modality
        intake.updated_at = now
        intake.answered_by = user
        note.detail = "intake saved"
        if submit:
            intake.submitted_at = now
        intake.save()
        if submit:
            note.detail = "intake sent in; " + _replan(locked, intake, actor=actor, access=access)
        _set_status(locked)
    screening.refresh_from_db()
    return intake


def _replan(
    screening: Screening, intake: ScreeningIntake, *, actor: Actor, access: PatientAccess
) -> str:
    """Decide the waiting steps now that the complaints are known."""
    content = content_of(access.patient.organization_id)
    battery = content.battery(screening.battery_id)
    decisions = plan_battery(battery, priorities_of(intake), content=content)
    acting = _battery_actor(screening, actor)
    steps = {step.position: step for step in steps_of(screening)}
    changed: list[str] = []
    for position, decision in enumerate(decisions, start=1):
        step = steps.get(position)
        if step is None or step.status != Step.PENDING:
            continue
        if step.instrument_code != decision.instrument:  # pragma: no cover - content changed
            continue
        _apply_decision(step=step, decision=decision, actor=acting, access=access)
        changed.append(f"{step.instrument_code} {step.status}")
    return ", ".join(changed) or "no waiting questionnaires"

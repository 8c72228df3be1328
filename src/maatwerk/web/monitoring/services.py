"""Monitoring services: one call per action, each owning its transaction and writing
exactly one audit event (``maatwerk.web.audit.audited``).

Callers open the patient or the object first with the scoped opener
(``maatwerk.web.patients.opening``: ``open_patient`` / ``open_own_record`` for a
patient, ``open_child(model=Prompt, ...)`` for a prompt) and pass what it returns:

- clinician: :func:`create_ema_schedule`, :func:`create_rom_schedule`,
  :func:`pause_schedule`, :func:`resume_schedule`;
- patient: :func:`open_prompt`, :func:`answer_prompt`, :func:`start_event_entry`,
  :func:`subscribe_push`.

Reading (lists, compliance) is in :mod:`maatwerk.web.monitoring.selectors`.
"""

from __future__ import annotations

import secrets
import uuid
from collections.abc import Mapping, Sequence
from datetime import datetime
from typing import Any

from django import forms
from django.utils.translation import gettext as _

from maatwerk.core.monitoring.clock import local_date
from maatwerk.core.monitoring.delivery import DeliveryEvent, DeliveryState
from maatwerk.core.monitoring.ema import (
    EmaSchedule,
    Pause,
    ScheduleError,
    can_start_event_entry,
    ema_schedule_from_data,
    ema_schedule_to_data,
)
from maatwerk.core.monitoring.rom import (
    RomAdaptation,
    RomCourse,
    RomRuleError,
    rom_rule_from_data,
    rom_rule_to_data,
    rom_rules,
)
from maatwerk.web.audit.audited import InputRefused, audited, valid_form
from maatwerk.web.common.actor import Actor
from maatwerk.web.monitoring.delivery import record_event
from maatwerk.web.monitoring.forms import AnswerForm
from maatwerk.web.monitoring.models import (
    Channel,
    DeliveryLogEntry,
    MonitoringSchedule,
    Prompt,
    PromptState,
    PushSubscription,
    RomDefault,
)
from maatwerk.web.patients.opening import Opened, PatientAccess

SCHEDULE = "monitoring_schedule"
PROMPT = "monitoring_prompt"
SUBSCRIPTION = "push_subscription"


def new_seed() -> int:
    """The seed of a new EMA schedule's semi-random prompts (kept in its rules)."""
    return secrets.randbelow(2**31)


def create_ema_schedule(
    actor: Actor,
    opened: PatientAccess,
    *,
    schedule: EmaSchedule,
    items: Sequence[Mapping[str, Any]],
    channel: str = Channel.EMAIL,
    now: datetime,
) -> MonitoringSchedule:
    """Start an EMA schedule for the patient (its zone is the schedule's zone)."""
    with audited(actor=actor, action="create", subject=opened.subject(SCHEDULE)) as note:
        if channel not in Channel.values:
            raise InputRefused({"channel": [_("Choose one of the channels.")]})
        if not items:
            raise InputRefused({"items": [_("Choose at least one question.")]})
        created = MonitoringSchedule.objects.create(
            patient=opened.patient,
            kind=MonitoringSchedule.Kind.EMA,
            time_zone=schedule.zone,
            rules=ema_schedule_to_data(schedule),
            items=[dict(item) for item in items],
            channel=channel,
            created_at=now,
            updated_at=now,
        )
        note.about(object_ref=str(created.public_id))
        return created


def create_rom_schedule(
    actor: Actor,
    opened: PatientAccess,
    *,
    care_level: str,
    course: RomCourse,
    adaptations: Sequence[RomAdaptation] = (),
    channel: str = Channel.EMAIL,
    now: datetime,
) -> MonitoringSchedule:
    """Start ROM for the patient: the organization's rules for the care level with the
    clinician's adaptations."""
    with audited(actor=actor, action="create", subject=opened.subject(SCHEDULE)) as note:
        defaults = {
            row.care_level: tuple(rom_rule_from_data(rule) for rule in row.rules)
            for row in RomDefault.objects.filter(organization_id=opened.patient.organization_id)
        }
        try:
            rules = rom_rules(defaults, care_level, adaptations)
        except RomRuleError as error:
            raise InputRefused({"rules": [str(error)]}) from error
        if not rules:
            raise InputRefused({"rules": [_("There is no questionnaire to ask.")]})
        created = MonitoringSchedule.objects.create(
            patient=opened.patient,
            kind=MonitoringSchedule.Kind.ROM,
            time_zone=course.zone,
            rules={
                "care_level": care_level,
                "rules": [rom_rule_to_data(rule) for rule in rules],
                "course": {
                    "started_on": course.started_on.isoformat(),
                    "anchors": [anchor.isoformat() for anchor in course.anchors],
                    "ended_on": course.ended_on.isoformat() if course.ended_on else None,
                },
            },
            channel=channel,
            created_at=now,
            updated_at=now,
        )
        note.about(object_ref=str(created.public_id))
        return created


def pause_schedule(
    actor: Actor, opened: Opened[MonitoringSchedule], *, start: datetime, end: datetime | None
) -> MonitoringSchedule:
    """Pause an EMA schedule from ``start`` (until ``end``, or until resumed). Prompts
    already materialized inside the pause are cancelled when they fall due."""
    with audited(actor=actor, action="update", subject=opened.subject(SCHEDULE)):
        schedule = MonitoringSchedule.objects.select_for_update().get(pk=opened.object.pk)
        _ema_only(schedule)
        rules = ema_schedule_from_data({**schedule.rules, "zone": schedule.time_zone})
        try:
            pause = Pause(start, end)
            if any(p.end is None for p in rules.pauses):
                raise ScheduleError((_("The schedule is already paused."),))
            changed = EmaSchedule(
                **{**_fields(rules), "pauses": (*rules.pauses, pause)}  # type: ignore[arg-type]
            )
        except ScheduleError as error:
            raise InputRefused({"start": list(error.problems)}) from error
        _save_rules(schedule, changed, start)
        return schedule


def resume_schedule(
    actor: Actor, opened: Opened[MonitoringSchedule], *, at: datetime
) -> MonitoringSchedule:
    """End the open pause of an EMA schedule at ``at``."""
    with audited(actor=actor, action="update", subject=opened.subject(SCHEDULE)):
        schedule = MonitoringSchedule.objects.select_for_update().get(pk=opened.object.pk)
        _ema_only(schedule)
        rules = ema_schedule_from_data({**schedule.rules, "zone": schedule.time_zone})
        open_pauses = [p for p in rules.pauses if p.end is None]
        if not open_pauses:
            raise InputRefused(_("The schedule is not paused."))
        try:
            pauses = tuple(
                Pause(p.start, at) if p.end is None else p
                for p in rules.pauses
                if p.end is not None or p.start < at
            )
            changed = EmaSchedule(**{**_fields(rules), "pauses": pauses})  # type: ignore[arg-type]
        except ScheduleError as error:
            raise InputRefused({"at": list(error.problems)}) from error
        _save_rules(schedule, changed, at)
        return schedule


def _ema_only(schedule: MonitoringSchedule) -> None:
    if schedule.kind != MonitoringSchedule.Kind.EMA:
        raise InputRefused(_("Only a daily-life schedule can be paused."))


def _fields(schedule: EmaSchedule) -> dict[str, object]:
    return {name: getattr(schedule, name) for name in schedule.__dataclass_fields__}


def _save_rules(schedule: MonitoringSchedule, rules: EmaSchedule, now: datetime) -> None:
    schedule.rules = ema_schedule_to_data(rules)
    schedule.updated_at = now
    schedule.save(update_fields=["rules", "updated_at"])


def open_prompt(actor: Actor, opened: Opened[Prompt], *, now: datetime) -> Prompt:
    """The patient opened the prompt (logged once; opening again changes nothing)."""
    with audited(actor=actor, action="read", subject=opened.subject(PROMPT)):
        prompt = opened.object
        if prompt.state in (PromptState.SENT, PromptState.DELIVERED):
            record_event(prompt.pk, DeliveryEvent.OPEN, at=now)
        prompt.refresh_from_db()
        return prompt


def answer_prompt(
    actor: Actor,
    opened: Opened[Prompt],
    answers: Mapping[str, Any] | None = None,
    *,
    now: datetime,
    answer_id: uuid.UUID | None = None,
    form: AnswerForm | None = None,
) -> Prompt:
    """Store the patient's answers to an open prompt. A prompt that expired or was
    answered already is refused (:class:`InputRefused`) - unless the answer carries the
    ``answer_id`` the stored answer was given with: then it is the same answer arriving
    again (an offline retry) and the stored prompt is returned unchanged. Either way an
    answer is stored once. With a ``form`` (the answer page), the answers and their id
    come from the form, and a form with errors is refused."""
    with audited(actor=actor, action="update", subject=opened.subject(PROMPT)):
        if form is not None:
            valid_form(form)
            answers, answer_id = form.answers(), form.answer_uuid()
        prompt = opened.object
        if answer_id is not None and prompt.answer_id == answer_id:
            return prompt
        if prompt.expires_at <= now and prompt.state != PromptState.ANSWERED:
            record_event(prompt.pk, DeliveryEvent.EXPIRE, at=now)
            raise InputRefused(_("The time to answer this question has passed."))
        stored = dict(answers or {})
        if not record_event(
            prompt.pk,
            DeliveryEvent.ANSWER,
            at=now,
            answers=stored,
            answer_id=answer_id,
            as_read=prompt,
        ):
            # The prompt changed since it was opened and can no longer take an answer -
            # often because a concurrent copy of this answer was stored first.
            prompt.refresh_from_db()
            if answer_id is not None and prompt.answer_id == answer_id:
                return prompt
            raise InputRefused(_("This question can no longer be answered."))
        # What record_event wrote, without reading the row again.
        prompt.state = PromptState.ANSWERED
        prompt.answered_at, prompt.answers, prompt.answer_id = now, stored, answer_id
        return prompt


def start_event_entry(
    actor: Actor,
    opened: Opened[MonitoringSchedule],
    *,
    now: datetime,
    form: forms.Form | None = None,
) -> Prompt:
    """The patient starts an entry of their own (a pain flare): a prompt that is open
    at once, within the schedule's daily limit."""
    with audited(actor=actor, action="create", subject=opened.subject(PROMPT)) as note:
        if form is not None:
            valid_form(form)
        schedule = MonitoringSchedule.objects.select_for_update().get(pk=opened.object.pk)
        _ema_only(schedule)
        rules = ema_schedule_from_data({**schedule.rules, "zone": schedule.time_zone})
        today = local_date(now, rules.zone)
        entries_today = sum(
            local_date(due, rules.zone) == today
            for due in Prompt.objects.filter(schedule=schedule, kind=Prompt.Kind.EVENT).values_list(
                "due_at", flat=True
            )
        )
        if not can_start_event_entry(rules, now, entries_today):
            raise InputRefused(_("You cannot add an entry of your own now."))
        prompt = Prompt.objects.create(
            schedule=schedule,
            patient_id=schedule.patient_id,
            kind=Prompt.Kind.EVENT,
            key=f"event:{now.isoformat()}",
            due_at=now,
            expires_at=now + rules.response_window,
            state=DeliveryState.OPENED.value,
            channel=schedule.channel,
        )
        DeliveryLogEntry.objects.create(
            prompt=prompt,
            event=DeliveryLogEntry.Event.OPEN,
            state_after=prompt.state,
            at=now,
            detail="started by the patient",
        )
        note.about(object_ref=str(prompt.public_id))
        return prompt


def subscribe_push(
    actor: Actor,
    opened: PatientAccess,
    *,
    endpoint: str,
    p256dh: str,
    auth: str,
    user_agent: str = "",
) -> PushSubscription:
    """Register (or renew) one device's Web Push subscription for the patient."""
    with audited(actor=actor, action="create", subject=opened.subject(SUBSCRIPTION)) as note:
        if not endpoint.startswith("https://") or not p256dh or not auth:
            raise InputRefused(_("This device cannot receive notifications."))
        subscription, _created = PushSubscription.objects.update_or_create(
            endpoint=endpoint,
            defaults={
                "patient": opened.patient,
                "p256dh": p256dh,
                "auth": auth,
                "user_agent": user_agent[:300],
                "gone_at": None,
            },
        )
        note.about(object_ref=str(subscription.public_id))
        return subscription

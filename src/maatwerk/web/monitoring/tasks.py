"""The background tasks that send a prompt or its reminder, once.

The periodic jobs (:mod:`maatwerk.web.monitoring.jobs`) enqueue these with a prompt id
after their transaction commits, and enqueue them again when a prompt stays unsent (a
task lost with a killed worker). Each task claims its effect first
(``monitoring:prompt:<id>:send`` / ``:remind`` in ``background.DoneOnce``), so however
often it is enqueued and however many workers run, the message goes out at most once.
After sending, the state change, its log row and the end of the claim commit together:
a claim without an end therefore means "the worker stopped while sending", which the
dispatch job turns into a final ``failed`` state after a while (the message may or may
not have gone out; it is never sent again). A ROM prompt's questionnaire is made in the
transaction that records its send (:mod:`~maatwerk.web.monitoring.rom_questionnaires`).
The channel is the patient's own choice (:func:`~.notifications.message_channel`): with
messages paused, turned off, or e-mail without consent, the prompt is only put in the
app (``send`` with detail ``app_only:<why>``) and gets no reminder.
"""

from __future__ import annotations

from django.db import transaction
from django.utils import timezone
from django_tasks import task

from maatwerk.core.monitoring.delivery import DeliveryEvent
from maatwerk.web.background.once import claim_once, finish
from maatwerk.web.monitoring.channels import Outcome, SendFailed, channel_for
from maatwerk.web.monitoring.delivery import record_event
from maatwerk.web.monitoring.models import Prompt, PromptState
from maatwerk.web.monitoring.notifications import message_channel
from maatwerk.web.monitoring.rom_questionnaires import assign_questionnaire, cannot_assign
from maatwerk.web.questionnaires.models import Assignment


def send_key(prompt_id: int) -> str:
    return f"monitoring:prompt:{prompt_id}:send"


def remind_key(prompt_id: int) -> str:
    return f"monitoring:prompt:{prompt_id}:remind"


@task()
def prompt_send(prompt_id: int) -> bool:
    """Send the prompt by its channel at most once; True when this run sent it."""
    prompt = Prompt.objects.select_related("patient__user").filter(pk=prompt_id).first()
    if prompt is None or prompt.state != PromptState.SCHEDULED:
        return False
    key = send_key(prompt_id)
    if not claim_once(key):
        return False
    if prompt.kind == Prompt.Kind.ROM and (reason := cannot_assign(prompt)):
        # Nothing is sent that the patient could not open.
        with transaction.atomic():
            record_event(prompt_id, DeliveryEvent.FAIL, at=timezone.now(), detail=reason)
            finish(key, f"failed: {reason}")
        return False
    channel, no_message = message_channel(prompt)
    try:
        outcome = (
            channel_for(channel).send(prompt, reminder=False)
            if channel is not None
            else Outcome(delivered=False, detail=f"app_only:{no_message}")
        )
    except Exception as error:
        reason = str(error) if isinstance(error, SendFailed) else type(error).__name__
        with transaction.atomic():
            record_event(
                prompt_id,
                DeliveryEvent.FAIL,
                at=timezone.now(),
                channel=channel or "",
                detail=reason,
            )
            finish(key, f"failed: {reason}")
        return False
    with transaction.atomic():
        now = timezone.now()
        recorded = record_event(
            prompt_id, DeliveryEvent.SEND, at=now, channel=channel or "", detail=outcome.detail
        )
        if recorded and prompt.kind == Prompt.Kind.ROM:
            assign_questionnaire(prompt, at=now)
        if recorded and outcome.delivered:
            record_event(prompt_id, DeliveryEvent.DELIVER, at=now, channel=channel or "")
        finish(key, "sent" if recorded else "sent, but the prompt had moved on")
    return True


def _questionnaire_done(prompt: Prompt) -> bool:
    """A ROM prompt whose questionnaire is completed (the periodic job closes it)."""
    return prompt.assignment is not None and prompt.assignment.status in (
        Assignment.Status.COMPLETED,
        Assignment.Status.CANCELLED,
    )


@task()
def prompt_remind(prompt_id: int) -> bool:
    """Send the prompt's one reminder at most once, if it is still open and unreminded."""
    prompt = (
        Prompt.objects.select_related("patient__user", "assignment").filter(pk=prompt_id).first()
    )
    if (
        prompt is None
        or prompt.reminded
        or prompt.state not in (PromptState.SENT, PromptState.DELIVERED)
        or _questionnaire_done(prompt)
    ):
        return False
    key = remind_key(prompt_id)
    if not claim_once(key):
        return False
    channel, no_message = message_channel(prompt)
    if channel is None:
        # Paused, or the patient wants no messages: no reminder either.
        finish(key, f"not sent: {no_message}")
        return False
    try:
        channel_for(channel).send(prompt, reminder=True)
    except Exception as error:
        reason = str(error) if isinstance(error, SendFailed) else type(error).__name__
        finish(key, f"failed: {reason}")
        return False
    with transaction.atomic():
        record_event(prompt_id, DeliveryEvent.REMIND, at=timezone.now(), channel=channel)
        finish(key, "sent")
    return True

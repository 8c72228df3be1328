"""A ROM prompt is a questionnaire to fill in: the link between the two.

When the worker sends a ROM prompt (:func:`maatwerk.web.monitoring.tasks.prompt_send`)
it first checks the instrument can be given (:func:`cannot_assign`), and in the
transaction that records the send it makes the questionnaire assignment
(:func:`assign_questionnaire`): the patient then finds it in the answering app and in
the portal, and opens it with the existing questionnaire pages.

The questionnaire pages do not know about prompts. The periodic job
:func:`close_completed_rom_prompts` records the ``answer`` event (at the moment the
questionnaire was completed) for every open ROM prompt whose questionnaire is done, so
it stops counting as open, gets no reminder and does not expire.
"""

from __future__ import annotations

from datetime import datetime

from maatwerk.core.instruments.errors import UnknownInstrument
from maatwerk.core.monitoring.delivery import DeliveryEvent
from maatwerk.web.monitoring.delivery import record_event
from maatwerk.web.monitoring.models import Prompt, PromptState
from maatwerk.web.organizations.models import Membership
from maatwerk.web.patients.models import CareTeamMember
from maatwerk.web.questionnaires.instruments import has_item_texts, instrument_for
from maatwerk.web.questionnaires.models import Assignment

BATCH = 500
OPEN_STATES = (PromptState.SENT, PromptState.DELIVERED, PromptState.OPENED)


def _responsible(prompt: Prompt) -> Membership | None:
    """The clinician the questionnaire is asked on behalf of: the coordinating member of
    the patient's care team, else the longest-serving active member."""
    member = (
        CareTeamMember.objects.filter(
            episode__patient_id=prompt.patient_id,
            is_active=True,
            membership__is_active=True,
            membership__organization_id=prompt.patient.organization_id,
        )
        .select_related("membership")
        .order_by("-is_coordinator", "added_at", "pk")
        .first()
    )
    return member.membership if member is not None else None


def cannot_assign(prompt: Prompt) -> str:
    """Why the prompt's questionnaire cannot be given ("" when it can): a short reason
    for the delivery log."""
    try:
        instrument = instrument_for(prompt.patient.organization_id, prompt.instrument)
    except UnknownInstrument:
        return "unknown_instrument"
    if not has_item_texts(prompt.patient.organization_id, instrument):
        return "instrument_texts_missing"
    if _responsible(prompt) is None:
        return "no_treating_clinician"
    return ""


def assign_questionnaire(prompt: Prompt, *, at: datetime) -> Assignment | None:
    """Make the prompt's questionnaire (once: a prompt that has one keeps it). Runs in
    the caller's transaction; None when it cannot be given (see :func:`cannot_assign`)."""
    if prompt.assignment_id is not None:
        return prompt.assignment
    membership = _responsible(prompt)
    if membership is None:
        return None
    try:
        instrument = instrument_for(prompt.patient.organization_id, prompt.instrument)
    except UnknownInstrument:
        return None
    assignment = Assignment.objects.create(
        patient_id=prompt.patient_id,
        instrument_code=instrument.code,
        instrument_version=instrument.version,
        assigned_by=membership,
        assigned_at=at,
        due_at=prompt.expires_at,
    )
    Prompt.objects.filter(pk=prompt.pk).update(assignment=assignment)
    prompt.assignment = assignment
    return assignment


def close_completed_rom_prompts(now: datetime) -> int:
    """Record the answer of every open ROM prompt whose questionnaire is completed."""
    done = Prompt.objects.filter(
        kind=Prompt.Kind.ROM,
        state__in=OPEN_STATES,
        assignment__status=Assignment.Status.COMPLETED,
    ).values_list("pk", "assignment__completed_at")
    closed = 0
    for pk, completed_at in done.order_by("pk")[:BATCH]:
        closed += record_event(
            pk, DeliveryEvent.ANSWER, at=completed_at or now, detail="questionnaire completed"
        )
    return closed

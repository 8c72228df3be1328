"""Reading the records page of one patient (portal or dossier): one audited read."""

from __future__ import annotations

from dataclasses import dataclass

from django.utils import timezone

from maatwerk.core.records.destruction import RecordPart, is_overdue
from maatwerk.web.audit.audited import audited
from maatwerk.web.common.actor import Actor
from maatwerk.web.patients.opening import PatientAccess
from maatwerk.web.records.copies import copies_of
from maatwerk.web.records.destruction import actor_may_decide, requests_of
from maatwerk.web.records.models import DestructionRequest, RecordCopy
from maatwerk.web.records.parts import PART_LABELS

OBJECT_RIGHTS = "record_rights"


@dataclass(frozen=True)
class RequestLine:
    request: DestructionRequest
    part_labels: list[str]
    overdue: bool
    days_left: int


@dataclass(frozen=True)
class RightsPage:
    copies: list[RecordCopy]
    requests: list[RequestLine]
    may_decide: bool


def rights_page(*, actor: Actor, access: PatientAccess) -> RightsPage:
    """The page, read as one audited event."""
    with audited(actor=actor, action="read", subject=access.subject(OBJECT_RIGHTS)):
        return rights_page_content(actor=actor, access=access)


def rights_page_content(*, actor: Actor, access: PatientAccess) -> RightsPage:
    """The page again after a refused form: the refused event already covers the
    request, so this read writes none of its own."""
    today = timezone.localdate()
    lines = [
        RequestLine(
            request=request,
            part_labels=[str(PART_LABELS[RecordPart(part)]) for part in request.part_values],
            overdue=is_overdue(
                deadline=request.deadline,
                today=today,
                decided=request.status != DestructionRequest.Status.OPEN,
            ),
            days_left=(request.deadline - today).days,
        )
        for request in requests_of(access.patient)
    ]
    return RightsPage(
        copies=copies_of(access, actor),
        requests=lines,
        may_decide=not access.by_patient and actor_may_decide(actor, access.patient),
    )

"""A complete copy of the record (GDPR art. 15 and 20; Wabvpz art. 15d/15e): asked for
in the portal or the dossier, made in the background, downloaded by whoever asked.

The copy holds everything stored about the patient (``collect.record_items``), the
completed questionnaires as FHIR QuestionnaireResponses and the access log, as a FHIR
Bundle and as a PDF with the same content. It is kept for :data:`COPY_DAYS` days for the
person who asked; after that (and after a destruction) its content is removed.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import datetime, timedelta
from decimal import Decimal
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _

from maatwerk.core.fhir.response import response_to_questionnaire_response
from maatwerk.core.instruments.errors import UnknownInstrument
from maatwerk.core.instruments.registry import get_instrument
from maatwerk.core.records.bundle import (
    AccessEntry,
    PatientIdentity,
    RecordItem,
    count_rows,
    record_bundle,
)
from maatwerk.web.accounts.models import User
from maatwerk.web.audit.audited import InputRefused, audited
from maatwerk.web.audit.labels import audit_label
from maatwerk.web.audit.selectors import audit_events_for_patient
from maatwerk.web.common.actor import Actor
from maatwerk.web.common.pdf import render_pdf
from maatwerk.web.patients.models import Patient
from maatwerk.web.patients.opening import Opened, PatientAccess
from maatwerk.web.portal.presenters import group_access_events
from maatwerk.web.questionnaires.models import Assignment
from maatwerk.web.records.collect import record_items
from maatwerk.web.records.models import RecordCopy

# How long a copy stays downloadable: a platform choice (long enough to download it on
# another day, short enough that a forgotten copy does not linger), not a legal term.
COPY_DAYS = 7
OBJECT_COPY = "record_copy"

FHIR_JSON = "application/fhir+json"


@dataclass(frozen=True)
class CopyContent:
    identity: PatientIdentity
    items: list[RecordItem]
    questionnaire_responses: list[dict[str, Any]]
    access: list[AccessEntry]
    made_at: datetime

    @property
    def rows(self) -> int:
        return count_rows(self.items)


def copy_request(*, actor: Actor, access: PatientAccess) -> RecordCopy:
    """Ask for a copy; it is made in the background once this request is committed."""
    from maatwerk.web.records.tasks import record_copy_build

    with audited(actor=actor, action="create", subject=access.subject(OBJECT_COPY)) as note:
        now = timezone.now()
        copy = RecordCopy.objects.create(
            patient=access.patient,
            requested_by=signed_in_user(actor),
            requested_at=now,
            expires_at=now + timedelta(days=COPY_DAYS),
        )
        note.about(object_ref=str(copy.public_id))
        copy_id = str(copy.public_id)
        transaction.on_commit(lambda: record_copy_build.enqueue(copy_id))
        return copy


def copies_of(access: PatientAccess, actor: Actor) -> list[RecordCopy]:
    """The copies this person asked for (read inside the caller's audited page read)."""
    return list(
        RecordCopy.objects.filter(patient=access.patient, requested_by=actor.user).defer(
            "fhir_bundle", "pdf"
        )[:10]
    )


def copy_download(*, actor: Actor, opened: Opened[RecordCopy], file_format: str) -> bytes:
    """The copy's FHIR Bundle or PDF, for the person who asked for it, until it expires."""
    with audited(actor=actor, action="export", subject=opened.subject(OBJECT_COPY)) as note:
        copy = opened.object
        note.detail = file_format
        if actor.user is None or copy.requested_by_id != actor.user.pk:
            raise PermissionDenied("a copy is for the person who asked for it")
        if copy.status != RecordCopy.Status.READY or copy.expires_at <= timezone.now():
            raise Http404("this copy is not ready or has expired")
        body = copy.fhir_bundle if file_format == "fhir" else copy.pdf
        if body is None:
            raise InputRefused(_("This copy is not available any more."))
        return bytes(body)


def signed_in_user(actor: Actor) -> User:
    """The actor's account (the opener already refused anyone not signed in)."""
    if actor.user is None:
        raise PermissionDenied("not signed in")
    return actor.user


# ------------------------------------------------------------------ making the copy


def _questionnaire_responses(patient: Patient) -> list[dict[str, Any]]:
    """Completed questionnaires as FHIR QuestionnaireResponses (the core's mapping)."""
    responses: list[dict[str, Any]] = []
    assignments = Assignment.objects.filter(
        patient=patient, status=Assignment.Status.COMPLETED
    ).prefetch_related("answers")
    for assignment in assignments:
        answers: dict[str, Decimal | None] = {}
        not_applicable: list[str] = []
        for answer in assignment.answers.all():
            if answer.not_applicable:
                not_applicable.append(answer.item_id)
            else:
                answers[answer.item_id] = answer.value
        try:
            instrument = get_instrument(assignment.instrument_code, assignment.instrument_version)
            resource = response_to_questionnaire_response(
                instrument,
                answers,
                resource_id=str(assignment.public_id),
                assignment_id=str(assignment.public_id),
                subject_id=str(patient.public_id),
                authored=assignment.completed_at,
                language=patient.language if patient.language in ("nl", "en") else "nl",
                not_applicable=not_applicable,
            )
        except (UnknownInstrument, ValueError):
            # An instrument this installation no longer has: the answers are in the
            # copy as stored rows (Basic) all the same.
            continue
        responses.append(resource)
    return responses


def _access_entries(patient: Patient) -> list[AccessEntry]:
    events = audit_events_for_patient(patient_ref=str(patient.public_id))
    return [
        AccessEntry(
            at=line.occurred_at,
            first_at=line.first_at,
            who=line.user_display,
            role=audit_label("role", line.role),
            action=line.action,
            action_label=audit_label("action", line.action),
            object_type=line.object_type,
            object_label=audit_label("object_type", line.object_type),
            outcome=line.outcome,
            emergency=line.emergency,
            repeats=line.repeats,
        )
        for line in group_access_events(events.iterator())
    ]


def copy_content(patient: Patient) -> CopyContent:
    return CopyContent(
        identity=PatientIdentity(
            ref=str(patient.public_id),
            name=patient.full_name,
            birth_year=patient.birth_year,
            sex=patient.sex,
        ),
        items=record_items(patient),
        questionnaire_responses=_questionnaire_responses(patient),
        access=_access_entries(patient),
        made_at=timezone.now(),
    )


def copy_files(content: CopyContent) -> tuple[bytes, bytes]:
    """(FHIR Bundle as JSON, PDF) of one copy's content."""
    bundle = record_bundle(
        identity=content.identity,
        items=content.items,
        questionnaire_responses=content.questionnaire_responses,
        access=content.access,
        made_at=content.made_at,
    )
    fhir = json.dumps(bundle, ensure_ascii=False, indent=1).encode()
    pdf = render_pdf("records/copy_pdf.html", {"content": content})
    return fhir, pdf

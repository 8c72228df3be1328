"""Destruction of parts of the record on the patient's request (BW 7:455).

The patient asks in the portal; a clinician of the care team who may decide
(:func:`maatwerk.core.records.destruction.may_decide`: not a POH-GGZ, whose care the GP is
responsible for) grants or refuses within three months. A grant deletes every row of the
requested parts in one transaction, clears references to them from rows that stay, and
empties earlier copies of the record; the audit event says how many rows of which parts
were destroyed, never what they held. The audit trail itself is not touched: it has its
own retention (NEN 7513) and its hash chain stays intact.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import Model, ProtectedError, RestrictedError
from django.utils import timezone
from django.utils.translation import gettext as _

from maatwerk.core.records.destruction import (
    Decision,
    RecordPart,
    decision_deadline,
    decision_problems,
    is_overdue,
    may_decide,
)
from maatwerk.web.audit.audited import InputRefused, audited, valid_form
from maatwerk.web.audit.services import AuditSubject
from maatwerk.web.common.actor import Actor
from maatwerk.web.patients.models import CareTeamMember, Patient
from maatwerk.web.patients.opening import Opened, PatientAccess
from maatwerk.web.records.collect import PartRows, references_into, rows_of_parts
from maatwerk.web.records.copies import signed_in_user
from maatwerk.web.records.forms import DecisionForm, DestructionRequestForm
from maatwerk.web.records.models import DestructionRequest, RecordCopy
from maatwerk.web.records.parts import PART_LABELS, PART_OF, model_label

OBJECT_REQUEST = "destruction_request"
OBJECT_OPEN_REQUESTS = "destruction_requests"


def destruction_request_create(
    *, actor: Actor, access: PatientAccess, form: DestructionRequestForm
) -> DestructionRequest:
    with audited(actor=actor, action="create", subject=access.subject(OBJECT_REQUEST)) as note:
        data = valid_form(form)
        now = timezone.now()
        parts = sorted(str(part) for part in data["parts"])  # type: ignore[attr-defined]
        request = DestructionRequest.objects.create(
            patient=access.patient,
            requested_by=signed_in_user(actor),
            requested_at=now,
            deadline=decision_deadline(timezone.localdate(now)),
            parts=parts,
            patient_note=str(data["note"]),
        )
        note.about(object_ref=str(request.public_id))
        note.detail = "parts: " + ",".join(parts)
        return request


def requests_of(patient: Patient) -> list[DestructionRequest]:
    """The patient's requests (read inside the caller's audited page read)."""
    return list(DestructionRequest.objects.filter(patient=patient))


def actor_may_decide(actor: Actor, patient: Patient) -> bool:
    """Whether ``actor`` is the clinician of ``patient``'s care team who decides."""
    membership_ids = {
        m.pk for m in actor.memberships if m.organization_id == patient.organization_id
    }
    team = list(
        CareTeamMember.objects.filter(
            episode__patient=patient, episode__status="active", is_active=True
        ).values_list("membership_id", "membership__discipline")
    )
    team_disciplines = {discipline for _, discipline in team}
    return any(
        may_decide(discipline=discipline, team_disciplines=team_disciplines)
        for membership_id, discipline in team
        if membership_id in membership_ids
    )


def destruction_decide(
    *, actor: Actor, opened: Opened[DestructionRequest], form: DecisionForm
) -> DestructionRequest:
    """Grant (destroy now, in this transaction) or refuse with a ground and a reason."""
    with audited(actor=actor, action="update", subject=opened.subject(OBJECT_REQUEST)) as note:
        request = DestructionRequest.objects.select_for_update().get(pk=opened.object.pk)
        if not actor_may_decide(actor, request.patient):
            raise PermissionDenied("the responsible clinician decides (for POH-GGZ care the GP)")
        data = valid_form(form)
        if request.status != DestructionRequest.Status.OPEN:
            raise InputRefused(_("This request has already been decided."))
        decision = Decision(str(data["decision"]))
        ground = str(data["ground"] or "")
        reason = str(data["reason"] or "").strip()
        problems = decision_problems(
            decision=decision, ground=ground, reason=reason, parts=request.part_values
        )
        if not problems.ok:
            raise InputRefused(_problem_messages(problems.ground, problems.reason))
        request.decided_by = signed_in_user(actor)
        request.decided_at = timezone.now()
        if decision is Decision.REFUSE:
            request.status = DestructionRequest.Status.REFUSED
            request.refusal_ground = ground
            request.refusal_reason = reason
            note.detail = f"refused: {ground}"
        else:
            parts = frozenset(RecordPart(part) for part in request.part_values)
            destroyed = destroy_parts(request.patient, parts)
            request.status = DestructionRequest.Status.GRANTED
            request.destroyed_rows = destroyed
            note.detail = f"destroyed {destroyed} rows: " + ",".join(sorted(parts))
        request.save()
        return request


def _problem_messages(ground: str, reason: str) -> dict[str, list[str]]:
    errors: dict[str, list[str]] = {}
    if ground:
        errors["ground"] = [_("Choose the legal ground for refusing.")]
    if reason == "reason_missing":
        errors["reason"] = [_("Explain the refusal to the patient in at least 10 characters.")]
    elif reason:
        errors["reason"] = [_("This request names no part of the record.")]
    return errors


class PartsLinked(InputRefused):
    """A part to destroy is needed by a part that stays (e.g. a plan made from a screening)."""


def destroy_parts(patient: Patient, parts: frozenset[RecordPart]) -> int:
    """Delete every row of ``parts`` of ``patient``'s record; returns how many rows.

    Runs in the caller's transaction: all or nothing. References from rows that stay are
    cleared when the key may be empty, and refuse the destruction when it may not.
    """
    found = rows_of_parts(patient, parts)
    blocking: set[str] = set()
    with transaction.atomic():
        for reference in references_into(found):
            if reference.nullable:
                reference.model._default_manager.filter(pk__in=reference.pks).update(
                    **{reference.key: None}
                )
            else:
                blocking.add(_part_name(reference.model))
        if blocking:
            raise PartsLinked(
                _("These parts can only be destroyed together with: %(parts)s.")
                % {"parts": ", ".join(sorted(blocking))}
            )
        _delete_rows(found)
        RecordCopy.objects.filter(patient=patient).update(
            status=RecordCopy.Status.EXPIRED, fhir_bundle=None, pdf=None
        )
    return found.count


def _part_name(model: type[Model]) -> str:
    part = PART_OF.get(model_label(model))
    return str(PART_LABELS[part]) if part is not None else str(model._meta.verbose_name)


def _delete_rows(found: PartRows) -> None:
    """Delete the rows, children before the rows they point to (protected keys between
    them are resolved by deleting whatever no remaining row points at first)."""
    pending = {model: set(pks) for model, pks in found.rows.items()}
    while pending:
        progressed = False
        for model in list(pending):
            try:
                with transaction.atomic():
                    model._default_manager.filter(pk__in=pending[model]).delete()
            except (ProtectedError, RestrictedError):
                continue
            del pending[model]
            progressed = True
        if not progressed:
            raise PartsLinked(
                _("These parts are linked to data that stays and cannot be destroyed.")
            )


@dataclass(frozen=True)
class OpenRequest:
    request: DestructionRequest
    deadline: date
    overdue: bool
    days_left: int


def open_requests(*, actor: Actor) -> list[OpenRequest]:
    """Open requests of the patients on this clinician's care teams, overdue first (the
    team sees them on the records page and the dossier links to them)."""
    with audited(
        actor=actor,
        action="search",
        subject=AuditSubject(object_type=OBJECT_OPEN_REQUESTS),
    ):
        membership_ids = [m.pk for m in actor.memberships]
        patients = CareTeamMember.objects.filter(
            membership_id__in=membership_ids, is_active=True, episode__status="active"
        ).values_list("episode__patient_id", flat=True)
        today = timezone.localdate()
        found = [
            OpenRequest(
                request=request,
                deadline=request.deadline,
                overdue=is_overdue(deadline=request.deadline, today=today, decided=False),
                days_left=(request.deadline - today).days,
            )
            for request in DestructionRequest.objects.filter(
                patient_id__in=patients, status=DestructionRequest.Status.OPEN
            ).select_related("patient")
        ]
        return sorted(found, key=lambda item: item.deadline)

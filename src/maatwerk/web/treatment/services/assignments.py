"""Assigning and revising modules, and reading the modules of a patient."""

from __future__ import annotations

from collections.abc import Sequence

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from maatwerk.web.audit.services import audit_record
from maatwerk.web.common.actor import Actor
from maatwerk.web.patients.selectors import PatientAccess
from maatwerk.web.treatment import selectors
from maatwerk.web.treatment.models import ExerciseResponse, ModuleAssignment
from maatwerk.web.treatment.selectors import ModuleAccess
from maatwerk.web.treatment.services._common import _clinician_membership, _subject, catalogue


def modules_assign(
    *,
    actor: Actor,
    access: PatientAccess,
    module_ids: Sequence[str],
    plan_ref: str | None = None,
) -> list[ModuleAssignment]:
    """Give the patient these modules (a clinician in care). A module that is already
    assigned and not completed is kept as it is, so calling this twice changes nothing.
    Returns the assignments in the order of ``module_ids``; writes one audit event."""
    membership = _clinician_membership(actor, access)
    wanted = list(dict.fromkeys(str(module_id).strip() for module_id in module_ids))
    if not wanted or wanted == [""]:
        raise ValidationError({"modules": [_("Choose at least one module.")]})
    known = catalogue()
    unknown = [module_id for module_id in wanted if module_id not in known.ids]
    if unknown:
        raise ValidationError(
            {
                "modules": [
                    _("This module does not exist: %(module)s.") % {"module": module_id}
                    for module_id in unknown
                ]
            }
        )
    result: list[ModuleAssignment] = []
    created: list[str] = []
    with transaction.atomic():
        for module_id in wanted:
            existing = selectors.open_assignment_of(access.patient.pk, module_id)
            if existing is not None:
                result.append(existing)
                continue
            module = known.module(module_id)
            result.append(
                ModuleAssignment.objects.create(
                    patient=access.patient,
                    module_id=module.id,
                    module_version=module.version,
                    assigned_by=membership,
                    plan_ref=(plan_ref or "")[:64],
                    guided=module.guidance == "guided",
                )
            )
            created.append(module_id)
        kept = [module_id for module_id in wanted if module_id not in created]
        audit_record(
            actor=actor,
            action="create" if created else "read",
            subject=_subject(access, selectors.OBJECT_MODULE),
            emergency=access.emergency,
            detail=(
                f"assigned: {', '.join(created) or '-'}; already open: {', '.join(kept) or '-'}"
                + (f"; plan {plan_ref}" if plan_ref else "")
            ),
        )
    return result


def modules_revise(
    *,
    actor: Actor,
    access: PatientAccess,
    give_ids: Sequence[str],
    close_ids: Sequence[str],
    plan_ref: str,
) -> tuple[list[ModuleAssignment], list[ModuleAssignment]]:
    """A revised plan: give the patient the modules new in the plan and stop the open
    assignments of the modules the plan no longer holds. A stopped assignment keeps its
    answers and feedback (readable as before) but takes no more changes; it is not
    marked completed, because the patient did not finish it. Returns (given, stopped);
    one audit event.

    Call it inside the caller's transaction so the plan and the modules change together.
    """
    membership = _clinician_membership(actor, access)
    known = catalogue()
    give = list(dict.fromkeys(m for m in give_ids if m))
    close = [m for m in dict.fromkeys(close_ids) if m and m not in give]
    unknown = [module_id for module_id in give if module_id not in known.ids]
    if unknown:
        raise ValidationError(
            {
                "modules": [
                    _("This module does not exist: %(module)s.") % {"module": module_id}
                    for module_id in unknown
                ]
            }
        )
    given: list[ModuleAssignment] = []
    stopped: list[ModuleAssignment] = []
    now = timezone.now()
    with transaction.atomic():
        for module_id in close:
            assignment = selectors.open_assignment_of(access.patient.pk, module_id)
            if assignment is None:
                continue
            assignment.status = ModuleAssignment.Status.STOPPED
            assignment.stopped_at = now
            assignment.stopped_by = membership
            assignment.save(update_fields=["status", "stopped_at", "stopped_by"])
            stopped.append(assignment)
        for module_id in give:
            if selectors.open_assignment_of(access.patient.pk, module_id) is not None:
                continue
            module = known.module(module_id)
            given.append(
                ModuleAssignment.objects.create(
                    patient=access.patient,
                    module_id=module.id,
                    module_version=module.version,
                    assigned_by=membership,
                    plan_ref=plan_ref[:64],
                    guided=module.guidance == "guided",
                )
            )
        audit_record(
            actor=actor,
            action="update",
            subject=_subject(access, selectors.OBJECT_MODULE),
            emergency=access.emergency,
            detail=(
                f"assigned: {', '.join(a.module_id for a in given) or '-'}; "
                f"stopped: {', '.join(a.module_id for a in stopped) or '-'}; plan {plan_ref}"
            ),
        )
    return given, stopped


def modules_overview_read(*, actor: Actor, access: PatientAccess) -> list[ModuleAssignment]:
    """The patient's modules (clinician's list on the patient page, or the patient's
    own "My modules"), read with one audit event."""
    assignments = list(selectors.assignments_for(access))
    audit_record(
        actor=actor,
        action="read",
        subject=_subject(access, selectors.OBJECT_MODULE),
        emergency=access.emergency,
        detail=f"{len(assignments)} modules",
    )
    return assignments


def module_read(*, actor: Actor, opened: ModuleAccess) -> dict[str, ExerciseResponse]:
    """Open a module: its steps, with the state of each exercise."""
    assignment = opened.assignment
    audit_record(
        actor=actor,
        action="read",
        subject=_subject(opened.access, selectors.OBJECT_MODULE, str(assignment.public_id)),
        emergency=opened.access.emergency,
        detail=assignment.module_id,
    )
    return selectors.responses_of(assignment)

"""Assigning and revising modules, opening the rounds of a plan, and reading the modules
of a patient.

A plan's modules come in rounds (``maatwerk.core.planning.rounds``): at most
``max_at_once`` (the plan's setting, read from the planning app, 3 by default) are open
at once; the others wait and open when the round before them is done, or when the
clinician opens one.
"""

from __future__ import annotations

from collections.abc import Sequence

from django import forms
from django.utils import timezone
from django.utils.translation import gettext as _

from maatwerk.core.planning.rounds import RoundModule, RoundState, modules_to_open, round_of
from maatwerk.web.audit.audited import InputRefused, audited
from maatwerk.web.common.actor import Actor
from maatwerk.web.organizations.models import Membership
from maatwerk.web.patients.opening import PatientAccess
from maatwerk.web.planning.selectors import max_modules_at_once
from maatwerk.web.treatment import selectors
from maatwerk.web.treatment.models import ExerciseResponse, ModuleAssignment
from maatwerk.web.treatment.selectors import OpenedModule
from maatwerk.web.treatment.services._common import catalogue, check_input, membership_in_care

OPEN = ModuleAssignment.Status.OPEN
WAITING = ModuleAssignment.Status.WAITING


def _unknown(module_ids: Sequence[str]) -> None:
    known = catalogue().ids
    unknown = [module_id for module_id in module_ids if module_id not in known]
    if unknown:
        raise InputRefused(
            {
                "modules": [
                    _("This module does not exist: %(module)s.") % {"module": module_id}
                    for module_id in unknown
                ]
            }
        )


def _create(
    access: PatientAccess,
    module_id: str,
    *,
    membership: Membership,
    plan_ref: str,
    plan_round: int | None,
    opens: bool,
) -> ModuleAssignment:
    module = catalogue().module(module_id)
    now = timezone.now()
    return ModuleAssignment.objects.create(
        patient=access.patient,
        module_id=module.id,
        module_version=module.version,
        assigned_by=membership,
        assigned_at=now,
        plan_ref=plan_ref[:64],
        plan_round=plan_round,
        status=OPEN if opens else WAITING,
        opened_at=now if opens else None,
        guided=module.guidance == "guided",
    )


def _plan_rounds(module_ids: Sequence[str], plan_ref: str | None) -> dict[str, int]:
    """The round of each module of a plan, in plan order; none for modules by hand."""
    if not plan_ref:
        return {}
    at_once = max_modules_at_once(plan_ref)
    return {module_id: round_of(position, at_once) for position, module_id in enumerate(module_ids)}


def modules_assign(
    *,
    form: forms.Form | None = None,
    actor: Actor,
    access: PatientAccess,
    module_ids: Sequence[str],
    plan_ref: str | None = None,
) -> list[ModuleAssignment]:
    """Give the patient these modules (a clinician in care). A module that is already
    assigned and not ended is kept as it is, so calling this twice changes nothing.

    Modules given by hand open at once. A plan's modules (``plan_ref``, in plan order)
    open round by round: the first round now, later rounds wait. Returns the assignments
    in the order of ``module_ids``; writes one audit event."""
    wanted = list(dict.fromkeys(str(module_id).strip() for module_id in module_ids))
    # Asking again for modules the patient already has reads them (changes nothing).
    anything_new = any(selectors.open_assignment_of(access, m) is None for m in wanted)
    with audited(
        actor=actor,
        action="create" if anything_new else "read",
        subject=access.subject(selectors.OBJECT_MODULE),
        emergency=access.emergency,
    ) as note:
        check_input(form)
        membership = membership_in_care(actor, access)
        if not wanted or wanted == [""]:
            raise InputRefused({"modules": [_("Choose at least one module.")]})
        _unknown(wanted)
        rounds = _plan_rounds(wanted, plan_ref)
        result: list[ModuleAssignment] = []
        created: list[str] = []
        for module_id in wanted:
            existing = selectors.open_assignment_of(access, module_id)
            if existing is not None:
                result.append(existing)
                continue
            plan_round = rounds.get(module_id)
            result.append(
                _create(
                    access,
                    module_id,
                    membership=membership,
                    plan_ref=plan_ref or "",
                    plan_round=plan_round,
                    opens=plan_round is None or plan_round == 1,
                )
            )
            created.append(module_id)
        if rounds:
            _open_next_round(access)
            for assignment in result:
                assignment.refresh_from_db(fields=["status", "opened_at"])
        kept = [module_id for module_id in wanted if module_id not in created]
        note.detail = (
            f"assigned: {', '.join(created) or '-'}; already open: {', '.join(kept) or '-'}"
            + (f"; plan {plan_ref}" if plan_ref else "")
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
    """A revised plan: give the patient the modules new in the plan and stop the
    assignments of the modules the plan no longer holds. A stopped assignment keeps its
    answers and feedback (readable as before) but takes no more changes; it is not
    marked completed, because the patient did not finish it. New modules join the
    rounds after the ones already given. Returns (given, stopped); one audit event.

    Call it inside the caller's transaction so the plan and the modules change together.
    """
    give = list(dict.fromkeys(m for m in give_ids if m))
    close = [m for m in dict.fromkeys(close_ids) if m and m not in give]
    with audited(
        actor=actor,
        action="update",
        subject=access.subject(selectors.OBJECT_MODULE),
        emergency=access.emergency,
    ) as note:
        membership = membership_in_care(actor, access)
        _unknown(give)
        stopped: list[ModuleAssignment] = []
        now = timezone.now()
        for module_id in close:
            assignment = selectors.open_assignment_of(access, module_id)
            if assignment is None:
                continue
            assignment.status = ModuleAssignment.Status.STOPPED
            assignment.stopped_at = now
            assignment.stopped_by = membership
            assignment.save(update_fields=["status", "stopped_at", "stopped_by"])
            stopped.append(assignment)
        given = [
            _create(
                access,
                module_id,
                membership=membership,
                plan_ref=plan_ref,
                plan_round=None,
                opens=False,
            )
            for module_id in give
            if selectors.open_assignment_of(access, module_id) is None
        ]
        _round_again(access, at_once=max_modules_at_once(plan_ref), new=given)
        _open_next_round(access)
        for assignment in given:
            assignment.refresh_from_db(fields=["status", "opened_at"])
        note.detail = (
            f"assigned: {', '.join(a.module_id for a in given) or '-'}; "
            f"stopped: {', '.join(a.module_id for a in stopped) or '-'}; plan {plan_ref}"
        )
    return given, stopped


def _round_again(access: PatientAccess, *, at_once: int, new: Sequence[ModuleAssignment]) -> None:
    """The rounds of a revised plan: the modules not ended keep their order (the ones
    already given first, then the new ones) and are grouped again by ``at_once``, so
    what was stopped makes room and at most ``at_once`` modules are open at once."""
    new_pks = {a.pk for a in new}
    kept = sorted(
        (
            a
            for a in ModuleAssignment.objects.select_for_update().filter(
                patient=access.patient, status__in=selectors.NOT_ENDED_STATUSES
            )
            if a.pk not in new_pks and (a.plan_round is not None or a.plan_ref)
        ),
        key=lambda a: (a.plan_round or 0, a.pk),
    )
    for position, assignment in enumerate([*kept, *new]):
        wanted = round_of(position, at_once)
        if assignment.plan_round != wanted:
            assignment.plan_round = wanted
            assignment.save(update_fields=["plan_round"])


def _state(assignment: ModuleAssignment) -> RoundState:
    if assignment.status == WAITING:
        return "waiting"
    if assignment.is_open:
        return "open"
    return "done"


def _open_next_round(access: PatientAccess) -> list[ModuleAssignment]:
    """Open the waiting modules whose round is next, if the rounds before it are done
    (no audit: the calling service writes the one event)."""
    planned = list(
        ModuleAssignment.objects.select_for_update()
        .filter(patient=access.patient)
        .exclude(plan_round__isnull=True)
        .order_by("pk")
    )
    keys = modules_to_open(
        [RoundModule(key=str(a.pk), plan_round=a.plan_round or 1, state=_state(a)) for a in planned]
    )
    opened = [a for a in planned if str(a.pk) in keys]
    now = timezone.now()
    for assignment in opened:
        assignment.status = OPEN
        assignment.opened_at = now
        assignment.save(update_fields=["status", "opened_at"])
    return opened


def module_complete_if_done(opened: OpenedModule) -> bool:
    """Mark the module completed when every entry of every exercise has been handed in,
    and open the next round if that was the last open module of its round. Called by
    the hand-in service inside its transaction (no audit of its own)."""
    from maatwerk.web.treatment.services._common import module_of

    assignment = opened.object
    if not assignment.is_open:
        return False
    wanted = {
        (exercise.id, entry)
        for exercise in module_of(assignment).exercises
        for entry in range(1, exercise.entries + 1)
    }
    handed = set(
        ExerciseResponse.objects.filter(
            assignment=assignment, submitted_at__isnull=False
        ).values_list("exercise_id", "entry")
    )
    if not wanted or not wanted <= handed:
        return False
    assignment.status = ModuleAssignment.Status.COMPLETED
    assignment.completed_at = timezone.now()
    assignment.save(update_fields=["status", "completed_at"])
    _open_next_round(opened.access)
    return True


def module_open_now(
    *, form: forms.Form | None = None, actor: Actor, opened: OpenedModule
) -> ModuleAssignment:
    """The clinician opens a module that waits for a later round (one audit event)."""
    assignment = opened.object
    with audited(
        actor=actor,
        action="update",
        subject=opened.subject(selectors.OBJECT_MODULE),
        emergency=opened.emergency,
        detail=f"{assignment.module_id} opened before its round",
    ):
        check_input(form)
        membership_in_care(actor, opened.access)
        locked = ModuleAssignment.objects.select_for_update().get(pk=assignment.pk)
        if locked.status != WAITING:
            raise InputRefused(_("This module is already open."))
        locked.status = OPEN
        locked.opened_at = timezone.now()
        locked.save(update_fields=["status", "opened_at"])
    return locked


def modules_overview_read(*, actor: Actor, access: PatientAccess) -> list[ModuleAssignment]:
    """The patient's modules (clinician's list on the patient page, or the patient's
    own "My modules"), read with one audit event."""
    with audited(
        actor=actor,
        action="read",
        subject=access.subject(selectors.OBJECT_MODULE),
        emergency=access.emergency,
    ) as note:
        assignments = list(selectors.assignments_for(access))
        note.detail = f"{len(assignments)} modules"
    return assignments


def module_read(*, actor: Actor, opened: OpenedModule) -> dict[tuple[str, int], ExerciseResponse]:
    """Open a module: its steps, with the state of each exercise entry."""
    assignment = opened.object
    with audited(
        actor=actor,
        action="read",
        subject=opened.subject(selectors.OBJECT_MODULE),
        emergency=opened.emergency,
        detail=assignment.module_id,
    ):
        return selectors.responses_of(assignment)

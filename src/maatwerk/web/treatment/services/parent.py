"""The parent view (issue 12 item 8): a parent the patient (a child or adolescent) let
read along sees the child's plan and homework, read-only, at B1.

Who may: a relative with relation *parent* whose access is active, for a patient who is
(possibly) under 18 or for whom the care team noted at the screening that a parent is
involved (the SCEGS flag ``parent_involved``). A partner, or a parent of an adult not so
flagged, is denied (404, one ``denied`` event).

What it shows: the modules in plan order with where the child is (open, later, done),
the goals of the plan, and per exercise whether it is handed in, being worked on or not
started. Never the child's answers, the therapist's feedback or messages: what the child
writes stays theirs to share. One ``read`` event names the patient.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from django.http import Http404

from maatwerk.core.age import may_be_minor
from maatwerk.web.audit.audited import audited
from maatwerk.web.common.actor import Actor
from maatwerk.web.patients.models import Patient
from maatwerk.web.patients.opening import patient_subject
from maatwerk.web.planning.relatives import RelativePlan, plan_for_relatives
from maatwerk.web.screening.subgroup_flags import subgroup_flags_of
from maatwerk.web.treatment import selectors
from maatwerk.web.treatment.models import ExerciseResponse, ModuleAssignment, RelativeAccess
from maatwerk.web.treatment.services._common import language, module_of

NOT_STARTED = "not_started"
WORKING = "working"
HANDED_IN = "handed_in"


@dataclass(frozen=True, slots=True)
class HomeworkLine:
    title: str
    entry: int  # 1 … entries; the title says "2" only when the exercise asks for more
    entries: int
    state: str  # NOT_STARTED, WORKING or HANDED_IN
    handed_in_at: datetime | None


@dataclass(frozen=True, slots=True)
class ParentModule:
    name: str
    summary: str
    status: str  # ModuleAssignment.Status value
    status_label: str
    homework: tuple[HomeworkLine, ...]


@dataclass(frozen=True, slots=True)
class ParentView:
    relative: RelativeAccess
    first_name: str
    modules: tuple[ParentModule, ...]
    plan: RelativePlan | None


def parent_view_allowed(relative: RelativeAccess, today: date) -> bool:
    """A parent of a (possible) minor, or of a patient for whom a parent is involved."""
    if relative.relation != RelativeAccess.Relation.PARENT or not relative.is_active:
        return False
    patient: Patient = relative.patient
    return may_be_minor(patient.birth_year, today) or subgroup_flags_of(patient).parent_involved


def _state(response: ExerciseResponse | None) -> str:
    if response is None:
        return NOT_STARTED
    if response.submitted_at is not None:
        return HANDED_IN
    return WORKING


def _module(assignment: ModuleAssignment, lang: str) -> ParentModule:
    definition = module_of(assignment)
    responses = {(r.exercise_id, r.entry): r for r in assignment.responses.all()}
    lines: list[HomeworkLine] = []
    for step in definition.steps:
        for exercise in step.exercises:
            for entry in range(1, exercise.entries + 1):
                response = responses.get((exercise.id, entry))
                lines.append(
                    HomeworkLine(
                        title=exercise.title.get(lang, fallback=True) or "",
                        entry=entry,
                        entries=exercise.entries,
                        state=_state(response),
                        handed_in_at=response.submitted_at if response is not None else None,
                    )
                )
    return ParentModule(
        name=definition.name.get(lang, fallback=True) or "",
        summary=definition.summary.get(lang, fallback=True) or "",
        status=assignment.status,
        status_label=str(assignment.get_status_display()),
        homework=tuple(lines),
    )


def parent_view_read(*, actor: Actor, relative: RelativeAccess, today: date) -> ParentView:
    """The child's plan and homework for their parent (see the module docstring)."""
    patient = relative.patient
    with audited(
        actor=actor,
        action="read",
        subject=patient_subject(
            patient, object_type=selectors.OBJECT_SHARED, object_ref=str(relative.public_id)
        ),
        detail="parent view: plan and homework",
    ):
        if not parent_view_allowed(relative, today):
            raise Http404
        lang = language()
        # Plan order: round by round; modules given by hand (no round) first, as given.
        assignments = sorted(
            ModuleAssignment.objects.filter(patient=patient)
            .exclude(status=ModuleAssignment.Status.STOPPED)
            .prefetch_related("responses")
            .order_by("assigned_at", "pk"),
            key=lambda a: a.plan_round or 0,
        )
        return ParentView(
            relative=relative,
            first_name=patient.full_name.split(" ")[0],
            modules=tuple(_module(assignment, lang) for assignment in assignments),
            plan=plan_for_relatives(patient),
        )

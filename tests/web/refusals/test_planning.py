"""Refusals of the plan pages (issue 11): for every POST URL of the planning app, invalid
input gives the error on its field (status 400, the page again), nothing is saved, and
exactly one ``refused`` audit event is written."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from maatwerk.web.audit.models import AuditEvent
from maatwerk.web.personalized.models import MeasureSet
from maatwerk.web.planning.models import Plan, PlanCareLevelStep, PlanDecisionRecord
from maatwerk.web.planning.selectors import OBJECT_PLAN
from tests.web.test_planning import GOALS, _base, mood_plan, world_plan
from tests.web.test_planning_revision import with_active_plan, with_revision
from tests.web.world import World

pytestmark = pytest.mark.django_db

COVERED_URL_NAMES = {
    "planning:prepare",
    "planning:decide",
    "planning:goals",
    "planning:activate",
    "planning:revise",
    "planning:discard_revision",
    "planning:step_up",
    "planning:complete",
    "planning:regiebehandelaar",
}


def _refused_once(world: World, what: str, data: dict[str, object]) -> str:
    """Post invalid ``data``: 400, one refused event about the plan; the page's body."""
    before = AuditEvent.objects.order_by("-sequence").values_list("sequence", flat=True).first()
    response = world.client_for("clinician_treating").post(_base(world) + what, data)
    assert response.status_code == 400, response.content[:1000]
    events = list(AuditEvent.objects.filter(sequence__gt=before or 0))
    assert [(e.object_type, e.outcome) for e in events] == [(OBJECT_PLAN, "refused")]
    return response.content.decode()


def _snapshot() -> tuple[int, ...]:
    return (
        Plan.objects.count(),
        PlanDecisionRecord.objects.count(),
        PlanCareLevelStep.objects.count(),
        MeasureSet.objects.count(),
        Plan.objects.filter(status=Plan.Status.ACTIVE).count(),
    )


def test_prepare_refuses_each_field(world: World) -> None:
    mood_plan(world)
    Plan.objects.all().delete()
    before = _snapshot()
    body = _refused_once(
        world,
        "prepare/",
        {"modality": "telepathy", "max_at_once": "٣", "exclude": ["yoga"], "flag": ["x"]},
    )
    for target in ("err-modality", "max-help err-max", "err-excluded"):
        assert f'aria-describedby="{target}"' in body
    assert _snapshot() == before


def test_prepare_refuses_too_long_words(world: World) -> None:
    mood_plan(world)
    plan = Plan.objects.get()
    body = _refused_once(
        world,
        "prepare/",
        {"exclude": ["g_schema"], "exclude-g_schema-words": "x" * 501},
    )
    assert 'aria-describedby="err-excluded"' in body
    plan.refresh_from_db()
    assert "g_schema" not in plan.preferences.get("excluded_modules", {})


@pytest.mark.parametrize(
    ("data", "field"),
    [
        ({"module": "nope", "action": "add", "reason": "x"}, "module"),
        ({"module": "g_schema", "action": "shred", "reason": "x"}, "action"),
        ({"module": "g_schema", "action": "remove", "reason": "   "}, "reason"),
        ({"module": "g_schema", "action": "remove", "reason": "x" * 2001}, "reason"),
    ],
)
def test_decide_refuses_each_field(world: World, data: dict[str, str], field: str) -> None:
    mood_plan(world)
    before = _snapshot()
    _refused_once(world, "decide/", data)
    assert _snapshot() == before


@pytest.mark.parametrize(
    "change",
    [
        {"goal-0-baseline": ""},  # the starting level is chosen, never preset
        {"goal-0-baseline": "-3"},
        {"goal-1-level2": ""},
        {"goal-0-weight": "0"},
        {"goal-0-weight": "0,004"},  # would be recorded as 0
        {"goal-0-name": "x" * 201},
    ],
)
def test_goals_refuse_each_row(world: World, change: dict[str, str]) -> None:
    mood_plan(world)
    before = _snapshot()
    body = _refused_once(world, "goals/", {**GOALS, **change})
    assert 'aria-describedby="err-goal-' in body
    assert _snapshot() == before


def test_goals_without_a_goal_are_refused_above_the_rows(world: World) -> None:
    mood_plan(world)
    before = _snapshot()
    body = _refused_once(world, "goals/", {"goal-0-weight": "1", "goal-0-baseline": "-1"})
    assert "Stel 1 tot 5 doelen." in body
    assert _snapshot() == before


def test_activate_without_goals_is_refused(world: World) -> None:
    mood_plan(world)
    before = _snapshot()
    _refused_once(world, "activate/", {})
    assert _snapshot() == before


REVISION_CASES: list[tuple[str, Callable[[World], object], dict[str, str]]] = [
    ("revise/", with_active_plan, {"revision_reason": "  "}),
    ("revise/", with_active_plan, {"revision_reason": "x" * 2001}),
    ("discard-revision/", with_revision, {"discard_reason": ""}),
    ("step-up/", with_revision, {"to_level": "nowhere", "step_reason": "Stagnatie"}),
    ("step-up/", with_revision, {"to_level": "", "step_reason": ""}),
    ("complete/", with_active_plan, {"end_note": ""}),
]


@pytest.mark.parametrize(("what", "make", "data"), REVISION_CASES)
def test_revision_changes_refuse_their_fields(
    world: World, what: str, make: Callable[[World], object], data: dict[str, str]
) -> None:
    world_plan(world, goals=True)
    make(world)
    before = _snapshot()
    body = _refused_once(world, what, data)
    assert "errorlist" in body
    assert _snapshot() == before


def test_regiebehandelaar_refuses_someone_outside_the_care_team(world: World) -> None:
    mood_plan(world)
    before = _snapshot()
    _refused_once(world, "regiebehandelaar/", {"member": "not-a-member"})
    _refused_once(world, "regiebehandelaar/", {"member": "x" * 65})
    assert _snapshot() == before
    assert Plan.objects.get().regiebehandelaar is None

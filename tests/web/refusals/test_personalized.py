"""Refusals of the personalized measures (issue 11): for every POST URL of the app,
invalid input gives the error on its field (status 400, the page again), nothing is
saved, and exactly one ``refused`` audit event is written."""

from __future__ import annotations

import pytest

from maatwerk.web.audit.audited import InputRefused
from maatwerk.web.audit.models import AuditEvent
from maatwerk.web.personalized.forms import GasForm
from maatwerk.web.personalized.models import MeasureItem, Measurement, MeasureSet
from maatwerk.web.personalized.selectors import OBJECT_MEASUREMENT, OBJECT_SET
from tests.web.world import World

pytestmark = pytest.mark.django_db

COVERED_URL_NAMES = {
    "personalized:psk_create",
    "personalized:top_problems_create",
    "personalized:gas_create",
    "personalized:rate",
}

GOALS = {
    "goal-0-name": "30 minuten wandelen",
    "goal-0-weight": "2",
    "goal-0-expected": "3 keer per week 30 minuten",
    "goal-0-baseline": "-1",
    "goal-1-name": "weer naar het koor",
    "goal-1-expected": "1 keer per maand",
    "goal-1-baseline": "-2",
}


def _base(world: World) -> str:
    return f"/personal-measures/patients/{world.patient_a.public_id}/"


def _snapshot(world: World) -> tuple[int, ...]:
    return (
        MeasureSet.objects.count(),
        MeasureSet.objects.filter(is_active=True).count(),
        MeasureItem.objects.count(),
        Measurement.objects.count(),
    )


def _refused_once(
    world: World, role: str, path: str, data: dict[str, str], object_type: str
) -> str:
    """Post invalid ``data``: 400, nothing saved, one refused event; the page's body."""
    before = _snapshot(world)
    last = AuditEvent.objects.order_by("-sequence").values_list("sequence", flat=True).first()
    response = world.client_for(role).post(path, data)
    assert response.status_code == 400, response.content[:1000]
    events = list(AuditEvent.objects.filter(sequence__gt=last or 0))
    assert [(e.action, e.object_type, e.outcome, e.patient_ref) for e in events] == [
        ("create", object_type, "refused", str(world.patient_a.public_id))
    ]
    assert _snapshot(world) == before
    return response.content.decode()


@pytest.mark.parametrize(
    ("data", "field", "message"),
    [
        (
            {"activity-0": "x" * 201, "activity-1": "koken", "activity-2": "lopen"},
            "activity-0",
            "Houd elke naam korter dan 200 tekens.",
        ),
        ({"activity-0": "koken", "activity-1": "lopen"}, None, "Schrijf 3 tot 5 activiteiten op."),
    ],
)
def test_psk_activities_are_refused_on_their_field(
    world: World, data: dict[str, str], field: str | None, message: str
) -> None:
    body = _refused_once(world, "clinician_treating", _base(world) + "psk/new/", data, OBJECT_SET)
    assert message in body
    if field is not None:
        assert f'aria-describedby="err-{field}"' in body


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"problem-name-0": "moe", "problem-rating-0": "²"}, "Kies een heel getal van 0 tot"),
        ({"problem-name-0": "moe", "problem-rating-0": "11"}, "Kies een heel getal van 0 tot"),
        ({"problem-name-0": "moe"}, "Geef dit probleem een score van 0 tot en met 10."),
        ({"problem-name-0": "x" * 201, "problem-rating-0": "3"}, "korter dan 200 tekens"),
        ({"problem-name-1": "", "problem-rating-1": "4"}, "Elk probleem heeft een naam nodig."),
    ],
)
@pytest.mark.parametrize("role", ["patient_a", "clinician_treating"])
def test_top_problems_are_refused_on_their_row(
    world: World, role: str, data: dict[str, str], message: str
) -> None:
    path = _base(world) + "top-problems/new/"
    body = _refused_once(world, role, path, data, OBJECT_SET)
    assert message in body
    assert 'aria-describedby="err-problem-' in body


@pytest.mark.parametrize(
    ("change", "target"),
    [
        ({"goal-0-baseline": ""}, "err-goal-0"),  # the starting level is chosen, never preset
        ({"goal-1-baseline": "-3"}, "err-goal-1"),
        ({"goal-0-weight": "0"}, "err-goal-0"),
        ({"goal-0-weight": "99999"}, "err-goal-0"),
        ({"goal-0-weight": "NaN"}, "err-goal-0"),
        ({"goal-1-name": "x" * 201}, "err-goal-1"),
        ({"goal-1-expected": ""}, "err-goal-1"),
        ({"measured_on": "2999-01-01"}, "err-measured_on"),
        ({"measured_on": "gisteren"}, "err-measured_on"),
    ],
)
def test_gas_goals_are_refused_on_their_row(
    world: World, change: dict[str, str], target: str
) -> None:
    path = _base(world) + "gas/new/"
    body = _refused_once(world, "clinician_treating", path, GOALS | change, OBJECT_SET)
    assert f'aria-describedby="{target}"' in body


def test_gas_without_a_goal_is_refused_above_the_rows(world: World) -> None:
    # Rows with only a weight or a starting level are no goals (the formset leaves them out).
    blank = {"goal-0-weight": "1", "goal-1-baseline": "-1", "goal-2-name": "  "}
    path = _base(world) + "gas/new/"
    body = _refused_once(world, "clinician_treating", path, blank, OBJECT_SET)
    assert "Stel 1 tot 5 doelen." in body


def test_gas_form_reports_each_problem_on_its_goal_field() -> None:
    form = GasForm(
        GOALS | {"goal-1-name": "x" * 201, "goal-0-baseline": "-3", "goal-5-name": "extra"}
    )
    with pytest.raises(InputRefused) as refused:
        form.goals_on()
    assert set(refused.value.errors) == {"goal-0-baseline", "goal-1-name"}
    assert len(form.rows) == 5  # a sixth row posted is never read


def test_gas_form_keeps_blank_rows_in_their_place() -> None:
    goals, _when = GasForm(GOALS).goals_on()
    assert [goal.name for goal in goals] == [
        "30 minuten wandelen",
        "weer naar het koor",
        "",
        "",
        "",
    ]
    assert goals[0].weight == "2"


@pytest.mark.parametrize("weight", ["0,004", "0.001", "10000"])
def test_a_gas_weight_outside_what_is_recorded_is_refused(world: World, weight: str) -> None:
    # A weight below 0.01 used to be stored as 0, and the set could not be rated again.
    path = _base(world) + "gas/new/"
    body = _refused_once(
        world, "clinician_treating", path, GOALS | {"goal-0-weight": weight}, OBJECT_SET
    )
    assert 'aria-describedby="err-goal-0"' in body
    assert "Vul een gewicht van 0,01 tot en met 9999,99 in." in body


def _ratings(world: World, values: list[str]) -> dict[str, str]:
    items = world.psk_set.items.order_by("position")
    return {f"item-{item.public_id}": v for item, v in zip(items, values, strict=True)}


@pytest.mark.parametrize(
    ("role", "values", "extra", "message"),
    [
        ("patient_a", ["3", "11", "4"], {}, "Kies een heel getal van 0 tot en met 10."),
        ("patient_a", ["3", "٣", "4"], {}, "Kies een heel getal van 0 tot en met 10."),
        ("patient_a", ["3", "", "4"], {}, "Geef deze activiteit een score van 0 tot en met 10."),
        (
            "clinician_treating",
            ["1", "2", "3"],
            {"measured_on": "2999-01-01"},
            "De datum kan niet in de toekomst liggen.",
        ),
    ],
)
def test_ratings_are_refused_on_their_item(
    world: World, role: str, values: list[str], extra: dict[str, str], message: str
) -> None:
    path = f"/personal-measures/sets/{world.psk_set.public_id}/rate/"
    data = _ratings(world, values) | extra
    body = _refused_once(world, role, path, data, OBJECT_MEASUREMENT)
    assert message in body
    bad = [key for key, value in data.items() if value not in "0123456789" or not value]
    if extra:
        assert 'aria-describedby="err-measured_on"' in body
    else:
        assert f'aria-describedby="err-{bad[0].removeprefix("item-")}"' in body


def test_a_replaced_set_can_no_longer_be_rated(world: World) -> None:
    MeasureSet.objects.filter(pk=world.psk_set.pk).update(is_active=False)
    path = f"/personal-measures/sets/{world.psk_set.public_id}/rate/"
    body = _refused_once(
        world, "patient_a", path, _ratings(world, ["1", "2", "3"]), OBJECT_MEASUREMENT
    )
    assert "Deze meting is vervangen door een nieuwe. Je kunt hem niet meer invullen." in body

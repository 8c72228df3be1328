"""Every write of the formulation refuses bad input (issue 11): the error on its field,
nothing saved, and exactly one ``refused`` audit event."""

from __future__ import annotations

import pytest

from maatwerk.web.audit.models import AuditEvent
from maatwerk.web.formulation.models import Formulation, FormulationVersion, PatientResponse
from tests.web.test_formulation import world_formulation
from tests.web.world import World

pytestmark = pytest.mark.django_db

# formulation:share takes no input (it shares the current version): nothing to refuse.
COVERED_URL_NAMES = {
    "formulation:start",
    "formulation:complaints",
    "formulation:consequences",
    "formulation:goals",
    "formulation:plan",
    "formulation:circle",
    "formulation:respond",
}

TOO_LONG = "x" * 1001


def _last() -> int:
    last = AuditEvent.objects.order_by("-sequence").first()
    return last.sequence if last else 0


def _refused_once(before: int, object_type: str = "formulation") -> None:
    events = list(AuditEvent.objects.filter(sequence__gt=before))
    assert [(e.outcome, e.object_type) for e in events] == [("refused", object_type)]


def _rows(prefix: str, *rows: dict[str, str]) -> dict[str, str]:
    data = {f"{prefix}-TOTAL_FORMS": str(len(rows)), f"{prefix}-INITIAL_FORMS": "0"}
    for index, row in enumerate(rows):
        data |= {f"{prefix}-{index}-{name}": value for name, value in row.items()}
    return data


def test_a_start_from_an_unknown_source(world: World) -> None:
    before = _last()
    response = world.client_for("clinician_treating").post(
        f"/formulation/patients/{world.patient_a.public_id}/start/", {"source": "guess"}
    )
    assert response.status_code == 400
    assert 'id="err-source"' in response.content.decode()
    assert not Formulation.objects.exists()
    _refused_once(before)


def test_a_start_from_the_screening_without_a_profile(world: World) -> None:
    before = _last()
    response = world.client_for("clinician_treating").post(
        f"/formulation/patients/{world.patient_a.public_id}/start/", {"source": "screening"}
    )
    assert response.status_code == 400
    assert 'id="err-source"' in response.content.decode()
    assert not Formulation.objects.exists()
    _refused_once(before)


@pytest.mark.parametrize(
    ("page", "data", "field"),
    [
        ("complaints", _rows("complaint", {"text": TOO_LONG}), "complaint-0-text"),
        ("complaints", {"complaint-0-text": "zonder beheerformulier"}, "__all__"),
        (
            "consequences",
            _rows("consequence", {"domain": "spiritual", "words": "x"})
            | _rows("analysis", {"situation": TOO_LONG}),
            "consequence-0-domain",
        ),
        (
            "consequences",
            _rows("consequence") | _rows("analysis", {"situation": TOO_LONG}),
            "analysis-0-situation",
        ),
        ("goals", _rows("goal", {"text": "Wandelen", "feasible": "perhaps"}), "goal-0-feasible"),
        (
            "plan",
            _rows("activity", {"text": "Wandelen", "goal": "no-such-goal"}),
            "activity-0-goal",
        ),
        ("plan", _rows("activity", {"text": "Wandelen", "when": "w" * 201}), "activity-0-when"),
        ("circle", {"action": "add_node", "node-kind": "dream", "node-label": "x"}, "node-kind"),
        ("circle", {"action": "add_edge", "edge-source": "pain", "edge-target": "pain"}, ""),
        ("circle", {"action": "explode"}, ""),
    ],
)
def test_a_step_with_bad_rows(world: World, page: str, data: dict[str, str], field: str) -> None:
    formulation = world_formulation(world)
    versions = FormulationVersion.objects.count()
    before = _last()
    response = world.client_for("clinician_treating").post(
        f"/formulation/{formulation.public_id}/{page}/", data
    )
    assert response.status_code == 400
    body = response.content.decode()
    if field == "__all__" or not field:
        assert 'id="form-errors"' in body or 'class="errorlist"' in body
    else:
        assert f'id="err-{field}"' in body
    assert FormulationVersion.objects.count() == versions
    _refused_once(before)


def test_a_comment_that_says_nothing(world: World) -> None:
    formulation = world_formulation(world)
    before = _last()
    response = world.client_for("patient_a").post(
        f"/formulation/{formulation.public_id}/respond/", {"answer": "comment", "comment": " "}
    )
    assert response.status_code == 400
    assert 'id="err-comment"' in response.content.decode()
    assert not PatientResponse.objects.exists()
    _refused_once(before, "formulation_response")

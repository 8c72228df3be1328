"""Every write of the analysis pages (diary import, links, arrows, norm, sharing) refuses
bad input (issue 11): the error on its field, nothing saved, exactly one ``refused``
audit event."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from maatwerk.web.analysis.models import ChangeNormChoice, EmaImport
from maatwerk.web.audit.models import AuditEvent
from maatwerk.web.demo.network import simulated_diary_csv
from maatwerk.web.formulation.models import FormulationVersion
from tests.web.test_analysis_network import diary_imported, with_circle
from tests.web.test_formulation import world_formulation
from tests.web.world import World

pytestmark = pytest.mark.django_db

COVERED_URL_NAMES = {
    "analysis:upload",
    "analysis:links",
    "analysis:add_arrows",
    "analysis:norm_choice",
    "analysis:share",
}


def _url(world: World, tail: str) -> str:
    return f"/analysis/patients/{world.patient_a.public_id}/{tail}"


def _last() -> int:
    last = AuditEvent.objects.order_by("-sequence").first()
    return last.sequence if last else 0


def _refused_once(before: int, object_type: str, *fields: str) -> None:
    events = list(AuditEvent.objects.filter(sequence__gt=before))
    assert [(e.outcome, e.object_type) for e in events] == [("refused", object_type)], [
        (e.action, e.object_type, e.outcome, e.detail) for e in events
    ]
    for field in fields:
        assert field in events[0].detail


@pytest.mark.parametrize(
    ("fields", "field"),
    [
        ({}, "file"),
        ({"variables": "x" * 501}, "variables"),
        ({"day": "d" * 61}, "day"),
    ],
)
def test_an_upload_without_a_file_or_with_overlong_columns(
    world: World, fields: dict[str, str], field: str
) -> None:
    data: dict[str, object] = {"day": "day", "beep": "beep"} | fields
    if field != "file":
        data["file"] = SimpleUploadedFile("dagboek.csv", simulated_diary_csv(), "text/csv")
    before = _last()
    response = world.client_for("clinician_treating").post(_url(world, "network/upload/"), data)
    assert response.status_code == 400
    assert field in response.context["errors"]
    assert not EmaImport.objects.exists()
    _refused_once(before, "ema_import", field)


@pytest.mark.parametrize(
    ("data", "field"),
    [
        ({"count": "1", "var-0": "v" * 201, "node-0": ""}, "var-0"),
        ({"count": "1", "var-0": "somber", "node-0": "n" * 81}, "node-0"),
        ({"count": "99"}, "count"),
        ({"count": "1", "var-0": "somber", "node-0": "no-such-box"}, "links"),
        ({"count": "1", "var-0": "no-such-question", "node-0": ""}, "links"),
    ],
)
def test_links_that_are_too_long_or_name_nothing_known(
    world: World, data: dict[str, str], field: str
) -> None:
    with_circle(world)
    diary_imported(world)
    links = EmaImport.objects.get().links
    before = _last()
    response = world.client_for("clinician_treating").post(_url(world, "network/links/"), data)
    assert response.status_code == 400
    assert field in response.context["errors"]
    body = response.content.decode()
    assert 'id="err-links"' in body or 'id="err-link-rows"' in body
    assert EmaImport.objects.get().links == links
    _refused_once(before, "ema_import", field)


@pytest.mark.parametrize(
    "data",
    [{}, {"edge": "no bar"}, {"edge": "a|b|c"}, {"edge": ["x|y"] * 51}, {"edge": "pain|nowhere"}],
    ids=["none", "no-bar", "two-bars", "too-many", "unknown-box"],
)
def test_arrows_that_are_missing_malformed_or_unknown(
    world: World, data: dict[str, object]
) -> None:
    world_formulation(world)
    versions = FormulationVersion.objects.count()
    before = _last()
    response = world.client_for("clinician_treating").post(_url(world, "network/add/"), data)
    assert response.status_code == 400
    assert "edge" in response.context["errors"]
    assert 'id="err-edge"' in response.content.decode()
    assert FormulationVersion.objects.count() == versions
    _refused_once(before, "formulation", "edge")


@pytest.mark.parametrize("norm", ["", "nonsense", "x" * 5000])
def test_a_norm_that_is_not_one_of_the_norms(world: World, norm: str) -> None:
    before = _last()
    client = world.client_for("clinician_treating")
    response = client.post(_url(world, "norm/"), {"norm": norm})
    # The norm panel sits on the results page: the refusal is a message there.
    assert response.status_code == 302
    assert not ChangeNormChoice.objects.exists()
    _refused_once(before, "change_norm_choice", "norm")


def test_sharing_before_any_diary_data(world: World) -> None:
    before = _last()
    response = world.client_for("clinician_treating").post(_url(world, "network/share/"))
    assert response.status_code == 400
    assert "share" in response.context["errors"]
    assert not EmaImport.objects.exists()
    _refused_once(before, "personal_network", "share")

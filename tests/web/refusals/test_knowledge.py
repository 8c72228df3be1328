"""Refusals (issue 11): every POST of the organization's knowledge editor refuses invalid
input with errors on the fields, saves nothing, and writes exactly one ``refused`` audit
event; a content problem found by the core is reported on the field it belongs to."""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass

import pytest

from maatwerk.core.knowledge.registry import bundled_texts
from maatwerk.web.audit.models import AuditEvent
from maatwerk.web.knowledge.models import KnowledgeRevision
from tests.web.world import World

COVERED_URL_NAMES = {
    "knowledge:edit",
    "knowledge:factor_thresholds",
    "knowledge:history",
    "knowledge:restore_bundled",
    "knowledge:stepped_care_switches",
}
BASE = "/organization/knowledge"


def _factors_with_unknown_instrument() -> str:
    document = json.loads(bundled_texts()["factors.json"])
    document["version"] = "1.1"
    [mood] = [f for f in document["factors"] if f["id"] == "negative_mood"]
    mood["measures"][0]["instrument"] = "phq99"
    return json.dumps(document)


def _factors_saved(world: World) -> str:
    """An own version of the factors (so there is something to go back from)."""
    document = json.loads(bundled_texts()["factors.json"])
    document["version"] = "1.1"
    response = world.client_for("org_admin").post(
        f"{BASE}/knowledge/factors/edit/",
        {"document": json.dumps(document), "comment": "our own version"},
    )
    assert response.status_code == 302
    return f"{BASE}/knowledge/factors/restore-bundled/"


@dataclass(frozen=True)
class Refusal:
    path: Callable[[World], str]
    data: dict[str, str]
    fields: set[str]  # the fields named in the refusal


REFUSALS: dict[str, Refusal] = {
    "knowledge:edit": Refusal(
        lambda w: f"{BASE}/knowledge/factors/edit/",
        {"document": "", "comment": "x" * 1001, "base_revision": "y" * 65},
        {"document", "comment", "base_revision"},
    ),
    "knowledge:edit (content)": Refusal(
        lambda w: f"{BASE}/knowledge/factors/edit/",
        {"document": _factors_with_unknown_instrument(), "comment": "a new questionnaire"},
        {"document"},
    ),
    "knowledge:factor_thresholds": Refusal(
        lambda w: f"{BASE}/knowledge/factors/fear_of_movement/thresholds/",
        {"m0-operator": "≠", "m0-threshold": "²", "m0-note": "n" * 501, "comment": ""},
        {"m0-operator", "m0-threshold", "m0-note", "comment"},
    ),
    "knowledge:factor_thresholds (content)": Refusal(
        lambda w: f"{BASE}/knowledge/factors/fear_of_movement/thresholds/",
        {"m0-operator": ">", "m0-threshold": "999", "comment": "our pain team"},
        {"m0-threshold"},
    ),
    "knowledge:history": Refusal(
        lambda w: f"{BASE}/knowledge/factors/history/",
        {"revision": "not-a-version", "comment": ""},
        {"revision", "comment"},
    ),
    "knowledge:restore_bundled": Refusal(
        lambda w: f"{BASE}/knowledge/factors/restore-bundled/",
        {"comment": "   "},
        {"comment"},
    ),
    "knowledge:restore_bundled (already bundled)": Refusal(
        lambda w: f"{BASE}/knowledge/factors/restore-bundled/",
        {"comment": "back to the bundled one"},
        {"__all__"},
    ),
    "knowledge:restore_bundled (content kept)": Refusal(
        _factors_saved,
        {"comment": "x" * 1001},
        {"comment"},
    ),
    "knowledge:stepped_care_switches": Refusal(
        lambda w: f"{BASE}/screening/stepped_care/switches/",
        {
            "min_elevated": "٣x",
            "severe_more_than_weeks": "-1",
            "raise_steps": "9",
            "clusters_at_most": "extreme",
            "raise_at_most": "moderate",
            "first_presentation_at_most": "moderate",
            "comment": "",
        },
        {"min_elevated", "severe_more_than_weeks", "raise_steps", "clusters_at_most", "comment"},
    ),
}


def test_every_covered_url_has_a_refusal_case() -> None:
    assert {name.split(" ")[0] for name in REFUSALS} == COVERED_URL_NAMES


@pytest.mark.parametrize("case", sorted(REFUSALS))
def test_invalid_input_is_refused_on_its_fields_and_audited_once(world: World, case: str) -> None:
    refusal = REFUSALS[case]
    client = world.client_for("org_admin")
    path = refusal.path(world)
    revisions = list(KnowledgeRevision.objects.values_list("pk", "is_active"))
    last = AuditEvent.objects.order_by("-sequence").first()
    response = client.post(path, refusal.data)
    assert response.status_code == 400, response.content[:300]
    assert refusal.fields <= set(response.context["form"].errors), response.context["form"].errors
    assert list(KnowledgeRevision.objects.values_list("pk", "is_active")) == revisions
    events = list(
        AuditEvent.objects.filter(sequence__gt=last.sequence if last else 0).order_by("sequence")
    )
    assert [(e.outcome, e.object_type) for e in events] == [("refused", "knowledge_content")], [
        (e.action, e.object_type, e.outcome, e.detail) for e in events
    ]
    for field in refusal.fields:
        assert field in events[0].detail


def test_a_content_problem_is_shown_on_its_field_in_the_users_language(world: World) -> None:
    """The core's English message, translated, on the threshold it is about."""
    response = world.client_for("org_admin").post(
        f"{BASE}/knowledge/factors/fear_of_movement/thresholds/",
        {"m0-operator": ">", "m0-threshold": "999", "comment": "our pain team"},
    )
    assert response.status_code == 400
    [measure_form] = [form for _p, _m, form in response.context["form"].measures]
    [message] = measure_form.errors["threshold"]
    assert message.startswith("De drempelwaarde 999 ligt buiten het bereik"), message


def test_an_unknown_collection_or_factor_is_an_audited_denial(world: World) -> None:
    client = world.client_for("org_admin")
    for path in (
        f"{BASE}/knowledge/nonsense/edit/",
        f"{BASE}/knowledge/factors/no_such_factor/thresholds/",
    ):
        last = AuditEvent.objects.order_by("-sequence").first()
        response = client.post(path, {"comment": "why"})
        assert response.status_code == 404
        events = list(AuditEvent.objects.filter(sequence__gt=last.sequence if last else 0))
        assert [(e.outcome, e.object_type) for e in events] == [("denied", "knowledge_content")]

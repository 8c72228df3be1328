"""The emergency search ("noodknop", issue 16): throttled per clinician in the shared
security state, and the patient it finds sees the search in "who opened my file"."""

from __future__ import annotations

import pytest
from django.test import override_settings

from maatwerk.web.audit.models import AuditEvent
from tests.web.world import World

SEARCH = "/clinic/emergency/"
ALPHA = {"full_name": "Patient Alpha", "birth_year": "1980"}


def _last() -> AuditEvent:
    event = AuditEvent.objects.order_by("-sequence").first()
    assert event is not None
    return event


def test_the_patient_found_is_named_on_the_search_event(world: World) -> None:
    client = world.client_for("clinician_other_team")
    response = client.get(SEARCH, ALPHA)
    assert response.status_code == 200
    assert world.patient_a.full_name in response.content.decode()
    event = _last()
    assert (event.action, event.object_type, event.outcome) == (
        "search",
        "patient_identity",
        "success",
    )
    assert event.patient_ref == str(world.patient_a.public_id)


def test_the_patient_sees_the_search_in_who_opened_my_file(world: World) -> None:
    world.client_for("clinician_other_team").get(SEARCH, ALPHA)
    log = world.client_for("patient_a").get("/portal/access-log/")
    assert log.status_code == 200
    rows = list(log.context["page"])
    searched = [e for e in rows if e.action == "search" and e.object_type == "patient_identity"]
    # The log shows the person who searched (grouped lines carry the name, not the id).
    assert [e.user_display for e in searched] == [str(world.users["clinician_other_team"])]


def test_a_search_that_finds_nobody_names_no_patient(world: World) -> None:
    client = world.client_for("clinician_other_team")
    assert client.get(SEARCH, {"full_name": "Nobody Here", "birth_year": "1950"}).status_code == 200
    event = _last()
    assert (event.action, event.patient_ref, event.detail) == (
        "search",
        "",
        "emergency search, 0 found",
    )


@override_settings(MAATWERK_EMERGENCY_SEARCH_LIMIT=3)
def test_searches_past_the_limit_are_refused_and_audited(world: World) -> None:
    client = world.client_for("clinician_other_team")
    for _ in range(3):
        assert client.get(SEARCH, {"full_name": "Nobody", "birth_year": "1950"}).status_code == 200
    before = AuditEvent.objects.count()
    response = client.get(SEARCH, ALPHA)
    assert response.status_code == 429
    assert response.context["results"] is None
    assert AuditEvent.objects.count() == before + 1
    event = _last()
    assert (event.action, event.outcome, event.detail) == (
        "search",
        "denied",
        "emergency search throttled",
    )
    # Another clinician has their own count.
    other = world.client_for("clinician_treating")
    assert other.get(SEARCH, ALPHA).status_code == 200


@pytest.mark.parametrize("birth_year", ["1980x", "abc", ""])
def test_unreadable_search_input_shows_the_form_and_searches_nothing(
    world: World, birth_year: str
) -> None:
    client = world.client_for("clinician_other_team")
    before = AuditEvent.objects.count()
    response = client.get(SEARCH, {"full_name": "Patient Alpha", "birth_year": birth_year})
    assert response.status_code == 400
    assert response.context["results"] is None
    assert "birth_year" in response.context["form"].errors
    assert AuditEvent.objects.count() == before + 1
    event = _last()
    assert (event.outcome, event.patient_ref, event.detail) == (
        "refused",
        "",
        "refused: birth_year",
    )

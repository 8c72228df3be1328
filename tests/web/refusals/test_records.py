"""Refusals of the records pages: a destruction request and a decision with bad input
show the error on the field, save nothing and write exactly one refused event."""

from __future__ import annotations

import pytest

from maatwerk.web.audit.models import AuditEvent
from maatwerk.web.records.models import DestructionRequest
from tests.web.test_records_destruction import ask, gp_client
from tests.web.world import World

COVERED_URL_NAMES = {"records:mine_destruction", "records:decide"}

REQUEST = "/records/mine/destruction/"


@pytest.mark.parametrize(
    ("data", "error"),
    [
        ({"confirm": "on"}, "Kies minstens één deel."),
        ({"parts": ["everything"], "confirm": "on"}, "Kies delen uit de lijst."),
        ({"parts": ["messages"]}, "Vink dit vakje aan om je verzoek te sturen."),
        (
            {"parts": ["messages"], "confirm": "on", "note": "x" * 1001},
            "Je tekst is te lang. Gebruik hoogstens 1000 tekens.",
        ),
    ],
)
def test_a_refused_destruction_request_shows_the_error_and_saves_nothing(
    world: World, data: dict[str, object], error: str
) -> None:
    before = AuditEvent.objects.count()
    response = world.client_for("patient_a").post(REQUEST, data)
    assert response.status_code == 400
    assert error in response.content.decode()
    assert not DestructionRequest.objects.exists()
    events = list(AuditEvent.objects.order_by("sequence"))[before:]
    writes = [(e.action, e.object_type, e.outcome) for e in events]
    assert writes == [("create", "destruction_request", "refused")]


@pytest.mark.parametrize(
    ("data", "error"),
    [
        ({}, "Kies of je vernietigt of weigert."),
        (
            {"decision": "refuse", "reason": "Er loopt een klacht over de zorg."},
            "Kies de wettelijke grond voor de weigering.",
        ),
        (
            {"decision": "refuse", "ground": "legal_retention", "reason": "kort"},
            "Leg de weigering aan de patiënt uit in minstens 10 tekens.",
        ),
        (
            {"decision": "refuse", "ground": "legal_retention", "reason": "x" * 2001},
            "De reden is te lang. Gebruik hoogstens 2000 tekens.",
        ),
    ],
)
def test_a_refused_decision_shows_the_error_and_destroys_nothing(
    world: World, data: dict[str, str], error: str
) -> None:
    request = ask(world, ["messages"])
    client = gp_client(world)
    before = AuditEvent.objects.count()
    response = client.post(f"/records/destruction/{request.public_id}/decide/", data)
    assert response.status_code == 400
    assert error in response.content.decode()
    request.refresh_from_db()
    assert request.status == DestructionRequest.Status.OPEN
    events = list(AuditEvent.objects.order_by("sequence"))[before:]
    writes = [(e.action, e.object_type, e.outcome) for e in events]
    assert writes == [("update", "destruction_request", "refused")]

"""The parent view (issue 12 item 8): a parent of a child (or of a patient for whom the
screening notes a parent is involved) reads the child's plan and homework — read-only,
without the child's answers, audited; a partner or a parent of an adult is refused."""

from __future__ import annotations

import pytest
from django.test import Client
from django.utils import timezone

from maatwerk.web.audit.models import AuditEvent
from maatwerk.web.treatment.models import RelativeAccess
from tests.web.test_treatment import (
    G_SCHEMA_ANSWERS,
    _accept_from_mail,
    world_module,
    world_response,
)
from tests.web.world import World


def _parent(world: World, relation: str = "parent") -> tuple[Client, RelativeAccess]:
    response = world.client_for("clinician_treating").post(
        f"/treatment/patients/{world.patient_a.public_id}/relatives/",
        {"email": "ouder@a.test", "full_name": "Ouder", "relation": relation, "consent": "yes"},
    )
    assert response.status_code == 200
    client = Client()
    return client, _accept_from_mail(client, RelativeAccess.objects.get())


def _child(world: World) -> None:
    world.patient_a.birth_year = timezone.localdate().year - 12
    world.patient_a.save(update_fields=["birth_year"])


def _url(relative: RelativeAccess) -> str:
    return f"/treatment/shared/{relative.public_id}/child/"


def test_a_parent_reads_the_plan_and_which_homework_is_done_not_the_answers(
    world: World,
) -> None:
    _child(world)
    world_response(world)  # the G-schema's first entry, handed in
    world_module(world, "complaints_diary")
    client, relative = _parent(world)
    shared = client.get(f"/treatment/shared/{relative.public_id}/").content.decode()
    assert f'href="{_url(relative)}"' in shared
    before = AuditEvent.objects.order_by("-sequence").first()
    page = client.get(_url(relative))
    assert page.status_code == 200
    body = page.content.decode()
    assert "Het plan van" in body
    assert "Mijn G-schema 1: ingeleverd op" in body
    assert "Mijn G-schema 2: nog niet begonnen" in body
    assert "Mijn klachtendagboek: nog niet begonnen" in body
    for secret in G_SCHEMA_ANSWERS.values():
        if isinstance(secret, str) and len(secret) > 3:
            assert secret not in body
    assert "<form" not in body.split("<main", 1)[1].split("</main>", 1)[0]  # read-only
    events = AuditEvent.objects.filter(sequence__gt=before.sequence if before else 0)
    assert [(e.action, e.object_type, e.outcome, e.patient_ref) for e in events] == [
        ("read", "relative_view", "success", str(world.patient_a.public_id))
    ]


def test_a_parent_of_an_adult_is_refused_unless_a_parent_is_involved(world: World) -> None:
    from maatwerk.web.screening.models import ScegsAssessment, Screening

    world.patient_a.birth_year = timezone.localdate().year - 30
    world.patient_a.save(update_fields=["birth_year"])
    client, relative = _parent(world)
    shared = client.get(f"/treatment/shared/{relative.public_id}/").content.decode()
    assert _url(relative) not in shared
    assert client.get(_url(relative)).status_code == 404
    event = AuditEvent.objects.order_by("-sequence").first()
    assert event is not None and (event.object_type, event.outcome) == ("relative_view", "denied")

    screening = Screening.objects.create(
        patient=world.patient_a,
        battery_id="gp_short",
        content_version="1",
        assigned_by=world.memberships["clinician_treating"],
    )
    ScegsAssessment.objects.create(
        screening=screening, parent_involved=True, assessed_by=world.users["clinician_treating"]
    )
    assert client.get(_url(relative)).status_code == 200


@pytest.mark.parametrize("who", ["partner", "stranger"])
def test_a_partner_or_another_person_is_refused(world: World, who: str) -> None:
    _child(world)
    client, relative = _parent(world, relation="partner" if who == "partner" else "parent")
    if who == "stranger":
        client = world.client_for("patient_b")
    assert client.get(_url(relative)).status_code == 404

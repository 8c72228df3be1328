"""Refusals in the questionnaires (and the clinician's questionnaire screens): invalid
input gives the problem on its field, saves nothing and writes exactly one ``refused``
audit event."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import pytest

from maatwerk.web.audit.models import AuditEvent
from maatwerk.web.questionnaires.models import Answer, Assignment
from tests.web.world import World

pytestmark = pytest.mark.django_db

COVERED_URL_NAMES = {
    "questionnaires:answer",
    "questionnaires:submit",
    "clinic:assignment_create",
}


@dataclass(frozen=True)
class Refusal:
    role: str
    path: Callable[[World], str]
    data: dict[str, str]
    status: int
    says: tuple[str, ...]  # the message (Dutch or English) on the page or in the JSON


CASES: dict[str, Refusal] = {
    "answer: out of the options": Refusal(
        "patient_a",
        lambda w: f"/questionnaires/{w.assignment.public_id}/answer/",
        {"item": "phq9_1", "value": "7"},
        400,
        ("Kies een van de antwoorden.", "Choose one of the answers."),
    ),
    "answer: item id too long": Refusal(
        "patient_a",
        lambda w: f"/questionnaires/{w.assignment.public_id}/answer/",
        {"item": "x" * 41, "value": "1"},
        400,
        ("40",),
    ),
    "submit: a word for a number": Refusal(
        "patient_a",
        lambda w: f"/questionnaires/{w.assignment.public_id}/submit/",
        {"item-phq9_1": "veel"},
        400,
        ("Dit antwoord is geen getal.", "This answer is not a number."),
    ),
    "assignment_create: unknown questionnaire": Refusal(
        "clinician_treating",
        lambda w: f"/clinic/patients/{w.patient_a.public_id}/questionnaires/assign/",
        {"instrument": "no_such_instrument", "mode": "self"},
        302,
        (),
    ),
}


@pytest.mark.parametrize("case", sorted(CASES))
def test_invalid_input_is_refused_saves_nothing_and_is_audited_once(
    world: World, case: str
) -> None:
    refusal = CASES[case]
    client = world.client_for(refusal.role)
    before = (Answer.objects.count(), Assignment.objects.count())
    last = AuditEvent.objects.order_by("-sequence").first()
    response = client.post(refusal.path(world), refusal.data)
    assert response.status_code == refusal.status, response.content[:600]
    body = response.content.decode()
    if refusal.says:
        assert any(text in body for text in refusal.says), body[:800]
    if refusal.status == 400 and "submit" in case:
        assert 'class="errorlist"' in body or "error" in body
    assert (Answer.objects.count(), Assignment.objects.count()) == before
    events = list(
        AuditEvent.objects.filter(sequence__gt=last.sequence if last else 0).order_by("sequence")
    )
    assert [e.outcome for e in events] == ["refused"], [
        (e.action, e.object_type, e.outcome, e.detail) for e in events
    ]

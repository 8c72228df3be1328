"""Destruction of parts of the record on the patient's request (BW 7:455): the patient
asks, the responsible clinician (for POH-GGZ care the GP) destroys or refuses on one of
the two legal grounds; the audit trail stays whole and says nothing clinical."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from maatwerk.web.audit.models import AuditEvent
from maatwerk.web.audit.selectors import audit_chain_verify
from maatwerk.web.formulation.models import Formulation, FormulationVersion
from maatwerk.web.organizations.models import Membership
from maatwerk.web.patients.models import CareEpisode, CareTeamMember
from maatwerk.web.planning.models import Plan
from maatwerk.web.questionnaires.models import Answer, Assignment, SafetyAlert
from maatwerk.web.records.models import DestructionRequest, RecordCopy
from maatwerk.web.screening.models import Screening, ScreeningStep
from maatwerk.web.treatment.models import Message
from tests.web.test_background import _patient_sends
from tests.web.test_formulation import world_formulation
from tests.web.test_planning import world_plan
from tests.web.test_screening import world_screening
from tests.web.world import World, make_membership, make_user, sign_in

MINE = "/records/mine/"


def with_gp(world: World) -> Membership:
    """A GP (huisarts) on patient A's care team: responsible for the POH-GGZ care."""
    found = Membership.objects.filter(user__email="gp@a.test").first()
    if found is not None:
        return found
    user = make_user("gp@a.test", "Dokter Huisarts", second_factor=True)
    gp = make_membership(user, world.org_a, "clinician", world.team_treating, "huisarts")
    episode = CareEpisode.objects.get(patient=world.patient_a)
    CareTeamMember.objects.create(episode=episode, membership=gp)
    world.users["gp"] = user
    return gp


def gp_client(world: World):  # type: ignore[no-untyped-def]
    with_gp(world)
    if "gp" not in world.clients:
        from django.test import Client

        world.clients["gp"] = sign_in(Client(), world.users["gp"])
    return world.clients["gp"]


def ask(world: World, parts: list[str], note: str = "") -> DestructionRequest:
    response = world.client_for("patient_a").post(
        MINE + "destruction/", {"parts": parts, "note": note, "confirm": "on"}
    )
    assert response.status_code == 302, response.content[:300]
    return DestructionRequest.objects.latest("requested_at")


def world_destruction_request(world: World) -> DestructionRequest:
    found = DestructionRequest.objects.filter(patient=world.patient_a).first()
    return found if found is not None else ask(world, ["messages"])


def test_the_patient_asks_and_sees_the_three_month_deadline(world: World) -> None:
    request = ask(world, ["questionnaires", "messages"], "Ik wil dit niet meer bewaard.")
    assert request.parts == ["messages", "questionnaires"]
    today = timezone.localdate()
    assert request.deadline > today + timedelta(days=88)
    assert request.deadline <= today + timedelta(days=92)
    page = world.client_for("patient_a").get(MINE).content.decode()
    assert "Wachten op een besluit" in page or "Waiting for a decision" in page
    event = AuditEvent.objects.filter(object_type="destruction_request").get()
    assert (event.action, event.outcome) == ("create", "success")
    assert "Ik wil" not in event.detail


def test_a_poh_ggz_cannot_decide_the_gp_does(world: World) -> None:
    request = ask(world, ["messages"])
    path = f"/records/destruction/{request.public_id}/decide/"
    response = world.client_for("clinician_treating").post(path, {"decision": "grant"})
    assert response.status_code == 403
    denied = AuditEvent.objects.order_by("-sequence").first()
    assert denied is not None and denied.outcome == "denied"
    request.refresh_from_db()
    assert request.status == DestructionRequest.Status.OPEN
    # Another team's clinician does not even see it.
    assert (
        world.client_for("clinician_other_team").post(path, {"decision": "grant"}).status_code
        == 404
    )


def test_a_grant_destroys_the_parts_in_one_go_and_keeps_the_audit_chain_whole(
    world: World,
) -> None:
    world_formulation(world)
    _patient_sends(world, "Mijn buikpijn is erger.")
    Answer.objects.create(
        assignment=world.assignment, item_id="phq9_1", value=2, answered_by=world.users["patient_a"]
    )
    RecordCopy.objects.create(
        patient=world.patient_a,
        requested_by=world.users["patient_a"],
        expires_at=timezone.now() + timedelta(days=7),
        status=RecordCopy.Status.READY,
        fhir_bundle=b"{}",
        pdf=b"%PDF",
    )
    events_before = AuditEvent.objects.count()
    request = ask(world, ["questionnaires", "messages", "formulation"])
    client = gp_client(world)
    last = AuditEvent.objects.order_by("-sequence").values_list("sequence", flat=True).first()
    response = client.post(
        f"/records/destruction/{request.public_id}/decide/", {"decision": "grant"}
    )
    assert response.status_code == 302
    # One call, one event (the audit coverage test leaves this URL to this test).
    decided = list(AuditEvent.objects.filter(sequence__gt=last or 0))
    assert [(e.action, e.object_type, e.outcome, e.user_ref) for e in decided] == [
        ("update", "destruction_request", "success", str(world.users["gp"].public_id))
    ]
    assert not Assignment.objects.filter(patient=world.patient_a).exists()
    assert not Answer.objects.exists()
    assert not SafetyAlert.objects.filter(patient=world.patient_a).exists()
    assert not Message.objects.filter(patient=world.patient_a).exists()
    assert not Formulation.objects.filter(patient=world.patient_a).exists()
    assert not FormulationVersion.objects.exists()
    # Parts not asked for and the administrative data stay.
    assert world.psk_set.items.count() == 3
    assert CareEpisode.objects.filter(patient=world.patient_a).exists()
    request.refresh_from_db()
    assert request.status == DestructionRequest.Status.GRANTED and request.destroyed_rows > 4
    # Earlier copies hold the destroyed data: emptied.
    assert not RecordCopy.objects.filter(status=RecordCopy.Status.READY).exists()
    # The trail is whole, grew, and the event says how much, not what.
    assert AuditEvent.objects.count() > events_before
    assert audit_chain_verify().ok
    event = AuditEvent.objects.order_by("-sequence").exclude(action="read").first()
    assert event is not None
    assert (event.action, event.object_type, event.outcome) == (
        "update",
        "destruction_request",
        "success",
    )
    assert event.detail.startswith(f"destroyed {request.destroyed_rows} rows:")
    assert "buikpijn" not in event.detail
    # Older events about the destroyed data are still there.
    assert AuditEvent.objects.filter(
        patient_ref=str(world.patient_a.public_id), object_type="messages"
    ).exists()


def test_a_refusal_names_a_legal_ground_and_the_patient_reads_the_reason(world: World) -> None:
    request = ask(world, ["messages"])
    _patient_sends(world, "Bewaar dit")
    reason = "Er loopt een klacht; het dossier is nodig voor de behandeling daarvan."
    response = gp_client(world).post(
        f"/records/destruction/{request.public_id}/decide/",
        {"decision": "refuse", "ground": "other_person_interest", "reason": reason},
    )
    assert response.status_code == 302
    request.refresh_from_db()
    assert request.status == DestructionRequest.Status.REFUSED
    assert Message.objects.filter(patient=world.patient_a).exists()
    assert reason in world.client_for("patient_a").get(MINE).content.decode()
    event = AuditEvent.objects.order_by("-sequence").exclude(action="read").first()
    assert event is not None and event.detail == "refused: other_person_interest"


@pytest.mark.parametrize(
    ("data", "field", "message"),
    [
        ({"decision": "refuse", "reason": "Een wettelijke bewaarplicht."}, "ground", "grond"),
        ({"decision": "refuse", "ground": "legal_retention", "reason": "kort"}, "reason", "10"),
        ({"decision": "refuse", "ground": "zin", "reason": "Een lange reden hier."}, "ground", ""),
        ({"decision": "maybe"}, "decision", ""),
    ],
)
def test_a_decision_without_ground_or_reason_is_refused_and_changes_nothing(
    world: World, data: dict[str, str], field: str, message: str
) -> None:
    request = ask(world, ["messages"])
    before = AuditEvent.objects.count()
    response = gp_client(world).post(f"/records/destruction/{request.public_id}/decide/", data)
    assert response.status_code == 400
    assert f'id="id_{field}' in response.content.decode() or field in response.content.decode()
    assert message in response.content.decode()
    request.refresh_from_db()
    assert request.status == DestructionRequest.Status.OPEN
    events = list(AuditEvent.objects.order_by("sequence"))[before:]
    assert [(e.action, e.object_type, e.outcome) for e in events] == [
        ("update", "destruction_request", "refused")
    ]


def test_a_decided_request_cannot_be_decided_again(world: World) -> None:
    request = ask(world, ["messages"])
    client = gp_client(world)
    path = f"/records/destruction/{request.public_id}/decide/"
    assert client.post(path, {"decision": "grant"}).status_code == 302
    assert client.post(path, {"decision": "grant"}).status_code == 400


def test_overdue_requests_surface_to_the_team(world: World) -> None:
    request = ask(world, ["messages"])
    DestructionRequest.objects.filter(pk=request.pk).update(
        deadline=timezone.localdate() - timedelta(days=1)
    )
    page = world.client_for("clinician_treating").get("/records/open-requests/")
    assert page.status_code == 200
    body = page.content.decode()
    assert world.patient_a.full_name in body
    assert "te laat" in body or "overdue" in body
    other = world.client_for("clinician_other_team").get("/records/open-requests/")
    assert world.patient_a.full_name not in other.content.decode()
    dossier = world.client_for("clinician_treating").get(
        f"/clinic/patients/{world.patient_a.public_id}/"
    )
    assert f"/records/patients/{world.patient_a.public_id}/" in dossier.content.decode()
    assert "/records/open-requests/" in dossier.content.decode()


def test_references_from_parts_that_stay_are_cleared_or_block_the_destruction(
    world: World,
) -> None:
    """A screening's steps point at its questionnaires (a nullable reference): destroying
    the questionnaires clears it. A plan is made from a screening profile (a key that may
    not be empty): destroying the screening alone is refused and deletes nothing."""
    screening = world_screening(world)
    world_plan(world)
    steps = ScreeningStep.objects.filter(screening=screening, assignment__isnull=False)
    assert steps.exists()
    client = gp_client(world)

    alone = ask(world, ["screening"])
    response = client.post(f"/records/destruction/{alone.public_id}/decide/", {"decision": "grant"})
    assert response.status_code == 400
    assert "Behandelplan en doelen" in response.content.decode()
    assert Screening.objects.filter(pk=screening.pk).exists()
    assert Assignment.objects.filter(patient=world.patient_a).exists()

    questionnaires = ask(world, ["questionnaires"])
    response = client.post(
        f"/records/destruction/{questionnaires.public_id}/decide/", {"decision": "grant"}
    )
    assert response.status_code == 302
    assert not Assignment.objects.filter(patient=world.patient_a).exists()
    assert ScreeningStep.objects.filter(screening=screening).exists()
    assert not ScreeningStep.objects.filter(screening=screening, assignment__isnull=False).exists()
    assert Plan.objects.filter(patient=world.patient_a).exists()
    assert audit_chain_verify().ok

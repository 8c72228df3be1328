"""Treatment in a real consult (issue 12): homework never disappears once handed in,
exercises that ask for several entries hold several, a plan's modules open round by
round, and inviting a partner or parent tells nothing about an e-mail address and claims
none (issue 16, finding 6)."""

from __future__ import annotations

import pytest
from django.core import mail
from django.test import Client

from maatwerk.web.accounts.models import User
from maatwerk.web.audit.models import AuditEvent
from maatwerk.web.patients.models import Patient
from maatwerk.web.treatment.models import ExerciseResponse, ModuleAssignment, RelativeAccess
from tests.web.test_planning import GOALS, _post, mood_plan
from tests.web.test_treatment import (
    G_SCHEMA_ANSWERS,
    PARTNER_PASSWORD,
    _accept_from_mail,
    _save,
    world_module,
)
from tests.web.world import World

pytestmark = pytest.mark.django_db

STATUS = ModuleAssignment.Status


def _submit_url(assignment: ModuleAssignment, exercise_id: str = "g_schema") -> str:
    return f"/treatment/modules/{assignment.public_id}/exercises/{exercise_id}/submit/"


def _hand_in(client: Client, assignment: ModuleAssignment, answers: dict[str, str], **extra: str):  # type: ignore[no-untyped-def]
    return client.post(
        _submit_url(assignment),
        {"action": "hand_in", **extra, **{f"f-{k}": v for k, v in answers.items()}},
    )


# ------------------------------------------------------------------ homework versions


def test_hand_in_then_edit_the_clinician_still_sees_the_handed_in_version_and_the_new_one(
    world: World,
) -> None:
    assignment = world_module(world)
    patient = world.client_for("patient_a")
    clinician = world.client_for("clinician_treating")
    assert _hand_in(patient, assignment, G_SCHEMA_ANSWERS).status_code == 302
    response = ExerciseResponse.objects.get(assignment=assignment, exercise_id="g_schema")

    # "Aanpassen of meer invullen", then a change typed in.
    assert patient.post(_submit_url(assignment), {"action": "reopen"}).status_code == 302
    changed_text = "Ik tilde de boodschappen en voelde weer een steek."
    assert _save(patient, assignment, "event", changed_text, 10**13).status_code == 200
    response.refresh_from_db()
    assert response.status == ExerciseResponse.Status.CHANGED
    assert response.submitted_at is not None

    # Still in the inbox, marked as changed after handing in.
    inbox = clinician.get("/treatment/inbox/").content.decode()
    assert f"/treatment/responses/{response.public_id}/" in inbox
    assert "aangepast na inleveren" in inbox or "changed after handing in" in inbox
    # The response shows the version handed in and the changed one.
    page = clinician.get(f"/treatment/responses/{response.public_id}/")
    body = page.content.decode()
    assert page.status_code == 200
    assert G_SCHEMA_ANSWERS["event"] in body and changed_text in body
    assert 'name="text"' in body  # feedback on the handed-in version is still possible

    # Handed in again: version 2; version 1 stays readable.
    changed = {**G_SCHEMA_ANSWERS, "event": changed_text}
    assert _hand_in(patient, assignment, changed).status_code == 302
    response.refresh_from_db()
    assert response.status == ExerciseResponse.Status.SUBMITTED
    assert [h.answers["event"] for h in response.hand_ins.order_by("number")] == [
        G_SCHEMA_ANSWERS["event"],
        changed_text,
    ]
    body = clinician.get(f"/treatment/responses/{response.public_id}/").content.decode()
    assert G_SCHEMA_ANSWERS["event"] in body and changed_text in body


def test_feedback_then_a_change_keeps_the_feedback_with_its_version(world: World) -> None:
    assignment = world_module(world)
    patient = world.client_for("patient_a")
    clinician = world.client_for("clinician_treating")
    _hand_in(patient, assignment, G_SCHEMA_ANSWERS)
    response = ExerciseResponse.objects.get(assignment=assignment, exercise_id="g_schema")
    given = clinician.post(f"/treatment/responses/{response.public_id}/", {"text": "Goed zo."})
    assert given.status_code == 302
    patient.post(_submit_url(assignment), {"action": "reopen"})
    feedback = response.feedback.get()
    assert feedback.hand_in is not None and feedback.hand_in.number == 1
    # Feedback given and not handed in again: nothing waits in the inbox.
    assert (
        f"/treatment/responses/{response.public_id}/"
        not in clinician.get("/treatment/inbox/").content.decode()
    )


def test_the_g_schema_asks_for_three_entries_and_holds_three(world: World) -> None:
    assignment = world_module(world)
    patient = world.client_for("patient_a")
    module_page = patient.get(f"/treatment/modules/{assignment.public_id}/").content.decode()
    assert "exercises/g_schema/?entry=3" in module_page
    assert "exercises/g_schema/?entry=4" not in module_page
    second = {**G_SCHEMA_ANSWERS, "event": "Tweede moment: bukken in de tuin."}
    assert _hand_in(patient, assignment, G_SCHEMA_ANSWERS, entry="1").status_code == 302
    assert _hand_in(patient, assignment, second, entry="2").status_code == 302
    stored = {
        r.entry: r.answers["event"]
        for r in ExerciseResponse.objects.filter(assignment=assignment, exercise_id="g_schema")
    }
    assert stored == {1: G_SCHEMA_ANSWERS["event"], 2: second["event"]}
    # Autosave of entry 3 goes to entry 3.
    saved = patient.post(
        f"/treatment/modules/{assignment.public_id}/exercises/g_schema/save/?entry=3",
        {"field": "event", "value": '"Derde"', "stamp": "1"},
    )
    assert saved.status_code == 200
    assert ExerciseResponse.objects.get(assignment=assignment, entry=3).answers == {
        "event": "Derde"
    }
    # There is no fourth entry.
    fourth = patient.get(f"/treatment/modules/{assignment.public_id}/exercises/g_schema/?entry=4")
    assert fourth.status_code == 404


# ------------------------------------------------------------------ rounds


def _activate(world: World, **prefs: object) -> list[ModuleAssignment]:
    mood_plan(world, **prefs)
    assert _post(world, "goals/", GOALS).status_code == 302
    assert _post(world, "activate/", {}).status_code == 302
    return list(ModuleAssignment.objects.filter(patient=world.patient_a).order_by("pk"))


def test_a_plan_opens_at_most_its_max_at_once_and_the_next_round_when_this_one_is_done(
    world: World,
) -> None:
    first, second, third = _activate(world, max_at_once="1")
    assert [a.status for a in (first, second, third)] == [
        STATUS.OPEN,
        STATUS.WAITING,
        STATUS.WAITING,
    ]
    assert [a.plan_round for a in (first, second, third)] == [1, 2, 3]
    patient = world.client_for("patient_a")
    home = patient.get("/portal/").content.decode()
    assert "1 module" in home  # "Je hebt 1 module om aan te werken", never all of them
    assert "3 modules" not in home
    # A waiting module takes no answers yet.
    waiting_save = patient.post(
        f"/treatment/modules/{second.public_id}/exercises/g_schema/save/",
        {"field": "event", "value": '"x"', "stamp": "1"},
    )
    assert waiting_save.status_code == 400

    # Round 1 done (its one exercise handed in): round 2 opens, round 3 still waits.
    done = patient.post(
        _submit_url(first, "my_vicious_circle"),
        {"action": "hand_in", "f-complaint": "Rugpijn", "f-keeps_going": "Ik ga liggen."},
    )
    assert done.status_code == 302
    first.refresh_from_db()
    second.refresh_from_db()
    third.refresh_from_db()
    assert (first.status, second.status, third.status) == (
        STATUS.COMPLETED,
        STATUS.OPEN,
        STATUS.WAITING,
    )

    # The clinician may open a waiting module earlier.
    clinician = world.client_for("clinician_treating")
    assert clinician.post(f"/treatment/modules/{third.public_id}/open/").status_code == 302
    third.refresh_from_db()
    assert third.status == STATUS.OPEN and third.opened_at is not None


def test_by_default_three_modules_open_at_once(world: World) -> None:
    given = _activate(world)
    assert len(given) == 3
    assert {a.status for a in given} == {STATUS.OPEN}
    assert {a.plan_round for a in given} == {1}


# ------------------------------------------------------------------ inviting a partner


@pytest.mark.parametrize(
    "address",
    ["staff", "patient", "unknown"],
    ids=["address-of-staff", "address-of-a-patient", "unknown-address"],
)
def test_an_invitation_tells_nothing_about_the_address_and_makes_no_account(
    world: World, address: str
) -> None:
    emails = {
        "staff": world.users["clinician_treating"].email,
        "patient": world.users["patient_b"].email,
        "unknown": "nog.geen.account@a.test",
    }
    email = emails[address]
    users_before = User.objects.count()
    patient = world.client_for("patient_a")
    response = patient.post(
        f"/treatment/patients/{world.patient_a.public_id}/relatives/",
        {"email": email, "full_name": "Iemand", "relation": "partner", "consent": "yes"},
    )
    assert response.status_code == 200
    body = response.content.decode()
    # The same answer for every address: an invitation was sent, nothing more.
    assert f"{email}" in body
    assert "cannot be used" not in body and "kan niet worden gebruikt" not in body
    assert User.objects.count() == users_before  # no account claimed for the address
    relative = RelativeAccess.objects.get(patient=world.patient_a)
    assert relative.user is None and relative.invited_email == email
    assert len(mail.outbox) == 1 and mail.outbox[0].to == [email]


def test_an_unaccepted_invitation_does_not_block_registering_that_address(world: World) -> None:
    patient = world.client_for("patient_a")
    address = "later.patient@a.test"
    patient.post(
        f"/treatment/patients/{world.patient_a.public_id}/relatives/",
        {"email": address, "full_name": "Later", "relation": "partner", "consent": "yes"},
    )
    clinician = world.client_for("clinician_treating")
    registered = clinician.post(
        "/clinic/patients/new/",
        {
            "full_name": "Later Patient",
            "email": address,
            "birth_year": "1990",
            "sex": "male",
            "language": "nl",
            "presenting_complaint": "headache",
            "condition": "tension headache",
        },
    )
    assert registered.status_code == 200  # the page with the patient's invitation link
    assert User.objects.filter(email=address).count() == 1
    assert Patient.objects.filter(user__email=address).exists()


def test_accepting_makes_the_account_and_writes_one_event(world: World) -> None:
    patient = world.client_for("patient_a")
    patient.post(
        f"/treatment/patients/{world.patient_a.public_id}/relatives/",
        {
            "email": "partner.nieuw@a.test",
            "full_name": "Nieuw",
            "relation": "partner",
            "consent": "yes",
        },
    )
    relative = RelativeAccess.objects.get(patient=world.patient_a)
    last = AuditEvent.objects.order_by("-sequence").first()
    partner = Client()
    relative = _accept_from_mail(partner, relative)
    events = list(
        AuditEvent.objects.filter(sequence__gt=last.sequence if last else 0).order_by("sequence")
    )
    assert [(e.action, e.object_type, e.outcome, e.patient_ref) for e in events] == [
        ("update", "relative_access", "success", str(world.patient_a.public_id))
    ]
    assert relative.user is not None and relative.user.check_password(PARTNER_PASSWORD)
    # The link works once.
    link = f"/treatment/relatives/accept/{mail.outbox[-1].body.rsplit('/accept/', 1)[1]}"
    assert Client().get(link.strip()).status_code == 404

"""E-mail that something waits in Maatwerk: to the patient on feedback or a team
message, to the treating clinicians on handed-in homework or a patient message.

The e-mail carries no clinical content (not the message, not the module, not the
patient's name), is in the recipient's language, goes out only after the transaction
commits, and at most once per recipient per 15 minutes for the same kind.
"""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core import mail
from django.db import transaction
from django.utils import timezone

from maatwerk.web.audit.audited import InputRefused
from maatwerk.web.common.actor import actor_for_user
from maatwerk.web.patients.opening import open_child, open_patient
from maatwerk.web.treatment import services
from maatwerk.web.treatment.models import ExerciseResponse as _Response
from maatwerk.web.treatment.models import NotificationSent
from tests.web.test_treatment import G_SCHEMA_ANSWERS, world_module, world_response
from tests.web.world import World

pytestmark = pytest.mark.django_db

DUTCH_BODY = "Er staat een nieuw bericht voor je klaar in Maatwerk."
ENGLISH_BODY = "There is a new message waiting for you in Maatwerk."
LOGIN = "http://testserver/accounts/login/"


def _set_language(world: World, role: str, language: str) -> None:
    user = world.users[role]
    user.language = language
    user.save(update_fields=["language"])


def _patient_sends(world: World, text: str) -> None:
    patient = actor_for_user(world.users["patient_a"], access_point="test")
    access = open_patient(actor=patient, patient_id=str(world.patient_a.public_id), action="create")
    services.message_send(actor=patient, access=access, text=text)


def _assert_content_free(message: mail.EmailMessage, world: World, *secrets: str) -> None:
    text = f"{message.subject}\n{message.body}"
    for secret in (*secrets, world.patient_a.full_name, "G-schema", "g_schema"):
        assert secret not in text


def test_a_patient_message_mails_the_treating_clinician_without_content(
    world: World, django_capture_on_commit_callbacks
) -> None:
    _set_language(world, "clinician_treating", "en")
    patient = world.client_for("patient_a")
    with django_capture_on_commit_callbacks(execute=True):
        sent = patient.post("/treatment/messages/", {"text": "Mijn buikpijn is erger."})
    assert sent.status_code == 302
    # Only the care team of the active episode: the clinician of the other team is not
    # treating patient A and hears nothing.
    assert [m.to for m in mail.outbox] == [[world.users["clinician_treating"].email]]
    (message,) = mail.outbox
    assert message.subject == "New message in Maatwerk"
    assert ENGLISH_BODY in message.body
    assert LOGIN in message.body
    _assert_content_free(message, world, "buikpijn", "Mijn")


def test_feedback_mails_the_patient_in_dutch_with_je(
    world: World, django_capture_on_commit_callbacks
) -> None:
    response = world_response(world)
    clinician = world.client_for("clinician_treating")
    with django_capture_on_commit_callbacks(execute=True):
        clinician.post(f"/treatment/responses/{response.public_id}/", {"text": "Goed gedaan!"})
    (message,) = mail.outbox
    assert message.to == [world.users["patient_a"].email]
    # The patient's language is Dutch (the default). While the coordinator has not
    # merged the Dutch catalog yet, the English text is shown instead.
    assert DUTCH_BODY in message.body or ENGLISH_BODY in message.body
    assert LOGIN in message.body
    _assert_content_free(message, world, "Goed gedaan", G_SCHEMA_ANSWERS["thoughts"])


def test_a_team_message_mails_the_patient(world: World, django_capture_on_commit_callbacks) -> None:
    _set_language(world, "patient_a", "en")
    clinician = world.client_for("clinician_treating")
    with django_capture_on_commit_callbacks(execute=True):
        clinician.post(
            f"/treatment/patients/{world.patient_a.public_id}/messages/", {"text": "Hoe gaat het?"}
        )
    (message,) = mail.outbox
    assert message.to == [world.users["patient_a"].email]
    assert ENGLISH_BODY in message.body
    _assert_content_free(message, world, "Hoe gaat het")


def test_handed_in_homework_mails_the_clinician(
    world: World, django_capture_on_commit_callbacks
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        world_response(world)
    assert [m.to for m in mail.outbox] == [[world.users["clinician_treating"].email]]
    _assert_content_free(mail.outbox[0], world, G_SCHEMA_ANSWERS["event"])


def test_a_draft_that_is_not_complete_mails_nobody(
    world: World, django_capture_on_commit_callbacks
) -> None:
    assignment = world_module(world)
    patient = world.client_for("patient_a")
    url = f"/treatment/modules/{assignment.public_id}/exercises/g_schema/submit/"
    with django_capture_on_commit_callbacks(execute=True):
        page = patient.post(url, {"action": "hand_in", "event": "Alleen dit."})
    assert page.status_code == 400  # fields are missing: not handed in
    assert mail.outbox == []


def test_one_mail_per_recipient_per_quarter_of_an_hour_for_the_same_kind(
    world: World, django_capture_on_commit_callbacks
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        _patient_sends(world, "Eerste")
        _patient_sends(world, "Tweede")
        _patient_sends(world, "Derde")
    assert len(mail.outbox) == 1

    # Another kind (homework) is announced even within the quiet period of messages.
    with django_capture_on_commit_callbacks(execute=True):
        world_response(world)
    assert len(mail.outbox) == 2

    # 14 minutes later: still quiet. 15 minutes after the first: the next one goes.
    sent = NotificationSent.objects.get(
        user=world.users["clinician_treating"], kind=NotificationSent.Kind.MESSAGE
    )
    sent.last_sent_at = timezone.now() - timedelta(minutes=14)
    sent.save()
    with django_capture_on_commit_callbacks(execute=True):
        _patient_sends(world, "Vierde")
    assert len(mail.outbox) == 2
    sent.last_sent_at = timezone.now() - timedelta(minutes=15, seconds=1)
    sent.save()
    with django_capture_on_commit_callbacks(execute=True):
        _patient_sends(world, "Vijfde")
    assert len(mail.outbox) == 3


def test_nothing_is_sent_and_nothing_recorded_when_the_transaction_rolls_back(
    world: World, django_capture_on_commit_callbacks
) -> None:
    class Undo(Exception):
        pass

    with (
        django_capture_on_commit_callbacks(execute=True) as callbacks,
        pytest.raises(Undo),
        transaction.atomic(),
    ):
        _patient_sends(world, "Wordt teruggedraaid")
        raise Undo
    assert callbacks == []
    assert mail.outbox == []
    # The quiet period did not start either: the next real message is announced.
    assert not NotificationSent.objects.exists()
    with django_capture_on_commit_callbacks(execute=True):
        _patient_sends(world, "Echt verstuurd")
    assert len(mail.outbox) == 1


def test_a_refused_feedback_mails_nobody(world: World, django_capture_on_commit_callbacks) -> None:
    response = world_response(world)
    clinician = actor_for_user(world.users["clinician_treating"], access_point="test")
    opened = open_child(
        actor=clinician,
        model=_Response,
        object_id=str(response.public_id),
        action="create",
        object_type="exercise_response",
        patient_path="assignment__patient",
    )
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True), pytest.raises(InputRefused):
        services.feedback_give(actor=clinician, opened=opened, text="   ")
    assert mail.outbox == []

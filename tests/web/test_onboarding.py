"""Onboarding (issue 12 item 9): the invitation is e-mailed by a background task (ids
only, once), with an absolute link, and can be resent; after setting a password the
patient is logged in and reads the privacy statement, and their choice for the optional
parts is stored with its date and the statement's version."""

from __future__ import annotations

import re

import pytest
from django.core import mail
from django.test import Client, override_settings

from maatwerk.web.accounts.models import Invitation
from maatwerk.web.accounts.tasks import invitation_email_send
from maatwerk.web.audit.models import AuditEvent
from maatwerk.web.patients.models import Patient, PrivacyConsent
from maatwerk.web.patients.privacy import PRIVACY_STATEMENT_VERSION
from tests.web.world import World

SITE = "https://maatwerk.example.nl"
PASSWORD = "Een-lang-wachtwoord-2026"


def _register(world: World, email: str = "nieuw@a.test") -> Patient:
    response = world.client_for("clinician_treating").post(
        "/clinic/patients/new/",
        {
            "full_name": "Nieuwe Patiënt",
            "email": email,
            "birth_year": "1990",
            "sex": "female",
            "language": "nl",
        },
    )
    assert response.status_code == 200, response.content[:300]
    return Patient.objects.get(user__email=email)


def _link(body: str) -> str:
    found = re.search(r"(https?://\S+/invite/\S+/)", body)
    assert found, body
    return found.group(1)


@override_settings(MAATWERK_SITE_URL=SITE)
def test_registering_a_patient_e_mails_an_absolute_invitation_link(
    world: World, django_capture_on_commit_callbacks
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        patient = _register(world)
    (message,) = mail.outbox
    assert message.to == ["nieuw@a.test"]
    assert "Nieuwe Patiënt" in message.body
    link = _link(message.body)
    assert link.startswith(f"{SITE}/invite/")
    # The link in the e-mail opens the page to choose a password.
    assert Client().get(link.removeprefix(SITE)).status_code == 200
    assert patient.user is not None


def test_the_task_sends_an_invitation_once_however_often_it_runs(world: World) -> None:
    invitation_id = world.invitation.invitation.pk
    assert invitation_email_send.call(invitation_id) == 1
    assert invitation_email_send.call(invitation_id) == 0
    assert len(mail.outbox) == 1
    # The token is derived again from the id, never passed through the queue.
    assert world.invitation.token in mail.outbox[0].body


def test_a_used_or_revoked_invitation_is_not_sent(world: World) -> None:
    Invitation.objects.filter(pk=world.invitation.invitation.pk).update(
        revoked_at="2026-01-01T00:00Z"
    )
    assert invitation_email_send.call(world.invitation.invitation.pk) == 0
    assert mail.outbox == []


def test_the_invitation_can_be_resent_with_a_new_link(
    world: World, django_capture_on_commit_callbacks
) -> None:
    client = world.client_for("clinician_treating")
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(f"/clinic/patients/{world.patient_a.public_id}/invitation/")
    assert response.status_code == 200
    (message,) = mail.outbox
    link = _link("http://testserver" + _path(message.body))
    assert Client().get(_path(link)).status_code == 200
    # The earlier link stops working.
    assert Client().get(f"/invite/{world.invitation.token}/").status_code == 404


def _path(text: str) -> str:
    found = re.search(r"(/invite/[^/\s]+/)", text)
    assert found, text
    return found.group(1)


def test_after_setting_a_password_the_patient_is_logged_in_and_reads_the_privacy_statement(
    world: World,
) -> None:
    client = Client()
    response = client.post(
        f"/invite/{world.invitation.token}/", {"password1": PASSWORD, "password2": PASSWORD}
    )
    assert response.status_code == 302
    assert response["Location"] == "/portal/privacy/"
    page = client.get("/portal/privacy/")
    assert page.status_code == 200
    text = page.content.decode()
    assert 'href="/portal/access-log/"' in text  # how to see who opened the file
    assert "kopie" in text  # how to ask for a copy
    assert client.get("/portal/").status_code == 200  # logged in, no second login


def test_a_refused_password_is_one_refused_event_and_nobody_is_logged_in(world: World) -> None:
    client = Client()
    before = AuditEvent.objects.count()
    response = client.post(
        f"/invite/{world.invitation.token}/", {"password1": "12345678", "password2": "12345678"}
    )
    assert response.status_code == 400
    assert response.context["form"].errors["password1"]
    assert [e.outcome for e in AuditEvent.objects.order_by("sequence")[before:]] == ["refused"]
    assert client.get("/portal/").status_code == 302


@pytest.mark.parametrize(("email", "research"), [("on", ""), ("", "on"), ("", "")])
def test_the_choice_is_stored_with_date_and_version(
    world: World, email: str, research: str
) -> None:
    client = world.client_for("patient_a")
    data = {k: v for k, v in {"email_notifications": email, "research_use": research}.items() if v}
    response = client.post("/portal/privacy/", data)
    assert response.status_code == 302
    consent = PrivacyConsent.objects.get(patient=world.patient_a)
    assert (consent.email_notifications, consent.research_use) == (bool(email), bool(research))
    assert consent.statement_version == PRIVACY_STATEMENT_VERSION
    assert consent.decided_at is not None
    event = AuditEvent.objects.order_by("-sequence").first()
    assert event is not None
    assert (event.action, event.object_type, event.outcome, event.patient_ref) == (
        "update",
        "consent",
        "success",
        str(world.patient_a.public_id),
    )
    # The page shows the choice made, to change it later.
    again = client.get("/portal/privacy/")
    assert again.context["form"].initial == {
        "email_notifications": bool(email),
        "research_use": bool(research),
    }


def test_only_the_patient_answers_the_privacy_statement(world: World) -> None:
    assert world.client_for("clinician_treating").get("/portal/privacy/").status_code == 404
    assert world.client_for("clinician_treating").post("/portal/privacy/", {}).status_code == 404
    assert not PrivacyConsent.objects.exists()


# --- date of birth ----------------------------------------------------------------------


def _registration(**changes: str) -> dict[str, str]:
    return {
        "full_name": "Jonge Patiënt",
        "email": "jong@a.test",
        "birth_year": "2008",
        "sex": "male",
        "language": "nl",
    } | changes


def test_a_date_of_birth_is_stored_for_the_exact_age(world: World) -> None:
    from datetime import date

    response = world.client_for("clinician_treating").post(
        "/clinic/patients/new/", _registration(birth_date="2008-07-15")
    )
    assert response.status_code == 200
    patient = Patient.objects.get(user__email="jong@a.test")
    assert (patient.birth_year, patient.birth_date) == (2008, date(2008, 7, 15))
    # The year alone would say 18 on both days; the date tells the two apart.
    assert patient.age_on(date(2026, 7, 14)) == 17
    assert patient.age_on(date(2026, 7, 15)) == 18


def test_a_date_of_birth_outside_the_year_of_birth_is_refused(world: World) -> None:
    before = AuditEvent.objects.count()
    response = world.client_for("clinician_treating").post(
        "/clinic/patients/new/", _registration(birth_date="2007-12-31")
    )
    assert response.status_code == 400
    assert "birth_date" in response.context["form"].errors
    assert not Patient.objects.filter(user__email="jong@a.test").exists()
    assert AuditEvent.objects.count() == before + 1


def test_a_patient_with_only_a_year_of_birth_stays_valid(world: World) -> None:
    # Patients registered before the date of birth existed keep their year.
    assert world.patient_a.birth_date is None
    assert world.patient_a.age_on(world.patient_a.created_at.date()) is None
    response = world.client_for("clinician_treating").get(
        f"/clinic/patients/{world.patient_a.public_id}/edit/"
    )
    assert response.status_code == 200
    assert response.context["form"]["birth_date"].value() is None


def test_the_database_keeps_the_date_in_the_year(world: World) -> None:
    from datetime import date

    from django.db import IntegrityError, transaction

    with pytest.raises(IntegrityError), transaction.atomic():
        Patient.objects.filter(pk=world.patient_a.pk).update(birth_date=date(1975, 1, 1))

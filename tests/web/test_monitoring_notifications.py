"""The patient's choice of messages: phone, e-mail (only with consent) or none; pause and
resume; stopping forgets the phone. The worker follows the choice: no message means the
question is only in the app, without a reminder. One audit event per request."""

from __future__ import annotations

import re
from datetime import timedelta
from pathlib import Path

import pytest
from django.test import Client, override_settings
from django.urls import reverse
from django.utils import timezone

from maatwerk.web.audit.models import AuditEvent
from maatwerk.web.monitoring.models import (
    Channel,
    NotificationChoice,
    NotificationPreference,
    PromptState,
    PushSubscription,
)
from maatwerk.web.monitoring.tasks import prompt_remind, prompt_send
from maatwerk.web.patients.models import PrivacyConsent
from tests.web.test_monitoring_answering import _prompt, _schedule
from tests.web.test_monitoring_delivery import _events, _outbox
from tests.web.world import World

URL = "/monitoring/me/notifications/"
DEVICE = {
    "endpoint": "https://push.example.test/send/abc123",
    "keys": {"p256dh": "B" * 87, "auth": "a" * 22},
    "expirationTime": None,
}


@pytest.fixture
def patient(world: World) -> Client:
    return world.client_for("patient_a")


def _audit() -> list[tuple[str, str, str]]:
    return list(
        AuditEvent.objects.order_by("sequence").values_list("action", "outcome", "object_type")
    )


def _consent(world: World, *, email: bool) -> None:
    PrivacyConsent.objects.create(
        patient=world.patient_a,
        statement_version="1",
        email_notifications=email,
        research_use=False,
    )


def test_the_page_shows_what_is_sent_and_when(world: World, patient: Client) -> None:
    _schedule(world)  # every day at 09:00, answer within 30 minutes
    assert reverse("monitoring:notifications") == URL
    before = AuditEvent.objects.count()
    response = patient.get(URL, HTTP_ACCEPT_LANGUAGE="nl")
    assert response.status_code == 200
    html = response.content.decode()
    assert "09:00" in html
    assert "nooit je vraag" in html  # a message never shows the question
    assert AuditEvent.objects.count() == before + 1
    assert _audit()[-1] == ("read", "success", "notification_preference")


def test_email_needs_consent_and_is_refused_without_it(world: World, patient: Client) -> None:
    _consent(world, email=False)
    before = AuditEvent.objects.count()
    response = patient.post(URL, {"action": "save", "choice": "email"}, HTTP_ACCEPT_LANGUAGE="nl")
    assert response.status_code == 400
    assert "privacykeuzes" in " ".join(response.context["form"].errors["choice"])
    assert not NotificationPreference.objects.filter(patient=world.patient_a).exists()
    assert AuditEvent.objects.count() == before + 1
    assert _audit()[-1] == ("update", "refused", "notification_preference")

    _consent(world, email=True)
    response = patient.post(URL, {"action": "save", "choice": "email"})
    assert response.status_code == 302
    assert NotificationPreference.objects.get(patient=world.patient_a).choice == "email"


# Web Push configured (the page only reads that both keys are set).
WEB_PUSH = override_settings(
    MAATWERK_VAPID_PUBLIC_KEY="BPublicKeyForTheTestOnly", MAATWERK_VAPID_PRIVATE_KEY="private"
)
NO_WEB_PUSH = override_settings(MAATWERK_VAPID_PUBLIC_KEY="", MAATWERK_VAPID_PRIVATE_KEY="")


def _push_option(html: str) -> str:
    found = re.search(r'<input[^>]*value="push"[^>]*>', html)
    return found.group(0) if found else ""


@NO_WEB_PUSH
def test_without_web_push_the_phone_is_not_offered(world: World, patient: Client) -> None:
    html = patient.get(URL, HTTP_ACCEPT_LANGUAGE="nl").content.decode()
    assert _push_option(html) == ""
    assert "Een melding op mijn telefoon" not in html
    assert "Meldingen op je telefoon kunnen nog niet." in html
    assert 'id="push-allow"' not in html
    refused = patient.post(URL, {"action": "save", "choice": "push"}, HTTP_ACCEPT_LANGUAGE="nl")
    assert refused.status_code == 400
    assert refused.context["form"].errors["choice"] == ["Kies een van de mogelijkheden."]
    assert _push_option(refused.content.decode()) == ""
    assert not NotificationPreference.objects.exists()


@WEB_PUSH
def test_with_web_push_the_phone_is_chosen_after_the_button(world: World, patient: Client) -> None:
    html = patient.get(URL, HTTP_ACCEPT_LANGUAGE="nl").content.decode()
    # Offered, but only selectable once this phone allowed notifications with the button
    # (the script enables it then; a phone that cannot is told so).
    assert "disabled" in _push_option(html)
    assert 'id="push-allow"' in html and 'id="push-unsupported"' in html
    assert "Meldingen op je telefoon kunnen nog niet." not in html
    patient.post(reverse("monitoring:push_device"), DEVICE, content_type="application/json")
    html = patient.get(URL, HTTP_ACCEPT_LANGUAGE="nl").content.decode()
    assert _push_option(html) and "disabled" not in _push_option(html)
    assert patient.post(URL, {"action": "save", "choice": "push"}).status_code == 302


@WEB_PUSH
def test_phone_notifications_need_a_registered_phone(world: World, patient: Client) -> None:
    refused = patient.post(URL, {"action": "save", "choice": "push"})
    assert refused.status_code == 400 and "choice" in refused.context["form"].errors

    before = AuditEvent.objects.count()
    device = patient.post(
        reverse("monitoring:push_device"), DEVICE, content_type="application/json"
    )
    assert device.status_code == 200 and device.json() == {"saved": True}
    assert AuditEvent.objects.count() == before + 1
    assert _audit()[-1] == ("create", "success", "push_subscription")
    assert patient.post(URL, {"action": "save", "choice": "push"}).status_code == 302

    # Unsubscribing ("no messages") forgets the phone.
    assert patient.post(URL, {"action": "save", "choice": "none"}).status_code == 302
    subscription = PushSubscription.objects.get(patient=world.patient_a)
    assert subscription.gone_at is not None


@pytest.mark.parametrize(
    "body",
    [
        b"not json",
        b'{"endpoint": "https://push.example.test/x"}',
        b'{"endpoint": "http://insecure.test/abcdef", "keys": {"p256dh": "'
        + b"B" * 87
        + b'", "auth": "'
        + b"a" * 22
        + b'"}}',
    ],
)
def test_a_bad_subscription_is_refused(world: World, patient: Client, body: bytes) -> None:
    before = AuditEvent.objects.count()
    response = patient.post(
        reverse("monitoring:push_device"), body, content_type="application/json"
    )
    assert response.status_code == 400 and response.json()["saved"] is False
    assert not PushSubscription.objects.exists()
    assert AuditEvent.objects.count() == before + 1
    assert _audit()[-1] == ("create", "refused", "push_subscription")


@pytest.mark.parametrize(
    "data",
    [{"action": "save"}, {"action": "save", "choice": "pigeon"}, {"action": "explode"}],
)
def test_a_bad_choice_is_refused_on_its_field(
    world: World, patient: Client, data: dict[str, str]
) -> None:
    before = AuditEvent.objects.count()
    response = patient.post(URL, data)
    assert response.status_code == 400 and response.context["form"].errors
    assert not NotificationPreference.objects.exists()
    assert AuditEvent.objects.count() == before + 1


def test_pause_and_resume(world: World, patient: Client) -> None:
    assert patient.post(URL, {"action": "pause"}).status_code == 400  # nothing chosen yet
    assert patient.post(URL, {"action": "save", "choice": "none"}).status_code == 302
    assert patient.post(URL, {"action": "pause"}).status_code == 302
    assert NotificationPreference.objects.get().paused_at is not None
    assert "gepauzeerd" in patient.get(URL, HTTP_ACCEPT_LANGUAGE="nl").content.decode()
    assert patient.post(URL, {"action": "resume"}).status_code == 302
    assert NotificationPreference.objects.get().paused_at is None


@pytest.mark.parametrize(
    ("choice", "paused", "consent", "message"),
    [
        ("email", False, True, "email"),
        ("email", False, False, None),  # consent withdrawn after choosing
        ("none", False, True, None),
        ("email", True, True, None),
        (None, False, False, None),  # no choice: the schedule's e-mail needs consent too
        (None, False, True, "email"),
    ],
)
def test_the_worker_follows_the_choice(
    world: World,
    choice: str | None,
    paused: bool,
    consent: bool,
    message: str | None,
    mailoutbox: list[object],
) -> None:
    schedule = _schedule(world)
    schedule.channel = Channel.EMAIL
    schedule.save(update_fields=["channel"])
    _consent(world, email=consent)
    if choice is not None:
        NotificationPreference.objects.create(
            patient=world.patient_a,
            choice=choice,
            paused_at=timezone.now() if paused else None,
        )
    prompt = _prompt(schedule, state=PromptState.SCHEDULED, expires=timedelta(hours=1))
    prompt.channel = Channel.EMAIL
    prompt.reminder_at = timezone.now()
    prompt.save(update_fields=["channel", "reminder_at"])
    prompt_send.enqueue(prompt.pk)
    prompt_remind.enqueue(prompt.pk)
    prompt.refresh_from_db()
    assert prompt.state == PromptState.SENT  # in the app either way
    send = prompt.log.get(event="send")
    if message is None:
        assert send.detail.startswith("app_only:")
        assert len(mailoutbox) == 0
        assert _events(prompt) == ["send"]  # no reminder without messages
    else:
        assert send.channel == message
        assert len(mailoutbox) == 2  # the message and its one reminder
        assert _events(prompt) == ["send", "remind"]


def test_the_choice_of_phone_overrides_the_schedules_email(world: World, tmp_path: Path) -> None:
    schedule = _schedule(world)
    schedule.channel = Channel.EMAIL
    schedule.save(update_fields=["channel"])
    NotificationPreference.objects.create(patient=world.patient_a, choice=NotificationChoice.PUSH)
    prompt = _prompt(schedule, state=PromptState.SCHEDULED, expires=timedelta(hours=1))
    prompt.channel = Channel.EMAIL
    prompt.save(update_fields=["channel"])
    with override_settings(MAATWERK_VAPID_PRIVATE_KEY=""):
        prompt_send.enqueue(prompt.pk)
    prompt.refresh_from_db()
    # Sent by push (which is not configured here): the e-mail was not used.
    fail = prompt.log.get(event="fail")
    assert (fail.channel, fail.detail) == ("push", "vapid_not_configured")
    assert _outbox(tmp_path / "none.jsonl") == []

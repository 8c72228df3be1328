"""Refused input on the monitoring pages: field errors, nothing saved, exactly one
``refused`` audit event."""

from __future__ import annotations

from datetime import timedelta

from django.urls import reverse

from maatwerk.web.audit.models import AuditEvent
from maatwerk.web.monitoring.models import Prompt, PromptState
from tests.web.test_monitoring_answering import _prompt, _schedule
from tests.web.world import World

COVERED_URL_NAMES = {
    "monitoring:answer",
    "monitoring:start_entry",
    "monitoring:notifications",
    "monitoring:push_device",
}


def _refused() -> int:
    return AuditEvent.objects.filter(outcome="refused").count()


def test_answers_out_of_range_are_refused_on_their_field(world: World) -> None:
    prompt = _prompt(_schedule(world), expires=timedelta(hours=1))
    patient = world.client_for("patient_a")
    before, refused = AuditEvent.objects.count(), _refused()
    response = patient.post(
        reverse("monitoring:answer", kwargs={"prompt_id": prompt.public_id}),
        {"bank:pain": "٣٠٠", "node:n1": "-1", "bank:where": "", "answer_id": "x"},
    )
    assert response.status_code == 400
    assert {"bank:pain", "node:n1", "bank:where", "answer_id"} <= set(
        response.context["form"].errors
    )
    prompt.refresh_from_db()
    assert prompt.state == PromptState.SENT and prompt.answers is None
    assert AuditEvent.objects.count() == before + 1 and _refused() == refused + 1


def test_an_entry_without_a_schedule_id_is_refused(world: World) -> None:
    schedule = _schedule(world)
    patient = world.client_for("patient_a")
    before = AuditEvent.objects.count()
    response = patient.post(reverse("monitoring:start_entry"), {"schedule": "not-an-id"})
    # An id that is not one opens nothing: one denied event, nothing made.
    assert response.status_code == 404
    assert AuditEvent.objects.count() == before + 1
    assert not Prompt.objects.filter(schedule=schedule, kind=Prompt.Kind.EVENT).exists()


def test_an_entry_over_the_daily_limit_is_refused(world: World) -> None:
    schedule = _schedule(world)
    patient = world.client_for("patient_a")
    url = reverse("monitoring:start_entry")
    for _ in range(3):
        assert patient.post(url, {"schedule": str(schedule.public_id)}).status_code == 302
    refused = _refused()
    response = patient.post(url, {"schedule": str(schedule.public_id)}, HTTP_ACCEPT_LANGUAGE="nl")
    assert response.status_code == 400
    assert response.context["entry_form"].non_field_errors()
    assert Prompt.objects.filter(schedule=schedule, kind=Prompt.Kind.EVENT).count() == 3
    assert _refused() == refused + 1


def test_email_messages_without_consent_are_refused_on_the_choice(world: World) -> None:
    from maatwerk.web.monitoring.models import NotificationPreference

    patient = world.client_for("patient_a")
    before, refused = AuditEvent.objects.count(), _refused()
    response = patient.post(
        reverse("monitoring:notifications"),
        {"action": "save", "choice": "email"},
        HTTP_ACCEPT_LANGUAGE="nl",
    )
    assert response.status_code == 400
    assert "privacykeuzes" in " ".join(response.context["form"].errors["choice"])
    assert not NotificationPreference.objects.exists()
    assert AuditEvent.objects.count() == before + 1 and _refused() == refused + 1


def test_a_phone_subscription_that_is_not_one_is_refused(world: World) -> None:
    from maatwerk.web.monitoring.models import PushSubscription

    patient = world.client_for("patient_a")
    before, refused = AuditEvent.objects.count(), _refused()
    response = patient.post(
        reverse("monitoring:push_device"),
        {"endpoint": "ftp://nowhere", "keys": {"p256dh": "", "auth": ""}},
        content_type="application/json",
    )
    assert response.status_code == 400 and response.json()["saved"] is False
    assert not PushSubscription.objects.exists()
    assert AuditEvent.objects.count() == before + 1 and _refused() == refused + 1


def test_a_form_post_instead_of_a_json_subscription_is_refused(world: World) -> None:
    # A multipart form's stream is consumed by the input checks before the view runs:
    # reading the raw body then was a server error (found by the form fuzzer).
    from maatwerk.web.monitoring.models import PushSubscription

    patient = world.client_for("patient_a")
    before, refused = AuditEvent.objects.count(), _refused()
    response = patient.post(reverse("monitoring:push_device"), {"endpoint": "https://x.example"})
    assert response.status_code == 400 and response.json()["saved"] is False
    assert not PushSubscription.objects.exists()
    assert AuditEvent.objects.count() == before + 1 and _refused() == refused + 1

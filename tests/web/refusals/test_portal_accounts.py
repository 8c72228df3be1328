"""The first password (invitation link) and the privacy choices refuse bad input (issue
11): the error on its field, nothing saved, exactly one ``refused`` audit event."""

from __future__ import annotations

import pytest
from django.test import Client

from maatwerk.web.accounts.models import Invitation
from maatwerk.web.audit.models import AuditEvent
from maatwerk.web.patients.models import PrivacyConsent
from tests.web.world import World

pytestmark = pytest.mark.django_db

COVERED_URL_NAMES = {"invitation", "portal:privacy"}


def _last() -> int:
    last = AuditEvent.objects.order_by("-sequence").first()
    return last.sequence if last else 0


def _refused_once(before: int, object_type: str, *fields: str) -> None:
    events = list(AuditEvent.objects.filter(sequence__gt=before))
    assert [(e.outcome, e.object_type) for e in events] == [("refused", object_type)], [
        (e.action, e.object_type, e.outcome, e.detail) for e in events
    ]
    for field in fields:
        assert field in events[0].detail


@pytest.mark.parametrize(
    ("data", "field"),
    [
        ({"password1": "", "password2": ""}, "password1"),
        ({"password1": "Een-lang-wachtwoord-2026", "password2": "iets anders"}, "password2"),
        ({"password1": "12345678", "password2": "12345678"}, "password1"),
    ],
    ids=["empty", "not-the-same", "too-weak"],
)
def test_a_first_password_the_rules_refuse(world: World, data: dict[str, str], field: str) -> None:
    user = world.patient_a.user
    assert user is not None
    before = _last()
    response = Client().post(world.invitation.path, data)
    assert response.status_code == 400
    assert field in response.context["form"].errors
    user.refresh_from_db()
    assert not user.has_usable_password() or not user.check_password(data["password1"])
    assert Invitation.objects.get(pk=world.invitation.invitation.pk).used_at is None
    _refused_once(before, "account", field)


@pytest.mark.parametrize(
    "data",
    [{"research_use": "misschien"}, {"email_notifications": "x" * 5000, "research_use": "on"}],
)
def test_privacy_choices_that_no_checkbox_sends(world: World, data: dict[str, str]) -> None:
    before = _last()
    response = world.client_for("patient_a").post("/portal/privacy/", data)
    assert response.status_code == 400
    field = next(name for name, value in data.items() if value != "on")
    assert field in response.context["form"].errors
    assert not PrivacyConsent.objects.exists()
    _refused_once(before, "consent", field)


def test_privacy_choices_as_a_checkbox_sends_them(world: World) -> None:
    response = world.client_for("patient_a").post("/portal/privacy/", {"research_use": "on"})
    assert response.status_code == 302
    consent = PrivacyConsent.objects.get()
    assert (consent.research_use, consent.email_notifications) == (True, False)

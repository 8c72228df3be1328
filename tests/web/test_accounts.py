"""Accounts: invitations, second factor, session limits, ending sessions, enumeration."""

from __future__ import annotations

from datetime import timedelta

import pytest
import time_machine
from allauth.usersessions.models import UserSession
from django.contrib.auth.hashers import Argon2PasswordHasher
from django.contrib.sessions.models import Session
from django.core.cache import cache
from django.test import Client
from django.utils import timezone

from maatwerk.core.totp import totp_now
from maatwerk.web.accounts.models import Invitation, User
from maatwerk.web.accounts.services import invitation_issue, user_disable
from maatwerk.web.common.actor import actor_for_user
from maatwerk.web.config import settings as base_settings
from tests.web.world import TOTP_SECRET, World, make_membership, make_user, sign_in

NEW_PASSWORD = "Zonnebloem-Tuin-2026"


@pytest.fixture(autouse=True)
def _clear_rate_limits(db: None) -> None:
    cache.clear()


def set_password_with(client: Client, token: str, password: str = NEW_PASSWORD):  # type: ignore[no-untyped-def]
    return client.post(f"/invite/{token}/", {"password1": password, "password2": password})


def login(client: Client, email: str, password: str, ip: str = "10.0.0.1"):  # type: ignore[no-untyped-def]
    return client.post("/accounts/login/", {"login": email, "password": password}, REMOTE_ADDR=ip)


# --- invitations -------------------------------------------------------------------


def test_invitation_sets_a_password_once(world: World) -> None:
    client = Client()
    response = set_password_with(client, world.invitation.token)
    assert response.status_code == 302
    user = User.objects.get(pk=world.users["patient_a"].pk)
    assert user.check_password(NEW_PASSWORD)
    again = set_password_with(Client(), world.invitation.token, "Another-Password-2026")
    assert again.status_code == 404
    assert "already been used" in again.content.decode() or "al gebruikt" in again.content.decode()
    user.refresh_from_db()
    assert user.check_password(NEW_PASSWORD)


def test_expired_invitation_is_refused(world: World) -> None:
    with time_machine.travel(timezone.now() + timedelta(hours=73)):
        response = Client().get(f"/invite/{world.invitation.token}/")
    assert response.status_code == 404


def test_new_invitation_revokes_the_previous_link(world: World) -> None:
    newer = invitation_issue(
        user=world.users["patient_a"], created_by=world.users["clinician_treating"]
    )
    assert Client().get(f"/invite/{world.invitation.token}/").status_code == 404
    assert Client().get(f"/invite/{newer.token}/").status_code == 200


def test_only_a_digest_of_the_token_is_stored(world: World) -> None:
    stored = Invitation.objects.get(pk=world.invitation.invitation.pk)
    assert world.invitation.token not in stored.token_digest
    assert len(stored.token_digest) == 64


def test_weak_password_is_refused_with_a_reason_and_the_link_stays_valid(world: World) -> None:
    response = set_password_with(Client(), world.invitation.token, "12345678")
    assert response.status_code == 400  # refused: the form again, with the reason
    assert b"errorlist" in response.content
    assert Client().get(f"/invite/{world.invitation.token}/").status_code == 200


def test_patient_logs_in_without_a_second_factor(world: World) -> None:
    set_password_with(Client(), world.invitation.token)
    client = Client()
    response = login(client, "patient.a@a.test", NEW_PASSWORD)
    assert response.status_code == 302
    assert client.get("/", follow=True).request["PATH_INFO"] == "/portal/"


# --- second factor -----------------------------------------------------------------


def test_clinician_login_asks_for_the_totp_code(world: World) -> None:
    client = Client()
    response = login(client, "treating@a.test", "a-long-test-password")
    assert response["Location"].startswith("/accounts/2fa/authenticate/")
    assert client.get("/clinic/").status_code == 302  # not logged in yet
    response = client.post("/accounts/2fa/authenticate/", {"code": totp_now(TOTP_SECRET)})
    assert response.status_code == 302
    assert client.get("/clinic/").status_code == 200


def test_clinician_without_totp_must_set_it_up_first(world: World) -> None:
    newcomer = make_user("new@a.test", "New Clinician")
    make_membership(newcomer, world.org_a, "clinician", world.team_treating, "psycholoog")
    client = Client()
    client.force_login(newcomer)
    response = client.get("/clinic/")
    assert response.status_code == 302
    assert response["Location"] == "/accounts/2fa/totp/activate/"
    assert client.get(f"/api/v1/patients/{world.patient_a.public_id}").status_code == 403


def test_passwords_are_hashed_with_argon2_in_real_settings() -> None:
    assert base_settings.PASSWORD_HASHERS[0] == "django.contrib.auth.hashers.Argon2PasswordHasher"
    hasher = Argon2PasswordHasher()
    encoded = hasher.encode("secret-password", hasher.salt())
    assert encoded.startswith("argon2$argon2id$")
    assert hasher.verify("secret-password", encoded)
    assert not hasher.verify("other-password", encoded)


# --- enumeration and throttling -------------------------------------------------------


def test_login_error_is_the_same_for_unknown_and_known_accounts(world: World) -> None:
    unknown = login(Client(), "nobody@a.test", "wrong-password-123", ip="10.0.0.2")
    known = login(Client(), "treating@a.test", "wrong-password-123", ip="10.0.0.3")
    assert unknown.status_code == known.status_code == 200

    def errors(response) -> str:  # type: ignore[no-untyped-def]
        return str(response.context["form"].non_field_errors())

    assert errors(unknown) == errors(known)


def test_password_reset_does_not_reveal_whether_an_account_exists(world: World) -> None:
    unknown = Client().post("/accounts/password/reset/", {"email": "nobody@a.test"})
    known = Client().post("/accounts/password/reset/", {"email": "treating@a.test"})
    assert unknown.status_code == known.status_code == 302
    assert unknown["Location"] == known["Location"]


def test_failed_logins_are_throttled_but_not_locked_forever(world: World) -> None:
    client = Client()
    for _ in range(5):
        login(client, "treating@a.test", "wrong-password-123", ip="10.0.0.9")
    blocked = login(client, "treating@a.test", "a-long-test-password", ip="10.0.0.9")
    assert blocked.status_code == 200  # the form again, with a "too many attempts" error
    assert "Te veel inlogpogingen" in str(blocked.context["form"].non_field_errors())
    with time_machine.travel(timezone.now() + timedelta(minutes=6)):
        later = login(Client(), "treating@a.test", "a-long-test-password", ip="10.0.0.10")
    assert later.status_code == 302


# --- sessions -------------------------------------------------------------------------


def _logged_in(world: World, role: str) -> Client:
    client = Client()
    sign_in(client, world.users[role])
    return client


@pytest.mark.parametrize(
    ("role", "page", "idle_minutes"),
    [("clinician_treating", "/clinic/", 15), ("patient_a", "/portal/", 30)],
)
def test_idle_timeout_per_kind_of_user(
    world: World, role: str, page: str, idle_minutes: int
) -> None:
    start = timezone.now()
    with time_machine.travel(start, tick=False) as traveller:
        client = _logged_in(world, role)
        assert client.get(page).status_code == 200
        traveller.shift(timedelta(minutes=idle_minutes - 1))
        assert client.get(page).status_code == 200
        traveller.shift(timedelta(minutes=idle_minutes))
        response = client.get(page)
        assert response.status_code == 302
        assert response["Location"].startswith("/accounts/login/")
        assert client.get(page).status_code == 302  # the session is gone on the server


def test_absolute_session_lifetime_ends_an_active_session(world: World) -> None:
    start = timezone.now()
    with time_machine.travel(start, tick=False) as traveller:
        client = _logged_in(world, "patient_a")
        assert client.get("/portal/").status_code == 200
        for _ in range(26):  # active every 28 minutes for 12 hours
            traveller.shift(timedelta(minutes=28))
            response = client.get("/portal/")
        assert response.status_code == 302


def test_logout_deletes_the_session_on_the_server(world: World) -> None:
    client = _logged_in(world, "patient_a")
    client.get("/portal/")
    key = client.session.session_key
    assert Session.objects.filter(session_key=key).exists()
    client.post("/accounts/logout/")
    assert not Session.objects.filter(session_key=key).exists()


def test_password_change_ends_the_other_sessions(world: World) -> None:
    user = world.users["patient_a"]
    user.set_password("Old-Password-2026!")
    user.save()
    phone, laptop = Client(), Client()
    for client in (phone, laptop):
        assert login(client, "patient.a@a.test", "Old-Password-2026!").status_code == 302
        client.get("/portal/")
    assert UserSession.objects.filter(user=user).count() == 2
    response = laptop.post(
        "/accounts/password/change/",
        {"oldpassword": "Old-Password-2026!", "password1": NEW_PASSWORD, "password2": NEW_PASSWORD},
    )
    assert response.status_code == 302
    assert laptop.get("/portal/").status_code == 200
    assert phone.get("/portal/").status_code == 302
    assert UserSession.objects.filter(user=user).count() == 1


def test_disabling_an_account_ends_its_sessions_at_once(world: World) -> None:
    user = world.users["patient_b"]
    user.set_password("Old-Password-2026!")
    user.save()
    client = Client()
    login(client, "patient.b@a.test", "Old-Password-2026!")
    assert client.get("/portal/").status_code == 200
    key = client.session.session_key
    admin = actor_for_user(world.users["org_admin"], access_point="test")
    user_disable(actor=admin, user=user)
    assert not Session.objects.filter(session_key=key).exists()
    assert client.get("/portal/").status_code == 302
    again = Client()
    login(again, "patient.b@a.test", "Old-Password-2026!")
    assert again.get("/portal/").status_code == 302


def test_org_admin_disables_a_user_through_the_dashboard(world: World) -> None:
    admin = world.client_for("org_admin")
    target = world.users["clinician_other_team"]
    response = admin.post(f"/organization/users/{target.public_id}/disable/")
    assert response.status_code == 302
    target.refresh_from_db()
    assert not target.is_active

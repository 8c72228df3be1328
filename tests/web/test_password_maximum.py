"""A password has a maximum length (OWASP ASVS 4.0.3 2.1.2: at most 128 characters) on
every path that sets one, refused with a clear reason in Dutch and in English."""

from __future__ import annotations

import re

import pytest
from allauth.account.forms import default_token_generator
from allauth.account.utils import user_pk_to_url_str
from django.conf import settings
from django.contrib.auth.forms import AdminPasswordChangeForm
from django.core.cache import cache
from django.test import Client
from django.utils import translation

from maatwerk.web.accounts.models import User
from maatwerk.web.accounts.password_validation import MAX_PASSWORD_LENGTH
from tests.web.test_treatment import partner_invited
from tests.web.world import World

OLD = "Old-Password-2026!"
LONGEST = ("Zonnebloem-Tuin-" * 9)[:MAX_PASSWORD_LENGTH]
TOO_LONG = LONGEST + "x"
DUTCH = "Je wachtwoord mag hoogstens 128 tekens hebben."
ENGLISH = "Your password can have at most 128 characters."


@pytest.fixture(autouse=True)
def _clear_rate_limits(db: None) -> None:
    cache.clear()


def _refused(response, language: str) -> None:  # type: ignore[no-untyped-def]
    assert response.status_code in (200, 400)  # the form again, never a 500
    text = response.content.decode()
    assert (DUTCH if language == "nl" else ENGLISH) in text, text[-3000:]


def _client(language: str) -> Client:
    client = Client()
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = language  # the language switch
    return client


@pytest.mark.parametrize("language", ["nl", "en"])
def test_an_invitation_refuses_a_password_that_is_too_long(world: World, language: str) -> None:
    client = _client(language)
    url = f"/invite/{world.invitation.token}/"
    response = client.post(url, {"password1": TOO_LONG, "password2": TOO_LONG})
    assert response.status_code == 400
    _refused(response, language)
    assert client.post(url, {"password1": LONGEST, "password2": LONGEST}).status_code == 302
    user = world.users["patient_a"]
    user.refresh_from_db()
    assert user.check_password(LONGEST)


@pytest.mark.parametrize("language", ["nl", "en"])
def test_a_relatives_invitation_refuses_a_password_that_is_too_long(
    world: World, language: str
) -> None:
    invited = partner_invited(world)
    url = f"/treatment/relatives/accept/{invited.token}/"
    client = _client(language)
    response = client.post(url, {"password1": TOO_LONG, "password2": TOO_LONG})
    assert response.status_code == 400
    _refused(response, language)
    assert not User.objects.filter(email="partner.a@a.test").exists()
    assert client.post(url, {"password1": LONGEST, "password2": LONGEST}).status_code == 302


@pytest.mark.parametrize("language", ["nl", "en"])
def test_a_password_change_refuses_a_password_that_is_too_long(world: World, language: str) -> None:
    user = world.users["patient_a"]
    user.set_password(OLD)
    user.save()
    client = _client(language)
    client.force_login(user)
    url = "/accounts/password/change/"
    response = client.post(url, {"oldpassword": OLD, "password1": TOO_LONG, "password2": TOO_LONG})
    _refused(response, language)
    user.refresh_from_db()
    assert user.check_password(OLD)
    response = client.post(url, {"oldpassword": OLD, "password1": LONGEST, "password2": LONGEST})
    assert response.status_code == 302
    user.refresh_from_db()
    assert user.check_password(LONGEST)


@pytest.mark.parametrize("language", ["nl", "en"])
def test_a_password_reset_refuses_a_password_that_is_too_long(world: World, language: str) -> None:
    user = world.users["patient_a"]
    user.set_password(OLD)
    user.save()
    client = _client(language)
    uid, key = user_pk_to_url_str(user), default_token_generator.make_token(user)
    opened = client.get(f"/accounts/password/reset/key/{uid}-{key}/")
    assert opened.status_code == 302
    url = opened["Location"]
    assert re.search(r"/accounts/password/reset/key/\w+-set-password/$", url), url
    response = client.post(url, {"password1": TOO_LONG, "password2": TOO_LONG})
    _refused(response, language)
    user.refresh_from_db()
    assert user.check_password(OLD)
    assert client.post(url, {"password1": LONGEST, "password2": LONGEST}).status_code == 302
    user.refresh_from_db()
    assert user.check_password(LONGEST)


@pytest.mark.parametrize("language", ["nl", "en"])
def test_the_admins_password_form_refuses_a_password_that_is_too_long(
    world: World, language: str
) -> None:
    """Django's admin form (and ``manage changepassword``) validate with the same list."""
    user = world.users["patient_a"]
    with translation.override(language):
        form = AdminPasswordChangeForm(user, {"password1": TOO_LONG, "password2": TOO_LONG})
        assert not form.is_valid()
        assert (DUTCH if language == "nl" else ENGLISH) in form.errors["password2"]
    form = AdminPasswordChangeForm(user, {"password1": LONGEST, "password2": LONGEST})
    assert form.is_valid(), form.errors


def test_a_relative_sees_the_maximum_also_for_a_password_beyond_any_form_bound(
    world: World,
) -> None:
    """The accept form binds the passwords and ``relative_accept`` judges them: a very
    long password gets the maximum's own reason, not a form's generic length message."""
    invited = partner_invited(world)
    huge = "Zonnebloem-Tuin-" * 320  # 5,120 characters
    response = _client("nl").post(
        f"/treatment/relatives/accept/{invited.token}/", {"password1": huge, "password2": huge}
    )
    assert response.status_code == 400
    _refused(response, "nl")

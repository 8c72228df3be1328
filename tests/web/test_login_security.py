"""Every login path behind one password check, throttling and second factor; the
security state those need shared by all web workers; client addresses from proxies."""

from __future__ import annotations

from pathlib import Path

import pytest
from allauth.mfa.models import Authenticator
from django.conf import settings
from django.core.cache import cache
from django.db import connection
from django.test import Client, RequestFactory, override_settings

from maatwerk.core.totp import totp_now
from maatwerk.web.common.middleware import client_address
from tests.web.test_settings import IMPORT_SETTINGS, PYTHON, clean_env, one_line, run
from tests.web.world import TOTP_SECRET, World, make_user

PASSWORD = "a-long-test-password"


@pytest.fixture(autouse=True)
def _clear_rate_limits(db: None) -> None:
    cache.clear()


def staff_user() -> object:
    staff = make_user("staff@platform.test", "Platform Staff", second_factor=True)
    staff.is_staff = True
    staff.is_superuser = True
    staff.save()
    return staff


def login(client: Client, email: str, password: str, ip: str = "10.1.0.1"):  # type: ignore[no-untyped-def]
    return client.post("/accounts/login/", {"login": email, "password": password}, REMOTE_ADDR=ip)


# --- the admin site has no login of its own -----------------------------------------------


def test_admin_login_form_does_not_log_in_with_a_password_alone(world: World) -> None:
    staff_user()
    client = Client()
    response = client.post(
        "/platform-admin/login/?next=/platform-admin/",
        {"username": "staff@platform.test", "password": PASSWORD},
    )
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/?next=")
    assert "_auth_user_id" not in client.session
    assert client.get("/platform-admin/").status_code == 302


def test_admin_login_page_sends_to_the_one_login(world: World) -> None:
    response = Client().get("/platform-admin/login/?next=/platform-admin/knowledge/")
    assert response.status_code == 302
    assert response["Location"] == "/accounts/login/?next=/platform-admin/knowledge/"


def test_admin_login_is_throttled_like_every_login(world: World) -> None:
    staff_user()
    client = Client()
    for _ in range(40):
        client.post(
            "/platform-admin/login/",
            {"username": "staff@platform.test", "password": "wrong-password-123"},
            REMOTE_ADDR="10.1.0.7",
        )
    # The only login that checks a password is allauth's; it has counted nothing yet.
    for _ in range(5):
        login(client, "staff@platform.test", "wrong-password-123", ip="10.1.0.7")
    blocked = login(client, "staff@platform.test", PASSWORD, ip="10.1.0.7")
    assert "Te veel inlogpogingen" in str(blocked.context["form"].non_field_errors())


def test_staff_reach_the_admin_only_after_password_and_totp(world: World) -> None:
    staff_user()
    client = Client()
    response = login(client, "staff@platform.test", PASSWORD)
    assert response["Location"].startswith("/accounts/2fa/authenticate/")
    assert client.get("/platform-admin/").status_code == 302
    client.post("/accounts/2fa/authenticate/", {"code": totp_now(TOTP_SECRET)})
    assert client.get("/platform-admin/").status_code == 200


def test_signed_in_non_staff_get_no_access_instead_of_a_login_loop(world: World) -> None:
    response = world.client_for("clinician_treating").get("/platform-admin/login/")
    assert response.status_code == 403


# --- a second factor passed in this session, not merely a device that exists ---------


@pytest.mark.parametrize("path", ["/clinic/", "/platform-admin/", "/organization/", "/portal/"])
def test_session_without_a_passed_second_factor_is_ended(world: World, path: str) -> None:
    staff = staff_user()
    client = Client()
    client.force_login(staff)  # logged in some way that skipped the second factor
    response = client.get(path)
    assert response.status_code == 302
    assert response["Location"] == f"/accounts/login/?next={path}"
    assert "_auth_user_id" not in client.session


def test_clinician_with_totp_but_no_passed_code_cannot_use_the_api(world: World) -> None:
    client = Client()
    client.force_login(world.users["clinician_treating"])
    response = client.get(f"/api/v1/patients/{world.patient_a.public_id}")
    assert response.status_code == 401
    assert "_auth_user_id" not in client.session


def test_patient_who_chose_totp_must_pass_it_too(world: World) -> None:
    from allauth.mfa.totp.internal.auth import TOTP

    TOTP.activate(world.users["patient_a"], TOTP_SECRET)
    client = Client()
    client.force_login(world.users["patient_a"])
    assert client.get("/portal/").status_code == 302


def test_activating_totp_counts_as_passing_it_in_this_session(world: World) -> None:
    from allauth.mfa.totp.internal.auth import SECRET_SESSION_KEY

    newcomer = make_user("new@a.test", "New Clinician")
    from tests.web.world import make_membership

    make_membership(newcomer, world.org_a, "clinician", world.team_treating, "psycholoog")
    client = Client()
    login(client, "new@a.test", PASSWORD)
    assert client.get("/clinic/")["Location"] == "/accounts/2fa/totp/activate/"
    # allauth asks for the password again before a second factor is added.
    assert client.get("/accounts/2fa/totp/activate/")["Location"].startswith(
        "/accounts/reauthenticate/"
    )
    client.post("/accounts/reauthenticate/", {"password": PASSWORD})
    assert client.get("/accounts/2fa/totp/activate/").status_code == 200
    secret = client.session[SECRET_SESSION_KEY]  # the secret the page shows as a QR code
    response = client.post("/accounts/2fa/totp/activate/", {"code": totp_now(secret)})
    assert response.status_code == 302
    assert Authenticator.objects.filter(user=newcomer, type="totp").exists()
    assert client.get("/clinic/").status_code == 200


# --- shared security state -------------------------------------------------------------


def test_security_state_is_kept_in_the_database_shared_by_all_workers(world: World) -> None:
    assert settings.CACHES["default"]["BACKEND"] == "django.core.cache.backends.db.DatabaseCache"
    table = settings.CACHES["default"]["LOCATION"]
    assert table in connection.introspection.table_names()  # created by migrate
    client = Client()
    login(client, "treating@a.test", PASSWORD)
    code = totp_now(TOTP_SECRET)
    assert client.post("/accounts/2fa/authenticate/", {"code": code}).status_code == 302
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT cache_key FROM {table}")  # noqa: S608 - table from settings
        keys = [row[0] for row in cursor.fetchall()]
    assert any("allauth.mfa.totp.used" in key for key in keys), keys
    # Another worker (another process, same database) refuses the replayed code.
    again = Client()
    login(again, "treating@a.test", PASSWORD, ip="10.1.0.2")
    replay = again.post("/accounts/2fa/authenticate/", {"code": code})
    assert replay.status_code == 200
    assert again.get("/clinic/").status_code == 302


def test_a_stranger_cannot_lock_the_owner_out(world: World) -> None:
    stranger = Client()
    for attempt in range(25):
        login(stranger, "treating@a.test", "wrong-password-123", ip=f"10.9.{attempt}.1")
    for _ in range(5):
        login(stranger, "treating@a.test", "wrong-password-123", ip="10.9.99.1")
    blocked = login(stranger, "treating@a.test", PASSWORD, ip="10.9.99.1")
    assert "Te veel inlogpogingen" in str(blocked.context["form"].non_field_errors())
    owner = login(Client(), "treating@a.test", PASSWORD, ip="10.1.0.5")
    assert owner["Location"].startswith("/accounts/2fa/authenticate/")


@pytest.mark.parametrize(
    ("trusted", "forwarded", "peer", "client"),
    [
        (0, "203.0.113.9", "10.0.0.1", "10.0.0.1"),  # header ignored: anyone can write it
        (1, "198.51.100.4, 203.0.113.9", "10.0.0.1", "203.0.113.9"),
        (2, "198.51.100.4, 203.0.113.9", "10.0.0.1", "198.51.100.4"),
        (2, "203.0.113.9", "10.0.0.1", "10.0.0.1"),  # fewer hops than proxies: the peer
        (1, "not-an-address", "10.0.0.1", "10.0.0.1"),
        (1, "", "10.0.0.1", "10.0.0.1"),
    ],
)
def test_client_address_trusts_only_the_configured_proxies(
    trusted: int, forwarded: str, peer: str, client: str
) -> None:
    request = RequestFactory().get("/", HTTP_X_FORWARDED_FOR=forwarded, REMOTE_ADDR=peer)
    with override_settings(MAATWERK_TRUSTED_PROXY_COUNT=trusted):
        assert client_address(request) == client


@override_settings(MAATWERK_TRUSTED_PROXY_COUNT=1)
def test_throttling_behind_a_proxy_counts_per_client(world: World) -> None:
    proxy = "10.0.0.254"

    def through_proxy(client_ip: str, password: str):  # type: ignore[no-untyped-def]
        return Client().post(
            "/accounts/login/",
            {"login": "treating@a.test", "password": password},
            REMOTE_ADDR=proxy,
            HTTP_X_FORWARDED_FOR=client_ip,
        )

    for _ in range(5):
        through_proxy("203.0.113.50", "wrong-password-123")
    blocked = through_proxy("203.0.113.50", PASSWORD)
    assert blocked.status_code == 200
    assert through_proxy("203.0.113.51", PASSWORD).status_code == 302


def test_production_refuses_a_per_process_cache_with_several_workers(tmp_path: Path) -> None:
    result = run(
        [PYTHON, "-c", IMPORT_SETTINGS],
        tmp_path,
        clean_env(
            tmp_path,
            MAATWERK_ENV="production",
            MAATWERK_SECRET_KEY="k" * 60,
            MAATWERK_ALLOWED_HOSTS="maatwerk.example.org",
            MAATWERK_CACHE="memory",
            MAATWERK_WEB_WORKERS="3",
        ),
    )
    assert result.returncode != 0
    assert "MAATWERK_CACHE=memory keeps login throttling" in one_line(result.stderr)


def test_serve_refuses_several_workers_over_a_per_process_cache(tmp_path: Path) -> None:
    from tests.web.test_settings import MAATWERK

    result = run(
        [MAATWERK, "serve", "--workers", "2", "--port", "8199"],
        tmp_path,
        clean_env(tmp_path, MAATWERK_CACHE="memory"),
    )
    assert result.returncode == 2
    assert "cannot share a per-process memory cache" in one_line(result.stderr)


@pytest.mark.parametrize(
    ("variables", "backend"),
    [
        ({}, "django.core.cache.backends.db.DatabaseCache"),
        (
            {"MAATWERK_REDIS_URL": "redis://127.0.0.1:6379/1"},
            "django.core.cache.backends.redis.RedisCache",
        ),
    ],
)
def test_cache_is_shared_by_default_and_redis_when_configured(
    tmp_path: Path, variables: dict[str, str], backend: str
) -> None:
    result = run(
        [PYTHON, "-c", f"{IMPORT_SETTINGS} as s; print(s.CACHES['default']['BACKEND'])"],
        tmp_path,
        clean_env(tmp_path, **variables),
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == backend

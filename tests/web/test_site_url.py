"""``MAATWERK_SITE_URL``: the public address used for links in e-mails.

A link built from the request (the host the reader actually used) still wins; the
setting fills in when there is no request, and an empty setting keeps the old relative
path. A malformed address stops the settings from loading with a clear message.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from django.core import mail
from django.test import override_settings

from tests.web.test_questionnaires import _answer
from tests.web.test_settings import IMPORT_SETTINGS, PYTHON, clean_env, run
from tests.web.test_treatment import world_response
from tests.web.world import World

SITE = "https://maatwerk.example.nl"


@pytest.mark.django_db
def test_without_a_request_the_mail_links_to_the_site_url(
    world: World, django_capture_on_commit_callbacks
) -> None:
    # Handing in homework through the service has no request to build a link from.
    with (
        override_settings(MAATWERK_SITE_URL=SITE),
        django_capture_on_commit_callbacks(execute=True),
    ):
        world_response(world)
    (message,) = mail.outbox
    assert f"{SITE}/accounts/login/" in message.body


@pytest.mark.django_db
def test_without_a_site_url_the_link_stays_relative(
    world: World, django_capture_on_commit_callbacks
) -> None:
    with override_settings(MAATWERK_SITE_URL=""), django_capture_on_commit_callbacks(execute=True):
        world_response(world)
    (message,) = mail.outbox
    assert "/accounts/login/" in message.body
    assert "http" not in message.body


@pytest.mark.django_db
def test_a_link_built_from_the_request_wins(
    world: World, django_capture_on_commit_callbacks
) -> None:
    with (
        override_settings(MAATWERK_SITE_URL=SITE),
        django_capture_on_commit_callbacks(execute=True),
    ):
        sent = world.client_for("patient_a").post("/treatment/messages/", {"text": "Hallo"})
    assert sent.status_code == 302
    (message,) = mail.outbox
    assert "http://testserver/accounts/login/" in message.body
    assert SITE not in message.body


@pytest.mark.django_db
@pytest.mark.parametrize(("site", "link"), [(SITE, f"{SITE}/clinic/alerts/"), ("", None)])
def test_the_safety_alert_mail_links_to_the_alerts_only_with_a_site_url(
    world: World,
    django_capture_on_commit_callbacks,
    site: str,
    link: str | None,
) -> None:
    with (
        override_settings(MAATWERK_SITE_URL=site),
        django_capture_on_commit_callbacks(execute=True),
    ):
        assert _answer(world, "patient_a", "phq9_9", "1").status_code == 200
    (message,) = mail.outbox
    if link is None:
        # A relative path does not work in a mail client, so none is added.
        assert "/clinic/alerts/" not in message.body
    else:
        assert message.body.rstrip().endswith(link)
    assert world.patient_a.full_name not in message.body


@pytest.mark.parametrize("value", ["maatwerk.example.nl", "ftp://maatwerk.example.nl", "https://"])
def test_a_malformed_site_url_refuses_to_start(tmp_path: Path, value: str) -> None:
    environ = clean_env(tmp_path, MAATWERK_SITE_URL=value)
    imported = run([PYTHON, "-c", IMPORT_SETTINGS], tmp_path, environ)
    assert imported.returncode != 0
    assert f"MAATWERK_SITE_URL={value!r} must be an address such as" in imported.stderr


def test_a_trailing_slash_is_dropped(tmp_path: Path) -> None:
    environ = clean_env(tmp_path, MAATWERK_SITE_URL=f"{SITE}/")
    shown = run(
        [PYTHON, "-c", f"{IMPORT_SETTINGS} as s; print(s.MAATWERK_SITE_URL)"], tmp_path, environ
    )
    assert shown.returncode == 0, shown.stderr
    assert shown.stdout.strip() == SITE

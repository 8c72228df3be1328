"""Dutch by default, English when chosen; the browser's language does not switch it."""

from __future__ import annotations

from django.test import Client

from tests.web.world import World


def test_dutch_by_default_even_for_an_english_browser(db: None) -> None:
    response = Client().get("/accounts/login/", HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9")
    assert response["Content-Language"] == "nl"
    assert '<html lang="nl">' in response.content.decode()


def test_the_language_switch_changes_to_english_and_back(db: None) -> None:
    client = Client()
    client.post("/i18n/setlang/", {"language": "en", "next": "/accounts/login/"})
    assert client.get("/accounts/login/")["Content-Language"] == "en"
    client.post("/i18n/setlang/", {"language": "nl", "next": "/accounts/login/"})
    assert client.get("/accounts/login/")["Content-Language"] == "nl"


def test_an_account_set_to_english_gets_english(world: World) -> None:
    patient = world.users["patient_a"]
    patient.language = "en"
    patient.save()
    response = world.client_for("patient_a").get("/portal/")
    assert response["Content-Language"] == "en"
    assert "Who opened my file" in response.content.decode()


def test_patient_home_is_dutch(world: World) -> None:
    response = world.client_for("patient_a").get("/portal/")
    assert "Wie heeft mijn dossier geopend" in response.content.decode()

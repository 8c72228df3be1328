"""No copy of a signed-in person's page in any cache; static files stay cacheable; browser
features the platform does not use are off."""

from __future__ import annotations

import pytest
from django.test import Client

from tests.web.test_authorization_matrix import (
    MATRIX,
    build_path,
    parameter_values,
    parameterized_routes,
)
from tests.web.world import World

ROUTES = {name: route for route, name in parameterized_routes().items()}
# Every page with an id that the treating clinician or patient A may read: HTML pages,
# JSON and FHIR from the API, PDF letters and plans.
READABLE = sorted(
    (name, role)
    for name, entry in MATRIX.items()
    if entry.method == "GET"
    for role in ("clinician_treating", "patient_a")
    if role in entry.allowed
)


@pytest.mark.parametrize(("name", "role"), READABLE)
def test_every_signed_in_response_is_no_store(world: World, name: str, role: str) -> None:
    path = build_path(ROUTES[name], parameter_values(world))
    response = world.client_for(role).get(path, MATRIX[name].data(world))
    assert response.status_code < 500
    cache_control = response.get("Cache-Control", "")
    assert "no-store" in cache_control and "private" in cache_control, (path, cache_control)


def test_the_sample_covers_html_json_pdf_and_fhir(world: World) -> None:
    kinds = set()
    for name, role in READABLE:
        path = build_path(ROUTES[name], parameter_values(world))
        response = world.client_for(role).get(path, MATRIX[name].data(world))
        if response.status_code == 200:
            kinds.add(response["Content-Type"].split(";")[0])
    assert {"text/html", "application/json", "application/pdf"} <= kinds, kinds
    assert any("fhir" in kind for kind in kinds), kinds


@pytest.mark.parametrize("path", ["/clinic/", "/api/v1/patients", "/portal/", "/accounts/login/"])
def test_pages_without_an_id_are_no_store_too(world: World, path: str) -> None:
    response = world.client_for("clinician_treating").get(path)
    assert "no-store" in response.get("Cache-Control", "")


def test_static_files_stay_cacheable() -> None:
    response = Client().get("/static/css/maatwerk.css")
    assert response.status_code == 200
    assert "no-store" not in response.get("Cache-Control", "")
    assert "max-age=" in response.get("Cache-Control", "")


def test_permissions_policy_turns_off_unused_browser_features(world: World) -> None:
    for client in (Client(), world.client_for("patient_a")):
        policy = client.get("/accounts/login/")["Permissions-Policy"]
        for feature in ("camera", "microphone", "geolocation", "payment", "usb"):
            assert f"{feature}=()" in policy


@pytest.mark.parametrize("path", ["/api/v1/openapi.json", "/api/v1/docs"])
def test_api_description_is_for_signed_in_staff_only(world: World, path: str) -> None:
    assert Client().get(path).status_code == 404
    assert world.client_for("patient_a").get(path).status_code == 404
    assert world.client_for("clinician_treating").get(path).status_code == 200


def test_the_csrf_cookie_is_http_only(world: World) -> None:
    """Issue 16 INFO: scripts read the token from the page, so the cookie needs no
    JavaScript access."""
    response = Client().get("/accounts/login/")
    assert response.cookies["csrftoken"]["httponly"] is True

"""Bad input is a clear 400 (or the form again with the reason), never a server error,
and nothing is saved: NUL and other control characters, over-long values, digits that are
not ASCII digits, JSON nested without end, form data that cannot be parsed. Runs on
SQLite and PostgreSQL (PostgreSQL refuses NUL in text, SQLite stores it silently)."""

from __future__ import annotations

import json
from collections.abc import Callable

import pytest
from django.test import Client

from maatwerk.web.accounts.models import User
from maatwerk.web.audit.models import AuditEvent
from tests.web.test_authorization_matrix import (
    MATRIX,
    build_path,
    parameter_values,
    parameterized_routes,
)
from tests.web.test_records_destruction import gp_client
from tests.web.test_treatment import world_module
from tests.web.world import World

NUL_MESSAGE = "onzichtbaar stuurteken"  # Dutch is the default language

POST_ENTRIES = sorted(name for name, entry in MATRIX.items() if entry.method == "POST")
ROUTES = {name: route for route, name in parameterized_routes().items()}


# Decided only by the patient's GP, who is none of the matrix world's roles.
OUTSIDE_THE_WORLD_ROLES: dict[str, Callable[[World], Client]] = {"records:decide": gp_client}


def _post_case(world: World, name: str) -> tuple[Client, str, dict[str, str]]:
    entry = MATRIX[name]
    path = build_path(ROUTES[name], parameter_values(world))
    data = {key: str(value) for key, value in entry.data(world).items()}
    if name in OUTSIDE_THE_WORLD_ROLES:
        return OUTSIDE_THE_WORLD_ROLES[name](world), path, data
    role = sorted(entry.allowed)[0]
    return world.client_for(role), path, data


def _events() -> int:
    return AuditEvent.objects.count()


@pytest.mark.parametrize("name", POST_ENTRIES)
def test_nul_in_any_posted_field_is_refused_before_anything_is_saved(
    world: World, name: str
) -> None:
    client, path, data = _post_case(world, name)
    poisoned = {key: f"{value}\x00" for key, value in data.items()} | {"note": "a\x00b"}
    before = _events()
    response = client.post(path, poisoned)
    assert response.status_code == 400, (path, response.status_code)
    assert NUL_MESSAGE in response.content.decode()
    assert _events() == before  # not even an audit row: the request never reached a view


@pytest.mark.parametrize("name", POST_ENTRIES)
def test_over_long_and_unicode_digit_values_are_never_a_server_error(
    world: World, name: str
) -> None:
    client, path, data = _post_case(world, name)
    for odd in ("x" * 5000, "²", "١٢", "9" * 40):
        response = client.post(path, dict.fromkeys(data, odd) | {"note": odd})
        assert response.status_code < 500, (path, odd[:10], response.status_code)


def test_nul_in_pages_without_an_id_is_refused(world: World) -> None:
    assert (
        world.client_for("patient_a").post("/treatment/messages/", {"text": "hoi\x00"}).status_code
        == 400
    )
    assert world.client_for("clinician_treating").get("/clinic/", {"q": "\x00"}).status_code == 400


def test_partner_invitation_with_nul_is_refused(world: World) -> None:
    path = f"/treatment/patients/{world.patient_a.public_id}/relatives/"
    response = world.client_for("patient_a").post(
        path,
        {"email": "partner@x.test\x00", "full_name": "P", "relation": "partner", "consent": "yes"},
    )
    assert response.status_code == 400
    assert not User.objects.filter(email__startswith="partner@x.test").exists()


def test_control_characters_other_than_line_breaks_are_refused_tab_and_newline_kept(
    world: World,
) -> None:
    client = world.client_for("patient_a")
    assert client.post("/treatment/messages/", {"text": "a\x1b[31mb"}).status_code == 400
    kept = client.post("/treatment/messages/", {"text": "regel een\r\nregel\ttwee"})
    assert kept.status_code in (200, 302)


def test_nul_in_the_address_is_refused(world: World) -> None:
    response = world.client_for("clinician_treating").get("/clinic/patients/%00/")
    assert response.status_code == 400


def test_bad_input_page_follows_the_language_choice(world: World) -> None:
    client = world.client_for("patient_a")
    client.cookies["django_language"] = "en"
    response = client.post("/treatment/messages/", {"text": "\x00"})
    assert response.status_code == 400
    assert "invisible control character" in response.content.decode()


# --- over-long e-mail address ------------------------------------------------------------


def test_an_over_long_email_is_a_form_error_not_a_database_error(world: World) -> None:
    email = "a" * 290 + "@example.test"  # 303 characters: valid for Django, not for the column
    response = world.client_for("clinician_treating").post(
        "/clinic/patients/new/",
        {
            "full_name": "Lange Naam",
            "email": email,
            "birth_year": "1980",
            "sex": "female",
            "language": "nl",
        },
    )
    assert response.status_code == 400  # refused: the form again, with its errors
    assert "email" in response.context["form"].errors
    assert not User.objects.filter(email=email).exists()


# --- digits that int() cannot read -------------------------------------------------------


def test_exercise_autosave_with_a_superscript_stamp_is_saved_without_a_stamp(
    world: World,
) -> None:
    assignment = world_module(world)
    url = f"/treatment/modules/{assignment.public_id}/exercises/g_schema/save/"
    response = world.client_for("patient_a").post(
        url, {"field": "event", "value": '"tillen"', "stamp": "²"}
    )
    assert response.status_code < 500


def test_removing_a_row_with_a_superscript_index_changes_nothing(world: World) -> None:
    assignment = world_module(world, "graded_activity")
    url = f"/treatment/modules/{assignment.public_id}/exercises/baseline_log/submit/"
    client = world.client_for("patient_a")
    row = {"f-days-0-date": "2026-03-02", "f-days-0-activity": "wandelen", "f-days-0-minutes": "20"}
    client.post(url, {"action": "add_row:days", **row})
    response = client.post(url, {"action": "remove_row:days:²", **row})
    assert response.status_code == 200


# --- JSON nested without end ---------------------------------------------------------------


def test_deep_json_in_an_exercise_autosave_is_refused(world: World) -> None:
    assignment = world_module(world)
    url = f"/treatment/modules/{assignment.public_id}/exercises/g_schema/save/"
    deep = "[" * 100_000 + "]" * 100_000
    response = world.client_for("patient_a").post(url, {"field": "event", "value": deep})
    assert response.status_code == 400
    assert response.json()["saved"] is False


def test_deep_json_to_the_fhir_api_is_a_400_operation_outcome(world: World) -> None:
    deep = '{"resourceType": "QuestionnaireResponse", "item": ' + "[" * 100_000 + "]" * 100_000
    response = world.client_for("patient_a").post(
        "/api/v1/fhir/QuestionnaireResponse",
        data=deep + "}",
        content_type="application/fhir+json",
    )
    assert response.status_code == 400
    assert response.json()["resourceType"] == "OperationOutcome"


def test_nul_inside_fhir_json_is_refused(world: World) -> None:
    body = json.dumps({"resourceType": "QuestionnaireResponse", "status": "completed\u0000"})
    response = world.client_for("patient_a").post(
        "/api/v1/fhir/QuestionnaireResponse", data=body, content_type="application/fhir+json"
    )
    assert response.status_code == 400


def test_multipart_without_a_boundary_is_a_400(world: World) -> None:
    client = world.client_for("patient_a")
    for path in ("/api/v1/fhir/QuestionnaireResponse", "/treatment/messages/"):
        response = client.generic("POST", path, b"--x\r\n\r\n", content_type="multipart/form-data")
        assert response.status_code == 400, path


def test_multipart_with_a_boundary_still_reaches_the_fhir_api(world: World) -> None:
    # The raw body stays readable for the API after the form parser has looked at it.
    response = world.client_for("patient_a").post(
        "/api/v1/fhir/QuestionnaireResponse", {"resource": "{}"}
    )
    assert response.status_code == 400
    assert response.json()["resourceType"] == "OperationOutcome"

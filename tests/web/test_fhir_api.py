"""The FHIR API: Questionnaire export, QuestionnaireResponse in (scored exactly as the
form scores it) and out, with access control and one audit event per request."""

from __future__ import annotations

import json
import re
from decimal import Decimal
from typing import Any

import pytest
from django.test import Client
from fhir.resources.R4B.bundle import Bundle
from fhir.resources.R4B.operationoutcome import OperationOutcome
from fhir.resources.R4B.questionnaire import Questionnaire
from fhir.resources.R4B.questionnaireresponse import QuestionnaireResponse

from maatwerk.core.fhir.constants import ASSIGNMENT_IDENTIFIER_SYSTEM
from maatwerk.core.fhir.response import response_to_questionnaire_response
from maatwerk.core.instruments.registry import get_instrument
from maatwerk.web.audit.models import AuditEvent
from maatwerk.web.questionnaires.models import Answer, Assignment, SafetyAlert, ScaleResult
from tests.web.world import World

FHIR = "/api/v1/fhir"
PHQ9_ITEMS = [f"phq9_{n}" for n in range(1, 11)]


def _assign(world: World, code: str = "phq9") -> Assignment:
    instrument = get_instrument(code)
    return Assignment.objects.create(
        patient=world.patient_a,
        instrument_code=instrument.code,
        instrument_version=instrument.version,
        assigned_by=world.memberships["clinician_treating"],
    )


def _response(assignment: Assignment, answers: dict[str, int]) -> dict[str, Any]:
    instrument = get_instrument(assignment.instrument_code, assignment.instrument_version)
    return response_to_questionnaire_response(
        instrument,
        answers,
        assignment_id=str(assignment.public_id),
        subject_id=str(assignment.patient.public_id),
    )


def _post(client: Client, resource: object) -> Any:
    return client.post(
        f"{FHIR}/QuestionnaireResponse",
        data=json.dumps(resource),
        content_type="application/fhir+json",
    )


def _observations(bundle: dict[str, Any]) -> dict[str, dict[str, Any]]:
    return {
        entry["resource"]["code"]["coding"][0]["code"]: entry["resource"]
        for entry in bundle["entry"]
        if entry["resource"]["resourceType"] == "Observation"
    }


def _new_events(before: int) -> list[AuditEvent]:
    return list(AuditEvent.objects.filter(sequence__gt=before).order_by("sequence"))


def _last_sequence() -> int:
    last = AuditEvent.objects.order_by("-sequence").first()
    return last.sequence if last else 0


# ------------------------------------------------------------------ Questionnaire


def test_every_logged_in_user_gets_a_valid_questionnaire_without_an_audit_event(
    world: World,
) -> None:
    before = _last_sequence()
    for role in ("patient_b", "researcher", "clinician_other_org"):
        response = world.client_for(role).get(f"{FHIR}/Questionnaire/phq9")
        assert response.status_code == 200
        assert response["Content-Type"].startswith("application/fhir+json")
        questionnaire = Questionnaire.model_validate(response.json())
        assert questionnaire.url == "https://maatwerk.example/fhir/Questionnaire/phq9"
        assert questionnaire.version == "1.2"  # the latest version of the PHQ-9
    assert _new_events(before) == []  # no patient data: nothing to audit


def test_questionnaire_language_version_and_unknown_codes(world: World) -> None:
    client = world.client_for("patient_a")
    english = client.get(f"{FHIR}/Questionnaire/gad7?language=en").json()
    assert english["language"] == "en"
    assert english["item"][1]["text"] == "Feeling nervous, anxious or on edge"
    dutch = client.get(f"{FHIR}/Questionnaire/gad7?version=1.0").json()
    assert dutch["language"] == "nl"
    unknown = client.get(f"{FHIR}/Questionnaire/nonsense")
    assert unknown.status_code == 404
    outcome = OperationOutcome.model_validate(unknown.json())
    assert outcome.issue[0].code == "not-found"
    assert client.get(f"{FHIR}/Questionnaire/phq9?version=9.9").status_code == 404


def test_code_systems_are_served_to_every_logged_in_user_without_an_audit_event(
    world: World,
) -> None:
    before = _last_sequence()
    client = world.client_for("researcher")
    search = client.get(f"{FHIR}/CodeSystem")
    assert search.status_code == 200
    assert search["Content-Type"].startswith("application/fhir+json")
    bundle = search.json()
    Bundle.model_validate(bundle)
    assert bundle["type"] == "searchset" and bundle["total"] == len(bundle["entry"])
    urls = {entry["resource"]["url"] for entry in bundle["entry"]}
    assert {
        "https://maatwerk.example/fhir/CodeSystem/care-level",
        "https://maatwerk.example/fhir/CodeSystem/module",
        "https://maatwerk.example/fhir/CodeSystem/instrument-scale",
        "https://maatwerk.example/fhir/CodeSystem/phq9/frequency_0_3",
    } <= urls
    for entry in bundle["entry"]:
        assert entry["fullUrl"].endswith(f"/api/v1/fhir/CodeSystem/{entry['resource']['id']}")
    one = client.get(f"{FHIR}/CodeSystem/phq9-1.1-frequency-0-3").json()
    assert one["url"] == "https://maatwerk.example/fhir/CodeSystem/phq9/frequency_0_3"
    assert one["version"] == "1.1"
    assert [concept["code"] for concept in one["concept"]] == ["0", "1", "2", "3"]
    # Every answer code of the exported Questionnaire is a code of its CodeSystem.
    questionnaire = client.get(f"{FHIR}/Questionnaire/phq9").json()
    codings = [
        option["valueCoding"]
        for item in questionnaire["item"]
        for option in item.get("answerOption", [])
        if option["valueCoding"]["system"] == one["url"]
    ]
    assert codings and {c["code"] for c in codings} <= {c["code"] for c in one["concept"]}
    missing = client.get(f"{FHIR}/CodeSystem/nonsense")
    assert missing.status_code == 404
    assert OperationOutcome.model_validate(missing.json()).issue[0].code == "not-found"
    assert _new_events(before) == []


def test_anonymous_users_get_nothing(world: World) -> None:
    anonymous = world.client_for("anonymous")
    assert anonymous.get(f"{FHIR}/Questionnaire/phq9").status_code == 401
    assert anonymous.get(f"{FHIR}/CodeSystem").status_code == 401
    assert anonymous.get(f"{FHIR}/CodeSystem/care-level").status_code == 401
    assert _post(anonymous, {}).status_code == 401


# ------------------------------------------------------- QuestionnaireResponse in


@pytest.mark.parametrize(
    "values",
    [
        [1, 2, 3, 0, 1, 2, 3, 0, 0, 1],  # 12, moderate
        [0] * 10,  # 0, none
        [3] * 9 + [0],  # 27, severe
        [1, 1, 1, 1, 1, 0, 0, 0, 0, 2],  # 5, mild: the lower band edge
    ],
)
def test_posted_response_scores_the_same_as_the_form(world: World, values: list[int]) -> None:
    client = world.client_for("patient_a")
    answers = dict(zip(PHQ9_ITEMS, values, strict=True))
    # Through Maatwerk's own form ...
    by_form = _assign(world)
    form = {f"item-{item}": str(value) for item, value in answers.items()}
    assert client.post(f"/questionnaires/{by_form.public_id}/submit/", form).status_code == 302
    # ... and through the API.
    before = _last_sequence()
    response = _post(client, _response(world.assignment, answers))
    assert response.status_code == 201, response.content
    assert response["Location"].endswith(
        f"/fhir/QuestionnaireResponse/{world.assignment.public_id}"
    )
    bundle = response.json()
    Bundle.model_validate(bundle)
    # R4: every entry has a fullUrl, absolute or a urn:uuid, and no two are the same.
    full_urls = [entry["fullUrl"] for entry in bundle["entry"]]
    assert all(re.fullmatch(r"urn:uuid:[0-9a-f-]{36}", url) for url in full_urls), full_urls
    assert len(set(full_urls)) == len(full_urls)
    observation = _observations(bundle)["phq9.total"]
    stored = ScaleResult.objects.get(assignment=by_form, scale_id="total")
    assert observation["valueInteger"] == stored.value == sum(values[:9])
    assert observation["interpretation"][0]["text"] == stored.band
    assert observation["status"] == "final"
    assert observation["code"]["text"] == "PHQ-9 - PHQ-9 totaalscore"
    assert observation["derivedFrom"] == [
        {"reference": f"QuestionnaireResponse/{world.assignment.public_id}"}
    ]
    via_api = ScaleResult.objects.get(assignment=world.assignment, scale_id="total")
    assert (via_api.value, via_api.band) == (stored.value, stored.band)
    world.assignment.refresh_from_db()
    assert world.assignment.status == Assignment.Status.COMPLETED
    # Exactly one audit event: the submission.
    events = _new_events(before)
    assert [(e.action, e.object_type, e.outcome) for e in events] == [
        ("update", "questionnaire", "success")
    ]
    assert events[0].patient_ref == str(world.patient_a.public_id)
    assert events[0].access_point.startswith("api")


def test_a_response_as_a_form_client_sends_it_is_accepted(world: World) -> None:
    """As LHC-Forms sends it: codes without our system or ordinalValue, no subject, the
    client's own calculated total (ignored), plain application/json."""
    answers = [2, 2, 1, 1, 0, 0, 3, 3, 0, 1]
    resource = {
        "resourceType": "QuestionnaireResponse",
        "status": "completed",
        "questionnaire": "https://maatwerk.example/fhir/Questionnaire/phq9",
        "basedOn": [
            {
                "identifier": {
                    "system": ASSIGNMENT_IDENTIFIER_SYSTEM,
                    "value": str(world.assignment.public_id),
                }
            }
        ],
        "item": [
            {"linkId": item, "answer": [{"valueCoding": {"code": str(value)}}]}
            for item, value in zip(PHQ9_ITEMS, answers, strict=True)
        ]
        + [{"linkId": "score.total", "answer": [{"valueInteger": 99}]}],
    }
    response = world.client_for("clinician_treating").post(
        f"{FHIR}/QuestionnaireResponse", data=json.dumps(resource), content_type="application/json"
    )
    assert response.status_code == 201, response.content
    assert _observations(response.json())["phq9.total"]["valueInteger"] == 12


def test_an_answer_that_signals_risk_raises_the_alert_and_says_where_to_get_help(
    world: World,
) -> None:
    answers = dict(zip(PHQ9_ITEMS, [0, 0, 0, 0, 0, 0, 0, 0, 2, 0], strict=True))
    response = _post(world.client_for("patient_a"), _response(world.assignment, answers))
    assert response.status_code == 201
    outcomes = [
        entry["resource"]
        for entry in response.json()["entry"]
        if entry["resource"]["resourceType"] == "OperationOutcome"
    ]
    assert len(outcomes) == 1
    assert "113" in outcomes[0]["issue"][0]["details"]["text"]
    assert SafetyAlert.objects.filter(
        assignment=world.assignment, rule_id="phq9_item9_self_harm"
    ).exists()


@pytest.mark.parametrize(
    ("resource", "expression"),
    [
        ({"resourceType": "QuestionnaireResponse"}, "QuestionnaireResponse.status"),
        ({"resourceType": "Patient"}, "QuestionnaireResponse.resourceType"),
        ([1, 2], "QuestionnaireResponse"),
    ],
)
def test_invalid_fhir_is_refused_with_an_operation_outcome(
    world: World, resource: object, expression: str
) -> None:
    before = _last_sequence()
    response = _post(world.client_for("patient_a"), resource)
    assert response.status_code == 400
    outcome = OperationOutcome.model_validate(response.json())
    assert outcome.issue[0].severity == "error"
    assert expression in outcome.issue[0].expression[0]
    assert _new_events(before) == []  # no patient record was opened


def test_a_body_that_is_not_json_is_refused(world: World) -> None:
    response = world.client_for("patient_a").post(
        f"{FHIR}/QuestionnaireResponse", data="item-phq9_1=1", content_type="text/plain"
    )
    assert response.status_code == 400
    assert response.json()["resourceType"] == "OperationOutcome"


def test_the_assignment_status_and_questionnaire_are_required(world: World) -> None:
    resource = _response(world.assignment, dict.fromkeys(PHQ9_ITEMS, 0))
    del resource["basedOn"]
    del resource["questionnaire"]
    resource["status"] = "in-progress"
    response = _post(world.client_for("patient_a"), resource)
    assert response.status_code == 400
    expressions = [issue["expression"][0] for issue in response.json()["issue"]]
    assert expressions == [
        "QuestionnaireResponse.status",
        "QuestionnaireResponse.basedOn",
        "QuestionnaireResponse.questionnaire",
    ]


def test_invalid_answers_are_refused_nothing_is_stored_and_the_attempt_is_audited(
    world: World,
) -> None:
    resource = _response(world.assignment, dict.fromkeys(PHQ9_ITEMS, 1))
    resource["item"][0]["answer"][0]["valueCoding"]["code"] = "7"
    resource["item"][0]["answer"][0]["valueCoding"].pop("extension")
    resource["item"].append({"linkId": "nonsense", "answer": [{"valueInteger": 1}]})
    before = _last_sequence()
    response = _post(world.client_for("patient_a"), resource)
    assert response.status_code == 400
    issues = response.json()["issue"]
    assert [issue["expression"][0] for issue in issues] == [
        "QuestionnaireResponse.item[0].answer[0].valueCoding.code",
        "QuestionnaireResponse.item[10].linkId",
    ]
    assert "'7' is not one of the options 0, 1, 2, 3" in issues[0]["diagnostics"]
    assert not Answer.objects.filter(assignment=world.assignment).exists()
    events = _new_events(before)
    assert [(e.action, e.object_type, e.outcome) for e in events] == [
        ("update", "questionnaire", "refused")
    ]


def test_an_incomplete_response_names_the_missing_items_and_stores_nothing(world: World) -> None:
    # Saved earlier through the form's autosave; the resource is the complete set of
    # answers, so it is not silently completed by this answer.
    client = world.client_for("patient_a")
    autosave = {"item": "phq9_9", "value": "3"}
    saved_now = client.post(f"/questionnaires/{world.assignment.public_id}/answer/", autosave)
    assert saved_now.status_code == 200
    answers = dict.fromkeys(PHQ9_ITEMS[:8], 1)
    before = _last_sequence()
    response = _post(client, _response(world.assignment, answers))
    assert response.status_code == 400
    expressions = [issue["expression"][0] for issue in response.json()["issue"]]
    assert expressions == ["QuestionnaireResponse.item.where(linkId='phq9_9')"]
    saved = {a.item_id: a.value for a in Answer.objects.filter(assignment=world.assignment)}
    assert saved == {"phq9_9": Decimal(3)}  # rolled back to what was there
    world.assignment.refresh_from_db()
    assert world.assignment.status == Assignment.Status.IN_PROGRESS
    assert len(_new_events(before)) == 1


def test_a_response_to_another_questionnaire_is_refused(world: World) -> None:
    gad7 = get_instrument("gad7")
    resource = response_to_questionnaire_response(
        gad7,
        {f"gad7_{n}": 1 for n in range(1, 8)},
        assignment_id=str(world.assignment.public_id),
    )
    response = _post(world.client_for("patient_a"), resource)
    assert response.status_code == 400
    issue = response.json()["issue"][0]
    assert issue["expression"] == ["QuestionnaireResponse.questionnaire"]


def test_a_response_about_another_patient_is_refused(world: World) -> None:
    resource = _response(world.assignment, dict.fromkeys(PHQ9_ITEMS, 0))
    resource["subject"]["identifier"]["value"] = str(world.patient_b.public_id)
    response = _post(world.client_for("patient_a"), resource)
    assert response.status_code == 400
    assert response.json()["issue"][0]["expression"] == ["QuestionnaireResponse.subject"]


@pytest.mark.parametrize("role", ["patient_b", "clinician_other_team", "researcher", "org_admin"])
def test_another_patients_assignment_is_not_found(world: World, role: str) -> None:
    before = _last_sequence()
    response = _post(
        world.client_for(role), _response(world.assignment, dict.fromkeys(PHQ9_ITEMS, 0))
    )
    assert response.status_code == 404
    assert response.json()["resourceType"] == "OperationOutcome"
    assert not Answer.objects.filter(assignment=world.assignment).exists()
    assert [(e.action, e.outcome) for e in _new_events(before)] == [("update", "denied")]


def test_unknown_and_malformed_assignment_ids_are_not_found(world: World) -> None:
    resource = _response(world.assignment, dict.fromkeys(PHQ9_ITEMS, 0))
    for bad in ("00000000-0000-0000-0000-000000000000", "not-a-uuid"):
        resource["basedOn"][0]["identifier"]["value"] = bad
        assert _post(world.client_for("patient_a"), resource).status_code == 404


def test_a_completed_assignment_cannot_be_answered_again(world: World) -> None:
    client = world.client_for("patient_a")
    resource = _response(world.assignment, dict.fromkeys(PHQ9_ITEMS, 0))
    assert _post(client, resource).status_code == 201
    again = _post(client, _response(world.assignment, dict.fromkeys(PHQ9_ITEMS, 3)))
    assert again.status_code == 400
    assert ScaleResult.objects.get(assignment=world.assignment, scale_id="total").value == 0


def test_phq15_for_a_man_through_the_api(world: World) -> None:
    world.patient_a.sex = "male"
    world.patient_a.save()
    assignment = _assign(world, "phq15")
    client = world.client_for("patient_a")
    with_item_4 = _response(assignment, {f"phq15_{n}": 2 for n in range(1, 16)})
    refused = _post(client, with_item_4)
    assert refused.status_code == 400
    assert refused.json()["issue"][0]["expression"] == [
        "QuestionnaireResponse.item.where(linkId='phq15_4')"
    ]
    response = _post(
        client, _response(assignment, {f"phq15_{n}": 2 for n in range(1, 16) if n != 4})
    )
    assert response.status_code == 201
    observations = _observations(response.json())
    assert observations["phq15.total"]["valueInteger"] == 28  # men: 14 items x 2
    assert observations["phq15.items_scored_2"]["valueInteger"] == 14


# ------------------------------------------------------ QuestionnaireResponse out


def test_a_completed_assignment_is_exported_as_it_was_answered(world: World) -> None:
    client = world.client_for("patient_a")
    answers = dict(zip(PHQ9_ITEMS, [1, 2, 3, 0, 1, 2, 3, 0, 0, 1], strict=True))
    assert _post(client, _response(world.assignment, answers)).status_code == 201
    before = _last_sequence()
    response = world.client_for("clinician_treating").get(
        f"{FHIR}/QuestionnaireResponse/{world.assignment.public_id}"
    )
    assert response.status_code == 200
    resource = response.json()
    QuestionnaireResponse.model_validate(resource)
    assert resource["id"] == str(world.assignment.public_id)
    assert resource["status"] == "completed"
    assert resource["questionnaire"] == "https://maatwerk.example/fhir/Questionnaire/phq9|1.2"
    exported = {
        item["linkId"]: int(item["answer"][0]["valueCoding"]["code"]) for item in resource["item"]
    }
    assert exported == answers
    assert "authored" in resource
    events = _new_events(before)
    assert [(e.action, e.object_type, e.outcome) for e in events] == [
        ("read", "questionnaire", "success")
    ]


def test_an_open_assignment_is_exported_in_progress(world: World) -> None:
    response = world.client_for("patient_a").get(
        f"{FHIR}/QuestionnaireResponse/{world.assignment.public_id}"
    )
    assert response.status_code == 200
    assert response.json()["status"] == "in-progress"
    assert "item" not in response.json()


def test_another_patients_answers_are_not_found(world: World) -> None:
    for role in ("patient_b", "clinician_other_team", "team_lead"):
        response = world.client_for(role).get(
            f"{FHIR}/QuestionnaireResponse/{world.assignment.public_id}"
        )
        assert response.status_code == 404


def test_the_openapi_schema_lists_the_fhir_endpoints(world: World) -> None:
    schema = world.client_for("clinician_treating").get("/api/v1/openapi.json").json()
    assert "/api/v1/fhir/QuestionnaireResponse" in schema["paths"]
    assert "/api/v1/fhir/Questionnaire/{instrument_code}" in schema["paths"]
    assert "/api/v1/fhir/CodeSystem" in schema["paths"]
    assert "/api/v1/fhir/CodeSystem/{code_system_id}" in schema["paths"]

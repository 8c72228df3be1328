"""Every FHIR resource Maatwerk exports or returns, checked by an independent validator.

``scripts/fhir_validate.mjs`` checks the resources against the official FHIR R4 (4.0.1)
StructureDefinitions (structure, cardinality, types, required bindings) and evaluates
every error-level invariant with fhirpath.js (npm ``fhirpath``); it shares no code with
Maatwerk's own mapping or with fhir.resources. The resources are fetched as a client
gets them: through the API and the export URLs, in Dutch and in English.
"""

from __future__ import annotations

import copy
import json
import shutil
import subprocess
from pathlib import Path
from typing import Any

import pytest
from django.conf import settings
from django.test import Client

from maatwerk.core.fhir.response import response_to_questionnaire_response
from maatwerk.core.instruments.registry import bundled_instruments, get_instrument
from maatwerk.web.questionnaires.models import Assignment
from tests.web.test_planning import plan_path
from tests.web.test_referrals import world_referral
from tests.web.world import World

ROOT = Path(__file__).resolve().parents[2]
VALIDATOR = ROOT / "scripts" / "fhir_validate.mjs"
FHIR = "/api/v1/fhir"


def _validate(folder: Path) -> tuple[int, str]:
    """Run the validator on a folder: (exit code, output)."""
    node = shutil.which("node")
    assert node is not None, "Node.js is needed for the FHIR validator (make install)"
    assert (ROOT / "node_modules" / "fhirpath").is_dir(), "run `npm ci` (make install)"
    assert (ROOT / "node_modules" / "@medplum" / "definitions").is_dir(), "run `npm ci`"
    done = subprocess.run(
        [node, str(VALIDATOR), str(folder)],
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
    )
    return done.returncode, done.stdout + done.stderr


def _errors(output: str) -> list[str]:
    return [line for line in output.splitlines() if line.startswith("ERROR ")]


def _client(world: World, role: str, language: str) -> Client:
    client = world.client_for(role)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
    return client


def _write(folder: Path, name: str, resource: object) -> None:
    (folder / f"{name}.json").write_text(json.dumps(resource, ensure_ascii=False), "utf-8")


def _get(client: Client, path: str) -> Any:
    response = client.get(path)
    assert response.status_code == 200, (path, response.content[:300])
    return json.loads(response.content)


def _assign(world: World, code: str) -> Assignment:
    instrument = get_instrument(code)
    return Assignment.objects.create(
        patient=world.patient_a,
        instrument_code=instrument.code,
        instrument_version=instrument.version,
        assigned_by=world.memberships["clinician_treating"],
    )


def _answer(
    client: Client,
    assignment: Assignment,
    answers: dict[str, int],
    language: str,
    not_applicable: frozenset[str] = frozenset(),
) -> Any:
    instrument = get_instrument(assignment.instrument_code, assignment.instrument_version)
    resource = response_to_questionnaire_response(
        instrument,
        answers,
        assignment_id=str(assignment.public_id),
        subject_id=str(assignment.patient.public_id),
        language=language,
        not_applicable=not_applicable,
    )
    response = client.post(
        f"{FHIR}/QuestionnaireResponse",
        data=json.dumps(resource),
        content_type="application/fhir+json",
    )
    assert response.status_code == 201, response.content
    return resource, json.loads(response.content)


def test_every_exported_and_returned_resource_is_valid_r4(world: World, tmp_path: Path) -> None:
    folder = tmp_path / "fhir"
    folder.mkdir()
    patient = {language: _client(world, "patient_a", language) for language in ("nl", "en")}
    clinician = {
        language: _client(world, "clinician_treating", language) for language in ("nl", "en")
    }
    kinds: dict[str, int] = {}

    def keep(name: str, resource: Any) -> None:
        kind = resource["resourceType"]
        kinds[kind] = kinds.get(kind, 0) + 1
        _write(folder, name, resource)

    # Every bundled Questionnaire, every version, in Dutch and in English.
    for instrument in bundled_instruments():
        for language in ("nl", "en"):
            keep(
                f"questionnaire-{instrument.code}-{instrument.version}-{language}",
                _get(
                    patient["nl"],
                    f"{FHIR}/Questionnaire/{instrument.code}"
                    f"?version={instrument.version}&language={language}",
                ),
            )
    # The CodeSystems: all of them as the searchset Bundle, and each one by id.
    code_systems = _get(patient["nl"], f"{FHIR}/CodeSystem")
    keep("code-systems", code_systems)
    for entry in code_systems["entry"]:
        keep(
            f"code-system-{entry['resource']['id']}",
            _get(patient["nl"], f"{FHIR}/CodeSystem/{entry['resource']['id']}"),
        )
    # Answers in (as a client sends them, in either language) and the API's replies:
    # Observations, and an OperationOutcome when the safety rule fires (PHQ-9 item 9).
    phq9 = _assign(world, "phq9")
    answers = {f"phq9_{n}": n % 4 for n in range(1, 11)}
    sent, reply = _answer(patient["nl"], phq9, answers, "nl")
    keep("sent-phq9-nl", sent)
    keep("reply-phq9", reply)
    assert any(e["resource"]["resourceType"] == "OperationOutcome" for e in reply["entry"])
    gad7 = _assign(world, "gad7")
    sent, reply = _answer(patient["en"], gad7, {f"gad7_{n}": 1 for n in range(1, 8)}, "en")
    keep("sent-gad7-en", sent)
    keep("reply-gad7", reply)
    # A PHQ-15 by a patient whose sex is not recorded, item 4 marked as not applying.
    world.patient_a.sex = "unknown"
    world.patient_a.save(update_fields=["sex"])
    phq15 = _assign(world, "phq15")
    sent, reply = _answer(
        patient["nl"],
        phq15,
        {f"phq15_{n}": 1 for n in range(1, 16) if n != 4},
        "nl",
        not_applicable=frozenset({"phq15_4"}),
    )
    keep("sent-phq15-not-applicable-nl", sent)
    keep("reply-phq15", reply)
    # Answers out, in both languages.
    for assignment in (phq9, gad7, phq15):
        for language in ("nl", "en"):
            keep(
                f"response-{assignment.instrument_code}-{language}",
                _get(clinician[language], f"{FHIR}/QuestionnaireResponse/{assignment.public_id}"),
            )
    # The CarePlan bundle with its Goals, in both languages, and a referral.
    careplan = plan_path(world, "careplan.json", goals=True)
    for language in ("nl", "en"):
        keep(f"careplan-{language}", _get(clinician[language], careplan))
    referral = world_referral(world)
    keep(
        "service-request",
        _get(clinician["nl"], f"/providers/referrals/{referral.public_id}/service-request.json"),
    )
    assert set(kinds) == {
        "Questionnaire",
        "CodeSystem",
        "Bundle",
        "QuestionnaireResponse",
        "ServiceRequest",
    }, kinds

    code, output = _validate(folder)
    errors = _errors(output)
    assert code == 0 and errors == [], "\n".join(errors) or output
    assert "0 errors" in output.splitlines()[-1]
    # The responses were checked against their canonical Questionnaire (texts, codes).
    assert " 9 responses checked" in output, output


# ------------------------------------------------------------- the validator can fail


def _phq9(language: str = "nl") -> dict[str, Any]:
    from maatwerk.core.fhir.questionnaire import instrument_to_questionnaire

    return instrument_to_questionnaire(get_instrument("phq9"), language=language)


def _care_plan_bundle() -> dict[str, Any]:
    return {
        "resourceType": "Bundle",
        "type": "collection",
        "entry": [
            {
                "fullUrl": "urn:uuid:0f8fad5b-d9cb-469f-a165-70867728950e",
                "resource": {
                    "resourceType": "CarePlan",
                    "status": "active",
                    "intent": "plan",
                    "subject": {"display": "a patient id"},
                    "goal": [{"reference": "urn:uuid:7c9e6679-7425-40de-944b-e07fc1f90ae7"}],
                },
            },
            {
                "fullUrl": "urn:uuid:7c9e6679-7425-40de-944b-e07fc1f90ae7",
                "resource": {
                    "resourceType": "Goal",
                    "id": "g1",
                    "lifecycleStatus": "active",
                    "description": {"text": "Wandelen"},
                    "subject": {"display": "a patient id"},
                },
            },
        ],
    }


def _broken_group(resource: dict[str, Any]) -> None:
    resource["item"].append({"linkId": "empty-group", "type": "group", "text": "Groep"})


def _missing_status(resource: dict[str, Any]) -> None:
    del resource["status"]


def _bad_code(resource: dict[str, Any]) -> None:
    resource["item"][1]["type"] = "multiple-choice"


def _unknown_element(resource: dict[str, Any]) -> None:
    resource["item"][1]["answer"] = []


def _relative_goal_url(bundle: dict[str, Any]) -> None:
    bundle["entry"][1]["fullUrl"] = "Goal/g1"


def _no_full_url(bundle: dict[str, Any]) -> None:
    del bundle["entry"][1]["fullUrl"]


@pytest.mark.parametrize(
    ("make", "break_it", "expected"),
    [
        (_phq9, _broken_group, "invariant que-1 fails"),
        (_phq9, _missing_status, "Questionnaire.status: minimum cardinality 1"),
        (_phq9, _bad_code, '"multiple-choice" is not in http://hl7.org/fhir/ValueSet/item-type'),
        (_phq9, _unknown_element, "unknown element answer"),
        (_care_plan_bundle, _relative_goal_url, '"Goal/g1" must be an absolute URL'),
        (_care_plan_bundle, _no_full_url, "needs a fullUrl"),
    ],
    ids=[
        "group-without-items",
        "no-status",
        "bad-item-type",
        "unknown-element",
        "relative-fullUrl",
        "no-fullUrl",
    ],
)
def test_the_validator_finds_a_broken_resource(
    tmp_path: Path, make: Any, break_it: Any, expected: str
) -> None:
    good = make()
    _write(tmp_path, "good", good)
    code, output = _validate(tmp_path)
    assert code == 0 and _errors(output) == [], output
    broken = copy.deepcopy(good)
    break_it(broken)
    _write(tmp_path, "good", broken)
    code, output = _validate(tmp_path)
    assert code == 1, output
    assert any(expected in line for line in _errors(output)), output


def test_the_validator_finds_a_response_that_does_not_match_its_questionnaire(
    tmp_path: Path,
) -> None:
    """One canonical url|version, one content: a response's texts and codes must be
    the Questionnaire's (in any of its languages)."""
    instrument = get_instrument("phq9")
    _write(tmp_path, "questionnaire", _phq9("nl"))
    english = response_to_questionnaire_response(instrument, {"phq9_1": 2}, language="en")
    _write(tmp_path, "response", english)
    code, output = _validate(tmp_path)
    assert code == 0, output  # the English text is the Dutch Questionnaire's translation
    english["item"][0]["text"] = "Something else"
    english["item"][0]["answer"][0]["valueCoding"]["code"] = "7"
    _write(tmp_path, "response", english)
    code, output = _validate(tmp_path)
    errors = "\n".join(_errors(output))
    assert code == 1
    assert "is not the Questionnaire's text for phq9_1" in errors
    assert "|7 is not an answerOption of phq9_1" in errors
    assert "7 is not a code of the CodeSystem" not in errors  # no CodeSystem in the folder
    # Two different contents under one canonical url|version are refused.
    changed = _phq9("en")
    changed["item"][1]["text"] = "A different question"
    _write(tmp_path, "response", changed)
    code, output = _validate(tmp_path)
    assert "names a different content" in "\n".join(_errors(output)), output

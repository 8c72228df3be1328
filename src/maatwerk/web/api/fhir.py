"""FHIR R4 endpoints under /api/v1/fhir/ (session authentication, like the rest of the API).

* ``GET  /fhir/Questionnaire/{code}[?version=&language=]`` - an instrument as a FHIR
  Questionnaire; no patient data, any logged-in user, not audited.
* ``GET  /fhir/CodeSystem`` and ``GET /fhir/CodeSystem/{id}`` - Maatwerk's own codes
  (answers, scales, care levels, modules, interventions, GAS) as FHIR CodeSystems: a
  ``searchset`` Bundle of all, or one by id; no patient data, any logged-in user, not
  audited (like the Questionnaire).
* ``POST /fhir/QuestionnaireResponse`` - answers an assignment. The body is a
  QuestionnaireResponse (``application/fhir+json`` or ``application/json``) with
  ``status`` completed, ``questionnaire`` = the canonical URL of the assignment's
  instrument (``https://maatwerk.example/fhir/Questionnaire/<code>[|<version>]``) and
  ``basedOn`` = ``[{"identifier": {"system": "https://maatwerk.example/fhir/assignment",
  "value": "<assignment id>"}}]``. The answers replace any answers saved earlier (the
  resource is the complete set); they are scored by the core exactly as a form
  submission is (``questionnaires.services.assignment_submit``). 201 with a Bundle of
  Observations (plus an OperationOutcome when a safety rule fired); 400 with an
  OperationOutcome when the resource is invalid, and then nothing is stored; 404 when
  the assignment does not exist or this user may not open it.
* ``GET  /fhir/QuestionnaireResponse/{assignment_id}`` - an assignment's answers
  (``status`` completed, in-progress or stopped).

The two QuestionnaireResponse endpoints open the assignment with the scoped opener
(``open_child``) and write exactly one audit event per request (``update`` or ``read``
on ``questionnaire``).
The mapping itself is the core's (``maatwerk.core.fhir``).
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import HttpResponse
from django.utils.translation import get_language
from ninja import Router

from maatwerk.core.common.json_types import JsonObject
from maatwerk.core.common.untrusted_input import load_json
from maatwerk.core.fhir.code_systems import bundled_code_systems
from maatwerk.core.fhir.errors import FhirMappingError, FhirProblem, IssueType
from maatwerk.core.fhir.observation import collection_bundle, safety_outcome, score_to_observations
from maatwerk.core.fhir.questionnaire import instrument_to_questionnaire
from maatwerk.core.fhir.response import (
    ResponseStatus,
    assignment_ids,
    questionnaire_reference,
    questionnaire_response_not_applicable,
    questionnaire_response_to_answers,
    response_to_questionnaire_response,
    subject_patient_ids,
)
from maatwerk.core.fhir.validation import structure_problems
from maatwerk.core.instruments.errors import UnknownInstrument
from maatwerk.core.instruments.registry import get_instrument
from maatwerk.web.audit.audited import InputRefused, audited
from maatwerk.web.common.http import ActorRequest
from maatwerk.web.patients.opening import PatientNotAccessible, open_child
from maatwerk.web.questionnaires import selectors, services
from maatwerk.web.questionnaires.models import Assignment

router = Router(tags=["FHIR"])

FHIR_JSON = "application/fhir+json"
_RESOURCE = {"content": {FHIR_JSON: {"schema": {"type": "object"}}}}
_OUTCOME = {"description": "OperationOutcome", **_RESOURCE}


def _fhir(resource: JsonObject, status: int = 200) -> HttpResponse:
    return HttpResponse(
        json.dumps(resource, ensure_ascii=False),
        status=status,
        content_type=f"{FHIR_JSON}; charset=utf-8",
    )


def _outcome(status: int, problems: Iterable[FhirProblem]) -> HttpResponse:
    issues = [
        {
            "severity": "error",
            "code": problem.issue,
            "diagnostics": problem.message,
            "expression": [problem.location],
        }
        for problem in problems
    ]
    return _fhir({"resourceType": "OperationOutcome", "issue": issues}, status)


def _problem(location: str, message: str, issue: IssueType = "invalid") -> FhirProblem:
    return FhirProblem(location, message, issue)


def _language(requested: str | None = None) -> str:
    language = (requested or get_language() or "nl").lower()
    return "en" if language.startswith("en") else "nl"


@router.get(
    "/Questionnaire/{instrument_code}",
    url_name="fhir_questionnaire",
    summary="An instrument as a FHIR Questionnaire",
    openapi_extra={
        "responses": {200: {"description": "Questionnaire", **_RESOURCE}, 404: _OUTCOME}
    },
)
def questionnaire_read(
    request: ActorRequest,
    instrument_code: str,
    version: str | None = None,
    language: str | None = None,
) -> HttpResponse:
    try:
        instrument = get_instrument(instrument_code, version)
    except UnknownInstrument as unknown:
        return _outcome(404, [_problem("Questionnaire", str(unknown), "not-found")])
    return _fhir(instrument_to_questionnaire(instrument, language=_language(language)))


@router.get(
    "/CodeSystem",
    url_name="fhir_code_systems",
    summary="Maatwerk's own code systems as a Bundle of FHIR CodeSystems",
    openapi_extra={"responses": {200: {"description": "Bundle (searchset)", **_RESOURCE}}},
)
def code_system_search(request: ActorRequest) -> HttpResponse:
    systems = bundled_code_systems()
    base = request.build_absolute_uri(request.path.rstrip("/"))
    return _fhir(
        {
            "resourceType": "Bundle",
            "type": "searchset",
            "total": len(systems),
            "entry": [
                {
                    "fullUrl": f"{base}/{system['id']}",
                    "resource": system,
                    "search": {"mode": "match"},
                }
                for system in systems
            ],
        }
    )


@router.get(
    "/CodeSystem/{code_system_id}",
    url_name="fhir_code_system",
    summary="One of Maatwerk's own code systems as a FHIR CodeSystem",
    openapi_extra={"responses": {200: {"description": "CodeSystem", **_RESOURCE}, 404: _OUTCOME}},
)
def code_system_read(request: ActorRequest, code_system_id: str) -> HttpResponse:
    for system in bundled_code_systems():
        if system["id"] == code_system_id:
            return _fhir(system)
    return _outcome(
        404,
        [_problem("CodeSystem", f"no Maatwerk CodeSystem with id {code_system_id!r}", "not-found")],
    )


def _not_found() -> HttpResponse:
    return _outcome(404, [_problem("QuestionnaireResponse", "Not found", "not-found")])


def _envelope_problems(resource: JsonObject) -> list[FhirProblem]:
    """What the API needs besides valid FHIR: completed, an assignment, a Questionnaire."""
    problems: list[FhirProblem] = []
    if resource.get("status") != "completed":
        problems.append(
            _problem(
                "QuestionnaireResponse.status",
                f"must be 'completed' to be scored, got {resource.get('status')!r}",
                "value",
            )
        )
    if len(assignment_ids(resource)) != 1:
        problems.append(
            _problem(
                "QuestionnaireResponse.basedOn",
                "exactly one basedOn.identifier with system "
                "https://maatwerk.example/fhir/assignment must name the Maatwerk assignment",
                "required",
            )
        )
    if questionnaire_reference(resource) is None:
        problems.append(
            _problem(
                "QuestionnaireResponse.questionnaire",
                "must be the canonical URL of a Maatwerk Questionnaire "
                "(https://maatwerk.example/fhir/Questionnaire/<code>|<version>)",
                "required",
            )
        )
    return problems


def _refuse(
    request: ActorRequest, opened: selectors.OpenedAssignment, problems: list[FhirProblem]
) -> HttpResponse:
    """Audit the refused submission (one ``refused`` event; nothing was stored) and
    answer 400 with every problem."""
    try:
        with audited(
            actor=request.actor,
            action="update",
            subject=opened.subject(selectors.OBJECT_QUESTIONNAIRE),
            emergency=opened.emergency,
        ):
            raise InputRefused({"QuestionnaireResponse": [p.message for p in problems]})
    except InputRefused:
        pass
    return _outcome(400, problems)


def _validation_problems(error: ValidationError) -> list[FhirProblem]:
    if not hasattr(error, "error_dict"):
        return [_problem("QuestionnaireResponse", message) for message in error.messages]
    return [
        _problem(
            f"QuestionnaireResponse.item.where(linkId='{item_id}')"
            if item_id
            else "QuestionnaireResponse",
            message,
        )
        for item_id, messages in error.message_dict.items()
        for message in messages
    ]


@router.post(
    "/QuestionnaireResponse",
    url_name="fhir_questionnaire_response_create",
    summary="Answer an assignment with a QuestionnaireResponse; returns the scores",
    openapi_extra={
        "requestBody": {"required": True, **_RESOURCE},
        "responses": {
            201: {"description": "Bundle of Observations", **_RESOURCE},
            400: _OUTCOME,
            404: _OUTCOME,
        },
    },
)
def questionnaire_response_create(request: ActorRequest) -> HttpResponse:
    try:
        resource = load_json(request.body, parse_float=Decimal)
    except (ValueError, UnicodeDecodeError):
        return _outcome(
            400,
            [
                _problem(
                    "QuestionnaireResponse", "the body must be a JSON FHIR resource", "structure"
                )
            ],
        )
    problems = list(structure_problems(resource, "QuestionnaireResponse"))
    if problems:
        return _outcome(400, problems)
    problems = _envelope_problems(resource)
    if problems:
        return _outcome(400, problems)
    try:
        opened = open_child(
            actor=request.actor,
            model=Assignment,
            object_id=assignment_ids(resource)[0],
            action="update",
            object_type=selectors.OBJECT_QUESTIONNAIRE,
        )
    except PatientNotAccessible:
        return _not_found()
    assignment = opened.object
    patient_id = str(opened.access.patient.public_id)
    instrument = services.instrument_of(assignment)
    if any(subject != patient_id for subject in subject_patient_ids(resource)):
        return _refuse(
            request,
            opened,
            [_problem("QuestionnaireResponse.subject", "is not the assignment's patient", "value")],
        )
    try:
        answers = questionnaire_response_to_answers(resource, instrument)
    except FhirMappingError as error:
        return _refuse(request, opened, list(error.problems))
    # The resource is the complete set of answers: answers saved earlier (autosave) to
    # items it leaves out are cleared.
    values = {
        item_id: ""
        for item_id, saved in selectors.answers_of(assignment).items()
        if saved.value is not None or saved.not_applicable
    }
    values |= {item_id: str(value) for item_id, value in answers.items()}
    # "Dit geldt niet voor mij" (data-absent-reason#not-applicable): the core decides
    # whether this patient may mark the item so.
    values |= dict.fromkeys(
        questionnaire_response_not_applicable(resource, instrument), services.NOT_APPLICABLE
    )
    try:
        with transaction.atomic():
            submission = services.assignment_submit(
                actor=request.actor, opened=opened, values=values
            )
    except InputRefused as refused:
        # Rolled back with the outer transaction (its refused event too): one event here.
        assignment.refresh_from_db()
        return _refuse(request, opened, _validation_problems(ValidationError(refused.errors)))
    except ValidationError as error:
        # Rolled back: no answer stored, and the service's own audit event neither.
        assignment.refresh_from_db()
        return _refuse(request, opened, _validation_problems(error))
    language = _language()
    resources = score_to_observations(
        instrument,
        submission.score,
        derived_from=f"QuestionnaireResponse/{assignment.public_id}",
        subject_id=patient_id,
        effective=assignment.completed_at,
        language=language,
    )
    outcome = safety_outcome(submission.score, language=language)
    if outcome is not None:
        resources.append(outcome)
    response = _fhir(collection_bundle(resources), status=201)
    response["Location"] = request.build_absolute_uri(
        f"{request.path.rstrip('/')}/{assignment.public_id}"
    )
    return response


_STATUS: dict[str, ResponseStatus] = {
    Assignment.Status.COMPLETED: "completed",
    Assignment.Status.CANCELLED: "stopped",
    Assignment.Status.OPEN: "in-progress",
    Assignment.Status.IN_PROGRESS: "in-progress",
}


@router.get(
    "/QuestionnaireResponse/{assignment_id}",
    url_name="fhir_questionnaire_response_read",
    summary="An assignment's answers as a QuestionnaireResponse",
    openapi_extra={
        "responses": {200: {"description": "QuestionnaireResponse", **_RESOURCE}, 404: _OUTCOME}
    },
)
def questionnaire_response_read(request: ActorRequest, assignment_id: str) -> HttpResponse:
    try:
        opened = open_child(
            actor=request.actor,
            model=Assignment,
            object_id=assignment_id,
            action="read",
            object_type=selectors.OBJECT_QUESTIONNAIRE,
        )
    except PatientNotAccessible:
        return _not_found()
    assignment = opened.object
    with audited(
        actor=request.actor,
        action="read",
        subject=opened.subject(selectors.OBJECT_QUESTIONNAIRE),
        emergency=opened.emergency,
        detail="FHIR QuestionnaireResponse",
    ):
        saved = selectors.answers_of(assignment)
        answered = [answer.answered_at for answer in saved.values() if answer.value is not None]
        authored = assignment.completed_at or (max(answered) if answered else None)
        resource = response_to_questionnaire_response(
            services.instrument_of(assignment),
            {item_id: answer.value for item_id, answer in saved.items()},
            not_applicable=frozenset(
                item_id for item_id, answer in saved.items() if answer.not_applicable
            ),
            status=_STATUS.get(assignment.status, "in-progress"),
            resource_id=str(assignment.public_id),
            assignment_id=str(assignment.public_id),
            subject_id=str(opened.access.patient.public_id),
            authored=authored,
            language=_language(),
        )
    return _fhir(resource)

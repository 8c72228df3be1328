"""Checking resources with ``fhir.resources`` (its R4B models: docs/adr/0005).

``fhir.resources`` checks structure and data types (required elements, one ``value[x]``,
no unknown elements); it does not check code bindings or profiles. It also coerces some
values (``true`` into an integer), so the readers in this package read the raw JSON
strictly after this check.
"""

from __future__ import annotations

from collections.abc import Mapping
from functools import cache
from typing import Any

from fhir.resources.R4B.bundle import Bundle
from fhir.resources.R4B.careplan import CarePlan
from fhir.resources.R4B.codesystem import CodeSystem
from fhir.resources.R4B.goal import Goal
from fhir.resources.R4B.observation import Observation
from fhir.resources.R4B.operationoutcome import OperationOutcome
from fhir.resources.R4B.questionnaire import Questionnaire
from fhir.resources.R4B.questionnaireresponse import QuestionnaireResponse
from fhir.resources.R4B.servicerequest import ServiceRequest
from pydantic import BaseModel, ValidationError

from maatwerk.core.fhir.errors import FhirMappingError, FhirProblem


@cache
def _models() -> dict[str, type[BaseModel]]:
    return {
        "Questionnaire": Questionnaire,
        "QuestionnaireResponse": QuestionnaireResponse,
        "Observation": Observation,
        "Bundle": Bundle,
        "OperationOutcome": OperationOutcome,
        "ServiceRequest": ServiceRequest,
        "CarePlan": CarePlan,
        "Goal": Goal,
        "CodeSystem": CodeSystem,
    }


def _location(resource_type: str, parts: tuple[int | str, ...]) -> str:
    location = resource_type
    for part in parts:
        if isinstance(part, int):
            location += f"[{part}]"
        else:
            location += f".{part}"
    return location


def structure_problems(resource: object, resource_type: str) -> tuple[FhirProblem, ...]:
    """Every structural problem ``fhir.resources`` finds in ``resource`` (none: ``()``)."""
    if not isinstance(resource, Mapping):
        return (FhirProblem(resource_type, "must be a JSON object", "structure"),)
    found = resource.get("resourceType")
    if found != resource_type:
        return (
            FhirProblem(
                f"{resource_type}.resourceType",
                f"must be {resource_type!r}, got {found!r}",
                "structure",
            ),
        )
    try:
        _models()[resource_type].model_validate(dict(resource))
    except ValidationError as error:
        return tuple(
            FhirProblem(
                _location(resource_type, tuple(e["loc"])),
                str(e["msg"]).removeprefix("Value error, "),
                "structure",
            )
            for e in error.errors()
        )
    return ()


def validate_resource(resource: Mapping[str, Any], resource_type: str) -> None:
    """Raise ``FhirMappingError`` when ``resource`` is not a valid ``resource_type``."""
    problems = structure_problems(resource, resource_type)
    if problems:
        raise FhirMappingError(f"invalid FHIR {resource_type}", problems)

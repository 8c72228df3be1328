"""A patient's complete record as one FHIR R4 ``Bundle`` of type ``collection``.

The web layer collects every stored row about the patient into :class:`RecordItem`
values (one per row, with its fields as text) and the access log into
:class:`AccessEntry` values; this module turns them into resources:

- the patient as a ``Patient`` (identifier, name, year of birth, administrative gender);
- every stored row as a ``Basic`` resource: ``code`` names the kind of data (a code in
  Maatwerk's ``record-item`` code system, with its readable name as ``text``), ``subject``
  the patient, ``created`` when it was stored, and one ``extension`` per field whose url
  names the field and whose ``valueString`` holds its stored value — nothing is left out,
  so the Bundle is the complete, machine-readable copy (GDPR art. 15 and 20);
- completed questionnaires additionally as ``QuestionnaireResponse`` resources made by
  :mod:`maatwerk.core.fhir.response` (passed in ready-made);
- every access-log line as an ``AuditEvent`` (who, when, what, outcome, emergency).
"""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from maatwerk.core.common.json_types import JsonObject
from maatwerk.core.fhir.constants import BASE, PATIENT_IDENTIFIER_SYSTEM
from maatwerk.core.fhir.response import fhir_datetime

RECORD_ITEM_SYSTEM = f"{BASE}/CodeSystem/record-item"
RECORD_FIELD_URL = f"{BASE}/StructureDefinition/record-field"
ACCESS_ACTION_SYSTEM = f"{BASE}/CodeSystem/access-action"
# DICOM audit event type "Patient Record" (used by FHIR AuditEvent examples).
AUDIT_TYPE = {
    "system": "http://dicom.nema.org/resources/ontology/DCM",
    "code": "110110",
    "display": "Patient Record",
}
# FHIR R4 AuditEvent.action codes (C create, R read, U update, D delete, E execute).
_FHIR_ACTION = {"create": "C", "read": "R", "update": "U", "delete": "D", "search": "E"}
# FHIR R4 AuditEvent.outcome: 0 success, 4 minor failure (a refusal).
_FHIR_OUTCOME = {"success": "0"}
_GENDER = {"female": "female", "male": "male", "other": "other"}


@dataclass(frozen=True)
class RecordField:
    name: str
    label: str
    value: str  # the stored value as text (a code stays a code)
    shown: str  # the value as a person reads it (a code's label)


@dataclass(frozen=True)
class RecordItem:
    """One stored row about the patient (a row of a part and the rows under it)."""

    kind: str  # e.g. "questionnaires.Assignment"
    kind_label: str
    part_label: str
    ref: str
    created: datetime | None
    fields: tuple[RecordField, ...]
    children: tuple[RecordItem, ...] = ()


@dataclass(frozen=True)
class PatientIdentity:
    ref: str
    name: str
    birth_year: int | None
    sex: str


@dataclass(frozen=True)
class AccessEntry:
    """One line of the access log (already grouped: ``repeats`` events)."""

    at: datetime
    first_at: datetime
    who: str
    role: str
    action: str
    action_label: str
    object_type: str
    object_label: str
    outcome: str
    emergency: bool
    repeats: int


def patient_resource(identity: PatientIdentity) -> JsonObject:
    resource: JsonObject = {
        "resourceType": "Patient",
        "id": identity.ref,
        "identifier": [{"system": PATIENT_IDENTIFIER_SYSTEM, "value": identity.ref}],
        "name": [{"text": identity.name}],
    }
    if identity.birth_year:
        resource["birthDate"] = f"{identity.birth_year:04d}"
    if identity.sex in _GENDER:
        resource["gender"] = _GENDER[identity.sex]
    return resource


def _flatten(item: RecordItem) -> list[RecordItem]:
    found = [item]
    for child in item.children:
        found.extend(_flatten(child))
    return found


def basic_resource(item: RecordItem, patient_ref: str) -> JsonObject:
    resource: JsonObject = {
        "resourceType": "Basic",
        "id": _resource_id(item.kind, item.ref),
        "identifier": [{"system": f"{RECORD_ITEM_SYSTEM}/{item.kind}", "value": item.ref}],
        "code": {
            "coding": [{"system": RECORD_ITEM_SYSTEM, "code": item.kind}],
            "text": f"{item.part_label}: {item.kind_label}",
        },
        "subject": {"reference": f"Patient/{patient_ref}"},
    }
    if item.created is not None:
        resource["created"] = item.created.date().isoformat()
    extensions = [
        {"url": f"{RECORD_FIELD_URL}#{item.kind}.{field.name}", "valueString": field.value}
        for field in item.fields
        if field.value != ""
    ]
    if extensions:
        resource["extension"] = extensions
    return resource


def audit_event_resource(entry: AccessEntry, patient_ref: str, index: int) -> JsonObject:
    resource: JsonObject = {
        "resourceType": "AuditEvent",
        "id": f"access-{index}",
        "type": AUDIT_TYPE,
        "subtype": [
            {"system": ACCESS_ACTION_SYSTEM, "code": entry.action, "display": entry.action_label}
        ],
        "recorded": fhir_datetime(entry.at),
        "period": {"start": fhir_datetime(entry.first_at), "end": fhir_datetime(entry.at)},
        "outcome": _FHIR_OUTCOME.get(entry.outcome, "4"),
        "outcomeDesc": f"{entry.outcome}; {entry.repeats}x",
        "agent": [
            {
                "who": {"display": entry.who or "-"},
                "requestor": True,
                "role": [{"text": entry.role or "-"}],
            }
        ],
        "source": {"observer": {"display": "Maatwerk"}},
        "entity": [
            {
                "what": {"reference": f"Patient/{patient_ref}"},
                "description": entry.object_label,
            }
        ],
    }
    if entry.action in _FHIR_ACTION:
        resource["action"] = _FHIR_ACTION[entry.action]
    if entry.emergency:
        resource["purposeOfEvent"] = [
            {
                "coding": [
                    {
                        "system": "http://terminology.hl7.org/CodeSystem/v3-ActReason",
                        "code": "ETREAT",
                        "display": "Emergency Treatment",
                    }
                ]
            }
        ]
    return resource


def _resource_id(kind: str, ref: str) -> str:
    """A FHIR id ([A-Za-z0-9-.]{1,64}) that is the same for the same row every time."""
    return str(uuid.uuid5(uuid.NAMESPACE_URL, f"{RECORD_ITEM_SYSTEM}/{kind}/{ref}"))


def record_bundle(
    *,
    identity: PatientIdentity,
    items: Sequence[RecordItem],
    questionnaire_responses: Sequence[JsonObject],
    access: Sequence[AccessEntry],
    made_at: datetime,
) -> JsonObject:
    """The complete copy: Patient, every row (Basic), the questionnaire answers
    (QuestionnaireResponse) and the access log (AuditEvent), in one collection Bundle."""
    resources: list[JsonObject] = [patient_resource(identity)]
    for item in items:
        resources.extend(basic_resource(row, identity.ref) for row in _flatten(item))
    resources.extend(questionnaire_responses)
    resources.extend(
        audit_event_resource(entry, identity.ref, index)
        for index, entry in enumerate(access, start=1)
    )
    return {
        "resourceType": "Bundle",
        "id": str(uuid.uuid5(uuid.NAMESPACE_URL, f"{BASE}/record/{identity.ref}/{made_at}")),
        "type": "collection",
        "timestamp": fhir_datetime(made_at),
        "entry": [
            {"fullUrl": f"urn:uuid:{_entry_uuid(resource)}", "resource": resource}
            for resource in resources
        ],
    }


def _entry_uuid(resource: JsonObject) -> str:
    return str(
        uuid.uuid5(uuid.NAMESPACE_URL, f"{BASE}/{resource['resourceType']}/{resource.get('id')}")
    )


def count_rows(items: Sequence[RecordItem]) -> int:
    return sum(len(_flatten(item)) for item in items)

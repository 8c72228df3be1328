"""The copy as a FHIR R4 collection Bundle: every row a Basic, the access log as
AuditEvents, valid for fhir.resources."""

from __future__ import annotations

from datetime import UTC, datetime

from fhir.resources.R4B.bundle import Bundle

from maatwerk.core.records.bundle import (
    AccessEntry,
    PatientIdentity,
    RecordField,
    RecordItem,
    count_rows,
    record_bundle,
)

NOW = datetime(2026, 12, 6, 12, 0, tzinfo=UTC)
IDENTITY = PatientIdentity(
    ref="6f1c1b8e-0000-4000-8000-000000000001", name="Sophie", birth_year=1990, sex="female"
)
ANSWER = RecordItem(
    kind="questionnaires.Answer",
    kind_label="answer",
    part_label="Vragenlijsten",
    ref="7",
    created=NOW,
    fields=(RecordField("value", "value", "2.000", "2.000"),),
)
ASSIGNMENT = RecordItem(
    kind="questionnaires.Assignment",
    kind_label="assignment",
    part_label="Vragenlijsten",
    ref="a-1",
    created=NOW,
    fields=(
        RecordField("instrument_code", "instrument", "phq9", "phq9"),
        RecordField("note", "note", "", ""),
    ),
    children=(ANSWER,),
)
ACCESS = AccessEntry(
    at=NOW,
    first_at=NOW,
    who="Dr. A",
    role="zorgverlener",
    action="read",
    action_label="bekeken",
    object_type="patient",
    object_label="dossier",
    outcome="success",
    emergency=True,
    repeats=3,
)


def _bundle() -> dict[str, object]:
    return record_bundle(
        identity=IDENTITY,
        items=[ASSIGNMENT],
        questionnaire_responses=[],
        access=[ACCESS],
        made_at=NOW,
    )


def test_every_row_and_its_children_become_basic_resources_of_the_patient() -> None:
    bundle = _bundle()
    resources = [entry["resource"] for entry in bundle["entry"]]  # type: ignore[index, union-attr]
    kinds = [r["resourceType"] for r in resources]
    assert kinds == ["Patient", "Basic", "Basic", "AuditEvent"]
    assignment = resources[1]
    assert assignment["identifier"][0]["value"] == "a-1"
    assert assignment["subject"] == {"reference": f"Patient/{IDENTITY.ref}"}
    # Empty fields are left out; stored values stay as stored.
    assert [e["valueString"] for e in assignment["extension"]] == ["phq9"]
    assert count_rows([ASSIGNMENT]) == 2


def test_the_access_log_line_is_an_audit_event_with_emergency_and_repeats() -> None:
    event = [e["resource"] for e in _bundle()["entry"]][-1]  # type: ignore[index, union-attr]
    assert event["action"] == "R" and event["outcome"] == "0"
    assert event["purposeOfEvent"][0]["coding"][0]["code"] == "ETREAT"
    assert event["outcomeDesc"].endswith("3x")


def test_the_bundle_is_valid_fhir_and_the_same_input_gives_the_same_ids() -> None:
    bundle = _bundle()
    parsed = Bundle.model_validate(bundle)
    assert parsed.type == "collection"
    assert [e["fullUrl"] for e in bundle["entry"]] == [  # type: ignore[index, union-attr]
        e["fullUrl"]
        for e in _bundle()["entry"]  # type: ignore[index, union-attr]
    ]

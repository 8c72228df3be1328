"""A complete copy of the patient's record (F26; GDPR art. 15/20, Wabvpz 15d/15e).

Completeness is checked against Django's app registry: every model with a key to the
patient is in a part of the copy or listed with a reason, and every stored row of the
patient (with the rows under it) appears in the FHIR Bundle."""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from datetime import timedelta
from decimal import Decimal
from typing import Any

import pytest
from django.db import connection
from django.db.models import Model
from django.http import HttpResponse
from django.test import override_settings
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from fhir.resources.R4B.bundle import Bundle

from maatwerk.core.instruments.registry import get_instrument
from maatwerk.web.audit.models import AuditEvent
from maatwerk.web.audit.selectors import audit_chain_verify
from maatwerk.web.background.worker import run_worker
from maatwerk.web.questionnaires.models import Answer, Assignment
from maatwerk.web.records.collect import _children_of, root_rows
from maatwerk.web.records.copies import copy_content
from maatwerk.web.records.jobs import expired_copies_purge
from maatwerk.web.records.models import RecordCopy
from maatwerk.web.records.parts import (
    ADMINISTRATIVE,
    NOT_IN_COPY,
    PART_OF,
    model_label,
    models_with_patient_key,
)
from maatwerk.web.records.tasks import record_copy_build
from maatwerk.web.treatment.models import Message

# The committed-database fixture of the background tests (audit triggers around it).
from tests.web.test_background import (  # noqa: F401
    DATABASE_TASKS,
    _audit_triggers_restored,
    _patient_sends,
    committed,
)
from tests.web.test_formulation import world_formulation
from tests.web.test_safety_plan import ensure_safety_plan
from tests.web.test_treatment import world_response
from tests.web.world import World

MINE = "/records/mine/"
# Every query a copy makes: one per model and relation of the record, the access log and
# the questionnaires as FHIR, whatever the number of rows.
QUERIES_PER_COPY = 60


def world_record_copy(world: World) -> RecordCopy:
    """A ready copy patient A asked for (for the authorization matrix and audit coverage)."""
    found = RecordCopy.objects.filter(requested_by=world.users["patient_a"]).first()
    if found is not None:
        return found
    return RecordCopy.objects.create(
        patient=world.patient_a,
        requested_by=world.users["patient_a"],
        expires_at=timezone.now() + timedelta(days=7),
        status=RecordCopy.Status.READY,
        ready_at=timezone.now(),
        fhir_bundle=b'{"resourceType": "Bundle", "type": "collection"}',
        pdf=b"%PDF-1.7 test",
    )


def cache_directives(response: HttpResponse) -> set[str]:
    """The Cache-Control directives, in any order (PrivateResponseMiddleware sets them)."""
    return {part.strip().split("=")[0] for part in response["Cache-Control"].split(",")}


def test_every_model_with_a_patient_key_is_in_the_copy_or_listed_with_a_reason() -> None:
    found = {model_label(model) for model in models_with_patient_key()}
    listed = set(PART_OF) | set(ADMINISTRATIVE) | set(NOT_IN_COPY)
    assert found - listed == set(), "add these models to web/records/parts.py"
    assert listed - found == set(), "these listed models have no key to the patient any more"
    assert not set(NOT_IN_COPY) & (set(PART_OF) | set(ADMINISTRATIVE))
    assert all(len(reason) > 20 for reason in NOT_IN_COPY.values())


def _rich_record(world: World) -> World:
    """Patient A with data in many parts: questionnaires, a safety alert, personal
    measures (the world), a formulation, a safety plan, homework and a message."""
    world_formulation(world)
    ensure_safety_plan(world)
    world_response(world)
    _patient_sends(world, "Mijn buikpijn is erger.")
    return world


def _all_rows(world: World) -> Iterator[Model]:
    def walk(row: Model) -> Iterator[Model]:
        yield row
        for child in _children_of(row):
            yield from walk(child)

    for model in models_with_patient_key():
        if model_label(model) in NOT_IN_COPY:
            continue
        for row in root_rows(world.patient_a, model):
            yield from walk(row)


def many_rows(world: World, assignments: int) -> int:
    """Patient A with ``assignments`` completed PHQ-9s (nine answers each) and as many
    messages each way: the kind of record that grows over a long treatment. Returns the
    number of rows added."""
    instrument = get_instrument("phq9")
    clinician = world.memberships["clinician_treating"]
    patient_user, clinician_user = world.users["patient_a"], world.users["clinician_treating"]
    done = timezone.now() - timedelta(days=1)
    made = Assignment.objects.bulk_create(
        Assignment(
            patient=world.patient_a,
            instrument_code="phq9",
            instrument_version=instrument.version,
            assigned_by=clinician,
            status=Assignment.Status.COMPLETED,
            completed_at=done,
        )
        for _ in range(assignments)
    )
    items = [item.id for item in instrument.items][:9]
    Answer.objects.bulk_create(
        Answer(assignment=assignment, item_id=item, value=Decimal(n % 4), answered_by=patient_user)
        for assignment in made
        for n, item in enumerate(items)
    )
    Message.objects.bulk_create(
        Message(
            patient=world.patient_a,
            author=author,
            from_patient=author == patient_user,
            text=f"Bericht {n}",
        )
        for n in range(assignments)
        for author in (patient_user, clinician_user)
    )
    return assignments * (1 + len(items) + 2)


def test_a_copy_reads_the_record_in_batches_whatever_its_size(
    world: World, django_assert_max_num_queries: Callable[..., Any]
) -> None:
    """One query per model and relation, never one per row (a demo patient with 240 rows
    took 45 s under load when every row asked for the rows under it)."""
    _rich_record(world)
    many_rows(world, 5)
    with CaptureQueriesContext(connection) as small:
        small_rows = copy_content(world.patient_a).rows
    many_rows(world, 60)
    with django_assert_max_num_queries(len(small.captured_queries)) as large:
        large_rows = copy_content(world.patient_a).rows
    assert large_rows > small_rows + 600
    assert len(large.captured_queries) <= QUERIES_PER_COPY


def _ask_copy(world: World, role: str, capture: Callable[..., Any]) -> RecordCopy:
    client = world.client_for(role)
    url = (
        MINE + "copy/"
        if role == "patient_a"
        else f"/records/patients/{world.patient_a.public_id}/copy/"
    )
    with capture(execute=True):
        response = client.post(url)
    assert response.status_code == 302
    return RecordCopy.objects.filter(requested_by=world.users[role]).latest("requested_at")


def test_the_patients_copy_holds_every_stored_row_and_the_access_log(
    world: World, django_capture_on_commit_callbacks: Callable[..., Any]
) -> None:
    _rich_record(world)
    copy = _ask_copy(world, "patient_a", django_capture_on_commit_callbacks)
    assert copy.status == RecordCopy.Status.READY

    client = world.client_for("patient_a")
    before = AuditEvent.objects.count()
    response = client.get(f"/records/copies/{copy.public_id}/fhir/")
    assert response.status_code == 200
    assert {"no-store", "private"} <= cache_directives(response)
    assert response["Content-Type"].startswith("application/fhir+json")
    event = AuditEvent.objects.order_by("-sequence").first()
    assert AuditEvent.objects.count() == before + 1
    assert event is not None
    assert (event.action, event.object_type, event.outcome, event.patient_ref) == (
        "export",
        "record_copy",
        "success",
        str(world.patient_a.public_id),
    )

    bundle = json.loads(response.content)
    assert Bundle.model_validate(bundle).type == "collection"
    resources = [entry["resource"] for entry in bundle["entry"]]
    basics = {
        (r["code"]["coding"][0]["code"], r["identifier"][0]["value"])
        for r in resources
        if r["resourceType"] == "Basic"
    }
    expected = {
        (model_label(type(row)), str(getattr(row, "public_id", row.pk))) for row in _all_rows(world)
    } | {("patients.Patient", str(world.patient_a.public_id))}
    assert expected - basics == set()
    kinds = {kind for kind, _ in expected}
    # Parts the rich record has, down to the rows under them.
    assert {
        "questionnaires.Assignment",
        "questionnaires.SafetyAlert",
        "questionnaires.SafetyAlertEvent",
        "personalized.MeasureItem",
        "formulation.FormulationVersion",
        "safetyplan.SafetyPlanVersion",
        "treatment.ExerciseResponse",
        "treatment.Message",
        "patients.CareEpisode",
        "patients.CareTeamMember",
        "patients.Patient",
    } <= kinds
    message = next(
        r
        for r in resources
        if r["resourceType"] == "Basic" and r["code"]["coding"][0]["code"] == "treatment.Message"
    )
    assert "Mijn buikpijn is erger." in [e["valueString"] for e in message["extension"]]
    assert any(r["resourceType"] == "Patient" for r in resources)
    audit_events = [r for r in resources if r["resourceType"] == "AuditEvent"]
    assert audit_events, "the access log is part of the copy"
    # No secret leaves the server: the relative's token digest, password hashes.
    assert "token_digest" not in response.content.decode()
    assert "argon2" not in response.content.decode()

    pdf = client.get(f"/records/copies/{copy.public_id}/pdf/")
    assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF")
    assert {"no-store", "private"} <= cache_directives(pdf)


def test_a_clinician_of_the_care_team_can_make_a_copy_and_only_the_asker_downloads_it(
    world: World, django_capture_on_commit_callbacks: Callable[..., Any]
) -> None:
    copy = _ask_copy(world, "clinician_treating", django_capture_on_commit_callbacks)
    path = f"/records/copies/{copy.public_id}/fhir/"
    assert world.client_for("clinician_treating").get(path).status_code == 200
    # The patient may open the record but this copy was not asked by them: 403, audited.
    assert world.client_for("patient_a").get(path).status_code == 403
    denied = AuditEvent.objects.order_by("-sequence").first()
    assert denied is not None and (denied.outcome, denied.action) == ("denied", "export")
    for role in ("patient_b", "clinician_other_team", "clinician_other_org", "org_admin"):
        assert world.client_for(role).get(path).status_code == 404, role


def test_an_expired_copy_is_gone_and_the_purge_job_removes_its_content(
    world: World, django_capture_on_commit_callbacks: Callable[..., Any]
) -> None:
    copy = _ask_copy(world, "patient_a", django_capture_on_commit_callbacks)
    later = timezone.now() + timedelta(days=8)
    RecordCopy.objects.filter(pk=copy.pk).update(expires_at=timezone.now() - timedelta(seconds=1))
    client = world.client_for("patient_a")
    assert client.get(f"/records/copies/{copy.public_id}/pdf/").status_code == 404
    assert expired_copies_purge(later) == 1
    assert expired_copies_purge(later) == 0  # idempotent
    copy.refresh_from_db()
    assert copy.status == RecordCopy.Status.EXPIRED
    assert copy.fhir_bundle is None and copy.pdf is None


def test_a_copy_whose_file_is_gone_says_so_and_is_not_kept(world: World) -> None:
    copy = world_record_copy(world)
    RecordCopy.objects.filter(pk=copy.pk).update(pdf=None)
    response = world.client_for("patient_a").get(f"/records/copies/{copy.public_id}/pdf/")
    assert response.status_code == 410
    assert {"no-store", "private"} <= cache_directives(response)


def test_making_a_copy_twice_does_nothing_the_second_time(
    world: World, django_capture_on_commit_callbacks: Callable[..., Any]
) -> None:
    copy = _ask_copy(world, "patient_a", django_capture_on_commit_callbacks)
    first = bytes(copy.fhir_bundle or b"")
    assert record_copy_build.call(str(copy.public_id)) == 0
    copy.refresh_from_db()
    assert bytes(copy.fhir_bundle or b"") == first


def test_the_portal_page_shows_the_copy_and_the_privacy_page_links_to_it(world: World) -> None:
    client = world.client_for("patient_a")
    page = client.get(MINE)
    assert page.status_code == 200
    assert {"no-store", "private"} <= cache_directives(page)
    assert "/records/mine/" in client.get("/portal/privacy/").content.decode()


@pytest.mark.usefixtures("committed")
@override_settings(TASKS=DATABASE_TASKS)
def test_the_worker_makes_the_copy_once(world: World) -> None:
    client = world.client_for("patient_a")
    assert client.post(MINE + "copy/").status_code == 302
    copy = RecordCopy.objects.get()
    assert copy.status == RecordCopy.Status.PREPARING  # enqueued with its id, not yet made
    run_worker(scheduler=None, batch=True, interval=0)
    copy.refresh_from_db()
    assert copy.status == RecordCopy.Status.READY and copy.rows > 0
    made = copy.ready_at
    record_copy_build.enqueue(str(copy.public_id))  # a redelivery
    run_worker(scheduler=None, batch=True, interval=0)
    copy.refresh_from_db()
    assert copy.ready_at == made
    assert audit_chain_verify().ok

"""Queries compiled once per process (maatwerk.web.common.prepared) send exactly what
Django would compile for the same values, and read the same rows: checked for each
prepared query of the code base, on the engine the suite runs on (both in `make test`)."""

from __future__ import annotations

import uuid
from datetime import timedelta
from typing import Any

import pytest
from django.contrib.sessions.models import Session
from django.db import connection
from django.test import Client
from django.utils import timezone

from maatwerk.web.accounts import sessions
from maatwerk.web.common import actor as actor_module
from maatwerk.web.common.prepared import PreparedQuery
from maatwerk.web.monitoring.models import Prompt
from maatwerk.web.patients import opening
from maatwerk.web.patients.models import Patient
from maatwerk.web.questionnaires.models import Assignment
from tests.web.test_monitoring_answering import _prompt, _schedule
from tests.web.world import World, sign_in

pytestmark = pytest.mark.django_db


def _same_as_django(prepared: PreparedQuery[Any], **values: Any) -> None:
    """The prepared SQL and parameters equal Django's compilation of the same query."""
    expected = prepared._build(**values).query.sql_with_params()
    assert prepared.bound_sql(**values) == (expected[0], tuple(expected[1]))


def _row_facts(rows: list[Any], *paths: str) -> list[tuple[Any, ...]]:
    def get(row: Any, path: str) -> Any:
        for part in path.split("."):
            row = getattr(row, part)
        return row

    return [tuple(get(row, path) for path in paths) for row in rows]


def test_the_session_query_matches_django_and_skips_expired_sessions(world: World) -> None:
    client = sign_in(Client(), world.users["patient_a"])
    key = client.session.session_key
    now = timezone.now()
    _same_as_django(sessions._UNEXPIRED, key=key, now=now)
    _same_as_django(sessions._UNEXPIRED, key="not-a-session", now=now - timedelta(days=3))
    found = sessions._UNEXPIRED.first(key=key, now=now)
    assert found is not None
    assert found.session_data == Session.objects.get(session_key=key).session_data

    Session.objects.filter(session_key=key).update(expire_date=now - timedelta(seconds=1))
    store = sessions.SessionStore(session_key=key)
    assert store.load() == {}
    assert store.session_key is None, "an expired key starts a new, empty session"
    assert client.get("/portal/").status_code == 302, "signed out"


def test_a_live_session_signs_in_through_the_prepared_store(world: World) -> None:
    client = sign_in(Client(), world.users["patient_a"])
    assert client.get("/portal/").status_code == 200


def test_the_signed_in_user_query_matches_django_with_its_facts(world: World) -> None:
    patient_user = world.users["patient_a"]
    clinician = world.users["clinician_treating"]
    for user in (patient_user, clinician):
        _same_as_django(actor_module._SIGNED_IN_USER, pk=user.pk)
        _same_as_django(actor_module._ACTIVE_MEMBERSHIPS, user_id=user.pk)

    read = actor_module.signed_in_user(patient_user.pk)
    assert read is not None
    assert read.patient.organization == world.patient_a.organization
    assert (read.actor_has_memberships, read.actor_has_totp) == (False, False)  # type: ignore[attr-defined]
    reread = actor_module.signed_in_user(clinician.pk)
    assert reread is not None and reread.actor_has_memberships  # type: ignore[attr-defined]
    assert actor_module.signed_in_user(-5) is None

    memberships = actor_module._ACTIVE_MEMBERSHIPS.rows(user_id=clinician.pk)
    django_rows = list(actor_module._active_memberships(clinician.pk))
    paths = ("pk", "organization.name", "role", "is_active")
    assert _row_facts(memberships, *paths) == _row_facts(django_rows, *paths)


def test_the_openers_queries_match_django(world: World) -> None:
    patient = world.patient_a
    _same_as_django(opening._PATIENT_BY_ID, public_id=patient.public_id)
    _same_as_django(opening._PATIENT_BY_ID, public_id=uuid.uuid4())
    found = opening._PATIENT_BY_ID.first(public_id=str(patient.public_id))
    assert found == patient and found.organization == patient.organization
    assert opening._PATIENT_BY_ID.first(public_id=uuid.uuid4()) is None

    prompt = _prompt(_schedule(world), expires=timedelta(hours=1))
    for model, path, related, object_ in (
        (Prompt, "patient", (), prompt),
        (Prompt, "schedule__patient", ("schedule",), prompt),
        (Assignment, "patient", (), Assignment.objects.filter(patient=patient).first()),
    ):
        if object_ is None:
            continue
        query = opening._child_by_id(model, path, related)
        assert query is opening._child_by_id(model, path, related), "one per shape"
        _same_as_django(query, public_id=object_.public_id)
        opened = query.first(public_id=object_.public_id)
        assert opened == object_
        owner = opened
        for part in path.split("__"):
            owner = getattr(owner, part)
        assert owner == patient and owner.organization == patient.organization


def test_a_prepared_query_reads_with_as_many_queries_as_django(
    world: World, django_assert_num_queries: Any
) -> None:
    patient = world.patient_a
    opening._PATIENT_BY_ID.first(public_id=patient.public_id)  # compiled: no query
    with django_assert_num_queries(1):
        found = opening._PATIENT_BY_ID.first(public_id=patient.public_id)
        assert found is not None
        assert found.organization.name and found.user is not None  # read with it


def test_values_that_change_the_sql_or_miss_it_are_refused(world: World) -> None:
    with pytest.raises(ValueError, match="None"):
        opening._PATIENT_BY_ID.first(public_id=None)
    with pytest.raises(TypeError, match="expected values"):
        opening._PATIENT_BY_ID.first(id=1)
    ignored = PreparedQuery(
        lambda public_id: Patient.objects.all()[:1], {"public_id": (Patient, "public_id")}
    )
    with pytest.raises(TypeError, match="does not reach"):
        ignored.first(public_id=uuid.uuid4())


def test_a_value_used_twice_is_bound_in_both_places(world: World) -> None:
    from django.db.models import Q

    twice = PreparedQuery(
        lambda name: Patient.objects.filter(Q(full_name=name) | Q(user__full_name=name)),
        {"name": (Patient, "full_name")},
    )
    name = world.patient_a.full_name
    _same_as_django(twice, name=name)
    assert twice.rows(name=name) == list(twice._build(name=name))
    assert connection.vendor in {"sqlite", "postgresql"}


def test_the_locking_reads_match_django_and_need_a_transaction(world: World) -> None:
    from unittest import mock

    from django.db.transaction import TransactionManagementError

    from maatwerk.web.audit import services as audit_services
    from maatwerk.web.treatment.services import exercises

    _same_as_django(audit_services._LOCKED_HEAD)
    _same_as_django(exercises._LOCKED_STATUS, pk=12)
    _same_as_django(exercises._LOCKED_RESPONSE, assignment_id=3, exercise_id="g_schema", entry=2)
    with (
        mock.patch.object(connection, "get_autocommit", return_value=True),
        pytest.raises(TransactionManagementError),
    ):
        exercises._LOCKED_STATUS.first(pk=12)


def test_the_access_checks_reads_match_django(world: World) -> None:
    membership = world.memberships["clinician_treating"]
    patient = world.patient_a
    for prepared, build in (
        (opening._CARE_TEAM_ENTRIES, opening._care_team_entries),
        (opening._EMERGENCY_GRANTS, opening._emergency_grants),
    ):
        _same_as_django(prepared, membership_id=membership.pk, patient_id=patient.pk)
        assert prepared.rows(membership_id=membership.pk, patient_id=patient.pk) == list(
            build(patient.pk, membership_id=membership.pk)
        )
    assert opening._CARE_TEAM_ENTRIES.rows(membership_id=membership.pk, patient_id=patient.pk)


def test_a_clinician_with_two_memberships_in_the_organization_is_checked_through_both(
    world: World,
) -> None:
    from maatwerk.web.common.actor import actor_for_user
    from tests.web.world import make_membership

    # The treating clinician also works in the other team: their care-team entry is found
    # with both memberships (the path that is not prepared).
    user = world.users["clinician_treating"]
    make_membership(user, world.patient_a.organization, "clinician", world.team_other, "psycholoog")
    clinician = actor_for_user(user, access_point="test")
    assert len(clinician.memberships) == 2
    entries = opening._for_memberships(
        opening._CARE_TEAM_ENTRIES,
        opening._care_team_entries,
        list(clinician.memberships),
        world.patient_a,
    )
    expected = list(
        opening._care_team_entries(
            world.patient_a.pk, membership_id__in=[m.pk for m in clinician.memberships]
        )
    )
    assert entries == expected and len(entries) == 1
    assert entries[0].membership == world.memberships["clinician_treating"]


def test_the_answer_saves_reads_match_django(world: World) -> None:
    from maatwerk.web.questionnaires import services as questionnaire_services

    _same_as_django(questionnaire_services._ANSWERS_OF, assignment_id=7)
    _same_as_django(questionnaire_services._ALERT_OF, assignment_id=7)


def test_the_licensed_texts_lookup_matches_django(world: World) -> None:
    from maatwerk.web.questionnaires import instruments

    _same_as_django(
        instruments._LICENSED_TEXTS_VERSION,
        organization_id=world.org_a.pk,
        code="tsk",
        version="1.0",
    )

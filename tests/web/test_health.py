"""The liveness view: answers without a database, a session or an audit event."""

from __future__ import annotations

import pytest
from django.test import Client

from maatwerk.web.audit.models import AuditEvent


@pytest.mark.django_db
def test_health_answers_ok_without_session_or_audit(django_assert_max_num_queries) -> None:
    with django_assert_max_num_queries(0):
        response = Client().get("/health/")
    assert response.status_code == 200
    assert response.content == b"ok"
    assert "sessionid" not in response.cookies
    assert AuditEvent.objects.count() == 0


@pytest.mark.django_db
def test_health_refuses_writes() -> None:
    assert Client().post("/health/").status_code == 405

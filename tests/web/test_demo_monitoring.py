"""The demo's monitoring (issue 14): four weeks of daily-life questions and ROM for
several patients, one who stopped responding, and charts with the patient's notes, made
through the real services with a fixed seed."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from maatwerk.web.accounts.models import User
from maatwerk.web.audit.models import AuditEvent
from maatwerk.web.demo.monitoring import NOTES, PLANS, demo_monitoring_load
from maatwerk.web.monitoring.models import (
    DeliveryLogEntry,
    MonitoringSchedule,
    Prompt,
    PromptState,
)
from maatwerk.web.ownresults.models import DAY_TOPIC, ResultNote
from maatwerk.web.patients.models import Patient
from tests.web.world import sign_in

pytestmark = pytest.mark.django_db


def _load() -> None:
    from maatwerk.web.demo.services import demo_load

    demo_load()


def test_the_demo_has_four_weeks_of_answers_a_patient_who_stopped_and_notes() -> None:
    _load()
    now = timezone.now()
    for plan in PLANS:
        patient = Patient.objects.get(full_name=plan.patient)
        answered = Prompt.objects.filter(patient=patient, state=PromptState.ANSWERED)
        first = answered.order_by("due_at").first()
        assert first is not None and first.due_at < now - timedelta(days=26)
        assert answered.count() > 20
        # Every answer went through the patient's own audited answer service.
        assert (
            AuditEvent.objects.filter(
                patient_ref=str(patient.public_id), object_type="monitoring_prompt", action="update"
            ).count()
            == answered.count()
        )
    henk = Patient.objects.get(full_name="Henk Bos")
    recent = Prompt.objects.filter(
        patient=henk, kind=Prompt.Kind.EMA, due_at__gte=now - timedelta(days=4), due_at__lte=now
    )
    assert recent.exists() and not recent.filter(state=PromptState.ANSWERED).exists()
    yasmina = Patient.objects.get(full_name="Yasmina Ouali")
    assert DeliveryLogEntry.objects.filter(
        prompt__patient=yasmina, event=DeliveryLogEntry.Event.BOUNCE
    ).exists()
    sophie = Patient.objects.get(full_name="Sophie Jansen")
    notes = ResultNote.objects.filter(patient=sophie, topic=DAY_TOPIC)
    assert sorted(n.text for n in notes) == sorted(text for _days, text in NOTES)


def test_the_demo_monitoring_is_the_same_every_time() -> None:
    _load()
    patients = {p.full_name: p for p in Patient.objects.all()}
    clinicians = {
        "poh": User.objects.get(email="poh-ggz@demo.maatwerk.nl"),
        "gz": User.objects.get(email="gz-psycholoog@demo.maatwerk.nl"),
    }
    now = timezone.now()

    def run() -> list[tuple[str, str, str, object]]:
        Prompt.objects.all().delete()
        MonitoringSchedule.objects.all().delete()
        ResultNote.objects.all().delete()
        demo_monitoring_load(patients=patients, clinicians=clinicians, now=now)
        return list(
            Prompt.objects.order_by("patient__full_name", "key").values_list(
                "patient__full_name", "key", "state", "answers"
            )
        )

    first = run()
    assert len(first) > 250
    assert run() == first


def test_the_caseload_and_charts_of_the_demo() -> None:
    _load()
    clinician = Client()
    sign_in(clinician, User.objects.get(email="poh-ggz@demo.maatwerk.nl"))
    page = clinician.get(reverse("monitoring:caseload")).context["page"]
    assert "Yasmina Ouali" in [r.patient_name for r in page.bouncing]
    gz = Client()
    sign_in(gz, User.objects.get(email="gz-psycholoog@demo.maatwerk.nl"))
    page = gz.get(reverse("monitoring:caseload")).context["page"]
    assert [r.patient_name for r in page.stopped] == ["Henk Bos"]
    assert [r.patient_name for r in page.overdue] == ["Henk Bos"]
    sophie = Patient.objects.get(full_name="Sophie Jansen")
    response = clinician.get(reverse("monitoring:patient", args=[sophie.public_id]))
    charts = response.context["page"].charts
    assert len(charts.daily) == 4 and len(charts.pairings) == 2
    assert charts.courses  # her questionnaire course with its reliable-change band
    html = response.content.decode()
    assert all(text in html for _days, text in NOTES)

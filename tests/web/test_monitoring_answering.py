"""The patient's answering pages: open questions, one prompt's sliders and choices, an
entry of their own, the installable app (manifest, service worker) and answers that
arrive twice (an offline retry) stored once. One audit event per request."""

from __future__ import annotations

import re
import uuid
from datetime import time, timedelta
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone, translation

from maatwerk.core.monitoring.ema import EmaSchedule
from maatwerk.web.audit.models import AuditEvent
from maatwerk.web.common.actor import actor_for_user
from maatwerk.web.monitoring import services
from maatwerk.web.monitoring.models import (
    Channel,
    DeliveryLogEntry,
    MonitoringSchedule,
    Prompt,
    PromptState,
)
from maatwerk.web.patients.opening import Audience, open_patient
from tests.web.world import World

ITEMS = [
    {"key": "bank:pain"},
    {"key": "node:n1", "text": "Hoe sterk denk je nu: 'dit gaat nooit over'?"},
    {"key": "bank:where"},
]


def _schedule(world: World) -> MonitoringSchedule:
    clinician = actor_for_user(world.users["clinician_treating"], access_point="test")
    opened = open_patient(
        actor=clinician,
        patient_id=str(world.patient_a.public_id),
        action="create",
        audience=Audience.CARE_TEAM,
    )
    today = timezone.now().date()
    return services.create_ema_schedule(
        clinician,
        opened,
        schedule=EmaSchedule(
            start_date=today - timedelta(days=1),
            days=14,
            seed=1,
            fixed_times=(time(9, 0),),
            response_window=timedelta(minutes=30),
            event_contingent=True,
            max_events_per_day=3,
        ),
        items=ITEMS,
        channel=Channel.FILE,
        now=timezone.now() - timedelta(days=1),
    )


def _prompt(
    schedule: MonitoringSchedule, *, state: str = PromptState.SENT, expires: timedelta
) -> Prompt:
    now = timezone.now()
    return Prompt.objects.create(
        schedule=schedule,
        patient=schedule.patient,
        kind=Prompt.Kind.EMA,
        key=f"test:{uuid.uuid4()}",
        due_at=now - timedelta(minutes=5),
        expires_at=now + expires,
        state=state,
        channel=schedule.channel,
    )


def _events() -> list[tuple[str, str, str]]:
    return list(
        AuditEvent.objects.order_by("sequence").values_list("action", "outcome", "object_type")
    )


def _valid_answer(answer_id: str) -> dict[str, str]:
    return {
        "bank:pain": "40",
        "node:n1": "70",
        "bank:where": _first_option(),
        "answer_id": answer_id,
    }


def _first_option() -> str:
    from maatwerk.core.monitoring.items import ChoiceResponse, bundled_ema_items

    response = bundled_ema_items().item("where").response
    assert isinstance(response, ChoiceResponse)
    return response.options[0].id


@pytest.fixture
def patient(world: World) -> Client:
    return world.client_for("patient_a")


def test_the_list_shows_open_questions_and_the_own_entry_button(
    world: World, patient: Client
) -> None:
    schedule = _schedule(world)
    prompt = _prompt(schedule, expires=timedelta(hours=1))
    _prompt(schedule, state=PromptState.ANSWERED, expires=timedelta(hours=1))
    before = AuditEvent.objects.count()
    with translation.override("nl"):
        response = patient.get(reverse("monitoring:mine"), HTTP_ACCEPT_LANGUAGE="nl")
    assert response.status_code == 200
    html = response.content.decode()
    assert reverse("monitoring:answer", kwargs={"prompt_id": prompt.public_id}) in html
    assert html.count('class="button big"') == 1  # the answered one is not offered
    assert "Ik heb nu een pijnaanval" in html
    assert 'rel="manifest"' in html
    assert AuditEvent.objects.count() == before + 1
    assert _events()[-1] == ("read", "success", "monitoring_prompts")


def test_a_prompt_shows_sliders_and_choices_from_the_item_bank(
    world: World, patient: Client
) -> None:
    prompt = _prompt(_schedule(world), expires=timedelta(hours=1))
    response = patient.get(
        reverse("monitoring:answer", kwargs={"prompt_id": prompt.public_id}),
        HTTP_ACCEPT_LANGUAGE="nl",
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert html.count('type="range"') == 2
    assert 'min="0" max="100"' in html or 'min="0" max="10"' in html
    assert "dit gaat nooit over" in html  # the patient's own words
    assert 'type="radio"' in html
    visible = re.sub(r"<[^>]+>", " ", html)
    assert "bank:" not in visible and "node:" not in visible  # no item key on screen
    prompt.refresh_from_db()
    assert prompt.state == PromptState.OPENED
    assert _events()[-1] == ("read", "success", "monitoring_prompt")


def test_an_answer_is_stored_and_the_same_answer_again_is_stored_once(
    world: World, patient: Client
) -> None:
    prompt = _prompt(_schedule(world), expires=timedelta(hours=1))
    url = reverse("monitoring:answer", kwargs={"prompt_id": prompt.public_id})
    answer_id = str(uuid.uuid4())
    first = patient.post(url, _valid_answer(answer_id), HTTP_ACCEPT="application/json")
    assert first.status_code == 200 and first.json()["saved"] is True
    # The service worker sends the kept copy again (the first reply was lost).
    again = patient.post(url, _valid_answer(answer_id), HTTP_ACCEPT="application/json")
    assert again.status_code == 200 and again.json()["saved"] is True
    prompt.refresh_from_db()
    assert prompt.state == PromptState.ANSWERED
    assert prompt.answers == {"bank:pain": 40, "node:n1": 70, "bank:where": _first_option()}
    assert "note" not in prompt.answers  # an empty note is not stored
    assert str(prompt.answer_id) == answer_id
    assert prompt.log.filter(event=DeliveryLogEntry.Event.ANSWER).count() == 1
    # The answer and its log entry are one write (one statement on PostgreSQL): the
    # entry tells the same moment and state as the prompt.
    logged = prompt.log.get(event=DeliveryLogEntry.Event.ANSWER)
    assert prompt.answered_at is not None and logged.at == prompt.answered_at
    assert (logged.state_after, logged.channel, logged.detail) == (PromptState.ANSWERED, "", "")
    assert prompt.reminded is False
    assert _events()[-2:] == [("update", "success", "monitoring_prompt")] * 2
    # A different answer to the answered prompt is refused, with a message.
    other = patient.post(url, _valid_answer(str(uuid.uuid4())), HTTP_ACCEPT="application/json")
    assert other.status_code == 400
    assert other.json()["errors"]
    assert _events()[-1] == ("update", "refused", "monitoring_prompt")
    prompt.refresh_from_db()
    assert str(prompt.answer_id) == answer_id


def test_bad_answers_are_refused_on_their_question_and_nothing_is_saved(
    world: World, patient: Client
) -> None:
    prompt = _prompt(_schedule(world), expires=timedelta(hours=1))
    url = reverse("monitoring:answer", kwargs={"prompt_id": prompt.public_id})
    before = AuditEvent.objects.count()
    response = patient.post(
        url,
        {
            "bank:pain": "101",
            "node:n1": "",
            "bank:where": "moon",
            "answer_id": "not-an-id",
            "note": "x" * 301,
        },
        HTTP_ACCEPT_LANGUAGE="nl",
    )
    assert response.status_code == 400
    errors = response.context["form"].errors
    assert set(errors) == {"bank:pain", "node:n1", "bank:where", "answer_id", "note"}
    assert "Zet de schuif op je antwoord" in response.content.decode()
    prompt.refresh_from_db()
    assert prompt.state == PromptState.SENT and prompt.answers is None
    assert AuditEvent.objects.count() == before + 1
    assert _events()[-1] == ("update", "refused", "monitoring_prompt")


def test_an_expired_prompt_is_refused_with_a_message(world: World, patient: Client) -> None:
    prompt = _prompt(_schedule(world), expires=timedelta(seconds=-1))
    url = reverse("monitoring:answer", kwargs={"prompt_id": prompt.public_id})
    response = patient.post(url, _valid_answer(str(uuid.uuid4())), HTTP_ACCEPT="application/json")
    assert response.status_code == 400
    assert response.json()["errors"]
    prompt.refresh_from_db()
    assert prompt.answers is None and prompt.state != PromptState.ANSWERED
    assert _events()[-1] == ("update", "refused", "monitoring_prompt")


def test_the_patient_starts_an_entry_of_their_own(world: World, patient: Client) -> None:
    schedule = _schedule(world)
    response = patient.post(
        reverse("monitoring:start_entry"), {"schedule": str(schedule.public_id)}
    )
    assert response.status_code == 302
    prompt = Prompt.objects.get(schedule=schedule, kind=Prompt.Kind.EVENT)
    assert response["Location"] == reverse(
        "monitoring:answer", kwargs={"prompt_id": prompt.public_id}
    )
    assert _events()[-1] == ("create", "success", "monitoring_prompt")
    answered = patient.post(
        response["Location"], _valid_answer(str(uuid.uuid4())), HTTP_ACCEPT="application/json"
    )
    assert answered.status_code == 200


def test_another_patient_cannot_open_or_answer_the_prompt(world: World) -> None:
    prompt = _prompt(_schedule(world), expires=timedelta(hours=1))
    other = world.client_for("patient_b")
    url = reverse("monitoring:answer", kwargs={"prompt_id": prompt.public_id})
    assert other.get(url).status_code == 404
    assert _events()[-1][1] == "denied"
    assert other.post(url, _valid_answer(str(uuid.uuid4()))).status_code == 404
    assert _events()[-1][1] == "denied"
    prompt.refresh_from_db()
    assert prompt.state == PromptState.SENT
    clinician = world.client_for("clinician_treating")
    assert clinician.get(reverse("monitoring:mine")).status_code == 404


def test_the_app_is_installable_and_its_worker_keeps_to_the_answering_pages(
    world: World, patient: Client
) -> None:
    manifest = patient.get(reverse("monitoring:manifest"))
    assert manifest["Content-Type"].startswith("application/manifest+json")
    body = manifest.json()
    assert body["scope"] == body["start_url"] == reverse("monitoring:mine")
    assert body["display"] == "standalone" and body["icons"]
    worker = patient.get(reverse("monitoring:sw"))
    assert worker["Service-Worker-Allowed"] == reverse("monitoring:mine")
    script = worker.content.decode()
    assert "indexedDB.open" in script and "answer_id" in script
    assert reverse("monitoring:sw").rsplit("/", 1)[0] + "/" == reverse("monitoring:mine")


# ------------------------------------------------------------------ the clinician's pages


def test_the_clinician_reads_one_patients_rom_and_answers_per_day(world: World) -> None:
    schedule = _schedule(world)
    noted = _prompt(schedule, state=PromptState.ANSWERED, expires=timedelta(hours=1))
    Prompt.objects.filter(pk=noted.pk).update(
        answered_at=timezone.now(), answers={"bank:pain": 80, "note": "Ruzie op het werk"}
    )
    _prompt(schedule, state=PromptState.EXPIRED, expires=timedelta(hours=1))
    _prompt(schedule, state=PromptState.DELIVERED, expires=timedelta(hours=1))
    rom = _prompt(schedule, state=PromptState.SENT, expires=timedelta(days=7))
    Prompt.objects.filter(pk=rom.pk).update(kind=Prompt.Kind.ROM, instrument="phq9")
    clinician = world.client_for("clinician_treating")
    dossier = clinician.get(reverse("clinic:patient_detail", args=[world.patient_a.public_id]))
    url = reverse("monitoring:patient", args=[world.patient_a.public_id])
    assert url in dossier.content.decode()
    before = AuditEvent.objects.count()
    response = clinician.get(url, HTTP_ACCEPT_LANGUAGE="nl")
    assert response.status_code == 200
    page = response.context["page"]
    assert (page.sent, page.answered) == (3, 1)
    assert page.rom.overdue == 1 and page.rom.done == 0
    html = response.content.decode()
    assert "1 van 3" in html and "phq9" not in html
    assert "Ruzie op het werk" in html  # the patient's note
    assert AuditEvent.objects.count() == before + 1
    assert _events()[-1] == ("read", "success", "monitoring_overview")
    other = world.client_for("clinician_other_org")
    assert other.get(url).status_code == 404
    assert _events()[-1][1] == "denied"


def test_the_caseload_shows_who_is_overdue_stopped_or_bouncing(world: World) -> None:
    schedule = _schedule(world)
    now = timezone.now()
    for hours in (5, 20, 40):
        quiet = _prompt(schedule, state=PromptState.EXPIRED, expires=timedelta(hours=1))
        Prompt.objects.filter(pk=quiet.pk).update(due_at=now - timedelta(hours=hours))
    bounced = _prompt(schedule, state=PromptState.BOUNCED, expires=timedelta(hours=1))
    DeliveryLogEntry.objects.create(
        prompt=bounced, event=DeliveryLogEntry.Event.BOUNCE, state_after="bounced", at=now
    )
    clinician = world.client_for("clinician_treating")
    before = AuditEvent.objects.count()
    response = clinician.get(reverse("monitoring:caseload"), HTTP_ACCEPT_LANGUAGE="nl")
    assert response.status_code == 200
    page = response.context["page"]
    assert [r.patient_name for r in page.stopped] == [world.patient_a.full_name]
    assert [r.bounces for r in page.bouncing] == [1]
    assert page.overdue == ()
    assert AuditEvent.objects.count() == before + 1
    assert _events()[-1] == ("read", "success", "monitoring_caseload")
    # Another organization's clinician sees none of it.
    other = world.client_for("clinician_other_org").get(reverse("monitoring:caseload"))
    assert other.context["page"].rows == ()


def world_prompt(world: World) -> Prompt:
    """An open EMA prompt of patient A (made directly, so that making it writes no audit
    event), for the authorization matrix."""
    found = Prompt.objects.filter(patient=world.patient_a, key="world").first()
    if found is not None:
        return found
    now = timezone.now()
    schedule = MonitoringSchedule.objects.create(
        patient=world.patient_a,
        kind=MonitoringSchedule.Kind.EMA,
        rules={},
        items=ITEMS,
        channel=Channel.FILE,
    )
    return Prompt.objects.create(
        schedule=schedule,
        patient=world.patient_a,
        kind=Prompt.Kind.EMA,
        key="world",
        due_at=now - timedelta(minutes=1),
        expires_at=now + timedelta(hours=1),
        state=PromptState.SENT,
        channel=Channel.FILE,
    )


def test_the_busiest_pages_keep_their_query_count(
    world: World, django_assert_max_num_queries: Any
) -> None:
    schedule = _schedule(world)
    for _ in range(5):
        _prompt(schedule, expires=timedelta(hours=1))
    patient = world.client_for("patient_a")
    patient.get(reverse("monitoring:mine"))  # warm the session
    with django_assert_max_num_queries(25):  # 3 of them for the page, however many prompts
        assert patient.get(reverse("monitoring:mine")).status_code == 200
    clinician = world.client_for("clinician_treating")
    clinician.get(reverse("monitoring:caseload"))
    with django_assert_max_num_queries(25):  # aggregate queries: not one per patient
        assert clinician.get(reverse("monitoring:caseload")).status_code == 200


def test_patient_and_clinician_see_the_answers_as_a_line_over_the_days(world: World) -> None:
    schedule = _schedule(world)
    now = timezone.now()
    for n, (days_ago, pain) in enumerate(((0, 40), (0, 60), (1, 20), (3, 90))):
        prompt = _prompt(schedule, state=PromptState.ANSWERED, expires=timedelta(hours=1))
        Prompt.objects.filter(pk=prompt.pk).update(
            due_at=now - timedelta(days=days_ago, minutes=10 + n),
            answered_at=now - timedelta(days=days_ago, minutes=5),
            answers={"bank:pain": pain, "node:n1": 5, "bank:where": _first_option()},
        )
    patient = world.client_for("patient_a")
    html = patient.get(reverse("monitoring:mine"), HTTP_ACCEPT_LANGUAGE="nl").content.decode()
    assert html.count('<figure class="feedback-chart"') == 2  # the two sliders
    assert html.count('type="application/json"') == 2  # each one's Vega-Lite specification
    assert "vendor/vega-lite.min.js" in html and "js/charts.js" in html
    assert "<td>50</td>" in html  # today's mean pain, in the table of numbers
    clinician = world.client_for("clinician_treating")
    page = clinician.get(reverse("monitoring:patient", args=[world.patient_a.public_id]))
    pain = page.context["page"].charts.daily[0]
    assert pain.rows[-1][1] == "50"  # today's mean, and a gap on day -2 (null in the line)
    values = pain.spec["layer"][0]["data"]["values"]
    assert [v["value"] for v in values[-4:]] == [90, None, 20, 50]
    assert "feedback-chart" in page.content.decode()
    # The chart's text is at least 12 px on a phone (Vega draws it at the spec's sizes).
    axis = pain.spec["config"]["axis"]
    assert min(axis["labelFontSize"], axis["titleFontSize"]) >= 12


def settings_static_css() -> Any:
    from pathlib import Path

    import maatwerk.web

    return Path(maatwerk.web.__file__).parent / "static" / "css" / "maatwerk.css"

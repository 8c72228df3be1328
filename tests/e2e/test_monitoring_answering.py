"""The patient answers three daily-life questions on a phone: the first online with a
note ("what happened"), the second while the phone is offline (kept by the service worker
and sent once the connection is back, stored once), the third online again, and sees the
answers as a line. The clinician then sees the compliance and the patient's note. axe
finds no serious or critical violation on any of these pages."""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import timedelta

import pytest
from playwright.sync_api import Page, expect

from tests.e2e.conftest import Person, assert_accessible, enter_totp, log_in, log_out

pytestmark = pytest.mark.e2e

MINE = "/monitoring/me/"


def _open_prompts(patient: Person, count: int) -> list[str]:
    from django.utils import timezone

    from maatwerk.web.monitoring.models import Channel, MonitoringSchedule, Prompt, PromptState
    from maatwerk.web.patients.models import Patient

    record = Patient.objects.get(user__email=patient.email)
    schedule = MonitoringSchedule.objects.create(
        patient=record,
        kind=MonitoringSchedule.Kind.EMA,
        rules={},
        items=[{"key": "bank:pain"}, {"key": "bank:where"}],
        channel=Channel.FILE,
    )
    now = timezone.now()
    return [
        str(
            Prompt.objects.create(
                schedule=schedule,
                patient=record,
                kind=Prompt.Kind.EMA,
                key=f"e2e:{n}",
                due_at=now - timedelta(minutes=5 + n),
                expires_at=now + timedelta(hours=1),
                state=PromptState.SENT,
                channel=Channel.FILE,
            ).public_id
        )
        for n in range(count)
    ]


def _answer(page: Page, note: str = "") -> None:
    page.locator("main input[type=range]").fill("70")
    page.locator("main .choice input[type=radio]").first.check()
    if note:
        page.fill("main textarea[name=note]", note)
    page.click("main form#answer-form button[type=submit]")


def test_a_patient_answers_online_and_offline_and_each_answer_is_stored_once(
    page: Page,
    make_clinician: Callable[..., Person],
    make_patient_in_care: Callable[..., Person],
) -> None:
    from maatwerk.web.monitoring.models import DeliveryLogEntry, Prompt, PromptState

    clinician = make_clinician()
    patient = make_patient_in_care(clinician)
    first, second, third = _open_prompts(patient, 3)

    log_in(page, patient.email, patient.password)
    page.goto(MINE)
    page.evaluate("async () => { await navigator.serviceWorker.ready; }")
    page.reload()  # now controlled by the service worker
    expect(page.locator("main h1")).to_have_text("Mijn vragen")
    assert_accessible(page, "the patient's questions")

    # Online: answered in one go, back on the list with a thank-you.
    page.goto(f"{MINE}{first}/")
    assert_accessible(page, "a daily-life question")
    _answer(page, note="Lang gewandeld met de hond")
    expect(page).to_have_url(re.compile(re.escape(MINE) + r"\?saved=1$"))
    expect(page.locator("#answer-status")).to_contain_text("opgeslagen")

    # Offline: the page was loaded, the phone loses its connection, the answer is kept.
    page.goto(f"{MINE}{second}/")
    page.context.set_offline(True)
    _answer(page)
    expect(page.locator("#answer-status")).to_contain_text("bewaard op deze telefoon")
    assert Prompt.objects.get(public_id=second).state != PromptState.ANSWERED

    # Back online: the kept answer is sent, and stored once.
    page.context.set_offline(False)
    page.evaluate("async () => (await navigator.serviceWorker.ready).active.postMessage('flush')")
    expect(page.locator("#answer-status")).to_contain_text("verstuurd", timeout=15000)
    page.goto(MINE)  # loading a page flushes again: nothing left to send twice
    answered = Prompt.objects.get(public_id=second)
    assert answered.state == PromptState.ANSWERED and answered.answers["bank:pain"] == 70
    assert answered.log.filter(event=DeliveryLogEntry.Event.ANSWER).count() == 1

    # The third, online again.
    page.goto(f"{MINE}{third}/")
    _answer(page)
    expect(page).to_have_url(re.compile(re.escape(MINE) + r"\?saved=1$"))
    assert Prompt.objects.filter(state=PromptState.ANSWERED).count() == 3
    assert DeliveryLogEntry.objects.filter(event=DeliveryLogEntry.Event.ANSWER).count() == 3

    # The answers as a line over the days.
    page.reload()
    expect(page.locator("main figure.feedback-chart svg[role=img]").first).to_be_visible()
    assert_accessible(page, "the patient's questions with the chart")

    # The choice of messages (what is sent and when) is readable too.
    page.goto(f"{MINE}notifications/")
    expect(page.locator("main h1")).to_have_text("Berichten over vragen")
    assert_accessible(page, "the choice of messages")

    # The clinician sees that all three were answered, and the patient's note.
    log_out(page)
    log_in(page, clinician.email, clinician.password)
    enter_totp(page, clinician.totp_secret)
    page.goto(f"/monitoring/patients/{_patient_id(patient)}/")
    expect(page.locator("main")).to_contain_text("3 van 3 vragen beantwoord (100%)")
    expect(page.locator("main")).to_contain_text("Lang gewandeld met de hond")
    assert_accessible(page, "the clinician's monitoring of the patient")


def _patient_id(patient: Person) -> str:
    from maatwerk.web.patients.models import Patient

    return str(Patient.objects.get(user__email=patient.email).public_id)

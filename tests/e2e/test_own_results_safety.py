"""The patient's own results page with an open safety signal, in a real browser: the page
opens with what the care team does about it and the crisis lines (tap to call), the
course that looks better points to it, and axe finds no serious or critical violation."""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta

import pytest
from playwright.sync_api import BrowserContext, expect

from tests.e2e.conftest import Person, assert_accessible, log_in, record_phq9_course

pytestmark = pytest.mark.e2e

RESULTS = "/portal/results/"


def _improved_with_an_open_signal(clinician: Person, patient: Person) -> None:
    """PHQ-9 16 six weeks ago and 8 now (a reliable improvement that crossed the line),
    and an open signal from an answer on item 9, as the questionnaire raises it."""
    from django.utils import timezone

    from maatwerk.web.accounts.models import User
    from maatwerk.web.common.actor import actor_for_user
    from maatwerk.web.organizations.models import Membership
    from maatwerk.web.patients.models import Patient
    from tests.web.world import open_item9_alert

    record = Patient.objects.get(user__email=patient.email)
    user = User.objects.get(email=clinician.email)
    membership = Membership.objects.filter(user=user).first()
    assert membership is not None
    actor = actor_for_user(user, access_point="test")
    assignment = record_phq9_course(actor, record, membership, ((2, 42), (1, 1)))
    now = timezone.now()
    open_item9_alert(
        assignment, raised_at=now - timedelta(hours=1), pick_up_deadline=now + timedelta(hours=3)
    )


def test_an_open_signal_leads_the_own_results_page(
    new_context: Callable[..., BrowserContext],
    make_clinician: Callable[..., Person],
    make_patient_in_care: Callable[..., Person],
) -> None:
    clinician = make_clinician()
    patient = make_patient_in_care(clinician)
    _improved_with_an_open_signal(clinician, patient)

    page = new_context().new_page()
    log_in(page, patient.email, patient.password)
    page.goto(RESULTS)
    block = page.locator("main section.own-safety")
    expect(block).to_be_visible()
    # The first section heading of the page is the block's, before any score.
    expect(page.locator("main h2").first).to_have_text("Je zorgteam weet het")
    expect(block.locator("a[href='tel:08000113']")).to_be_visible()
    expect(block.locator("a[href='/portal/safety-plan/']")).to_be_visible()
    course = page.locator("main p.own-course").first
    expect(course).to_contain_text("Het gaat beter dan de eerste keer.")
    expect(course).to_contain_text("Lees ook wat bovenaan deze pagina staat.")
    assert_accessible(page, "the patient's results with an open safety signal")

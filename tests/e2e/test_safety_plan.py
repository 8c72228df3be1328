"""The patient's safety plan on a phone: tap-to-call numbers, a change of their own, and
the plan still readable when the phone goes offline; logging out removes the offline copy.
axe finds no serious or critical violation on the pages."""

from __future__ import annotations

import re
from collections.abc import Callable

import pytest
from playwright.sync_api import BrowserContext, ConsoleMessage, Page, expect

from tests.e2e.conftest import Person, assert_accessible, log_in, log_out

pytestmark = pytest.mark.e2e

PLAN_PAGE = "/portal/safety-plan/"


def _make_plan(clinician: Person, patient: Person) -> None:
    from maatwerk.core.safety_plan import bundled_safety_plan_content
    from maatwerk.web.accounts.models import User
    from maatwerk.web.common.actor import actor_for_user
    from maatwerk.web.patients.models import Patient
    from maatwerk.web.patients.opening import open_patient
    from maatwerk.web.safetyplan.forms import SafetyPlanForm
    from maatwerk.web.safetyplan.services import safety_plan_save

    actor = actor_for_user(User.objects.get(email=clinician.email), access_point="test")
    record = Patient.objects.get(user__email=patient.email)
    access = open_patient(actor=actor, patient_id=str(record.public_id), action="update")
    form = SafetyPlanForm(
        {
            "warning_signs-0-text": "Ik slaap slecht en pieker",
            "coping-0-text": "Wandelen in het park",
            "help_people-0-text": "Mijn zus Lotte",
            "help_people-0-phone": "06-12345678",
            "reasons_to_live-0-text": "Mijn dochter",
        },
        bundled_safety_plan_content(),
        for_patient=False,
    )
    safety_plan_save(actor=actor, access=access, form=form)


def _offline_reading(page: Page, expected: str) -> None:
    page.evaluate("async () => { await navigator.serviceWorker.ready; }")
    page.reload()
    page.wait_for_function(
        """async ([path, expected]) => {
            const cache = await caches.open('maatwerk-safety-plan-v1');
            const stored = await cache.match(path);
            return stored !== undefined && (await stored.text()).includes(expected);
        }""",
        arg=[PLAN_PAGE, expected],
    )
    page.context.set_offline(True)
    page.reload()
    expect(page.locator("main")).to_contain_text(expected)
    expect(page.locator("main a[href='tel:+31612345678']")).to_be_visible()
    # Other portal pages are not kept: offline they are simply unavailable.
    assert page.evaluate(
        """async () => (await (await caches.open('maatwerk-safety-plan-v1')).keys())
            .every((request) => !new URL(request.url).pathname.startsWith('/portal/')
                || new URL(request.url).pathname === '/portal/safety-plan/')"""
    )
    page.context.set_offline(False)


def test_the_patient_reads_the_plan_offline_after_loading_it_once(
    page: Page,
    make_clinician: Callable[..., Person],
    make_patient_in_care: Callable[..., Person],
) -> None:
    clinician = make_clinician()
    patient = make_patient_in_care(clinician)
    _make_plan(clinician, patient)

    log_in(page, patient.email, patient.password)
    page.click(f"header nav a[href='{PLAN_PAGE}']")
    expect(page).to_have_url(re.compile(re.escape(PLAN_PAGE) + "$"))
    main = page.locator("main")
    expect(main.locator("h1")).to_have_text("Mijn veiligheidsplan")
    expect(main).to_contain_text("Ik slaap slecht en pieker")
    expect(main.locator("a[href='tel:+31612345678']")).to_have_text("06-12345678")
    expect(main.locator("a[href='tel:+318000113']")).to_be_visible()
    expect(main.locator("a[href='tel:112']")).to_be_visible()
    assert_accessible(page, "the patient's safety plan")

    # The patient adds something of their own.
    page.click(f"main a[href='{PLAN_PAGE}edit/']")
    expect(page.locator("main input[name='professionals-0-text']")).to_have_count(0)
    page.fill("main input[name='coping-1-text']", "Muziek luisteren")
    assert_accessible(page, "the patient's safety plan form")
    page.click("main form[method=post] button[type=submit]")
    expect(page).to_have_url(re.compile(re.escape(PLAN_PAGE) + "$"))
    expect(page.locator("main")).to_contain_text("Muziek luisteren")

    # Once the service worker has the page, it stays readable without a connection.
    _offline_reading(page, "Muziek luisteren")

    # Logging out clears the offline copy.
    page.goto("/portal/")
    log_out(page)
    page.wait_for_load_state()
    names = page.evaluate("async () => await caches.keys()")
    assert names == []
    registrations = page.evaluate(
        "async () => (await navigator.serviceWorker.getRegistrations()).length"
    )
    assert registrations == 0


def test_offline_reading_works_under_the_content_security_policy(
    new_context: Callable[..., BrowserContext],
    make_clinician: Callable[..., Person],
    make_patient_in_care: Callable[..., Person],
) -> None:
    """The other test's context bypasses the CSP for axe; this one enforces it."""
    clinician = make_clinician()
    patient = make_patient_in_care(clinician)
    _make_plan(clinician, patient)
    page = new_context(csp_enforced=True).new_page()
    problems: list[str] = []

    def on_console(message: ConsoleMessage) -> None:
        if message.type == "error" and "Content Security Policy" in message.text:
            problems.append(f"{page.url}: {message.text}")

    page.on("console", on_console)
    log_in(page, patient.email, patient.password)
    page.goto(PLAN_PAGE)
    _offline_reading(page, "Ik slaap slecht en pieker")
    assert problems == []

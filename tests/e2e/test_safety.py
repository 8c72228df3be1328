"""Browser test: a patient asks for help on a phone; the clinician sees the risk."""

from __future__ import annotations

import re
from collections.abc import Callable

from playwright.sync_api import BrowserContext, Page, expect

from tests.e2e.conftest import Person, assert_accessible, enter_totp, log_in


def test_patient_asks_for_help_and_the_clinician_sees_the_risk(
    page: Page,
    new_context: Callable[..., BrowserContext],
    make_clinician: Callable[..., Person],
    make_patient_in_care: Callable[..., Person],
) -> None:
    from maatwerk.web.questionnaires.models import SafetyAlert

    clinician = make_clinician()
    patient = make_patient_in_care(clinician)

    # On the phone: "I need help now" shows tap-to-call numbers and tells the team.
    phone = new_context()
    patient_page = phone.new_page()
    log_in(patient_page, patient.email, patient.password)
    expect(patient_page).to_have_url(re.compile(r"/portal/$"))
    patient_page.locator("main a[href$='/safety/help/']").click()
    expect(patient_page).to_have_url(re.compile(r"/safety/help/$"))
    main = patient_page.locator("main")
    expect(main.locator("a[href='tel:08000113']")).to_be_visible()
    expect(main.locator("a[href='tel:112']")).to_be_visible()
    assert_accessible(patient_page, "help now page")
    main.locator("textarea[name=words]").fill("Het gaat echt niet goed.")
    main.locator("form button[type=submit]").click()
    expect(main.locator(".deadline")).to_be_visible()
    assert_accessible(patient_page, "help now page after asking")
    signal = SafetyAlert.objects.get(patient__user__email=patient.email)
    assert signal.source == "patient_help" and signal.status == "open"

    # The clinician sees the risk on the caseload row and the dossier.
    log_in(page, clinician.email, clinician.password)
    enter_totp(page, clinician.totp_secret)
    expect(page).to_have_url(re.compile(r"/clinic/$"))
    expect(page.locator("main .badge-risk")).to_be_visible()
    page.locator("main table a[href*='/clinic/patients/']").first.click()
    expect(page.locator("main .risk-banner")).to_be_visible()
    assert_accessible(page, "dossier with a risk banner")
    page.locator("main .risk-banner a").click()
    expect(page.locator("main blockquote.quote")).to_contain_text("Het gaat echt niet goed.")
    assert_accessible(page, "safety signal from a help request")

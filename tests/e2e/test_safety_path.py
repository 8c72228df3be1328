"""Browser test of the whole safety path, as a POH-GGZ and a patient live it.

A patient answers PHQ-9 item 9 with 2 on a phone and reads tap-to-call numbers; the
clinician sees the risk on the caseload and in the dossier, opens the signal with the
question and the answer given, cannot close it empty, makes a safety plan with the patient
and records the follow-up; the patient then reads the safety plan on the phone. axe runs on
every page on the way.
"""

from __future__ import annotations

import re
from collections.abc import Callable

from playwright.sync_api import BrowserContext, Page, expect

from tests.e2e.conftest import Person, assert_accessible, enter_totp, log_in
from tests.e2e.test_questionnaire import (
    assign_phq9,
    autosaved,
    radio,
    record_complete_follow_up,
)

ITEM_9_TEXT = "beter dood"  # "Gedachten dat je beter dood zou zijn ..." (PHQ-9 item 9)


def test_a_risk_answer_is_followed_up_with_a_safety_plan_the_patient_reads(
    page: Page,
    new_context: Callable[..., BrowserContext],
    make_clinician: Callable[..., Person],
    make_patient_in_care: Callable[..., Person],
) -> None:

    from maatwerk.web.questionnaires.models import Assignment, SafetyAlert

    clinician = make_clinician()
    patient = make_patient_in_care(clinician)
    log_in(page, clinician.email, clinician.password)
    enter_totp(page, clinician.totp_secret)
    assign_phq9(page, patient)
    assignment = Assignment.objects.get(patient__user__email=patient.email)
    fill_path = f"/questionnaires/{assignment.public_id}/"

    # The patient, on the phone, answers item 9 with "more than half the days" (2).
    phone = new_context()
    patient_page = phone.new_page()
    log_in(patient_page, patient.email, patient.password)
    patient_page.locator(f"main a[href$='{fill_path}']").click()
    for item, value in ((1, 1), (2, 2), (3, 1), (4, 2), (5, 0), (6, 2), (7, 1), (8, 0), (9, 2)):
        with autosaved(patient_page):
            radio(patient_page, item, value).check()
    patient_page.locator("main form.questionnaire button[type=submit]").click()

    # What to do now, as numbers to tap, and when the care team will see it.
    expect(patient_page).to_have_url(re.compile(r"/questionnaires/help/$"))
    main = patient_page.locator("main")
    expect(main.locator("a[href='tel:08000113']")).to_be_visible()
    expect(main.locator("a[href='tel:112']")).to_be_visible()
    expect(main).to_contain_text("uiterlijk")
    assert_accessible(patient_page, "help page after a risk answer")
    signal = SafetyAlert.objects.get(assignment=assignment)
    assert signal.status == "open"

    # The clinician sees the risk on the caseload row and in the dossier.
    page.goto("/clinic/")
    row = page.locator("main tr", has_text=patient.full_name)
    expect(row.locator(".badge-risk")).to_be_visible()
    assert_accessible(page, "caseload with a risk")
    row.locator("a", has_text=patient.full_name).click()
    banner = page.locator("main .risk-banner")
    expect(banner).to_be_visible()
    assert_accessible(page, "dossier with a risk banner")

    # The signal shows the question as the patient read it and the answer given.
    banner.locator("a[href*='/safety/signals/']").click()
    expect(page).to_have_url(re.compile(r"/safety/signals/[0-9a-f-]+/$"))
    expect(page.locator("main")).to_contain_text(ITEM_9_TEXT)
    expect(page.locator("main")).to_contain_text("2 – Meer dan de helft van de dagen")
    assert_accessible(page, "the signal")

    # Closing it without a follow-up is refused, field by field.
    follow_up = page.locator("main form[action$='/follow-up/']")
    follow_up.locator("input[name=close]").check()
    follow_up.locator("button[type=submit]").click()
    expect(page.locator("main .errorlist").first).to_be_visible()
    assert_accessible(page, "the refused closure")
    signal.refresh_from_db()
    assert signal.status == "open"

    # In the consult they make the safety plan together.
    page.locator("main a[href*='/safety-plan/patients/']").first.click()
    page.locator("main a[href$='/edit/']").first.click()
    page.fill("input[name='warning_signs-0-text']", "Ik lig wakker en pieker over mijn rug")
    page.fill("input[name='coping-0-text']", "Een rondje lopen")
    page.fill("input[name='help_people-0-text']", "Mijn broer Sander")
    page.fill("input[name='help_people-0-phone']", "06-12345698")
    page.fill("input[name='reasons_to_live-0-text']", "Mijn dochter")
    assert_accessible(page, "the safety plan form")
    page.locator("main form button[type=submit]").click()
    expect(page.locator("main")).to_contain_text("Mijn broer Sander")
    assert_accessible(page, "the safety plan")

    # ... and the follow-up is recorded: contact, the assessment, the actions taken.
    page.goto(f"/safety/signals/{signal.public_id}/")
    record_complete_follow_up(
        page, by=clinician.full_name, method="in_person", protective="Zijn dochter; zijn broer"
    )
    signal.refresh_from_db()
    assert signal.status == "closed"

    # The patient reads the safety plan on the phone, with the numbers to tap.
    patient_page.goto("/portal/")
    patient_page.locator("a[href$='/portal/safety-plan/']").first.click()
    plan = patient_page.locator("main")
    expect(plan).to_contain_text("Mijn broer Sander")
    expect(plan.locator("a[href='tel:+31612345698']")).to_be_visible()
    expect(plan.locator("a[href='tel:+318000113']")).to_be_visible()  # 0800-0113
    assert_accessible(patient_page, "the patient's safety plan on a phone")

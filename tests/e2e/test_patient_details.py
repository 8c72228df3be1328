"""A clinician corrects a patient's details in the browser: a wrong postcode is refused with
a message at the field, nothing is saved, and the corrected postcode appears on the page."""

from __future__ import annotations

import re
from collections.abc import Callable

import pytest
from playwright.sync_api import Page, expect

from tests.e2e.conftest import Person, assert_accessible, enter_totp, log_in

pytestmark = pytest.mark.e2e


def test_clinician_corrects_the_postcode_after_a_refusal(
    page: Page,
    make_clinician: Callable[..., Person],
    make_patient_in_care: Callable[..., Person],
) -> None:
    from maatwerk.web.patients.models import Patient

    clinician = make_clinician()
    patient = make_patient_in_care(clinician)
    record = Patient.objects.get(user__email=patient.email)

    log_in(page, clinician.email, clinician.password)
    enter_totp(page, clinician.totp_secret)
    page.goto(f"/clinic/patients/{record.public_id}/")
    page.click(f"main a[href$='/clinic/patients/{record.public_id}/edit/']")
    expect(page).to_have_url(re.compile(r"/edit/$"))
    expect(page.locator("main input[name=full_name]")).to_have_value("Sanne Jansen")
    assert_accessible(page, "patient details form")

    page.fill("main input[name=postcode]", "0123 AB")
    page.fill("main input[name=presenting_complaint]", "Moe en pijn in de rug")
    page.click("main form[method=post] button[type=submit]")
    postcode = page.locator("main input[name=postcode]")
    expect(postcode).to_have_attribute("aria-invalid", "true")
    error = page.locator("main #id_postcode_error")
    expect(error).to_be_visible()
    assert_accessible(page, "patient details form with an error")
    record.refresh_from_db()
    assert (record.postcode, record.presenting_complaint) == ("", "Somber en moe")

    page.fill("main input[name=postcode]", "3511 ab")
    page.click("main form[method=post] button[type=submit]")
    expect(page).to_have_url(re.compile(rf"/clinic/patients/{record.public_id}/$"))
    expect(page.locator("main dl")).to_contain_text("3511 AB")
    expect(page.locator("main dl")).to_contain_text("Moe en pijn in de rug")
    record.refresh_from_db()
    assert (record.postcode, record.presenting_complaint) == ("3511AB", "Moe en pijn in de rug")

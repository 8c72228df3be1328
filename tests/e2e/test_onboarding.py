"""The onboarding journey: a clinician registers a patient, the patient starts using the
platform with the invitation link, on a phone, in Dutch and then in English."""

from __future__ import annotations

import os
import re
from collections.abc import Callable
from pathlib import Path

import pytest
from playwright.sync_api import BrowserContext, Page, expect

from tests.e2e.conftest import (
    E2E_PASSWORD,
    Person,
    assert_accessible,
    enter_totp,
    log_in,
    log_out,
)

pytestmark = pytest.mark.e2e

DUTCH_CATALOG = (
    Path(__file__).resolve().parents[2] / "src/maatwerk/web/locale/nl/LC_MESSAGES/django.mo"
)
# Set to a directory to keep a screenshot of the patient's home page on the phone.
SCREENSHOT_DIR = os.environ.get("MAATWERK_E2E_SCREENSHOT_DIR", "")

PATIENT_NAME = "Noor de Wit"
PATIENT_EMAIL = "noor.dewit@e2e.example"
PATIENT_PASSWORD = "Zonnebloem-veld-42"


def register_patient(page: Page) -> str:
    """Fill in "Register a patient" and return the invitation link shown afterwards."""
    page.click("main a[href$='/clinic/patients/new/']")
    expect(page).to_have_url(re.compile(r"/clinic/patients/new/$"))
    assert_accessible(page, "registration form")
    form = page.locator("main form[method=post]")
    form.locator("[name=full_name]").fill(PATIENT_NAME)
    form.locator("[name=email]").fill(PATIENT_EMAIL)
    form.locator("[name=birth_year]").fill("1984")
    form.locator("[name=sex]").select_option("female")
    form.locator("[name=language]").select_option("nl")
    form.locator("[name=presenting_complaint]").fill("Moe en pijn in mijn rug")
    form.locator("[name=condition]").fill("chronische lage rugpijn")
    form.locator("button[type=submit]").click()
    link = page.locator("[data-testid=invitation-url]")
    expect(link).to_be_visible()
    assert_accessible(page, "invitation-issued page")
    return link.inner_text().strip()


def test_clinician_invites_patient_who_starts_in_dutch_and_switches_to_english(
    page: Page,
    new_context: Callable[..., BrowserContext],
    make_clinician: Callable[..., Person],
    live_server: object,
) -> None:
    clinician = make_clinician()

    # The clinician logs in with a password and an authenticator code.
    page.goto("/")
    expect(page).to_have_url(re.compile(r"/accounts/login/"))
    expect(page.locator("html")).to_have_attribute("lang", "nl")
    expect(page.locator("main h1")).to_have_text("Inloggen")  # our Dutch for "Sign In"
    assert_accessible(page, "login page")
    log_in(page, clinician.email, clinician.password)
    expect(page).to_have_url(re.compile(r"/accounts/2fa/authenticate/"))
    expect(page.locator("main h1")).to_have_text("Twee-factor-authenticatie")
    assert_accessible(page, "MFA code page")
    enter_totp(page, clinician.totp_secret)
    expect(page).to_have_url(re.compile(r"/clinic/$"))
    assert_accessible(page, "caseload")

    invitation_url = register_patient(page)
    assert invitation_url.startswith(f"{live_server.url}/invite/"), invitation_url  # type: ignore[attr-defined]

    log_out(page)
    expect(page).to_have_url(re.compile(r"/accounts/login/"))
    expect(page.locator(".messages")).to_contain_text("Je bent afgemeld.")

    # The patient, on their own phone, opens the link and chooses a password.
    patient = new_context().new_page()
    patient.goto(invitation_url)
    expect(patient.locator("main")).to_contain_text(PATIENT_EMAIL)
    assert_accessible(patient, "invitation (set password) page")
    patient.fill("[name=password1]", PATIENT_PASSWORD)
    patient.fill("[name=password2]", PATIENT_PASSWORD)
    patient.click("main form[method=post] button[type=submit]")

    # Logged in at once, the patient reads how their data is handled and chooses the
    # optional parts (here: e-mail yes, research no).
    expect(patient).to_have_url(re.compile(r"/portal/privacy/$"))
    expect(patient.locator("main h1")).to_have_text("Zo gaan we om met je gegevens")
    expect(patient.locator("main a[href$='/portal/access-log/']")).to_be_visible()
    assert_accessible(patient, "privacy statement")
    patient.check("[name=email_notifications]")
    patient.click("main form[method=post] button[type=submit]")
    expect(patient).to_have_url(re.compile(r"/portal/$"))
    expect(patient.locator("html")).to_have_attribute("lang", "nl")
    expect(patient.locator(".messages")).to_contain_text("Je keuzes zijn opgeslagen")
    expect(patient.locator("main h1")).to_contain_text("Noor")
    if DUTCH_CATALOG.exists():
        # Our own Dutch catalog is compiled: the menu must not show English msgids.
        expect(patient.locator("header a[href$='/portal/']")).not_to_have_text("My page")
        expect(patient.locator("header a[href$='/portal/access-log/']")).not_to_have_text(
            "Who opened my file"
        )
    assert_accessible(patient, "patient home (nl)")
    if SCREENSHOT_DIR:
        patient.screenshot(path=str(Path(SCREENSHOT_DIR) / "e2e-home.png"))

    # The language button switches the whole interface to English.
    patient.get_by_role("button", name="English").click()
    expect(patient.locator("html")).to_have_attribute("lang", "en")
    expect(patient).to_have_url(re.compile(r"/portal/$"))
    expect(patient.locator("header nav")).to_contain_text("My page")
    expect(patient.locator("header nav")).to_contain_text("Who opened my file")
    expect(patient.get_by_role("button", name="Nederlands")).to_be_visible()
    assert_accessible(patient, "patient home (en)")

    # "Who opened my file" shows the clinician who registered the patient.
    patient.click("header a[href$='/portal/access-log/']")
    expect(patient).to_have_url(re.compile(r"/portal/access-log/$"))
    expect(patient.locator("main h1")).to_have_text("Who opened my file")
    expect(patient.locator("main table")).to_contain_text(clinician.full_name)
    assert_accessible(patient, "patient access log")


def test_used_invitation_link_cannot_be_used_again(
    page: Page, make_clinician: Callable[..., Person]
) -> None:
    """A second visit to a used link shows a gentle explanation, not the password form."""
    from maatwerk.web.accounts.forms import SetPasswordForm
    from maatwerk.web.accounts.models import User
    from maatwerk.web.accounts.services import invitation_accept, invitation_issue

    clinician = make_clinician()
    user = User.objects.create_user(email=PATIENT_EMAIL, password=None, full_name=PATIENT_NAME)
    issued = invitation_issue(user=user, created_by=User.objects.get(email=clinician.email))
    invitation_accept(
        token=issued.token,
        form=SetPasswordForm({"password1": E2E_PASSWORD, "password2": E2E_PASSWORD}),
        access_point="e2e",
    )

    response = page.goto(issued.path)
    assert response is not None and response.status == 404
    expect(page.locator("main input[type=password]")).to_have_count(0)
    assert_accessible(page, "used invitation page")

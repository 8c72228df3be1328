"""Session and access rules as a person in a browser meets them.

The idle timeout is not tested here: settings changed in the test thread are not reliably
seen by the live server's threads. tests/web covers it.
"""

from __future__ import annotations

import re
from collections.abc import Callable

import pytest
from playwright.sync_api import BrowserContext, ConsoleMessage, Page, expect

from tests.e2e.conftest import Person, assert_accessible, log_in

pytestmark = pytest.mark.e2e


def test_clinician_without_authenticator_must_set_it_up_first(
    page: Page, make_clinician: Callable[..., Person]
) -> None:
    clinician = make_clinician(totp=False)

    log_in(page, clinician.email, clinician.password)
    # django-allauth asks for the password once more before an authenticator may be
    # added (MFA_REAUTHENTICATION_REQUIRED), even right after logging in.
    expect(page).to_have_url(
        re.compile(r"/accounts/reauthenticate/\?next=%2Faccounts%2F2fa%2Ftotp%2Factivate%2F$")
    )
    assert_accessible(page, "reauthentication page")
    page.fill("main input[name=password]", clinician.password)
    page.click("main form[method=post] button[type=submit]")
    expect(page).to_have_url(re.compile(r"/accounts/2fa/totp/activate/$"))
    expect(page.locator("main input[name=code]")).to_be_visible()
    assert_accessible(page, "TOTP setup page")

    # Going straight to the caseload does not get around it.
    page.goto("/clinic/")
    expect(page).to_have_url(re.compile(r"/accounts/2fa/totp/activate/"))
    expect(page.locator("header a[href$='/clinic/']")).to_have_count(1)  # the menu is there,
    expect(page.locator("main table")).to_have_count(0)  # the caseload is not


def test_patient_gets_not_found_for_the_clinic(
    page: Page, make_patient: Callable[..., Person]
) -> None:
    response = page.goto("/clinic/")
    expect(page).to_have_url(re.compile(r"/accounts/login/\?next=/clinic/"))

    patient = make_patient()
    log_in(page, patient.email, patient.password)
    expect(page).to_have_url(re.compile(r"/portal/$"))  # no second factor for patients

    for path in ("/clinic/", "/clinic/patients/new/", "/organization/"):
        response = page.goto(path)
        assert response is not None and response.status == 404, path
        expect(page).to_have_url(re.compile(re.escape(path) + "$"))
        expect(page.locator("main a[href='/']")).to_be_visible()  # the way back
        expect(page.locator("main form")).to_have_count(0)
    assert_accessible(page, "404 page")


def test_pages_work_under_the_content_security_policy(
    new_context: Callable[..., BrowserContext], make_patient: Callable[..., Person]
) -> None:
    """The axe contexts bypass the CSP; this one enforces it and expects no violation."""
    page = new_context(csp_enforced=True).new_page()
    problems: list[str] = []

    def on_console(message: ConsoleMessage) -> None:
        if message.type == "error" and "Content Security Policy" in message.text:
            problems.append(f"{page.url}: {message.text}")

    page.on("console", on_console)
    page.on("pageerror", lambda error: problems.append(f"{page.url}: {error}"))

    response = page.goto("/accounts/login/")
    assert response is not None
    assert "script-src 'self'" in response.headers.get("content-security-policy", "")
    patient = make_patient()
    log_in(page, patient.email, patient.password)
    expect(page).to_have_url(re.compile(r"/portal/$"))
    page.get_by_role("button", name="English").click()
    expect(page.locator("html")).to_have_attribute("lang", "en")
    page.click("header a[href$='/portal/access-log/']")
    expect(page.locator("main h1")).to_have_text("Who opened my file")
    # htmx loaded from our own origin, as the policy requires.
    assert page.evaluate("() => typeof window.htmx") == "object"
    assert problems == []

"""The questionnaire journey: a clinician assigns the PHQ-9, the patient fills it in on a
phone (by keyboard and by touch, through a lost connection), an answer that signals risk
raises a safety alert, and the clinician handles it."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import timedelta
from decimal import Decimal
from pathlib import Path

import pytest
from playwright.sync_api import BrowserContext, Locator, Page, Response, expect

from tests.e2e.conftest import Person, assert_accessible, enter_totp, log_in

pytestmark = pytest.mark.e2e

DUTCH_CATALOG = (
    Path(__file__).resolve().parents[2] / "src/maatwerk/web/locale/nl/LC_MESSAGES/django.mo"
)

# The texts of static/js/questionnaire.js for a Dutch page (they do not depend on the
# compiled catalog).
SAVED = "Je antwoord is opgeslagen."
KEPT_ON_DEVICE = (
    "Geen verbinding. Je antwoord is bewaard op dit apparaat en wordt verstuurd zodra er "
    "weer verbinding is."
)


def radio(page: Page, item: int, value: int) -> Locator:
    return page.locator(f"main input[type=radio][name='item-phq9_{item}'][value='{value}']")


def is_autosave(response: Response) -> bool:
    return response.request.method == "POST" and response.url.endswith("/answer/")


@contextmanager
def autosaved(page: Page) -> Iterator[None]:
    """Expect the action in the block to send one answer that the server saves."""
    with page.expect_response(is_autosave) as info:
        yield
    response = info.value
    assert response.ok, f"autosave refused: {response.status} {response.text()}"


def saved_answers(patient_email: str) -> dict[str, Decimal | None]:
    from maatwerk.web.questionnaires.models import Answer

    return {
        answer.item_id: answer.value
        for answer in Answer.objects.filter(assignment__patient__user__email=patient_email)
    }


def pending_answers(page: Page) -> object:
    return page.evaluate(
        """() => {
            const key = document.querySelector("form[data-storage-key]")
                .getAttribute("data-storage-key");
            return JSON.parse(localStorage.getItem(key) || "{}");
        }"""
    )


def assign_phq9(page: Page, patient: Person) -> None:
    """From the caseload, open the patient and assign the PHQ-9 for them to fill in."""
    page.click(f"main a:text-is('{patient.full_name}')")
    expect(page).to_have_url(re.compile(r"/clinic/patients/[0-9a-f-]+/$"))
    form = page.locator("main form[action$='/questionnaires/assign/']")
    if DUTCH_CATALOG.exists():
        expect(form.locator("button[type=submit]")).to_have_text("Vragenlijst klaarzetten")
    form.get_by_label(re.compile("^(Vragenlijst|Questionnaire):?$")).select_option("phq9")
    form.locator("select[name=mode]").select_option("self")
    form.locator("button[type=submit]").click()
    expect(page).to_have_url(re.compile(r"/clinic/patients/[0-9a-f-]+/$"))
    expect(page.locator(".messages .message-success")).to_be_visible()
    expect(page.locator("main")).to_contain_text("PHQ-9")


def record_complete_follow_up(page: Page, *, by: str, method: str, protective: str) -> None:
    """Fill in the signal page's follow-up completely (contact, the whole risk assessment,
    a safety plan made, the GP informed, the next contact) and close the signal."""
    from django.utils import timezone

    now = timezone.localtime()
    follow_up = page.locator("main form[action$='/follow-up/']")
    follow_up.locator("input[name=contact_outcome][value=reached]").check()
    follow_up.locator("input[name=contact_at]").fill(now.strftime("%Y-%m-%dT%H:%M"))
    follow_up.locator("select[name=contact_method]").select_option(method)
    follow_up.locator("input[name=contact_by]").fill(by)
    for question, answer in {
        "ideation": "passive",
        "plan": "none",
        "intent": "none",
        "preparations": "none",
        "means": "no_access",
        "earlier_attempts": "none",
        "overall_estimate": "increased",
    }.items():
        follow_up.locator(f"input[name=a_{question}][value={answer}]").check()
    follow_up.locator("textarea[name=a_protective_factors]").fill(protective)
    follow_up.locator("input[name=safety_plan][value=made]").check()
    follow_up.locator("input[name=gp_informed][value=yes]").check()
    follow_up.locator("input[name=crisis_ggz_involved][value=no]").check()
    follow_up.locator("input[name=next_contact_at]").fill(
        (now + timedelta(days=2)).strftime("%Y-%m-%dT%H:%M")
    )
    follow_up.locator("input[name=close]").check()
    follow_up.locator("button[type=submit]").click()
    expect(page.locator(".messages .message-success")).to_be_visible()


def test_patient_fills_phq9_through_lost_connection_and_clinician_handles_alert(
    page: Page,
    new_context: Callable[..., BrowserContext],
    make_clinician: Callable[..., Person],
    make_patient_in_care: Callable[..., Person],
) -> None:
    from maatwerk.web.questionnaires.models import Assignment, SafetyAlert

    clinician = make_clinician()
    patient = make_patient_in_care(clinician)

    # The clinician logs in with an authenticator code and assigns the PHQ-9.
    log_in(page, clinician.email, clinician.password)
    enter_totp(page, clinician.totp_secret)
    expect(page).to_have_url(re.compile(r"/clinic/$"))
    assign_phq9(page, patient)
    assignment = Assignment.objects.get(patient__user__email=patient.email)
    assert (assignment.instrument_code, assignment.status) == ("phq9", "open")
    fill_path = f"/questionnaires/{assignment.public_id}/"
    badge = page.locator("header a[href$='/clinic/alerts/'] .alert-badge")
    expect(badge).to_have_count(0)

    # The patient, on their phone, finds the questionnaire on their page.
    phone = new_context()
    patient_page = phone.new_page()
    log_in(patient_page, patient.email, patient.password)
    expect(patient_page).to_have_url(re.compile(r"/portal/$"))
    if DUTCH_CATALOG.exists():
        expect(patient_page.locator("main")).to_contain_text("Vragenlijsten voor jou")
    link = patient_page.locator(f"main a[href$='{fill_path}']")
    # Named in words for the patient, never by its code (found walking the demo).
    expect(link).to_have_text("Vragenlijst over somberheid")
    assert_accessible(patient_page, "patient home with an open questionnaire")
    link.click()
    expect(patient_page).to_have_url(re.compile(re.escape(fill_path) + "$"))
    expect(patient_page.locator("main h1")).to_have_text("Vragenlijst over somberheid")
    expect(patient_page.locator("main fieldset.question")).to_have_count(10)
    status = patient_page.locator("main [data-save-status]")
    expect(status).to_have_attribute("role", "status")
    expect(status).to_have_attribute("aria-live", "polite")
    assert_accessible(patient_page, "questionnaire before any answer")

    # Items 1-3 by keyboard only: Space picks the focused answer, the arrow keys move the
    # choice within a question, Tab goes on to the next question.
    radio(patient_page, 1, 0).focus()
    with autosaved(patient_page):
        patient_page.keyboard.press("Space")
    expect(radio(patient_page, 1, 0)).to_be_checked()
    with autosaved(patient_page):
        patient_page.keyboard.press("ArrowDown")
    with autosaved(patient_page):
        patient_page.keyboard.press("ArrowDown")
    expect(radio(patient_page, 1, 2)).to_be_focused()
    expect(radio(patient_page, 1, 2)).to_be_checked()
    patient_page.keyboard.press("Tab")
    expect(radio(patient_page, 2, 0)).to_be_focused()
    with autosaved(patient_page):
        patient_page.keyboard.press("ArrowRight")
    expect(radio(patient_page, 2, 1)).to_be_checked()
    patient_page.keyboard.press("Tab")
    expect(radio(patient_page, 3, 0)).to_be_focused()
    with autosaved(patient_page):
        patient_page.keyboard.press("Space")
    expect(radio(patient_page, 3, 0)).to_be_checked()
    # Item 4 by tapping the text of an answer (the label belongs to its radio).
    with autosaved(patient_page):
        patient_page.locator("#q-phq9_4 label", has_text="Bijna elke dag").click()
    expect(radio(patient_page, 4, 3)).to_be_checked()
    expect(status).to_have_text(SAVED)
    assert saved_answers(patient.email) == {
        "phq9_1": Decimal(2),
        "phq9_2": Decimal(1),
        "phq9_3": Decimal(0),
        "phq9_4": Decimal(3),
    }

    # The connection drops; the next answers are kept on the phone, and the page says so.
    phone.set_offline(True)
    radio(patient_page, 5, 1).check()
    expect(status).to_have_text(KEPT_ON_DEVICE)
    radio(patient_page, 6, 2).check()
    expect(status).to_have_text(KEPT_ON_DEVICE)
    assert pending_answers(patient_page) == {"phq9_5": "1", "phq9_6": "2"}
    assert set(saved_answers(patient.email)) == {"phq9_1", "phq9_2", "phq9_3", "phq9_4"}

    # The page is closed while offline. Later, with a connection, the patient opens the
    # questionnaire again from their page: nothing is lost, and the kept answers are sent.
    patient_page.close()
    phone.set_offline(False)
    patient_page = phone.new_page()
    patient_page.goto("/portal/")
    patient_page.click(f"main a[href$='{fill_path}']")
    expect(patient_page).to_have_url(re.compile(re.escape(fill_path) + "$"))
    for item, value in ((1, 2), (2, 1), (3, 0), (4, 3), (5, 1), (6, 2)):
        expect(radio(patient_page, item, value)).to_be_checked()
    status = patient_page.locator("main [data-save-status]")
    expect(status).to_have_text(SAVED)
    patient_page.wait_for_function(
        """() => {
            const key = document.querySelector("form[data-storage-key]")
                .getAttribute("data-storage-key");
            return (localStorage.getItem(key) || "{}") === "{}";
        }"""
    )
    answers = saved_answers(patient.email)
    assert (answers.get("phq9_5"), answers.get("phq9_6")) == (Decimal(1), Decimal(2))

    # Items 7-9, with item 9 ("thoughts of being better off dead") on "several days".
    for item, value in ((7, 0), (8, 1), (9, 1)):
        with autosaved(patient_page):
            radio(patient_page, item, value).check()
    expect(patient_page.locator("#q-phq9_9 label", has_text="Meerdere dagen")).to_be_visible()
    expect(radio(patient_page, 9, 1)).to_be_checked()
    assert_accessible(patient_page, "questionnaire with answers")

    patient_page.locator("main form.questionnaire button[type=submit]").click()
    expect(patient_page).to_have_url(re.compile(r"/questionnaires/help/$"))
    help_text = patient_page.locator("main .help-now")
    expect(help_text).to_contain_text("0800-0113")
    expect(help_text).to_contain_text("112")
    expect(help_text).to_contain_text("113")
    assert_accessible(patient_page, "help page")

    assignment.refresh_from_db()
    assert assignment.status == Assignment.Status.COMPLETED
    alert = SafetyAlert.objects.get(assignment=assignment)
    assert alert.rule_id == "phq9_item9_self_harm"
    assert alert.status == "open"

    # The clinician sees the alert in the menu on their next page.
    page.reload()
    expect(badge).to_be_visible()
    expect(badge).to_contain_text("1")
    if DUTCH_CATALOG.exists():
        expect(page.locator("header a[href$='/clinic/alerts/']")).to_contain_text("Meldingen")

    # The results page shows the alert above the score (2+1+0+3+1+2+0+1+1 = 11).
    page.click("main a[href$='/results/']")
    expect(page).to_have_url(re.compile(r"/clinic/patients/[0-9a-f-]+/results/$"))
    expect(page.locator("main [role=alert]")).to_contain_text("PHQ-9 item 9")
    # The results table (the chart above it has its own table as its text alternative).
    results_table = page.locator("main table.table-stack")
    expect(results_table).to_contain_text("11")
    expect(results_table).to_contain_text("matig")
    assert_accessible(page, "results page with an open alert")

    # On the alerts page the clinician opens the signal: the question and the answer given.
    page.click("header a[href$='/clinic/alerts/']")
    expect(page).to_have_url(re.compile(r"/clinic/alerts/$"))
    card = page.locator("main .card", has_text=patient.full_name)
    expect(card).to_contain_text("PHQ-9 item 9")
    assert_accessible(page, "alerts page with an open alert")
    card.locator("a[href*='/safety/signals/']").first.click()
    expect(page).to_have_url(re.compile(r"/safety/signals/[0-9a-f-]+/$"))
    expect(page.locator("main")).to_contain_text(alert.evidence_answer)
    assert_accessible(page, "safety signal")

    # Closing it empty is refused, field by field; a complete follow-up closes it.
    follow_up = page.locator("main form[action$='/follow-up/']")
    follow_up.locator("input[name=close]").check()
    follow_up.locator("button[type=submit]").click()
    expect(page.locator("main #form-errors")).to_be_visible()
    expect(page.locator("main .errorlist").first).to_be_visible()
    alert.refresh_from_db()
    assert alert.status == "open"
    record_complete_follow_up(
        page, by=clinician.full_name, method="phone", protective="Partner en kinderen"
    )
    expect(badge).to_have_count(0)
    assert_accessible(page, "closed safety signal")

    alert.refresh_from_db()
    assert alert.status == "closed"
    assert alert.follow_up.recorded_by.email == clinician.email

    # The results page no longer asks for action, and the score stays.
    page.goto(f"/clinic/patients/{assignment.patient.public_id}/results/")
    expect(page.locator("main [role=alert]")).to_have_count(0)
    expect(page.locator("main table.table-stack")).to_contain_text("11")
    assert_accessible(page, "results page after the alert was handled")

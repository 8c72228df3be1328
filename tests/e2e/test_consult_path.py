"""The consult path of a new patient on a phone (issue 12, "What it must show"):

the patient receives the invitation e-mail, opens its link, reads and accepts the privacy
statement, chooses a password and is logged in at once; sees at most three open modules
(the plan's first round); fills in the complaints diary; hands in a G-schema with its
three entries; and reads their own PHQ-9 course. axe-core must find no serious or
critical violation on any of these pages.

The clinician's part (registering the patient, giving the plan's modules, the two PHQ-9
questionnaires) goes through the real views and services, not the browser: the browser
path of the clinician is tested in test_onboarding.py and test_formulation_treatment.py.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import timedelta
from typing import Any

import pytest
from django.core import mail
from django.test import Client
from django.utils import timezone
from playwright.sync_api import BrowserContext, Page, Response, expect

from tests.e2e.conftest import Person, assert_accessible, record_phq9_course

pytestmark = pytest.mark.e2e

PATIENT_NAME = "Fatma Yilmaz"
PATIENT_EMAIL = "fatma.yilmaz@e2e.example"
PATIENT_PASSWORD = "Tulpenveld-Voorjaar-77"
# Five modules in plan order: three open now (the first round), two wait.
PLAN_MODULES = [
    "complaints_diary",
    "g_schema",
    "psychoeducation_vicious_circle",
    "sleep",
    "problem_solving",
]
G_SCHEMAS = [
    ("Mijn buurman groette niet.", "Hij vindt mij vervelend.", "Onzeker", "4"),
    ("Ik vergat een afspraak.", "Ik kan niets meer onthouden.", "Boos", "6"),
    ("Mijn rug deed pijn bij het stofzuigen.", "Er gaat iets kapot.", "Bang", "8"),
]


def register_patient(clinician: Person) -> None:
    """The clinician registers the patient (the real registration view)."""
    from maatwerk.web.accounts.models import User
    from tests.web.world import sign_in

    desk = sign_in(Client(), User.objects.get(email=clinician.email))
    response = desk.post(
        "/clinic/patients/new/",
        {
            "full_name": PATIENT_NAME,
            "email": PATIENT_EMAIL,
            "birth_year": "1979",
            "sex": "female",
            "language": "nl",
            "presenting_complaint": "Pijn in mijn rug en moe",
            "condition": "chronische lage rugpijn",
        },
    )
    assert response.status_code == 200, response.content[:300]


def give_plan_and_questionnaires(clinician: Person) -> None:
    """The plan's modules (round by round) and two PHQ-9 results six weeks apart, through
    the treatment and questionnaire services."""
    from maatwerk.web.accounts.models import User
    from maatwerk.web.common.actor import actor_for_user
    from maatwerk.web.organizations.models import Membership
    from maatwerk.web.patients.models import Patient
    from maatwerk.web.patients.opening import open_patient
    from maatwerk.web.treatment import services

    user = User.objects.get(email=clinician.email)
    actor = actor_for_user(user, access_point="e2e")
    patient = Patient.objects.get(user__email=PATIENT_EMAIL)
    access = open_patient(actor=actor, patient_id=str(patient.public_id), action="create")
    services.modules_assign(
        actor=actor, access=access, module_ids=PLAN_MODULES, plan_ref="plan-e2e-consult"
    )
    membership = Membership.objects.get(user=user)
    # 8 x 2 = 16 six weeks ago, then 8 x 1 = 8 now (item 9 answered 0 both times).
    record_phq9_course(actor, patient, membership, ((2, 42), (1, 1)))


def invitation_link(live_server: Any) -> str:
    """The link in the one e-mail the patient received."""
    (message,) = [m for m in mail.outbox if PATIENT_EMAIL in m.to]
    assert PATIENT_NAME in message.body
    found = re.search(r"(https?://\S+/invite/\S+/)", message.body)
    assert found, message.body
    link = found.group(1)
    assert link.startswith(f"{live_server.url}/invite/"), link
    return link


def is_exercise_save(response: Response) -> bool:
    return response.request.method == "POST" and "/save/" in response.url


def open_exercise(page: Page, exercise_id: str, entry: int = 1) -> None:
    """Open an exercise (entry) and wait until its autosave script listens."""
    suffix = f"?entry={entry}" if entry != 1 else ""
    page.locator(f"main a[href$='/exercises/{exercise_id}/{suffix}']").first.click()
    expect(page).to_have_url(re.compile(re.escape(f"/exercises/{exercise_id}/{suffix}") + "$"))
    page.wait_for_load_state("load")


def fill_and_wait(page: Page, selector: str, text: str) -> None:
    with page.expect_response(is_exercise_save) as saved:
        page.locator(selector).fill(text)
    assert saved.value.ok


def check_and_wait(page: Page, selector: str) -> None:
    with page.expect_response(is_exercise_save) as saved:
        page.locator(selector).check()
    assert saved.value.ok


def test_new_patient_from_invitation_e_mail_to_own_phq9_course(
    new_context: Callable[..., BrowserContext],
    make_clinician: Callable[..., Person],
    live_server: Any,
    settings: Any,
) -> None:
    settings.MAATWERK_SITE_URL = live_server.url
    clinician = make_clinician(full_name="Dr. Iris Vermeulen")
    register_patient(clinician)
    give_plan_and_questionnaires(clinician)

    # 1. The invitation e-mail, opened on the phone.
    phone = new_context().new_page()
    phone.goto(invitation_link(live_server))
    expect(phone.locator("main")).to_contain_text(PATIENT_EMAIL)
    assert_accessible(phone, "the invitation (choose a password)")
    phone.fill("[name=password1]", PATIENT_PASSWORD)
    phone.fill("[name=password2]", PATIENT_PASSWORD)
    phone.click("main form[method=post] button[type=submit]")

    # 2. Logged in at once; the privacy statement, accepted.
    expect(phone).to_have_url(re.compile(r"/portal/privacy/$"))
    expect(phone.locator("main h1")).to_have_text("Zo gaan we om met je gegevens")
    assert_accessible(phone, "the privacy statement")
    phone.check("[name=email_notifications]")
    phone.click("main form[method=post] button[type=submit]")
    expect(phone).to_have_url(re.compile(r"/portal/$"))
    expect(phone.locator(".messages")).to_contain_text("Je keuzes zijn opgeslagen")
    expect(phone.locator("main h1")).to_contain_text("Fatma")
    expect(phone.locator("main")).to_contain_text("Je hebt 3 modules om aan te werken.")
    assert_accessible(phone, "the patient's home page")

    # 3. At most three modules are open; the others wait for the next round.
    phone.click("main a[href$='/treatment/my/']")
    expect(phone.locator("main h1")).to_have_text("Mijn modules")
    open_cards = phone.locator("main div.card:has(h2 a[href*='/treatment/modules/'])")
    expect(open_cards).to_have_count(3)
    expect(phone.locator("main section[aria-labelledby=later-heading] li")).to_have_count(2)
    assert_accessible(phone, "my modules")

    # 4. The complaints diary: two rows, handed in.
    phone.click("main h2 a:has-text('Klachtendagboek')")
    assert_accessible(phone, "the complaints diary module")
    open_exercise(phone, "diary")
    today = timezone.localdate()
    rows = (
        (today - timedelta(days=1), "evening", "7", "Stofzuigen"),
        (today, "morning", "4", "Wandelen met de hond"),
    )
    for n, (day, moment, strength, doing) in enumerate(rows):
        if n > 0:
            phone.locator("main button[data-add-row]").click()
            expect(phone.locator(f"main [name='f-entries-{n}-date']")).to_be_visible()
        phone.locator(f"main [name='f-entries-{n}-date']").fill(day.isoformat())
        check_and_wait(phone, f"main input[name='f-entries-{n}-time_of_day'][value='{moment}']")
        check_and_wait(phone, f"main input[name='f-entries-{n}-complaint'][value='{strength}']")
        fill_and_wait(phone, f"main [name='f-entries-{n}-doing']", doing)
    assert_accessible(phone, "the complaints diary")
    phone.locator("main button[name=action][value=hand_in]").click()
    expect(phone.locator("main")).to_contain_text("Je hebt dit ingeleverd op")
    assert_accessible(phone, "the handed-in diary")

    # 5. The G-schema: three entries, each handed in.
    phone.goto("/treatment/my/")
    phone.click("main h2 a:has-text('G-schema')")
    for entry, (event, thought, feeling, strength) in enumerate(G_SCHEMAS, start=1):
        open_exercise(phone, "g_schema", entry)
        expect(phone.locator("main")).to_contain_text("Vul deze oefening 3 keer in.")
        fill_and_wait(phone, "main [name='f-event']", event)
        fill_and_wait(phone, "main [name='f-thoughts']", thought)
        fill_and_wait(phone, "main [name='f-feeling']", feeling)
        check_and_wait(phone, f"main input[name='f-feeling_strength'][value='{strength}']")
        fill_and_wait(phone, "main [name='f-behaviour']", "Ik ging op de bank liggen.")
        fill_and_wait(phone, "main [name='f-result']", "Ik voelde me nog slechter.")
        if entry == 1:
            assert_accessible(phone, "a G-schema entry")
        phone.locator("main button[name=action][value=hand_in]").click()
        expect(phone.locator("main")).to_contain_text("Je hebt dit ingeleverd op")
        expect(phone.locator("main")).to_contain_text(event)
        phone.locator("main a[href*='/treatment/modules/']").first.click()

    from maatwerk.web.treatment.models import ExerciseResponse

    handed_in = ExerciseResponse.objects.filter(
        exercise_id="g_schema", submitted_at__isnull=False
    ).order_by("entry")
    assert [r.answers["event"] for r in handed_in] == [g[0] for g in G_SCHEMAS]
    assert ExerciseResponse.objects.get(exercise_id="diary").submitted_at is not None

    # 6. The patient's own PHQ-9 course, in plain words.
    phone.goto("/portal/")
    phone.click("main a[href$='/portal/results/']")
    expect(phone).to_have_url(re.compile(r"/portal/results/$"))
    results = phone.locator("main")
    expect(results).to_contain_text("Vragenlijst over somberheid")
    expect(results).to_contain_text("Je laatste score: 8 (de schaal loopt van 0 tot 27).")
    expect(results).to_contain_text("Het gaat beter dan de eerste keer.")
    # The course as a chart, with its numbers and a summary in words beside it.
    expect(phone.locator("main figure.feedback-chart").first).to_be_visible()
    expect(phone.locator("main figure.feedback-chart .chart-summary").first).not_to_be_empty()
    assert_accessible(phone, "my results")

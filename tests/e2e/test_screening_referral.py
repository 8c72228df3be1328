"""The screening path in the browser: a clinician assigns a screening battery,
the patient completes it on a phone, the clinician records the SCEGS exploration, reads
the profile with its reasons, accepts the stepped-care advice and refers the patient to
a provider found by postcode. axe-core must find no serious or critical violation on
any page of the path.

The answers are chosen so that the outcome can be reasoned out by hand (rules in
docs/screening/README.md):

* complaints: back pain (musculoskeletal cluster) and fatigue (general cluster): 2
  clusters -> "mild" on the cluster criterion; the clinician records a moderate
  functional limitation and 20 weeks of complaints -> severity "moderate";
* PHQ-9: items 1-8 at 1, item 9 at 0 -> total 8 (< 10); GAD-7: all 1 -> 7 (< 10): no
  negative mood, no suggested comorbidity, so no step up;
* PHQ-15: all 15 items at 1 (a woman answers item 4) -> 15 >= 10: symptom focus
  elevated (an unverified threshold); the clinician judges avoidance present: 2
  psychological risk factors -> psychological risk profile flagged;
* moderate, risk profile, but no suspected DSM disorder -> POH-GGZ;
* TSK and PCS are included because of the pain, but this organization has not imported
  their licensed texts, so they are "unavailable" and never block the screening.
"""

from __future__ import annotations

import re
from collections.abc import Callable

import pytest
from playwright.sync_api import BrowserContext, Page, Response, expect

from tests.e2e.conftest import Person, assert_accessible, enter_totp, log_in

pytestmark = pytest.mark.e2e

POSTCODE_AREAS = [
    # PC4, place, approximate centre (latitude, longitude): test data.
    ("3511", "Utrecht", 52.0920, 5.1150),
    ("3581", "Utrecht", 52.0870, 5.1400),
    ("3811", "Amersfoort", 52.1560, 5.3870),
]


def make_directory(clinician: Person) -> None:
    """Three providers around Utrecht in the clinician's organization."""
    from maatwerk.web.organizations.models import Membership
    from maatwerk.web.providers.models import PostcodeArea, Provider

    organization = Membership.objects.get(user__email=clinician.email).organization
    for pc4, place, latitude, longitude in POSTCODE_AREAS:
        PostcodeArea.objects.create(
            organization=organization,
            pc4=pc4,
            place=place,
            latitude=latitude,
            longitude=longitude,
        )
    common = {"organization": organization, "languages": ["nl"], "waiting_weeks": 2}
    Provider.objects.create(
        key="poh-oost",
        name="Praktijk Oost – POH-GGZ Fenna Visser",
        postcode="3581AB",
        place="Utrecht",
        disciplines=["poh_ggz"],
        expertise=["graded_activity", "attention_cognitive_exposure_techniques"],
        modalities=["online", "face_to_face"],
        **common,
    )
    Provider.objects.create(
        key="poh-amersfoort",
        name="Huisartsenpraktijk Eemland – POH-GGZ Joris de Boer",
        postcode="3811AA",
        place="Amersfoort",
        disciplines=["poh_ggz"],
        expertise=["attention_cognitive_exposure_techniques"],
        modalities=["face_to_face"],
        **common,
    )
    Provider.objects.create(
        key="fysio-centrum",
        name="Fysiotherapie Centrum Utrecht",
        postcode="3511AB",
        place="Utrecht",
        disciplines=["fysiotherapeut"],
        expertise=["physiotherapy"],
        modalities=["face_to_face"],
        **common,
    )


QUESTIONNAIRE_LINK = "main a[href^='/questionnaires/']:not([href='/questionnaires/help/'])"


def is_autosave(response: Response) -> bool:
    return response.request.method == "POST" and response.url.endswith("/answer/")


def answer_every_item(page: Page, value_for: Callable[[str], str]) -> None:
    """Answer each visible, unanswered item (items may appear as others are answered),
    waiting for the server to confirm every autosave."""
    while True:
        names: list[str] = page.eval_on_selector_all(
            "main form.questionnaire input[type=radio]",
            """inputs => [...new Set(inputs
                .filter(i => i.offsetParent !== null)
                .map(i => i.name))]
                .filter(name => !document.querySelector(
                    `main form.questionnaire input[name='${name}']:checked`))""",
        )
        if not names:
            return
        name = names[0]
        radio = page.locator(
            f"main form.questionnaire input[type=radio][name='{name}'][value='{value_for(name)}']"
        )
        with page.expect_response(is_autosave) as saved:
            radio.check()
        assert saved.value.ok, f"autosave of {name} refused: {saved.value.status}"


def item_value(name: str) -> str:
    # PHQ-9 item 9 (thoughts of death or self-harm) at 0: this test is not about alerts.
    return "0" if name == "item-phq9_9" else "1"


def test_clinician_screens_patient_reads_profile_and_refers_by_postcode(
    new_context: Callable[..., BrowserContext],
    make_clinician: Callable[..., Person],
    make_patient_in_care: Callable[..., Person],
) -> None:
    clinician = make_clinician()
    patient = make_patient_in_care(clinician)
    make_directory(clinician)

    # 1. The clinician assigns the short GP battery from the patient's page.
    desk = new_context().new_page()
    log_in(desk, clinician.email, clinician.password)
    enter_totp(desk, clinician.totp_secret)
    desk.click(f"main a:text-is('{patient.full_name}')")
    desk.click("main a[href*='/screening/patients/']")
    expect(desk.locator("h1")).to_contain_text(patient.full_name)
    assert_accessible(desk, "the patient's screenings")
    desk.click("main a[href$='/assign/']")
    assert_accessible(desk, "the battery chooser")
    desk.locator("main input[name=battery][value=gp_short]").check()
    desk.locator("main form button[type=submit]").click()
    expect(desk).to_have_url(re.compile(r"/screening/[0-9a-f-]+/$"))
    assert_accessible(desk, "the screening detail")

    # 2. The patient answers the intake on a phone, then the questionnaires.
    phone = new_context().new_page()
    log_in(phone, patient.email, patient.password)
    phone.click("main a[href*='/screening/'][href$='/intake/']")
    expect(phone.locator("h1")).to_have_text("Over je klachten")
    assert_accessible(phone, "the intake on a phone")
    phone.get_by_label("Pijn in je rug of nek").check()
    phone.get_by_label("Erg moe zijn").check()
    phone.get_by_label("Wat is je belangrijkste klacht?", exact=False).fill(
        "Mijn rug doet elke dag pijn en ik ben zo moe."
    )
    phone.get_by_label("Waar wil je als eerste aan werken?").fill("Weer boodschappen doen.")
    phone.locator("main input[name=wants_help_now][value=yes]").check()
    phone.locator("main input[name=modality][value=online]").check()
    phone.locator("main button[name=action][value=submit]").click()
    expect(phone.locator("main")).to_contain_text("Je vragenlijsten")

    questionnaire_links = phone.locator(QUESTIONNAIRE_LINK)
    expect(questionnaire_links).to_have_count(3)  # PHQ-15, PHQ-9, GAD-7
    intake_url = phone.url
    for index in range(3):
        phone.goto(intake_url)
        phone.locator(QUESTIONNAIRE_LINK).first.click()
        if index == 0:
            assert_accessible(phone, "a screening questionnaire on a phone")
        answer_every_item(phone, item_value)
        phone.locator("main form.questionnaire button[type=submit]").click()
        expect(phone).to_have_url(re.compile(r"/portal/$"))
    phone.goto(intake_url)
    expect(phone.locator(QUESTIONNAIRE_LINK)).to_have_count(0)

    # 3. The clinician records the SCEGS exploration and computes the profile.
    desk.reload()
    expect(desk.locator("main")).to_contain_text("TSK")  # included for pain, but unavailable
    desk.click("main a[href$='/scegs/']")
    assert_accessible(desk, "the SCEGS form")
    desk.locator("#duration_weeks").fill("20")
    desk.locator("main input[name=functional_limitation][value=moderate]").check()
    desk.locator("main input[name=factor-avoidance][value=present]").check()
    desk.locator("main form button[type=submit]").last.click()
    expect(desk).to_have_url(re.compile(r"/screening/[0-9a-f-]+/$"))
    desk.click("main a[href$='/profile/']")
    desk.locator("main form[action$='/profile/compute/'] button").click()
    expect(desk).to_have_url(re.compile(r"/profile/$"))
    profile = desk.locator("main")
    # The reasons: symptom focus with its evidence (PHQ-15 15 against >= 10, unverified),
    # avoidance judged by the clinician, the risk profile, and the advice.
    expect(profile).to_contain_text("Klachtgerichtheid / ziekteangst")
    expect(profile).to_contain_text("15, grens 10 of hoger")
    expect(profile).to_contain_text("Vermijding")
    expect(profile).to_contain_text("POH-GGZ")
    expect(profile).to_contain_text("Mijn rug doet elke dag pijn en ik ben zo moe.")
    assert_accessible(desk, "the screening profile")
    desk.locator("main input[name=decision][value=accept]").check()
    desk.locator("main form[action$='/profile/decision/'] button[type=submit]").click()
    expect(desk.locator("main")).to_contain_text("Je besluit over het zorgniveau is vastgelegd.")
    expect(desk.locator("main")).to_contain_text("Advies POH-GGZ overgenomen door")

    # 4. Refer to a provider found by postcode: the POH-GGZ in Utrecht-Oost ranks first
    # (the advised care level, 1.8 km away) above the one in Amersfoort (about 19 km).
    desk.click("main a[href*='/referrals/new/']")
    assert_accessible(desk, "the referral search")
    desk.locator("#postcode").fill("3511 AB")
    desk.locator("main form[method=get] button[type=submit]").click()
    results = desk.locator("main ol.results > li")
    expect(results.first).to_contain_text("Praktijk Oost – POH-GGZ Fenna Visser")
    expect(desk.locator("main")).to_contain_text("Huisartsenpraktijk Eemland")
    assert_accessible(desk, "the referral search results")
    results.first.locator("a.button").click()
    assert_accessible(desk, "the referral form")
    desk.locator("#question").fill(
        "Graag begeleiding bij aanhoudende rugpijn en moeheid; vermijdt activiteiten."
    )
    desk.locator("main form button[type=submit]").click()
    expect(desk).to_have_url(re.compile(r"/providers/referrals/[0-9a-f-]+/$"))
    assert_accessible(desk, "the draft referral")
    consent = desk.locator("main form[action$='/consent/']")
    consent.locator("select, input[type=radio]").first.wait_for()
    if consent.locator("select[name=consent_method]").count():
        consent.locator("select[name=consent_method]").select_option(index=1)
    else:
        consent.locator("input[name=consent_method]").first.check()
    consent.locator("button[type=submit]").click()
    desk.locator("main form[action$='/send/'] button[type=submit]").click()
    expect(desk.locator("main")).to_contain_text("Verstuurd")
    assert_accessible(desk, "the sent referral")

    from maatwerk.web.providers.models import Referral

    referral = Referral.objects.get(patient__user__email=patient.email)
    assert referral.status == Referral.Status.SENT
    assert referral.consent_given
    assert referral.care_level == "poh_ggz"
    assert referral.provider.key == "poh-oost"
    assert any("POH-GGZ" in line for line in referral.summary_lines)

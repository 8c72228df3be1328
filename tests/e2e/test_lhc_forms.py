"""Real-client test (FHIR R4 interoperability): LHC-Forms, the NLM's FHIR form renderer (npm
``lforms``, vendored by scripts/vendor_assets.sh), renders every bundled Questionnaire
whose item texts Maatwerk ships; a patient fills it in by clicking LHC-Forms' own answer
controls; the QuestionnaireResponse that LHC-Forms produces is posted to Maatwerk's API;
the scores that come back equal those of the same answers given in Maatwerk's own form.

The LHC-Forms page is not a route of the app. ``page.route`` serves it, and the vendored
LHC-Forms files, under the live server's origin, so that the page's ``fetch`` calls to
``/api/v1/fhir/...`` are same-origin and carry the patient's session cookie and CSRF
token exactly as a client embedded in the portal would. Nothing is fetched from the
internet.

Interoperability findings (what LHC-Forms 40.1.3 in R4 mode does with our resources):

* The exported Questionnaire loads without error or change. LHC-Forms ignores
  Maatwerk's own extensions (instrument-definition, item-applies-to, text-unverified,
  score-not-calculated), as it should with unknown extensions.
* Choice items render as a drop-down/autocomplete ("Select one"), not as radio buttons:
  the export declares no ``questionnaire-itemControl``. LHC-Forms shows the
  ``ordinalValue`` next to each option ("Bijna elke dag - 3"), so a respondent sees the
  item score while answering.
* Applicability (PHQ-15 item 4, women only) is an SDC ``enableWhenExpression`` on the
  ``%patient`` launch context, which the PHQ-15 declares. LHC-Forms needs that patient:
  without ``LForms.Util.setFHIRContext(client, {patient})`` the PHQ-15 does not load at
  all ("Cannot read properties of undefined"), so every test gives LHC-Forms the patient
  (only ``gender`` matters), as a client launched for a patient does. Then LHC-Forms
  leaves item 4 out for a man, and asks it of a woman and of a patient whose gender is
  ``other`` or ``unknown``, who may answer "Dit geldt niet voor mij"
  (``data-absent-reason#not-applicable``), just as Maatwerk's own form.
* The response LHC-Forms produces already has ``questionnaire`` =
  ``<url>|<version>`` and ``status`` = completed, and each answer is a ``valueCoding``
  with our system, the code (= the value) and the ``ordinalValue`` extension. It adds
  ``meta.profile``/``meta.tag`` and ``authored``; Maatwerk accepts them.
* The one adjustment: LHC-Forms cannot know the Maatwerk assignment, so the test adds
  ``basedOn`` = the assignment identifier before posting (any client must).
* LHC-Forms evaluates the SDC ``calculatedExpression`` of the score items itself and
  puts its result in the response (``score.<scale>`` items, ignored by Maatwerk). The
  evaluation runs asynchronously after an answer: the response must be taken only once
  the score fields show a value, or the last answer's score is missing. Its results
  equal Maatwerk's scores, which is asserted.
* Timing: after a click in the answer list the field shows the chosen answer before
  LHC-Forms has it in its form data; a response taken at once can lack the last answer
  (seen with PHQ-9 item 10). The test waits, per answer, until ``getFormFHIRData``
  returns it.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import Page, Response, Route, expect

from maatwerk.core.instruments.registry import bundled_instruments, get_instrument
from tests.e2e.conftest import Person, log_in

pytestmark = pytest.mark.e2e

LFORMS_DIR = Path(__file__).parent / "vendor" / "lforms"
# Load order of the lforms README ("Using the LHC-Forms Web Component"); the scripts go at
# the end of <body> because main.js appends to document.body, and lformsFHIR needs LForms.
LFORMS_STYLES = "webcomponent/styles.css"
LFORMS_SCRIPTS = (
    "webcomponent/assets/lib/zone.min.js",
    "webcomponent/runtime.js",
    "webcomponent/polyfills.js",
    "webcomponent/main.js",
    "fhir/R4/lformsFHIR.min.js",
)
LFORMS_VERSION = "40.1.3"
CLIENT_PATH = "/e2e-lhc-forms/"  # served by page.route only; the app has no such URL
CONTENT_TYPES = {".css": "text/css", ".js": "text/javascript", ".png": "image/png"}

FHIR = "/api/v1/fhir"
ASSIGNMENT_SYSTEM = "https://maatwerk.example/fhir/assignment"
SCALE_SYSTEM = "https://maatwerk.example/fhir/CodeSystem/instrument-scale"
CALCULATED_EXPRESSION = (
    "http://hl7.org/fhir/uv/sdc/StructureDefinition/sdc-questionnaire-calculatedExpression"
)

SHIPPED_TEXTS = sorted(
    {
        instrument.code
        for instrument in bundled_instruments()
        if instrument.licence.item_texts_shipped
    }
)

CLIENT_HTML = f"""<!doctype html>
<html lang="nl">
<head>
<meta charset="utf-8">
<title>LHC-Forms</title>
<link rel="stylesheet" href="{CLIENT_PATH}lforms/{LFORMS_STYLES}">
</head>
<body>
<main><div id="lhc-form"></div></main>
{"".join(f'<script src="{CLIENT_PATH}lforms/{script}"></script>' for script in LFORMS_SCRIPTS)}
</body>
</html>
"""

# The CSRF cookie is HttpOnly (scripts never read it); a client of the same site takes
# the token the server gave it, here passed in by the test from the browser's cookie jar.
POST_RESPONSE = """async ([resource, token]) => {
    const response = await fetch("/api/v1/fhir/QuestionnaireResponse", {
        method: "POST",
        headers: {
            "Content-Type": "application/fhir+json",
            "Accept": "application/fhir+json",
            "X-CSRFToken": token,
        },
        body: JSON.stringify(resource),
    });
    return {status: response.status, body: await response.text()};
}"""


ANSWER_IN_RESPONSE = """([linkId, code]) => {
    const response = LForms.Util.getFormFHIRData(
        "QuestionnaireResponse", "R4", document.getElementById("lhc-form"));
    return (response.item || []).some((item) => item.linkId === linkId
        && (item.answer || []).some((answer) => (answer.valueCoding || {}).code === code));
}"""


@pytest.fixture(scope="module")
def lforms_files() -> Path:
    missing = [
        path for path in (LFORMS_STYLES, *LFORMS_SCRIPTS) if not (LFORMS_DIR / path).is_file()
    ]
    if missing:
        pytest.fail(
            f"LHC-Forms is missing from {LFORMS_DIR}: {', '.join(missing)}. Run 'make install' "
            "(it vendors lforms from node_modules with scripts/vendor_assets.sh).",
            pytrace=False,
        )
    return LFORMS_DIR


def serve_lhc_forms(page: Page, base_url: str, lforms: Path) -> None:
    """Answer requests for the client page and the LHC-Forms files from the test, under
    the live server's origin; every other request goes to the app."""

    def handle(route: Route) -> None:
        path = route.request.url.removeprefix(base_url + CLIENT_PATH)
        if path == "":
            route.fulfill(body=CLIENT_HTML, content_type="text/html; charset=utf-8")
            return
        file = (lforms / path.removeprefix("lforms/")).resolve()
        if not path.startswith("lforms/") or lforms.resolve() not in file.parents:
            route.fulfill(status=404, body="not part of the LHC-Forms client")
        elif not file.is_file():
            route.fulfill(status=404, body=f"{path} is not vendored")
        else:
            route.fulfill(path=file, content_type=CONTENT_TYPES.get(file.suffix, "text/plain"))

    page.route(f"{base_url}{CLIENT_PATH}**", handle)


def assign(patient: Person, code: str) -> Any:
    from maatwerk.web.organizations.models import Membership
    from maatwerk.web.patients.models import CareTeamMember
    from maatwerk.web.questionnaires.models import Assignment

    instrument = get_instrument(code)
    member = CareTeamMember.objects.select_related("episode__patient").get(
        episode__patient__user__email=patient.email
    )
    return Assignment.objects.create(
        patient=member.episode.patient,
        instrument_code=instrument.code,
        instrument_version=instrument.version,
        assigned_by=Membership.objects.get(pk=member.membership_id),
        mode=Assignment.Mode.SELF,
    )


ADD_FORM = """([questionnaire, gender]) => {
    // The launch context (SDC %patient) of a client launched for this patient: the
    // PHQ-15's enableWhenExpression reads the gender. No server: the patient is given.
    LForms.Util.setFHIRContext({}, {patient: {resourceType: "Patient", id: "p", gender}});
    return LForms.Util.addFormToPage(
        questionnaire, document.getElementById("lhc-form"), {fhirVersion: "R4"});
}"""


def add_form(page: Page, questionnaire: dict[str, Any], *, gender: str) -> None:
    page.evaluate(ADD_FORM, [questionnaire, gender])


def answer_plan(questionnaire: dict[str, Any]) -> dict[str, dict[str, str]]:
    """A deterministic, varied answer per question: the n-th question gets option
    n mod (number of options), so the values vary from item to item."""
    plan: dict[str, dict[str, str]] = {}
    questions = [item for item in questionnaire["item"] if item["type"] != "display"]
    for number, item in enumerate(questions, start=1):
        if item.get("readOnly"):
            continue  # Maatwerk's score.* items
        assert item["type"] == "choice", f"{item['linkId']}: only choice items are handled"
        options = item["answerOption"]
        plan[item["linkId"]] = options[number % len(options)]["valueCoding"]
    return plan


def choose_in_lhc_forms(page: Page, link_id: str, coding: dict[str, str]) -> None:
    """Open the question's answer list and click the option, as a user does."""
    field = page.locator(f'#lhc-form [id="{link_id}/1"]')
    field.click()
    option = page.locator("#lhc-tools-searchResults li").filter(
        # "2:  Meerdere dagen - 1": list number, label and (LHC-Forms) the ordinal value.
        has_text=re.compile(r"^\d+:\s+" + re.escape(coding["display"]) + r"( - \S+)?$")
    )
    expect(option).to_have_count(1)
    option.click()
    expect(field).to_have_value(re.compile("^" + re.escape(coding["display"])))
    # The field shows the answer before LHC-Forms has put it in its form data.
    page.wait_for_function(ANSWER_IN_RESPONSE, arg=[link_id, coding["code"]])


def is_autosave(response: Response) -> bool:
    return response.request.method == "POST" and response.url.endswith("/answer/")


@contextmanager
def autosaved(page: Page) -> Iterator[None]:
    with page.expect_response(is_autosave) as info:
        yield
    assert info.value.ok, f"autosave refused: {info.value.status} {info.value.text()}"


def scale_results(assignment: Any) -> dict[str, tuple[Decimal | None, str]]:
    from maatwerk.web.questionnaires.models import ScaleResult

    return {
        result.scale_id: (result.value, result.band)
        for result in ScaleResult.objects.filter(assignment=assignment)
    }


def saved_answers(assignment: Any) -> dict[str, Decimal | None]:
    from maatwerk.web.questionnaires.models import Answer

    return {
        answer.item_id: answer.value
        for answer in Answer.objects.filter(assignment=assignment)
        if answer.value is not None
    }


def observation_values(bundle: dict[str, Any], code: str) -> dict[str, Decimal | None]:
    values: dict[str, Decimal | None] = {}
    for entry in bundle["entry"]:
        resource = entry["resource"]
        if resource["resourceType"] != "Observation":
            continue
        coding = resource["code"]["coding"][0]
        assert coding["system"] == SCALE_SYSTEM
        scale_id = coding["code"].removeprefix(f"{code}.")
        if "valueInteger" in resource:
            values[scale_id] = Decimal(resource["valueInteger"])
        elif "valueQuantity" in resource:
            values[scale_id] = Decimal(resource["valueQuantity"]["value"])
        else:
            assert "dataAbsentReason" in resource, resource
            values[scale_id] = None
    return values


@pytest.mark.parametrize("code", SHIPPED_TEXTS)
def test_lhc_forms_answers_score_like_maatwerks_own_form(
    code: str,
    page: Page,
    live_server: Any,
    lforms_files: Path,
    make_clinician: Callable[..., Person],
    make_patient_in_care: Callable[..., Person],
) -> None:
    instrument = get_instrument(code)
    canonical = f"https://maatwerk.example/fhir/Questionnaire/{code}|{instrument.version}"
    clinician = make_clinician()
    # A woman, so that PHQ-15 item 4 (menstrual problems) applies to her.
    patient = make_patient_in_care(clinician, sex="female")
    by_lhc_forms = assign(patient, code)
    by_own_form = assign(patient, code)

    log_in(page, patient.email, patient.password)
    expect(page).to_have_url(re.compile(r"/portal/$"))

    # --- LHC-Forms renders the exported Questionnaire --------------------------------
    errors: list[str] = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    serve_lhc_forms(page, live_server.url, lforms_files)
    page.goto(CLIENT_PATH)
    page.wait_for_function("() => window.LForms && LForms.Util && LForms.FHIR && LForms.FHIR.R4")
    assert page.evaluate("() => LForms.lformsVersion") == LFORMS_VERSION
    questionnaire = page.evaluate(
        """async (url) => {
            const response = await fetch(url, {headers: {Accept: "application/fhir+json"}});
            if (!response.ok) throw new Error(`${url}: ${response.status}`);
            return await response.json();
        }""",
        f"{FHIR}/Questionnaire/{code}",
    )
    add_form(page, questionnaire, gender="female")
    form = page.locator("#lhc-form wc-lhc-form")
    expect(form.locator(".lhc-form-title")).to_contain_text(questionnaire["title"])

    # --- the patient answers by clicking LHC-Forms' answer lists ---------------------
    plan = answer_plan(questionnaire)
    for link_id, coding in plan.items():
        choose_in_lhc_forms(page, link_id, coding)
    calculated = [
        item["linkId"]
        for item in questionnaire["item"]
        if any(ext["url"] == CALCULATED_EXPRESSION for ext in item.get("extension", []))
    ]
    for link_id in calculated:  # LHC-Forms computes these asynchronously
        expect(page.locator(f'#lhc-form [id="{link_id}/1"]')).not_to_have_value("")
    assert errors == [], errors

    response = page.evaluate(
        """() => LForms.Util.getFormFHIRData(
            "QuestionnaireResponse", "R4", document.getElementById("lhc-form"))"""
    )
    # What LHC-Forms produced, unchanged so far.
    assert response["resourceType"] == "QuestionnaireResponse"
    assert response["questionnaire"] == canonical
    assert response["status"] == "completed"
    assert "basedOn" not in response
    items = {item["linkId"]: item for item in response["item"]}
    answered = {
        link_id: item["answer"][0]["valueCoding"]
        for link_id, item in items.items()
        if not link_id.startswith("score.")
    }
    assert {k: v["code"] for k, v in answered.items()} == {k: v["code"] for k, v in plan.items()}
    assert all(v["system"] == plan[k]["system"] for k, v in answered.items())
    lhc_scores = {
        link_id.removeprefix("score."): item["answer"][0]
        for link_id, item in items.items()
        if link_id.startswith("score.")
    }
    assert sorted(lhc_scores) == sorted(link_id.removeprefix("score.") for link_id in calculated)

    # The one adjustment: name the Maatwerk assignment, which LHC-Forms cannot know.
    response["basedOn"] = [
        {"identifier": {"system": ASSIGNMENT_SYSTEM, "value": str(by_lhc_forms.public_id)}}
    ]
    token = next(c["value"] for c in page.context.cookies() if c["name"] == "csrftoken")
    posted = page.evaluate(POST_RESPONSE, [response, token])
    assert posted["status"] == 201, posted["body"]
    bundle = json.loads(posted["body"], parse_float=Decimal)
    assert bundle["resourceType"] == "Bundle"
    api_scores = observation_values(bundle, code)

    # --- the same answers in Maatwerk's own form ---------------------------------------
    fill_path = f"/questionnaires/{by_own_form.public_id}/"
    page.goto(fill_path)
    for link_id, coding in plan.items():
        # Tap the label of the answer (the label belongs to its radio button).
        label = page.locator(f"main #q-{link_id} label.choice").filter(
            has=page.locator(f"input[type=radio][value='{coding['code']}']")
        )
        radio = label.locator("input[type=radio]")
        with autosaved(page):
            label.click()
        expect(radio).to_be_checked()
    page.locator("main form.questionnaire button[type=submit]").click()
    expect(page).not_to_have_url(re.compile(re.escape(fill_path) + "$"))

    # --- the same answers, the same scores ----------------------------------------------
    by_lhc_forms.refresh_from_db()
    by_own_form.refresh_from_db()
    assert by_lhc_forms.status == by_own_form.status == "completed"
    assert saved_answers(by_lhc_forms) == saved_answers(by_own_form)
    assert saved_answers(by_own_form) == {k: Decimal(v["code"]) for k, v in plan.items()}
    own = scale_results(by_own_form)
    assert {scale.id for scale in instrument.scales} == set(own)
    assert scale_results(by_lhc_forms) == own
    assert api_scores == {scale_id: value for scale_id, (value, _band) in own.items()}
    # LHC-Forms' own calculatedExpression results agree with Maatwerk's engine.
    for scale_id, answer in lhc_scores.items():
        assert (
            Decimal(str(answer.get("valueInteger", answer.get("valueDecimal")))) == own[scale_id][0]
        ), (scale_id, answer)


@pytest.mark.parametrize("sex", ["male", "other", "unknown"])
def test_lhc_forms_asks_phq15_item_4_as_maatwerk_does(
    sex: str,
    page: Page,
    live_server: Any,
    lforms_files: Path,
    make_clinician: Callable[..., Person],
    make_patient_in_care: Callable[..., Person],
) -> None:
    # PHQ-15 item 4 (menstrual problems) is for women only (Kroenke, Spitzer & Williams
    # 2002). A man is not asked it; with the sex "other" or not recorded it is asked, and
    # "Dit geldt niet voor mij" leaves it out: 14 items x 1 = 14 either way.
    clinician = make_clinician()
    patient = make_patient_in_care(clinician, sex=sex)
    assignment = assign(patient, "phq15")
    log_in(page, patient.email, patient.password)
    expect(page).to_have_url(re.compile(r"/portal/$"))
    errors: list[str] = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    serve_lhc_forms(page, live_server.url, lforms_files)
    page.goto(CLIENT_PATH)
    page.wait_for_function("() => window.LForms && LForms.Util && LForms.FHIR && LForms.FHIR.R4")
    questionnaire = page.evaluate(
        """async (url) => (
            await fetch(url, {headers: {Accept: "application/fhir+json"}})).json()""",
        f"{FHIR}/Questionnaire/phq15",
    )
    add_form(page, questionnaire, gender=sex)  # Maatwerk's sex codes are FHIR genders
    form = page.locator("#lhc-form wc-lhc-form")
    expect(form.locator(".lhc-form-title")).to_contain_text(questionnaire["title"])
    expect(page.locator('#lhc-form [id="phq15_3/1"]')).to_have_count(1)
    item_4 = page.locator('#lhc-form [id="phq15_4/1"]')
    expect(item_4).to_have_count(0 if sex == "male" else 1)

    by_id = {item["linkId"]: item for item in questionnaire["item"]}
    for n in range(1, 16):
        options = {
            o["valueCoding"]["code"]: o["valueCoding"] for o in by_id[f"phq15_{n}"]["answerOption"]
        }
        if n != 4:
            choose_in_lhc_forms(page, f"phq15_{n}", options["1"])
        elif sex != "male":
            assert options["not-applicable"]["display"] == "Dit geldt niet voor mij"
            choose_in_lhc_forms(page, "phq15_4", options["not-applicable"])
    expect(page.locator('#lhc-form [id="score.total/1"]')).to_have_value("14")
    assert errors == [], errors
    response = page.evaluate(
        """() => LForms.Util.getFormFHIRData(
            "QuestionnaireResponse", "R4", document.getElementById("lhc-form"))"""
    )
    response["basedOn"] = [
        {"identifier": {"system": ASSIGNMENT_SYSTEM, "value": str(assignment.public_id)}}
    ]
    token = next(c["value"] for c in page.context.cookies() if c["name"] == "csrftoken")
    posted = page.evaluate(POST_RESPONSE, [response, token])
    assert posted["status"] == 201, posted["body"]
    bundle = json.loads(posted["body"], parse_float=Decimal)
    assert observation_values(bundle, "phq15")["total"] == 14
    from maatwerk.web.questionnaires.models import Answer

    marked = Answer.objects.filter(assignment=assignment, not_applicable=True)
    assert [a.item_id for a in marked] == ([] if sex == "male" else ["phq15_4"])

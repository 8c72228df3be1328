"""Safety first on the patient's own results page: while the patient has an open safety
signal (PHQ-9 item 9: thoughts of death or of hurting themselves) the page opens with
what the care team does about it, the crisis lines and the safety plan, and "it goes
better" or "crossed the line" never stands alone (the rule of
:func:`maatwerk.core.analysis.headline.outcome_headline`, as on the clinician's pages).
Once the signal is closed the page is as before."""

from __future__ import annotations

import io
import re
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone
from pypdf import PdfReader

from maatwerk.core.safety_plan import bundled_safety_plan_content
from maatwerk.web.common.actor import actor_for_user
from maatwerk.web.patients.opening import open_own_record, open_patient
from maatwerk.web.questionnaires.models import SafetyAlert
from maatwerk.web.safety.selectors import own_open_signals
from maatwerk.web.safetyplan.forms import SafetyPlanForm
from maatwerk.web.safetyplan.services import safety_plan_save
from tests.web.test_own_results import PAGE, phq9_completed
from tests.web.world import World

pytestmark = pytest.mark.django_db

# (heading of the block, what the care team knows, the course text, the pointer to the
# block, the safety plan link without a plan) per language.
WORDS = {
    "nl": {
        "heading": "Je zorgteam weet het",
        "told": "Je schreef dat je soms denkt aan de dood of aan jezelf pijn doen.",
        "better": "Het gaat beter dan de eerste keer.",
        "crossed": "Je score is ook over de grens gegaan",
        "pointer": "Lees ook wat bovenaan deze pagina staat.",
        "start_plan": "Mijn veiligheidsplan beginnen",
        "score": "Je laatste score: 8 (de schaal loopt van 0 tot 27).",
    },
    "en": {
        "heading": "Your care team knows",
        "told": "You wrote that you sometimes think about death or about hurting yourself.",
        "better": "It goes better than the first time.",
        "crossed": "Your score has also crossed the line",
        "pointer": "Please also read the note at the top of this page.",
        "start_plan": "Start my safety plan",
        "score": "Your latest score: 8 (the scale runs from 0 to 27).",
    },
}


@pytest.fixture
def recovered(world: World) -> World:
    """PHQ-9 16 six weeks ago, 8 now: a reliable improvement that also crossed the
    cut-off ("recovered"); the world's PHQ-9 item-9 signal of patient A is open."""
    phq9_completed(world, "patient_a", 2, days_ago=42)
    phq9_completed(world, "patient_a", 1, days_ago=1)
    return world


def _speaks(world: World, language: str) -> None:
    world.users["patient_a"].language = language
    world.users["patient_a"].save(update_fields=["language"])


def _page(world: World, language: str, patient: str = "patient_a") -> str:
    if patient == "patient_a":
        _speaks(world, language)
    response = world.client_for(patient).get(PAGE)
    assert response.status_code == 200
    return str(response.content.decode())


def _main(html: str) -> str:
    """The page's own content (the footer carries the crisis lines on every page)."""
    return html[html.index("<main") : html.index("</main>")]


def _courses(html: str) -> list[str]:
    return re.findall(r'<p class="own-course own-course-\w+">(.*?)</p>', html, re.S)


def _close(world: World) -> None:
    SafetyAlert.objects.filter(pk=world.alert.pk).update(
        status=SafetyAlert.Status.CLOSED, closed_at=timezone.now() - timedelta(days=400)
    )


@pytest.mark.parametrize("language", ["nl", "en"])
def test_an_open_signal_comes_first_and_the_better_course_points_to_it(
    recovered: World, language: str
) -> None:
    assert recovered.alert.is_active
    words = WORDS[language]
    html = _main(_page(recovered, language))
    # The page opens with the block: before any score or course text.
    block = html.index(words["heading"])
    assert block < html.index(words["score"]) < html.index(words["better"])
    assert words["told"] in html
    # The crisis lines of the platform's own include, and the way to the safety plan.
    assert 'href="tel:08000113"' in html and 'href="tel:112"' in html
    assert html.index('href="tel:08000113"') < html.index(words["score"])
    assert f'href="{reverse("portal:safety_plan")}"' in html
    assert words["start_plan"] in html
    # The score stays; the reassuring words never stand alone.
    assert words["score"] in html
    courses = _courses(html)
    assert courses and words["better"] in courses[0] and words["crossed"] in courses[0]
    assert all(words["pointer"] in course for course in courses if words["better"] in course)


@pytest.mark.parametrize("language", ["nl", "en"])
def test_after_the_signal_is_closed_the_page_is_as_before(recovered: World, language: str) -> None:
    _close(recovered)
    words = WORDS[language]
    html = _main(_page(recovered, language))
    assert words["heading"] not in html
    assert words["told"] not in html
    assert 'href="tel:08000113"' not in html
    assert words["pointer"] not in html
    courses = _courses(html)
    assert words["better"] in courses[0] and words["crossed"] in courses[0]


def test_a_signal_the_care_provider_picked_up_is_still_open_and_says_so(
    recovered: World,
) -> None:
    """Open is every state but closed (the model's ``is_active``): picked up, the block
    says what the platform says after the answer: the care provider saw it."""
    SafetyAlert.objects.filter(pk=recovered.alert.pk).update(status=SafetyAlert.Status.PICKED_UP)
    html = _main(_page(recovered, "nl"))
    assert "Je zorgverlener heeft dit gezien en neemt contact met je op." in html
    assert WORDS["nl"]["pointer"] in html


def test_a_worse_course_gets_no_pointer_but_the_block_is_still_first(world: World) -> None:
    phq9_completed(world, "patient_a", 0, days_ago=30)
    phq9_completed(world, "patient_a", 2, days_ago=1)
    html = _main(_page(world, "nl"))
    assert html.index("Je zorgteam weet het") < html.index("Het gaat slechter")
    assert WORDS["nl"]["pointer"] not in html


def test_the_link_reads_the_safety_plan_when_there_is_one(recovered: World) -> None:
    actor = actor_for_user(recovered.users["clinician_treating"], access_point="test")
    access = open_patient(
        actor=actor, patient_id=str(recovered.patient_a.public_id), action="update"
    )
    form = SafetyPlanForm(
        {"warning_signs-0-text": "Ik slaap slecht", "coping-0-text": "Wandelen"},
        bundled_safety_plan_content(),
        for_patient=False,
    )
    safety_plan_save(actor=actor, access=access, form=form)
    html = _main(_page(recovered, "nl"))
    assert "Mijn veiligheidsplan beginnen" not in html
    assert f'<a href="{reverse("portal:safety_plan")}">Mijn veiligheidsplan</a>' in html


def test_another_patients_signal_is_never_shown(recovered: World) -> None:
    phq9_completed(recovered, "patient_b", 2, days_ago=42)
    phq9_completed(recovered, "patient_b", 1, days_ago=1)
    html = _main(_page(recovered, "nl", patient="patient_b"))
    assert "Het gaat beter dan de eerste keer." in html
    assert "Je zorgteam weet het" not in html
    assert WORDS["nl"]["pointer"] not in html


def test_the_selector_reads_the_open_signals_of_the_access_only(recovered: World) -> None:
    own = open_own_record(
        actor=actor_for_user(recovered.users["patient_a"], access_point="test"),
        action="read",
        object_type="questionnaire_results",
    )
    found = own_open_signals(own)
    assert (found.count, found.latest, found.has_safety_plan) == (1, recovered.alert, False)
    other = open_own_record(
        actor=actor_for_user(recovered.users["patient_b"], access_point="test"),
        action="read",
        object_type="questionnaire_results",
    )
    assert own_open_signals(other).count == 0
    _close(recovered)
    assert own_open_signals(own).count == 0


@pytest.mark.parametrize("language", ["nl", "en"])
def test_the_pdf_carries_the_block_too(recovered: World, language: str) -> None:
    _speaks(recovered, language)
    response = recovered.client_for("patient_a").get(reverse("portal:own_results_pdf"))
    text = " ".join(
        " ".join((page.extract_text() or "").split())
        for page in PdfReader(io.BytesIO(response.content)).pages
    )
    words = WORDS[language]
    assert text.index(words["heading"]) < text.index(words["better"])
    assert "0800-0113" in text
    assert words["pointer"] in text

"""Found on a clinician's and a patient's walk of the demo (wording): a patient read bare
questionnaire codes ("TSK", "PCS") and English names on the Dutch page; a clinician read
a chart title written to the patient ("Je stemming..."); the vicious circle's box kinds
stayed Dutch in English; knowledge pages showed "TSK, total score >= 40"; and charts put
decimals on axes of whole numbers."""

from __future__ import annotations

import json
import re

import pytest
from django.urls import reverse
from django.utils.translation import override

from maatwerk.core.instruments.registry import get_instrument
from maatwerk.web.knowledge.forms import ThresholdForm
from maatwerk.web.knowledge.labels import Labeller
from maatwerk.web.knowledge.readable import _measure
from tests.web.test_formulation import url, world_formulation
from tests.web.test_monitoring_charts import answered  # noqa: F401 - the fixture of the answered diary
from tests.web.test_own_results import phq9_completed
from tests.web.test_screening import assigned
from tests.web.world import World


def _visible(html: str) -> str:
    return re.sub(r"<[^>]+>", " ", html)


def test_every_bundled_instrument_has_a_patient_name_in_both_languages() -> None:
    from maatwerk.core.instruments.registry import bundled_instruments

    for instrument in bundled_instruments():
        assert instrument.patient_name is not None, instrument.code
        for language in ("nl", "en"):
            label = instrument.patient_label(language)
            assert instrument.short_name not in label, (instrument.code, label)


def test_the_patient_home_names_questionnaires_in_words_not_codes(world: World) -> None:
    patient = world.client_for("patient_a")
    home = patient.get("/portal/").content.decode()
    assert "Vragenlijst over somberheid" in home
    assert ">PHQ-9<" not in home
    from maatwerk.web.questionnaires.templatetags.instrument_labels import (
        patient_instrument_name,
    )

    with override("en"):
        assert patient_instrument_name("phq9") == "Questionnaire about low mood"


def test_the_questionnaire_page_names_it_in_words_for_the_patient(world: World) -> None:
    page = (
        world.client_for("patient_a")
        .get(f"/questionnaires/{world.assignment.public_id}/")
        .content.decode()
    )
    title = re.search(r"<h1>(.*?)</h1>", page, re.S)
    assert title is not None
    assert title.group(1).strip() == get_instrument("phq9").patient_label("nl")


def test_the_patients_screening_steps_name_questionnaires_in_words(world: World) -> None:
    screening = assigned(world)
    page = _visible(
        world.client_for("patient_a")
        .get(f"/screening/{screening.public_id}/intake/")
        .content.decode()
    )
    assert "Vragenlijst over lichamelijke klachten" in page
    assert "PHQ-15" not in page


@pytest.mark.usefixtures("answered")
def test_the_clinicians_monitoring_page_speaks_about_the_patient(world: World) -> None:
    clinician = world.client_for("clinician_treating")
    url = reverse("monitoring:patient", args=[world.patient_a.public_id])
    html = clinician.get(url, HTTP_ACCEPT_LANGUAGE="nl").content.decode()
    assert "Je stemming" not in html
    assert "Stemming van de patiënt voor en na het actief zijn" in html
    # The patient's own page keeps speaking to the patient.
    mine = world.client_for("patient_a").get("/portal/results/").content.decode()
    assert "Je stemming voor en na het actief zijn" in mine


def test_the_circle_names_its_box_kinds_in_the_language_of_the_page(world: World) -> None:
    formulation = world_formulation(world)
    clinician = world.client_for("clinician_treating")
    clinician.post("/i18n/setlang/", {"language": "en", "next": "/"})
    for page in ("", "circle"):
        body = clinician.get(url(formulation, page)).content.decode()
        assert 'lang="en"' in body
        svg = body[body.index("<svg") : body.index("</svg>")]
        assert "(symptom)" in svg and "(klacht)" not in svg
    patient = world.client_for("patient_a")
    patient.post("/i18n/setlang/", {"language": "en", "next": "/"})
    shared = patient.get(f"/formulation/{formulation.public_id}/shared/").content.decode()
    svg = shared[shared.index("<svg") : shared.index("</svg>")]
    assert "(symptom)" in svg and "(klacht)" not in svg


@pytest.mark.parametrize(
    ("operator", "nl", "en"),
    [
        (">=", "totaalscore 40 of hoger", "total score 40 or more"),
        (">", "totaalscore hoger dan 40", "total score more than 40"),
        ("<", "totaalscore lager dan 40", "total score less than 40"),
        ("<=", "totaalscore 40 of lager", "total score 40 or less"),
        ("==", "totaalscore precies 40", "total score exactly 40"),
    ],
)
def test_a_knowledge_rule_reads_as_words_with_the_questionnaires_name(
    operator: str, nl: str, en: str
) -> None:
    measure = {
        "kind": "instrument_scale",
        "instrument": "tsk",
        "scale": "total",
        "operator": operator,
        "threshold": 40,
    }
    for language, expected, name in (
        ("nl", nl, "vragenlijst over bewegingsangst"),
        ("en", en, "Tampa Scale for Kinesiophobia (TSK)"),
    ):
        with override(language):
            labels = Labeller(language, {}, {})
            text = _measure(1, measure, labels).text
        assert text.endswith(expected), text
        assert name in text
        assert not text.startswith("TSK")
        assert not any(symbol in text for symbol in ("<", ">", "="))


def test_the_threshold_form_names_its_operators_in_words(db: None) -> None:
    with override("nl"):
        labels = [
            str(label)
            for _value, label in ThresholdForm(None, prefix="m0", initial={}, sources=[])
            .fields["operator"]
            .choices
        ]
    assert labels and not any(symbol in label for label in labels for symbol in "<>=")


@pytest.mark.usefixtures("answered")
def test_charts_of_whole_number_scales_tick_in_whole_numbers(world: World) -> None:
    phq9_completed(world, "patient_a", 2, days_ago=20)
    phq9_completed(world, "patient_a", 1, days_ago=2)
    page = world.client_for("patient_a").get("/portal/results/").context["page"]
    courses = [scale.chart for scale in page.scales if scale.chart is not None]
    assert courses  # the PHQ-9 course
    charts = [*page.daily, *page.pairings, *courses]
    assert any(chart.key.startswith("pairing") for chart in charts)
    for chart in charts:
        text = json.dumps(chart.spec)
        assert '"format": "d"' in text and '"tickMinStep": 1' in text, chart.key

"""What the personalized-measure pages show of each measure's metadata (name, provenance,
scoring and notes), in Dutch and in English.

Written before the metadata moved from a Python dictionary to
``content/personalized/measures.json``, to show that the pages say the same afterwards. One
deliberate change: the Dutch page shows the scoring rule and notes in Dutch (they were
English-only before the move).
"""

from __future__ import annotations

import html
import re
from typing import Literal

import pytest

from maatwerk.web.personalized.models import MeasureItem, Measurement, MeasureSet
from tests.web.world import World

Language = Literal["nl", "en"]

NAMES: dict[Language, dict[str, str]] = {
    "nl": {
        "psk": "Patiënt Specifieke Klachten",
        "top_problems": "Top-3 problemen",
        "gas": "Goal Attainment Scaling (doelbereik)",
    },
    "en": {
        "psk": "Patient-Specific Complaints",
        "top_problems": "Top-problems rating",
        "gas": "Goal Attainment Scaling",
    },
}

# The provenance each results table shows, the same in both languages.
SOURCES = {
    "gas": (
        "Kiresuk",
        "Goal attainment scaling: a general method for evaluating comprehensive community "
        "mental health programs",
        "Community Mental Health Journal",
        "443–453",
        "Turner-Stokes",
        "https://www.slideshare.net/antoniomoset/turner-stokes",
        "https://nationalcalculatorauthority.com/goal-attainment-score-calculator.html",
    ),
    "psk": (
        "Beurskens et al. (1996)",
        "https://meetinstrumentenzorg.nl/instrumenten/patient-specifieke-klachten/",
        "https://www.oefentherapiedrv.nl/testen/vragenlijst-patientspecifieke-klachten/",
        "https://link.springer.com/chapter/10.1007%2F978-90-313-6537-1_11",
    ),
    "top_problems": (),
}

# Scoring rule and notes, as the English page shows them.
ENGLISH_TEXTS = {
    "gas": (
        "T = 50 + 10·Σ(wᵢxᵢ) / √((1 − ρ)·Σwᵢ² + ρ·(Σwᵢ)²), ρ = 0.30 by default.",
        "T = 50: goals met as expected.",
        "not yet checked against Kiresuk & Sherman (1968) itself, hence unverified.",
    ),
    "psk": (
        "Sum over the activities; per-activity scores are reported as well.",
        "Rated on a 0–100 mm VAS originally, on an 11-point NRS since 2008; only the NRS is "
        "supported.",
        "Not the English PSFS, whose 0–10 runs the other way (higher = better).",
    ),
    "top_problems": (
        "Maatwerk convention: 0 = no burden at all, 10 = worst imaginable burden; "
        "per-problem ratings and their mean.",
        "No standard instrument by that name was found",
        "Not a validated instrument: no psychometric properties, norms or reliable change "
        "threshold exist.",
    ),
}

# The same, as the Dutch page shows them.
DUTCH_TEXTS = {
    "gas": (
        "standaard ρ = 0,30. T = 50: doelen bereikt zoals verwacht.",
        "nog niet gecontroleerd in Kiresuk & Sherman (1968) zelf",
    ),
    "psk": (
        "Som over de activiteiten; de scores per activiteit worden ook getoond.",
        "alleen de NRS wordt ondersteund.",
    ),
    "top_problems": (
        "Maatwerk-afspraak: 0 = helemaal geen last, 10 = ergst denkbare last;",
        "Er is geen standaardinstrument met deze naam gevonden",
    ),
}
TEXTS: dict[Language, dict[str, tuple[str, ...]]] = {"nl": DUTCH_TEXTS, "en": ENGLISH_TEXTS}

UNVERIFIED = {"gas": True, "psk": False, "top_problems": True}
UNVERIFIED_BADGE = {
    "nl": "De scoringsregel is niet gecontroleerd in een primaire bron.",
    "en": "The scoring rule was not checked against a primary source.",
}
CONVENTION_BADGE = {"nl": "Maatwerk-afspraak", "en": "Maatwerk convention"}

SECTION = re.compile(r"<section class=\"card\".*?</section>", re.DOTALL)
HEADING = re.compile(r"<h2 id=\"r-\d+\">(.*?)(?: <span|</h2>)", re.DOTALL)


def _base(world: World) -> str:
    return f"/personal-measures/patients/{world.patient_a.public_id}"


def _every_kind(world: World) -> dict[str, MeasureSet]:
    clinician = world.users["clinician_treating"]
    sets = {"psk": world.psk_set}
    for kind, name in (("top_problems", "moe"), ("gas", "wandelen")):
        measure_set = MeasureSet.objects.create(
            patient=world.patient_a, kind=kind, created_by=clinician
        )
        MeasureItem.objects.create(measure_set=measure_set, position=1, name=name)
        sets[kind] = measure_set
    for measure_set in sets.values():
        Measurement.objects.create(measure_set=measure_set, entered_by=clinician, score=5)
    return sets


def _get(world: World, url: str, language: Language) -> str:
    client = world.client_for("clinician_treating")
    client.cookies["django_language"] = language
    response = client.get(url)
    assert response.status_code == 200
    return html.unescape(response.content.decode())


def _results_by_kind(body: str, language: Language) -> dict[str, str]:
    kinds = {name: kind for kind, name in NAMES[language].items()}
    sections = {}
    for section in SECTION.findall(body):
        heading = HEADING.search(section)
        assert heading is not None
        sections[kinds[heading.group(1).strip()]] = section
    return sections


@pytest.mark.parametrize("language", ["nl", "en"])
def test_results_show_each_measures_name_and_provenance(world: World, language: Language) -> None:
    _every_kind(world)
    sections = _results_by_kind(_get(world, f"{_base(world)}/results/", language), language)
    assert set(sections) == {"psk", "top_problems", "gas"}
    for kind, section in sections.items():
        for fragment in SOURCES[kind]:
            assert fragment in section, (kind, fragment)
        assert (UNVERIFIED_BADGE[language] in section) is UNVERIFIED[kind], kind
        assert (CONVENTION_BADGE[language] in section) is (kind == "top_problems"), kind
        for fragment in TEXTS[language][kind]:
            assert fragment in section, (kind, fragment)


@pytest.mark.parametrize("language", ["nl", "en"])
def test_overview_and_rating_pages_name_each_measure(world: World, language: Language) -> None:
    sets = _every_kind(world)
    overview = _get(world, f"{_base(world)}/", language)
    for name in NAMES[language].values():
        assert name in overview
    for kind, measure_set in sets.items():
        rate = _get(world, f"/personal-measures/sets/{measure_set.public_id}/rate/", language)
        assert NAMES[language][kind] in rate

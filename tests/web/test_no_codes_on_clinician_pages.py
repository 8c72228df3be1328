"""What a clinician reads on the plan and results pages shows no codes and writes numbers
the Dutch way: sources as short citations (never their ids), a threshold in words
(never ">="), the change rule in the reader's language, and decimal commas."""

from __future__ import annotations

import re

import pytest

from maatwerk.core.bibliography import bundled_bibliography
from tests.web.test_monitoring_signal import _phq9
from tests.web.test_not_on_track import history, plan, results
from tests.web.test_planning import _base
from tests.web.test_planning_revision import _revised
from tests.web.world import World

pytestmark = pytest.mark.django_db


def _text(page: str) -> str:
    """The words a person reads: the page without its tags and attributes."""
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", page))


def _source_ids_in(text: str) -> list[str]:
    return [
        source_id
        for source_id in bundled_bibliography().entries
        if re.search(rf"(?<![\w-]){re.escape(source_id)}(?![\w-])", text)
    ]


def test_the_plan_shows_its_sources_as_citations_never_as_ids(world: World) -> None:
    _revised(world)
    page = world.client_for("clinician_treating").get(_base(world)).content.decode()
    assert 'id="to_level"' in page  # the step-up advice with its reasons is shown
    assert _source_ids_in(_text(page)) == []
    assert "&gt;=" not in page


def test_the_not_on_track_box_names_the_change_rule_in_dutch(world: World) -> None:
    history(world, typical=30, slow=6)
    _phq9(world, [18, 17, 18, 17])
    page = results(world)
    box = _text(page[page.index("Niet op koers:") :])
    box = box[: box.index("Het behandelplan herzien")]
    assert "clinician-defined" not in box
    assert "change rule" not in box
    assert "Veranderingsregel: betrouwbare-veranderingsindex (Jacobson–Truax), SD " in box
    assert not re.search(r"\d\.\d", box)
    assert _source_ids_in(box) == []


def test_the_results_basis_writes_numbers_with_a_decimal_comma(world: World) -> None:
    _phq9(world, [18, 10])
    text = _text(results(world))
    assert "Cronbachs alfa 0,89" in text
    assert not re.search(r"Cronbach's alpha", text)
    assert re.search(r"\d+,\d ± \d+,\d", text)
    assert not re.search(r"\d\.\d ± \d", text)
    assert "SD 0." not in text and not re.search(r"SD \d+\.\d", text)


def test_the_plan_revision_says_the_signal_without_english_or_ids(world: World) -> None:
    history(world, typical=30, slow=6)
    _revised(world)
    _phq9(world, [18, 17, 18, 17])
    text = _text(plan(world))
    assert _source_ids_in(text) == []
    assert "clinician-defined" not in text

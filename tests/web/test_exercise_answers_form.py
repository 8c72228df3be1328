"""The answers an exercise page posts are read by a form built from the exercise's own
fields: texts as typed, ticked options as a list, and the rows of a group in order
without the empty ones."""

from __future__ import annotations

from django.http import QueryDict

from maatwerk.core.modules.model import Exercise
from maatwerk.core.modules.registry import bundled_catalogue
from maatwerk.web.treatment.forms import ExerciseAnswersForm


def _exercise(module_id: str, exercise_id: str) -> Exercise:
    module = bundled_catalogue().module(module_id)
    return next(e for step in module.steps for e in step.exercises if e.id == exercise_id)


def _query(pairs: list[tuple[str, str]]) -> QueryDict:
    query = QueryDict(mutable=True)
    for name, value in pairs:
        query.appendlist(name, value)
    return query


def test_texts_and_ticked_options_are_read_as_typed() -> None:
    exercise = _exercise("g_schema", "challenge_thought")
    posted = _query(
        [
            ("f-thought", "  Ik kan niets. "),
            ("f-evidence_for", "   "),
            ("f-thinking_errors", "a"),
            ("f-thinking_errors", ""),
            ("f-thinking_errors", "b"),
            ("f-not_a_field", "ignored"),
        ]
    )
    answers = ExerciseAnswersForm(posted, exercise=exercise).answers()
    assert answers["thought"] == "  Ik kan niets. "
    assert answers["evidence_for"] is None
    assert answers["thinking_errors"] == ["a", "b"]
    assert answers["alternative"] is None
    assert "not_a_field" not in answers


def test_rows_of_a_group_come_in_order_without_the_empty_ones() -> None:
    exercise = _exercise("exposure_hierarchy", "hierarchy")
    posted = _query(
        [
            ("f-situations-2-situation", "Bus"),
            ("f-situations-2-fear", "60"),
            ("f-situations-0-situation", "Winkel"),
            ("f-situations-1-situation", " "),
            ("f-situations-1-fear", ""),
            ("f-situations-123456-situation", "too far: not a row of the page"),
        ]
    )
    answers = ExerciseAnswersForm(posted, exercise=exercise).answers()
    assert answers["situations"] == [
        {"situation": "Winkel"},
        {"situation": "Bus", "fear": "60"},
    ]

"""Checking answers to exercise forms: types, ranges, options, rows, draft versus submit.

The exercises are the bundled ones, so a change to a form shows up here as well.
"""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest

from maatwerk.core.modules.answers import AnswerProblem, check_exercise_answers
from maatwerk.core.modules.registry import bundled_catalogue

CATALOGUE = bundled_catalogue()
G_SCHEMA = CATALOGUE.module("g_schema").exercise("g_schema")
CHALLENGE = CATALOGUE.module("g_schema").exercise("challenge_thought")
DIARY = CATALOGUE.module("complaints_diary").exercise("diary")
HIERARCHY = CATALOGUE.module("exposure_hierarchy").exercise("hierarchy")
SLEEP_DIARY = CATALOGUE.module("sleep").exercise("sleep_diary")
SLEEP_HABITS = CATALOGUE.module("sleep").exercise("sleep_habits")
BASELINE = CATALOGUE.module("graded_activity").exercise("baseline_log")

GOOD_G_SCHEMA = {
    "event": "Ik voelde een steek in mijn rug bij het opstaan.",
    "thoughts": "Er is iets kapot. Straks kan ik niet meer lopen.",
    "feeling": "bang",
    "feeling_strength": 8,
    "behaviour": "Ik ben de hele ochtend op de bank blijven liggen.",
    "result": "Mijn rug was 's middags stijver en ik voelde me somber.",
}


def codes(problems: list[AnswerProblem]) -> list[tuple[str, str]]:
    return [(problem.path, problem.code) for problem in problems]


def test_a_complete_g_schema_has_no_problems() -> None:
    assert check_exercise_answers(G_SCHEMA, GOOD_G_SCHEMA, final=True) == []


def test_numbers_may_arrive_as_form_strings() -> None:
    answers = {**GOOD_G_SCHEMA, "feeling_strength": " 8 "}
    assert check_exercise_answers(G_SCHEMA, answers, final=True) == []


def test_g_schema_feeling_outside_0_to_10_is_refused_in_both_languages() -> None:
    problems = check_exercise_answers(G_SCHEMA, {**GOOD_G_SCHEMA, "feeling_strength": 11})
    assert codes(problems) == [("feeling_strength", "out_of_range")]
    assert problems[0].message.get("nl") == (
        "‘Hoe sterk was dat gevoel?’: kies een getal van 0 tot en met 10."
    )
    assert problems[0].message.get("en") == (
        "'How strong was that feeling?': choose a number from 0 to 10."
    )


@pytest.mark.parametrize(
    ("value", "code"),
    [
        ("veel", "wrong_type"),
        (True, "wrong_type"),  # a JSON true is not the number 1
        ([8], "wrong_type"),
        (7.5, "not_whole"),
        ("7,5", "not_whole"),  # Dutch decimal comma is read, and refused as not whole
        (-1, "out_of_range"),
        (Decimal("NaN"), "wrong_type"),
    ],
)
def test_g_schema_bad_strength_values(value: object, code: str) -> None:
    problems = check_exercise_answers(G_SCHEMA, {**GOOD_G_SCHEMA, "feeling_strength": value})
    assert codes(problems) == [("feeling_strength", code)]


def test_text_must_be_text_and_not_too_long() -> None:
    answers = {**GOOD_G_SCHEMA, "event": 12, "result": "x" * 2001}
    problems = check_exercise_answers(G_SCHEMA, answers)
    assert codes(problems) == [("event", "wrong_type"), ("result", "too_long")]
    assert problems[1].message.get("en") == (
        "'Result: what happened next?': use at most 2000 characters (now 2001)."
    )


def test_unknown_field_is_reported() -> None:
    problems = check_exercise_answers(G_SCHEMA, {**GOOD_G_SCHEMA, "gevolgen": "x"})
    assert codes(problems) == [("gevolgen", "unknown_field")]


def test_draft_may_be_incomplete_but_submit_may_not() -> None:
    draft = {"event": "Een steek in mijn rug.", "feeling_strength": ""}
    assert check_exercise_answers(G_SCHEMA, draft, final=False) == []
    problems = check_exercise_answers(G_SCHEMA, draft, final=True)
    assert codes(problems) == [
        ("thoughts", "required_missing"),
        ("feeling", "required_missing"),
        ("feeling_strength", "required_missing"),
        ("behaviour", "required_missing"),
        ("result", "required_missing"),
    ]
    assert problems[0].message.get("nl") == "‘Gedachten: wat dacht je?’: vul dit in."


def test_a_draft_is_still_checked_for_malformed_answers() -> None:
    problems = check_exercise_answers(G_SCHEMA, {"feeling_strength": 42}, final=False)
    assert codes(problems) == [("feeling_strength", "out_of_range")]


def test_challenge_thought_multi_choice_and_0_to_100_belief() -> None:
    answers = {
        "thought": "Als ik pijn voel, moet ik rusten.",
        "belief_before": 90,
        "thinking_errors": ["pain_means_rest", "catastrophizing"],
        "evidence_against": "Na rusten werd mijn rug juist stijver.",
        "alternative": "Rustig doorgaan mag; pijn betekent niet dat ik schade doe.",
        "belief_alternative": 40,
        "feeling_after": 4,
    }
    assert check_exercise_answers(CHALLENGE, answers) == []
    wrong = {
        **answers,
        "thinking_errors": ["pain_means_rest", "jumping_to_conclusions"],
        "belief_before": 101,
    }
    assert codes(check_exercise_answers(CHALLENGE, wrong)) == [
        ("belief_before", "out_of_range"),
        ("thinking_errors", "unknown_option"),
    ]
    twice = {**answers, "thinking_errors": ["catastrophizing", "catastrophizing"]}
    assert codes(check_exercise_answers(CHALLENGE, twice)) == [("thinking_errors", "wrong_type")]
    missing = {**answers, "thinking_errors": []}
    problems = check_exercise_answers(CHALLENGE, missing)
    assert codes(problems) == [("thinking_errors", "required_missing")]
    assert problems[0].message.get("en") == (
        "'Which thinking error do you recognise?': please choose an option."
    )


def diary_row(**changes: object) -> dict[str, object]:
    row: dict[str, object] = {
        "date": "2026-11-23",
        "time_of_day": "morning",
        "complaint": 6,
        "doing": "Boodschappen doen",
    }
    row.update(changes)
    return row


def test_diary_rows_each_checked_with_row_and_field() -> None:
    answers = {
        "entries": [
            diary_row(),
            diary_row(date="2026-02-30", complaint=12),
            diary_row(time_of_day="dawn"),
        ]
    }
    problems = check_exercise_answers(DIARY, answers)
    assert codes(problems) == [
        ("entries[1].date", "wrong_type"),
        ("entries[1].complaint", "out_of_range"),
        ("entries[2].time_of_day", "unknown_option"),
    ]
    second = problems[1]
    assert (second.field, second.row, second.subfield) == ("entries", 1, "complaint")
    assert second.message.get("nl") == (
        "Regel 2, ‘Hoe sterk was je klacht?’: kies een getal van 0 tot en met 10."
    )
    assert second.message.get("en") == (
        "Row 2, 'How strong was your complaint?': choose a number from 0 to 10."
    )


def test_diary_rows_required_fields_only_on_submit() -> None:
    half_row = {"entries": [{"date": "2026-11-23", "doing": "Werken"}]}
    assert check_exercise_answers(DIARY, half_row, final=False) == []
    assert codes(check_exercise_answers(DIARY, half_row, final=True)) == [
        ("entries[0].time_of_day", "required_missing"),
        ("entries[0].complaint", "required_missing"),
    ]


def test_diary_without_rows_and_malformed_rows() -> None:
    assert check_exercise_answers(DIARY, {}, final=False) == []
    assert codes(check_exercise_answers(DIARY, {}, final=True)) == [("entries", "required_missing")]
    assert codes(check_exercise_answers(DIARY, {"entries": {"date": "x"}}, final=False)) == [
        ("entries", "wrong_type")
    ]
    assert codes(check_exercise_answers(DIARY, {"entries": ["x"]}, final=False)) == [
        ("entries[0]", "wrong_type")
    ]
    extra = {"entries": [diary_row(mood="ok")]}
    assert codes(check_exercise_answers(DIARY, extra)) == [("entries[0].mood", "unknown_field")]


def test_row_counts_for_the_exposure_hierarchy() -> None:
    """The hierarchy asks for at least 5 and at most 20 situations (min_rows, max_rows)."""
    four = {"situations": [{"situation": f"situatie {n}", "fear": n} for n in range(4)]}
    assert check_exercise_answers(HIERARCHY, four, final=False) == []
    problems = check_exercise_answers(HIERARCHY, four, final=True)
    assert codes(problems) == [("situations", "too_few_rows")]
    assert problems[0].message.get("nl") == "‘Situaties’: vul minstens 5 regel(s) in."
    many = {"situations": [{"situation": "s", "fear": 5}] * 21}
    assert codes(check_exercise_answers(HIERARCHY, many, final=False)) == [
        ("situations", "too_many_rows")
    ]


def test_sleep_diary_clock_minutes_and_whole_numbers() -> None:
    good = {
        "nights": [
            {
                "date": datetime.date(2026, 11, 24),
                "to_bed": "23:15",
                "minutes_to_sleep": 30,
                "times_awake": "2",
                "up": datetime.time(7, 0),
                "rested": 5,
            }
        ]
    }
    assert check_exercise_answers(SLEEP_DIARY, good) == []
    bad_row = {
        **good["nights"][0],
        "to_bed": "25:00",
        "minutes_to_sleep": 721,
        "times_awake": 1.5,
        "up": "7 uur",
    }
    problems = check_exercise_answers(SLEEP_DIARY, {"nights": [bad_row]})
    assert codes(problems) == [
        ("nights[0].to_bed", "wrong_type"),
        ("nights[0].minutes_to_sleep", "out_of_range"),
        ("nights[0].times_awake", "not_whole"),
        ("nights[0].up", "wrong_type"),
    ]
    assert problems[0].message.get("en") == ("Row 1, 'Went to bed at': enter a time such as 07:30.")


def test_minutes_cannot_be_negative_or_fractional() -> None:
    row = {"date": "2026-11-20", "activity": "wandelen", "minutes": -5}
    assert codes(check_exercise_answers(BASELINE, {"days": [row] * 3})) == [
        ("days[0].minutes", "out_of_range"),
        ("days[1].minutes", "out_of_range"),
        ("days[2].minutes", "out_of_range"),
    ]
    row = {**row, "minutes": "12.5"}
    assert codes(check_exercise_answers(BASELINE, {"days": [row]}, final=False)) == [
        ("days[0].minutes", "not_whole")
    ]


def test_optional_multi_choice_may_stay_empty() -> None:
    assert check_exercise_answers(SLEEP_HABITS, {"change": "Geen telefoon in bed."}) == []
    assert codes(check_exercise_answers(SLEEP_HABITS, {"habits": "worrying", "change": "x"})) == [
        ("habits", "wrong_type")
    ]


def test_default_is_a_final_check() -> None:
    assert codes(check_exercise_answers(SLEEP_HABITS, {})) == [("change", "required_missing")]

"""The safety plan value: bounded, checked per entry with every problem at once, the
patient changing only their own sections, and the sections that changed per version."""

from __future__ import annotations

import pytest

from maatwerk.core.safety_plan import (
    EntryInput,
    PlanEntry,
    SafetyPlan,
    SafetyPlanError,
    build_plan,
    bundled_safety_plan_content,
    changed_sections,
    empty_plan,
    patient_edit,
    plan_from_json,
    plan_to_json,
)

CONTENT = bundled_safety_plan_content()
MAX_ENTRIES = CONTENT.limits.max_entries
MAX_TEXT = CONTENT.limits.max_text_length


def _codes(error: pytest.ExceptionInfo[SafetyPlanError]) -> list[tuple[str, int | None, str, str]]:
    return [(p.section, p.index, p.field, p.code) for p in error.value.problems]


def _plan() -> SafetyPlan:
    return build_plan(
        CONTENT,
        {
            "warning_signs": [EntryInput("Ik slaap slecht"), EntryInput("Ik trek me terug")],
            "help_people": [EntryInput("Zus Anna", "06 12 34 56 78")],
            "professionals": [EntryInput("POH-GGZ Jansen", "030-2345678")],
        },
    )


def test_a_plan_keeps_the_content_order_and_normalizes_text_and_phones() -> None:
    plan = build_plan(
        CONTENT,
        {
            "reasons_to_live": [EntryInput("  Mijn   kinderen\n ")],
            "help_people": [EntryInput("Zus Anna", "+31 6 1234 5678"), EntryInput("", "")],
        },
    )
    assert [section_id for section_id, _ in plan.sections] == list(CONTENT.section_ids)
    assert plan.entries("reasons_to_live") == (PlanEntry("Mijn kinderen"),)
    assert plan.entries("help_people") == (PlanEntry("Zus Anna", "+31612345678"),)
    assert plan.entries("help_people")[0].phone_number is not None
    assert plan.entries("coping") == ()
    assert not plan.is_empty
    assert empty_plan(CONTENT).is_empty


def test_every_problem_is_reported_at_once() -> None:
    with pytest.raises(SafetyPlanError) as refused:
        build_plan(
            CONTENT,
            {
                "warning_signs": [EntryInput("x" * (MAX_TEXT + 1)), EntryInput("ok", "0612345678")],
                "help_people": [EntryInput("", "0612345678"), EntryInput("Piet", "06-123")],
                "coping": [EntryInput(f"wandelen {n}") for n in range(MAX_ENTRIES + 1)],
                "horoscope": [EntryInput("x")],
            },
        )
    assert _codes(refused) == [
        ("horoscope", None, "", "unknown_section"),
        ("warning_signs", 0, "text", "text_too_long"),
        ("warning_signs", 1, "phone", "phone_not_allowed"),
        ("coping", None, "", "too_many"),
        ("help_people", 0, "text", "text_missing"),
        ("help_people", 1, "phone", "too_short"),
    ]
    assert refused.value.problems[1].limit == MAX_TEXT
    assert refused.value.problems[3].limit == MAX_ENTRIES


def test_exactly_the_limits_are_accepted() -> None:
    plan = build_plan(CONTENT, {"coping": [EntryInput("y" * MAX_TEXT) for _ in range(MAX_ENTRIES)]})
    assert len(plan.entries("coping")) == MAX_ENTRIES


def test_blank_rows_do_not_count_towards_the_limit() -> None:
    rows = [EntryInput(f"plek {n}") for n in range(MAX_ENTRIES)] + [EntryInput("  ", " ")] * 3
    assert len(build_plan(CONTENT, {"distraction": rows}).entries("distraction")) == MAX_ENTRIES


def test_the_patient_changes_their_own_sections_and_keeps_the_clinicians() -> None:
    current = _plan()
    edited = patient_edit(
        CONTENT,
        current,
        {"warning_signs": [EntryInput("Ik slaap slecht")], "coping": [EntryInput("Douchen")]},
    )
    assert edited.entries("warning_signs") == (PlanEntry("Ik slaap slecht"),)
    assert edited.entries("coping") == (PlanEntry("Douchen"),)
    assert edited.entries("professionals") == current.entries("professionals")
    # A patient section left out of the submission is emptied: the form sends every one.
    assert edited.entries("help_people") == ()


def test_the_patient_cannot_change_the_professionals() -> None:
    with pytest.raises(SafetyPlanError) as refused:
        patient_edit(
            CONTENT,
            _plan(),
            {"professionals": [EntryInput("Mijn eigen dokter", "0612345678")], "coping": []},
        )
    assert _codes(refused) == [("professionals", None, "", "not_editable")]


def test_a_patient_edit_reports_not_editable_and_entry_problems_together() -> None:
    with pytest.raises(SafetyPlanError) as refused:
        patient_edit(
            CONTENT,
            _plan(),
            {"professionals": [], "help_people": [EntryInput("Piet", "bel maar")]},
        )
    assert _codes(refused) == [
        ("professionals", None, "", "not_editable"),
        ("help_people", 0, "phone", "characters"),
    ]


def test_changed_sections_name_only_what_differs() -> None:
    before = _plan()
    after = patient_edit(
        CONTENT,
        before,
        {
            "warning_signs": [EntryInput(e.text) for e in before.entries("warning_signs")],
            "help_people": [EntryInput("Zus Anna", "+31612345678")],
            "reasons_to_live": [EntryInput("Mijn hond")],
        },
    )
    assert changed_sections(before, after) == ("reasons_to_live",)
    assert changed_sections(before, before) == ()
    assert changed_sections(None, before) == ("warning_signs", "help_people", "professionals")


def test_json_round_trip_keeps_everything() -> None:
    plan = _plan()
    text = plan_to_json(plan)
    assert plan_from_json(text, CONTENT) == plan
    assert '"phone": "+31612345678"' in text


def test_a_section_the_content_no_longer_has_is_kept_when_reading() -> None:
    text = '{"format": 1, "sections": {"old_step": [{"text": "bewaard"}]}}'
    plan = plan_from_json(text, CONTENT)
    assert plan.entries("old_step") == (PlanEntry("bewaard"),)
    assert plan.sections[-1][0] == "old_step"
    with pytest.raises(ValueError, match="format 1"):
        plan_from_json('{"format": 2}', CONTENT)

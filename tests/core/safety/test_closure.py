"""The closing rule of a safety signal and the follow-up content it is checked against."""

from __future__ import annotations

import json
from dataclasses import replace
from datetime import UTC, datetime, timedelta

import pytest

from maatwerk.core.safety.closure import ClosureProblem, FollowUpRecord, closure_problems
from maatwerk.core.safety.content import (
    FollowUpDefinitionError,
    bundled_follow_up_content,
    load_follow_up_content,
)

CONTENT = bundled_follow_up_content()
RAISED = datetime(2026, 12, 4, 16, 0, tzinfo=UTC)
NOW = datetime(2026, 12, 7, 12, 0, tzinfo=UTC)
ASSESSMENT = {
    "ideation": "passive",
    "plan": "none",
    "intent": "none",
    "preparations": "none",
    "means": "no_access",
    "earlier_attempts": "none",
    "protective_factors": "Zorgt voor haar kinderen; steun van partner.",
    "overall_estimate": "increased",
}
COMPLETE = FollowUpRecord(
    contact_outcome="reached",
    contact_at=datetime(2026, 12, 7, 9, 0, tzinfo=UTC),
    contact_method="phone",
    contact_by="Treating Clinician",
    assessment=ASSESSMENT,
    safety_plan="made",
    gp_informed=True,
    crisis_ggz_involved=False,
    next_contact_at=datetime(2026, 12, 10, 9, 0, tzinfo=UTC),
)


def problems(record: FollowUpRecord) -> set[tuple[str, str]]:
    found = closure_problems(record, CONTENT, raised_at=RAISED, now=NOW)
    return {(problem.field, problem.code) for problem in found}


def test_a_complete_follow_up_may_close() -> None:
    assert problems(COMPLETE) == set()


def test_an_empty_follow_up_names_every_field_it_needs() -> None:
    assert problems(FollowUpRecord()) == {
        ("contact_outcome", "required"),
        ("contact_at", "required"),
        ("contact_method", "required"),
        ("contact_by", "required"),
        ("gp_informed", "required"),
        ("crisis_ggz_involved", "required"),
    }


def test_a_reached_patient_needs_every_assessment_answer_and_the_actions() -> None:
    partial = replace(COMPLETE, assessment={}, safety_plan=None, next_contact_at=None)
    assert problems(partial) == {
        *((question.id, "required") for question in CONTENT.assessment),
        ("safety_plan", "required"),
        ("next_contact_at", "required"),
    }


def test_each_assessment_question_is_required_on_its_own() -> None:
    for question in CONTENT.assessment:
        without = {key: value for key, value in ASSESSMENT.items() if key != question.id}
        assert problems(replace(COMPLETE, assessment=without)) == {(question.id, "required")}


def test_unknown_options_are_refused() -> None:
    record = replace(
        COMPLETE,
        contact_method="pigeon",
        safety_plan="maybe",
        assessment={**ASSESSMENT, "plan": "perhaps"},
    )
    assert problems(record) == {
        ("contact_method", "unknown_option"),
        ("safety_plan", "unknown_option"),
        ("plan", "unknown_option"),
    }


def test_contact_time_must_lie_between_the_signal_and_now() -> None:
    assert problems(replace(COMPLETE, contact_at=NOW + timedelta(minutes=1))) == {
        ("contact_at", "in_future")
    }
    assert problems(replace(COMPLETE, contact_at=RAISED - timedelta(minutes=1))) == {
        ("contact_at", "before_signal")
    }


def test_a_contact_in_the_same_minute_as_the_signal_counts() -> None:
    raised = datetime(2026, 12, 7, 9, 0, 40, tzinfo=UTC)
    record = replace(COMPLETE, contact_at=datetime(2026, 12, 7, 9, 0, tzinfo=UTC))
    assert closure_problems(record, CONTENT, raised_at=raised, now=NOW) == ()


def test_next_contact_must_come_after_this_contact() -> None:
    record = replace(COMPLETE, next_contact_at=COMPLETE.contact_at)
    assert problems(record) == {("next_contact_at", "not_after_contact")}


def test_a_high_risk_estimate_requires_the_crisis_ggz() -> None:
    high = replace(COMPLETE, assessment={**ASSESSMENT, "overall_estimate": "high"})
    found = closure_problems(high, CONTENT, raised_at=RAISED, now=NOW)
    assert found == (
        ClosureProblem("crisis_ggz_involved", "required_by_answer", ("crisis_ggz_involved",)),
    )
    assert problems(replace(high, crisis_ggz_involved=True)) == set()


def test_a_patient_not_reached_needs_attempts_and_a_hand_over() -> None:
    not_reached = FollowUpRecord(
        contact_outcome="not_reached",
        contact_at=datetime(2026, 12, 7, 9, 0, tzinfo=UTC),
        contact_method="phone",
        contact_by="Treating Clinician",
        gp_informed=False,
        crisis_ggz_involved=False,
    )
    assert problems(not_reached) == {
        ("attempts", "required_when_not_reached"),
        ("gp_informed", "required_when_not_reached"),
    }
    handed_over = replace(not_reached, attempts="09:00 and 11:00 by phone", gp_informed=True)
    assert problems(handed_over) == set()


def test_every_assessment_question_has_a_source_or_is_marked_unverified() -> None:
    for question in CONTENT.assessment:
        assert question.sources or question.unverified, question.id
        for source_id in question.sources:
            assert CONTENT.source(source_id).citation


def test_the_guidelines_are_cited() -> None:
    citations = " ".join(source.citation for source in CONTENT.sources)
    assert "diagnostiek en behandeling van suïcidaal gedrag" in citations
    assert "Cogn Behav Pract. 2012;19(2):256-264" in citations


def _bundled() -> dict[str, object]:
    from importlib.resources import files

    data = json.loads(files("maatwerk.content").joinpath("safety", "follow_up.json").read_text())
    assert isinstance(data, dict)
    return data


def test_content_without_a_source_or_with_an_unknown_action_is_refused() -> None:
    data = _bundled()
    assessment = data["assessment"]
    assert isinstance(assessment, list)
    assessment[0] = {**assessment[0], "sources": ["nowhere"]}
    assessment[1] = {**assessment[1], "sources": [], "unverified": False}
    assessment[7]["options"][2]["requires_any_action"] = ["pray"]
    with pytest.raises(FollowUpDefinitionError) as refused:
        load_follow_up_content(json.dumps(data))
    messages = {(problem.path, problem.message) for problem in refused.value.problems}
    assert ("$.assessment[0].sources[0]", "unknown source 'nowhere'") in messages
    assert ("$.assessment[1]", "needs sources or unverified: true with a note") in messages
    assert ("$.assessment[7].options[2]", "unknown action 'pray'") in messages


def test_content_that_breaks_the_schema_is_refused() -> None:
    data = _bundled()
    data["assessment"] = [{"id": "Bad Id", "kind": "choice", "label": {"nl": "x"}}]
    with pytest.raises(FollowUpDefinitionError):
        load_follow_up_content(json.dumps(data))


def test_checked_in_json_schema_is_current() -> None:
    from pathlib import Path

    from maatwerk.core.safety.content import follow_up_json_schema_text

    path = Path(__file__).resolve().parents[3] / "docs" / "safety" / "follow_up.schema.json"
    assert path.read_text(encoding="utf-8") == follow_up_json_schema_text(), (
        f"{path} is stale; regenerate it from maatwerk.core.safety.content"
    )

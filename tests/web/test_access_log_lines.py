"""The patient's access log groups repeated events (autosave) into one line per person,
session and part of the file, and loses none of them."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from maatwerk.web.audit.models import AuditEvent
from maatwerk.web.audit.services import audit_record
from maatwerk.web.common.actor import actor_for_user
from maatwerk.web.patients.selectors import patient_subject
from maatwerk.web.portal.presenters import group_access_events
from tests.web.world import World

START = datetime(2026, 12, 1, 19, 0, tzinfo=UTC)


def _event(
    minutes: float, *, who: str = "u1", kind: str = "exercise_response", **extra: object
) -> AuditEvent:
    values: dict[str, object] = {
        "occurred_at": START + timedelta(minutes=minutes),
        "user_ref": who,
        "user_display": f"user {who}",
        "role": "patient",
        "object_type": kind,
        "object_ref": "r1",
        "action": "update",
        "outcome": "success",
        "emergency": False,
    }
    values.update(extra)
    return AuditEvent(**values)


def _newest_first(*events: AuditEvent) -> list[AuditEvent]:
    return sorted(events, key=lambda event: event.occurred_at, reverse=True)


def test_autosaves_of_one_session_are_one_line_with_count_and_span() -> None:
    lines = group_access_events(_newest_first(*(_event(m) for m in range(0, 60, 2))))
    assert len(lines) == 1
    assert lines[0].repeats == 30
    assert lines[0].first_at == START
    assert lines[0].occurred_at == START + timedelta(minutes=58)


def test_a_pause_longer_than_the_idle_timeout_starts_a_new_line() -> None:
    events = _newest_first(_event(0), _event(5), _event(5 + 31), _event(40))
    lines = group_access_events(events)
    assert [line.repeats for line in lines] == [2, 2]


def test_other_people_parts_outcomes_and_emergency_access_are_never_merged() -> None:
    events = _newest_first(
        _event(0),
        _event(1, who="u2"),
        _event(2, kind="formulation"),
        _event(3, outcome="denied"),
        _event(4, emergency=True),
        _event(5),
    )
    lines = group_access_events(events)
    assert len(lines) == 5
    assert sum(line.repeats for line in lines) == 6


def test_the_patient_sees_one_line_for_many_saves(world: World) -> None:
    patient = world.patient_a
    actor = actor_for_user(world.users["patient_a"], access_point="test")
    subject = patient_subject(patient, object_type="exercise_response", object_ref="answers-1")
    for _ in range(25):
        audit_record(actor=actor, action="update", subject=subject)
    page = world.client_for("patient_a").get("/portal/access-log/").content.decode()
    assert page.count("25 keer, vanaf") == 1
    assert page.count("antwoorden op een oefening") == 1


def test_the_latest_lines_are_open_and_the_rest_is_folded_away(world: World) -> None:
    """A long log does not fill the page: the newest lines show, the rest of the page
    sits behind a <details> (accessible without script)."""
    patient = world.patient_a
    actor = actor_for_user(world.users["patient_a"], access_point="test")
    for n in range(30):  # 30 parts of the file: 30 lines, never merged
        subject = patient_subject(patient, object_type="exercise_response", object_ref=f"a{n}")
        audit_record(actor=actor, action="update", subject=subject)
    html = world.client_for("patient_a").get("/portal/access-log/").content.decode()
    before, details, after = html.partition("<details")
    assert details, "the older lines are not folded away"
    folded = after[: after.index("</details>")]
    assert before.count("<tr><td") == 10
    assert folded.count("<tr><td") >= 20
    assert "<summary>" in folded

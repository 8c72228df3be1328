"""ROM in the answering app: a due questionnaire is sent by the worker, appears beside the
daily-life questions, opens the existing questionnaire pages in one tap, gets its one
reminder through the same delivery log - and none once it is filled in."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import pytest
from django.test import override_settings
from django.urls import reverse
from django.utils import timezone

from maatwerk.core.instruments.registry import get_instrument
from maatwerk.core.monitoring.rom import RomCourse, RomRule, rom_rule_to_data
from maatwerk.web.common.actor import actor_for_user
from maatwerk.web.monitoring import services
from maatwerk.web.monitoring.models import (
    Channel,
    MonitoringSchedule,
    Prompt,
    PromptState,
    RomDefault,
)
from maatwerk.web.patients.models import CareTeamMember
from maatwerk.web.patients.opening import Audience, open_patient
from maatwerk.web.questionnaires.models import Assignment
from maatwerk.web.questionnaires.services import assignment_record_completed
from tests.web.test_background import (  # noqa: F401  (fixtures used by name)
    DATABASE_TASKS,
    Clock,
    _audit_triggers_restored,
    committed,
)
from tests.web.test_monitoring_delivery import _events, _outbox, _tick
from tests.web.world import World

MONDAY = datetime(2026, 6, 1, 6, 0, tzinfo=UTC)  # 08:00 in Amsterdam
NINE = datetime(2026, 6, 1, 7, 0, tzinfo=UTC)  # 09:00 local: the questionnaires fall due


def _rom_schedule(world: World, *rules: RomRule) -> MonitoringSchedule:
    RomDefault.objects.create(
        organization=world.org_a,
        care_level="basic",
        rules=[rom_rule_to_data(rule) for rule in rules],
    )
    clinician = actor_for_user(world.users["clinician_treating"], access_point="test")
    opened = open_patient(
        actor=clinician,
        patient_id=str(world.patient_a.public_id),
        action="create",
        audience=Audience.CARE_TEAM,
    )
    return services.create_rom_schedule(
        clinician,
        opened,
        care_level="basic",
        course=RomCourse(started_on=date(2026, 6, 1), anchors=(date(2026, 6, 1),)),
        channel=Channel.FILE,
        now=MONDAY - timedelta(hours=1),
    )


pytestmark = pytest.mark.usefixtures("committed")


def _send(tmp_path: Path) -> Clock:
    clock = Clock(MONDAY)
    _tick(clock)
    clock.now = NINE
    _tick(clock)
    return clock


def test_a_due_questionnaire_is_in_the_app_and_opens_in_one_tap(
    world: World, tmp_path: Path
) -> None:
    schedule = _rom_schedule(world, RomRule("phq9", every_weeks=4, reminder_days=2))
    outbox = tmp_path / "outbox.jsonl"
    with override_settings(TASKS=DATABASE_TASKS, MAATWERK_MONITORING_OUTBOX=str(outbox)):
        _send(tmp_path)
    prompt = schedule.prompts.get()
    assert prompt.state == PromptState.DELIVERED
    assert prompt.assignment is not None
    assignment = prompt.assignment
    assert assignment.instrument_code == "phq9"
    assert assignment.status == Assignment.Status.OPEN
    assert assignment.assigned_by.user == world.users["clinician_treating"]
    assert assignment.due_at == prompt.expires_at
    assert [line["prompt"] for line in _outbox(outbox)] == [str(prompt.public_id)]

    # Seen an hour after it fell due (the schedule ran on its own clock in June).
    now = timezone.now()
    Prompt.objects.filter(pk=prompt.pk).update(
        due_at=now - timedelta(hours=1), expires_at=now + timedelta(days=6)
    )
    patient = world.client_for("patient_a")
    html = patient.get(reverse("monitoring:mine"), HTTP_ACCEPT_LANGUAGE="nl").content.decode()
    link = reverse("monitoring:answer", kwargs={"prompt_id": prompt.public_id})
    assert link in html
    assert "Vragenlijst: " in html
    assert get_instrument("phq9").name.get("nl", fallback=True) in html

    opened = patient.get(link)
    assert opened.status_code == 302
    assert opened["Location"] == reverse(
        "questionnaires:fill", kwargs={"assignment_id": assignment.public_id}
    )
    assert _events(Prompt.objects.get(pk=prompt.pk))[-1] == "open"
    assert patient.get(opened["Location"]).status_code == 200


@pytest.mark.parametrize("filled_in", [True, False])
def test_one_reminder_unless_the_questionnaire_was_filled_in(
    world: World, tmp_path: Path, filled_in: bool
) -> None:
    schedule = _rom_schedule(world, RomRule("phq9", every_weeks=4, reminder_days=2))
    outbox = tmp_path / "outbox.jsonl"
    with override_settings(TASKS=DATABASE_TASKS, MAATWERK_MONITORING_OUTBOX=str(outbox)):
        clock = _send(tmp_path)
        prompt = schedule.prompts.get()
        assert prompt.reminder_at == NINE + timedelta(days=2)
        if filled_in:
            assert prompt.assignment is not None
            assignment_record_completed(
                actor=actor_for_user(world.users["clinician_treating"], access_point="test"),
                assignment=prompt.assignment,
                answers={item.id: 0 for item in get_instrument("phq9").items},
                completed_at=NINE + timedelta(hours=5),
            )
        clock.now = NINE + timedelta(days=2)
        _tick(clock)
        clock.now += timedelta(minutes=1)
        _tick(clock, "worker-b")
    prompt.refresh_from_db()
    if filled_in:
        assert prompt.state == PromptState.ANSWERED
        assert prompt.answered_at == NINE + timedelta(hours=5)
        assert _events(prompt) == ["scheduled", "send", "deliver", "answer"]
        assert len(_outbox(outbox)) == 1
    else:
        assert prompt.state == PromptState.DELIVERED and prompt.reminded
        assert _events(prompt) == ["scheduled", "send", "deliver", "remind"]
        assert [line["reminder"] for line in _outbox(outbox)] == [False, True]


def test_nothing_is_sent_when_no_clinician_can_ask_the_questionnaire(
    world: World, tmp_path: Path
) -> None:
    schedule = _rom_schedule(world, RomRule("phq9", every_weeks=4))
    CareTeamMember.objects.filter(episode__patient=world.patient_a).update(is_active=False)
    outbox = tmp_path / "outbox.jsonl"
    with override_settings(TASKS=DATABASE_TASKS, MAATWERK_MONITORING_OUTBOX=str(outbox)):
        _send(tmp_path)
    prompt = schedule.prompts.get()
    assert prompt.state == PromptState.FAILED
    assert prompt.assignment is None
    assert prompt.log.get(event="fail").detail == "no_treating_clinician"
    assert _outbox(outbox) == []
    assert not Assignment.objects.filter(rom_prompt__isnull=False).exists()

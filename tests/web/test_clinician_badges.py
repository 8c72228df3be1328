"""The numbers on a clinician's menu (Alerts, Inbox): one statement, built once per
process, that must count exactly the rows of the alert list and of the inbox."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from maatwerk.web.clinic.badges import NO_BADGES, Badges, badges_of
from maatwerk.web.common.actor import Actor, actor_for_user
from maatwerk.web.patients.models import CareEpisode, CareTeamMember
from maatwerk.web.questionnaires.models import SafetyAlert
from maatwerk.web.questionnaires.selectors import open_alerts_visible_to
from maatwerk.web.treatment.models import Feedback, Message, ModuleAssignment
from maatwerk.web.treatment.selectors import homework_waiting_for, unread_messages_for
from tests.web.test_treatment import world_response
from tests.web.world import World, make_membership, make_patient


def actor(world: World, role: str) -> Actor:
    return actor_for_user(world.users[role], access_point="test")


def listed(clinician: Actor) -> Badges:
    """What the alert list and the inbox show, row by row."""
    return Badges(
        alerts=len(list(open_alerts_visible_to(clinician))),
        homework=len(list(homework_waiting_for(clinician))),
        messages=len(list(unread_messages_for(clinician))),
    )


def assert_badges(world: World, role: str, expected: Badges) -> None:
    clinician = actor(world, role)
    assert badges_of(clinician) == expected
    assert listed(clinician) == expected


def test_the_badges_count_own_patients_only(world: World) -> None:
    world_response(world)
    Message.objects.create(
        patient=world.patient_a, author=world.users["patient_a"], from_patient=True, text="Vraag"
    )
    assert_badges(world, "clinician_treating", Badges(alerts=1, homework=1, messages=1))
    assert badges_of(actor(world, "clinician_treating")).inbox == 2
    # The other team's clinician had emergency access to patient A once: still not theirs.
    assert_badges(world, "clinician_other_team", NO_BADGES)
    assert_badges(world, "clinician_other_org", NO_BADGES)


def test_closed_signals_read_messages_and_team_messages_are_not_counted(world: World) -> None:
    SafetyAlert.objects.filter(pk=world.alert.pk).update(status=SafetyAlert.Status.CLOSED)
    Message.objects.create(
        patient=world.patient_a,
        author=world.users["patient_a"],
        from_patient=True,
        text="Gelezen",
        read_by_team_at=timezone.now(),
    )
    Message.objects.create(
        patient=world.patient_a,
        author=world.users["clinician_treating"],
        from_patient=False,
        text="Van het team",
    )
    assert_badges(world, "clinician_treating", NO_BADGES)


def test_feedback_older_than_the_hand_in_leaves_the_homework_waiting(world: World) -> None:
    response = world_response(world)
    assert response.submitted_at is not None
    feedback = Feedback.objects.create(
        response=response,
        author=world.users["clinician_treating"],
        text="Op de vorige versie",
        created_at=response.submitted_at - timedelta(minutes=5),
    )
    assert_badges(world, "clinician_treating", Badges(alerts=1, homework=1, messages=0))
    feedback.created_at = response.submitted_at + timedelta(minutes=5)
    feedback.save(update_fields=["created_at"])
    assert_badges(world, "clinician_treating", Badges(alerts=1, homework=0, messages=0))


def test_homework_of_a_stopped_module_or_an_ended_episode_waits_for_nobody(world: World) -> None:
    response = world_response(world)
    ModuleAssignment.objects.filter(pk=response.assignment_id).update(
        status=ModuleAssignment.Status.STOPPED
    )
    assert_badges(world, "clinician_treating", Badges(alerts=1, homework=0, messages=0))
    ModuleAssignment.objects.filter(pk=response.assignment_id).update(
        status=ModuleAssignment.Status.IN_PROGRESS
    )
    assert_badges(world, "clinician_treating", Badges(alerts=1, homework=1, messages=0))
    CareTeamMember.objects.filter(episode__patient=world.patient_a).update(is_active=False)
    assert_badges(world, "clinician_treating", NO_BADGES)
    CareTeamMember.objects.filter(episode__patient=world.patient_a).update(is_active=True)
    CareEpisode.objects.filter(patient=world.patient_a).update(status=CareEpisode.Status.CLOSED)
    assert_badges(world, "clinician_treating", NO_BADGES)


def test_a_clinician_in_two_organizations_sees_the_patients_of_both(world: World) -> None:
    team_b = world.memberships["clinician_other_org"].team
    assert team_b is not None
    second = make_membership(
        world.users["clinician_treating"], world.org_b, "clinician", team_b, "poh_ggz"
    )
    patient_c = make_patient(
        world.org_b, "patient.c@b.test", "Patient Charlie", team=team_b, clinicians=[second]
    )
    Message.objects.create(
        patient=patient_c, author=patient_c.user, from_patient=True, text="Vraag"
    )
    assert_badges(world, "clinician_treating", Badges(alerts=1, homework=0, messages=1))
    # The first membership's statement is built already: each size has its own.
    assert_badges(world, "clinician_other_org", NO_BADGES)


@pytest.mark.parametrize("role", ["patient_a", "team_lead", "researcher", "org_admin"])
def test_who_is_no_clinician_has_no_badges_and_no_query(world: World, role: str) -> None:
    someone = actor(world, role)
    with CaptureQueriesContext(connection) as queries:
        assert badges_of(someone) == NO_BADGES
    assert len(queries) == 0


def test_the_badges_are_one_query(world: World) -> None:
    clinician = actor(world, "clinician_treating")
    badges_of(clinician)
    with CaptureQueriesContext(connection) as queries:
        badges_of(clinician)
    assert len(queries) == 1

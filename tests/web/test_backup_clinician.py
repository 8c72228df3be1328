"""The organization admin chooses each team's backup clinician for safety signals; the
escalation e-mail then reaches that person, and the team page shows who it is."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from django.core import mail
from django.test import Client

from maatwerk.web.audit.audited import InputRefused
from maatwerk.web.audit.models import AuditEvent
from maatwerk.web.audit.selectors import audit_chain_verify
from maatwerk.web.common.actor import actor_for_user
from maatwerk.web.orgadmin.forms import BackupClinicianForm
from maatwerk.web.orgadmin.selectors import backup_candidates
from maatwerk.web.orgadmin.services import team_backup_clinician_set
from maatwerk.web.organizations.models import Membership
from maatwerk.web.patients.opening import OrganizationOpened
from maatwerk.web.safety.services import escalate_overdue_signals
from tests.web.world import World, make_membership, make_user, sign_in

NOT_A_CLINICIAN_NL = (
    "Kies een actieve behandelaar van dit team als vervangend behandelaar, "
    "of geen vervangend behandelaar."
)
NOT_A_CLINICIAN_EN = (
    "Choose an active clinician of this team as backup clinician, or no backup clinician."
)


def backup_url(world: World) -> str:
    return f"/organization/teams/{world.team_treating.public_id}/backup/"


def colleague(world: World, email: str = "backup@a.test") -> Membership:
    """A second clinician in the treating team, who can stand in for the first."""
    return make_membership(
        make_user(email, "Vervanger Alpha"),
        world.org_a,
        "clinician",
        world.team_treating,
        "psycholoog",
    )


def events_since(sequence: int) -> list[AuditEvent]:
    return list(AuditEvent.objects.filter(sequence__gt=sequence).order_by("sequence"))


def last_sequence() -> int:
    last = AuditEvent.objects.order_by("-sequence").first()
    return last.sequence if last else 0


def test_the_admin_sees_each_team_with_its_members_and_no_backup_warning(world: World) -> None:
    response = world.client_for("org_admin").get("/organization/teams/")
    assert response.status_code == 200
    page = response.content.decode()
    assert "GP practice" in page and "Basic GGZ" in page
    assert "Elsewhere" not in page  # a team of another organization
    assert "Treating Clinician" in page and "Other-team Clinician" in page
    assert "Team Lead" in page
    assert page.count("Dit team heeft geen vervangend behandelaar.") == 2
    # Only the team's own active clinicians are offered.
    forms = {overview.team.name: form for overview, form in response.context["rows"]}
    assert list(forms) == ["Basic GGZ", "GP practice"]
    offered = list(forms["GP practice"].fields["backup"].queryset)
    assert offered == [world.memberships["clinician_treating"]]
    other_team = list(forms["Basic GGZ"].fields["backup"].queryset)
    assert other_team == [world.memberships["clinician_other_team"]]


def test_the_dashboard_links_to_the_teams(world: World) -> None:
    page = world.client_for("org_admin").get("/organization/").content.decode()
    assert 'href="/organization/teams/"' in page


def test_choosing_a_backup_is_saved_and_audited_once(world: World) -> None:
    backup = colleague(world)
    before = last_sequence()
    response = world.client_for("org_admin").post(backup_url(world), {"backup": str(backup.pk)})
    assert response.status_code == 302
    assert response["Location"] == "/organization/teams/"
    world.team_treating.refresh_from_db()
    assert world.team_treating.backup_clinician == backup
    [event] = events_since(before)
    assert (event.action, event.outcome, event.object_type) == (
        "update",
        "success",
        "team_backup_clinician",
    )
    assert event.object_ref == str(world.team_treating.public_id)
    assert event.organization_ref == str(world.org_a.public_id)
    assert event.detail == f"backup clinician set: {backup.user.public_id}"
    assert event.user_ref == str(world.users["org_admin"].public_id)
    assert audit_chain_verify().ok
    page = world.client_for("org_admin").get("/organization/teams/").content.decode()
    assert "Vervanger Alpha is nu de vervangend behandelaar van GP practice." in page
    assert page.count("Dit team heeft geen vervangend behandelaar.") == 1


def test_choosing_no_backup_removes_it(world: World) -> None:
    backup = colleague(world)
    world.team_treating.backup_clinician = backup
    world.team_treating.save()
    before = last_sequence()
    response = world.client_for("org_admin").post(backup_url(world), {"backup": ""})
    assert response.status_code == 302
    world.team_treating.refresh_from_db()
    assert world.team_treating.backup_clinician is None
    [event] = events_since(before)
    assert (event.outcome, event.detail) == ("success", "backup clinician removed")


def _not_a_clinician_of_the_team(world: World) -> dict[str, str]:
    inactive = colleague(world, "left@a.test")
    inactive.is_active = False
    inactive.save()
    disabled_account = colleague(world, "disabled@a.test")
    disabled_account.user.is_active = False
    disabled_account.user.save()
    return {
        "clinician of another team": str(world.memberships["clinician_other_team"].pk),
        "clinician of another organization": str(world.memberships["clinician_other_org"].pk),
        "team lead, not a clinician": str(world.memberships["team_lead"].pk),
        "organization admin": str(world.memberships["org_admin"].pk),
        "membership no longer active": str(inactive.pk),
        "account disabled": str(disabled_account.pk),
        "no such membership": "999999",
        "not a number": "Vervanger",
    }


def test_a_choice_outside_the_teams_active_clinicians_is_refused_and_audited(
    world: World,
) -> None:
    current = colleague(world, "current@a.test")
    world.team_treating.backup_clinician = current
    world.team_treating.save()
    client = world.client_for("org_admin")
    for case, value in _not_a_clinician_of_the_team(world).items():
        before = last_sequence()
        response = client.post(backup_url(world), {"backup": value})
        assert response.status_code == 400, case
        form = next(form for overview, form in response.context["rows"] if form.is_bound)
        assert form.errors["backup"] == [NOT_A_CLINICIAN_NL], case
        assert NOT_A_CLINICIAN_NL in response.content.decode(), case
        world.team_treating.refresh_from_db()
        assert world.team_treating.backup_clinician == current, case
        [event] = events_since(before)
        assert (event.action, event.outcome, event.object_type) == (
            "update",
            "refused",
            "team_backup_clinician",
        ), case
        assert event.detail == "refused: backup"
    assert audit_chain_verify().ok


def test_the_refusal_is_in_english_for_an_english_user(world: World) -> None:
    client = world.client_for("org_admin")
    client.cookies["django_language"] = "en"
    response = client.post(
        backup_url(world), {"backup": str(world.memberships["clinician_other_team"].pk)}
    )
    assert response.status_code == 400
    assert NOT_A_CLINICIAN_EN in response.content.decode()


def test_a_membership_switched_off_before_the_save_is_refused_by_the_service(
    world: World,
) -> None:
    """The form saw an active clinician; by the time the service holds the lock the
    membership is off. The service checks again and refuses."""
    backup = colleague(world)
    Membership.objects.filter(pk=backup.pk).update(is_active=False)
    actor = actor_for_user(world.users["org_admin"], access_point="test")
    before = last_sequence()
    form = BackupClinicianForm(
        {"backup": str(backup.pk)}, candidates=backup_candidates(world.team_treating)
    )
    opened = OrganizationOpened(
        object=world.team_treating, organization_ids=frozenset({world.org_a.pk})
    )
    with pytest.raises(InputRefused) as refused:
        team_backup_clinician_set(actor=actor, opened=opened, form=form)
    assert refused.value.errors == {"backup": [NOT_A_CLINICIAN_EN]}
    world.team_treating.refresh_from_db()
    assert world.team_treating.backup_clinician is None
    [event] = events_since(before)
    assert event.outcome == "refused"


def test_only_the_admin_of_the_teams_organization_may_choose(world: World) -> None:
    backup = colleague(world)
    other_admin = make_user("admin@b.test", "Admin Beta", second_factor=True)
    make_membership(other_admin, world.org_b, "organization_admin")
    as_other_admin = Client()
    sign_in(as_other_admin, other_admin)
    assert as_other_admin.post(backup_url(world), {"backup": str(backup.pk)}).status_code == 404
    assert "GP practice" not in as_other_admin.get("/organization/teams/").content.decode()
    for role in ("clinician_treating", "team_lead", "researcher", "patient_a"):
        client = world.client_for(role)
        assert client.get("/organization/teams/").status_code == 404, role
        assert client.post(backup_url(world), {"backup": str(backup.pk)}).status_code == 404
    anonymous = world.client_for("anonymous").get("/organization/teams/")
    assert anonymous.status_code == 302 and "/login/" in anonymous["Location"]
    for bad in ("not-a-uuid", "00000000-0000-0000-0000-000000000000"):
        response = world.client_for("org_admin").post(
            f"/organization/teams/{bad}/backup/", {"backup": str(backup.pk)}
        )
        assert response.status_code == 404
    world.team_treating.refresh_from_db()
    assert world.team_treating.backup_clinician is None


def test_the_backup_chosen_on_the_screen_gets_the_escalation_mail(
    world: World, django_capture_on_commit_callbacks: Any
) -> None:
    backup = colleague(world)
    response = world.client_for("org_admin").post(backup_url(world), {"backup": str(backup.pk)})
    assert response.status_code == 302
    deadline = world.alert.pick_up_deadline
    assert deadline is not None
    with django_capture_on_commit_callbacks(execute=True):
        assert escalate_overdue_signals(deadline + timedelta(minutes=1)) == 1
    [message] = mail.outbox
    assert message.to == ["backup@a.test"]


def test_after_removing_the_backup_the_escalation_mails_nobody_of_the_team(
    world: World, django_capture_on_commit_callbacks: Any
) -> None:
    backup = colleague(world)
    world.team_treating.backup_clinician = backup
    world.team_treating.save()
    assert world.client_for("org_admin").post(backup_url(world), {"backup": ""}).status_code == 302
    deadline = world.alert.pick_up_deadline
    assert deadline is not None
    with django_capture_on_commit_callbacks(execute=True):
        assert escalate_overdue_signals(deadline + timedelta(minutes=1)) == 1
    assert all("backup@a.test" not in message.to for message in mail.outbox)


def test_the_safety_team_page_names_the_backup_or_warns(world: World) -> None:
    client = world.client_for("clinician_treating")
    page = client.get("/safety/team/").content.decode()
    assert (
        "GP practice heeft geen vervangend behandelaar: escalaties bereiken alleen de "
        "huisartsen in het behandelteam." in page
    )
    assert "/organization/teams/" not in page  # a clinician who is no admin gets no link
    backup = colleague(world)
    world.team_treating.backup_clinician = backup
    world.team_treating.save()
    page = client.get("/safety/team/").content.decode()
    assert "Vervanger Alpha" in page and "geen vervangend behandelaar" not in page


def test_a_backup_no_longer_active_counts_as_none(world: World) -> None:
    backup = colleague(world)
    world.team_treating.backup_clinician = backup
    world.team_treating.save()
    backup.is_active = False
    backup.save()
    team_page = world.client_for("clinician_treating").get("/safety/team/").content.decode()
    assert "GP practice heeft geen vervangend behandelaar" in team_page
    admin_page = world.client_for("org_admin").get("/organization/teams/").content.decode()
    assert "Vervanger Alpha was de vervangend behandelaar maar is niet meer actief" in admin_page


def test_an_admin_who_is_also_a_clinician_gets_a_link_to_choose(world: World) -> None:
    admin_clinician = world.users["clinician_treating"]
    make_membership(admin_clinician, world.org_a, "organization_admin")
    client = Client()
    sign_in(client, admin_clinician)
    page = client.get("/safety/team/").content.decode()
    assert f'href="/organization/teams/#team-{world.team_treating.public_id}-h"' in page

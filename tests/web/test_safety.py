"""Safety signals: every transition, each refusal per missing field, one audit event
each; escalation with injected times; the patient's truthful message; banners."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from maatwerk.core.safety.content import bundled_follow_up_content
from maatwerk.web.audit.models import AuditEvent
from maatwerk.web.organizations.models import Membership
from maatwerk.web.patients.models import CareTeamMember
from maatwerk.web.questionnaires.models import SafetyAlert, SafetyFollowUp
from maatwerk.web.safety.services import escalate_overdue_signals
from tests.web.world import World, make_membership, make_user, sign_in

CONTENT = bundled_follow_up_content()


def local(moment: datetime) -> str:
    return timezone.localtime(moment).strftime("%Y-%m-%dT%H:%M")


def complete_follow_up(world: World, **changes: str) -> dict[str, str]:
    now = timezone.now()
    data = {
        "contact_outcome": "reached",
        "contact_at": local(now - timedelta(minutes=5)),
        "contact_method": "phone",
        "contact_by": "Treating Clinician",
        "a_ideation": "passive",
        "a_plan": "none",
        "a_intent": "none",
        "a_preparations": "none",
        "a_means": "no_access",
        "a_earlier_attempts": "none",
        "a_protective_factors": "Zorgt voor haar kinderen",
        "a_overall_estimate": "increased",
        "safety_plan": "made",
        "gp_informed": "yes",
        "crisis_ggz_involved": "no",
        "next_contact_at": local(now + timedelta(days=2)),
    }
    data.update(changes)
    return data


def prepared_follow_up(world: World) -> dict[str, str]:
    """A complete follow-up stored without a request (and without an audit event), so
    that the close URL can be called on its own."""
    alert = world.alert
    now = timezone.now()
    SafetyFollowUp.objects.update_or_create(
        alert=alert,
        defaults={
            "contact_outcome": "reached",
            "contact_at": now - timedelta(minutes=5),
            "contact_method": "phone",
            "contact_by": "Treating Clinician",
            "assessment": {
                "ideation": "passive",
                "plan": "none",
                "intent": "none",
                "preparations": "none",
                "means": "no_access",
                "earlier_attempts": "none",
                "protective_factors": "Partner",
                "overall_estimate": "increased",
            },
            "safety_plan": "made",
            "gp_informed": True,
            "crisis_ggz_involved": False,
            "next_contact_at": now + timedelta(days=2),
            "content_version": CONTENT.version,
            "recorded_by": world.users["clinician_treating"],
        },
    )
    SafetyAlert.objects.filter(pk=alert.pk).update(status=SafetyAlert.Status.FOLLOWED_UP)
    return {}


def events_since(count: int) -> list[AuditEvent]:
    return list(AuditEvent.objects.order_by("sequence")[count:])


def signal_url(world: World, action: str = "") -> str:
    return f"/safety/signals/{world.alert.public_id}/" + (f"{action}/" if action else "")


def test_open_picked_up_followed_up_closed_each_audited(world: World) -> None:
    client = world.client_for("clinician_treating")
    page = client.get(signal_url(world)).content.decode()
    assert "1 – een aantal dagen" in page and "Gedachten dat je beter dood" in page
    assert "Vragenlijst PHQ-9" in page  # the name people write, not the stored code

    before = AuditEvent.objects.count()
    assert client.post(signal_url(world, "pick-up")).status_code == 302
    world.alert.refresh_from_db()
    assert world.alert.status == "picked_up"
    [event] = events_since(before)
    assert (event.action, event.outcome, event.detail) == ("update", "success", "picked up")

    before = AuditEvent.objects.count()
    assert client.post(signal_url(world, "follow-up"), complete_follow_up(world)).status_code == 302
    world.alert.refresh_from_db()
    assert world.alert.status == "followed_up"
    [event] = events_since(before)
    assert (event.outcome, event.detail) == ("success", "follow-up recorded")
    assert world.alert.follow_up.assessment["overall_estimate"] == "increased"

    before = AuditEvent.objects.count()
    assert client.post(signal_url(world, "close")).status_code == 302
    world.alert.refresh_from_db()
    assert world.alert.status == "closed" and world.alert.closed_at is not None
    [event] = events_since(before)
    assert (event.outcome, event.detail) == ("success", "closed")
    history = list(world.alert.events.values_list("status", flat=True))
    assert history == ["open", "picked_up", "followed_up", "closed"]
    assert all(e.by == world.users["clinician_treating"] for e in world.alert.events.all()[1:])


def test_follow_up_and_close_in_one_step(world: World) -> None:
    client = world.client_for("clinician_treating")
    data = complete_follow_up(world, close="on")
    assert client.post(signal_url(world, "follow-up"), data).status_code == 302
    world.alert.refresh_from_db()
    assert world.alert.status == "closed"
    assert list(world.alert.events.values_list("status", flat=True)) == [
        "open",
        "followed_up",
        "closed",
    ]


def test_an_empty_closure_is_refused_per_field_and_audited(world: World) -> None:
    client = world.client_for("clinician_treating")
    before = AuditEvent.objects.count()
    response = client.post(signal_url(world, "close"))
    assert response.status_code == 400
    assert set(response.context["form"].errors) == {
        "contact_outcome",
        "contact_at",
        "contact_method",
        "contact_by",
        "gp_informed",
        "crisis_ggz_involved",
    }
    world.alert.refresh_from_db()
    assert world.alert.status == "open"
    [event] = events_since(before)
    assert event.outcome == "refused" and event.detail.startswith("refused:")
    for field in ("contact_outcome", "contact_at", "contact_method", "contact_by"):
        assert field in event.detail


@pytest.mark.parametrize(
    "field",
    [
        "contact_outcome",
        "contact_at",
        "contact_method",
        "contact_by",
        "a_ideation",
        "a_plan",
        "a_intent",
        "a_preparations",
        "a_means",
        "a_earlier_attempts",
        "a_protective_factors",
        "a_overall_estimate",
        "safety_plan",
        "gp_informed",
        "crisis_ggz_involved",
        "next_contact_at",
    ],
)
def test_each_missing_field_is_refused_with_its_own_error(world: World, field: str) -> None:
    client = world.client_for("clinician_treating")
    data = complete_follow_up(world, close="on")
    del data[field]
    before = AuditEvent.objects.count()
    response = client.post(signal_url(world, "follow-up"), data)
    assert response.status_code == 400
    form = response.context["form"]
    assert list(form.errors) == [field], form.errors
    [event] = events_since(before)
    assert event.outcome == "refused"
    assert field.removeprefix("a_") in event.detail
    world.alert.refresh_from_db()
    assert world.alert.status == "open"
    assert not SafetyFollowUp.objects.filter(alert=world.alert).exists()


def test_errors_are_in_dutch_and_specific(world: World) -> None:
    client = world.client_for("clinician_treating")
    data = complete_follow_up(world)
    del data["a_plan"]
    del data["next_contact_at"]
    form = client.post(signal_url(world, "follow-up"), data).context["form"]
    assert form.errors["a_plan"] == ["Leg het antwoord vast bij “Plan”."]
    assert form.errors["next_contact_at"] == [
        "Vul in wanneer het volgende contact met de patiënt is."
    ]


def test_a_high_risk_estimate_needs_the_crisis_ggz(world: World) -> None:
    client = world.client_for("clinician_treating")
    data = complete_follow_up(world, a_overall_estimate="high")
    response = client.post(signal_url(world, "follow-up"), data)
    assert response.status_code == 400
    assert list(response.context["form"].errors) == ["crisis_ggz_involved"]


def test_a_patient_not_reached_needs_attempts_and_a_hand_over(world: World) -> None:
    client = world.client_for("clinician_treating")
    data = {
        "contact_outcome": "not_reached",
        "contact_at": local(timezone.now() - timedelta(minutes=5)),
        "contact_method": "phone",
        "contact_by": "Treating Clinician",
        "gp_informed": "no",
        "crisis_ggz_involved": "no",
    }
    response = client.post(signal_url(world, "follow-up"), data)
    assert sorted(response.context["form"].errors) == ["attempts", "gp_informed"]
    data.update(attempts="09:00 en 11:00 gebeld, voicemail ingesproken", gp_informed="yes")
    assert client.post(signal_url(world, "follow-up"), data).status_code == 302


def test_an_unreadable_date_is_refused_and_audited(world: World) -> None:
    client = world.client_for("clinician_treating")
    before = AuditEvent.objects.count()
    response = client.post(
        signal_url(world, "follow-up"), complete_follow_up(world, contact_at="gisteren")
    )
    assert response.status_code == 400
    assert "contact_at" in response.context["form"].errors
    [event] = events_since(before)
    assert event.outcome == "refused"


def test_picking_up_twice_is_refused(world: World) -> None:
    client = world.client_for("clinician_treating")
    client.post(signal_url(world, "pick-up"))
    before = AuditEvent.objects.count()
    client.post(signal_url(world, "pick-up"))
    [event] = events_since(before)
    assert event.outcome == "refused"


def test_another_team_cannot_open_or_act_on_the_signal(world: World) -> None:
    other = world.client_for("clinician_other_team")
    assert other.get(signal_url(world)).status_code == 404
    assert other.post(signal_url(world, "pick-up")).status_code == 404
    world.alert.refresh_from_db()
    assert world.alert.status == "open"


# ------------------------------------------------------------------ escalation


def add_backup_clinician(world: World) -> Membership:
    """backup@a.test becomes the treating team's backup clinician."""
    backup = make_membership(
        make_user("backup@a.test", "Backup Clinician", second_factor=True),
        world.org_a,
        "clinician",
        world.team_treating,
        "psycholoog",
    )
    world.team_treating.backup_clinician = backup
    world.team_treating.save()
    return backup


def _gp_on_care_team(world: World) -> None:
    gp = make_membership(
        make_user("gp@a.test", "Huisarts Alpha"),
        world.org_a,
        "clinician",
        world.team_treating,
        "huisarts",
    )
    episode = world.patient_a.episodes.get()
    CareTeamMember.objects.create(episode=episode, membership=gp)


def test_escalation_happens_once_after_the_deadline(
    world: World, django_capture_on_commit_callbacks: Any
) -> None:
    add_backup_clinician(world)
    _gp_on_care_team(world)
    deadline = world.alert.pick_up_deadline
    assert deadline is not None
    before = AuditEvent.objects.count()
    with django_capture_on_commit_callbacks(execute=True):
        assert escalate_overdue_signals(deadline - timedelta(seconds=1)) == 0
        assert escalate_overdue_signals(deadline) == 1
        assert escalate_overdue_signals(deadline + timedelta(hours=3)) == 0
    world.alert.refresh_from_db()
    assert world.alert.status == "escalated"
    assert world.alert.escalated_at == deadline
    assert list(world.alert.events.values_list("status", flat=True)) == ["open", "escalated"]
    [event] = events_since(before)
    assert (event.action, event.outcome, event.role) == ("update", "success", "system")
    assert event.detail == "escalated to 2 recipient(s)"
    [message] = mail.outbox
    assert sorted(message.to) == ["backup@a.test", "gp@a.test"]
    # No clinical content: no name, no answer, no item text.
    for secret in ("Patient Alpha", "een aantal dagen", "dood", "PHQ"):
        assert secret not in message.body and secret not in message.subject
    # The history says so in the reader's language and local time, not a stored
    # English sentence in UTC.
    client = world.client_for("clinician_treating")
    local_deadline = timezone.localtime(deadline)
    dutch = client.get(
        reverse("safety:signal", args=[world.alert.public_id]), HTTP_ACCEPT_LANGUAGE="nl"
    ).content.decode()
    assert "niet opgepakt vóór" in dutch and f"{local_deadline:%H:%M}" in dutch
    assert "not picked up" not in dutch and "UTC" not in dutch


def test_friday_evening_signal_escalates_on_monday_at_ten(world: World) -> None:
    from maatwerk.web.safety.services import raise_from_rule

    friday = datetime(2026, 12, 4, 16, 0, tzinfo=UTC)  # 17:00 in Amsterdam
    alert, created = raise_from_rule(
        assignment=world.assignment,
        rule_id="phq9_item9_self_harm",
        severity="urgent",
        message="PHQ-9 item 9",
        evidence_item="item",
        evidence_answer="2 – meer dan de helft van de dagen",
        at=friday,
    )
    assert created
    monday_ten = datetime(2026, 12, 7, 9, 0, tzinfo=UTC)
    assert alert.pick_up_deadline == monday_ten
    world.alert.status = SafetyAlert.Status.CLOSED  # only the new signal is due
    world.alert.save()
    assert escalate_overdue_signals(datetime(2026, 12, 5, 12, 0, tzinfo=UTC)) == 0
    assert escalate_overdue_signals(monday_ten) == 1
    alert.refresh_from_db()
    assert alert.status == "escalated"


def test_a_picked_up_signal_does_not_escalate(world: World) -> None:
    world.client_for("clinician_treating").post(signal_url(world, "pick-up"))
    deadline = world.alert.pick_up_deadline
    assert deadline is not None
    assert escalate_overdue_signals(deadline + timedelta(days=1)) == 0


def test_an_escalated_signal_can_still_be_picked_up_and_closed(world: World) -> None:
    deadline = timezone.now() - timedelta(minutes=10)
    SafetyAlert.objects.filter(pk=world.alert.pk).update(pick_up_deadline=deadline)
    assert escalate_overdue_signals(timezone.now()) == 1
    client = world.client_for("clinician_treating")
    assert client.post(signal_url(world, "pick-up")).status_code == 302
    client.post(signal_url(world, "follow-up"), complete_follow_up(world, close="on"))
    world.alert.refresh_from_db()
    assert list(world.alert.events.values_list("status", flat=True)) == [
        "open",
        "escalated",
        "picked_up",
        "followed_up",
        "closed",
    ]


def test_the_team_page_lists_open_and_escalated_signals(world: World) -> None:
    deadline = world.alert.pick_up_deadline
    assert deadline is not None
    escalate_overdue_signals(deadline)
    backup = add_backup_clinician(world)
    client = world.client_for("clinician_treating")
    page = client.get("/safety/team/").content.decode()
    assert "Patient Alpha" in page and "Geëscaleerd" in page
    from django.test import Client

    as_backup = Client()
    sign_in(as_backup, backup.user)
    assert "Patient Alpha" in as_backup.get("/safety/team/").content.decode()
    other = world.client_for("clinician_other_team").get("/safety/team/").content.decode()
    assert "Patient Alpha" not in other


# ------------------------------------------------------------------ raising by hand


def test_a_clinician_raises_a_signal_from_a_message(world: World) -> None:
    client = world.client_for("clinician_treating")
    quote = "Soms denk ik dat mijn gezin beter af is zonder mij."
    before = AuditEvent.objects.count()
    response = client.post(
        f"/safety/patients/{world.patient_a.public_id}/raise/",
        {"raised_from": "message", "quote": quote, "source_ref": "abc"},
    )
    assert response.status_code == 302
    alert = SafetyAlert.objects.get(source="clinician")
    assert alert.evidence_quote == quote and alert.raised_from == "message"
    assert alert.raised_by == world.users["clinician_treating"]
    [event] = events_since(before)
    assert (event.action, event.outcome) == ("create", "success")
    assert quote in client.get(f"/safety/signals/{alert.public_id}/").content.decode()


def test_a_clinician_raises_a_signal_from_a_comment_on_the_explanation(world: World) -> None:
    client = world.client_for("clinician_treating")
    quote = "Ik zie het niet meer zitten."
    response = client.post(
        f"/safety/patients/{world.patient_a.public_id}/raise/",
        {"raised_from": "formulation", "quote": quote},
    )
    assert response.status_code == 302
    alert = SafetyAlert.objects.get(source="clinician")
    assert (alert.raised_from, alert.evidence_quote) == ("formulation", quote)
    page = client.get(f"/safety/signals/{alert.public_id}/").content.decode()
    assert "Opmerking bij de persoonlijke uitleg" in page


def test_raising_without_a_quote_is_refused(world: World) -> None:
    client = world.client_for("clinician_treating")
    before = AuditEvent.objects.count()
    response = client.post(
        f"/safety/patients/{world.patient_a.public_id}/raise/", {"raised_from": "message"}
    )
    assert response.status_code == 400
    assert "Citeer de woorden" in response.content.decode()
    [event] = events_since(before)
    assert event.outcome == "refused"
    assert not SafetyAlert.objects.filter(source="clinician").exists()


def test_the_raise_form_takes_the_suggestion_in_the_address_that_fits(world: World) -> None:
    client = world.client_for("clinician_treating")
    page = f"/safety/patients/{world.patient_a.public_id}/raise/"
    fitting = client.get(page, {"from": "homework", "quote": "Ik kan niet meer.", "ref": "r1"})
    form = fitting.context["form"]
    assert form.initial == {
        "raised_from": "homework",
        "quote": "Ik kan niet meer.",
        "source_ref": "r1",
    }
    unfitting = client.get(page, {"from": "elsewhere", "quote": "x" * 4001, "ref": "r" * 65})
    assert unfitting.status_code == 200
    assert unfitting.context["form"].initial == {
        "raised_from": "dossier",
        "quote": "",
        "source_ref": "",
    }


# ------------------------------------------------------------------ the patient


def test_the_patient_asks_for_help_and_is_told_when_it_is_seen(world: World) -> None:
    client = world.client_for("patient_a")
    page = client.get("/safety/help/").content.decode()
    assert 'href="tel:08000113"' in page and 'href="tel:112"' in page
    assert client.post("/safety/help/", {"words": "Het gaat niet goed"}).status_code == 302
    alert = SafetyAlert.objects.get(source="patient_help")
    assert alert.evidence_quote == "Het gaat niet goed"
    page = client.get("/safety/help/").content.decode()
    deadline = timezone.localtime(alert.pick_up_deadline)
    assert f"om {deadline:%H:%M}" in page
    assert "uiterlijk" in page
    # Pressing again while it is open raises nothing new.
    client.post("/safety/help/")
    assert SafetyAlert.objects.filter(source="patient_help").count() == 1


def test_the_help_pages_dial_the_patients_own_gp(world: World) -> None:
    client = world.client_for("patient_a")
    for page in ("/safety/help/", "/questionnaires/help/"):
        assert "tel:+31" not in client.get(page).content.decode()
    world.patient_a.gp_phone = "+31302345600"
    world.patient_a.save()
    for page in ("/safety/help/", "/questionnaires/help/"):
        text = client.get(page).content.decode()
        assert '<a href="tel:+31302345600">030-2345600</a>' in text


def test_after_a_risk_answer_the_patient_reads_when_and_what_to_do_now(world: World) -> None:
    client = world.client_for("patient_a")
    client.post(
        f"/questionnaires/{world.assignment.public_id}/answer/", {"item": "phq9_9", "value": "2"}
    )
    page = client.get("/questionnaires/help/").content.decode()
    alert = SafetyAlert.objects.get(assignment=world.assignment)
    deadline = timezone.localtime(alert.pick_up_deadline)
    assert f"om {deadline:%H:%M}" in page
    assert 'href="tel:08000113"' in page and 'href="tel:112"' in page
    assert "huisartsenpost" in page
    with_english = client.get("/questionnaires/help/", HTTP_ACCEPT_LANGUAGE="en")
    assert with_english.status_code == 200


# ------------------------------------------------------------------ the demo


def test_the_demo_has_an_open_an_escalated_and_a_closed_signal(db: None) -> None:
    from maatwerk.web.demo.services import demo_load

    demo_load()
    signals = SafetyAlert.objects.filter(patient__organization__name__startswith="")
    by_patient = {signal.patient.full_name: signal for signal in signals}
    assert by_patient["Anouk Willems"].status == "open"
    assert "beter af is zonder mij" in by_patient["Anouk Willems"].evidence_quote
    assert by_patient["Henk Bos"].status == "escalated"
    closed = by_patient["Marieke Hendriks"]
    assert closed.status == "closed"
    assert closed.follow_up.safety_plan == "made"
    assert set(closed.follow_up.assessment) == {q.id for q in CONTENT.assessment}
    # ... and the safety plan that follow-up made is there.
    from maatwerk.web.safetyplan.models import SafetyPlan

    assert SafetyPlan.objects.get(patient=closed.patient).versions.count() == 1
    assert by_patient["Lucas Peters"].evidence_answer.startswith("1 – ")
    assert all(
        team.backup_clinician_id
        for team in Membership.objects.get(
            user__email="poh-ggz@demo.maatwerk.nl"
        ).organization.teams.all()
    )


# ------------------------------------------------------------------ risk everywhere


def test_caseload_and_dossier_show_the_risk(world: World) -> None:
    client = world.client_for("clinician_treating")
    caseload = client.get("/clinic/").content.decode()
    assert "Risico: open veiligheidssignaal" in caseload
    dossier = client.get(f"/clinic/patients/{world.patient_a.public_id}/").content.decode()
    assert "Risico: een open veiligheidssignaal" in dossier
    assert f"/safety/signals/{world.alert.public_id}/" in dossier
    # Closed recently: still shown, as recent risk; closed long ago: gone.
    world.alert.status = "closed"
    world.alert.closed_at = timezone.now() - timedelta(days=2)
    world.alert.save()
    assert "Recent risico" in client.get("/clinic/").content.decode()
    world.alert.closed_at = timezone.now() - timedelta(days=365)
    world.alert.save()
    assert "veiligheidssignaal" not in client.get("/clinic/").content.decode()


def test_the_plan_proposes_a_safety_plan_and_the_referral_warns(world: World) -> None:
    from tests.web.test_planning import plan_path
    from tests.web.test_referrals import world_referral

    client = world.client_for("clinician_treating")
    plan = client.get(plan_path(world)).content.decode()
    assert "Voorstel: maak samen met de patiënt een veiligheidsplan" in plan
    assert f'href="/safety-plan/patients/{world.patient_a.public_id}/"' in plan
    referral = world_referral(world)
    page = client.get(f"/providers/referrals/{referral.public_id}/").content.decode()
    assert "Informeer de ontvangende zorgverlener" in page
    import io

    from pypdf import PdfReader

    pdf = client.get(f"/providers/referrals/{referral.public_id}/letter.pdf")
    assert pdf.status_code == 200
    text = " ".join(p.extract_text() for p in PdfReader(io.BytesIO(pdf.content)).pages)
    assert "risicosignaal" in " ".join(text.split())


def test_the_inbox_previews_a_message_and_raises_a_signal_from_it(world: World) -> None:
    from maatwerk.web.treatment.models import Message

    words = "Soms denk ik dat mijn gezin beter af is zonder mij."
    patient_user = world.users["patient_a"]
    message = Message.objects.create(
        patient=world.patient_a, author=patient_user, from_patient=True, text=words
    )
    client = world.client_for("clinician_treating")
    inbox = client.get("/treatment/inbox/").content.decode()
    assert words in inbox
    assert f'value="{message.public_id}"' in inbox
    response = client.post(
        f"/safety/patients/{world.patient_a.public_id}/raise/",
        {"raised_from": "message", "quote": words, "source_ref": str(message.public_id)},
    )
    assert response.status_code == 302
    signal = SafetyAlert.objects.get(source_ref=str(message.public_id))
    assert signal.evidence_quote == words and signal.status == "open"

"""Administering questionnaires: assign, autosave, resume, submit, score, alert."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.core import mail

from maatwerk.web.questionnaires.models import Answer, Assignment, SafetyAlert, ScaleResult
from tests.web.world import World

PHQ9_ITEMS = [f"phq9_{n}" for n in range(1, 11)]


def _answer(world: World, role: str, item: str, value: str):  # type: ignore[no-untyped-def]
    return world.client_for(role).post(
        f"/questionnaires/{world.assignment.public_id}/answer/", {"item": item, "value": value}
    )


def test_clinician_assigns_a_questionnaire_that_the_patient_sees(world: World) -> None:
    clinician = world.client_for("clinician_treating")
    response = clinician.post(
        f"/clinic/patients/{world.patient_a.public_id}/questionnaires/assign/",
        {"instrument": "gad7", "mode": "self", "due_at": "2099-01-31T12:00"},
    )
    assert response.status_code == 302
    assignment = Assignment.objects.get(patient=world.patient_a, instrument_code="gad7")
    assert assignment.due_at is not None
    home = world.client_for("patient_a").get("/portal/").content.decode()
    assert f"/questionnaires/{assignment.public_id}/" in home


def test_a_questionnaire_without_shipped_texts_cannot_be_assigned(world: World) -> None:
    clinician = world.client_for("clinician_treating")
    response = clinician.post(
        f"/clinic/patients/{world.patient_a.public_id}/questionnaires/assign/",
        {"instrument": "tsk", "mode": "self"},
        follow=True,
    )
    assert not Assignment.objects.filter(instrument_code="tsk").exists()
    assert response.status_code == 200


def test_every_answer_is_saved_as_given_and_shown_again_on_return(world: World) -> None:
    assert _answer(world, "patient_a", "phq9_1", "2").json() == {"saved": True, "item": "phq9_1"}
    assert _answer(world, "patient_a", "phq9_1", "3").status_code == 200  # changed mind
    answer = Answer.objects.get(assignment=world.assignment, item_id="phq9_1")
    assert answer.value == Decimal(3)
    page = world.client_for("patient_a").get(f"/questionnaires/{world.assignment.public_id}/")
    assert 'name="item-phq9_1" value="3" checked' in page.content.decode()
    world.assignment.refresh_from_db()
    assert world.assignment.status == Assignment.Status.IN_PROGRESS


def test_an_invalid_answer_is_refused_with_a_clear_message(world: World) -> None:
    response = _answer(world, "patient_a", "phq9_1", "7")
    assert response.status_code == 400
    assert response.json()["errors"] == ["Kies een van de antwoorden."]
    assert _answer(world, "patient_a", "phq9_1", "abc").status_code == 400
    assert _answer(world, "patient_a", "nonsense", "1").status_code == 400
    assert not Answer.objects.filter(assignment=world.assignment).exists()


def test_incomplete_submission_keeps_the_answers_and_names_the_missing_questions(
    world: World,
) -> None:
    client = world.client_for("patient_a")
    response = client.post(
        f"/questionnaires/{world.assignment.public_id}/submit/", {"item-phq9_1": "1"}
    )
    assert response.status_code == 400
    body = response.content.decode()
    assert body.count("Beantwoord deze vraag.") == 8  # items 2-9; item 10 is not required
    assert Answer.objects.filter(assignment=world.assignment, item_id="phq9_1").exists()
    assert not ScaleResult.objects.filter(assignment=world.assignment).exists()


def test_submission_scores_exactly_and_item_9_raises_an_alert(
    world: World,
    django_capture_on_commit_callbacks,  # type: ignore[no-untyped-def]
) -> None:
    # 1+2+3+0+1+2+3+0+1 = 13 → "moderate" (10-14); item 9 = 1 triggers the safety rule.
    values = dict(zip(PHQ9_ITEMS[:9], ["1", "2", "3", "0", "1", "2", "3", "0", "1"], strict=True))
    with django_capture_on_commit_callbacks(execute=True):
        for item, value in values.items():
            assert _answer(world, "patient_a", item, value).status_code == 200
        response = world.client_for("patient_a").post(
            f"/questionnaires/{world.assignment.public_id}/submit/"
        )
    assert response.status_code == 302
    assert response["Location"] == "/questionnaires/help/"
    help_page = world.client_for("patient_a").get("/questionnaires/help/").content.decode()
    assert "0800-0113" in help_page and "112" in help_page
    result = ScaleResult.objects.get(assignment=world.assignment, scale_id="total")
    assert result.value == Decimal(13)
    assert result.band == "matig"
    assert result.explanation["items_used"] == PHQ9_ITEMS[:9]
    alert = SafetyAlert.objects.get(assignment=world.assignment)
    assert alert.rule_id == "phq9_item9_self_harm"
    assert mail.outbox and "treating@a.test" in mail.outbox[0].to
    assert "Patient Alpha" not in mail.outbox[0].body  # no patient data in e-mail
    # The treating clinician sees the alert at once: the badge and the list.
    clinician = world.client_for("clinician_treating")
    caseload = clinician.get("/clinic/").content.decode()
    assert 'class="alert-badge">2' in caseload  # the world's earlier alert and this one
    assert "Patient Alpha" in clinician.get("/clinic/alerts/").content.decode()
    # A clinician of another team is not alerted.
    other = world.client_for("clinician_other_team").get("/clinic/alerts/").content.decode()
    assert "Patient Alpha" not in other


def test_the_alert_shows_the_question_and_the_answer_given(world: World) -> None:
    assert _answer(world, "patient_a", "phq9_9", "2").status_code == 200
    alert = SafetyAlert.objects.get(assignment=world.assignment)
    assert alert.evidence_answer.startswith("2 – ")
    assert alert.evidence_item
    assert alert.status == SafetyAlert.Status.OPEN
    assert alert.pick_up_deadline is not None
    assert list(alert.events.values_list("status", flat=True)) == ["open"]
    page = world.client_for("clinician_treating").get(f"/safety/signals/{alert.public_id}/")
    assert alert.evidence_answer in page.content.decode()


def test_a_completed_questionnaire_cannot_change(world: World) -> None:
    answers = {f"item-{item}": "0" for item in PHQ9_ITEMS}
    client = world.client_for("patient_a")
    assert (
        client.post(f"/questionnaires/{world.assignment.public_id}/submit/", answers).status_code
        == 302
    )
    assert _answer(world, "patient_a", "phq9_1", "3").status_code == 400
    assert client.post(f"/questionnaires/{world.assignment.public_id}/submit/").status_code == 400


def test_phq15_for_a_man_leaves_out_the_menstrual_item(world: World) -> None:
    world.patient_a.sex = "male"
    world.patient_a.save()
    assignment = Assignment.objects.create(
        patient=world.patient_a,
        instrument_code="phq15",
        instrument_version="1.0",
        assigned_by=world.memberships["clinician_treating"],
    )
    page = world.client_for("patient_a").get(f"/questionnaires/{assignment.public_id}/")
    assert 'name="item-phq15_4"' not in page.content.decode()
    # The numbering never shifts: item 5 is still "5." without item 4.
    assert '<span class="q-number">4.</span>' not in page.content.decode()
    assert '<span class="q-number">5.</span>' in page.content.decode()
    answers = {f"item-phq15_{n}": "2" for n in range(1, 16) if n != 4}
    world.client_for("patient_a").post(f"/questionnaires/{assignment.public_id}/submit/", answers)
    assert ScaleResult.objects.get(assignment=assignment, scale_id="total").value == Decimal(28)


@pytest.mark.parametrize("sex", ["other", "unknown"])
def test_phq15_with_the_sex_other_or_unknown_can_be_finished(world: World, sex: str) -> None:
    # Item 4 (menstrual problems) is asked when the sex is not female or male; an answer
    # means it applies, so it counts and the range is 0-30: 15 x 1 = 15 (Kroenke 2002).
    world.patient_a.sex = sex
    world.patient_a.save()
    assignment = Assignment.objects.create(
        patient=world.patient_a,
        instrument_code="phq15",
        instrument_version="1.0",
        assigned_by=world.memberships["clinician_treating"],
    )
    client = world.client_for("patient_a")
    page = client.get(f"/questionnaires/{assignment.public_id}/").content.decode()
    assert 'name="item-phq15_4"' in page
    assert '<span class="q-number">4.</span>' in page
    answers = {f"item-phq15_{n}": "1" for n in range(1, 16)}
    response = client.post(f"/questionnaires/{assignment.public_id}/submit/", answers)
    assert response.status_code == 302
    assert ScaleResult.objects.get(assignment=assignment, scale_id="total").value == Decimal(15)


def test_the_not_verified_badge_is_for_clinicians_never_for_patients(world: World) -> None:
    # The GAD-7's Dutch texts are still Maatwerk's own translation (unverified): the
    # clinician filling it in with the patient sees the badge; the patient never does.
    badge = "vertaling nog niet gecontroleerd"
    assignment = Assignment.objects.create(
        patient=world.patient_a,
        instrument_code="gad7",
        instrument_version="1.1",
        assigned_by=world.memberships["clinician_treating"],
    )
    url = f"/questionnaires/{assignment.public_id}/"
    patient_pages = [
        url,
        "/portal/",
        "/questionnaires/help/",
        f"/questionnaires/{world.assignment.public_id}/",
    ]
    for page in patient_pages:
        response = world.client_for("patient_a").get(page)
        assert response.status_code == 200, page
        assert badge not in response.content.decode(), page
    clinician = world.client_for("clinician_treating").get(url)
    assert clinician.status_code == 200
    assert badge in clinician.content.decode()


def test_results_show_change_and_reliable_change_from_baseline(world: World) -> None:
    # GAD-7 for a woman: SD 3.5 and alpha .89 (Löwe 2008) give a reliable-change threshold
    # of 1.96 * 3.5 * sqrt(2) * sqrt(0.11) = 3.2 points; 21 → 7 is a reliable improvement.
    client = world.client_for("patient_a")
    for value in ("3", "1"):
        assignment = Assignment.objects.create(
            patient=world.patient_a,
            instrument_code="gad7",
            instrument_version="1.0",
            assigned_by=world.memberships["clinician_treating"],
        )
        answers = {f"item-gad7_{n}": value for n in range(1, 8)}
        assert (
            client.post(f"/questionnaires/{assignment.public_id}/submit/", answers).status_code
            == 302
        )
    page = world.client_for("clinician_treating").get(
        f"/clinic/patients/{world.patient_a.public_id}/results/"
    )
    body = page.content.decode()
    assert "-14" in body
    assert "betrouwbare verbetering" in body


def test_clinician_fills_in_together_with_the_patient(world: World) -> None:
    clinician = world.client_for("clinician_treating")
    response = clinician.post(
        f"/clinic/patients/{world.patient_a.public_id}/questionnaires/assign/",
        {"instrument": "gad7", "mode": "together"},
    )
    assignment = Assignment.objects.get(instrument_code="gad7")
    assert response["Location"] == f"/questionnaires/{assignment.public_id}/"
    answers = {f"item-gad7_{n}": "1" for n in range(1, 8)}
    clinician.post(f"/questionnaires/{assignment.public_id}/submit/", answers)
    assert (
        Answer.objects.filter(assignment=assignment).first().answered_by
        == world.users[  # type: ignore[union-attr]
            "clinician_treating"
        ]
    )
    assert ScaleResult.objects.get(assignment=assignment, scale_id="total").value == Decimal(7)


def test_a_risky_answer_alerts_the_care_team_before_the_questionnaire_is_sent(
    world: World,
    django_capture_on_commit_callbacks,  # type: ignore[no-untyped-def]
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        response = _answer(world, "patient_a", "phq9_9", "1")
    assert response.json()["help_url"] == "/questionnaires/help/"
    assert SafetyAlert.objects.filter(assignment=world.assignment).count() == 1
    assert mail.outbox
    # Answering it again does not raise a second alert.
    _answer(world, "patient_a", "phq9_9", "2")
    assert SafetyAlert.objects.filter(assignment=world.assignment).count() == 1
    page = world.client_for("patient_a").get(f"/questionnaires/{world.assignment.public_id}/")
    assert 'id="help-now"' in page.content.decode() and "0800-0113" in page.content.decode()
    assert 'id="help-now" class="message message-error" role="alert" tabindex="-1" hidden' not in (
        page.content.decode()
    )


def test_autosave_after_the_session_ended_is_refused_as_json_not_redirected(world: World) -> None:
    from datetime import timedelta

    import time_machine
    from django.test import Client
    from django.utils import timezone

    start = timezone.now()
    with time_machine.travel(start, tick=False) as traveller:
        client = Client()
        client.force_login(world.users["patient_a"])
        assert client.get("/portal/").status_code == 200
        traveller.shift(timedelta(minutes=31))
        response = client.post(
            f"/questionnaires/{world.assignment.public_id}/answer/",
            {"item": "phq9_1", "value": "1"},
            HTTP_ACCEPT="application/json",
        )
    assert response.status_code == 401
    assert not Answer.objects.filter(assignment=world.assignment).exists()

"""Screening web app: a battery assigned by the clinician, skip logic through the patient's
intake, the SCEGS exploration, the computed profile with its evidence, the decision on
the level of care, the PDF and the patient's summary.

Scores are produced by really filling in the bundled questionnaires (PHQ-9, PHQ-15,
GAD-7) through the questionnaires app; the thresholds checked below are the knowledge
base's (``src/maatwerk/content/knowledge/factors.json``): negative mood is elevated at
PHQ-9 total >= 10 (Kroenke 2001) or GAD-7 total >= 10 (Spitzer 2006).
"""

from __future__ import annotations

import io
import json
from datetime import timedelta
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.utils import timezone
from pypdf import PdfReader

from maatwerk.web.audit.models import AuditEvent
from maatwerk.web.common.actor import actor_for_user
from maatwerk.web.patients.opening import Opened, open_patient
from maatwerk.web.questionnaires.models import Assignment, ScaleResult
from maatwerk.web.screening import services
from maatwerk.web.screening.forms import ScegsInput, assign_form, scegs_form
from maatwerk.web.screening.models import (
    CareLevelDecision,
    ScegsAssessment,
    Screening,
    ScreeningIntake,
    ScreeningProfileSnapshot,
)
from maatwerk.web.screening.selectors import referral_context_for
from tests.web.test_licensed_texts import TSK_ITEMS, placeholder_text_set
from tests.web.world import World

pytestmark = pytest.mark.django_db


# ------------------------------------------------------------------ helpers


def said(body: str, english: str, dutch: str) -> bool:
    """The page says it, in Dutch (the default) or, while the Dutch catalog lacks the
    message, in English."""
    return english in body or dutch in body


def world_screening(world: World) -> Screening:
    """A screening of patient A for the authorization matrix and audit coverage tests:
    assigned, SCEGS recorded and a profile computed; the intake not yet sent in.

    Made through the services on first use (the shared world knows nothing of screenings).
    """
    found = Screening.objects.filter(patient=world.patient_a).order_by("assigned_at").first()
    if found is not None:
        return found
    clinician = actor_for_user(world.users["clinician_treating"], access_point="test")
    access = open_patient(
        actor=clinician, patient_id=str(world.patient_a.public_id), action="create"
    )
    organization_id = world.patient_a.organization_id
    screening = services.screening_assign(
        actor=clinician, access=access, form=assign_form(organization_id, "gp_short")
    )
    opened = Opened(object=screening, access=access)
    services.scegs_save(
        actor=clinician,
        opened=opened,
        form=scegs_form(
            organization_id, ScegsInput(duration_weeks="20", functional_limitation="light")
        ),
    )
    services.profile_compute(actor=clinician, opened=opened)
    return screening


def world_snapshot_id(world: World) -> str:
    snapshot = world_screening(world).snapshots.order_by("-computed_at", "-pk").first()
    assert snapshot is not None
    return str(snapshot.public_id)


def assign(world: World, battery: str = "gp_short", role: str = "clinician_treating"):  # type: ignore[no-untyped-def]
    return world.client_for(role).post(
        f"/screening/patients/{world.patient_a.public_id}/assign/", {"battery": battery}
    )


def assigned(world: World, battery: str = "gp_short") -> Screening:
    response = assign(world, battery)
    assert response.status_code == 302, response.content[:500]
    return Screening.objects.get(patient=world.patient_a)


def statuses(screening: Screening) -> dict[str, str]:
    return {step.instrument_code: step.status for step in screening.steps.all()}


def send_intake(world: World, screening: Screening, **fields: object) -> object:
    data: dict[str, object] = {
        "complaints": ["back_neck_pain"],
        "own_words": "Mijn rug doet pijn",
        "first_problem": "Weer wandelen",
        "wants_help_now": "yes",
        "modality": "online",
        "action": "submit",
    }
    data.update(fields)
    return world.client_for("patient_a").post(f"/screening/{screening.public_id}/intake/", data)


def fill_in(world: World, screening: Screening, code: str, values: list[int]) -> None:
    """The patient fills in the screening's questionnaire ``code`` and sends it in."""
    step = screening.steps.get(instrument_code=code)
    assert step.assignment is not None
    answers = {f"item-{code}_{n}": str(v) for n, v in enumerate(values, start=1)}
    response = world.client_for("patient_a").post(
        f"/questionnaires/{step.assignment.public_id}/submit/", answers
    )
    assert response.status_code == 302, response.content[:800]


def screened(world: World, *, phq9: list[int], complaints: list[str] | None = None) -> Screening:
    """A gp_short screening with the intake sent in and the three public-domain
    questionnaires completed (PHQ-15 all 0; GAD-7 all 0, so PHQ-9 decides mood)."""
    screening = assigned(world)
    send_intake(world, screening, complaints=complaints or ["fatigue"])
    fill_in(world, screening, "phq9", phq9)
    fill_in(world, screening, "gad7", [0] * 7)
    # world.patient_a is female, so PHQ-15 item 4 (menstrual complaints) is asked.
    fill_in(world, screening, "phq15", [0] * 15)
    return screening


SCEGS_FORM = {
    "conditions": ["chronic_fatigue"],
    "duration_weeks": "30",
    "functional_limitation": "moderate",
    "factor-social_support": "present",
    "factor-avoidance": "absent",
    "notes": "Moe na elke inspanning.",
}


def record_scegs(world: World, screening: Screening, **fields: object):  # type: ignore[no-untyped-def]
    data: dict[str, object] = dict(SCEGS_FORM)
    data.update(fields)
    return world.client_for("clinician_treating").post(
        f"/screening/{screening.public_id}/scegs/", data
    )


def compute(world: World, screening: Screening) -> ScreeningProfileSnapshot:
    response = world.client_for("clinician_treating").post(
        f"/screening/{screening.public_id}/profile/compute/"
    )
    assert response.status_code == 302
    snapshot = ScreeningProfileSnapshot.objects.filter(screening=screening).first()
    assert snapshot is not None
    return snapshot


def import_tsk_texts(world: World) -> None:
    content = json.dumps(placeholder_text_set(TSK_ITEMS)).encode()
    response = world.client_for("org_admin").post(
        "/organization/instruments/", {"texts": SimpleUploadedFile("tsk.json", content)}
    )
    assert response.status_code == 302


# ------------------------------------------------------------------ assigning and skip logic


def test_a_battery_assigns_its_fixed_questionnaires_and_holds_back_the_conditional_ones(
    world: World,
) -> None:
    page = world.client_for("clinician_treating").get(
        f"/screening/patients/{world.patient_a.public_id}/assign/"
    )
    assert page.status_code == 200
    assert 'value="gp_short"' in page.content.decode()
    before = AuditEvent.objects.count()
    screening = assigned(world)
    # gp_short: PHQ-15, PHQ-9, GAD-7 always; TSK and PCS only with a pain complaint.
    assert statuses(screening) == {
        "phq15": "assigned",
        "phq9": "assigned",
        "gad7": "assigned",
        "tsk": "pending",
        "pcs": "pending",
    }
    assert screening.setting == "general_practice"
    assert screening.assigned_by == world.memberships["clinician_treating"]
    assert set(
        Assignment.objects.filter(patient=world.patient_a, status="open")
        .exclude(pk=world.assignment.pk)
        .values_list("instrument_code", flat=True)
    ) == {"phq15", "phq9", "gad7"}
    # One event for the screening, one per questionnaire the questionnaires app assigned.
    events = list(AuditEvent.objects.order_by("sequence")[before:])
    assert [(e.action, e.object_type) for e in events].count(("create", "screening")) == 1
    assert [(e.action, e.object_type) for e in events].count(("create", "questionnaire")) == 3
    pending = screening.steps.get(instrument_code="tsk")
    assert pending.reason.get("nl") and pending.reason.get("en")


def test_pain_assigns_tsk_when_the_organization_has_its_licensed_texts_else_unavailable(
    world: World,
) -> None:
    import_tsk_texts(world)  # TSK texts imported; PCS texts not
    screening = assigned(world)
    response = send_intake(world, screening, complaints=["back_neck_pain", "fatigue"])
    assert response.status_code == 302
    screening.refresh_from_db()
    assert statuses(screening)["tsk"] == "assigned"
    assert statuses(screening)["pcs"] == "unavailable"
    pcs = screening.steps.get(instrument_code="pcs")
    assert "licen" in pcs.reason["en"] and "licentie" in pcs.reason["nl"]
    tsk = screening.steps.get(instrument_code="tsk")
    assert tsk.assignment is not None and tsk.assignment.instrument_code == "tsk"
    # The patient cannot assign questionnaires: the platform carries out the clinician's
    # battery, and the audit trail says so (no user, on whose behalf).
    event = AuditEvent.objects.get(
        object_type="questionnaire", object_ref=str(tsk.assignment.public_id)
    )
    assert event.user_ref == "" and "Treating Clinician" in event.on_behalf_of
    assert tsk.assignment.assigned_by == world.memberships["clinician_treating"]
    detail = world.client_for("clinician_treating").get(f"/screening/{screening.public_id}/")
    assert "gelicentieerde teksten" in detail.content.decode()  # Dutch by default


def test_without_licensed_texts_pain_questionnaires_are_unavailable(world: World) -> None:
    screening = assigned(world)
    send_intake(world, screening, complaints=["joint_muscle_pain"])
    assert statuses(screening)["tsk"] == "unavailable"
    assert statuses(screening)["pcs"] == "unavailable"


def test_without_pain_the_pain_questionnaires_are_skipped_with_a_reason(world: World) -> None:
    screening = assigned(world)
    send_intake(world, screening, complaints=["fatigue", "sleep_problems"])
    assert statuses(screening)["tsk"] == "skipped"
    assert statuses(screening)["pcs"] == "skipped"
    assert screening.steps.get(instrument_code="tsk").reason["nl"]
    assert not Assignment.objects.filter(instrument_code__in=["tsk", "pcs"]).exists()


@pytest.mark.parametrize(
    "role", ["clinician_other_team", "clinician_other_org", "patient_a", "team_lead"]
)
def test_only_a_treating_clinician_assigns_a_battery(world: World, role: str) -> None:
    assert assign(world, role=role).status_code == 404
    assert not Screening.objects.exists()


def test_an_unknown_battery_is_refused_and_nothing_is_created(world: World) -> None:
    response = assign(world, battery="not_a_battery")
    assert response.status_code == 400
    body = response.content.decode()
    assert 'id="err-battery"' in body
    assert said(
        body, "Choose one of the screening batteries.", "Kies een van de screeningsbatterijen."
    )
    assert not Screening.objects.exists()
    assert Assignment.objects.filter(patient=world.patient_a).count() == 2  # the world's own
    event = AuditEvent.objects.order_by("-sequence").first()
    assert event is not None and (event.object_type, event.outcome) == ("screening", "refused")


def test_another_patient_cannot_open_the_screening(world: World) -> None:
    screening = assigned(world)
    for path in ("", "intake/", "summary/"):
        url = f"/screening/{screening.public_id}/{path}"
        assert world.client_for("patient_b").get(url).status_code == 404
    assert (
        world.client_for("patient_a").get(f"/screening/{screening.public_id}/").status_code == 404
    )


# ------------------------------------------------------------------ intake


def test_an_unknown_complaint_is_refused_and_nothing_is_saved(world: World) -> None:
    screening = assigned(world)
    response = send_intake(world, screening, complaints=["back_neck_pain", "elbow_of_doom"])
    assert response.status_code == 400
    body = response.content.decode()
    assert 'id="err-complaints"' in body
    assert "Mijn rug doet pijn" in body  # what was typed is still in the form
    assert not ScreeningIntake.objects.exists()
    assert statuses(screening)["tsk"] == "pending"


def test_the_intake_is_saved_as_the_patient_goes_and_sent_in_only_when_complete(
    world: World,
) -> None:
    screening = assigned(world)
    client = world.client_for("patient_a")
    url = f"/screening/{screening.public_id}/intake/"
    partial = client.post(
        url, {"own_words": "Altijd moe", "complaints": ["fatigue"]}, HTTP_HX_REQUEST="true"
    )
    assert partial.status_code == 200
    intake = ScreeningIntake.objects.get(screening=screening)
    assert (intake.own_words, intake.complaints, intake.submitted_at) == (
        "Altijd moe",
        ["fatigue"],
        None,
    )
    refused = client.post(url, {"complaints": ["elbow"]}, HTTP_HX_REQUEST="true")
    assert said(
        refused.content.decode(), "Choose complaints from the list.", "Kies klachten uit de lijst."
    )
    intake.refresh_from_db()
    assert intake.complaints == ["fatigue"]  # the earlier autosave is kept
    incomplete = client.post(url, {"own_words": "Altijd moe", "action": "submit"})
    assert incomplete.status_code == 400
    body = incomplete.content.decode()
    assert 'id="err-wants_help_now"' in body and 'id="err-modality"' in body
    assert "Altijd moe" in body
    intake.refresh_from_db()
    assert intake.submitted_at is None and intake.complaints == ["fatigue"]
    assert statuses(screening)["tsk"] == "pending"


def test_the_patient_sees_the_intake_card_and_then_the_questionnaires(world: World) -> None:
    screening = assigned(world)
    home = world.client_for("patient_a").get("/portal/").content.decode()
    assert f"/screening/{screening.public_id}/intake/" in home
    send_intake(world, screening, complaints=["fatigue"])
    page = world.client_for("patient_a").get(f"/screening/{screening.public_id}/intake/")
    body = page.content.decode()
    step = screening.steps.get(instrument_code="phq9")
    assert step.assignment is not None
    assert f"/questionnaires/{step.assignment.public_id}/" in body
    other = world.client_for("patient_b").get("/portal/").content.decode()
    assert str(screening.public_id) not in other


def test_a_screening_completes_when_the_intake_and_every_questionnaire_are_done(
    world: World,
) -> None:
    screening = screened(world, phq9=[1] * 9)
    page = world.client_for("clinician_treating").get(f"/screening/{screening.public_id}/")
    assert page.status_code == 200
    # The status is derived from the questionnaires; the stored one catches up on save.
    record_scegs(world, screening)
    compute(world, screening)
    from maatwerk.web.screening.selectors import current_status

    assert current_status(screening) == "completed"
    home = world.client_for("patient_a").get("/portal/").content.decode()
    assert f"/screening/{screening.public_id}/summary/" in home


def test_the_screenings_list_and_detail_do_not_query_per_screening_or_step(
    world: World, django_assert_max_num_queries: object
) -> None:
    # Six screenings of five steps each: the list reads all steps, their assignments and
    # intakes in one go, and the detail reads each instrument once (28 and 38 queries
    # measured; most of them the session, the actor, the access check and the audit).
    for _ in range(6):
        assert assign(world, "gp_short").status_code == 302
    clinician = world.client_for("clinician_treating")
    with django_assert_max_num_queries(30):  # type: ignore[operator]
        page = clinician.get(f"/screening/patients/{world.patient_a.public_id}/")
    assert len(page.context["rows"]) == 6
    screening = Screening.objects.filter(patient=world.patient_a).first()
    assert screening is not None
    with django_assert_max_num_queries(40):  # type: ignore[operator]
        detail = clinician.get(f"/screening/{screening.public_id}/")
    assert len(detail.context["steps"]) == 5


# ------------------------------------------------------------------ SCEGS


def test_scegs_input_is_validated_against_the_knowledge_base(world: World) -> None:
    screening = assigned(world)
    response = record_scegs(
        world,
        screening,
        duration_weeks="zes",
        conditions=["chronic_fatigue", "dragon_pox"],
        **{"factor-acceptance": "maybe"},
    )
    assert response.status_code == 400
    body = response.content.decode()
    for field in ("duration_weeks", "conditions", "factor-acceptance"):
        assert f'id="err-{field}"' in body, field
    assert "Moe na elke inspanning." in body
    assert not ScegsAssessment.objects.exists()
    saved = record_scegs(world, screening)
    assert saved.status_code == 302
    assessment = ScegsAssessment.objects.get(screening=screening)
    assert assessment.duration_weeks == 30
    assert assessment.judged_factors == {"social_support": True, "avoidance": False}


def test_a_factor_measured_only_by_questionnaire_cannot_be_judged(world: World) -> None:
    screening = assigned(world)
    # negative_mood has only instrument thresholds (PHQ-9, GAD-7): no judgement radio.
    response = record_scegs(world, screening, **{"factor-negative_mood": "present"})
    assert response.status_code == 400
    assert not ScegsAssessment.objects.exists()


# ------------------------------------------------------------------ profile


def test_the_profile_is_computed_from_real_scored_questionnaires(world: World) -> None:
    # PHQ-9 answers 2,2,1,1,1,1,1,1,0 → total 10: exactly the threshold (>= 10, Kroenke
    # 2001), so negative mood is elevated, and with it the psychological risk profile.
    screening = screened(world, phq9=[2, 2, 1, 1, 1, 1, 1, 1, 0])
    phq9 = screening.steps.get(instrument_code="phq9").assignment
    assert ScaleResult.objects.get(assignment=phq9, scale_id="total").value == Decimal(10)
    record_scegs(world, screening)
    snapshot = compute(world, screening)
    assert snapshot.inputs["scegs"]["duration_weeks"] == 30
    mood = next(f for f in snapshot.profile["factors"] if f["factor_id"] == "negative_mood")
    assert mood["status"] == "elevated"
    assert snapshot.profile["risk_profile"]["flagged"] is True
    page = world.client_for("clinician_treating").get(f"/screening/{screening.public_id}/profile/")
    body = page.content.decode()
    assert said(body, "Negative mood", "Negatieve stemming")
    # The threshold in words, never an operator symbol.
    assert said(body, "10, at or above 10", "10, grens 10 of hoger")
    assert "&gt;=" not in body
    assert "Kroenke" in body  # the source of the threshold
    # Symptom focus rests on PHQ-15 >= 10, a threshold marked unverified in factors.json.
    symptom_focus = next(
        f for f in snapshot.profile["factors"] if f["factor_id"] == "symptom_focus"
    )
    assert symptom_focus["evidence"][0]["unverified"] is True
    assert 'class="badge badge-warn unverified"' in body
    # Computing again without new answers stores no new snapshot (history is kept).
    compute(world, screening)
    assert ScreeningProfileSnapshot.objects.filter(screening=screening).count() == 1
    record_scegs(world, screening, duration_weeks="40")
    compute(world, screening)
    assert ScreeningProfileSnapshot.objects.filter(screening=screening).count() == 2
    again = world.client_for("clinician_treating").get(f"/screening/{screening.public_id}/profile/")
    assert said(again.content.decode(), "Earlier computations", "Eerdere berekeningen")


def test_a_score_just_below_the_threshold_is_not_elevated(world: World) -> None:
    # PHQ-9 total 9 (and GAD-7 0): below >= 10, negative mood is not elevated.
    screening = screened(world, phq9=[1] * 9)
    record_scegs(world, screening)
    snapshot = compute(world, screening)
    mood = next(f for f in snapshot.profile["factors"] if f["factor_id"] == "negative_mood")
    assert mood["status"] == "not_elevated"


def _decide(world: World, screening: Screening, **data: str):  # type: ignore[no-untyped-def]
    return world.client_for("clinician_treating").post(
        f"/screening/{screening.public_id}/profile/decision/", data
    )


def test_overriding_the_advice_needs_a_reason_and_is_recorded(world: World) -> None:
    screening = screened(world, phq9=[2, 2, 2, 2, 1, 1, 1, 1, 0])
    record_scegs(world, screening)
    snapshot = compute(world, screening)
    advised = snapshot.advice["care_level"]
    other = "specialistische_ggz" if advised != "specialistische_ggz" else "huisarts"
    refused = _decide(
        world,
        screening,
        snapshot=str(snapshot.public_id),
        decision="override",
        care_level=other,
        reason="  ",
    )
    assert refused.status_code == 400
    assert 'id="err-reason"' in refused.content.decode()
    assert not CareLevelDecision.objects.exists()
    done = _decide(
        world,
        screening,
        snapshot=str(snapshot.public_id),
        decision="override",
        care_level=other,
        reason="Eerder vastgelopen in de basis-GGZ.",
    )
    assert done.status_code == 302
    decision = CareLevelDecision.objects.get()
    assert (decision.advised_level, decision.decided_level, decision.overridden) == (
        advised,
        other,
        True,
    )
    assert decision.decided_by == world.users["clinician_treating"]
    event = AuditEvent.objects.order_by("-sequence").first()
    assert event is not None and event.object_type == "care_level_decision"
    assert "overridden" in event.detail
    access = open_patient(
        actor=actor_for_user(world.users["clinician_treating"], access_point="test"),
        patient_id=str(world.patient_a.public_id),
        action="read",
    )
    context = referral_context_for(access, "nl")
    assert context is not None and context.care_level == other


def test_accepting_the_advice_and_a_stale_profile(world: World) -> None:
    # Without a safety signal: accepting the advice needs no reason.
    world.alert.status = "closed"
    world.alert.closed_at = timezone.now() - timedelta(days=365)
    world.alert.save()
    screening = screened(world, phq9=[0] * 9)
    record_scegs(world, screening)
    snapshot = compute(world, screening)
    stale = _decide(world, screening, snapshot="not-the-current-one", decision="accept")
    assert stale.status_code == 400
    assert not CareLevelDecision.objects.exists()
    accepted = _decide(world, screening, snapshot=str(snapshot.public_id), decision="accept")
    assert accepted.status_code == 302
    decision = CareLevelDecision.objects.get()
    assert decision.decided_level == snapshot.advice["care_level"]
    assert not decision.overridden and decision.reason == ""


def test_no_referral_context_without_a_profile(world: World) -> None:
    access = open_patient(
        actor=actor_for_user(world.users["clinician_treating"], access_point="test"),
        patient_id=str(world.patient_a.public_id),
        action="read",
    )
    assert referral_context_for(access, "nl") is None


def test_the_profile_pdf_holds_the_key_elements(world: World) -> None:
    screening = screened(world, phq9=[2, 2, 1, 1, 1, 1, 1, 1, 0])
    record_scegs(world, screening)
    snapshot = compute(world, screening)
    client: Client = world.client_for("clinician_treating")
    client.post("/i18n/setlang/", {"language": "en"})
    response = client.get(f"/screening/{screening.public_id}/profile.pdf")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    text = " ".join(page.extract_text() for page in PdfReader(io.BytesIO(response.content)).pages)
    text = " ".join(text.split())
    assert "Patient Alpha" in text
    assert "PHQ-9" in text
    assert "Negative mood" in text
    assert "10, at or above 10" in text  # the factor's evidence: score and threshold
    from maatwerk.core.knowledge.registry import bundled_knowledge

    level = bundled_knowledge().care_level(snapshot.advice["care_level"]).name.get("en")
    assert level and level in text
    assert "Psychological risk profile: yes" in text


def test_the_patient_summary_has_no_scores_or_jargon(world: World) -> None:
    screening = screened(world, phq9=[2, 2, 2, 2, 1, 1, 1, 1, 0])  # total 12
    waiting = world.client_for("patient_a").get(f"/screening/{screening.public_id}/summary/")
    assert waiting.status_code == 200
    record_scegs(world, screening)
    compute(world, screening)
    page = world.client_for("patient_a").get(f"/screening/{screening.public_id}/summary/")
    assert page.status_code == 200
    body = page.content.decode()
    main = body.split('<main id="main"', 1)[1].split("</main>", 1)[0]
    for jargon in ("PHQ", "GAD", "12", ">=", "SCEGS", "threshold", "drempel"):
        assert jargon not in main, jargon
    assert main.count("<p>") >= 2


def test_clinician_only_pages_are_closed_to_the_patient(world: World) -> None:
    screening = screened(world, phq9=[0] * 9)
    record_scegs(world, screening)
    compute(world, screening)
    client = world.client_for("patient_a")
    for path in ("", "scegs/", "profile/", "profile.pdf"):
        assert client.get(f"/screening/{screening.public_id}/{path}").status_code == 404, path
    assert client.post(f"/screening/{screening.public_id}/profile/compute/").status_code == 404


# ------------------------------------------------------------------ demo


def test_the_demo_has_completed_screenings_with_decisions() -> None:
    from maatwerk.web.demo.services import demo_load

    demo_load()
    completed = Screening.objects.filter(status=Screening.Status.COMPLETED)
    assert completed.count() >= 4
    for screening in completed:
        assert screening.intake.submitted_at is not None
        assert screening.assessment is not None
        assert screening.snapshots.exists()
        assert screening.decisions.exists()
    assert CareLevelDecision.objects.filter(overridden=True).exclude(reason="").exists()
    assert Screening.objects.filter(status=Screening.Status.OPEN).exists()


def test_with_a_safety_signal_accepting_the_advice_needs_a_reason(world: World) -> None:
    """The stepped-care advice does not weigh suicide risk: with an open signal (the
    world's PHQ-9 item 9 alert) the clinician explains any level of care they choose."""
    screening = screened(world, phq9=[0] * 9)
    record_scegs(world, screening)
    snapshot = compute(world, screening)
    page = world.client_for("clinician_treating").get(f"/screening/{screening.public_id}/profile/")
    assert "Er is risico" in page.content.decode()
    silent = _decide(world, screening, snapshot=str(snapshot.public_id), decision="accept")
    assert silent.status_code == 400
    assert "veiligheidssignaal" in silent.content.decode()
    assert not CareLevelDecision.objects.exists()
    explained = _decide(
        world,
        screening,
        snapshot=str(snapshot.public_id),
        decision="accept",
        reason="Risico besproken; veiligheidsplan gemaakt, wekelijks contact.",
    )
    assert explained.status_code == 302
    assert CareLevelDecision.objects.get().reason.startswith("Risico besproken")


# ------------------------------------------------------------------ earlier treatment

# NHG-Standaard SOLK (Olde Hartman et al., 2013), severity table as summarised in the
# Zorgstandaard SOLK (2018): severe SOLK has a severe limitation in functioning, lasts
# more than 3 months and was treated before; at a first presentation care starts in
# primary care (Hoedeman et al., 2014, stepwise approach), so it is at most moderate. The
# case is the core's worked case c (tests/core/screening/test_stepped_care_worked_cases.py):
# on full sick leave for over a year, pain in muscles and joints, fatigue, palpitations
# and dizziness (4 clusters) for 60 weeks, PHQ-9 8, judged deconditioned.
SEVERE_CASE_SCEGS = {
    "duration_weeks": "60",
    "functional_limitation": "severe",
    "factor-deconditioning": "present",
}


def severe_case(world: World, earlier_treatment: str) -> ScreeningProfileSnapshot:
    screening = screened(
        world,
        phq9=[1] * 8 + [0],
        complaints=["joint_muscle_pain", "fatigue", "palpitations", "dizziness"],
    )
    response = world.client_for("clinician_treating").post(
        f"/screening/{screening.public_id}/scegs/",
        {**SEVERE_CASE_SCEGS, "earlier_treatment": earlier_treatment},
    )
    assert response.status_code == 302, response.content[:800]
    return compute(world, screening)


def severity_reason(snapshot: ScreeningProfileSnapshot, rule_id: str) -> dict[str, str]:
    reason = next(r for r in snapshot.advice["severity_reasons"] if r["rule_id"] == rule_id)
    return dict(reason["text"])


def test_scegs_asks_whether_the_complaints_were_treated_before(world: World) -> None:
    screening = assigned(world)
    page = world.client_for("clinician_treating").get(f"/screening/{screening.public_id}/scegs/")
    body = page.content.decode()
    assert said(body, "Were these complaints treated before?", "Zijn deze klachten al eerder")
    for value in ("", "none", "primary_care", "mental_health_care"):
        assert f'name="earlier_treatment" value="{value}"' in body, value
    # Nothing recorded yet: "not asked yet" is the chosen answer.
    assert 'name="earlier_treatment" value="" checked' in body


def test_a_severe_case_treated_before_is_severe_and_multidisciplinary(world: World) -> None:
    snapshot = severe_case(world, "mental_health_care")
    assert ScegsAssessment.objects.get().earlier_treatment == "mental_health_care"
    assert snapshot.inputs["scegs"]["earlier_treatment"] == "mental_health_care"
    assert snapshot.advice["severity"] == "severe"
    assert snapshot.advice["care_level"] == "multidisciplinary_rehabilitation"
    assert "earlier_treatment" not in snapshot.advice["missing"]
    reason = severity_reason(snapshot, "severity.earlier_treatment")
    assert reason["nl"].endswith("Eerder behandeld in de GGZ: voldoet.")
    page = world.client_for("clinician_treating").get(
        f"/screening/{snapshot.screening.public_id}/profile/"
    )
    body = page.content.decode()
    assert said(
        body, "Treated before in mental health care: met.", "Eerder behandeld in de GGZ: voldoet."
    )
    assert not said(
        body,
        "whether the complaints were treated before",
        "of de klachten al eerder behandeld zijn",
    )


def test_the_same_case_at_a_first_presentation_is_moderate(world: World) -> None:
    snapshot = severe_case(world, "none")
    assert snapshot.advice["severity"] == "moderate"
    assert snapshot.advice["care_level"] == "poh_ggz"
    reason = severity_reason(snapshot, "severity.earlier_treatment")
    assert "eerste keer in de huisartsenpraktijk" in reason["nl"]
    page = world.client_for("clinician_treating").get(
        f"/screening/{snapshot.screening.public_id}/profile/"
    )
    assert said(
        page.content.decode(),
        "first time in general practice with these complaints",
        "eerste keer in de huisartsenpraktijk met deze klachten",
    )


def test_the_same_case_not_asked_stays_severe_with_a_note_to_ask(world: World) -> None:
    snapshot = severe_case(world, "")
    assert ScegsAssessment.objects.get().earlier_treatment == ""
    assert snapshot.inputs["scegs"]["earlier_treatment"] is None
    assert snapshot.advice["severity"] == "severe"
    assert snapshot.advice["missing"] == ["earlier_treatment"]
    page = world.client_for("clinician_treating").get(
        f"/screening/{snapshot.screening.public_id}/profile/"
    )
    assert said(
        page.content.decode(),
        "whether the complaints were treated before",
        "of de klachten al eerder behandeld zijn",
    )


def test_an_unknown_earlier_treatment_is_refused_and_audited(world: World) -> None:
    screening = assigned(world)
    events_before = AuditEvent.objects.count()
    response = record_scegs(world, screening, earlier_treatment="elsewhere")
    assert response.status_code == 400
    body = response.content.decode()
    assert 'id="err-earlier_treatment"' in body
    assert said(
        body,
        "Choose one of the answers: not treated before",
        "Kies een van de antwoorden: niet eerder behandeld",
    )
    # What was typed is kept on the page; nothing is saved.
    assert "Moe na elke inspanning." in body
    assert not ScegsAssessment.objects.exists()
    # The POST wrote exactly one audit event: the refusal.
    assert AuditEvent.objects.count() == events_before + 1
    event = AuditEvent.objects.latest("pk")
    assert event.outcome == "refused"
    assert event.action == "create"  # the first exploration of this screening
    assert event.object_type == "screening_assessment"
    assert event.detail == "refused: earlier_treatment"  # the field, never what was typed

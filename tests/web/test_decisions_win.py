"""Issue 12 item 3: when the clinician overrules the advised level of care (with a
reason), every output says what was DECIDED — the patient's summary ("Ons advies: …"),
the plan and "My plan", the plan's PDF and FHIR, the referral letter — and only the
clinician also reads what was advised and why it was overruled."""

from __future__ import annotations

import ast
import io
import json
from datetime import timedelta
from pathlib import Path

import pytest
from django.utils import timezone
from pypdf import PdfReader

from maatwerk.core.screening.content import bundled_screening_content
from maatwerk.web.common.actor import actor_for_user
from maatwerk.web.knowledge.selectors import knowledge_for
from maatwerk.web.patients.models import Patient
from maatwerk.web.patients.opening import Audience, open_patient
from maatwerk.web.providers.models import Referral
from maatwerk.web.providers.selectors import latest_referral_sent_for
from tests.web.test_planning import GOALS, MOOD_PHQ9
from tests.web.test_referrals import world_provider
from tests.web.test_screening import compute, record_scegs, screened
from tests.web.world import World

pytestmark = pytest.mark.django_db

REASON = "Wil eerst hulp in de eigen huisartsenpraktijk."


def _pdf_text(pdf: bytes) -> str:
    return " ".join(
        " ".join(page.extract_text().split()) for page in PdfReader(io.BytesIO(pdf)).pages
    )


def _patient_text(level: str) -> tuple[str, str]:
    text = next(
        t.patient_text
        for t in bundled_screening_content().rules.care_level_texts
        if t.care_level == level
    )
    return text.get("nl") or "", text.get("en") or ""


def test_an_overruled_advice_is_nowhere_said_to_be_the_plan(world: World) -> None:
    screening = screened(world, phq9=MOOD_PHQ9)
    record_scegs(world, screening)
    snapshot = compute(world, screening)
    advised = snapshot.advice["care_level"]
    decided = "poh_ggz" if advised != "poh_ggz" else "basis_ggz"
    clinician = world.client_for("clinician_treating")
    assert (
        clinician.post(
            f"/screening/{screening.public_id}/profile/decision/",
            {
                "snapshot": str(snapshot.public_id),
                "decision": "override",
                "care_level": decided,
                "reason": REASON,
            },
        ).status_code
        == 302
    )
    knowledge = knowledge_for(world.org_a.pk)
    decided_names = {knowledge.care_level(decided).name.get(lang) or "" for lang in ("nl", "en")}
    advised_names = {knowledge.care_level(advised).name.get(lang) or "" for lang in ("nl", "en")}

    # The patient's summary: "our advice" is the decision, never the overruled advice.
    patient = world.client_for("patient_a")
    summary = patient.get(f"/screening/{screening.public_id}/summary/").content.decode()
    assert any(text in summary for text in _patient_text(decided))
    assert not any(text in summary for text in _patient_text(advised))
    assert REASON not in summary

    # The plan is made at the decided level; the clinician also sees the advice and why.
    assert (
        clinician.post(
            f"/plan/patients/{world.patient_a.public_id}/prepare/", {"modality": "online"}
        ).status_code
        == 302
    )
    base = f"/plan/patients/{world.patient_a.public_id}/"
    page = clinician.get(base).content.decode()
    assert any(name in page for name in decided_names)
    assert REASON in page and any(name in page for name in advised_names)
    pdf = _pdf_text(clinician.get(base + "plan.pdf").content)
    assert any(name in pdf for name in decided_names) and REASON in pdf
    bundle = json.loads(clinician.get(base + "careplan.json").content)
    care_plan = next(
        e["resource"] for e in bundle["entry"] if e["resource"]["resourceType"] == "CarePlan"
    )
    assert decided in json.dumps(care_plan) and advised not in json.dumps(care_plan)

    # "My plan": the decided level, without the team's reasoning.
    assert clinician.post(base + "goals/", GOALS).status_code == 302
    assert clinician.post(base + "activate/", {}).status_code == 302
    mine = patient.get(base + "mine/").content.decode()
    assert any(name in mine for name in decided_names)
    assert REASON not in mine and not any(name in mine for name in advised_names)

    # The referral letter: for the decided level, with the advice and the reason after it
    # for the receiving clinician, never "advised level of care: <the overruled one>".
    provider = world_provider(world)
    assert (
        clinician.post(
            f"/providers/patients/{world.patient_a.public_id}/referrals/new/",
            {"provider": str(provider.public_id), "care_level": decided, "question": "Graag."},
        ).status_code
        == 302
    )
    referral = Referral.objects.get()
    assert referral.care_level == decided
    letter = _pdf_text(
        clinician.get(f"/providers/referrals/{referral.public_id}/letter.pdf").content
    )
    assert any(name in letter for name in decided_names)
    assert "Besloten zorgniveau" in letter or "Decided care level" in letter
    assert "Geadviseerd zorgniveau" not in letter and "Advised care level" not in letter
    assert REASON in letter


def _overruled(world: World) -> tuple[str, str]:
    """A screening whose advised level the clinician overruled; (advised, decided)."""
    screening = screened(world, phq9=MOOD_PHQ9)
    record_scegs(world, screening)
    snapshot = compute(world, screening)
    advised = snapshot.advice["care_level"]
    decided = "poh_ggz" if advised != "poh_ggz" else "basis_ggz"
    response = world.client_for("clinician_treating").post(
        f"/screening/{screening.public_id}/profile/decision/",
        {
            "snapshot": str(snapshot.public_id),
            "decision": "override",
            "care_level": decided,
            "reason": REASON,
        },
    )
    assert response.status_code == 302
    return advised, decided


def test_the_referral_pages_call_an_overruling_the_choice_never_the_advice(
    world: World,
) -> None:
    advised, decided = _overruled(world)
    knowledge = knowledge_for(world.org_a.pk)
    clinician = world.client_for("clinician_treating")
    url = f"/providers/patients/{world.patient_a.public_id}/referrals/new/"
    for page in (
        clinician.get(url),
        clinician.get(url, {"provider": str(world_provider(world).public_id)}),
    ):
        text = page.content.decode()
        decided_name = knowledge.care_level(decided).name.get("nl") or ""
        advised_name = knowledge.care_level(advised).name.get("nl") or ""
        assert page.context["level"].chosen
        assert f"{decided_name}</strong> (geadviseerd was: {advised_name})" in text or (
            f"{decided_name} (geadviseerd was: {advised_name})" in text
        )
        assert "Aanbevolen zorgniveau" not in text and "Recommended care level" not in text


def test_a_level_decided_after_the_plan_is_shown_with_the_plan(world: World) -> None:
    """The walk of the demo: a plan made at the advised level, then the GP decides
    another level and refers. The plan pages must not go on saying the old level as if
    nothing was decided: they show the decided level and the referral next to it."""
    screening = screened(world, phq9=MOOD_PHQ9)
    record_scegs(world, screening)
    snapshot = compute(world, screening)
    advised = snapshot.advice["care_level"]
    decided = "poh_ggz" if advised != "poh_ggz" else "basis_ggz"
    clinician = world.client_for("clinician_treating")
    base = f"/plan/patients/{world.patient_a.public_id}/"
    assert clinician.post(base + "prepare/", {"modality": "online"}).status_code == 302
    assert clinician.post(base + "goals/", GOALS).status_code == 302
    assert clinician.post(base + "activate/", {}).status_code == 302
    patient = world.client_for("patient_a")
    assert clinician.get(base).context["decided_since"] is None
    assert patient.get(base + "mine/").context["decided_since"] is None

    assert (
        clinician.post(
            f"/screening/{screening.public_id}/profile/decision/",
            {
                "snapshot": str(snapshot.public_id),
                "decision": "override",
                "care_level": decided,
                "reason": REASON,
            },
        ).status_code
        == 302
    )
    referral = Referral.objects.create(
        patient=world.patient_a,
        provider=world_provider(world),
        provider_snapshot={"name": "World Provider"},
        care_level=decided,
        question="Graag behandeling.",
        created_by=world.users["clinician_treating"],
        consent_given=True,
        consent_method="verbal_in_consult",
        status=Referral.Status.SENT,
        sent_at=timezone.now(),
    )
    knowledge = knowledge_for(world.org_a.pk)
    decided_nl = knowledge.care_level(decided).name.get("nl") or ""
    plan_page = clinician.get(base)
    shown = plan_page.context["decided_since"]
    assert shown is not None and shown["referred_at"] == referral.sent_at
    text = plan_page.content.decode()
    assert f"Besloten zorgniveau: {decided_nl}" in text
    assert "Verwezen op" in text and "World Provider" in text
    mine = patient.get(base + "mine/").content.decode()
    assert decided_nl in mine and "World Provider" in mine
    assert REASON not in mine

    # A plan revised after the decision is at the level the clinician then chose.
    referral.delete()
    assert clinician.post(base + "revise/", {"revision_reason": "Nieuw niveau."}).status_code == 302
    assert clinician.get(base).context["decided_since"] is None


def test_referrals_are_read_only_through_the_providers_selectors() -> None:
    """The one web path: a page that shows a patient's referral reads it with a
    selector of ``maatwerk.web.providers.selectors`` that takes the access its view
    opened, never with ``Referral.objects`` and a raw patient id (the demo seeds them)."""
    package = Path(__file__).resolve().parents[2] / "src" / "maatwerk" / "web"
    querying = sorted(
        path.relative_to(package).as_posix()
        for path in package.rglob("*.py")
        if "migrations" not in path.parts
        and path.parts[len(package.parts)] not in ("providers", "demo")
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8")))
        if isinstance(node, ast.Attribute)
        and node.attr == "objects"
        and isinstance(node.value, ast.Name)
        and node.value.id == "Referral"
    )
    assert querying == []


def test_the_decided_levels_referral_is_the_opened_patients_newest_sent_one(
    world: World,
) -> None:
    provider = world_provider(world)
    since = timezone.now() - timedelta(days=1)

    def referral(
        patient: Patient, *, level: str = "basis_ggz", status: str = "sent", days: int = 0
    ) -> Referral:
        return Referral.objects.create(
            patient=patient,
            provider=provider,
            provider_snapshot={"name": "World Provider"},
            care_level=level,
            question="Graag behandeling.",
            created_by=world.users["clinician_treating"],
            consent_given=True,
            consent_method="verbal_in_consult",
            status=status,
            sent_at=None if status == Referral.Status.DRAFT else since + timedelta(hours=days),
        )

    wanted = referral(world.patient_a, days=2)
    referral(world.patient_a, days=-2)  # sent before the decision
    referral(world.patient_a, level="poh_ggz", days=3)  # another level
    referral(world.patient_a, status=Referral.Status.DRAFT)  # never sent
    referral(world.patient_b, days=4)  # another patient
    clinician = actor_for_user(world.users["clinician_treating"], access_point="test")
    access = open_patient(
        actor=clinician,
        patient_id=str(world.patient_a.public_id),
        action="read",
        audience=Audience.CARE_TEAM,
    )
    assert latest_referral_sent_for(access, "basis_ggz", since) == wanted
    assert latest_referral_sent_for(access, "specialistische_ggz", since) is None

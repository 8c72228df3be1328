"""Referrals: from the patient's search to a draft, consent, sending (frozen letter),
the letter PDF and the FHIR ServiceRequest; refusals for everyone outside the care team."""

from __future__ import annotations

import io
import json
from datetime import UTC

import pytest
from pypdf import PdfReader

from maatwerk.core.fhir.validation import validate_resource
from maatwerk.web.accounts.models import User
from maatwerk.web.audit.models import AuditEvent
from maatwerk.web.common.actor import actor_for_user
from maatwerk.web.patients.opening import open_patient
from maatwerk.web.providers import forms, services
from maatwerk.web.providers.models import PostcodeArea, Provider, Referral
from tests.web.world import World, make_membership, make_user


@pytest.fixture
def provider(world: World) -> Provider:
    for role in ("clinician_treating", "clinician_other_team", "clinician_other_org"):
        world.users[role].language = "en"
        world.users[role].save(update_fields=["language"])
    PostcodeArea.objects.create(
        organization=world.org_a, pc4="3511", place="Utrecht", latitude=52.0907, longitude=5.1214
    )
    return Provider.objects.create(
        organization=world.org_a,
        key="agb:94000001",
        name="Drs. Eva Domstad",
        practice="Psychologenpraktijk Dom",
        street="Domplein 1",
        postcode="3511 AB",
        place="Utrecht",
        disciplines=["gz_psycholoog"],
        expertise=["act", "cognitive_restructuring"],
        modalities=["face_to_face"],
        languages=["nl", "en"],
        waiting_weeks=4,
        agb_code="94000001",
    )


def _new_url(world: World) -> str:
    return f"/providers/patients/{world.patient_a.public_id}/referrals/new/"


def _create(world: World, provider: Provider) -> Referral:
    response = world.client_for("clinician_treating").post(
        _new_url(world),
        {
            "provider": str(provider.public_id),
            "care_level": "basis_ggz",
            "question": "Graag behandeling van catastroferen bij chronische pijn.",
        },
    )
    assert response.status_code == 302, response.content[:300]
    return Referral.objects.get()


def test_referral_search_from_the_patient_without_a_screening(
    world: World, provider: Provider
) -> None:
    client = world.client_for("clinician_treating")
    response = client.get(_new_url(world), {"postcode": "3511 AB"})
    assert response.status_code == 200
    body = response.content.decode()
    assert "This patient has no screening yet. Choose the care level yourself." in body
    assert [r.provider.name for r in response.context["results"]] == ["Drs. Eva Domstad"]
    assert f"?provider={provider.public_id}" in body
    event = AuditEvent.objects.order_by("-sequence").first()
    assert event is not None
    assert (event.action, event.object_type, event.patient_ref) == (
        "read",
        "referral",
        str(world.patient_a.public_id),
    )


def test_draft_then_consent_then_send(world: World, provider: Provider) -> None:
    client = world.client_for("clinician_treating")
    form = client.get(_new_url(world), {"provider": str(provider.public_id)})
    assert form.status_code == 200
    referral = _create(world, provider)
    assert referral.status == Referral.Status.DRAFT
    assert referral.provider_snapshot["name"] == "Drs. Eva Domstad"

    send_url = f"/providers/referrals/{referral.public_id}/send/"
    refused = client.post(send_url)
    assert refused.status_code == 400
    assert "The patient&#x27;s consent is not recorded" in refused.content.decode()
    referral.refresh_from_db()
    assert (referral.status, referral.sent_at, referral.letter_pdf) == ("draft", None, None)

    no_method = client.post(f"/providers/referrals/{referral.public_id}/consent/", {})
    assert no_method.status_code == 400
    assert "Choose how the patient gave their consent." in no_method.content.decode()
    consent = client.post(
        f"/providers/referrals/{referral.public_id}/consent/",
        {"consent_method": "verbal_in_consult"},
    )
    assert consent.status_code == 302
    assert client.post(send_url, signed(world)).status_code == 302
    referral.refresh_from_db()
    assert referral.status == Referral.Status.SENT
    assert referral.sent_by == world.users["clinician_treating"]
    assert referral.signed_by == world_gp(world)
    assert referral.consent_recorded_by == world.users["clinician_treating"]
    assert referral.letter_pdf

    again = client.post(send_url, signed(world))
    assert again.status_code == 400
    assert "already sent or cancelled" in again.content.decode()


def test_a_sent_referral_without_consent_is_impossible_in_the_database(
    world: World, provider: Provider
) -> None:
    from django.db import IntegrityError, transaction

    referral = _create(world, provider)
    with pytest.raises(IntegrityError), transaction.atomic():
        Referral.objects.filter(pk=referral.pk).update(status="sent")


def _letter_text(pdf: bytes) -> str:
    return " ".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages)


def test_letter_pdf_holds_the_key_elements_and_is_frozen_when_sent(
    world: World, provider: Provider
) -> None:
    clinician = world.users["clinician_treating"]
    actor = actor_for_user(clinician, access_point="test")
    access = open_patient(actor=actor, patient_id=str(world.patient_a.public_id), action="create")
    summary = ["Catastrophizing elevated (PCS 34 >= 30).", "Prefers face to face."]
    form = forms.ReferralCreateForm(
        {
            "provider": str(provider.public_id),
            "care_level": "basis_ggz",
            "question": "Please treat catastrophizing in chronic pain.",
        },
        organization_id=world.org_a.pk,
    )
    referral = services.referral_create(actor=actor, access=access, form=form, language="en")
    # The screening's summary, as a screening would have given it (made directly here).
    Referral.objects.filter(pk=referral.pk).update(summary_lines=summary)
    client = world.client_for("clinician_treating")
    draft = client.get(f"/providers/referrals/{referral.public_id}/letter.pdf")
    assert draft.status_code == 200 and draft["Content-Type"] == "application/pdf"
    text = _letter_text(draft.content)
    assert "DRAFT" in text
    client.post(f"/providers/referrals/{referral.public_id}/consent/", {"consent_method": "portal"})
    client.post(f"/providers/referrals/{referral.public_id}/send/", signed(world))
    sent = client.get(f"/providers/referrals/{referral.public_id}/letter.pdf")
    text = " ".join(_letter_text(sent.content).split())
    for expected in (
        "Referring GP Huisarts Gerrit",  # the GP who signed: the referrer
        "Sent by Treating Clinician",  # the POH-GGZ who prepared and sent it
        "Kind regards, Huisarts Gerrit",
        "Sent on behalf of the referring GP by Treating Clinician",
        "Organization A",
        "Patient Alpha",
        "1980",  # year of birth
        "Drs. Eva Domstad",
        "Psychologenpraktijk Dom",
        "AGB 94000001",
        "Basic mental health care (GB-GGZ)",  # the care level's English name
        "Please treat catastrophizing in chronic pain.",
        "Catastrophizing elevated (PCS 34 >= 30).",
        "Prefers face to face.",
        "The patient consented to this referral on",
        "in the patient portal",
    ):
        assert expected in text, expected
    assert "DRAFT" not in text

    provider.name = "Renamed later"
    provider.save()
    later = client.get(f"/providers/referrals/{referral.public_id}/letter.pdf")
    assert later.content == sent.content  # the letter as sent, not re-rendered


def test_service_request_validates_and_follows_the_status(world: World, provider: Provider) -> None:
    referral = _create(world, provider)
    client = world.client_for("clinician_treating")
    url = f"/providers/referrals/{referral.public_id}/service-request.json"
    draft = client.get(url)
    assert draft.status_code == 200
    assert draft["Content-Type"] == "application/fhir+json"
    resource = json.loads(draft.content)
    validate_resource(resource, "ServiceRequest")
    assert resource["status"] == "draft"
    assert resource["subject"]["identifier"]["value"] == str(world.patient_a.public_id)
    assert "Patient Alpha" not in draft.content.decode()  # an id, never a name
    client.post(
        f"/providers/referrals/{referral.public_id}/consent/",
        {"consent_method": "verbal_in_consult"},
    )
    client.post(f"/providers/referrals/{referral.public_id}/send/", signed(world))
    sent = json.loads(client.get(url).content)
    validate_resource(sent, "ServiceRequest")
    assert sent["status"] == "active"
    assert sent["intent"] == "order"
    assert sent["performer"][0]["display"] == "Drs. Eva Domstad, Psychologenpraktijk Dom"
    assert sent["note"][-1]["text"].startswith("The patient consented to this referral on")


def test_cancel(world: World, provider: Provider) -> None:
    referral = _create(world, provider)
    client = world.client_for("clinician_treating")
    assert client.post(f"/providers/referrals/{referral.public_id}/cancel/").status_code == 302
    referral.refresh_from_db()
    assert referral.status == "cancelled"


def test_missing_question_and_care_level_are_explained(world: World, provider: Provider) -> None:
    response = world.client_for("clinician_treating").post(
        _new_url(world), {"provider": str(provider.public_id), "care_level": "", "question": " "}
    )
    assert response.status_code == 400
    body = response.content.decode()
    assert "Choose the care level this referral is for." in body
    assert "Write the reason for the referral and your question." in body
    assert 'aria-describedby="question-msg"' in body
    assert not Referral.objects.exists()


@pytest.mark.parametrize("role", ["clinician_other_team", "clinician_other_org", "patient_a"])
def test_only_the_treating_clinician_refers(world: World, provider: Provider, role: str) -> None:
    referral = _create(world, provider)
    client = world.client_for(role)
    assert client.get(_new_url(world)).status_code == 404
    assert (
        client.post(
            _new_url(world),
            {"provider": str(provider.public_id), "care_level": "basis_ggz", "question": "x"},
        ).status_code
        == 404
    )
    for suffix in ("", "letter.pdf", "service-request.json"):
        assert client.get(f"/providers/referrals/{referral.public_id}/{suffix}").status_code == 404
    assert client.post(f"/providers/referrals/{referral.public_id}/send/").status_code == 404
    assert Referral.objects.count() == 1


def test_a_provider_of_another_organization_cannot_be_chosen(
    world: World, provider: Provider
) -> None:
    elsewhere = Provider.objects.create(
        organization=world.org_b,
        key="name:x|3511AB",
        name="Elsewhere",
        postcode="3511 AB",
        disciplines=["huisarts"],
    )
    client = world.client_for("clinician_treating")
    assert client.get(_new_url(world), {"provider": str(elsewhere.public_id)}).status_code == 404
    response = client.post(
        _new_url(world),
        {"provider": str(elsewhere.public_id), "care_level": "huisarts", "question": "x"},
    )
    assert response.status_code == 404
    assert not Referral.objects.exists()


# ------------------------------------------------------------------ for the shared tests


def world_provider(world: World) -> Provider:
    """A provider in organization A's directory (made once per world)."""
    found = Provider.objects.filter(organization=world.org_a, key="agb:94999999").first()
    if found is not None:
        return found
    return Provider.objects.create(
        organization=world.org_a,
        key="agb:94999999",
        name="World Provider",
        postcode="3511 AB",
        disciplines=["gz_psycholoog"],
        agb_code="94999999",
    )


def world_gp(world: World) -> User:
    """The GP of patient A's practice (organization A, the treating team): the one who
    signs referrals that the POH-GGZ prepares (made once per world)."""
    found = User.objects.filter(email="gp@a.example").first()
    if found is not None:
        return found
    gp = make_user("gp@a.example", "Huisarts Gerrit")
    make_membership(gp, world.org_a, "clinician", world.team_treating, "huisarts")
    return gp


def signed(world: World) -> dict[str, str]:
    """The send form, signed by patient A's GP."""
    return {"signer": str(world_gp(world).public_id)}


def world_referral(world: World, *, consented: bool = False) -> Referral:
    """A draft referral of patient A by the treating clinician (made directly, so that
    making it writes no audit event)."""
    found = Referral.objects.filter(patient=world.patient_a, consent_given=consented).first()
    if found is not None:
        return found
    from django.utils import timezone

    clinician = world.users["clinician_treating"]
    return Referral.objects.create(
        patient=world.patient_a,
        provider=world_provider(world),
        provider_snapshot={"name": "World Provider", "agb_code": "94999999"},
        care_level="basis_ggz",
        question="Graag behandeling.",
        created_by=clinician,
        consent_given=consented,
        consent_method="verbal_in_consult" if consented else "",
        consent_recorded_by=clinician if consented else None,
        consent_recorded_at=timezone.now() if consented else None,
    )


def test_with_a_screening_the_care_level_and_summary_come_from_it(
    world: World, provider: Provider
) -> None:
    from tests.web.test_screening import world_screening

    world_screening(world)  # assigned, SCEGS recorded, profile computed
    access = open_patient(
        actor=actor_for_user(world.users["clinician_treating"], access_point="test"),
        patient_id=str(world.patient_a.public_id),
        action="read",
    )
    from maatwerk.web.providers.selectors import referral_context

    context = referral_context(access, "en")
    assert context is not None  # the screening app provides it for a computed profile
    client = world.client_for("clinician_treating")
    search = client.get(_new_url(world))
    assert search.context["screening"] == context
    assert search.context["criteria"].care_level == (context.care_level or "")
    form = client.get(_new_url(world), {"provider": str(provider.public_id)})
    assert form.context["fields"]["care_level"] == (context.care_level or "")
    response = client.post(
        _new_url(world),
        {"provider": str(provider.public_id), "care_level": "huisarts", "question": "Vraag."},
    )
    assert response.status_code == 302
    referral = Referral.objects.get()
    # The letter states the findings, not the rules' explanations, sources, versions or
    # verification marks that the clinician reads with the screening.
    assert referral.summary_lines == list(context.letter_lines)
    assert "Psychological risk profile: no" in referral.summary_lines
    letter = " ".join(referral.summary_lines)
    for internal in ("(unverified)", "Rules version", "  - "):
        assert internal not in letter, internal
    assert context.summary_lines[-1].startswith("Rules version")  # kept for the clinician
    assert referral.care_level == "huisarts"  # the clinician's choice is what counts


def test_a_referral_is_signed_by_a_gp_never_by_the_poh_ggz(
    world: World, provider: Provider
) -> None:
    """Issue 12: in Dutch primary care the GP refers. The POH-GGZ prepares the referral
    with the patient; sending it needs the signature of a GP of the practice. Choosing
    nobody, or a colleague who may not refer (the POH-GGZ, a psychologist), is refused
    and nothing is sent."""
    gp = world_gp(world)
    referral = _create(world, provider)
    client = world.client_for("clinician_treating")
    client.post(f"/providers/referrals/{referral.public_id}/consent/", {"consent_method": "portal"})
    send_url = f"/providers/referrals/{referral.public_id}/send/"
    detail = client.get(f"/providers/referrals/{referral.public_id}/").content.decode()
    assert str(gp.public_id) in detail  # the GP is offered as signer
    for not_a_referrer in ("clinician_treating", "clinician_other_team"):  # POH, psychologist
        refused = client.post(send_url, {"signer": str(world.users[not_a_referrer].public_id)})
        assert refused.status_code == 400
        assert 'id="signer-msg"' in refused.content.decode()
    assert client.post(send_url, {}).status_code == 400
    referral.refresh_from_db()
    assert (referral.status, referral.signed_by, referral.letter_pdf) == ("draft", None, None)
    assert client.post(send_url, signed(world)).status_code == 302
    referral.refresh_from_db()
    assert referral.signed_by == world_gp(world)
    text = " ".join(_letter_text(bytes(referral.letter_pdf)).split())
    assert "Huisarts Gerrit" in text


def test_the_referral_pages_read_a_bounded_number_of_queries(
    world: World, provider: Provider, django_assert_max_num_queries: object
) -> None:
    """The patient's referral search and a referral's page read the opener, the
    screening, the directory and the gazetteer once each, whatever the directory's size.
    Measured: 31 and 29 statements, most of them the session, the actor and the one audit
    event (before the one web path 29 and 28: the audited call's savepoint is the
    difference)."""
    for number in range(20):
        Provider.objects.create(
            organization=world.org_a,
            key=f"name:extra {number}|3511AB",
            name=f"Extra {number}",
            postcode="3511 AB",
            disciplines=["gz_psycholoog"],
        )
    referral = _create(world, provider)
    client = world.client_for("clinician_treating")
    with django_assert_max_num_queries(31):  # type: ignore[operator]
        search = client.get(_new_url(world), {"postcode": "3511 AB"})
    assert search.status_code == 200 and len(search.context["results"]) == 21
    with django_assert_max_num_queries(29):  # type: ignore[operator]
        assert client.get(f"/providers/referrals/{referral.public_id}/").status_code == 200


def test_the_letter_names_who_sent_it_and_the_gp_who_refers(
    world: World, provider: Provider
) -> None:
    """A referral prepared by one colleague and sent by another, signed by the GP: the
    letter names the GP as the referrer, the one who sent it and the one who prepared it."""
    gp = world_gp(world)
    colleague = make_user("poh2@a.example", "Poh Petra")
    make_membership(colleague, world.org_a, "clinician", world.team_treating, "poh_ggz")
    referral = _create(world, provider)
    Referral.objects.filter(pk=referral.pk).update(created_by=colleague)
    client = world.client_for("clinician_treating")
    client.post(f"/providers/referrals/{referral.public_id}/consent/", {"consent_method": "portal"})
    assert (
        client.post(f"/providers/referrals/{referral.public_id}/send/", signed(world)).status_code
        == 302
    )
    referral.refresh_from_db()
    assert (referral.sent_by, referral.signed_by) == (world.users["clinician_treating"], gp)
    text = " ".join(_letter_text(bytes(referral.letter_pdf)).split())
    assert "Referring GP Huisarts Gerrit" in text
    assert "Sent by Treating Clinician" in text
    assert "Prepared by Poh Petra" in text


def test_the_letter_gives_the_rom_course_with_its_reliable_change(
    world: World, provider: Provider
) -> None:
    """Two GAD-7 measurements (21, then 7): the letter gives the first and the latest
    score with their dates and the verdict the results page computes (a reliable
    improvement: Löwe 2008's SD and alpha give a threshold of 3.2 points)."""
    from datetime import datetime

    from maatwerk.web.questionnaires.models import Assignment, ScaleResult

    for day, value in ((3, 21), (24, 7)):
        when = datetime(2026, 3, day, 10, tzinfo=UTC)
        assignment = Assignment.objects.create(
            patient=world.patient_a,
            instrument_code="gad7",
            instrument_version="1.0",
            assigned_by=world.memberships["clinician_treating"],
            assigned_at=when,
            status=Assignment.Status.COMPLETED,
            completed_at=when,
        )
        ScaleResult.objects.create(assignment=assignment, scale_id="total", value=value)
    referral = _create(world, provider)
    Referral.objects.filter(pk=referral.pk).update(language="en")
    draft = world.client_for("clinician_treating").get(
        f"/providers/referrals/{referral.public_id}/letter.pdf"
    )
    text = " ".join(_letter_text(draft.content).split())
    assert "Course under treatment" in text
    assert "GAD-7 total score: 21 on 3 Mar 2026, 7 on 24 Mar 2026; reliable improvement" in text

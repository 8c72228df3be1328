"""Correcting a patient's details after registration: the care team only, every problem
at once in the user's language with nothing saved, and one audit event that names the
changed fields but not their values."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from maatwerk.web.audit.audited import InputRefused
from maatwerk.web.audit.models import AuditEvent
from maatwerk.web.clinic.forms import PatientDetailsForm
from maatwerk.web.common.actor import actor_for_user
from maatwerk.web.patients.models import EmergencyAccess, Patient
from maatwerk.web.patients.opening import open_patient
from maatwerk.web.patients.services import patient_details_update
from tests.web.world import World

pytestmark = pytest.mark.django_db


def edit_path(world: World) -> str:
    return f"/clinic/patients/{world.patient_a.public_id}/edit/"


def details_form(**changes: str) -> dict[str, str]:
    """The details form as the care team posts it, with ``changes`` on top."""
    return {
        "full_name": "Patient Alpha",
        "birth_year": "1980",
        "sex": "female",
        "language": "nl",
        "presenting_complaint": "",
        "postcode": "",
        "phone_mobile": "",
        "phone_landline": "",
        "gp_name": "",
        "gp_practice": "",
        "gp_phone": "",
    } | changes


def _last_event() -> AuditEvent:
    event = AuditEvent.objects.order_by("-sequence").first()
    assert event is not None
    return event


def _english(world: World) -> None:
    world.users["clinician_treating"].language = "en"
    world.users["clinician_treating"].save(update_fields=["language"])


@pytest.fixture
def alpha(world: World) -> Patient:
    """Patient A with known details, so that a form with these values changes nothing."""
    Patient.objects.filter(pk=world.patient_a.pk).update(
        birth_year=1980, sex="female", language="nl", presenting_complaint="", postcode=""
    )
    world.patient_a.refresh_from_db()
    return world.patient_a


def test_the_form_shows_the_current_details_and_reading_it_is_audited(
    world: World, alpha: Patient
) -> None:
    Patient.objects.filter(pk=alpha.pk).update(postcode="3511AB")
    response = world.client_for("clinician_treating").get(edit_path(world))
    assert response.status_code == 200
    page = response.content.decode()
    assert 'value="3511 AB"' in page
    assert 'value="Patient Alpha"' in page
    event = _last_event()
    assert (event.action, event.object_type, event.patient_ref) == (
        "read",
        "patient",
        str(alpha.public_id),
    )


def test_saving_changes_the_record_and_audits_the_field_names_only(
    world: World, alpha: Patient
) -> None:
    response = world.client_for("clinician_treating").post(
        edit_path(world),
        details_form(full_name=" Patiënt Alfa ", postcode="3527 hm", sex="male", birth_year="1979"),
    )
    assert response.status_code == 302
    assert response["Location"] == f"/clinic/patients/{alpha.public_id}/"
    alpha.refresh_from_db()
    assert (alpha.full_name, alpha.postcode, alpha.sex, alpha.birth_year) == (
        "Patiënt Alfa",
        "3527HM",
        "male",
        1979,
    )
    assert alpha.user is not None and alpha.user.full_name == "Patiënt Alfa"
    event = _last_event()
    assert (event.action, event.object_type, event.outcome) == ("update", "patient", "success")
    assert event.detail == "changed: full_name, birth_year, sex, postcode"
    assert "3527" not in event.detail and "Alfa" not in event.detail


def test_saving_unchanged_details_writes_no_event(world: World, alpha: Patient) -> None:
    before = AuditEvent.objects.count()
    response = world.client_for("clinician_treating").post(edit_path(world), details_form())
    assert response.status_code == 302
    assert AuditEvent.objects.count() == before


def test_every_problem_is_shown_at_once_in_dutch_and_nothing_is_saved(
    world: World, alpha: Patient
) -> None:
    future = str(timezone.localdate().year + 1)
    response = world.client_for("clinician_treating").post(
        edit_path(world), details_form(full_name="", postcode="0123 AB", birth_year=future)
    )
    assert response.status_code == 400  # refused: the form again, with its errors
    page = response.content.decode()
    assert "Een Nederlandse postcode begint niet met 0" in page
    assert "Het geboortejaar kan niet in de toekomst liggen" in page
    assert "Dit veld ontbreekt" in page  # the name (Django's Dutch)
    alpha.refresh_from_db()
    assert (alpha.full_name, alpha.birth_year, alpha.postcode) == ("Patient Alpha", 1980, "")
    event = _last_event()
    assert (event.action, event.outcome) == ("update", "refused")
    assert event.detail == "refused: birth_year,full_name,postcode"


def test_letters_that_are_never_issued_are_refused_in_english(world: World, alpha: Patient) -> None:
    _english(world)
    response = world.client_for("clinician_treating").post(
        edit_path(world), details_form(postcode="1234 SA", presenting_complaint="tired all day")
    )
    assert response.status_code == 400  # refused: the form again, with its errors
    assert "The letters SA, SD and SS are not used in Dutch postcodes" in (
        response.content.decode()
    )
    alpha.refresh_from_db()
    assert alpha.presenting_complaint == ""  # nothing of the submission was saved
    assert (_last_event().action, _last_event().outcome) == ("update", "refused")


def test_the_service_itself_refuses_invalid_details_all_at_once(
    world: World, alpha: Patient
) -> None:
    access = open_patient(
        actor=actor_for_user(world.users["clinician_treating"], access_point="test"),
        patient_id=str(alpha.public_id),
        action="update",
    )
    with pytest.raises(InputRefused) as refused:
        patient_details_update(
            actor=actor_for_user(world.users["clinician_treating"], access_point="test"),
            access=access,
            form=PatientDetailsForm(
                {
                    "full_name": "  ",
                    "birth_year": "1850",
                    "sex": "robot",
                    "language": "de",
                    "postcode": "12",
                }
            ),
        )
    assert sorted(refused.value.errors) == [
        "birth_year",
        "full_name",
        "language",
        "postcode",
        "sex",
    ]
    alpha.refresh_from_db()
    assert alpha.full_name == "Patient Alpha"
    assert (_last_event().action, _last_event().outcome) == ("update", "refused")


@pytest.mark.parametrize("role", ["clinician_other_team", "clinician_other_org", "patient_a"])
def test_others_cannot_open_or_change_the_details(world: World, role: str) -> None:
    client = world.client_for(role)
    assert client.get(edit_path(world)).status_code in (403, 404)
    assert client.post(edit_path(world), details_form(full_name="Someone else")).status_code in (
        403,
        404,
    )
    world.patient_a.refresh_from_db()
    assert world.patient_a.full_name == "Patient Alpha"


def test_emergency_access_can_read_but_not_change_the_details(world: World) -> None:
    now = timezone.now()
    EmergencyAccess.objects.create(
        patient=world.patient_a,
        membership=world.memberships["clinician_other_team"],
        reason="Patient is at the front desk in crisis",
        granted_at=now,
        expires_at=now + timedelta(hours=1),
    )
    client = world.client_for("clinician_other_team")
    detail = client.get(f"/clinic/patients/{world.patient_a.public_id}/")
    assert "Change details" not in detail.content.decode()
    assert "Gegevens wijzigen" not in detail.content.decode()
    response = client.post(edit_path(world), details_form(full_name="Changed In Crisis"))
    assert response.status_code == 302
    world.patient_a.refresh_from_db()
    assert world.patient_a.full_name == "Patient Alpha"
    event = _last_event()
    assert (event.action, event.outcome, event.emergency) == ("update", "denied", True)
    assert event.detail == "details refused: emergency access"


def test_the_patient_page_links_to_the_form_for_the_care_team(world: World) -> None:
    page = world.client_for("clinician_treating").get(
        f"/clinic/patients/{world.patient_a.public_id}/"
    )
    assert edit_path(world) in page.content.decode()

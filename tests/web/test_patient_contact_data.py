"""The contact data needed to act on a safety signal: the patient's phone numbers and GP,
corrected on the details form by the care team, validated per field, stored normalized,
audited by field name only and shown on the dossier as tap-to-call links."""

from __future__ import annotations

import pytest

from maatwerk.web.audit.models import AuditEvent
from maatwerk.web.patients.models import Patient
from tests.web.test_patient_details import details_form, edit_path
from tests.web.world import World

pytestmark = pytest.mark.django_db


def _last_event() -> AuditEvent:
    event = AuditEvent.objects.order_by("-sequence").first()
    assert event is not None
    return event


@pytest.fixture
def alpha(world: World) -> Patient:
    Patient.objects.filter(pk=world.patient_a.pk).update(
        birth_year=1980, sex="female", language="nl", presenting_complaint="", postcode=""
    )
    world.patient_a.refresh_from_db()
    return world.patient_a


def _english(world: World) -> None:
    world.users["clinician_treating"].language = "en"
    world.users["clinician_treating"].save(update_fields=["language"])


def test_phone_numbers_and_gp_are_stored_normalized_and_audited_by_name(
    world: World, alpha: Patient
) -> None:
    response = world.client_for("clinician_treating").post(
        edit_path(world),
        details_form(
            phone_mobile="+31 6 1234 5678",
            phone_landline="020 123 4567",
            gp_name=" Dr. A. Huisman ",
            gp_practice="Huisartsenpraktijk De Linde",
            gp_phone="030-2345678",
        ),
    )
    assert response.status_code == 302
    alpha.refresh_from_db()
    assert (alpha.phone_mobile, alpha.phone_landline, alpha.gp_phone) == (
        "+31612345678",
        "+31201234567",
        "+31302345678",
    )
    assert (alpha.gp_name, alpha.gp_practice) == ("Dr. A. Huisman", "Huisartsenpraktijk De Linde")
    event = _last_event()
    assert (event.action, event.object_type, event.outcome) == ("update", "patient", "success")
    assert event.detail == "changed: phone_mobile, phone_landline, gp_name, gp_practice, gp_phone"
    assert "612345678" not in event.detail and "Huisman" not in event.detail


def test_the_form_shows_stored_numbers_as_people_write_them(world: World, alpha: Patient) -> None:
    Patient.objects.filter(pk=alpha.pk).update(
        phone_mobile="+31612345678", phone_landline="+32470123456", gp_phone="+318000113"
    )
    page = world.client_for("clinician_treating").get(edit_path(world)).content.decode()
    assert 'value="06-12345678"' in page
    assert 'value="+32470123456"' in page
    assert 'value="0800-0113"' in page
    assert 'type="tel"' in page


def test_the_same_number_written_differently_changes_nothing(world: World, alpha: Patient) -> None:
    Patient.objects.filter(pk=alpha.pk).update(phone_mobile="+31612345678")
    before = AuditEvent.objects.count()
    response = world.client_for("clinician_treating").post(
        edit_path(world), details_form(phone_mobile="06 12 34 56 78")
    )
    assert response.status_code == 302
    assert AuditEvent.objects.count() == before


def test_each_wrong_number_gets_its_own_dutch_error_and_nothing_is_saved(
    world: World, alpha: Patient
) -> None:
    response = world.client_for("clinician_treating").post(
        edit_path(world),
        details_form(
            phone_mobile="06-1234567a",
            phone_landline="020-12345",
            gp_phone="12345678",
            gp_name="Dr. Nieuw",
        ),
    )
    assert response.status_code == 400  # refused: the form again, with its errors
    page = response.content.decode()
    assert "Een telefoonnummer bevat alleen cijfers" in page
    assert "Dit telefoonnummer is te kort" in page
    assert "Begin een Nederlands nummer met 0" in page
    alpha.refresh_from_db()
    assert (alpha.phone_mobile, alpha.phone_landline, alpha.gp_phone, alpha.gp_name) == (
        "",
        "",
        "",
        "",
    )
    event = _last_event()
    assert (event.action, event.outcome) == ("update", "refused")
    assert event.detail == "refused: gp_phone,phone_landline,phone_mobile"


def test_wrong_numbers_are_explained_in_english(world: World, alpha: Patient) -> None:
    _english(world)
    response = world.client_for("clinician_treating").post(
        edit_path(world), details_form(phone_mobile="+0 123 456 789", gp_phone="0800-011")
    )
    assert response.status_code == 400  # refused: the form again, with its errors
    page = response.content.decode()
    assert "Start an international number with + and the country code" in page
    assert "A Dutch 0800 or 0900 number has 4 or 7 digits" in page


def test_the_dossier_shows_tap_to_call_links(world: World, alpha: Patient) -> None:
    Patient.objects.filter(pk=alpha.pk).update(
        phone_mobile="+31612345678",
        phone_landline="+31201234567",
        gp_name="Dr. A. Huisman",
        gp_practice="De Linde",
        gp_phone="+31302345678",
    )
    page = (
        world.client_for("clinician_treating")
        .get(f"/clinic/patients/{alpha.public_id}/")
        .content.decode()
    )
    assert '<a href="tel:+31612345678">06-12345678</a>' in page
    assert '<a href="tel:+31201234567">020-1234567</a>' in page
    assert '<a href="tel:+31302345678">030-2345678</a>' in page
    assert "Dr. A. Huisman, De Linde" in page


def test_the_dossier_without_contact_data_shows_dashes(world: World, alpha: Patient) -> None:
    page = (
        world.client_for("clinician_treating")
        .get(f"/clinic/patients/{alpha.public_id}/")
        .content.decode()
    )
    assert 'href="tel:' not in page.split("site-footer")[0]

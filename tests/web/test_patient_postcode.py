"""The patient's postcode on the record: entered at registration (checked, stored as
``3511AB``), shown on the patient page and used as the start of the referral search."""

from __future__ import annotations

import pytest

from maatwerk.web.audit.models import AuditEvent
from maatwerk.web.demo.providers import DEMO_GAZETTEER
from maatwerk.web.demo.services import DEMO_PATIENT_POSTCODES
from maatwerk.web.patients.models import Patient
from maatwerk.web.providers.models import PostcodeArea
from tests.web.world import World

pytestmark = pytest.mark.django_db

REGISTER = "/clinic/patients/new/"


def _english(world: World, role: str = "clinician_treating") -> None:
    world.users[role].language = "en"
    world.users[role].save(update_fields=["language"])


def _registration(postcode: str, email: str = "new.patient@a.test") -> dict[str, str]:
    return {
        "full_name": "Nieuwe Patiënt",
        "email": email,
        "birth_year": "1985",
        "sex": "female",
        "language": "nl",
        "postcode": postcode,
    }


@pytest.mark.parametrize(("typed", "stored"), [("3511 ab", "3511AB"), (" 3527HM ", "3527HM")])
def test_registration_stores_the_postcode_without_space_in_capitals(
    world: World, typed: str, stored: str
) -> None:
    response = world.client_for("clinician_treating").post(REGISTER, _registration(typed))
    assert response.status_code == 200
    assert "clinic/invitation_issued.html" in [t.name for t in response.templates]
    assert Patient.objects.get(full_name="Nieuwe Patiënt").postcode == stored


def test_registration_without_a_postcode_is_fine(world: World) -> None:
    world.client_for("clinician_treating").post(REGISTER, _registration(""))
    assert Patient.objects.get(full_name="Nieuwe Patiënt").postcode == ""


@pytest.mark.parametrize(
    ("typed", "message"),
    [
        ("3511", "Enter a Dutch postcode: 4 digits and 2 letters, such as 3511 AB."),
        ("35 11AB", "Enter a Dutch postcode: 4 digits and 2 letters, such as 3511 AB."),
        (
            "0123 AB",
            "A Dutch postcode does not start with 0. Enter 4 digits and 2 letters, "
            "such as 3511 AB.",
        ),
        (
            "3511 SS",
            "The letters SA, SD and SS are not used in Dutch postcodes. Check the postcode.",
        ),
    ],
)
def test_a_bad_postcode_is_explained_on_the_field_and_nothing_is_saved(
    world: World, typed: str, message: str
) -> None:
    _english(world)
    patients_before = Patient.objects.count()
    events_before = AuditEvent.objects.count()
    response = world.client_for("clinician_treating").post(
        REGISTER, _registration(typed, email="bad.postcode@a.test")
    )
    assert response.status_code == 400  # refused: the form again, with its errors
    assert response.context["form"].errors["postcode"] == [message]
    # What the clinician typed stays in the form, to correct rather than retype.
    assert response.context["form"]["postcode"].value() == typed
    assert Patient.objects.count() == patients_before
    # One "refused" event (which fields, never what was typed).
    assert AuditEvent.objects.count() == events_before + 1
    assert AuditEvent.objects.order_by("-sequence")[0].outcome == "refused"
    assert not Patient.objects.filter(full_name="Nieuwe Patiënt").exists()


def test_the_patient_page_shows_the_postcode_as_written(world: World) -> None:
    world.patient_a.postcode = "3531KL"
    world.patient_a.save(update_fields=["postcode"])
    body = (
        world.client_for("clinician_treating")
        .get(f"/clinic/patients/{world.patient_a.public_id}/")
        .content.decode()
    )
    assert "3531 KL" in body


def _search_url(world: World) -> str:
    return f"/providers/patients/{world.patient_a.public_id}/referrals/new/"


def test_the_referral_search_starts_from_the_patients_postcode(world: World) -> None:
    PostcodeArea.objects.create(
        organization=world.org_a, pc4="3531", place="Utrecht", latitude=52.092, longitude=5.100
    )
    world.patient_a.postcode = "3531KL"
    world.patient_a.save(update_fields=["postcode"])
    response = world.client_for("clinician_treating").get(_search_url(world))
    assert response.status_code == 200
    assert response.context["criteria"].postcode == "3531 KL"
    assert 'value="3531 KL"' in response.content.decode()
    # The gazetteer knows 3531, so distances are measured from there.
    assert response.context["outcome"].origin.pc4 == "3531"


def test_the_clinician_can_search_from_another_postcode_or_none(world: World) -> None:
    world.patient_a.postcode = "3531KL"
    world.patient_a.save(update_fields=["postcode"])
    client = world.client_for("clinician_treating")
    other = client.get(_search_url(world), {"postcode": "3584 CX"})
    assert other.context["criteria"].postcode == "3584 CX"
    cleared = client.get(_search_url(world), {"postcode": ""})
    assert cleared.context["criteria"].postcode == ""


def test_without_a_postcode_on_record_the_search_field_stays_empty(world: World) -> None:
    response = world.client_for("clinician_treating").get(_search_url(world))
    assert response.context["criteria"].postcode == ""


def test_the_directory_search_without_a_patient_is_not_prefilled(world: World) -> None:
    world.patient_a.postcode = "3531KL"
    world.patient_a.save(update_fields=["postcode"])
    response = world.client_for("clinician_treating").get("/providers/search/")
    assert response.status_code == 200
    assert "3531" not in response.content.decode()


def test_demo_patient_postcodes_lie_in_the_demo_gazetteer() -> None:
    areas = {row.pc4 for row in DEMO_GAZETTEER}
    assert DEMO_PATIENT_POSTCODES
    for postcode in DEMO_PATIENT_POSTCODES.values():
        assert len(postcode) == 6 and postcode[4:].isalpha() and postcode[4:].isupper()
        assert postcode[:4] in areas

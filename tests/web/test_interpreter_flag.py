"""Interpreter flag (issue 12 item 8, migration background): the care team records the
language an interpreter is needed for; the dossier and the referral letter say so."""

from __future__ import annotations

from maatwerk.web.patients.models import Patient
from tests.web.test_patient_details import details_form, edit_path
from tests.web.test_referrals import _create, _letter_text, world_provider
from tests.web.world import World


def test_the_interpreter_flag_is_on_the_dossier_and_in_the_referral_letter(world: World) -> None:
    client = world.client_for("clinician_treating")
    response = client.post(edit_path(world), details_form(interpreter_language=" Arabisch "))
    assert response.status_code == 302
    assert Patient.objects.get(pk=world.patient_a.pk).interpreter_language == "Arabisch"
    dossier = client.get(f"/clinic/patients/{world.patient_a.public_id}/").content.decode()
    assert "tolk nodig: Arabisch" in dossier
    referral = _create(world, world_provider(world))
    letter = client.get(f"/providers/referrals/{referral.public_id}/letter.pdf")
    expected = {"nl": "tolk nodig: Arabisch", "en": "interpreter needed: Arabisch"}
    assert expected[referral.language] in " ".join(_letter_text(letter.content).split())


def test_no_interpreter_no_line(world: World) -> None:
    dossier = world.client_for("clinician_treating").get(
        f"/clinic/patients/{world.patient_a.public_id}/"
    )
    assert "tolk nodig" not in dossier.content.decode()


def test_an_over_long_language_is_refused_on_its_field(world: World) -> None:
    client = world.client_for("clinician_treating")
    response = client.post(edit_path(world), details_form(interpreter_language="x" * 61))
    assert response.status_code in (200, 400)
    assert "60" in response.content.decode().split("id_interpreter_language_error")[1][:300]
    assert Patient.objects.get(pk=world.patient_a.pk).interpreter_language == ""

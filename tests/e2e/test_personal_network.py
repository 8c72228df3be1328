"""The personal network beside the vicious circle, in the browser on a phone (issue 15).

A clinician imports the patient's diary (the demo's simulated diary: a known lag-1 VAR,
``maatwerk.web.demo.network``), sees the network beside the circle with its text in
words, the comparison and the patient's explanation, and adds the link the circle lacks
(fear → pain) to a new formulation version. axe-core must find no serious or critical
violation; the network pictures' text is at least 12 px on the phone.
"""

from __future__ import annotations

from collections.abc import Callable

import pytest
from playwright.sync_api import Page, expect

from tests.e2e.conftest import Person, assert_accessible, enter_totp, log_in

pytestmark = pytest.mark.e2e


def circle_for(clinician: Person, patient: Person) -> None:
    """The patient's formulation with a circle whose boxes have the diary's words."""
    from maatwerk.core.formulation import CircleGraph, Complaint, Edge, Formulation, Node
    from maatwerk.web.common.actor import actor_for_user
    from maatwerk.web.formulation import services
    from maatwerk.web.formulation.forms import start_form
    from maatwerk.web.patients.models import Patient
    from maatwerk.web.patients.opening import Opened, open_patient

    record = Patient.objects.get(user__email=patient.email)
    actor = actor_for_user(
        __import__("maatwerk.web.accounts.models", fromlist=["User"]).User.objects.get(
            email=clinician.email
        ),
        access_point="test",
    )
    access = open_patient(actor=actor, patient_id=str(record.public_id), action="create")
    formulation = services.formulation_start(
        actor=actor, access=access, form=start_form(from_screening=False)
    )
    opened = Opened(object=formulation, access=access)
    document = Formulation(
        complaints=(Complaint("pijn", "Pijn"),),
        circle=CircleGraph(
            nodes=(
                Node("pijn", "complaint", "Pijn"),
                Node("bang", "feeling", "Bang"),
                Node("vermijden", "behaviour", "Vermijden"),
            ),
            edges=(Edge("pijn", "bang"), Edge("bang", "vermijden"), Edge("vermijden", "pijn")),
        ),
    )
    services.formulation_save(actor=actor, opened=opened, document=document, note="circle")


def test_the_clinician_sees_the_network_beside_the_circle(
    page: Page,
    make_clinician: Callable[..., Person],
    make_patient_in_care: Callable[..., Person],
) -> None:
    from maatwerk.web.demo.network import simulated_diary_csv
    from maatwerk.web.patients.models import Patient

    clinician = make_clinician()
    patient = make_patient_in_care(clinician)
    circle_for(clinician, patient)
    record = Patient.objects.get(user__email=patient.email)

    log_in(page, clinician.email, clinician.password)
    enter_totp(page, clinician.totp_secret)
    page.goto(f"/analysis/patients/{record.public_id}/network/")
    expect(page.get_by_role("heading", name="Persoonlijk netwerk")).to_be_visible()
    assert_accessible(page, "the network page before an import")

    page.set_input_files(
        "#id_file",
        files=[{"name": "dagboek.csv", "mimeType": "text/csv", "buffer": simulated_diary_csv()}],
    )
    page.get_by_role("button", name="Importeren en schatten").click()
    page.wait_for_load_state()
    expect(page.get_by_role("heading", name="Het netwerk uit het dagboek")).to_be_visible()
    expect(page.get_by_role("img", name="Van het ene moment naar het volgende")).to_be_visible()
    expect(page.get_by_role("heading", name="De vicieuze cirkel")).to_be_visible()
    expect(page.get_by_text("Na meer “Bang” heb je soms wat later meer “Pijn”.")).to_be_visible()
    # Legible on the phone: the pictures' text renders at 12 CSS px or more.
    smallest = page.evaluate(
        """() => Math.min(...[...document.querySelectorAll('svg.network-svg text')]
               .map(t => t.getBoundingClientRect().height))"""
    )
    assert smallest >= 12, smallest
    assert_accessible(page, "the network beside the circle")

    page.get_by_label("“Bang” op het ene moment → meer “Pijn” op het volgende").check()
    page.get_by_role("button", name="Toevoegen aan een nieuwe versie van de formulering").click()
    page.wait_for_load_state()
    expect(page.get_by_text("Toegevoegd aan de cirkel als versie 3.")).to_be_visible()
    expect(page.get_by_text("Bang → Pijn (gezien in het dagboek)")).to_be_visible()
    assert_accessible(page, "the circle with the added arrow")

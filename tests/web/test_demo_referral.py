"""The demo's referral data holds up as real Dutch care: every patient's GP (huisarts)
is a GP, never a colleague of another profession, and the demo's referral letter gives
findings without the screening rules' internals or verification marks."""

from __future__ import annotations

import io

import pytest
from pypdf import PdfReader

from maatwerk.web.organizations.models import Membership
from maatwerk.web.patients.models import Patient
from maatwerk.web.providers.models import Referral

pytestmark = pytest.mark.django_db


def test_the_demo_patients_gp_is_a_gp_and_the_letter_has_no_rule_internals() -> None:
    from maatwerk.web.demo.services import demo_load

    demo_load()
    patients = Patient.objects.filter(organization__name__endswith="(demo)")
    assert patients.exists()
    names_by_profession = {
        membership.user.full_name: membership.discipline
        for membership in Membership.objects.filter(
            organization__name__endswith="(demo)"
        ).select_related("user")
    }
    for patient in patients:
        assert patient.gp_name, patient.full_name
        bare = patient.gp_name.removeprefix("Dr. ")
        for name, discipline in names_by_profession.items():
            if bare == name.removeprefix("Dr. "):
                assert discipline == "huisarts", (patient.full_name, patient.gp_name, discipline)
    referral = Referral.objects.get(patient__full_name="Sophie Jansen")
    text = " ".join(
        page.extract_text() for page in PdfReader(io.BytesIO(bytes(referral.letter_pdf))).pages
    )
    for internal in ("onbevestigd", "Regels versie", "unverified"):
        assert internal not in text, internal
    assert "Ernst: matig ernstig" in text
    assert "Verwijzend huisarts" in text  # the letter in its own language (Dutch)

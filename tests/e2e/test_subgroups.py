"""Subgroups on a phone (issue 12 item 8): a patient with low literacy reads the short
module introduction and answers a scale with pictograms; a parent reads their child's
plan and homework. axe-core must find no serious or critical violation."""

from __future__ import annotations

import re
from collections.abc import Callable

import pytest
from django.utils import timezone
from playwright.sync_api import BrowserContext, expect

from tests.e2e.conftest import E2E_PASSWORD, Person, assert_accessible, log_in

pytestmark = pytest.mark.e2e

PARENT_EMAIL = "ouder.jansen@e2e.example"


def flag_and_assign(clinician: Person, patient: Person, *, low_literacy: bool) -> str:
    """The screening flag (as the SCEGS step stores it) and a G-schema module; returns
    the module assignment's id."""
    from django.test import Client

    from maatwerk.web.accounts.models import User
    from maatwerk.web.common.actor import actor_for_user
    from maatwerk.web.organizations.models import Membership
    from maatwerk.web.patients.models import Patient
    from maatwerk.web.patients.opening import open_patient
    from maatwerk.web.screening.models import ScegsAssessment, Screening
    from maatwerk.web.treatment import services

    user = User.objects.get(email=clinician.email)
    record = Patient.objects.get(user__email=patient.email)
    screening = Screening.objects.create(
        patient=record,
        battery_id="gp_short",
        content_version="1",
        assigned_by=Membership.objects.get(user=user),
    )
    ScegsAssessment.objects.create(
        screening=screening,
        low_literacy=low_literacy,
        parent_involved=not low_literacy,
        assessed_by=user,
    )
    actor = actor_for_user(user, access_point="e2e")
    access = open_patient(actor=actor, patient_id=str(record.public_id), action="create")
    (assignment,) = services.modules_assign(actor=actor, access=access, module_ids=["g_schema"])
    # The first request of the process loads the URL configuration, templates and
    # content; made here, it does not count against the browser's page timeout (the
    # other browser tests make their first requests through the test client too).
    Client().get("/accounts/login/")
    return str(assignment.public_id)


def test_low_literacy_short_introduction_and_scale_pictograms(
    new_context: Callable[..., BrowserContext],
    make_clinician: Callable[..., Person],
    make_patient_in_care: Callable[..., Person],
) -> None:
    clinician = make_clinician(totp=False)
    patient = make_patient_in_care(clinician)
    flag_and_assign(clinician, patient, low_literacy=True)

    phone = new_context().new_page()
    log_in(phone, patient.email, patient.password)
    phone.goto("/treatment/my/")
    expect(phone.locator("main")).to_contain_text("Je kijkt naar je gedachten. Ze maken je gevoel.")
    phone.click("main h2 a:has-text('G-schema')")
    assert_accessible(phone, "the module with its short introduction")
    phone.locator("main a[href$='/exercises/g_schema/']").click()
    pictograms = phone.locator("main [data-field=feeling_strength] svg.scale-pictogram")
    expect(pictograms).to_have_count(11)
    expect(pictograms.nth(7)).to_have_attribute("aria-label", "7 van 10")
    # The radio button is named by the pictogram's text alternative.
    expect(phone.get_by_role("radio", name="7 van 10")).to_have_count(1)
    assert_accessible(phone, "an exercise with scale pictograms")


def test_a_parent_reads_the_childs_plan_and_homework(
    new_context: Callable[..., BrowserContext],
    make_clinician: Callable[..., Person],
    make_patient_in_care: Callable[..., Person],
) -> None:
    from maatwerk.web.patients.models import Patient
    from maatwerk.web.treatment.models import RelativeAccess
    from tests.web.world import sign_in

    clinician = make_clinician()
    child = make_patient_in_care(clinician, email="lotte@e2e.example", full_name="Lotte Jansen")
    Patient.objects.filter(user__email=child.email).update(
        birth_year=timezone.localdate().year - 13
    )
    flag_and_assign(clinician, child, low_literacy=False)

    # The clinician records the child's and parent's consent and invites the parent.
    from django.core import mail
    from django.test import Client

    from maatwerk.web.accounts.models import User

    desk = sign_in(Client(), User.objects.get(email=clinician.email))
    record = Patient.objects.get(user__email=child.email)
    response = desk.post(
        f"/treatment/patients/{record.public_id}/relatives/",
        {"email": PARENT_EMAIL, "full_name": "Eva Jansen", "relation": "parent", "consent": "yes"},
    )
    assert response.status_code == 200
    found = re.search(r"(/treatment/relatives/accept/[^/\s]+/)", mail.outbox[-1].body)
    assert found is not None

    parent = new_context().new_page()
    parent.goto(found.group(1))
    parent.fill("[name=password1]", E2E_PASSWORD)
    parent.fill("[name=password2]", E2E_PASSWORD)
    parent.click("main form[method=post] button[type=submit]")
    log_in(parent, PARENT_EMAIL, E2E_PASSWORD)
    relative = RelativeAccess.objects.get(invited_email=PARENT_EMAIL)
    parent.goto(f"/treatment/shared/{relative.public_id}/")
    assert_accessible(parent, "reading along as a parent")
    parent.click(f"main a[href$='/treatment/shared/{relative.public_id}/child/']")
    expect(parent.locator("main h1")).to_have_text("Het plan van Lotte")
    expect(parent.locator("main")).to_contain_text("Mijn G-schema 1: nog niet begonnen")
    expect(parent.locator("main form")).to_have_count(0)
    assert_accessible(parent, "the parent view of the plan and homework")

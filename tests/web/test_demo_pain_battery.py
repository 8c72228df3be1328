"""The demo's chronic-pain battery can be tried end to end: the licensed questionnaires
(TSK, PCS, RAND-36) carry demo stand-in texts, imported through the ordinary import of
licensed texts, and every item shows that it is a stand-in."""

from __future__ import annotations

import html
from decimal import Decimal

import pytest
from django.test import Client

from maatwerk.core.instruments.model import OptionsResponseSet
from maatwerk.web.demo.licensed_texts import (
    PAIN_BATTERY_PATIENT,
    PAIN_BATTERY_STAND_INS,
    STAND_IN_INSTRUMENTS,
    STAND_IN_MARK,
)
from maatwerk.web.patients.models import Patient
from maatwerk.web.questionnaires.instruments import instrument_for
from maatwerk.web.questionnaires.models import LicensedTexts, ScaleResult
from maatwerk.web.screening.models import Screening, ScreeningStep
from tests.web.world import sign_in

pytestmark = pytest.mark.django_db


def _pain_screening() -> tuple[Patient, Screening]:
    from maatwerk.web.demo.services import demo_load

    demo_load()
    sophie = Patient.objects.get(full_name=PAIN_BATTERY_PATIENT)
    return sophie, Screening.objects.get(patient=sophie, battery_id="chronic_pain")


def test_the_demo_imports_marked_stand_in_texts_through_the_licensed_text_import() -> None:
    sophie, _screening = _pain_screening()
    stored = LicensedTexts.objects.filter(organization=sophie.organization)
    assert sorted(t.instrument_code for t in stored) == sorted(STAND_IN_INSTRUMENTS)
    for texts in stored:
        assert "NOT the licensed wording" in texts.statement
        definition = instrument_for(sophie.organization_id, texts.instrument_code)
        for item in definition.items:
            assert item.text is not None
            assert str(item.text.nl).startswith(STAND_IN_MARK["nl"]), item.id
            assert str(item.text.en).startswith(STAND_IN_MARK["en"]), item.id
        for response_set in definition.response_sets:
            if isinstance(response_set, OptionsResponseSet):
                assert all("[Demo]" in str(o.label.nl) for o in response_set.options if o.label)


def test_a_demo_patient_completes_the_pain_battery_and_every_questionnaire_is_scored() -> None:
    sophie, screening = _pain_screening()
    steps = list(screening.steps.order_by("position"))
    assert {s.instrument_code for s in steps} >= set(PAIN_BATTERY_STAND_INS)
    assert all(s.status == ScreeningStep.Status.ASSIGNED for s in steps), [
        (s.instrument_code, s.status) for s in steps
    ]
    patient = Client()
    patient.force_login(sophie.user)
    for step in steps:
        assignment = step.assignment
        assert assignment is not None
        definition = instrument_for(sophie.organization_id, assignment.instrument_code)
        page = html.unescape(
            patient.get(f"/questionnaires/{assignment.public_id}/").content.decode()
        )
        answers: dict[str, str] = {}
        for item in definition.items:
            if assignment.instrument_code in PAIN_BATTERY_STAND_INS:
                # The stand-in mark shows on every item the patient reads.
                assert item.text is not None and str(item.text.nl) in page, item.id
            response_set = definition.response_set(item.response_set)
            assert isinstance(response_set, OptionsResponseSet)
            # The highest answer on the pain questionnaires; the lowest elsewhere (so the
            # PHQ-9 safety item raises no alert).
            option = response_set.options[
                -1 if item.id.split("_")[0] in PAIN_BATTERY_STAND_INS else 0
            ]
            answers[f"item-{item.id}"] = str(option.value)
        if assignment.instrument_code in PAIN_BATTERY_STAND_INS:
            assert page.count(STAND_IN_MARK["nl"]) >= len(definition.items)
        response = patient.post(f"/questionnaires/{assignment.public_id}/submit/", answers)
        assert response.status_code == 302, (assignment.instrument_code, response.content[:500])
        assert ScaleResult.objects.filter(assignment=assignment).exists()
    # Hand-worked totals for the highest answer on every item.
    tsk = next(s.assignment for s in steps if s.instrument_code == "tsk")
    # TSK: 4 on every item; items 4, 8, 12, 16 reversed (5 - 4 = 1): 13 * 4 + 4 * 1 = 56.
    assert ScaleResult.objects.get(assignment=tsk, scale_id="total").value == Decimal(56)
    pcs = next(s.assignment for s in steps if s.instrument_code == "pcs")
    # PCS: 4 ("all the time") on all 13 items: 52, the maximum.
    assert ScaleResult.objects.get(assignment=pcs, scale_id="total").value == Decimal(52)
    rand36 = next(s.assignment for s in steps if s.instrument_code == "rand36")
    assert ScaleResult.objects.filter(assignment=rand36).count() >= 8


def test_a_demo_clinician_assigns_the_self_efficacy_scale_and_the_patient_completes_it() -> None:
    from maatwerk.web.accounts.models import User
    from maatwerk.web.common.actor import actor_for_user
    from maatwerk.web.patients.opening import open_patient
    from maatwerk.web.questionnaires.services import assignment_create

    sophie, _screening = _pain_screening()
    gp = actor_for_user(User.objects.get(email="huisarts@demo.maatwerk.nl"), access_point="test")
    access = open_patient(actor=gp, patient_id=str(sophie.public_id), action="create")
    assignment = assignment_create(actor=gp, access=access, instrument_code="gse")
    patient = Client()
    patient.force_login(sophie.user)
    page = html.unescape(patient.get(f"/questionnaires/{assignment.public_id}/").content.decode())
    assert page.count(STAND_IN_MARK["nl"]) >= 10
    answers = {f"item-gse_{n}": "3" for n in range(1, 11)}
    response = patient.post(f"/questionnaires/{assignment.public_id}/submit/", answers)
    assert response.status_code == 302
    # 10 items x 3 = 30 (sum rule, no reversed items).
    assert ScaleResult.objects.get(assignment=assignment, scale_id="total").value == Decimal(30)


def test_a_demo_clinician_sees_the_stand_in_mark_on_every_item_too() -> None:
    from maatwerk.web.accounts.models import User
    from maatwerk.web.questionnaires.models import Assignment

    sophie, _screening = _pain_screening()
    gp = Client()
    sign_in(gp, User.objects.get(email="huisarts@demo.maatwerk.nl"))
    response = gp.post(
        f"/clinic/patients/{sophie.public_id}/questionnaires/assign/",
        {"instrument": "tsk", "mode": "together"},
    )
    assert response.status_code == 302, response.content[:500]
    assignment = Assignment.objects.filter(patient=sophie, instrument_code="tsk").latest(
        "assigned_at"
    )
    assert response["Location"] == f"/questionnaires/{assignment.public_id}/"
    page = html.unescape(gp.get(response["Location"]).content.decode())
    definition = instrument_for(sophie.organization_id, "tsk")
    for item in definition.items:
        assert item.text is not None and str(item.text.nl) in page, item.id

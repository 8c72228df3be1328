"""An organization imports a FHIR Questionnaire (with the Maatwerk instrument-definition
extension) as an instrument of its own: assigned, filled in and scored like a bundled one,
and seen by no other organization."""

from __future__ import annotations

import json
from decimal import Decimal
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from maatwerk.core.fhir.constants import EXT_INSTRUMENT_DEFINITION
from maatwerk.core.fhir.questionnaire import instrument_to_questionnaire
from maatwerk.core.fhir.response import response_to_questionnaire_response
from maatwerk.core.fhir.values import definition_json
from maatwerk.core.instruments.errors import UnknownInstrument
from maatwerk.core.instruments.loading import parse_instrument
from maatwerk.core.instruments.registry import get_instrument
from maatwerk.web.audit.models import AuditEvent
from maatwerk.web.questionnaires.instruments import (
    has_item_texts,
    instrument_for,
    instruments_for,
)
from maatwerk.web.questionnaires.models import (
    Assignment,
    ImportedInstrument,
    SafetyAlert,
    ScaleResult,
)
from tests.web.world import World

PAGE = "/organization/instruments/"
PHQ9_ITEMS = [f"phq9_{n}" for n in range(1, 11)]


def own_questionnaire(
    base: str = "phq9",
    *,
    code: str = "phq9_org",
    version: str = "1.0",
    name_en: str = "PHQ-9, our organization's copy",
    name_nl: str = "PHQ-9, versie van onze organisatie",
) -> dict[str, Any]:
    """A bundled instrument under a new code and name, exported by the core."""
    definition = json.loads(definition_json(get_instrument(base)), parse_float=Decimal)
    definition.update(code=code, version=version, name={"nl": name_nl, "en": name_en})
    instrument = parse_instrument(definition, origin="test")
    return instrument_to_questionnaire(instrument, language="nl")


def upload(
    client: Client, document: object, name: str = "questionnaire.json"
) -> Any:  # the test client's response
    content = document if isinstance(document, bytes) else json.dumps(document).encode()
    return client.post(
        PAGE, {"form": "questionnaire", "questionnaire": SimpleUploadedFile(name, content)}
    )


def admin_upload(world: World, document: object) -> Any:
    return upload(world.client_for("org_admin"), document)


def assign(world: World, code: str) -> Assignment:
    response = world.client_for("clinician_treating").post(
        f"/clinic/patients/{world.patient_a.public_id}/questionnaires/assign/",
        {"instrument": code, "mode": "self"},
    )
    assert response.status_code == 302
    return Assignment.objects.filter(instrument_code=code).latest("assigned_at")


def submit(world: World, assignment: Assignment, values: list[str]) -> Any:
    answers = {
        f"item-{item}": value for item, value in zip(PHQ9_ITEMS, values, strict=False) if value
    }
    return world.client_for("patient_a").post(
        f"/questionnaires/{assignment.public_id}/submit/", answers
    )


# ------------------------------------------------------------------------ round trip


def test_an_imported_copy_of_phq9_is_assigned_filled_and_scored_like_phq9(world: World) -> None:
    response = admin_upload(world, own_questionnaire())
    assert response.status_code == 302, response.content.decode()
    stored = ImportedInstrument.objects.get()
    assert (stored.organization, stored.code, stored.version) == (world.org_a, "phq9_org", "1.0")
    assert stored.imported_by == world.users["org_admin"]
    event = AuditEvent.objects.filter(object_type="imported_instrument").get()
    assert (event.action, event.object_ref) == ("create", "phq9_org-1.0")
    assert event.organization_ref == str(world.org_a.public_id)
    page = world.client_for("org_admin").get(PAGE).content.decode()
    assert "PHQ-9, versie van onze organisatie" in page and "phq9_org" in page

    # The clinician can choose it ...
    detail = world.client_for("clinician_treating").get(
        f"/clinic/patients/{world.patient_a.public_id}/"
    )
    assert 'value="phq9_org"' in detail.content.decode()
    own = assign(world, "phq9_org")
    assert own.instrument_version == "1.0"
    # ... the patient sees its questions ...
    form = world.client_for("patient_a").get(f"/questionnaires/{own.public_id}/").content.decode()
    assert 'name="item-phq9_1"' in form
    # Under the copy's name for patients, which it took over from PHQ-9: words, no code.
    assert "<h1>Vragenlijst over somberheid</h1>" in form
    # ... and the same answers score exactly as the bundled PHQ-9, band and alert included.
    values = ["1", "2", "3", "0", "1", "2", "3", "0", "1", "1"]
    bundled = assign(world, "phq9")
    assert submit(world, bundled, values).status_code == 302
    assert submit(world, own, values).status_code == 302
    ours = ScaleResult.objects.get(assignment=own, scale_id="total")
    theirs = ScaleResult.objects.get(assignment=bundled, scale_id="total")
    assert ours.value == theirs.value == Decimal(13)
    assert ours.band == theirs.band == "matig"
    assert ours.explanation == theirs.explanation
    assert SafetyAlert.objects.filter(assignment=own, rule_id="phq9_item9_self_harm").exists()
    # The clinician's results page shows it.
    results = world.client_for("clinician_treating").get(
        f"/clinic/patients/{world.patient_a.public_id}/results/"
    )
    assert results.status_code == 200
    assert "PHQ-9, versie van onze organisatie" in results.content.decode()


def test_a_response_through_the_fhir_api_is_scored_with_the_imported_instrument(
    world: World,
) -> None:
    assert admin_upload(world, own_questionnaire()).status_code == 302
    own = assign(world, "phq9_org")
    instrument = instrument_for(world.org_a.pk, "phq9_org")
    resource = response_to_questionnaire_response(
        instrument,
        dict(zip(PHQ9_ITEMS[:9], [3, 3, 3, 3, 3, 3, 3, 3, 0], strict=True)),
        assignment_id=str(own.public_id),
        subject_id=str(world.patient_a.public_id),
    )
    response = world.client_for("patient_a").post(
        "/api/v1/fhir/QuestionnaireResponse",
        data=json.dumps(resource),
        content_type="application/fhir+json",
    )
    assert response.status_code == 201, response.content
    assert ScaleResult.objects.get(assignment=own, scale_id="total").value == Decimal(24)


# ------------------------------------------------------------------- per organization


def test_another_organization_does_not_see_the_imported_instrument(world: World) -> None:
    assert admin_upload(world, own_questionnaire()).status_code == 302
    mine = instrument_for(world.org_a.pk, "phq9_org")
    assert has_item_texts(world.org_a.pk, mine)
    assert "phq9_org" in {i.code for i, usable in instruments_for(world.org_a.pk) if usable}
    assert not has_item_texts(world.org_b.pk, mine)
    assert "phq9_org" not in {i.code for i, _usable in instruments_for(world.org_b.pk)}
    with pytest.raises(UnknownInstrument):
        instrument_for(world.org_b.pk, "phq9_org")
    with pytest.raises(UnknownInstrument):
        instrument_for(world.org_a.pk, "phq9_org", "2.0")


def test_only_an_organization_admin_can_import(world: World) -> None:
    for role in ("clinician_treating", "team_lead", "researcher", "patient_a"):
        response = upload(world.client_for(role), own_questionnaire())
        assert response.status_code == 404, role
    assert not ImportedInstrument.objects.exists()
    # A clinician cannot assign a code that is not imported.
    response = world.client_for("clinician_treating").post(
        f"/clinic/patients/{world.patient_a.public_id}/questionnaires/assign/",
        {"instrument": "phq9_org", "mode": "self"},
    )
    assert response.status_code == 302
    assert not Assignment.objects.filter(instrument_code="phq9_org").exists()


# ------------------------------------------------------------------------- collisions


def test_the_code_of_a_bundled_instrument_is_refused(world: World) -> None:
    response = admin_upload(
        world, instrument_to_questionnaire(get_instrument("phq9"), language="nl")
    )
    assert response.status_code == 400
    body = response.content.decode()
    assert "De vragenlijst is niet geïmporteerd" in body
    assert "De code phq9 hoort bij een vragenlijst die met Maatwerk wordt meegeleverd" in body
    assert not ImportedInstrument.objects.exists()
    # Also under a new version number: the code is Maatwerk's.
    response = admin_upload(world, own_questionnaire(code="gad7", version="9.0"))
    assert response.status_code == 400
    assert "De code gad7 hoort bij" in response.content.decode()
    assert not ImportedInstrument.objects.exists()


def test_reimport_replaces_only_while_no_assignment_uses_it(world: World) -> None:
    assert admin_upload(world, own_questionnaire()).status_code == 302
    renamed = own_questionnaire(name_nl="PHQ-9, verbeterde naam")
    response = admin_upload(world, renamed)
    assert response.status_code == 302
    assert ImportedInstrument.objects.count() == 1
    assert instrument_for(world.org_a.pk, "phq9_org").name.get("nl") == "PHQ-9, verbeterde naam"
    events = AuditEvent.objects.filter(object_type="imported_instrument").order_by("sequence")
    assert [e.action for e in events] == ["create", "update"]

    assign(world, "phq9_org")
    response = admin_upload(world, own_questionnaire(name_nl="Nog een naam"))
    assert response.status_code == 400
    body = response.content.decode()
    assert "is al toegewezen" in body and "nieuwe versie" in body
    assert instrument_for(world.org_a.pk, "phq9_org").name.get("nl") == "PHQ-9, verbeterde naam"

    # A new version is imported next to it; new assignments get the latest version.
    assert admin_upload(world, own_questionnaire(version="1.1")).status_code == 302
    assert ImportedInstrument.objects.count() == 2
    assert assign(world, "phq9_org").instrument_version == "1.1"
    assert instrument_for(world.org_a.pk, "phq9_org", "1.0").version == "1.0"
    codes = [(i.code, i.version) for i, _usable in instruments_for(world.org_a.pk)]
    assert ("phq9_org", "1.1") in codes and ("phq9_org", "1.0") not in codes


def test_the_same_code_can_be_imported_by_two_organizations(world: World) -> None:
    from maatwerk.web.common.actor import actor_for_user
    from maatwerk.web.questionnaires.instruments import imported_instrument_import
    from tests.web.world import make_membership, make_user

    assert admin_upload(world, own_questionnaire()).status_code == 302
    admin_b = make_user("admin@b.test", "Org Admin B", second_factor=True)
    make_membership(admin_b, world.org_b, "organization_admin")
    content = json.dumps(own_questionnaire(name_nl="Die van B")).encode()
    _stored, created = imported_instrument_import(
        actor=actor_for_user(admin_b, access_point="test"),
        organization=world.org_b,
        content=content,
        filename="b.json",
    )
    assert created
    assert instrument_for(world.org_b.pk, "phq9_org").name.get("nl") == "Die van B"
    assert instrument_for(world.org_a.pk, "phq9_org").name.get("nl") != "Die van B"


# -------------------------------------------------------------------- invalid resources


def test_a_file_that_is_not_json_is_refused(world: World) -> None:
    response = admin_upload(world, b"{not json")
    assert response.status_code == 400
    body = response.content.decode()
    assert "Het bestand is geen geldige JSON" in body and "line 1" in body
    assert not ImportedInstrument.objects.exists()


def test_a_questionnaire_without_the_definition_extension_is_refused(world: World) -> None:
    resource = own_questionnaire()
    resource["extension"] = [
        e for e in resource["extension"] if e["url"] != EXT_INSTRUMENT_DEFINITION
    ]
    response = admin_upload(world, resource)
    assert response.status_code == 400
    body = response.content.decode()
    assert "De Maatwerk-extensie met de instrumentdefinitie ontbreekt" in body
    assert EXT_INSTRUMENT_DEFINITION in body  # the technical detail is kept
    assert not ImportedInstrument.objects.exists()


def test_every_structural_problem_is_listed(world: World) -> None:
    resource = own_questionnaire()
    resource["item"][1]["bogus"] = True
    resource["date"] = "not a date"
    resource["item"][2]["required"] = "maybe"
    response = admin_upload(world, resource)
    assert response.status_code == 400
    body = response.content.decode()
    assert body.count("Geen geldige FHIR R4-Questionnaire") == 3
    for location in ("Questionnaire.date", "item[1].bogus", "item[2].required"):
        assert location in body
    # fhir.resources reports a missing required element once the fields are valid.
    resource = own_questionnaire()
    del resource["status"]
    body = admin_upload(world, resource).content.decode()
    assert "Geen geldige FHIR R4-Questionnaire: Questionnaire.status" in body
    assert not ImportedInstrument.objects.exists()


def test_an_invalid_definition_and_mismatching_items_are_listed(world: World) -> None:
    resource = own_questionnaire()
    definition = json.loads(resource["extension"][0]["valueString"])
    definition["scales"][0]["method"] = "median"
    resource["extension"][0]["valueString"] = json.dumps(definition)
    body = admin_upload(world, resource).content.decode()
    assert "De instrumentdefinitie in de extensie is ongeldig" in body and "method" in body

    resource = own_questionnaire()
    resource["item"] = [item for item in resource["item"] if item["linkId"] != "phq9_3"]
    body = admin_upload(world, resource).content.decode()
    assert "De vragen komen niet overeen met de instrumentdefinitie" in body
    assert "phq9_3" in body
    assert not ImportedInstrument.objects.exists()


def test_an_instrument_without_item_texts_is_refused(world: World) -> None:
    response = admin_upload(world, own_questionnaire("tsk", code="tsk_org"))
    assert response.status_code == 400
    body = response.content.decode()
    assert "De vraag tsk_1 heeft geen tekst" in body and "tsk_17" in body
    assert not ImportedInstrument.objects.exists()


def test_the_licensed_texts_form_still_works_beside_it(world: World) -> None:
    response = world.client_for("org_admin").post(
        PAGE, {"texts": SimpleUploadedFile("t.json", b"\x00not json")}
    )
    assert response.status_code == 400
    body = response.content.decode()
    assert "Het bestand is niet geïmporteerd" in body
    assert "De vragenlijst is niet geïmporteerd" not in body
    response = world.client_for("org_admin").post(PAGE, {"form": "questionnaire"})
    assert response.status_code == 400
    assert "Kies een bestand met een FHIR-Questionnaire" in response.content.decode()

"""An organization imports licensed item texts for a structure-only instrument (TSK)."""

from __future__ import annotations

import json
from decimal import Decimal

from django.core.files.uploadedfile import SimpleUploadedFile

from maatwerk.web.questionnaires.models import Assignment, LicensedTexts, ScaleResult
from tests.web.world import World

TSK_ITEMS = [f"tsk_{n}" for n in range(1, 18)]


def placeholder_text_set(items: list[str]) -> dict[str, object]:
    """Test texts only: obviously not the real (licensed) TSK statements."""
    return {
        "format": 1,
        "instrument": "tsk",
        "version": "1.0",
        "licence_holder": "Organization A (test)",
        "statement": "Test licence statement",
        "items": [
            {"id": item, "text": {"nl": f"Teststelling {item}", "en": f"Test {item}"}}
            for item in items
        ],
        "option_labels": [
            {
                "response_set": "agree_1_4",
                "value": value,
                "label": {"nl": f"optie {value}", "en": f"option {value}"},
            }
            for value in (1, 2, 3, 4)
        ],
    }


def upload(world: World, document: object, name: str = "tsk-texts.json"):  # type: ignore[no-untyped-def]
    content = document if isinstance(document, bytes) else json.dumps(document).encode()
    return world.client_for("org_admin").post(
        "/organization/instruments/", {"texts": SimpleUploadedFile(name, content)}
    )


def test_imported_texts_make_the_instrument_usable_and_scored(world: World) -> None:
    assert upload(world, placeholder_text_set(TSK_ITEMS)).status_code == 302
    stored = LicensedTexts.objects.get(organization=world.org_a, instrument_code="tsk")
    assert stored.licence_holder == "Organization A (test)"
    clinician = world.client_for("clinician_treating")
    clinician.post(
        f"/clinic/patients/{world.patient_a.public_id}/questionnaires/assign/",
        {"instrument": "tsk", "mode": "self"},
    )
    assignment = Assignment.objects.get(instrument_code="tsk")
    page = world.client_for("patient_a").get(f"/questionnaires/{assignment.public_id}/")
    assert "Teststelling tsk_1" in page.content.decode()
    # All items 4: reversed items 4, 8, 12, 16 count 5 - 4 = 1 → 13*4 + 4*1 = 56.
    answers = {f"item-{item}": "4" for item in TSK_ITEMS}
    world.client_for("patient_a").post(f"/questionnaires/{assignment.public_id}/submit/", answers)
    assert ScaleResult.objects.get(assignment=assignment).value == Decimal(56)


def test_texts_of_one_organization_are_not_used_by_another(world: World) -> None:
    upload(world, placeholder_text_set(TSK_ITEMS))
    from maatwerk.core.instruments.registry import get_instrument
    from maatwerk.web.questionnaires.instruments import has_item_texts

    assert has_item_texts(world.org_a.pk, get_instrument("tsk"))
    assert not has_item_texts(world.org_b.pk, get_instrument("tsk"))


def test_incomplete_texts_are_refused_with_every_problem_and_nothing_stored(world: World) -> None:
    response = upload(world, placeholder_text_set(TSK_ITEMS[:15]))
    assert response.status_code == 400
    body = response.content.decode()
    assert "items[15].text" in body and "items[16].text" in body  # tsk_16 and tsk_17
    assert not LicensedTexts.objects.exists()


def test_a_file_that_is_not_json_is_refused_clearly(world: World) -> None:
    response = upload(world, b"\x00not json", name="texts.json")
    assert response.status_code == 400
    assert "niet geïmporteerd" in response.content.decode()
    assert not LicensedTexts.objects.exists()


def test_only_organization_admins_import_texts(world: World) -> None:
    for role in ("clinician_treating", "patient_a", "researcher"):
        assert world.client_for(role).get("/organization/instruments/").status_code == 404


def test_imported_anchors_are_read_at_both_ends_of_a_rating(world: World) -> None:
    texts = {
        "format": 1,
        "instrument": "tfi",
        "version": "1.0",
        "licence_holder": "Organization A (test)",
        "statement": "Test licence statement",
        "items": [{"id": f"tfi_{n}", "text": {"nl": f"Testvraag {n}"}} for n in range(1, 26)],
        "anchor_labels": [
            {
                "response_set": f"tfi_{n}_rating",
                "min_label": {"nl": f"testbegin {n}"},
                "max_label": {"nl": f"testeinde {n}"},
            }
            for n in range(1, 26)
        ],
    }
    assert upload(world, texts, name="tfi-texts.json").status_code == 302
    world.client_for("clinician_treating").post(
        f"/clinic/patients/{world.patient_a.public_id}/questionnaires/assign/",
        {"instrument": "tfi", "mode": "self"},
    )
    assignment = Assignment.objects.get(instrument_code="tfi")
    page = world.client_for("patient_a").get(f"/questionnaires/{assignment.public_id}/")
    html = page.content.decode()
    # Item 1 is a percentage (0-100 in steps of 10), item 2 a rating 0-10.
    assert "0 – testbegin 1</label>" in html and "100 – testeinde 1</label>" in html
    assert "0 – testbegin 2</label>" in html and "10 – testeinde 2</label>" in html
    assert "50 – " not in html  # only the ends carry words


def test_which_instruments_are_usable_is_one_read_and_agrees_with_each_check(
    world: World, django_assert_num_queries
) -> None:
    """The assign form's list reads the organization's licensed texts once, and says for
    each instrument version what the check of that one version says."""
    from maatwerk.web.questionnaires.instruments import has_item_texts, instruments_for

    def usable(organization_id: int) -> dict[tuple[str, str], bool]:
        with django_assert_num_queries(2):  # the licensed texts and the imported instruments
            listed = instruments_for(organization_id)
        return {(instrument.code, instrument.version): ok for instrument, ok in listed}

    before = usable(world.org_a.pk)
    assert before[("tsk", "1.0")] is False
    assert upload(world, placeholder_text_set(TSK_ITEMS)).status_code == 302
    after = usable(world.org_a.pk)
    assert after[("tsk", "1.0")] is True
    assert {key for key, ok in after.items() if ok} - {("tsk", "1.0")} == {
        key for key, ok in before.items() if ok
    }
    elsewhere = usable(world.org_b.pk)
    assert elsewhere[("tsk", "1.0")] is False  # another organization's licence
    for organization_id, found in ((world.org_a.pk, after), (world.org_b.pk, elsewhere)):
        for instrument, _ok in instruments_for(organization_id):
            key = (instrument.code, instrument.version)
            assert found[key] is has_item_texts(organization_id, instrument), key


def test_texts_imported_again_replace_the_ones_in_use(world: World) -> None:
    """The definition with the texts applied is kept per stored version of the texts: a
    new import is used from the next request on."""
    from maatwerk.web.questionnaires.instruments import instrument_for

    assert upload(world, placeholder_text_set(TSK_ITEMS)).status_code == 302
    first = LicensedTexts.objects.get(organization=world.org_a, instrument_code="tsk")
    assert instrument_for(world.org_a.pk, "tsk").item("tsk_1").text.get("nl") == (
        "Teststelling tsk_1"
    )
    changed = placeholder_text_set(TSK_ITEMS)
    changed["items"][0]["text"]["nl"] = "Nieuwe teststelling 1"  # type: ignore[index]
    assert upload(world, changed).status_code == 302
    again = LicensedTexts.objects.get(organization=world.org_a, instrument_code="tsk")
    assert again.pk == first.pk and again.imported_at > first.imported_at
    assert instrument_for(world.org_a.pk, "tsk").item("tsk_1").text.get("nl") == (
        "Nieuwe teststelling 1"
    )
    assert instrument_for(world.org_b.pk, "tsk").item("tsk_1").text is None

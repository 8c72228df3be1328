"""Refusals of the providers app (issue 11): for every POST URL of the provider directory
and the referrals, invalid input gives the error on its field (status 400, the page
again), nothing is saved, and exactly one ``refused`` audit event is written."""

from __future__ import annotations

import html
from collections.abc import Callable
from dataclasses import dataclass

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from maatwerk.web.audit.models import AuditEvent
from maatwerk.web.providers.forms import MAX_UPLOAD_BYTES
from maatwerk.web.providers.models import PostcodeArea, Provider, Referral
from tests.web.test_referrals import signed, world_provider, world_referral
from tests.web.world import World

pytestmark = pytest.mark.django_db

COVERED_URL_NAMES = {
    "providers:directory_import",
    "providers:gazetteer",
    "providers:provider_active",
    "providers:provider_create",
    "providers:provider_edit",
    "providers:referral_cancel",
    "providers:referral_consent",
    "providers:referral_create",
    "providers:referral_send",
}


def _csv(text: str | bytes) -> dict[str, object]:
    data = text.encode() if isinstance(text, str) else text
    return {"file": SimpleUploadedFile("file.csv", data, content_type="text/csv")}


def _state(world: World) -> object:
    """Every row the providers app writes, with the fields its writes change."""
    return (
        list(Provider.objects.order_by("pk").values_list("pk", "name", "is_active", "email")),
        list(PostcodeArea.objects.order_by("pk").values_list("pk", "latitude")),
        list(
            Referral.objects.order_by("pk").values_list(
                "pk", "status", "consent_given", "consent_method", "signed_by", "letter_pdf"
            )
        ),
    )


def _sent(world: World) -> Referral:
    referral = world_referral(world, consented=True)
    world.client_for("clinician_treating").post(
        f"/providers/referrals/{referral.public_id}/send/", signed(world)
    )
    referral.refresh_from_db()
    assert referral.status == Referral.Status.SENT
    return referral


def _referral(what: str, *, consented: bool = False) -> Callable[[World], str]:
    def path(world: World) -> str:
        return (
            f"/providers/referrals/{world_referral(world, consented=consented).public_id}/{what}/"
        )

    return path


def _new(world: World) -> str:
    return f"/providers/patients/{world.patient_a.public_id}/referrals/new/"


def _provider(what: str) -> Callable[[World], str]:
    return lambda w: f"/providers/directory/{world_provider(w).public_id}/{what}/"


@dataclass(frozen=True)
class Refusal:
    role: str
    path: Callable[[World], str]
    data: Callable[[World], dict[str, object]]
    fields: set[str]  # the fields the refusal names
    says: str = ""  # a message the page shows (English: the msgid)
    setup: Callable[[World], object] = lambda world: None


BAD_ROWS = (
    "name;postcode;disciplines;waiting_weeks\n"
    "Drs. Eva Domstad;3511 AB;gz_psycholoog;2\n"  # a valid row...
    "Nieuw;99999;tandarts;²\n"  # ...and a wrong one: nothing is saved
)

REFUSALS: dict[str, Refusal] = {
    "providers:directory_import without a file": Refusal(
        "org_admin",
        lambda w: "/providers/directory/import/",
        lambda w: {},
        {"file"},
        "Choose a CSV file to import.",
    ),
    "providers:directory_import with wrong rows": Refusal(
        "org_admin",
        lambda w: "/providers/directory/import/",
        lambda w: _csv(BAD_ROWS),
        {"file"},
        "Line 3, column “postcode” (postcode): “99999” is not a Dutch postcode",
    ),
    "providers:directory_import too large": Refusal(
        "org_admin",
        lambda w: "/providers/directory/import/",
        lambda w: _csv(b"name;postcode;disciplines\n" + b"x" * MAX_UPLOAD_BYTES),
        {"file"},
        "The file is larger than 2 MB.",
    ),
    "providers:gazetteer with a wrong row": Refusal(
        "org_admin",
        lambda w: "/providers/directory/postcodes/",
        lambda w: _csv("pc4;place;latitude;longitude\n3511;Utrecht;noord;5,12\n"),
        {"file"},
        "Line 2, column “latitude” (latitude): “noord” is not a number.",
    ),
    "providers:gazetteer without a file": Refusal(
        "org_admin",
        lambda w: "/providers/directory/postcodes/",
        lambda w: {"file": "not a file"},
        {"file"},
        "Choose a CSV file to import.",
    ),
    "providers:provider_create": Refusal(
        "org_admin",
        lambda w: "/providers/directory/new/",
        lambda w: {
            "name": "x" * 201,
            "postcode": "99999",
            "disciplines": ["tandarts"],
            "email": "nope",
            "waiting_weeks": "٣",
        },
        {"name", "postcode", "disciplines", "email", "waiting_weeks"},
        "“nope” is not an email address.",
    ),
    "providers:provider_edit": Refusal(
        "org_admin",
        _provider("edit"),
        lambda w: {"name": "", "postcode": "3511 AB", "disciplines": ["gz_psycholoog"]},
        {"name"},
        "This is required.",
    ),
    "providers:provider_active": Refusal(
        "org_admin",
        _provider("active"),
        lambda w: {"active": "perhaps"},
        {"active"},
        "Choose to activate or deactivate the provider.",
    ),
    "providers:referral_create": Refusal(
        "clinician_treating",
        _new,
        lambda w: {
            "provider": str(world_provider(w).public_id),
            "care_level": "nowhere",
            "question": "x" * 4001,
        },
        {"care_level", "question"},
        "The text is too long (at most 4000 characters).",
    ),
    "providers:referral_create without a provider": Refusal(
        "clinician_treating",
        _new,
        lambda w: {"provider": "not-an-id", "care_level": "basis_ggz", "question": "Vraag"},
        {"provider"},
        "Choose a provider in the search.",
    ),
    "providers:referral_consent": Refusal(
        "clinician_treating",
        _referral("consent"),
        lambda w: {"consent_method": "telepathy"},
        {"consent_method"},
        "Choose how the patient gave their consent.",
    ),
    "providers:referral_send by someone who may not refer": Refusal(
        "clinician_treating",
        _referral("send", consented=True),
        lambda w: {"signer": str(w.users["clinician_treating"].public_id)},
        {"signer"},
        "Choose the GP who signs this referral.",
        setup=signed,
    ),
    "providers:referral_send without consent": Refusal(
        "clinician_treating",
        _referral("send"),
        signed,
        {"__all__"},
        "consent is not recorded",
    ),
    "providers:referral_cancel when already sent": Refusal(
        "clinician_treating",
        lambda w: f"/providers/referrals/{_sent(w).public_id}/cancel/",
        lambda w: {},
        {"__all__"},
        "already sent or cancelled",
    ),
}


def test_every_covered_url_has_a_refusal_case() -> None:
    assert {name.split(" ")[0] for name in REFUSALS} == COVERED_URL_NAMES


@pytest.mark.parametrize("case", sorted(REFUSALS))
def test_invalid_input_is_refused_on_its_fields_and_audited_once(world: World, case: str) -> None:
    refusal = REFUSALS[case]
    world.users[refusal.role].language = "en"
    world.users[refusal.role].save(update_fields=["language"])
    refusal.setup(world)
    path, data = refusal.path(world), refusal.data(world)
    client = world.client_for(refusal.role)
    before = _state(world)
    last = AuditEvent.objects.order_by("-sequence").values_list("sequence", flat=True).first()
    response = client.post(path, data)
    assert response.status_code == 400, response.content[:500]
    body = response.content.decode()
    assert refusal.says in html.unescape(body), body[:3000]
    errors = response.context.get("errors")
    if errors is not None:  # the forms: each error on its field
        assert refusal.fields <= set(errors), errors
    assert _state(world) == before
    events = list(AuditEvent.objects.filter(sequence__gt=last or 0).order_by("sequence"))
    assert [e.outcome for e in events] == ["refused"], [
        (e.action, e.object_type, e.outcome, e.detail) for e in events
    ]
    assert events[0].object_type in ("referral", "provider_directory")
    for field in refusal.fields:
        assert field in events[0].detail


def test_import_problems_are_in_the_users_language(world: World) -> None:
    """Every problem of the file is said in the admin's own language, with its line and
    column."""
    world.users["org_admin"].language = "nl"
    world.users["org_admin"].save(update_fields=["language"])
    response = world.client_for("org_admin").post("/providers/directory/import/", _csv(BAD_ROWS))
    assert response.status_code == 400
    body = response.content.decode()
    assert "Regel 3, kolom „postcode” (postcode): „99999” is geen Nederlandse postcode" in body
    assert "„tandarts” is geen bekende discipline" in body
    missing = world.client_for("org_admin").post("/providers/directory/import/", {})
    assert "Kies een CSV-bestand om te importeren." in missing.content.decode()


def test_a_provider_of_another_organization_is_denied_not_refused(world: World) -> None:
    """An id outside the actor's scope is a 404 and one ``denied`` event, also when the
    rest of the form is wrong too."""
    elsewhere = Provider.objects.create(
        organization=world.org_b, key="name:x|3511AB", name="Elsewhere", postcode="3511 AB"
    )
    last = AuditEvent.objects.order_by("-sequence").values_list("sequence", flat=True).first()
    response = world.client_for("clinician_treating").post(
        _new(world), {"provider": str(elsewhere.public_id), "care_level": "", "question": ""}
    )
    assert response.status_code == 404
    events = list(AuditEvent.objects.filter(sequence__gt=last or 0))
    assert [(e.object_type, e.outcome) for e in events] == [("referral", "denied")]
    assert not Referral.objects.exists()
    admin = world.client_for("org_admin")
    for what in ("edit", "active"):
        path = f"/providers/directory/{elsewhere.public_id}/{what}/"
        assert admin.post(path, {"active": "yes", "name": "Mine"}).status_code == 404
    elsewhere.refresh_from_db()
    assert (elsewhere.name, elsewhere.is_active) == ("Elsewhere", True)

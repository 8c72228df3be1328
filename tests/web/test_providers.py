"""The provider directory: CSV import/export (all or nothing), the gazetteer, the admin
pages, search by postcode distance with reasons, and who may see what."""

from __future__ import annotations

import pytest
from django.test import Client

from maatwerk.web.audit.models import AuditEvent
from maatwerk.web.providers.models import PostcodeArea, Provider
from tests.web.world import World

# Approximate centres (public geography), used only as test data.
GAZETTEER = (
    "pc4;place;latitude;longitude\n"
    "3511;Utrecht;52,0907;5,1214\n"  # Utrecht centre
    "3701;Zeist;52,0894;5,2330\n"  # Zeist, 7.6 km east of Utrecht centre
    "3811;Amersfoort;52,1561;5,3878\n"  # Amersfoort, 19.4 km from Utrecht centre
)
PROVIDERS = (
    "name;practice;postcode;place;disciplines;expertise;modalities;languages;"
    "waiting_weeks;agb_code;latitude;longitude\n"
    "Drs. Eva Domstad;Psychologenpraktijk Dom;3511 AB;Utrecht;gz_psycholoog;act|cbt_pss;"
    "face_to_face|online;nl|en;4;94000001;;\n"
    "Drs. Ali Zeist;Praktijk Zeist;3701 AA;Zeist;gz_psycholoog;cognitive_restructuring|act;"
    "face_to_face;nl|tr;6;;;\n"
    "Fysio Eem;Fysiotherapie Eem;3811 BB;Amersfoort;fysiotherapeut;graded_activity;"
    "face_to_face;nl;1;;;\n"
)


def _upload(client: Client, url: str, text: str | bytes, name: str = "file.csv") -> object:
    from django.core.files.uploadedfile import SimpleUploadedFile

    data = text.encode() if isinstance(text, str) else text
    return client.post(url, {"file": SimpleUploadedFile(name, data, content_type="text/csv")})


def english(world: World, *roles: str) -> None:
    """Messages are asserted in English (the msgids), whatever the translations say."""
    for role in roles:
        world.users[role].language = "en"
        world.users[role].save(update_fields=["language"])


@pytest.fixture
def directory(world: World) -> World:
    english(world, "org_admin", "clinician_treating", "clinician_other_org")
    admin = world.client_for("org_admin")
    assert _upload(admin, "/providers/directory/postcodes/", GAZETTEER).status_code == 302
    assert _upload(admin, "/providers/directory/import/", PROVIDERS).status_code == 302
    return world


def test_import_creates_providers_and_gazetteer(directory: World) -> None:
    assert PostcodeArea.objects.filter(organization=directory.org_a).count() == 3
    providers = Provider.objects.filter(organization=directory.org_a).order_by("name")
    assert [p.name for p in providers] == ["Drs. Ali Zeist", "Drs. Eva Domstad", "Fysio Eem"]
    eva = providers.get(name="Drs. Eva Domstad")
    assert eva.key == "agb:94000001"
    assert eva.expertise == ["act", "cbt_pss"]
    assert eva.languages == ["nl", "en"]


def test_a_bad_row_saves_nothing_and_names_line_and_column(directory: World) -> None:
    admin = directory.client_for("org_admin")
    before = list(Provider.objects.values_list("name", "waiting_weeks"))
    bad = (
        "name;postcode;disciplines;waiting_weeks\n"
        "Drs. Eva Domstad;3511 AB;gz_psycholoog;2\n"  # a valid change...
        "Nieuw;99999;tandarts;3\n"  # ...but this row is wrong
    )
    response = _upload(admin, "/providers/directory/import/", bad)
    assert response.status_code == 400
    body = response.content.decode()
    assert "Line 3, column “postcode” (postcode): “99999” is not a Dutch postcode" in body
    assert (
        "Line 3, column “disciplines” (disciplines): “tandarts” is not a known discipline" in body
    )
    assert list(Provider.objects.values_list("name", "waiting_weeks")) == before
    event = AuditEvent.objects.order_by("-sequence").first()
    assert event is not None and (event.object_type, event.outcome) == (
        "provider_directory",
        "refused",
    )


def test_errors_are_in_the_users_language(directory: World) -> None:
    directory.users["org_admin"].language = "nl"
    directory.users["org_admin"].save(update_fields=["language"])
    admin = directory.client_for("org_admin")
    response = _upload(admin, "/providers/directory/import/", "name;postcode\nX;3511 AB\n")
    assert response.status_code == 400
    assert 'lang="nl"' in response.content.decode()


def test_import_updates_by_key_and_export_round_trips(directory: World) -> None:
    admin = directory.client_for("org_admin")
    change = "name;postcode;disciplines;waiting_weeks\nDrs. Ali Zeist;3701AA;gz_psycholoog;9\n"
    assert _upload(admin, "/providers/directory/import/", change).status_code == 302
    ali = Provider.objects.get(name="Drs. Ali Zeist")
    assert ali.waiting_weeks == 9 and ali.languages == []  # the row is the whole record
    assert Provider.objects.filter(organization=directory.org_a).count() == 3

    exported = admin.get("/providers/directory/providers.csv")
    assert exported.status_code == 200
    text = exported.content.decode("utf-8-sig")
    snapshot = list(Provider.objects.order_by("name").values())
    assert _upload(admin, "/providers/directory/import/", text).status_code == 302
    assert list(Provider.objects.order_by("name").values()) == [
        row | {"updated_at": again["updated_at"]}
        for row, again in zip(snapshot, Provider.objects.order_by("name").values(), strict=True)
    ]


def test_export_neutralizes_formulas_and_the_import_takes_them_back(directory: World) -> None:
    # A spreadsheet runs a cell starting with = + - @ as a formula (CSV injection); the
    # export puts a quote before it, the import of that export takes the quote off again.
    admin = directory.client_for("org_admin")
    eva = Provider.objects.get(name="Drs. Eva Domstad")
    eva.name = '=HYPERLINK("http://example.org","Eva")'
    eva.phone = "+31 30 123 4567"
    eva.notes = "@SUM(A1:A2)"
    eva.save()
    text = admin.get("/providers/directory/providers.csv").content.decode("utf-8-sig")
    eva_line = next(line for line in text.splitlines() if "HYPERLINK" in line)
    assert eva_line.startswith("\"'=HYPERLINK(")
    assert ";'+31 30 123 4567;" in eva_line and ";'@SUM(A1:A2);" in eva_line
    assert _upload(admin, "/providers/directory/import/", text).status_code == 302
    eva.refresh_from_db()
    assert (eva.name, eva.phone, eva.notes) == (
        '=HYPERLINK("http://example.org","Eva")',
        "+31 30 123 4567",
        "@SUM(A1:A2)",
    )


def test_search_ranks_by_waiting_time_then_distance_from_the_postcode(directory: World) -> None:
    clinician = directory.client_for("clinician_treating")
    response = clinician.get("/providers/search/", {"postcode": "3511 XZ"})
    assert response.status_code == 200
    names = [r.provider.name for r in response.context["results"]]
    # No care level: waiting time decides (Fysio Eem 1 week, Eva 4, Ali 6), then distance
    # (Eva's PC4 3511 is the search's own area, 0 km; Zeist 7.6 km; Amersfoort 19.4 km).
    assert names == ["Fysio Eem", "Drs. Eva Domstad", "Drs. Ali Zeist"]
    reasons = response.context["results"][2].reasons
    assert "7.6 km away" in reasons
    # The distance the ordering promises is on each result itself, not only in the
    # folded reasons.
    cards = response.content.decode().split('<li class="card">')[1:]
    assert [card.split('<p class="distance">')[1].split("</p>")[0] for card in cards] == [
        "19.6 km away, as the crow flies",
        "0.0 km away, as the crow flies",
        "7.6 km away, as the crow flies",
    ]
    assert "then waiting time, then distance." in response.content.decode()
    # With the care level, fit comes first: the physiotherapist does not fit basis-GGZ.
    level = clinician.get("/providers/search/", {"postcode": "3511", "care_level": "basis_ggz"})
    results = level.context["results"]
    assert [r.provider.name for r in results] == [
        "Drs. Eva Domstad",
        "Drs. Ali Zeist",
        "Fysio Eem",
    ]
    assert [r.fit for r in results] == [
        "Fits the care level",
        "Fits the care level",
        "Does not fit the care level",
    ]


def test_max_distance_and_filters(directory: World) -> None:
    clinician = directory.client_for("clinician_treating")
    near = clinician.get("/providers/search/", {"postcode": "3511", "max_distance_km": "10"})
    assert [r.provider.name for r in near.context["results"]] == [
        "Drs. Eva Domstad",
        "Drs. Ali Zeist",
    ]
    turkish = clinician.get("/providers/search/", {"postcode": "3511", "language": "tr"})
    assert [r.provider.name for r in turkish.context["results"]] == ["Drs. Ali Zeist"]
    quick = clinician.get("/providers/search/", {"postcode": "3511", "max_waiting_weeks": "4"})
    assert [r.provider.name for r in quick.context["results"]] == [
        "Fysio Eem",  # 1 week
        "Drs. Eva Domstad",  # 4 weeks
    ]
    level = clinician.get("/providers/search/", {"postcode": "3511", "care_level": "basis_ggz"})
    assert [r.provider.name for r in level.context["results"]][-1] == "Fysio Eem"


def test_unknown_postcode_area_is_said_and_search_goes_on_without_distance(
    directory: World,
) -> None:
    clinician = directory.client_for("clinician_treating")
    response = clinician.get("/providers/search/", {"postcode": "9711 AA"})
    body = response.content.decode()
    assert "This postcode area is not in your organization" in body
    assert len(response.context["results"]) == 3
    assert all("Distance" not in " ".join(r.reasons) for r in response.context["results"])
    # Without a known origin no distance is promised or shown.
    assert "then distance" not in body and "km away" not in body
    assert "Ordered by fit with the care level, then waiting time. Enter a postcode" in body
    invalid = clinician.get("/providers/search/", {"postcode": "abc"})
    assert "This is not a Dutch postcode" in invalid.content.decode()


def test_bad_filter_values_are_explained(directory: World) -> None:
    clinician = directory.client_for("clinician_treating")
    response = clinician.get(
        "/providers/search/",
        {"postcode": "3511", "max_distance_km": "-3", "max_waiting_weeks": "x"},
    )
    body = response.content.decode()
    assert "Enter a distance in kilometres greater than 0" in body
    assert "Enter a whole number of weeks" in body


def test_provider_location_falls_back_to_the_gazetteer(directory: World) -> None:
    clinician = directory.client_for("clinician_treating")
    response = clinician.get("/providers/search/", {"postcode": "3511"})
    assert {r.location_source for r in response.context["results"]} == {"pc4"}


def test_admin_adds_edits_and_deactivates(directory: World) -> None:
    admin = directory.client_for("org_admin")
    for page in (
        "/providers/directory/",
        "/providers/directory/new/",
        "/providers/directory/postcodes/",
    ):
        assert admin.get(page).status_code == 200, page
    response = admin.post(
        "/providers/directory/new/",
        {
            "name": "Huisartsenpraktijk Oog in Al",
            "postcode": "3531ab",
            "disciplines": ["huisarts"],
            "modalities": ["face_to_face"],
            "languages": "nl, en",
            "expertise_other": "cbt_pss",
            "active": "yes",
        },
    )
    assert response.status_code == 302
    provider = Provider.objects.get(name="Huisartsenpraktijk Oog in Al")
    assert (provider.postcode, provider.languages, provider.expertise) == (
        "3531 AB",
        ["nl", "en"],
        ["cbt_pss"],
    )
    bad = admin.post(
        f"/providers/directory/{provider.public_id}/edit/",
        {"name": "", "postcode": "3531 AB", "disciplines": ["huisarts"], "email": "nope"},
    )
    assert bad.status_code == 400
    body = bad.content.decode()
    assert 'id="f-name-msg"' in body and 'aria-describedby="f-name-msg"' in body
    assert "“nope” is not an email address." in body
    provider.refresh_from_db()
    assert provider.name == "Huisartsenpraktijk Oog in Al"
    assert admin.post(f"/providers/directory/{provider.public_id}/active/").status_code == 302
    provider.refresh_from_db()
    assert not provider.is_active
    clinician = directory.client_for("clinician_treating")
    names = [
        r.provider.name
        for r in clinician.get("/providers/search/", {"postcode": "3511"}).context["results"]
    ]
    assert "Huisartsenpraktijk Oog in Al" not in names


def test_same_key_is_refused_in_the_form(directory: World) -> None:
    admin = directory.client_for("org_admin")
    response = admin.post(
        "/providers/directory/new/",
        {"name": "Drs. Ali Zeist", "postcode": "3701 AA", "disciplines": ["gz_psycholoog"]},
    )
    assert response.status_code == 400
    assert "already has a provider" in response.content.decode()


def test_other_organizations_directory_is_invisible(directory: World) -> None:
    other = directory.client_for("clinician_other_org")
    response = other.get("/providers/search/", {"postcode": "3511"})
    assert response.status_code == 200
    assert response.context["results"] == []
    eva = Provider.objects.get(name="Drs. Eva Domstad")
    assert (
        other.get(
            f"/providers/patients/{directory.patient_a.public_id}/referrals/new/",
            {"provider": str(eva.public_id)},
        ).status_code
        == 404
    )


@pytest.mark.parametrize(
    "role", ["patient_a", "clinician_treating", "team_lead", "researcher", "anonymous"]
)
def test_only_org_admins_manage_the_directory(directory: World, role: str) -> None:
    client = directory.client_for(role)
    for path in (
        "/providers/directory/",
        "/providers/directory/providers.csv",
        "/providers/directory/postcodes/",
        "/providers/directory/new/",
    ):
        response = client.get(path)
        assert response.status_code in (302, 404), (role, path)
        if response.status_code == 302:
            assert "/login/" in response["Location"]


def test_patients_cannot_search_the_directory(directory: World) -> None:
    assert directory.client_for("patient_a").get("/providers/search/").status_code == 404


@pytest.mark.django_db
def test_demo_organization_has_a_provider_map_and_a_consented_referral() -> None:
    from maatwerk.core.referral.directory_csv import read_providers_csv
    from maatwerk.web.demo.providers import DEMO_PROVIDERS
    from maatwerk.web.demo.services import DEMO_ORGANIZATION, demo_load
    from maatwerk.web.providers.models import Referral
    from maatwerk.web.providers.selectors import DirectoryAccess, gazetteer_of, provider_location

    demo_load()
    providers = list(Provider.objects.filter(organization__name=DEMO_ORGANIZATION))
    assert len(providers) == len(DEMO_PROVIDERS) >= 30
    gazetteer = gazetteer_of(DirectoryAccess(providers[0].organization))
    assert all(provider_location(p, gazetteer)[0] is not None for p in providers)
    disciplines = {d for p in providers for d in p.disciplines}
    assert {"huisarts", "poh_ggz", "eerstelijnspsycholoog", "gz_psycholoog"} <= disciplines
    assert {"psychotherapeut", "fysiotherapeut", "psychomotorisch_therapeut"} <= disciplines
    assert any("l_mbt" in p.expertise for p in providers)
    assert {"nl", "en", "tr", "ar"} <= {code for p in providers for code in p.languages}
    (referral,) = Referral.objects.filter(patient__organization__name=DEMO_ORGANIZATION)
    assert referral.status == "sent" and referral.consent_given and referral.letter_pdf
    # The demo map exports and reads back through the import's own checks.
    again = read_providers_csv(_export_demo(providers[0].organization_id), disciplines=disciplines)
    assert again.ok and len(again.rows) == len(providers)


def _export_demo(organization_id: int) -> str:
    from maatwerk.core.referral.directory_csv import write_providers_csv
    from maatwerk.web.providers.services import row_of

    return write_providers_csv(
        row_of(p) for p in Provider.objects.filter(organization_id=organization_id)
    )


def test_region_filter_is_the_fallback_without_distance(directory: World) -> None:
    Provider.objects.filter(name="Fysio Eem").update(region="Eemland")
    Provider.objects.exclude(name="Fysio Eem").update(region="Utrecht")
    clinician = directory.client_for("clinician_treating")
    response = clinician.get("/providers/search/", {"postcode": "9711 AA", "region": "eemland"})
    assert response.context["outcome"].postcode_problem == "unknown_pc4"
    assert [r.provider.name for r in response.context["results"]] == ["Fysio Eem"]


def test_edit_form_shows_values_that_save_back_unchanged(directory: World) -> None:
    from datetime import date

    Provider.objects.filter(name="Drs. Ali Zeist").update(
        latitude=52.0894, longitude=5.233, waiting_as_of=date(2026, 10, 1)
    )
    directory.users["org_admin"].language = "nl"  # dates and numbers would be localized
    directory.users["org_admin"].save(update_fields=["language"])
    admin = directory.client_for("org_admin")
    ali = Provider.objects.get(name="Drs. Ali Zeist")
    page = admin.get(f"/providers/directory/{ali.public_id}/edit/").content.decode()
    assert 'value="2026-10-01"' in page and 'value="52.0894"' in page
    assert 'value="gz_psycholoog" checked' in page and 'value="act" checked' in page
    before = Provider.objects.filter(pk=ali.pk).values().get()
    form = {
        "name": ali.name,
        "postcode": ali.postcode,
        "practice": ali.practice,
        "place": ali.place,
        "latitude": "52.0894",
        "longitude": "5.233",
        "disciplines": ali.disciplines,
        "expertise": ali.expertise,
        "modalities": ali.modalities,
        "languages": "nl, tr",
        "waiting_weeks": "6",
        "waiting_as_of": "2026-10-01",
        "active": "yes",
    }
    assert admin.post(f"/providers/directory/{ali.public_id}/edit/", form).status_code == 302
    after = Provider.objects.filter(pk=ali.pk).values().get()
    assert after | {"updated_at": None} == before | {"updated_at": None}


def test_search_and_directory_queries_do_not_grow_with_the_directory(
    directory: World, django_assert_max_num_queries: object
) -> None:
    # 38 providers: the search reads the directory and the gazetteer once each, whatever
    # their size (22 queries measured, most of them the session, the actor and the audit).
    admin = directory.client_for("org_admin")
    header = "name;postcode;place;disciplines;expertise;modalities;languages;waiting_weeks\n"
    rows = "".join(
        f"Praktijk {i};3511 AB;Utrecht;gz_psycholoog;act;online;nl;{i % 9}\n" for i in range(35)
    )
    assert _upload(admin, "/providers/directory/import/", header + rows).status_code == 302
    clinician = directory.client_for("clinician_treating")
    with django_assert_max_num_queries(24):  # type: ignore[operator]
        response = clinician.get("/providers/search/", {"postcode": "3511 XZ"})
    assert len(response.context["results"]) == 38
    with django_assert_max_num_queries(19):  # type: ignore[operator]
        assert admin.get("/providers/directory/").status_code == 200

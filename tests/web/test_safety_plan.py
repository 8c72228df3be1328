"""The safety plan (veiligheidsplan): made and changed by the care team in the dossier,
read and partly changed by the patient in the portal, versioned, printable, readable
offline through a narrowly scoped service worker, with one audit event per action."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.test import Client
from django.utils import timezone

from maatwerk.web.audit.models import AuditEvent
from maatwerk.web.patients.models import EmergencyAccess, Patient
from maatwerk.web.safetyplan.models import SafetyPlan, SafetyPlanVersion
from tests.web.world import World

pytestmark = pytest.mark.django_db

CLINICIAN_PLAN = {
    "warning_signs-0-text": "Ik slaap slecht",
    "warning_signs-1-text": "Ik trek me terug",
    "coping-0-text": "Wandelen met de hond",
    "help_people-0-text": "Zus Anna",
    "help_people-0-phone": "06 12 34 56 78",
    "professionals-0-text": "POH-GGZ Jansen",
    "professionals-0-phone": "030-2345678",
    "safe_environment-0-text": "Medicijnen bij Anna bewaren",
    "reasons_to_live-0-text": "Mijn kinderen",
}


def _a(world: World) -> str:
    return str(world.patient_a.public_id)


def _edit(world: World) -> str:
    return f"/safety-plan/patients/{_a(world)}/edit/"


def _last_event() -> AuditEvent:
    event = AuditEvent.objects.order_by("-sequence").first()
    assert event is not None
    return event


def _events_since(count: int) -> list[AuditEvent]:
    return list(AuditEvent.objects.order_by("sequence"))[count:]


def with_safety_plan(world: World) -> SafetyPlan:
    """Patient A with version 1 of a plan made by the treating clinician."""
    response = world.client_for("clinician_treating").post(_edit(world), CLINICIAN_PLAN)
    assert response.status_code == 302, response.content[:300]
    return SafetyPlan.objects.get(patient=world.patient_a)


def ensure_safety_plan(world: World) -> dict[str, str]:
    """For the authorization matrix and audit coverage: a plan exists (no form data)."""
    if not SafetyPlan.objects.filter(patient=world.patient_a).exists():
        with_safety_plan(world)
    return {}


def safety_plan_path(world: World, suffix: str) -> str:
    ensure_safety_plan(world)
    return f"/safety-plan/patients/{_a(world)}/{suffix}"


def _emergency(world: World) -> None:
    now = timezone.now()
    EmergencyAccess.objects.create(
        patient=world.patient_a,
        membership=world.memberships["clinician_other_team"],
        reason="Patient calls the practice in crisis",
        granted_at=now,
        expires_at=now + timedelta(hours=1),
    )


# ------------------------------------------------------------------ the care team


def test_without_a_plan_the_page_offers_to_make_one_and_lists_the_crisis_lines(
    world: World,
) -> None:
    page = world.client_for("clinician_treating").get(f"/safety-plan/patients/{_a(world)}/")
    assert page.status_code == 200
    text = page.content.decode()
    assert "Veiligheidsplan maken" in text
    event = _last_event()
    assert (event.action, event.object_type, event.outcome) == ("read", "safety_plan", "success")
    form = world.client_for("clinician_treating").get(_edit(world)).content.decode()
    assert 'href="tel:+318000113"' in form and 'href="tel:112"' in form
    assert 'name="warning_signs-0-text"' in form and 'name="professionals-0-phone"' in form


def test_the_clinician_makes_version_1_and_it_is_audited_by_section_name(world: World) -> None:
    before = AuditEvent.objects.count()
    with_safety_plan(world)
    version = SafetyPlanVersion.objects.get()
    assert (version.number, version.by_patient) == (1, False)
    assert version.saved_by == world.users["clinician_treating"]
    assert version.changed_section_ids == (
        "warning_signs",
        "coping",
        "help_people",
        "professionals",
        "safe_environment",
        "reasons_to_live",
    )
    assert '"phone": "+31612345678"' in version.document
    events = _events_since(before)
    assert [(e.action, e.object_type, e.outcome) for e in events] == [
        ("create", "safety_plan", "success")
    ]
    assert events[0].detail.startswith("version 1: warning_signs, coping")
    assert "slaap" not in events[0].detail and "Anna" not in events[0].detail


def test_the_plan_page_shows_entries_and_tap_to_call_links(world: World) -> None:
    Patient.objects.filter(pk=world.patient_a.pk).update(
        gp_name="Dr. Huisman", gp_practice="De Linde", gp_phone="+31302222222"
    )
    with_safety_plan(world)
    page = (
        world.client_for("clinician_treating")
        .get(f"/safety-plan/patients/{_a(world)}/")
        .content.decode()
    )
    assert "Ik trek me terug" in page
    assert '<a class="tel" href="tel:+31612345678">06-12345678</a>' in page
    assert 'href="tel:+318000113"' in page  # 113, always listed
    assert 'href="tel:+31302222222"' in page and "Dr. Huisman, De Linde" in page
    assert 'href="tel:112"' in page
    assert "Versie 1" in page


def test_a_change_makes_a_new_version_and_older_versions_stay_readable(world: World) -> None:
    with_safety_plan(world)
    client = world.client_for("clinician_treating")
    changed = CLINICIAN_PLAN | {"coping-0-text": "Muziek luisteren"}
    before = AuditEvent.objects.count()
    assert client.post(_edit(world), changed).status_code == 302
    events = _events_since(before)
    assert [(e.action, e.outcome, e.detail) for e in events] == [
        ("update", "success", "version 2: coping")
    ]
    assert list(SafetyPlanVersion.objects.values_list("number", flat=True)) == [2, 1]
    listing = client.get(f"/safety-plan/patients/{_a(world)}/versions/").content.decode()
    assert "Wat ik zelf kan doen" in listing  # version 2 changed this section
    old = client.get(f"/safety-plan/patients/{_a(world)}/versions/1/").content.decode()
    assert "Wandelen met de hond" in old and "Muziek luisteren" not in old
    assert "niet het huidige plan" in old
    newest = client.get(f"/safety-plan/patients/{_a(world)}/versions/2/").content.decode()
    assert "Muziek luisteren" in newest and "niet het huidige plan" not in newest
    current = client.get(f"/safety-plan/patients/{_a(world)}/").content.decode()
    assert "Muziek luisteren" in current and "Wandelen met de hond" not in current
    assert client.get(f"/safety-plan/patients/{_a(world)}/versions/9/").status_code == 404


def test_saving_without_a_change_makes_no_version_and_no_event(world: World) -> None:
    with_safety_plan(world)
    before = AuditEvent.objects.count()
    response = world.client_for("clinician_treating").post(_edit(world), CLINICIAN_PLAN)
    assert response.status_code == 302
    assert SafetyPlanVersion.objects.count() == 1
    assert AuditEvent.objects.count() == before


def test_every_problem_is_shown_next_to_its_field_and_nothing_is_saved(world: World) -> None:
    with_safety_plan(world)
    data = CLINICIAN_PLAN | {
        "help_people-0-phone": "06-1234",
        "help_people-1-phone": "0612345678",
        "coping-0-text": "x" * 301,
    }
    before = AuditEvent.objects.count()
    response = world.client_for("clinician_treating").post(_edit(world), data)
    assert response.status_code == 400
    page = response.content.decode()
    assert "Dit telefoonnummer is te kort" in page
    assert "Schrijf wie of wat dit is, naast het telefoonnummer." in page
    assert "Maak het korter: hoogstens 300 tekens." in page
    assert 'value="06-1234"' in page  # what was typed is kept
    assert SafetyPlanVersion.objects.count() == 1
    events = _events_since(before)
    assert [(e.action, e.outcome, e.detail) for e in events] == [
        ("update", "refused", "refused: coping,help_people")
    ]


def test_too_many_lines_in_a_part_are_refused(world: World) -> None:
    data = {f"coping-{n}-text": f"iets {n}" for n in range(11)}
    response = world.client_for("clinician_treating").post(_edit(world), data)
    assert response.status_code == 400
    assert "Hoogstens 10 regels in dit deel." in response.content.decode()
    assert not SafetyPlan.objects.exists()


def test_the_clinician_sees_english_errors_in_english(world: World) -> None:
    world.users["clinician_treating"].language = "en"
    world.users["clinician_treating"].save(update_fields=["language"])
    response = world.client_for("clinician_treating").post(
        _edit(world), {"help_people-0-text": "Piet", "help_people-0-phone": "bel me"}
    )
    assert response.status_code == 400
    assert "A phone number has only digits" in response.content.decode()


def test_emergency_access_reads_but_a_change_is_refused_and_audited(world: World) -> None:
    with_safety_plan(world)
    _emergency(world)
    client = world.client_for("clinician_other_team")
    page = client.get(f"/safety-plan/patients/{_a(world)}/")
    assert page.status_code == 200
    assert "Ik slaap slecht" in page.content.decode()
    assert _last_event().emergency is True
    assert f'href="{_edit(world)}"' not in page.content.decode()
    response = client.post(_edit(world), CLINICIAN_PLAN | {"coping-0-text": "Anders"})
    assert response.status_code == 302
    assert SafetyPlanVersion.objects.count() == 1
    event = _last_event()
    assert (event.action, event.outcome, event.emergency, event.detail) == (
        "update",
        "denied",
        True,
        "refused: emergency access",
    )


@pytest.mark.parametrize(
    "role", ["clinician_other_team", "clinician_other_org", "patient_b", "team_lead", "org_admin"]
)
def test_others_cannot_read_or_change_the_plan(world: World, role: str) -> None:
    with_safety_plan(world)
    client = world.client_for(role)
    for path in ("", "edit/", "versions/", "versions/1/", "pdf/"):
        assert client.get(f"/safety-plan/patients/{_a(world)}/{path}").status_code == 404
    assert client.post(_edit(world), {"coping-0-text": "x"}).status_code == 404
    assert SafetyPlanVersion.objects.count() == 1


def test_the_pdf_is_printed_and_audited(world: World) -> None:
    with_safety_plan(world)
    before = AuditEvent.objects.count()
    response = world.client_for("clinician_treating").get(f"/safety-plan/patients/{_a(world)}/pdf/")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF")
    events = _events_since(before)
    assert [(e.action, e.object_type, e.outcome) for e in events] == [
        ("print", "safety_plan", "success")
    ]


def test_without_a_plan_there_is_no_pdf_and_the_attempt_is_audited(world: World) -> None:
    response = world.client_for("clinician_treating").get(f"/safety-plan/patients/{_a(world)}/pdf/")
    assert response.status_code == 404
    event = _last_event()
    assert (event.action, event.outcome, event.detail) == ("print", "refused", "refused: __all__")


def test_the_dossier_links_to_the_safety_plan(world: World) -> None:
    page = (
        world.client_for("clinician_treating")
        .get(f"/clinic/patients/{_a(world)}/")
        .content.decode()
    )
    assert f'href="/safety-plan/patients/{_a(world)}/"' in page


# ------------------------------------------------------------------ the patient


def test_the_patient_reads_their_plan_with_tap_to_call_links(world: World) -> None:
    with_safety_plan(world)
    response = world.client_for("patient_a").get("/portal/safety-plan/")
    assert response.status_code == 200
    assert "no-store" in response["Cache-Control"]
    page = response.content.decode()
    assert "Mijn veiligheidsplan" in page
    assert "Vraag naar de persoonlijke signalen" not in page  # the clinician prompt
    assert '<a class="tel" href="tel:+31612345678">06-12345678</a>' in page
    assert 'href="tel:+318000113"' in page
    assert 'data-service-worker="/portal/safety-plan/sw.js"' in page
    assert 'data-scope="/portal/safety-plan/"' in page
    event = _last_event()
    assert (event.action, event.object_type, event.patient_ref) == (
        "read",
        "safety_plan",
        _a(world),
    )


def test_the_portal_navigation_links_to_the_plan(world: World) -> None:
    page = world.client_for("patient_a").get("/portal/").content.decode()
    assert 'href="/portal/safety-plan/"' in page


def test_without_a_plan_the_patient_can_start_one_and_sees_the_crisis_lines(
    world: World,
) -> None:
    page = world.client_for("patient_a").get("/portal/safety-plan/").content.decode()
    assert "Je hebt nog geen veiligheidsplan" in page
    assert 'href="tel:+318000113"' in page and 'href="tel:112"' in page
    response = world.client_for("patient_a").post(
        "/portal/safety-plan/edit/", {"reasons_to_live-0-text": "Mijn hond"}
    )
    assert response.status_code == 302
    version = SafetyPlanVersion.objects.get()
    assert (version.by_patient, version.changed_section_ids) == (True, ("reasons_to_live",))
    assert _last_event().action == "create"


def test_the_patient_changes_their_own_parts_and_the_clinicians_stay(world: World) -> None:
    with_safety_plan(world)
    client = world.client_for("patient_a")
    form = client.get("/portal/safety-plan/edit/").content.decode()
    assert 'name="coping-0-text"' in form
    assert 'name="professionals-0-text"' not in form  # the care team fills this in
    assert "POH-GGZ Jansen" in form
    data = {k: v for k, v in CLINICIAN_PLAN.items() if not k.startswith("professionals")}
    data["coping-1-text"] = "Douchen"
    before = AuditEvent.objects.count()
    response = client.post("/portal/safety-plan/edit/", data)
    assert response.status_code == 302
    assert response["Location"] == "/portal/safety-plan/"
    latest = SafetyPlanVersion.objects.order_by("-number").first()
    assert latest is not None
    assert (latest.number, latest.by_patient, latest.changed_section_ids) == (2, True, ("coping",))
    assert latest.saved_by == world.users["patient_a"]
    assert "POH-GGZ Jansen" in latest.document
    events = _events_since(before)
    assert [(e.action, e.outcome, e.detail) for e in events] == [
        ("update", "success", "version 2: coping")
    ]
    assert events[0].user_ref == str(world.users["patient_a"].public_id)
    listing = (
        world.client_for("clinician_treating")
        .get(f"/safety-plan/patients/{_a(world)}/versions/")
        .content.decode()
    )
    assert "(de patiënt)" in listing


def test_a_patient_cannot_change_the_professionals(world: World) -> None:
    with_safety_plan(world)
    data = dict(CLINICIAN_PLAN)
    data["professionals-0-text"] = "Iemand anders"
    response = world.client_for("patient_a").post("/portal/safety-plan/edit/", data)
    # The patient's form does not carry the professionals: the field is ignored.
    assert response.status_code == 302
    latest = SafetyPlanVersion.objects.order_by("-number").first()
    assert latest is not None and "Iemand anders" not in latest.document
    assert "POH-GGZ Jansen" in latest.document


def test_a_patients_wrong_number_is_explained_at_b1(world: World) -> None:
    response = world.client_for("patient_a").post(
        "/portal/safety-plan/edit/",
        {"help_people-0-text": "Zus", "help_people-0-phone": "06-123456789"},
    )
    assert response.status_code == 400
    page = response.content.decode()
    assert "Er klopt nog iets niet" in page
    assert "Dit telefoonnummer is te lang" in page
    assert not SafetyPlan.objects.exists()
    assert (_last_event().action, _last_event().outcome) == ("update", "refused")


def test_the_patient_prints_their_plan(world: World) -> None:
    with_safety_plan(world)
    response = world.client_for("patient_a").get("/portal/safety-plan/pdf/")
    assert response.status_code == 200
    assert response.content.startswith(b"%PDF")
    assert (_last_event().action, _last_event().object_type) == ("print", "safety_plan")


@pytest.mark.parametrize("role", ["clinician_treating", "anonymous"])
def test_the_portal_pages_are_the_patients_own(world: World, role: str) -> None:
    client = world.client_for(role)
    for path in ("/portal/safety-plan/", "/portal/safety-plan/edit/", "/portal/safety-plan/pdf/"):
        assert client.get(path).status_code in (302, 404)


def test_another_patient_sees_only_their_own_plan(world: World) -> None:
    with_safety_plan(world)
    page = world.client_for("patient_b").get("/portal/safety-plan/").content.decode()
    assert "Ik slaap slecht" not in page
    assert "Je hebt nog geen veiligheidsplan" in page


# ------------------------------------------------------------------ offline reading


def test_the_service_worker_is_javascript_scoped_to_the_plan_folder(world: World) -> None:
    response = world.client_for("anonymous").get("/portal/safety-plan/sw.js")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/javascript")
    assert response["Service-Worker-Allowed"] == "/portal/safety-plan/"
    assert "no-store" in response["Cache-Control"]
    body = response.content.decode()
    assert "new URL('./', self.location).pathname" in body
    assert 'const STATIC = "/static/"' in body
    assert "request.method !== 'GET'" in body  # a form post is never cached


def test_logging_out_clears_the_offline_copy(world: World) -> None:
    client = world.client_for("patient_a")
    response = client.post("/accounts/logout/")
    assert response.status_code == 302
    assert response["Clear-Site-Data"] == '"cache", "storage"'


def test_other_pages_do_not_clear_site_data(world: World) -> None:
    response = world.client_for("patient_a").get("/portal/")
    assert "Clear-Site-Data" not in response


# ------------------------------------------------------------------ demo


def test_the_demo_has_contact_data_and_lucas_has_a_complete_safety_plan() -> None:
    from maatwerk.web.demo.safety_plan import SAFETY_PLAN_PATIENT
    from maatwerk.web.demo.services import demo_load

    demo_load()
    for patient in Patient.objects.filter(organization__name__endswith="(demo)"):
        assert patient.mobile_number is not None, patient.full_name
        assert patient.gp_name and patient.gp_number is not None, patient.full_name
    lucas = Patient.objects.get(full_name=SAFETY_PLAN_PATIENT)
    plan = SafetyPlan.objects.get(patient=lucas)
    versions = list(plan.versions.order_by("number"))
    assert [(v.number, v.by_patient) for v in versions] == [(1, False), (2, True)]
    assert versions[1].changed_section_ids == ("reasons_to_live",)
    from maatwerk.web.safetyplan.selectors import document_of

    document = document_of(versions[1])
    assert all(entries for _, entries in document.sections)  # every step filled in
    patient = Client()
    patient.force_login(lucas.user)
    page = patient.get("/portal/safety-plan/").content.decode()
    assert "Ooit weer met Noor naar de zee" in page and 'href="tel:+31612345691"' in page


@pytest.mark.parametrize(
    ("role", "path"),
    [
        ("clinician_treating", "/safety-plan/patients/{a}/"),
        ("clinician_treating", "/safety-plan/patients/{a}/pdf/"),
        ("patient_a", "/portal/safety-plan/"),
        ("patient_a", "/portal/safety-plan/pdf/"),
    ],
)
def test_no_safety_plan_page_or_pdf_is_kept_in_a_cache(world: World, role: str, path: str) -> None:
    """The views set no Cache-Control of their own: PrivateResponseMiddleware's no-store
    covers the pages and the PDFs of the clinician and of the patient."""
    with_safety_plan(world)
    response = world.client_for(role).get(path.format(a=_a(world)))
    assert response.status_code == 200
    directives = {d.strip() for d in response["Cache-Control"].split(",")}
    assert {"no-store", "private", "no-cache", "must-revalidate"} <= directives

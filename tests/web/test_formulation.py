"""Formulation web app: the four-step consult, the vicious circle drawn by Graphviz with
its text alternative, SCEGS and 3P views, versions, sharing the personal explanation
with the patient and the patient's answer.

The prefill test runs a real screening (questionnaires filled in and scored through the
questionnaires app, tests/web/test_screening.py): PHQ-9 total 10 makes negative mood
elevated (>= 10, Kroenke 2001, ``content/knowledge/factors.json``), and
``content/formulation/factor_templates.json`` gives negative mood a "feeling" node with
its starter label and a verified edge from the complaint (``nalk-gevolgenmodel``).
"""

from __future__ import annotations

import dataclasses
import json

import pytest
from django.test import Client, override_settings
from django.urls import NoReverseMatch, reverse

from maatwerk.core.formulation import (
    CircleGraph,
    Complaint,
    Consequence,
    Edge,
    Formulation,
    Node,
    bundled_formulation_content,
    formulation_from_json,
)
from maatwerk.web.audit.models import AuditEvent
from maatwerk.web.common.actor import actor_for_user
from maatwerk.web.formulation import services
from maatwerk.web.formulation.forms import start_form
from maatwerk.web.formulation.models import Formulation as FormulationRow
from maatwerk.web.formulation.models import FormulationVersion, PatientResponse
from maatwerk.web.patients.opening import Opened, open_child, open_patient
from tests.web.test_screening import compute, record_scegs, said, screened
from tests.web.world import World, sign_in

pytestmark = pytest.mark.django_db

CIRCLE = Formulation(
    complaints=(Complaint("pain", "Pijn in mijn rug"),),
    consequences=(Consequence("fear", "emotional", "Ik ben bang dat het erger wordt", True),),
    circle=CircleGraph(
        nodes=(
            Node("pain", "complaint", "Pijn in mijn rug"),
            Node("fear", "feeling", "Ik ben bang dat het erger wordt", consequence_id="fear"),
            Node("rest", "behaviour", "Ik beweeg minder"),
        ),
        edges=(Edge("pain", "fear"), Edge("fear", "rest"), Edge("rest", "pain", "maakt erger")),
    ),
)


def world_formulation(world: World, *, shared: bool = True) -> FormulationRow:
    """Patient A's formulation for the authorization matrix and audit coverage tests: the
    circle above saved as version 2 and (by default) shared with the patient."""
    found = FormulationRow.objects.filter(patient=world.patient_a).first()
    if found is not None:
        return found
    clinician = actor_for_user(world.users["clinician_treating"], access_point="test")
    access = open_patient(
        actor=clinician, patient_id=str(world.patient_a.public_id), action="create"
    )
    formulation = services.formulation_start(
        actor=clinician, access=access, form=start_form(from_screening=False)
    )
    opened = Opened(object=formulation, access=access)
    services.formulation_save(actor=clinician, opened=opened, document=CIRCLE, note="circle")
    if shared:
        services.formulation_share(actor=clinician, opened=opened)
    formulation.refresh_from_db()
    return formulation


def url(formulation: FormulationRow, page: str = "") -> str:
    return f"/formulation/{formulation.public_id}/" + (f"{page}/" if page else "")


def newest(formulation: FormulationRow) -> Formulation:
    version = formulation.versions.order_by("-number").first()
    assert version is not None
    return formulation_from_json(version.document)


def events_since(sequence: int) -> list[tuple[str, str, str]]:
    return [
        (e.action, e.object_type, e.outcome)
        for e in AuditEvent.objects.filter(sequence__gt=sequence).order_by("sequence")
    ]


def last_sequence() -> int:
    last = AuditEvent.objects.order_by("-sequence").first()
    return last.sequence if last else 0


# ------------------------------------------------------------------ the four steps


def test_a_clinician_builds_a_formulation_in_four_steps(world: World) -> None:
    client = world.client_for("clinician_treating")
    file = client.get(f"/clinic/patients/{world.patient_a.public_id}/").content.decode()
    assert f'href="/formulation/patients/{world.patient_a.public_id}/"' in file
    start_page = client.get(f"/formulation/patients/{world.patient_a.public_id}/")
    assert start_page.status_code == 200
    body = start_page.content.decode()
    # No screening profile: only the empty start is offered.
    assert said(body, "Start with an empty formulation", "Begin met een lege formulering")
    assert 'value="screening"' not in body
    response = client.post(
        f"/formulation/patients/{world.patient_a.public_id}/start/", {"source": "empty"}
    )
    assert response.status_code == 302
    formulation = FormulationRow.objects.get(patient=world.patient_a)
    assert response["Location"] == url(formulation, "complaints")
    assert formulation.versions.count() == 1

    # Step 1: two complaints in the patient's own words (the second through the blank row
    # that the page offers after saving the first).
    response = client.post(
        url(formulation, "complaints"),
        {
            "complaint-TOTAL_FORMS": "1",
            "complaint-INITIAL_FORMS": "0",
            "complaint-0-id": "",
            "complaint-0-text": "Mijn rug doet pijn",
            "then": "stay",
        },
    )
    assert response.status_code == 302 and response["Location"] == url(formulation, "complaints")
    page = client.get(url(formulation, "complaints")).content.decode()
    assert "Mijn rug doet pijn" in page
    response = client.post(
        url(formulation, "complaints"),
        {
            "complaint-TOTAL_FORMS": "2",
            "complaint-INITIAL_FORMS": "0",
            "complaint-0-id": "complaint-1",
            "complaint-0-text": "Mijn rug doet pijn",
            "complaint-1-id": "",
            "complaint-1-text": "Ik ben altijd moe",
        },
    )
    assert response["Location"] == url(formulation, "consequences")
    assert [c.text for c in newest(formulation).complaints] == [
        "Mijn rug doet pijn",
        "Ik ben altijd moe",
    ]

    # Step 2: a maintaining behavioural consequence linked to a knowledge-base factor and
    # placed in the 3P model, a non-maintaining social one, and a functional analysis.
    response = client.post(
        url(formulation, "consequences"),
        {
            "consequence-TOTAL_FORMS": "3",
            "consequence-INITIAL_FORMS": "0",
            "consequence-0-domain": "behavioural",
            "consequence-0-words": "Ik til niets meer",
            "consequence-0-maintaining": "on",
            "consequence-0-factor": "avoidance",
            "consequence-0-role": "perpetuating",
            "consequence-1-domain": "social",
            "consequence-1-words": "Ik zie minder vrienden",
            "consequence-2-domain": "",
            "consequence-2-words": "",
            "analysis-TOTAL_FORMS": "1",
            "analysis-INITIAL_FORMS": "0",
            "analysis-0-situation": "Boodschappen tillen",
            "analysis-0-thoughts": "Straks schiet het in mijn rug",
            "analysis-0-feelings": "bang",
            "analysis-0-behaviour": "Ik laat de tas staan",
            "analysis-0-short_term": "minder angst\nopluchting",
            "analysis-0-long_term": "zwakkere rug",
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    document = newest(formulation)
    assert [(c.domain, c.maintaining, c.factor_id, c.role) for c in document.consequences] == [
        ("behavioural", True, "avoidance", "perpetuating"),
        ("social", False, None, None),
    ]
    assert document.functional_analyses[0].short_term == ("minder angst", "opluchting")

    # Step 3: a goal with one check failed and one not discussed: the core's hints show.
    response = client.post(
        url(formulation, "goals"),
        {
            "goal-TOTAL_FORMS": "1",
            "goal-INITIAL_FORMS": "0",
            "goal-0-text": "Weer met de kleinkinderen spelen",
            "goal-0-feasible": "yes",
            "goal-0-concrete": "no",
            "then": "stay",
        },
    )
    assert response.status_code == 302
    goal = newest(formulation).goals[0]
    assert (goal.feasible, goal.concrete, goal.small_steps) == (True, False, None)
    hints = bundled_formulation_content().texts.goal_hints
    page = client.get(url(formulation, "goals")).content.decode()
    assert hints.concrete_failed.nl in page or hints.concrete_failed.en in page
    assert hints.small_steps_open.nl in page or hints.small_steps_open.en in page
    assert hints.feasible_open.nl not in page  # feasible is met: no hint

    # Step 4: the plan page links to the plan, which the planning app builds; the link
    # is shown only when that URL exists.
    page = client.get(url(formulation, "plan")).content.decode()
    try:
        plan = reverse("planning:plan", kwargs={"patient_id": str(world.patient_a.public_id)})
    except NoReverseMatch:
        plan = None
    if plan is not None:
        assert f'href="{plan}"' in page
    else:
        assert said(page, "not available yet", "nog niet beschikbaar")

    # The circle: two boxes and two arrows close a vicious circle through the complaint.
    client.post(
        url(formulation, "circle"),
        {"action": "add_node", "node-kind": "complaint", "node-label": "Rugpijn"},
    )
    client.post(
        url(formulation, "circle"),
        {
            "action": "add_node",
            "node-kind": "behaviour",
            "node-label": "Niet meer tillen",
            "node-factor": "avoidance",
        },
    )
    nodes = newest(formulation).circle.nodes
    # A new box is not given the id of a step-1 complaint (complaint-1 and -2): it stands
    # for nothing until linked.
    assert [(n.id, n.kind, n.factor_id) for n in nodes] == [
        ("complaint-3", "complaint", None),
        ("behaviour-1", "behaviour", "avoidance"),
    ]
    for source, target in (("complaint-3", "behaviour-1"), ("behaviour-1", "complaint-3")):
        response = client.post(
            url(formulation, "circle"),
            {"action": "add_edge", "edge-source": source, "edge-target": target},
        )
        assert response.status_code == 302
    page = client.get(url(formulation, "circle")).content.decode()
    assert "<svg" in page and "Niet meer tillen" in page
    # 1 start + 2 complaint saves + consequences + goals + 2 nodes + 2 edges.
    assert formulation.versions.count() == 9

    overview = client.get(url(formulation)).content.decode()
    # The text alternative (describe): "Cirkel 1: Rugpijn → Niet meer tillen → Rugpijn".
    assert "Rugpijn → Niet meer tillen → Rugpijn" in overview
    assert 'role="img" tabindex="0" aria-labelledby="circle-title circle-text"' in overview
    # SCEGS: the complaints are somatic, the behavioural consequence under gedragsmatig.
    assert said(overview, "As SCEGS", "Als SCEGS")
    assert said(overview, "Perpetuating", "In stand houdend")
    assert "Ik til niets meer" in overview


def test_bad_input_shows_field_errors_keeps_the_text_and_saves_nothing(world: World) -> None:
    formulation = world_formulation(world)
    client = world.client_for("clinician_treating")
    versions = formulation.versions.count()

    # An edge to a node that is not in the circle (a tampered form).
    response = client.post(
        url(formulation, "circle"),
        {
            "action": "add_edge",
            "edge-source": "pain",
            "edge-target": "nowhere",
            "edge-label": "helpt niet",
        },
    )
    assert response.status_code == 400
    body = response.content.decode()
    assert said(body, "Choose a box that is in the circle.", "Kies een vak dat in de cirkel staat.")
    assert 'id="err-edge-target"' in body and 'aria-describedby="err-edge-target"' in body
    assert 'value="helpt niet"' in body  # what was typed is still there

    # An arrow from a box to itself, and the same arrow twice.
    response = client.post(
        url(formulation, "circle"),
        {"action": "add_edge", "edge-source": "pain", "edge-target": "pain"},
    )
    assert response.status_code == 400
    response = client.post(
        url(formulation, "circle"),
        {"action": "add_edge", "edge-source": "pain", "edge-target": "fear"},
    )
    assert response.status_code == 400

    # A box without words; an existing complaint emptied.
    response = client.post(
        url(formulation, "circle"),
        {"action": "add_node", "node-kind": "thought", "node-label": "   "},
    )
    assert response.status_code == 400
    assert 'id="err-node-label"' in response.content.decode()
    response = client.post(
        url(formulation, "complaints"),
        {
            "complaint-TOTAL_FORMS": "2",
            "complaint-INITIAL_FORMS": "0",
            "complaint-0-id": "pain",
            "complaint-0-text": "",
            "complaint-1-id": "",
            "complaint-1-text": "Nieuwe klacht die bewaard blijft",
        },
    )
    assert response.status_code == 400
    body = response.content.decode()
    assert 'id="err-complaint-0-text"' in body
    assert "Nieuwe klacht die bewaard blijft" in body

    # A factor the knowledge base does not know.
    response = client.post(
        url(formulation, "consequences"),
        {
            "consequence-TOTAL_FORMS": "1",
            "consequence-INITIAL_FORMS": "0",
            "consequence-0-id": "fear",
            "consequence-0-domain": "emotional",
            "consequence-0-words": "bang",
            "consequence-0-factor": "no_such_factor",
            "analysis-TOTAL_FORMS": "0",
            "analysis-INITIAL_FORMS": "0",
        },
    )
    assert response.status_code == 400
    assert 'id="err-consequence-0-factor"' in response.content.decode()

    assert formulation.versions.count() == versions
    assert newest(formulation) == CIRCLE
    refused = AuditEvent.objects.filter(object_type="formulation", outcome="refused").count()
    assert refused == 6


def test_removing_a_consequence_unlinks_its_node_and_removing_a_node_its_arrows(
    world: World,
) -> None:
    formulation = world_formulation(world)
    client = world.client_for("clinician_treating")
    response = client.post(
        url(formulation, "consequences"),
        {
            "consequence-TOTAL_FORMS": "1",
            "consequence-INITIAL_FORMS": "0",
            "consequence-0-id": "fear",
            "consequence-0-domain": "emotional",
            "consequence-0-words": "bang",
            "consequence-0-remove": "on",
            "analysis-TOTAL_FORMS": "0",
            "analysis-INITIAL_FORMS": "0",
        },
    )
    assert response.status_code == 302
    document = newest(formulation)
    assert document.consequences == ()
    assert document.circle.node("fear").consequence_id is None
    client.post(url(formulation, "circle"), {"action": "remove_node", "node": "fear"})
    assert [(e.source, e.target) for e in newest(formulation).circle.edges] == [("rest", "pain")]


def test_every_save_is_a_new_version_with_its_changes_in_the_history(world: World) -> None:
    formulation = world_formulation(world)
    client = world.client_for("clinician_treating")
    before = last_sequence()
    response = client.post(
        url(formulation, "circle"),
        {"action": "rename_node", "node": "rest", "node-2-label": "Ik lig veel op de bank"},
    )
    assert response.status_code == 302
    assert events_since(before) == [("update", "formulation", "success")]
    numbers = list(formulation.versions.order_by("number").values_list("number", flat=True))
    assert numbers == [1, 2, 3]
    # Version 2 is kept as it was.
    assert formulation_from_json(formulation.versions.get(number=2).document) == CIRCLE
    overview = world.client_for("clinician_treating").get(url(formulation)).content.decode()
    # changes(v2, v3): node "rest" changed; changes(v1, v2): three nodes added.
    # boxes named by their words, never by their ids
    labels = {node.id: node.label for node in CIRCLE.circle.nodes}
    rest, pain, fear = (f"“{labels[key]}”" for key in ("rest", "pain", "fear"))
    renamed = "“Ik lig veel op de bank”"
    assert said(overview, f"boxes changed: {renamed}", f"vakken gewijzigd: {renamed}")
    added = f"{pain}, {fear}, {rest}"
    assert said(overview, f"boxes added: {added}", f"vakken toegevoegd: {added}")


# ------------------------------------------------------------------ prefill


def test_start_from_a_real_screening_profile(world: World) -> None:
    screening = screened(world, phq9=[2, 2, 1, 1, 1, 1, 1, 1, 0])
    record_scegs(world, screening)
    snapshot = compute(world, screening)
    elevated = [f["factor_id"] for f in snapshot.profile["factors"] if f["status"] == "elevated"]
    assert "negative_mood" in elevated
    client = world.client_for("clinician_treating")
    page = client.get(f"/formulation/patients/{world.patient_a.public_id}/").content.decode()
    assert 'value="screening"' in page
    response = client.post(
        f"/formulation/patients/{world.patient_a.public_id}/start/", {"source": "screening"}
    )
    assert response.status_code == 302
    formulation = FormulationRow.objects.get(patient=world.patient_a)
    document = newest(formulation)
    # The complaint is the patient's own words from the intake (send_intake).
    assert document.complaints[0].text == "Mijn rug doet pijn"
    template = bundled_formulation_content().template("negative_mood")
    mood = document.circle.node("negative_mood")
    assert (mood.kind, mood.label) == (template.node_kind, template.starter_label.nl)
    assert ("complaint", "negative_mood") in {(e.source, e.target) for e in document.circle.edges}
    assert document.consequence("negative_mood").maintaining is True
    # Starting again does not make a second formulation.
    again = client.post(
        f"/formulation/patients/{world.patient_a.public_id}/start/", {"source": "empty"}
    )
    assert again.status_code == 302
    assert FormulationRow.objects.filter(patient=world.patient_a).count() == 1


def test_start_from_the_screening_without_a_profile_is_refused(world: World) -> None:
    response = world.client_for("clinician_treating").post(
        f"/formulation/patients/{world.patient_a.public_id}/start/", {"source": "screening"}
    )
    assert response.status_code == 400
    assert not FormulationRow.objects.exists()


# ------------------------------------------------------------------ diagram


def test_the_svg_holds_the_labels_and_escapes_what_the_patient_typed(world: World) -> None:
    formulation = world_formulation(world)
    client = world.client_for("clinician_treating")
    client.post(
        url(formulation, "circle"),
        {"action": "add_node", "node-kind": "thought", "node-label": "<script>x</script> & zo"},
    )
    body = client.get(url(formulation, "circle")).content.decode()
    svg = body[body.index("<svg") : body.index("</svg>")]
    for label in ("Pijn in mijn rug", "Ik beweeg minder", "maakt erger"):
        assert label in svg
    assert "<script>" not in body
    assert "&lt;script&gt;x&lt;/script&gt; &amp; zo" in svg


@override_settings(MAATWERK_GRAPHVIZ_DOT="/nonexistent/graphviz/dot")
def test_without_graphviz_the_page_shows_the_text_alternative(world: World) -> None:
    formulation = world_formulation(world)
    for page in (url(formulation), url(formulation, "circle")):
        response = world.client_for("clinician_treating").get(page)
        assert response.status_code == 200
        body = response.content.decode()
        assert "<svg" not in body
        assert said(
            body, "The diagram cannot be drawn right now", "Het schema kan nu niet getekend worden"
        )
        assert "Pijn in mijn rug → Ik ben bang dat het erger wordt → Ik beweeg minder" in body
    patient_page = world.client_for("patient_a").get(url(formulation, "shared"))
    assert patient_page.status_code == 200
    assert "<svg" not in patient_page.content.decode()


# ------------------------------------------------------------------ sharing


def test_share_the_patient_reads_agrees_or_comments_and_the_clinician_sees_it(
    world: World,
) -> None:
    formulation = world_formulation(world, shared=False)
    patient = world.client_for("patient_a")
    clinician = world.client_for("clinician_treating")
    # Nothing shared yet: no card, no page.
    assert patient.get(url(formulation, "shared")).status_code == 404
    home = patient.get("/portal/").content.decode()
    assert url(formulation, "shared") not in home

    before = last_sequence()
    assert clinician.post(url(formulation, "share")).status_code == 302
    assert events_since(before) == [("update", "formulation", "success")]
    version = formulation.versions.get(number=2)
    assert version.shared_at is not None
    assert version.shared_by == world.users["clinician_treating"]

    home = patient.get("/portal/").content.decode()
    assert url(formulation, "shared") in home
    page = patient.get(url(formulation, "shared")).content.decode()
    # The explanation quotes the patient's words (explanation_texts.json, nl).
    assert "Het begint met je klacht: &quot;Pijn in mijn rug&quot;." in page
    assert "<svg" in page and "Ik beweeg minder" in page

    # A later change is not shown until it is shared.
    clinician.post(
        url(formulation, "circle"),
        {"action": "rename_node", "node": "rest", "node-2-label": "Ik lig op de bank"},
    )
    assert "Ik lig op de bank" not in patient.get(url(formulation, "shared")).content.decode()

    # A comment needs words.
    response = patient.post(url(formulation, "respond"), {"answer": "comment", "comment": " "})
    assert response.status_code == 400
    assert PatientResponse.objects.count() == 0
    before = last_sequence()
    response = patient.post(
        url(formulation, "respond"),
        {"answer": "comment", "comment": "Het begint bij mij met slecht slapen."},
    )
    assert response.status_code == 302
    assert events_since(before) == [("create", "formulation_response", "success")]
    overview = clinician.get(url(formulation)).content.decode()
    assert "Het begint bij mij met slecht slapen." in overview
    # Patient text shown to a clinician can become a safety signal in one step.
    assert 'name="raised_from" value="formulation"' in overview

    # The clinician shares version 3; the patient sees it and agrees.
    clinician.post(url(formulation, "share"))
    assert "Ik lig op de bank" in patient.get(url(formulation, "shared")).content.decode()
    patient.post(url(formulation, "respond"), {"answer": "agree"})
    formulation.refresh_from_db()
    assert formulation.status == FormulationRow.Status.AGREED
    latest = PatientResponse.objects.order_by("-answered_at", "-pk").first()
    assert latest is not None and latest.agreed and latest.version.number == 3
    assert said(
        clinician.get(url(formulation)).content.decode(),
        "Recognizes themself in it",
        "Herkent zich erin",
    )


def test_the_explanation_is_in_the_patients_language(world: World) -> None:
    world.patient_a.language = "en"
    world.patient_a.save()
    formulation = world_formulation(world)
    page = world.client_for("patient_a").get(url(formulation, "shared")).content.decode()
    assert "It starts with your symptom: &quot;Pijn in mijn rug&quot;." in page
    assert 'lang="en"' in page


# ------------------------------------------------------------------ permissions


@pytest.mark.parametrize(
    "role", ["clinician_other_team", "clinician_other_org", "patient_b", "team_lead", "org_admin"]
)
def test_others_cannot_open_or_change_the_formulation(world: World, role: str) -> None:
    formulation = world_formulation(world)
    client = world.client_for(role)
    for page in ("", "complaints", "consequences", "goals", "plan", "circle", "shared"):
        assert client.get(url(formulation, page)).status_code == 404, page
    assert client.post(url(formulation, "share")).status_code == 404
    assert client.post(url(formulation, "respond"), {"answer": "agree"}).status_code == 404
    response = client.post(
        url(formulation, "circle"),
        {"action": "add_node", "node-kind": "thought", "node-label": "x"},
    )
    assert response.status_code == 404
    assert formulation.versions.count() == 2
    assert not PatientResponse.objects.exists()


def test_the_patient_reads_only_the_shared_explanation(world: World) -> None:
    formulation = world_formulation(world)
    patient = world.client_for("patient_a")
    for page in ("", "complaints", "circle", "plan"):
        assert patient.get(url(formulation, page)).status_code == 404, page
    assert patient.post(url(formulation, "share")).status_code == 404
    assert patient.get(f"/formulation/patients/{world.patient_a.public_id}/").status_code == 404
    # The clinician sees the patient's page but cannot answer for the patient.
    clinician = world.client_for("clinician_treating")
    assert clinician.get(url(formulation, "shared")).status_code == 200
    # In scope but not for this role: the clinician may not answer for the patient (403).
    assert clinician.post(url(formulation, "respond"), {"answer": "agree"}).status_code == 403


def test_unknown_and_malformed_ids_are_not_found(world: World) -> None:
    client = world.client_for("clinician_treating")
    for bad in ("00000000-0000-0000-0000-000000000000", "not-a-uuid"):
        assert client.get(f"/formulation/{bad}/").status_code == 404
        assert client.get(f"/formulation/patients/{bad}/").status_code == 404


def test_the_stored_document_is_the_cores_versioned_json(world: World) -> None:
    formulation = world_formulation(world)
    version = FormulationVersion.objects.get(formulation=formulation, number=2)
    data = json.loads(version.document)
    assert (data["format"], data["format_version"]) == ("maatwerk.formulation", 1)


# ------------------------------------------------------------------ demo


def test_the_demo_patients_have_shared_formulations_with_responses() -> None:
    from maatwerk.web.demo.services import demo_load

    demo_load()
    formulations = FormulationRow.objects.select_related("patient").order_by("patient__full_name")
    names = [f.patient.full_name for f in formulations]
    assert names == ["Ahmet Yilmaz", "Sophie Jansen", "Yasmina Ouali"]
    for formulation in formulations:
        document = newest(formulation)
        assert document.circle.nodes and document.circle.edges
        assert formulation.versions.filter(shared_at__isnull=False).exists()
    responses = PatientResponse.objects.all()
    assert responses.filter(agreed=True).exists()
    assert responses.filter(agreed=False).exclude(comment="").exists()
    # The pages render with the demo data: the clinician's overview and the patient's page.
    for formulation in formulations:
        version = formulation.versions.get(number=2)
        clinician = Client()
        sign_in(clinician, version.saved_by)
        overview = clinician.get(url(formulation))
        assert overview.status_code == 200 and "<svg" in overview.content.decode()
        patient = Client()
        patient.force_login(formulation.patient.user)
        assert patient.get(url(formulation, "shared")).status_code == 200


# ------------------------------------------------------------------ queries per page


def test_the_overview_with_its_history_does_not_grow_in_queries(
    world: World, django_assert_max_num_queries
) -> None:
    """The overview lists every version with what changed, and the patient's answers:
    measured with the two versions of the world, it may not need more with six."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    formulation = world_formulation(world)
    patient = world.client_for("patient_a")
    patient.post(url(formulation, "respond"), {"answer": "agree"})
    client = world.client_for("clinician_treating")
    client.get(url(formulation))
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url(formulation)).status_code == 200
    with_two_versions = len(captured)

    clinician = actor_for_user(world.users["clinician_treating"], access_point="test")
    opened = open_child(
        actor=clinician,
        model=FormulationRow,
        object_id=str(formulation.public_id),
        action="update",
        object_type="formulation",
    )
    for n in range(4):
        extra = (Complaint("tired", "Ik ben moe"),) if n % 2 else ()
        document = dataclasses.replace(CIRCLE, complaints=CIRCLE.complaints + extra)
        services.formulation_save(actor=clinician, opened=opened, document=document, note=f"{n}")
        services.formulation_share(actor=clinician, opened=opened)
        patient.post(url(formulation, "respond"), {"answer": "agree"})
    assert formulation.versions.count() == 6
    with django_assert_max_num_queries(with_two_versions):
        assert client.get(url(formulation)).status_code == 200

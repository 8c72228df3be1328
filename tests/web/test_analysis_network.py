"""The personal network beside the vicious circle (issue 15).

A clinician imports a patient's diary (EMA) as a CSV file; the network is estimated in a
background task that receives the patient's id, stores the result under the data's
hash and does nothing when run again; the page shows it beside the circle with the
arrows the data support, the arrows the data do not show and the strong links the
circle lacks, and adds chosen links to a new formulation version.

The diary is the demo's simulation (``maatwerk.web.demo.network``): a known lag-1 VAR
with a fixed seed, in which pain → fear, fear → avoiding and fear → pain from one moment
to the next, and pain goes with tiredness, fear with low mood at the same moment.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from maatwerk.core.formulation import (
    CircleGraph,
    Complaint,
    Edge,
    Formulation,
    Node,
    formulation_from_json,
)
from maatwerk.web.analysis import services
from maatwerk.web.analysis.models import EmaImport, NetworkEstimate
from maatwerk.web.analysis.tasks import network_estimate
from maatwerk.web.audit.models import AuditEvent
from maatwerk.web.common.actor import actor_for_user
from maatwerk.web.demo.network import simulated_diary_csv
from maatwerk.web.formulation import services as formulation_services
from maatwerk.web.formulation.forms import start_form
from maatwerk.web.formulation.models import Formulation as FormulationRow
from maatwerk.web.patients.opening import Opened, open_patient
from tests.web.world import World

pytestmark = pytest.mark.django_db

CIRCLE = Formulation(
    complaints=(Complaint("pijn", "Pijn"),),
    circle=CircleGraph(
        nodes=(
            Node("pijn", "complaint", "Pijn"),
            Node("bang", "feeling", "Bang"),
            Node("vermijden", "behaviour", "Vermijden"),
            Node("moe", "physical", "Moe"),
        ),
        edges=(
            Edge("pijn", "bang"),
            Edge("bang", "vermijden"),
            Edge("vermijden", "moe"),
            Edge("moe", "pijn"),
        ),
    ),
)


def with_circle(world: World) -> FormulationRow:
    clinician = actor_for_user(world.users["clinician_treating"], access_point="test")
    access = open_patient(
        actor=clinician, patient_id=str(world.patient_a.public_id), action="create"
    )
    formulation = formulation_services.formulation_start(
        actor=clinician, access=access, form=start_form(from_screening=False)
    )
    opened = Opened(object=formulation, access=access)
    formulation_services.formulation_save(
        actor=clinician, opened=opened, document=CIRCLE, note="circle"
    )
    return formulation


def diary_file() -> SimpleUploadedFile:
    return SimpleUploadedFile("dagboek.csv", simulated_diary_csv(), "text/csv")


def diary_imported(world: World) -> None:
    """Patient A has imported diary data (the network is not estimated: no commit)."""
    if EmaImport.objects.filter(patient=world.patient_a).exists():
        return
    actor = actor_for_user(world.users["clinician_treating"], access_point="test")
    access = open_patient(actor=actor, patient_id=str(world.patient_a.public_id), action="create")
    services.ema_import(
        actor=actor,
        access=access,
        upload=services.EmaUpload(simulated_diary_csv(), "dagboek.csv", (), "day", "beep"),
    )


def diary_shared(world: World) -> None:
    """Patient A's diary network is estimated and shared with them."""
    diary_imported(world)
    network_estimate.call(world.patient_a.pk)
    actor = actor_for_user(world.users["clinician_treating"], access_point="test")
    access = open_patient(actor=actor, patient_id=str(world.patient_a.public_id), action="update")
    services.network_share(actor=actor, access=access)


def base(world: World) -> str:
    return f"/analysis/patients/{world.patient_a.public_id}/network/"


def upload(world: World, data: bytes, **fields: str) -> Any:
    return world.client_for("clinician_treating").post(
        base(world) + "upload/",
        {"file": SimpleUploadedFile("dagboek.csv", data, "text/csv"), "day": "day", "beep": "beep"}
        | fields,
    )


def test_the_clinician_sees_the_network_beside_the_circle_and_adds_a_link(
    world: World, django_capture_on_commit_callbacks: Callable[..., Any]
) -> None:
    formulation = with_circle(world)
    with django_capture_on_commit_callbacks(execute=True):
        response = upload(world, simulated_diary_csv())
    assert response.status_code == 302
    estimate = NetworkEstimate.objects.get(patient=world.patient_a)
    assert estimate.status == NetworkEstimate.Status.DONE
    assert estimate.result is not None and estimate.result["n_used"] == 200  # 40 days × 5

    page = world.client_for("clinician_treating").get(base(world)).content.decode()
    # Beside each other: the circle (Graphviz) and the two network pictures, with text.
    assert 'aria-labelledby="circle-title circle-text"' in page
    assert 'role="img" aria-labelledby="net-temporal-title"' in page
    assert 'role="img" aria-labelledby="net-contemporaneous-title"' in page
    assert "“Bang” op het ene moment → meer “Pijn” op het volgende" in page
    # The variables were linked to the boxes with the same words.
    supported = page.split("Pijlen die de gegevens ondersteunen")[1].split("<h3>")[0]
    assert "Pijn → Bang" in supported
    assert "Bang → Vermijden" in supported
    assert "Moe → Pijn" in supported  # at the same moment
    not_shown = page.split("Pijlen uit de cirkel die de gegevens niet laten zien")[1]
    assert "Vermijden → Moe" in not_shown.split("<h3>")[0]
    # Fear → pain is in the data and missing from the circle: it can be added.
    missing = page.split("Sterke verbanden in de gegevens die de cirkel mist")[1]
    assert 'value="bang|pijn"' in missing.split("</form>")[0]
    # "somber" is not linked to a box: listed apart, not offered.
    assert "“somber”" in page.split("niet aan een vak van de cirkel gekoppeld")[1]
    assert 'value="bang|somber"' not in page
    # The patient's explanation, in B1 words graded by strength; the weak link of pain
    # and tiredness (PCC 0.04, in 75 % of the resamples) is not described to the patient.
    patient_words = page.split('id="patient-title"')[1].split("</ul>")[0].split("<ul>")[1]
    assert "Na meer “Bang” heb je soms wat later meer “Pijn”." in patient_words
    assert "“Pijn” en “Moe”" not in patient_words and "vaak" not in patient_words  # all < 0.30

    response = world.client_for("clinician_treating").post(
        base(world) + "add/", {"edge": ["bang|pijn"]}
    )
    assert response.status_code == 302
    assert response["Location"] == f"/formulation/{formulation.public_id}/circle/"
    newest = formulation.versions.order_by("-number").first()
    assert newest is not None and newest.number == 3
    circle = formulation_from_json(newest.document).circle
    assert circle.edge("bang", "pijn").label == "gezien in het dagboek"
    assert len(circle.edges) == 5


def test_the_patient_sees_the_network_only_once_the_clinician_shared_it(
    world: World, django_capture_on_commit_callbacks: Callable[..., Any]
) -> None:
    with_circle(world)
    with django_capture_on_commit_callbacks(execute=True):
        upload(world, simulated_diary_csv())
    patient = world.client_for("patient_a")
    page = patient.get("/analysis/mine/network/").content.decode()
    assert "Je zorgverlener heeft nog niets uit je dagboek met je gedeeld." in page
    assert "<svg" not in page.split('id="main"')[1]
    assert "/analysis/mine/network/" not in patient.get("/portal/").content.decode()
    clinician = world.client_for("clinician_treating")
    assert clinician.post(base(world) + "share/").status_code == 302
    assert 'href="/analysis/mine/network/"' in patient.get("/portal/").content.decode()
    page = patient.get("/analysis/mine/network/").content.decode()
    assert "Na meer “Bang” heb je soms wat later meer “Pijn”." in page
    assert "“Pijn” en “Moe” komen" not in page
    assert 'role="img" aria-labelledby="mine-temporal-title"' in page
    assert "PDC" not in page and "PCC" not in page  # no statistics for the patient
    # The page is the patient's own: a clinician has none, another patient sees their own.
    assert clinician.get("/analysis/mine/network/").status_code == 404
    other = world.client_for("patient_b").get("/analysis/mine/network/").content.decode()
    assert "nog niets uit je dagboek" in other


def test_estimation_is_idempotent_and_redone_only_when_the_data_change(
    world: World, django_capture_on_commit_callbacks: Callable[..., Any]
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        upload(world, simulated_diary_csv())
    first = NetworkEstimate.objects.get(patient=world.patient_a)
    assert network_estimate.call(world.patient_a.pk) == "done"
    first.refresh_from_db()
    finished = first.finished_at
    # The same file again: a new import, the same hash, no second estimate.
    with django_capture_on_commit_callbacks(execute=True):
        upload(world, simulated_diary_csv())
    assert EmaImport.objects.filter(patient=world.patient_a).count() == 2
    assert NetworkEstimate.objects.filter(patient=world.patient_a).count() == 1
    first.refresh_from_db()
    assert first.finished_at == finished
    # Other data: estimated anew.
    with django_capture_on_commit_callbacks(execute=True):
        upload(world, simulated_diary_csv(seed=7))
    assert NetworkEstimate.objects.filter(patient=world.patient_a, status="done").count() == 2


@pytest.mark.parametrize(
    ("data", "fields", "message"),
    [
        (b"day,beep,a,b\n1,1,2,x\n", {}, "Regel 2, kolom b: “x” is geen getal"),
        (b"day,beep,a,b\n1,1,2,\n1,2,3,4\n", {}, "1 waarden ontbreken (regels 2)"),
        (b"day,beep,a,b\n1,1,2,3\n", {"variables": "a,c"}, "Het bestand heeft geen kolom c."),
        (b"day,beep,a\n1,1,2\n", {}, "Een netwerk heeft minstens twee variabelen nodig."),
        (b"\xff\xfe\x00", {}, "Het bestand is geen CSV-tekstbestand (UTF-8)."),
    ],
)
def test_a_bad_file_gets_a_clear_error_and_nothing_is_saved(
    world: World, data: bytes, fields: dict[str, str], message: str
) -> None:
    before = AuditEvent.objects.count()
    response = upload(world, data, **fields)
    assert response.status_code == 400
    assert message in response.content.decode()
    assert not EmaImport.objects.exists()
    assert not NetworkEstimate.objects.exists()
    event = AuditEvent.objects.order_by("-sequence").first()
    assert AuditEvent.objects.count() == before + 1
    assert event is not None and (event.object_type, event.outcome) == ("ema_import", "refused")


def test_the_forms_own_errors_are_refused_and_audited_too(world: World) -> None:
    before = AuditEvent.objects.count()
    response = upload(world, simulated_diary_csv(), variables="x" * 600)
    assert response.status_code == 400
    assert "500" in response.content.decode().split('id="id_variables"')[0].rsplit("<p>", 1)[1]
    assert not EmaImport.objects.exists()
    assert AuditEvent.objects.count() == before + 1
    event = AuditEvent.objects.order_by("-sequence").first()
    assert event is not None and (event.outcome, event.detail) == ("refused", "refused: variables")


def test_too_few_beeps_give_a_failed_estimate_with_the_reason(
    world: World, django_capture_on_commit_callbacks: Callable[..., Any]
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        upload(world, simulated_diary_csv(days=1, beeps=4))
    estimate = NetworkEstimate.objects.get(patient=world.patient_a)
    assert estimate.status == NetworkEstimate.Status.FAILED
    assert estimate.problem_kind == "too_few_pairs"
    page = world.client_for("clinician_treating").get(base(world)).content.decode()
    assert "Het netwerk kon uit deze gegevens niet geschat worden" in page
    # The reason in the interface's language, never the estimator's English.
    assert "Slechts 3 bruikbare paren van dagboekmomenten" in page
    assert "usable beep pairs" not in page and str(estimate.problem) not in page


def test_a_constant_question_is_named_with_its_box_in_dutch(
    world: World, django_capture_on_commit_callbacks: Callable[..., Any]
) -> None:
    header, *rows = simulated_diary_csv().decode().splitlines()
    column = header.split(",").index("pijn")
    constant = [
        ",".join("5" if n == column else v for n, v in enumerate(row.split(","))) for row in rows
    ]
    with_circle(world)
    with django_capture_on_commit_callbacks(execute=True):
        upload(world, "\n".join([header, *constant]).encode())
    estimate = NetworkEstimate.objects.get(patient=world.patient_a)
    assert (estimate.status, estimate.problem_kind) == (
        NetworkEstimate.Status.FAILED,
        "constant_columns",
    )
    page = world.client_for("clinician_treating").get(base(world)).content.decode()
    assert "Deze variabelen variëren niet" in page and "“Pijn”" in page
    assert "constant columns" not in page and "no variation" not in page


def test_other_clinicians_cannot_open_or_import(world: World) -> None:
    client = world.client_for("clinician_other_team")
    assert client.get(base(world)).status_code == 404
    response = client.post(
        base(world) + "upload/",
        {"file": SimpleUploadedFile("d.csv", simulated_diary_csv(), "text/csv")},
    )
    assert response.status_code == 404
    assert not EmaImport.objects.exists()


# ------------------------------------------------------------------ demo


def test_the_demo_shows_a_network_beside_a_circle_and_a_patient_not_on_track() -> None:
    from django.test import Client

    from maatwerk.web.demo.services import demo_load
    from maatwerk.web.organizations.models import Membership
    from maatwerk.web.patients.models import Patient
    from tests.web.world import sign_in

    demo_load()
    sophie = Patient.objects.get(full_name="Sophie Jansen")
    estimate = NetworkEstimate.objects.get(patient=sophie)
    assert estimate.status == NetworkEstimate.Status.DONE
    poh = Membership.objects.get(user__email="poh-ggz@demo.maatwerk.nl").user
    client = sign_in(Client(), poh)
    page = client.get(f"/analysis/patients/{sophie.public_id}/network/").content.decode()
    assert "gesimuleerd-dagboek-demo.csv" in page  # the demo says the diary is simulated
    assert 'aria-labelledby="circle-title circle-text"' in page
    assert 'role="img" aria-labelledby="net-temporal-title"' in page
    supported = page.split("Pijlen die de gegevens ondersteunen")[1].split("<h3>")[0]
    # The circle shows the complaint in the words of the current formulation version.
    assert "Mijn rug doet al twee jaar pijn → Ik ben bang dat bukken mijn rug kapot maakt" in (
        supported
    )
    missing = page.split("Sterke verbanden in de gegevens die de cirkel mist")[1]
    assert 'value="fear_of_movement|complaint"' in missing.split("</form>")[0]
    # Henk Bos's PHQ-9 stays at 11–12 for six months: not on track, with the options.
    henk = Patient.objects.get(full_name="Henk Bos")
    gz = henk.episodes.get(status="active").care_team.first().membership.user
    results = sign_in(Client(), gz).get(f"/clinic/patients/{henk.public_id}/results/")
    body = results.content.decode()
    assert "Niet op koers: Patient Health Questionnaire-9 (PHQ-9)" in body
    assert "Opschalen naar een volgende stap in de zorg" in body


def _pdf_text(content: bytes) -> str:
    import io

    from pypdf import PdfReader

    return " ".join(page.extract_text() for page in PdfReader(io.BytesIO(content)).pages)


def test_the_network_prints_as_a_pdf_for_clinician_and_patient(
    world: World, django_capture_on_commit_callbacks: Callable[..., Any]
) -> None:
    """Issue 15 item 6: the diagrams in the page and in PDFs, for clinician and patient."""
    with_circle(world)
    with django_capture_on_commit_callbacks(execute=True):
        upload(world, simulated_diary_csv())
    clinician = world.client_for("clinician_treating")
    patient = world.client_for("patient_a")
    assert patient.get("/analysis/mine/network/pdf/").status_code == 404  # not shared yet
    before = AuditEvent.objects.count()
    response = clinician.get(base(world) + "pdf/")
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    text = _pdf_text(response.content)
    assert "Persoonlijk netwerk" in text and "Pijn" in text
    (event,) = AuditEvent.objects.order_by("sequence")[before:]
    assert (event.action, event.object_type) == ("print", "personal_network")
    assert clinician.post(base(world) + "share/").status_code == 302
    own = patient.get("/analysis/mine/network/pdf/")
    assert own.status_code == 200
    own_text = _pdf_text(own.content)
    assert "Wat je dagboek laat zien" in own_text and "PDC" not in own_text
    # Another clinician cannot print it.
    assert world.client_for("clinician_other_team").get(base(world) + "pdf/").status_code == 404


def test_the_patient_reads_only_strong_stable_links_graded_in_words(world: World) -> None:
    """A weak link (PCC 0.04, though in 75 % of resamples) was shown as "often come
    together"; now only strong and stable links are described, graded by strength, and
    the patient's picture draws no more than the words say."""
    diary_shared(world)
    estimate = NetworkEstimate.objects.get(patient=world.patient_a)
    result = dict(estimate.result)
    a, b, c, d = result["vars"][:4]
    p = len(result["vars"])
    zeros = [[0.0] * p for _ in range(p)]
    pcc = [row[:] for row in zeros]
    pcc[0][1] = pcc[1][0] = 0.04  # weak, stable: not described
    pcc[0][2] = pcc[2][0] = 0.20  # stable: "sometimes"
    pcc[1][3] = pcc[3][1] = 0.40  # unstable: not described
    pdc = [row[:] for row in zeros]
    pdc[2][3] = 0.35  # stable: "often"
    share = [row[:] for row in zeros]
    share[0][1], share[0][2], share[1][3] = 0.75, 0.9, 0.3
    temporal_share = [row[:] for row in zeros]
    temporal_share[2][3] = 0.8
    result |= {
        "pdc": pdc,
        "pcc": pcc,
        "stability": {
            "resamples": 200,
            "temporal": temporal_share,
            "contemporaneous": share,
            "warnings": [],
        },
    }
    NetworkEstimate.objects.filter(pk=estimate.pk).update(result=result)
    page = world.client_for("patient_a").get("/analysis/mine/network/").content.decode()
    assert "We laten alleen verbanden zien die duidelijk in je dagboek staan." in page
    assert "vaak" not in page.split('id="mine-words"')[0].split('id="main"')[1]  # intro
    words = page.split('id="mine-words"')[1].split("</ul>")[0]
    assert f"“{a}” en “{c}” komen soms samen." in words
    assert f"Na meer “{c}” heb je vaak wat later meer “{d}”." in words
    assert words.count("<li>") == 2  # not the weak a–b link, not the unstable b–d link
    assert f"“{a}” en “{b}”" not in words and f"“{b}” en “{d}”" not in words
    # The pictures show the two described links and nothing else.
    assert len(re.findall(r"<line ", page)) == 2
    clinician = world.client_for("clinician_treating").get(base(world)).content.decode()
    assert "PDC: een verband" in clinician  # the legend of the values
    preview = clinician.split('id="patient-title"')[1].split("</ul>")[0]
    assert preview.count("<li>") == 2

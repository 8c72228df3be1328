"""The plan web app: a recommendation from a real screening, the clinician's decisions
(with and without a reason), GAS goals through the personalized measures, activation
(modules given through the treatment app), the FHIR and PDF exports, the patient's
"My plan" page, permissions and audit.

The screening is really filled in (tests/web/test_screening.py helpers): PHQ-9 answers
2,2,1,1,1,1,1,1,0 give a total of 10, exactly the threshold (>= 10, Kroenke 2001), so
negative mood is elevated; GAD-7 and PHQ-15 are 0 and the SCEGS form judges social
support present and avoidance absent, so negative mood is the only factor.

What the bundled rules (src/maatwerk/content/planning/rules.json, docs/planning) then
recommend, in order:
  1. psychoeducation_vicious_circle — basic "first": a risk factor is elevated;
  2. g_schema — the one planning link negative mood → G-schema (unverified);
  3. relapse_prevention — basic "last": at least one module was matched.
Expected weeks (catalogue, editorial): vicious circle 1, G-schema 4, relapse prevention
2, graded activity 8. With 3 modules at once (the default) the waves last as long as
their longest module.
"""

from __future__ import annotations

import io
import json

import pytest
from pypdf import PdfReader

from maatwerk.core.fhir.validation import validate_resource
from maatwerk.core.formulation.model import Complaint, Consequence, Formulation, Goal
from maatwerk.web.audit.models import AuditEvent
from maatwerk.web.common.actor import actor_for_user
from maatwerk.web.formulation import services as formulation_services
from maatwerk.web.formulation.forms import start_form
from maatwerk.web.patients.opening import Opened, open_patient
from maatwerk.web.personalized.forms import GoalsForm
from maatwerk.web.personalized.models import MeasureSet
from maatwerk.web.planning import services
from maatwerk.web.planning.forms import PrepareForm
from maatwerk.web.planning.models import Plan, PlanDecisionRecord, PlanModule
from maatwerk.web.planning.selectors import OBJECT_PLAN, max_open_modules
from maatwerk.web.treatment.models import ModuleAssignment
from tests.web.test_screening import compute, record_scegs, said, screened, world_screening
from tests.web.world import World

pytestmark = pytest.mark.django_db

MOOD_PHQ9 = [2, 2, 1, 1, 1, 1, 1, 1, 0]


# ------------------------------------------------------------------ helpers


def _base(world: World) -> str:
    return f"/plan/patients/{world.patient_a.public_id}/"


def _post(world: World, what: str, data: dict[str, object], role: str = "clinician_treating"):  # type: ignore[no-untyped-def]
    return world.client_for(role).post(_base(world) + what, data)


def _plan(world: World) -> Plan:
    return Plan.objects.get(patient=world.patient_a)


def _in_plan(world: World) -> list[str]:
    return list(
        PlanModule.objects.filter(plan=_plan(world), order__isnull=False)
        .order_by("order")
        .values_list("module_id", flat=True)
    )


def mood_plan(world: World, **prefs: object) -> Plan:
    """Screen patient A (negative mood elevated) and make a plan on the plan page."""
    screening = screened(world, phq9=MOOD_PHQ9)
    record_scegs(world, screening)
    compute(world, screening)
    data: dict[str, object] = {"modality": "online"}
    data.update(prefs)
    response = _post(world, "prepare/", data)
    assert response.status_code == 302, response.content[:1500]
    return _plan(world)


GOALS = {
    "goal-0-name": "Weer elke dag een half uur wandelen",
    "goal-0-weight": "2",
    "goal-0-level-2": "Niet wandelen",
    "goal-0-level-1": "Tien minuten",
    "goal-0-expected": "Een half uur, drie keer per week",
    "goal-0-level1": "Een half uur, vijf keer per week",
    "goal-0-level2": "Elke dag een half uur",
    "goal-0-baseline": "-1",
    "goal-1-name": "Zelf de boodschappen doen",
    "goal-1-weight": "1",
    "goal-1-level-2": "Nooit",
    "goal-1-level-1": "Met hulp",
    "goal-1-expected": "Eén keer per week alleen",
    "goal-1-level1": "Twee keer per week alleen",
    "goal-1-level2": "Alle boodschappen alleen",
    "goal-1-baseline": "-2",
}


def world_plan(world: World, *, goals: bool = False) -> Plan:
    """A draft plan of patient A for the authorization matrix and audit coverage tests,
    made through the services on the shared screening (nothing elevated there, so the
    plan holds the self-help module only); optionally with two GAS goals."""
    found = Plan.objects.filter(patient=world.patient_a).first()
    if found is None:
        world_screening(world)
        clinician = actor_for_user(world.users["clinician_treating"], access_point="test")
        access = open_patient(
            actor=clinician, patient_id=str(world.patient_a.public_id), action="update"
        )
        found = services.plan_prepare(actor=clinician, access=access, form=PrepareForm({}))
    if goals and found.goal_set is None:
        clinician = actor_for_user(world.users["clinician_treating"], access_point="test")
        access = open_patient(
            actor=clinician, patient_id=str(world.patient_a.public_id), action="update"
        )
        found = services.plan_goals_set(
            actor=clinician,
            access=access,
            form=GoalsForm(
                {
                    "goal-0-name": "Wandelen",
                    "goal-0-expected": "Drie keer per week",
                    "goal-0-level-2": "nooit",
                    "goal-0-level-1": "soms",
                    "goal-0-level1": "vaak",
                    "goal-0-level2": "elke dag",
                    "goal-0-baseline": "-1",
                }
            ),
        )
    return found


# ------------------------------------------------------------------ recommendation


def test_the_recommendation_comes_from_the_real_screening_with_its_reasons(
    world: World,
) -> None:
    before = AuditEvent.objects.count()
    plan = mood_plan(world)
    assert _in_plan(world) == ["psychoeducation_vicious_circle", "g_schema", "relapse_prevention"]
    assert plan.status == Plan.Status.DRAFT
    assert plan.preferences["modality"] == "online"
    g_schema = PlanModule.objects.get(plan=plan, module_id="g_schema")
    assert g_schema.status == PlanModule.Status.RECOMMENDED
    assert g_schema.recommendation["reasons"][0]["factor_id"] == "negative_mood"
    # The reason names the factor, its evidence (the real PHQ-9 score against the
    # threshold), the link and its sources, and that the link is unverified.
    (line,) = g_schema.reason_lines["en"]
    assert line.startswith("Negative mood (elevated: PHQ-9 total score 10")
    assert "10, at or above 10" in line
    assert "Ferwerda et al. (2017)" in line and "unverified" in line
    assert "niet geverifieerd" in g_schema.reason_lines["nl"][0]
    # One wave of three modules: max(1, 4, 2) = 4 weeks, always unverified.
    assert (plan.expected_weeks, plan.expected_weeks_unverified) == (4, True)
    page = world.client_for("clinician_treating").get(_base(world)).content.decode()
    assert "Ferwerda et al. (2017)" in page  # the source as a citation, not its id
    assert 'class="badge badge-warn unverified"' in page
    created = AuditEvent.objects.filter(object_type=OBJECT_PLAN, action="create")
    assert created.count() == 1 and created.get().sequence > before


def test_the_formulations_maintaining_factors_lead_the_ranking(world: World) -> None:
    clinician = actor_for_user(world.users["clinician_treating"], access_point="test")
    access = open_patient(
        actor=clinician, patient_id=str(world.patient_a.public_id), action="create"
    )
    formulation = formulation_services.formulation_start(
        actor=clinician, access=access, form=start_form(from_screening=False)
    )
    opened = Opened(object=formulation, access=access)
    document = Formulation(
        complaints=(Complaint("pain", "Pijn in mijn rug"),),
        consequences=(
            Consequence(
                "fear",
                "cognitive",
                "Ik denk dat bewegen mijn rug beschadigt",
                True,
                factor_id="fear_of_movement",
            ),
            Consequence(
                "unfit", "physical", "Mijn conditie is weg", True, factor_id="deconditioning"
            ),
            Consequence("sleep", "physical", "Ik slaap slecht", False, factor_id="poor_sleep"),
        ),
    )
    formulation_services.formulation_save(
        actor=clinician, opened=opened, document=document, note="gevolgenmodel"
    )
    plan = mood_plan(world)
    # Only the consequences marked maintaining count (poor sleep is not).
    assert plan.maintaining_factors == ["fear_of_movement", "deconditioning"]
    # Rank key (docs/planning): formulation factors first, then the best evidence grade.
    # Graded activity: 1 formulation factor, sourced and verified (grade 0); exposure:
    # 1 formulation factor, unverified (grade 1); G-schema: 0 formulation factors.
    assert _in_plan(world) == [
        "psychoeducation_vicious_circle",
        "graded_activity",
        "exposure_hierarchy",
        "g_schema",
        "relapse_prevention",
    ]
    graded = PlanModule.objects.get(plan=plan, module_id="graded_activity")
    assert "maintaining according to the formulation" in graded.reason_lines["en"][0]
    # Deconditioning maintaining → physiotherapy (◐ worldsupporter-nhg, unverified).
    (part,) = plan.parts.all()
    assert (part.intervention_id, part.discipline_id, part.unverified) == (
        "physiotherapy",
        "fysiotherapeut",
        True,
    )
    # Waves of 3: max(1, 8, 6) = 8, then max(4, 2) = 4 → 12 weeks.
    assert plan.expected_weeks == 12


def test_no_plan_without_a_screening_profile(world: World) -> None:
    response = _post(world, "prepare/", {"modality": "online"})
    assert response.status_code == 400
    assert said(
        response.content.decode(),
        "There is no screening profile yet",
        "Er is nog geen screeningsprofiel",
    )
    assert not Plan.objects.exists()
    event = AuditEvent.objects.order_by("-sequence").first()
    assert event is not None and (event.object_type, event.outcome) == (OBJECT_PLAN, "refused")


def test_a_module_the_patient_does_not_want_is_excluded_with_their_words(world: World) -> None:
    plan = mood_plan(
        world,
        exclude=["g_schema"],
        **{"exclude-g_schema-words": "Ik wil niet over mijn gedachten praten"},
    )
    # Without the G-schema no module is matched, so relapse prevention (which follows a
    # matched module) is not added either: the vicious circle alone remains.
    assert _in_plan(world) == ["psychoeducation_vicious_circle"]
    row = PlanModule.objects.get(plan=plan, module_id="g_schema")
    assert row.status == PlanModule.Status.EXCLUDED and row.order is None
    assert row.recommendation["excluded_reason"] == "Ik wil niet over mijn gedachten praten"
    page = world.client_for("clinician_treating").get(_base(world)).content.decode()
    assert "Ik wil niet over mijn gedachten praten" in page
    # Choosing it anyway needs a reason; with one it joins the plan.
    refused = _post(world, "decide/", {"module": "g_schema", "action": "accept", "reason": ""})
    assert refused.status_code == 400
    assert 'aria-describedby="err-accept-g_schema"' in refused.content.decode()
    assert not PlanDecisionRecord.objects.exists()
    accepted = _post(
        world,
        "decide/",
        {
            "module": "g_schema",
            "action": "accept",
            "reason": "Samen besproken; ze wil het proberen",
        },
    )
    assert accepted.status_code == 302
    assert _in_plan(world) == ["psychoeducation_vicious_circle", "g_schema"]
    assert PlanDecisionRecord.objects.get().deviates is True


def test_invalid_preferences_are_refused_per_field(world: World) -> None:
    screening = screened(world, phq9=MOOD_PHQ9)
    record_scegs(world, screening)
    compute(world, screening)
    response = _post(
        world, "prepare/", {"modality": "telepathy", "max_at_once": "0", "exclude": ["yoga"]}
    )
    assert response.status_code == 400
    body = response.content.decode()
    assert 'aria-describedby="err-modality"' in body
    assert 'aria-describedby="max-help err-max"' in body
    assert 'aria-describedby="err-excluded"' in body
    assert not Plan.objects.exists()


# ------------------------------------------------------------------ decisions


def test_removing_needs_a_reason_and_nothing_is_half_saved(world: World) -> None:
    mood_plan(world)
    before = AuditEvent.objects.count()
    refused = _post(world, "decide/", {"module": "g_schema", "action": "remove", "reason": "  "})
    assert refused.status_code == 400
    assert said(
        refused.content.decode(),
        "Give a reason for removing this module.",
        "Geef een reden",
    )
    assert _in_plan(world) == ["psychoeducation_vicious_circle", "g_schema", "relapse_prevention"]
    assert not PlanDecisionRecord.objects.exists()
    errors = AuditEvent.objects.filter(sequence__gt=before)
    assert [(e.object_type, e.outcome) for e in errors] == [(OBJECT_PLAN, "refused")]

    done = _post(
        world,
        "decide/",
        {"module": "g_schema", "action": "remove", "reason": "Eerst de vicieuze cirkel"},
    )
    assert done.status_code == 302
    # Relapse prevention moves up; the waves: max(1, 2) = 2 weeks.
    assert _in_plan(world) == ["psychoeducation_vicious_circle", "relapse_prevention"]
    assert _plan(world).expected_weeks == 2
    record = PlanDecisionRecord.objects.get()
    assert (record.action, record.deviates, record.reason) == (
        "remove",
        True,
        "Eerst de vicieuze cirkel",
    )
    assert record.decided_by == world.users["clinician_treating"]
    row = PlanModule.objects.get(plan=_plan(world), module_id="g_schema")
    assert (row.status, row.reason) == (PlanModule.Status.REMOVED, "Eerst de vicieuze cirkel")
    # Putting it back is accepting the recommendation again: no reason needed.
    back = _post(world, "decide/", {"module": "g_schema", "action": "accept", "reason": ""})
    assert back.status_code == 302
    assert _in_plan(world) == ["psychoeducation_vicious_circle", "g_schema", "relapse_prevention"]


def test_adding_needs_a_reason_and_goes_before_relapse_prevention(world: World) -> None:
    mood_plan(world)
    refused = _post(world, "decide/", {"module": "graded_activity", "action": "add"})
    assert refused.status_code == 400
    assert 'aria-describedby="err-add"' in refused.content.decode()
    assert "graded_activity" not in _in_plan(world)
    added = _post(
        world,
        "decide/",
        {"module": "graded_activity", "action": "add", "reason": "Ze beweegt bijna niet meer"},
    )
    assert added.status_code == 302
    assert _in_plan(world) == [
        "psychoeducation_vicious_circle",
        "g_schema",
        "graded_activity",
        "relapse_prevention",
    ]
    # Waves of 3: max(1, 4, 8) = 8, then relapse prevention 2 → 10 weeks.
    assert _plan(world).expected_weeks == 10
    row = PlanModule.objects.get(plan=_plan(world), module_id="graded_activity")
    assert row.status == PlanModule.Status.ADDED
    assert any("Ze beweegt bijna niet meer" in line for line in row.reason_lines["en"])
    # Adding twice, or a module that is not in the catalogue, is refused clearly.
    again = _post(world, "decide/", {"module": "graded_activity", "action": "add", "reason": "x"})
    assert again.status_code == 400
    unknown = _post(world, "decide/", {"module": "yoga", "action": "add", "reason": "x"})
    assert unknown.status_code == 400
    assert PlanDecisionRecord.objects.count() == 1


# ------------------------------------------------------------------ goals and activation


def test_goals_are_gas_goals_of_the_personalized_measures(world: World) -> None:
    plan = mood_plan(world)
    incomplete = dict(GOALS)
    incomplete["goal-1-level2"] = ""
    refused = _post(world, "goals/", incomplete)
    assert refused.status_code == 400
    assert 'aria-describedby="err-goal-1"' in refused.content.decode()
    assert not MeasureSet.objects.filter(kind="gas").exists()
    # A weight of 0 is refused by the GAS service itself: its transaction is rolled
    # back, nothing is linked, and the refusal is audited once, as a plan error.
    before = AuditEvent.objects.order_by("-sequence").first()
    assert before is not None
    zero = _post(world, "goals/", {**GOALS, "goal-0-weight": "0"})
    assert zero.status_code == 400
    assert not MeasureSet.objects.filter(kind="gas").exists()
    refused = [
        (e.object_type, e.outcome) for e in AuditEvent.objects.filter(sequence__gt=before.sequence)
    ]
    assert refused == [(OBJECT_PLAN, "refused")]

    assert _post(world, "goals/", GOALS).status_code == 302
    plan.refresh_from_db()
    assert plan.goal_set is not None and plan.goal_set.kind == "gas"
    items = list(plan.goal_set.items.order_by("position"))
    assert [i.name for i in items] == [
        "Weer elke dag een half uur wandelen",
        "Zelf de boodschappen doen",
    ]
    assert items[0].expected_outcome == "Een half uur, drie keer per week"
    assert items[0].level_descriptions == {
        "-2": "Niet wandelen",
        "-1": "Tien minuten",
        "1": "Een half uur, vijf keer per week",
        "2": "Elke dag een half uur",
    }
    # One goal store: the plan's goals are the patient's active GAS set, with the
    # baseline measurement at the levels the clinician chose (nothing is preset).
    assert MeasureSet.objects.get(kind="gas", is_active=True) == plan.goal_set
    (baseline,) = plan.goal_set.measurements.all()
    assert sorted(v.value for v in baseline.values.all()) == [-2, -1]
    page = world.client_for("clinician_treating").get(_base(world)).content.decode()
    assert "Weer elke dag een half uur wandelen" in page


def test_activation_gives_the_patient_the_modules(world: World) -> None:
    mood_plan(world)
    no_goals = _post(world, "activate/", {})
    assert no_goals.status_code == 400
    assert _plan(world).status == Plan.Status.DRAFT
    assert _post(world, "goals/", GOALS).status_code == 302
    assert _post(world, "activate/", {}).status_code == 302
    plan = _plan(world)
    assert plan.status == Plan.Status.ACTIVE and plan.activated_at is not None
    given = ModuleAssignment.objects.filter(patient=world.patient_a).order_by("pk")
    assert [a.module_id for a in given] == [
        "psychoeducation_vicious_circle",
        "g_schema",
        "relapse_prevention",
    ]
    assert {a.plan_ref for a in given} == {str(plan.public_id)}
    # An active plan is no longer changed or made again.
    assert (
        _post(
            world, "decide/", {"module": "g_schema", "action": "remove", "reason": "x"}
        ).status_code
        == 400
    )
    assert _post(world, "prepare/", {"modality": "online"}).status_code == 400


# ------------------------------------------------------------------ exports


def _active_mood_plan(world: World) -> Plan:
    mood_plan(world)
    _post(
        world, "decide/", {"module": "graded_activity", "action": "add", "reason": "Weinig actief"}
    )
    assert _post(world, "goals/", GOALS).status_code == 302
    assert _post(world, "activate/", {}).status_code == 302
    return _plan(world)


def test_the_fhir_export_is_a_valid_care_plan_with_goals(world: World) -> None:
    plan = _active_mood_plan(world)
    response = world.client_for("clinician_treating").get(_base(world) + "careplan.json")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/fhir+json")
    bundle = json.loads(response.content)
    assert bundle["resourceType"] == "Bundle"
    resources = [entry["resource"] for entry in bundle["entry"]]
    care_plan, *goals = resources
    validate_resource(care_plan, "CarePlan")
    for goal in goals:
        validate_resource(goal, "Goal")
    assert care_plan["status"] == "active"
    assert care_plan["subject"]["identifier"]["value"] == str(world.patient_a.public_id)
    assert "Patient Alpha" not in response.content.decode()  # an id, never a name
    codes = [a["detail"]["code"]["coding"][0]["code"] for a in care_plan["activity"]]
    assert codes == [
        "psychoeducation_vicious_circle",
        "g_schema",
        "graded_activity",
        "relapse_prevention",
    ]
    assert [g["description"]["text"] for g in goals] == [
        "Weer elke dag een half uur wandelen",
        "Zelf de boodschappen doen",
    ]
    assert [g["lifecycleStatus"] for g in goals] == ["active", "active"]
    notes = " ".join(note["text"] for note in care_plan["note"])
    assert "Weinig actief" in notes  # the decision with its reason
    event = AuditEvent.objects.order_by("-sequence").first()
    assert event is not None
    assert (event.action, event.object_type, event.object_ref) == (
        "export",
        OBJECT_PLAN,
        str(plan.public_id),
    )


def test_the_pdf_holds_the_whole_plan(world: World) -> None:
    _active_mood_plan(world)
    response = world.client_for("clinician_treating").get(_base(world) + "plan.pdf")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    text = " ".join(page.extract_text() for page in PdfReader(io.BytesIO(response.content)).pages)
    flat = " ".join(text.split())
    assert "Patient Alpha" in flat
    for expected in (
        "G-schema",  # a module, with its reason line
        "Ferwerda et al. (2017)",
        "Weer elke dag een half uur wandelen",  # a goal in the patient's words
        "Elke dag een half uur",  # its +2 level
        "Weinig actief",  # the decision's reason
    ):
        assert expected in flat, expected
    assert said(flat, "unverified", "niet geverifieerd")
    event = AuditEvent.objects.order_by("-sequence").first()
    assert event is not None and (event.action, event.object_type) == ("print", OBJECT_PLAN)


def test_no_export_without_a_plan(world: World) -> None:
    client = world.client_for("clinician_treating")
    assert client.get(_base(world) + "careplan.json").status_code == 404
    assert client.get(_base(world) + "plan.pdf").status_code == 404


# ------------------------------------------------------------------ the patient


def test_the_patient_sees_the_active_plan_in_plain_words_never_the_draft(world: World) -> None:
    mood_plan(world)
    patient = world.client_for("patient_a")
    draft = patient.get(_base(world) + "mine/").content.decode()
    assert "Weer elke dag" not in draft and "G-schema" not in draft
    assert _post(world, "goals/", GOALS).status_code == 302
    assert _post(world, "activate/", {}).status_code == 302
    page = patient.get(_base(world) + "mine/").content.decode()
    assert "Weer elke dag een half uur wandelen" in page  # the goal in their own words
    assert "G-schema" in page
    assert said(page, "This is an estimate", "Dit is een schatting")
    # No sources or scores in what the patient reads (the page outside <main> carries a
    # random CSRF token, which may contain any letters).
    main = page[page.index("<main") : page.index("</main>")]
    assert "ferwerda" not in main and "PHQ" not in main
    event = AuditEvent.objects.order_by("-sequence").first()
    assert event is not None
    assert (event.action, event.object_type, event.user_ref) == (
        "read",
        OBJECT_PLAN,
        str(world.users["patient_a"].public_id),
    )


@pytest.mark.parametrize("role", ["patient_a", "patient_b", "clinician_other_team", "researcher"])
def test_the_clinician_pages_are_closed_to_others(world: World, role: str) -> None:
    world_plan(world)
    client = world.client_for(role)
    assert client.get(_base(world)).status_code == 404
    assert client.get(_base(world) + "careplan.json").status_code == 404
    response = client.post(
        _base(world) + "decide/", {"module": "sleep", "action": "add", "reason": "x"}
    )
    assert response.status_code == 404
    assert not PlanDecisionRecord.objects.exists()


def test_another_patient_cannot_read_my_plan(world: World) -> None:
    world_plan(world)
    assert world.client_for("patient_b").get(_base(world) + "mine/").status_code == 404
    bad = world.client_for("clinician_treating").get("/plan/patients/not-a-uuid/")
    assert bad.status_code == 404


def test_the_demo_has_active_and_draft_plans() -> None:
    from maatwerk.web.demo.services import demo_load

    demo_load()
    plans = {plan.patient.full_name: plan for plan in Plan.objects.select_related("patient")}
    for name in ("Sophie Jansen", "Yasmina Ouali"):
        plan = plans[name]
        assert plan.status == Plan.Status.ACTIVE
        assert 2 <= plan.modules.filter(order__isnull=False).count() <= 3
        assert plan.goal_set is not None and plan.goal_set.items.count() == 2
    ahmet = plans["Ahmet Yilmaz"]
    assert ahmet.status == Plan.Status.DRAFT
    override = ahmet.decisions.get()
    assert override.deviates and override.reason


# ------------------------------------------------------------------ for the shared tests


def with_plan(
    world: World, data: dict[str, str] | None = None, *, goals: bool = False
) -> dict[str, str]:
    """Make sure patient A has a draft plan (authorization matrix), then return ``data``."""
    world_plan(world, goals=goals)
    return dict(data or {})


def plan_path(world: World, what: str = "", *, goals: bool = False, plan: bool = True) -> str:
    """The plan URL ``what`` of patient A, after making what it needs (audit coverage:
    the path is built before the events are counted)."""
    if plan:
        world_plan(world, goals=goals)
    else:
        world_screening(world)
    return _base(world) + what


# ------------------------------------------------------------------ rounds


def test_at_most_n_modules_open_at_once_is_the_plans_setting_default_three(world: World) -> None:
    """The treatment app reads how many modules may be open at the same time through
    ``selectors.max_open_modules``: the rules' default (3) without an active plan or
    without a choice, else the number set on the active plan."""
    clinician = actor_for_user(world.users["clinician_treating"], access_point="test")
    access = open_patient(actor=clinician, patient_id=str(world.patient_a.public_id), action="read")
    assert max_open_modules(access) == 3
    mood_plan(world, max_at_once="2")
    # A draft does not count: nothing is open yet.
    assert max_open_modules(access) == 3
    assert _post(world, "goals/", GOALS).status_code == 302
    assert _post(world, "activate/", {}).status_code == 302
    assert max_open_modules(access) == 2


def test_the_plan_page_reads_in_a_bounded_number_of_queries(
    world: World, django_assert_max_num_queries: object
) -> None:
    """The busiest planning page (a draft with its modules, parts, goals, history and
    care roles) must not grow its queries per module or goal (issue 11)."""
    mood_plan(world)
    assert _post(world, "goals/", GOALS).status_code == 302
    client = world.client_for("clinician_treating")
    with django_assert_max_num_queries(51):  # type: ignore[operator]  # measured: 51
        assert client.get(_base(world)).status_code == 200


def test_the_patients_own_goals_are_proposed_as_gas_goals(world: World) -> None:
    """Issue 12: goals from step 3 of the gevolgenmodel and from the intake ("wil eerst
    werken aan") are proposed as GAS goals; the clinician describes the levels and
    chooses the starting level with the patient (nothing is preselected)."""
    clinician = actor_for_user(world.users["clinician_treating"], access_point="test")
    access = open_patient(
        actor=clinician, patient_id=str(world.patient_a.public_id), action="create"
    )
    formulation = formulation_services.formulation_start(
        actor=clinician, access=access, form=start_form(from_screening=False)
    )
    opened = Opened(object=formulation, access=access)
    document = Formulation(
        complaints=(Complaint("pain", "Pijn in mijn rug"),),
        goals=(Goal("bike", "Weer  fietsen naar mijn werk"), Goal("walk", "weer wandelen")),
    )
    formulation_services.formulation_save(
        actor=clinician, opened=opened, document=document, note="stap 3"
    )
    mood_plan(world)  # the intake says: first work on "Weer wandelen"
    page = world.client_for("clinician_treating").get(_base(world)).content.decode()
    assert (
        'name="goal-0-name" type="text" maxlength="200" value="Weer fietsen naar mijn werk"' in page
    )
    assert 'name="goal-1-name" type="text" maxlength="200" value="weer wandelen"' in page
    assert 'name="goal-2-name" type="text" maxlength="200" value=""' in page  # said once
    assert page.count('value="-1" selected') == 0 and page.count('value="-2" selected') == 0
    assert not MeasureSet.objects.filter(kind="gas").exists()  # proposed, not saved


def test_the_rounds_shown_are_the_rounds_the_duration_counts(world: World) -> None:
    """One module at a time, then the first module removed: the module rows' rounds and
    the expected duration's rounds come from the same plan order (the recommendation's
    waves went stale when the module was removed)."""
    mood_plan(world, max_at_once="1")
    first = _in_plan(world)[0]
    done = _post(world, "decide/", {"module": first, "action": "remove", "reason": "Later"})
    assert done.status_code == 302
    page = world.client_for("clinician_treating").get(_base(world))
    planned = page.context["planned"]
    waves = [int(w) for w in _plan(world).duration["waves"]]
    assert [item["wave"] for item in planned] == list(range(1, len(waves) + 1))
    assert [item["weeks"] for item in planned] == waves
    assert sum(waves) == _plan(world).expected_weeks
    assert page.context["duration_rounds"]["weeks"] == " + ".join(str(w) for w in waves)

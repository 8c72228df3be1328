"""Revising an active plan: a revision starts from the active plan, is decided like a
draft, may step up the level of care (stepped care), and on activation replaces the
active plan (new modules given, removed ones stopped); completing a plan at the end of
treatment; the history; permissions and audit.

The plan is test_planning's mood plan (PHQ-9 total 10 = the threshold, Kroenke 2001):
vicious circle, G-schema, graded activity (added by the clinician) and relapse
prevention, with two GAS goals, activated. Its level of care is the screening advice
for that profile; the next level is what ``stepped_care.json``'s escalation rules say
(huisarts → POH-GGZ → basis-GGZ → specialistische GGZ → TOPGGz). The mood profile
(2 clusters, moderate limitation, suspected depression) is advised basis-GGZ, so its step
up is to specialistische GGZ, a sourced escalation (psycholoog-2014, hoedeman-2014); it
was advised specialistische GGZ before severity stopped letting a comorbidity alone make
SOLK severe.
"""

from __future__ import annotations

import pytest

from maatwerk.core.screening.content import bundled_screening_content
from maatwerk.web.audit.models import AuditEvent
from maatwerk.web.common.actor import actor_for_user
from maatwerk.web.patients.opening import open_patient
from maatwerk.web.planning import selectors, services
from maatwerk.web.planning.forms import RevisionForm
from maatwerk.web.planning.models import Plan, PlanCareLevelStep, PlanDecisionRecord, PlanModule
from maatwerk.web.planning.selectors import OBJECT_PLAN
from maatwerk.web.treatment.models import ModuleAssignment
from tests.web.test_planning import _active_mood_plan, _base, _post, world_plan
from tests.web.world import World

pytestmark = pytest.mark.django_db

# stepped_care.json "escalation": from_level -> to_level
NEXT_LEVEL = {
    "huisarts": "poh_ggz",
    "poh_ggz": "basis_ggz",
    "basis_ggz": "specialistische_ggz",
    "specialistische_ggz": "topggz",  # unverified (no formal TOPGGz criteria found)
}
# Whether the escalation from a level is marked unverified in the bundled rules.
ESCALATION_UNVERIFIED = {
    step.from_level: step.unverified for step in bundled_screening_content().rules.escalation
}


def _plans(world: World) -> dict[str, Plan]:
    return {plan.status: plan for plan in Plan.objects.filter(patient=world.patient_a)}


def _planned(plan: Plan) -> list[str]:
    return [row.module_id for row in selectors.planned_modules_of(plan)]


def _open_modules(world: World) -> set[str]:
    return {
        a.module_id for a in ModuleAssignment.objects.filter(patient=world.patient_a) if a.is_open
    }


def _revised(world: World) -> tuple[Plan, Plan]:
    active = _active_mood_plan(world)
    response = _post(world, "revise/", {"revision_reason": "Evaluatie na 6 weken"})
    assert response.status_code == 302, response.content[:1000]
    return active, _plans(world)["draft"]


def test_a_revision_starts_from_the_active_plan_which_stays_active(world: World) -> None:
    active, revision = _revised(world)
    assert revision.revises == active and revision.revision_reason == "Evaluatie na 6 weken"
    assert _plans(world)["active"] == active
    assert (
        _planned(revision)
        == _planned(active)
        == [
            "psychoeducation_vicious_circle",
            "g_schema",
            "graded_activity",
            "relapse_prevention",
        ]
    )
    assert (revision.care_level, revision.goal_set_id) == (active.care_level, active.goal_set_id)
    assert revision.parts.count() == active.parts.count()
    # The decision that added graded activity comes along, with who made it and why.
    (added,) = revision.decisions.all()
    assert (added.module_id, added.action, added.reason) == (
        "graded_activity",
        "add",
        "Weinig actief",
    )
    event = AuditEvent.objects.order_by("-sequence").first()
    assert event is not None
    assert (event.action, event.object_type, event.object_ref) == (
        "create",
        OBJECT_PLAN,
        str(revision.public_id),
    )
    # Only one revision at a time, and only of an active plan.
    again = _post(world, "revise/", {"revision_reason": "nog eens"})
    assert again.status_code == 400
    assert Plan.objects.filter(patient=world.patient_a).count() == 2


def test_a_revision_needs_a_reason(world: World) -> None:
    _active_mood_plan(world)
    response = _post(world, "revise/", {"revision_reason": "  "})
    assert response.status_code == 400
    page = response.content.decode()
    assert 'aria-describedby="err-revision-reason"' in page
    assert Plan.objects.filter(patient=world.patient_a).count() == 1
    event = AuditEvent.objects.order_by("-sequence").first()
    assert event is not None and event.outcome == "refused"


def test_revise_decide_activate_changes_the_patients_modules(world: World) -> None:
    active, revision = _revised(world)
    g_schema = ModuleAssignment.objects.get(patient=world.patient_a, module_id="g_schema")
    kept_pk = ModuleAssignment.objects.get(
        patient=world.patient_a, module_id="psychoeducation_vicious_circle"
    ).pk
    removing = _post(world, "decide/", {"module": "g_schema", "action": "remove", "reason": ""})
    assert removing.status_code == 400  # removing needs a reason, as in a draft
    decided = [
        {"module": "g_schema", "action": "remove", "reason": "Helpt niet bij haar klachten"},
        {"module": "sleep", "action": "add", "reason": "Slaapt sinds een maand slecht"},
    ]
    for data in decided:
        assert _post(world, "decide/", data).status_code == 302
    # Calculating again from the latest screening keeps the decisions.
    assert _post(world, "prepare/", {"modality": "online"}).status_code == 302
    revision.refresh_from_db()
    assert _planned(revision) == [
        "psychoeducation_vicious_circle",
        "graded_activity",
        "sleep",
        "relapse_prevention",
    ]
    # Until the revision is activated the patient keeps the active plan and its modules.
    patient_page = world.client_for("patient_a").get(_base(world) + "mine/").content.decode()
    assert "G-schema" in patient_page and "Beter slapen" not in patient_page
    assert "g_schema" in _open_modules(world) and "sleep" not in _open_modules(world)

    before = AuditEvent.objects.count()
    assert _post(world, "activate/", {}).status_code == 302
    active.refresh_from_db()
    revision.refresh_from_db()
    assert active.status == Plan.Status.REVISED and active.ended_at is not None
    assert active.successor == revision
    assert revision.status == Plan.Status.ACTIVE and revision.activated_at is not None
    # Rounds (issue 12): at most three at once (the default); the module new in the plan
    # follows the ones the patient already has and opens when that round is done.
    assert _open_modules(world) == {
        "psychoeducation_vicious_circle",
        "graded_activity",
        "relapse_prevention",
    }
    sleep = ModuleAssignment.objects.get(patient=world.patient_a, module_id="sleep")
    assert sleep.status == ModuleAssignment.Status.WAITING and sleep.plan_round == 2
    g_schema.refresh_from_db()
    # Removed from the plan: stopped by the clinician who activated, not completed.
    assert g_schema.status == ModuleAssignment.Status.STOPPED and g_schema.completed_at is None
    assert g_schema.stopped_at is not None
    assert g_schema.stopped_by is not None
    assert g_schema.stopped_by.user == world.users["clinician_treating"]
    sleep = ModuleAssignment.objects.get(patient=world.patient_a, module_id="sleep")
    assert sleep.plan_ref == str(revision.public_id)
    assert ModuleAssignment.objects.get(pk=kept_pk).is_open  # unchanged, not given again
    # One event: the treatment app's, naming the revision.
    assert AuditEvent.objects.count() - before == 1
    event = AuditEvent.objects.order_by("-sequence").first()
    assert event is not None and (event.action, event.object_type) == (
        "update",
        "treatment_module",
    )
    assert event.detail.endswith(f"plan {revision.public_id}")
    # The treatment app shows the change to the clinician and to the patient.
    modules_page = world.client_for("clinician_treating").get(
        f"/treatment/patients/{world.patient_a.public_id}/modules/"
    )
    assert "Sleeping better" in modules_page.content.decode() or "Beter slapen" in (
        modules_page.content.decode()
    )
    patient_page = world.client_for("patient_a").get(_base(world) + "mine/").content.decode()
    assert "Beter slapen" in patient_page or "Sleeping better" in patient_page
    # The patient reads what changed, at B1, without the clinician's reason.
    changes = patient_page[patient_page.index('id="h-changes"') :].split("</section>")[0]
    assert "Nieuw in je plan: Beter slapen." in changes
    assert "Niet meer in je plan: Je gedachten onderzoeken (G-schema)." in changes
    assert "Je antwoorden kun je nog lezen." in changes
    assert "Evaluatie na 6 weken" not in patient_page
    # The history names what changed, who, and when.
    page = world.client_for("clinician_treating").get(_base(world)).content.decode()
    assert "Evaluatie na 6 weken" in page
    history = page[page.index('id="history"') :]
    assert "G-schema" in history and ("Beter slapen" in history or "Sleeping better" in history)


def test_step_up_the_level_of_care_needs_a_reason(world: World) -> None:
    active, revision = _revised(world)
    next_level = NEXT_LEVEL[active.care_level]
    page = world.client_for("clinician_treating").get(_base(world)).content.decode()
    assert f'<option value="{next_level}">' in page
    assert 'class="badge badge-warn unverified"' in page  # unverified advice is marked

    refused = _post(world, "step-up/", {"to_level": next_level, "step_reason": ""})
    assert refused.status_code == 400
    assert 'aria-describedby="err-step-reason"' in refused.content.decode()
    wrong = _post(world, "step-up/", {"to_level": "huisarts", "step_reason": "Stagnatie"})
    assert wrong.status_code == 400
    assert not PlanCareLevelStep.objects.exists()
    revision.refresh_from_db()
    assert revision.care_level == active.care_level

    done = _post(world, "step-up/", {"to_level": next_level, "step_reason": "Stagnatie na 8 weken"})
    assert done.status_code == 302
    revision.refresh_from_db()
    assert (revision.care_level, revision.care_level_source) == (next_level, "decision")
    step = PlanCareLevelStep.objects.get()
    assert (step.from_level, step.to_level, step.reason) == (
        active.care_level,
        next_level,
        "Stagnatie na 8 weken",
    )
    # The advice as shown, with the escalation's own provenance mark.
    assert step.advice
    assert step.unverified is ESCALATION_UNVERIFIED[active.care_level]
    assert step.decided_by == world.users["clinician_treating"]
    # Calculating again keeps the stepped-up level (it is the clinician's decision).
    assert _post(world, "prepare/", {"modality": "online"}).status_code == 302
    revision.refresh_from_db()
    assert revision.care_level == next_level
    assert _plans(world)["active"].care_level == active.care_level  # not yet activated
    assert _post(world, "activate/", {}).status_code == 302
    patient_page = world.client_for("patient_a").get(_base(world) + "mine/").content.decode()
    assert "Je krijgt nu zorg op een ander niveau" in patient_page


def test_the_level_of_care_is_stepped_up_on_a_revision_only(world: World) -> None:
    plan = _active_mood_plan(world)
    response = _post(
        world, "step-up/", {"to_level": NEXT_LEVEL[plan.care_level], "step_reason": "x"}
    )
    assert response.status_code == 400
    assert not PlanCareLevelStep.objects.exists()


def test_complete_the_plan_with_a_note(world: World) -> None:
    plan = _active_mood_plan(world)
    assert _post(world, "complete/", {"end_note": ""}).status_code == 400
    assert _plans(world)["active"] == plan
    assert _post(world, "complete/", {"end_note": "Doelen bereikt, afgesloten"}).status_code == 302
    plan.refresh_from_db()
    assert plan.status == Plan.Status.COMPLETED and plan.end_note == "Doelen bereikt, afgesloten"
    assert plan.ended_by == world.users["clinician_treating"]
    event = AuditEvent.objects.order_by("-sequence").first()
    assert event is not None and (event.action, event.object_ref) == (
        "update",
        str(plan.public_id),
    )
    # A completed plan is not revised or completed again; the patient still sees it.
    assert _post(world, "revise/", {"revision_reason": "x"}).status_code == 400
    assert _post(world, "complete/", {"end_note": "x"}).status_code == 400
    mine = world.client_for("patient_a").get(_base(world) + "mine/").content.decode()
    assert "G-schema" in mine


def test_a_plan_with_a_revision_in_preparation_is_not_completed(world: World) -> None:
    active, _revision = _revised(world)
    assert _post(world, "complete/", {"end_note": "Klaar"}).status_code == 400
    active.refresh_from_db()
    assert active.status == Plan.Status.ACTIVE


@pytest.mark.parametrize("role", ["patient_a", "patient_b", "clinician_other_team", "researcher"])
def test_revising_stepping_up_and_completing_are_closed_to_others(world: World, role: str) -> None:
    with_revision(world)
    plans_before = list(Plan.objects.values_list("pk", "status", "care_level"))
    client = world.client_for(role)
    base = _base(world)
    assert client.post(base + "revise/", {"revision_reason": "x"}).status_code == 404
    assert (
        client.post(base + "step-up/", {"to_level": "poh_ggz", "step_reason": "x"}).status_code
        == 404
    )
    assert client.post(base + "complete/", {"end_note": "x"}).status_code == 404
    assert client.post(base + "discard-revision/", {"discard_reason": "x"}).status_code == 404
    assert list(Plan.objects.values_list("pk", "status", "care_level")) == plans_before
    assert not PlanCareLevelStep.objects.exists()


def test_the_modules_rows_of_the_active_plan_are_not_touched_by_the_revision(
    world: World,
) -> None:
    active, _revision = _revised(world)
    _post(world, "decide/", {"module": "g_schema", "action": "remove", "reason": "Niet nodig"})
    row = PlanModule.objects.get(plan=active, module_id="g_schema")
    assert row.in_plan and row.status == PlanModule.Status.RECOMMENDED


# ------------------------------------------------------------------ discarding a revision


def test_discarding_a_revision_keeps_the_active_plan_and_the_revision_in_history(
    world: World,
) -> None:
    active, revision = _revised(world)
    assert _post(world, "decide/", {"module": "g_schema", "action": "remove", "reason": "Klaar"})
    decisions = PlanDecisionRecord.objects.filter(plan=revision).count()
    assert decisions > 0  # the active plan's decisions came along, plus this one
    planned_before = _planned(active)
    open_before = _open_modules(world)

    # Without a reason: refused at the field, nothing changed, the refusal audited.
    before = AuditEvent.objects.count()
    refused = _post(world, "discard-revision/", {"discard_reason": "  "})
    assert refused.status_code == 400
    body = refused.content.decode()
    assert 'id="err-discard-reason"' in body and 'aria-describedby="err-discard-reason"' in body
    assert "Say why the revision is discarded." in body or "Zeg waarom" in body
    revision.refresh_from_db()
    assert revision.status == Plan.Status.DRAFT
    assert AuditEvent.objects.count() - before == 1
    event = AuditEvent.objects.order_by("-sequence").first()
    assert event is not None and event.outcome == "refused"

    before = AuditEvent.objects.count()
    done = _post(world, "discard-revision/", {"discard_reason": "Toch niet nodig"})
    assert done.status_code == 302
    revision.refresh_from_db()
    active.refresh_from_db()
    # The revision is kept, marked discarded, with who, when and why, and its decisions.
    assert revision.status == Plan.Status.DISCARDED
    assert revision.ended_by == world.users["clinician_treating"] and revision.ended_at
    assert revision.end_note == "Toch niet nodig"
    assert PlanDecisionRecord.objects.filter(plan=revision).count() == decisions
    # The active plan and the patient's modules are as they were.
    assert active.status == Plan.Status.ACTIVE and active.ended_at is None
    assert _planned(active) == planned_before
    assert _open_modules(world) == open_before
    assert active.successor is None
    # One event, naming the discarded revision.
    assert AuditEvent.objects.count() - before == 1
    event = AuditEvent.objects.order_by("-sequence").first()
    assert event is not None
    assert (event.action, event.object_type, event.object_ref) == (
        "update",
        OBJECT_PLAN,
        str(revision.public_id),
    )
    assert event.detail == f"revision of plan {active.public_id} discarded"
    # The history shows it with the reason.
    page = world.client_for("clinician_treating").get(_base(world)).content.decode()
    assert "Toch niet nodig" in page

    # Nothing left to discard; a new revision can be started.
    assert _post(world, "discard-revision/", {"discard_reason": "x"}).status_code == 400
    assert _post(world, "revise/", {"revision_reason": "Nieuwe evaluatie"}).status_code == 302
    again = Plan.objects.get(patient=world.patient_a, status=Plan.Status.DRAFT)
    assert again.revises == active and active.successor == again


def test_a_first_draft_is_not_discarded_as_a_revision(world: World) -> None:
    draft = world_plan(world)
    assert draft.status == Plan.Status.DRAFT and draft.revises_id is None
    assert _post(world, "discard-revision/", {"discard_reason": "x"}).status_code == 400
    draft.refresh_from_db()
    assert draft.status == Plan.Status.DRAFT


def discard_data(world: World) -> dict[str, str]:
    """A valid discard of patient A's revision."""
    with_revision(world)
    return {"discard_reason": "Toch niet nodig"}


# ------------------------------------------------------------------ for the shared tests


def _clinician(world: World):  # type: ignore[no-untyped-def]
    actor = actor_for_user(world.users["clinician_treating"], access_point="test")
    access = open_patient(actor=actor, patient_id=str(world.patient_a.public_id), action="update")
    return actor, access


def with_active_plan(world: World, data: dict[str, str] | None = None) -> dict[str, str]:
    """Make sure patient A has an active plan (the shared screening's), return ``data``."""
    plan = world_plan(world, goals=True)
    if plan.status == Plan.Status.DRAFT and plan.revises_id is None:
        actor, access = _clinician(world)
        services.plan_activate(actor=actor, access=access)
    return dict(data or {})


def with_revision(world: World, data: dict[str, str] | None = None) -> dict[str, str]:
    """Make sure patient A has an active plan and a revision of it, return ``data``."""
    with_active_plan(world)
    if not Plan.objects.filter(patient=world.patient_a, status=Plan.Status.DRAFT).exists():
        actor, access = _clinician(world)
        services.plan_revise(
            actor=actor, access=access, form=RevisionForm({"revision_reason": "Evaluatie"})
        )
    return dict(data or {})


def step_up_data(world: World) -> dict[str, str]:
    """A valid step up of patient A's revision: the next level of care as advised."""
    with_revision(world)
    _actor, access = _clinician(world)
    revision = Plan.objects.get(patient=world.patient_a, status=Plan.Status.DRAFT)
    advice = selectors.step_up_advice(access, revision)
    assert advice is not None and advice.to_level is not None
    return {"to_level": advice.to_level, "step_reason": "Stagnatie"}


def revision_path(world: World, what: str, *, revision: bool = False) -> str:
    """The plan URL ``what`` of patient A with an active plan (and a revision)."""
    (with_revision if revision else with_active_plan)(world)
    return _base(world) + what

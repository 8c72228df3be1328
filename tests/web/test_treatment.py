"""Treatment web app: modules assigned by the clinician, exercises saved as the patient
types (a late, older save never overwrites newer text), handing in with per-field
errors, the therapist's feedback and its read marker, the clinician's inbox, audited
messages, the graded-activity quota, and the partner/parent view.

Answers are checked by the core (``maatwerk.core.modules.answers``) against the bundled
module files (``src/maatwerk/content/modules/g_schema.json``,
``graded_activity.json``); quotas come from ``maatwerk.core.planning.graded_activity``
with the defaults of ``src/maatwerk/content/planning/rules.json``.
"""

from __future__ import annotations

import json
import re
from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.core import mail
from django.test import Client
from django.utils import timezone

from maatwerk.core.planning.content import bundled_planning_rules
from maatwerk.web.audit.models import AuditEvent
from maatwerk.web.clinic.badges import badges_of
from maatwerk.web.common.actor import Actor, actor_for_user
from maatwerk.web.patients.opening import Opened, open_patient
from maatwerk.web.treatment import services
from maatwerk.web.treatment.forms import ExerciseFieldForm
from maatwerk.web.treatment.models import (
    ExerciseResponse,
    Feedback,
    Message,
    ModuleAssignment,
    RelativeAccess,
)
from maatwerk.web.treatment.selectors import OpenedModule
from tests.web.world import World

pytestmark = pytest.mark.django_db

G_SCHEMA_ANSWERS = {
    "event": "Ik voelde een steek in mijn rug bij het tillen.",
    "thoughts": "Nu gaat het helemaal mis.",
    "feeling": "bang",
    "feeling_strength": "8",
    "behaviour": "Ik ben gaan liggen.",
    "result": "Mijn rug werd stijver.",
}


def said(body: str, english: str, dutch: str) -> bool:
    """The page says it, in Dutch (the default) or, while the Dutch catalog lacks the
    message, in English."""
    return english in body or dutch in body


# ------------------------------------------------------------------ world helpers
# Made through the services on first use; the authorization matrix and the audit
# coverage test use them too.


def world_module(world: World, module_id: str = "g_schema") -> ModuleAssignment:
    found = ModuleAssignment.objects.filter(patient=world.patient_a, module_id=module_id).first()
    if found is not None:
        return found
    clinician = actor_for_user(world.users["clinician_treating"], access_point="test")
    access = open_patient(
        actor=clinician, patient_id=str(world.patient_a.public_id), action="create"
    )
    (assignment,) = services.modules_assign(actor=clinician, access=access, module_ids=[module_id])
    return assignment


ROUND_MODULES = ["sleep", "problem_solving", "relaxation_mindfulness", "assertiveness"]


def world_waiting_module(world: World) -> ModuleAssignment:
    """A module of patient A's plan that waits for round 2 (four modules, three at once
    by default)."""
    found = ModuleAssignment.objects.filter(
        patient=world.patient_a, status=ModuleAssignment.Status.WAITING
    ).first()
    if found is not None:
        return found
    clinician = actor_for_user(world.users["clinician_treating"], access_point="test")
    access = open_patient(
        actor=clinician, patient_id=str(world.patient_a.public_id), action="create"
    )
    given = services.modules_assign(
        actor=clinician, access=access, module_ids=ROUND_MODULES, plan_ref="plan-rounds"
    )
    return given[-1]


def _patient_opened(world: World, assignment: ModuleAssignment) -> OpenedModule:
    patient = actor_for_user(world.users["patient_a"], access_point="test")
    access = open_patient(actor=patient, patient_id=str(world.patient_a.public_id), action="update")
    return Opened(object=assignment, access=access)


def inbox_count(actor: Actor) -> int:
    """The number on the clinician's Inbox badge."""
    return badges_of(actor).inbox


def world_response(world: World) -> ExerciseResponse:
    """Patient A's G-schema, handed in."""
    assignment = world_module(world)
    found = assignment.responses.filter(exercise_id="g_schema").first()
    if found is not None:
        return found
    patient = actor_for_user(world.users["patient_a"], access_point="test")
    handed = services.exercise_hand_in(
        actor=patient,
        opened=_patient_opened(world, assignment),
        exercise_id="g_schema",
        posted=G_SCHEMA_ANSWERS,
    )
    assert handed.handed_in, handed.problems
    return handed.response


PARTNER_PASSWORD = "Zonnebloem-Partner-2026"


def partner_invited(world: World) -> RelativeAccess:
    """Patient A's partner, invited by patient A with consent (not yet accepted)."""
    patient = actor_for_user(world.users["patient_a"], access_point="test")
    access = open_patient(actor=patient, patient_id=str(world.patient_a.public_id), action="create")
    return services.relative_invite(
        actor=patient,
        access=access,
        email="partner.a@a.test",
        full_name="Partner Alpha",
        relation="partner",
        consent=True,
    )


def world_relative(world: World) -> RelativeAccess:
    """Patient A's partner, invited by patient A with consent, who accepted."""
    found = RelativeAccess.objects.filter(patient=world.patient_a).first()
    if found is not None:
        return found
    invited = partner_invited(world)
    accepted, _user = services.relative_accept(
        actor=actor_for_user(None, access_point="test"),
        token=invited.token,
        password1=PARTNER_PASSWORD,
        password2=PARTNER_PASSWORD,
    )
    return accepted


def _accept_from_mail(client: Client, relative: RelativeAccess) -> RelativeAccess:
    """The invited person opens the link in the e-mail, chooses a password, logs in."""
    found = re.search(r"(/treatment/relatives/accept/[^/\s]+/)", mail.outbox[-1].body)
    assert found is not None, mail.outbox[-1].body
    assert client.get(found.group(1)).status_code == 200
    accepted = client.post(
        found.group(1), {"password1": PARTNER_PASSWORD, "password2": PARTNER_PASSWORD}
    )
    assert accepted.status_code == 302
    relative.refresh_from_db()
    assert relative.user is not None
    client.force_login(relative.user)
    return relative


def _save(client: Client, assignment: ModuleAssignment, field: str, value: object, stamp: int):  # type: ignore[no-untyped-def]
    return client.post(
        f"/treatment/modules/{assignment.public_id}/exercises/g_schema/save/",
        {"field": field, "value": json.dumps(value), "stamp": str(stamp)},
    )


def _events_since(last: int) -> list[AuditEvent]:
    return list(AuditEvent.objects.filter(sequence__gt=last).order_by("sequence"))


def _last_sequence() -> int:
    event = AuditEvent.objects.order_by("-sequence").first()
    return event.sequence if event else 0


# ------------------------------------------------------------------ assigning


def test_modules_assign_validates_is_idempotent_and_writes_one_event(world: World) -> None:
    clinician = actor_for_user(world.users["clinician_treating"], access_point="test")
    access = open_patient(
        actor=clinician, patient_id=str(world.patient_a.public_id), action="create"
    )
    before = _last_sequence()
    first = services.modules_assign(
        actor=clinician, access=access, module_ids=["g_schema", "graded_activity"], plan_ref="p1"
    )
    assert [a.module_id for a in first] == ["g_schema", "graded_activity"]
    # Both modules are guided in the catalogue: the therapist reads the homework.
    assert all(a.guided for a in first) and {a.plan_ref for a in first} == {"p1"}
    assert [(e.action, e.object_type) for e in _events_since(before)] == [
        ("create", "treatment_module")
    ]
    again = services.modules_assign(
        actor=clinician, access=access, module_ids=["graded_activity", "sleep"]
    )
    assert again[0].pk == first[1].pk  # still open: kept, not assigned twice
    assert ModuleAssignment.objects.filter(patient=world.patient_a).count() == 3

    from django.core.exceptions import PermissionDenied

    from maatwerk.web.audit.audited import InputRefused

    with pytest.raises(InputRefused) as problem:
        services.modules_assign(actor=clinician, access=access, module_ids=["no_such_module"])
    assert "no_such_module" in str(problem.value)
    patient = actor_for_user(world.users["patient_a"], access_point="test")
    own = open_patient(actor=patient, patient_id=str(world.patient_a.public_id), action="create")
    with pytest.raises(PermissionDenied):
        services.modules_assign(actor=patient, access=own, module_ids=["sleep"])


def test_clinician_assigns_from_the_patient_page(world: World) -> None:
    client = world.client_for("clinician_treating")
    url = f"/treatment/patients/{world.patient_a.public_id}/modules/"
    response = client.post(url, {"modules": ["g_schema"]})
    assert response.status_code == 302
    assert ModuleAssignment.objects.filter(patient=world.patient_a, module_id="g_schema").exists()
    refused = client.post(url, {})
    assert refused.status_code == 400
    assert said(
        refused.content.decode(), "Choose at least one module.", "Kies minstens één module."
    )
    page = client.get(f"/clinic/patients/{world.patient_a.public_id}/").content.decode()
    assert url in page


# ------------------------------------------------------------------ autosave


def test_autosave_keeps_a_draft_and_a_late_older_save_never_wins(world: World) -> None:
    assignment = world_module(world)
    client = world.client_for("patient_a")
    assert _save(client, assignment, "event", "Ik stond op", 1000).json()["saved"] is True
    assert _save(client, assignment, "event", "Ik stond op en voelde pijn", 2000).status_code == 200
    # The first save is sent again late (e.g. from the offline queue): it is older.
    late = _save(client, assignment, "event", "Ik stond op", 1000)
    assert late.json() == {"saved": True, "field": "event", "version": 2, "stale": True}
    duplicate = _save(client, assignment, "event", "Ik stond op en voelde pijn", 2000)
    assert duplicate.json()["stale"] is True
    response = ExerciseResponse.objects.get(assignment=assignment, exercise_id="g_schema")
    assert response.answers == {"event": "Ik stond op en voelde pijn"}
    assert (response.status, response.version) == ("draft", 2)
    assignment.refresh_from_db()
    assert assignment.status == "in_progress"
    # The draft is shown again when the patient comes back.
    page = client.get(f"/treatment/modules/{assignment.public_id}/exercises/g_schema/")
    assert "Ik stond op en voelde pijn" in page.content.decode()


def test_a_malformed_value_is_refused_with_a_message_for_its_field(world: World) -> None:
    assignment = world_module(world)
    client = world.client_for("patient_a")
    refused = _save(client, assignment, "feeling_strength", "11", 1000)
    assert refused.status_code == 400
    # The scale runs 0-10 (g_schema.json); the core's Dutch message names the field.
    assert refused.json()["errors"] == {
        "feeling_strength": ["‘Hoe sterk was dat gevoel?’: kies een getal van 0 tot en met 10."]
    }
    assert not ExerciseResponse.objects.filter(assignment=assignment).exists()
    unknown = _save(client, assignment, "nonsense", "x", 1001)
    assert unknown.status_code == 400


# ------------------------------------------------------------------ handing in


def test_hand_in_shows_each_missing_field_and_keeps_the_draft(world: World) -> None:
    assignment = world_module(world)
    client = world.client_for("patient_a")
    url = f"/treatment/modules/{assignment.public_id}/exercises/g_schema/submit/"
    response = client.post(url, {"action": "hand_in", "f-event": "Ik tilde een krat"})
    assert response.status_code == 400
    body = response.content.decode()
    # Every other field of the G-schema is required; each message is tied to its input.
    assert "‘Gedachten: wat dacht je?’: vul dit in." in body
    assert 'id="ex-g_schema-thoughts-error"' in body
    assert 'aria-describedby="ex-g_schema-thoughts-error"' in body
    assert "‘Hoe sterk was dat gevoel?’: maak een keuze." not in body  # a scale: "vul dit in"
    saved = ExerciseResponse.objects.get(assignment=assignment)
    assert saved.answers["event"] == "Ik tilde een krat" and saved.status == "draft"

    posted = {f"f-{key}": value for key, value in G_SCHEMA_ANSWERS.items()}
    done = client.post(url, {"action": "hand_in", **posted})
    assert done.status_code == 302
    saved.refresh_from_db()
    assert saved.status == "submitted" and saved.submitted_at is not None
    assert saved.answers["feeling_strength"] == "8"
    # Handed in: further autosaves are refused until the patient chooses to continue.
    assert _save(client, assignment, "event", "later", 10**13).status_code == 400
    assert client.post(url, {"action": "reopen"}).status_code == 302
    saved.refresh_from_db()
    # Changing after hand-in: the handed-in version stays (issue 12, homework never
    # disappears); the response is marked as changed, not turned back into a draft.
    assert saved.status == "changed" and saved.hand_ins.count() == 1


def test_repeating_rows_without_javascript(world: World) -> None:
    assignment = world_module(world, "graded_activity")
    client = world.client_for("patient_a")
    url = f"/treatment/modules/{assignment.public_id}/exercises/baseline_log/submit/"
    row = {"f-days-0-date": "2026-03-02", "f-days-0-activity": "wandelen", "f-days-0-minutes": "20"}
    added = client.post(url, {"action": "add_row:days", **row})
    assert added.status_code == 200
    assert 'name="f-days-1-minutes"' in added.content.decode()
    two_rows = {
        **row,
        "f-days-1-date": "2026-03-03",
        "f-days-1-activity": "fietsen",
        "f-days-1-minutes": "abc",
    }
    refused = client.post(url, {"action": "hand_in", **two_rows})
    assert refused.status_code == 400
    body = refused.content.decode()
    assert "Regel 2, ‘Minuten’: vul een getal in." in body
    assert 'id="ex-baseline_log-days-1-minutes-error"' in body
    assert 'value="abc"' in body  # shown again as typed, nothing lost
    removed = client.post(url, {"action": "remove_row:days:1", **two_rows})
    assert removed.status_code == 200
    saved = ExerciseResponse.objects.get(assignment=assignment, exercise_id="baseline_log")
    assert saved.answers["days"] == [
        {"date": "2026-03-02", "activity": "wandelen", "minutes": "20"}
    ]
    # The module asks for at least three days before handing in (min_rows 3).
    too_few = client.post(url, {"action": "hand_in", **row})
    assert too_few.status_code == 400
    assert "vul minstens 3 regel(s) in." in too_few.content.decode()


# ------------------------------------------------------------------ feedback and the inbox


def test_feedback_reaches_the_patient_and_is_marked_read(world: World) -> None:
    response = world_response(world)
    clinician = world.client_for("clinician_treating")
    assert inbox_count(actor_for_user(world.users["clinician_treating"], access_point="t")) == 1
    review = clinician.get(f"/treatment/responses/{response.public_id}/")
    assert review.status_code == 200
    body = review.content.decode()
    # The G-schema is shown as its five columns, in order.
    columns = [
        body.index(label) for label in ("Gebeurtenis", "Gedachten", "Gevoel:", "Gedrag", "Gevolg")
    ]
    assert columns == sorted(columns)
    assert "Nu gaat het helemaal mis." in body
    empty = clinician.post(f"/treatment/responses/{response.public_id}/", {"text": "  "})
    assert empty.status_code == 400
    sent = clinician.post(
        f"/treatment/responses/{response.public_id}/", {"text": "Goed opgeschreven!"}
    )
    assert sent.status_code == 302
    assert inbox_count(actor_for_user(world.users["clinician_treating"], access_point="t")) == 0
    feedback = Feedback.objects.get(response=response)
    assert feedback.read_by_patient_at is None

    patient = world.client_for("patient_a")
    home = patient.get("/portal/").content.decode()
    assert said(home, "Your therapist gave you feedback.", "Je behandelaar gaf je feedback.")
    page = patient.get(f"/treatment/modules/{response.assignment.public_id}/exercises/g_schema/")
    assert "Goed opgeschreven!" in page.content.decode()
    feedback.refresh_from_db()
    assert feedback.read_by_patient_at is not None


def test_the_inbox_counts_homework_and_unread_messages_of_own_patients(world: World) -> None:
    world_response(world)
    patient = world.client_for("patient_a")
    assert patient.post("/treatment/messages/", {"text": "Mag ik iets vragen?"}).status_code == 302
    treating = actor_for_user(world.users["clinician_treating"], access_point="t")
    other_team = actor_for_user(world.users["clinician_other_team"], access_point="t")
    assert inbox_count(treating) == 2  # one handed-in G-schema, one unread message
    assert inbox_count(other_team) == 0
    clinician = world.client_for("clinician_treating")
    nav = clinician.get("/treatment/inbox/").content.decode()
    assert '<span class="alert-badge">2' in nav
    assert "Patient Alpha" in nav
    clinician.get(f"/treatment/patients/{world.patient_a.public_id}/messages/")
    assert inbox_count(treating) == 1  # the message is read now
    assert Message.objects.get().read_by_team_at is not None


def test_messages_are_audited_on_write_and_on_read(world: World) -> None:
    patient = world.client_for("patient_a")
    before = _last_sequence()
    patient.post("/treatment/messages/", {"text": "Hallo"})
    assert [(e.action, e.object_type, e.patient_ref) for e in _events_since(before)] == [
        ("create", "messages", str(world.patient_a.public_id))
    ]
    before = _last_sequence()
    clinician = world.client_for("clinician_treating")
    page = clinician.post(
        f"/treatment/patients/{world.patient_a.public_id}/messages/", {"text": "Hoi, ik lees mee."}
    )
    assert page.status_code == 302
    clinician.get(f"/treatment/patients/{world.patient_a.public_id}/messages/")
    assert [(e.action, e.object_type) for e in _events_since(before)] == [
        ("create", "messages"),
        ("read", "messages"),
    ]
    thread = patient.get("/treatment/messages/").content.decode()
    assert "Hoi, ik lees mee." in thread
    too_long = patient.post("/treatment/messages/", {"text": "x" * 5001})
    assert too_long.status_code == 400
    assert 'aria-describedby="message-text-error"' in too_long.content.decode()


@pytest.mark.parametrize(
    ("text", "said"),
    [
        ("   ", "Schrijf een bericht voordat je het verstuurt."),
        ("x" * 5001, "Gebruik hoogstens 5000 tekens (nu 5001)."),
    ],
)
def test_a_refused_message_says_why_in_the_services_words(
    world: World, text: str, said: str
) -> None:
    """The view passes the typed text to ``message_send``, which judges it for every
    caller alike (one refused event, the reason on the field)."""
    patient = world.client_for("patient_a")
    before = _last_sequence()
    refused = patient.post("/treatment/messages/", {"text": text})
    assert refused.status_code == 400
    assert said in refused.content.decode()
    assert [(e.action, e.outcome) for e in _events_since(before)] == [("create", "refused")]


def test_refused_feedback_says_why_in_the_services_words(world: World) -> None:
    response = world_response(world)
    clinician = world.client_for("clinician_treating")
    refused = clinician.post(f"/treatment/responses/{response.public_id}/", {"text": "  "})
    assert refused.status_code == 400
    assert "Schrijf je feedback voordat je die verstuurt." in refused.content.decode()


# ------------------------------------------------------------------ permissions


@pytest.mark.parametrize(
    "role", ["patient_b", "clinician_other_team", "clinician_other_org", "team_lead", "org_admin"]
)
def test_others_get_not_found(world: World, role: str) -> None:
    response = world_response(world)
    assignment = response.assignment
    client = world.client_for(role)
    for path in (
        f"/treatment/modules/{assignment.public_id}/",
        f"/treatment/modules/{assignment.public_id}/exercises/g_schema/",
        f"/treatment/responses/{response.public_id}/",
        f"/treatment/patients/{world.patient_a.public_id}/messages/",
        f"/treatment/patients/{world.patient_a.public_id}/relatives/",
    ):
        assert client.get(path).status_code == 404, path
    assert _save(client, assignment, "event", "x", 1).status_code == 404


def test_a_clinician_cannot_write_the_patients_answers(world: World) -> None:
    assignment = world_module(world)
    clinician = world.client_for("clinician_treating")
    assert _save(clinician, assignment, "event", "x", 1).status_code == 404
    page = clinician.get(f"/treatment/modules/{assignment.public_id}/exercises/g_schema/")
    assert page.status_code == 200 and "data-autosave-url" not in page.content.decode()


# ------------------------------------------------------------------ graded activity


def test_todays_quota_is_time_contingent(world: World) -> None:
    """Defaults from content/planning/rules.json (all unverified, editorial): at least 5
    baseline days, start at 0.8 × the baseline mean (rounded down), +5 minutes every 7
    days. Baseline 20, 35, 15, 30, 25, 10, 40 minutes: mean 175 / 7 = 25, so the first
    quota is floor(0.8 × 25) = 20 minutes for days 1-7 and 25 minutes from day 8.

    The schedule starts the day after the baseline. Today is day 9 (the baseline ended
    9 days ago), so today's quota is 25. The last logged day, yesterday (day 8, quota
    25), the patient did 10 minutes after a bad day: "under" — and tomorrow's quota
    stays 25 (it never drops after a bad day)."""
    defaults = bundled_planning_rules().graded_activity
    assert (
        defaults.min_baseline_days,
        defaults.start_rule,
        defaults.start_fraction,
        defaults.increment_minutes,
        defaults.step_days,
    ) == (5, "fraction_of_mean", Decimal("0.8"), 5, 7)
    assert defaults.unverified
    assignment = world_module(world, "graded_activity")
    opened = _patient_opened(world, assignment)
    patient = actor_for_user(world.users["patient_a"], access_point="test")
    today = timezone.localdate()
    baseline_last = today - timedelta(days=9)
    minutes = (20, 35, 15, 30, 25, 10, 40)
    rows = [
        {
            "date": (baseline_last - timedelta(days=6 - n)).isoformat(),
            "activity": "wandelen",
            "minutes": str(m),
        }
        for n, m in enumerate(minutes)
    ]
    handed = services.exercise_hand_in(
        actor=patient, opened=opened, exercise_id="baseline_log", posted={"days": rows}
    )
    assert handed.handed_in
    services.exercise_field_save(
        actor=patient,
        opened=opened,
        exercise_id="activity_log",
        form=ExerciseFieldForm.of(
            "days",
            [
                {
                    "date": (today - timedelta(days=1)).isoformat(),
                    "activity": "wandelen",
                    "minutes": "10",
                    "kept_to_plan": "less",
                }
            ],
            stamp=1,
        ),
    )
    quota = services.activity_quota(assignment, today=today)
    assert quota is not None
    assert (quota.starts_on, quota.minutes) == (baseline_last + timedelta(days=1), 25)
    assert quota.last_day is not None
    assert (quota.last_day.quota, quota.last_day.done, quota.last_day.outcome) == (25, 10, "under")
    assert quota.last_day.next_quota is not None and quota.last_day.next_quota.minutes == 25
    page = world.client_for("patient_a").get(
        f"/treatment/modules/{assignment.public_id}/exercises/activity_log/"
    )
    body = page.content.decode()
    assert said(body, "Today: 25 minutes", "Vandaag: 25 minuten")
    assert "Je plan gaat niet omlaag: morgen probeer je weer 25 minuten." in body


def test_no_quota_without_a_handed_in_baseline(world: World) -> None:
    assignment = world_module(world, "graded_activity")
    assert services.activity_quota(assignment, today=date(2026, 3, 1)) is None


# ------------------------------------------------------------------ partners and parents


def test_a_partner_sees_only_psycho_education(world: World) -> None:
    response = world_response(world)
    patient = world.client_for("patient_a")
    patient.post("/treatment/messages/", {"text": "Geheim bericht"})
    url = f"/treatment/patients/{world.patient_a.public_id}/relatives/"
    refused = patient.post(
        url, {"email": "partner@a.test", "full_name": "Partner", "relation": "partner"}
    )
    assert refused.status_code == 400  # no consent ticked
    assert not RelativeAccess.objects.exists()
    invited = patient.post(
        url,
        {
            "email": "partner@a.test",
            "full_name": "Partner",
            "relation": "partner",
            "consent": "yes",
        },
    )
    assert invited.status_code == 200
    relative = RelativeAccess.objects.get()
    assert relative.consent_given_by == world.users["patient_a"]
    assert not relative.consent_recorded_by_clinician
    assert relative.user is None  # no account before the invited person accepts
    partner = Client()
    relative = _accept_from_mail(partner, relative)
    before = _last_sequence()
    page = partner.get(f"/treatment/shared/{relative.public_id}/")
    assert page.status_code == 200
    body = page.content.decode()
    assert "Iets gebeurt. Je denkt er iets over." in body  # the G-schema's first step text
    assert G_SCHEMA_ANSWERS["thoughts"] not in body and "Geheim bericht" not in body
    assert [(e.action, e.object_type, e.patient_ref) for e in _events_since(before)] == [
        ("read", "relative_view", str(world.patient_a.public_id))
    ]
    for path in (
        f"/treatment/modules/{response.assignment.public_id}/",
        f"/treatment/modules/{response.assignment.public_id}/exercises/g_schema/",
        "/treatment/messages/",
        f"/treatment/responses/{response.public_id}/",
        f"/clinic/patients/{world.patient_a.public_id}/",
    ):
        assert partner.get(path).status_code == 404, path

    # Another person cannot use this access; after revoking, neither can the partner.
    assert (
        world.client_for("patient_b").get(f"/treatment/shared/{relative.public_id}/").status_code
        == 404
    )
    assert patient.post(f"/treatment/relatives/{relative.public_id}/revoke/").status_code == 302
    relative.refresh_from_db()
    assert relative.revoked_at is not None and relative.revoked_by == world.users["patient_a"]
    assert partner.get(f"/treatment/shared/{relative.public_id}/").status_code == 404


def test_a_parent_of_a_child_is_told_there_are_no_parent_questionnaires(world: World) -> None:
    world.patient_a.birth_year = timezone.localdate().year - 12
    world.patient_a.save(update_fields=["birth_year"])
    clinician = world.client_for("clinician_treating")
    response = clinician.post(
        f"/treatment/patients/{world.patient_a.public_id}/relatives/",
        {"email": "ouder@a.test", "full_name": "Ouder", "relation": "parent", "consent": "yes"},
    )
    assert response.status_code == 200
    relative = RelativeAccess.objects.get()
    assert relative.consent_recorded_by_clinician
    parent = Client()
    relative = _accept_from_mail(parent, relative)
    body = parent.get(f"/treatment/shared/{relative.public_id}/").content.decode()
    assert said(
        body,
        "There are no questionnaires for parents to fill in yet.",
        "Er zijn nog geen vragenlijsten voor ouders om in te vullen.",
    )


# ------------------------------------------------------------------ the demo


def test_demo_has_homework_feedback_a_log_and_messages(db: None) -> None:
    from maatwerk.web.demo.services import demo_load

    demo_load()
    sophie = ModuleAssignment.objects.filter(patient__full_name="Sophie Jansen")
    assert {"g_schema", "graded_activity"} <= {a.module_id for a in sophie}
    g_schema = ExerciseResponse.objects.get(
        assignment__patient__full_name="Sophie Jansen", exercise_id="g_schema"
    )
    assert g_schema.status == "submitted" and g_schema.feedback.exists()
    log = ExerciseResponse.objects.get(
        assignment__patient__full_name="Sophie Jansen", exercise_id="activity_log"
    )
    assert len(log.answers["days"]) == 6
    assert Message.objects.filter(patient__full_name="Sophie Jansen").count() == 3
    graded = sophie.get(module_id="graded_activity")
    assert services.activity_quota(graded, today=timezone.localdate()) is not None
    from maatwerk.web.accounts.models import User

    poh = actor_for_user(User.objects.get(email="poh-ggz@demo.maatwerk.nl"), access_point="t")
    assert inbox_count(poh) >= 1  # Yasmina's G-schema waits for feedback


# ------------------------------------------------------------------ queries per page
# Lists that grow with the patient's work must not cost a query per row: the page is
# measured with one module (or one item) and must not need more with several.

MORE_MODULES = {
    "sleep": ("sleep_diary", "sleep_diary"),
    "complaints_diary": ("why_a_diary", "diary"),
    "graded_activity": ("baseline_week", "baseline_log"),
    "problem_solving": ("the_steps", "solve_a_problem"),
}


def _queries(client: Client, url: str) -> int:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client.get(url)  # the first request of a session sets it up; count the next one
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    return len(captured)


def _handed_in_in_more_modules(world: World) -> None:
    """Four more guided modules, each with one handed-in exercise (made directly: the
    answers do not matter to what the page shows)."""
    for module_id, (step_id, exercise_id) in MORE_MODULES.items():
        ExerciseResponse.objects.create(
            assignment=world_module(world, module_id),
            step_id=step_id,
            exercise_id=exercise_id,
            status=ExerciseResponse.Status.SUBMITTED,
            submitted_at=timezone.now(),
        )


def test_the_clinicians_module_list_does_not_grow_in_queries(
    world: World, django_assert_max_num_queries
) -> None:
    world_response(world)
    clinician = world.client_for("clinician_treating")
    url = f"/treatment/patients/{world.patient_a.public_id}/modules/"
    with_one_module = _queries(clinician, url)
    _handed_in_in_more_modules(world)
    with django_assert_max_num_queries(with_one_module):
        page = clinician.get(url)
    assert page.content.decode().count('<section class="card"') == 5


def test_the_patients_module_list_does_not_grow_in_queries(
    world: World, django_assert_max_num_queries
) -> None:
    world_response(world)
    patient = world.client_for("patient_a")
    with_one_module = _queries(patient, "/treatment/my/")
    _handed_in_in_more_modules(world)
    with django_assert_max_num_queries(with_one_module):
        assert patient.get("/treatment/my/").status_code == 200


def test_the_inbox_does_not_grow_in_queries(world: World, django_assert_max_num_queries) -> None:
    world_response(world)
    patient = world.client_for("patient_a")
    patient.post("/treatment/messages/", {"text": "Eén vraag."})
    clinician = world.client_for("clinician_treating")
    with_one_each = _queries(clinician, "/treatment/inbox/")
    _handed_in_in_more_modules(world)
    patient.post("/treatment/messages/", {"text": "Nog een vraag."})
    with django_assert_max_num_queries(with_one_each):
        page = clinician.get("/treatment/inbox/")
    assert page.content.decode().count("/treatment/responses/") == 5


def test_the_message_thread_does_not_grow_in_queries(
    world: World, django_assert_max_num_queries
) -> None:
    patient = world.client_for("patient_a")
    clinician = world.client_for("clinician_treating")
    thread = f"/treatment/patients/{world.patient_a.public_id}/messages/"
    patient.post("/treatment/messages/", {"text": "Eerste"})
    clinician.post(thread, {"text": "Antwoord"})
    with_two = _queries(patient, "/treatment/messages/")
    for n in range(4):
        patient.post("/treatment/messages/", {"text": f"Vraag {n}"})
        clinician.post(thread, {"text": f"Antwoord {n}"})
    with django_assert_max_num_queries(with_two):
        assert patient.get("/treatment/messages/").status_code == 200

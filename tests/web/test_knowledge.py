"""An organization edits its own knowledge base through the org-admin pages.

Every save is validated with the same core functions as the bundled content, is kept in
the history with who and why, is audited, and is used by ``knowledge_for`` (and
``screening_content_for``) for that organization only. A stored version that no longer
validates is set aside with a warning, never breaking a clinical page.
"""

from __future__ import annotations

import json
from decimal import Decimal
from typing import Any

import pytest
from django.test import Client

from maatwerk.core.knowledge.model import InstrumentThreshold, KnowledgeBase
from maatwerk.core.knowledge.registry import bundled_knowledge, bundled_texts
from maatwerk.core.screening.content import bundled_screening_content
from maatwerk.web.audit.models import AuditEvent
from maatwerk.web.audit.selectors import audit_chain_verify
from maatwerk.web.knowledge.changes import changes_between
from maatwerk.web.knowledge.models import KnowledgeRevision
from maatwerk.web.knowledge.selectors import knowledge_for, screening_content_for
from maatwerk.web.knowledge.services import next_version
from maatwerk.web.organizations.models import Membership, Organization
from tests.web.world import World, make_user, sign_in

BASE = "/organization/knowledge"
FACTORS = f"{BASE}/knowledge/factors"
OVERVIEW_QUERIES = 13  # the session, the actor, the versions in use (once), the rows
COLLECTION_QUERIES = 15  # as the overview, plus the labels of the content in use
# Each page reads which versions are in use once per request; it asked up to four times
# (with a saved sources version too: 14, 16, 15, 13, 18, 17 before, 13, 14, 14, 13, 15, 14 now).
PAGE_QUERIES = {
    f"{BASE}/": 12,
    f"{FACTORS}/": 14,
    f"{FACTORS}/history/": 14,
    f"{FACTORS}/edit/": 13,
    f"{FACTORS}/fear_of_movement/thresholds/": 15,
    f"{BASE}/screening/stepped_care/switches/": 14,
}


def bundled_factors() -> dict[str, Any]:
    # Every number in the bundled factors file is an integer, so plain json is exact.
    document: dict[str, Any] = json.loads(bundled_texts()["factors.json"])
    return document


def factor(document: dict[str, Any], factor_id: str) -> dict[str, Any]:
    [found] = [f for f in document["factors"] if f["id"] == factor_id]
    return found


def index_of(document: dict[str, Any], factor_id: str) -> int:
    return [f["id"] for f in document["factors"]].index(factor_id)


def tsk_threshold(knowledge: KnowledgeBase) -> Decimal:
    [measure] = [
        m
        for m in knowledge.factor("fear_of_movement").measures
        if isinstance(m, InstrumentThreshold)
    ]
    return measure.threshold


def save(client: Client, document: object, comment: str = "Local protocol", **extra: str):  # type: ignore[no-untyped-def]
    text = document if isinstance(document, str) else json.dumps(document, indent=2)
    return client.post(f"{FACTORS}/edit/", {"document": text, "comment": comment, **extra})


# ------------------------------------------------------------------ the main path


def test_threshold_edit_reaches_knowledge_for_of_that_organization_only(world: World) -> None:
    # TSK total > 37 is the bundled cut-off for fear of movement (awell-tampa, after Vlaeyen).
    assert tsk_threshold(knowledge_for(world.org_a.pk)) == Decimal(37)
    admin = world.client_for("org_admin")
    page = admin.get(f"{BASE}/knowledge/factors/fear_of_movement/thresholds/")
    assert page.status_code == 200
    body = page.content.decode()
    assert 'name="m0-threshold"' in body and 'value="37"' in body
    before = AuditEvent.objects.count()
    response = admin.post(
        f"{BASE}/knowledge/factors/fear_of_movement/thresholds/",
        {
            "m0-operator": ">=",
            "m0-threshold": "40",
            "m0-source": "",
            "m0-unverified": "on",
            "m0-note": "Local protocol of our pain team, not a published cut-off.",
            "comment": "Our pain team refers from 40 on",
            "base_revision": "",
        },
    )
    assert response.status_code == 302, response.content.decode()[:3000]
    assert tsk_threshold(knowledge_for(world.org_a.pk)) == Decimal(40)
    [measure] = [
        m
        for m in knowledge_for(world.org_a.pk).factor("fear_of_movement").measures
        if isinstance(m, InstrumentThreshold)
    ]
    assert (measure.operator, measure.source, measure.unverified) == (">=", None, True)
    # The bundled 1.0 gets an extra part, so it never collides with a later release.
    assert knowledge_for(world.org_a.pk).versions["factors"] == "1.0.1"
    # Another organization, and the bundled content itself, are untouched.
    assert tsk_threshold(knowledge_for(world.org_b.pk)) == Decimal(37)
    assert tsk_threshold(bundled_knowledge()) == Decimal(37)
    revision = KnowledgeRevision.objects.get(organization=world.org_a, is_active=True)
    assert (revision.collection, revision.version, revision.based_on_bundled_version) == (
        "factors",
        "1.0.1",
        "1.0",
    )
    assert revision.saved_by == world.users["org_admin"]
    assert revision.comment == "Our pain team refers from 40 on"
    # Exactly one audit event: a content change, naming no patient.
    assert AuditEvent.objects.count() - before == 1
    event = AuditEvent.objects.order_by("-sequence").first()
    assert event is not None
    assert (event.action, event.object_type, event.object_ref, event.patient_ref) == (
        "update",
        "knowledge_content",
        "knowledge/factors",
        "",
    )
    assert event.organization_ref == str(world.org_a.public_id)
    assert event.user_ref == str(world.users["org_admin"].public_id)
    assert audit_chain_verify().ok
    # The readable page shows the new threshold with its unverified mark.
    readable = admin.get(f"{FACTORS}/").content.decode()
    assert "Tampa Scale for Kinesiophobia (TSK), vragenlijst over bewegingsangst" in readable
    assert "totaalscore 40 of hoger" in readable
    assert "&gt;= 40" not in readable  # (an editorial note may still quote a symbol)
    assert "Our pain team" not in readable  # the reason is in the history, not here
    assert "Our pain team refers from 40 on" in admin.get(f"{FACTORS}/history/").content.decode()


def test_json_editor_saves_a_valid_document_and_download_returns_it(world: World) -> None:
    admin = world.client_for("org_admin")
    edit_page = admin.get(f"{FACTORS}/edit/").content.decode()
    assert "fear_of_movement" in edit_page  # prefilled with the document in use
    document = bundled_factors()
    factor(document, "negative_mood")["measures"][0]["threshold"] = 15
    document["version"] = "1.1"
    assert save(admin, document).status_code == 302
    # PHQ-9 >= 15 ("moderately severe", Kroenke 2001) is a band edge of the PHQ-9 file.
    [phq9, _gad7] = [
        m
        for m in knowledge_for(world.org_a.pk).factor("negative_mood").measures
        if isinstance(m, InstrumentThreshold)
    ]
    assert phq9.threshold == Decimal(15)
    download = admin.get(f"{FACTORS}/download/")
    assert download["Content-Disposition"] == 'attachment; filename="knowledge-factors.json"'
    assert json.loads(download.content)["version"] == "1.1"
    assert factor(json.loads(download.content), "negative_mood")["measures"][0]["threshold"] == 15


# ------------------------------------------------------------------ refusals


def assert_refused_and_kept(response: Any, text: str, *expected: str) -> None:
    assert response.status_code == 400
    body = response.content.decode()
    for piece in expected:
        assert piece in body, piece
    # The text the admin typed is back in the textarea (HTML-escaped), nothing is saved.
    assert (
        text.replace("&", "&amp;")
        .replace("<", "&lt;")
        .replace(">", "&gt;")
        .replace('"', "&quot;")
        .replace("'", "&#x27;")
        in body
    )
    assert not KnowledgeRevision.objects.exists()


def test_invalid_json_is_refused_with_line_and_column(world: World) -> None:
    text = '{"collection": "factors", "version": "1.1", "factors": [}'
    response = save(world.client_for("org_admin"), text)
    assert_refused_and_kept(response, text, "regel 1, kolom 57", "<code>$</code>")


def test_schema_error_is_refused_with_its_path(world: World) -> None:
    document = bundled_factors()
    factor(document, "stigma")["kind"] = "protective"
    document["version"] = "1.1"
    text = json.dumps(document, indent=2)
    response = save(world.client_for("org_admin"), text)
    path = f"$.factors[{index_of(document, 'stigma')}].kind"
    assert_refused_and_kept(response, text, f"<code>{path}</code>", "protective")


def test_unknown_instrument_is_refused_with_its_path(world: World) -> None:
    document = bundled_factors()
    factor(document, "negative_mood")["measures"][0]["instrument"] = "phq99"
    document["version"] = "1.1"
    text = json.dumps(document, indent=2)
    response = save(world.client_for("org_admin"), text)
    path = f"$.factors[{index_of(document, 'negative_mood')}].measures[0].instrument"
    # Dutch by default: the core's English message is shown translated, with its path.
    assert_refused_and_kept(response, text, f"<code>{path}</code>", "phq99")


def test_unchanged_version_missing_comment_and_wrong_collection_are_refused(
    world: World,
) -> None:
    admin = world.client_for("org_admin")
    document = bundled_factors()
    factor(document, "negative_mood")["measures"][0]["threshold"] = 15
    text = json.dumps(document)
    assert_refused_and_kept(save(admin, text), text, "<code>$.version</code>", "1.0.1")
    document["version"] = "1.1"
    text = json.dumps(document)
    assert_refused_and_kept(save(admin, text, comment="  "), text, 'id="comment-errors"')
    sources = json.loads(bundled_texts()["sources.json"])
    text = json.dumps(sources)
    assert_refused_and_kept(save(admin, text), text, "<code>$.collection</code>")


def test_a_change_that_breaks_another_collection_is_refused(world: World) -> None:
    """Removing a source that factors still cite is caught in factors.json."""
    admin = world.client_for("org_admin")
    sources = json.loads(bundled_texts()["sources.json"])
    sources["sources"] = [s for s in sources["sources"] if s["id"] != "kroenke-2001"]
    sources["version"] = "1.1"
    response = admin.post(
        f"{BASE}/knowledge/sources/edit/",
        {"document": json.dumps(sources), "comment": "tidy up"},
    )
    assert response.status_code == 400
    body = response.content.decode()
    assert "<code>factors.json</code>" in body and "kroenke-2001" in body
    assert not KnowledgeRevision.objects.exists()


def test_english_users_get_english_messages(world: World) -> None:
    admin = world.client_for("org_admin")
    admin.post("/i18n/setlang/", {"language": "en"})
    document = bundled_factors()
    factor(document, "negative_mood")["measures"][0]["threshold"] = 99
    document["version"] = "1.1"
    body = save(admin, document).content.decode()
    assert "The threshold 99 lies outside the scale" in body


def test_concurrent_edit_is_refused_and_text_kept(world: World) -> None:
    admin = world.client_for("org_admin")
    first = bundled_factors()
    first["version"] = "1.1"
    factor(first, "negative_mood")["measures"][0]["threshold"] = 15
    assert save(admin, first, base_revision="").status_code == 302
    second = bundled_factors()
    second["version"] = "1.2"
    text = json.dumps(second)
    # This editor was opened before the first save (no active revision then).
    response = save(admin, text, base_revision="")
    assert response.status_code == 400
    assert KnowledgeRevision.objects.count() == 1


# ------------------------------------------------------------------ history and restore


def test_history_shows_changed_ids_and_restores(world: World) -> None:
    admin = world.client_for("org_admin")
    first = bundled_factors()
    first["version"] = "1.1"
    factor(first, "negative_mood")["measures"][0]["threshold"] = 15
    assert save(admin, first, comment="first").status_code == 302
    second = json.loads(json.dumps(first))
    second["version"] = "1.2"
    factor(second, "fear_of_movement")["measures"][0]["threshold"] = 40
    factor(second, "fear_of_movement")["measures"][0]["unverified"] = True
    assert save(admin, second, comment="second").status_code == 302
    entries = admin.get(f"{FACTORS}/history/").context["entries"]
    assert [e.revision.comment for e in entries] == ["second", "first"]
    assert [label.code for label in entries[0].changes.changed] == ["fear_of_movement"]
    assert [label.code for label in entries[0].changes.fields] == ["version"]
    assert [label.code for label in entries[1].changes.changed] == ["negative_mood"]
    # Use the first version again: a new revision with the same document.
    restored = admin.post(
        f"{FACTORS}/history/",
        {"revision": str(entries[1].revision.public_id), "comment": "back to first"},
    )
    assert restored.status_code == 302
    active = KnowledgeRevision.objects.get(is_active=True)
    assert (active.version, active.restored_from) == ("1.1", entries[1].revision)
    assert tsk_threshold(knowledge_for(world.org_a.pk)) == Decimal(37)
    # Back to bundled, with a reason; three earlier rows stay as history.
    back = admin.post(f"{FACTORS}/restore-bundled/", {"comment": "protocol ended"})
    assert back.status_code == 302
    assert KnowledgeRevision.objects.count() == 4
    bundled_row = KnowledgeRevision.objects.get(is_active=True)
    assert bundled_row.is_bundled and bundled_row.version == "1.0"
    assert knowledge_for(world.org_a.pk) == bundled_knowledge()
    # A reason is required for going back too; nothing changes without one.
    refused = admin.post(f"{FACTORS}/history/", {"revision": str(active.public_id), "comment": ""})
    assert refused.status_code == 400
    assert KnowledgeRevision.objects.count() == 4


def test_revision_of_another_organization_cannot_be_restored(world: World) -> None:
    admin_a = world.client_for("org_admin")
    document = bundled_factors()
    document["version"] = "1.1"
    factor(document, "negative_mood")["measures"][0]["threshold"] = 15
    assert save(admin_a, document).status_code == 302
    revision = KnowledgeRevision.objects.get()
    admin_b = Client()
    user = make_user("admin@b.test", "Org B Admin", second_factor=True)
    Membership.objects.create(user=user, organization=world.org_b, role="organization_admin")
    sign_in(admin_b, user)
    # Admin B sees only B's (bundled) content, and A's revision id is not found.
    assert admin_b.get(f"{FACTORS}/history/").context["entries"] == []
    response = admin_b.post(
        f"{FACTORS}/history/", {"revision": str(revision.public_id), "comment": "steal"}
    )
    assert response.status_code == 404
    assert KnowledgeRevision.objects.count() == 1
    assert tsk_threshold(knowledge_for(world.org_b.pk)) == Decimal(37)


# ------------------------------------------------------------------ stale versions


def test_stale_override_falls_back_to_bundled_with_a_warning(world: World) -> None:
    """A stored version that refers to an instrument this release no longer has (written
    directly, as an older release would have left it) is set aside, not used."""
    document = bundled_factors()
    document["version"] = "1.1"
    factor(document, "negative_mood")["measures"][0]["instrument"] = "phq8_retired"
    KnowledgeRevision.objects.create(
        organization=world.org_a,
        content_set="knowledge",
        collection="factors",
        document=json.dumps(document),
        version="1.1",
        based_on_bundled_version="0.9",
        saved_by=world.users["org_admin"],
        comment="made with an older release",
    )
    assert knowledge_for(world.org_a.pk) == bundled_knowledge()
    assert screening_content_for(world.org_a.pk) == bundled_screening_content()
    overview = world.client_for("org_admin").get(f"{BASE}/").content.decode()
    assert "phq8_retired" in overview
    assert "message-warning" in overview
    # A clinical page still works (it never builds the content itself).
    assert world.client_for("clinician_treating").get("/clinic/").status_code == 200
    # The admin can repair it in the editor, which starts from the stored text.
    editor = world.client_for("org_admin").get(f"{FACTORS}/edit/").content.decode()
    assert "phq8_retired" in editor


def test_knowledge_for_is_cached_per_revision(world: World, django_assert_num_queries: Any) -> None:
    knowledge_for(world.org_a.pk)
    with django_assert_num_queries(1):  # only the ids of the active revisions
        knowledge_for(world.org_a.pk)


# ------------------------------------------------------------------ screening content


def test_screening_content_can_be_edited_and_is_checked_against_the_knowledge(
    world: World,
) -> None:
    admin = world.client_for("org_admin")
    rules = json.loads(bundled_texts_of_screening("stepped_care.json"))
    rules["version"] = "1.1.5"
    rules["risk_profile"]["min_elevated"] = 3
    response = admin.post(
        f"{BASE}/screening/stepped_care/edit/",
        {"document": json.dumps(rules), "comment": "our team uses three factors"},
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    assert screening_content_for(world.org_a.pk).rules.risk_profile.min_elevated == 3
    assert screening_content_for(world.org_b.pk) == bundled_screening_content()
    # A rule that names a care level the knowledge base does not have is refused.
    rules["version"] = "1.1.6"
    rules["care_rules"][0]["care_level"] = "no_such_level"
    response = admin.post(
        f"{BASE}/screening/stepped_care/edit/",
        {"document": json.dumps(rules), "comment": "typo"},
    )
    assert response.status_code == 400
    assert "$.care_rules[0].care_level" in response.content.decode()
    assert KnowledgeRevision.objects.count() == 1


def bundled_texts_of_screening(name: str) -> bytes:
    from maatwerk.core.screening.content import bundled_files

    return bundled_files()[name]


# ------------------------------------------------------------------ who may


@pytest.mark.parametrize(
    "role", ["patient_a", "clinician_treating", "team_lead", "researcher", "clinician_other_org"]
)
def test_only_organization_admins_reach_the_pages(world: World, role: str) -> None:
    client = world.client_for(role)
    for path in (
        f"{BASE}/",
        f"{FACTORS}/",
        f"{FACTORS}/edit/",
        f"{FACTORS}/history/",
        f"{FACTORS}/download/",
        f"{BASE}/knowledge/factors/fear_of_movement/thresholds/",
    ):
        assert client.get(path).status_code == 404, path
    document = bundled_factors()
    document["version"] = "1.1"
    assert save(client, document).status_code == 404
    assert client.post(f"{FACTORS}/restore-bundled/", {"comment": "x"}).status_code == 404
    assert not KnowledgeRevision.objects.exists()


def test_unknown_collection_and_factor_are_not_found(world: World) -> None:
    admin = world.client_for("org_admin")
    assert admin.get(f"{BASE}/knowledge/factorz/").status_code == 404
    assert admin.get(f"{BASE}/nothing/factors/edit/").status_code == 404
    assert admin.get(f"{BASE}/knowledge/factors/no_such_factor/thresholds/").status_code == 404


def test_platform_admin_shows_revisions_read_only(world: World) -> None:
    staff = make_user("staff@platform.test", "Platform Staff", second_factor=True)
    staff.is_staff = True
    staff.is_superuser = True
    staff.save()
    document = bundled_factors()
    document["version"] = "1.1"
    factor(document, "negative_mood")["measures"][0]["threshold"] = 15
    assert save(world.client_for("org_admin"), document).status_code == 302
    revision = KnowledgeRevision.objects.get()
    client = Client()
    sign_in(client, staff)
    base = "/platform-admin/knowledge/knowledgerevision/"
    assert client.get(base).status_code == 200
    page = client.get(f"{base}{revision.pk}/change/")
    assert page.status_code == 200
    assert 'name="document"' not in page.content.decode()  # shown, not editable
    assert client.get(f"{base}add/").status_code == 403
    client.post(f"{base}{revision.pk}/change/", {"document": "{}", "comment": "bypass"})
    revision.refresh_from_db()
    assert revision.comment != "bypass"
    assert client.get(f"{base}{revision.pk}/delete/").status_code == 403


# ------------------------------------------------------------------ small pure helpers


def test_next_version() -> None:
    assert next_version("1.0", "1.0") == "1.0.1"  # first edit of bundled 1.0
    assert next_version("1.0.1", "1.0") == "1.0.2"
    assert next_version("2.4", "1.0") == "2.5"  # an admin's own numbering counts on


def test_changes_between_names_the_ids() -> None:
    old = {
        "collection": "interventions",
        "version": "1.0",
        "interventions": [{"id": "a", "x": 1}, {"id": "b", "x": 1}],
        "links": [{"id": "l1", "x": 1}],
    }
    new = {
        "collection": "interventions",
        "version": "1.1",
        "interventions": [{"id": "a", "x": 2}, {"id": "c", "x": 1}],
        "links": [{"id": "l1", "x": 1}],
    }
    changes = changes_between(old, new, collection="interventions")
    assert (changes.added, changes.removed, changes.changed, changes.fields) == (
        ("c",),
        ("b",),
        ("a",),
        ("version",),
    )
    assert changes_between(old, old, collection="interventions").is_empty


def test_organization_without_admin_pages_still_gets_bundled(db: None) -> None:
    organization = Organization.objects.create(name="Fresh")
    assert knowledge_for(organization.pk) == bundled_knowledge()


# ------------------------------------------------------------------ stepped-care switches

SWITCHES = f"{BASE}/screening/stepped_care/switches/"


def switches_post(world: World, off: set[str], comment: str = "our protocol", **numbers: str):  # type: ignore[no-untyped-def]
    bundled = bundled_screening_content().rules
    data = {f"rule_{rule.id}": "on" for rule in bundled.care_rules if rule.id not in off} | {
        "min_elevated": str(bundled.risk_profile.min_elevated),
        "severe_more_than_weeks": str(bundled.severity.duration.severe_more_than_weeks),
        "raise_steps": str(bundled.severity.comorbidity.raise_steps),
        "clusters_at_most": bundled.severity.combination.clusters_at_most,
        "raise_at_most": bundled.severity.comorbidity.raise_at_most,
        "earlier_treatment": "on",
        "first_presentation_at_most": "moderate",
        "comment": comment,
    }
    return world.client_for("org_admin").post(
        SWITCHES, {key: value for key, value in (data | numbers).items() if value is not None}
    )


def test_stepped_care_switches_turn_rules_off_and_on_again(world: World) -> None:
    bundled_ids = [rule.id for rule in bundled_screening_content().rules.care_rules]
    page = world.client_for("org_admin").get(SWITCHES)
    assert page.status_code == 200
    assert 'name="rule_moderate_dsm_basis_ggz" checked' in page.content.decode()
    response = switches_post(world, {"moderate_dsm_basis_ggz"}, min_elevated="3")
    assert response.status_code == 302, response.content.decode()[:3000]
    rules = screening_content_for(world.org_a.pk).rules
    assert [r.id for r in rules.care_rules] == [
        i for i in bundled_ids if i != "moderate_dsm_basis_ggz"
    ]
    assert rules.risk_profile.min_elevated == 3
    assert rules.version == "1.1.1"
    assert screening_content_for(world.org_b.pk) == bundled_screening_content()
    # Switched on again, the rule returns to its place in the bundled order.
    assert switches_post(world, set(), min_elevated="3").status_code == 302
    assert [r.id for r in screening_content_for(world.org_a.pk).rules.care_rules] == bundled_ids
    assert screening_content_for(world.org_a.pk).rules.version == "1.1.2"


def test_switching_off_a_severity_fallback_is_refused(world: World) -> None:
    response = switches_post(world, {"mild_huisarts"})
    assert response.status_code == 400
    body = response.content.decode()
    assert "stepped_care.json" in body and "mild" in body
    assert not KnowledgeRevision.objects.exists()
    assert 'name="rule_mild_huisarts"' in body and 'name="rule_mild_huisarts" checked' not in body


def test_the_switches_page_explains_and_edits_what_severe_needs(world: World) -> None:
    page = world.client_for("org_admin").get(SWITCHES)
    body = page.content.decode()
    # Each switch is shown with its help text and the level the bundled rules use.
    for name in ("clusters_at_most", "raise_at_most", "first_presentation_at_most"):
        assert f'name="{name}"' in body, name
        assert f'id="id_{name}-help"' in body, name
    assert '<option value="moderate" selected>' in body
    assert 'name="earlier_treatment" aria-describedby="id_earlier_treatment-help" checked' in body
    assert "NHG-Standaard SOLK" in body
    response = switches_post(
        world, set(), clusters_at_most="mild", first_presentation_at_most="mild"
    )
    assert response.status_code == 302, response.content.decode()[:3000]
    severity = screening_content_for(world.org_a.pk).rules.severity
    assert severity.combination.clusters_at_most == "mild"
    assert severity.comorbidity.raise_at_most == "moderate"
    assert severity.earlier_treatment is not None
    assert severity.earlier_treatment.first_presentation_at_most == "mild"
    assert screening_content_for(world.org_b.pk) == bundled_screening_content()
    # Switched off, the rule is left out (earlier treatment no longer changes severity);
    # switched on again, the bundled rule with its text and sources comes back.
    assert switches_post(world, set(), earlier_treatment=None).status_code == 302
    assert screening_content_for(world.org_a.pk).rules.severity.earlier_treatment is None
    again = world.client_for("org_admin").get(SWITCHES).content.decode()
    assert 'name="earlier_treatment" aria-describedby="id_earlier_treatment-help">' in again
    assert switches_post(world, set()).status_code == 302
    restored = screening_content_for(world.org_a.pk).rules.severity.earlier_treatment
    bundled_rule = bundled_screening_content().rules.severity.earlier_treatment
    assert restored == bundled_rule
    assert KnowledgeRevision.objects.filter(organization=world.org_a).count() == 3


def test_a_severity_level_that_does_not_exist_is_refused(world: World) -> None:
    response = switches_post(world, set(), raise_at_most="very_severe", clusters_at_most="")
    assert response.status_code == 400
    body = response.content.decode()
    assert 'id="id_raise_at_most-errors"' in body
    assert 'id="id_clusters_at_most-errors"' in body
    assert (
        body.count("Choose a severity: mild, moderate or severe.")
        + body.count("Kies een ernst: licht, matig of ernstig.")
        == 2
    )
    assert not KnowledgeRevision.objects.exists()


def every_collection() -> list[tuple[str, str]]:
    from maatwerk.web.knowledge.content import bundled_files, content_sets

    return [(s, c) for s in content_sets() for c in bundled_files(s)]


@pytest.mark.parametrize(("content_set", "collection"), every_collection())
def test_every_collection_reads_edits_and_downloads(
    world: World, content_set: str, collection: str
) -> None:
    from maatwerk.web.knowledge.content import bundled_file

    admin = world.client_for("org_admin")
    bundled = bundled_file(content_set, collection)
    assert bundled is not None
    document = json.loads(bundled.text)
    page = admin.get(f"{BASE}/{content_set}/{collection}/")
    assert page.status_code == 200
    body = page.content.decode()
    # Every identified entry of the collection is on the readable page.
    for value in document.values():
        if isinstance(value, list):
            for item in value:
                if isinstance(item, dict) and isinstance(item.get("id"), str):
                    assert f"<code>{item['id']}</code>" in body, item["id"]
    assert admin.get(f"{BASE}/{content_set}/{collection}/edit/").status_code == 200
    assert admin.get(f"{BASE}/{content_set}/{collection}/history/").status_code == 200
    assert admin.get(f"{BASE}/{content_set}/{collection}/download/").content == bundled.text


def test_a_knowledge_change_that_breaks_the_screening_content_is_refused(world: World) -> None:
    """The stepped-care rules name care levels of the knowledge base: removing one that a
    rule uses is refused, with the problem in stepped_care.json."""
    admin = world.client_for("org_admin")
    levels = json.loads(bundled_texts()["care_levels.json"])
    levels["care_levels"] = [c for c in levels["care_levels"] if c["id"] != "basis_ggz"]
    levels["version"] = "1.1"
    response = admin.post(
        f"{BASE}/knowledge/care_levels/edit/",
        {"document": json.dumps(levels), "comment": "we do not refer to basis-GGZ"},
    )
    assert response.status_code == 400
    body = response.content.decode()
    assert "<code>stepped_care.json</code>" in body and "basis_ggz" in body
    assert not KnowledgeRevision.objects.exists()


def test_threshold_form_shows_a_range_problem_at_its_field(world: World) -> None:
    # The TSK total runs from 17 to 68 (17 items scored 1-4), so 99 is out of range.
    response = world.client_for("org_admin").post(
        f"{BASE}/knowledge/factors/fear_of_movement/thresholds/",
        {
            "m0-operator": ">",
            "m0-threshold": "99",
            "m0-source": "awell-tampa",
            "comment": "try",
            "base_revision": "",
        },
    )
    assert response.status_code == 400
    body = response.content.decode()
    assert 'id="id_m0-threshold-errors"' in body
    assert 'aria-describedby="id_m0-threshold-errors"' in body
    assert 'value="99"' in body  # what was typed stays
    assert not KnowledgeRevision.objects.exists()
    not_a_number = world.client_for("org_admin").post(
        f"{BASE}/knowledge/factors/fear_of_movement/thresholds/",
        {"m0-operator": ">", "m0-threshold": "veel", "comment": "try", "base_revision": ""},
    )
    assert not_a_number.status_code == 400
    assert 'value="veel"' in not_a_number.content.decode()


def test_restoring_and_going_back_each_write_one_audit_event(world: World) -> None:
    admin = world.client_for("org_admin")
    document = bundled_factors()
    document["version"] = "1.1"
    factor(document, "negative_mood")["measures"][0]["threshold"] = 15
    assert save(admin, document).status_code == 302
    first = KnowledgeRevision.objects.get()
    before = AuditEvent.objects.count()
    assert admin.post(f"{FACTORS}/restore-bundled/", {"comment": "ended"}).status_code == 302
    assert AuditEvent.objects.count() - before == 1
    assert (
        admin.post(
            f"{FACTORS}/history/", {"revision": str(first.public_id), "comment": "again"}
        ).status_code
        == 302
    )
    assert AuditEvent.objects.count() - before == 2
    details = list(
        AuditEvent.objects.order_by("-sequence").values_list("object_type", "detail")[:2]
    )
    assert details[0][0] == details[1][0] == "knowledge_content"
    assert f"restored from {first.public_id}" in details[0][1]
    assert "bundled version" in details[1][1]
    assert audit_chain_verify().ok


def test_the_overview_reads_the_saved_versions_in_a_fixed_number_of_queries(
    world: World, django_assert_max_num_queries: Any
) -> None:
    # Three saved versions of one collection: the overview reads the active versions of
    # all collections in one query, not one per collection or per version.
    admin = world.client_for("org_admin")
    document = bundled_factors()
    for version in ("1.1", "1.2", "1.3"):
        document["version"] = version
        assert save(admin, document).status_code == 302
    with django_assert_max_num_queries(OVERVIEW_QUERIES):
        page = admin.get(f"{BASE}/")
    assert page.status_code == 200
    [factors_row] = [row for row in page.context["rows"] if row.collection == "factors"]
    assert factors_row.active is not None and factors_row.active.version == "1.3"


def test_the_readable_page_with_labels_reads_in_a_fixed_number_of_queries(
    world: World, django_assert_max_num_queries: Any
) -> None:
    # The busiest knowledge page: every factor with the names of the ids it refers to,
    # its sources as citations; with saved versions of two collections in use.
    admin = world.client_for("org_admin")
    document = bundled_factors()
    for version in ("1.1", "1.2"):
        document["version"] = version
        assert save(admin, document).status_code == 302
    sources = json.loads(bundled_texts()["sources.json"])
    sources["version"] = "1.1"
    response = admin.post(
        f"{BASE}/knowledge/sources/edit/",
        {"document": json.dumps(sources), "comment": "our own copy"},
    )
    assert response.status_code == 302
    with django_assert_max_num_queries(COLLECTION_QUERIES):
        page = admin.get(f"{FACTORS}/")
    assert page.status_code == 200
    assert "Bewegingsangst" in page.content.decode()


@pytest.mark.parametrize("url", list(PAGE_QUERIES))
def test_every_knowledge_page_reads_the_content_in_use_once(
    world: World, url: str, django_assert_max_num_queries: Any
) -> None:
    admin = world.client_for("org_admin")
    document = bundled_factors()
    for version in ("1.1", "1.2"):
        document["version"] = version
        assert save(admin, document).status_code == 302
    admin.get(url)  # the first read of the saved versions builds the cached content
    with django_assert_max_num_queries(PAGE_QUERIES[url]):
        page = admin.get(url)
    assert page.status_code == 200

"""Dutch care roles on the plan (issue 12): at the GP levels the GP is medically
responsible (also for the POH-GGZ's care) and there is no regiebehandelaar; at a GGZ
level the clinician chooses one explicitly, from the care team members whose profession
may be one — never the POH-GGZ or the GP, never automatically."""

from __future__ import annotations

import pytest

from maatwerk.web.accounts.models import User
from maatwerk.web.audit.models import AuditEvent
from maatwerk.web.patients.models import CareTeamMember
from maatwerk.web.planning.models import Plan
from maatwerk.web.planning.selectors import OBJECT_PLAN
from tests.web.test_planning import MOOD_PHQ9, _base, _post
from tests.web.test_referrals import world_gp
from tests.web.test_screening import compute, record_scegs, said, screened
from tests.web.world import World, make_membership, make_user

pytestmark = pytest.mark.django_db


def psychologist_in_care(world: World) -> User:
    """A GZ psychologist on patient A's care team (made once per world)."""
    found = User.objects.filter(email="gz@a.example").first()
    if found is not None:
        return found
    user = make_user("gz@a.example", "GZ-psycholoog Greet")
    membership = make_membership(user, world.org_a, "clinician", world.team_other, "gz_psycholoog")
    episode = world.patient_a.episodes.get(status="active")
    CareTeamMember.objects.create(episode=episode, membership=membership)
    return user


def plan_at(world: World, level: str) -> Plan:
    """Patient A's draft plan at ``level``, decided by the clinician on the screening."""
    screening = screened(world, phq9=MOOD_PHQ9)
    record_scegs(world, screening)
    snapshot = compute(world, screening)
    advised = snapshot.advice["care_level"]
    data = {"snapshot": str(snapshot.public_id), "decision": "accept", "reason": "Samen."}
    if advised != level:
        data |= {"decision": "override", "care_level": level, "reason": "Samen besloten."}
    decided = world.client_for("clinician_treating").post(
        f"/screening/{screening.public_id}/profile/decision/", data
    )
    assert decided.status_code == 302, decided.content[:500]
    assert _post(world, "prepare/", {"modality": "online"}).status_code == 302
    plan = Plan.objects.get(patient=world.patient_a)
    assert plan.care_level == level
    return plan


def _refused_events(before: int) -> list[tuple[str, str]]:
    return [(e.object_type, e.outcome) for e in AuditEvent.objects.filter(sequence__gt=before)]


def _last() -> int:
    return AuditEvent.objects.order_by("-sequence").values_list("sequence", flat=True).first() or 0


def test_at_the_poh_level_the_gp_is_responsible_and_no_regiebehandelaar_exists(
    world: World,
) -> None:
    world_gp(world)  # the GP of the practice, not on the care team
    gp_in_team = make_user("gp2@a.example", "Huisarts Hanna")
    membership = make_membership(
        gp_in_team, world.org_a, "clinician", world.team_treating, "huisarts"
    )
    CareTeamMember.objects.create(
        episode=world.patient_a.episodes.get(status="active"), membership=membership
    )
    psychologist = psychologist_in_care(world)
    plan_at(world, "poh_ggz")
    page = world.client_for("clinician_treating").get(_base(world)).content.decode()
    assert "Huisarts Hanna" in page
    assert 'name="member"' not in page  # no regiebehandelaar to choose
    before = _last()
    refused = _post(world, "regiebehandelaar/", {"member": str(psychologist.public_id)})
    assert refused.status_code == 400
    assert said(
        refused.content.decode(),
        "there is no regiebehandelaar: the GP is medically responsible",
        "geen regiebehandelaar",
    )
    assert _refused_events(before) == [(OBJECT_PLAN, "refused")]
    assert Plan.objects.get().regiebehandelaar is None


def test_at_a_ggz_level_the_regiebehandelaar_is_chosen_never_the_poh(world: World) -> None:
    psychologist = psychologist_in_care(world)
    plan = plan_at(world, "basis_ggz")
    assert plan.regiebehandelaar is None  # never set automatically
    page = world.client_for("clinician_treating").get(_base(world)).content.decode()
    assert 'name="member"' in page and str(psychologist.public_id) in page
    poh = world.users["clinician_treating"]
    assert str(poh.public_id) not in page.split('name="member"', 1)[1].split("</select>", 1)[0]
    before = _last()
    refused = _post(world, "regiebehandelaar/", {"member": str(poh.public_id)})
    assert refused.status_code == 400
    assert _refused_events(before) == [(OBJECT_PLAN, "refused")]
    assert Plan.objects.get().regiebehandelaar is None
    assert (
        _post(world, "regiebehandelaar/", {"member": str(psychologist.public_id)}).status_code
        == 302
    )
    chosen = Plan.objects.get().regiebehandelaar
    assert chosen is not None and chosen.user == psychologist
    assert _post(world, "regiebehandelaar/", {"member": ""}).status_code == 302
    assert Plan.objects.get().regiebehandelaar is None


def test_registering_a_patient_makes_no_one_coordinating_by_itself(world: World) -> None:
    """The clinician who registers a patient (often the POH-GGZ) joins the care team but
    is not made coordinating clinician (regiebehandelaar) automatically."""
    from maatwerk.web.patients.models import Patient

    response = world.client_for("clinician_treating").post(
        "/clinic/patients/new/",
        {
            "full_name": "Nieuwe Patient",
            "email": "nieuw.patient@a.test",
            "birth_year": "1985",
            "sex": "male",
            "language": "nl",
            "presenting_complaint": "rugpijn",
            "condition": "lage rugpijn",
        },
    )
    assert response.status_code == 200  # the page with the invitation
    patient = Patient.objects.get(full_name="Nieuwe Patient")
    entry = CareTeamMember.objects.get(episode__patient=patient)
    assert not entry.is_coordinator

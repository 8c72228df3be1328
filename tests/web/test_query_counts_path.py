"""Query counts of the busiest pages of the clinic, safety, safety plan and portal: they
must not grow (a page that queries per row shows up here first)."""

from __future__ import annotations

import pytest

from tests.web.world import World

PAGES = {
    # name: (role, path, at most this many queries: the count measured when the budget
    # was set, with the session middleware, the second factor and the audit event)
    # 11, 18, 15: the menu's badges in one statement, the licensed texts read once, the
    # care team in one query, the norm choice once, no unused list of questionnaires
    # (measured 13, 35 and 20 before).
    "caseload": ("clinician_treating", lambda w: "/clinic/", 11),
    "dossier": ("clinician_treating", lambda w: f"/clinic/patients/{w.patient_a.public_id}/", 18),
    "results": (
        "clinician_treating",
        lambda w: f"/clinic/patients/{w.patient_a.public_id}/results/",
        15,
    ),
    "team signals": ("clinician_treating", lambda w: "/safety/team/", 24),
    "signal": ("clinician_treating", lambda w: f"/safety/signals/{w.alert.public_id}/", 29),
    "safety plan": (
        "clinician_treating",
        lambda w: f"/safety-plan/patients/{w.patient_a.public_id}/",
        27,
    ),
    # 34: the screening, treatment, formulation, plan and diary-network cards.
    "portal home": ("patient_a", lambda w: "/portal/", 34),
    "access log": ("patient_a", lambda w: "/portal/access-log/", 22),
    "privacy": ("patient_a", lambda w: "/portal/privacy/", 21),
}


@pytest.mark.parametrize("page", sorted(PAGES))
def test_the_page_stays_within_its_query_budget(
    world: World, page: str, django_assert_max_num_queries
) -> None:
    role, path, budget = PAGES[page]
    client = world.client_for(role)
    client.get(path(world))  # warm: the session and the content caches
    with django_assert_max_num_queries(budget):
        assert client.get(path(world)).status_code == 200

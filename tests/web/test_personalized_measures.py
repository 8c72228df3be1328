"""Personalized outcome measures in the web layer: PSK, top problems and GAS.

Create, rate and change flows; invalid input gives Dutch messages and saves nothing;
access is the patient's own record or the treating clinician's; the GAS T-score of a
hand-computed case.
"""

from __future__ import annotations

import math
from decimal import Decimal
from typing import Any

import pytest

from maatwerk.web.audit.models import AuditEvent
from maatwerk.web.personalized.models import MeasureItem, Measurement, MeasureSet
from tests.web.world import World


def _base(world: World) -> str:
    return f"/personal-measures/patients/{world.patient_a.public_id}"


def _rate_url(measure_set: MeasureSet) -> str:
    return f"/personal-measures/sets/{measure_set.public_id}/rate/"


def _ratings(measure_set: MeasureSet, values: list[int]) -> dict[str, str]:
    items = list(measure_set.items.order_by("position"))
    return {f"item-{item.public_id}": str(v) for item, v in zip(items, values, strict=True)}


def _psk(world: World, names: list[str]) -> Any:
    client = world.client_for("clinician_treating")
    data = {f"activity-{n}": name for n, name in enumerate(names)}
    return client.post(f"{_base(world)}/psk/new/", data)


# ------------------------------------------------------------------------- PSK


def test_psk_flow_activities_ratings_previous_scores_and_change(world: World) -> None:
    response = _psk(world, ["Traplopen", "boodschappen doen", "fietsen naar werk"])
    assert response.status_code == 302
    world.psk_set.refresh_from_db()
    assert not world.psk_set.is_active  # the world's set is replaced, not deleted
    measure_set = MeasureSet.objects.get(patient=world.patient_a, kind="psk", is_active=True)
    assert [i.name for i in measure_set.items.all()] == [
        "Traplopen",
        "boodschappen doen",
        "fietsen naar werk",
    ]

    patient = world.client_for("patient_a")
    assert patient.post(_rate_url(measure_set), _ratings(measure_set, [7, 5, 8])).status_code == 302
    first = Measurement.objects.get(measure_set=measure_set)
    assert first.score == Decimal(20)
    assert first.result["total"] == 20 and first.result["maximum"] == 30
    assert first.entered_by == world.users["patient_a"]

    # At the next measurement the previous scores are shown (as the PSK prescribes).
    page = patient.get(_rate_url(measure_set)).content.decode()
    assert "Vorige score" in page
    assert "<strong>8</strong>" in page

    clinician = world.client_for("clinician_treating")
    later = _ratings(measure_set, [4, 5, 6])
    assert clinician.post(_rate_url(measure_set), later).status_code == 302
    assert Measurement.objects.filter(measure_set=measure_set).count() == 2

    results = clinician.get(f"{_base(world)}/results/").content.decode()
    assert "Patiënt Specifieke Klachten" in results
    assert "(-3)" in results  # traplopen 7 → 4
    assert "(-2)" in results  # fietsen 8 → 6
    assert "-5" in results  # total 20 → 15


def test_psk_with_two_activities_is_refused_in_dutch_and_nothing_is_saved(world: World) -> None:
    sets_before = MeasureSet.objects.count()
    items_before = MeasureItem.objects.count()
    response = _psk(world, ["traplopen", "fietsen"])
    assert response.status_code == 400
    assert "Schrijf 3 tot 5 activiteiten op." in response.content.decode()
    assert MeasureSet.objects.count() == sets_before
    assert MeasureItem.objects.count() == items_before
    world.psk_set.refresh_from_db()
    assert world.psk_set.is_active
    event = AuditEvent.objects.order_by("-sequence").first()
    assert event is not None
    assert (event.action, event.outcome, event.patient_ref) == (
        "create",
        "refused",
        str(world.patient_a.public_id),
    )


def test_duplicate_activities_are_refused_in_dutch(world: World) -> None:
    response = _psk(world, ["Fietsen", "traplopen", "  fietsen "])
    assert response.status_code == 400
    assert "Twee activiteiten hebben dezelfde naam" in response.content.decode()
    assert MeasureSet.objects.filter(patient=world.patient_a).count() == 1


def test_a_rating_of_11_is_refused_in_dutch_and_nothing_is_saved(world: World) -> None:
    patient = world.client_for("patient_a")
    for bad in ("11", "-1", "5.5", "veel"):
        second = world.psk_set.items.order_by("position")[1]
        data = _ratings(world.psk_set, [3, 0, 4]) | {f"item-{second.public_id}": bad}
        before = AuditEvent.objects.count()
        response = patient.post(_rate_url(world.psk_set), data)
        assert response.status_code == 400, bad
        assert AuditEvent.objects.count() == before + 1  # one event per request
        assert AuditEvent.objects.order_by("-sequence")[0].outcome == "refused"
        assert "Kies een heel getal van 0 tot en met 10." in response.content.decode()
    missing = patient.post(_rate_url(world.psk_set), {})
    assert missing.status_code == 400
    assert "Geef deze activiteit een score van 0 tot en met 10." in missing.content.decode()
    assert not Measurement.objects.exists()


def test_errors_are_english_for_an_english_user(world: World) -> None:
    user = world.users["clinician_treating"]
    user.language = "en"
    user.save()
    response = _psk(world, ["one", "two"])
    assert "Write down 3 to 5 activities." in response.content.decode()


def test_a_patient_cannot_choose_psk_activities_or_set_gas_goals(world: World) -> None:
    patient = world.client_for("patient_a")
    data = {"activity-0": "a", "activity-1": "b", "activity-2": "c"}
    assert patient.post(f"{_base(world)}/psk/new/", data).status_code == 404
    assert patient.post(f"{_base(world)}/gas/new/", {"goal-0-name": "x"}).status_code == 404
    assert patient.get(f"{_base(world)}/results/").status_code == 404
    assert MeasureSet.objects.filter(patient=world.patient_a).count() == 1


# ----------------------------------------------------------------------- access


def test_other_patients_and_clinicians_cannot_see_or_rate(world: World) -> None:
    ratings = _ratings(world.psk_set, [1, 2, 3])
    for role in ("patient_b", "clinician_other_team", "clinician_other_org", "researcher"):
        client = world.client_for(role)
        assert client.get(f"{_base(world)}/").status_code == 404, role
        assert client.get(_rate_url(world.psk_set)).status_code == 404, role
        assert client.post(_rate_url(world.psk_set), ratings).status_code == 404, role
        top = {"problem-name-0": "moe", "problem-rating-0": "5"}
        assert client.post(f"{_base(world)}/top-problems/new/", top).status_code == 404, role
    assert not Measurement.objects.exists()
    assert MeasureSet.objects.filter(patient=world.patient_a).count() == 1
    denied = AuditEvent.objects.filter(outcome="denied", patient_ref=str(world.patient_a.public_id))
    assert denied.count() >= 16
    anonymous = world.client_for("anonymous").get(f"{_base(world)}/")
    assert anonymous.status_code == 302 and "/accounts/login/" in anonymous["Location"]


def test_the_portal_links_to_the_patients_own_measures(world: World) -> None:
    home = world.client_for("patient_a").get("/portal/").content.decode()
    assert f"/personal-measures/patients/{world.patient_a.public_id}/" in home
    overview = world.client_for("patient_a").get(f"{_base(world)}/").content.decode()
    assert _rate_url(world.psk_set) in overview
    assert "Geef je scores" in overview


# ----------------------------------------------------------------- top problems


def test_top_problems_named_and_rated_by_the_patient_then_rated_again(world: World) -> None:
    patient = world.client_for("patient_a")
    data = {
        "problem-name-0": "pijn in mijn rug",
        "problem-rating-0": "8",
        "problem-name-1": "moe",
        "problem-rating-1": "5",
    }
    assert patient.post(f"{_base(world)}/top-problems/new/", data).status_code == 302
    measure_set = MeasureSet.objects.get(patient=world.patient_a, kind="top_problems")
    first = measure_set.measurements.get()
    assert first.score == Decimal("6.5")
    assert patient.post(_rate_url(measure_set), _ratings(measure_set, [6, 5])).status_code == 302
    results = world.client_for("clinician_treating").get(f"{_base(world)}/results/")
    body = results.content.decode()
    assert "Top-3 problemen" in body
    assert "Maatwerk-afspraak" in body  # a Maatwerk convention, not a validated instrument
    assert "(-2)" in body
    assert "-1" in body  # mean 6.5 → 5.5


def test_top_problems_invalid_input_saves_nothing(world: World) -> None:
    patient = world.client_for("patient_a")
    duplicate = {
        "problem-name-0": "Moe",
        "problem-rating-0": "4",
        "problem-name-1": "moe",
        "problem-rating-1": "5",
    }
    response = patient.post(f"{_base(world)}/top-problems/new/", duplicate)
    assert response.status_code == 400
    assert "Twee problemen hebben dezelfde naam" in response.content.decode()
    empty = patient.post(f"{_base(world)}/top-problems/new/", {})
    assert empty.status_code == 400
    assert "Noem 1 tot 3 problemen." in empty.content.decode()
    unrated = patient.post(f"{_base(world)}/top-problems/new/", {"problem-name-0": "moe"})
    assert "Geef dit probleem een score van 0 tot en met 10." in unrated.content.decode()
    assert not MeasureSet.objects.filter(kind="top_problems").exists()
    assert not Measurement.objects.exists()


# --------------------------------------------------------------------------- GAS


def _gas_goals() -> dict[str, str]:
    return {
        "goal-0-name": "30 minuten wandelen",
        "goal-0-weight": "2",
        "goal-0-expected": "3 keer per week 30 minuten",
        "goal-0-level-2": "niet wandelen",
        "goal-0-baseline": "-1",
        "goal-1-name": "weer naar het koor",
        "goal-1-weight": "1",
        "goal-1-expected": "1 keer per maand",
        "goal-1-baseline": "-1",
        "goal-2-name": "slapen zonder pauze",
        "goal-2-expected": "5 nachten per week",
        "goal-2-baseline": "-1",
    }


def test_the_gas_starting_level_is_chosen_never_preset(world: World) -> None:
    """Issue 12: the clinician sets each goal's baseline with the patient; the form
    preselects nothing and a goal without a chosen starting level is refused."""
    clinician = world.client_for("clinician_treating")
    form = clinician.get(f"{_base(world)}/gas/new/").content.decode()
    assert 'name="goal-0-baseline"' in form
    assert 'value="-1" selected' not in form and 'value="-2" selected' not in form
    unchosen = {k: v for k, v in _gas_goals().items() if k != "goal-1-baseline"}
    refused = clinician.post(f"{_base(world)}/gas/new/", unchosen)
    assert refused.status_code == 400
    assert not MeasureSet.objects.filter(kind="gas").exists()
    chosen = _gas_goals() | {"goal-1-baseline": "-2"}
    assert clinician.post(f"{_base(world)}/gas/new/", chosen).status_code == 302
    baseline = MeasureSet.objects.get(kind="gas").measurements.get()
    assert sorted(v.value for v in baseline.values.all()) == [-2, -1, -1]


def test_gas_t_score_golden_value(world: World) -> None:
    """Hand calculation (Kiresuk & Sherman, ρ = 0.30), weights 2, 1, 1.

    Baseline, every goal at −1: Σwx = −4, Σw = 4, Σw² = 6,
    denominator = √(0.7·6 + 0.3·16) = √9 = 3, T = 50 + 10·(−4)/3 = 36.667.
    Follow-up at +2, 0, −1: Σwx = 4 + 0 − 1 = 3, T = 50 + 10·3/3 = 60.
    """
    clinician = world.client_for("clinician_treating")
    goals = _gas_goals() | {"measured_on": "2020-01-15"}
    response = clinician.post(f"{_base(world)}/gas/new/", goals)
    assert response.status_code == 302, response.content.decode()[:2000]
    measure_set = MeasureSet.objects.get(patient=world.patient_a, kind="gas")
    assert measure_set.rho == Decimal("0.30")
    assert measure_set.items.get(position=1).level_descriptions == {"-2": "niet wandelen"}
    baseline = measure_set.measurements.get()
    assert baseline.measured_on.isoformat() == "2020-01-15"
    assert math.isclose(float(baseline.score), 50 - 40 / 3, abs_tol=1e-4)
    assert baseline.result["baseline"] is True
    assert math.isclose(baseline.result["denominator"], 3.0)

    levels = _ratings(measure_set, [2, 0, -1])
    assert clinician.post(_rate_url(measure_set), levels).status_code == 302
    follow_up = measure_set.measurements.order_by("-entered_at").first()
    assert follow_up is not None
    assert follow_up.score == Decimal("60.0000")
    assert follow_up.result["weighted_sum"] == 3.0
    assert follow_up.result["rho"] == 0.3

    body = clinician.get(f"{_base(world)}/results/").content.decode()
    assert "36,7" in body and "60" in body
    assert "+23,3" in body  # change since the start
    assert "niet gecontroleerd" in body  # measures.json: formula not checked in a primary source
    assert "Kiresuk" in body


def test_the_patient_cannot_score_gas_goals(world: World) -> None:
    world.client_for("clinician_treating").post(f"{_base(world)}/gas/new/", _gas_goals())
    measure_set = MeasureSet.objects.get(patient=world.patient_a, kind="gas")
    patient = world.client_for("patient_a")
    # The patient may know the set exists (it is theirs): the opener refuses the role, 403.
    assert patient.get(_rate_url(measure_set)).status_code == 403
    response = patient.post(_rate_url(measure_set), _ratings(measure_set, [2, 2, 2]))
    assert response.status_code == 403
    assert measure_set.measurements.count() == 1  # only the baseline


def test_gas_invalid_input_is_refused_in_dutch(world: World) -> None:
    clinician = world.client_for("clinician_treating")
    bad = _gas_goals() | {"goal-1-weight": "0", "goal-2-expected": ""}
    response = clinician.post(f"{_base(world)}/gas/new/", bad)
    assert response.status_code == 400
    body = response.content.decode()
    assert "Vul een gewicht van 0,01 tot en met 9999,99 in." in body
    assert "Beschrijf de verwachte uitkomst (niveau 0) van dit doel." in body
    assert clinician.post(f"{_base(world)}/gas/new/", {}).status_code == 400
    assert "Stel 1 tot 5 doelen." in clinician.post(f"{_base(world)}/gas/new/", {}).content.decode()
    assert not MeasureSet.objects.filter(kind="gas").exists()
    world.client_for("clinician_treating").post(f"{_base(world)}/gas/new/", _gas_goals())
    measure_set = MeasureSet.objects.get(patient=world.patient_a, kind="gas", is_active=True)
    level_3 = clinician.post(_rate_url(measure_set), _ratings(measure_set, [3, 0, 0]))
    assert level_3.status_code == 400
    assert "Kies een niveau van −2 tot +2." in level_3.content.decode()
    assert measure_set.measurements.count() == 1


def test_a_measurement_date_in_the_future_is_refused(world: World) -> None:
    clinician = world.client_for("clinician_treating")
    data = _ratings(world.psk_set, [1, 2, 3]) | {"measured_on": "2999-01-01"}
    response = clinician.post(_rate_url(world.psk_set), data)
    assert response.status_code == 400
    assert "De datum kan niet in de toekomst liggen." in response.content.decode()
    garbled = clinician.post(_rate_url(world.psk_set), data | {"measured_on": "gisteren"})
    assert garbled.status_code == 400
    assert "Vul een geldige datum in." in garbled.content.decode()
    assert not Measurement.objects.exists()


# ----------------------------------------------------------------- query budgets

# The count measured when the budget was set (session, second factor, the opener, the
# audited read with its savepoint); a page that queries per item or row shows up here.
PAGE_BUDGETS = {
    "overview": ("patient_a", lambda w: f"{_base(w)}/", 23),
    "results": ("clinician_treating", lambda w: f"{_base(w)}/results/", 28),
    "rate": ("patient_a", lambda w: _rate_url(w.psk_set), 24),
}


@pytest.mark.parametrize("page", sorted(PAGE_BUDGETS))
def test_the_page_stays_within_its_query_budget(
    world: World, page: str, django_assert_max_num_queries: Any
) -> None:
    role, path, budget = PAGE_BUDGETS[page]
    client = world.client_for(role)
    client.get(path(world))  # warm: the session and the content caches
    with django_assert_max_num_queries(budget):
        assert client.get(path(world)).status_code == 200

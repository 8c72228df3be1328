"""A reassuring verdict never stands alone next to an open safety signal (PHQ-9 item 9):
the clinician's results and monitoring pages lead with the signal, and "recovered" or
"reliable improvement" is shown only with the open signal named."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from maatwerk.web.questionnaires.models import SafetyAlert
from tests.web.test_own_results import phq9_completed
from tests.web.world import World

pytestmark = pytest.mark.django_db

CAUTION_FIXED = "on this questionnaire only: a safety signal is open, read it first (above)."
CAUTION_ROW = "(a safety signal is open: read it first)"


@pytest.fixture
def recovered(world: World) -> World:
    """PHQ-9 16 (moderately severe) six weeks ago, 8 (mild) now: reliable improvement and
    below the cut-off, "recovered"; the world's item-9 signal of patient A is open."""
    phq9_completed(world, "patient_a", 2, days_ago=42)
    phq9_completed(world, "patient_a", 1, days_ago=1)
    return world


def _results(world: World) -> str:
    client = world.client_for("clinician_treating")
    client.cookies["django_language"] = "en"
    url = f"/clinic/patients/{world.patient_a.public_id}/results/"
    return client.get(url).content.decode()


def test_recovered_is_shown_only_with_the_open_signal_after_it(recovered: World) -> None:
    assert recovered.alert.is_active
    html = _results(recovered)
    signal = html.index("Safety signal")
    first_recovered = html.index("recovered")
    assert signal < first_recovered  # the page leads with the signal
    assert CAUTION_FIXED in html
    assert CAUTION_ROW in html
    # Every "(recovered)" verdict of the fixed thresholds carries the caution.
    fixed = html[html.index('id="fixed-title"') :]
    fixed = fixed[: fixed.index("</section>")]
    assert "(recovered)" in fixed
    assert fixed.count("(recovered)") == fixed.count(CAUTION_FIXED)


def test_without_an_open_signal_the_verdict_stands_as_judged(recovered: World) -> None:
    SafetyAlert.objects.filter(pk=recovered.alert.pk).update(
        status=SafetyAlert.Status.CLOSED, closed_at=timezone.now() - timedelta(days=400)
    )
    html = _results(recovered)
    assert "(recovered)" in html
    assert CAUTION_FIXED not in html
    assert CAUTION_ROW not in html


def test_the_monitoring_page_leads_with_the_open_signal(recovered: World) -> None:
    client = recovered.client_for("clinician_treating")
    client.cookies["django_language"] = "en"
    response = client.get(reverse("monitoring:patient", args=[recovered.patient_a.public_id]))
    html = response.content.decode()
    assert "Risk: an open safety signal" in html
    assert html.index("Risk: an open safety signal") < html.index("Questionnaires over time")

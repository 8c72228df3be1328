"""The rows of the four steps (issue 11): one mechanism for every step. What a page shows
is what is stored, so posting a page back as it is changes nothing; every field shows
its own error; and the page keeps what was typed when anything is refused."""

from __future__ import annotations

from html.parser import HTMLParser

import pytest

from maatwerk.core.formulation import Activity, FunctionalAnalysis, Goal
from maatwerk.web.formulation import forms
from maatwerk.web.formulation.models import FormulationVersion
from tests.web.test_formulation import CIRCLE, newest, url, world_formulation
from tests.web.world import World

pytestmark = pytest.mark.django_db

STEPS = ("complaints", "consequences", "goals", "plan")


class _Form(HTMLParser):
    """The fields a browser would post from the page's first ``method="post"`` form
    (the step's rows; the buttons are left out)."""

    def __init__(self) -> None:
        super().__init__()
        self.data: list[tuple[str, str]] = []
        self._inside = self._done = False
        self._select: str | None = None
        self._textarea: str | None = None
        self._text = ""

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        found = {key: value or "" for key, value in attrs}
        if self._done:
            return
        if tag == "form" and found.get("method") == "post" and "action" not in found:
            self._inside = True
        if not self._inside:
            return
        name = found.get("name", "")
        if tag == "input" and name and found.get("type") not in ("submit",):
            kind = found.get("type", "text")
            if kind in ("checkbox", "radio"):
                if "checked" in found:
                    self.data.append((name, found.get("value", "on")))
            else:
                self.data.append((name, found.get("value", "")))
        elif tag == "select":
            self._select = name
        elif tag == "option" and self._select is not None and "selected" in found:
            self.data.append((self._select, found.get("value", "")))
        elif tag == "textarea":
            self._textarea, self._text = name, ""

    def handle_data(self, data: str) -> None:
        if self._textarea is not None:
            self._text += data

    def handle_endtag(self, tag: str) -> None:
        if tag == "textarea" and self._textarea is not None:
            # A browser drops the one newline that may follow <textarea>.
            self.data.append((self._textarea, self._text.removeprefix("\n")))
            self._textarea = None
        elif tag == "select":
            self._select = None
        elif tag == "form" and self._inside:
            self._inside, self._done = False, True


def _posted(page: str) -> dict[str, str]:
    parser = _Form()
    parser.feed(page)
    return {name: value for name, value in parser.data if name != "csrfmiddlewaretoken"}


def _rich(world: World) -> None:
    """The world's formulation with an entry in every section and every field filled."""
    import dataclasses

    from maatwerk.web.common.actor import actor_for_user
    from maatwerk.web.formulation import services
    from maatwerk.web.patients.opening import Opened, open_patient

    formulation = world_formulation(world)
    clinician = actor_for_user(world.users["clinician_treating"], access_point="test")
    access = open_patient(
        actor=clinician, patient_id=str(world.patient_a.public_id), action="update"
    )
    complaints = tuple(
        dataclasses.replace(c, meaning="Dat ik nooit meer kan werken") for c in CIRCLE.complaints
    )
    consequences = tuple(
        dataclasses.replace(c, factor_id="avoidance", role="perpetuating")
        for c in CIRCLE.consequences
    )
    document = dataclasses.replace(
        CIRCLE,
        complaints=complaints,
        consequences=consequences,
        functional_analyses=(
            FunctionalAnalysis(
                "analysis-1", "Tillen", thoughts=("Het gaat mis", "Weer pijn"), long_term=("stijf",)
            ),
        ),
        goals=(Goal("goal-1", "Weer wandelen", feasible=True, concrete=False),),
        activities=(Activity("activity-1", "Tien minuten lopen", "elke ochtend", "goal-1"),),
    )
    services.formulation_save(
        actor=clinician,
        opened=Opened(object=formulation, access=access),
        document=document,
        note="every field",
    )


@pytest.mark.parametrize("step", STEPS)
def test_posting_a_step_back_as_shown_changes_nothing(world: World, step: str) -> None:
    _rich(world)
    formulation = world_formulation(world)
    before = newest(formulation)
    client = world.client_for("clinician_treating")
    page = client.get(url(formulation, step)).content.decode()
    response = client.post(url(formulation, step), _posted(page))
    assert response.status_code == 302, response.content.decode()[:3000]
    assert newest(formulation) == before


def _fields() -> list[tuple[str, str, str]]:
    """Every field a clinician types into, per step: (step, prefix, field)."""
    pages = {
        forms.ComplaintRow: "complaints",
        forms.ConsequenceRow: "consequences",
        forms.AnalysisRow: "consequences",
        forms.GoalRow: "goals",
        forms.ActivityRow: "plan",
    }
    return [
        (step, row.prefix_name, name)
        for row, step in pages.items()
        for name, field in row.base_fields.items()
        if name not in ("id", "remove", "maintaining")
    ]


@pytest.mark.parametrize(("step", "prefix", "name"), _fields())
def test_every_field_shows_its_own_error_and_keeps_the_rest(
    world: World, step: str, prefix: str, name: str
) -> None:
    formulation = world_formulation(world)
    versions = FormulationVersion.objects.count()
    client = world.client_for("clinician_treating")
    data = _posted(client.get(url(formulation, step)).content.decode())
    blank = int(data[f"{prefix}-TOTAL_FORMS"]) - 1  # the row that adds an entry
    other = next(
        f"{prefix}-{blank}-{n}"
        for n in ("text", "words", "situation")
        if f"{prefix}-{blank}-{n}" in data
    )
    data[other] = "Wat ik al had getypt"
    data[f"{prefix}-{blank}-{name}"] = "x" * (forms.TEXT_MAX_LENGTH + 1)
    response = client.post(url(formulation, step), data)
    assert response.status_code == 400
    body = response.content.decode()
    assert f'id="err-{prefix}-{blank}-{name}"' in body
    assert f'aria-describedby="err-{prefix}-{blank}-{name}"' in body
    if other != f"{prefix}-{blank}-{name}":
        assert "Wat ik al had getypt" in body
    assert FormulationVersion.objects.count() == versions

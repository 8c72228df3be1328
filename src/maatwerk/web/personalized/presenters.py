"""What the personalized-measure pages show, as typed values.

Each page is a frozen dataclass built from an access object (and, for a form page, the
bound form and the refusal's errors); :func:`context` hands its fields to the template.
Drawing a form page again after a refusal reads only what the access already opened.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, fields
from typing import TYPE_CHECKING, Literal

from django import forms

from maatwerk.core.instruments.personalized_content import MeasureMetadata, measure_metadata
from maatwerk.web.patients.models import Patient
from maatwerk.web.patients.opening import PatientAccess
from maatwerk.web.personalized import selectors
from maatwerk.web.personalized.forms import (
    GAS_ATTAINED,
    GAS_LEVELS,
    NRS_CHOICES,
    GasForm,
    GoalInput,
    PskForm,
    RateForm,
    TopProblemsForm,
)
from maatwerk.web.personalized.models import MeasureItem, MeasureSet
from maatwerk.web.personalized.results import Previous, SetTable, previous_of, set_table

if TYPE_CHECKING:
    from _typeshed import DataclassInstance

Kind = MeasureSet.Kind
Language = Literal["nl", "en"]
Errors = Mapping[str, list[str]]
NON_FIELD = "__all__"


def context(page: DataclassInstance) -> dict[str, object]:
    """The page's fields as the template's context."""
    return {f.name: getattr(page, f.name) for f in fields(page)}


def _name(kind: str, language: Language) -> str:
    return measure_metadata(kind).name.text(language)


def _typed(form: forms.Form, name: str) -> str:
    """What was posted in a field (also when invalid), to show the form again."""
    if not form.is_bound:
        return ""
    return str(form.data.get(form.add_prefix(name), ""))


def _joined(errors: Errors, *keys: str) -> str:
    return " ".join(message for key in keys for message in errors.get(key, []))


# ------------------------------------------------------------------ overview


@dataclass(frozen=True)
class OverviewCard:
    kind: str
    name: str
    measure_set: MeasureSet | None
    items: tuple[MeasureItem, ...]


@dataclass(frozen=True)
class OverviewPage:
    patient: Patient
    access: PatientAccess
    cards: tuple[OverviewCard, ...]
    clinician: bool


def overview_page(access: PatientAccess, language: Language) -> OverviewPage:
    active = selectors.active_sets_for(access)
    cards = []
    for kind in (Kind.PSK, Kind.TOP_PROBLEMS, Kind.GAS):
        measure_set = active.get(kind)
        items = tuple(measure_set.items.all()) if measure_set is not None else ()
        cards.append(
            OverviewCard(
                kind=kind, name=_name(kind, language), measure_set=measure_set, items=items
            )
        )
    return OverviewPage(
        patient=access.patient,
        access=access,
        cards=tuple(cards),
        clinician=not access.by_patient,
    )


# ------------------------------------------------------------------ PSK


@dataclass(frozen=True)
class NameRow:
    index: int
    name: str
    error: str


@dataclass(frozen=True)
class PskPage:
    patient: Patient
    rows: tuple[NameRow, ...]
    errors: Errors
    replaces: MeasureSet | None


def psk_page(access: PatientAccess, form: PskForm, errors: Errors | None = None) -> PskPage:
    found = errors or {}
    count = sum(1 for name in form.fields if name.startswith("activity-"))
    return PskPage(
        patient=access.patient,
        rows=tuple(
            NameRow(
                index=n,
                name=_typed(form, f"activity-{n}"),
                error=_joined(found, f"activity-{n}"),
            )
            for n in range(count)
        ),
        errors=found,
        replaces=selectors.active_sets_for(access).get(Kind.PSK),
    )


# ------------------------------------------------------------------ top problems


@dataclass(frozen=True)
class ProblemRow:
    index: int
    name: str
    choices: tuple[tuple[str, bool], ...]  # value, checked
    error: str


@dataclass(frozen=True)
class TopProblemsPage:
    patient: Patient
    clinician: bool
    rows: tuple[ProblemRow, ...]
    errors: Errors
    replaces: MeasureSet | None


def top_problems_page(
    access: PatientAccess, form: TopProblemsForm, errors: Errors | None = None
) -> TopProblemsPage:
    found = errors or {}
    count = sum(1 for name in form.fields if name.startswith("problem-name-"))
    rows = []
    for n in range(count):
        rating = _typed(form, f"problem-rating-{n}").strip()
        rows.append(
            ProblemRow(
                index=n,
                name=_typed(form, f"problem-name-{n}"),
                choices=tuple((value, value == rating) for value, _label in NRS_CHOICES),
                error=_joined(found, f"problem-name-{n}", f"problem-rating-{n}"),
            )
        )
    return TopProblemsPage(
        patient=access.patient,
        clinician=not access.by_patient,
        rows=tuple(rows),
        errors=found,
        replaces=selectors.active_sets_for(access).get(Kind.TOP_PROBLEMS),
    )


# ------------------------------------------------------------------ GAS


@dataclass(frozen=True)
class GoalRow:
    index: int
    goal: GoalInput  # as typed
    error: str
    levels: tuple[tuple[str, str, str], ...]  # key, label, text typed


@dataclass(frozen=True)
class GasPage:
    patient: Patient
    rows: tuple[GoalRow, ...]
    measured_on: str
    errors: Errors
    replaces: MeasureSet | None
    metadata: MeasureMetadata


def gas_page(access: PatientAccess, form: GasForm, errors: Errors | None = None) -> GasPage:
    found = errors or {}
    rows = []
    for n, (row, problems) in enumerate(zip(form.rows, form.row_errors(found), strict=True)):
        goal = row.typed()
        rows.append(
            GoalRow(
                index=n,
                goal=goal,
                error=" ".join(problems),
                levels=tuple(
                    (key, str(label), goal.levels.get(key, "")) for key, label in GAS_LEVELS
                ),
            )
        )
    return GasPage(
        patient=access.patient,
        rows=tuple(rows),
        measured_on=_typed(form, "measured_on"),
        errors=found,
        replaces=selectors.active_sets_for(access).get(Kind.GAS),
        metadata=measure_metadata("gas"),
    )


# ------------------------------------------------------------------ rating


@dataclass(frozen=True)
class RateChoice:
    value: str
    label: str
    text: str  # the GAS level's description
    checked: bool


@dataclass(frozen=True)
class RateItem:
    item: MeasureItem
    key: str  # the item's public id
    choices: tuple[RateChoice, ...]
    previous: int | None
    error: str


@dataclass(frozen=True)
class RatePage:
    patient: Patient
    measure_set: MeasureSet
    name: str
    items: tuple[RateItem, ...]
    previous: Previous | None
    errors: Errors
    non_field: list[str]
    clinician: bool
    gas: bool
    measured_on: str


def _choices(item: MeasureItem, gas: bool, current: str) -> tuple[RateChoice, ...]:
    if not gas:
        return tuple(RateChoice(v, v, "", v == current) for v, _label in NRS_CHOICES)
    descriptions = {"0": item.expected_outcome, **item.level_descriptions}
    return tuple(
        RateChoice(
            value=str(level),
            label=f"{level:+d}" if level else "0",
            text=descriptions.get(str(level), ""),
            checked=str(level) == current,
        )
        for level in GAS_ATTAINED
    )


def rate_page(
    opened: selectors.OpenedSet, form: RateForm, language: Language, errors: Errors | None = None
) -> RatePage:
    measure_set = opened.object
    previous = previous_of(selectors.measurements_of(measure_set))
    found = errors or {}
    gas = measure_set.kind == Kind.GAS
    items = []
    for item in form.items:
        key = str(item.public_id)
        field = RateForm.key(item)
        items.append(
            RateItem(
                item=item,
                key=key,
                choices=_choices(item, gas, _typed(form, field).strip()),
                previous=previous.values.get(key) if previous else None,
                error=_joined(found, field),
            )
        )
    return RatePage(
        patient=opened.access.patient,
        measure_set=measure_set,
        name=_name(measure_set.kind, language),
        items=tuple(items),
        previous=previous,
        errors=found,
        non_field=[*found.get(NON_FIELD, []), *found.get("measured_on", [])],
        clinician=not opened.by_patient,
        gas=gas,
        measured_on=_typed(form, "measured_on") if not opened.by_patient else "",
    )


# ------------------------------------------------------------------ results


@dataclass(frozen=True)
class ResultsPage:
    patient: Patient
    access: PatientAccess
    tables: tuple[SetTable, ...]


def results_page(access: PatientAccess, language: Language) -> ResultsPage:
    return ResultsPage(
        patient=access.patient,
        access=access,
        tables=tuple(
            set_table(measure_set, measurements, language=language)
            for measure_set, measurements in selectors.sets_with_measurements(access)
        ),
    )

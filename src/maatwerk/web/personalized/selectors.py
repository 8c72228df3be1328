"""Reading personalized measures, always through an access object from the opener."""

from __future__ import annotations

from collections import defaultdict

from django.db.models import Prefetch, QuerySet

from maatwerk.web.patients.opening import Audience, Opened, PatientAccess, is_uuid
from maatwerk.web.personalized.models import MeasureItem, Measurement, MeasurementValue, MeasureSet

OBJECT_SET = "questionnaire"
"""Audit object type of a measure set (the existing label "questionnaire" is reused)."""
OBJECT_MEASUREMENT = "questionnaire_answer"
"""Audit object type of one measurement (a rating of every item)."""
OBJECT_RESULTS = "questionnaire_results"

OpenedSet = Opened[MeasureSet]
"""A measure set opened through its patient's access (``open_child``)."""


def set_audience(set_id: str) -> Audience:
    """Who may open a measure set: a GAS set only the care team (attained levels are
    scored by the clinician); a PSK or top-problems set the patient too. An unknown id
    gets the widest audience, so the opener's refusal is the same 404 as for any id."""
    kind = (
        MeasureSet.objects.filter(public_id=set_id).values_list("kind", flat=True).first()
        if is_uuid(set_id)
        else None
    )
    return Audience.CARE_TEAM if kind == MeasureSet.Kind.GAS else Audience.RECORD


def sets_for(access: PatientAccess) -> QuerySet[MeasureSet]:
    """All measure sets of the patient, active ones first, newest first."""
    return (
        MeasureSet.objects.filter(patient=access.patient)
        .prefetch_related("items")
        .order_by("-is_active", "kind", "-created_at")
    )


def active_sets_for(access: PatientAccess) -> dict[str, MeasureSet]:
    return {s.kind: s for s in sets_for(access).filter(is_active=True)}


def items_of(opened: OpenedSet) -> list[MeasureItem]:
    """The items of an opened set, in their order."""
    return list(opened.object.items.all())


def _measurements() -> QuerySet[Measurement]:
    return (
        Measurement.objects.select_related("entered_by")
        .prefetch_related(
            Prefetch("values", queryset=MeasurementValue.objects.select_related("item"))
        )
        .order_by("measured_on", "entered_at")
    )


def sets_with_measurements(access: PatientAccess) -> list[tuple[MeasureSet, list[Measurement]]]:
    """Every set of the patient (as :func:`sets_for`) with its measurements in time
    order, in a fixed number of queries however many sets there are."""
    by_set: dict[int, list[Measurement]] = defaultdict(list)
    for measurement in _measurements().filter(measure_set__patient=access.patient):
        by_set[measurement.measure_set_id].append(measurement)
    return [(measure_set, by_set[measure_set.pk]) for measure_set in sets_for(access)]


def measurements_of(measure_set: MeasureSet) -> list[Measurement]:
    """The measurements in time order, each with its values and who entered it (of a set
    that came from :func:`sets_for` or an opener)."""
    return list(_measurements().filter(measure_set=measure_set))

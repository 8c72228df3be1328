"""The patient's own results in plain words (B1, "je").

Nothing here decides what changed: the numbers, bands and reliable change come from the
clinician's result rows (:func:`maatwerk.web.questionnaires.results.result_rows`, which
calls :mod:`maatwerk.core.analysis.reliable_change`) and the personal measure tables
(:func:`maatwerk.web.personalized.results.set_table`); this module only says them in
words a patient reads, and draws the course.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from fractions import Fraction

from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from maatwerk.core.analysis.change import ChangeMethod
from maatwerk.core.analysis.headline import Headline, lead_with_safety, outcome_headline
from maatwerk.core.analysis.reliable_change import (
    ClinicalSignificanceCategory,
    ReliableChangeCategory,
    ScoreDirection,
)
from maatwerk.core.contact import PhoneNumber
from maatwerk.core.instruments.numbers import display_number
from maatwerk.core.instruments.personalized_content import measure_metadata
from maatwerk.core.instruments.scoring import find_band
from maatwerk.web.monitoring.chart_book import FeedbackChart, NoteRow
from maatwerk.web.ownresults.models import ResultNote
from maatwerk.web.personalized.models import Measurement, MeasureSet
from maatwerk.web.personalized.results import set_table
from maatwerk.web.questionnaires.results import ResultRow
from maatwerk.web.safety.presenters import PatientDeadline, patient_deadline
from maatwerk.web.safety.selectors import OwnOpenSignals

RECOVERED = ClinicalSignificanceCategory.RECOVERED.value


class Tone:
    FIRST = "first"
    BETTER = "better"
    WORSE = "worse"
    SAME = "same"


@dataclass(frozen=True)
class Point:
    when: date
    score: Decimal
    value: str
    meaning: str  # the band in words, "" without bands


@dataclass(frozen=True)
class ScaleCourse:
    """One questionnaire score over time, in words and as a chart."""

    topic: str
    instrument_name: str
    scale_name: str
    latest: str
    meaning: str
    direction: str
    course: str
    tone: str
    rule: str  # what the course is judged by, in words ("" without a rule)
    points: tuple[Point, ...]
    chart: FeedbackChart | None  # the course with its reliable-change band (Vega-Lite)
    notes: tuple[ResultNote, ...]


@dataclass(frozen=True)
class ItemCourse:
    name: str  # the patient's own words for the activity, problem or goal
    first: int | None
    latest: int | None
    course: str


@dataclass(frozen=True)
class MeasureCourse:
    """One personal measure (PSK, top problems, GAS): each item, first and latest."""

    topic: str
    name: str
    direction: str
    first_on: date | None
    latest_on: date | None
    items: tuple[ItemCourse, ...]
    notes: tuple[ResultNote, ...]


@dataclass(frozen=True)
class OwnSafety:
    """What the page opens with while the patient has an open safety signal: that the
    care team knows and when they will see it (the words of the page shown after the
    answer), the crisis lines and the way to the patient's safety plan."""

    from_questionnaire: bool  # raised by an answer (PHQ-9 item 9): the page says so
    deadline: PatientDeadline | None
    gp_number: PhoneNumber | None
    has_safety_plan: bool


def own_safety(signals: OwnOpenSignals, gp_number: PhoneNumber | None) -> OwnSafety | None:
    """The block for ``signals``, or None when none is open (the core's rule)."""
    if not lead_with_safety(signals.count):
        return None
    return OwnSafety(
        from_questionnaire=signals.from_questionnaire,
        deadline=patient_deadline(signals.latest),
        gp_number=gp_number,
        has_safety_plan=signals.has_safety_plan,
    )


@dataclass(frozen=True)
class OwnResultsPage:
    scales: tuple[ScaleCourse, ...]
    measures: tuple[MeasureCourse, ...]
    # While a safety signal is open the page opens with it (None: no signal open).
    safety: OwnSafety | None = None
    # The daily-life charts of the last four weeks and the notes on their days.
    daily: tuple[FeedbackChart, ...] = ()
    pairings: tuple[FeedbackChart, ...] = ()
    day_notes: tuple[NoteRow, ...] = ()
    first_day: date | None = None
    last_day: date | None = None
    can_note_days: bool = False

    @property
    def topics(self) -> frozenset[str]:
        return frozenset(s.topic for s in self.scales) | frozenset(m.topic for m in self.measures)


def scale_topic(code: str, scale_id: str) -> str:
    return f"scale:{code}:{scale_id}"


def measure_topic(measure_set: MeasureSet) -> str:
    return f"measure:{measure_set.public_id}"


def _number(value: Decimal | float | int) -> str:
    """As people write it in the page's language (2,5 in Dutch), by the core's rule."""
    return display_number(Decimal(str(value)), get_language() or "nl")


def _direction_text(direction: str) -> str:
    if direction == ScoreDirection.HIGHER_IS_BETTER:
        return _("A higher score means it goes better.")
    return _("A higher score means more complaints.")


def _course_text(row: ResultRow, *, open_safety_signals: int = 0) -> tuple[str, str]:
    """What the latest score says compared with the first time, and its tone. While a
    safety signal is open, "it goes better" never stands alone: it points to the block
    the page opens with (:func:`maatwerk.core.analysis.headline.outcome_headline`)."""
    text, tone = _course_verdict(row)
    significance = row.clinical_significance
    verdicts = (row.reliable_change, significance.category if significance else None)
    if any(
        outcome_headline(verdict, open_safety_signals=open_safety_signals)
        is Headline.WITH_OPEN_SIGNAL
        for verdict in verdicts
    ):
        text += " " + _("Please also read the note at the top of this page.")
    return text, tone


def _course_verdict(row: ResultRow) -> tuple[str, str]:
    if row.change is None:
        return _("This is the first time. Next time you can see what has changed."), Tone.FIRST
    category = row.reliable_change
    if category == ReliableChangeCategory.RELIABLE_IMPROVEMENT:
        text = _(
            "It goes better than the first time. The difference is big enough to be real, "
            "not chance."
        )
        significance = row.clinical_significance
        if significance is not None and significance.category == RECOVERED:
            text += " " + _(
                "Your score has also crossed the line: from many complaints to fewer complaints."
            )
        return text, Tone.BETTER
    if category == ReliableChangeCategory.RELIABLE_DETERIORATION:
        return (
            _(
                "It goes worse than the first time. The difference is big enough to be real. "
                "Talk about it with your care provider."
            ),
            Tone.WORSE,
        )
    if category == ReliableChangeCategory.NO_RELIABLE_CHANGE:
        return (
            _("About the same as the first time. The difference is small: it can also be chance."),
            Tone.SAME,
        )
    # No reliable-change figures for this scale: say only how far the score moved.
    points = abs(row.change)
    if points == 0:
        return _("The same score as the first time."), Tone.SAME
    if row.change > 0:
        text = _("%(points)s points higher than the first time.")
    else:
        text = _("%(points)s points lower than the first time.")
    return text % {"points": _number(points)}, Tone.SAME


def _rule_text(row: ResultRow) -> str:
    """What the verdict rests on, named as the clinician sees it (never a code)."""
    if row.change is None or not row.rule_name:
        return ""
    if row.change_method == ChangeMethod.FIXED_THRESHOLD:
        return _("We compare with the first time using this rule: %(rule)s.") % {
            "rule": row.rule_name
        }
    return _("We compare with the first time using the scores of this group: %(norm)s.") % {
        "norm": row.rule_name
    }


def _band_text(row: ResultRow, language: str) -> str:
    if row.scale is None or row.value is None:
        return ""
    band = find_band(row.scale, Fraction(str(row.value)))
    return "" if band is None else band.label.get(language, fallback=True) or ""


def _local_date(row: ResultRow) -> date | None:
    return None if row.completed_at is None else timezone.localdate(row.completed_at)


def scale_courses(
    rows: Sequence[ResultRow],
    notes: dict[str, list[ResultNote]],
    charts: dict[str, FeedbackChart],
    *,
    language: str,
    open_safety_signals: int = 0,
) -> tuple[ScaleCourse, ...]:
    grouped: dict[tuple[str, str], list[ResultRow]] = {}
    for row in rows:
        if row.value is not None and row.completed_at is not None:
            grouped.setdefault(row.scale_key, []).append(row)
    courses = []
    for (code, scale_id), scale_rows in grouped.items():
        latest = scale_rows[-1]
        scale = latest.scale
        if scale is None or latest.value is None:  # pragma: no cover - rows carry their scale
            continue
        course, tone = _course_text(latest, open_safety_signals=open_safety_signals)
        points = tuple(
            Point(
                when=when,
                score=row.value,
                value=_number(row.value),
                meaning=_band_text(row, language),
            )
            for row in scale_rows
            if row.value is not None and (when := _local_date(row)) is not None
        )
        meaning = _band_text(latest, language)
        courses.append(
            ScaleCourse(
                topic=scale_topic(code, scale_id),
                instrument_name=latest.patient_instrument_name or latest.instrument_name,
                scale_name=latest.scale_name,
                latest=_("Your latest score: %(value)s (the scale runs from %(low)s to %(high)s).")
                % {
                    "value": _number(latest.value),
                    "low": _number(scale.range.min),
                    "high": _number(scale.range.max),
                },
                meaning=_("That means: %(band)s.") % {"band": meaning} if meaning else "",
                direction=_direction_text(scale.direction),
                course=course,
                tone=tone,
                rule=_rule_text(latest),
                points=points,
                chart=charts.get(scale_topic(code, scale_id)),
                notes=tuple(notes.get(scale_topic(code, scale_id), ())),
            )
        )
    return tuple(courses)


def _item_text(first: int | None, latest: int | None, direction: str, count: int) -> str:
    if first is None or latest is None or count < 2:
        return _("Scored once so far.")
    if first == latest:
        return _("The same as the first time.")
    better = (latest < first) == (direction == ScoreDirection.HIGHER_IS_WORSE)
    points = _number(abs(latest - first))
    if better:
        return _("%(points)s points better than the first time.") % {"points": points}
    return _("%(points)s points worse than the first time.") % {"points": points}


def measure_courses(
    sets: Iterable[tuple[MeasureSet, list[Measurement]]],
    notes: dict[str, list[ResultNote]],
    *,
    language: str,
) -> tuple[MeasureCourse, ...]:
    courses = []
    for measure_set, measurements in sets:
        table = set_table(measure_set, measurements, language=language)
        direction = measure_metadata(measure_set.kind).direction
        first_row = table.rows[0] if table.rows else None
        latest_row = table.rows[-1] if table.rows else None
        items = []
        for index, item in enumerate(table.items):
            first = first_row.cells[index].value if first_row else None
            latest = latest_row.cells[index].value if latest_row else None
            items.append(
                ItemCourse(
                    name=item.name,
                    first=first,
                    latest=latest,
                    course=_item_text(first, latest, direction, len(table.rows)),
                )
            )
        courses.append(
            MeasureCourse(
                topic=measure_topic(measure_set),
                name=table.name,
                direction=_direction_text(direction),
                first_on=first_row.measured_on if first_row else None,
                latest_on=latest_row.measured_on if latest_row else None,
                items=tuple(items),
                notes=tuple(notes.get(measure_topic(measure_set), ())),
            )
        )
    return tuple(courses)

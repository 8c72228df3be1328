"""All feedback charts of one patient, for the patient's results page, the clinician's
monitoring page and their PDFs: each chart as a Vega-Lite specification (built by
:mod:`maatwerk.core.monitoring.chart_specs`) with its text alternative (a sentence and a
table) and the patient's notes on it.

Reads only; the caller's audited service call is the one event of the request. Query
count: three for the daily-life charts (schedules, prompts, notes) and three for the
questionnaire courses (results, the patient's sex through the same rows, and the norm
chosen for a patient without a norm for their sex), whatever the number of charts.

Size: one patient's chart book; every chart kind shares the note, number and day helpers
and the text-alternative shape, so splitting by chart kind would scatter them.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from decimal import Decimal
from fractions import Fraction

from django.utils import timezone
from django.utils.translation import gettext as _

from maatwerk.core.analysis.change import ChangeRule, FixedThresholdRule, change_rule
from maatwerk.core.analysis.content import bundled_monitoring
from maatwerk.core.bibliography import citations
from maatwerk.core.instruments.numbers import display_number
from maatwerk.core.instruments.reference import UnknownSexNorm
from maatwerk.core.instruments.scoring import find_band
from maatwerk.core.monitoring import chart_specs as specs
from maatwerk.core.monitoring.chart import DayValue, daily_means
from maatwerk.core.monitoring.clock import DEFAULT_ZONE, local_date
from maatwerk.web.analysis.selectors import norm_choice_of
from maatwerk.web.monitoring import selectors
from maatwerk.web.monitoring.answering import Question, questions
from maatwerk.web.monitoring.forms import NOTE
from maatwerk.web.monitoring.models import MonitoringSchedule, Prompt, PromptState
from maatwerk.web.ownresults.models import DAY_TOPIC, ResultNote
from maatwerk.web.patients.opening import PatientAccess
from maatwerk.web.questionnaires.results import NORM_SEX, ResultRow, result_rows
from maatwerk.web.questionnaires.selectors import results_for

DAYS = 28  # four weeks of daily life: long enough to see a pattern, short enough to read
PAIN = "bank:pain"
ACTIVITY = "bank:physical_activity"
MOODS = ("bank:mood_cheerful", "bank:mood_down")


@dataclass(frozen=True)
class NoteRow:
    """A note shown with a chart: the patient's own (editable by them) or the words they
    wrote with an answer."""

    day: date
    text: str
    public_id: str = ""  # a ResultNote the patient may change; "" for an answer's note

    @property
    def editable(self) -> bool:
        return bool(self.public_id)


@dataclass(frozen=True)
class FeedbackChart:
    """One chart and its text alternative: ``summary`` in a sentence and the numbers as
    a table (``head`` and ``rows``)."""

    key: str  # unique on the page: the id of the chart's JSON block
    title: str
    summary: str
    spec: specs.Spec
    head: tuple[str, ...]
    rows: tuple[tuple[str, ...], ...]
    notes: tuple[NoteRow, ...] = ()
    topic: str = ""  # the topic a note on this chart is written to
    low: str = ""  # what the ends of a daily-life scale mean
    high: str = ""


@dataclass(frozen=True)
class ChartBook:
    courses: tuple[FeedbackChart, ...]  # questionnaires (ROM)
    daily: tuple[FeedbackChart, ...]  # one line per daily-life question
    pairings: tuple[FeedbackChart, ...]
    day_notes: tuple[NoteRow, ...]  # every note on a day, newest first
    first_day: date
    last_day: date

    @property
    def charts(self) -> tuple[FeedbackChart, ...]:
        return self.courses + self.daily + self.pairings


def _language(language: str) -> str:
    return "en" if language.startswith("en") else "nl"


def _number(value: float | Decimal, language: str) -> str:
    return display_number(
        Decimal(str(value)).quantize(Decimal("0.1")).normalize(), _language(language)
    )


def _note_label(for_patient: bool) -> str:
    return _("Your note") if for_patient else _("The patient's note")


def _day(day: date) -> str:
    return f"{day.day}-{day.month}-{day.year}"


def _zone(schedules: Sequence[MonitoringSchedule]) -> str:
    return schedules[0].time_zone if schedules and schedules[0].time_zone else DEFAULT_ZONE


# ----------------------------------------------------------------------- notes


def _own_notes(access: PatientAccess) -> list[ResultNote]:
    return list(ResultNote.objects.filter(patient=access.patient).order_by("-day", "-written_at"))


def _answer_notes(answered: Iterable[tuple[date, dict[str, object]]]) -> list[NoteRow]:
    return [
        NoteRow(day=day, text=str(answers[NOTE]))
        for day, answers in answered
        if isinstance(answers.get(NOTE), str) and answers[NOTE]
    ]


# ----------------------------------------------------------- questionnaire courses


def _meaning(row: ResultRow, language: str) -> str:
    """The score's band in words, by the instrument version it was scored with."""
    if row.scale is None or row.value is None:
        return ""
    band = find_band(row.scale, Fraction(str(row.value)))
    return "" if band is None else band.label.get(_language(language), fallback=True) or ""


def _rule_text(rule: ChangeRule, code: str, scale_id: str, language: str) -> str:
    """Which norm (by its citation) or fixed threshold the band is computed with."""
    if isinstance(rule, FixedThresholdRule):
        content = bundled_monitoring().fixed_change_rule(code, scale_id)
        name = "" if content is None else content.name.get(_language(language), fallback=True)
        return _(
            "The band is the fixed threshold of %(points)s points: %(rule)s (%(sources)s)."
        ) % {
            "points": _number(rule.points, language),
            "rule": name or "",
            "sources": "" if content is None else citations(content.sources),
        }
    if rule.norm is None:  # pragma: no cover - a Jacobson-Truax rule always names its norm
        return ""
    sex = NORM_SEX.get(rule.norm.sex or "")
    return _("The band is computed with the norm of %(norm)s.") % {
        "norm": rule.norm.population if sex is None else f"{rule.norm.population}, {sex}"
    }


def _course(
    key: str,
    topic: str,
    scale_rows: list[ResultRow],
    notes: Sequence[NoteRow],
    sex: str,
    unknown_sex: UnknownSexNorm,
    language: str,
    for_patient: bool,
) -> FeedbackChart | None:
    scale = scale_rows[-1].scale
    scored = [row for row in scale_rows if row.completed_at is not None and row.value is not None]
    dated = [
        (timezone.localdate(row.completed_at), row.value)
        for row in scored
        if row.completed_at is not None and row.value is not None  # for the type checker
    ]
    if scale is None or not dated:
        return None
    # The table is the chart's one text alternative: with each score's band in words
    # when the instrument has bands (of the score's own instrument version).
    with_bands = any(row.scale is not None and row.scale.bands for row in scored)
    meaning_head = ((_("Meaning") if for_patient else _("Interpretation")),) if with_bands else ()
    chart_scale = specs.Scale(
        float(scale.range.min), float(scale.range.max), whole=scale.display_decimals == 0
    )
    baseline = float(dated[0][1])
    code, scale_id = scale_rows[-1].scale_key
    rule = change_rule(
        scale,
        sex=sex or None,
        unknown_sex=unknown_sex,
        fixed=bundled_monitoring().fixed_change_rule(code, scale_id),
    )
    band = (
        None
        if rule is None
        else specs.change_rule_band(baseline=baseline, rule=rule, scale=chart_scale)
    )
    latest = scale_rows[-1]
    instrument = (
        latest.patient_instrument_name or latest.instrument_name
        if for_patient
        else latest.instrument_name
    )
    title = f"{instrument}: {latest.scale_name}"
    texts = specs.Texts(
        title=title,
        x_title=_("Date"),
        y_title=_("Score"),
        note_label=_note_label(for_patient) if notes else "",
        band_label=_("Within this band the change is too small to be sure"),
    )
    spec = specs.rom_course_spec(
        [specs.ScorePoint(day, float(value)) for day, value in dated],
        scale=chart_scale,
        band=band,
        notes=[specs.ChartNote(n.day, n.text) for n in notes],
        texts=texts,
        language=_language(language),
    )
    scores = ", ".join(_number(value, language) for _day_, value in dated)
    summary = _(
        "Scores from %(first)s to %(last)s: %(scores)s (the scale runs from %(low)s to %(high)s)."
    ) % {
        "first": _day(dated[0][0]),
        "last": _day(dated[-1][0]),
        "scores": scores,
        "low": _number(scale.range.min, language),
        "high": _number(scale.range.max, language),
    }
    if band is not None:
        summary += " " + _(
            "The shaded band runs from %(lower)s to %(upper)s: a score inside it differs so "
            "little from the first score that it can be chance."
        ) % {"lower": _number(band.lower, language), "upper": _number(band.upper, language)}
    if rule is not None:
        summary += " " + _rule_text(rule, code, scale_id, language)
    return FeedbackChart(
        key=key,
        topic=topic,
        title=title,
        summary=summary,
        spec=spec,
        head=(_("Date"), _("Score"), *meaning_head),
        rows=tuple(
            (_day(day), _number(value, language))
            + ((_meaning(row, language) or "—",) if meaning_head else ())
            for (day, value), row in zip(dated, scored, strict=True)
        ),
        notes=tuple(notes),
    )


def questionnaire_courses(
    rows: Iterable[ResultRow],
    notes_by_topic: dict[str, list[NoteRow]],
    *,
    sex: str,
    language: str,
    unknown_sex: UnknownSexNorm = UnknownSexNorm.CONSERVATIVE,
    for_patient: bool = True,
) -> tuple[FeedbackChart, ...]:
    """Each questionnaire scale's course with its reliable-change band under the rule
    the patient's change is judged by (:func:`maatwerk.core.analysis.change.change_rule`:
    the norm of their sex or the one chosen for them, ``unknown_sex``, else a fixed
    threshold; no band without either). Pass the ``unknown_sex`` the rows were made
    with, so the band and the verdict use one norm."""
    grouped: dict[tuple[str, str], list[ResultRow]] = {}
    for row in rows:
        if row.value is not None and row.completed_at is not None:
            grouped.setdefault(row.scale_key, []).append(row)
    charts = []
    for index, ((code, scale_id), scale_rows) in enumerate(grouped.items()):
        chart = _course(
            f"course-{index}",
            f"scale:{code}:{scale_id}",
            scale_rows,
            notes_by_topic.get(f"scale:{code}:{scale_id}", []),
            sex,
            unknown_sex,
            language,
            for_patient,
        )
        if chart is not None:
            charts.append(chart)
    return tuple(charts)


# ----------------------------------------------------------------- daily life


@dataclass(frozen=True)
class _Answered:
    at: datetime
    day: date
    answers: dict[str, object]


def _sliders(schedules: Sequence[MonitoringSchedule]) -> list[Question]:
    seen: set[str] = set()
    found = []
    for schedule in schedules:
        for question in questions(schedule.items):
            if question.kind == "slider" and question.key not in seen:
                seen.add(question.key)
                found.append(question)
    return found


def _means(answered: Sequence[_Answered], key: str) -> tuple[DayValue, ...]:
    return daily_means(
        (a.day, float(value))
        for a in answered
        if isinstance(value := a.answers.get(key), int | float) and not isinstance(value, bool)
    )


def _daily_chart(
    index: int,
    question: Question,
    means: tuple[DayValue, ...],
    first_day: date,
    last_day: date,
    notes: Sequence[NoteRow],
    language: str,
    for_patient: bool,
) -> FeedbackChart:
    texts = specs.Texts(
        title=question.text,
        x_title=_("Date"),
        y_title=_("Average"),
        note_label=_note_label(for_patient),
    )
    spec = specs.ema_line_spec(
        means,
        first_day=first_day,
        last_day=last_day,
        scale=specs.Scale(question.minimum, question.maximum, whole=True),  # a slider's steps
        notes=[specs.ChartNote(n.day, n.text) for n in notes],
        texts=texts,
        language=_language(language),
    )
    summary = (
        _(
            "%(title)s: you answered on %(days)s of the %(total)s days. Average per day from "
            "%(lowest)s to %(highest)s (the scale runs from %(min)s to %(max)s)."
        )
        if for_patient
        else _(
            "%(title)s: answered on %(days)s of the %(total)s days. Average per day from "
            "%(lowest)s to %(highest)s (the scale runs from %(min)s to %(max)s)."
        )
    ) % {
        "title": question.text,
        "days": len(means),
        "total": (last_day - first_day).days + 1,
        "lowest": _number(min(d.mean for d in means), language),
        "highest": _number(max(d.mean for d in means), language),
        "min": question.minimum,
        "max": question.maximum,
    }
    return FeedbackChart(
        key=f"daily-{index}",
        topic=DAY_TOPIC,
        title=question.text,
        summary=summary,
        spec=spec,
        head=(_("Date"), _("Average"), _("Number of answers")),
        rows=tuple((_day(d.day), _number(d.mean, language), str(d.answers)) for d in means),
        notes=tuple(n for n in notes if first_day <= n.day <= last_day),
        low=question.low,
        high=question.high,
    )


def _pain_activity(
    by_key: dict[str, Question], answered: Sequence[_Answered], language: str, for_patient: bool
) -> FeedbackChart | None:
    pain, activity = by_key.get(PAIN), by_key.get(ACTIVITY)
    if pain is None or activity is None:
        return None
    pairs = specs.daily_pairs(_means(answered, ACTIVITY), _means(answered, PAIN))
    if len(pairs) < 2:
        return None
    texts = specs.Texts(
        title=_("Pain and activity per day"),
        x_title=_("How active (average of the day)"),
        y_title=_("Pain (average of the day)"),
        note_label=_("Date"),
    )
    spec = specs.pairing_spec(
        pairs,
        x_scale=specs.Scale(activity.minimum, activity.maximum, whole=True),
        y_scale=specs.Scale(pain.minimum, pain.maximum, whole=True),
        texts=texts,
        language=_language(language),
    )
    return FeedbackChart(
        key="pairing-pain-activity",
        title=texts.title,
        summary=(
            _(
                "Each dot is one day: how active you were (left to right) and how much pain "
                "you had (bottom to top). %(days)s days with both answers."
            )
            if for_patient
            else _(
                "Each dot is one day: the day's mean activity (left to right) against its "
                "mean pain (bottom to top). %(days)s days with both answers."
            )
        )
        % {"days": len(pairs)},
        spec=spec,
        head=(_("Date"), _("How active"), _("Pain")),
        rows=tuple((_day(p.day), _number(p.x, language), _number(p.y, language)) for p in pairs),
    )


def _mood_activity(
    by_key: dict[str, Question], answered: Sequence[_Answered], language: str, for_patient: bool
) -> FeedbackChart | None:
    activity = by_key.get(ACTIVITY)
    mood = next((by_key[key] for key in MOODS if key in by_key), None)
    if activity is None or mood is None:
        return None
    # "Active": the upper half of the activity scale - how this chart sorts moments,
    # not a clinical threshold.
    active_from = (activity.minimum + activity.maximum) / 2
    moments = specs.mood_around_activity(
        [
            specs.TimedAnswers(
                at=a.at,
                day=a.day,
                values={
                    key: float(value)
                    for key in (mood.key, ACTIVITY)
                    if isinstance(value := a.answers.get(key), int | float)
                },
            )
            for a in answered
        ],
        mood=mood.key,
        activity=ACTIVITY,
        active_from=active_from,
    )
    if not moments:
        return None
    before, after = _("Before"), _("After")
    texts = specs.Texts(
        title=_("Your mood before and after being active")
        if for_patient
        else _("The patient's mood before and after being active"),
        x_title=_("Being active"),
        y_title=mood.text,
        note_label=_("Date"),
    )
    spec = specs.before_after_spec(
        moments,
        scale=specs.Scale(mood.minimum, mood.maximum, whole=True),
        before_label=before,
        after_label=after,
        texts=texts,
        language=_language(language),
    )
    mean_before = sum(m.before for m in moments) / len(moments)
    mean_after = sum(m.after for m in moments) / len(moments)
    return FeedbackChart(
        key="pairing-mood-activity",
        title=texts.title,
        summary=(
            _(
                "%(count)s times you said you had been active (%(from)s or more of %(max)s) since "
                'the question before. "%(mood)s" was on average %(before)s before and %(after)s '
                "after."
            )
            if for_patient
            else _(
                "%(count)s times the patient reported being active (%(from)s or more of "
                '%(max)s) since the previous prompt. "%(mood)s" was on average %(before)s '
                "before and %(after)s after."
            )
        )
        % {
            "count": len(moments),
            "from": _number(active_from, language),
            "max": activity.maximum,
            "mood": mood.text,
            "before": _number(mean_before, language),
            "after": _number(mean_after, language),
        },
        spec=spec,
        head=(_("Date"), before, after, _("How active")),
        rows=tuple(
            (
                _day(m.day),
                _number(m.before, language),
                _number(m.after, language),
                _number(m.activity, language),
            )
            for m in moments
        ),
    )


@dataclass(frozen=True)
class DailyLife:
    daily: tuple[FeedbackChart, ...]
    pairings: tuple[FeedbackChart, ...]
    day_notes: tuple[NoteRow, ...]
    topic_notes: dict[str, list[NoteRow]]  # the patient's dated notes on other topics
    first_day: date
    last_day: date


def daily_life(
    access: PatientAccess,
    *,
    now: datetime,
    language: str,
    days: int = DAYS,
    charts_only: bool = False,
    for_patient: bool = True,
) -> DailyLife:
    """The daily-life charts of the last ``days`` days, with the notes on them.
    ``charts_only``: the notes are read only when there is a chart to put them on (the
    answering app's list, which shows no list of notes)."""
    schedules = list(
        MonitoringSchedule.objects.filter(
            patient=access.patient, kind=MonitoringSchedule.Kind.EMA
        ).order_by("pk")
    )
    zone = _zone(schedules)
    last_day = local_date(now, zone)
    first_day = last_day - timedelta(days=days - 1)
    answered = [
        _Answered(at=at, day=local_date(at, zone), answers=answers)
        for answered_at, due_at, answers in selectors.patient_prompts(
            access, since=now - timedelta(days=days + 1), until=now
        )
        .filter(state=PromptState.ANSWERED)
        .exclude(kind=Prompt.Kind.ROM)
        .values_list("answered_at", "due_at", "answers")
        if isinstance(answers, dict) and (at := answered_at or due_at) is not None
    ]
    answered = [a for a in answered if a.day >= first_day]
    wanted = bool(answered) or not charts_only
    dated = [note for note in _own_notes(access) if note.day is not None] if wanted else []
    day_notes = [
        NoteRow(day=note.day, text=note.text, public_id=str(note.public_id))
        for note in dated
        if note.day is not None and note.topic == DAY_TOPIC
    ] + _answer_notes((a.day, a.answers) for a in answered)
    by_topic: dict[str, list[NoteRow]] = {}
    for note in dated:
        if note.day is not None and note.topic != DAY_TOPIC:
            by_topic.setdefault(note.topic, []).append(
                NoteRow(day=note.day, text=note.text, public_id=str(note.public_id))
            )
    sliders = _sliders(schedules)
    daily = []
    for index, question in enumerate(sliders):
        means = tuple(d for d in _means(answered, question.key) if d.day >= first_day)
        if means:
            daily.append(
                _daily_chart(
                    index, question, means, first_day, last_day, day_notes, language, for_patient
                )
            )
    by_key = {q.key: q for q in sliders}
    pairings = tuple(
        chart
        for chart in (
            _pain_activity(by_key, answered, language, for_patient),
            _mood_activity(by_key, answered, language, for_patient),
        )
        if chart is not None
    )
    return DailyLife(
        daily=tuple(daily),
        pairings=pairings,
        day_notes=tuple(sorted(day_notes, key=lambda n: n.day, reverse=True)),
        topic_notes=by_topic,
        first_day=first_day,
        last_day=last_day,
    )


def chart_book(
    access: PatientAccess, *, now: datetime, language: str, for_patient: bool = False
) -> ChartBook:
    """Every feedback chart of the patient, with the notes on them (worded for the
    clinician unless ``for_patient``)."""
    life = daily_life(access, now=now, language=language, for_patient=for_patient)
    unknown_sex = norm_choice_of(access) or UnknownSexNorm.CONSERVATIVE
    rows = result_rows(results_for(access), language=_language(language), unknown_sex=unknown_sex)
    return ChartBook(
        courses=questionnaire_courses(
            rows,
            life.topic_notes,
            sex=access.patient.sex,
            language=language,
            unknown_sex=unknown_sex,
            for_patient=for_patient,
        ),
        daily=life.daily,
        pairings=life.pairings,
        day_notes=life.day_notes,
        first_day=life.first_day,
        last_day=life.last_day,
    )

"""The patient's results page, their charts and their notes: one audited call each."""

from __future__ import annotations

from datetime import date, datetime

from django.utils import timezone
from django.utils.translation import gettext as _

from maatwerk.core.instruments.reference import UnknownSexNorm
from maatwerk.web.analysis.selectors import norm_choice_of
from maatwerk.web.audit.audited import InputRefused, audited, valid_form
from maatwerk.web.common.actor import Actor
from maatwerk.web.common.pdf import render_pdf
from maatwerk.web.monitoring.chart_book import daily_life, questionnaire_courses
from maatwerk.web.monitoring.chart_render import pdf_figures
from maatwerk.web.monitoring.models import MonitoringSchedule
from maatwerk.web.ownresults.forms import NoteChangeForm, NoteForm, NoteRemoveForm
from maatwerk.web.ownresults.models import DAY_TOPIC, ResultNote
from maatwerk.web.ownresults.presenters import (
    OwnResultsPage,
    measure_courses,
    own_safety,
    scale_courses,
)
from maatwerk.web.patients.opening import Opened, PatientAccess, is_uuid
from maatwerk.web.personalized.selectors import measurements_of, sets_for
from maatwerk.web.questionnaires.results import result_rows
from maatwerk.web.questionnaires.selectors import results_for
from maatwerk.web.safety.selectors import own_open_signals

OBJECT_PAGE = "questionnaire_results"
OBJECT_NOTE = "result_note"


def results_page(access: PatientAccess, *, language: str, now: datetime) -> OwnResultsPage:
    """The page's content (no audit: :func:`own_results_read` and a refused note each
    write the one event of their request)."""
    notes: dict[str, list[ResultNote]] = {}
    for note in ResultNote.objects.filter(patient=access.patient).order_by("written_at"):
        notes.setdefault(note.topic, []).append(note)
    # The norm chosen for a patient without a norm for their sex: the verdict in words
    # and the chart's band use it, as the clinician's results page does.
    unknown_sex = norm_choice_of(access) or UnknownSexNorm.CONSERVATIVE
    rows = result_rows(results_for(access), language=language, unknown_sex=unknown_sex)
    life = daily_life(access, now=now, language=language)
    courses = {
        chart.topic: chart
        for chart in questionnaire_courses(
            rows,
            life.topic_notes,
            sex=access.patient.sex,
            language=language,
            unknown_sex=unknown_sex,
        )
    }
    sets = [(s, measurements_of(s)) for s in sets_for(access).filter(is_active=True)]
    # An open safety signal: the page opens with it, and "it goes better" points to it.
    signals = own_open_signals(access)
    return OwnResultsPage(
        safety=own_safety(signals, access.patient.gp_number),
        scales=scale_courses(
            rows, notes, courses, language=language, open_safety_signals=signals.count
        ),
        measures=measure_courses(sets, notes, language=language),
        daily=life.daily,
        pairings=life.pairings,
        day_notes=life.day_notes,
        first_day=life.first_day,
        last_day=life.last_day,
        can_note_days=bool(life.daily)
        or MonitoringSchedule.objects.filter(
            patient=access.patient, kind=MonitoringSchedule.Kind.EMA
        ).exists(),
    )


def own_results_read(actor: Actor, access: PatientAccess, *, language: str) -> OwnResultsPage:
    with audited(actor=actor, action="read", subject=access.subject(OBJECT_PAGE)):
        return results_page(access, language=language, now=timezone.now())


def own_results_pdf(actor: Actor, access: PatientAccess, *, language: str) -> bytes:
    """The results page and its charts as a PDF to bring to the consult (one ``print``
    event); the charts are the same Vega-Lite specifications, drawn on the server."""
    with audited(
        actor=actor, action="print", subject=access.subject(OBJECT_PAGE), detail="own charts pdf"
    ):
        now = timezone.now()
        page = results_page(access, language=language, now=now)
        charts = tuple(s.chart for s in page.scales if s.chart) + page.daily + page.pairings
        return render_pdf(
            "ownresults/page_pdf.html",
            {"page": page, "figures": pdf_figures(charts), "generated_at": now},
        )


def _check_day(topic: str, day: date | None, *, today: date) -> None:
    if topic == DAY_TOPIC and day is None:
        raise InputRefused({"day": [_("Choose the day your note is about.")]})
    if day is not None and day > today:
        raise InputRefused(
            {"day": [_("That day has not come yet. Choose today or a day before it.")]}
        )


def note_add(actor: Actor, access: PatientAccess, form: NoteForm) -> ResultNote:
    """Add the patient's note to one of their own results, or to a day of their charts."""
    with audited(actor=actor, action="create", subject=access.subject(OBJECT_NOTE)) as note:
        data = valid_form(form)
        topic = str(data["topic"])
        if not _is_own_topic(access, topic):
            raise InputRefused({"topic": [_("This result is not one of yours.")]})
        day = data.get("day")
        day = day if isinstance(day, date) else None
        _check_day(topic, day, today=timezone.localdate())
        created = ResultNote.objects.create(
            patient=access.patient, topic=topic, text=str(data["text"]), day=day
        )
        note.about(object_ref=str(created.public_id))
        return created


def note_read(actor: Actor, opened: Opened[ResultNote]) -> ResultNote:
    """One of the patient's notes, to change or remove it."""
    with audited(actor=actor, action="read", subject=opened.subject(OBJECT_NOTE)):
        return opened.object


def note_change(actor: Actor, opened: Opened[ResultNote], form: NoteChangeForm) -> ResultNote:
    """The patient changes the words or the day of their own note."""
    with audited(actor=actor, action="update", subject=opened.subject(OBJECT_NOTE)):
        data = valid_form(form)
        found = opened.object
        day = data.get("day")
        day = day if isinstance(day, date) else None
        _check_day(found.topic, day, today=timezone.localdate())
        found.text = str(data["text"])
        found.day = day
        found.changed_at = timezone.now()
        found.save(update_fields=["text", "day", "changed_at"])
        return found


def note_remove(actor: Actor, opened: Opened[ResultNote], form: NoteRemoveForm) -> None:
    """The patient removes their own note."""
    with audited(actor=actor, action="delete", subject=opened.subject(OBJECT_NOTE)):
        valid_form(form)
        opened.object.delete()


def _is_own_topic(access: PatientAccess, topic: str) -> bool:
    if topic == DAY_TOPIC:
        return MonitoringSchedule.objects.filter(
            patient=access.patient, kind=MonitoringSchedule.Kind.EMA
        ).exists()
    kind, _sep, rest = topic.partition(":")
    if kind == "scale":
        code, _sep, scale_id = rest.partition(":")
        return (
            results_for(access).filter(assignment__instrument_code=code, scale_id=scale_id).exists()
        )
    if kind == "measure":
        return is_uuid(rest) and sets_for(access).filter(public_id=rest).exists()
    return False

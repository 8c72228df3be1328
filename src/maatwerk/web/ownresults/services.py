"""The patient's results page and their notes: one audited call each."""

from __future__ import annotations

from django.utils.translation import gettext as _

from maatwerk.web.audit.audited import InputRefused, audited, valid_form
from maatwerk.web.common.actor import Actor
from maatwerk.web.ownresults.forms import NoteForm
from maatwerk.web.ownresults.models import ResultNote
from maatwerk.web.ownresults.presenters import (
    OwnResultsPage,
    measure_courses,
    scale_courses,
)
from maatwerk.web.patients.opening import PatientAccess, is_uuid
from maatwerk.web.personalized.selectors import measurements_of, sets_for
from maatwerk.web.questionnaires.results import result_rows
from maatwerk.web.questionnaires.selectors import results_for

OBJECT_PAGE = "questionnaire_results"
OBJECT_NOTE = "result_note"


def results_page(access: PatientAccess, *, language: str) -> OwnResultsPage:
    """The page's content (no audit: :func:`own_results_read` and a refused
    :func:`note_add` each write the one event of their request)."""
    notes: dict[str, list[ResultNote]] = {}
    for note in ResultNote.objects.filter(patient=access.patient).order_by("written_at"):
        notes.setdefault(note.topic, []).append(note)
    rows = result_rows(results_for(access), language=language)
    sets = [(s, measurements_of(s)) for s in sets_for(access).filter(is_active=True)]
    return OwnResultsPage(
        scales=scale_courses(rows, notes, language=language),
        measures=measure_courses(sets, notes, language=language),
    )


def own_results_read(actor: Actor, access: PatientAccess, *, language: str) -> OwnResultsPage:
    with audited(actor=actor, action="read", subject=access.subject(OBJECT_PAGE)):
        return results_page(access, language=language)


def note_add(actor: Actor, access: PatientAccess, form: NoteForm) -> ResultNote:
    """Add the patient's note to one of their own results."""
    with audited(actor=actor, action="create", subject=access.subject(OBJECT_NOTE)) as note:
        data = valid_form(form)
        topic = str(data["topic"])
        if not _is_own_topic(access, topic):
            raise InputRefused({"topic": [_("This result is not one of yours.")]})
        created = ResultNote.objects.create(
            patient=access.patient, topic=topic, text=str(data["text"])
        )
        note.about(object_ref=str(created.public_id))
        return created


def _is_own_topic(access: PatientAccess, topic: str) -> bool:
    kind, _sep, rest = topic.partition(":")
    if kind == "scale":
        code, _sep, scale_id = rest.partition(":")
        return (
            results_for(access).filter(assignment__instrument_code=code, scale_id=scale_id).exists()
        )
    if kind == "measure":
        return is_uuid(rest) and sets_for(access).filter(public_id=rest).exists()
    return False

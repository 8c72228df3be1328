from __future__ import annotations

from dataclasses import dataclass
from typing import TypedDict

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from maatwerk.core.access import Role
from maatwerk.core.instruments.model import Instrument, Item, OptionsResponseSet
from maatwerk.web.audit.audited import InputRefused
from maatwerk.web.common.http import ActorRequest
from maatwerk.web.patients.opening import open_child, open_own_record
from maatwerk.web.questionnaires import forms, reads, selectors, services
from maatwerk.web.questionnaires.models import Assignment
from maatwerk.web.questionnaires.selectors import OpenedAssignment


def _may_fill(request: ActorRequest) -> bool:
    actor = request.actor
    return actor.has_role(Role.PATIENT) or actor.has_role(Role.CLINICIAN)


@dataclass(frozen=True)
class Choice:
    value: str
    label: str
    checked: bool


@dataclass(frozen=True)
class Question:
    number: int
    item_id: str
    text: str
    text_unverified: bool
    choices: tuple[Choice, ...]
    error: str = ""


def _questions(
    instrument: Instrument, assignment: Assignment, errors: dict[str, list[str]] | None = None
) -> list[Question]:
    language = "en" if get_language() == "en" else "nl"
    saved = selectors.answers_of(assignment)
    respondent = services.respondent_for(assignment.patient)
    questions: list[Question] = []
    for position, item in enumerate(instrument.items, start=1):
        if not _applies(item, respondent.sex):
            continue
        resolved = item.text.resolve(language, fallback=True) if item.text else None
        current = saved.get(item.id)
        current_value = None
        if current is not None and current.not_applicable:
            current_value = services.NOT_APPLICABLE
        elif current is not None and current.value is not None:
            current_value = services.number_text(current.value)
        choices = _choices(instrument, item, language)
        if services.may_be_marked_not_applicable(item, assignment.patient):
            # Asked of one sex only and the sex is not recorded: the patient says whether
            # it applies. The numbering stays the instrument's either way.
            choices.append((services.NOT_APPLICABLE, _("This does not apply to me")))
        questions.append(
            Question(
                # The instrument's own numbering: item 5 stays "5." when item 4 is left out.
                number=position,
                item_id=item.id,
                text=resolved.text if resolved else item.id,
                text_unverified=bool(resolved and resolved.unverified),
                choices=tuple(
                    Choice(value=value, label=label, checked=value == current_value)
                    for value, label in choices
                ),
                error=" ".join((errors or {}).get(item.id, [])),
            )
        )
    return questions


def _applies(item: Item, sex: str | None) -> bool:
    """Whether to ask the item. With the sex not recorded (or neither female nor male) an
    item for one sex is asked too: an answer means it applies (the core counts it)."""
    if item.applies_to is None or item.applies_to.sex is None:
        return True
    return sex is None or sex in item.applies_to.sex


def _choices(instrument: Instrument, item: Item, language: str) -> list[tuple[str, str]]:
    response_set = instrument.response_set(item.response_set)
    if isinstance(response_set, OptionsResponseSet):
        return [
            (
                services.number_text(option.value),
                (option.label.get(language, fallback=True) if option.label else None)
                or services.number_text(option.value),
            )
            for option in response_set.options
        ]
    values = []
    current = response_set.min
    while current <= response_set.max:
        values.append((services.number_text(current), services.number_text(current)))
        current += response_set.step
    # The words at both ends ("0 – never aware"), so that a screen reader says them too.
    for position, anchor in ((0, response_set.min_label), (-1, response_set.max_label)):
        words = anchor.get(language, fallback=True) if anchor is not None else None
        if words and values:
            value, label = values[position]
            values[position] = (value, f"{label} – {words}")
    return values


def _open(request: ActorRequest, assignment_id: str, action: str) -> OpenedAssignment:
    if not _may_fill(request):
        raise Http404
    return open_child(
        actor=request.actor,
        model=Assignment,
        object_id=assignment_id,
        action=action,
        object_type=selectors.OBJECT_QUESTIONNAIRE,
    )


class FillContext(TypedDict):
    """The questionnaire page: the questions with their saved answers, or a closed form."""

    assignment: Assignment
    instrument: Instrument
    instrument_name: str | None
    instructions: str | None
    questions: list[Question]
    errors: dict[str, list[str]] | None
    closed: bool
    together: bool  # a clinician fills it in with the patient
    has_alert: bool


def _render_form(
    request: ActorRequest,
    opened: OpenedAssignment,
    *,
    has_alert: bool,
    errors: dict[str, list[str]] | None = None,
    status: int = 200,
) -> HttpResponse:
    instrument = services.instrument_of(opened.object)
    language = "en" if get_language() == "en" else "nl"
    context: FillContext = {
        "assignment": opened.object,
        "instrument": instrument,
        # The patient reads the patient name; filling it in together, the clinician reads
        # the full name.
        "instrument_name": instrument.name.get(language, fallback=True)
        if request.actor.has_role(Role.CLINICIAN)
        else instrument.patient_label(language),
        "instructions": instrument.instructions.get(language, fallback=True)
        if instrument.instructions
        else "",
        "questions": _questions(instrument, opened.object, errors),
        "errors": errors,
        "closed": opened.object.status
        in (Assignment.Status.COMPLETED, Assignment.Status.CANCELLED),
        "together": request.actor.has_role(Role.CLINICIAN),
        "has_alert": opened.by_patient and has_alert,
    }
    return render(request, "questionnaires/fill.html", context, status=status)


@require_http_methods(["GET"])
def fill(request: ActorRequest, assignment_id: str) -> HttpResponse:
    opened = _open(request, assignment_id, "read")
    has_alert = services.assignment_read(actor=request.actor, opened=opened)
    return _render_form(request, opened, has_alert=has_alert)


def _messages(refusal: InputRefused) -> list[str]:
    return [message for found in refusal.errors.values() for message in found]


@require_POST
def answer(request: ActorRequest, assignment_id: str) -> HttpResponse:
    """Autosave one answer (called by the page's script on every change)."""
    form = forms.AnswerForm(request.POST)
    form.is_valid()
    opened = _open(request, assignment_id, "update")
    try:
        saved = services.answer_save(
            actor=request.actor,
            form=form,
            opened=opened,
            item_id=str(form.cleaned_data.get("item", "")),
            raw_value=form.cleaned_data.get("value"),
        )
    except InputRefused as refusal:
        return JsonResponse({"saved": False, "errors": _messages(refusal)}, status=400)
    payload: dict[str, bool | str] = {"saved": True, "item": saved.item_id}
    if saved.safety_alert and request.actor.has_role(Role.PATIENT):
        payload["help_url"] = reverse("questionnaires:help_now")
    return JsonResponse(payload)


@require_POST
def submit(request: ActorRequest, assignment_id: str) -> HttpResponse:
    """Send in the questionnaire. Works without JavaScript: the answers in the form are
    saved first, then everything saved is scored."""
    form = forms.SubmitForm(request.POST)
    form.is_valid()
    opened = _open(request, assignment_id, "update")
    try:
        submission = services.assignment_submit(
            actor=request.actor, form=form, opened=opened, values=form.values()
        )
    except (InputRefused, ValidationError) as error:
        errors = (
            error.errors
            if isinstance(error, InputRefused)
            else error.message_dict
            if hasattr(error, "error_dict")
            else {"": error.messages}
        )
        errors = {("" if key == "__all__" else key): found for key, found in errors.items()}
        opened.object.refresh_from_db()
        has_alert = selectors.has_alerts(opened.object)
        return _render_form(request, opened, has_alert=has_alert, errors=errors, status=400)
    if opened.by_patient and (submission.alerts or selectors.has_alerts(opened.object)):
        return redirect("questionnaires:help_now")
    messages.success(request, _("Thank you. Your answers have been sent."))
    if request.actor.has_role(Role.CLINICIAN):
        return redirect("clinic:patient_results", patient_id=opened.access.patient.public_id)
    return redirect("portal:home")


def help_now(request: ActorRequest) -> HttpResponse:
    """Where to get help right now; shown after an answer that signals risk, with when
    the care team will see it (the same deadline the escalation uses)."""
    deadline = None
    gp_number = None
    if request.actor.has_role(Role.PATIENT) and request.actor.patient is not None:
        access = open_own_record(actor=request.actor, action="read", object_type="safety_alert")
        page = reads.help_now_read(actor=request.actor, access=access)
        deadline, gp_number = page.deadline, page.gp_number
    return render(
        request, "questionnaires/help_now.html", {"deadline": deadline, "gp_number": gp_number}
    )

"""One audit event per service call: success, refused or denied.

A service that reads or changes patient data wraps its work in :func:`audited`::

    def save_goal(actor: Actor, opened: PatientAccess, form: GoalForm) -> Goal:
        with audited(actor=actor, action="update", subject=opened.subject("goal")) as note:
            data = valid(form)                  # InputRefused -> one "refused" event
            goal = Goal.objects.create(...)
            note.about(object_ref=str(goal.public_id))
            return goal                         # one "success" event, same transaction

- **Success**: the event is written inside the transaction of the change, so the change
  and its event commit together or not at all.
- **Refused** (:class:`InputRefused` or Django's ``ValidationError``): the change is rolled
  back and one ``refused`` event is written after the rollback, then the error is raised
  again for the view to show with the form.
- **Denied** (``PermissionDenied`` or ``Http404`` raised inside the block): the same, with
  outcome ``denied``.

Services are the only writers of audit events: `tests/web/test_one_web_path.py` fails if
``audit_record`` is called outside this package and the patient opener.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, replace
from typing import Protocol, TypeVar

from django import forms
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.http import Http404

from maatwerk.web.audit.services import AuditSubject, audit_record
from maatwerk.web.common.actor import Actor

# The key under which errors that belong to no single field are reported (Django's own).
NON_FIELD = "__all__"


class InputRefused(Exception):
    """A service refused its input; ``errors`` maps each field to what is wrong with it."""

    def __init__(self, errors: Mapping[str, Sequence[str]] | str) -> None:
        if isinstance(errors, str):
            errors = {NON_FIELD: [errors]}
        self.errors: dict[str, list[str]] = {
            field: [str(message) for message in messages] for field, messages in errors.items()
        }
        super().__init__("; ".join(m for messages in self.errors.values() for m in messages))

    @classmethod
    def from_validation_error(cls, error: ValidationError) -> InputRefused:
        if hasattr(error, "error_dict"):
            return cls(error.message_dict)
        return cls({NON_FIELD: error.messages})

    def fields(self) -> str:
        """The fields that were wrong, for the audit detail (never the values typed)."""
        return ",".join(sorted(self.errors))


def valid_form(form: forms.Form) -> dict[str, object]:
    if not form.is_valid():
        raise InputRefused(
            {field: [str(m) for m in messages] for field, messages in form.errors.items()}
        )
    return dict(form.cleaned_data)


def valid_formset(formset: forms.BaseFormSet) -> list[dict[str, object]]:  # type: ignore[type-arg]
    if not formset.is_valid():
        errors: dict[str, list[str]] = {}
        for index, form in enumerate(formset.forms):
            for field, messages in form.errors.items():
                errors[f"{formset.prefix}-{index}-{field}"] = [str(m) for m in messages]
        non_form = [str(m) for m in formset.non_form_errors()]
        if non_form:
            errors[NON_FIELD] = non_form
        raise InputRefused(errors)
    return [
        dict(form.cleaned_data)
        for form in formset.forms
        if form.cleaned_data and not form.cleaned_data.get("DELETE", False)
    ]


def show_refusal(form: forms.Form, refusal: InputRefused) -> None:
    """Put a service's refusal on the form the view renders again (each error on its
    field when the form has that field, otherwise above the form)."""
    for field, messages in refusal.errors.items():
        target = field if field in form.fields else None
        for message in messages:
            if target is None or message not in form.errors.get(target, []):
                form.add_error(target, message)


Result = TypeVar("Result")


@dataclass(frozen=True)
class Refused:
    """A service refused the bound form: the errors are on the form's fields (and in
    ``errors`` for pages that show them themselves); the view renders the page again
    with ``status``."""

    errors: dict[str, list[str]]
    status: int = 400


def attempt(form: forms.Form, call: Callable[[], Result]) -> Result | Refused:
    """Run the view's one service call for its bound ``form``. A refusal is put on the
    form (:func:`show_refusal`) and returned instead of raised; the service has already
    written its one ``refused`` event::

        result = attempt(form, lambda: services.save(actor=actor, access=access, form=form))
        if isinstance(result, Refused):
            return render(request, template, {"form": form}, status=result.status)
    """
    try:
        return call()
    except InputRefused as refusal:
        show_refusal(form, refusal)
        return Refused(refusal.errors)


@dataclass
class AuditNote:
    """What the event will say; the service may fill it in while it works (for example
    the id of the object it just created)."""

    subject: AuditSubject
    detail: str = ""
    emergency: bool = False

    def about(self, *, object_ref: str | None = None, object_type: str | None = None) -> None:
        changes: dict[str, str] = {}
        if object_ref is not None:
            changes["object_ref"] = object_ref
        if object_type is not None:
            changes["object_type"] = object_type
        self.subject = replace(self.subject, **changes)


@contextmanager
def audited(
    *,
    actor: Actor,
    action: str,
    subject: AuditSubject,
    emergency: bool = False,
    detail: str = "",
) -> Iterator[AuditNote]:
    """Run the block in one transaction and write exactly one audit event for it."""
    note = AuditNote(subject=subject, detail=detail, emergency=emergency)
    try:
        with transaction.atomic():
            yield note
            _write(actor, action, note, "success")
    except InputRefused as refusal:
        _write(actor, action, note, "refused", f"refused: {refusal.fields()}")
        raise
    except ValidationError as error:
        refused = InputRefused.from_validation_error(error)
        _write(actor, action, note, "refused", f"refused: {refused.fields()}")
        raise refused from error
    except (PermissionDenied, Http404):
        _write(actor, action, note, "denied")
        raise


class OpenedRecord(Protocol):
    """What every scoped opener returns (a patient's record or a child object of it)."""

    @property
    def emergency(self) -> bool: ...

    def subject(self, object_type: str) -> AuditSubject: ...


def record_read(*, actor: Actor, opened: OpenedRecord, object_type: str, detail: str = "") -> None:
    """A page of patient data was read: one ``read`` event, under an emergency grant
    marked as such. Nothing changes, so the audited block is empty."""
    with audited(
        actor=actor,
        action="read",
        subject=opened.subject(object_type),
        emergency=opened.emergency,
        detail=detail,
    ):
        pass


def record_denial(*, actor: Actor, action: str, subject: AuditSubject, detail: str = "") -> None:
    """A request refused before any service ran (a page closed to the actor's role, an
    object out of scope): one ``denied`` event, so every refusal is in the trail."""
    audit_record(actor=actor, action=action, outcome="denied", subject=subject, detail=detail)


def _write(
    actor: Actor, action: str, note: AuditNote, outcome: str, detail: str | None = None
) -> None:
    audit_record(
        actor=actor,
        action=action,
        outcome=outcome,
        subject=note.subject,
        emergency=note.emergency,
        detail=note.detail if detail is None else detail,
    )

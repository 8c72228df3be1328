"""Starting, saving, sharing and answering a formulation.

Every save stores a new version (never an overwrite). Each service runs inside
:func:`maatwerk.web.audit.audited.audited`: it takes the bound form or formsets of its use
case (``forms.py``), the core validates the whole new formulation, and when anything is
refused nothing is written and ``InputRefused`` (each problem on its form field) goes
back to the view; exactly one audit event (success, refused or denied) per call.
"""

from __future__ import annotations

from collections.abc import Callable

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from maatwerk.core.formulation import (
    DiagramRenderError,
    FormulationError,
    bundled_formulation_content,
    check_factor_references,
    diagram_titles,
    formulation_to_json,
    prefill_from_profile,
    render_svg,
    to_dot,
    with_current_words,
)
from maatwerk.core.formulation import Formulation as CoreFormulation
from maatwerk.core.formulation.model import CircleGraph
from maatwerk.core.instruments.base import Language
from maatwerk.web.accounts.models import User
from maatwerk.web.audit.audited import (
    InputRefused,
    audited,
    record_read,
    valid_form,
    valid_formset,
)
from maatwerk.web.common.actor import Actor
from maatwerk.web.formulation import editing
from maatwerk.web.formulation.forms import (
    CircleForm,
    ResponseForm,
    StartForm,
    StepRow,
    StepRows,
)
from maatwerk.web.formulation.models import Formulation, FormulationVersion, PatientResponse
from maatwerk.web.formulation.selectors import (
    OBJECT_FORMULATION,
    OBJECT_RESPONSE,
    FormulationAccess,
    agreement_holds,
    current_version,
    document_of,
    latest_shared_version,
)
from maatwerk.web.knowledge.selectors import knowledge_for, screening_content_for
from maatwerk.web.patients.opening import PatientAccess
from maatwerk.web.screening.selectors import latest_profile_of_patient
from maatwerk.web.treatment.services.assignments import modules_assign

NOTE_MAX_LENGTH = 200


def patient_language(access: PatientAccess) -> Language:
    """The language the patient reads: the explanation and diagram are written in it."""
    return "en" if access.patient.language == "en" else "nl"


def _user(actor: Actor) -> User:
    if actor.user is None:
        raise PermissionDenied
    return actor.user


# ------------------------------------------------------------------ reads


def patient_read(*, actor: Actor, access: PatientAccess, detail: str) -> None:
    """The formulation page of a patient (or the page to start one) was read."""
    record_read(actor=actor, opened=access, object_type=OBJECT_FORMULATION, detail=detail)


def formulation_read(*, actor: Actor, opened: FormulationAccess, detail: str) -> None:
    """A page of the formulation was read (one ``read`` event)."""
    record_read(actor=actor, opened=opened, object_type=OBJECT_FORMULATION, detail=detail)


# ------------------------------------------------------------------ diagram


def diagram_svg(graph: CircleGraph, *, language: Language) -> str:
    """The circle as inline SVG; raises ``DiagramRenderError`` when Graphviz is missing or
    fails (the caller shows the text alternative instead)."""
    if not graph.nodes:
        raise DiagramRenderError("the circle has no nodes yet")
    return render_svg(
        to_dot(graph, language=language),
        dot_binary=settings.MAATWERK_GRAPHVIZ_DOT,
        titles=diagram_titles(graph),
    )


# ------------------------------------------------------------------ start


def formulation_start(*, actor: Actor, access: PatientAccess, form: StartForm) -> Formulation:
    """Create the patient's formulation with version 1: a draft from the latest screening
    profile (``prefill_from_profile``), or empty."""
    with audited(
        actor=actor,
        action="create",
        subject=access.subject(OBJECT_FORMULATION),
        emergency=access.emergency,
    ) as note:
        user = _user(actor)
        from_screening = valid_form(form)["source"] == "screening"
        if Formulation.objects.filter(patient=access.patient).exists():
            raise InputRefused(_("This patient already has a formulation."))
        document = CoreFormulation()
        version_note = _("Started empty")
        if from_screening:
            stored = latest_profile_of_patient(access)
            if stored is None:
                raise InputRefused(
                    {"source": [_("This patient has no screening profile yet. Start empty.")]}
                )
            organization_id = access.patient.organization_id
            document = prefill_from_profile(
                stored.profile,
                knowledge=knowledge_for(organization_id),
                content=bundled_formulation_content(),
                language=patient_language(access),
                screening=screening_content_for(organization_id),
            )
            # Stored untranslated; the history shows it in the reader's language.
            version_note = gettext_noop("Started from the screening")
        formulation = Formulation.objects.create(patient=access.patient, created_by=user)
        FormulationVersion.objects.create(
            formulation=formulation,
            number=1,
            document=formulation_to_json(document),
            saved_by=user,
            note=version_note,
        )
        note.about(object_ref=str(formulation.public_id))
        note.detail = "started from the screening" if from_screening else "started empty"
    return formulation


# ------------------------------------------------------------------ save


def _edit(
    *,
    actor: Actor,
    opened: FormulationAccess,
    note: str,
    change: Callable[[CoreFormulation], editing.Draft],
) -> FormulationVersion:
    """Store the changed formulation as the next version. The formulation row is locked
    first, so the change is made to the version that is current when it is written."""
    with audited(
        actor=actor,
        action="update",
        subject=opened.subject(OBJECT_FORMULATION),
        emergency=opened.emergency,
        detail=f"refused: {note}"[:200],
    ) as audit:
        if opened.by_patient:  # pragma: no cover - the opener admits the care team only
            raise PermissionDenied
        user = _user(actor)
        formulation = Formulation.objects.select_for_update().get(pk=opened.object.pk)
        current = document_of(current_version(formulation))
        draft = change(current)
        if draft.errors:
            raise InputRefused(draft.errors)
        try:
            document = with_current_words(draft.build())
            check_factor_references(document, knowledge_for(opened.access.patient.organization_id))
        except FormulationError as error:
            raise InputRefused(editing.field_errors(error, draft.field_for)) from None
        number = (formulation.versions.aggregate(last=Max("number"))["last"] or 0) + 1
        version = FormulationVersion.objects.create(
            formulation=formulation,
            number=number,
            document=formulation_to_json(document),
            saved_by=user,
            note=note[:NOTE_MAX_LENGTH],
        )
        audit.detail = f"version {number}: {note}"[:200]
        _agreement_still_holds(formulation, version, patient_language(opened.access))
    return version


def _agreement_still_holds(
    formulation: Formulation, version: FormulationVersion, language: Language
) -> None:
    """When what the patient reads changed since they said "this fits me", the
    formulation is no longer agreed: it goes back to shared, and the patient is asked
    again once the new version is shared (issue 12)."""
    if formulation.status != Formulation.Status.AGREED:
        return
    if not agreement_holds(formulation, version, language):
        formulation.status = Formulation.Status.SHARED
        formulation.save(update_fields=["status"])


def formulation_change(
    *,
    actor: Actor,
    opened: FormulationAccess,
    note: str,
    change: Callable[[CoreFormulation], CoreFormulation],
) -> FormulationVersion:
    """Store ``change(current version)`` as the next version, for changes another part of
    the platform proposes (arrows from the personal network). ``change`` refuses with
    ``InputRefused``; the refusal is the one audit event, nothing is saved."""
    return _edit(
        actor=actor,
        opened=opened,
        note=note,
        change=lambda current: editing.Draft(lambda: change(current), lambda path: None, {}),
    )


def formulation_save(
    *, actor: Actor, opened: FormulationAccess, document: CoreFormulation, note: str
) -> FormulationVersion:
    """Store ``document`` as the formulation's next version. Factor ids must be known to
    the organization's knowledge base (``InputRefused`` otherwise, nothing saved)."""
    return _edit(
        actor=actor,
        opened=opened,
        note=note,
        change=lambda current: editing.Draft(lambda: document, lambda path: None, {}),
    )


def step_save(
    *, actor: Actor, opened: FormulationAccess, step: editing.Step, posted: tuple[StepRows, ...]
) -> FormulationVersion:
    """One of the four steps: its rows, as posted, make the next version."""
    return _edit(
        actor=actor,
        opened=opened,
        note=step.note,
        change=lambda current: step.parse(current, _rows_or_refused(*posted)),
    )


def _rows_or_refused(*formsets: StepRows) -> tuple[list[StepRow], ...]:
    """Every formset's valid rows in the order posted (so a problem of the core maps back
    to the row it came from), or one refusal with the problems of all of them."""
    errors: dict[str, list[str]] = {}
    for formset in formsets:
        try:
            valid_formset(formset)
        except InputRefused as refusal:
            errors.update(refusal.errors)
    if errors:
        raise InputRefused(errors)
    return tuple(list(formset.forms) for formset in formsets)


def circle_save(*, actor: Actor, opened: FormulationAccess, form: CircleForm) -> FormulationVersion:
    """One change of the circle."""

    def change(current: CoreFormulation) -> editing.Draft:
        valid_form(form)
        return editing.circle_change(current, form.change())

    return _edit(
        actor=actor,
        opened=opened,
        note=f"circle: {form.action_name() or 'unknown change'}",
        change=change,
    )


# ------------------------------------------------------------------ share and respond


def formulation_share(*, actor: Actor, opened: FormulationAccess) -> FormulationVersion:
    """Share the current version with the patient (the patient always sees the newest
    shared version)."""
    with audited(
        actor=actor,
        action="update",
        subject=opened.subject(OBJECT_FORMULATION),
        emergency=opened.emergency,
    ) as note:
        if opened.by_patient:  # pragma: no cover - the opener admits the care team only
            raise PermissionDenied
        user = _user(actor)
        formulation = Formulation.objects.select_for_update().get(pk=opened.object.pk)
        version = current_version(formulation)
        if version.shared_at is None:
            version.shared_at = timezone.now()
            version.shared_by = user
            version.save(update_fields=["shared_at", "shared_by"])
        # The patient is asked only when the text differs from what they agreed with.
        if not agreement_holds(formulation, version, patient_language(opened.access)):
            formulation.status = Formulation.Status.SHARED
            formulation.save(update_fields=["status"])
        note.detail = f"shared version {version.number} with the patient"
    return version


def response_record(
    *, actor: Actor, opened: FormulationAccess, form: ResponseForm
) -> PatientResponse:
    """The patient's answer to the newest shared version: agrees, or comments."""
    version = latest_shared_version(opened.object)
    with audited(
        actor=actor,
        action="create",
        subject=opened.access.subject(
            OBJECT_RESPONSE, str(version.public_id) if version is not None else ""
        ),
        emergency=opened.emergency,
    ) as note:
        if not opened.by_patient or version is None:
            raise PermissionDenied
        user = _user(actor)
        data = valid_form(form)
        agreed = data["answer"] == "agree"
        response = PatientResponse.objects.create(
            version=version,
            agreed=agreed,
            comment=str(data["comment"]).strip(),
            answered_by=user,
        )
        Formulation.objects.filter(pk=opened.object.pk).update(
            status=Formulation.Status.AGREED if agreed else Formulation.Status.SHARED
        )
        note.about(object_ref=str(response.public_id))
        note.detail = f"version {version.number}: {'agrees' if agreed else 'comments'}"
    return response


# ------------------------------------------------------------------ step 4: homework

COMPLAINTS_DIARY = "complaints_diary"


def diary_propose(*, actor: Actor, opened: FormulationAccess) -> None:
    """Step 4: give the patient the complaints diary as the first homework, through the
    treatment app's own service (which writes the one audit event of this call, and
    keeps a diary that is already open as it is)."""
    if opened.by_patient:  # pragma: no cover - the opener admits the care team only
        raise PermissionDenied
    modules_assign(
        actor=actor,
        access=opened.access,
        module_ids=[COMPLAINTS_DIARY],
        plan_ref=f"formulation step 4 {opened.object.public_id}"[:64],
    )

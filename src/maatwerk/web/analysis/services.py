"""Importing EMA data, linking it to the circle, choosing a norm, adding arrows.

Each service owns its transaction and writes one audit event through
:func:`~maatwerk.web.audit.audited.audited` (success, refused or denied; a refusal saves
nothing). Adding arrows to the formulation goes
through the formulation service, which stores a new version and audits it.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field, replace

from django import forms
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from maatwerk.core.analysis.circle_network import with_arrows
from maatwerk.core.analysis.ema import EmaProblem, EmaProblemKind
from maatwerk.core.analysis.ema import parse_ema_csv as parse
from maatwerk.core.formulation import Formulation as CoreFormulation
from maatwerk.core.formulation import FormulationError
from maatwerk.web.accounts.models import User
from maatwerk.web.analysis.models import ChangeNormChoice, EmaImport, NetworkEstimate
from maatwerk.web.analysis.network import (
    NetworkPageContext,
    PatientNetworkContext,
    current_circle,
    network_page,
    patient_network_page,
)
from maatwerk.web.analysis.selectors import OBJECT_EMA, OBJECT_NETWORK, OBJECT_NORM, latest_import
from maatwerk.web.analysis.tasks import network_estimate
from maatwerk.web.audit.audited import AuditNote, InputRefused, audited, valid_form
from maatwerk.web.common.actor import Actor
from maatwerk.web.common.pdf import render_pdf
from maatwerk.web.formulation import selectors as formulation_selectors
from maatwerk.web.formulation import services as formulation_services
from maatwerk.web.formulation.models import FormulationVersion
from maatwerk.web.formulation.selectors import FormulationAccess
from maatwerk.web.patients.opening import PatientAccess

MAX_UPLOAD_BYTES = 2 * 1024 * 1024
"""Largest CSV file accepted (5,000 rows of 12 numbers fit easily; operational limit)."""


def _problem_text(problem: EmaProblem) -> str:
    p = problem.params
    texts = {
        EmaProblemKind.NOT_TEXT: _("The file is not a CSV text file (UTF-8)."),
        EmaProblemKind.EMPTY: _("The file is empty."),
        EmaProblemKind.NO_ROWS: _("The file has a header row but no beeps."),
        EmaProblemKind.TOO_MANY_ROWS: _(
            "The file has %(rows)s beeps; at most %(limit)s are accepted."
        ),
        EmaProblemKind.UNKNOWN_COLUMN: _(
            "The file has no column %(columns)s. Its columns are: %(header)s."
        ),
        EmaProblemKind.DUPLICATE_COLUMN: _("The column %(columns)s appears more than once."),
        EmaProblemKind.TOO_FEW_VARIABLES: _("A network needs at least two variables."),
        EmaProblemKind.TOO_MANY_VARIABLES: _(
            "The file has %(count)s variables; at most %(limit)s are accepted."
        ),
        EmaProblemKind.NOT_A_NUMBER: _(
            "Line %(line)s, column %(column)s: “%(value)s” is not a number (use a decimal "
            "point, no units)."
        ),
        EmaProblemKind.MISSING_VALUES: _(
            "%(count)s values are missing (lines %(lines)s). Remove those beeps; with a beep "
            "column the gaps are taken into account."
        ),
        EmaProblemKind.EMPTY_DAY: _("Column %(column)s: the day is empty on lines %(lines)s."),
        EmaProblemKind.BAD_BEEP: _(
            "Line %(line)s, column %(column)s: the beep “%(value)s” is not a whole number."
        ),
    }
    return texts[problem.kind] % p


@dataclass(frozen=True)
class EmaUpload:
    """The typed upload; ``problems`` are the form's own errors (refused, and audited,
    by the service like any other refusal)."""

    data: bytes
    filename: str
    variables: tuple[str, ...]
    day: str | None
    beep: str | None
    problems: Mapping[str, Sequence[str]] = field(default_factory=dict)


@contextmanager
def _audited_on(
    access: PatientAccess,
    *,
    actor: Actor,
    action: str,
    object_type: str,
    detail: str = "",
    by_patient: bool = False,
) -> Iterator[tuple[AuditNote, User]]:
    """One audited call on an opened patient, by their clinician (or, with
    ``by_patient``, by the patient on their own record); anyone else is denied."""
    with audited(
        actor=actor,
        action=action,
        subject=access.subject(object_type),
        emergency=access.emergency,
        detail=detail,
    ) as note:
        if actor.user is None or access.by_patient is not by_patient:
            raise PermissionDenied
        yield note, actor.user


def _default_links(variables: Sequence[str], access: PatientAccess) -> dict[str, str]:
    """Link a variable to the box whose words are the same (ignoring case)."""
    formulation = formulation_selectors.formulation_of_patient(access)
    if formulation is None:
        return {}
    circle = formulation_selectors.document_of(
        formulation_selectors.current_version(formulation)
    ).circle
    by_label = {node.label.strip().lower(): node.id for node in circle.nodes}
    return {v: by_label[v.strip().lower()] for v in variables if v.strip().lower() in by_label}


def network_read(*, actor: Actor, access: PatientAccess, language: str) -> NetworkPageContext:
    """The personal network page of an opened patient (one ``read`` event)."""
    with _audited_on(
        access, actor=actor, action="read", object_type=OBJECT_NETWORK, detail="personal network"
    ):
        return network_page(access, language)


def network_pdf(*, actor: Actor, access: PatientAccess, language: str) -> bytes:
    """The clinician's network page as a PDF: both pictures, the links in words and the
    comparison with the circle (one ``print`` event)."""
    with _audited_on(
        access,
        actor=actor,
        action="print",
        object_type=OBJECT_NETWORK,
        detail="personal network pdf",
    ):
        context = network_page(access, language)
        context["generated_at"] = timezone.now()
        return render_pdf("analysis/network_pdf.html", context)


def network_pdf_own(*, actor: Actor, access: PatientAccess) -> bytes:
    """The patient's shared network as a PDF, in B1 words (one ``print`` event)."""
    with _audited_on(
        access,
        actor=actor,
        action="print",
        object_type=OBJECT_NETWORK,
        detail="own personal network pdf",
        by_patient=True,
    ):
        context = patient_network_page(access)
        if not context["shared"]:
            raise InputRefused(
                _("Your care provider has not shared anything from your diary with you yet.")
            )
        context["generated_at"] = timezone.now()
        return render_pdf("analysis/mine_pdf.html", context)


def ema_import(*, actor: Actor, access: PatientAccess, upload: EmaUpload) -> EmaImport:
    """Store the patient's EMA data from a CSV file and estimate its network in the
    background (once per distinct series). Refused input raises ``InputRefused``."""
    with _audited_on(access, actor=actor, action="create", object_type=OBJECT_EMA) as (
        note,
        user,
    ):
        if upload.problems:
            raise InputRefused(upload.problems)
        if len(upload.data) > MAX_UPLOAD_BYTES:
            raise InputRefused(
                {
                    "file": [
                        _("The file is larger than %(size)s MB.")
                        % {"size": MAX_UPLOAD_BYTES // 2**20}
                    ]
                }
            )
        try:
            series = parse(
                upload.data,
                variables=upload.variables,
                day=upload.day or None,
                beep=upload.beep or None,
            )
        except EmaProblem as problem:
            raise InputRefused({"file": [_problem_text(problem)]}) from None
        input_hash = series.input_hash()
        imported = EmaImport.objects.create(
            patient=access.patient,
            uploaded_by=user,
            filename=upload.filename[:200],
            series=series.as_dict(),
            input_hash=input_hash,
            links=_default_links(series.variables, access),
        )
        NetworkEstimate.objects.get_or_create(patient=access.patient, input_hash=input_hash)
        note.about(object_ref=str(imported.public_id))
        note.detail = f"{len(series.values)} beeps, {len(series.variables)} variables"
        patient_id = access.patient.pk
        transaction.on_commit(lambda: network_estimate.enqueue(patient_id))
    return imported


def network_share(*, actor: Actor, access: PatientAccess) -> EmaImport:
    """Let the patient see the network of their newest diary data (after the talk)."""
    with _audited_on(
        access,
        actor=actor,
        action="update",
        object_type=OBJECT_NETWORK,
        detail="shared with the patient",
    ) as (note, _user):
        imported = latest_import(access)
        if imported is None:
            raise InputRefused({"share": [_("Import diary data first.")]})
        note.about(object_ref=str(imported.public_id))
        if imported.shared_at is None:
            imported.shared_at = timezone.now()
            imported.save(update_fields=["shared_at"])
    return imported


def network_read_own(*, actor: Actor, access: PatientAccess) -> PatientNetworkContext:
    """The patient's own network page: only what the clinician shared (one ``read``)."""
    with _audited_on(
        access,
        actor=actor,
        action="read",
        object_type=OBJECT_NETWORK,
        detail="own personal network",
        by_patient=True,
    ):
        return patient_network_page(access)


def ema_links_save(*, actor: Actor, access: PatientAccess, form: forms.Form) -> EmaImport:
    """Link the variables of the newest import to boxes of the circle (or to none)."""
    with _audited_on(
        access,
        actor=actor,
        action="update",
        object_type=OBJECT_EMA,
        detail="variables linked to the circle",
    ) as (note, _user):
        links = _links_of(valid_form(form))
        imported = latest_import(access)
        if imported is None:
            raise InputRefused({"links": [_("Import diary data first.")]})
        note.about(object_ref=str(imported.public_id))
        variables = list(imported.series["variables"])
        _formulation, circle = current_circle(access)
        known_nodes = {node.id for node in circle.nodes}
        unknown = [node for node in links.values() if node and node not in known_nodes]
        if unknown or any(v not in variables for v in links):
            raise InputRefused({"links": [_("Choose a box of the vicious circle, or none.")]})
        imported.links = {v: links[v] for v in variables if links.get(v)}
        imported.save(update_fields=["links"])
    return imported


def _links_of(data: Mapping[str, object]) -> dict[str, str]:
    """Question → box (empty: none) from the cleaned ``count`` / ``var-N`` / ``node-N``."""
    count = data["count"]
    rows = count if isinstance(count, int) else 0
    return {str(data[f"var-{n}"]): str(data[f"node-{n}"]) for n in range(rows)}


def norm_choice_save(*, actor: Actor, access: PatientAccess, form: forms.Form) -> ChangeNormChoice:
    """Which norm reliable change uses for a patient whose sex has no norm of its own."""
    with _audited_on(access, actor=actor, action="update", object_type=OBJECT_NORM) as (
        note,
        user,
    ):
        choice = str(valid_form(form)["norm"])
        note.detail = f"norm: {choice}"
        row, _created = ChangeNormChoice.objects.update_or_create(
            patient=access.patient, defaults={"choice": choice, "chosen_by": user}
        )
    return row


def network_arrows_add(
    *,
    actor: Actor,
    opened: FormulationAccess,
    form: forms.Form,
    label: str | None,
) -> FormulationVersion:
    """A new formulation version whose circle has the chosen arrows added (through the
    formulation service, which stores the version and writes its one audit event; the
    form is checked inside it, so a refusal is that one event too)."""

    def add_arrows(document: CoreFormulation) -> CoreFormulation:
        chosen = valid_form(form)["edge"]
        additions = [(str(a), str(b)) for a, b in chosen] if isinstance(chosen, list) else []
        try:
            circle = with_arrows(document.circle, additions, label=label)
        except FormulationError:
            raise InputRefused(
                {"edge": [_("These arrows cannot be added to the circle.")]}
            ) from None
        if len(circle.edges) == len(document.circle.edges):
            raise InputRefused(
                {"edge": [_("Choose at least one arrow that is not in the circle yet.")]}
            )
        return replace(document, circle=circle)

    return formulation_services.formulation_change(
        actor=actor,
        opened=opened,
        note=_("Arrows added from the personal network"),
        change=add_arrows,
    )

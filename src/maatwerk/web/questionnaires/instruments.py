"""Which instruments an organization uses: the bundled definitions (with the
organization's licensed item texts applied when it imported them) and the instruments it
imported itself as FHIR Questionnaires (``ImportedInstrument``, that organization only).

An imported instrument never has a bundled instrument's code, so a code names either a
bundled instrument or one of the organization's own; clinicians assign, patients fill in
and the core scores both in the same way.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Callable
from datetime import datetime
from functools import cache
from typing import Any, NoReturn, TypeVar

from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _

from maatwerk.core.access import Role
from maatwerk.core.common.untrusted_input import load_json
from maatwerk.core.fhir.errors import FhirMappingError
from maatwerk.core.fhir.questionnaire import questionnaire_to_instrument
from maatwerk.core.instruments.errors import InstrumentDefinitionError, UnknownInstrument
from maatwerk.core.instruments.licensed_texts import apply_licensed_texts, load_licensed_texts_json
from maatwerk.core.instruments.model import Instrument
from maatwerk.core.instruments.registry import (
    bundled_instruments,
    get_instrument,
    select_instrument,
)
from maatwerk.web.accounts.models import User
from maatwerk.web.audit.audited import InputRefused, audited
from maatwerk.web.audit.services import AuditSubject
from maatwerk.web.common.actor import Actor
from maatwerk.web.common.prepared import PreparedQuery
from maatwerk.web.organizations.models import Organization
from maatwerk.web.questionnaires.models import Assignment, ImportedInstrument, LicensedTexts

logger = logging.getLogger(__name__)

MAX_TEXT_FILE_BYTES = 1_000_000
MAX_QUESTIONNAIRE_FILE_BYTES = 1_000_000
_CODE_LENGTH = ImportedInstrument._meta.get_field("code").max_length or 40
_VERSION_LENGTH = ImportedInstrument._meta.get_field("version").max_length or 20


@cache
def bundled_codes() -> frozenset[str]:
    """The codes of the bundled instruments: an organization cannot import these."""
    return frozenset(instrument.code for instrument in bundled_instruments())


# --------------------------------------------------------------------- imported instruments

# Definitions parsed from stored rows, kept per stored version of the row (its id and
# when it was imported: a new import is a new version); cleared when full.
_loaded: dict[tuple[str, int, str], Instrument] = {}
_LOADED_MAX = 512


MadeInstrument = TypeVar("MadeInstrument", Instrument, Instrument | None)


def _kept(
    kind: str, pk: int, imported_at: datetime, make: Callable[[], MadeInstrument]
) -> MadeInstrument:
    """The definition made from this stored version of a row, made once (``None``, not
    kept: it could not be made)."""
    key = (kind, pk, imported_at.isoformat())
    instrument = _loaded.get(key)
    if instrument is None:
        instrument = make()
        if instrument is not None:
            if len(_loaded) >= _LOADED_MAX:
                _loaded.clear()
            _loaded[key] = instrument
    return instrument


def imported_instrument(stored: ImportedInstrument) -> Instrument | None:
    """The instrument in a stored import (parsed once per stored version), or ``None``
    (logged) when it no longer loads, e.g. after a stricter definition schema."""

    def parse() -> Instrument | None:
        try:
            return questionnaire_to_instrument(stored.resource)
        except FhirMappingError:
            logger.exception(
                "imported instrument %s %s of organization %s no longer loads",
                stored.code,
                stored.version,
                stored.organization_id,
            )
            return None

    return _kept("imported", stored.pk, stored.imported_at, parse)


def _imported(organization_id: int, code: str | None = None) -> list[Instrument]:
    stored = ImportedInstrument.objects.filter(organization_id=organization_id)
    if code is not None:
        stored = stored.filter(code=code)
    loaded = (imported_instrument(row) for row in stored)
    return [instrument for instrument in loaded if instrument is not None]


def _texts_complete(instrument: Instrument) -> bool:
    return all(item.text is not None for item in instrument.items)


def instrument_for(organization_id: int, code: str, version: str | None = None) -> Instrument:
    """The definition this organization uses: a bundled one (with its licensed texts if it
    has them) or one it imported. ``version=None``: the latest version. Raises
    ``UnknownInstrument`` when the organization has no such instrument (version)."""
    if code not in bundled_codes():
        return select_instrument(_imported(organization_id, code), code, version)
    instrument = get_instrument(code, version)
    stored = _LICENSED_TEXTS_VERSION.first(
        organization_id=organization_id, code=instrument.code, version=instrument.version
    )
    if stored is None:
        return instrument
    texts_pk, imported_at = stored

    def with_texts() -> Instrument:
        document = LicensedTexts.objects.values_list("document", flat=True).get(pk=texts_pk)
        return apply_licensed_texts(
            instrument,
            load_licensed_texts_json(json.dumps(document), origin="stored licensed texts"),
            origin=f"licensed texts of organization {organization_id}",
        )

    return _kept("licensed texts", texts_pk, imported_at, with_texts)


# An answer save asks for its questionnaire's definition: whether the organization has
# licensed texts for it is one query compiled once per process, and the definition with
# the texts applied is kept per stored version of the texts (:func:`_kept`).
_LICENSED_TEXTS_VERSION: PreparedQuery[Any] = PreparedQuery(
    lambda organization_id, code, version: (
        LicensedTexts.objects.filter(
            organization_id=organization_id, instrument_code=code, instrument_version=version
        )
        .order_by("pk")
        .values_list("pk", "imported_at")[:1]
    ),
    {
        "organization_id": (LicensedTexts, "organization"),
        "code": (LicensedTexts, "instrument_code"),
        "version": (LicensedTexts, "instrument_version"),
    },
)


def has_item_texts(organization_id: int, instrument: Instrument) -> bool:
    """Whether this organization can administer ``instrument``: a bundled one whose texts
    are shipped or imported, or one the organization imported itself (texts included)."""
    if instrument.code not in bundled_codes():
        return _texts_complete(instrument) and (
            ImportedInstrument.objects.filter(
                organization_id=organization_id,
                code=instrument.code,
                version=instrument.version,
            ).exists()
        )
    return (
        instrument.licence.item_texts_shipped
        or LicensedTexts.objects.filter(
            organization_id=organization_id,
            instrument_code=instrument.code,
            instrument_version=instrument.version,
        ).exists()
    )


def instruments_for(organization_id: int) -> list[tuple[Instrument, bool]]:
    """Every bundled instrument and the latest version of each instrument this
    organization imported (what assigning its code gives), each with whether the
    organization can administer it (as :func:`has_item_texts`)."""
    # The organization's licensed texts read once, not one query per instrument version.
    licensed = set(
        LicensedTexts.objects.filter(organization_id=organization_id).values_list(
            "instrument_code", "instrument_version"
        )
    )
    bundled = [
        (
            instrument,
            instrument.licence.item_texts_shipped
            or (instrument.code, instrument.version) in licensed,
        )
        for instrument in bundled_instruments()
    ]
    latest: dict[str, Instrument] = {}
    for instrument in _imported(organization_id):
        known = latest.get(instrument.code)
        if known is None or instrument.version_key > known.version_key:
            latest[instrument.code] = instrument
    own = [(instrument, _texts_complete(instrument)) for instrument in latest.values()]
    return sorted(bundled + own, key=lambda pair: (pair[0].code, pair[0].version_key))


def imported_instruments_of(organization_id: int) -> list[tuple[ImportedInstrument, bool]]:
    """Every instrument version the organization imported, and whether an assignment
    uses it (then it can no longer be replaced)."""
    stored = list(
        ImportedInstrument.objects.filter(organization_id=organization_id).select_related(
            "imported_by"
        )
    )
    used = set(
        Assignment.objects.filter(
            patient__organization_id=organization_id,
            instrument_code__in={row.code for row in stored},
        )
        .values_list("instrument_code", "instrument_version")
        .distinct()
    )
    return [(row, (row.code, row.version) in used) for row in stored]


def _fhir_problem_messages(error: FhirMappingError) -> list[str]:
    """Every problem of a refused Questionnaire: what it means (translated) and the
    technical detail (location and message, as the core reports them)."""
    if error.what == "invalid FHIR Questionnaire":
        kind = _("Not a valid FHIR R4 Questionnaire")
    elif error.what == "cannot import this Questionnaire as a Maatwerk instrument":
        kind = _(
            "The Maatwerk instrument-definition extension is missing or unusable "
            "(Maatwerk never guesses the scoring from the questions)"
        )
    elif error.what == "the instrument definition in the Questionnaire is invalid":
        kind = _("The instrument definition in the extension is invalid")
    elif error.what == "the Questionnaire does not match the instrument definition it carries":
        kind = _("The questions do not match the instrument definition")
    else:  # pragma: no cover - a new kind of refusal in the core
        kind = _("The Questionnaire cannot be imported")
    return [
        _("%(kind)s: %(location)s: %(detail)s")
        % {"kind": kind, "location": problem.location, "detail": problem.message}
        for problem in error.problems
    ]


def _instrument_problems(instrument: Instrument) -> list[str]:
    """What the web layer needs besides a valid definition."""
    problems: list[str] = []
    if instrument.code in bundled_codes():
        problems.append(
            _(
                "The code %(code)s belongs to an instrument that comes with Maatwerk. "
                "Give your instrument a code of its own (for example %(code)s_org) in the "
                "definition and in the Questionnaire's url and identifier."
            )
            % {"code": instrument.code}
        )
    if len(instrument.code) > _CODE_LENGTH:
        problems.append(
            _("The code %(code)s is longer than %(n)s characters.")
            % {"code": instrument.code, "n": _CODE_LENGTH}
        )
    if len(instrument.version) > _VERSION_LENGTH:
        problems.append(
            _("The version %(version)s is longer than %(n)s characters.")
            % {"version": instrument.version, "n": _VERSION_LENGTH}
        )
    problems.extend(
        _("The question %(item)s has no text; an imported instrument must include its texts.")
        % {"item": item.id}
        for item in instrument.items
        if item.text is None
    )
    return problems


def _import_subject(organization: Organization, object_type: str, ref: str) -> AuditSubject:
    return AuditSubject(
        object_type=object_type,
        object_ref=ref[:64],
        organization_ref=str(organization.public_id),
    )


def _refuse(actor: Actor, subject: AuditSubject, error: Exception) -> NoReturn:
    """Write the import's one ``refused`` (or ``denied``) event and raise the error as
    the organization admin's page expects it (a ValidationError or PermissionDenied)."""
    try:
        with audited(actor=actor, action="create", subject=subject):
            raise error
    except InputRefused:
        raise error from None
    raise error  # pragma: no cover - audited re-raised the denial already


def imported_instrument_import(
    *, actor: Actor, organization: Organization, content: bytes, filename: str
) -> tuple[ImportedInstrument, bool]:
    """Import a FHIR Questionnaire carrying the Maatwerk instrument-definition extension
    as an instrument of this organization; returns it and whether it is new.

    Every problem is reported at once and nothing is stored unless the resource is valid
    FHIR (fhir.resources, R4B models) and a valid Maatwerk instrument. A code of a
    bundled instrument is refused. Importing a code and version the organization already
    has replaces it only while no assignment uses it; otherwise a new version is needed.
    One audit event, also when refused.
    """
    subject = _import_subject(organization, "imported_instrument", filename)
    if organization.pk not in actor.organization_ids(Role.ORGANIZATION_ADMIN):
        _refuse(
            actor,
            subject,
            PermissionDenied(_("Only an admin of this organization can import questionnaires.")),
        )
    user = actor.user
    if user is None:
        _refuse(actor, subject, PermissionDenied(_("Log in to import questionnaires.")))
    if len(content) > MAX_QUESTIONNAIRE_FILE_BYTES:
        _refuse(actor, subject, ValidationError(_("The file is too large (at most 1 MB).")))
    try:
        resource = load_json(content)
    except (json.JSONDecodeError, UnicodeDecodeError) as problem:
        _refuse(
            actor,
            subject,
            ValidationError(_("The file is not valid JSON: %(detail)s") % {"detail": str(problem)}),
        )
    try:
        instrument = questionnaire_to_instrument(resource)
    except FhirMappingError as error:
        _refuse(actor, subject, ValidationError(_fhir_problem_messages(error)))
    problems = _instrument_problems(instrument)
    if problems:
        _refuse(actor, subject, ValidationError(problems))
    detail = f"{instrument.code} {instrument.version} imported from {filename[:100]}"
    replacing = ImportedInstrument.objects.filter(
        organization=organization, code=instrument.code, version=instrument.version
    ).exists()
    subject = _import_subject(
        organization, "imported_instrument", f"{instrument.code}-{instrument.version}"
    )
    try:
        with audited(
            actor=actor,
            action="update" if replacing else "create",
            subject=subject,
            detail=f"{detail} (replaced an unused import)" if replacing else detail,
        ):
            return _store_imported(user, organization, instrument, resource)
    except InputRefused as refusal:
        raise ValidationError(
            [message for messages in refusal.errors.values() for message in messages]
        ) from None


def _store_imported(
    user: User, organization: Organization, instrument: Instrument, resource: object
) -> tuple[ImportedInstrument, bool]:
    existing = (
        ImportedInstrument.objects.select_for_update()
        .filter(organization=organization, code=instrument.code, version=instrument.version)
        .first()
    )
    if existing is None:
        stored = ImportedInstrument.objects.create(
            organization=organization,
            code=instrument.code,
            version=instrument.version,
            resource=resource,
            imported_by=user,
        )
        return stored, True
    in_use = Assignment.objects.filter(
        patient__organization=organization,
        instrument_code=instrument.code,
        instrument_version=instrument.version,
    ).exists()
    if in_use:
        raise ValidationError(
            _(
                "Version %(version)s of %(code)s is already assigned to patients, so "
                "it cannot be replaced. Publish a new version (a higher version "
                "number in the definition and the Questionnaire) and import that."
            )
            % {"code": instrument.code, "version": instrument.version}
        )
    existing.resource = resource
    existing.imported_by = user
    existing.imported_at = timezone.now()
    existing.save(update_fields=["resource", "imported_by", "imported_at"])
    return existing, False


def licensed_texts_import(
    *, actor: Actor, organization: Organization, content: bytes, filename: str
) -> LicensedTexts:
    """Import (or replace) an organization's licensed texts after full validation.

    Every problem is reported at once, in terms of the file; nothing is stored unless
    the texts fit the instrument completely. One audit event, also when refused.
    """
    subject = _import_subject(organization, "licensed_texts", filename)
    if organization.pk not in actor.organization_ids(Role.ORGANIZATION_ADMIN):
        _refuse(
            actor,
            subject,
            PermissionDenied(_("Only an admin of this organization can import texts.")),
        )
    if len(content) > MAX_TEXT_FILE_BYTES:
        _refuse(actor, subject, ValidationError(_("The file is too large (at most 1 MB).")))
    try:
        texts = load_licensed_texts_json(content, origin=filename)
        instrument = get_instrument(texts.instrument, texts.version)
        apply_licensed_texts(instrument, texts, origin=filename)
    except UnknownInstrument:
        _refuse(
            actor,
            subject,
            ValidationError(_("The file is for an instrument that Maatwerk does not know.")),
        )
    except InstrumentDefinitionError as problem:
        _refuse(actor, subject, ValidationError([str(p) for p in problem.problems]))
    if actor.user is None:
        _refuse(actor, subject, PermissionDenied(_("Log in to import texts.")))
    with audited(
        actor=actor,
        action="create",
        subject=_import_subject(
            organization, "licensed_texts", f"{instrument.code}-{instrument.version}"
        ),
        detail=f"licensed texts imported from {filename[:100]}",
    ):
        stored, _created = LicensedTexts.objects.update_or_create(
            organization=organization,
            instrument_code=instrument.code,
            instrument_version=instrument.version,
            defaults={
                "licence_holder": texts.licence_holder,
                "statement": texts.statement,
                "document": json.loads(content),
                "imported_by": actor.user,
                # A new import is a new version of the texts (and of their cache key).
                "imported_at": timezone.now(),
            },
        )
    return stored

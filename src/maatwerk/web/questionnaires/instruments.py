"""Which instrument an organization uses: the bundled definition, with the organization's
licensed item texts applied when it imported them."""

from __future__ import annotations

import json

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from maatwerk.core.access import Role
from maatwerk.core.instruments.errors import InstrumentDefinitionError, UnknownInstrument
from maatwerk.core.instruments.licensed_texts import apply_licensed_texts, load_licensed_texts_json
from maatwerk.core.instruments.model import Instrument
from maatwerk.core.instruments.registry import bundled_instruments, get_instrument
from maatwerk.web.audit.services import AuditSubject, audit_record
from maatwerk.web.common.actor import Actor
from maatwerk.web.organizations.models import Organization
from maatwerk.web.questionnaires.models import LicensedTexts

MAX_TEXT_FILE_BYTES = 1_000_000


def instrument_for(organization_id: int, code: str, version: str | None = None) -> Instrument:
    """The definition this organization uses, with its licensed texts if it has them."""
    instrument = get_instrument(code, version)
    texts = LicensedTexts.objects.filter(
        organization_id=organization_id,
        instrument_code=instrument.code,
        instrument_version=instrument.version,
    ).first()
    if texts is None:
        return instrument
    return apply_licensed_texts(
        instrument,
        load_licensed_texts_json(json.dumps(texts.document), origin="stored licensed texts"),
        origin=f"licensed texts of organization {organization_id}",
    )


def has_item_texts(organization_id: int, instrument: Instrument) -> bool:
    return (
        instrument.licence.item_texts_shipped
        or LicensedTexts.objects.filter(
            organization_id=organization_id,
            instrument_code=instrument.code,
            instrument_version=instrument.version,
        ).exists()
    )


def instruments_for(organization_id: int) -> list[tuple[Instrument, bool]]:
    """Every bundled instrument and whether this organization can administer it."""
    return [
        (instrument, has_item_texts(organization_id, instrument))
        for instrument in sorted(bundled_instruments(), key=lambda i: (i.code, i.version_key))
    ]


def licensed_texts_import(
    *, actor: Actor, organization: Organization, content: bytes, filename: str
) -> LicensedTexts:
    """Import (or replace) an organization's licensed texts after full validation.

    Every problem is reported at once, in terms of the file; nothing is stored unless
    the texts fit the instrument completely.
    """
    if organization.pk not in actor.organization_ids(Role.ORGANIZATION_ADMIN):
        raise PermissionDenied(_("Only an admin of this organization can import texts."))
    if len(content) > MAX_TEXT_FILE_BYTES:
        raise ValidationError(_("The file is too large (at most 1 MB)."))
    try:
        texts = load_licensed_texts_json(content, origin=filename)
        instrument = get_instrument(texts.instrument, texts.version)
        apply_licensed_texts(instrument, texts, origin=filename)
    except UnknownInstrument:
        raise ValidationError(
            _("The file is for an instrument that Maatwerk does not know.")
        ) from None
    except InstrumentDefinitionError as problem:
        raise ValidationError([str(p) for p in problem.problems]) from None
    if actor.user is None:
        raise PermissionDenied(_("Log in to import texts."))
    with transaction.atomic():
        stored, _created = LicensedTexts.objects.update_or_create(
            organization=organization,
            instrument_code=instrument.code,
            instrument_version=instrument.version,
            defaults={
                "licence_holder": texts.licence_holder,
                "statement": texts.statement,
                "document": json.loads(content),
                "imported_by": actor.user,
            },
        )
        audit_record(
            actor=actor,
            action="create",
            subject=AuditSubject(
                object_type="licensed_texts",
                object_ref=f"{instrument.code}-{instrument.version}",
                organization_ref=str(organization.public_id),
            ),
            detail=f"licensed texts imported from {filename[:100]}",
        )
    return stored

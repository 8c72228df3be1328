"""The provider directory: importing and exporting it as CSV, and saving, activating
or deactivating one provider."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from maatwerk.core.referral.csv_safety import neutralized_provider, restored_provider
from maatwerk.core.referral.directory_csv import (
    ProviderRow,
    read_provider_fields,
    read_providers_csv,
    write_providers_csv,
)
from maatwerk.web.audit.services import audit_record
from maatwerk.web.common.actor import Actor
from maatwerk.web.knowledge.selectors import knowledge_for
from maatwerk.web.organizations.models import Organization
from maatwerk.web.providers.models import Provider
from maatwerk.web.providers.selectors import directory_of
from maatwerk.web.providers.services._common import NON_FIELD, _directory_subject
from maatwerk.web.providers.services.csv_files import (
    DirectoryImportRefused,
    ImportResult,
    _decoded_upload,
    problem_message,
)


def discipline_ids(organization: Organization) -> tuple[str, ...]:
    return tuple(d.id for d in knowledge_for(organization.pk).disciplines.disciplines)


def row_of(provider: Provider) -> ProviderRow:
    return ProviderRow(
        name=provider.name,
        practice=provider.practice,
        street=provider.street,
        postcode=provider.postcode,
        place=provider.place,
        region=provider.region,
        latitude=provider.latitude,
        longitude=provider.longitude,
        disciplines=tuple(provider.disciplines),
        expertise=tuple(provider.expertise),
        modalities=tuple(provider.modalities),
        languages=tuple(provider.languages),
        waiting_weeks=provider.waiting_weeks,
        waiting_as_of=provider.waiting_as_of,
        phone=provider.phone,
        email=provider.email,
        website=provider.website,
        agb_code=provider.agb_code,
        notes=provider.notes,
        active=provider.is_active,
    )


def _apply(provider: Provider, row: ProviderRow) -> None:
    provider.key = row.key
    provider.name = row.name
    provider.practice = row.practice
    provider.street = row.street
    provider.postcode = row.postcode
    provider.place = row.place
    provider.region = row.region
    provider.latitude = row.latitude
    provider.longitude = row.longitude
    provider.disciplines = list(row.disciplines)
    provider.expertise = list(row.expertise)
    provider.modalities = list(row.modalities)
    provider.languages = list(row.languages)
    provider.waiting_weeks = row.waiting_weeks
    provider.waiting_as_of = row.waiting_as_of
    provider.phone = row.phone
    provider.email = row.email
    provider.website = row.website
    provider.agb_code = row.agb_code
    provider.notes = row.notes
    provider.is_active = row.active
    provider.updated_at = timezone.now()


def providers_import(*, actor: Actor, organization: Organization, data: bytes) -> ImportResult:
    """Add or update every provider in the CSV, matched by its key; all or nothing."""
    try:
        read = read_providers_csv(_decoded_upload(data), disciplines=discipline_ids(organization))
    except DirectoryImportRefused:
        audit_record(
            actor=actor,
            action="update",
            outcome="error",
            subject=_directory_subject(organization),
            detail="import refused: too large",
        )
        raise
    if not read.ok:
        audit_record(
            actor=actor,
            action="update",
            outcome="error",
            subject=_directory_subject(organization),
            detail=f"import refused: {len(read.problems)} problems",
        )
        raise DirectoryImportRefused([problem_message(p) for p in read.problems])
    created = updated = 0
    with transaction.atomic():
        existing = {
            p.key: p for p in Provider.objects.select_for_update().filter(organization=organization)
        }
        for row in map(restored_provider, read.rows):
            provider = existing.get(row.key) or Provider(organization=organization)
            if provider.pk is None:
                created += 1
            else:
                updated += 1
            _apply(provider, row)
            provider.save()
        audit_record(
            actor=actor,
            action="update",
            subject=_directory_subject(organization),
            detail=f"import: {created} added, {updated} changed",
        )
    return ImportResult(created, updated)


def providers_export(*, actor: Actor, organization: Organization) -> str:
    text = write_providers_csv(
        neutralized_provider(row_of(p)) for p in directory_of(organization.pk)
    )
    audit_record(actor=actor, action="export", subject=_directory_subject(organization))
    return text


def _form_cells(fields: Mapping[str, Any]) -> dict[str, str]:
    return {key: str(value) for key, value in fields.items()}


def provider_save(
    *,
    actor: Actor,
    organization: Organization,
    provider: Provider | None,
    fields: Mapping[str, Any],
) -> Provider:
    """Add (``provider`` None) or change one provider from form fields named as the CSV
    columns. Raises ValidationError keyed by column."""
    read = read_provider_fields(_form_cells(fields), disciplines=discipline_ids(organization))
    if not read.ok:
        errors: dict[str, list[str]] = {}
        for problem in read.problems:
            errors.setdefault(problem.column or NON_FIELD, []).append(problem_message(problem))
        raise ValidationError(errors)
    (row,) = read.rows
    clash = Provider.objects.filter(organization=organization, key=row.key)
    if provider is not None:
        clash = clash.exclude(pk=provider.pk)
    if clash.exists():
        column = "agb_code" if row.agb_code else "name"
        raise ValidationError(
            {
                column: [
                    _(
                        "The directory already has a provider with this AGB code, or with "
                        "this name and postcode."
                    )
                ]
            }
        )
    with transaction.atomic():
        target = provider or Provider(organization=organization)
        action = "create" if target.pk is None else "update"
        _apply(target, row)
        target.save()
        audit_record(
            actor=actor,
            action=action,
            subject=_directory_subject(organization, str(target.public_id)),
            detail="provider",
        )
    return target


def provider_active_set(*, actor: Actor, provider: Provider, active: bool) -> Provider:
    with transaction.atomic():
        provider.is_active = active
        provider.updated_at = timezone.now()
        provider.save(update_fields=["is_active", "updated_at"])
        audit_record(
            actor=actor,
            action="update",
            subject=_directory_subject(provider.organization, str(provider.public_id)),
            detail="activated" if active else "deactivated",
        )
    return provider

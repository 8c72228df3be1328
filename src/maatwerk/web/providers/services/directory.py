"""The provider directory: importing and exporting it as CSV, and saving, activating
or deactivating one provider. Each use case is one audited call (object type
``provider_directory``, no patient data)."""

from __future__ import annotations

from django.utils import timezone
from django.utils.translation import gettext as _

from maatwerk.core.referral.csv_safety import neutralized_provider, restored_provider
from maatwerk.core.referral.directory_csv import (
    ProviderRow,
    read_provider_fields,
    read_providers_csv,
    write_providers_csv,
)
from maatwerk.web.audit.audited import NON_FIELD, InputRefused, audited, valid_form
from maatwerk.web.common.actor import Actor
from maatwerk.web.knowledge.selectors import knowledge_for
from maatwerk.web.patients.opening import OrganizationOpened
from maatwerk.web.providers.forms import CsvUploadForm, ProviderActiveForm, ProviderForm
from maatwerk.web.providers.models import Provider
from maatwerk.web.providers.selectors import DirectoryAccess, directory_of
from maatwerk.web.providers.services.csv_files import (
    ImportResult,
    field_message,
    problem_message,
)


def discipline_ids(directory: DirectoryAccess) -> tuple[str, ...]:
    return tuple(d.id for d in knowledge_for(directory.organization.pk).disciplines.disciplines)


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


def providers_import(
    *, actor: Actor, directory: DirectoryAccess, form: CsvUploadForm
) -> ImportResult:
    """Add or update every provider in the CSV, matched by its key; all or nothing. Every
    problem of the file is refused on the ``file`` field, with its line and column."""
    with audited(actor=actor, action="update", subject=directory.subject()) as note:
        data = valid_form(form)["file"]
        if not isinstance(data, bytes):  # pragma: no cover - CsvUploadForm reads bytes
            raise TypeError(data)
        read = read_providers_csv(data, disciplines=discipline_ids(directory))
        if not read.ok:
            raise InputRefused({"file": [problem_message(p) for p in read.problems]})
        created = updated = 0
        existing = {
            p.key: p
            for p in Provider.objects.select_for_update().filter(
                organization=directory.organization
            )
        }
        for row in map(restored_provider, read.rows):
            provider = existing.get(row.key) or Provider(organization=directory.organization)
            if provider.pk is None:
                created += 1
            else:
                updated += 1
            _apply(provider, row)
            provider.save()
        note.detail = f"import: {created} added, {updated} changed"
    return ImportResult(created, updated)


def providers_export(*, actor: Actor, directory: DirectoryAccess) -> str:
    with audited(actor=actor, action="export", subject=directory.subject()):
        return write_providers_csv(neutralized_provider(row_of(p)) for p in directory_of(directory))


def _refusals(
    form: ProviderForm, directory: DirectoryAccess
) -> tuple[ProviderRow | None, dict[str, list[str]]]:
    """The provider the form describes, or every problem with it: the form's own (length,
    choices) and the core's (postcode, numbers, codes), each on its field."""
    form.is_valid()
    errors: dict[str, list[str]] = {
        field: [str(m) for m in messages] for field, messages in form.errors.items()
    }
    read = read_provider_fields(form.cells(), disciplines=discipline_ids(directory))
    for problem in read.problems:
        field = problem.column or NON_FIELD
        if field not in errors or field == NON_FIELD:
            errors.setdefault(field, []).append(field_message(problem))
    if errors:
        return None, errors
    (row,) = read.rows
    return row, {}


def provider_save(
    *,
    actor: Actor,
    directory: DirectoryAccess,
    provider: Provider | None,
    form: ProviderForm,
) -> Provider:
    """Add (``provider`` None) or change one provider of the directory."""
    action = "create" if provider is None else "update"
    ref = str(provider.public_id) if provider is not None else ""
    with audited(
        actor=actor, action=action, subject=directory.subject(ref), detail="provider"
    ) as note:
        row, errors = _refusals(form, directory)
        if row is None:
            raise InputRefused(errors)
        clash = Provider.objects.filter(organization=directory.organization, key=row.key)
        if provider is not None:
            clash = clash.exclude(pk=provider.pk)
        if clash.exists():
            column = "agb_code" if row.agb_code else "name"
            raise InputRefused(
                {
                    column: [
                        _(
                            "The directory already has a provider with this AGB code, or "
                            "with this name and postcode."
                        )
                    ]
                }
            )
        target = provider or Provider(organization=directory.organization)
        _apply(target, row)
        target.save()
        note.about(object_ref=str(target.public_id))
    return target


def provider_active_set(
    *, actor: Actor, opened: OrganizationOpened[Provider], form: ProviderActiveForm
) -> Provider:
    """Activate or deactivate a provider of a directory the admin manages."""
    provider = opened.object
    directory = DirectoryAccess(organization=provider.organization)
    with audited(
        actor=actor, action="update", subject=directory.subject(str(provider.public_id))
    ) as note:
        active = bool(valid_form(form)["active"])
        provider.is_active = active
        provider.updated_at = timezone.now()
        provider.save(update_fields=["is_active", "updated_at"])
        note.detail = "activated" if active else "deactivated"
    return provider

"""Changing the provider directory and the gazetteer, searching, and referring.

Every service checks its input with the core first, so nothing is written when any of
it is refused; then it writes the rows and exactly one audit event in one transaction.
Imports are all or nothing: one wrong row and no row is saved.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, override

from maatwerk.core.access import Role
from maatwerk.core.fhir.service_request import ReferralFacts, referral_to_service_request
from maatwerk.core.knowledge.model import KnowledgeBase
from maatwerk.core.referral import (
    NO_PREFERENCE,
    Coordinates,
    InvalidPostcode,
    ProviderFacts,
    ProviderMatch,
    match_providers,
    parse_postcode,
)
from maatwerk.core.referral.csv_safety import (
    neutralized_area,
    neutralized_provider,
    restored_area,
    restored_provider,
)
from maatwerk.core.referral.directory_csv import (
    CsvProblem,
    PostcodeAreaRow,
    ProviderRow,
    read_gazetteer_csv,
    read_provider_fields,
    read_providers_csv,
    write_gazetteer_csv,
    write_providers_csv,
)
from maatwerk.core.referral.directory_filters import DirectoryFilters, passes_filters
from maatwerk.core.screening.model import ReferralContext
from maatwerk.web.audit.services import AuditSubject, audit_record
from maatwerk.web.common.actor import Actor
from maatwerk.web.common.pdf import render_pdf
from maatwerk.web.knowledge.selectors import knowledge_for
from maatwerk.web.organizations.models import Membership, Organization
from maatwerk.web.patients.selectors import PatientAccess, patient_subject
from maatwerk.web.providers.models import PostcodeArea, Provider, Referral
from maatwerk.web.providers.selectors import (
    OBJECT_DIRECTORY,
    OBJECT_REFERRAL,
    ReferralAccess,
    directory_of,
    gazetteer_of,
    provider_facts,
    provider_location,
)

NON_FIELD = "__all__"
QUESTION_MAX_LENGTH = 4000
MAX_UPLOAD_BYTES = 2 * 1024 * 1024

# ------------------------------------------------------------------ CSV messages

COLUMN_LABELS: dict[str, Promise] = {
    "name": gettext_lazy("name"),
    "practice": gettext_lazy("practice or organization"),
    "street": gettext_lazy("street and number"),
    "postcode": gettext_lazy("postcode"),
    "place": gettext_lazy("place"),
    "region": gettext_lazy("region"),
    "latitude": gettext_lazy("latitude"),
    "longitude": gettext_lazy("longitude"),
    "disciplines": gettext_lazy("disciplines"),
    "expertise": gettext_lazy("expertise"),
    "modalities": gettext_lazy("modalities"),
    "languages": gettext_lazy("languages"),
    "waiting_weeks": gettext_lazy("waiting time (weeks)"),
    "waiting_as_of": gettext_lazy("waiting time as of"),
    "phone": gettext_lazy("phone"),
    "email": gettext_lazy("email"),
    "website": gettext_lazy("website"),
    "agb_code": gettext_lazy("AGB code"),
    "notes": gettext_lazy("notes"),
    "active": gettext_lazy("active"),
    "pc4": gettext_lazy("postcode area (PC4)"),
}
PROBLEM_MESSAGES: dict[str, Promise] = {
    "empty_file": gettext_lazy("The file is empty or has no header line."),
    "too_many_rows": gettext_lazy(
        "The file has more than %(value)s rows. Split it into smaller files."
    ),
    "not_utf8": gettext_lazy("The file is not UTF-8 text. Save it as “CSV UTF-8” and try again."),
    "control_character": gettext_lazy(
        "This line contains an invisible control character. Save the file again as "
        "“CSV UTF-8” from your spreadsheet program and try again."
    ),
    "unknown_column": gettext_lazy(
        "This column is unknown. Use the column names from the documentation."
    ),
    "duplicate_column": gettext_lazy("This column appears more than once."),
    "missing_column": gettext_lazy("This required column is missing."),
    "wrong_field_count": gettext_lazy(
        "This line has %(value)s fields; it needs one for every column of the header line."
    ),
    "required": gettext_lazy("This is required."),
    "too_long": gettext_lazy("This text is too long."),
    "postcode": gettext_lazy(
        "“%(value)s” is not a Dutch postcode (4 digits and 2 letters, such as 3511 AB)."
    ),
    "pc4": gettext_lazy("“%(value)s” is not a four-digit postcode area (such as 3511)."),
    "number": gettext_lazy("“%(value)s” is not a number."),
    "latitude_range": gettext_lazy("“%(value)s” is not a latitude (−90 to 90)."),
    "longitude_range": gettext_lazy("“%(value)s” is not a longitude (−180 to 180)."),
    "coordinate_pair": gettext_lazy("Give both latitude and longitude, or neither."),
    "whole_number": gettext_lazy("“%(value)s” is not a whole number of weeks (0 to 520)."),
    "date": gettext_lazy("“%(value)s” is not a date (such as 2026-10-01 or 01-10-2026)."),
    "unknown_discipline": gettext_lazy("“%(value)s” is not a known discipline."),
    "tag_format": gettext_lazy(
        "“%(value)s” is not a valid tag: use lower-case letters, digits and _ (such as cbt_pss)."
    ),
    "unknown_modality": gettext_lazy(
        "“%(value)s” is not a modality: use online, face_to_face or blended."
    ),
    "language_code": gettext_lazy(
        "“%(value)s” is not a language code: use two letters, such as nl, en or tr."
    ),
    "email": gettext_lazy("“%(value)s” is not an email address."),
    "website": gettext_lazy("“%(value)s” is not a web address starting with https://."),
    "agb_code": gettext_lazy("“%(value)s” is not an AGB code (8 digits)."),
    "yes_no": gettext_lazy("“%(value)s” is not yes or no."),
    "duplicate_key": gettext_lazy(
        "This provider is already in the file on line %(value)s (the same AGB code, or the "
        "same name and postcode)."
    ),
}


def problem_message(problem: CsvProblem) -> str:
    """The problem in the user's language, with its line and column."""
    message = str(PROBLEM_MESSAGES[problem.code]) % {"value": problem.value}
    if problem.line == 0 and not problem.column:
        return message
    if not problem.column:
        return _("Line %(line)s: %(message)s") % {"line": problem.line, "message": message}
    label = COLUMN_LABELS.get(problem.column)
    return _("Line %(line)s, column “%(column)s” (%(label)s): %(message)s") % {
        "line": problem.line,
        "column": problem.column,
        "label": str(label) if label is not None else problem.column,
        "message": message,
    }


class DirectoryImportRefused(Exception):
    """The file was not imported; ``messages`` say why (every problem)."""

    def __init__(self, messages: list[str]) -> None:
        super().__init__("; ".join(messages))
        self.messages = messages


@dataclass(frozen=True)
class ImportResult:
    created: int
    updated: int


def _directory_subject(organization: Organization, object_ref: str = "") -> AuditSubject:
    return AuditSubject(
        object_type=OBJECT_DIRECTORY,
        object_ref=object_ref,
        organization_ref=str(organization.public_id),
    )


def discipline_ids(organization: Organization) -> tuple[str, ...]:
    return tuple(d.id for d in knowledge_for(organization.pk).disciplines.disciplines)


def _decoded_upload(data: bytes) -> bytes:
    if len(data) > MAX_UPLOAD_BYTES:
        raise DirectoryImportRefused([_("The file is larger than 2 MB.")])
    return data


# ------------------------------------------------------------------ providers


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


# ------------------------------------------------------------------ gazetteer


def gazetteer_import(*, actor: Actor, organization: Organization, data: bytes) -> ImportResult:
    """Add or update PC4 areas (by PC4); all or nothing."""
    read = read_gazetteer_csv(_decoded_upload(data))
    if not read.ok:
        audit_record(
            actor=actor,
            action="update",
            outcome="error",
            subject=_directory_subject(organization, "gazetteer"),
            detail=f"import refused: {len(read.problems)} problems",
        )
        raise DirectoryImportRefused([problem_message(p) for p in read.problems])
    created = updated = 0
    with transaction.atomic():
        existing = gazetteer_of(organization.pk)
        for row in map(restored_area, read.rows):
            area = existing.get(row.pc4) or PostcodeArea(organization=organization, pc4=row.pc4)
            created, updated = (created + 1, updated) if area.pk is None else (created, updated + 1)
            area.place, area.latitude, area.longitude = row.place, row.latitude, row.longitude
            area.save()
        audit_record(
            actor=actor,
            action="update",
            subject=_directory_subject(organization, "gazetteer"),
            detail=f"import: {created} added, {updated} changed",
        )
    return ImportResult(created, updated)


def gazetteer_export(*, actor: Actor, organization: Organization) -> str:
    rows = (
        neutralized_area(PostcodeAreaRow(a.pc4, a.place, a.latitude, a.longitude))
        for a in PostcodeArea.objects.filter(organization=organization)
    )
    text = write_gazetteer_csv(rows)
    audit_record(
        actor=actor, action="export", subject=_directory_subject(organization, "gazetteer")
    )
    return text


# ------------------------------------------------------------------ search


@dataclass(frozen=True)
class SearchCriteria:
    postcode: str = ""
    care_level: str = ""
    discipline: str = ""
    expertise: str = ""
    modality: str = NO_PREFERENCE
    language: str = ""
    region: str = ""
    max_waiting_weeks: int | None = None
    max_distance_km: float | None = None


@dataclass(frozen=True)
class ShownMatch:
    provider: Provider
    match: ProviderMatch
    location_source: str  # "own", "pc4" or ""


@dataclass(frozen=True)
class SearchOutcome:
    matches: tuple[ShownMatch, ...]
    origin: PostcodeArea | None
    postcode_problem: str  # "" | "invalid" | "unknown_pc4"


def _number(raw: str, *, whole: bool) -> float | None:
    text = raw.strip().replace(",", ".")
    if not text:
        return None
    try:
        value = int(text) if whole else float(text)
    except ValueError:
        raise ValueError(raw) from None
    if value < 0 or value != value:
        raise ValueError(raw)
    return value


def read_criteria(
    query: Mapping[str, str], *, knowledge: KnowledgeBase, default_care_level: str = ""
) -> tuple[SearchCriteria, dict[str, list[str]]]:
    """Search criteria from a query string, and the fields that could not be read."""
    errors: dict[str, list[str]] = {}
    care_level = query.get("care_level", default_care_level).strip()
    if care_level and care_level not in {c.id for c in knowledge.care_levels.care_levels}:
        errors["care_level"] = [_("Choose a care level from the list.")]
        care_level = ""
    modality = query.get("modality", NO_PREFERENCE).strip() or NO_PREFERENCE
    if modality not in (NO_PREFERENCE, *Provider.Modality.values):
        errors["modality"] = [_("Choose a modality from the list.")]
        modality = NO_PREFERENCE
    try:
        waiting = _number(query.get("max_waiting_weeks", ""), whole=True)
    except ValueError:
        errors["max_waiting_weeks"] = [_("Enter a whole number of weeks, such as 6.")]
        waiting = None
    try:
        distance = _number(query.get("max_distance_km", ""), whole=False)
        if distance is not None and distance <= 0:
            raise ValueError(distance)
    except ValueError:
        errors["max_distance_km"] = [
            _("Enter a distance in kilometres greater than 0, such as 15.")
        ]
        distance = None
    language = query.get("language", "").strip().lower()[:3]
    criteria = SearchCriteria(
        postcode=query.get("postcode", "").strip()[:10],
        care_level=care_level,
        discipline=query.get("discipline", "").strip()[:64],
        expertise=query.get("expertise", "").strip()[:64],
        modality=modality,
        language=language,
        region=" ".join(query.get("region", "").split())[:100],
        max_waiting_weeks=None if waiting is None else int(waiting),
        max_distance_km=distance,
    )
    return criteria, errors


def provider_search(
    *,
    organization_id: int,
    criteria: SearchCriteria,
    factor_ids: tuple[str, ...],
    knowledge: KnowledgeBase,
) -> SearchOutcome:
    """Active providers of the organization that pass the filters, ranked by the core.

    A postcode whose PC4 is not in the gazetteer is reported (``unknown_pc4``) and the
    search goes on without distance; so does an invalid postcode (``invalid``).
    """
    gazetteer = gazetteer_of(organization_id)
    origin: PostcodeArea | None = None
    problem = ""
    if criteria.postcode:
        try:
            pc4 = parse_postcode(criteria.postcode, allow_pc4=True).pc4
        except InvalidPostcode:
            problem = "invalid"
        else:
            origin = gazetteer.get(pc4)
            problem = "" if origin is not None else "unknown_pc4"
    filters = DirectoryFilters(
        discipline=criteria.discipline,
        expertise=criteria.expertise,
        region=criteria.region,
        max_waiting_weeks=criteria.max_waiting_weeks,
    )
    shown_location: dict[str, str] = {}
    by_key: dict[str, Provider] = {}
    facts: list[ProviderFacts] = []
    for provider in directory_of(organization_id).filter(is_active=True):
        location, source = provider_location(provider, gazetteer)
        candidate = provider_facts(provider, location)
        if passes_filters(candidate, region=provider.region, filters=filters):
            by_key[candidate.key] = provider
            shown_location[candidate.key] = source
            facts.append(candidate)
    matches = match_providers(
        facts,
        care_level=criteria.care_level or None,
        factor_ids=factor_ids,
        modality=criteria.modality,
        language=criteria.language or None,
        origin=Coordinates(origin.latitude, origin.longitude) if origin is not None else None,
        max_distance_km=criteria.max_distance_km,
        knowledge=knowledge,
    )
    shown = tuple(
        ShownMatch(by_key[match.provider.key], match, shown_location[match.provider.key])
        for match in matches
    )
    return SearchOutcome(shown, origin, problem)


# ------------------------------------------------------------------ referrals


def _snapshot(provider: Provider, knowledge: KnowledgeBase, language: str) -> dict[str, Any]:
    names = {
        d.id: d.name.get(language, fallback=True) or d.id for d in knowledge.disciplines.disciplines
    }
    return {
        "public_id": str(provider.public_id),
        "name": provider.name,
        "practice": provider.practice,
        "street": provider.street,
        "postcode": provider.postcode,
        "place": provider.place,
        "phone": provider.phone,
        "email": provider.email,
        "website": provider.website,
        "agb_code": provider.agb_code,
        "disciplines": [names.get(d, d) for d in provider.disciplines],
    }


def referral_create(
    *,
    actor: Actor,
    access: PatientAccess,
    provider: Provider,
    care_level: str,
    question: str,
    context: ReferralContext | None,
    language: str,
) -> Referral:
    """A draft referral of the patient to ``provider``. Raises ValidationError."""
    patient = access.patient
    knowledge = knowledge_for(patient.organization_id)
    errors: dict[str, list[str]] = {}
    if care_level not in {c.id for c in knowledge.care_levels.care_levels}:
        errors["care_level"] = [_("Choose the care level this referral is for.")]
    question = question.strip()
    if not question:
        errors["question"] = [_("Write the reason for the referral and your question.")]
    elif len(question) > QUESTION_MAX_LENGTH:
        errors["question"] = [_("The text is too long (at most 4000 characters).")]
    if provider.organization_id != patient.organization_id or not provider.is_active:
        errors[NON_FIELD] = [_("This provider is not in your organization's directory.")]
    if errors:
        raise ValidationError(errors)
    if actor.user is None:  # pragma: no cover - views require a logged-in clinician
        raise PermissionDenied
    with transaction.atomic():
        referral = Referral.objects.create(
            patient=patient,
            provider=provider,
            provider_snapshot=_snapshot(provider, knowledge, language),
            care_level=care_level,
            question=question,
            summary_lines=list(context.summary_lines) if context is not None else [],
            language=language,
            created_by=actor.user,
        )
        audit_record(
            actor=actor,
            action="create",
            subject=patient_subject(
                patient, object_type=OBJECT_REFERRAL, object_ref=str(referral.public_id)
            ),
            emergency=access.emergency,
        )
    return referral


def _referral_subject(opened: ReferralAccess) -> AuditSubject:
    return patient_subject(
        opened.access.patient,
        object_type=OBJECT_REFERRAL,
        object_ref=str(opened.referral.public_id),
    )


def _draft_only(referral: Referral) -> None:
    if referral.status != Referral.Status.DRAFT:
        raise ValidationError(
            {NON_FIELD: [_("This referral was already sent or cancelled; it cannot change.")]}
        )


def referral_consent_record(*, actor: Actor, opened: ReferralAccess, method: str) -> Referral:
    """Record that the patient consented to this referral, and how."""
    referral = opened.referral
    _draft_only(referral)
    if method not in Referral.ConsentMethod.values:
        raise ValidationError({"consent_method": [_("Choose how the patient gave their consent.")]})
    with transaction.atomic():
        referral.consent_given = True
        referral.consent_method = method
        referral.consent_recorded_by = actor.user
        referral.consent_recorded_at = timezone.now()
        referral.save(
            update_fields=[
                "consent_given",
                "consent_method",
                "consent_recorded_by",
                "consent_recorded_at",
            ]
        )
        audit_record(
            actor=actor,
            action="update",
            subject=_referral_subject(opened),
            emergency=opened.access.emergency,
            detail=f"consent recorded: {method}",
        )
    return referral


def referral_send(*, actor: Actor, opened: ReferralAccess) -> Referral:
    """Mark the referral sent and freeze its letter. Only with recorded consent."""
    referral = opened.referral
    _draft_only(referral)
    if not referral.consent_given:
        raise ValidationError(
            {
                NON_FIELD: [
                    _(
                        "The patient's consent is not recorded. Ask the patient and record "
                        "their consent before you send the referral."
                    )
                ]
            }
        )
    with transaction.atomic():
        referral.status = Referral.Status.SENT
        referral.sent_at = timezone.now()
        referral.sent_by = actor.user
        referral.letter_pdf = _render_letter(referral)
        referral.save(update_fields=["status", "sent_at", "sent_by", "letter_pdf"])
        audit_record(
            actor=actor,
            action="update",
            subject=_referral_subject(opened),
            emergency=opened.access.emergency,
            detail="sent",
        )
    return referral


def referral_cancel(*, actor: Actor, opened: ReferralAccess) -> Referral:
    referral = opened.referral
    _draft_only(referral)
    with transaction.atomic():
        referral.status = Referral.Status.CANCELLED
        referral.save(update_fields=["status"])
        audit_record(
            actor=actor,
            action="update",
            subject=_referral_subject(opened),
            emergency=opened.access.emergency,
            detail="cancelled",
        )
    return referral


def _referrer(referral: Referral) -> str:
    membership = (
        Membership.objects.filter(
            user=referral.created_by,
            organization_id=referral.patient.organization_id,
            role=Role.CLINICIAN.value,
        )
        .exclude(discipline="")
        .first()
    )
    name = referral.created_by.full_name
    return f"{name}, {membership.get_discipline_display()}" if membership is not None else name


def consent_statement(referral: Referral) -> str:
    """The sentence on the letter that says the patient consented, when and how."""
    if not referral.consent_given or referral.consent_recorded_at is None:
        return ""
    return _("The patient consented to this referral on %(date)s (%(method)s).") % {
        "date": date_format(timezone.localtime(referral.consent_recorded_at), "DATE_FORMAT"),
        "method": referral.get_consent_method_display().lower(),
    }


def letter_context(referral: Referral) -> dict[str, Any]:
    knowledge = knowledge_for(referral.patient.organization_id)
    level = next(
        (c for c in knowledge.care_levels.care_levels if c.id == referral.care_level), None
    )
    language = referral.language if referral.language in ("nl", "en") else "nl"
    return {
        "referral": referral,
        "patient": referral.patient,
        "organization": referral.patient.organization,
        "provider": referral.provider_snapshot,
        "referrer": _referrer(referral),
        "care_level": (level.name.get(language, fallback=True) if level is not None else None)
        or referral.care_level,
        "consent": consent_statement(referral),
        "draft": referral.status != Referral.Status.SENT,
    }


def _render_letter(referral: Referral) -> bytes:
    with override(referral.language):
        return render_pdf("providers/referral_letter.html", letter_context(referral))


def referral_letter(*, actor: Actor, opened: ReferralAccess) -> bytes:
    """The letter: as sent (frozen), or a draft rendered now."""
    referral = opened.referral
    pdf = bytes(referral.letter_pdf) if referral.letter_pdf else _render_letter(referral)
    audit_record(
        actor=actor,
        action="print",
        subject=_referral_subject(opened),
        emergency=opened.access.emergency,
        detail="letter",
    )
    return pdf


def referral_facts(referral: Referral) -> ReferralFacts:
    context = letter_context(referral)
    snapshot = referral.provider_snapshot
    with override(referral.language):
        consent = consent_statement(referral)
    return ReferralFacts(
        referral_id=str(referral.public_id),
        patient_id=str(referral.patient.public_id),
        state=referral.status,  # type: ignore[arg-type]
        authored_on=referral.sent_at or referral.created_at,
        requester=context["referrer"],
        requesting_organization=referral.patient.organization.name,
        performer=", ".join(
            x for x in (snapshot.get("name", ""), snapshot.get("practice", "")) if x
        ),
        performer_agb_code=snapshot.get("agb_code", ""),
        care_level_id=referral.care_level,
        care_level_name=context["care_level"],
        question=referral.question,
        summary_lines=tuple(referral.summary_lines),
        consent_statement=consent,
    )


def referral_service_request(*, actor: Actor, opened: ReferralAccess) -> dict[str, Any]:
    resource = referral_to_service_request(referral_facts(opened.referral))
    audit_record(
        actor=actor,
        action="export",
        subject=_referral_subject(opened),
        emergency=opened.access.emergency,
        detail="FHIR ServiceRequest",
    )
    return resource

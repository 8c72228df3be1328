"""The providers app's pages as typed values (presenters): what each template shows.

Builders here read through the selectors with an access object the view opened; they do
not audit. Reading a patient's page is audited by the service that calls the builder
(``services.reading``); the directory pages hold no patient data.
"""

from __future__ import annotations

from dataclasses import dataclass, field, fields
from typing import TYPE_CHECKING

from django.utils.translation import gettext as _

from maatwerk.core.knowledge.model import KnowledgeBase
from maatwerk.core.referral.directory_csv import LIST_SEPARATOR, PROVIDER_COLUMNS
from maatwerk.core.screening.model import ReferralContext
from maatwerk.web.knowledge.selectors import knowledge_for
from maatwerk.web.organizations.models import Membership
from maatwerk.web.patients.models import Patient
from maatwerk.web.patients.opening import PatientAccess
from maatwerk.web.providers import presenters, selectors
from maatwerk.web.providers.forms import ReferralCreateForm
from maatwerk.web.providers.models import PostcodeArea, Provider, Referral
from maatwerk.web.providers.selectors import DirectoryAccess, ReferralOpened
from maatwerk.web.providers.services.letters import consent_statement
from maatwerk.web.providers.services.referrals import chosen_provider
from maatwerk.web.providers.services.search import (
    SearchCriteria,
    SearchOutcome,
    provider_search,
    read_criteria,
)
from maatwerk.web.safety.presenters import RiskBanner
from maatwerk.web.safety.selectors import risk_banner_of

if TYPE_CHECKING:
    from _typeshed import DataclassInstance

Named = tuple[str, str]
Errors = dict[str, list[str]]


def as_context(page: DataclassInstance) -> dict[str, object]:
    """A page's fields as a template context (one level: a nested :class:`Choices` is
    spread out, so the templates read ``care_levels`` and the like directly)."""
    context: dict[str, object] = {}
    for item in fields(page):
        value = getattr(page, item.name)
        if isinstance(value, Choices):
            context.update(as_context(value))
        else:
            context[item.name] = value
    return context


@dataclass(frozen=True)
class Choices:
    """The lists a search or a form chooses from, named in the user's language."""

    care_levels: list[Named]
    disciplines: list[Named]
    interventions: list[Named]
    modalities: list[Named]


def choices(knowledge: KnowledgeBase, language: str) -> Choices:
    interventions = presenters.intervention_names(knowledge, language)
    return Choices(
        care_levels=sorted(
            presenters.care_level_names(knowledge, language).items(),
            key=lambda item: knowledge.care_level(item[0]).step,
        ),
        disciplines=sorted(
            presenters.discipline_names(knowledge, language).items(), key=lambda i: i[1]
        ),
        interventions=sorted(interventions.items(), key=lambda item: item[1].casefold()),
        modalities=[(m, presenters.modality_name(m)) for m in Provider.Modality.values],
    )


# ------------------------------------------------------------------ the search


@dataclass(frozen=True)
class ShownResult:
    """One provider in the search's results, with why it has its place."""

    provider: Provider
    disciplines: list[str]
    expertise: list[str]
    modalities: list[str]
    languages: list[str]
    reasons: list[str]
    level_fits: bool | None
    fit: str
    location_source: str
    distance_km: float | None = None  # from the patient's postcode area; None: unknown


@dataclass(frozen=True)
class ScreeningLevel:
    """The level of care the screening gives the referral, named: the clinician's own
    choice is labelled as chosen, with the advice it overruled, never as the advice."""

    name: str
    chosen: bool
    advised: str  # the advised level's name ("" without advice)


def screening_level(
    context: ReferralContext | None, knowledge: KnowledgeBase, language: str
) -> ScreeningLevel | None:
    if context is None or not context.care_level:
        return None
    names = presenters.care_level_names(knowledge, language)
    advised = context.advised_care_level or ""
    return ScreeningLevel(
        name=names.get(context.care_level, context.care_level),
        chosen=bool(advised) and context.care_level_chosen,
        advised=names.get(advised, advised),
    )


@dataclass(frozen=True)
class SearchPage:
    patient: Patient | None
    screening: ReferralContext | None
    level: ScreeningLevel | None
    factor_names: list[str]
    criteria: SearchCriteria
    errors: Errors
    outcome: SearchOutcome | None
    results: list[ShownResult]
    languages: list[Named]
    regions: list[str]
    choices: Choices


@dataclass(frozen=True)
class SearchQuery:
    """The search as asked: the readable fields, which fields were named, and what
    could not be read (from ``forms.SearchForm``)."""

    fields: dict[str, str]
    asked_postcode: bool
    problems: Errors = field(default_factory=dict)


def _shown(outcome: SearchOutcome, knowledge: KnowledgeBase, language: str) -> list[ShownResult]:
    disciplines = presenters.discipline_names(knowledge, language)
    interventions = presenters.intervention_names(knowledge, language)
    return [
        ShownResult(
            provider=shown.provider,
            disciplines=[disciplines.get(d, d) for d in shown.provider.disciplines],
            expertise=[presenters.tag_name(t, interventions) for t in shown.provider.expertise],
            modalities=[presenters.modality_name(m) for m in shown.provider.modalities],
            languages=[presenters.language_name(c) for c in shown.provider.languages],
            reasons=[presenters.reason_text(r, knowledge, language) for r in shown.match.reasons],
            level_fits=shown.match.level_fits,
            fit=presenters.fit_text(shown.match.level_fit),
            location_source=shown.location_source,
            distance_km=shown.match.distance_km,
        )
        for shown in outcome.matches
    ]


def search_page(
    directory: DirectoryAccess,
    query: SearchQuery,
    language: str,
    *,
    access: PatientAccess | None = None,
    context: ReferralContext | None = None,
) -> SearchPage:
    """The search, with or without a patient (then with their screening and postcode)."""
    knowledge = knowledge_for(directory.organization.pk)
    default_level = (context.care_level or "") if context is not None else ""
    asked = dict(query.fields)
    if context is not None and "modality" not in asked:
        asked["modality"] = context.modality
    # The patient's own postcode is the natural starting point; the clinician can
    # still change it (any postcode in the query, even an empty one, wins).
    if access is not None and not query.asked_postcode and access.patient.postcode:
        asked["postcode"] = access.patient.postcode_written
    criteria, errors = read_criteria(asked, knowledge=knowledge, default_care_level=default_level)
    factor_ids = context.factor_ids if context is not None else ()
    outcome = (
        provider_search(
            directory=directory, criteria=criteria, factor_ids=factor_ids, knowledge=knowledge
        )
        if query.asked_postcode or access is not None
        else None
    )
    return SearchPage(
        patient=access.patient if access is not None else None,
        screening=context,
        level=screening_level(context, knowledge, language),
        factor_names=[presenters.factor_name(knowledge, f, language) for f in factor_ids],
        criteria=criteria,
        errors={**query.problems, **errors},
        outcome=outcome,
        results=_shown(outcome, knowledge, language) if outcome else [],
        languages=sorted(
            ((c, presenters.language_name(c)) for c in selectors.directory_languages(directory)),
            key=lambda i: i[1],
        ),
        regions=selectors.directory_regions(directory),
        choices=choices(knowledge, language),
    )


# ------------------------------------------------------------------ referrals


@dataclass(frozen=True)
class ReferralFormPage:
    patient: Patient
    provider: Provider | None
    screening: ReferralContext | None
    level: ScreeningLevel | None
    fields: dict[str, str]
    errors: Errors
    earlier: list[Referral]
    choices: Choices


def referral_form_page(
    access: PatientAccess,
    provider: Provider | None,
    values: dict[str, str],
    language: str,
    errors: Errors | None = None,
) -> ReferralFormPage:
    knowledge = knowledge_for(access.patient.organization_id)
    context = selectors.referral_context(access, language)
    return ReferralFormPage(
        patient=access.patient,
        provider=provider,
        screening=context,
        level=screening_level(context, knowledge, language),
        fields=values,
        errors=errors or {},
        earlier=list(selectors.referrals_of(access)[:10]),
        choices=choices(knowledge, language),
    )


def referral_form_refused(
    access: PatientAccess, form: ReferralCreateForm, language: str, errors: Errors
) -> ReferralFormPage:
    """The referral form again after a refusal, with what was typed. The provider was
    checked before the refusal (one outside the directory is a 404)."""
    provider = chosen_provider(access, form)
    return referral_form_page(access, provider, form.typed(), language, errors)


@dataclass(frozen=True)
class ReferralDetailPage:
    referral: Referral
    patient: Patient
    risk: RiskBanner
    provider: dict[str, object]
    care_level: str
    consent_methods: list[Named]
    consent_statement: str
    signers: list[Membership]
    errors: Errors


def referral_detail_page(
    opened: ReferralOpened, language: str, errors: Errors | None = None
) -> ReferralDetailPage:
    referral = opened.object
    patient = opened.access.patient
    knowledge = knowledge_for(patient.organization_id)
    return ReferralDetailPage(
        referral=referral,
        patient=patient,
        risk=risk_banner_of(patient),
        provider=dict(referral.provider_snapshot),
        care_level=presenters.care_level_names(knowledge, language).get(
            referral.care_level, referral.care_level
        ),
        consent_methods=[(str(v), str(label)) for v, label in Referral.ConsentMethod.choices],
        consent_statement=consent_statement(referral),
        signers=selectors.referral_signers(opened),
        errors=errors or {},
    )


# ------------------------------------------------------------------ the directory


@dataclass(frozen=True)
class DirectoryRow:
    provider: Provider
    disciplines: list[str]


@dataclass(frozen=True)
class DirectoryPage:
    rows: list[DirectoryRow]
    problems: list[str]
    columns: tuple[str, ...]
    areas: int


def _problems(errors: Errors | None) -> list[str]:
    return [message for messages in (errors or {}).values() for message in messages]


def directory_page(
    directory: DirectoryAccess, language: str, errors: Errors | None = None
) -> DirectoryPage:
    disciplines = presenters.discipline_names(knowledge_for(directory.organization.pk), language)
    return DirectoryPage(
        rows=[
            DirectoryRow(p, [disciplines.get(d, d) for d in p.disciplines])
            for p in selectors.directory_of(directory)
        ],
        problems=_problems(errors),
        columns=PROVIDER_COLUMNS,
        areas=len(selectors.gazetteer_of(directory)),
    )


@dataclass(frozen=True)
class GazetteerPage:
    areas: list[PostcodeArea]
    problems: list[str]


def gazetteer_page(directory: DirectoryAccess, errors: Errors | None = None) -> GazetteerPage:
    areas = sorted(selectors.gazetteer_of(directory).values(), key=lambda a: a.pc4)
    return GazetteerPage(areas=areas, problems=_problems(errors))


@dataclass(frozen=True)
class FieldRow:
    """One text field of the provider form, with its label, value and errors."""

    name: str
    label: str
    value: str
    errors: list[str]


@dataclass(frozen=True)
class ProviderFormPage:
    provider: Provider | None
    fields: dict[str, str | list[str]]
    errors: Errors
    top_fields: list[FieldRow]
    bottom_fields: list[FieldRow]
    expertise_other: FieldRow
    choices: Choices


def provider_values(provider: Provider | None) -> dict[str, str | list[str]]:
    """The provider as the form shows it (numbers and dates never localized, so that
    they save back unchanged: "2026-10-01", "52.09")."""
    if provider is None:
        return {"active": "yes", "disciplines": [], "expertise": [], "modalities": []}
    values: dict[str, str | list[str]] = {
        column: str(getattr(provider, column) or "")
        for column in PROVIDER_COLUMNS
        if column not in ("disciplines", "expertise", "modalities", "languages", "active")
    }
    for column in ("latitude", "longitude", "waiting_weeks"):
        number = getattr(provider, column)
        values[column] = "" if number is None else str(number)
    as_of = provider.waiting_as_of
    values["waiting_as_of"] = "" if as_of is None else as_of.isoformat()
    values["disciplines"] = list(provider.disciplines)
    values["modalities"] = list(provider.modalities)
    values["expertise"] = list(provider.expertise)
    values["languages"] = ", ".join(provider.languages)
    values["active"] = "yes" if provider.is_active else "no"
    return values


def _labels() -> tuple[tuple[Named, ...], tuple[Named, ...]]:
    top = (
        ("name", _("Name")),
        ("practice", _("Practice or organization")),
        ("street", _("Street and number")),
        ("postcode", _("Postcode")),
        ("place", _("Place")),
        ("region", _("Region")),
        ("latitude", _("Latitude (optional)")),
        ("longitude", _("Longitude (optional)")),
    )
    bottom = (
        ("languages", _("Languages: two-letter codes separated by commas (such as nl, en, tr)")),
        ("waiting_weeks", _("Waiting time (weeks)")),
        ("waiting_as_of", _("Waiting time as of (date, such as 2026-10-01)")),
        ("phone", _("Phone")),
        ("email", _("Email")),
        ("website", _("Website")),
        ("agb_code", _("AGB code (optional)")),
    )
    return top, bottom


def provider_form_page(
    directory: DirectoryAccess,
    provider: Provider | None,
    values: dict[str, str | list[str]],
    language: str,
    errors: Errors | None = None,
) -> ProviderFormPage:
    """The add/edit form. ``values`` come from :func:`provider_values` or, after a
    refusal, from ``ProviderForm.typed``; free expertise tags (outside the knowledge
    base) are shown in their own text field."""
    knowledge = knowledge_for(directory.organization.pk)
    interventions = presenters.intervention_names(knowledge, language)
    found = errors or {}
    shown = dict(values)
    expertise = [str(t) for t in shown.get("expertise", []) if t]
    typed_other = str(shown.get("expertise_other", ""))
    shown["expertise"] = [t for t in expertise if t in interventions]
    shown["expertise_other"] = ", ".join(
        [t for t in expertise if t not in interventions] + ([typed_other] if typed_other else [])
    )

    def row(name: str, label: str) -> FieldRow:
        value = shown.get(name, "")
        text = LIST_SEPARATOR.join(value) if isinstance(value, list) else value
        return FieldRow(name=name, label=label, value=text, errors=found.get(name, []))

    top, bottom = _labels()
    return ProviderFormPage(
        provider=provider,
        fields=shown,
        errors=found,
        top_fields=[row(n, label) for n, label in top],
        bottom_fields=[row(n, label) for n, label in bottom],
        expertise_other=row(
            "expertise_other",
            _(
                "Other expertise tags, separated by commas: lower-case letters, digits "
                "and underscores"
            ),
        ),
        choices=choices(knowledge, language),
    )

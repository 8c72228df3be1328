"""Provider directory, search and referrals: thin views over selectors and services.

Size: one sub-domain: a view per URL of the providers app, sharing the app's view helpers.
"""

from __future__ import annotations

import json
from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from maatwerk.core.access import AccessBasis, Role
from maatwerk.core.knowledge.model import KnowledgeBase
from maatwerk.core.referral.directory_csv import LIST_SEPARATOR, PROVIDER_COLUMNS
from maatwerk.core.screening.model import ReferralContext
from maatwerk.web.common.decorators import role_required
from maatwerk.web.common.http import ActorRequest
from maatwerk.web.common.pdf import PDF_CONTENT_TYPE
from maatwerk.web.knowledge.selectors import knowledge_for
from maatwerk.web.organizations.models import Organization
from maatwerk.web.patients.selectors import (
    PatientAccess,
    PatientNotAccessible,
    patient_access,
    patient_open,
)
from maatwerk.web.providers import presenters, selectors, services
from maatwerk.web.providers.models import Provider, Referral
from maatwerk.web.safety.selectors import risk_banner_of

FHIR_JSON = "application/fhir+json"


def _language() -> str:
    return "en" if get_language() == "en" else "nl"


def _errors(error: ValidationError) -> dict[str, list[str]]:
    return error.message_dict if hasattr(error, "error_dict") else {"__all__": error.messages}


def _organization(request: ActorRequest, role: Role) -> Organization:
    organization = selectors.organization_of(request.actor, role)
    if organization is None:  # pragma: no cover - role_required already checked the role
        raise Http404
    return organization


def _choices(knowledge: KnowledgeBase, language: str) -> dict[str, Any]:
    interventions = presenters.intervention_names(knowledge, language)
    return {
        "care_levels": sorted(
            presenters.care_level_names(knowledge, language).items(),
            key=lambda item: knowledge.care_level(item[0]).step,
        ),
        "disciplines": sorted(
            presenters.discipline_names(knowledge, language).items(), key=lambda i: i[1]
        ),
        "interventions": sorted(interventions.items(), key=lambda item: item[1].casefold()),
        "modalities": [(m, presenters.modality_name(m)) for m in Provider.Modality.values],
    }


def _shown_results(
    outcome: services.SearchOutcome, knowledge: KnowledgeBase, language: str
) -> list[dict[str, Any]]:
    disciplines = presenters.discipline_names(knowledge, language)
    interventions = presenters.intervention_names(knowledge, language)
    return [
        {
            "provider": shown.provider,
            "disciplines": [disciplines.get(d, d) for d in shown.provider.disciplines],
            "expertise": [presenters.tag_name(t, interventions) for t in shown.provider.expertise],
            "modalities": [presenters.modality_name(m) for m in shown.provider.modalities],
            "languages": [presenters.language_name(c) for c in shown.provider.languages],
            "reasons": [
                presenters.reason_text(r, knowledge, language) for r in shown.match.reasons
            ],
            "level_fits": shown.match.level_fits,
            "fit": presenters.fit_text(shown.match.level_fit),
            "location_source": shown.location_source,
        }
        for shown in outcome.matches
    ]


def _directory_languages(organization_id: int) -> list[tuple[str, str]]:
    codes = {
        code
        for languages in selectors.directory_of(organization_id)
        .filter(is_active=True)
        .values_list("languages", flat=True)
        for code in languages
    }
    return sorted(((c, presenters.language_name(c)) for c in codes), key=lambda i: i[1])


def _search_page(
    request: ActorRequest,
    *,
    organization_id: int,
    access: PatientAccess | None,
    context: ReferralContext | None,
) -> HttpResponse:
    knowledge = knowledge_for(organization_id)
    language = _language()
    default_level = (context.care_level or "") if context is not None else ""
    query = {key: request.GET.get(key, "")[:100] for key in request.GET}
    if context is not None and "modality" not in query:
        query["modality"] = context.modality
    # The patient's own postcode is the natural starting point; the clinician can
    # still change it (any postcode in the query, even an empty one, wins).
    if access is not None and "postcode" not in query and access.patient.postcode:
        query["postcode"] = access.patient.postcode_written
    criteria, errors = services.read_criteria(
        query, knowledge=knowledge, default_care_level=default_level
    )
    factor_ids = context.factor_ids if context is not None else ()
    searched = "postcode" in request.GET or access is not None
    outcome = (
        services.provider_search(
            organization_id=organization_id,
            criteria=criteria,
            factor_ids=factor_ids,
            knowledge=knowledge,
        )
        if searched
        else None
    )
    return render(
        request,
        "providers/search.html",
        {
            "patient": access.patient if access is not None else None,
            "screening": context,
            "factor_names": [presenters.factor_name(knowledge, f, language) for f in factor_ids],
            "criteria": criteria,
            "errors": errors,
            "outcome": outcome,
            "results": _shown_results(outcome, knowledge, language) if outcome else [],
            "languages": _directory_languages(organization_id),
            "regions": sorted(
                set(
                    selectors.directory_of(organization_id)
                    .filter(is_active=True)
                    .exclude(region="")
                    .values_list("region", flat=True)
                )
            ),
            **_choices(knowledge, language),
        },
    )


# ------------------------------------------------------------------ clinician: search


@role_required(Role.CLINICIAN)
@require_http_methods(["GET"])
def search(request: ActorRequest) -> HttpResponse:
    """The directory search without a patient (no patient data is shown)."""
    organization = _organization(request, Role.CLINICIAN)
    return _search_page(request, organization_id=organization.pk, access=None, context=None)


def _patient(request: ActorRequest, patient_id: str, *, action: str, detail: str) -> PatientAccess:
    try:
        if action == "read":
            return patient_open(
                actor=request.actor,
                patient_id=patient_id,
                object_type=selectors.OBJECT_REFERRAL,
                detail=detail,
            )
        return patient_access(
            actor=request.actor,
            patient_id=patient_id,
            action=action,
            object_type=selectors.OBJECT_REFERRAL,
        )
    except PatientNotAccessible:
        raise Http404 from None


def _clinician_only(access: PatientAccess) -> None:
    """Referring is a clinician's work, even for a clinician who is also a patient."""
    if access.basis is AccessBasis.OWN_RECORD:
        raise Http404


@role_required(Role.CLINICIAN)
@require_http_methods(["GET", "POST"])
def referral_create(request: ActorRequest, patient_id: str) -> HttpResponse:
    """From the patient: search the directory (GET), fill in the referral for a chosen
    provider (GET ?provider=), save it as a draft (POST)."""
    language = _language()
    if request.method == "POST":
        access = _patient(request, patient_id, action="create", detail="")
        _clinician_only(access)
        context = selectors.referral_context(access, language)
        try:
            provider = selectors.active_provider_in(
                access.patient.organization_id, request.POST.get("provider", "")[:64]
            )
        except selectors.NotInDirectory:
            raise Http404 from None
        fields = {
            "care_level": request.POST.get("care_level", "")[:64],
            "question": request.POST.get("question", "")[:5000],
        }
        try:
            referral = services.referral_create(
                actor=request.actor,
                access=access,
                provider=provider,
                care_level=fields["care_level"],
                question=fields["question"],
                context=context,
                language=language,
            )
        except ValidationError as error:
            return _referral_form(
                request, access, provider, context, fields, _errors(error), status=400
            )
        messages.success(request, _("The referral is saved as a draft."))
        return redirect("providers:referral_detail", referral_id=referral.public_id)
    chosen = request.GET.get("provider", "")[:64]
    if chosen:
        access = _patient(request, patient_id, action="read", detail="referral form")
        _clinician_only(access)
        try:
            provider = selectors.active_provider_in(access.patient.organization_id, chosen)
        except selectors.NotInDirectory:
            raise Http404 from None
        context = selectors.referral_context(access, language)
        default_level = request.GET.get("care_level", "")[:64] or (
            (context.care_level or "") if context is not None else ""
        )
        return _referral_form(
            request, access, provider, context, {"care_level": default_level, "question": ""}, {}
        )
    access = _patient(request, patient_id, action="read", detail="referral search")
    _clinician_only(access)
    context = selectors.referral_context(access, language)
    return _search_page(
        request, organization_id=access.patient.organization_id, access=access, context=context
    )


def _referral_form(
    request: ActorRequest,
    access: PatientAccess,
    provider: Provider,
    context: ReferralContext | None,
    fields: dict[str, str],
    errors: dict[str, list[str]],
    status: int = 200,
) -> HttpResponse:
    knowledge = knowledge_for(access.patient.organization_id)
    language = _language()
    return render(
        request,
        "providers/referral_form.html",
        {
            "patient": access.patient,
            "provider": provider,
            "screening": context,
            "fields": fields,
            "errors": errors,
            "earlier": selectors.referrals_of(access)[:10],
            **_choices(knowledge, language),
        },
        status=status,
    )


# ------------------------------------------------------------------ clinician: referral


def _referral(request: ActorRequest, referral_id: str, action: str) -> selectors.ReferralAccess:
    try:
        if action == "read":
            return selectors.referral_open(actor=request.actor, referral_id=referral_id)
        return selectors.referral_access(
            actor=request.actor, referral_id=referral_id, action=action
        )
    except PatientNotAccessible:
        raise Http404 from None


def _detail_page(
    request: ActorRequest,
    opened: selectors.ReferralAccess,
    errors: dict[str, list[str]] | None = None,
    status: int = 200,
) -> HttpResponse:
    referral = opened.referral
    knowledge = knowledge_for(referral.patient.organization_id)
    return render(
        request,
        "providers/referral_detail.html",
        {
            "referral": referral,
            "patient": referral.patient,
            "risk": risk_banner_of(referral.patient),
            "provider": referral.provider_snapshot,
            "care_level": presenters.care_level_names(knowledge, _language()).get(
                referral.care_level, referral.care_level
            ),
            "consent_methods": Referral.ConsentMethod.choices,
            "consent_statement": services.consent_statement(referral),
            "signers": selectors.referral_signers(opened),
            "errors": errors or {},
        },
        status=status,
    )


@role_required(Role.CLINICIAN)
@require_http_methods(["GET"])
def referral_detail(request: ActorRequest, referral_id: str) -> HttpResponse:
    return _detail_page(request, _referral(request, referral_id, "read"))


@role_required(Role.CLINICIAN)
@require_POST
def referral_consent(request: ActorRequest, referral_id: str) -> HttpResponse:
    opened = _referral(request, referral_id, "update")
    try:
        services.referral_consent_record(
            actor=request.actor,
            opened=opened,
            method=request.POST.get("consent_method", "")[:32],
        )
    except ValidationError as error:
        return _detail_page(request, opened, _errors(error), status=400)
    messages.success(request, _("The patient's consent is recorded."))
    return redirect("providers:referral_detail", referral_id=opened.referral.public_id)


@role_required(Role.CLINICIAN)
@require_POST
def referral_send(request: ActorRequest, referral_id: str) -> HttpResponse:
    opened = _referral(request, referral_id, "update")
    try:
        services.referral_send(
            actor=request.actor, opened=opened, signer=request.POST.get("signer", "")[:64]
        )
    except ValidationError as error:
        return _detail_page(request, opened, _errors(error), status=400)
    messages.success(
        request,
        _(
            "The referral is marked as sent and its letter is frozen. Send the letter (PDF) "
            "and, if the provider accepts it, the FHIR file through your usual secure channel."
        ),
    )
    return redirect("providers:referral_detail", referral_id=opened.referral.public_id)


@role_required(Role.CLINICIAN)
@require_POST
def referral_cancel(request: ActorRequest, referral_id: str) -> HttpResponse:
    opened = _referral(request, referral_id, "update")
    try:
        services.referral_cancel(actor=request.actor, opened=opened)
    except ValidationError as error:
        return _detail_page(request, opened, _errors(error), status=400)
    messages.success(request, _("The referral is cancelled."))
    return redirect("providers:referral_detail", referral_id=opened.referral.public_id)


@role_required(Role.CLINICIAN)
@require_http_methods(["GET"])
def referral_letter(request: ActorRequest, referral_id: str) -> HttpResponse:
    opened = _referral(request, referral_id, "print")
    pdf = services.referral_letter(actor=request.actor, opened=opened)
    response = HttpResponse(pdf, content_type=PDF_CONTENT_TYPE)
    response["Content-Disposition"] = f'attachment; filename="referral-{referral_id}.pdf"'
    return response


@role_required(Role.CLINICIAN)
@require_http_methods(["GET"])
def referral_fhir(request: ActorRequest, referral_id: str) -> HttpResponse:
    opened = _referral(request, referral_id, "export")
    resource = services.referral_service_request(actor=request.actor, opened=opened)
    response = HttpResponse(
        json.dumps(resource, ensure_ascii=False, indent=2), content_type=FHIR_JSON
    )
    response["Content-Disposition"] = f'attachment; filename="ServiceRequest-{referral_id}.json"'
    return response


# ------------------------------------------------------------------ organization admin


def _upload(request: ActorRequest) -> bytes | None:
    upload = request.FILES.get("file")
    if upload is None:
        return None
    if upload.size is not None and upload.size > services.MAX_UPLOAD_BYTES:
        return b"x" * (services.MAX_UPLOAD_BYTES + 1)  # the service refuses it with a message
    return bytes(upload.read())


def _directory_page(
    request: ActorRequest, problems: list[str] | None = None, status: int = 200
) -> HttpResponse:
    organization = _organization(request, Role.ORGANIZATION_ADMIN)
    knowledge = knowledge_for(organization.pk)
    disciplines = presenters.discipline_names(knowledge, _language())
    providers = list(selectors.directory_of(organization.pk))
    return render(
        request,
        "providers/directory.html",
        {
            "rows": [
                {"provider": p, "disciplines": [disciplines.get(d, d) for d in p.disciplines]}
                for p in providers
            ],
            "problems": problems or [],
            "columns": PROVIDER_COLUMNS,
            "areas": len(selectors.gazetteer_of(organization.pk)),
        },
        status=status,
    )


@role_required(Role.ORGANIZATION_ADMIN)
@require_http_methods(["GET"])
def directory(request: ActorRequest) -> HttpResponse:
    return _directory_page(request)


@role_required(Role.ORGANIZATION_ADMIN)
@require_POST
def directory_import(request: ActorRequest) -> HttpResponse:
    organization = _organization(request, Role.ORGANIZATION_ADMIN)
    data = _upload(request)
    if data is None:
        return _directory_page(request, [_("Choose a CSV file to import.")], status=400)
    try:
        result = services.providers_import(
            actor=request.actor, organization=organization, data=data
        )
    except services.DirectoryImportRefused as refused:
        return _directory_page(request, refused.messages, status=400)
    messages.success(
        request,
        _("Imported: %(created)s providers added, %(updated)s changed.")
        % {"created": result.created, "updated": result.updated},
    )
    return redirect("providers:directory")


def _csv_response(text: str, filename: str) -> HttpResponse:
    response = HttpResponse(text.encode("utf-8-sig"), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


@role_required(Role.ORGANIZATION_ADMIN)
@require_http_methods(["GET"])
def directory_export(request: ActorRequest) -> HttpResponse:
    organization = _organization(request, Role.ORGANIZATION_ADMIN)
    text = services.providers_export(actor=request.actor, organization=organization)
    return _csv_response(text, "providers.csv")


@role_required(Role.ORGANIZATION_ADMIN)
@require_http_methods(["GET", "POST"])
def gazetteer(request: ActorRequest) -> HttpResponse:
    organization = _organization(request, Role.ORGANIZATION_ADMIN)
    problems: list[str] = []
    status = 200
    if request.method == "POST":
        data = _upload(request)
        if data is None:
            problems, status = [_("Choose a CSV file to import.")], 400
        else:
            try:
                result = services.gazetteer_import(
                    actor=request.actor, organization=organization, data=data
                )
            except services.DirectoryImportRefused as refused:
                problems, status = refused.messages, 400
            else:
                messages.success(
                    request,
                    _("Imported: %(created)s postcode areas added, %(updated)s changed.")
                    % {"created": result.created, "updated": result.updated},
                )
                return redirect("providers:gazetteer")
    areas = sorted(selectors.gazetteer_of(organization.pk).values(), key=lambda a: a.pc4)
    return render(
        request,
        "providers/gazetteer.html",
        {"areas": areas, "problems": problems},
        status=status,
    )


@role_required(Role.ORGANIZATION_ADMIN)
@require_http_methods(["GET"])
def gazetteer_export(request: ActorRequest) -> HttpResponse:
    organization = _organization(request, Role.ORGANIZATION_ADMIN)
    text = services.gazetteer_export(actor=request.actor, organization=organization)
    return _csv_response(text, "postcode-areas.csv")


LIST_FIELDS = ("disciplines", "expertise", "modalities", "languages")


def _fields_from_post(request: ActorRequest) -> dict[str, str]:
    fields = {c: request.POST.get(c, "")[:2100] for c in PROVIDER_COLUMNS if c not in LIST_FIELDS}
    fields["disciplines"] = LIST_SEPARATOR.join(request.POST.getlist("disciplines"))
    fields["modalities"] = LIST_SEPARATOR.join(request.POST.getlist("modalities"))
    free = request.POST.get("expertise_other", "").replace(",", " ").split()
    fields["expertise"] = LIST_SEPARATOR.join([*request.POST.getlist("expertise"), *free])
    fields["languages"] = LIST_SEPARATOR.join(
        request.POST.get("languages", "").replace(",", " ").split()
    )
    fields["active"] = "yes" if request.POST.get("active") else "no"
    return fields


def _fields_of(provider: Provider | None) -> dict[str, Any]:
    if provider is None:
        return {"active": "yes", "disciplines": [], "expertise": [], "modalities": []}
    row = services.row_of(provider)
    fields: dict[str, Any] = {column: getattr(row, column) for column in PROVIDER_COLUMNS}
    # Written as the form reads them back, never localized ("1 oktober 2026", "52,09").
    for column in ("latitude", "longitude", "waiting_weeks"):
        value = fields[column]
        fields[column] = "" if value is None else str(value)
    as_of = fields["waiting_as_of"]
    fields["waiting_as_of"] = "" if as_of is None else as_of.isoformat()
    return fields | {"active": "yes" if provider.is_active else "no"}


def _provider_form(
    request: ActorRequest,
    provider: Provider | None,
    fields: dict[str, Any],
    errors: dict[str, list[str]] | None = None,
    status: int = 200,
) -> HttpResponse:
    organization = _organization(request, Role.ORGANIZATION_ADMIN)
    knowledge = knowledge_for(organization.pk)
    interventions = presenters.intervention_names(knowledge, _language())
    expertise = fields.get("expertise", [])
    if isinstance(expertise, str):
        expertise = expertise.split(LIST_SEPARATOR)
    for key in ("disciplines", "modalities"):
        if isinstance(fields.get(key), str):
            fields[key] = [v for v in fields[key].split(LIST_SEPARATOR) if v]
    if isinstance(fields.get("languages"), str):
        fields["languages"] = fields["languages"].split(LIST_SEPARATOR)
    fields["languages_text"] = ", ".join(fields.get("languages") or [])
    fields["expertise"] = [t for t in expertise if t in interventions]
    fields["expertise_other"] = ", ".join(t for t in expertise if t and t not in interventions)
    found = errors or {}

    def row(name: str, label: str, value: object) -> dict[str, object]:
        return {"name": name, "label": label, "value": value, "errors": found.get(name, [])}

    labels_top = (
        ("name", _("Name")),
        ("practice", _("Practice or organization")),
        ("street", _("Street and number")),
        ("postcode", _("Postcode")),
        ("place", _("Place")),
        ("region", _("Region")),
        ("latitude", _("Latitude (optional)")),
        ("longitude", _("Longitude (optional)")),
    )
    labels_bottom = (
        ("languages", _("Languages: two-letter codes separated by commas (such as nl, en, tr)")),
        ("waiting_weeks", _("Waiting time (weeks)")),
        ("waiting_as_of", _("Waiting time as of (date, such as 2026-10-01)")),
        ("phone", _("Phone")),
        ("email", _("Email")),
        ("website", _("Website")),
        ("agb_code", _("AGB code (optional)")),
    )
    values = fields | {"languages": fields["languages_text"]}
    return render(
        request,
        "providers/provider_form.html",
        {
            "provider": provider,
            "fields": fields,
            "errors": found,
            "top_fields": [row(n, label, values.get(n)) for n, label in labels_top],
            "bottom_fields": [row(n, label, values.get(n)) for n, label in labels_bottom],
            "expertise_other": row(
                "expertise_other",
                _(
                    "Other expertise tags, separated by commas: lower-case letters, digits "
                    "and underscores"
                ),
                fields["expertise_other"],
            ),
            **_choices(knowledge, _language()),
        },
        status=status,
    )


@role_required(Role.ORGANIZATION_ADMIN)
@require_http_methods(["GET", "POST"])
def provider_create(request: ActorRequest) -> HttpResponse:
    return _provider_change(request, None)


@role_required(Role.ORGANIZATION_ADMIN)
@require_http_methods(["GET", "POST"])
def provider_edit(request: ActorRequest, provider_id: str) -> HttpResponse:
    try:
        provider = selectors.provider_for_admin(actor=request.actor, provider_id=provider_id)
    except selectors.NotInDirectory:
        raise Http404 from None
    return _provider_change(request, provider)


def _provider_change(request: ActorRequest, provider: Provider | None) -> HttpResponse:
    if request.method == "GET":
        return _provider_form(request, provider, _fields_of(provider))
    organization = _organization(request, Role.ORGANIZATION_ADMIN)
    fields = _fields_from_post(request)
    try:
        services.provider_save(
            actor=request.actor, organization=organization, provider=provider, fields=fields
        )
    except ValidationError as error:
        return _provider_form(request, provider, dict(fields), _errors(error), status=400)
    messages.success(request, _("The provider is saved."))
    return redirect("providers:directory")


@role_required(Role.ORGANIZATION_ADMIN)
@require_POST
def provider_active(request: ActorRequest, provider_id: str) -> HttpResponse:
    try:
        provider = selectors.provider_for_admin(actor=request.actor, provider_id=provider_id)
    except selectors.NotInDirectory:
        raise Http404 from None
    active = request.POST.get("active") == "yes"
    services.provider_active_set(actor=request.actor, provider=provider, active=active)
    messages.success(
        request,
        _("The provider is active again.") if active else _("The provider is deactivated."),
    )
    return redirect("providers:directory")

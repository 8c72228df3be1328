"""The organization admin's pages: the provider directory (CSV import and export, add,
edit, activate or deactivate one provider) and the postcode areas (gazetteer).

The directory is the organization's, opened by the admin role (``selectors.directory_for``);
one provider is opened with ``open_in_organization``. Each write binds its form and calls
one audited service; a refusal shows the page again with the errors (status 400)."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from maatwerk.core.access import Role
from maatwerk.web.audit.audited import InputRefused
from maatwerk.web.common.decorators import role_required
from maatwerk.web.common.http import ActorRequest
from maatwerk.web.patients.opening import OrganizationOpened, open_in_organization
from maatwerk.web.providers import forms, pages, selectors, services
from maatwerk.web.providers.models import Provider
from maatwerk.web.providers.selectors import DirectoryAccess
from maatwerk.web.providers.views._common import language


def _directory(request: ActorRequest) -> DirectoryAccess:
    return selectors.directory_for(request.actor, Role.ORGANIZATION_ADMIN)


def _open_provider(
    request: ActorRequest, provider_id: str, action: str
) -> OrganizationOpened[Provider]:
    return open_in_organization(
        actor=request.actor,
        model=Provider,
        object_id=provider_id,
        action=action,
        object_type=selectors.OBJECT_DIRECTORY,
        related=("organization",),
    )


def _directory_page(
    request: ActorRequest, directory: DirectoryAccess, refusal: InputRefused | None = None
) -> HttpResponse:
    page = pages.directory_page(directory, language(), refusal.errors if refusal else None)
    status = 400 if refusal is not None else 200
    return render(request, "providers/directory.html", pages.as_context(page), status=status)


def _csv_response(text: str, filename: str) -> HttpResponse:
    response = HttpResponse(text.encode("utf-8-sig"), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


@role_required(Role.ORGANIZATION_ADMIN)
@require_http_methods(["GET"])
def directory(request: ActorRequest) -> HttpResponse:
    return _directory_page(request, _directory(request))


@role_required(Role.ORGANIZATION_ADMIN)
@require_POST
def directory_import(request: ActorRequest) -> HttpResponse:
    opened = _directory(request)
    form = forms.CsvUploadForm(request.POST, request.FILES)
    try:
        result = services.providers_import(actor=request.actor, directory=opened, form=form)
    except InputRefused as refusal:
        return _directory_page(request, opened, refusal)
    messages.success(
        request,
        _("Imported: %(created)s providers added, %(updated)s changed.")
        % {"created": result.created, "updated": result.updated},
    )
    return redirect("providers:directory")


@role_required(Role.ORGANIZATION_ADMIN)
@require_http_methods(["GET"])
def directory_export(request: ActorRequest) -> HttpResponse:
    text = services.providers_export(actor=request.actor, directory=_directory(request))
    return _csv_response(text, "providers.csv")


@role_required(Role.ORGANIZATION_ADMIN)
@require_http_methods(["GET", "POST"])
def gazetteer(request: ActorRequest) -> HttpResponse:
    opened = _directory(request)
    if request.method == "GET":
        page = pages.gazetteer_page(opened)
        return render(request, "providers/gazetteer.html", pages.as_context(page))
    form = forms.CsvUploadForm(request.POST, request.FILES)
    try:
        result = services.gazetteer_import(actor=request.actor, directory=opened, form=form)
    except InputRefused as refusal:
        page = pages.gazetteer_page(opened, refusal.errors)
        return render(request, "providers/gazetteer.html", pages.as_context(page), status=400)
    messages.success(
        request,
        _("Imported: %(created)s postcode areas added, %(updated)s changed.")
        % {"created": result.created, "updated": result.updated},
    )
    return redirect("providers:gazetteer")


@role_required(Role.ORGANIZATION_ADMIN)
@require_http_methods(["GET"])
def gazetteer_export(request: ActorRequest) -> HttpResponse:
    text = services.gazetteer_export(actor=request.actor, directory=_directory(request))
    return _csv_response(text, "postcode-areas.csv")


@role_required(Role.ORGANIZATION_ADMIN)
@require_http_methods(["GET", "POST"])
def provider_create(request: ActorRequest) -> HttpResponse:
    return _provider_change(request, _directory(request), None)


@role_required(Role.ORGANIZATION_ADMIN)
@require_http_methods(["GET", "POST"])
def provider_edit(request: ActorRequest, provider_id: str) -> HttpResponse:
    action = "read" if request.method == "GET" else "update"
    provider = _open_provider(request, provider_id, action).object
    return _provider_change(request, DirectoryAccess(provider.organization), provider)


def _provider_change(
    request: ActorRequest, directory: DirectoryAccess, provider: Provider | None
) -> HttpResponse:
    if request.method == "GET":
        values = pages.provider_values(provider)
        page = pages.provider_form_page(directory, provider, values, language())
        return render(request, "providers/provider_form.html", pages.as_context(page))
    form = forms.ProviderForm(request.POST, directory=directory)
    try:
        services.provider_save(
            actor=request.actor, directory=directory, provider=provider, form=form
        )
    except InputRefused as refusal:
        page = pages.provider_form_page(
            directory, provider, form.typed(), language(), refusal.errors
        )
        return render(request, "providers/provider_form.html", pages.as_context(page), status=400)
    messages.success(request, _("The provider is saved."))
    return redirect("providers:directory")


@role_required(Role.ORGANIZATION_ADMIN)
@require_POST
def provider_active(request: ActorRequest, provider_id: str) -> HttpResponse:
    opened = _open_provider(request, provider_id, "update")
    form = forms.ProviderActiveForm(request.POST)
    try:
        provider = services.provider_active_set(actor=request.actor, opened=opened, form=form)
    except InputRefused as refusal:
        return _directory_page(request, DirectoryAccess(opened.object.organization), refusal)
    messages.success(
        request,
        _("The provider is active again.")
        if provider.is_active
        else _("The provider is deactivated."),
    )
    return redirect("providers:directory")

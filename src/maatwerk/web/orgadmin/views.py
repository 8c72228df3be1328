from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.http import HttpResponse, QueryDict
from django.shortcuts import redirect, render
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from maatwerk.core.access import Role
from maatwerk.web.accounts.models import User
from maatwerk.web.accounts.services import user_disable
from maatwerk.web.audit.audited import InputRefused, Refused, attempt
from maatwerk.web.audit.models import AuditEvent
from maatwerk.web.common.decorators import role_required
from maatwerk.web.common.http import ActorRequest
from maatwerk.web.common.paging import page_of
from maatwerk.web.orgadmin import selectors, services
from maatwerk.web.orgadmin.forms import (
    BackupClinicianForm,
    DashboardSearchForm,
    EmergencyReviewForm,
    InstrumentUploadForm,
)
from maatwerk.web.organizations.models import Team
from maatwerk.web.patients.models import EmergencyAccess, Patient
from maatwerk.web.patients.opening import open_in_organization
from maatwerk.web.questionnaires.instruments import (
    bundled_codes,
    imported_instrument,
    imported_instruments_of,
    instruments_for,
)


@role_required(Role.ORGANIZATION_ADMIN)
def dashboard(request: ActorRequest) -> HttpResponse:
    form = DashboardSearchForm(request.GET or None)
    query = str(form.cleaned_data["q"]) if form.is_valid() else ""
    page = services.dashboard_read(actor=request.actor, query=query)
    return render(
        request,
        "orgadmin/dashboard.html",
        {
            "users": page.users,
            "patients": page.patients,
            "query": query,
            "open_grants": page.open_grants,
        },
    )


@role_required(Role.ORGANIZATION_ADMIN)
def patient_access_report(request: ActorRequest, patient_id: str) -> HttpResponse:
    opened = open_in_organization(
        actor=request.actor,
        model=Patient,
        object_id=patient_id,
        action="read",
        object_type="access_report",
        related=("organization",),
    )
    events = services.access_report_patient_read(actor=request.actor, opened=opened)
    return _access_report(request, opened.object, events, kind="patient")


@role_required(Role.ORGANIZATION_ADMIN)
def user_access_report(request: ActorRequest, user_id: str) -> HttpResponse:
    opened = open_in_organization(
        actor=request.actor,
        model=User,
        object_id=user_id,
        action="read",
        object_type="access_report_user",
        organization_path="memberships__organization",
    )
    events = services.access_report_user_read(actor=request.actor, opened=opened)
    return _access_report(request, opened.object, events, kind="user")


def _access_report(
    request: ActorRequest, subject: Patient | User, events: QuerySet[AuditEvent], *, kind: str
) -> HttpResponse:
    """One page (100 events) of the access report on a patient or a user."""
    page = page_of(request.GET, events, 100)
    context = {"subject": subject, "page": page, "kind": kind}
    return render(request, "orgadmin/access_report.html", context)


@role_required(Role.ORGANIZATION_ADMIN)
@require_POST
def emergency_review(request: ActorRequest, grant_id: str) -> HttpResponse:
    opened = open_in_organization(
        actor=request.actor,
        model=EmergencyAccess,
        object_id=grant_id,
        action="update",
        object_type="emergency_access",
        organization_path="patient__organization",
        related=("patient__organization",),
    )
    try:
        services.emergency_access_review(
            actor=request.actor, opened=opened, form=EmergencyReviewForm(request.POST)
        )
    except InputRefused as refusal:
        messages.error(request, str(refusal))
        return redirect("orgadmin:dashboard")
    messages.success(request, _("The emergency access is marked as reviewed."))
    return redirect("orgadmin:dashboard")


@role_required(Role.ORGANIZATION_ADMIN)
@require_POST
def user_disable_view(request: ActorRequest, user_id: str) -> HttpResponse:
    opened = open_in_organization(
        actor=request.actor,
        model=User,
        object_id=user_id,
        action="update",
        object_type="account",
        organization_path="memberships__organization",
    )
    try:
        user_disable(actor=request.actor, user=opened.object)
    except InputRefused as refusal:
        messages.error(request, str(refusal))
    else:
        messages.success(
            request, _("The account of %(name)s is disabled.") % {"name": opened.object}
        )
    return redirect("orgadmin:dashboard")


def _backup_form(team: Team, data: QueryDict | None = None) -> BackupClinicianForm:
    return BackupClinicianForm(
        data,
        initial={"backup": team.backup_clinician_id},
        candidates=selectors.backup_candidates(team),
        auto_id=f"id_{team.public_id}_%s",
    )


def _render_teams(
    request: ActorRequest, refused: tuple[Team, BackupClinicianForm] | None = None
) -> HttpResponse:
    rows = []
    for team in selectors.admin_teams(actor=request.actor):
        if refused is not None and refused[0].pk == team.pk:
            form = refused[1]
        else:
            form = _backup_form(team)
        rows.append((selectors.team_overview(team), form))
    return render(
        request, "orgadmin/teams.html", {"rows": rows}, status=400 if refused is not None else 200
    )


@role_required(Role.ORGANIZATION_ADMIN)
@require_http_methods(["GET"])
def teams(request: ActorRequest) -> HttpResponse:
    """Each team with its members and its backup clinician for safety signals."""
    return _render_teams(request)


@role_required(Role.ORGANIZATION_ADMIN)
@require_POST
def team_backup(request: ActorRequest, team_id: str) -> HttpResponse:
    opened = open_in_organization(
        actor=request.actor,
        model=Team,
        object_id=team_id,
        action="update",
        object_type="team_backup_clinician",
        related=("organization",),
    )
    team = opened.object
    form = _backup_form(team, request.POST)
    backup = attempt(
        form,
        lambda: services.team_backup_clinician_set(actor=request.actor, opened=opened, form=form),
    )
    if isinstance(backup, Refused):
        return _render_teams(request, refused=(team, form))
    if backup is None:
        done = _("%(team)s has no backup clinician now.") % {"team": team.name}
    else:
        done = _("%(name)s is now the backup clinician of %(team)s.") % {
            "name": backup.user.full_name,
            "team": team.name,
        }
    messages.success(request, done)
    return redirect("orgadmin:teams")


@role_required(Role.ORGANIZATION_ADMIN)
@require_http_methods(["GET", "POST"])
def instruments(request: ActorRequest) -> HttpResponse:
    """Questionnaires, their licensed texts and the organization's own (FHIR) instruments:
    what the organization can administer. Two forms: licensed texts (field ``texts``)
    and a FHIR Questionnaire (``form=questionnaire``, field ``questionnaire``)."""
    actor = request.actor
    organization = next(m.organization for m in actor.memberships_with(Role.ORGANIZATION_ADMIN))
    errors: list[str] = []
    fhir_errors: list[str] = []
    form = InstrumentUploadForm()
    if request.method == "POST":
        form = InstrumentUploadForm(request.POST, request.FILES)
        problems = fhir_errors if form.is_questionnaire() else errors
        try:
            imported = services.instruments_upload(
                actor=actor, organization=organization, form=form
            )
        except InputRefused as refusal:
            problems.extend(m for messages in refusal.errors.values() for m in messages)
        except ValidationError as error:
            problems.extend(error.messages)
        else:
            if imported.questionnaire:
                done = (
                    _("The questionnaire %(code)s %(version)s is imported.")
                    if imported.created
                    else _("The questionnaire %(code)s %(version)s is replaced.")
                )
            else:
                done = _("The texts for %(code)s %(version)s are imported.")
            messages.success(request, done % {"code": imported.code, "version": imported.version})
            return redirect("orgadmin:instruments")
    language = "en" if get_language() == "en" else "nl"
    rows = [
        {
            "code": instrument.code,
            "version": instrument.version,
            "name": instrument.name.get(language, fallback=True),
            "licence": instrument.licence.kind,
            "shipped": instrument.licence.item_texts_shipped,
            "usable": usable,
            "own": instrument.code not in bundled_codes(),
        }
        for instrument, usable in instruments_for(organization.pk)
    ]
    own_rows = []
    for stored_import, in_use in imported_instruments_of(organization.pk):
        instrument = imported_instrument(stored_import)
        own_rows.append(
            {
                "code": stored_import.code,
                "version": stored_import.version,
                "name": instrument.name.get(language, fallback=True) if instrument else None,
                "imported_by": stored_import.imported_by,
                "imported_at": stored_import.imported_at,
                "in_use": in_use,
                "loads": instrument is not None,
            }
        )
    return render(
        request,
        "orgadmin/instruments.html",
        {
            "rows": rows,
            "own_rows": own_rows,
            "errors": errors,
            "fhir_errors": fhir_errors,
            "form": form,
            "organization": organization,
        },
        status=400 if errors or fhir_errors else 200,
    )

"""The safety plan: the care team's pages in the dossier and the patient's pages in the
portal. Thin views over the access rule, the presenters and the services."""

from __future__ import annotations

import json
from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.templatetags.static import static
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from maatwerk.core.access import Role
from maatwerk.core.instruments.base import Language
from maatwerk.core.safety_plan import SafetyPlanError, empty_plan
from maatwerk.web.common.decorators import role_required
from maatwerk.web.common.http import ActorRequest
from maatwerk.web.common.pdf import PDF_CONTENT_TYPE
from maatwerk.web.patients.selectors import (
    PatientAccess,
    PatientNotAccessible,
    patient_access,
    patient_open,
)
from maatwerk.web.safetyplan import presenters, selectors, services
from maatwerk.web.safetyplan.models import SafetyPlanVersion
from maatwerk.web.safetyplan.selectors import OBJECT_SAFETY_PLAN

NO_STORE = "no-store, private"


def _language() -> Language:
    return presenters.language_of(get_language())


def _open(request: ActorRequest, patient_id: str, detail: str) -> PatientAccess:
    try:
        return patient_open(
            actor=request.actor,
            patient_id=patient_id,
            object_type=OBJECT_SAFETY_PLAN,
            detail=detail,
        )
    except PatientNotAccessible:
        raise Http404 from None


def _for_change(request: ActorRequest, patient_id: str) -> PatientAccess:
    try:
        return patient_access(
            actor=request.actor,
            patient_id=patient_id,
            action="update",
            object_type=OBJECT_SAFETY_PLAN,
        )
    except PatientNotAccessible:
        raise Http404 from None


def _own_id(request: ActorRequest) -> str:
    if request.actor.patient is None:  # role_required(PATIENT) guarantees a patient record
        raise Http404
    return str(request.actor.patient.public_id)


def _page(
    access: PatientAccess,
    *,
    for_patient: bool,
    version: SafetyPlanVersion | None = None,
    use_current: bool = True,
) -> dict[str, Any]:
    content = selectors.safety_plan_content()
    plan = selectors.safety_plan_of(access)
    if use_current:
        version = selectors.current_version(plan)
    document = selectors.document_of(version) if version is not None else empty_plan(content)
    language = _language()
    return {
        "access": access,
        "patient": access.patient,
        "content": content,
        "title": content.title.get(language),
        "intro": (content.patient_intro if for_patient else content.clinician_intro).get(language),
        "plan": plan,
        "version": version,
        "sections": presenters.sections(
            content,
            document,
            patient=access.patient,
            language=language,
            for_patient=for_patient,
            changed=version.changed_section_ids if version is not None else (),
        ),
        "for_patient": for_patient,
        "sources": content.sources,
    }


def _edit(
    request: ActorRequest, access: PatientAccess, *, for_patient: bool, done_url: str
) -> HttpResponse:
    """The edit form (GET) or a save (POST), for the care team or the patient."""
    context = _page(access, for_patient=for_patient)
    content = context["content"]
    if request.method == "POST":
        submitted = presenters.submitted_entries(content, request.POST, for_patient=for_patient)
        try:
            saved = services.safety_plan_save(
                actor=request.actor, access=access, submitted=submitted
            )
        except SafetyPlanError as error:
            context["sections"] = presenters.sections(
                content,
                selectors.document_of(context["version"])
                if context["version"] is not None
                else empty_plan(content),
                patient=access.patient,
                language=_language(),
                for_patient=for_patient,
                submitted=submitted,
                problems=error.problems,
            )
            context["has_errors"] = True
            return render(request, "safetyplan/edit.html", context, status=400)
        except PermissionDenied:
            raise Http404 from None
        if saved is None:
            messages.info(request, _("Nothing changed, so no new version was made."))
        elif for_patient:
            messages.success(request, _("Your safety plan is saved."))
        else:
            messages.success(request, _("The safety plan is saved as a new version."))
        return redirect(done_url)
    return render(request, "safetyplan/edit.html", context)


# ------------------------------------------------------------------ the care team


@role_required(Role.CLINICIAN)
@require_http_methods(["GET"])
def plan(request: ActorRequest, patient_id: str) -> HttpResponse:
    access = _open(request, patient_id, "safety plan")
    return render(request, "safetyplan/plan.html", _page(access, for_patient=False))


@role_required(Role.CLINICIAN)
@require_http_methods(["GET", "POST"])
def edit(request: ActorRequest, patient_id: str) -> HttpResponse:
    """Make or change the plan. Opening the form is a read of the record; saving is
    audited by the service. Emergency access reads but does not change (refused)."""
    if request.method == "POST":
        access = _for_change(request, patient_id)
    else:
        access = _open(request, patient_id, "safety plan form")
    if access.emergency:
        if request.method == "POST":
            services.audit_refused_change(
                actor=request.actor, access=access, detail=services.EMERGENCY_REFUSED
            )
        messages.error(
            request,
            _("Only the patient's care team can change the safety plan, not emergency access."),
        )
        return redirect("safetyplan:plan", patient_id=patient_id)
    return _edit(
        request,
        access,
        for_patient=False,
        done_url=reverse("safetyplan:plan", kwargs={"patient_id": patient_id}),
    )


@role_required(Role.CLINICIAN)
@require_http_methods(["GET"])
def versions(request: ActorRequest, patient_id: str) -> HttpResponse:
    access = _open(request, patient_id, "safety plan versions")
    plan = selectors.safety_plan_of(access)
    content = selectors.safety_plan_content()
    rows = [
        {"version": version, "changed": presenters.version_label(version, content, _language())}
        for version in (selectors.versions_of(plan) if plan is not None else [])
    ]
    return render(
        request,
        "safetyplan/versions.html",
        {"patient": access.patient, "access": access, "plan": plan, "rows": rows},
    )


@role_required(Role.CLINICIAN)
@require_http_methods(["GET"])
def version(request: ActorRequest, patient_id: str, number: int) -> HttpResponse:
    access = _open(request, patient_id, f"safety plan version {number}")
    plan = selectors.safety_plan_of(access)
    found = selectors.version_of(plan, number) if plan is not None else None
    if found is None:
        raise Http404
    context = _page(access, for_patient=False, version=found, use_current=False)
    newest = selectors.current_version(plan)
    context["older"] = newest is not None and newest.number != found.number
    return render(request, "safetyplan/plan.html", context)


def _pdf(request: ActorRequest, access: PatientAccess, *, for_patient: bool) -> HttpResponse:
    context = _page(access, for_patient=for_patient)
    context["generated_at"] = timezone.now()
    try:
        body = services.safety_plan_pdf(actor=request.actor, access=access, context=context)
    except ValidationError:
        raise Http404 from None
    response = HttpResponse(body, content_type=PDF_CONTENT_TYPE)
    response["Content-Disposition"] = 'inline; filename="veiligheidsplan.pdf"'
    response["Cache-Control"] = NO_STORE
    return response


@role_required(Role.CLINICIAN)
@require_http_methods(["GET"])
def pdf(request: ActorRequest, patient_id: str) -> HttpResponse:
    try:
        access = patient_access(
            actor=request.actor, patient_id=patient_id, action="print", object_type="safety_plan"
        )
    except PatientNotAccessible:
        raise Http404 from None
    return _pdf(request, access, for_patient=False)


# ------------------------------------------------------------------ the patient's portal


@role_required(Role.PATIENT)
@require_http_methods(["GET"])
def mine(request: ActorRequest) -> HttpResponse:
    """The patient's own plan, readable offline once loaded (see ``service_worker``)."""
    access = _open(request, _own_id(request), "my safety plan")
    context = _page(access, for_patient=True)
    context["service_worker_url"] = reverse("portal:safety_plan_sw")
    context["service_worker_scope"] = reverse("portal:safety_plan")
    response = render(request, "safetyplan/mine.html", context)
    # Kept out of the browser's HTTP cache; the service worker keeps its own copy of this
    # one page, which logging out clears (Clear-Site-Data).
    response["Cache-Control"] = NO_STORE
    return response


@role_required(Role.PATIENT)
@require_http_methods(["GET", "POST"])
def mine_edit(request: ActorRequest) -> HttpResponse:
    patient_id = _own_id(request)
    if request.method == "POST":
        access = _for_change(request, patient_id)
    else:
        access = _open(request, patient_id, "my safety plan form")
    return _edit(request, access, for_patient=True, done_url=reverse("portal:safety_plan"))


@role_required(Role.PATIENT)
@require_http_methods(["GET"])
def mine_pdf(request: ActorRequest) -> HttpResponse:
    try:
        access = patient_access(
            actor=request.actor,
            patient_id=_own_id(request),
            action="print",
            object_type="safety_plan",
        )
    except PatientNotAccessible:  # pragma: no cover - a patient may always open their own
        raise Http404 from None
    return _pdf(request, access, for_patient=True)


SERVICE_WORKER = """'use strict';
// Keeps the patient's safety plan readable without a connection. Only the plan page
// itself and the static files it loads are cached; nothing else of the portal. Logging
// out clears this cache (Clear-Site-Data), and so does any answer that is not the plan
// (logged out, expired session).
const CACHE = 'maatwerk-safety-plan-v1';
const PAGE = new URL('./', self.location).pathname;
const STATIC = %(static)s;

async function refresh() {
  const response = await fetch(PAGE, {credentials: 'same-origin', cache: 'no-store'});
  const cache = await caches.open(CACHE);
  if (response.ok && !response.redirected && response.type === 'basic') {
    await cache.put(PAGE, response.clone());
  } else {
    await caches.delete(CACHE);
  }
  return response;
}

self.addEventListener('install', (event) => {
  event.waitUntil(refresh().catch(() => undefined).then(() => self.skipWaiting()));
});

self.addEventListener('activate', (event) => {
  event.waitUntil(self.clients.claim());
});

self.addEventListener('fetch', (event) => {
  const request = event.request;
  if (request.method !== 'GET') return;
  const url = new URL(request.url);
  if (url.origin !== self.location.origin) return;
  if (request.mode === 'navigate' && url.pathname === PAGE && !url.search) {
    event.respondWith(
      refresh().catch(async () => (await caches.match(PAGE)) || Response.error())
    );
    return;
  }
  if (url.pathname.startsWith(STATIC)) {
    event.respondWith((async () => {
      try {
        const response = await fetch(request);
        if (response.ok) (await caches.open(CACHE)).put(request, response.clone());
        return response;
      } catch (error) {
        return (await caches.match(request)) || Response.error();
      }
    })());
  }
});
"""


@require_http_methods(["GET"])
def service_worker(request: ActorRequest) -> HttpResponse:
    """The service worker for the safety-plan page. It holds no patient data; its scope is
    the folder it is served from (``/portal/safety-plan/``), so it can never see the rest of
    the portal."""
    static_prefix = static("")
    body = SERVICE_WORKER % {"static": json.dumps(static_prefix)}
    response = HttpResponse(body, content_type="text/javascript; charset=utf-8")
    # Like every response (PrivateResponseMiddleware adds no-store): the browser fetches
    # the script anew on each update check, so a changed worker is never stale.
    response["Service-Worker-Allowed"] = reverse("portal:safety_plan")
    return response

"""The safety plan: the care team's pages in the dossier and the patient's pages in the
portal. Thin views over the access rule, the presenters and the services."""

from __future__ import annotations

import json

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.templatetags.static import static
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import get_language, gettext_lazy
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from maatwerk.core.access import Role
from maatwerk.core.instruments.base import Language
from maatwerk.core.safety_plan import empty_plan
from maatwerk.web.audit.audited import InputRefused
from maatwerk.web.common.decorators import role_required
from maatwerk.web.common.http import ActorRequest
from maatwerk.web.common.pdf import PDF_CONTENT_TYPE
from maatwerk.web.patients.opening import Audience, PatientAccess, open_own_record, open_patient
from maatwerk.web.safetyplan import presenters, selectors, services
from maatwerk.web.safetyplan.forms import SafetyPlanForm
from maatwerk.web.safetyplan.selectors import OBJECT_SAFETY_PLAN


def _language() -> Language:
    return presenters.language_of(get_language())


def _opener(request: ActorRequest, action: str, patient_id: str | None) -> PatientAccess:
    """The plan's patient: from the URL for the care team, the own record for a patient."""
    if patient_id is None:
        return open_own_record(actor=request.actor, action=action, object_type=OBJECT_SAFETY_PLAN)
    return open_patient(
        actor=request.actor,
        patient_id=patient_id,
        action=action,
        audience=Audience.CARE_TEAM,
        object_type=OBJECT_SAFETY_PLAN,
    )


def _page(
    access: PatientAccess,
    read: services.PlanPage,
    *,
    for_patient: bool,
    refused: services.SafetyPlanRefused | None = None,
) -> presenters.PlanPageContext:
    content = selectors.safety_plan_content()
    version = read.version
    document = selectors.document_of(version) if version is not None else empty_plan(content)
    language = _language()
    return {
        "access": access,
        "patient": access.patient,
        "content": content,
        "title": content.title.get(language),
        "intro": (content.patient_intro if for_patient else content.clinician_intro).get(language),
        "plan": read.plan,
        "version": version,
        "sections": presenters.sections(
            content,
            document,
            patient=access.patient,
            language=language,
            for_patient=for_patient,
            changed=version.changed_section_ids if version is not None and refused is None else (),
            submitted=refused.submitted if refused is not None else None,
            problems=refused.problems if refused is not None else (),
        ),
        "for_patient": for_patient,
        "sources": content.sources,
        "has_errors": refused is not None,
    }


def _edit(
    request: ActorRequest, patient_id: str | None, *, for_patient: bool, done_url: str
) -> HttpResponse:
    """The edit form (GET) or a save (POST), for the care team or the patient."""
    if request.method != "POST":
        access = _opener(request, "read", patient_id)
        if access.emergency:
            services.safety_plan_read(actor=request.actor, access=access, detail="safety plan form")
            messages.error(request, EMERGENCY_MESSAGE)
            return redirect("safetyplan:plan", patient_id=patient_id)
        read = services.safety_plan_read(
            actor=request.actor,
            access=access,
            detail="my safety plan form" if for_patient else "safety plan form",
        )
        return render(request, "safetyplan/edit.html", _page(access, read, for_patient=for_patient))
    access = _opener(request, "update", patient_id)
    form = SafetyPlanForm(request.POST, selectors.safety_plan_content(), for_patient=for_patient)
    try:
        saved = services.safety_plan_save(actor=request.actor, access=access, form=form)
    except PermissionDenied:
        messages.error(request, EMERGENCY_MESSAGE)
        return redirect("safetyplan:plan", patient_id=patient_id)
    except services.SafetyPlanRefused as refused:
        read = services.plan_page(access)
        context = _page(access, read, for_patient=for_patient, refused=refused)
        return render(request, "safetyplan/edit.html", context, status=400)
    if saved is None:
        messages.info(request, _("Nothing changed, so no new version was made."))
    elif for_patient:
        messages.success(request, _("Your safety plan is saved."))
    else:
        messages.success(request, _("The safety plan is saved as a new version."))
    return redirect(done_url)


EMERGENCY_MESSAGE = gettext_lazy(
    "Only the patient's care team can change the safety plan, not emergency access."
)


# ------------------------------------------------------------------ the care team


@role_required(Role.CLINICIAN)
@require_http_methods(["GET"])
def plan(request: ActorRequest, patient_id: str) -> HttpResponse:
    access = _opener(request, "read", patient_id)
    read = services.safety_plan_read(actor=request.actor, access=access, detail="safety plan")
    return render(request, "safetyplan/plan.html", _page(access, read, for_patient=False))


@role_required(Role.CLINICIAN)
@require_http_methods(["GET", "POST"])
def edit(request: ActorRequest, patient_id: str) -> HttpResponse:
    """Make or change the plan. Opening the form is a read of the record; saving is
    audited by the service. Emergency access reads but does not change (denied)."""
    return _edit(
        request,
        patient_id,
        for_patient=False,
        done_url=reverse("safetyplan:plan", kwargs={"patient_id": patient_id}),
    )


@role_required(Role.CLINICIAN)
@require_http_methods(["GET"])
def versions(request: ActorRequest, patient_id: str) -> HttpResponse:
    access = _opener(request, "read", patient_id)
    read = services.safety_plan_read(
        actor=request.actor, access=access, detail="safety plan versions"
    )
    content = selectors.safety_plan_content()
    rows = [
        {"version": version, "changed": presenters.version_label(version, content, _language())}
        for version in read.versions
    ]
    return render(
        request,
        "safetyplan/versions.html",
        {"patient": access.patient, "access": access, "plan": read.plan, "rows": rows},
    )


@role_required(Role.CLINICIAN)
@require_http_methods(["GET"])
def version(request: ActorRequest, patient_id: str, number: int) -> HttpResponse:
    access = _opener(request, "read", patient_id)
    read = services.safety_plan_read(
        actor=request.actor,
        access=access,
        detail=f"safety plan version {number}",
        number=number,
    )
    context = _page(access, read, for_patient=False)
    newest = read.versions[0] if read.versions else None
    context["older"] = (
        newest is not None and read.version is not None and (newest.number != read.version.number)
    )
    return render(request, "safetyplan/plan.html", context)


def _pdf(request: ActorRequest, patient_id: str | None, *, for_patient: bool) -> HttpResponse:
    access = _opener(request, "print", patient_id)
    context = _page(access, services.plan_page(access), for_patient=for_patient)
    context["generated_at"] = timezone.now()
    try:
        body = services.safety_plan_pdf(actor=request.actor, access=access, context=context)
    except InputRefused:
        raise Http404 from None
    response = HttpResponse(body, content_type=PDF_CONTENT_TYPE)
    response["Content-Disposition"] = 'inline; filename="veiligheidsplan.pdf"'
    return response  # no-store, private: PrivateResponseMiddleware, as every response


@role_required(Role.CLINICIAN)
@require_http_methods(["GET"])
def pdf(request: ActorRequest, patient_id: str) -> HttpResponse:
    return _pdf(request, patient_id, for_patient=False)


# ------------------------------------------------------------------ the patient's portal


@role_required(Role.PATIENT)
@require_http_methods(["GET"])
def mine(request: ActorRequest) -> HttpResponse:
    """The patient's own plan, readable offline once loaded (see ``service_worker``)."""
    access = _opener(request, "read", None)
    read = services.safety_plan_read(actor=request.actor, access=access, detail="my safety plan")
    context = _page(access, read, for_patient=True)
    context["service_worker_url"] = reverse("portal:safety_plan_sw")
    context["service_worker_scope"] = reverse("portal:safety_plan")
    # Kept out of the browser's HTTP cache by PrivateResponseMiddleware (no-store, as every
    # response); the service worker keeps its own copy of this one page, which logging out
    # clears (Clear-Site-Data).
    return render(request, "safetyplan/mine.html", context)


@role_required(Role.PATIENT)
@require_http_methods(["GET", "POST"])
def mine_edit(request: ActorRequest) -> HttpResponse:
    return _edit(request, None, for_patient=True, done_url=reverse("portal:safety_plan"))


@role_required(Role.PATIENT)
@require_http_methods(["GET"])
def mine_pdf(request: ActorRequest) -> HttpResponse:
    return _pdf(request, None, for_patient=True)


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

"""Partners and parents: inviting, revoking, accepting and what they see."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from maatwerk.core.access import Role
from maatwerk.web.audit.audited import InputRefused, Refused, attempt, show_refusal
from maatwerk.web.common.http import ActorRequest
from maatwerk.web.patients.opening import (
    open_child,
    open_patient,
)
from maatwerk.web.treatment import forms, presenters, selectors, services
from maatwerk.web.treatment.models import RelativeAccess
from maatwerk.web.treatment.opening import open_shared


@login_required
@require_http_methods(["GET", "POST"])
def relatives(request: ActorRequest, patient_id: str) -> HttpResponse:
    if not (request.actor.has_role(Role.PATIENT) or request.actor.has_role(Role.CLINICIAN)):
        raise Http404
    invited = None
    form = forms.RelativeInviteForm(request.POST if request.method == "POST" else None)
    status = 200
    if request.method == "POST":
        form.is_valid()
        access = open_patient(
            actor=request.actor,
            patient_id=patient_id,
            action="create",
            object_type=selectors.OBJECT_RELATIVE,
        )
        outcome = attempt(
            form,
            lambda: services.relative_invite(
                actor=request.actor,
                form=form,
                access=access,
                email=str(form.cleaned_data.get("email", "")),
                full_name=str(form.cleaned_data.get("full_name", "")),
                relation=str(form.cleaned_data.get("relation", "")),
                consent=bool(form.cleaned_data.get("consent")),
                link_base=request.build_absolute_uri("/").rstrip("/"),
            ),
        )
        if isinstance(outcome, Refused):
            status = outcome.status
        else:
            invited = outcome
        found = list(selectors.relatives_of(access))
    else:
        access = open_patient(
            actor=request.actor,
            patient_id=patient_id,
            action="read",
            object_type=selectors.OBJECT_RELATIVE,
        )
        found = services.relatives_read(actor=request.actor, access=access)
    return render(
        request,
        "treatment/relatives.html",
        {
            "patient": access.patient,
            "relatives": found,
            "is_patient": access.by_patient,
            "errors": form.errors if status == 400 else {},
            # What was typed, shown again when the invitation was refused.
            "form": {
                name: form[name].value() or "" if status == 400 else ""
                for name in ("email", "full_name", "relation")
            }
            | {"consent": bool(form["consent"].value()) if status == 400 else False},
            "relations": RelativeAccess.Relation.choices,
            "invited": invited,
        },
        status=status,
    )


@login_required
@require_POST
def relative_revoke(request: ActorRequest, relative_id: str) -> HttpResponse:
    if not (request.actor.has_role(Role.PATIENT) or request.actor.has_role(Role.CLINICIAN)):
        raise Http404
    form = forms.EmptyForm(request.POST)
    form.is_valid()
    opened = open_child(
        actor=request.actor,
        model=RelativeAccess,
        object_id=relative_id,
        action="update",
        object_type=selectors.OBJECT_RELATIVE,
    )
    try:
        services.relative_revoke(actor=request.actor, form=form, opened=opened)
    except InputRefused as refusal:
        messages.error(request, str(refusal))
    else:
        messages.success(request, _("Access has been ended."))
    return redirect("treatment:relatives", patient_id=opened.access.patient.public_id)


@require_http_methods(["GET", "POST"])
def relative_accept(request: ActorRequest, token: str) -> HttpResponse:
    """The invited partner or parent accepts with the link from their e-mail. Without an
    account they choose a password and the account is made now; with one they log in
    first."""
    try:
        invitation = services.pending_invitation(token[:100])
    except services.InvitationNotValid:
        return render(request, "treatment/relative_accept.html", {"invalid": True}, status=404)
    signed_in = request.actor.user is not None
    needs_login = not signed_in and services.account_exists_for(invitation)
    form = forms.AcceptInvitationForm(request.POST if request.method == "POST" else None)
    status = 200
    if request.method == "POST" and not needs_login:
        form.is_valid()
        try:
            services.relative_accept(
                actor=request.actor,
                token=token[:100],
                password1=str(form.cleaned_data.get("password1") or ""),
                password2=str(form.cleaned_data.get("password2") or ""),
            )
        except InputRefused as refusal:
            show_refusal(form, refusal)
            status = 400
        except services.InvitationNotValid:
            return render(request, "treatment/relative_accept.html", {"invalid": True}, status=404)
        else:
            if signed_in:
                messages.success(request, _("You can now read along."))
                return redirect("treatment:shared")
            messages.success(
                request, _("Your account is ready. Log in with your e-mail address and password.")
            )
            return redirect("account_login")
    return render(
        request,
        "treatment/relative_accept.html",
        {
            "invalid": False,
            "first_name": invitation.patient.full_name.split(" ")[0],
            "email": invitation.invited_email,
            "signed_in": signed_in,
            "needs_login": needs_login,
            "login_url": reverse("account_login") + "?next=" + request.path,
            "form": form,
        },
        status=status,
    )


@login_required
@require_http_methods(["GET"])
def shared(request: ActorRequest) -> HttpResponse:
    """For a partner or parent: whose care they may read along with."""
    accesses = list(selectors.shared_with(request.actor))
    if len(accesses) == 1:
        return redirect("treatment:shared_detail", relative_id=accesses[0].public_id)
    return render(request, "treatment/shared.html", {"accesses": accesses})


@login_required
@require_http_methods(["GET"])
def shared_detail(request: ActorRequest, relative_id: str) -> HttpResponse:
    relative = open_shared(actor=request.actor, relative_id=relative_id)
    view = services.shared_read(actor=request.actor, relative=relative, today=timezone.localdate())
    language = services.language()
    modules = [
        {
            "name": presenters.text(definition.name, language),
            "summary": presenters.text(definition.summary, language),
            "steps": [
                {
                    "title": presenters.text(step.title, language),
                    "paragraphs": [presenters.text(p, language) for p in step.text],
                }
                for step in definition.steps
            ],
        }
        for _assignment, definition in view.modules
    ]
    return render(
        request,
        "treatment/shared_detail.html",
        {
            "relative": relative,
            "first_name": relative.patient.full_name.split(" ")[0],
            "modules": modules,
            "plan_summary": view.plan_summary,
            "may_be_minor": view.may_be_minor,
            "parent_view": view.parent_view,
        },
    )

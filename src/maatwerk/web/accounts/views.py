from __future__ import annotations

from django.contrib import messages
from django.contrib.auth import login
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods

from maatwerk.core.access import Role
from maatwerk.web.accounts.forms import SetPasswordForm
from maatwerk.web.accounts.services import InvitationInvalid, invitation_accept, invitation_find
from maatwerk.web.audit.audited import InputRefused, show_refusal
from maatwerk.web.common.http import ActorRequest
from maatwerk.web.common.middleware import access_point


def home(request: ActorRequest) -> HttpResponse:
    """Send each user to their own start page."""
    if not request.user.is_authenticated:
        return redirect("account_login")
    actor = request.actor
    if actor.has_role(Role.CLINICIAN):
        return redirect("clinic:caseload")
    if actor.has_role(Role.PATIENT):
        return redirect("portal:home")
    if actor.has_role(Role.ORGANIZATION_ADMIN):
        return redirect("orgadmin:dashboard")
    return render(request, "accounts/home_other.html")


@never_cache
@require_http_methods(["GET", "POST"])
def invitation(request: ActorRequest, token: str) -> HttpResponse:
    """Set a first password with the invitation link; the patient is then logged in and
    reads the privacy statement (and chooses the optional parts) before anything else."""
    try:
        found = invitation_find(token=token)
    except InvitationInvalid as problem:
        return render(
            request, "accounts/invitation_invalid.html", {"problem": str(problem)}, status=404
        )
    if request.method != "POST":
        return render(
            request, "accounts/invitation.html", {"form": SetPasswordForm(), "invited": found.user}
        )
    form = SetPasswordForm(request.POST)
    try:
        accepted = invitation_accept(token=token, form=form, access_point=access_point(request))
    except InputRefused as refusal:
        show_refusal(form, refusal)
        return render(
            request,
            "accounts/invitation.html",
            {"form": form, "invited": found.user},
            status=400,
        )
    except InvitationInvalid as problem:
        return render(
            request, "accounts/invitation_invalid.html", {"problem": str(problem)}, status=404
        )
    login(
        request, accepted.user, backend="maatwerk.web.accounts.backends.ActorAuthenticationBackend"
    )
    messages.success(request, _("Your password is set and you are logged in."))
    return redirect("portal:privacy" if accepted.is_patient else "home")

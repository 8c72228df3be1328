from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods

from maatwerk.core.access import Role
from maatwerk.web.accounts.forms import SetPasswordForm
from maatwerk.web.accounts.services import InvitationInvalid, invitation_accept, invitation_find
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
    try:
        found = invitation_find(token=token)
    except InvitationInvalid as problem:
        return render(
            request, "accounts/invitation_invalid.html", {"problem": str(problem)}, status=404
        )
    form = SetPasswordForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            invitation_accept(
                token=token,
                password=form.cleaned_data["password1"],
                access_point=access_point(request),
            )
        except ValidationError as error:
            for message in error.messages:
                form.add_error("password1", message)
        except InvitationInvalid as problem:
            return render(
                request, "accounts/invitation_invalid.html", {"problem": str(problem)}, status=404
            )
        else:
            messages.success(request, _("Your password is set. You can now log in."))
            return redirect("account_login")
    return render(request, "accounts/invitation.html", {"form": form, "invited": found.user})

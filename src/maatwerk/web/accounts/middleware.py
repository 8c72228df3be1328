from __future__ import annotations

import time
from collections.abc import Callable

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext as _

from maatwerk.core.access import Role, SessionPolicy, session_expired
from maatwerk.web.common.actor import requires_second_factor

SESSION_STARTED = "maatwerk_started_at"
SESSION_LAST_ACTIVITY = "maatwerk_last_activity_at"


def session_policy() -> SessionPolicy:
    return SessionPolicy(
        clinician_idle_seconds=settings.MAATWERK_SESSION_IDLE_CLINICIAN_MINUTES * 60,
        patient_idle_seconds=settings.MAATWERK_SESSION_IDLE_PATIENT_MINUTES * 60,
        absolute_seconds=settings.MAATWERK_SESSION_ABSOLUTE_HOURS * 3600,
    )


class SessionPolicyMiddleware:
    """Idle timeout (clinicians 15 min, patients 30 min) and an absolute lifetime.

    An expired session is flushed on the server, not just forgotten by the browser.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if request.user.is_authenticated:
            now = time.time()
            started = request.session.get(SESSION_STARTED)
            last = request.session.get(SESSION_LAST_ACTIVITY)
            if started is None or last is None:
                request.session[SESSION_STARTED] = started = now
                request.session[SESSION_LAST_ACTIVITY] = last = now
            actor = request.actor  # type: ignore[attr-defined]
            role = Role.PATIENT if actor.roles == {Role.PATIENT} else Role.CLINICIAN
            if session_expired(
                policy=session_policy(),
                role=role,
                started_at=started,
                last_activity_at=last,
                now=now,
            ):
                logout(request)
                if request.path.startswith("/api/") or "application/json" in request.headers.get(
                    "Accept", ""
                ):
                    return JsonResponse(
                        {"detail": _("Your session has ended. Log in again.")}, status=401
                    )
                messages.info(request, _("Your session has ended for your safety. Log in again."))
                return redirect(f"{reverse('account_login')}?next={request.path}")
            request.session[SESSION_LAST_ACTIVITY] = now
        return self.get_response(request)


SECOND_FACTOR_EXEMPT_PREFIXES = ("/accounts/", "/static/", "/i18n/", "/invite/")


class SecondFactorRequiredMiddleware:
    """Clinicians and staff cannot use the platform until they have activated TOTP."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if (
            request.user.is_authenticated
            and not request.path.startswith(SECOND_FACTOR_EXEMPT_PREFIXES)
            and requires_second_factor(request.actor)  # type: ignore[attr-defined]
        ):
            from allauth.mfa.models import Authenticator

            if not Authenticator.objects.filter(
                user_id=request.user.pk, type=Authenticator.Type.TOTP
            ).exists():
                if request.path.startswith("/api/"):
                    return JsonResponse(
                        {"detail": _("Set up two-factor authentication first.")}, status=403
                    )
                messages.info(
                    request,
                    _("Set up two-factor authentication with an authenticator app to continue."),
                )
                return redirect("mfa_activate_totp")
        return self.get_response(request)

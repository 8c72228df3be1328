from __future__ import annotations

import time
from collections.abc import Callable
from urllib.parse import quote

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext as _

from maatwerk.core.access import Role, SessionPolicy, session_expired
from maatwerk.web.common.actor import requires_second_factor
from maatwerk.web.common.middleware import client_address

SESSION_STARTED = "maatwerk_started_at"
SESSION_LAST_ACTIVITY = "maatwerk_last_activity_at"
# The client (address and browser) the user-session list last recorded for this session.
SESSION_TRACKED_CLIENT = "maatwerk_tracked_client"
# The last activity is written to the session at most this often: a request within it
# of the recorded moment leaves the session unchanged, so it is not saved again (one
# database write less per request). The recorded moment is then up to this much older
# than the true last request, so an idle session ends at most this much *earlier* than
# the policy says - never later.
ACTIVITY_RESOLUTION_SECONDS = 30


def session_policy() -> SessionPolicy:
    return SessionPolicy(
        clinician_idle_seconds=settings.MAATWERK_SESSION_IDLE_CLINICIAN_MINUTES * 60,
        patient_idle_seconds=settings.MAATWERK_SESSION_IDLE_PATIENT_MINUTES * 60,
        absolute_seconds=settings.MAATWERK_SESSION_ABSOLUTE_HOURS * 3600,
    )


class SessionPolicyMiddleware:
    """Idle timeout (clinicians 15 min, patients 30 min) and an absolute lifetime.

    An expired session is flushed on the server, not just forgotten by the browser.

    It also keeps the user-session list (allauth's "where am I logged in": last seen,
    address, browser) up to date, in place of allauth's middleware, which writes that row
    on every request (a transaction of three statements): here it is written when the
    last activity is, and at once when the session's address or browser changes, so the
    list is at most ``ACTIVITY_RESOLUTION_SECONDS`` behind and never misses a new client.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if request.user.is_authenticated:
            now = time.time()
            started = request.session.get(SESSION_STARTED)
            last = request.session.get(SESSION_LAST_ACTIVITY)
            first_request = started is None or last is None
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
                return redirect(f"{reverse('account_login')}?next={quote(request.path)}")
            client = _client(request)
            if now - last >= ACTIVITY_RESOLUTION_SECONDS:
                request.session[SESSION_LAST_ACTIVITY] = now
                _track_user_session(request, client)
            elif first_request or request.session.get(SESSION_TRACKED_CLIENT) != client:
                _track_user_session(request, client)
        return self.get_response(request)


def _client(request: HttpRequest) -> str:
    # What allauth records of the client: the address (the adapter's, client_address)
    # and the browser.
    return f"{client_address(request)} {request.META.get('HTTP_USER_AGENT', '')[:200]}"


def _track_user_session(request: HttpRequest, client: str) -> None:
    from allauth.usersessions.models import UserSession

    if request.session.session_key:
        UserSession.objects.create_from_request(request)
        request.session[SESSION_TRACKED_CLIENT] = client


ALWAYS_OPEN_PREFIXES = ("/static/", "/i18n/")
# Where someone who still has to set up a second factor may go: the allauth pages (to
# activate TOTP, or log out) and the invitation page.
SECOND_FACTOR_SETUP_PREFIXES = ("/accounts/", "/invite/")


def second_factor_completed(request: HttpRequest) -> bool:
    """Whether this session itself passed a second factor (a TOTP or recovery code).

    django-allauth records every authentication step of a session, for the user it
    belongs to, under ``account_authentication_methods``; a second factor is a record with
    method ``mfa``. A device that merely exists proves nothing about this session.
    """
    from allauth.account.authentication import get_authentication_records

    records = get_authentication_records(request, request.user)
    return any(record.get("method") == "mfa" for record in records)


class SecondFactorRequiredMiddleware:
    """Every session of a user with TOTP passed it; clinicians and staff must have TOTP.

    A session that is logged in without having passed the second factor (whatever the
    path it came in by) is ended, and the user logs in again through the one login with
    password policy, throttling and the second factor. Clinicians and staff without an
    authenticator can only reach the pages to set one up.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if (
            not request.user.is_authenticated
            or request.path.startswith(ALWAYS_OPEN_PREFIXES)
            or second_factor_completed(request)
        ):
            return self.get_response(request)
        if _has_totp(request):
            logout(request)
            if request.path.startswith("/api/"):
                return JsonResponse(
                    {"detail": _("Log in again with your second factor.")}, status=401
                )
            messages.info(request, _("Log in again with your password and your second factor."))
            return redirect(f"{reverse('account_login')}?next={quote(request.path)}")
        if not request.path.startswith(SECOND_FACTOR_SETUP_PREFIXES) and requires_second_factor(
            request.actor  # type: ignore[attr-defined]
        ):
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


def _has_totp(request: HttpRequest) -> bool:
    """Whether the user has a TOTP authenticator: read with the actor when it was (a
    patient's, in this request), otherwise now."""
    from allauth.mfa.models import Authenticator

    known: bool | None = request.actor.has_totp  # type: ignore[attr-defined]
    if known is not None:
        return known
    return bool(
        Authenticator.objects.filter(user_id=request.user.pk, type=Authenticator.Type.TOTP).exists()
    )

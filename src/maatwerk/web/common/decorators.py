from __future__ import annotations

from collections.abc import Callable
from functools import wraps

from django.contrib.auth.views import redirect_to_login
from django.http import Http404, HttpRequest, HttpResponse

from maatwerk.core.access import Role
from maatwerk.web.audit.audited import record_denial
from maatwerk.web.audit.services import AuditSubject


def role_required(
    role: Role,
) -> Callable[[Callable[..., HttpResponse]], Callable[..., HttpResponse]]:
    """Anonymous users go to the login page; users without ``role`` get a 404.

    A 404 rather than a 403 so that the existence of a page for another role, or of an
    object, is not confirmed to someone who may not see it. The refusal is audited like
    every other denial (a page closed to the role is a refused access too).
    """

    def decorator(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
        @wraps(view)
        def wrapper(request: HttpRequest, *args: object, **kwargs: object) -> HttpResponse:
            # ``args``/``kwargs``: the URL's values, of whatever type its converters give.
            if not request.user.is_authenticated:
                return redirect_to_login(request.get_full_path())
            actor = request.actor  # type: ignore[attr-defined]
            if not actor.has_role(role):
                record_denial(
                    actor=actor,
                    action="read" if request.method in ("GET", "HEAD") else "update",
                    subject=AuditSubject(object_type="page", object_ref=request.path[:64]),
                    detail=f"page for role {role.value}",
                )
                raise Http404
            return view(request, *args, **kwargs)

        return wrapper

    return decorator

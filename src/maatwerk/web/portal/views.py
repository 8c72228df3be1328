"""The patient's own pages: home and who opened my file. Each opens the patient's own
record with the scoped opener and calls one audited service."""

from __future__ import annotations

from collections.abc import Mapping

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods

from maatwerk.core.access import Role
from maatwerk.web.audit.audited import Refused, attempt
from maatwerk.web.common.decorators import role_required
from maatwerk.web.common.http import ActorRequest
from maatwerk.web.common.paging import page_of
from maatwerk.web.patients import privacy as consent
from maatwerk.web.patients import reading
from maatwerk.web.patients.opening import open_own_record
from maatwerk.web.portal.home import portal_home_read
from maatwerk.web.portal.presenters import group_access_events


class TickBox(forms.CheckboxInput):
    """A checkbox that hands the field what was sent (Django's own turns any text into
    ``True``), so a value no checkbox sends can be refused."""

    def value_from_datadict(
        self, data: Mapping[str, object], files: Mapping[str, object], name: str
    ) -> object:
        return data.get(name)


class TickField(forms.BooleanField):
    """Ticked (a checkbox sends "on"; "true"/"1" from other clients) or not (not sent,
    or "false"/"0"/"off")."""

    widget = TickBox
    default_error_messages = {
        "invalid": gettext_lazy("Tick the box or leave it empty."),
    }

    def to_python(self, value: object) -> bool:
        if value in (None, "", False) or str(value).lower() in ("off", "false", "0"):
            return False
        if value is True or str(value).lower() in ("on", "true", "1"):
            return True
        raise ValidationError(self.error_messages["invalid"], code="invalid")


class PrivacyConsentForm(forms.Form):
    """The optional parts of the privacy statement: each given or refused (unticked)."""

    email_notifications = TickField(
        label=gettext_lazy("Send me an e-mail when there is something new for me in Maatwerk"),
        required=False,
    )
    research_use = TickField(
        label=gettext_lazy(
            "My answers may be used for scientific research, without my name or other "
            "details that show who I am"
        ),
        required=False,
    )


@role_required(Role.PATIENT)
def home(request: ActorRequest) -> HttpResponse:
    access = open_own_record(actor=request.actor, action="read")
    page = portal_home_read(actor=request.actor, access=access)
    return render(request, "portal/home.html", {"patient": access.patient, **vars(page)})


ACCESS_LOG_LATEST = 10  # lines shown open; the rest of the page behind "show more"


@role_required(Role.PATIENT)
def access_log(request: ActorRequest) -> HttpResponse:
    """Who opened my file and when (Wabvpz art. 15e; NEN 7513 ch. 9)."""
    access = open_own_record(actor=request.actor, action="read", object_type="access_log")
    events = reading.access_log_read(actor=request.actor, access=access)
    lines = group_access_events(iter(events))
    page = page_of(request.GET, lines, 50)
    # The latest few lines first; the rest of the page folded away (<details>), so a
    # long log does not fill the page.
    rows = list(page.object_list)
    return render(
        request,
        "portal/access_log.html",
        {
            "page": page,
            "patient": access.patient,
            "latest": rows[:ACCESS_LOG_LATEST],
            "older": rows[ACCESS_LOG_LATEST:],
        },
    )


@role_required(Role.PATIENT)
@require_http_methods(["GET", "POST"])
def privacy(request: ActorRequest) -> HttpResponse:
    """The privacy statement: what is stored, who sees it, how to see who opened the file
    and ask for a copy; and the patient's choice for the optional parts."""
    if request.method == "POST":
        access = open_own_record(actor=request.actor, action="update", object_type="consent")
        form = PrivacyConsentForm(request.POST)
        done = attempt(
            form,
            lambda: consent.privacy_consent_record(actor=request.actor, access=access, form=form),
        )
        if isinstance(done, Refused):
            return render(
                request,
                "portal/privacy.html",
                {"form": form, "version": consent.PRIVACY_STATEMENT_VERSION, "current": None},
                status=done.status,
            )
        messages.success(request, _("Thank you. Your choices are saved; you can change them here."))
        return redirect("portal:home")
    access = open_own_record(actor=request.actor, action="read", object_type="consent")
    page = consent.privacy_read(actor=request.actor, access=access)
    current = page.current
    form = PrivacyConsentForm(
        initial={
            "email_notifications": current.email_notifications if current else False,
            "research_use": current.research_use if current else False,
        }
    )
    return render(
        request,
        "portal/privacy.html",
        {"form": form, "version": page.version, "current": current},
    )

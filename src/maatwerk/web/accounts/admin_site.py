"""The platform-admin site, reached only through the one login of the platform.

Django's admin has its own login form: a password and nothing else, no throttling and no
second factor. Here that form is replaced by a redirect to the allauth login, so staff
reach the admin with the same password policy, rate limits and TOTP as everyone else;
``SecondFactorRequiredMiddleware`` then refuses any session without a passed second
factor. The admin stays available (rather than switched off) because platform staff read
knowledge revisions and fix account records there.
"""

from __future__ import annotations

from urllib.parse import quote

from django.contrib.admin import AdminSite
from django.contrib.admin.apps import AdminConfig
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse


class PlatformAdminSite(AdminSite):
    def login(
        self, request: HttpRequest, extra_context: dict[str, object] | None = None
    ) -> HttpResponse:
        if request.user.is_authenticated:
            if self.has_permission(request):
                return redirect(reverse("admin:index", current_app=self.name))
            # Logged in, but not platform staff: sending them to log in again would loop.
            return render(request, "403.html", status=403)
        destination = request.GET.get("next") or reverse("admin:index", current_app=self.name)
        return redirect(f"{reverse('account_login')}?next={quote(destination)}")


class PlatformAdminConfig(AdminConfig):
    default_site = "maatwerk.web.accounts.admin_site.PlatformAdminSite"

from django.contrib import admin

from maatwerk.web.organizations.models import Membership, Organization, Team


@admin.register(Organization)
class OrganizationAdmin(admin.ModelAdmin):  # type: ignore[type-arg]
    list_display = ("name", "agb_code")


@admin.register(Team)
class TeamAdmin(admin.ModelAdmin):  # type: ignore[type-arg]
    list_display = ("name", "organization", "kind")


@admin.register(Membership)
class MembershipAdmin(admin.ModelAdmin):  # type: ignore[type-arg]
    list_display = ("user", "organization", "team", "role", "discipline", "is_active")
    list_filter = ("role", "organization")

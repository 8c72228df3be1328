from __future__ import annotations

from django.contrib import admin
from django.urls import include, path

from maatwerk.web.accounts import views as account_views
from maatwerk.web.api.apis import api
from maatwerk.web.common.health import health

urlpatterns = [
    path("", account_views.home, name="home"),
    path("health/", health, name="health"),
    path("accounts/", include("allauth.urls")),
    path("invite/<str:token>/", account_views.invitation, name="invitation"),
    path("i18n/", include("django.conf.urls.i18n")),
    path("clinic/", include("maatwerk.web.clinic.urls")),
    path("portal/", include("maatwerk.web.portal.urls")),
    path("questionnaires/", include("maatwerk.web.questionnaires.urls")),
    path("safety/", include("maatwerk.web.safety.urls")),
    path("personal-measures/", include("maatwerk.web.personalized.urls")),
    path("screening/", include("maatwerk.web.screening.urls")),
    path("formulation/", include("maatwerk.web.formulation.urls")),
    path("plan/", include("maatwerk.web.planning.urls")),
    path("safety-plan/", include("maatwerk.web.safetyplan.urls")),
    path("treatment/", include("maatwerk.web.treatment.urls")),
    path("providers/", include("maatwerk.web.providers.urls")),
    path("analysis/", include("maatwerk.web.analysis.urls")),
    path("organization/knowledge/", include("maatwerk.web.knowledge.urls")),
    path("organization/", include("maatwerk.web.orgadmin.urls")),
    path("monitoring/", include("maatwerk.web.monitoring.urls")),
    path("records/", include("maatwerk.web.records.urls")),
    path("api/v1/", api.urls),
    path("platform-admin/", admin.site.urls),
]

from django.urls import path

from maatwerk.web.knowledge import views

app_name = "knowledge"
urlpatterns = [
    path("", views.overview, name="overview"),
    path(
        "knowledge/factors/<str:factor_id>/thresholds/",
        views.factor_thresholds,
        name="factor_thresholds",
    ),
    path(
        "screening/stepped_care/switches/",
        views.stepped_care_switches,
        name="stepped_care_switches",
    ),
    path("<str:content_set>/<str:collection>/", views.collection, name="collection"),
    path("<str:content_set>/<str:collection>/edit/", views.edit, name="edit"),
    path("<str:content_set>/<str:collection>/history/", views.history, name="history"),
    path("<str:content_set>/<str:collection>/download/", views.download, name="download"),
    path(
        "<str:content_set>/<str:collection>/restore-bundled/",
        views.restore_bundled,
        name="restore_bundled",
    ),
]

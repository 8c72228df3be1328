from django.urls import path

from maatwerk.web.orgadmin import views

app_name = "orgadmin"
urlpatterns = [
    path("", views.dashboard, name="dashboard"),
    path("teams/", views.teams, name="teams"),
    path("teams/<str:team_id>/backup/", views.team_backup, name="team_backup"),
    path("instruments/", views.instruments, name="instruments"),
    path(
        "access-report/patients/<str:patient_id>/",
        views.patient_access_report,
        name="patient_access_report",
    ),
    path("access-report/users/<str:user_id>/", views.user_access_report, name="user_access_report"),
    path(
        "emergency-access/<str:grant_id>/review/", views.emergency_review, name="emergency_review"
    ),
    path("users/<str:user_id>/disable/", views.user_disable_view, name="user_disable"),
]

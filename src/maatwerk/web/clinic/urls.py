from django.urls import path

from maatwerk.web.clinic import questionnaire_views, views

app_name = "clinic"
urlpatterns = [
    path("", views.caseload, name="caseload"),
    path("patients/new/", views.patient_register, name="patient_register"),
    path("patients/<str:patient_id>/", views.patient_detail, name="patient_detail"),
    path("patients/<str:patient_id>/edit/", views.patient_edit, name="patient_edit"),
    path(
        "patients/<str:patient_id>/invitation/", views.patient_invitation, name="patient_invitation"
    ),
    path("emergency/", views.emergency_search, name="emergency_search"),
    path("emergency/<str:patient_id>/", views.emergency_access, name="emergency_access"),
    path(
        "patients/<str:patient_id>/questionnaires/assign/",
        questionnaire_views.assignment_create,
        name="assignment_create",
    ),
    path(
        "patients/<str:patient_id>/results/",
        questionnaire_views.patient_results,
        name="patient_results",
    ),
    path("alerts/", questionnaire_views.alerts, name="alerts"),
]

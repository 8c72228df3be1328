from django.urls import path

from maatwerk.web.clinic import views

app_name = "clinic"
urlpatterns = [
    path("", views.caseload, name="caseload"),
    path("patients/new/", views.patient_register, name="patient_register"),
    path("patients/<str:patient_id>/", views.patient_detail, name="patient_detail"),
    path(
        "patients/<str:patient_id>/invitation/", views.patient_invitation, name="patient_invitation"
    ),
    path("emergency/", views.emergency_search, name="emergency_search"),
    path("emergency/<str:patient_id>/", views.emergency_access, name="emergency_access"),
]

from django.urls import path

from maatwerk.web.monitoring import views

app_name = "monitoring"
urlpatterns = [
    path("me/", views.mine, name="mine"),
    path("me/entry/", views.start_entry, name="start_entry"),
    path("me/sw.js", views.service_worker, name="sw"),
    path("me/manifest.webmanifest", views.manifest, name="manifest"),
    path("me/notifications/", views.notifications, name="notifications"),
    path("me/notifications/device/", views.push_device, name="push_device"),
    path("me/<str:prompt_id>/", views.answer, name="answer"),
    path("caseload/", views.caseload, name="caseload"),
    path("patients/<str:patient_id>/", views.patient_overview, name="patient"),
    path("patients/<str:patient_id>/pdf/", views.patient_overview_pdf, name="patient_pdf"),
]

from django.urls import path

from maatwerk.web.records import views

app_name = "records"
urlpatterns = [
    path("mine/", views.mine, name="mine"),
    path("mine/copy/", views.mine_copy, name="mine_copy"),
    path("mine/destruction/", views.mine_destruction, name="mine_destruction"),
    path("open-requests/", views.open_requests, name="open_requests"),
    path("patients/<str:patient_id>/", views.patient, name="patient"),
    path("patients/<str:patient_id>/copy/", views.patient_copy, name="patient_copy"),
    path("copies/<str:copy_id>/fhir/", views.copy_fhir, name="copy_fhir"),
    path("copies/<str:copy_id>/pdf/", views.copy_pdf, name="copy_pdf"),
    path("destruction/<str:request_id>/decide/", views.decide, name="decide"),
]

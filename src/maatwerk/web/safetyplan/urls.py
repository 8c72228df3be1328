from django.urls import path

from maatwerk.web.safetyplan import views

app_name = "safetyplan"
urlpatterns = [
    path("patients/<str:patient_id>/", views.plan, name="plan"),
    path("patients/<str:patient_id>/edit/", views.edit, name="edit"),
    path("patients/<str:patient_id>/versions/", views.versions, name="versions"),
    path("patients/<str:patient_id>/versions/<int:number>/", views.version, name="version"),
    path("patients/<str:patient_id>/pdf/", views.pdf, name="pdf"),
]

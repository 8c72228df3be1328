from django.urls import path

from maatwerk.web.personalized import views

app_name = "personalized"
urlpatterns = [
    path("patients/<str:patient_id>/", views.overview, name="overview"),
    path("patients/<str:patient_id>/psk/new/", views.psk_create, name="psk_create"),
    path(
        "patients/<str:patient_id>/top-problems/new/",
        views.top_problems_create,
        name="top_problems_create",
    ),
    path("patients/<str:patient_id>/gas/new/", views.gas_create, name="gas_create"),
    path("patients/<str:patient_id>/results/", views.results, name="results"),
    path("sets/<str:set_id>/rate/", views.rate, name="rate"),
]

from django.urls import path

from maatwerk.web.planning import views

app_name = "planning"
urlpatterns = [
    path("patients/<str:patient_id>/", views.plan, name="plan"),
    path("patients/<str:patient_id>/prepare/", views.prepare, name="prepare"),
    path("patients/<str:patient_id>/decide/", views.decide, name="decide"),
    path("patients/<str:patient_id>/goals/", views.goals, name="goals"),
    path("patients/<str:patient_id>/activate/", views.activate, name="activate"),
    path("patients/<str:patient_id>/revise/", views.revise, name="revise"),
    path(
        "patients/<str:patient_id>/discard-revision/",
        views.discard_revision,
        name="discard_revision",
    ),
    path("patients/<str:patient_id>/step-up/", views.step_up, name="step_up"),
    path("patients/<str:patient_id>/complete/", views.complete, name="complete"),
    path(
        "patients/<str:patient_id>/regiebehandelaar/",
        views.regiebehandelaar,
        name="regiebehandelaar",
    ),
    path("patients/<str:patient_id>/careplan.json", views.fhir, name="fhir"),
    path("patients/<str:patient_id>/plan.pdf", views.pdf, name="pdf"),
    path("patients/<str:patient_id>/mine/", views.mine, name="mine"),
]

from django.urls import path

from maatwerk.web.formulation.views import circle, overview, patient, steps

app_name = "formulation"
urlpatterns = [
    path("patients/<str:patient_id>/", overview.patient, name="patient"),
    path("patients/<str:patient_id>/start/", overview.start, name="start"),
    path("<str:formulation_id>/", overview.detail, name="detail"),
    path("<str:formulation_id>/complaints/", steps.complaints, name="complaints"),
    path("<str:formulation_id>/consequences/", steps.consequences, name="consequences"),
    path("<str:formulation_id>/goals/", steps.goals, name="goals"),
    path("<str:formulation_id>/plan/", steps.plan, name="plan"),
    path("<str:formulation_id>/plan/diary/", steps.diary, name="diary"),
    path("<str:formulation_id>/circle/", circle.circle, name="circle"),
    path("<str:formulation_id>/share/", circle.share, name="share"),
    path("<str:formulation_id>/shared/", patient.shared, name="shared"),
    path("<str:formulation_id>/respond/", patient.respond, name="respond"),
]

from django.urls import path

from maatwerk.web.formulation import views

app_name = "formulation"
urlpatterns = [
    path("patients/<str:patient_id>/", views.patient, name="patient"),
    path("patients/<str:patient_id>/start/", views.start, name="start"),
    path("<str:formulation_id>/", views.detail, name="detail"),
    path("<str:formulation_id>/complaints/", views.complaints, name="complaints"),
    path("<str:formulation_id>/consequences/", views.consequences, name="consequences"),
    path("<str:formulation_id>/goals/", views.goals, name="goals"),
    path("<str:formulation_id>/plan/", views.plan, name="plan"),
    path("<str:formulation_id>/plan/diary/", views.diary, name="diary"),
    path("<str:formulation_id>/circle/", views.circle, name="circle"),
    path("<str:formulation_id>/share/", views.share, name="share"),
    path("<str:formulation_id>/shared/", views.shared, name="shared"),
    path("<str:formulation_id>/respond/", views.respond, name="respond"),
]

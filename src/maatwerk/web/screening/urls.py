from django.urls import path

from maatwerk.web.screening import views

app_name = "screening"
urlpatterns = [
    path("patients/<str:patient_id>/", views.patient_screenings, name="patient_screenings"),
    path("patients/<str:patient_id>/assign/", views.assign, name="assign"),
    path("<str:screening_id>/", views.detail, name="detail"),
    path("<str:screening_id>/intake/", views.intake, name="intake"),
    path("<str:screening_id>/scegs/", views.scegs, name="scegs"),
    path("<str:screening_id>/profile/", views.profile, name="profile"),
    path("<str:screening_id>/profile/compute/", views.profile_compute, name="profile_compute"),
    path("<str:screening_id>/profile/decision/", views.care_level_decide, name="care_level_decide"),
    path("<str:screening_id>/profile.pdf", views.profile_pdf, name="profile_pdf"),
    path("<str:screening_id>/summary/", views.summary, name="summary"),
]

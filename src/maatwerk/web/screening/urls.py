from django.urls import path

from maatwerk.web.screening.views import interview, profile, screenings

app_name = "screening"
urlpatterns = [
    path("patients/<str:patient_id>/", screenings.patient_screenings, name="patient_screenings"),
    path("patients/<str:patient_id>/assign/", screenings.assign, name="assign"),
    path("<str:screening_id>/", screenings.detail, name="detail"),
    path("<str:screening_id>/intake/", interview.intake, name="intake"),
    path("<str:screening_id>/scegs/", interview.scegs, name="scegs"),
    path("<str:screening_id>/profile/", profile.profile, name="profile"),
    path("<str:screening_id>/profile/compute/", profile.profile_compute, name="profile_compute"),
    path(
        "<str:screening_id>/profile/decision/", profile.care_level_decide, name="care_level_decide"
    ),
    path("<str:screening_id>/profile.pdf", profile.profile_pdf, name="profile_pdf"),
    path("<str:screening_id>/summary/", profile.summary, name="summary"),
]

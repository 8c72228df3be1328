from django.urls import path

from maatwerk.web.treatment import parent_view
from maatwerk.web.treatment.views import clinician, messaging, modules, relatives

app_name = "treatment"
urlpatterns = [
    # The patient
    path("my/", modules.my_modules, name="my_modules"),
    path("messages/", messaging.my_messages, name="messages"),
    path("modules/<str:module_assignment_id>/", modules.module, name="module"),
    path(
        "modules/<str:module_assignment_id>/exercises/<str:exercise_id>/",
        modules.exercise,
        name="exercise",
    ),
    path(
        "modules/<str:module_assignment_id>/exercises/<str:exercise_id>/save/",
        modules.exercise_save,
        name="exercise_save",
    ),
    path(
        "modules/<str:module_assignment_id>/exercises/<str:exercise_id>/submit/",
        modules.exercise_submit,
        name="exercise_submit",
    ),
    # The clinician
    path("inbox/", clinician.inbox, name="inbox"),
    path("responses/<str:response_id>/", clinician.review, name="review"),
    path("patients/<str:patient_id>/modules/", clinician.patient_modules, name="patient_modules"),
    path(
        "patients/<str:patient_id>/messages/", messaging.patient_messages, name="patient_messages"
    ),
    path(
        "modules/<str:module_assignment_id>/target/",
        modules.activity_target,
        name="activity_target",
    ),
    path("modules/<str:module_assignment_id>/open/", modules.module_open, name="module_open"),
    # Partners and parents
    path("patients/<str:patient_id>/relatives/", relatives.relatives, name="relatives"),
    path("relatives/<str:relative_id>/revoke/", relatives.relative_revoke, name="relative_revoke"),
    path("relatives/accept/<str:token>/", relatives.relative_accept, name="relative_accept"),
    path("shared/", relatives.shared, name="shared"),
    path("shared/<str:relative_id>/", relatives.shared_detail, name="shared_detail"),
    path("shared/<str:relative_id>/child/", parent_view.parent_view, name="parent_view"),
]

from django.urls import path

from maatwerk.web.treatment import parent_view, views

app_name = "treatment"
urlpatterns = [
    # The patient
    path("my/", views.my_modules, name="my_modules"),
    path("messages/", views.my_messages, name="messages"),
    path("modules/<str:module_assignment_id>/", views.module, name="module"),
    path(
        "modules/<str:module_assignment_id>/exercises/<str:exercise_id>/",
        views.exercise,
        name="exercise",
    ),
    path(
        "modules/<str:module_assignment_id>/exercises/<str:exercise_id>/save/",
        views.exercise_save,
        name="exercise_save",
    ),
    path(
        "modules/<str:module_assignment_id>/exercises/<str:exercise_id>/submit/",
        views.exercise_submit,
        name="exercise_submit",
    ),
    # The clinician
    path("inbox/", views.inbox, name="inbox"),
    path("responses/<str:response_id>/", views.review, name="review"),
    path("patients/<str:patient_id>/modules/", views.patient_modules, name="patient_modules"),
    path("patients/<str:patient_id>/messages/", views.patient_messages, name="patient_messages"),
    path(
        "modules/<str:module_assignment_id>/target/",
        views.activity_target,
        name="activity_target",
    ),
    path("modules/<str:module_assignment_id>/open/", views.module_open, name="module_open"),
    # Partners and parents
    path("patients/<str:patient_id>/relatives/", views.relatives, name="relatives"),
    path("relatives/<str:relative_id>/revoke/", views.relative_revoke, name="relative_revoke"),
    path("relatives/accept/<str:token>/", views.relative_accept, name="relative_accept"),
    path("shared/", views.shared, name="shared"),
    path("shared/<str:relative_id>/", views.shared_detail, name="shared_detail"),
    path("shared/<str:relative_id>/child/", parent_view.parent_view, name="parent_view"),
]

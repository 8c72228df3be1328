from django.urls import path

from maatwerk.web.questionnaires import views

app_name = "questionnaires"
urlpatterns = [
    path("help/", views.help_now, name="help_now"),
    path("<str:assignment_id>/", views.fill, name="fill"),
    path("<str:assignment_id>/answer/", views.answer, name="answer"),
    path("<str:assignment_id>/submit/", views.submit, name="submit"),
]

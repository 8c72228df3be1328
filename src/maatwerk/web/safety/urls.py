from django.urls import path

from maatwerk.web.safety import views

app_name = "safety"
urlpatterns = [
    path("team/", views.team, name="team"),
    path("help/", views.help_now, name="help_now"),
    path("signals/<str:alert_id>/", views.signal, name="signal"),
    path("signals/<str:alert_id>/pick-up/", views.pick_up, name="pick_up"),
    path("signals/<str:alert_id>/follow-up/", views.follow_up, name="follow_up"),
    path("signals/<str:alert_id>/close/", views.close, name="close"),
    path("patients/<str:patient_id>/raise/", views.raise_signal, name="raise"),
]

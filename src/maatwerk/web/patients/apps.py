from django.apps import AppConfig


class PatientsConfig(AppConfig):
    name = "maatwerk.web.patients"
    label = "patients"

from django.apps import AppConfig


class ClinicConfig(AppConfig):
    name = "maatwerk.web.clinic"
    label = "clinic"

from django.apps import AppConfig


class TreatmentConfig(AppConfig):
    name = "maatwerk.web.treatment"
    label = "treatment"

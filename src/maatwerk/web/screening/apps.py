from django.apps import AppConfig


class ScreeningConfig(AppConfig):
    name = "maatwerk.web.screening"
    label = "screening"

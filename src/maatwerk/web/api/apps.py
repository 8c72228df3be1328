from django.apps import AppConfig


class ApiConfig(AppConfig):
    name = "maatwerk.web.api"
    label = "api"

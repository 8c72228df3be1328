from django.apps import AppConfig


class ProvidersConfig(AppConfig):
    name = "maatwerk.web.providers"
    label = "providers"

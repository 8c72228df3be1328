from django.apps import AppConfig


class DemoConfig(AppConfig):
    name = "maatwerk.web.demo"
    label = "demo"

from django.apps import AppConfig


class CommonConfig(AppConfig):
    name = "maatwerk.web.common"
    label = "common"

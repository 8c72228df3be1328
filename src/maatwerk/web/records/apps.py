from django.apps import AppConfig


class RecordsConfig(AppConfig):
    name = "maatwerk.web.records"
    label = "records"

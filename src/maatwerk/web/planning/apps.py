from django.apps import AppConfig


class PlanningConfig(AppConfig):
    name = "maatwerk.web.planning"
    label = "planning"

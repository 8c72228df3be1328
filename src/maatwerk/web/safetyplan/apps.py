from django.apps import AppConfig


class SafetyPlanConfig(AppConfig):
    name = "maatwerk.web.safetyplan"
    label = "safetyplan"

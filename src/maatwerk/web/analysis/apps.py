from django.apps import AppConfig


class AnalysisConfig(AppConfig):
    name = "maatwerk.web.analysis"
    label = "analysis"

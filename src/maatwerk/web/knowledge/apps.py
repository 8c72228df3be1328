from django.apps import AppConfig


class KnowledgeConfig(AppConfig):
    name = "maatwerk.web.knowledge"
    label = "knowledge"

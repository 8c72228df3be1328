from django.apps import AppConfig


class AuditConfig(AppConfig):
    name = "maatwerk.web.audit"
    label = "audit"

from django.apps import AppConfig


class MonitoringConfig(AppConfig):
    """Monitoring: ROM and EMA schedules per patient, the prompts materialized from them,
    their delivery through the background worker, and the delivery log."""

    name = "maatwerk.web.monitoring"
    label = "monitoring"

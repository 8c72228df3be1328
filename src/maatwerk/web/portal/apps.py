from django.apps import AppConfig


class PortalConfig(AppConfig):
    name = "maatwerk.web.portal"
    label = "portal"

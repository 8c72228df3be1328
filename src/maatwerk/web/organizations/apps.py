from django.apps import AppConfig


class OrganizationsConfig(AppConfig):
    name = "maatwerk.web.organizations"
    label = "organizations"

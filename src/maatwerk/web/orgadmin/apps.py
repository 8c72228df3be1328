from django.apps import AppConfig


class OrgadminConfig(AppConfig):
    name = "maatwerk.web.orgadmin"
    label = "orgadmin"

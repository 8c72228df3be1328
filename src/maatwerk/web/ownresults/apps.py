from django.apps import AppConfig


class OwnResultsConfig(AppConfig):
    name = "maatwerk.web.ownresults"
    label = "ownresults"
